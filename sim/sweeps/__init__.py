"""Parameter sweeps: a Monte Carlo batch at every point of a grid or a Sobol' design.

>>> import sim
>>> scenario = sim.load_scenario("scenarios/january_2022.yaml")  # doctest: +SKIP
>>> frame = sim.sweep(scenario, vary={"actors.russia.war.cost": [0.1, 0.25, 0.45]}, runs=100)  # doctest: +SKIP

The package is ``sim.sweeps`` (plural) so that importing it never shadows the
function ``sim.sweep``. Modules: :mod:`~sim.sweeps.vary` (``--vary`` strings,
value lists and ranges), :mod:`~sim.sweeps.runner` (points, their batches, the
tidy frame and per-point summary), :mod:`~sim.sweeps.store` (the output
folder and resuming), :mod:`~sim.sweeps.sobol` (SALib: design and indices),
:mod:`~sim.sweeps.render` (the summary as text).
"""

from __future__ import annotations

from sim.sweeps.runner import SweepResult, run_sweep, sweep
from sim.sweeps.vary import parse_vary

__all__ = ["SweepResult", "parse_vary", "run_sweep", "sweep"]
