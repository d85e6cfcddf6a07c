"""Building offers: meet a target utility while conceding where it costs least.

Pure functions on plain floats. A side opens at its best admissible package and,
to come down to its target, moves issue by issue toward the other side's ideal,
starting where the ratio (other side's salience / own salience) is highest:
concede first where you care least and the other side cares most (log-rolling).
For linear additive utilities this greedy order is the optimal trade-off (the
fractional-knapsack argument); for indivisible issues only labelled points are
candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sim.model.utility import Stance, package_utility


@dataclass(frozen=True, slots=True)
class IssueSpace:
    """Where offers on one issue may go: an interval, or labelled points for indivisible issues."""

    low: float
    high: float
    points: tuple[float, ...] = ()

    @property
    def divisible(self) -> bool:
        """True when any position in [low, high] may be offered."""
        return not self.points

    def snap(self, position: float) -> float:
        """The nearest position that can be offered."""
        position = min(max(position, self.low), self.high)
        if self.points:
            return min(self.points, key=lambda point: abs(point - position))
        return position


def admissible(space: IssueSpace, bounds: tuple[float, float]) -> IssueSpace | None:
    """Restrict an issue's space to [lo, hi] (a side's red-line interval); None if empty."""
    low, high = max(space.low, bounds[0]), min(space.high, bounds[1])
    if low > high + 1e-9:
        return None
    if space.points:
        points = tuple(p for p in space.points if low - 1e-9 <= p <= high + 1e-9)
        if not points:
            return None
        return IssueSpace(min(points), max(points), points)
    return IssueSpace(low, high)


def best_package(own: Mapping[str, Stance], spaces: Mapping[str, IssueSpace]) -> dict[str, float]:
    """Each issue at the admissible position nearest the side's ideal."""
    return {
        issue: space.snap(own[issue].ideal if issue in own else (space.low + space.high) / 2)
        for issue, space in spaces.items()
    }


def concession_order(
    own: Mapping[str, Stance], other: Mapping[str, Stance], issues: Sequence[str]
) -> list[str]:
    """Issues sorted by how cheaply conceding on them pleases the other side."""

    def ratio(issue: str) -> float:
        mine = own[issue].salience if issue in own else 0.0
        theirs = other[issue].salience if issue in other else 0.0
        if mine <= 0:
            return float("inf")
        return theirs / mine

    return sorted(issues, key=lambda issue: (-ratio(issue), issue))


def logrolled_offer(
    own: Mapping[str, Stance],
    other: Mapping[str, Stance],
    spaces: Mapping[str, IssueSpace],
    target: float,
) -> dict[str, float]:
    """The package worth about ``target`` to ``own`` that gives ``other`` most.

    Starts from the best package and moves issues toward the other side's ideal
    in :func:`concession_order`, each as far as its space allows or until the
    target is met (bisection on divisible issues, whole labelled points on
    indivisible ones, never dropping below the target).
    """
    if len(spaces) == 1:
        return _single_issue_offer(own, other, spaces, target)
    package = best_package(own, spaces)
    issues = list(spaces)
    if package_utility(own, package, issues) <= target:
        return package
    for issue in concession_order(own, other, issues):
        space = spaces[issue]
        toward = other[issue].ideal if issue in other else package[issue]
        start = package[issue]
        goal = space.snap(toward)
        if abs(goal - start) < 1e-12:
            continue
        trial = dict(package)
        trial[issue] = goal
        if package_utility(own, trial, issues) >= target:
            package[issue] = goal
            continue
        if not space.divisible:
            # Whole points only: take as many as the target allows, then try other issues.
            package[issue] = _last_point_above(own, package, issues, issue, space, goal, target)
            continue
        package[issue] = _bisect(own, package, issues, issue, start, goal, target)
        return package
    return package


def _single_issue_offer(
    own: Mapping[str, Stance],
    other: Mapping[str, Stance],
    spaces: Mapping[str, IssueSpace],
    target: float,
) -> dict[str, float]:
    """:func:`logrolled_offer` for one issue, solved directly (the hot path of planning)."""
    ((issue, space),) = spaces.items()
    stance = own.get(issue)
    if stance is None or stance.salience <= 0:
        return best_package(own, spaces)
    start = space.snap(stance.ideal)
    if stance.value(start) <= target:
        return {issue: start}
    goal = space.snap(other[issue].ideal if issue in other else start)
    if abs(goal - start) < 1e-12 or stance.value(goal) >= target:
        return {issue: goal}
    if not space.divisible:
        return {issue: _last_point_above(own, {issue: start}, [issue], issue, space, goal, target)}
    if stance.shape == "linear" and (start - stance.ideal) * (goal - start) >= 0:
        step = min(abs(goal - start), max(0.0, stance.value(start) - target) * stance.span)
        return {issue: start + (step if goal > start else -step)}
    return {issue: _bisect(own, {issue: start}, [issue], issue, start, goal, target)}


def _bisect(
    own: Mapping[str, Stance],
    package: Mapping[str, float],
    issues: list[str],
    issue: str,
    start: float,
    goal: float,
    target: float,
) -> float:
    """The position between start and goal where the package is worth ``target``.

    With a linear stance moving away from its ideal the package's utility falls
    by ``salience / (total salience · span)`` per unit, so the position is solved
    in closed form; otherwise by bisection.
    """
    stance = own.get(issue)
    if stance is not None and stance.shape == "linear" and stance.salience > 0:
        weights = sum(own[i].salience for i in issues if i in own and own[i].salience > 0)
        away = (start - stance.ideal) * (goal - start) >= 0
        if weights > 0 and away:
            drop = package_utility(own, package, issues) - target
            distance = max(0.0, drop) * weights * stance.span / stance.salience
            step = min(abs(goal - start), distance)
            return start + (step if goal > start else -step)
    trial = dict(package)
    keep, give = start, goal
    for _ in range(40):
        middle = (keep + give) / 2
        trial[issue] = middle
        if package_utility(own, trial, issues) >= target:
            keep = middle
        else:
            give = middle
    return keep


def _last_point_above(
    own: Mapping[str, Stance],
    package: Mapping[str, float],
    issues: list[str],
    issue: str,
    space: IssueSpace,
    goal: float,
    target: float,
) -> float:
    """The labelled point nearest the goal that keeps the package worth at least ``target``."""
    start = package[issue]
    direction = 1.0 if goal > start else -1.0
    candidates = sorted(
        (
            p
            for p in space.points
            if (p - start) * direction > 1e-12 and (goal - p) * direction >= -1e-12
        ),
        key=lambda p: (p - start) * direction,
    )
    chosen = start
    trial = dict(package)
    for point in candidates:
        trial[issue] = point
        if package_utility(own, trial, issues) >= target - 1e-12:
            chosen = point
        else:
            break
    return chosen
