"""The ``expected_utility`` protocol: Bueno de Mesquita's model played round by round.

Each exchange of the round is one round of the expected-utility model
(:mod:`sim.analysis.expected_utility`, after Scholz, Calbert & Smith 2011) on
each agenda issue, with the actors' realised capabilities and saliences: actors
challenge, compromise or capitulate and move. The model forecasts the group's
decision as the capability-and-salience weighted median position at the end,
which the run records as the agreed position where it lies inside every
participant's red line (and as a forecast only, not agreed, where it does not).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sim.analysis.expected_utility import bdm_round
from sim.scenario.schema import Round

if TYPE_CHECKING:
    from sim.model.model import NegotiationModel


def expected_utility(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    """Play one model round per exchange on every open agenda issue; agree the final medians."""
    members = [
        model.actors[m] for side in round_spec.participants for m in model.spec.side_members(side)
    ]
    agenda = model.open_agenda(round_spec.agenda)
    players = {issue: [a for a in members if issue in a.stances] for issue in agenda}
    positions = {issue: [a.stances[issue].ideal for a in players[issue]] for issue in agenda}
    start: dict[str, object] = {"round": 0}
    history: list[dict[str, object]] = []
    medians: dict[str, float] = {}
    for exchange in range(1, round_spec.exchanges + 1):
        row: dict[str, object] = {"round": exchange}
        for issue in agenda:
            actors = players[issue]
            if len(actors) < 2:
                continue
            result = bdm_round(
                positions[issue],
                [a.capability for a in actors],
                [a.stances[issue].salience for a in actors],
                model.issue_specs[issue].scale,
                names=[a.actor_id for a in actors],
            )
            if exchange == 1:
                start[f"{issue}.median"] = result.median
                start[f"{issue}.mean"] = result.mean
            positions[issue] = list(result.new_positions)
            medians[issue] = result.new_median
            row[f"{issue}.median"] = round(result.new_median, 6)
            row[f"{issue}.mean"] = round(result.new_mean, 6)
            moved = sum(1 for offer in result.accepted if offer is not None)
            model.record(
                "offer",
                "",
                f"model round {exchange} on {issue}: median {result.new_median:.2f}, "
                f"mean {result.new_mean:.2f} ({moved} actors moved)",
                exchange=exchange,
            )
        history.append(row)
        yield
    model.forecasts[round_spec.id] = [start, *history] if len(start) > 1 else history
    # Veto holders absent from the table must accept too, on the issues they hold.
    vetoers = [
        (vetoer, vetoed)
        for side in round_spec.participants
        for vetoer, vetoed in model.make_side(side).vetoers
    ]
    acceptable = {}
    for issue, position in medians.items():
        judges = players[issue] + [
            v for v, vetoed in vetoers if issue in vetoed and issue in v.stances
        ]
        crossing = [
            f"{a.actor_id} ({a.stances[issue].crossing(position)})"
            for a in dict.fromkeys(judges)
            if not a.stances[issue].acceptable(position)
        ]
        if crossing:
            model.record(
                "reject",
                "",
                f"forecast {issue} {position:.2f} is not agreed: it crosses the red line of "
                + ", ".join(crossing),
            )
        else:
            acceptable[issue] = position
    if acceptable:
        model.agree(acceptable, round_spec.id, round_spec.exchanges)
        model.record(
            "accept",
            "",
            "forecast decision at the median, inside every red line: "
            + ", ".join(f"{issue} {position:.2f}" for issue, position in acceptable.items()),
            acceptable,
        )
    model.record("agreement", "", f"{round_spec.venue}: the expected-utility model has run")
