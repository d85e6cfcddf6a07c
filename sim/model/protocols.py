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

import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from sim.model.derived import Derivation
from sim.model.mediators import chair_side, chair_weight, signing_bonus
from sim.model.offers import IssueSpace
from sim.model.planning import (
    GroupPlan,
    learn_from_rejection,
    own_offers_left,
    plan_group,
    strategic_threshold,
)
from sim.model.sides import Objection, Side
from sim.model.strategies import Strategic
from sim.model.utility import short
from sim.scenario.schema import Round

if TYPE_CHECKING:
    from sim.model.agents import ActorAgent
    from sim.model.model import NegotiationModel

AMENDMENT_STEP = 0.3
"""Share of the distance a mediator moves an issue toward those who reject it."""


def describe(package: Mapping[str, float], model: NegotiationModel) -> str:
    """A package in words: 'enlargement 70 (open door), missiles 40'."""
    parts = []
    for issue, position in package.items():
        spec = model.issue_specs[issue]
        label = spec.label(position) if spec.labels else ""
        parts.append(f"{issue} {short(position)}" + (f" ({label})" if label else ""))
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
    speaker_proposes: bool = True,
    by_package: bool = False,
    batnas: dict[tuple[object, ...], float] | None = None,
) -> dict[str, float]:
    """Each member's acceptance threshold (its next target) at this exchange.

    A member that never proposes (a bloc member other than the speaker, or any
    side in a mediated round) keeps its threshold as its previous target, so a
    tit-for-tat member's concessions accumulate; a proposing speaker's previous
    target is set when it proposes (:meth:`Side.propose`), never twice per cycle.
    With ``by_package``, strategic members are left out: they set a threshold
    on each linked package instead (:func:`sim.model.planning.strategic_threshold`).
    ``batnas`` keeps the round's BATNAs (:func:`_batna`).
    """
    own_spaces = side.spaces(spaces)
    thresholds = {}
    for member in side.members:
        if by_package and isinstance(member.strategy, Strategic):
            thresholds[member.actor_id] = -math.inf
            continue
        issues = [i for i in agenda if i in member.stances]
        concession = 0.0
        if len(received) >= 2 and issues:
            concession = member.utility(received[-1], issues) - member.utility(received[-2], issues)
        state = side.concession_state(
            member,
            own_spaces,
            exchange,
            deadline,
            _batna(model, member, agenda, {} if batnas is None else batnas),
            concession,
            opponent_discount,
            other,
        )
        thresholds[member.actor_id] = side.acceptance_threshold(member, state)
        if member is not side.speaker or not speaker_proposes:
            side.previous_targets[member.actor_id] = thresholds[member.actor_id]
    return thresholds


def _batna(
    model: NegotiationModel,
    actor: ActorAgent,
    agenda: list[str],
    known: dict[tuple[object, ...], float],
) -> float:
    """``model.batna``, computed once per actor, agenda and state of the run.

    A BATNA moves only with what :meth:`NegotiationModel.fingerprint` tracks (the
    date, agreements, pressure, rungs, mandates, beliefs), so within a round it
    is mostly the same number exchange after exchange.
    """
    key = (actor.actor_id, tuple(agenda), model.fingerprint())
    if key not in known:
        known[key] = model.batna(actor, agenda)
        bonus = signing_bonus(model.spec, actor.actor_id, model.current_round_id())
        if bonus:
            known[key] -= bonus  # a deal it signs here is worth that much more (section 7.34)
    return known[key]


def _settle(
    sides: list[Side],
    package: dict[str, float],
    thresholds: Mapping[str, Mapping[str, float]],
    groups: list[list[str]],
    group_thresholds: Mapping[tuple[str, int], Mapping[str, float]] | None = None,
) -> tuple[list[str], dict[str, Objection]]:
    """Ask each deciding side about each linked package; return what is agreed and why not.

    The whole offer is agreed when every side accepts it as a whole (sides
    whose members set thresholds package by package are asked package by
    package). Otherwise a package (a group of linked issues, or one issue) is
    agreed when every side accepts it; a side's reason is its first objection. ``group_thresholds``
    holds, per (side, package index), the thresholds strategic members set on
    that package; other members keep their round-wide aim.
    """
    reasons: dict[str, Objection] = {}
    agreed: list[str] = []
    whole = [issue for group in groups for issue in group]
    if len(groups) > 1 and not any(s.side_id in _strategic_sides(group_thresholds) for s in sides):
        # The whole package first: log-rolling across packages can make acceptable
        # as a whole what no side would take package by package.
        if all(side.objection(package, thresholds[side.side_id], whole) is None for side in sides):
            return whole, {}
    for index, group in enumerate(groups):
        ok = True
        for side in sides:
            limits = thresholds[side.side_id]
            if group_thresholds and group_thresholds.get((side.side_id, index)):
                limits = {**limits, **group_thresholds[(side.side_id, index)]}
            objection = side.objection(package, limits, group)
            if objection is not None:
                ok = False
                reasons.setdefault(side.side_id, objection)
        if ok:
            agreed.extend(group)
    return agreed, reasons


def _strategic_sides(
    group_thresholds: Mapping[tuple[str, int], Mapping[str, float]] | None,
) -> set[str]:
    """Sides with members that set thresholds package by package."""
    return {side for (side, _), limits in (group_thresholds or {}).items() if limits}


def _record_verdicts(
    model: NegotiationModel,
    round_spec: Round,
    package: Mapping[str, float],
    agreed: list[str],
    reasons: Mapping[str, Objection],
    agenda: list[str],
    exchange: int,
    acceptor: str,
    accepts: str,
) -> list[str]:
    """Fix what was agreed, record acceptance and rejections, return the agenda still open."""
    if agreed:
        deal = {issue: package[issue] for issue in agreed}
        rest = "" if len(agreed) == len(agenda) else " (the rest stays open)"
        model.record(
            "accept", acceptor, f"{accepts} {describe(deal, model)}{rest}", deal, exchange + 1
        )
        model.agree(deal, round_spec.id, exchange + 1)
        agenda = [issue for issue in agenda if issue not in agreed]
    if agenda and model.keeps("reject"):
        for side_id, objection in reasons.items():
            model.record(
                "reject", side_id, f"{side_id} rejects: {objection.text()}", exchange=exchange + 1
            )
    return agenda


def alternating_offers(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    """Two sides alternate offers (or one side makes them all) until accepted or out of time."""
    sides = [model.make_side(p) for p in round_spec.participants]
    if round_spec.first_proposer is not None and round_spec.first_proposer != sides[0].side_id:
        sides.reverse()
    agenda = model.open_agenda(round_spec.agenda)
    everyone = [member for side in sides for member in side.members]
    deadline = round_spec.exchanges
    one_sided = round_spec.offers == "one_sided"
    received: dict[str, list[dict[str, float]]] = {side.side_id: [] for side in sides}
    batnas: dict[tuple[object, ...], float] = {}
    settled: list[str] | None = None
    for exchange in range(deadline):
        if not agenda:
            break
        turn = 0 if one_sided else exchange % 2
        proposer, responder = sides[turn], sides[1 - turn]
        if agenda is not settled:
            # Spaces and packages change only when part of the agenda is agreed.
            spaces = model.issue_spaces(agenda)
            groups = model.linkage_groups(agenda, everyone)
            settled = agenda
        plans: list[GroupPlan] = []
        if isinstance(proposer.speaker.strategy, Strategic):
            left = own_offers_left(exchange, deadline, one_sided)
            plans = [
                plan_group(model, proposer, responder, spaces, group, left, one_sided)
                for group in groups
            ]
            if walks_out(proposer.speaker, plans, exchange, deadline):
                model.record(
                    "walk_out",
                    proposer.side_id,
                    f"{proposer.side_id} walks out: in its belief no type of "
                    f"{responder.side_id} would accept even its most generous offer worth its "
                    "reservation, so the exchanges left hold nothing for it",
                    exchange=exchange + 1,
                )
                model.learn_from_walk_out(proposer.speaker, agenda)
                break
            package = {i: p.plan.offer[i] for p in plans for i in p.issues}
            package = {i: package[i] for i in agenda}
            target = proposer.speaker.utility(package, agenda)
        else:
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
                _batna(model, proposer.speaker, agenda, batnas),
                concession,
                responder.speaker.discount,
                responder,
            )
            package, target = proposer.propose(responder, spaces, state)
        received[responder.side_id].append(package)
        model.note_tabled(responder.judges(), package)
        model.learn_from_offer(proposer.speaker, package)
        if model.keeps("offer"):
            worth = proposer.speaker.utility(package, agenda)
            odds = ""
            if plans and len(plans) == 1 and 0 < plans[0].plan.accept_probability < 1:
                odds = f", P(accept) {plans[0].plan.accept_probability:.2f} in its belief"
            model.record(
                "offer",
                proposer.side_id,
                f"{proposer.side_id} offers {describe(package, model)} "
                f"(worth {worth:.2f} to it, aim {target:.2f}{odds})",
                package,
                exchange=exchange + 1,
                utilities={
                    proposer.side_id: worth,
                    responder.side_id: responder.speaker.utility(package, agenda),
                },
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
                by_package=True,
                batnas=batnas,
            ),
            # The proposer's own side consents to its offer but is still bound by its
            # members' and vetoers' red lines (a split bloc's fallback offers may cross them).
            proposer.side_id: dict.fromkeys(
                (member.actor_id for member in proposer.members), float("-inf")
            ),
        }
        by_group = {p.issues[0]: p for p in plans}
        strategic = [m for m in responder.members if isinstance(m.strategy, Strategic)]
        group_thresholds = {
            (responder.side_id, index): {
                member.actor_id: strategic_threshold(
                    model,
                    member,
                    responder,
                    proposer,
                    spaces,
                    group,
                    exchange,
                    deadline,
                    one_sided,
                    by_group.get(group[0]),
                )
                for member in strategic
            }
            for index, group in enumerate(groups if strategic else [])
        }
        agreed, reasons = _settle(
            [responder, proposer], package, thresholds, groups, group_thresholds
        )
        for plan in plans:
            if not set(plan.issues) <= set(agreed):
                learn_from_rejection(model, proposer, plan)
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


def walks_out(speaker: ActorAgent, plans: list[GroupPlan], exchange: int, deadline: int) -> bool:
    """Whether a strategic speaker that may walk out leaves now (model section 7.29).

    It leaves when exchanges remain and, for every package on the table, no
    type of the other side in its belief accepts even its most generous
    offer worth more than its reservation (``Plan.open`` is False).
    """
    return (
        speaker.walks_out
        and exchange + 1 < deadline
        and bool(plans)
        and not any(group.plan.open for group in plans)
    )


def mediated(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    """A chair's single negotiating text, amended toward those who reject it."""
    sides = [model.make_side(p) for p in round_spec.participants]
    chair = round_spec.mediator or "chair"
    agenda = model.open_agenda(round_spec.agenda)
    everyone = [member for side in sides for member in side.members]
    deadline = round_spec.exchanges
    stake, text, revealed = _chair_draft(model, round_spec, sides, agenda)
    steps: dict[str, tuple[float, float]] = {}
    deciding = sides + [stake] if stake is not None else sides
    history: dict[str, list[dict[str, float]]] = {side.side_id: [] for side in sides}
    batnas: dict[tuple[object, ...], float] = {}
    for exchange in range(deadline):
        if not agenda:
            break
        spaces = model.issue_spaces(agenda)
        tabled = model.complete(_table_text(stake, spaces, text, agenda))
        if model.keeps("offer"):
            model.record(
                "offer",
                chair,
                f"{chair} tables a text: {describe(tabled, model)}",
                dict(tabled),
                exchange=exchange + 1,
            )
        thresholds = {}
        model.note_tabled((a for side in sides for a in side.judges()), tabled)
        for side in sides:
            history[side.side_id].append(dict(tabled))
            thresholds[side.side_id] = _text_limits(
                model, side, spaces, exchange, deadline, agenda, history, batnas
            )
        if stake is not None:
            thresholds[stake.side_id] = {stake.speaker.actor_id: -math.inf}
        groups = model.linkage_groups(agenda, everyone)
        agreed, reasons = _settle(deciding, tabled, thresholds, groups)
        agenda = _record_verdicts(
            model, round_spec, tabled, agreed, reasons, agenda, exchange, "", "all sides accept"
        )
        rejecting = [side for side in deciding if side.side_id in reasons]
        text = _redraft(
            text, tabled, rejecting, agenda, thresholds, revealed, steps, model.derivation
        )
        yield
    _close_round(model, round_spec, agenda)


def shuttle(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    """A mediator meets each side alone in turn and carries one text between them.

    Each exchange the mediator shows the current text to one side, in turn. A
    side that would sign says so; one that would not tells the mediator why, in
    confidence, and the mediator amends the text toward it (a red line it
    invokes is kept from then on). The text is agreed when every side has
    accepted the same text; an amendment needs everyone's consent again. The
    others see neither the text nor the objection, so nobody learns from them.
    """
    sides = [model.make_side(p) for p in round_spec.participants]
    if round_spec.first_proposer is not None:
        first = next(i for i, s in enumerate(sides) if s.side_id == round_spec.first_proposer)
        sides = sides[first:] + sides[:first]
    chair = round_spec.mediator or "mediator"
    agenda = model.open_agenda(round_spec.agenda)
    deadline = round_spec.exchanges
    stake, text, revealed = _chair_draft(model, round_spec, sides, agenda)
    steps: dict[str, tuple[float, float]] = {}
    history: dict[str, list[dict[str, float]]] = {side.side_id: [] for side in sides}
    batnas: dict[tuple[object, ...], float] = {}
    signed: set[str] = set()
    for exchange in range(deadline):
        if not agenda:
            break
        side = sides[exchange % len(sides)]
        spaces = model.issue_spaces(agenda)
        tabled = model.complete(_table_text(stake, spaces, text, agenda))
        if model.keeps("offer"):
            model.record(
                "offer",
                chair,
                f"{chair} meets {side.side_id} alone with the text: {describe(tabled, model)}",
                dict(tabled),
                exchange=exchange + 1,
            )
        history[side.side_id].append(dict(tabled))
        model.note_tabled(side.judges(), tabled)
        limits = _text_limits(model, side, spaces, exchange, deadline, agenda, history, batnas)
        objection = side.objection(tabled, limits, agenda)
        own = _chair_objection(stake, tabled, agenda) if objection is None else None
        if own is not None:
            # The mediator pays for what it promises: it signs only inside its own red lines
            # (a text snapped to an indivisible issue's points may leave no such text).
            signed.clear()
            model.record(
                "reject",
                chair,
                f"{chair} cannot sign its own text: {own.text()}",
                exchange=exchange + 1,
            )
            yield
            continue
        if objection is None:
            signed.add(side.side_id)
            if len(signed) == len(sides):
                agenda = _record_verdicts(
                    model,
                    round_spec,
                    tabled,
                    list(agenda),
                    {},
                    agenda,
                    exchange,
                    side.side_id,
                    f"{side.side_id}, the last to be asked, accepts; every side has accepted",
                )
            elif model.keeps("accept"):
                model.record(
                    "accept",
                    side.side_id,
                    f"{side.side_id} tells {chair} it would sign the text",
                    exchange=exchange + 1,
                )
            yield
            continue
        signed.clear()
        if model.keeps("reject"):
            model.record(
                "reject",
                side.side_id,
                f"{side.side_id} tells {chair} in confidence: {objection.text()}",
                exchange=exchange + 1,
            )
        thresholds = {side.side_id: limits}
        text = _redraft(text, tabled, [side], agenda, thresholds, revealed, steps, model.derivation)
        yield
    _close_round(model, round_spec, agenda)


def _text_limits(
    model: NegotiationModel,
    side: Side,
    spaces: Mapping[str, IssueSpace],
    exchange: int,
    deadline: int,
    agenda: list[str],
    history: Mapping[str, list[dict[str, float]]],
    batnas: dict[tuple[object, ...], float],
) -> dict[str, float]:
    """Each member's aim on a mediator's text (nobody at the table proposes it)."""
    return _thresholds(
        model,
        side,
        spaces,
        exchange,
        deadline,
        agenda,
        history[side.side_id],
        1.0,
        speaker_proposes=False,
        batnas=batnas,
    )


def _opening_text(
    model: NegotiationModel, sides: list[Side], agenda: list[str], stake: Side | None = None
) -> dict[str, float]:
    """Capability- and salience-weighted mean of the speakers' ideals (and the chair's, by salience)."""
    chair = stake.speaker if stake is not None else None
    text = {}
    for issue in model.issue_spaces(agenda):  # derived issues are completed, never drafted
        total = weight = 0.0
        for side in sides:
            stance = side.speaker.stances.get(issue)
            if stance is None:
                continue
            w = max(side.speaker.capability, 1e-6) * max(stance.salience, 1e-6)
            total += w * stance.ideal
            weight += w
        own = chair_weight(chair, issue)
        if chair is not None and own > 0:
            total += own * chair.stances[issue].ideal
            weight += own
        text[issue] = total / weight if weight > 0 else model.state[issue]
    return text


def _chair_objection(
    stake: Side | None, text: Mapping[str, float], agenda: list[str]
) -> Objection | None:
    """The chair's own objection to a text (a red line it crosses), if it holds a stake."""
    if stake is None:
        return None
    return stake.objection(text, {stake.speaker.actor_id: -math.inf}, agenda)


def _chair_draft(
    model: NegotiationModel, round_spec: Round, sides: list[Side], agenda: list[str]
) -> tuple[Side | None, dict[str, float], dict[str, tuple[float, float]]]:
    """The chair's stake (if any), its opening text inside its own red lines, and those lines.

    Mediated and shuttle rounds start from the same draft; the lines are the
    first entries of the red lines the chair keeps to (others join as invoked).
    """
    stake = chair_side(model, round_spec, agenda)
    revealed = _chair_lines(stake, agenda)
    return stake, _clamp(_opening_text(model, sides, agenda, stake), revealed), revealed


def _table_text(
    stake: Side | None,
    spaces: Mapping[str, IssueSpace],
    text: Mapping[str, float],
    agenda: list[str],
) -> dict[str, float]:
    """What the chair tables: the nearest offerable position to its draft on each issue.

    The working draft moves continuously; a labelled point is tabled on an
    indivisible issue, and only positions inside its own red lines if it holds a stake.
    """
    table = stake.spaces(spaces) if stake is not None else spaces
    return {issue: table[issue].snap(text[issue]) for issue in agenda if issue in table}


def _chair_lines(stake: Side | None, agenda: list[str]) -> dict[str, tuple[float, float]]:
    """The chair's own acceptable interval per issue: it never drafts past its red lines."""
    if stake is None:
        return {}
    return {issue: stake.bounds(issue) for issue in agenda if issue in stake.speaker.stances}


def _redraft(
    text: dict[str, float],
    tabled: Mapping[str, float],
    rejecting: list[Side],
    agenda: list[str],
    thresholds: Mapping[str, Mapping[str, float]],
    revealed: dict[str, tuple[float, float]],
    steps: dict[str, tuple[float, float]],
    derivation: Derivation | None = None,
) -> dict[str, float]:
    """The chair's next draft: amended toward the sides that rejected, inside invoked red lines.

    A side objecting to a derived issue objects to each agenda issue it depends on
    (the chair drafts only those), and a red line invoked on it keeps the draft's
    combination inside it (:meth:`Derivation.inside`; section 7.36).
    """
    objections: dict[str, list[Side]] = {}
    for issue in agenda:
        objectors, hard = _objectors(rejecting, tabled, issue, thresholds)
        objections[issue] = objectors
        if hard:
            _learn_red_lines(revealed, issue, objectors)
    if derivation is None:
        return _clamp(_amend(text, objections, rejecting, agenda, steps), revealed)
    for derived, *deps in derivation.ties(agenda):
        against = objections.pop(derived, [])
        for dep in deps:
            objections[dep] = objections[dep] + [s for s in against if s not in objections[dep]]
    drafted = [issue for issue in agenda if issue in text]
    amended = _clamp(_amend(text, objections, rejecting, drafted, steps), revealed)
    return derivation.inside(amended, revealed)


def _objectors(
    rejecting: list[Side],
    text: Mapping[str, float],
    issue: str,
    thresholds: Mapping[str, Mapping[str, float]],
) -> tuple[list[Side], bool]:
    """The sides that object to one issue of the text, and whether on red-line grounds.

    A red line is a hard constraint and an aim is not (aims fall as the round
    runs out), so when some side says the issue crosses its red line the chair
    answers that side alone; otherwise it answers every side whose aim the
    issue misses.
    """
    single = {issue: text[issue]}
    hard = [
        side
        for side in rejecting
        if side.objection(single, dict.fromkeys(thresholds[side.side_id], -math.inf), [issue])
        is not None
    ]
    if hard:
        return hard, True
    soft = [
        side
        for side in rejecting
        if side.objection(single, thresholds[side.side_id], [issue]) is not None
    ]
    return soft, False


def _learn_red_lines(
    revealed: dict[str, tuple[float, float]], issue: str, objectors: list[Side]
) -> None:
    """Remember the red lines a side invokes.

    A delegation that says "this crosses our red line" tells the chair where that
    line is: the side's acceptable interval on the issue.
    """
    low, high = revealed.get(issue, (-math.inf, math.inf))
    for side in objectors:
        side_low, side_high = side.bounds(issue)
        low, high = max(low, side_low), min(high, side_high)
    revealed[issue] = (low, high)


def _clamp(text: dict[str, float], revealed: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """Keep the draft inside every red line invoked so far, where those leave any room."""
    clamped = dict(text)
    for issue, (low, high) in revealed.items():
        if issue in clamped and low <= high:
            clamped[issue] = min(max(clamped[issue], low), high)
    return clamped


def _amend(
    text: dict[str, float],
    objections: Mapping[str, list[Side]],
    rejecting: list[Side],
    agenda: list[str],
    steps: dict[str, tuple[float, float]],
) -> dict[str, float]:
    """Move the draft on each open issue a step toward the mean ideal of the sides objecting to it.

    A side objects to an issue when the issue alone crosses a member's red line
    or falls short of a member's aim (:func:`_objectors`); when no side objects
    to any single issue (the package as a whole falls short) every issue moves
    toward all the sides that rejected. The draft is continuous (on an
    indivisible issue the chair tables the nearest labelled point), so small
    steps add up until the tabled point changes. The step starts at
    :data:`AMENDMENT_STEP` of the distance, halves each time an issue's
    direction of movement reverses and doubles back (up to the start value)
    while it keeps its direction (``steps`` keeps, per issue, the step and the
    last direction): a draft caught between two red lines closes in on the zone
    between them instead of jumping back and forth, and one that must travel
    far does not crawl.
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
        if abs(pull - text[issue]) < 1e-12:
            continue
        direction = math.copysign(1.0, pull - text[issue])
        step, previous = steps.get(issue, (AMENDMENT_STEP, direction))
        step = step / 2 if direction != previous else min(AMENDMENT_STEP, step * 2)
        steps[issue] = (step, direction)
        amended[issue] = text[issue] + step * (pull - text[issue])
    return amended


def _close_round(model: NegotiationModel, round_spec: Round, agenda: list[str]) -> None:
    """Record how the round ended."""
    voided = [i for i in round_spec.agenda if i in model.not_ratified and i not in agenda]
    if agenda or voided:
        model.record(
            "no_agreement",
            "",
            f"{round_spec.venue} ends without agreement on {', '.join(agenda + voided)}"
            + (" (a signed text was not ratified)" if voided else ""),
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
    "shuttle": shuttle,
    "population_game": _population_game,
}
