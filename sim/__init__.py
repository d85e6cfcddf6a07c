"""sim: a negotiation simulation engine for crisis talks and textbook bargaining games.

The public API is small and typed; heavy modules (Mesa, matplotlib) load only
when a function that needs them is called, so ``sim --help`` stays fast.

>>> import sim
>>> scenario = sim.load_scenario("scenarios/january_2022.yaml")  # doctest: +SKIP
>>> result = sim.run(scenario, seed=1)  # doctest: +SKIP
>>> batch = sim.run_batch(scenario, runs=200, seed=1, workers=2)  # doctest: +SKIP
>>> frame = sim.sweep(scenario, vary={"actors.russia.war.cost": [0.1, 0.45]}, runs=100)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "load_scenario",
    "run",
    "run_batch",
    "sweep",
    "analyze",
    "Scenario",
    "RunResult",
    "BatchResult",
    "UserError",
]

if TYPE_CHECKING:
    from sim.batch.result import BatchResult
    from sim.batch.runner import run_batch
    from sim.errors import UserError
    from sim.model.outcome import RunResult
    from sim.scenario.schema import Scenario
    from sim.sweeps.runner import sweep

_LAZY = {
    "load_scenario": ("sim.scenario.loader", "load_scenario"),
    "Scenario": ("sim.scenario.schema", "Scenario"),
    "UserError": ("sim.errors", "UserError"),
    "run": ("sim.runner", "run"),
    "RunResult": ("sim.model.outcome", "RunResult"),
    "analyze": ("sim.analysis", "analyze"),
    "run_batch": ("sim.batch.runner", "run_batch"),
    "BatchResult": ("sim.batch.result", "BatchResult"),
    "sweep": ("sim.sweeps.runner", "sweep"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module_name, attribute = _LAZY[name]
        return getattr(importlib.import_module(module_name), attribute)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names with the lazily loaded API, so ``dir(sim)`` and tab completion show it."""
    return sorted({*globals(), *__all__})
