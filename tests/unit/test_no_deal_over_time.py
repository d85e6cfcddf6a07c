"""A no-deal value that changes with time: dated changes (a truce expiring) and rungs' upkeep.

Consistency tests of the engine against the rules docs/model.md states: a
dated change moves an actor's no-deal value from its date on; a rung's upkeep
lowers its user's no-deal value by ``upkeep * days`` while it stands on the
rung; both lower its reservation, so a deal comes once the zone of agreement
opens, and a climber weighs the upkeep it would pay over the days left.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from builders import actor, build, one_round, position

import sim
from sim.analysis.no_deal import no_deal_value
from sim.model.model import NegotiationModel

WEEKS = 6


def weekly_rounds() -> list[dict[str, Any]]:
    start = dt.date(2024, 1, 1)
    return [
        one_round(
            ["a", "b"],
            ["x"],
            hours=1,
            round_id=f"week{k + 1}",
            date=(start + dt.timedelta(days=7 * k)).isoformat(),
        )
        for k in range(WEEKS)
    ]


def interim(expires: str | None, by: float = -0.4) -> sim.Scenario:
    """A holds an interim arrangement worth 0.8 to it; B concedes at most 70 of 100.

    While the arrangement lasts A's reservation (0.8, i.e. x >= 80) is beyond
    B's red line: no zone of agreement. Once it expires A's no-deal value is
    0.4 and any x in [40, 70] beats no deal for both.
    """
    a = actor("A", {"x": position(100, 0)}, no_deal=0.8, strategy={"kind": "strategic"})
    if expires is not None:
        a["no_deal_changes"] = [{"on": expires, "by": by, "why": "the interim arrangement expires"}]
    b = actor("B", {"x": position(0, 70)}, no_deal=0.0, strategy={"kind": "strategic"})
    return build(
        {"x": {"status_quo": 50}}, {"a": a, "b": b}, weekly_rounds(), aftermath={"days": 0}
    )


def agreed_week(scenario: sim.Scenario) -> int | None:
    agreement = sim.run(scenario, seed=1).outcome.agreed["x"]
    return None if agreement is None else int(agreement.round.removeprefix("week"))


def test_without_a_change_the_interim_arrangement_beats_every_deal() -> None:
    assert agreed_week(interim(None)) is None


@pytest.mark.parametrize(("expires", "week"), [("2024-01-08", 2), ("2024-01-20", 4)])
def test_a_deal_comes_in_the_first_round_after_the_arrangement_expires(
    expires: str, week: int
) -> None:
    assert agreed_week(interim(expires)) == week


def test_the_transcript_announces_the_change_on_its_date() -> None:
    result = sim.run(interim("2024-01-20"), seed=1)
    changes = [e for e in result.transcript if e.kind == "no_deal_change"]
    assert [e.round for e in changes] == ["week4"]
    assert changes[0].text == (
        "a's no-deal value falls by 0.40 from 2024-01-20: the interim arrangement expires"
    )


def test_the_analysis_counts_a_change_made_before_the_last_round() -> None:
    assert no_deal_value(interim(None), "a", ["x"]) == pytest.approx(0.8)
    assert no_deal_value(interim("2024-01-20"), "a", ["x"]) == pytest.approx(0.4)
    assert no_deal_value(interim("2024-12-31"), "a", ["x"]) == pytest.approx(0.8)


def standoff(upkeep: float) -> sim.Scenario:
    """As :func:`interim`, with A able to mass forces (pressure on B) at a daily upkeep."""
    a = actor(
        "A",
        {"x": position(100, 0)},
        no_deal=0.8,
        risk_acceptance=0.8,
        strategy={"kind": "strategic"},
        escalation=["mass_forces"],
    )
    b = actor("B", {"x": position(0, 70)}, no_deal=0.0, strategy={"kind": "strategic"})
    return build(
        {"x": {"status_quo": 50}},
        {"a": a, "b": b},
        weekly_rounds(),
        escalation_ladder={"mass_forces": {"severity": 5, "pressure": 0.3, "upkeep": upkeep}},
        aftermath={"days": 0},
    )


def test_upkeep_lowers_the_no_deal_value_by_the_day_while_the_rung_stands() -> None:
    model = NegotiationModel(standoff(0.004), rng=1)
    a = model.actors["a"]
    while model.today() < dt.date(2024, 1, 15):
        model.step()
    assert [e.round for e in model.events if e.kind == "escalate"] == ["week1:home"]
    assert a.no_deal_value(model.state) == pytest.approx(0.8 - 0.004 * 14)
    a.step_down("test")  # the upkeep stops; what was paid stays paid
    assert a.no_deal_value(model.state) == pytest.approx(0.8 - 0.004 * 14)
    while model.today() < dt.date(2024, 1, 22):
        model.step()
    # It climbed again after week 3 (day 14): 14 days paid, then 7 more on the new climb.
    assert [e.round for e in model.events if e.kind == "escalate"] == ["week1:home", "week3:home"]
    assert a.no_deal_value(model.state) == pytest.approx(0.8 - 0.004 * 14 - 0.004 * 7)


@pytest.mark.parametrize("upkeep", [0.004, 0.008])
def test_upkeep_paid_opens_the_zone_of_agreement_and_sooner_when_dearer(upkeep: float) -> None:
    # A's no-deal value 0.8 - upkeep * t reaches 0.7 (B's red line) on day 0.1 / upkeep.
    day = 0.1 / upkeep
    expected = int(-(-day // 7)) + 1
    assert agreed_week(standoff(upkeep)) == expected


def test_without_upkeep_the_standoff_never_ends_in_a_deal() -> None:
    result = sim.run(standoff(0.0), seed=1)
    assert result.outcome.highest_rung["a"] == "mass_forces"
    assert result.outcome.agreed["x"] is None


def test_a_climber_prices_in_the_upkeep_over_the_days_left() -> None:
    """Loss = (1 - rho) * upkeep * days left: 0.2 * 0.05 * 35 after week 1, beyond the gain 0.12."""
    result = sim.run(standoff(0.05), seed=1)
    first = next(e for e in result.transcript if e.kind in ("hold", "escalate") and e.actor == "a")
    assert first.round == "week1:home"
    assert first.text == "a holds below 'mass_forces': gain 0.120 ≤ cost and risk 0.350"
    climbs = [e.round for e in result.transcript if e.kind == "escalate"]
    # Dear upkeep is worth paying only for the last week: 0.2 * 0.05 * 7 < 0.12.
    assert climbs == ["week5:home"]
