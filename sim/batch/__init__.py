"""Monte Carlo batches: many seeded runs of one scenario, their rows and summary.

>>> import sim
>>> scenario = sim.load_scenario("scenarios/january_2022.yaml")  # doctest: +SKIP
>>> batch = sim.run_batch(scenario, runs=500, seed=1, workers=2, out="results")  # doctest: +SKIP
>>> batch.summary()["classes"]["deadlock"]  # doctest: +SKIP

Modules: :mod:`~sim.batch.seeds` (run seeds), :mod:`~sim.batch.runner` (planning
and playing batches), :mod:`~sim.batch.kernel` (many runs of an eligible
scenario at once, :mod:`~sim.batch.eligible` saying which are,
:mod:`~sim.batch.rules` the bargaining rules over arrays),
:mod:`~sim.batch.executors` (this process or a process pool),
:mod:`~sim.batch.cluster` (a Dask cluster), :mod:`~sim.batch.store` (the output
folder, streaming and resuming), :mod:`~sim.batch.summary` (the summary
counted row by row), :mod:`~sim.batch.result` (rows and summary),
:mod:`~sim.batch.stats` (Wilson intervals), :mod:`~sim.batch.render` (the
summary as text).
"""

from __future__ import annotations

from sim.batch.result import BatchResult
from sim.batch.runner import run_batch
from sim.batch.seeds import run_seeds
from sim.batch.stats import wilson_interval

__all__ = ["BatchResult", "run_batch", "run_seeds", "wilson_interval"]
