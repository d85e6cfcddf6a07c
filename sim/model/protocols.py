"""Negotiation protocols: how one round is played, exchange by exchange.

Each protocol is a generator over the model: it yields after every exchange so
the Mesa model can be stepped one exchange at a time (the classroom page does),
and it reports agreements through ``model.agree``.

- ``alternating_offers``: Rubinstein/Ståhl; two sides propose in turn, the other
  accepts or rejects (accepting an offer worth at least its own next target).
- ``mediated``: a chair proposes a single negotiating text; all sides must accept;
  the chair amends the text toward the ideals of those who reject it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from sim.model.offers import IssueSpace
from sim.model.sides import Side
from sim.model.utility import package_utility
from sim.scenario.schema import Round

if TYPE_CHECKING:
    from sim.model.model import NegotiationModel

AMENDMENT_STEP = 0.3
"""Share of the distance a mediator moves an issue toward those who reject it."""


def describe(package: Mapping[str, float], model: NegotiationModel) -> str:
    """A package in words: 'enlargement 70 (open door), missiles 40'."""
    parts = []
    for issue, position in package.items():
        spec = model.issue_specs[issue]
        label = spec.label(position) if spec.labels else ""
        parts.append(f"{issue} {position:.0f}" + (f" ({label})" if label else ""))
    return ", ".join(parts)


def _thresholds(
    model: NegotiationModel,
    side: Side,
    spaces: Mapping[str, IssueSpace],
    exchange: int,
    deadline: int,
    agenda: list[str],
    received: list[dict[str, float]],
    opponent_discount: float,
    other: Side | None = None,
) -> dict[str, float]:
    """Each member's acceptance threshold (its next target) at this exchange."""
    own_spaces = side.spaces(spaces)
    thresholds = {}
    for member in side.members:
        issues = [i for i in agenda if i in member.stances]
        concession = 0.0
        if len(received) >= 2 and issues:
            concession = package_utility(member.stances, received[-1], issues) - package_utility(
                member.stances, received[-2], issues
            )
        state = side.concession_state(
            member,
            own_spaces,
            exchange,
            deadline,
            model.batna(member, agenda),
            concession,
            opponent_discount,
            other,
        )
        thresholds[member.actor_id] = side.acceptance_threshold(member, state)
    return thresholds


def _settle(
    model: NegotiationModel,
    sides: list[Side],
    package: dict[str, float],
    thresholds: Mapping[str, Mapping[str, float]],
    agenda: list[str],
    linked: bool,
    exchange: int,
    proposer: str,
) -> tuple[list[str], dict[str, str]]:
    """Ask each deciding side; return the issues agreed and each rejecting side's reason."""
    reasons: dict[str, str] = {}
    for side in sides:
        ok, reason = side.verdict(package, thresholds[side.side_id], agenda)
        if not ok:
            reasons[side.side_id] = reason
    if not reasons:
        return list(agenda), {}
    if linked:
        return [], reasons
    agreed = []
    for issue in agenda:
        single = {issue: package[issue]}
        if all(side.verdict(single, thresholds[side.side_id], [issue])[0] for side in sides):
            agreed.append(issue)
    return agreed, reasons


def _record_verdicts(
    model: NegotiationModel,
    round_spec: Round,
    package: Mapping[str, float],
    agreed: list[str],
    reasons: Mapping[str, str],
    agenda: list[str],
    exchange: int,
    acceptor: str,
    accepts: str,
) -> list[str]:
    """Fix what was agreed, record acceptance and rejections, return the agenda still open."""
    if agreed:
        deal = {issue: package[issue] for issue in agreed}
        model.agree(deal, round_spec.id, exchange + 1)
        rest = "" if len(agreed) == len(agenda) else " (the rest stays open)"
        model.record(
            "accept", acceptor, f"{accepts} {describe(deal, model)}{rest}", deal, exchange + 1
        )
        agenda = [issue for issue in agenda if issue not in agreed]
    if agenda:
        for side_id, reason in reasons.items():
            model.record("reject", side_id, f"{side_id} rejects: {reason}", exchange=exchange + 1)
    return agenda


def alternating_offers(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    """Two sides alternate offers until one is accepted or the round runs out."""
    sides = [model.make_side(p) for p in round_spec.participants]
    if round_spec.first_proposer is not None and round_spec.first_proposer != sides[0].side_id:
        sides.reverse()
    agenda = model.open_agenda(round_spec.agenda)
    linked = any(member.linkage for side in sides for member in side.members)
    deadline = round_spec.exchanges
    received: dict[str, list[dict[str, float]]] = {side.side_id: [] for side in sides}
    for exchange in range(deadline):
        if not agenda:
            break
        proposer, responder = sides[exchange % 2], sides[1 - exchange % 2]
        spaces = model.issue_spaces(agenda)
        own = received[proposer.side_id]
        concession = 0.0
        if len(own) >= 2:
            concession = proposer.speaker.utility(own[-1], agenda) - proposer.speaker.utility(
                own[-2], agenda
            )
        state = proposer.concession_state(
            proposer.speaker,
            proposer.spaces(spaces),
            exchange,
            deadline,
            model.batna(proposer.speaker, agenda),
            concession,
            responder.speaker.discount,
            responder,
        )
        package, target = proposer.propose(responder, spaces, state)
        received[responder.side_id].append(package)
        model.record(
            "offer",
            proposer.side_id,
            f"{proposer.side_id} offers {describe(package, model)} "
            f"(worth {proposer.speaker.utility(package, agenda):.2f} to it, aim {target:.2f})",
            package,
            exchange=exchange + 1,
        )
        thresholds = {
            responder.side_id: _thresholds(
                model,
                responder,
                spaces,
                exchange,
                deadline,
                agenda,
                received[responder.side_id],
                proposer.speaker.discount,
                proposer,
            ),
            # The proposer's own side consents to its offer but is still bound by its
            # members' and vetoers' red lines (a split bloc's fallback offers may cross them).
            proposer.side_id: dict.fromkeys(
                (member.actor_id for member in proposer.members), float("-inf")
            ),
        }
        agreed, reasons = _settle(
            model,
            [responder, proposer],
            package,
            thresholds,
            agenda,
            linked,
            exchange,
            proposer.side_id,
        )
        agenda = _record_verdicts(
            model,
            round_spec,
            package,
            agreed,
            reasons,
            agenda,
            exchange,
            responder.side_id,
            f"{responder.side_id} accepts",
        )
        yield
    _close_round(model, round_spec, agenda)


def mediated(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    """A chair's single negotiating text, amended toward those who reject it."""
    sides = [model.make_side(p) for p in round_spec.participants]
    chair = round_spec.mediator or "chair"
    agenda = model.open_agenda(round_spec.agenda)
    linked = any(member.linkage for side in sides for member in side.members)
    deadline = round_spec.exchanges
    text = _opening_text(model, sides, agenda)
    history: dict[str, list[dict[str, float]]] = {side.side_id: [] for side in sides}
    for exchange in range(deadline):
        if not agenda:
            break
        spaces = model.issue_spaces(agenda)
        text = {issue: spaces[issue].snap(text[issue]) for issue in agenda}
        model.record(
            "offer",
            chair,
            f"{chair} tables a text: {describe(text, model)}",
            dict(text),
            exchange=exchange + 1,
        )
        thresholds = {}
        for side in sides:
            history[side.side_id].append(dict(text))
            thresholds[side.side_id] = _thresholds(
                model, side, spaces, exchange, deadline, agenda, history[side.side_id], 1.0
            )
        agreed, reasons = _settle(model, sides, text, thresholds, agenda, linked, exchange, chair)
        agenda = _record_verdicts(
            model, round_spec, text, agreed, reasons, agenda, exchange, "", "all sides accept"
        )
        rejecting = [side for side in sides if side.side_id in reasons]
        objections = {
            issue: [
                side
                for side in rejecting
                if not side.verdict({issue: text[issue]}, thresholds[side.side_id], [issue])[0]
            ]
            for issue in agenda
        }
        text = _amend(text, objections, rejecting, agenda, spaces)
        yield
    _close_round(model, round_spec, agenda)


def _opening_text(
    model: NegotiationModel, sides: list[Side], agenda: list[str]
) -> dict[str, float]:
    """Capability- and salience-weighted mean of the speakers' ideals."""
    text = {}
    for issue in agenda:
        total = weight = 0.0
        for side in sides:
            stance = side.speaker.stances.get(issue)
            if stance is None:
                continue
            w = max(side.speaker.capability, 1e-6) * max(stance.salience, 1e-6)
            total += w * stance.ideal
            weight += w
        text[issue] = total / weight if weight > 0 else model.state[issue]
    return text


def _amend(
    text: dict[str, float],
    objections: Mapping[str, list[Side]],
    rejecting: list[Side],
    agenda: list[str],
    spaces: Mapping[str, IssueSpace],
) -> dict[str, float]:
    """Move each open issue a step toward the mean ideal of the sides objecting to it.

    A side objects to an issue when the issue alone crosses a member's red line
    or falls short of a member's aim; when no side objects to any single issue
    (the package as a whole falls short) every issue moves toward all the sides
    that rejected. On an indivisible issue a step too small to reach another
    labelled point moves to the next point in that direction, so the text never
    stalls.
    """
    if not any(objections.get(issue) for issue in agenda):
        objections = {issue: rejecting for issue in agenda}
    amended = {issue: text[issue] for issue in agenda}
    for issue in agenda:
        ideals = [
            side.speaker.stances[issue].ideal
            for side in objections.get(issue, [])
            if issue in side.speaker.stances
        ]
        if not ideals:
            continue
        pull = sum(ideals) / len(ideals)
        moved = text[issue] + AMENDMENT_STEP * (pull - text[issue])
        space = spaces[issue]
        if not space.divisible and space.snap(moved) == space.snap(text[issue]):
            ahead = [p for p in space.points if (p - text[issue]) * (pull - text[issue]) > 0]
            if ahead and abs(pull - text[issue]) > 1e-9:
                moved = min(ahead, key=lambda p: abs(p - text[issue]))
        amended[issue] = moved
    return amended


def _close_round(model: NegotiationModel, round_spec: Round, agenda: list[str]) -> None:
    """Record how the round ended."""
    if agenda:
        model.record(
            "no_agreement",
            "",
            f"{round_spec.venue} ends without agreement on {', '.join(agenda)}",
        )
    else:
        model.record("agreement", "", f"{round_spec.venue} ends with its whole agenda agreed")


def _population_game(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    from sim.model.population import population_game

    yield from population_game(model, round_spec)


def _expected_utility(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    from sim.model.forecast import expected_utility

    yield from expected_utility(model, round_spec)


PROTOCOLS = {
    "expected_utility": _expected_utility,
    "alternating_offers": alternating_offers,
    "mediated": mediated,
    "population_game": _population_game,
}
