"""Strategic play at the table: what a strategic side offers, accepts and learns.

The glue between the negotiation state and the pure planner in
:mod:`sim.model.strategic`. The agenda is split into the packages the actors
link (:meth:`NegotiationModel.linkage_groups`); each package is planned on its
own, since utilities are additive across issues. The other side's type is the
private type of its *pivot*: the first member (in the bloc's order of members) about whom
the proposer is uncertain; other members and absent veto holders are judged
on their known parameters, or the proposer's posterior means of their drawn ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.model.agents import ActorAgent
from sim.model.beliefs import TREMBLE
from sim.model.offers import IssueSpace, LogRoll
from sim.model.sides import Side
from sim.model.strategic import Plan, ResponderTypes, patient_acceptance, plan_offer

if TYPE_CHECKING:
    from sim.model.model import NegotiationModel

PLANNING_DEPTH = 3
"""At most this many of its own offers a proposer plans ahead (backward induction)."""


@dataclass
class TableModel:
    """A proposer's model of the other side on one package: its types and what each accepts."""

    pivot: ActorAgent | None
    index: list[int]
    """The type each particle of the belief falls in."""
    weights: list[float]
    """Posterior weight of each type."""
    reservations: list[float]
    fixed: list[tuple[ActorAgent, float, dict[str, float]]]
    red_lines: list[dict[str, tuple[float, float]]]
    vetoers: list[tuple[ActorAgent, frozenset[str]]]

    def accepts(self, k: int, package: Mapping[str, float], issues: list[str]) -> bool:
        """Whether type ``k`` of the other side takes ``package`` on these issues."""
        for issue, (low, high) in self.red_lines[k].items():
            if not low - 1e-9 <= package[issue] <= high + 1e-9:
                return False
        if self.pivot is not None:
            held = [i for i in issues if i in self.pivot.stances]
            if held and self.pivot.utility(package, held) < self.reservations[k] - 1e-9:
                return False
        for member, reservation, _ in self.fixed:
            held = [i for i in issues if i in member.stances]
            if held and member.utility(package, held) < reservation - 1e-9:
                return False
        return True


def _interval(ideal: float, red_line: float) -> tuple[float, float]:
    return (min(ideal, red_line), max(ideal, red_line))


def table_model(
    model: NegotiationModel,
    observer: ActorAgent,
    other: Side,
    issues: list[str],
    own_bounds: Mapping[str, tuple[float, float]] | None = None,
) -> TableModel:
    """The observer's model of ``other`` on one package, from its current beliefs.

    ``own_bounds`` are where the observer's side may offer on each issue: a type
    whose red lines leave no room there accepts nothing, whatever its reservation.
    """
    binding = other.binding()  # under a majority rule the others need not each consent
    pivot = next(
        (m for m in binding if not observer.beliefs[m.actor_id].certain and m is not observer),
        None,
    )
    belief = observer.beliefs[pivot.actor_id] if pivot is not None else None
    particles: list[Mapping[str, float]] = list(belief.particles) if belief else [{}]
    weights = list(belief.weights) if belief else [1.0]
    fixed: list[tuple[ActorAgent, float, dict[str, float]]] = []
    base_lines: dict[str, tuple[float, float]] = {}
    member_means = {m.actor_id: _means(observer, m) for m in binding if m is not pivot}
    for member in binding:
        if member is not pivot:
            base_lines = _within(base_lines, member, issues, member_means[member.actor_id])
    for vetoer, vetoed in other.vetoers:
        vetoed_here = [i for i in issues if i in vetoed]
        base_lines = _within(base_lines, vetoer, vetoed_here, _means(observer, vetoer))
    if not _room(base_lines, own_bounds):
        # The known members' and veto holders' red lines alone leave no room.
        return TableModel(
            pivot, [0] * len(particles), [1.0], [math.inf], fixed, [base_lines], other.vetoers
        )
    for member in binding:
        if member is not pivot:
            means = member_means[member.actor_id]
            fixed.append((member, model.reservation(member, issues, means), means))
    if pivot is not None and belief is not None:
        # Fast path: if even the most lenient of the pivot's types leaves no room on
        # some issue, no type accepts anything the observer's side may offer.
        lenient = dict(base_lines)
        for issue in issues:
            stance = pivot.stances.get(issue)
            if stance is None:
                continue
            span = belief.span(f"red_line.{issue}") or (stance.red_line, stance.red_line)
            widest = (min(stance.ideal, span[0]), max(stance.ideal, span[1]))
            lenient[issue] = _meet(lenient.get(issue), widest)
        if not _room(lenient, own_bounds):
            return TableModel(
                pivot, [0] * len(particles), [1.0], [math.inf], fixed, [lenient], other.vetoers
            )
    core = pivot is not None and pivot.core_in(issues)
    relevant = {f"red_line.{i}" for i in issues} | (
        {"war_cost", "win_probability", "risk_acceptance"} if core else set()
    )
    if pivot is not None and belief is not None and not relevant & set(belief.names()):
        # Nothing this package depends on is private: the pivot is one known type here.
        lines = _within(base_lines, pivot, issues, {})
        reservation = (
            model.reservation(pivot, issues, particles[0]) if _room(lines, own_bounds) else math.inf
        )
        return TableModel(
            pivot, [0] * len(particles), [1.0], [reservation], fixed, [lines], other.vetoers
        )
    # Particles that agree on everything this package depends on are one type here.
    keys: dict[tuple[object, ...], int] = {}
    index: list[int] = []
    reservations: list[float] = []
    red_lines: list[dict[str, tuple[float, float]]] = []
    type_weights: list[float] = []
    for particle, weight in zip(particles, weights, strict=True):
        key: tuple[object, ...] = tuple(particle.get(f"red_line.{i}") for i in issues) + (
            (
                particle.get("war_cost"),
                particle.get("win_probability"),
                particle.get("risk_acceptance"),
            )
            if core
            else ()
        )
        if key not in keys:
            keys[key] = len(reservations)
            lines = dict(base_lines)
            if pivot is not None:
                lines = _within(base_lines, pivot, issues, particle)
                if _room(lines, own_bounds):
                    reservations.append(model.reservation(pivot, issues, particle))
                else:
                    reservations.append(math.inf)
            else:
                reservations.append(-math.inf)
            red_lines.append(lines)
            type_weights.append(0.0)
        index.append(keys[key])
        type_weights[keys[key]] += weight
    return TableModel(pivot, index, type_weights, reservations, fixed, red_lines, other.vetoers)


def _within(
    lines: Mapping[str, tuple[float, float]],
    actor: ActorAgent,
    issues: list[str],
    values: Mapping[str, float],
) -> dict[str, tuple[float, float]]:
    """``lines`` narrowed to ``actor``'s acceptable interval on each issue it holds.

    ``values`` may replace its red lines (``red_line.<issue>``: a type, or an
    observer's posterior means).
    """
    narrowed = dict(lines)
    for issue in issues:
        stance = actor.stances.get(issue)
        if stance is not None:
            line = values.get(f"red_line.{issue}", stance.red_line)
            narrowed[issue] = _meet(narrowed.get(issue), _interval(stance.ideal, line))
    return narrowed


def _room(
    lines: Mapping[str, tuple[float, float]], bounds: Mapping[str, tuple[float, float]] | None
) -> bool:
    """Whether every issue leaves some position inside both the red lines and the bounds."""
    for issue, (low, high) in lines.items():
        if low > high + 1e-9:
            return False
        if bounds is not None and issue in bounds:
            b_low, b_high = bounds[issue]
            if max(low, b_low) > min(high, b_high) + 1e-9:
                return False
    return True


def _means(observer: ActorAgent, other: ActorAgent) -> dict[str, float]:
    belief = observer.beliefs.get(other.actor_id)
    if belief is None or not belief.particles:
        return {}
    return {name: belief.mean(name, 0.0) for name in belief.names()}


def _meet(a: tuple[float, float] | None, b: tuple[float, float]) -> tuple[float, float]:
    return b if a is None else (max(a[0], b[0]), min(a[1], b[1]))


@dataclass(frozen=True)
class GroupPlan:
    """A strategic proposer's plan on one package, with the model it was made under."""

    issues: list[str]
    plan: Plan
    table: TableModel


def own_offers_left(exchange: int, deadline: int, one_sided: bool) -> int:
    """How many offers the proposer still makes in this round, this one included."""
    left = deadline - exchange
    return max(1, left if one_sided else (left + 1) // 2)


def plan_group(
    model: NegotiationModel,
    proposer: Side,
    other: Side,
    spaces: Mapping[str, IssueSpace],
    issues: list[str],
    offers_left: int,
    one_sided: bool,
) -> GroupPlan:
    """The speaker's expected-utility-maximising offer on one package."""
    offers_left = min(PLANNING_DEPTH, offers_left)
    key = (
        proposer.side_id,
        other.side_id,
        tuple(issues),
        offers_left,
        one_sided,
        model.fingerprint(),
    )
    closed = (*key[:3], None, *key[4:])
    for lookup in (key, closed):
        cached = model.plan_cache.get(lookup)
        if isinstance(cached, GroupPlan):
            return cached
    speaker = proposer.speaker
    own_spaces = {i: proposer.spaces(spaces)[i] for i in issues if i in spaces}
    held = [i for i in issues if i in speaker.stances]
    own_bounds = {i: (s.low, s.high) for i, s in own_spaces.items()}
    limits = proposer.limits(own_spaces)
    if limits is not None:
        # Derived issues (section 7.36): where its offers can put them bounds the types too,
        # and the offers are completed, inside the side's limits.
        own_bounds.update(limits.reach(own_spaces))
    table = table_model(model, speaker, other, issues, own_bounds)
    family = LogRoll(speaker.stances, other.speaker.stances, own_spaces, limits).offer

    def own_utility(package: Mapping[str, float]) -> float:
        return speaker.utility(package, held) if held else 0.5

    best, low, _ = proposer._utility_levels(speaker, own_spaces, None)
    pivot = table.pivot
    patient = one_sided and pivot is not None and len(other.members) == 1
    responder = ResponderTypes(
        weights=table.weights,
        accepts=[
            (lambda package, k=k: table.accepts(k, package, issues))
            for k in range(len(table.weights))
        ],
        reservations=table.reservations,
        utility=(
            (lambda package: pivot.utility(package, [i for i in issues if i in pivot.stances]))
            if pivot is not None
            else None
        ),
        discount=pivot.discount if pivot is not None else 1.0,
        patient=patient,
    )
    step = speaker.discount if one_sided else speaker.discount**2
    plan = plan_offer(
        family,
        own_utility,
        min(low, best),
        best,
        responder,
        model.batna(speaker, issues),
        min(PLANNING_DEPTH, offers_left),
        step,
    )
    made = GroupPlan(issues, plan, table)
    if len(model.plan_cache) > 256:
        model.plan_cache.clear()
    # A plan nobody accepts, or one against a single known type without discounting,
    # is the same whatever the number of offers left.
    timeless = not made.plan.open or (
        len(made.table.weights) == 1 and proposer.speaker.discount == 1.0
    )
    model.plan_cache[closed if timeless else key] = made
    return made


def strategic_threshold(
    model: NegotiationModel,
    member: ActorAgent,
    side: Side,
    proposer: Side,
    spaces: Mapping[str, IssueSpace],
    issues: list[str],
    exchange: int,
    deadline: int,
    one_sided: bool,
    proposer_plan: GroupPlan | None,
) -> float:
    """The least a strategic responder takes on one package now.

    Its reservation, or the discounted value of waiting: for the next offer the
    proposer has planned (it knows the proposer's strategy, as in an
    equilibrium), or for its own next offer when it proposes next.
    """
    reservation = model.reservation(member, issues)
    held = [i for i in issues if i in member.stances]
    if not held or exchange + 1 >= deadline:
        return reservation
    later: float | None = None
    if one_sided:
        if proposer_plan is not None and proposer_plan.plan.next_offer is not None:
            later = member.utility(proposer_plan.plan.next_offer, held)
    elif member is side.speaker:
        own = plan_group(
            model,
            side,
            proposer,
            spaces,
            issues,
            own_offers_left(exchange + 1, deadline, one_sided),
            one_sided,
        )
        later = own.plan.expected_utility
    return patient_acceptance(reservation, member.discount, later)


def learn_from_rejection(model: NegotiationModel, proposer: Side, group: GroupPlan) -> None:
    """The proposer's side conditions on a rejected package: the types that would take it are unlikely."""
    pivot = group.table.pivot
    if pivot is None:
        return
    package = group.plan.offer
    for observer in proposer.members:
        belief = observer.beliefs.get(pivot.actor_id)
        if belief is None or belief.certain:
            continue
        table = (
            group.table
            if observer is proposer.speaker
            else table_model(
                model,
                observer,
                _single(pivot),
                group.issues,
                {i: (package[i], package[i]) for i in group.issues},
            )
        )
        takes = [table.accepts(k, package, group.issues) for k in range(len(table.weights))]
        likelihoods = [TREMBLE if takes[k] else 1.0 for k in table.index]
        informs = [f"red_line.{i}" for i in group.issues]
        if pivot.core_in(group.issues):
            informs += ["war_cost", "win_probability", "risk_acceptance"]
        model.condition(observer, pivot, likelihoods, "the rejection", informs)


def _single(actor: ActorAgent) -> Side:
    return Side(actor.actor_id, [actor], actor)
