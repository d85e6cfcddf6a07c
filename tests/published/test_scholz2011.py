"""Scholz, Calbert & Smith (2011): BDM's EC emission-standards case.

Published (§7, Table 2 of the ICAART version, as transcribed in a public
equation extract, github.com/hamzagul07/schelling docs/papers/scholz_extract.md;
the round-1 figures agree with the JTP version): median 7.0 and mean 7.39 at
the start; after rounds 1-8 the median is 8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8,
9.6 and the mean 7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6 (one decimal).

Tolerances. The table prints one decimal and does not say whether it rounds
or truncates, so a printed ``p`` stands for a value in [p - 0.05, p + 0.05)
if rounded and [p, p + 0.1) if truncated. "Agrees with the table" below means
inside the union, [p - 0.05, p + 0.1). Where a value agrees only under one
convention, the test says which.

Known differences (module docstring of sim/analysis/expected_utility.py): the
round-1 mean is 7.46, which agrees only if the table truncates; the round-2
median is 9.62 against 9.9; from round 6 the paths part.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.analysis.expected_utility import (
    bdm_from_scenario,
    bdm_rounds,
    expected_utility_of_challenge,
    median_position,
    risk_exponents,
    weighted_mean,
    win_probabilities,
)
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

TABLE_2_MEDIAN = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
TABLE_2_MEAN = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]


def agrees(value: float, printed: float) -> bool:
    """``value`` could be printed as ``printed`` by rounding or truncating to one decimal."""
    return printed - 0.05 - 1e-9 <= value < printed + 0.1 - 1e-9


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
    """Median 8.4: ours 8.427, within 0.05, so it agrees whether the table rounds or truncates."""
    first = bdm_from_scenario(scenario)[0]
    assert first.new_median == pytest.approx(8.4, abs=0.05)
    assert first.new_median == pytest.approx(8.427, abs=0.001)  # pin our own number


def test_round_one_moves(scenario: Scenario) -> None:
    """Belgium compromises toward France; Luxembourg loses a conflict to Belgium, Ireland to
    Luxembourg. The public port of the authors' code logs the same three moves (its Belgium
    ends at 8.416 because its votes carry risk exponents); the paper lists no positions."""
    first = bdm_from_scenario(scenario)[0]
    names = first.names
    assert names is not None
    moves = {
        names[j]: (offer.kind, names[offer.sender], round(offer.position, 3))
        for j, offer in enumerate(first.accepted)
        if offer is not None
    }
    assert moves == {
        "belgium": ("compromise", "france", 8.427),
        "luxembourg": ("conflict", "belgium", 7.0),
        "ireland": ("conflict", "luxembourg", 4.0),
    }


def test_mean_after_round_one_is_7_46_not_7_4(scenario: Scenario) -> None:
    """Published 7.4; ours 7.462. It agrees only if the table truncates: rounded, it is 7.5.

    This is the known difference; the next test shows why no reading that moves the
    median to 8.4 through Belgium's compromise can round to 7.4.
    """
    first = bdm_from_scenario(scenario)[0]
    assert first.new_mean == pytest.approx(7.462, abs=0.001)  # pin our own number
    assert agrees(first.new_mean, 7.4)
    assert 7.4 <= first.new_mean < 7.5  # truncates to 7.4
    assert round(first.new_mean, 1) == 7.5  # rounds to 7.5: the gap, recorded


def test_belgiums_move_alone_lifts_the_mean_past_7_45(scenario: Scenario) -> None:
    """Belgium from 7 to its round-1 position (the move that makes 8.4 the median), nobody else
    moving: the weighted mean is already 7.457 > 7.45."""
    first = bdm_from_scenario(scenario)[0]
    only_belgium = list(first.positions)
    only_belgium[1] = first.new_positions[1]
    assert first.new_positions[1] == pytest.approx(8.4, abs=0.05)
    assert weighted_mean(only_belgium, CAPABILITIES, SALIENCES) > 7.45


def test_table_2_rounds_one_to_three(scenario: Scenario) -> None:
    """The scenario's three rounds against Table 2 (medians 8.4, 9.9, 9.9; means 7.4, 7.5, 7.6).

    Ours: medians 8.427, 9.620, 9.964; means 7.462, 7.553, 7.590. All agree except the round-2
    median, 0.28 below the published 9.9 (known difference). The round-3 median agrees only if
    the table truncates (rounded it would be 10.0).
    """
    rounds = bdm_from_scenario(scenario)
    medians = [r.new_median for r in rounds]
    means = [r.new_mean for r in rounds]
    assert medians == pytest.approx([8.427, 9.620, 9.964], abs=0.001)
    assert means == pytest.approx([7.462, 7.553, 7.590], abs=0.001)
    assert [agrees(m, p) for m, p in zip(medians, TABLE_2_MEDIAN, strict=False)] == [
        True,
        False,
        True,
    ]
    assert all(agrees(m, p) for m, p in zip(means, TABLE_2_MEAN, strict=False))


def test_table_2_all_eight_rounds_record_which_agree() -> None:
    """Eight rounds against Table 2. Ours: medians 8.427, 9.620, 9.964, 9.9997, then just under
    10 (9.99999997) in rounds 5-7, 8.213; means 7.46, 7.55, 7.59, 7.60, 7.61, 7.39, 7.40, 7.46.

    Agreeing: the medians of rounds 1, 3, 4 and 5 (rounds 3-5 only if the table truncates:
    ours are just under 10) and the means of rounds 1-3 and 6. The rest do not agree: the
    published median falls to 7.4 in round 6, ours stays near 10 until round 8. A change
    either way should be noticed and the module docstring updated.
    """
    rounds = bdm_rounds(POSITIONS, CAPABILITIES, SALIENCES, rounds=8, scale=(4, 10))
    median_ok = [
        k
        for k, (r, p) in enumerate(zip(rounds, TABLE_2_MEDIAN, strict=True), start=1)
        if agrees(r.new_median, p)
    ]
    mean_ok = [
        k
        for k, (r, p) in enumerate(zip(rounds, TABLE_2_MEAN, strict=True), start=1)
        if agrees(r.new_mean, p)
    ]
    assert median_ok == [1, 3, 4, 5]
    assert mean_ok == [1, 2, 3, 6]


def test_three_rounds_from_the_scenario_match_the_array_api(scenario: Scenario) -> None:
    from_scenario = bdm_from_scenario(scenario)
    direct = bdm_rounds(POSITIONS, CAPABILITIES, SALIENCES, rounds=3, scale=(4, 10), names=NAMES)
    assert len(from_scenario) == 3
    assert [r.new_positions for r in from_scenario] == [r.new_positions for r in direct]


def test_least_move_choice_also_gives_8_4() -> None:
    """The other reading of §6.2 (least move whatever the kind of offer): same median, mean 7.468."""
    (first,) = bdm_rounds(
        POSITIONS, CAPABILITIES, SALIENCES, 1, scale=(4, 10), selection="least_move"
    )
    assert first.new_median == pytest.approx(8.4, abs=0.05)
    assert first.new_mean == pytest.approx(7.468, abs=0.001)


def test_printed_pairwise_normalisation_does_not_reproduce_8_4() -> None:
    """Eq. 30 as printed (P_ij + P_ji = 1) leaves the median at 7.0 after round 1, not 8.4."""
    (first,) = bdm_rounds(
        POSITIONS, CAPABILITIES, SALIENCES, 1, scale=(4, 10), normalisation="pairwise"
    )
    assert first.new_median == 7.0


def test_each_actor_own_exponent_reading_does_not_reproduce_8_4() -> None:
    """Appendix step 7 read literally: E(U_ij) with i's exponent and E(U_ji) with j's. Built here
    from the module's pieces, with the module's other choices; round 1 ends at 8.79, not 8.4,
    which is why the module keeps the receiver's exponent for both."""
    x = [float(v) for v in POSITIONS]
    n, span = len(x), 6.0
    mu = median_position(x, CAPABILITIES, SALIENCES)
    r = risk_exponents(x, CAPABILITIES, SALIENCES, span)
    p = win_probabilities(x, CAPABILITIES, SALIENCES, [1.0] * n, span)

    def eu(a: int, b: int) -> float:
        d, d_mu = abs(x[a] - x[b]) / span, abs(x[a] - mu) / span
        return expected_utility_of_challenge(p[a][b], SALIENCES[b], d, d_mu, r[a])

    new = list(x)
    for j in range(n):
        offers = []  # (kind rank, move, new position)
        for i in range(n):
            if x[i] == x[j]:
                continue
            a, b = eu(i, j), eu(j, i)
            if a <= 0:
                continue
            if b > 0 and a > b:
                offers.append((0, abs(x[i] - x[j]), x[i]))
            elif b <= 0 and abs(b) < a:
                target = x[j] + (x[i] - x[j]) * abs(b) / a
                offers.append((1, abs(target - x[j]), target))
            elif b <= 0:
                offers.append((2, abs(x[i] - x[j]), x[i]))
        if offers:
            new[j] = min(offers)[2]
    assert median_position(new, CAPABILITIES, SALIENCES) == pytest.approx(8.79, abs=0.005)
