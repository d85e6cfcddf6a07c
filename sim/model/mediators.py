"""Mediators with stakes: a chair's own positions and the guarantees it gives (sections 7.33-7.34).

A mediator with positions leans its opening text toward its own ideal, never
tables a text that crosses its own red line, and must consent to the text like
a side at the table (it pays for what it promised). Its guarantees change the
payoffs of the parties it chairs: ``signing`` raises what any deal a party
signs in its rounds is worth to that party, ``no_deal`` moves a party's no-deal
value, ``breach_penalty`` raises another party's penalty for a detected breach.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sim.model.sides import Side
from sim.scenario.schema import Guarantee, Round, Scenario

if TYPE_CHECKING:
    from sim.model.agents import ActorAgent
    from sim.model.model import NegotiationModel


def chair_side(model: NegotiationModel, round_spec: Round, agenda: list[str]) -> Side | None:
    """The chair as a side that must consent to its own text, if it holds a stake on the agenda.

    Only its red lines bind it (its aim is ``-inf``): it tables what it can pay
    for and signs any such text.
    """
    if round_spec.mediator is None:
        return None
    chair = model.actors[round_spec.mediator]
    if not any(issue in chair.stances for issue in agenda):
        return None
    return Side(chair.actor_id, [chair], chair)


def chair_weight(chair: ActorAgent | None, issue: str) -> float:
    """The chair's weight in its opening text on an issue: its salience there (0 without a stance)."""
    if chair is None or issue not in chair.stances:
        return 0.0
    return max(chair.stances[issue].salience, 1e-6)


def promises(scenario: Scenario, kind: str) -> list[tuple[str, Guarantee]]:
    """Every guarantee of one kind, with the mediator that gives it, in scenario order."""
    return [
        (actor_id, promise)
        for actor_id, spec in scenario.actors.items()
        for promise in spec.guarantees
        if promise.kind == kind
    ]


def signing_bonus(scenario: Scenario, actor_id: str, round_id: str) -> float:
    """What the chair of ``round_id`` promised ``actor_id`` for signing a deal there."""
    round_ = next((r for r in scenario.rounds if r.id == round_id), None)
    if round_ is None or round_.mediator is None:
        return 0.0
    return sum(
        promise.by
        for giver, promise in promises(scenario, "signing")
        if giver == round_.mediator and promise.to == actor_id
    )


def earned_signing_bonus(scenario: Scenario, actor_id: str, deal_rounds: set[str]) -> float:
    """The signing promises ``actor_id`` collected: each once, if it signed in the giver's rounds."""
    total = 0.0
    for giver, promise in promises(scenario, "signing"):
        signed = any(
            r.id in deal_rounds and r.mediator == giver and actor_id in seated(scenario, r)
            for r in scenario.rounds
        )
        if promise.to == actor_id and signed:
            total += promise.by
    return total


def seated(scenario: Scenario, round_: Round) -> set[str]:
    """The actors sitting at a round (members of the blocs at it included)."""
    return {a for side in round_.participants for a in scenario.side_members(side)}


def no_deal_promises(scenario: Scenario) -> list[tuple[str, dt.date, float, str]]:
    """Each ``no_deal`` guarantee as a dated change: (party, date, by, why).

    It takes effect on the date of the first round its giver chairs.
    """
    changes = []
    for giver, promise in promises(scenario, "no_deal"):
        date = min(r.date for r in scenario.rounds if r.mediator == giver)
        source = f" [{promise.source}]" if promise.source else ""
        changes.append((promise.to, date, promise.by, f"a guarantee by {giver}{source}"))
    return changes


def penalty_bonus(scenario: Scenario, breacher: str, holders: set[str]) -> float:
    """What guarantees add to ``breacher``'s penalty for breaching a term ``holders`` hold."""
    return sum(
        promise.by
        for _, promise in promises(scenario, "breach_penalty")
        if promise.against == breacher and promise.to in holders
    )
