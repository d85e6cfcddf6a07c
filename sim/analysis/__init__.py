"""Closed-form analysis beside the simulation: theory to set against the simulated runs.

One idea per module, pure functions on plain data, no Mesa:

* :mod:`sim.analysis.zopa`: who must agree, acceptable intervals, the ZOPA per
  issue, and the red lines that block a full agreement;
* :mod:`sim.analysis.bargaining`: Nash (symmetric, weighted) and
  Kalai–Smorodinsky solutions, Pareto frontier, on utility pairs;
* :mod:`sim.analysis.backing_down`: the red lines a principal would give up at
  home when the other side's demand beats holding out;
* :mod:`sim.analysis.scenario_bargaining`: the same for a two-party scenario
  inside its ZOPA;
* :mod:`sim.analysis.rubinstein`: subgame-perfect alternating-offers split;
* :mod:`sim.analysis.fearon`: bargaining range, mutual optimism, risk-return
  trade-off under private information, commitment problems;
* :mod:`sim.analysis.games`: 2×2 crisis games solved by nashpy;
* :mod:`sim.analysis.expected_utility`: Bueno de Mesquita's expected-utility
  model (Scholz, Calbert & Smith 2011).

:func:`analyze` gathers what applies to a scenario. This module imports
nothing heavy at import time (the submodules load when :func:`analyze` runs),
so ``import sim.analysis`` stays cheap for the CLI.

Predicted class
---------------
:func:`analyze` predicts the outcome class from the ZOPAs alone (parameters at
their means). In a scenario of two rounds or more it first moves the red lines
its principals would give up at home (:mod:`sim.analysis.backing_down`), then
reads, in this order:

1. every linked package of the agenda (:func:`sim.analysis.no_deal.linked_groups`)
   has a point inside its ZOPA that every party prefers to its value of no
   deal (status quo or walk-away value, its war lottery when a core demand is
   at stake, the war it faces as the target of a credible threat, less costs
   of delay up to the last round: :func:`sim.analysis.no_deal.no_deal_value`):
   ``agreement`` (``talks_continue`` when the agenda is procedural only);
2. otherwise, ``war`` when an actor with a war option values war (``p − c``)
   above its status-quo utility on the agenda and has an unmet demand (a core
   position, or any position if it marks none as core, on an issue without a
   ZOPA);
3. otherwise ``deadlock`` when no package can be agreed and some are linked:
   nothing is agreed until everything is;
4. otherwise ``partial`` when some substantive issue has a ZOPA,
   ``talks_continue`` when only procedural ones do, and ``deadlock`` when none
   does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.analysis.derived import DerivedZopa
    from sim.analysis.expected_utility import RoundResult
    from sim.analysis.fearon import FearonPair
    from sim.analysis.games import GameSolution
    from sim.analysis.rubinstein import RubinsteinSplit
    from sim.analysis.scenario_bargaining import ScenarioBargaining
    from sim.analysis.zopa import IssueZopa
    from sim.scenario.schema import Scenario

__all__ = ["Analysis", "analyze"]

PREDICTED_CLASSES = ("agreement", "partial", "deadlock", "talks_continue", "war")
"""The outcome classes :func:`analyze` can predict (the simulation's classes)."""


@dataclass(frozen=True)
class Analysis:
    """Everything closed-form theory says about a scenario.

    Attributes:
        scenario: The scenario's name.
        zopa: ZOPA per agenda issue.
        full_agreement_possible: True when one package can respect every red line.
        blocking: For issues without a ZOPA, the pairs of actors whose red lines clash.
        status_quo_utilities: Each actor's utility of the status quo on the agenda.
        bargaining: Nash / Kalai–Smorodinsky solutions for a two-party scenario
            with a full ZOPA, else None.
        rubinstein: Rubinstein's split for a two-party one-issue scenario, else None.
        fearon: The Fearon problem of every actor with a war option.
        expected_utility: Bueno de Mesquita's model, per issue of the
            ``expected_utility`` rounds.
        games: The equilibria (nashpy) of each ``population_game`` round's game, by round id.
        derived: Per derived issue fed by the agenda (model section 7.36): whether its
            dependencies' ZOPAs can keep it inside every red line on it.
        predicted_class: One of :data:`PREDICTED_CLASSES` (rules in the module docstring).
        reasons: Why, in words.
    """

    scenario: str
    zopa: dict[str, IssueZopa]
    full_agreement_possible: bool
    blocking: dict[str, list[tuple[str, str]]]
    status_quo_utilities: dict[str, float]
    bargaining: ScenarioBargaining | None
    rubinstein: RubinsteinSplit | None
    fearon: list[FearonPair]
    expected_utility: dict[str, list[RoundResult]] = field(default_factory=dict)
    games: dict[str, GameSolution] = field(default_factory=dict)
    derived: dict[str, DerivedZopa] = field(default_factory=dict)
    predicted_class: str = "deadlock"
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict: lists for tuples, string keys, None for non-finite numbers."""
        result: dict[str, Any] = _plain(self)
        for issue, zone in self.zopa.items():
            result["zopa"][issue]["feasible"] = zone.feasible
        if self.rubinstein is not None:
            result["rubinstein"]["responder_share"] = self.rubinstein.responder_share
        return result


def _plain(value: Any) -> Any:
    """Recursively turn dataclasses, tuples and numpy scalars into JSON-friendly values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number if math.isfinite(number) else None


def _key(key: Any) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def _no_zopa_reason(issue: str, blocking: list[tuple[str, str]], shown: int = 3) -> str:
    if not blocking:
        return f"no ZOPA on {issue}"
    pairs = ", ".join(f"{a} and {b}" for a, b in blocking[:shown])
    more = f" (and {len(blocking) - shown} more pairs)" if len(blocking) > shown else ""
    return f"no ZOPA on {issue}: red lines of {pairs}{more} do not overlap"


def _predict(
    scenario: Scenario,
    zones: dict[str, IssueZopa],
    fearon: list[FearonPair],
    status_quo: dict[str, float],
) -> tuple[str, list[str]]:
    from sim.analysis.no_deal import beats_no_deal, linked_groups, no_deal_value, war_under_way

    issues = scenario.issues
    if not zones:
        return "deadlock", ["no issue is on any agenda: the scenario plays games only"]
    agenda = list(zones)
    procedural = [i for i in agenda if issues[i].procedural]
    groups = linked_groups(agenda, [a.linkage for a in scenario.actors.values()], procedural)
    open_groups = [g for g in groups if beats_no_deal(scenario, g, zones) is None]
    infeasible = [issue for g in open_groups for issue in g]
    if not infeasible:
        if all(issues[i].procedural for i in zones):
            return "talks_continue", ["only procedural issues are on the agenda; all can be agreed"]
        return "agreement", [
            "every agenda issue has a ZOPA, and a package inside it beats every side's value "
            "of no deal (status quo, war or costs of delay)"
        ]
    reasons = []
    for group in open_groups:
        blocked = [i for i in group if not zones[i].feasible]
        if blocked:
            reasons.extend(_no_zopa_reason(i, zones[i].blocking) for i in blocked)
        else:
            parties = sorted({a for i in group for a in zones[i].constraints})
            values = ", ".join(f"{a} {no_deal_value(scenario, a, group):.2f}" for a in parties)
            reasons.append(
                f"no package on {', '.join(group)} beats every side's value of no deal ({values})"
            )
    fought = war_under_way(scenario)
    ceasefire = [i for i in infeasible if issues[i].ceasefire]
    if fought is not None and ceasefire:
        reasons.append(
            f"no ceasefire on {', '.join(ceasefire)} beats the war under way for both "
            f"{fought[0]} and {fought[1]}: the war goes on"
        )
        return "war", reasons
    for pair in fearon:
        actor = scenario.actors[pair.actor]
        core = [i for i, p in actor.positions.items() if p.core]
        demands = core or list(actor.positions)
        unmet = [i for i in infeasible if i in demands]
        sq = status_quo.get(pair.actor, 0.5)
        if unmet and pair.war_value > sq:
            reasons.append(
                f"{pair.actor}: war is worth {pair.war_value:.2f} (p − c) > status quo "
                f"{sq:.2f}, and its demand on {', '.join(unmet)} cannot be met"
            )
            return "war", reasons
    linked_open = [g for g in open_groups if len(g) > 1]
    if linked_open and len(open_groups) == len(groups):
        reasons.append("the linked package cannot be agreed: nothing is agreed")
        return "deadlock", reasons
    feasible = [issue for issue in agenda if issue not in infeasible]
    substantive = [issue for issue in feasible if not issues[issue].procedural]
    if substantive:
        reasons.append(f"a deal that beats no deal exists on {', '.join(substantive)} only")
        return "partial", reasons
    if feasible:
        reasons.append(f"only procedural issues ({', '.join(feasible)}) can be agreed")
        return "talks_continue", reasons
    return "deadlock", reasons


def _with_derived(
    scenario: Scenario,
    zones: dict[str, IssueZopa],
    derived: dict[str, DerivedZopa],
    predicted: str,
    reasons: list[str],
) -> tuple[str, list[str]]:
    """The prediction with derived issues: one no package can keep inside every red line blocks.

    A derived issue ties the issues it depends on into one package (model
    section 7.36); when no package of their ZOPAs puts it inside every red line
    on it, that package cannot be agreed: an ``agreement`` prediction becomes
    ``deadlock`` if the package holds every substantive agenda issue, else
    ``partial``. The other rules judge packages without the derived issue's
    utility, and the reasons say so.
    """
    reasons = list(reasons)
    blocked: set[str] = set()
    for issue, zone in derived.items():
        deps = ", ".join(zone.depends_on)
        if zone.feasible:
            reasons.append(
                f"{issue} is derived from {deps}: their ZOPAs can keep it inside every red line "
                "on it; the other rules value packages without it, and no bargaining solution "
                "is computed (its grid would treat it as free)"
            )
            continue
        blocked.update(d for d in zone.depends_on if d in zones)
        reasons.append(
            f"no package of {deps} inside their ZOPAs keeps derived {issue} inside every red "
            "line on it"
        )
    substantive = [i for i in zones if not scenario.issues[i].procedural]
    if predicted == "agreement" and blocked:
        predicted = "deadlock" if set(substantive) <= blocked else "partial"
    return predicted, reasons


def _games(scenario: Scenario) -> dict[str, GameSolution]:
    """Solve the symmetric game of every population_game round with nashpy."""
    solved: dict[str, GameSolution] = {}
    rounds = [r for r in scenario.rounds if r.protocol == "population_game" and r.game]
    if not rounds:
        return solved
    from sim.analysis.games import bimatrix, equilibria

    for round_ in rounds:
        game = round_.game
        assert game is not None
        row = game.payoffs
        column = ((row[0][0], row[1][0]), (row[0][1], row[1][1]))
        players = (round_.participants[0], round_.participants[1])
        solved[round_.id] = equilibria(
            bimatrix(round_.id, row, column, actions=game.actions, players=players)
        )
    return solved


def analyze(scenario: Scenario) -> Analysis:
    """Closed-form analysis of a scenario (every distribution at its mean).

    Args:
        scenario: A validated scenario.

    Returns:
        The :class:`Analysis`: ZOPAs, joint feasibility and blocking red lines,
        Nash / Kalai–Smorodinsky (two-party scenarios with a full ZOPA),
        Rubinstein (two-party one-issue), Fearon pairs, the expected-utility
        forecast for ``expected_utility`` rounds, and the predicted class.
    """
    from sim.analysis.backing_down import backed_down
    from sim.analysis.derived import derived_zopas
    from sim.analysis.expected_utility import bdm_from_scenario
    from sim.analysis.fearon import fearon_pairs
    from sim.analysis.rubinstein import rubinstein_split
    from sim.analysis.scenario_bargaining import scenario_bargaining, status_quo_utility
    from sim.analysis.zopa import blocking_red_lines, full_agreement_possible, zopa

    zones = zopa(scenario)
    agenda = list(zones)
    status_quo = {
        actor: status_quo_utility(scenario, actor, [i for i in agenda if i in spec.positions])
        for actor, spec in scenario.actors.items()
        if spec.role == "party"
    }
    derived = derived_zopas(scenario, zones)
    full = full_agreement_possible(zones) and all(z.feasible for z in derived.values())
    pairs = fearon_pairs(scenario)
    # The prediction reads the red lines the principals would give up at home
    # (the scenario itself, and its ZOPAs, when nobody backs down).
    revised, backed = backed_down(scenario, zones)
    predicted, reasons = _predict(revised, zopa(revised) if backed else zones, pairs, status_quo)
    reasons = backed + reasons
    if derived:
        predicted, reasons = _with_derived(scenario, zones, derived, predicted, reasons)
    forecast_issues = [issue for issue in agenda if len(_forecast_players(scenario, issue)) >= 2]
    return Analysis(
        scenario=scenario.name,
        zopa=zones,
        full_agreement_possible=full,
        blocking=blocking_red_lines(zones),
        status_quo_utilities=status_quo,
        # The bargaining grid values packages issue by issue: with a derived issue
        # in play it would treat it as free, so it is not computed (section 7.36).
        bargaining=scenario_bargaining(scenario) if full and zones and not derived else None,
        rubinstein=rubinstein_split(scenario),
        fearon=pairs,
        expected_utility={issue: bdm_from_scenario(scenario, issue) for issue in forecast_issues},
        games=_games(scenario),
        derived=derived,
        predicted_class=predicted,
        reasons=reasons,
    )


def _forecast_players(scenario: Scenario, issue: str) -> set[str]:
    """Actors with a position on ``issue`` at an expected_utility round that has it.

    The model forecasts an issue only with two such actors or more; so does the analysis.
    """
    rounds = [r for r in scenario.rounds if r.protocol == "expected_utility" and issue in r.agenda]
    members = {m for r in rounds for side in r.participants for m in scenario.side_members(side)}
    return {a for a in members if issue in scenario.actors[a].positions}
