"""Implementation: a party breaks an agreed term when breaching beats complying.

Consistency tests of the rule docs/model.md (section 7.31) states. A and B
settle x; A signed because walking away was worth only 0.2 to it, while the
status quo x = 50 is worth 0.5. Once signed, leaving x where it stood gains A
``0.5 - U_A(agreed x)``; with risk acceptance 0.5 it breaches when that gain
exceeds ``detection * penalty``.
"""

from __future__ import annotations

import pytest
from builders import actor, build, one_round, position
from pydantic import ValidationError

import sim


def deal(detection: float | None = None, verified: bool = False) -> sim.Scenario:
    a = actor("A", {"x": position(0, 80)}, no_deal=0.2, breach={"penalty": 0.5})
    b = actor("B", {"x": position(100, 60)}, no_deal=0.2)
    issues: dict = {"x": {"status_quo": 50}}
    agenda = ["x"]
    if detection is not None:
        issues["x"]["detection"] = detection
    if verified:
        issues["x"]["verified_by"] = "inspections"
        issues["inspections"] = {"status_quo": 0}
        b["positions"]["inspections"] = position(100, 100)
        a["positions"]["inspections"] = position(0, 100, salience=0.01)
        agenda = ["x", "inspections"]
    return build(issues, {"a": a, "b": b}, [one_round(["a", "b"], agenda, hours=5)])


def test_a_cheap_breach_without_verification_is_taken() -> None:
    result = sim.run(deal(detection=0.0), seed=1)
    agreed = result.outcome.agreed["x"]
    assert agreed is not None and agreed.position > 60  # signed
    breaches = [e.text for e in result.transcript if e.kind == "breach"]
    assert len(breaches) == 1 and breaches[0].startswith("a breaches x (left at 50)")
    assert result.outcome.reason.endswith("breached: x by a (not detected)")


def test_with_verification_the_same_breach_is_not_worth_it() -> None:
    result = sim.run(deal(detection=1.0), seed=1)
    gain = 0.5 - (1 - result.outcome.agreed["x"].position / 100)
    assert 0 < gain < 0.5  # the expected penalty is detection * penalty = 0.5
    breaches = [e.text for e in result.transcript if e.kind == "breach"]
    assert breaches == [
        f"a keeps its word on x: gain {gain:.2f} ≤ expected penalty 0.50 (detection 1.00)"
    ]
    assert "breached" not in result.outcome.reason


def test_verification_can_be_negotiated_as_an_issue() -> None:
    """x verified by an inspections issue agreed at 100: detection 1, so A complies."""
    result = sim.run(deal(verified=True), seed=1)
    assert result.outcome.agreed["inspections"].position == pytest.approx(100)
    verdicts = {e.text.split(":")[0] for e in result.transcript if e.kind == "breach"}
    assert verdicts == {"a keeps its word on x", "a keeps its word on inspections"}


def test_detection_without_anyone_who_may_breach_is_refused() -> None:
    a = actor("A", {"x": position(0, 80)})
    b = actor("B", {"x": position(100, 60)})
    with pytest.raises(ValidationError, match="issues.x.detection: no actor may breach"):
        build({"x": {"status_quo": 50, "detection": 0.5}}, {"a": a, "b": b})
