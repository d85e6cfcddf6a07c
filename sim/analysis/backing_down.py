"""Red lines a principal would give up at home, at the means (docs/model.md, section 7.38).

Between rounds the engine's principals weigh the offers their delegations
refused (on packages nothing could be agreed on) against holding out: when an offer, less the audience cost of a public
retreat, beats the value of no deal (or of the war no deal brings), the red
lines it crossed move to it. The analysis has no offers, so it reads the other
side's demand as the offer: on each issue the ideal, among the parties outside
the actor's own bloc, nearest to the actor's own. The rest is the same rule on
mean values, with the value of no deal at the last round
(:func:`sim.analysis.no_deal.no_deal_value`) and the audience cost counted for
an actor that has an escalation ladder (it may have escalated in public).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sim.analysis.no_deal import beats_no_deal, linked_groups, mean_stances, no_deal_value
from sim.analysis.utility import package_utility
from sim.scenario.distributions import param_mean

if TYPE_CHECKING:
    from sim.analysis.zopa import IssueZopa
    from sim.scenario.schema import Scenario


def backed_down(scenario: Scenario, zones: Mapping[str, IssueZopa]) -> tuple[Scenario, list[str]]:
    """The scenario with the red lines its principals would give up, and why, in words.

    Args:
        scenario: A validated scenario.
        zones: Its ZOPAs (:func:`sim.analysis.zopa.zopa`), one per agenda issue.

    Returns:
        The scenario with those red lines moved (itself when none moves, or
        when it has a single round: nobody returns home before a table
        that could accept), and one sentence per actor and package that moves.
    """
    if len(scenario.rounds) < 2:
        return scenario, []
    issues = scenario.issues
    agenda = list(zones)
    procedural = [i for i in agenda if issues[i].procedural]
    groups = linked_groups(agenda, [a.linkage for a in scenario.actors.values()], procedural)
    # Only a package nothing can be agreed on is refused at the table and weighed at home.
    groups = [g for g in groups if beats_no_deal(scenario, g, zones) is None]
    overrides: dict[str, float] = {}
    reasons: list[str] = []
    for actor_id, spec in scenario.actors.items():
        if spec.role != "party" or param_mean(spec.mandate.soften) <= 0:
            continue
        stances = mean_stances(scenario, actor_id)
        allies = {
            m for bloc in scenario.blocs.values() if actor_id in bloc.members for m in bloc.members
        }
        for group in groups:
            held = [i for i in group if i in stances]
            demand = {i: _demand(scenario, actor_id, allies, i) for i in held}
            crossed = [i for i in held if not stances[i].acceptable(demand[i])]
            if not crossed:
                continue
            public = any(not issues[i].secret for i in crossed)
            cost = param_mean(spec.mandate.audience_cost) if spec.escalation and public else 0.0
            worth = package_utility(stances, demand, held)
            hold = no_deal_value(scenario, actor_id, held)
            if worth - cost <= hold + 1e-9:
                continue
            for issue in crossed:
                overrides[f"actors.{actor_id}.positions.{issue}.red_line"] = demand[issue]
            paid = f", less the audience cost {cost:.2f}," if cost > 0 else ""
            reasons.append(
                f"{actor_id} backs down at home on {', '.join(crossed)}: the other side's demand "
                f"is worth {worth:.2f} to it{paid} more than holding out ({hold:.2f})"
            )
    if not overrides:
        return scenario, []
    return scenario.with_overrides(overrides), reasons


def _demand(scenario: Scenario, actor_id: str, allies: set[str], issue: str) -> float:
    """The other side's demand on ``issue``: the ideal outside the bloc nearest the actor's own."""
    own = scenario.actors[actor_id].positions[issue].ideal
    ideals = [
        spec.positions[issue].ideal
        for other, spec in scenario.actors.items()
        if other != actor_id
        and other not in allies
        and spec.role == "party"
        and issue in spec.positions
    ]
    if not ideals:
        return own
    return min(ideals, key=lambda ideal: (abs(ideal - own), ideal))
