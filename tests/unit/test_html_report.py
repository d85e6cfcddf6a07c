"""The HTML report (sim.viz.report) and `sim report`: self-contained, escaped, complete."""

from __future__ import annotations

import base64
import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from builders import call

import sim
from sim.batch.result import BatchResult
from sim.model.outcome import RunResult
from sim.model.transcript import Event
from sim.scenario.schema import Scenario
from sim.viz.report import html_report

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
DATA_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return sim.load_scenario(BASELINE)


@pytest.fixture(scope="module")
def seed1(scenario: Scenario) -> RunResult:
    return sim.run(scenario, seed=1)


@pytest.fixture(scope="module")
def batch(scenario: Scenario) -> BatchResult:
    return sim.run_batch(scenario, runs=10, seed=1)


@pytest.fixture(scope="module")
def report(scenario: Scenario, seed1: RunResult, batch: BatchResult) -> str:
    return html_report(scenario, seed1, batch=batch)


class Tags(HTMLParser):
    """Collects start tags and their attributes, and checks that tags nest."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def parse(text: str) -> Tags:
    tags = Tags()
    tags.feed(text)
    tags.close()
    assert tags.stack == []
    return tags


def test_one_self_contained_document(report: str) -> None:
    assert report.startswith("<!DOCTYPE html>") and report.rstrip().endswith("</html>")
    assert report.count("<html") == 1 and report.count("<body") == 1
    tags = parse(report)
    names = {tag for tag, _ in tags.tags}
    assert not names & {"script", "link", "iframe", "object", "embed"}
    for tag, attrs in tags.tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("data:image/png;base64,", "#")), (tag, value[:40])
    assert "http" not in DATA_URI.sub("", report)
    assert "<style>" in report  # inline CSS


def test_embedded_figures_are_pngs(report: str, scenario: Scenario, seed1: RunResult) -> None:
    images = DATA_URI.findall(report)
    assert len(images) == 4  # concession, escalation, ZOPA, batch outcome
    assert all(base64.b64decode(data).startswith(b"\x89PNG") for data in images)
    assert len(DATA_URI.findall(html_report(scenario, seed1))) == 3  # no batch, no outcome figure


def test_venues_dates_outcome_analysis_and_batch(report: str, batch: BatchResult) -> None:
    for venue, date in (
        ("Geneva", "2022-01-10"),
        ("Brussels", "2022-01-12"),
        ("Vienna", "2022-01-13"),
    ):
        assert venue in report and date in report
        assert f"<summary>{venue}, {date}" in report  # a transcript group per round
    assert "January 2022 security talks" in report
    assert "NATO and Russia deadlock after talks in Brussels" in report  # a source
    assert (
        '<span class="badge c-talks_continue">TALKS CONTINUE</span>' in report
    )  # seed 1's outcome
    assert "Zone of possible agreement per issue" in report
    assert '<span class="no">no ZOPA</span>' in report and '<span class="yes">ZOPA</span>' in report
    assert "Predicted outcome" in report
    assert "Batch summary" in report and f"{batch.runs} runs, batch seed 1" in report
    assert "Between rounds: delegations return home (geneva)" in report
    assert "Aftermath" in report


def test_text_is_escaped(scenario: Scenario, seed1: RunResult) -> None:
    hostile = "<script>alert('x')</script> & <i onclick=1>"
    named = scenario.model_copy(update={"name": hostile})
    event = Event("2022-01-14", "aftermath", 0, "hold", "russia", f"russia says {hostile}")
    result = dataclasses.replace(seed1, transcript=[*seed1.transcript, event])
    text = html_report(named, result)
    assert "<script>" not in text and "<i onclick" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;i onclick=1&gt;" in text
    assert "russia says &lt;script&gt;" in text
    parse(text)


def test_same_inputs_same_report(scenario: Scenario, seed1: RunResult) -> None:
    assert html_report(scenario, seed1) == html_report(scenario, seed1)


def test_sim_report_writes_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    code, stdout, err = call(["report", str(BASELINE), "--seed", "1", "--out", str(out)], capsys)
    assert code == 0, err
    assert stdout == f"{out}\n"
    first = out.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and "TALKS CONTINUE" in first
    assert len(DATA_URI.findall(first)) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left behind
    args = ["report", str(BASELINE), "--seed", "3", "--runs", "4", "--out", str(out)]
    code, stdout, err = call(args, capsys)
    assert code == 2 and stdout == ""
    assert err == f"{out}:1:1: exists and differs; pass --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == first
    code, _, err = call([*args, "--force"], capsys)
    assert code == 0, err
    second = out.read_text(encoding="utf-8")
    assert "Batch summary" in second and len(DATA_URI.findall(second)) == 4


def test_sim_report_needs_an_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "report.html"
    code, _, err = call(["report", str(BASELINE), "--out", str(out)], capsys)
    assert code == 2 and "does not exist" in err and len(err.strip().splitlines()) == 1
