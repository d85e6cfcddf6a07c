"""Bueno de Mesquita's expected-utility model: the pieces of one round."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from builders import actor, build, one_round, position
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.expected_utility import (
    Offer,
    RoundResult,
    basic_utilities,
    bdm_from_scenario,
    bdm_round,
    bdm_rounds,
    expected_utility_of_challenge,
    median_position,
    risk_exponents,
    weighted_mean,
    win_probabilities,
)
from sim.scenario.schema import Scenario

POSITIONS = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
CAPABILITIES = [0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08]
SALIENCES = [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]


def test_basic_utilities_with_risk_neutrality() -> None:
    """r = 1: U_s = 2d, U_f = −2d, U_sq = 0 (exact)."""
    u_s, u_f, u_b, u_w, u_sq = basic_utilities(0.3, 0.1, 1.0)
    assert (u_s, u_f, u_sq) == pytest.approx((0.6, -0.6, 0.0))
    assert (u_b, u_w) == pytest.approx((0.4, -0.4))


def test_expected_utility_of_challenge_closed_form() -> None:
    """r = 1, Q = 1: E = 2d(1 − 2 s_j (1 − P)) (exact)."""
    d, s_j, p = 0.5, 0.6, 0.25
    expected = 2 * d * (1 - 2 * s_j * (1 - p))
    assert expected_utility_of_challenge(p, s_j, d, 0.0, 1.0) == pytest.approx(expected)


def test_q_below_one_brings_in_better_and_worse() -> None:
    base = expected_utility_of_challenge(0.5, 0.5, 0.4, 0.2, 1.0, q=1.0)
    hopeful = expected_utility_of_challenge(0.5, 0.5, 0.4, 0.2, 1.0, q=0.0, t=1.0)
    fearful = expected_utility_of_challenge(0.5, 0.5, 0.4, 0.2, 1.0, q=0.0, t=0.0)
    assert hopeful < base < fearful  # expecting improvement anyway makes challenge less worth it


def test_mean_and_median_of_the_emission_case() -> None:
    assert weighted_mean(POSITIONS, CAPABILITIES, SALIENCES) == pytest.approx(5.003 / 0.677)
    assert median_position(POSITIONS, CAPABILITIES, SALIENCES) == 7.0


def test_median_ties_go_to_the_lower_position() -> None:
    assert median_position([0, 10], [1, 1], [1, 1]) == 0.0


def test_pairwise_probabilities_are_complementary() -> None:
    p = win_probabilities(POSITIONS, CAPABILITIES, SALIENCES, [1.0] * 10, 6.0, "pairwise")
    for i in range(10):
        for j in range(10):
            if POSITIONS[i] != POSITIONS[j]:
                assert p[i][j] + p[j][i] == pytest.approx(1.0)
            else:
                assert p[i][j] == 0.0


def test_all_votes_probabilities_are_smaller() -> None:
    pair = win_probabilities(POSITIONS, CAPABILITIES, SALIENCES, [1.0] * 10, 6.0, "pairwise")
    every = win_probabilities(POSITIONS, CAPABILITIES, SALIENCES, [1.0] * 10, 6.0, "all_votes")
    assert all(every[i][j] <= pair[i][j] + 1e-15 for i in range(10) for j in range(10))


def test_risk_exponents_span_half_to_two() -> None:
    r = risk_exponents(POSITIONS, CAPABILITIES, SALIENCES, 6.0)
    assert min(r) == pytest.approx(0.5) and max(r) == pytest.approx(2.0)


def test_equally_exposed_actors_are_risk_neutral() -> None:
    assert risk_exponents([0, 1], [1, 1], [1, 1], 1.0) == [1.0, 1.0]


def test_round_reports_offers_and_moves() -> None:
    result = bdm_round(POSITIONS, CAPABILITIES, SALIENCES, scale=(4, 10))
    assert len(result.accepted) == 10
    for j, offer in enumerate(result.accepted):
        if offer is None:
            assert result.new_positions[j] == POSITIONS[j]
            continue
        assert offer.receiver == j and offer in result.offers
        assert offer.sender_eu > 0
        assert result.new_positions[j] == offer.position
        if offer.kind == "compromise":
            assert offer.receiver_eu < 0 and abs(offer.receiver_eu) < offer.sender_eu
    kinds = {o.kind for o in result.offers}
    assert kinds <= {"conflict", "compromise", "capitulation"}


def test_least_move_takes_the_nearest_offer() -> None:
    result = bdm_round(POSITIONS, CAPABILITIES, SALIENCES, scale=(4, 10), selection="least_move")
    for j, chosen in enumerate(result.accepted):
        if chosen is None:
            continue
        moves = [abs(o.position - POSITIONS[j]) for o in result.offers if o.receiver == j]
        assert abs(chosen.position - POSITIONS[j]) == pytest.approx(min(moves))


def chosen_with_kind_first(result: RoundResult) -> Iterator[tuple[int, Offer, list[Offer]]]:
    """(receiver, offer taken, offers of its kind) for each mover; asserts the kind came first."""
    rank = {"conflict": 0, "compromise": 1, "capitulation": 2}
    for j, chosen in enumerate(result.accepted):
        received = [o for o in result.offers if o.receiver == j]
        if chosen is None:
            assert not received
            continue
        best = min(rank[o.kind] for o in received)
        assert rank[chosen.kind] == best
        yield j, chosen, [o for o in received if rank[o.kind] == best]


def test_type_priority_takes_kind_first_then_nearest() -> None:
    """§6.2: conflict before compromise before capitulation; the least move within a kind."""
    result = bdm_round(POSITIONS, CAPABILITIES, SALIENCES, (4, 10), selection="type_priority")
    for j, chosen, same_kind in chosen_with_kind_first(result):
        nearest = min(abs(o.position - POSITIONS[j]) for o in same_kind)
        assert abs(chosen.position - POSITIONS[j]) == pytest.approx(nearest)
    # The emission case has receivers whose two readings differ (Luxembourg, Ireland).
    least = bdm_round(POSITIONS, CAPABILITIES, SALIENCES, (4, 10), selection="least_move")
    assert result.new_positions != least.new_positions


def test_enforcement_is_the_default_and_follows_the_strongest_compromise_sender() -> None:
    """§6.2 as the default: kind first; the least move among conflicts; among compromises and
    capitulations the sender with the highest expected utility (then the least move)."""
    rounds = bdm_rounds(POSITIONS, CAPABILITIES, SALIENCES, rounds=6, scale=(4, 10))
    explicit = bdm_rounds(
        POSITIONS, CAPABILITIES, SALIENCES, rounds=6, scale=(4, 10), selection="enforcement"
    )
    assert [r.new_positions for r in rounds] == [r.new_positions for r in explicit]
    for result in rounds:
        for j, chosen, same_kind in chosen_with_kind_first(result):
            if chosen.kind == "conflict":
                nearest = min(abs(o.position - result.positions[j]) for o in same_kind)
                assert abs(chosen.position - result.positions[j]) == pytest.approx(nearest)
            else:
                assert chosen.sender_eu == pytest.approx(max(o.sender_eu for o in same_kind))
    # Round 4: Belgium (near 10) is offered compromises by the Netherlands (strong) and by
    # France (almost nothing to gain); it follows the Netherlands, not the nearer France.
    fourth = rounds[3]
    belgium = fourth.accepted[1]
    assert belgium is not None and belgium.kind == "compromise"
    assert belgium.sender == 0 and belgium.position < 6


def test_round_probabilities_carry_the_voters_risk_exponents_by_default() -> None:
    """The second pass weighs each vote with its voter's risk exponent (votes="risk"); with
    votes="linear" P is the r = 1 one, as eq. 31 prints it."""
    result = bdm_round(POSITIONS, CAPABILITIES, SALIENCES, scale=(4, 10))
    assert len(set(result.risk_exponents)) > 1
    risky = win_probabilities(POSITIONS, CAPABILITIES, SALIENCES, result.risk_exponents, 6.0)
    assert [list(row) for row in result.probabilities] == risky
    linear = win_probabilities(POSITIONS, CAPABILITIES, SALIENCES, [1.0] * 10, 6.0)
    plain = bdm_round(POSITIONS, CAPABILITIES, SALIENCES, scale=(4, 10), votes="linear")
    assert [list(row) for row in plain.probabilities] == linear
    assert risky != linear  # the exponent matters


def test_three_rounds_from_the_scenario_match_the_array_api_consistency() -> None:
    """Consistency: the scenario front end feeds the array API the scenario's data."""
    path = Path(__file__).resolve().parents[2] / "scenarios" / "forecasting" / "ec_emissions.yaml"
    scenario = Scenario.model_validate(yaml.safe_load(path.read_text()))
    from_scenario = bdm_from_scenario(scenario)
    direct = bdm_rounds(POSITIONS, CAPABILITIES, SALIENCES, rounds=3, scale=(4, 10))
    assert len(from_scenario) == 3
    assert [r.new_positions for r in from_scenario] == [r.new_positions for r in direct]


def test_inputs_must_line_up() -> None:
    with pytest.raises(ValueError):
        bdm_round([1, 2], [1], [1, 1])
    with pytest.raises(ValueError):
        bdm_round([1], [1], [1])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.floats(0.01, 1), st.floats(0.05, 1)),
        min_size=2,
        max_size=6,
    )
)
def test_positions_stay_within_the_initial_range(actors: list[tuple[int, float, float]]) -> None:
    """Property: every offer lies between two current positions, so no one leaves the hull."""
    x = [float(a[0]) for a in actors]
    results = bdm_rounds(x, [a[1] for a in actors], [a[2] for a in actors], rounds=3, scale=(0, 10))
    for result in results:
        assert all(min(x) - 1e-9 <= v <= max(x) + 1e-9 for v in result.new_positions)
        assert min(x) - 1e-9 <= result.new_median <= max(x) + 1e-9
        assert all(0.5 - 1e-9 <= r <= 2.0 + 1e-9 for r in result.risk_exponents)


def test_from_scenario_needs_an_expected_utility_round() -> None:
    s = build(
        {"x": {"status_quo": 5, "scale": [0, 10]}},
        {"a": actor("A"), "b": actor("B")},
        [one_round(["a", "b"], ["x"], hours=1)],
        name="no eu",
    )
    with pytest.raises(ValueError):
        bdm_from_scenario(s)


def test_from_scenario_uses_ideals_means_and_exchanges() -> None:
    s = build(
        {"x": {"status_quo": 5, "scale": [0, 10]}},
        {
            "a": actor(
                "A",
                {"x": position(2, 2, salience=0.5)},
                capability={"dist": "uniform", "low": 0.2, "high": 0.6},
            ),
            "b": actor("B", {"x": position(8, 8, salience=0.5)}, capability=0.4),
            "c": actor("C"),  # no position: not in the model
        },
        [one_round(["a", "b", "c"], ["x"], "expected_utility", exchanges_per_hour=1)],
        name="eu",
    )
    results = bdm_from_scenario(s)
    assert len(results) == 2
    assert results[0].names == ("a", "b")
    assert results[0].positions == (2.0, 8.0)
    assert results[0].mean == pytest.approx(5.0)  # equal weights 0.4 × 0.5
