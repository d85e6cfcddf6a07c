"""A concession schedule over the whole process: deals that take several rounds can emerge.

With ``deadline: round`` a time-dependent negotiator reaches its floor at the
end of every round, so any zone of agreement closes in the first round; with
``deadline: process`` it concedes over every round it takes part in.
"""

from __future__ import annotations

import pytest
from builders import actor, build, one_round, position

import sim


def three_rounds(deadline: str) -> sim.Scenario:
    strategy = {"kind": "boulware", "exponent": 0.5, "deadline": deadline}
    return build(
        {"x": {"status_quo": 50}},
        {
            "a": actor("A", {"x": position(0, 60)}, strategy=strategy),
            "b": actor("B", {"x": position(100, 40)}, strategy=strategy),
        },
        [
            one_round(["a", "b"], ["x"], hours=2, round_id=f"r{k}", date=f"2022-01-1{k}")
            for k in range(3)
        ],
    )


def agreed_round(deadline: str) -> str | None:
    agreement = sim.run(three_rounds(deadline), seed=1).outcome.agreed["x"]
    return agreement.round if agreement else None


def test_a_round_deadline_closes_the_deal_in_the_first_round() -> None:
    assert agreed_round("round") == "r0"


def test_a_process_deadline_spreads_the_concessions_over_the_rounds() -> None:
    assert agreed_round("process") in ("r1", "r2")


def test_process_deadline_is_refused_for_a_strategy_without_a_schedule() -> None:
    with pytest.raises(ValueError, match="deadline: 'process' applies to boulware"):
        sim.Scenario.model_validate(
            {
                "schema_version": 1,
                "name": "t",
                "issues": {"x": {"status_quo": 50}},
                "actors": {
                    "a": {"name": "A", "strategy": {"kind": "strategic", "deadline": "process"}},
                    "b": {"name": "B"},
                },
                "rounds": [
                    {
                        "id": "r",
                        "venue": "V",
                        "date": "2022-01-10",
                        "participants": ["a", "b"],
                        "protocol": "alternating_offers",
                        "agenda": ["x"],
                        "hours": 1,
                    }
                ],
            }
        )
