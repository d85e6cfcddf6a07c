"""An audience cost nothing could use is refused, with the line and column it was written at.

The engine reads ``mandate.audience_cost`` only when a principal revises its
mandate (``soften`` above 0) after its own public escalation (a rung climbed),
model sections 7.17 and 7.38. Anywhere else the field would be ignored, which
validation must say rather than accept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.scenario.loader import load_scenario_text

SCENARIO = """\
schema_version: 1
name: Audience cost
issues:
  x: {status_quo: 50}
actors:
  a:
    name: A
    escalation: [warning]
    mandate: {soften: 0.5, audience_cost: 0.3}
    positions: {x: {ideal: 0, red_line: 60}}
  b:
    name: B
    positions: {x: {ideal: 100, red_line: 40}}
escalation_ladder:
  warning: {severity: 1, pressure: 0.05}
rounds:
  - {id: r1, venue: V, date: 2020-01-01, participants: [a, b], protocol: alternating_offers, agenda: [x], hours: 2}
  - {id: r2, venue: V, date: 2020-01-08, participants: [a, b], protocol: alternating_offers, agenda: [x], hours: 2}
"""


def validate(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "talks.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        main(["validate", str(path)])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    return code, err.replace(str(path), "talks.yaml")


def test_an_audience_cost_with_a_revised_mandate_and_rungs_is_valid(tmp_path, capsys) -> None:
    assert validate(SCENARIO, tmp_path, capsys) == (0, "")


def test_an_audience_cost_under_a_fixed_mandate_is_refused(tmp_path, capsys) -> None:
    text = SCENARIO.replace("{soften: 0.5, audience_cost: 0.3}", "{soften: 0, audience_cost: 0.3}")
    assert validate(text, tmp_path, capsys) == (
        2,
        "talks.yaml:9:41: actors.a.mandate.audience_cost: its principal never revises the "
        "mandate (soften 0), so nothing uses an audience cost (allowed: 0, or mandate.soften "
        "above 0)\n",
    )


def test_an_audience_cost_without_rungs_is_refused(tmp_path, capsys) -> None:
    text = SCENARIO.replace("    escalation: [warning]\n", "")
    assert validate(text, tmp_path, capsys) == (
        2,
        "talks.yaml:8:43: actors.a.mandate.audience_cost: an audience cost is paid for backing "
        "down after its own public escalation, and it has no escalation rungs (allowed: 0, or "
        "escalation rungs)\n",
    )


def test_a_soften_that_may_be_drawn_above_zero_allows_an_audience_cost() -> None:
    text = SCENARIO.replace("soften: 0.5", "soften: {dist: uniform, low: 0, high: 0.4}")
    scenario = load_scenario_text(text)
    assert scenario.actors["a"].mandate.audience_cost == 0.3


def test_an_override_cannot_make_an_audience_cost_idle() -> None:
    scenario = load_scenario_text(SCENARIO)
    with pytest.raises(sim.UserError, match="actors.a.mandate.audience_cost: its principal"):
        scenario.with_overrides({"actors.a.mandate.soften": 0.0})
