"""The batch kernel: many runs of one scenario played at once, on numpy arrays over runs.

For the scenarios :func:`sim.batch.eligible.why_not` accepts (two parties,
alternating offers, time-dependent concession, linear utilities, no escalation,
war or beliefs), a run is decided by its drawn types and the protocol alone.
The kernel draws each run's types from that run's own seed exactly as the
engine draws them (:meth:`Kernel.draw`, in the order of
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
from sim.batch.rules import Runs, Types
from sim.model.strategies import make_strategy
from sim.scenario.distributions import draw_param
from sim.scenario.schema import Scenario

Rows = list[dict[str, Any]]


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
        self.column = index
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
        red_line = np.full((2, n, runs), np.nan)
        salience = np.full((2, n, runs), np.nan)
        walk_away = np.full((2, runs), np.nan)
        delay_cost = np.zeros((2, runs))
        specs = [self.scenario.actors[a] for a in self.actors]
        issues = self.scenario.issues
        for r, seed in enumerate(seeds):
            rng = np.random.default_rng(seed)
            for a, spec in enumerate(specs):
                draw_param(spec.capability, rng, 0.0, 1.0)
                draw_param(spec.risk_acceptance, rng, 0.0, 1.0)
                draw_param(spec.discount, rng, 0.0, 1.0)
                delay_cost[a, r] = draw_param(spec.delay_cost, rng, 0.0, 1.0)
                if spec.no_deal is not None:
                    walk_away[a, r] = draw_param(spec.no_deal, rng, 0.0, 1.0)
                for k in self.held[a]:
                    position = spec.positions[self.issues[k]]
                    low, high = issues[self.issues[k]].scale
                    red_line[a, k, r] = draw_param(position.red_line, rng, low, high)
                    salience[a, k, r] = draw_param(position.salience, rng, 0.0, float("inf"))
                draw_param(spec.mandate.soften, rng, 0.0, 1.0)
                draw_param(spec.mandate.audience_cost, rng, 0.0, 1.0)
        return Types(red_line, salience, walk_away, delay_cost)

    # --- the chunk ------------------------------------------------------------------------

    def play(self, task: Sequence[tuple[int, int]]) -> Rows:
        """Rows of a chunk of ``(run index, seed)`` pairs, as :func:`sim.batch.runner.play` gives.

        Runs whose types the array rules do not cover (``Runs.fallback``) are
        played by the engine.
        """
        runs = Runs(self, self.draw([seed for _, seed in task]))
        with np.errstate(divide="ignore", invalid="ignore"):  # fallback runs' zero weights
            runs.play(self.groups)
            utilities = runs.utilities()
        rows = []
        for r, (index, seed) in enumerate(task):
            if runs.fallback[r]:
                from sim.batch.runner import engine_rows

                rows.extend(engine_rows(self.scenario, [(index, seed)]))
            else:
                rows.append(self.row(runs, utilities, r, index, seed))
        return rows

    def process_clock(self, plan: RoundPlan, exchange: int) -> tuple[int, int]:
        """``NegotiationModel.process_clock``: the exchange and deadline over every round.

        Both actors sit at every round of a kernel scenario, so every round counts.
        """
        earlier = total = 0
        seen = False
        for other in self.rounds:
            total += other.deadline
            if other is plan:
                seen = True
            elif not seen:
                earlier += other.deadline
        return earlier + exchange, max(total, earlier + plan.deadline)

    def row(
        self, runs: Runs, utilities: np.ndarray, r: int, index: int, seed: int
    ) -> dict[str, Any]:
        """Run ``r``'s row: ``run``, ``seed``, then the columns of ``RunResult.to_row()``."""
        agreed = {i: not runs.open[self.column[i], r] for i in self.contested}
        done = [i for i in self.contested if agreed[i]]
        substantive = [i for i in self.contested if i not in self.procedural]
        if not self.contested:
            outcome = "deadlock"  # as outcome.classify
        elif substantive and all(agreed[i] for i in substantive):
            outcome = "agreement"
        elif any(agreed[i] for i in substantive):
            outcome = "partial"
        elif done:
            outcome = "talks_continue"
        else:
            outcome = "deadlock"
        row: dict[str, Any] = {
            "run": index,
            "seed": seed,
            "scenario": self.scenario.name,
            "outcome": outcome,
            # NegotiationModel._stage: without ratifiers, breaches or war, an agreement
            # in force is implemented at the aftermath.
            "stage": "implemented" if any(agreed[i] for i in substantive) else "none",
            "rounds_played": int(runs.rounds_played[r]),
            "war_aggressor": None,
            "war_date": None,
        }
        for issue in self.contested:
            c = self.column[issue]
            if agreed[issue]:
                row[f"agreed.{issue}"] = float(runs.position[c, r])
                row[f"agreed_round.{issue}"] = self.rounds[runs.agreed_round[c, r]].id
            else:
                row[f"agreed.{issue}"] = row[f"agreed_round.{issue}"] = None
        for a, actor_id in enumerate(self.actors):
            row[f"utility.{actor_id}"] = round(float(utilities[a, r]), 6)
        for actor_id in self.actors:
            row[f"rung.{actor_id}"] = None
        return row

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
            self._groups[key] = [[self.column[i] for i in group] for group in found]
        return self._groups[key]


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
