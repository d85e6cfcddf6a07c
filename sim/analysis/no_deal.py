"""Each side's value of no deal, and whether a package beats it for everyone (pure, no Mesa).

The disagreement point of bargaining theory is what each side gets if talks
fail: the status quo (or its walk-away value), its own war lottery when the
issues include a core demand it would fight for (Fearon 1995), or, for the
target of another's credible war option, the war it would then face. Delay
costs erode all of it by the day; dated changes (a truce expiring) move the
no-deal value alone. The model's BATNA (docs/model.md, 7.4) is
the same formula on a run's drawn values; here every distribution is at its
mean and time stands at the last round, when a deal is most likely to pay.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from sim.analysis.fearon import capability_share
from sim.analysis.utility import Stance, package_utility
from sim.scenario.distributions import param_mean

if TYPE_CHECKING:
    from sim.analysis.zopa import IssueZopa
    from sim.scenario.schema import Scenario

POINTS_PER_ISSUE = 7
"""Candidate positions per issue when searching a package that beats no deal."""

MAX_PACKAGES = 20_000
"""Largest number of candidate packages searched (fewer points per issue beyond)."""


def mean_stances(scenario: Scenario, actor: str) -> dict[str, Stance]:
    """An actor's stances with every distribution at its mean (analysis without simulation).

    Args:
        scenario: A validated scenario.
        actor: Actor id.

    Returns:
        Issue id to :class:`~sim.model.utility.Stance`.
    """
    spec = scenario.actors[actor]
    stances: dict[str, Stance] = {}
    for issue, position in spec.positions.items():
        low, high = scenario.issues[issue].scale
        stances[issue] = Stance(
            ideal=position.ideal,
            red_line=param_mean(position.red_line),
            salience=param_mean(position.salience),
            low=low,
            high=high,
            shape=spec.utility,
        )
    return stances


def _core(scenario: Scenario, actor_id: str) -> set[str]:
    positions = scenario.actors[actor_id].positions
    return {i for i, p in positions.items() if p.core} or set(positions)


def war_odds(scenario: Scenario, actor_id: str) -> float:
    """An actor's own war odds at the mean, or its capability share."""
    spec = scenario.actors[actor_id]
    assert spec.war is not None
    if spec.war.win_probability is not None:
        return param_mean(spec.war.win_probability)
    target = scenario.actors[spec.war.against]
    return capability_share(param_mean(spec.capability), param_mean(target.capability))


def elapsed_days(scenario: Scenario) -> int:
    """Days from the first round to the last (when the analysis weighs no deal)."""
    return (scenario.rounds[-1].date - scenario.rounds[0].date).days


def scheduled_change(changes: Iterable[tuple[dt.date, float]], today: dt.date) -> float:
    """Sum of the dated changes ``(date, by)`` to a no-deal value that have taken effect by ``today``."""
    return sum(by for date, by in changes if date <= today)


def war_under_way(scenario: Scenario) -> tuple[str, str] | None:
    """The (aggressor, target) of a war being fought when the talks open, or None."""
    for actor_id, spec in scenario.actors.items():
        if spec.war is not None and spec.war.ongoing:
            return actor_id, spec.war.against
    return None


def fighting_value(scenario: Scenario, actor_id: str, issues: Sequence[str]) -> float | None:
    """What the war under way is worth to one of its parties if no ceasefire on ``issues``.

    None when ``actor_id`` fights no war under way or ``issues`` hold no
    ceasefire issue. The aggressor gets ``p - c``; the target ``1 - p - c_target``,
    with ``p`` as the target believes it (means; before costs of delay).
    """
    fought = war_under_way(scenario)
    if fought is None or actor_id not in fought:
        return None
    if not any(scenario.issues[i].ceasefire for i in issues):
        return None
    aggressor, target = fought
    war = scenario.actors[aggressor].war
    assert war is not None
    if actor_id == aggressor:
        return war_odds(scenario, aggressor) - param_mean(war.cost)
    spec = scenario.actors[target]
    believed = spec.beliefs.get(aggressor)
    p = (
        param_mean(believed.win_probability)
        if believed is not None and believed.win_probability is not None
        else war_odds(scenario, aggressor)
    )
    own = param_mean(spec.war.cost) if spec.war and spec.war.against == aggressor else 0.0
    return 1.0 - p - own


def no_deal_value(scenario: Scenario, actor_id: str, issues: Sequence[str]) -> float:
    """What failing to agree on ``issues`` is worth to ``actor_id`` (means, at the last round)."""
    spec = scenario.actors[actor_id]
    stances = mean_stances(scenario, actor_id)
    drift = param_mean(spec.delay_cost) * elapsed_days(scenario)
    fought = fighting_value(scenario, actor_id, issues)
    if fought is not None:
        return fought - drift
    keys = [i for i in issues if i in stances]
    if spec.no_deal is not None:
        value = param_mean(spec.no_deal)
    else:
        value = package_utility(stances, {i: scenario.issues[i].status_quo for i in keys}, keys)
    if spec.no_deal_changes:
        changes = ((c.date, c.by) for c in spec.no_deal_changes)
        value = min(1.0, value + scheduled_change(changes, scenario.rounds[-1].date))
    value -= drift
    for other_id, other in scenario.actors.items():
        war = other.war
        if war is None or war.against != actor_id or not (_core(scenario, other_id) & set(issues)):
            continue
        believed = spec.beliefs.get(other_id)
        p = (
            param_mean(believed.win_probability)
            if believed is not None and believed.win_probability is not None
            else war_odds(scenario, other_id)
        )
        cost = (
            param_mean(believed.war_cost)
            if believed is not None and believed.war_cost is not None
            else param_mean(war.cost)
        )
        other_quo = package_utility(
            mean_stances(scenario, other_id),
            {i: scenario.issues[i].status_quo for i in other.positions},
        )
        if p - cost > other_quo:
            own_cost = (
                param_mean(spec.war.cost) if spec.war and spec.war.against == other_id else 0.0
            )
            value = min(value, 1.0 - p - own_cost - drift)
    value -= promised(scenario, actor_id, issues) + stake_loss(scenario, actor_id, issues)
    if spec.war is not None and _core(scenario, actor_id) & set(issues):
        value = max(value, war_odds(scenario, actor_id) - param_mean(spec.war.cost) - drift)
    return value


def promised(scenario: Scenario, actor_id: str, issues: Sequence[str]) -> float:
    """What mediators' guarantees take off a party's no-deal value on ``issues`` (section 7.34).

    A ``signing`` promise counts in full (a deal it signs is worth that much
    more) and a ``no_deal`` promise with its sign reversed, where the giver
    chairs a mediated or shuttle round that seats the party with one of the issues.
    """
    total = 0.0
    for giver, spec in scenario.actors.items():
        for promise in spec.guarantees:
            if promise.to != actor_id or promise.kind == "breach_penalty":
                continue
            chaired = any(
                r.mediator == giver
                and r.protocol in ("mediated", "shuttle")
                and set(r.agenda) & set(issues)
                and actor_id in {a for p in r.participants for a in scenario.side_members(p)}
                for r in scenario.rounds
            )
            if chaired:
                total += promise.by if promise.kind == "signing" else -promise.by
    return total


def stake_loss(scenario: Scenario, patron: str, issues: Sequence[str]) -> float:
    """What others' wars take off a party's no-deal value on ``issues`` (sections 7.35, 7.37).

    ``Σ stake_c · max(0, N_c − (1 − p − c_c))`` over the patron's clients, for
    each client whose attacker's core demands are among ``issues`` and whose war
    (``p − cost`` as the patron believes it) beats the attacker's status quo;
    plus ``Σ s_t`` over its war stakes on targets some such war is against (at
    the means a war either comes or not: its odds are 1 or 0).
    """
    total = 0.0
    for client_id, client in scenario.actors.items():
        if client.client_of is None or client.client_of.patron != patron:
            continue
        stake = param_mean(client.client_of.stake)
        held = [i for i in issues if i in client.positions] or list(client.positions)
        quo = package_utility(
            mean_stances(scenario, client_id),
            {i: scenario.issues[i].status_quo for i in held},
            held,
        )
        loss = 0.0
        for other_id, other in scenario.actors.items():
            war = other.war
            if war is None or war.against != client_id:
                continue
            p = _coming_war(scenario, patron, other_id, issues)
            if p is not None:
                own = param_mean(client.war.cost) if client.war else 0.0
                loss = max(loss, quo - (1.0 - p - own))
        total += stake * max(0.0, loss)
    for target, cost in scenario.actors[patron].war_stakes.items():
        attackers = [
            a for a, spec in scenario.actors.items() if spec.war and spec.war.against == target
        ]
        if any(_coming_war(scenario, patron, a, issues) is not None for a in attackers):
            total += param_mean(cost)
    return total


def _coming_war(
    scenario: Scenario, observer: str, attacker: str, issues: Sequence[str]
) -> float | None:
    """The attacker's win probability as ``observer`` believes it, if its war over ``issues`` comes.

    It comes when the attacker's core demands are among ``issues`` and its war
    at the means (``p − cost``) beats its status quo; None otherwise.
    """
    other = scenario.actors[attacker]
    war = other.war
    assert war is not None
    if not _core(scenario, attacker) & set(issues):
        return None
    believed = scenario.actors[observer].beliefs.get(attacker)
    p = (
        param_mean(believed.win_probability)
        if believed is not None and believed.win_probability is not None
        else war_odds(scenario, attacker)
    )
    other_quo = package_utility(
        mean_stances(scenario, attacker),
        {i: scenario.issues[i].status_quo for i in other.positions},
    )
    return p if p - param_mean(war.cost) > other_quo else None


def beats_no_deal(
    scenario: Scenario, issues: Sequence[str], zones: Mapping[str, IssueZopa]
) -> dict[str, float] | None:
    """A package inside every ZOPA that every party on it prefers to no deal, or None.

    Searches a grid of candidate positions per issue (the ZOPA's ends, the
    parties' ideals inside it, evenly spaced points; the labelled points of an
    indivisible issue) for the package with the largest smallest gain over
    each party's no-deal value.
    """
    if any(zones[i].interval is None for i in issues):
        return None
    parties = sorted(
        a
        for a in {a for i in issues for a in zones[i].constraints}
        if scenario.actors[a].role == "party"  # a mediator signs what is inside its red lines
    )
    if not parties:
        # Nobody holds a position here: nothing stands in the way of any package.
        return {issue: zones[issue].interval[0] for issue in issues}  # type: ignore[index]
    stances = {a: mean_stances(scenario, a) for a in parties}
    candidates = []
    per_issue = POINTS_PER_ISSUE
    while per_issue > 2 and per_issue ** len(issues) > MAX_PACKAGES:
        per_issue -= 1
    for issue in issues:
        zone = zones[issue]
        low, high = zone.interval  # type: ignore[misc]
        if zone.points:
            points = list(zone.points)
        else:
            points = [low + (high - low) * k / (per_issue - 1) for k in range(per_issue)]
            for actor in parties:
                stance = stances[actor].get(issue)
                if stance is not None and low <= stance.ideal <= high:
                    points.append(stance.ideal)
            if low <= zone.status_quo <= high:
                points.append(zone.status_quo)
        candidates.append(sorted(set(points)))
    floors = {a: no_deal_value(scenario, a, issues) for a in parties}
    best, best_gain = None, -float("inf")
    for combo in itertools.islice(itertools.product(*candidates), MAX_PACKAGES):
        package = dict(zip(issues, combo, strict=True))
        gain = min(
            package_utility(stances[a], package, [i for i in issues if i in stances[a]]) - floors[a]
            for a in parties
        )
        if gain > best_gain:
            best, best_gain = package, gain
    return best if best is not None and best_gain >= -1e-9 else None


def linked_groups(
    agenda: Sequence[str],
    linkages: Iterable[bool | Sequence[Sequence[str]]],
    procedural: Iterable[str] = (),
) -> list[list[str]]:
    """The agenda split into packages settled together, by the given actors' ``linkage``.

    ``True`` ties the agenda's substantive issues (not the ``procedural`` ones)
    into one package; a list of groups ties each group; groups that share an
    issue merge. Issues nobody links stand alone.
    """
    parent = {issue: issue for issue in agenda}
    skip = set(procedural)

    def root(issue: str) -> str:
        while parent[issue] != issue:
            issue = parent[issue]
        return issue

    def tie(group: Sequence[str]) -> None:
        present = [i for i in group if i in parent]
        for issue in present[1:]:
            parent[root(issue)] = root(present[0])

    for linkage in linkages:
        if linkage is True:
            tie([i for i in agenda if i not in skip])
        elif isinstance(linkage, list | tuple):
            for group in linkage:
                tie(group)
    groups: dict[str, list[str]] = {}
    for issue in agenda:
        groups.setdefault(root(issue), []).append(issue)
    return list(groups.values())
