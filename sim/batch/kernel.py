"""The batch kernel: many runs of one scenario played at once, on numpy arrays over runs.

For the scenarios :func:`sim.batch.eligible.why_not` accepts (two parties,
alternating offers, time-dependent concession, linear utilities, no escalation,
war or beliefs), a run is decided by its drawn types and the protocol alone.
The kernel draws each run's types from that run's own seed exactly as the
engine draws them (:func:`draw_types`, the order of
:class:`~sim.model.agents.ActorAgent`), then plays the exchanges of every run
side by side: each decision rule of the engine (targets, log-rolled offers,
acceptance, settling package by package) is written once over arrays, with
the same floating-point operations in the same order, so every number (and
every row) is the engine's to the last bit. Runs whose drawn types fall where
this copy of the rules is not written out (a zero salience, a labelled issue
with no point inside a red line) are played by the engine itself.

:func:`play` gives the rows :func:`sim.batch.runner.play` would give.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.analysis.no_deal import linked_groups
from sim.batch.eligible import why_not
from sim.model.strategies import make_strategy
from sim.scenario.distributions import draw_param
from sim.scenario.schema import Scenario

TOLERANCE = 1e-9
"""The engine's tolerance on red lines and acceptance (:mod:`sim.model.sides`)."""

MOVE = 1e-12
"""The engine's least concession worth making (:mod:`sim.model.offers`)."""

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Types:
    """The drawn types of a chunk of runs: arrays over (run, actor[, issue]).

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
class RoundPlan:
    """One round as the kernel plays it: side order, agenda (issue indices), clock."""

    id: str
    sides: tuple[int, int]
    agenda: tuple[int, ...]
    deadline: int
    one_sided: bool
    days: int


class Kernel:
    """A scenario prepared once for the kernel; :meth:`play` plays a chunk of runs.

    Args:
        scenario: A scenario :func:`~sim.batch.eligible.why_not` accepts.

    Raises:
        ValueError: If the scenario is outside the kernel's class.
    """

    def __init__(self, scenario: Scenario) -> None:
        reasons = why_not(scenario)
        if reasons:
            raise ValueError("not a kernel scenario: " + "; ".join(reasons))
        self.scenario = scenario
        self.issues = list(scenario.issues)
        self.actors = list(scenario.actors)
        n = len(self.issues)
        index = {issue: k for k, issue in enumerate(self.issues)}
        specs = [scenario.issues[i] for i in self.issues]
        self.low = np.array([s.scale[0] for s in specs], dtype=float)
        self.high = np.array([s.scale[1] for s in specs], dtype=float)
        self.status_quo = np.array([s.status_quo for s in specs], dtype=float)
        self.divisible = np.array([s.divisible for s in specs], dtype=bool)
        self.points = [np.array(sorted(s.labels), dtype=float) for s in specs]
        self.ideal = np.full((2, n), np.nan)
        self.span = np.ones((2, n))
        self.held: list[list[int]] = []
        for a, actor_id in enumerate(self.actors):
            positions = scenario.actors[actor_id].positions
            held = [index[i] for i in self.issues if i in positions]
            self.held.append(held)
            for k in held:
                ideal = positions[self.issues[k]].ideal
                low, high = specs[k].scale
                self.ideal[a, k] = ideal
                self.span[a, k] = max(ideal - low, high - ideal) or 1.0  # as Stance.span
        self.rank = np.argsort(np.argsort(np.array(self.issues)))  # issue names in sort order
        self.strategy: list[tuple[str, float]] = []
        self.process: list[bool] = []
        for actor_id in self.actors:
            spec = scenario.actors[actor_id].strategy
            built = make_strategy(spec)
            exponent = float(getattr(built, "exponent", math.nan))
            self.strategy.append(("hardliner" if spec.kind == "hardliner" else "time", exponent))
            self.process.append(spec.deadline == "process")
        start = scenario.rounds[0].date
        self.rounds = []
        for round_ in scenario.rounds:
            order = [self.actors.index(p) for p in round_.participants]
            if (
                round_.first_proposer is not None
                and round_.first_proposer != round_.participants[0]
            ):
                order.reverse()
            self.rounds.append(
                RoundPlan(
                    round_.id,
                    (order[0], order[1]),
                    tuple(index[i] for i in round_.agenda),
                    round_.exchanges,
                    round_.offers == "one_sided",
                    (round_.date - start).days,
                )
            )
        self.end_days = (scenario.rounds[-1].date - start).days + scenario.aftermath.days
        self.contested = list(dict.fromkeys(i for r in scenario.rounds for i in r.agenda))
        self.procedural = {i for i in self.contested if scenario.issues[i].procedural}
        self.linkage = [scenario.actors[a].linkage for a in self.actors]
        self._groups: dict[tuple[int, tuple[int, ...]], list[list[int]]] = {}

    # --- types --------------------------------------------------------------------------

    def draw(self, seeds: Sequence[int]) -> Types:
        """Each run's types from its own seed, drawn in the engine's order.

        The order is :class:`~sim.model.agents.ActorAgent`'s, actor by actor:
        capability, risk acceptance, discount, delay cost, walk-away value,
        red line and salience per position, then soften and audience cost
        (eligible actors have no war option and no breach penalty to draw).
        """
        runs, n = len(seeds), len(self.issues)
        red_line = np.full((runs, 2, n), np.nan)
        salience = np.full((runs, 2, n), np.nan)
        walk_away = np.full((runs, 2), np.nan)
        delay_cost = np.zeros((runs, 2))
        specs = [self.scenario.actors[a] for a in self.actors]
        issues = self.scenario.issues
        for r, seed in enumerate(seeds):
            rng = np.random.default_rng(seed)
            for a, spec in enumerate(specs):
                draw_param(spec.capability, rng, 0.0, 1.0)
                draw_param(spec.risk_acceptance, rng, 0.0, 1.0)
                draw_param(spec.discount, rng, 0.0, 1.0)
                delay_cost[r, a] = draw_param(spec.delay_cost, rng, 0.0, 1.0)
                if spec.no_deal is not None:
                    walk_away[r, a] = draw_param(spec.no_deal, rng, 0.0, 1.0)
                for k in self.held[a]:
                    position = spec.positions[self.issues[k]]
                    low, high = issues[self.issues[k]].scale
                    red_line[r, a, k] = draw_param(position.red_line, rng, low, high)
                    salience[r, a, k] = draw_param(position.salience, rng, 0.0, float("inf"))
                draw_param(spec.mandate.soften, rng, 0.0, 1.0)
                draw_param(spec.mandate.audience_cost, rng, 0.0, 1.0)
        return Types(red_line, salience, walk_away, delay_cost)

    # --- the chunk ------------------------------------------------------------------------

    def play(self, task: Sequence[tuple[int, int]]) -> Rows:
        """Rows of a chunk of ``(run index, seed)`` pairs, as :func:`sim.batch.runner.play` gives.

        Runs whose types the array rules do not cover are played by the engine.
        """
        seeds = [seed for _, seed in task]
        types = self.draw(seeds)
        chunk = _Chunk(self, types)
        chunk.play()
        engine = set(np.flatnonzero(chunk.fallback).tolist())
        rows = []
        for r, (index, seed) in enumerate(task):
            if r in engine:
                from sim.batch.runner import engine_rows

                rows.extend(engine_rows(self.scenario, [(index, seed)]))
            else:
                rows.append(chunk.row(r, index, seed))
        return rows

    def groups(self, sides: tuple[int, int], agenda: tuple[int, ...]) -> list[list[int]]:
        """The agenda's linked packages, as the engine splits it (``linkage_groups``)."""
        key = (sides[0], agenda)
        if key not in self._groups:
            names = [self.issues[k] for k in agenda]
            found = linked_groups(
                names,
                [self.linkage[a] for a in sides],
                [i for i in names if i in self.procedural],
            )
            self._groups[key] = [[self.issues.index(i) for i in group] for group in found]
        return self._groups[key]


class _Chunk:
    """The state of a chunk of runs played together: open issues, agreements, levels."""

    def __init__(self, kernel: Kernel, types: Types) -> None:
        self.k = kernel
        self.types = types
        runs, n = types.salience.shape[0], len(kernel.issues)
        self.runs = runs
        self.open = np.ones((runs, n), dtype=bool)
        self.position = np.full((runs, n), np.nan)
        self.agreed_round = np.full((runs, n), -1)
        self.rounds_played = np.zeros(runs, dtype=int)
        self.fallback = np.zeros(runs, dtype=bool)
        ideal = kernel.ideal
        self.lower = np.minimum(ideal[None], types.red_line)  # Stance.lower, per run
        self.upper = np.maximum(ideal[None], types.red_line)
        # Each actor's own spaces: where its offers may go (its acceptable interval).
        self.best = np.full((runs, 2, n), np.nan)
        self.goal = np.full((runs, 2, n), np.nan)
        for a in range(2):
            for k in kernel.held[a]:
                if types.salience[:, a, k].min() <= 0:
                    self.fallback |= types.salience[:, a, k] <= 0
                low = np.maximum(kernel.low[k], self.lower[:, a, k])
                high = np.minimum(kernel.high[k], self.upper[:, a, k])
                other = kernel.ideal[1 - a, k]
                if kernel.divisible[k]:
                    self.best[:, a, k] = np.minimum(np.maximum(ideal[a, k], low), high)
                    target = other if not np.isnan(other) else ideal[a, k]
                    self.goal[:, a, k] = np.minimum(np.maximum(target, low), high)
                    continue
                points = kernel.points[k]
                inside = (low[:, None] - TOLERANCE <= points) & (
                    points <= high[:, None] + TOLERANCE
                )
                empty = ~inside.any(axis=1)
                self.fallback |= empty
                inside[empty] = True  # a fallback run: any space will do here
                self.best[:, a, k] = _snap(points, inside, np.full(runs, ideal[a, k]))
                if np.isnan(other):
                    self.goal[:, a, k] = self.best[:, a, k]
                else:
                    self.goal[:, a, k] = _snap(points, inside, np.full(runs, other))

    # --- values ----------------------------------------------------------------------------

    def value(
        self, a: int, rows: np.ndarray, package: np.ndarray, issues: Sequence[int]
    ) -> np.ndarray:
        """Actor ``a``'s utility of ``package`` (rows of runs ``rows``) over ``issues``.

        :class:`~sim.analysis.utility.Valuation`'s sums, in its order: the
        salience-weighted values summed issue by issue, divided by the saliences'
        sum.
        """
        salience = self.types.salience[rows, a]
        ideal, span = self.k.ideal[a], self.k.span[a]
        total = weight = None
        for k in issues:
            term = salience[:, k] * (1.0 - np.abs(package[:, k] - ideal[k]) / span[k])
            total = term if total is None else total + term
            weight = salience[:, k] if weight is None else weight + salience[:, k]
        assert total is not None and weight is not None
        return total / weight

    def levels(
        self, a: int, rows: np.ndarray, agenda: Sequence[int], days: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Actor ``a``'s best utility and floor on an agenda (``Side.concession_state``).

        The floor is ``min(best, max(red-line utility, BATNA))``; the BATNA of an
        eligible actor is its no-deal value (walk-away value, or the status quo
        on the agenda) less its delay cost times the days since the first round.
        """
        best = self.value(a, rows, self.best[rows, a], agenda)
        red_lines = self.types.red_line[rows, a]
        red_line_utility = np.minimum(best, self.value(a, rows, red_lines, agenda))
        status_quo = np.broadcast_to(self.k.status_quo, red_lines.shape)
        walk_away = self.types.walk_away[rows, a]
        base = np.where(np.isnan(walk_away), self.value(a, rows, status_quo, agenda), walk_away)
        batna = base - 0.0 - self.types.delay_cost[rows, a] * days
        return best, np.minimum(best, np.maximum(red_line_utility, batna))

    def target(
        self, a: int, plan: RoundPlan, exchange: int, best: np.ndarray, floor: np.ndarray
    ) -> np.ndarray:
        """Actor ``a``'s aim at an exchange (:class:`~sim.model.strategies.TimeDependent`)."""
        kind, exponent = self.k.strategy[a]
        if kind == "hardliner":
            return best
        deadline = plan.deadline
        if self.k.process[a]:
            exchange, deadline = self._process_clock(a, plan, exchange)
        if deadline <= 1:
            return floor
        progress = min(1.0, exchange / (deadline - 1))
        return best - (best - floor) * progress ** (1.0 / exponent)

    def _process_clock(self, a: int, plan: RoundPlan, exchange: int) -> tuple[int, int]:
        """``NegotiationModel.process_clock``: exchanges counted over the actor's rounds."""
        earlier = total = 0
        seen = False
        for other in self.k.rounds:
            total += other.deadline  # both actors sit at every round of a kernel scenario
            if other is plan:
                seen = True
            elif not seen:
                earlier += other.deadline
        return earlier + exchange, max(total, earlier + plan.deadline)

    # --- offers ----------------------------------------------------------------------------

    def offer(
        self, a: int, rows: np.ndarray, agenda: Sequence[int], target: np.ndarray
    ) -> np.ndarray:
        """Actor ``a``'s log-rolled offers meeting ``target`` (``LogRoll.offer``), as packages."""
        if len(agenda) == 1:
            return self._single_offer(a, rows, agenda[0], target)
        package = self.best[rows, a].copy()
        count = len(rows)
        done = self.value(a, rows, package, agenda) <= target
        columns = np.array(agenda)
        salience = self.types.salience[rows]
        ratio = salience[:, 1 - a][:, columns] / salience[:, a][:, columns]
        names = np.broadcast_to(self.k.rank[columns], ratio.shape)
        order = columns[np.lexsort((names, -ratio), axis=-1)]
        at = np.arange(count)
        goals = self.goal[rows, a]
        for step in range(len(agenda)):
            issue = order[:, step]
            start = package[at, issue]
            goal = goals[at, issue]
            moving = ~done & (np.abs(goal - start) >= MOVE)
            if not moving.any():
                continue
            trial = package.copy()
            trial[at, issue] = np.where(moving, goal, start)
            short = moving & ~(self.value(a, rows, trial, agenda) >= target)
            package = np.where((moving & ~short)[:, None], trial, package)
            split = short & self.k.divisible[issue]
            if split.any():
                # The closed form of offers._bisect (a linear stance moving away from its ideal).
                s = np.flatnonzero(split)
                sub, col = rows[s], issue[s]
                drop = self.value(a, sub, package[s], agenda) - target[s]
                weight = self._weight(a, sub, agenda)
                distance = (
                    np.maximum(0.0, drop)
                    * weight
                    * self.k.span[a][col]
                    / self.types.salience[sub, a, col]
                )
                gap = np.minimum(np.abs(goal[s] - start[s]), distance)
                package[s, col] = np.where(goal[s] > start[s], start[s] + gap, start[s] - gap)
                done |= split
            points = short & ~self.k.divisible[issue]
            for k in np.unique(issue[points]):
                s = np.flatnonzero(points & (issue == k))
                package[s, k] = self._walk(a, rows[s], package[s], k, agenda, target[s])
        return package

    def _weight(self, a: int, rows: np.ndarray, agenda: Sequence[int]) -> np.ndarray:
        """The sum of actor ``a``'s saliences over the agenda, in its order."""
        salience = self.types.salience[rows, a]
        weight = salience[:, agenda[0]]
        for k in agenda[1:]:
            weight = weight + salience[:, k]
        return weight

    def _single_offer(self, a: int, rows: np.ndarray, k: int, target: np.ndarray) -> np.ndarray:
        """``offers._single_issue_offer``: one issue, solved directly."""
        package = self.best[rows, a].copy()
        ideal, span = self.k.ideal[a, k], self.k.span[a, k]
        start = package[:, k]
        goal = self.goal[rows, a, k]
        at_start = (1.0 - np.abs(start - ideal) / span) <= target
        at_goal = ~at_start & (
            (np.abs(goal - start) < MOVE) | ((1.0 - np.abs(goal - ideal) / span) >= target)
        )
        between = ~at_start & ~at_goal
        package[at_goal, k] = goal[at_goal]
        if not between.any():
            return package
        s = np.flatnonzero(between)
        if self.k.divisible[k]:
            gap = np.minimum(
                np.abs(goal[s] - start[s]),
                np.maximum(0.0, (1.0 - np.abs(start[s] - ideal) / span) - target[s]) * span,
            )
            package[s, k] = np.where(goal[s] > start[s], start[s] + gap, start[s] - gap)
        else:
            package[s, k] = self._walk(a, rows[s], package[s], k, [k], target[s])
        return package

    def _walk(
        self,
        a: int,
        rows: np.ndarray,
        package: np.ndarray,
        k: int,
        agenda: Sequence[int],
        target: np.ndarray,
    ) -> np.ndarray:
        """``offers._last_point_above``: labelled points from the start toward the goal.

        Takes point after point while the package stays worth at least the target
        (less 1e-12); returns the last point taken (the start if none).
        """
        points = self.k.points[k]
        start = package[:, k].copy()
        goal = self.goal[rows, a, k]
        up = goal > start
        index = np.searchsorted(points, start)
        chosen = start.copy()
        alive = np.ones(len(rows), dtype=bool)
        trial = package.copy()
        for step in range(1, len(points)):
            at = np.where(up, index + step, index - step)
            alive &= (at >= 0) & (at < len(points))
            if not alive.any():
                break
            point = points[np.clip(at, 0, len(points) - 1)]
            alive &= np.where(up, goal - point, point - goal) >= -MOVE
            trial[:, k] = point
            good = alive & (self.value(a, rows, trial, agenda) >= target - MOVE)
            chosen = np.where(good, point, chosen)
            alive = good
        return chosen

    # --- settling ----------------------------------------------------------------------------

    def objects(
        self,
        a: int,
        rows: np.ndarray,
        package: np.ndarray,
        issues: Sequence[int],
        aim: np.ndarray | None,
    ) -> np.ndarray:
        """Whether actor ``a`` objects (``sides._member_objection``): a red line crossed, or worth below its aim."""
        crossed = np.zeros(len(rows), dtype=bool)
        lower, upper = self.lower[rows, a], self.upper[rows, a]
        for k in issues:
            crossed |= ~(
                (lower[:, k] - TOLERANCE <= package[:, k])
                & (package[:, k] <= upper[:, k] + TOLERANCE)
            )
        if aim is None:
            return crossed
        return crossed | (self.value(a, rows, package, issues) < aim - TOLERANCE)

    def settle(
        self,
        sides: tuple[int, int],
        rows: np.ndarray,
        package: np.ndarray,
        groups: list[list[int]],
        aim: np.ndarray,
    ) -> np.ndarray:
        """Issues agreed per run (``protocols._settle``): the whole offer, else package by package."""
        proposer, responder = sides
        agreed = np.zeros((len(rows), len(self.k.issues)), dtype=bool)
        whole_ok = np.zeros(len(rows), dtype=bool)
        if len(groups) > 1:
            whole = [k for group in groups for k in group]
            whole_ok = ~self.objects(responder, rows, package, whole, aim) & ~self.objects(
                proposer, rows, package, whole, None
            )
            agreed[np.ix_(whole_ok, whole)] = True
        for group in groups:
            ok = ~whole_ok & ~self.objects(responder, rows, package, group, aim)
            ok &= ~self.objects(proposer, rows, package, group, None)
            agreed[np.ix_(ok, group)] = True
        return agreed

    # --- the rounds --------------------------------------------------------------------------

    def play(self) -> None:
        """Every round, exchange by exchange, each distinct open agenda as one array step."""
        for number, plan in enumerate(self.k.rounds):
            agenda = np.array(plan.agenda, dtype=int)
            if not len(agenda):
                self.rounds_played += 1
                continue
            self.rounds_played += self.open[:, agenda].any(axis=1)
            bits = 1 << np.arange(len(agenda))
            for exchange in range(plan.deadline):
                active = np.flatnonzero(self.open[:, agenda].any(axis=1))
                if not len(active):
                    break
                keys = self.open[np.ix_(active, agenda)] @ bits
                for key in np.unique(keys):
                    rows = active[keys == key]
                    open_agenda = tuple(
                        int(k) for k, bit in zip(agenda, bits, strict=True) if key & bit
                    )
                    self.exchange(plan, number, exchange, rows, open_agenda)

    def exchange(
        self,
        plan: RoundPlan,
        number: int,
        exchange: int,
        rows: np.ndarray,
        agenda: tuple[int, ...],
    ) -> None:
        """One exchange of the runs ``rows``, which share this open agenda."""
        turn = 0 if plan.one_sided else exchange % 2
        proposer, responder = plan.sides[turn], plan.sides[1 - turn]
        best, floor = self.levels(proposer, rows, agenda, plan.days)
        package = self.offer(
            proposer, rows, agenda, self.target(proposer, plan, exchange, best, floor)
        )
        best, floor = self.levels(responder, rows, agenda, plan.days)
        aim = self.target(responder, plan, exchange + 1, best, floor)
        groups = self.k.groups(plan.sides, agenda)
        agreed = self.settle((proposer, responder), rows, package, groups, aim)
        where = np.nonzero(agreed)
        at = rows[where[0]]
        self.position[at, where[1]] = package[where]
        self.agreed_round[at, where[1]] = number
        self.open[at, where[1]] = False

    # --- rows --------------------------------------------------------------------------------

    def utilities(self) -> np.ndarray:
        """Each party's final utility per run, rounded as ``Outcome.utilities`` is (runs, 2)."""
        k = self.k
        rows = np.arange(self.runs)
        state = np.where(np.isnan(self.position), k.status_quo[None], self.position)
        out = np.empty((self.runs, 2))
        for a in range(2):
            held = k.held[a]
            agreed = (~self.open[:, held]).any(axis=1)
            at_state = self.value(a, rows, state, held)
            walk_away = self.types.walk_away[:, a]
            no_deal = np.where(np.isnan(walk_away), at_state, walk_away)
            no_deal = no_deal - 0.0 - self.types.delay_cost[:, a] * k.end_days
            out[:, a] = np.where(agreed, at_state - 0.0 - 0.0, no_deal + 0.0 - 0.0)
        return out

    def row(self, r: int, index: int, seed: int) -> dict[str, Any]:
        """Run ``r``'s row: the columns of ``RunResult.to_row()`` after ``run`` and ``seed``."""
        if not hasattr(self, "_utilities"):
            self._utilities = self.utilities()
        k = self.k
        done = [i for i in k.contested if not self.open[r, k.issues.index(i)]]
        substantive = [i for i in k.contested if i not in k.procedural]
        if not k.contested:
            outcome = "deadlock"
        elif substantive and all(i in done for i in substantive):
            outcome = "agreement"
        elif any(i in done for i in substantive):
            outcome = "partial"
        elif done:
            outcome = "talks_continue"
        else:
            outcome = "deadlock"
        row: dict[str, Any] = {
            "run": index,
            "seed": seed,
            "scenario": k.scenario.name,
            "outcome": outcome,
            "rounds_played": int(self.rounds_played[r]),
            "war_aggressor": None,
            "war_date": None,
        }
        for issue in k.contested:
            c = k.issues.index(issue)
            agreed = not self.open[r, c]
            row[f"agreed.{issue}"] = float(self.position[r, c]) if agreed else None
            row[f"agreed_round.{issue}"] = k.rounds[self.agreed_round[r, c]].id if agreed else None
        for a, actor_id in enumerate(k.actors):
            row[f"utility.{actor_id}"] = round(float(self._utilities[r, a]), 6)
        for actor_id in k.actors:
            row[f"rung.{actor_id}"] = None
        return row


def _snap(points: np.ndarray, inside: np.ndarray, position: np.ndarray) -> np.ndarray:
    """``IssueSpace.snap`` on each run's admissible points: clamp, then the nearest (the lower on a tie)."""
    low = np.where(inside, points, np.inf).min(axis=1)
    high = np.where(inside, points, -np.inf).max(axis=1)
    clamped = np.minimum(np.maximum(position, low), high)
    distance = np.where(inside, np.abs(points[None] - clamped[:, None]), np.inf)
    return points[np.argmin(distance, axis=1)]


_KERNELS: dict[int, tuple[Scenario, Kernel | None]] = {}


def kernel_for(scenario: Scenario) -> Kernel | None:
    """The prepared kernel for a scenario, or None when it is not eligible (kept per scenario)."""
    cached = _KERNELS.get(id(scenario))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    if len(_KERNELS) > 64:
        _KERNELS.clear()
    kernel = None if why_not(scenario) else Kernel(scenario)
    _KERNELS[id(scenario)] = (scenario, kernel)
    return kernel


def play(scenario: Scenario, task: Sequence[tuple[int, int]]) -> Rows:
    """Rows of a chunk of runs of an eligible scenario (see :class:`Kernel`)."""
    kernel = kernel_for(scenario)
    if kernel is None:
        raise ValueError("not a kernel scenario: " + "; ".join(why_not(scenario)))
    return kernel.play(task)
