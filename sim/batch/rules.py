"""The engine's bargaining rules written over arrays of runs (the batch kernel's inner loop).

Each function here is one of the engine's decision rules for a two-party,
alternating-offers round (:mod:`sim.model.offers`, :mod:`sim.model.sides`,
:mod:`sim.model.strategies`, ``protocols._settle``), evaluated for many runs at
once. Arrays are laid out issue by issue, ``(issue, run)``, so that every sum
runs over issues in the engine's order with whole runs as the vector: the
floating-point operations, and their order, are the engine's, so each result
is the engine's to the last bit. :class:`Runs` holds a chunk's state and plays
it round by round; :mod:`sim.batch.kernel` prepares the scenario, draws the
types and writes the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.batch.kernel import Kernel, RoundPlan

TOLERANCE = 1e-9
"""The engine's tolerance on red lines and acceptance (:mod:`sim.model.sides`)."""

MOVE = 1e-12
"""The engine's least concession worth making (:mod:`sim.model.offers`)."""


@dataclass(frozen=True)
class Types:
    """The drawn types of a chunk of runs, as arrays ``(actor, issue, run)`` or ``(actor, run)``.

    Attributes:
        red_line: Red lines (NaN where the actor holds no position).
        salience: Saliences (NaN where it holds none).
        walk_away: Walk-away values (NaN where the actor has none: it values the state).
        delay_cost: Delay costs per day.
    """

    red_line: np.ndarray
    salience: np.ndarray
    walk_away: np.ndarray
    delay_cost: np.ndarray


@dataclass(frozen=True)
class Side:
    """One actor's arrays for a group of runs that share an open agenda ``(issue, run)``."""

    salience: np.ndarray
    red_line: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    best: np.ndarray
    goal: np.ndarray
    walk_away: np.ndarray
    delay_cost: np.ndarray

    def take(self, at: np.ndarray) -> Side:
        """The arrays offers need (saliences, goals) for a subset of the runs (positions ``at``)."""
        empty = self.walk_away[:0]
        return Side(
            self.salience[:, at], empty, empty, empty, empty, self.goal[:, at], empty, empty
        )


class Runs:
    """A chunk of runs played together: their types, open issues and agreements.

    Args:
        kernel: The prepared scenario.
        types: The chunk's drawn types.

    Attributes:
        open: Issues still open ``(issue, run)``.
        position: Agreed positions (NaN while open).
        agreed_round: Index of the round that agreed each issue (-1 while open).
        rounds_played: Rounds held per run.
        fallback: Runs the engine must play (types outside what these rules cover).
    """

    def __init__(self, kernel: Kernel, types: Types) -> None:
        self.k = kernel
        self.types = types
        n, runs = types.salience.shape[1:]
        self.runs = runs
        self.open = np.ones((n, runs), dtype=bool)
        self.position = np.full((n, runs), np.nan)
        self.agreed_round = np.full((n, runs), -1)
        self.rounds_played = np.zeros(runs, dtype=int)
        self.fallback = np.zeros(runs, dtype=bool)
        self._known: dict[tuple[int, tuple[int, ...], int], tuple[np.ndarray, np.ndarray]] = {}
        ideal = kernel.ideal[:, :, None]
        self.lower = np.minimum(ideal, types.red_line)  # Stance.lower, per run
        self.upper = np.maximum(ideal, types.red_line)
        self.best = np.full((2, n, runs), np.nan)
        self.goal = np.full((2, n, runs), np.nan)
        for a in range(2):
            for k in kernel.held[a]:
                self.fallback |= types.salience[a, k] <= 0
                self._spaces(a, k)

    def _spaces(self, a: int, k: int) -> None:
        """Actor ``a``'s best position and concession goal on issue ``k`` (``Side.spaces``).

        Its offers stay inside its acceptable interval: the best is its ideal
        snapped there, the goal the other side's ideal snapped there
        (``IssueSpace.snap``; labelled points only on an indivisible issue).
        """
        kernel = self.k
        low = np.maximum(kernel.low[k], self.lower[a, k])
        high = np.minimum(kernel.high[k], self.upper[a, k])
        own, other = kernel.ideal[a, k], kernel.ideal[1 - a, k]
        if np.isnan(other):
            other = own
        if kernel.divisible[k]:
            self.best[a, k] = np.minimum(np.maximum(own, low), high)
            self.goal[a, k] = np.minimum(np.maximum(other, low), high)
            return
        points = kernel.points[k][:, None]
        inside = (low - TOLERANCE <= points) & (points <= high + TOLERANCE)
        empty = ~inside.any(axis=0)
        self.fallback |= empty  # no labelled point inside its red line: the engine's own case
        inside[:, empty] = True
        self.best[a, k] = _snap(points, inside, own)
        self.goal[a, k] = _snap(points, inside, other)

    def side(self, a: int, rows: np.ndarray) -> Side:
        """Actor ``a``'s arrays for the runs ``rows``."""
        t = self.types
        return Side(
            t.salience[a][:, rows],
            t.red_line[a][:, rows],
            self.lower[a][:, rows],
            self.upper[a][:, rows],
            self.best[a][:, rows],
            self.goal[a][:, rows],
            t.walk_away[a, rows],
            t.delay_cost[a, rows],
        )

    # --- values ------------------------------------------------------------------------------

    def value(self, a: int, side: Side, package: np.ndarray, issues: Sequence[int]) -> np.ndarray:
        """Actor ``a``'s utility of ``package`` over ``issues``: ``Valuation``'s sums in its order."""
        rows = list(issues)
        salience = side.salience[rows]
        ideal, span = self.k.ideal[a, rows, None], self.k.span[a, rows, None]
        terms = salience * (1.0 - np.abs(package[rows] - ideal) / span)  # issue by issue
        total, weight = terms[0], salience[0]
        for j in range(1, len(rows)):
            total = total + terms[j]
            weight = weight + salience[j]
        return total / weight

    def levels(
        self, a: int, rows: np.ndarray, agenda: tuple[int, ...], days: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Actor ``a``'s best utility and floor on an agenda, for the runs ``rows``.

        Both stay fixed while the agenda and the date do, so they are worked out
        once for every run of the chunk (:meth:`_levels`) and looked up.
        """
        key = (a, agenda, days)
        if key not in self._known:
            self._known[key] = self._levels(a, self.side(a, np.arange(self.runs)), agenda, days)
        best, floor = self._known[key]
        return best[rows], floor[rows]

    def _levels(
        self, a: int, side: Side, agenda: Sequence[int], days: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Actor ``a``'s best utility and floor on an agenda (``Side.concession_state``).

        The floor is ``min(best, max(red-line utility, BATNA))``; an eligible
        actor's BATNA is its no-deal value (walk-away value, or the status quo on
        the agenda) less its delay cost times the days since the first round.
        """
        best = self.value(a, side, side.best, agenda)
        red_line_utility = np.minimum(best, self.value(a, side, side.red_line, agenda))
        if np.isnan(side.walk_away).any():
            status_quo = np.broadcast_to(self.k.status_quo[:, None], side.best.shape)
            at_state = self.value(a, side, status_quo, agenda)
            base = np.where(np.isnan(side.walk_away), at_state, side.walk_away)
        else:
            base = side.walk_away
        batna = base - 0.0 - side.delay_cost * days
        return best, np.minimum(best, np.maximum(red_line_utility, batna))

    def target(
        self, a: int, plan: RoundPlan, exchange: int, best: np.ndarray, floor: np.ndarray
    ) -> np.ndarray:
        """Actor ``a``'s aim at an exchange (``TimeDependent.target``; a hardliner's best)."""
        kind, exponent = self.k.strategy[a]
        if kind == "hardliner":
            return best
        deadline = plan.deadline
        if self.k.process[a]:
            exchange, deadline = self.k.process_clock(plan, exchange)
        if deadline <= 1:
            return floor
        progress = min(1.0, exchange / (deadline - 1))
        return best - (best - floor) * progress ** (1.0 / exponent)

    # --- offers ------------------------------------------------------------------------------

    def offer(
        self, a: int, side: Side, other: Side, agenda: Sequence[int], target: np.ndarray
    ) -> np.ndarray:
        """Actor ``a``'s log-rolled offers meeting ``target`` (``LogRoll.offer``), as packages.

        From its best package it moves issues toward its goals, the issue the
        other side weighs most against its own weight first (ties by issue id),
        each as far as the target allows: a divisible issue in closed form (then
        it stops), an indivisible one point by point.
        """
        if len(agenda) == 1:
            return self._single_offer(a, side, agenda[0], target)
        package = side.best.copy()
        count = package.shape[1]
        done = self.value(a, side, package, agenda) <= target
        columns = np.array(agenda)
        ratio = other.salience[columns] / side.salience[columns]
        names = np.broadcast_to(self.k.rank[columns][:, None], ratio.shape)
        order = columns[np.lexsort((names, -ratio), axis=0)]
        at = np.arange(count)
        for step in range(len(agenda)):
            issue = order[step]
            start = package[issue, at]
            goal = side.goal[issue, at]
            moving = ~done & (np.abs(goal - start) >= MOVE)
            if not moving.any():
                continue
            trial = package.copy()
            trial[issue, at] = np.where(moving, goal, start)
            short = moving & ~(self.value(a, side, trial, agenda) >= target)
            package = np.where(moving & ~short, trial, package)
            split = short & self.k.divisible[issue]
            if split.any():
                # offers._bisect in closed form: a linear stance moving away from its ideal.
                s = np.flatnonzero(split)
                col = issue[s]
                part = side.take(s)
                drop = self.value(a, part, package[:, s], agenda) - target[s]
                distance = (
                    np.maximum(0.0, drop)
                    * _weight(part, agenda)
                    * self.k.span[a][col]
                    / part.salience[col, np.arange(len(s))]
                )
                gap = np.minimum(np.abs(goal[s] - start[s]), distance)
                package[col, s] = np.where(goal[s] > start[s], start[s] + gap, start[s] - gap)
                done |= split
            points = short & ~self.k.divisible[issue]
            for k in np.unique(issue[points]):
                s = np.flatnonzero(points & (issue == k))
                package[k, s] = self._walk(a, side.take(s), package[:, s], k, agenda, target[s])
        return package

    def _single_offer(self, a: int, side: Side, k: int, target: np.ndarray) -> np.ndarray:
        """``offers._single_issue_offer``: one issue, solved directly on its per-issue value."""
        package = side.best.copy()
        ideal, span = self.k.ideal[a, k], self.k.span[a, k]
        start, goal = package[k], side.goal[k]
        at_start = (1.0 - np.abs(start - ideal) / span) <= target
        at_goal = ~at_start & (
            (np.abs(goal - start) < MOVE) | ((1.0 - np.abs(goal - ideal) / span) >= target)
        )
        between = ~at_start & ~at_goal
        package[k, at_goal] = goal[at_goal]
        if not between.any():
            return package
        s = np.flatnonzero(between)
        if self.k.divisible[k]:
            gap = np.minimum(
                np.abs(goal[s] - start[s]),
                np.maximum(0.0, (1.0 - np.abs(start[s] - ideal) / span) - target[s]) * span,
            )
            package[k, s] = np.where(goal[s] > start[s], start[s] + gap, start[s] - gap)
        else:
            package[k, s] = self._walk(a, side.take(s), package[:, s], k, [k], target[s])
        return package

    def _walk(
        self,
        a: int,
        side: Side,
        package: np.ndarray,
        k: int,
        agenda: Sequence[int],
        target: np.ndarray,
    ) -> np.ndarray:
        """``offers._last_point_above``: labelled points from the start toward the goal.

        Takes point after point while the package stays worth at least the
        target less 1e-12; returns the last point taken (the start if none).
        Points are at least ``eligible.POINT_GAP`` apart, so every point after
        the start is a candidate, as in the engine.
        """
        points = self.k.points[k]
        start = package[k].copy()
        goal = side.goal[k]
        up = goal > start
        index = np.searchsorted(points, start)
        chosen = start.copy()
        alive = np.ones(len(start), dtype=bool)
        trial = package.copy()
        for step in range(1, len(points)):
            at = np.where(up, index + step, index - step)
            alive &= (at >= 0) & (at < len(points))
            if not alive.any():
                break
            point = points[np.clip(at, 0, len(points) - 1)]
            alive &= np.where(up, goal - point, point - goal) >= -MOVE
            trial[k] = point
            alive &= self.value(a, side, trial, agenda) >= target - MOVE
            chosen = np.where(alive, point, chosen)
        return chosen

    # --- settling ----------------------------------------------------------------------------

    def objects(
        self,
        a: int,
        side: Side,
        package: np.ndarray,
        issues: Sequence[int],
        aim: np.ndarray | None,
    ) -> np.ndarray:
        """Whether actor ``a`` objects (``sides._member_objection``).

        It objects when the package crosses one of its red lines (with the
        engine's tolerance), or, with an ``aim``, is worth less than the aim.
        """
        inside = np.ones(package.shape[1], dtype=bool)
        for k in issues:
            inside &= (side.lower[k] - TOLERANCE <= package[k]) & (
                package[k] <= side.upper[k] + TOLERANCE
            )
        if aim is None:
            return ~inside
        return ~inside | (self.value(a, side, package, issues) < aim - TOLERANCE)

    def settle(
        self,
        sides: tuple[tuple[int, Side], tuple[int, Side]],
        package: np.ndarray,
        groups: list[list[int]],
        aim: np.ndarray,
    ) -> np.ndarray:
        """Issues agreed per run (``protocols._settle``): the whole offer, else package by package.

        ``sides`` is (proposer, responder): the responder must find the offer
        worth its aim; the proposer is bound only by its red lines.
        """
        (p, proposer), (r, responder) = sides
        agreed = np.zeros((len(self.k.issues), package.shape[1]), dtype=bool)
        whole_ok = np.zeros(package.shape[1], dtype=bool)
        if len(groups) > 1:
            whole = [k for group in groups for k in group]
            whole_ok = ~self.objects(r, responder, package, whole, aim)
            whole_ok &= ~self.objects(p, proposer, package, whole, None)
            agreed[whole] |= whole_ok
        for group in groups:
            ok = ~whole_ok & ~self.objects(r, responder, package, group, aim)
            ok &= ~self.objects(p, proposer, package, group, None)
            agreed[group] |= ok
        return agreed

    # --- the rounds --------------------------------------------------------------------------

    def play(self, groups: Callable[[tuple[int, int], tuple[int, ...]], list[list[int]]]) -> None:
        """Every round, exchange by exchange; runs that share an open agenda step together.

        ``groups`` gives the linked packages of an open agenda (``linkage_groups``).
        """
        for number, plan in enumerate(self.k.rounds):
            agenda = np.array(plan.agenda, dtype=int)
            if not len(agenda):
                self.rounds_played += 1  # a round without an agenda is held and ends at once
                continue
            self.rounds_played += self.open[agenda].any(axis=0)
            bits = 1 << np.arange(len(agenda))
            for exchange in range(plan.deadline):
                active = np.flatnonzero(self.open[agenda].any(axis=0))
                if not len(active):
                    break
                keys = bits @ self.open[np.ix_(agenda, active)]
                for key in np.unique(keys):
                    rows = active[keys == key]
                    open_agenda = tuple(
                        int(k) for k, bit in zip(agenda, bits, strict=True) if key & bit
                    )
                    self.exchange(plan, number, exchange, rows, open_agenda, groups)

    def exchange(
        self,
        plan: RoundPlan,
        number: int,
        exchange: int,
        rows: np.ndarray,
        agenda: tuple[int, ...],
        groups: Callable[[tuple[int, int], tuple[int, ...]], list[list[int]]],
    ) -> None:
        """One exchange of the runs ``rows``, which share this open agenda (``alternating_offers``)."""
        turn = 0 if plan.one_sided else exchange % 2
        p, r = plan.sides[turn], plan.sides[1 - turn]
        proposer, responder = self.side(p, rows), self.side(r, rows)
        best, floor = self.levels(p, rows, agenda, plan.days)
        target = self.target(p, plan, exchange, best, floor)
        package = self.offer(p, proposer, responder, agenda, target)
        best, floor = self.levels(r, rows, agenda, plan.days)
        aim = self.target(r, plan, exchange + 1, best, floor)
        agreed = self.settle(
            ((p, proposer), (r, responder)), package, groups(plan.sides, agenda), aim
        )
        issue, at = np.nonzero(agreed)
        self.position[issue, rows[at]] = package[issue, at]
        self.agreed_round[issue, rows[at]] = number
        self.open[issue, rows[at]] = False

    # --- the end -----------------------------------------------------------------------------

    def utilities(self) -> np.ndarray:
        """Each party's final utility per run ``(actor, run)`` (``NegotiationModel._final_utility``).

        With one of its issues agreed: its utility of the final state; without:
        its no-deal value at the end of the aftermath (walk-away value or the
        state, less its delay cost times the days since the first round).
        """
        k = self.k
        rows = np.arange(self.runs)
        state = np.where(np.isnan(self.position), k.status_quo[:, None], self.position)
        out = np.empty((2, self.runs))
        for a in range(2):
            side = self.side(a, rows)
            held = k.held[a]
            agreed = (~self.open[held]).any(axis=0)
            at_state = self.value(a, side, state, held)
            no_deal = np.where(np.isnan(side.walk_away), at_state, side.walk_away)
            no_deal = no_deal - 0.0 - side.delay_cost * k.end_days
            out[a] = np.where(agreed, at_state - 0.0 - 0.0, no_deal + 0.0 - 0.0)
        return out


def _weight(side: Side, agenda: Sequence[int]) -> np.ndarray:
    """The sum of the saliences over the agenda, in its order (``Valuation.weight``)."""
    weight = side.salience[agenda[0]]
    for k in agenda[1:]:
        weight = weight + side.salience[k]
    return weight


def _snap(points: np.ndarray, inside: np.ndarray, position: float) -> np.ndarray:
    """``IssueSpace.snap`` per run: clamp to its admissible points, then the nearest (the lower on a tie).

    ``points`` is a column of an issue's labelled points, ``inside`` which of
    them each run admits ``(point, run)``.
    """
    low = np.where(inside, points, np.inf).min(axis=0)
    high = np.where(inside, points, -np.inf).max(axis=0)
    clamped = np.minimum(np.maximum(position, low), high)
    distance = np.where(inside, np.abs(points - clamped), np.inf)
    return points[np.argmin(distance, axis=0), 0]
