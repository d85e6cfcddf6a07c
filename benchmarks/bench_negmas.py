"""The bilateral job in this engine and in NegMAS, side by side in one process, with the ratio.

Usage: python benchmarks/bench_negmas.py [--rounds R] [--jobs N] [--batch N]
Needs the ``bench`` extra: ``pip install -e '.[bench]'`` (NegMAS).

The job is ``benchmarks/bilateral.yaml`` (see ``bilateral_job.py``), set up the
same way on both sides:

- issues: three, each with the ten integer positions 0..9 (NegMAS
  ``make_issue(10)``; here ``divisible: false`` with the points 0..9 labelled);
- utilities: linear additive with the same weights (seller 0.5/0.3/0.2, buyer
  0.2/0.3/0.5); the seller values a position x at x/9 and the buyer at 1 - x/9
  (NegMAS ``LinearFun(1/9)`` and ``AffineFun(-1/9, 1)``; here ideals 9 and 0 on
  the scale 0..9);
- reservation values: the same pair per seed, the engine's two draws from
  U(0.2, 0.4) (NegMAS ``reserved_value``; here ``no_deal``);
- strategies: Boulware on both sides, aims falling as 1 - t^4 from the best
  outcome to the reservation value (NegMAS ``BoulwareTBNegotiator``, whose
  ``PolyAspiration`` "boulware" exponent is 4; here ``boulware`` with exponent
  0.25, tau falling as t^(1/0.25));
- protocol: alternating offers, the seller first, at most 100 offers in all
  (NegMAS ``SAOMechanism(n_steps=100, one_offer_per_step=True)``; here 50 hours
  at 2 offers an hour), an offer accepted when worth at least the responder's
  current aim.

What differs is each implementation's own: NegMAS picks, among the outcomes in
the aim's band, the one its inverse utility returns (the whole package at
once); the engine log-rolls toward the aim and can settle issue by issue. The
script prints both agreement rates and mean lengths beside the times.

Two figures, each timed in alternating blocks in this one process, in CPU
time, with the load average:

- one run: ``sim.run`` per job against one NegMAS session per job, seeds 0,
  1, ... on both sides;
- the batch: the engine's batch of ``--batch`` jobs through the public batch
  API (``sim.run_batch``, one process; the batch kernel plays this scenario,
  ``docs/model.md``) against NegMAS sessions given the same run seeds'
  reservation values (run ``i`` of the batch plays seed
  ``run_seeds(0, N)[i]``).

The script prints the median time per job of each and the ratio (the target:
the engine at least 60x NegMAS).
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

import sim


def negmas_job(seed: int) -> tuple[bool, int]:
    """One NegMAS negotiation of the job: (agreed, offers made)."""
    seller_reserve, buyer_reserve = reservations(seed)
    return negmas_session(seller_reserve, buyer_reserve)


def negmas_session(seller_reserve: float, buyer_reserve: float) -> tuple[bool, int]:
    """One NegMAS negotiation with these reservation values: (agreed, offers made)."""
    from negmas import BoulwareTBNegotiator, SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import AffineFun, LinearFun

    issues = [make_issue(10, name) for name in ("price", "quantity", "delivery")]
    session = SAOMechanism(issues=issues, n_steps=100, one_offer_per_step=True)
    seller = LinearAdditiveUtilityFunction(
        values=[LinearFun(1 / 9)] * 3,
        weights=[0.5, 0.3, 0.2],
        outcome_space=session.outcome_space,
        reserved_value=seller_reserve,
    )
    buyer = LinearAdditiveUtilityFunction(
        values=[AffineFun(-1 / 9, 1.0)] * 3,
        weights=[0.2, 0.3, 0.5],
        outcome_space=session.outcome_space,
        reserved_value=buyer_reserve,
    )
    session.add(BoulwareTBNegotiator(name="seller"), ufun=seller)
    session.add(BoulwareTBNegotiator(name="buyer"), ufun=buyer)
    state = session.run()
    return state.agreement is not None, state.step


def engine_summary(scenario: sim.Scenario, seed: int) -> tuple[bool, int]:
    """One engine run of the job: (whole agenda agreed, offers made)."""
    result = sim.run(scenario, seed=seed, transcript=False)
    agreed = result.outcome.outcome_class == "agreement"
    return agreed, max((a.exchange for a in result.outcome.agreed.values()), default=100)


def report(name: str, ours: list[float], theirs: list[float]) -> None:
    """Print the median CPU per job of each side and the ratio of speeds, block by block."""
    ratios = sorted(n / e for n, e in zip(theirs, ours, strict=True))
    print(f"{name}:")
    print(f"  engine  {statistics.median(ours) * 1e3:8.3f} ms CPU per job (median of blocks)")
    print(f"  NegMAS  {statistics.median(theirs) * 1e3:8.3f} ms CPU per job")
    print(
        f"  engine speed / NegMAS speed: {statistics.median(ratios):.1f}x "
        f"(blocks: {', '.join(f'{r:.1f}' for r in ratios)}; target: at least 60x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="alternating timing blocks")
    parser.add_argument("--jobs", type=int, default=4, help="NegMAS jobs per block")
    parser.add_argument("--batch", type=int, default=2000, help="jobs in the engine's batch")
    args = parser.parse_args()
    import negmas

    scenario = load()
    negmas_job(0)  # warm NegMAS's imports and caches, as the engine's below
    engine_job(scenario, 0)
    engine_batch(scenario, 10)
    theirs = [negmas_job(seed) for seed in range(40)]
    ours = [engine_summary(scenario, seed) for seed in range(40)]
    print(
        f"NegMAS {negmas.__version__}: bilateral job, 3 issues of 10 positions, 100 offers, Boulware"
    )
    for name, runs in (("engine", ours), ("NegMAS", theirs)):
        rate = sum(agreed for agreed, _ in runs) / len(runs)
        length = statistics.mean(offers for _, offers in runs)
        print(f"  {name:<7} agreement in {rate:.0%} of 40 seeds, {length:.1f} offers on average")
    print(load_average())
    negmas_times, engine_times = paired(
        negmas_job,
        lambda seed: engine_job(scenario, seed),
        (args.jobs, args.jobs * 10),
        args.rounds,
    )
    report("one run per job (sim.run)", engine_times, negmas_times)
    print(load_average())

    seeds = batch_seeds(args.batch)
    pairs = [reservations(seed) for seed in seeds]
    batch_rows = engine_batch(scenario, args.batch)
    rate = sum(len(row) == 3 for row in batch_rows) / len(batch_rows)
    print(f"the batch's {args.batch} jobs: the engine agrees on every issue in {rate:.0%}")

    def engine_block() -> int:
        engine_batch(scenario, args.batch)
        return args.batch

    def negmas_block() -> int:
        for seller_reserve, buyer_reserve in pairs[: args.jobs]:
            negmas_session(seller_reserve, buyer_reserve)
        return args.jobs

    batch_times, session_times = timed_blocks([engine_block, negmas_block], args.rounds)
    report(
        f"a batch of {args.batch} jobs (sim.run_batch, 1 process) against NegMAS sessions "
        "of the same seeds",
        batch_times,
        session_times,
    )
    print(load_average())


if __name__ == "__main__":
    main()
