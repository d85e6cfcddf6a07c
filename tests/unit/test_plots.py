"""Figures (sim.viz.plots) and `sim plot`: panels, artists, files, no overwrite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders import call
from matplotlib.figure import Figure

import sim
from sim.model.outcome import RunResult
from sim.scenario.schema import Scenario
from sim.viz.plots import (
    concession_plot,
    escalation_plot,
    figure_bytes,
    outcome_plot,
    zopa_plot,
)

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
RUBINSTEIN = ROOT / "scenarios" / "textbook" / "rubinstein.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return sim.load_scenario(BASELINE)


@pytest.fixture(scope="module")
def seed1(scenario: Scenario) -> RunResult:
    return sim.run(scenario, seed=1)


def by_title(figure: Figure) -> dict[str, object]:
    """Axes by the first word of their left title."""
    return {ax.get_title(loc="left").split(" ")[0].rstrip(":"): ax for ax in figure.axes}


def actor_panels(figure: Figure) -> dict[str, object]:
    """Escalation panels by actor id (their gid ``actor:<id>``); the venue strip has none."""
    return {
        str(ax.get_gid()).split(":", 1)[1]: ax
        for ax in figure.axes
        if str(ax.get_gid()).startswith("actor:")
    }


# --- concession -------------------------------------------------------------------------------


def test_offers_of_alternating_rounds_carry_both_sides_utilities(seed1: RunResult) -> None:
    """Each alternating-offers offer records the worth to proposer and responder; the text agrees."""
    offers = [e for e in seed1.transcript if e.kind == "offer" and e.round != "vienna"]
    assert offers
    for event in offers:
        assert len(event.utilities) == 2 and event.actor in event.utilities
        assert all(0.0 <= u <= 1.0 for u in event.utilities.values())
        worth = re.search(r"worth (\d\.\d\d) to it", event.text)
        assert worth and float(worth.group(1)) == pytest.approx(
            event.utilities[event.actor], abs=0.0051
        )


def test_concession_plot_has_one_panel_per_alternating_offers_round(
    scenario: Scenario, seed1: RunResult
) -> None:
    figure = concession_plot(seed1)
    assert isinstance(figure, Figure)
    rounds = [r.id for r in scenario.rounds if r.protocol == "alternating_offers"]
    assert rounds == ["geneva", "brussels", "lavrov_blinken", "written_replies"]
    assert len(figure.axes) == len(rounds)
    for axes, round_id in zip(figure.axes, rounds, strict=True):
        offers = [e for e in seed1.transcript if e.kind == "offer" and e.round == round_id]
        own = [line for line in axes.get_lines() if str(line.get_gid()).startswith("own:")]
        received = [
            line for line in axes.get_lines() if str(line.get_gid()).startswith("received:")
        ]
        proposers = {e.actor for e in offers}
        assert len(own) == len(proposers) and len(received) == len(proposers)
        assert sum(len(line.get_xdata()) for line in own) == len(offers)
        assert sum(len(line.get_xdata()) for line in received) == len(offers)
        for line in own:
            side = str(line.get_gid()).split(":", 1)[1]
            assert list(line.get_xdata()) == [e.exchange for e in offers if e.actor == side]
            assert list(line.get_ydata()) == [e.utilities[side] for e in offers if e.actor == side]
        agreed = any(e.kind == "accept" and e.round == round_id for e in seed1.transcript)
        assert ("agreed" if agreed else "no agreement") in axes.get_title(loc="left")
    assert "Geneva" in figure.axes[0].get_title(loc="left")


def test_concession_plot_marks_the_agreement() -> None:
    result = sim.run(sim.load_scenario(RUBINSTEIN), seed=1)
    accept = next(e for e in result.transcript if e.kind == "accept")
    figure = concession_plot(result)
    assert len(figure.axes) == 1
    stars = [line for line in figure.axes[0].get_lines() if line.get_gid() == "agreement"]
    assert len(stars) == 2
    assert all(list(line.get_xdata()) == [accept.exchange] for line in stars)
    assert f"agreed at exchange {accept.exchange}" in figure.axes[0].get_title(loc="left")


def test_concession_plot_without_offers_says_so(scenario: Scenario) -> None:
    figure = concession_plot(sim.run(scenario, seed=1, transcript=False))
    assert len(figure.axes) == 1
    assert any("no alternating-offers" in t.get_text() for t in figure.axes[0].texts)


# --- ZOPA -------------------------------------------------------------------------------------


def test_zopa_plot_panels_bars_status_quo_and_zones(scenario: Scenario) -> None:
    from sim.analysis.zopa import zopa

    zones = zopa(scenario)
    figure = zopa_plot(scenario)
    assert len(figure.axes) == len(zones) == 8
    panels = by_title(figure)
    assert set(panels) == set(zones)
    for issue, axes in panels.items():
        assert len(axes.patches) >= len(zones[issue].constraints)  # one bar per actor
        assert [line.get_gid() for line in axes.get_lines()].count("status_quo") == 1

    def shaded(axes: object) -> list[object]:
        return [p for p in axes.patches if p.get_gid() == "zopa"]  # type: ignore[attr-defined]

    def notes(axes: object) -> str:
        return " ".join(t.get_text() for t in axes.texts)  # type: ignore[attr-defined]

    assert "no ZOPA" in notes(panels["enlargement"]) and not shaded(panels["enlargement"])
    assert len(shaded(panels["missiles"])) == 1 and "no ZOPA" not in notes(panels["missiles"])
    assert "ZOPA 40 to 50" in panels["missiles"].get_title(loc="left")  # type: ignore[attr-defined]
    ticks = list(panels["enlargement"].get_xticks())  # type: ignore[attr-defined]
    assert ticks == [0, 30, 70, 100]  # the labelled points


# --- escalation -------------------------------------------------------------------------------


def test_escalation_plot_one_panel_per_escalating_actor(seed1: RunResult) -> None:
    climbs: dict[str, int] = {}
    for event in seed1.transcript:
        if event.kind == "escalate":
            climbs[event.actor] = climbs.get(event.actor, 0) + 1
    figure = escalation_plot(seed1)
    panels = actor_panels(figure)
    assert len(figure.axes) == len(climbs) + 1 == 3  # the venue strip on top
    assert set(panels) == set(climbs)
    for actor, count in climbs.items():
        axes = panels[actor]
        (line,) = [ln for ln in axes.get_lines() if ln.get_gid() == f"rungs:{actor}"]
        assert max(line.get_ydata()) == count
        labels = [t.get_text() for t in axes.get_yticklabels()]
        assert labels[-1] == seed1.outcome.highest_rung[actor]
    assert "no war" in figure.get_suptitle()


def test_escalation_plot_marks_war(scenario: Scenario) -> None:
    result = sim.run(scenario, seed=3)
    assert result.outcome.war is not None
    figure = escalation_plot(result)
    for axes in figure.axes:
        assert any(line.get_gid() == "war_line" for line in axes.get_lines())
    aggressor = actor_panels(figure)[result.outcome.war.aggressor]
    assert any(line.get_gid() == "war" for line in aggressor.get_lines())  # type: ignore[attr-defined]
    assert "war: russia against ukraine" in figure.get_suptitle()


# --- batch outcome ----------------------------------------------------------------------------


def test_outcome_plot_bars_with_intervals(scenario: Scenario) -> None:
    batch = sim.run_batch(scenario, runs=12, seed=1)
    figure = outcome_plot(batch)
    assert len(figure.axes) == 1
    axes = figure.axes[0]
    classes = batch.summary()["classes"]
    assert len(axes.patches) == len(classes) == 5
    assert sum(p.get_height() for p in axes.patches) == pytest.approx(1.0)
    assert axes.containers and any(
        c.__class__.__name__ == "ErrorbarContainer" for c in axes.containers
    )
    labels = [t.get_text() for t in axes.get_xticklabels()]
    assert labels == [name.replace("_", " ") for name in classes]
    again = outcome_plot(batch.summary())  # a summary dict (e.g. summary.json) works too
    assert [p.get_height() for p in again.axes[0].patches] == [p.get_height() for p in axes.patches]


# --- files, state -----------------------------------------------------------------------------


def test_figure_bytes_png_and_svg_are_reproducible(scenario: Scenario) -> None:
    png = figure_bytes(zopa_plot(scenario), "png")
    assert png.startswith(b"\x89PNG") and png == figure_bytes(zopa_plot(scenario), "png")
    svg = figure_bytes(zopa_plot(scenario), "svg")
    assert b"<svg" in svg[:2000] and svg == figure_bytes(zopa_plot(scenario), "svg")


def test_figures_leave_pyplot_alone(scenario: Scenario, seed1: RunResult) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for figure in (concession_plot(seed1), zopa_plot(scenario), escalation_plot(seed1)):
        assert figure.canvas.__class__.__name__ == "FigureCanvasAgg"
    assert plt.get_fignums() == before


def test_sim_plot_writes_files_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "figures"
    args = ["plot", str(BASELINE), "--seed", "1", "--out", str(out)]
    code, stdout, err = call(args, capsys)
    assert code == 0, err
    names = [
        "january_2022_seed1_concession.png",
        "january_2022_zopa.png",
        "january_2022_seed1_escalation.png",
    ]
    assert stdout.splitlines() == [str(out / name) for name in names]
    assert all((out / name).read_bytes().startswith(b"\x89PNG") for name in names)
    code, stdout, err = call(args, capsys)  # same figures: nothing to refuse
    assert code == 0 and "unchanged" in err
    (out / names[2]).write_bytes(b"another figure")
    (out / names[0]).unlink()
    code, stdout, err = call(args, capsys)
    assert code == 2 and stdout == ""
    assert err.strip().splitlines() == [
        f"{out / names[2]}:1:1: exists and differs; pass --force to overwrite it"
    ]
    assert not (out / names[0]).exists()  # refused before writing anything
    code, _, _ = call([*args, "--force"], capsys)
    assert code == 0 and (out / names[2]).read_bytes().startswith(b"\x89PNG")


def test_sim_plot_one_kind_as_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, err = call(
        ["plot", str(BASELINE), "--kind", "zopa", "--format", "svg", "--out", str(tmp_path)], capsys
    )
    assert code == 0, err
    assert stdout == f"{tmp_path / 'january_2022_zopa.svg'}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["january_2022_zopa.svg"]


def test_plot_and_report_help_have_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("plot", "report"):
        code, out, _ = call([command, "--help"], capsys)
        assert code == 0 and "Example" in out and f"sim {command}" in out


def test_the_figures_page_commands_and_code_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/figures.md: its `sim` commands and its Python block run, and the quoted paths are right."""
    import shlex

    page = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    blocks = dict.fromkeys(("bash", "console", "python"), "")
    for kind, body in re.findall(r"```(\w+)\n(.*?)```", page, re.S):
        blocks[kind] += body
    scenario_path = "scenarios/january_2022.yaml"
    monkeypatch.chdir(tmp_path)
    commands = [line for line in blocks["bash"].splitlines() if line.startswith("sim ")]
    assert [shlex.split(c)[1] for c in commands] == ["plot", "report"]
    for command in commands:
        args = [str(ROOT / a) if a == scenario_path else a for a in shlex.split(command)[1:]]
        code, stdout, err = call(args, capsys)
        assert code == 0, err
        if args[0] == "plot":
            assert stdout == blocks["console"]
    assert (tmp_path / "report.html").is_file()
    code = blocks["python"].replace(f'"{scenario_path}"', repr(str(ROOT / scenario_path)))
    exec(compile(code, "docs/figures.md", "exec"), {})
    for name in ("dance.png", "zopa.svg", "report.html"):
        assert (tmp_path / name).stat().st_size > 1000
    assert (ROOT / "docs" / "img" / "january_2022_seed1_concession.png").stat().st_size < 150_000
