"""Walking out: a strategic actor leaves when it sees no deal, and the others learn from it.

Consistency tests of the rule docs/model.md (section 7.29) states: a strategic
speaker with ``walk_out`` leaves an alternating-offers round at its turn when,
in its belief, no type of the other side accepts even its most generous offer
worth its reservation; every other party then treats the walker's types for
which its own red line would have been worth their reservation as unlikely.
"""

from __future__ import annotations

import pytest
from builders import actor, build, one_round, position
from pydantic import ValidationError

import sim
from sim.model.beliefs import TREMBLE
from sim.model.model import NegotiationModel

A_LINE = {"dist": "uniform", "low": 50, "high": 90}
"""A's red line on x: the least share it takes, private."""

A_VIEW_OF_B = {"dist": "uniform", "low": 20, "high": 45}
"""A's own prior on B's red line: B never gives more than 45, below every type of A."""


def talks(walk_out: bool, b_line: float) -> sim.Scenario:
    a = actor(
        "A",
        {"x": position(100, A_LINE)},
        no_deal=0.0,
        strategy={"kind": "strategic", "walk_out": walk_out},
        beliefs={"b": {"red_lines": {"x": A_VIEW_OF_B}}},
    )
    b = actor("B", {"x": position(0, b_line)}, no_deal=0.0, strategy={"kind": "strategic"})
    return build(
        {"x": {"status_quo": 50}}, {"a": a, "b": b}, [one_round(["a", "b"], ["x"], hours=3)]
    )


def test_a_walk_out_ends_the_round_before_any_offer() -> None:
    result = sim.run(talks(True, 60), seed=3)
    kinds = [e.kind for e in result.transcript]
    assert kinds[1] == "walk_out" and "offer" not in kinds
    assert result.outcome.outcome_class == "deadlock"


def test_the_others_read_a_walk_out_as_demands_beyond_their_red_line() -> None:
    """B's red line is 60: the types of A whose red line lies above 60 walk out, the rest tremble.

    B's prior on A's red line is 64 quantiles of U[50, 90] at levels k/63.
    """
    model = NegotiationModel(talks(True, 60), rng=3)
    while not any(e.kind == "walk_out" for e in model.events):
        model.step()
    lines = [50 + 40 * k / 63 for k in range(64)]
    weights = [1.0 if line > 60 else TREMBLE for line in lines]
    expected = sum(w * line for w, line in zip(weights, lines, strict=True)) / sum(weights)
    assert model.actors["b"].beliefs["a"].mean("red_line.x", 0) == pytest.approx(expected)
    assert expected > 70  # the prior mean


def test_walking_out_on_a_wrong_belief_forgoes_a_deal_that_was_there() -> None:
    """B would in truth give up to 85: staying, A reaches a deal; walking out, it does not."""
    stays = sim.run(talks(False, 85), seed=3)
    walks = sim.run(talks(True, 85), seed=3)
    assert stays.outcome.outcome_class == "agreement"
    assert walks.outcome.outcome_class == "deadlock"
    assert any(e.kind == "walk_out" for e in walks.transcript)


def test_walk_out_needs_the_strategic_kind() -> None:
    a = actor("A", {"x": position(100, 60)}, strategy={"kind": "linear", "walk_out": True})
    b = actor("B", {"x": position(0, 40)})
    with pytest.raises(ValidationError, match="walk_out: applies to strategic, not linear"):
        build({"x": {"status_quo": 50}}, {"a": a, "b": b})
