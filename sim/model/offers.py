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

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.model.utility import Stance, Valuation

if TYPE_CHECKING:
    from sim.model.derived import CompletedValuation, Limits


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
        """The nearest position that can be offered (the lower of two equally near points).

        ``points`` are sorted ascending (the model builds them so), so the nearest
        is found by bisection: offer building snaps at every trial.
        """
        position = min(max(position, self.low), self.high)
        points = self.points
        if not points:
            return position
        index = bisect_left(points, position)
        if index == len(points):
            return points[-1]
        if index == 0:
            return points[0]
        below, above = points[index - 1], points[index]
        nearest = abs(below - position)
        if nearest > abs(above - position):
            return above
        while index > 1 and abs(points[index - 2] - position) == nearest:
            index -= 1  # rounding made two points below equally near: the first wins
        return points[index - 1]


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
    return LogRoll(own, other, spaces).offer(target)


class LogRoll:
    """:func:`logrolled_offer` between two fixed sets of stances on fixed spaces, prepared once.

    A side makes an offer at every other exchange of a round on the same spaces:
    its best package, its valuation and the order and goals of its concessions
    are worked out once here, and each offer only walks them.
    """

    __slots__ = ("best", "best_value", "limits", "moves", "other", "own", "spaces", "value")

    def __init__(
        self,
        own: Mapping[str, Stance],
        other: Mapping[str, Stance],
        spaces: Mapping[str, IssueSpace],
        limits: Limits | None = None,
    ) -> None:
        self.own, self.other, self.spaces, self.limits = own, other, spaces, limits
        if len(spaces) == 1 and limits is None:
            return  # one issue: solved directly at each offer (_single_issue_offer)
        self.best = best_package(own, spaces)
        issues = list(spaces)
        self.value: Valuation | CompletedValuation
        if limits is None:
            self.value = Valuation.of(own, issues)
        else:
            # Derived issues (model section 7.36): the best package is brought inside the
            # side's limits on them, and every trial package is valued completed.
            limits.repair(self.best, spaces, own)
            self.value = limits.valuation(own, issues)
        self.best_value = self.value(self.best)
        self.moves: list[tuple[str, IssueSpace, float, float]] | None = None
        """Per issue in concession order: its space, start (best) and goal (once needed)."""

    def _moves(self) -> list[tuple[str, IssueSpace, float, float]]:
        """The concessions in order, worked out at the first offer below the best package."""
        if self.moves is None:
            self.moves = []
            for issue in concession_order(self.own, self.other, list(self.spaces)):
                space = self.spaces[issue]
                start = self.best[issue]
                goal = space.snap(self.other[issue].ideal if issue in self.other else start)
                if abs(goal - start) >= 1e-12:
                    self.moves.append((issue, space, start, goal))
        return self.moves

    def offer(self, target: float) -> dict[str, float]:
        """The package worth about ``target`` (see :func:`logrolled_offer`)."""
        limits = self.limits
        if limits is not None:
            return limits.complete(self._offer(target))
        if len(self.spaces) == 1:
            return _single_issue_offer(self.own, self.other, self.spaces, target)
        return self._offer(target)

    def _offer(self, target: float) -> dict[str, float]:
        """The log-rolled package on the offered issues (before completion)."""
        package = dict(self.best)
        if self.best_value <= target:
            return package
        value = self.value
        limits = self.limits
        for issue, space, start, goal in self._moves():
            if limits is not None:
                # No move may carry a derived issue past the side's limits on it.
                goal = limits.cap(package, issue, space, goal)
                if abs(goal - start) < 1e-12:
                    continue
            package[issue] = goal
            if value(package) >= target:
                continue
            package[issue] = start
            if not space.divisible:
                # Whole points only: take as many as the target allows, then try other issues.
                package[issue] = _last_point_above(value, package, issue, space, goal, target)
                continue
            # With derived issues a move changes them too: no closed form, bisection.
            own = self.own if limits is None else {}
            package[issue] = _bisect(own, value, package, issue, start, goal, target)
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
        value = Valuation.of(own, [issue])
        return {issue: _last_point_above(value, {issue: start}, issue, space, goal, target)}
    if stance.shape == "linear" and (start - stance.ideal) * (goal - start) >= 0:
        step = min(abs(goal - start), max(0.0, stance.value(start) - target) * stance.span)
        return {issue: start + (step if goal > start else -step)}
    return {
        issue: _bisect(own, Valuation.of(own, [issue]), {issue: start}, issue, start, goal, target)
    }


def _bisect(
    own: Mapping[str, Stance],
    value: Valuation | CompletedValuation,
    package: dict[str, float],
    issue: str,
    start: float,
    goal: float,
    target: float,
) -> float:
    """The position between start and goal where the package is worth ``target``.

    ``package`` is the caller's own working package: trial positions are written
    into it and the issue is put back at ``start`` before returning.

    With a linear stance moving away from its ideal the package's utility falls
    by ``salience / (total salience · span)`` per unit, so the position is solved
    in closed form; otherwise by bisection.
    """
    stance = own.get(issue)
    if stance is not None and stance.shape == "linear" and stance.salience > 0:
        weights = value.weight
        away = (start - stance.ideal) * (goal - start) >= 0
        if weights > 0 and away:
            drop = value(package) - target
            distance = max(0.0, drop) * weights * stance.span / stance.salience
            step = min(abs(goal - start), distance)
            return start + (step if goal > start else -step)
    keep, give = start, goal
    for _ in range(40):
        middle = (keep + give) / 2
        package[issue] = middle
        if value(package) >= target:
            keep = middle
        else:
            give = middle
    package[issue] = start
    return keep


def _last_point_above(
    value: Valuation | CompletedValuation,
    package: dict[str, float],
    issue: str,
    space: IssueSpace,
    goal: float,
    target: float,
) -> float:
    """The labelled point nearest the goal that keeps the package worth at least ``target``.

    Trial points are written into ``package`` (the caller's working package) and
    the issue is put back at its start before returning.
    """
    start = package[issue]
    direction = 1.0 if goal > start else -1.0
    points = space.points  # sorted ascending: walk them from the start toward the goal
    if direction > 0:
        candidates: Sequence[float] = points[bisect_right(points, start) :]
    else:
        candidates = points[bisect_left(points, start) - 1 :: -1] if points[0] < start else ()
    chosen = start
    for point in candidates:
        if (point - start) * direction <= 1e-12:
            continue
        if (goal - point) * direction < -1e-12:
            break
        package[issue] = point
        if value(package) >= target - 1e-12:
            chosen = point
        else:
            break
    package[issue] = start
    return chosen
