"""Which scenarios the vectorised batch kernel plays exactly, and why the others are not.

The kernel (:mod:`sim.batch.kernel`) plays many runs of one scenario at once.
It covers a class of scenarios defined by their structure, the class in which a
run is decided by the drawn types and the alternating-offers protocol alone:
two parties at every table, time-dependent concession, linear utilities, no
escalation, no war, no beliefs that could move an offer. :func:`why_not` lists,
in words, every feature of a scenario that takes it out of that class; an
empty list means the batch path uses the kernel.
"""

from __future__ import annotations

from pydantic import BaseModel

from sim.scenario.schema import Actor, Scenario

KERNEL_STRATEGIES = frozenset({"boulware", "linear", "conceder", "hardliner"})
"""Strategies whose target is a function of the clock and the side's utility levels only."""

POINT_GAP = 1e-9
"""Labelled points at least this far apart (closer ones the engine's tolerances could merge)."""


ACTOR_FIELDS = frozenset(
    {
        "name", "delegate", "role", "capability", "risk_acceptance", "discount", "strategy",
        "utility", "linkage", "delay_cost", "no_deal", "no_deal_changes", "positions",
        "escalation", "war", "beliefs", "mandate", "breach", "war_stakes",
    }
)  # fmt: skip
"""Actor fields this module judges; a scenario setting any other one goes to the engine."""

ISSUE_FIELDS = frozenset(
    {
        "description", "scale", "status_quo", "divisible", "ceasefire", "procedural", "labels",
        "detection", "verified_by",
    }
)  # fmt: skip
"""Issue fields this module judges; a scenario setting any other one goes to the engine."""


def why_not(scenario: Scenario) -> list[str]:
    """Every reason the kernel cannot play this scenario exactly; empty when it can.

    Args:
        scenario: A validated scenario.

    Returns:
        One sentence per feature outside the kernel's class, in scenario order.
    """
    reasons: list[str] = []
    actors = scenario.actors
    if len(actors) != 2:
        reasons.append(f"it has {len(actors)} actors (the kernel plays two parties)")
    if scenario.blocs:
        reasons.append("it has blocs (the kernel plays two single actors)")
    if scenario.vetoes:
        reasons.append("it has veto holders")
    for actor_id, actor in actors.items():
        reasons.extend(f"{actor_id} {why}" for why in _actor_reasons(actor))
    for issue_id, issue in scenario.issues.items():
        for field in _unjudged(issue, ISSUE_FIELDS):
            reasons.append(f"issue {issue_id} sets {field}, which the kernel does not play")
        if issue.ceasefire:
            reasons.append(f"issue {issue_id} is a ceasefire")
        points = sorted(issue.labels)
        if not issue.divisible and any(
            b - a < POINT_GAP for a, b in zip(points, points[1:], strict=False)
        ):
            reasons.append(f"issue {issue_id} has labelled points closer than {POINT_GAP}")
    for round_ in scenario.rounds:
        if round_.protocol != "alternating_offers":
            reasons.append(
                f"round {round_.id} is {round_.protocol} (the kernel plays alternating offers)"
            )
        if sorted(round_.participants) != sorted(actors) or len(actors) != 2:
            reasons.append(f"round {round_.id} does not seat exactly the two actors")
        for issue in round_.agenda:
            missing = [a for a, spec in actors.items() if issue not in spec.positions]
            if missing:
                reasons.append(
                    f"round {round_.id}: {', '.join(missing)} holds no position on {issue}"
                )
    return reasons


def _actor_reasons(actor: Actor) -> list[str]:
    """Why one actor is outside the kernel's class (sentences without the actor's id)."""
    reasons = [
        f"sets {field}, which the kernel does not play" for field in _unjudged(actor, ACTOR_FIELDS)
    ]
    if actor.role != "party":
        reasons.append("is a mediator")
    if actor.strategy.kind not in KERNEL_STRATEGIES:
        reasons.append(
            f"plays {actor.strategy.kind} (the kernel plays {', '.join(sorted(KERNEL_STRATEGIES))})"
        )
    if actor.strategy.walk_out:
        reasons.append("may walk out")
    if actor.utility != "linear":
        reasons.append(f"has a {actor.utility} utility (the kernel values linearly)")
    if actor.escalation:
        reasons.append("has an escalation ladder")
    if actor.war is not None:
        reasons.append("has a war option")
    if actor.beliefs:
        reasons.append("declares beliefs")
    if actor.breach is not None:
        reasons.append("may breach agreements")
    if actor.no_deal_changes:
        reasons.append("has dated no-deal changes")
    if actor.war_stakes:
        targets = ", ".join(actor.war_stakes)
        reasons.append(f"holds a stake in a war against {targets} (the kernel plays no war)")
    if actor.mandate.soften > 0:
        reasons.append("may revise its mandate at home (the kernel keeps red lines fixed)")
    return reasons


def _unjudged(model: BaseModel, judged: frozenset[str]) -> list[str]:
    """Fields of ``model`` outside ``judged`` that differ from their defaults."""
    fields = type(model).model_fields
    return [
        name
        for name in sorted(set(fields) - judged)
        if getattr(model, name) != fields[name].get_default(call_default_factory=True)
    ]
