"""Pressure acts at the table: it lowers the target's reservation, so the target concedes.

The status quo (90) is worth 0.9 to B, so no split it could get beats no deal
for it. Between the rounds A climbs a rung that puts pressure 0.5 on B (a
cost of no deal); in the second round B's reservation has fallen to 0.4 and
it accepts A's last offer, a split at 40 (A proposes last). Without the rung's pressure nothing is agreed. Consistency test of the model against the
mechanism docs/model.md (7.4, 7.13) describes.
"""

from __future__ import annotations

import pytest
from builders import actor, build, one_round, position

import sim


def squeeze(pressure: float) -> sim.Scenario:
    return build(
        {"x": {"status_quo": 90}},
        {
            "a": actor(
                "A",
                {"x": position(0, 100)},
                strategy={"kind": "strategic"},
                risk_acceptance=0.9,
                escalation=["squeeze"],
            ),
            "b": actor("B", {"x": position(100, 30)}, strategy={"kind": "strategic"}),
        },
        [
            one_round(["a", "b"], ["x"], round_id="first", date="2022-01-10", first_proposer="b"),
            one_round(["a", "b"], ["x"], round_id="second", date="2022-01-17", first_proposer="b"),
        ],
        escalation_ladder={"squeeze": {"severity": 5, "pressure": pressure}},
    )


def test_pressure_makes_the_target_accept_what_it_refused() -> None:
    outcome = sim.run(squeeze(0.5), seed=1).outcome
    agreement = outcome.agreed["x"]
    assert agreement is not None and agreement.round == "second"
    assert 30 <= agreement.position < 90  # inside B's red line, and a real concession
    assert agreement.position == pytest.approx(40, abs=0.5)  # B's reservation: 0.9 - 0.5


def test_without_pressure_nothing_is_agreed() -> None:
    assert sim.run(squeeze(0.0), seed=1).outcome.agreed["x"] is None
