"""Ratification: a signed deal passes a domestic veto player's judgement, or is void.

Consistency tests of the rule docs/model.md (section 7.30) states. A and B
negotiate x (A wants it low, B high); walking away is worth 0.4 to each, so
any x in [40, 60] suits both, and A and B, conceding linearly over ten
exchanges, settle near the middle. A's parliament accepts only x <= 45.
"""

from __future__ import annotations

import pytest
from builders import actor, build, one_round, position
from pydantic import ValidationError

import sim


def talks(stage: str | None, rounds: int = 1) -> sim.Scenario:
    actors = {
        "a": actor("A", {"x": position(0, 60)}, no_deal=0.4, strategy={"kind": "linear"}),
        "b": actor("B", {"x": position(100, 40)}, no_deal=0.4, strategy={"kind": "linear"}),
        "parliament": actor("A's parliament", {"x": position(0, 45)}),
    }
    schedule = [
        one_round(["a", "b"], ["x"], hours=5, round_id=f"r{k}", date=f"2022-01-{10 + k}")
        for k in range(rounds)
    ]
    vetoes = []
    if stage is not None:
        vetoes = [{"holder": "parliament", "issues": ["x"], "binds": ["a"], "stage": stage}]
    return build({"x": {"status_quo": 50}}, actors, schedule, vetoes=vetoes)


def test_without_a_ratifier_the_negotiators_split_the_range() -> None:
    agreed = sim.run(talks(None), seed=1).outcome.agreed["x"]
    assert agreed is not None and agreed.position > 45


def test_a_ratifier_with_a_narrower_win_set_blocks_the_deal_the_negotiators_signed() -> None:
    result = sim.run(talks("ratification"), seed=1)
    accepted = [e for e in result.transcript if e.kind == "accept"]
    assert accepted and accepted[0].package["x"] > 45  # signed at the table
    assert result.outcome.agreed["x"] is None  # and void at home
    lines = [e.text for e in result.transcript if e.kind == "ratification"]
    assert lines and "signed but not ratified: parliament refuses to ratify" in lines[0]
    assert result.outcome.outcome_class == "deadlock"
    assert result.outcome.reason.endswith("signed but not ratified: x")


def test_a_veto_at_the_table_is_respected_before_signature() -> None:
    agreed = sim.run(talks("table"), seed=1).outcome.agreed["x"]
    assert agreed is not None and 40 <= agreed.position <= 45


def test_after_a_refusal_the_negotiators_respect_the_ratifier() -> None:
    """The refusal shows the parliament's win-set: the next round's deal lies inside it."""
    result = sim.run(talks("ratification", rounds=2), seed=1)
    agreed = result.outcome.agreed["x"]
    assert agreed is not None and agreed.round == "r1" and agreed.position <= 45
    assert [
        e.text.split(" ratified by ")[-1] for e in result.transcript if e.kind == "ratification"
    ][-1] == "parliament"


def test_a_ratifier_needs_a_position_on_what_it_ratifies() -> None:
    actors = {
        "a": actor("A", {"x": position(0, 60)}),
        "b": actor("B", {"x": position(100, 40)}),
        "parliament": actor("Parliament", {}),
    }
    veto = {"holder": "parliament", "issues": ["x"], "binds": ["a"], "stage": "ratification"}
    with pytest.raises(ValidationError, match="ratifier 'parliament' holds no position on 'x'"):
        build({"x": {"status_quo": 50}}, actors, vetoes=[veto])
