"""Running scenarios from Python: one run, seeded."""

from __future__ import annotations

from sim.model.outcome import RunResult
from sim.scenario.schema import Scenario


def run(scenario: Scenario, seed: int | None = None, transcript: bool = True) -> RunResult:
    """Play a scenario once and return its result.

    The model's Mesa ``DataCollector`` stays off here: a result does not carry
    it, and collecting made a batch of the baseline 1.8 to 2 times slower
    (``benchmarks/collect_cost.py``). Build
    :class:`~sim.model.model.NegotiationModel` yourself to read
    ``model.datacollector``.

    Args:
        scenario: A validated scenario (``sim.load_scenario``).
        seed: The run's seed; defaults to the scenario's ``seed``. Same seed, same result.
        transcript: Keep exchange-level events (offers, rejections); off is faster.

    Returns:
        The run's :class:`~sim.model.outcome.RunResult`.
    """
    from sim.model.model import NegotiationModel

    model = NegotiationModel(
        scenario,
        rng=scenario.seed if seed is None else seed,
        record_transcript=transcript,
        collect=False,
    )
    return model.run_to_end()
