"""Cross-references of a whole scenario: ids that must exist, values something must read.

Works on any object shaped like a :class:`~sim.scenario.schema.Scenario` (the
pydantic model, or the plain objects of :mod:`sim.scenario.quick`): it reads
attributes and calls the methods of :mod:`sim.scenario.rules`, and imports no
pydantic.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from sim.scenario.derived import derived_errors
from sim.scenario.rules import MEDIATOR_FIELDS, param_mean, param_support
from sim.scenario.stakes import stake_errors

if TYPE_CHECKING:
    from sim.scenario.schema import Belief, Bloc, Scenario


class ScenarioRules:
    """The methods and whole-scenario check that a scenario object shares."""

    def problem(self) -> str | None:
        """The first dangling id or unused value, if any."""
        errors = cross_reference_errors(self)  # type: ignore[arg-type]
        return errors[0] if errors else None

    def side_members(self, side: str) -> list[str]:
        """Actor ids behind a participant id: the members of a bloc, or the actor itself."""
        if side in self.blocs:
            return list(self.blocs[side].members)
        return [side]


def cross_reference_errors(scenario: Scenario) -> list[str]:
    """Every dangling id or out-of-scale position, as 'path: what is wrong (allowed)'."""
    errors: list[str] = []
    issues, actors, blocs = scenario.issues, scenario.actors, scenario.blocs
    rungs = scenario.escalation_ladder

    def allowed(names: Any) -> str:
        return ", ".join(names) or "none defined"

    for actor_id, actor in actors.items():
        if actor.role == "mediator":
            errors.extend(
                f"actors.{actor_id}.{name}: a mediator chairs and does not bargain or fight, so "
                f"the engine would ignore its {name} (allowed for a mediator: "
                f"{', '.join(MEDIATOR_FIELDS)}; or make it a party)"
                for name in actor.given_fields()
                if name not in MEDIATOR_FIELDS and getattr(actor, name) != actor.field_default(name)
            )
        for issue_id, position in actor.positions.items():
            path = f"actors.{actor_id}.positions.{issue_id}"
            if issue_id not in issues:
                errors.append(f"{path}: unknown issue '{issue_id}' (allowed: {allowed(issues)})")
                continue
            low, high = issues[issue_id].scale
            if not low <= position.ideal <= high:
                errors.append(
                    f"{path}.ideal: {position.ideal:g} is outside the scale "
                    f"(allowed: {low:g} to {high:g})"
                )
            red_low, red_high = param_support(position.red_line)
            if getattr(position.red_line, "dist", "") == "normal":
                # A normal red line is truncated to the scale; only its mean must lie inside.
                red_low = red_high = param_mean(position.red_line)
            if red_low < low or red_high > high:
                errors.append(
                    f"{path}.red_line: {red_low:g} to {red_high:g} is outside the scale "
                    f"(allowed: {low:g} to {high:g})"
                )
        if isinstance(actor.linkage, list):
            grouped: set[str] = set()
            for g, group in enumerate(actor.linkage):
                for j, issue_id in enumerate(group):
                    if issue_id not in issues:
                        errors.append(
                            f"actors.{actor_id}.linkage.{g}.{j}: unknown issue '{issue_id}' "
                            f"(allowed: {allowed(issues)})"
                        )
                    elif issue_id in grouped:
                        errors.append(
                            f"actors.{actor_id}.linkage.{g}.{j}: issue '{issue_id}' is already "
                            "in another group"
                        )
                    grouped.add(issue_id)
        for index, rung in enumerate(actor.escalation):
            if rung not in rungs:
                errors.append(
                    f"actors.{actor_id}.escalation.{index}: unknown rung '{rung}' "
                    f"(allowed: {allowed(rungs)})"
                )
        listed = [(index, rung) for index, rung in enumerate(actor.escalation) if rung in rungs]
        for (_, before), (index, rung) in pairwise(listed):
            # The engine climbs in the listed order: severity keeps that order honest.
            if rungs[rung].severity < rungs[before].severity:
                errors.append(
                    f"actors.{actor_id}.escalation.{index}: '{rung}' (severity "
                    f"{rungs[rung].severity:g}) is milder than '{before}' before it "
                    f"({rungs[before].severity:g}), and a ladder is climbed in the order "
                    "listed (allowed: mildest first)"
                )
                break
        if (
            actor.role == "party"
            and actor.risk_acceptance != actor.field_default("risk_acceptance")
            and actor.war is None
            and not actor.escalation
            and actor.breach is None
        ):
            # Read by its war lottery, its climbs and its breaches (sections 7.13, 7.19, 7.31).
            errors.append(
                f"actors.{actor_id}.risk_acceptance: it has no war option, no escalation rungs "
                "and no breach penalty, so nothing uses its risk acceptance (allowed: leave it "
                "out, or give it war, escalation or breach)"
            )
        if actor.role == "party" and param_support(actor.mandate.audience_cost)[1] > 0:
            # Paid only by a principal that revises its mandate, after its own public
            # escalation (model sections 7.17 and 7.38): anywhere else nothing reads it.
            path = f"actors.{actor_id}.mandate.audience_cost"
            if param_support(actor.mandate.soften)[1] <= 0:
                errors.append(
                    f"{path}: its principal never revises the mandate (soften 0), so nothing "
                    "uses an audience cost (allowed: 0, or mandate.soften above 0)"
                )
            elif not actor.escalation:
                errors.append(
                    f"{path}: an audience cost is paid for backing down after its own public "
                    "escalation, and it has no escalation rungs (allowed: 0, or escalation rungs)"
                )
        for other, belief in actor.beliefs.items():
            if other not in actors or other == actor_id:
                others = [a for a in actors if a != actor_id]
                errors.append(
                    f"actors.{actor_id}.beliefs.{other}: unknown actor '{other}' "
                    f"(allowed: {allowed(others)})"
                )
                continue
            errors.extend(_belief_errors(scenario, actor_id, other, belief))
        if actor.war is not None:
            if actor.war.against not in actors or actor.war.against == actor_id:
                others = [a for a in actors if a != actor_id]
                errors.append(
                    f"actors.{actor_id}.war.against: unknown actor '{actor.war.against}' "
                    f"(allowed: {allowed(others)})"
                )
    for rung_id, rung in rungs.items():
        holders = [a for a, spec in actors.items() if rung_id in spec.escalation]
        if not holders:
            errors.append(
                f"escalation_ladder.{rung_id}: no actor's escalation lists it, so nothing uses "
                "it (allowed: name it in an actor's escalation, or leave it out)"
            )
        elif param_support(rung.deterrence)[1] > 0 and not any(
            spec.war is not None and other != holder
            for holder in holders
            for other, spec in actors.items()
        ):
            # Deterrence lowers a target's war option, and a climber values it by the war
            # risk it faces (section 7.14): both need a war option held by someone else.
            errors.append(
                f"escalation_ladder.{rung_id}.deterrence: no actor but its users has a war "
                "option, so nothing is deterred (allowed: 0, or give another actor war)"
            )
    errors.extend(stake_errors(scenario))
    errors.extend(derived_errors(scenario))
    breakers = [a for a, spec in actors.items() if spec.breach is not None]
    fighting = [a for a, spec in actors.items() if spec.war is not None and spec.war.ongoing]
    for actor_id in fighting[1:]:
        errors.append(
            f"actors.{actor_id}.war.ongoing: '{fighting[0]}' already fights the war under way "
            "(allowed: one actor with ongoing: true, the war's aggressor)"
        )
    ceasefires = [i for i, issue in issues.items() if issue.ceasefire]
    on_agenda = {i for r in scenario.rounds for i in r.agenda}
    if fighting and not set(ceasefires) & on_agenda:
        errors.append(
            f"actors.{fighting[0]}.war.ongoing: no round's agenda holds a ceasefire issue, so "
            "nothing could end the war (allowed: mark an agenda issue ceasefire: true)"
        )
    for issue_id in ceasefires:
        if not fighting:
            errors.append(
                f"issues.{issue_id}.ceasefire: no war is under way, so nothing uses it "
                "(allowed: give an actor's war ongoing: true)"
            )
    for issue_id, issue in issues.items():
        revisers = [
            a
            for a, actor in actors.items()
            if issue_id in actor.positions
            and actor.escalation
            and param_support(actor.mandate.soften)[1] > 0
            and param_support(actor.mandate.audience_cost)[1] > 0
        ]
        if issue.secret and not revisers:
            errors.append(
                f"issues.{issue_id}.secret: no actor holding it has an audience cost to escape, "
                "so nothing uses it (allowed: a party holding it with escalation, mandate.soften "
                "and mandate.audience_cost above 0)"
            )
        for name, default in (("detection", 1.0), ("verified_by", None)):
            if getattr(issue, name) != default and not breakers:
                errors.append(
                    f"issues.{issue_id}.{name}: no actor may breach an agreement, so nothing "
                    "uses it (allowed: give some actor breach.penalty)"
                )
        if issue.verified_by is not None:
            if issue.verified_by not in issues or issue.verified_by == issue_id:
                others = [i for i in issues if i != issue_id]
                errors.append(
                    f"issues.{issue_id}.verified_by: unknown issue '{issue.verified_by}' "
                    f"(allowed: {allowed(others)})"
                )
            elif issue.detection != 1.0:
                errors.append(
                    f"issues.{issue_id}.detection: set by verified_by "
                    f"'{issue.verified_by}' (allowed: one of detection and verified_by)"
                )
    for bloc_id, bloc in blocs.items():
        if bloc_id in actors:
            errors.append(f"blocs.{bloc_id}: id is already an actor's (ids must be unique)")
        for index, member in enumerate(bloc.members):
            if member not in actors:
                errors.append(
                    f"blocs.{bloc_id}.members.{index}: unknown actor '{member}' "
                    f"(allowed: {allowed(actors)})"
                )
        if bloc.speaker not in bloc.members:
            errors.append(
                f"blocs.{bloc_id}.speaker: '{bloc.speaker}' is not a member "
                f"(allowed: {allowed(bloc.members)})"
            )
        errors.extend(_decision_errors(bloc_id, bloc))
    sides = list(actors) + list(blocs)
    for index, veto in enumerate(scenario.vetoes):
        path = f"vetoes.{index}"
        if veto.holder not in actors:
            errors.append(
                f"{path}.holder: unknown actor '{veto.holder}' (allowed: {allowed(actors)})"
            )
        for j, issue_id in enumerate(veto.issues):
            if issue_id not in issues:
                errors.append(
                    f"{path}.issues.{j}: unknown issue '{issue_id}' (allowed: {allowed(issues)})"
                )
        for j, bound in enumerate(veto.binds):
            if bound not in sides:
                errors.append(
                    f"{path}.binds.{j}: unknown actor or bloc '{bound}' (allowed: {allowed(sides)})"
                )
        if veto.stage == "ratification" and veto.holder in actors:
            for j, issue_id in enumerate(veto.issues):
                if issue_id in issues and issue_id not in actors[veto.holder].positions:
                    errors.append(
                        f"{path}.issues.{j}: ratifier '{veto.holder}' holds no position on "
                        f"'{issue_id}', so it would ratify anything there (allowed: "
                        f"{allowed(actors[veto.holder].positions)})"
                    )
    seen_rounds: set[str] = set()
    for index, round_ in enumerate(scenario.rounds):
        path = f"rounds.{index}"
        if round_.id in seen_rounds:
            errors.append(f"{path}.id: round id '{round_.id}' is used twice")
        seen_rounds.add(round_.id)
        for j, side in enumerate(round_.participants):
            if side not in sides:
                errors.append(
                    f"{path}.participants.{j}: unknown actor or bloc '{side}' "
                    f"(allowed: {allowed(sides)})"
                )
            elif side in actors and actors[side].role == "mediator":
                errors.append(
                    f"{path}.participants.{j}: '{side}' is a mediator, not a party "
                    "(name it as mediator instead)"
                )
        for j, issue_id in enumerate(round_.agenda):
            if issue_id not in issues:
                errors.append(
                    f"{path}.agenda.{j}: unknown issue '{issue_id}' (allowed: {allowed(issues)})"
                )
        if round_.mediator is not None:
            if round_.mediator not in actors:
                errors.append(
                    f"{path}.mediator: unknown actor '{round_.mediator}' (allowed: {allowed(actors)})"
                )
            elif round_.mediator in round_.participants:
                errors.append(f"{path}.mediator: the mediator cannot also be a participant")
        errors.extend(_curved_subgame_perfect_errors(scenario, index))
    if scenario.record is not None and scenario.record.source not in scenario.sources:
        errors.append(
            f"record.source: unknown source '{scenario.record.source}' "
            f"(allowed: {allowed(scenario.sources)})"
        )
    return errors


def _decision_errors(bloc_id: str, bloc: Bloc) -> list[str]:
    """A decision rule's fields must fit the rule: what the rule would not use is refused."""
    path = f"blocs.{bloc_id}"
    errors = []
    if bloc.decision == "consensus":
        for name in ("required", "share", "weights"):
            if getattr(bloc, name):
                errors.append(
                    f"{path}.{name}: consensus needs every member, so nothing uses it "
                    "(allowed: decision sufficient_consensus or qualified_majority)"
                )
        return errors
    if bloc.share is None:
        errors.append(
            f"{path}.share: {bloc.decision} needs the share that must agree (allowed: 0 < share <= 1)"
        )
    if bloc.weights and bloc.decision != "qualified_majority":
        errors.append(
            f"{path}.weights: only qualified_majority weighs members (allowed: decision "
            "qualified_majority)"
        )
    for name, ids in (("required", bloc.required), ("weights", list(bloc.weights))):
        for j, member in enumerate(ids):
            if member not in bloc.members:
                where = f"{path}.{name}.{j}" if name == "required" else f"{path}.{name}.{member}"
                errors.append(
                    f"{where}: '{member}' is not a member (allowed: {', '.join(bloc.members)})"
                )
    for member, weight in bloc.weights.items():
        if not (weight >= 0 and math.isfinite(weight)):
            errors.append(f"{path}.weights.{member}: {weight} (allowed: a number >= 0)")
    return errors


def _belief_errors(scenario: Scenario, actor_id: str, other: str, belief: Belief) -> list[str]:
    """A prior about a parameter the other actor does not have would be ignored: refuse it."""
    errors = []
    path = f"actors.{actor_id}.beliefs.{other}"
    about = scenario.actors[other]
    # Its risk acceptance is read only through its war lottery and its climbs here.
    risky = about.war is not None or bool(about.escalation)
    for name in ("win_probability", "war_cost"):
        if getattr(belief, name) is not None and about.war is None:
            errors.append(
                f"{path}.{name}: '{other}' has no war option, so nothing uses this prior "
                f"(allowed: priors on red_lines{' or risk_acceptance' if risky else ''})"
            )
    if belief.risk_acceptance is not None and not risky:
        errors.append(
            f"{path}.risk_acceptance: '{other}' has no war option and no escalation rungs, so "
            "nothing uses this prior (allowed: priors on red_lines)"
        )
    for issue_id, prior in belief.red_lines.items():
        if issue_id not in about.positions:
            errors.append(
                f"{path}.red_lines.{issue_id}: '{other}' holds no position on '{issue_id}' "
                f"(allowed: {', '.join(about.positions) or 'none defined'})"
            )
            continue
        low, high = scenario.issues[issue_id].scale if issue_id in scenario.issues else (0, 0)
        red_low, red_high = param_support(prior)
        if getattr(prior, "dist", "") == "normal":
            red_low = red_high = param_mean(prior)
        if issue_id in scenario.issues and (red_low < low or red_high > high):
            errors.append(
                f"{path}.red_lines.{issue_id}: {red_low:g} to {red_high:g} is outside the "
                f"scale (allowed: {low:g} to {high:g})"
            )
    return errors


def _curved_subgame_perfect_errors(scenario: Scenario, index: int) -> list[str]:
    """Refuse ``subgame_perfect`` where a curved utility meets a game it cannot solve.

    The strategy solves Rubinstein's game for the actual utilities on one
    divisible issue in alternating offers; over several issues, or in a
    mediated round, its shares are taken on the utility scale, which is the
    equilibrium only for linear utilities.
    """
    round_ = scenario.rounds[index]
    if round_.protocol == "alternating_offers":
        if len(round_.agenda) < 2:
            return []
        where = f"round '{round_.id}' has {len(round_.agenda)} issues"
    elif round_.protocol in ("mediated", "shuttle"):
        where = f"round '{round_.id}' is {round_.protocol}"
    else:
        return []
    members = [
        m
        for side in round_.participants
        if side in scenario.blocs or side in scenario.actors
        for m in scenario.side_members(side)
        if m in scenario.actors
    ]
    if all(scenario.actors[m].utility == "linear" for m in members):
        return []
    return [
        f"actors.{m}.strategy: subgame_perfect is solved for a non-linear utility only in "
        f"alternating offers on one issue, and {where} (allowed: one agenda issue in "
        "alternating offers, or linear utilities for every participant)"
        for m in members
        if scenario.actors[m].strategy.kind == "subgame_perfect"
    ]
