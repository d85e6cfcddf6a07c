"""Scholz, Calbert & Smith (2011), JTP 23(4): BDM's EC emission-standards case.

Published: median 7.0 and mean 7.39 at the start; after round 1, median 8.4
and mean 7.4 (one decimal).

Known difference: our round-1 mean is 7.47. Belgium's compromise from 7 to
8.42 (the move that makes 8.4 the median) alone lifts the weighted mean from
7.390 to 7.457, so no reading of the model that moves the median to 8.4 that
way reaches a mean that rounds to 7.4; the mean is checked within 0.1 of the
published value. See sim/analysis/expected_utility.py, "Ambiguities and choices".
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.analysis.expected_utility import bdm_from_scenario, bdm_rounds
from sim.scenario.schema import Scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "forecasting" / "ec_emissions.yaml"

NAMES = [
    "netherlands",
    "belgium",
    "luxembourg",
    "germany",
    "france",
    "italy",
    "united_kingdom",
    "ireland",
    "denmark",
    "greece",
]
POSITIONS = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
CAPABILITIES = [0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08]
SALIENCES = [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario.model_validate(yaml.safe_load(SCENARIO.read_text()))


def test_shipped_scenario_holds_the_published_data(scenario: Scenario) -> None:
    assert list(scenario.actors) == NAMES
    for name, x, c, s in zip(NAMES, POSITIONS, CAPABILITIES, SALIENCES, strict=True):
        actor = scenario.actors[name]
        assert actor.capability == c
        assert actor.positions["emission_standards"].ideal == x
        assert actor.positions["emission_standards"].salience == s
    (round_,) = scenario.rounds
    assert round_.protocol == "expected_utility" and round_.exchanges == 3


def test_initial_median_and_mean(scenario: Scenario) -> None:
    """Median 7.0 (exact), mean 7.39 (to two decimals, tolerance 0.005)."""
    first = bdm_from_scenario(scenario)[0]
    assert first.median == 7.0
    assert first.mean == pytest.approx(7.39, abs=0.005)


def test_median_after_round_one_is_8_4(scenario: Scenario) -> None:
    """Median 8.4 to one decimal (tolerance 0.05)."""
    first = bdm_from_scenario(scenario)[0]
    assert first.new_median == pytest.approx(8.4, abs=0.05)


def test_mean_after_round_one_is_near_7_4(scenario: Scenario) -> None:
    """Published 7.4; ours 7.47 (known difference, module docstring): tolerance 0.1."""
    first = bdm_from_scenario(scenario)[0]
    assert first.new_mean == pytest.approx(7.4, abs=0.1)
    assert first.new_mean == pytest.approx(7.468, abs=0.001)  # pin our own number


def test_three_rounds_from_the_scenario_match_the_array_api(scenario: Scenario) -> None:
    from_scenario = bdm_from_scenario(scenario)
    direct = bdm_rounds(POSITIONS, CAPABILITIES, SALIENCES, rounds=3, scale=(4, 10), names=NAMES)
    assert len(from_scenario) == 3
    assert [r.new_positions for r in from_scenario] == [r.new_positions for r in direct]


def test_type_priority_choice_also_gives_8_4() -> None:
    """The replication code's reported offer choice: conflict > compromise > capitulation."""
    (first,) = bdm_rounds(
        POSITIONS, CAPABILITIES, SALIENCES, 1, scale=(4, 10), selection="type_priority"
    )
    assert first.new_median == pytest.approx(8.4, abs=0.05)


def test_literal_pairwise_normalisation_does_not_reproduce_8_4() -> None:
    """Documents the ambiguity: P_ij + P_ji = 1 leaves the median at 7.0 after round 1."""
    (first,) = bdm_rounds(
        POSITIONS, CAPABILITIES, SALIENCES, 1, scale=(4, 10), normalisation="pairwise"
    )
    assert first.new_median == 7.0
