"""The negotiation model as a Mesa model: construction, agents, stepping and randomness."""

from __future__ import annotations

import random
from pathlib import Path

import mesa
import numpy as np
import yaml

from sim.model.agents import ActorAgent
from sim.model.model import NegotiationModel
from sim.scenario.schema import Scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "january_2022.yaml"


def baseline() -> Scenario:
    """The shipped January 2022 scenario, validated without the loader."""
    return Scenario.model_validate(yaml.safe_load(BASELINE.read_text(encoding="utf-8")))


def test_constructible_with_defaults_loads_the_baseline() -> None:
    """``NegotiationModel()`` needs no argument: it plays the shipped baseline."""
    model = NegotiationModel()
    assert model.spec == baseline()
    assert set(model.actors) == set(baseline().actors)


def test_actors_are_mesa_agents_of_the_model() -> None:
    """Every actor is a Mesa agent registered with the model, one per scenario actor."""
    model = NegotiationModel(baseline(), rng=0)
    assert isinstance(model, mesa.Model)
    agents = list(model.agents)
    assert len(agents) == len(baseline().actors)
    assert all(isinstance(agent, mesa.Agent) for agent in agents)
    assert all(isinstance(agent, ActorAgent) and agent.model is model for agent in agents)
    assert {agent.actor_id for agent in agents} == set(model.actors)


def test_step_advances_and_running_ends_false() -> None:
    """Each ``step()`` moves the run on (Mesa's step count, the transcript); at the end
    ``running`` is False and the outcome is set."""
    model = NegotiationModel(baseline(), rng=0)
    assert model.running and model.outcome is None
    model.step()
    assert model.steps == 1
    assert model.events, "the first exchange is on the record"
    first = len(model.events)
    model.step()
    assert model.steps == 2
    assert len(model.events) > first
    steps = 2
    while model.running:
        model.step()
        steps += 1
        assert steps < 10_000, "the run must end"
    assert model.running is False
    assert model.outcome is not None
    assert model.result().outcome == model.outcome


def test_run_to_end_equals_stepping_by_hand() -> None:
    """``run_to_end()`` is stepping until ``running`` is False."""
    by_hand = NegotiationModel(baseline(), rng=4)
    while by_hand.running:
        by_hand.step()
    assert by_hand.result().to_json() == NegotiationModel(baseline(), rng=4).run_to_end().to_json()


def test_same_rng_seed_same_result() -> None:
    """Two models with the same seed give the same result."""
    first = NegotiationModel(baseline(), rng=11).run_to_end().to_json()
    assert NegotiationModel(baseline(), rng=11).run_to_end().to_json() == first


def test_different_seeds_can_differ() -> None:
    """Some pair of seeds among 0..9 gives different results (the draws come from ``rng``)."""
    results = {NegotiationModel(baseline(), rng=seed).run_to_end().to_json() for seed in range(10)}
    assert len(results) > 1


def test_randomness_comes_only_from_rng() -> None:
    """Global ``random`` and ``numpy.random`` are neither used nor disturbed by a run."""
    outcomes = []
    for global_seed in (1, 2):
        random.seed(global_seed)
        np.random.seed(global_seed)
        before = (random.getstate(), np.random.get_state()[1].copy())
        outcomes.append(NegotiationModel(baseline(), rng=5).run_to_end().to_json())
        assert random.getstate() == before[0]
        assert (np.random.get_state()[1] == before[1]).all()
    assert outcomes[0] == outcomes[1]
