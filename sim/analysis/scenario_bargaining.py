"""Nash and Kalai–Smorodinsky solutions of a two-party scenario, inside its ZOPA.

Builds the candidate packages on a grid of each agenda issue's ZOPA (labelled
points only for indivisible issues), scores them with the simulation's own
utilities (:mod:`sim.model.utility`, distributions at their means), and applies
the solutions of :mod:`sim.analysis.bargaining` to the resulting utility pairs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from sim.analysis.bargaining import (
    BargainingPoint,
    kalai_smorodinsky,
    nash_solution,
    pareto_frontier,
)
from sim.analysis.continuous import (
    ContinuousPoint,
    Utility,
    kalai_smorodinsky_continuous,
    nash_continuous,
)
from sim.analysis.no_deal import mean_stances
from sim.analysis.utility import Stance, package_utility

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class PackageSolution:
    """A bargaining solution as a package of positions.

    Attributes:
        package: Issue id to agreed position.
        utilities: The two parties' utilities of the package (``package_utility``).
    """

    package: dict[str, float]
    utilities: tuple[float, float]


@dataclass(frozen=True)
class ScenarioBargaining:
    """Nash and Kalai–Smorodinsky solutions of a two-party scenario, inside its ZOPA.

    Attributes:
        parties: The two actor ids (first = player 1).
        issues: Agenda issue ids the packages cover.
        disagreement: The parties' disagreement utilities.
        disagreement_basis: Where they come from: "red_line", "status_quo",
            "floor" or "given".
        weights: Weights of the weighted Nash solution.
        candidates: Number of grid packages evaluated.
        convex: Whether solutions were searched on the convex frontier (exact for
            linear utilities and divisible issues) rather than on the grid only.
        frontier: Pareto-efficient grid packages with their utilities, by
            ascending utility of player 1.
        nash: Symmetric Nash solution, or None if no package beats disagreement.
        weighted_nash: Nash solution with ``weights``.
        kalai_smorodinsky: Kalai–Smorodinsky solution.
        continuous: Whether the solutions were found by continuous optimisation
            over the ZOPA box (divisible issues with a non-linear utility), not
            on the grid.
    """

    parties: tuple[str, str]
    issues: list[str]
    disagreement: tuple[float, float]
    disagreement_basis: str
    weights: tuple[float, float]
    candidates: int
    convex: bool
    frontier: list[PackageSolution]
    nash: PackageSolution | None
    weighted_nash: PackageSolution | None
    kalai_smorodinsky: PackageSolution | None
    continuous: bool = False


def status_quo_utility(scenario: Scenario, actor: str, issues: list[str] | None = None) -> float:
    """An actor's utility of the status quo on ``issues`` (default: every issue).

    Args:
        scenario: A validated scenario.
        actor: Actor id.
        issues: Issue ids; default all of the scenario's issues.

    Returns:
        ``package_utility`` of the status-quo package.
    """
    keys = list(scenario.issues) if issues is None else issues
    package = {issue: scenario.issues[issue].status_quo for issue in keys}
    return package_utility(mean_stances(scenario, actor), package)


def red_line_utility(scenario: Scenario, actor: str, issues: list[str] | None = None) -> float:
    """An actor's utility of the package with every issue at its own red line.

    A red line is the actor's reservation point: the worst agreement it would
    still take rather than walk away, so its utility is the value of walking
    away (Raiffa 1982, reservation value).

    Args:
        scenario: A validated scenario.
        actor: Actor id.
        issues: Issue ids; default all issues it holds a position on.

    Returns:
        ``package_utility`` of the red-line package.
    """
    stances = mean_stances(scenario, actor)
    keys = [i for i in (list(stances) if issues is None else issues) if i in stances]
    package = {issue: stances[issue].red_line for issue in keys}
    return package_utility(stances, package)


Disagreement = tuple[float, float] | Literal["red_line", "status_quo", "floor"]
"""Disagreement utilities, or how to derive them from the scenario."""


def two_parties(scenario: Scenario) -> tuple[str, str] | None:
    """The two actors of a two-party scenario (same two actors in every round), or None.

    Blocs do not count as a party here (their utility is not one actor's).

    Args:
        scenario: A validated scenario.

    Returns:
        ``(first, second)`` in the order of the first round's participants.
    """
    sides = {side for round_ in scenario.rounds for side in round_.participants}
    if len(sides) != 2 or sides & set(scenario.blocs):
        return None
    first, second = scenario.rounds[0].participants[:2]
    return (first, second)


def _axis(
    zone_interval: tuple[float, float], points: list[float], divisible: bool, grid: int
) -> list[float]:
    if not divisible:
        return points
    low, high = zone_interval
    if high - low <= 1e-12:
        return [low]
    return [float(v) for v in np.linspace(low, high, grid)]


def _values(stance: Stance, axis: list[float]) -> npt.NDArray[np.float64]:
    """Per-issue value of each grid position, from :meth:`Stance.value` itself."""
    return np.array([stance.value(x) for x in axis])


def disagreement_point(
    scenario: Scenario, parties: tuple[str, str], issues: list[str], disagreement: Disagreement
) -> tuple[str, tuple[float, float]]:
    """Resolve a :data:`Disagreement` into ``(basis, (d1, d2))``.

    Args:
        scenario: A validated scenario.
        parties: The two actor ids.
        issues: The issues the packages cover.
        disagreement: A pair of numbers, or "red_line", "status_quo" or "floor".

    Returns:
        The basis ("given" for a pair) and the two utilities.

    Raises:
        ValueError: For an unknown basis.
    """
    if not isinstance(disagreement, str):
        return "given", (float(disagreement[0]), float(disagreement[1]))
    red = [red_line_utility(scenario, p, issues) for p in parties]
    quo = [status_quo_utility(scenario, p, issues) for p in parties]
    chosen = {
        "red_line": red,
        "status_quo": quo,
        "floor": [max(r, q) for r, q in zip(red, quo, strict=True)],
    }
    if disagreement not in chosen:
        raise ValueError(
            f"disagreement: '{disagreement}' (allowed: red_line, status_quo, floor, or a pair)"
        )
    values = chosen[disagreement]
    return disagreement, (values[0], values[1])


def scenario_bargaining(
    scenario: Scenario,
    grid: int = 11,
    weights: tuple[float, float] = (0.5, 0.5),
    disagreement: Disagreement = "red_line",
    max_candidates: int = 200_000,
) -> ScenarioBargaining | None:
    """Nash and Kalai–Smorodinsky for a two-party multi-issue scenario, inside the ZOPA.

    The agreement space is the product over agenda issues of the ZOPA: a grid
    of ``grid`` positions across the ZOPA interval of a divisible issue, the
    labelled points inside it for an indivisible one. The grid shrinks (to no
    fewer than 2 points per divisible issue) until there are at most
    ``max_candidates`` packages. Utilities are the actors' own
    (:func:`sim.model.utility.package_utility`, salience-weighted mean of
    per-issue values, parameters at their means). When every issue is
    divisible and a party's utility is not linear (a curved frontier), the
    three solutions are found by continuous optimisation over the ZOPA box
    (:mod:`sim.analysis.continuous`), not on the grid.

    Disagreement utilities: by default each party's utility at its own red
    lines (``"red_line"``): restricted to the ZOPA, a red line is the
    reservation point, worth exactly as much as walking away; this is also
    what the textbook split-the-pie scenarios assume. ``"status_quo"`` uses the
    status quo's utility (the BATNA without costs or war), ``"floor"`` the
    larger of the two (the simulation's concession floor before war values);
    a pair of numbers is used as given.

    Args:
        scenario: A validated scenario.
        grid: Positions per divisible issue (>= 2).
        weights: Weights ``(w1, w2)`` of the weighted Nash solution.
        disagreement: ``(d1, d2)``, or "red_line", "status_quo" or "floor".
        max_candidates: Cap on the number of grid packages.

    Returns:
        The solutions, or None when the scenario is not two-party or some
        agenda issue has no ZOPA (there is no agreement space).
    """
    from sim.analysis.zopa import zopa

    parties = two_parties(scenario)
    if parties is None:
        return None
    zones = zopa(scenario)
    if not all(zone.feasible for zone in zones.values()):
        return None
    issues = list(zones)
    stances = [mean_stances(scenario, party) for party in parties]
    divisible_count = sum(zones[i].divisible for i in issues)
    size = max(2, grid)
    while True:
        axes = [
            _axis(zones[i].interval or (0.0, 0.0), zones[i].points, zones[i].divisible, size)
            for i in issues
        ]
        total = math.prod(len(axis) for axis in axes)
        if total <= max_candidates or size <= 2 or divisible_count == 0:
            break
        size -= 1
    shape = tuple(len(axis) for axis in axes)
    utilities = np.empty((total, 2))
    for k, party_stances in enumerate(stances):
        weighted = np.zeros(shape)
        weight = 0.0
        for axis_index, (issue, axis) in enumerate(zip(issues, axes, strict=True)):
            stance = party_stances.get(issue)
            if stance is None or stance.salience <= 0:
                continue  # as in package_utility: no stance, no weight
            values = _values(stance, axis)
            broadcast = [1] * len(issues)
            broadcast[axis_index] = len(axis)
            weighted = weighted + stance.salience * values.reshape(broadcast)
            weight += stance.salience
        utilities[:, k] = (weighted / weight).ravel() if weight > 0 else 0.5
    basis, d = disagreement_point(scenario, parties, issues, disagreement)
    convex = all(zones[i].divisible for i in issues) and all(
        scenario.actors[p].utility == "linear" for p in parties
    )

    def package_of(flat_index: int) -> dict[str, float]:
        position = np.unravel_index(flat_index, shape)
        return {issue: axes[n][int(position[n])] for n, issue in enumerate(issues)}

    def solution(point: BargainingPoint | None) -> PackageSolution | None:
        if point is None:
            return None
        package = {issue: 0.0 for issue in issues}
        for flat_index, share in point.mix:
            for issue, value in package_of(flat_index).items():
                package[issue] += share * value
        values = tuple(package_utility(s, package, issues) for s in stances)
        return PackageSolution(package=package, utilities=values)  # type: ignore[arg-type]

    frontier = [
        PackageSolution(package_of(i), (float(utilities[i, 0]), float(utilities[i, 1])))
        for i in pareto_frontier(utilities)
    ]
    continuous = not convex and all(zones[i].divisible for i in issues)
    if continuous:
        # Curved frontier (a non-linear utility): solve on the ZOPA box itself.
        bounds = [zones[i].interval or (0.0, 0.0) for i in issues]
        one, two = (_on_box(s, issues) for s in stances)
        solved = (
            nash_continuous(one, two, bounds, d, (0.5, 0.5)),
            nash_continuous(one, two, bounds, d, weights),
            kalai_smorodinsky_continuous(one, two, bounds, d),
        )
        nash, weighted_nash, ks = (_package(point, issues, stances) for point in solved)
    else:
        nash = solution(nash_solution(utilities, d, (0.5, 0.5), convex))
        weighted_nash = solution(nash_solution(utilities, d, weights, convex))
        ks = solution(kalai_smorodinsky(utilities, d, convex))
    return ScenarioBargaining(
        parties=parties,
        issues=issues,
        disagreement=d,
        disagreement_basis=basis,
        weights=weights,
        candidates=total,
        convex=convex,
        frontier=frontier,
        nash=nash,
        weighted_nash=weighted_nash,
        kalai_smorodinsky=ks,
        continuous=continuous,
    )


def _on_box(stances: dict[str, Stance], issues: list[str]) -> Utility:
    """A party's utility as a function of the vector of positions on ``issues``."""

    def utility(x: npt.NDArray[np.float64]) -> float:
        return package_utility(stances, dict(zip(issues, map(float, x), strict=True)), issues)

    return utility


def _package(
    point: ContinuousPoint | None, issues: list[str], stances: list[dict[str, Stance]]
) -> PackageSolution | None:
    """A continuous solution as a package, its utilities recomputed from the stances."""
    if point is None:
        return None
    package = dict(zip(issues, point.position, strict=True))
    values = tuple(package_utility(s, package, issues) for s in stances)
    return PackageSolution(package=package, utilities=values)  # type: ignore[arg-type]


__all__ = [
    "PackageSolution",
    "ScenarioBargaining",
    "disagreement_point",
    "mean_stances",
    "red_line_utility",
    "scenario_bargaining",
    "status_quo_utility",
    "two_parties",
]
