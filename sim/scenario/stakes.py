"""Cross-checks for stakes held away from the table: mediators, clients, others' wars.

A mediator may hold positions on the issues of the rounds it chairs and give
guarantees to the parties that sit there; a client's consent is held by its
patron; a party may hold a stake in a war another party would fight against a
third. Each check refuses what the engine would otherwise ignore, as
``path: what is wrong (allowed: ...)`` (model sections 7.33 to 7.35 and 7.37).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

CHAIRED_PROTOCOLS = ("mediated", "shuttle")
"""Protocols in which a mediator drafts the text (and so can use its positions)."""


def stake_errors(scenario: Scenario) -> list[str]:
    """Every mediator stake or client relation the engine could not use, as located messages."""
    return (
        _mediator_errors(scenario)
        + _guarantee_errors(scenario)
        + _client_errors(scenario)
        + _war_stake_errors(scenario)
    )


def _allowed(names: object) -> str:
    return ", ".join(names) or "none defined"  # type: ignore[call-overload]


def _chaired(scenario: Scenario, mediator: str) -> tuple[set[str], set[str]]:
    """The agenda issues and the sitting actors of the rounds ``mediator`` chairs."""
    issues: set[str] = set()
    seated: set[str] = set()
    for round_ in scenario.rounds:
        if round_.mediator != mediator or round_.protocol not in CHAIRED_PROTOCOLS:
            continue
        issues.update(round_.agenda)
        for side in round_.participants:
            if side in scenario.blocs or side in scenario.actors:
                seated.update(scenario.side_members(side))
    return issues, seated


def _mediator_errors(scenario: Scenario) -> list[str]:
    errors = []
    for actor_id, actor in scenario.actors.items():
        for other in actor.beliefs:
            if other in scenario.actors and scenario.actors[other].role == "mediator":
                errors.append(
                    f"actors.{actor_id}.beliefs.{other}: '{other}' is a mediator, whose "
                    "positions are known to all, so nothing uses this prior (allowed: priors "
                    "about parties)"
                )
        if actor.role != "mediator":
            continue
        chaired, _ = _chaired(scenario, actor_id)
        for issue_id, position in actor.positions.items():
            path = f"actors.{actor_id}.positions.{issue_id}"
            if issue_id in scenario.issues and issue_id not in chaired:
                errors.append(
                    f"{path}: '{actor_id}' chairs no mediated or shuttle round with "
                    f"'{issue_id}' on its agenda, so nothing uses its position (allowed: "
                    f"{_allowed(sorted(chaired))})"
                )
            if position.core:
                errors.append(
                    f"{path}.core: a mediator does not go to war, so nothing uses a core "
                    "demand (allowed: false)"
                )
    return errors


def _guarantee_errors(scenario: Scenario) -> list[str]:
    errors = []
    actors = scenario.actors
    parties = [a for a, spec in actors.items() if spec.role == "party"]
    for actor_id, actor in actors.items():
        if actor.guarantees and actor.role != "mediator":
            errors.append(
                f"actors.{actor_id}.guarantees: only a mediator gives guarantees (allowed: "
                "role: mediator, or a side payment as an issue on the agenda)"
            )
            continue
        _, seated = _chaired(scenario, actor_id)
        for index, promise in enumerate(actor.guarantees):
            path = f"actors.{actor_id}.guarantees.{index}"
            if promise.to not in parties:
                errors.append(
                    f"{path}.to: unknown party '{promise.to}' (allowed: {_allowed(parties)})"
                )
            elif promise.to not in seated:
                errors.append(
                    f"{path}.to: '{actor_id}' chairs no mediated or shuttle round where "
                    f"'{promise.to}' sits, so nothing uses the promise (allowed: "
                    f"{_allowed(sorted(seated))})"
                )
            elif promise.kind == "breach_penalty" and not actors[promise.to].positions:
                errors.append(
                    f"{path}.to: '{promise.to}' holds no term a breach could undo "
                    "(allowed: a party with positions)"
                )
            if promise.kind == "breach_penalty":
                breakers = [a for a in parties if actors[a].breach is not None and a != promise.to]
                if promise.against is None:
                    errors.append(
                        f"{path}.against: breach_penalty needs the party whose breaches it "
                        f"punishes (allowed: {_allowed(breakers)})"
                    )
                elif promise.against not in breakers:
                    errors.append(
                        f"{path}.against: '{promise.against}' is no other party that may "
                        f"breach (allowed: {_allowed(breakers)}; give it breach.penalty)"
                    )
            elif promise.against is not None:
                errors.append(
                    f"{path}.against: only breach_penalty punishes another party, so nothing "
                    f"uses it (allowed: kind breach_penalty)"
                )
            if promise.kind != "no_deal" and promise.by < 0:
                errors.append(
                    f"{path}.by: {promise.by:g} is out of range for {promise.kind} "
                    "(allowed: 0 to 1)"
                )
            if promise.source is not None and promise.source not in scenario.sources:
                errors.append(
                    f"{path}.source: unknown source '{promise.source}' "
                    f"(allowed: {_allowed(scenario.sources)})"
                )
    return errors


def _client_errors(scenario: Scenario) -> list[str]:
    errors = []
    actors = scenario.actors
    clients = {a: spec.client_of.patron for a, spec in actors.items() if spec.client_of}
    for client, patron in clients.items():
        spec = actors[client].client_of
        assert spec is not None
        path = f"actors.{client}.client_of"
        parties = [a for a, s in actors.items() if s.role == "party" and a != client]
        if patron not in parties:
            errors.append(f"{path}.patron: unknown party '{patron}' (allowed: {_allowed(parties)})")
        elif patron in clients:
            errors.append(
                f"{path}.patron: '{patron}' is itself a client of '{clients[patron]}' "
                "(allowed: a patron that is nobody's client)"
            )
        if not actors[client].positions:
            errors.append(
                f"{path}: '{client}' holds no position, so it has no deal to defect from "
                "(allowed: give it positions)"
            )
        attackers = [a for a, s in actors.items() if s.war is not None and s.war.against == client]
        if spec.stake > 0 and not attackers:
            errors.append(
                f"{path}.stake: no actor's war option is against '{client}', so nothing uses "
                "it (allowed: 0, or give an actor war.against it)"
            )
    for index, round_ in enumerate(scenario.rounds):
        for j, side in enumerate(round_.participants):
            if side in clients:
                errors.append(
                    f"rounds.{index}.participants.{j}: '{side}' is a client of "
                    f"'{clients[side]}', whose acceptance stands for it (allowed: seat it in "
                    "a bloc with its patron, or leave it away from the table)"
                )
    for bloc_id, bloc in scenario.blocs.items():
        if bloc.speaker in clients:
            errors.append(
                f"blocs.{bloc_id}.speaker: '{bloc.speaker}' is a client, whose patron speaks "
                "for it (allowed: a member that is nobody's client)"
            )
        for j, member in enumerate(bloc.members):
            if member in clients and clients[member] not in bloc.members:
                errors.append(
                    f"blocs.{bloc_id}.members.{j}: client '{member}' sits without its patron "
                    f"'{clients[member]}', so nobody would accept on its behalf (allowed: add "
                    f"'{clients[member]}' to the bloc)"
                )
    for index, veto in enumerate(scenario.vetoes):
        if veto.holder in clients:
            errors.append(
                f"vetoes.{index}.holder: '{veto.holder}' is a client of "
                f"'{clients[veto.holder]}', whose acceptance binds it, so it holds no veto of "
                "its own (allowed: drop the veto, or drop client_of)"
            )
    return errors


def _war_stake_errors(scenario: Scenario) -> list[str]:
    """A war stake must name a target another party's war option is against (section 7.37).

    A mediator's stakes are refused with its other party-only fields (it holds
    no no-deal value to lower); a stake on one's own war target is its war cost;
    a patron's stake in its client's war already counts that war.
    """
    errors = []
    actors = scenario.actors
    for holder, spec in actors.items():
        if spec.role != "party":
            continue
        own = spec.war.against if spec.war is not None else None
        usable = sorted(
            {
                other.war.against
                for a, other in actors.items()
                if other.war is not None and other.role == "party" and a != holder
            }
            - {holder, own}
        )
        for target in spec.war_stakes:
            path = f"actors.{holder}.war_stakes.{target}"
            if target == holder:
                errors.append(
                    f"{path}: a stake in a war against itself is what that war costs it, which "
                    f"its no-deal value already counts (allowed: {_allowed(usable)})"
                )
            elif target not in actors:
                errors.append(f"{path}: unknown actor '{target}' (allowed: {_allowed(usable)})")
            elif target == own:
                errors.append(
                    f"{path}: '{holder}' would fight that war itself, and its war.cost is what "
                    f"it costs it (allowed: {_allowed(usable)})"
                )
            elif target not in usable:
                errors.append(
                    f"{path}: no other party's war option is against '{target}', so nothing "
                    f"uses it (allowed: {_allowed(usable)})"
                )
            else:
                client = actors[target].client_of
                if client is not None and client.patron == holder and client.stake != 0:
                    errors.append(
                        f"{path}: '{target}' is a client of '{holder}' whose client_of.stake "
                        "already counts a war against it (allowed: one of the two; drop this, "
                        f"or set actors.{target}.client_of.stake to 0)"
                    )
    return errors
