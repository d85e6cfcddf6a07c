"""Nash, Kalai–Smorodinsky and the Pareto frontier, on utility pairs and on scenarios."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from builders import actor, build, one_round

from sim.analysis.bargaining import (
    convex_frontier,
    ideal_point,
    kalai_smorodinsky,
    nash_solution,
    nash_split,
    pareto_frontier,
)
from sim.analysis.scenario_bargaining import (
    mean_stances,
    scenario_bargaining,
    status_quo_utility,
    two_parties,
)
from sim.model.utility import package_utility
from sim.scenario.schema import Scenario


def pie(step: float) -> list[tuple[float, float]]:
    n = round(1 / step)
    return [(k / n, 1 - k / n) for k in range(n + 1)]


def test_pareto_frontier_drops_dominated_points_and_duplicates() -> None:
    points = [(0, 1), (0.5, 0.5), (0.4, 0.4), (1, 0), (0.5, 0.5), (0, 0.9)]
    assert pareto_frontier(points) == [0, 1, 3]


def test_convex_frontier_keeps_only_hull_vertices() -> None:
    points = [(0, 1), (0.5, 0.5), (1, 0), (0.3, 0.8)]  # (0.5, 0.5) lies under the hull
    assert convex_frontier(points) == [0, 3, 2]
    assert convex_frontier(pie(0.1)) == [0, 10]


def test_nash_on_a_coarse_pie_is_exact_in_convex_mode() -> None:
    """Tolerance 1e-12: the frontier segment is searched in closed form."""
    point = nash_solution([(0, 1), (1, 0)], convex=True)
    assert point is not None
    assert point.utilities == pytest.approx((0.5, 0.5), abs=1e-12)
    assert {index for index, _ in point.mix} == {0, 1}


def test_nash_discrete_picks_the_best_candidate_only() -> None:
    point = nash_solution([(0, 1), (1, 0), (0.3, 0.6)])
    assert point is not None and point.index == 2 and point.mix == ((2, 1.0),)


def test_nash_none_when_nothing_beats_disagreement() -> None:
    assert nash_solution(pie(0.1), disagreement=(0.6, 0.6)) is None
    assert kalai_smorodinsky(pie(0.1), disagreement=(0.6, 0.6)) is None
    assert ideal_point(pie(0.1), disagreement=(0.6, 0.6)) is None


def test_nash_rejects_nonpositive_weights() -> None:
    with pytest.raises(ValueError):
        nash_solution(pie(0.5), weights=(0.0, 1.0))


def test_nash_split_closed_form_consistency() -> None:
    """Consistency: nash_split is d1 + w1/(w1 + w2)·(1 − d1 − d2), the formula it implements."""
    assert nash_split() == 0.5
    assert nash_split(0.2, 0.4) == pytest.approx(0.4)
    assert nash_split(weights=(0.3, 0.7)) == pytest.approx(0.3)


def test_nash_and_kalai_smorodinsky_differ_on_an_asymmetric_frontier() -> None:
    """Frontier u2 = 1 − u1²: Nash at u1 = 1/√3, KS at the golden section (√5 − 1)/2.

    Tolerance 1e-3: the candidates are a grid of step 1e-4 in u1.
    """
    u1 = np.linspace(0, 1, 10_001)
    points = np.column_stack([u1, 1 - u1**2])
    nash = nash_solution(points)
    ks = kalai_smorodinsky(points)
    assert nash is not None and ks is not None
    assert nash.utilities[0] == pytest.approx(1 / math.sqrt(3), abs=1e-3)
    assert ks.utilities[0] == pytest.approx((math.sqrt(5) - 1) / 2, abs=1e-3)


def test_kalai_smorodinsky_uses_the_ideal_point_of_the_individually_rational_set() -> None:
    """Unit pie, d = (0.1, 0.3): ideal (0.7, 0.9), KS at u1 = 0.4 (exact in convex mode)."""
    assert ideal_point(pie(0.5), (0.1, 0.3), convex=True) == pytest.approx((0.7, 0.9))
    ks = kalai_smorodinsky(pie(0.5), (0.1, 0.3), convex=True)
    assert ks is not None and ks.utilities == pytest.approx((0.4, 0.6), abs=1e-12)


def test_points_must_be_pairs() -> None:
    with pytest.raises(ValueError):
        pareto_frontier([(1.0, 2.0, 3.0)])  # type: ignore[list-item]


# ----------------------------------------------------------------------------- scenarios


def two_party(
    positions_a: dict[str, Any],
    positions_b: dict[str, Any],
    issues: dict[str, Any],
    **actor_extra: Any,
) -> Scenario:
    return build(
        issues,
        {"a": actor("A", positions_a, **actor_extra), "b": actor("B", positions_b, **actor_extra)},
        name="two-party",
    )


def test_single_issue_scenario_nash_splits_the_zopa_in_the_middle() -> None:
    """Symmetric stances, d = (0, 0) → Nash and KS at the midpoint 50 (tolerance 1e-9)."""
    s = two_party(
        {"x": {"ideal": 0, "red_line": 100}},
        {"x": {"ideal": 100, "red_line": 0}},
        {"x": {"status_quo": 50}},
    )
    result = scenario_bargaining(s, disagreement=(0.0, 0.0))
    assert result is not None and result.convex
    assert result.nash is not None and result.kalai_smorodinsky is not None
    assert result.nash.package["x"] == pytest.approx(50.0, abs=1e-9)
    assert result.kalai_smorodinsky.package["x"] == pytest.approx(50.0, abs=1e-9)


def test_no_solution_when_nothing_beats_the_status_quo_for_both() -> None:
    """Status quo 50 gives both 0.5 on a linear pie: no package is better for both."""
    s = two_party(
        {"x": {"ideal": 0, "red_line": 100}},
        {"x": {"ideal": 100, "red_line": 0}},
        {"x": {"status_quo": 50}},
    )
    result = scenario_bargaining(s, disagreement="status_quo")
    assert result is not None and result.disagreement == pytest.approx((0.5, 0.5))
    assert result.disagreement_basis == "status_quo"
    assert result.nash is None and result.kalai_smorodinsky is None and result.frontier


def test_red_line_utilities_are_the_default_disagreement_point() -> None:
    """Red lines at 60 and 20 on a 0–100 pie: d = (0.4, 0.2), Nash at 40 (tolerance 1e-9).

    The textbook case (scenarios/textbook/nash_bargaining.yaml): each gets its
    reservation utility plus half the surplus, 0.4 + 0.2 and 0.2 + 0.2.
    """
    s = two_party(
        {"x": {"ideal": 0, "red_line": 60}},
        {"x": {"ideal": 100, "red_line": 20}},
        {"x": {"status_quo": 50}},
    )
    result = scenario_bargaining(s)
    assert result is not None and result.disagreement_basis == "red_line"
    assert result.disagreement == pytest.approx((0.4, 0.2))
    assert result.nash is not None
    assert result.nash.package["x"] == pytest.approx(40.0, abs=1e-9)
    assert result.nash.utilities == pytest.approx((0.6, 0.4), abs=1e-9)
    floor = scenario_bargaining(s, disagreement="floor")
    assert floor is not None and floor.disagreement == pytest.approx((0.5, 0.5))
    with pytest.raises(ValueError):
        scenario_bargaining(s, disagreement="war")  # type: ignore[arg-type]


def test_weighted_nash_favours_the_heavier_party() -> None:
    """Weights (0.8, 0.2) on a linear pie → player 1 gets 0.8 of the span (tolerance 1e-9)."""
    s = two_party(
        {"x": {"ideal": 0, "red_line": 100}},
        {"x": {"ideal": 100, "red_line": 0}},
        {"x": {"status_quo": 50}},
    )
    result = scenario_bargaining(s, weights=(0.8, 0.2), disagreement=(0.0, 0.0))
    assert result is not None and result.weighted_nash is not None
    assert result.weighted_nash.package["x"] == pytest.approx(20.0, abs=1e-9)
    assert result.weighted_nash.utilities == pytest.approx((0.8, 0.2), abs=1e-9)


def test_logrolling_gives_each_side_the_issue_it_cares_about() -> None:
    s = two_party(
        {
            "x": {"ideal": 0, "red_line": 100, "salience": 1.0},
            "y": {"ideal": 0, "red_line": 100, "salience": 0.2},
        },
        {
            "x": {"ideal": 100, "red_line": 0, "salience": 0.2},
            "y": {"ideal": 100, "red_line": 0, "salience": 1.0},
        },
        {"x": {"status_quo": 50}, "y": {"status_quo": 50}},
    )
    result = scenario_bargaining(s)
    assert result is not None and result.nash is not None
    assert result.nash.package["x"] < 50 < result.nash.package["y"]
    # Both gain over the status quo, and the package is Pareto-efficient on the grid.
    d = result.disagreement
    assert result.nash.utilities[0] > d[0] and result.nash.utilities[1] > d[1]
    assert not any(
        f.utilities[0] > result.nash.utilities[0] + 1e-9
        and f.utilities[1] > result.nash.utilities[1] + 1e-9
        for f in result.frontier
    )


def test_solutions_stay_inside_the_zopa_and_use_the_simulation_utility_consistency() -> None:
    """Consistency: the reported utilities are package_utility's, the packages inside the ZOPA."""
    s = two_party(
        {"x": {"ideal": 0, "red_line": 70}, "y": {"ideal": 10, "red_line": 60, "salience": 0.5}},
        {"x": {"ideal": 100, "red_line": 30}, "y": {"ideal": 90, "red_line": 40}},
        {"x": {"status_quo": 80}, "y": {"status_quo": 20}},
        utility="quadratic",
    )
    result = scenario_bargaining(s, grid=9)
    assert result is not None and not result.convex and result.continuous  # quadratic: curved
    for solution in (result.nash, result.kalai_smorodinsky, result.weighted_nash):
        assert solution is not None
        assert 30 <= solution.package["x"] <= 70 and 40 <= solution.package["y"] <= 60
        for k, party in enumerate(("a", "b")):
            expected = package_utility(mean_stances(s, party), solution.package)
            assert solution.utilities[k] == pytest.approx(expected, abs=1e-12)
    for point in result.frontier:
        expected = package_utility(mean_stances(s, "a"), point.package)
        assert point.utilities[0] == pytest.approx(expected, abs=1e-12)


def test_indivisible_issue_uses_labelled_points_only() -> None:
    s = two_party(
        {"x": {"ideal": 0, "red_line": 80}},
        {"x": {"ideal": 100, "red_line": 20}},
        {
            "x": {
                "status_quo": 100,
                "divisible": False,
                "labels": {0: "none", 30: "some", 60: "more", 100: "all"},
            }
        },
    )
    result = scenario_bargaining(s, disagreement=(0.0, 0.0))
    assert result is not None and result.candidates == 2 and not result.convex
    assert result.nash is not None and result.nash.package["x"] in (30.0, 60.0)


def test_not_applicable_without_a_zopa_or_with_a_bloc() -> None:
    s = two_party(
        {"x": {"ideal": 0, "red_line": 20}},
        {"x": {"ideal": 100, "red_line": 70}},
        {"x": {"status_quo": 50}},
    )
    assert scenario_bargaining(s) is None
    bloc = build(
        {"x": {"status_quo": 50}},
        {"a": actor("A"), "b": actor("B"), "c": actor("C")},
        [one_round(["ab", "c"], ["x"], hours=1)],
        name="bloc",
        blocs={"ab": {"members": ["a", "b"], "speaker": "a"}},
    )
    assert two_parties(bloc) is None and scenario_bargaining(bloc) is None


def test_status_quo_utility_by_hand() -> None:
    """Status quo 25 on a 0-100 scale: worth 0.75 to the actor at 0 and 0.25 to the one at 100."""
    s = two_party(
        {"x": {"ideal": 0, "red_line": 100}},
        {"x": {"ideal": 100, "red_line": 0}},
        {"x": {"status_quo": 25}},
    )
    assert status_quo_utility(s, "a") == pytest.approx(0.75)
    assert status_quo_utility(s, "b") == pytest.approx(0.25)


def test_grid_shrinks_to_respect_the_candidate_cap() -> None:
    issues = {name: {"status_quo": 50} for name in "pqrst"}
    s = two_party(
        {i: {"ideal": 0, "red_line": 100} for i in issues},
        {i: {"ideal": 100, "red_line": 0} for i in issues},
        issues,
    )
    result = scenario_bargaining(s, grid=21, max_candidates=5_000)
    assert result is not None and result.candidates <= 5_000
