"""A war under way when the talks open: no deal means the war goes on; a ceasefire ends it.

Consistency tests of the rule docs/model.md (section 7.32) states. A fights B
with win probability 0.6 at a cost of 0.1 (its war is worth 0.5 to it, risk
neutral); B's war outcome is 1 - 0.6 - 0.1 = 0.3. On the armistice line
(A's share) A takes at least 50 and B gives at most 70: a zone. If B believes
A's chances are only 0.3, B expects 0.6 from fighting on, gives at most 40,
and no line beats war for both.
"""

from __future__ import annotations

import pytest
from builders import actor, build, one_round, position
from pydantic import ValidationError

import sim


def war_under_way(b_believes: float | None = None) -> sim.Scenario:
    a = actor("A", {"line": position(100, 0)}, strategy={"kind": "strategic"})
    a["war"] = {"against": "b", "win_probability": 0.6, "cost": 0.1, "ongoing": True}
    b = actor("B", {"line": position(0, 100)}, strategy={"kind": "strategic"})
    b["war"] = {"against": "a", "win_probability": 0.4, "cost": 0.1}
    if b_believes is not None:
        b["beliefs"] = {"a": {"win_probability": b_believes}}
    issues = {"line": {"status_quo": 50, "ceasefire": True}}
    return build(issues, {"a": a, "b": b}, [one_round(["a", "b"], ["line"], hours=2)])


def test_a_ceasefire_inside_the_zone_ends_the_war() -> None:
    result = sim.run(war_under_way(), seed=1)
    line = result.outcome.agreed["line"]
    assert line is not None and 50 - 1e-6 <= line.position <= 70 + 1e-6
    assert result.outcome.outcome_class == "agreement" and result.outcome.war is None
    assert result.outcome.reason.endswith("a ceasefire agreed in r ended the war under way")
    kinds = [e.kind for e in result.transcript]
    assert kinds.index("fighting") < kinds.index("ceasefire")


def test_without_a_zone_the_war_goes_on() -> None:
    result = sim.run(war_under_way(b_believes=0.3), seed=1)
    assert result.outcome.agreed["line"] is None
    assert result.outcome.outcome_class == "war"
    assert result.outcome.war is not None and result.outcome.war.cause == "ongoing"
    assert result.outcome.utilities["a"] == pytest.approx(0.6 - 0.1)
    assert result.outcome.utilities["b"] == pytest.approx(1 - 0.6 - 0.1)


def test_a_ceasefire_issue_needs_a_war_under_way_and_the_war_a_ceasefire_issue() -> None:
    a = actor("A", {"line": position(100, 0)})
    b = actor("B", {"line": position(0, 100)})
    with pytest.raises(ValidationError, match="issues.line.ceasefire: no war is under way"):
        build({"line": {"status_quo": 50, "ceasefire": True}}, {"a": a, "b": b})
    a["war"] = {"against": "b", "cost": 0.1, "ongoing": True}
    with pytest.raises(ValidationError, match="no round's agenda holds a ceasefire issue"):
        build({"line": {"status_quo": 50}}, {"a": a, "b": b})


def test_the_analysis_predicts_what_the_runs_do() -> None:
    from sim.analysis import analyze

    assert analyze(war_under_way()).predicted_class == "agreement"
    assert analyze(war_under_way(b_believes=0.3)).predicted_class == "war"
