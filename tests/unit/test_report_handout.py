"""A report someone can hand on: overrides and the reproducing command, theory, drawn types, spreads."""

from __future__ import annotations

import html
import re
import shlex
from pathlib import Path

import pytest
from builders import call

import sim
from sim.batch.stats import wilson_interval
from sim.viz.report import html_report

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
TEXTBOOK = ROOT / "scenarios" / "textbook"
COMMAND = re.compile(r'<pre class="command"><code>(.*?)</code></pre>', re.S)


def section(report: str, name: str) -> str:
    start = report.index(f'<section id="{name}">')
    return report[start : report.index("</section>", start)]


@pytest.mark.slow
def test_sim_report_records_the_override_and_the_command_that_reproduces_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    override = "actors.russia.risk_acceptance=0.4"
    args = ["report", str(BASELINE), "--seed", "2", "--set", override, "--out", str(out)]
    code, _, err = call(args, capsys)
    assert code == 0, err
    report = out.read_text(encoding="utf-8")
    reproduce = section(report, "reproduce")
    assert "<code>actors.russia.risk_acceptance</code>" in reproduce and "<td>0.4</td>" in reproduce
    assert "1 override" in report
    (command,) = COMMAND.findall(reproduce)
    words = shlex.split(html.unescape(command))
    assert words[:2] == ["sim", "report"] and ["--set", override] == words[5:7]
    assert ["--seed", "2"] == words[3:5] and words[-2:] == ["--out", str(out)]
    # the command, run again, writes the very same bytes
    code, _, err = call(words[1:], capsys)
    assert code == 0 and err == f"{out}: unchanged\n"
    # without the override the run and the report differ, and say so
    plain = tmp_path / "plain.html"
    code, _, err = call(["report", str(BASELINE), "--seed", "2", "--out", str(plain)], capsys)
    assert code == 0, err
    text = plain.read_text(encoding="utf-8")
    assert "No overrides" in section(text, "reproduce") and "--set" not in COMMAND.findall(text)[0]


def test_analysis_section_has_rubinstein_nash_and_ks() -> None:
    rubinstein = sim.load_scenario(TEXTBOOK / "rubinstein.yaml")
    report = html_report(rubinstein, sim.run(rubinstein, seed=1))
    d1, d2 = rubinstein.actors["first"].discount, rubinstein.actors["second"].discount
    share = (1 - d2) / (1 - d1 * d2)  # Rubinstein (1982)
    analysis = section(report, "analysis")
    assert "Rubinstein alternating offers on pie" in analysis
    assert f"{share:.4f}" in analysis
    nash = sim.load_scenario(TEXTBOOK / "nash_bargaining.yaml")
    analysis = section(html_report(nash, sim.run(nash, seed=1)), "analysis")
    assert "Bargaining solutions" in analysis
    assert "<td>Nash</td>" in analysis and "<td>Kalai–Smorodinsky</td>" in analysis
    assert "Everything <code>sim analyze</code> prints" in analysis


@pytest.fixture(scope="module")
def baseline() -> tuple[sim.RunResult, sim.BatchResult, str]:
    """One report of the baseline (seed 1) with a 12-run batch, shared by the tests below."""
    scenario = sim.load_scenario(BASELINE)
    result = sim.run(scenario, seed=1)
    batch = sim.run_batch(scenario, runs=12, seed=1)
    return result, batch, html_report(scenario, result, batch=batch)


def test_analysis_section_has_fearon_ranges(
    baseline: tuple[sim.RunResult, sim.BatchResult, str],
) -> None:
    analysis = section(baseline[2], "analysis")
    assert "Fearon (1995) bargaining ranges" in analysis
    assert "<td>russia</td><td>ukraine</td>" in analysis


def test_drawn_types_of_the_shown_run(baseline: tuple[sim.RunResult, sim.BatchResult, str]) -> None:
    result, _, report = baseline
    types = section(report, "types")
    drawn = result.types["russia"]
    for name in ("red_line.enlargement", "win_probability", "war_cost", "risk_acceptance"):
        assert f'<td>{name}</td><td class="num">{drawn[name]:.4g}</td>' in types
    assert "beta(mean 0.55, sd 0.1)" in types  # Russia's risk acceptance, as declared
    assert "Nothing private" in types  # the United States: every parameter fixed
    other = sim.run(sim.load_scenario(BASELINE), seed=2).types["russia"]
    assert other["red_line.enlargement"] != drawn["red_line.enlargement"]  # a draw, not a constant


def test_batch_section_gives_intervals_and_spreads(
    baseline: tuple[sim.RunResult, sim.BatchResult, str],
) -> None:
    _, batch, report = baseline
    part = section(report, "batch")
    wars = int((batch.frame["outcome"] == "war").sum())
    low, high = wilson_interval(wars, 12)
    assert f'<td>russia</td><td class="num">{wars}</td>' in part
    assert f"[{low:.3f}, {high:.3f}]" in part
    utilities = batch.frame["utility.russia"]
    assert f"{utilities.mean():.3f}" in part
    assert f"{utilities.quantile(0.95):.3f}" in part and "95% interval of the mean" in part
    assert "Rungs reached" in part and "Issues agreed" in part
