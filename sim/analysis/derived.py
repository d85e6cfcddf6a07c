"""Derived issues in the analysis: can their issues' ZOPAs keep them inside every red line.

A derived issue (``depends_on``, model section 7.36) is never on an agenda: its
position is a weighted mean of the issues it depends on. The per-issue ZOPAs
of those issues say nothing about it, so the analysis completes them here: the
derived issue's acceptable interval (every actor who must agree on an issue
it depends on, and veto holders over it), the positions the dependencies'
ZOPAs can give it (those off every agenda at their status quo), and whether
the two meet. The function is linear and increasing in each dependency, so
over a box of intervals its values form one interval; indivisible
dependencies contribute their labelled points inside their ZOPA.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.analysis.zopa import Interval, IssueZopa, acceptable_interval, intersect, must_agree
from sim.scenario.derived import linear_form
from sim.scenario.distributions import param_mean

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

MAX_COMBINATIONS = 100_000
"""Most combinations of indivisible dependencies' points enumerated (beyond: their hull)."""


@dataclass(frozen=True)
class DerivedZopa:
    """Whether a derived issue can sit inside every red line on it, given its dependencies' ZOPAs.

    Attributes:
        issue: The derived issue's id.
        depends_on: The issues it depends on, with their weights.
        reachable: Lowest and highest position the dependencies' ZOPAs give it
            (None when one of them has no ZOPA).
        acceptable: The intersection of the acceptable sets on it (None: empty).
        constraints: Each constraining actor's acceptable interval on it.
        feasible: Whether some package inside the dependencies' ZOPAs puts it
            inside every acceptable set.
    """

    issue: str
    depends_on: dict[str, float]
    reachable: Interval | None
    acceptable: Interval | None
    constraints: dict[str, Interval] = field(default_factory=dict)
    feasible: bool = False


def derived_in_play(scenario: Scenario, zones: dict[str, IssueZopa]) -> list[str]:
    """Derived issues fed by an agenda issue, in scenario order."""
    return [
        issue
        for issue, spec in scenario.issues.items()
        if spec.depends_on and any(dep in zones for dep in spec.depends_on)
    ]


def derived_zopa(scenario: Scenario, issue: str, zones: dict[str, IssueZopa]) -> DerivedZopa:
    """The :class:`DerivedZopa` of one derived issue, from the ZOPAs of the agenda issues."""
    spec = scenario.issues[issue]
    low, high = spec.scale
    bounds = _constraints(scenario, issue)
    acceptable = intersect(list(bounds.values())) if bounds else (float(low), float(high))
    base, terms = linear_form(scenario.issues, issue)
    offset = base
    spread = 0.0
    choices: list[list[float]] = []
    reachable: Interval | None = (base, base)
    for dep, coefficient in terms:
        if dep not in zones:
            offset += coefficient * scenario.issues[dep].status_quo
            continue
        zone = zones[dep]
        if not zone.feasible or zone.interval is None:
            reachable = None
            continue
        if zone.divisible:
            offset += coefficient * zone.interval[0]
            spread += coefficient * (zone.interval[1] - zone.interval[0])
        else:
            choices.append([coefficient * p for p in zone.points])
    if reachable is None:
        return DerivedZopa(issue, dict(spec.depends_on), None, acceptable, bounds, False)
    sums = _sums(choices)
    if len(sums) == 2 and math.prod(len(c) for c in choices) > MAX_COMBINATIONS:
        spread += sums[1] - sums[0]  # too many to enumerate: their hull
        sums = sums[:1]
    reachable = (
        _clip(offset + min(sums), low, high),
        _clip(offset + max(sums) + spread, low, high),
    )
    feasible = acceptable is not None and any(
        intersect([(offset + s, offset + s + spread), acceptable]) is not None for s in sums
    )
    return DerivedZopa(issue, dict(spec.depends_on), reachable, acceptable, bounds, feasible)


def derived_zopas(scenario: Scenario, zones: dict[str, IssueZopa]) -> dict[str, DerivedZopa]:
    """:func:`derived_zopa` of every derived issue in play, in scenario order."""
    return {
        issue: derived_zopa(scenario, issue, zones) for issue in derived_in_play(scenario, zones)
    }


def _constraints(scenario: Scenario, issue: str) -> dict[str, Interval]:
    """Acceptable intervals on a derived issue of every actor who must agree on one of its issues.

    Those are the actors who must agree on any issue it depends on
    (:func:`sim.analysis.zopa.must_agree`), and the veto holders over the
    derived issue itself whose veto binds one of them.
    """
    spec = scenario.issues[issue]
    needed: set[str] = set()
    for dep in spec.depends_on:
        needed.update(must_agree(scenario, dep))
    for veto in scenario.vetoes:
        if issue in veto.issues and set(veto.binds) & (needed | _sides_of(scenario, needed)):
            needed.add(veto.holder)
    low, high = spec.scale
    result: dict[str, Interval] = {}
    for actor_id, actor in scenario.actors.items():
        position = actor.positions.get(issue)
        if actor_id not in needed or position is None:
            continue
        lo, hi = acceptable_interval(position.ideal, param_mean(position.red_line))
        result[actor_id] = (max(lo, low), min(hi, high))
    return result


def _sides_of(scenario: Scenario, actors: set[str]) -> set[str]:
    """The blocs any of these actors belongs to."""
    return {b for b, bloc in scenario.blocs.items() if set(bloc.members) & actors}


def _sums(choices: list[list[float]]) -> list[float]:
    """Every sum of one value per list (their hull's ends beyond :data:`MAX_COMBINATIONS`)."""
    if math.prod(len(c) for c in choices) > MAX_COMBINATIONS:
        return [sum(min(c) for c in choices), sum(max(c) for c in choices)]
    return [sum(combination) for combination in itertools.product(*choices)] or [0.0]


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
