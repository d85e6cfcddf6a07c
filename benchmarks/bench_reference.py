"""The bilateral job in the engine against a plain-Python loop written for this one case.

Usage: python benchmarks/bench_reference.py [--rounds R] [--jobs N] [--check K] [--batch N]

The reference loop plays ``benchmarks/bilateral.yaml`` with nothing general
left: two sides that alternate offers (the first participant opens), Boulware
targets ``tau(t) = 1 - (1 - floor) (t / (T - 1)) ** 4`` with ``floor`` the
side's walk-away value, offers built by moving issues toward the other side's
ideal one labelled point at a time in the log-rolling order (the issue the other
side weighs most against one's own weight first), and acceptance of an offer, as
a whole or issue by issue, worth at least the responder's next target (AC_next).
It reads the issues, weights, ideals, points, deadline and exponent from the
scenario, and is given the engine's walk-away draws, so before timing the script
checks that both agree on every agreed position for ``--check`` seeds.

Two figures, each timed in alternating blocks in this one process, in CPU
time: the engine one run at a time (``sim.run``) against the loop, and the
engine's batch of ``--batch`` jobs through the public batch API
(``sim.run_batch``, one process, played by the batch kernel) against the loop
on the same run seeds (whose agreed positions it checks against the batch's
rows first). The script prints each one's median time per job and the
engine's ratio to the reference loop (the target: within 10x), with the load
average.
"""

from __future__ import annotations

import argparse
import statistics

from bilateral_job import (
    batch_seeds,
    engine_batch,
    engine_job,
    load,
    load_average,
    paired,
    reservations,
    timed_blocks,
)

from sim.scenario.schema import Scenario


class ReferenceLoop:
    """The job as one plain loop over exchanges: issues are list indices, numbers read once."""

    def __init__(self, scenario: Scenario) -> None:
        round_ = scenario.rounds[0]
        self.names = tuple(round_.agenda)
        self.deadline = round_.exchanges
        specs = [scenario.issues[i] for i in self.names]
        self.points = [tuple(sorted(spec.labels)) for spec in specs]
        self.span = [spec.scale[1] - spec.scale[0] for spec in specs]
        sides = [scenario.actors[s] for s in round_.participants]
        self.ideal = [[a.positions[i].ideal for i in self.names] for a in sides]
        self.weight = [[a.positions[i].salience for i in self.names] for a in sides]
        self.power = [1.0 / a.strategy.exponent for a in sides]

    def utility(self, side: int, package: list[float], issues: list[int]) -> float:
        """Weighted mean of 1 - distance from the ideal / scale, over ``issues``."""
        ideal, weight, span = self.ideal[side], self.weight[side], self.span
        total = weights = 0.0
        for i in issues:
            total += weight[i] * (1.0 - abs(package[i] - ideal[i]) / span[i])
            weights += weight[i]
        return total / weights

    def target(self, side: int, t: int, floor: float) -> float:
        """Boulware aim at exchange t."""
        return 1.0 - (1.0 - floor) * min(1.0, t / (self.deadline - 1)) ** self.power[side]

    def offer(self, side: int, issues: list[int], aim: float) -> list[float]:
        """From the own ideal, concede point by point where it pleases the other side most."""
        other = 1 - side
        package = list(self.ideal[side])
        if self.utility(side, package, issues) <= aim:
            return package
        mine, theirs = self.weight[side], self.weight[other]
        for i in sorted(issues, key=lambda i: (-theirs[i] / mine[i], self.names[i])):
            start, goal = package[i], self.ideal[other][i]
            package[i] = goal
            if self.utility(side, package, issues) >= aim:
                continue
            step = 1 if goal > start else -1
            points = self.points[i]
            k = points.index(start) + step
            chosen = start
            while 0 <= k < len(points) and (goal - points[k]) * step >= 0:
                package[i] = points[k]
                if self.utility(side, package, issues) < aim - 1e-12:
                    break
                chosen = points[k]
                k += step
            package[i] = chosen
        return package

    def __call__(self, walk_away: tuple[float, float]) -> dict[str, float]:
        """Play the job; the agreed positions."""
        open_issues, deal = list(range(len(self.names))), {}
        for t in range(self.deadline):
            if not open_issues:
                break
            proposer = t % 2
            responder = 1 - proposer
            package = self.offer(
                proposer, open_issues, self.target(proposer, t, walk_away[proposer])
            )
            aim = self.target(responder, t + 1, walk_away[responder]) - 1e-9
            if len(open_issues) > 1 and self.utility(responder, package, open_issues) >= aim:
                agreed = open_issues
            else:
                agreed = [i for i in open_issues if self.utility(responder, package, [i]) >= aim]
            for i in agreed:
                deal[self.names[i]] = package[i]
            open_issues = [i for i in open_issues if i not in agreed]
        return deal


def report(name: str, engine_times: list[float], loop_times: list[float]) -> None:
    """Print the median CPU per job of each and the engine's ratio to the loop, block by block."""
    ratios = sorted(e / r for e, r in zip(engine_times, loop_times, strict=True))
    print(f"{name}:")
    print(
        f"  engine          {statistics.median(engine_times) * 1e3:8.3f} ms CPU per job (median of blocks)"
    )
    print(f"  reference loop  {statistics.median(loop_times) * 1e3:8.3f} ms CPU per job")
    print(
        f"  engine / reference: {statistics.median(ratios):.2f}x "
        f"(blocks: {', '.join(f'{r:.2f}' for r in ratios)}; target: within 10x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="alternating timing blocks")
    parser.add_argument("--jobs", type=int, default=40, help="engine jobs per block")
    parser.add_argument("--check", type=int, default=200, help="seeds checked for agreement")
    parser.add_argument("--batch", type=int, default=2000, help="jobs in the engine's batch")
    args = parser.parse_args()
    scenario = load()
    reference = ReferenceLoop(scenario)
    for seed in range(args.check):
        engine, loop = engine_job(scenario, seed), reference(reservations(seed))
        assert engine == loop, f"seed {seed}: engine {engine} != reference {loop}"
    print(f"bilateral job: engine and reference loop agree on all {args.check} seeds checked")
    seeds = batch_seeds(args.batch)
    pairs = [reservations(seed) for seed in seeds]
    for seed, pair, row in zip(seeds, pairs, engine_batch(scenario, args.batch), strict=True):
        assert row == reference(pair), f"run seed {seed}: batch {row} != reference"
    print(f"the engine's batch of {args.batch} and the reference loop agree on every run")
    print(load_average())
    engine_times, loop_times = paired(
        lambda seed: engine_job(scenario, seed),
        lambda seed: reference(reservations(seed)),
        (args.jobs, args.jobs * 5),
        args.rounds,
    )
    report(f"one run per job (sim.run, blocks of {args.jobs})", engine_times, loop_times)
    print(load_average())

    def engine_block() -> int:
        engine_batch(scenario, args.batch)
        return args.batch

    def loop_block() -> int:
        for pair in pairs:
            reference(pair)
        return len(pairs)

    batch_times, loop_times = timed_blocks([engine_block, loop_block], args.rounds)
    report(f"a batch of {args.batch} jobs (sim.run_batch, 1 process)", batch_times, loop_times)
    print(load_average())


if __name__ == "__main__":
    main()
