"""Continuous bargaining solutions and Rubinstein's game on curved utilities: unit checks."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest
from builders import actor, build, one_round, position
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.bargaining import convex_frontier, kalai_smorodinsky, nash_solution
from sim.analysis.continuous import (
    ideal_point_continuous,
    kalai_smorodinsky_continuous,
    nash_continuous,
)
from sim.analysis.rubinstein import (
    Pie,
    acceptance_threshold,
    rubinstein_split,
    spe_acceptance,
    spe_accepts,
    spe_demand,
    spe_finite_share,
    spe_offer,
    spe_share,
)
from sim.analysis.scenario_bargaining import scenario_bargaining
from sim.scenario.schema import Scenario

deltas = st.floats(min_value=0.01, max_value=0.99)
LINEAR = Pie(lambda x: x, lambda x: 1 - x, 0.0, 1.0, 0.0, 0.0)
CURVED = Pie(lambda x: x, lambda x: 1 - x * x, 0.0, 1.0, 0.0, 0.0)


def linear_sum(x: npt.NDArray[np.float64]) -> float:
    return float(x.sum() / 2)


def linear_rest(x: npt.NDArray[np.float64]) -> float:
    return float(1 - x.sum() / 2)


def test_convex_frontier_keeps_dense_samples_of_a_curve() -> None:
    """Relative tolerance: 100,001 points on u2 = 1 − u1² are all hull vertices, and the
    convex-mode solutions approach the continuous ones."""
    x = np.linspace(0.0, 1.0, 100_001)
    points = np.c_[x, 1 - x**2]
    assert len(convex_frontier(points)) == len(points)
    nash = nash_solution(points, convex=True)
    ks = kalai_smorodinsky(points, convex=True)
    assert nash is not None and ks is not None
    assert nash.utilities[0] == pytest.approx(1 / math.sqrt(3), abs=1e-6)
    assert ks.utilities[0] == pytest.approx((math.sqrt(5) - 1) / 2, abs=1e-6)


def test_convex_frontier_tolerance_does_not_depend_on_scale() -> None:
    """Collinear points are dropped at every scale; a bent chain is kept at every scale."""
    for scale in (1e-9, 1.0, 1e9):
        line = np.array([(0, 1), (0.5, 0.5), (1, 0)]) * scale
        bent = np.array([(0, 1), (0.5, 0.5 + 1e-6), (1, 0)]) * scale
        assert convex_frontier(line) == [0, 2]
        assert convex_frontier(bent) == [0, 1, 2]


def test_continuous_solutions_on_a_linear_two_issue_box_consistency() -> None:
    """Consistency with the grid solver: a linear frontier u1 + u2 = 1 in two coordinates."""
    nash = nash_continuous(linear_sum, linear_rest, [(0.0, 1.0), (0.0, 1.0)], (0.2, 0.4))
    ks = kalai_smorodinsky_continuous(linear_sum, linear_rest, [(0.0, 1.0), (0.0, 1.0)])
    grid = nash_solution([(0.0, 1.0), (1.0, 0.0)], (0.2, 0.4), convex=True)
    assert nash is not None and ks is not None and grid is not None
    assert nash.utilities == pytest.approx(grid.utilities, abs=1e-7)
    assert ks.utilities == pytest.approx((0.5, 0.5), abs=1e-7)


def test_continuous_none_when_nobody_can_gain() -> None:
    assert nash_continuous(linear_sum, linear_rest, [(0.0, 1.0)], (0.8, 0.8)) is None
    assert kalai_smorodinsky_continuous(linear_sum, linear_rest, [(0.0, 1.0)], (0.8, 0.8)) is None
    assert ideal_point_continuous(linear_sum, linear_rest, [(0.0, 1.0)], (2.0, 2.0)) is None


def test_continuous_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="weights"):
        nash_continuous(linear_sum, linear_rest, [(0.0, 1.0)], weights=(0.0, 1.0))
    with pytest.raises(ValueError, match="bounds"):
        nash_continuous(linear_sum, linear_rest, [(1.0, 0.0)])
    with pytest.raises(ValueError, match="bounds"):
        nash_continuous(linear_sum, linear_rest, [])


@settings(max_examples=30, deadline=None)
@given(deltas, deltas)
def test_curved_solver_on_a_linear_pie_is_rubinsteins_formula_consistency(
    own: float, other: float
) -> None:
    """Consistency: with linear utilities spe_demand is (1 − δr)/(1 − δp δr)."""
    assert spe_demand(LINEAR, own, other) == pytest.approx(spe_share(own, other), abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(deltas, deltas, st.integers(min_value=1, max_value=30))
def test_curved_solver_finite_horizon_on_a_linear_pie_consistency(
    own: float, other: float, rounds: int
) -> None:
    """Consistency: backward induction on positions equals the share recursion."""
    assert spe_demand(LINEAR, own, other, rounds) == pytest.approx(
        spe_finite_share(own, other, rounds), abs=1e-9
    )


@settings(max_examples=30, deadline=None)
@given(deltas, deltas)
def test_curved_equilibrium_satisfies_both_indifference_conditions(
    own: float, other: float
) -> None:
    """u_r(x_p) = δr·u_r(x_r) and u_p(x_r) = δp·u_p(x_p), with d = 0; the responder's
    acceptance level is exactly what the proposer's demand leaves it."""
    x_p = spe_demand(CURVED, own, other)
    x_r = spe_demand(CURVED.swapped(), other, own)
    assert CURVED.other(x_p) == pytest.approx(other * CURVED.other(x_r), abs=1e-9)
    assert CURVED.own(x_r) == pytest.approx(own * CURVED.own(x_p), abs=1e-9)
    assert spe_acceptance(CURVED.swapped(), other, own) == pytest.approx(
        CURVED.other(x_p), abs=1e-9
    )


def test_last_offer_acceptance_is_the_disagreement_utility() -> None:
    assert spe_acceptance(CURVED, 0.9, 0.9, rounds_left=1) == 0.0
    with pytest.raises(ValueError, match="rounds_left"):
        spe_demand(CURVED, 0.9, 0.9, rounds_left=0)


def curved_scenario() -> Scenario:
    return build(
        {"pie": {"status_quo": 50, "scale": [0, 100]}},
        {
            "a": actor("A", {"pie": position(0, 100)}, discount=0.9),
            "b": actor("B", {"pie": position(100, 0)}, discount=0.9, utility="quadratic"),
        },
        [one_round(["a", "b"], ["pie"], hours=5)],
        name="curved",
    )


def test_rubinstein_split_of_a_curved_scenario_is_solved() -> None:
    split = rubinstein_split(curved_scenario())
    assert split is not None and split.curved
    expected = spe_demand(CURVED, 0.9, 0.9)
    assert split.proposer_share == pytest.approx(expected, abs=1e-9)
    assert split.position == pytest.approx(100 * (1 - expected), abs=1e-6)


def test_scenario_bargaining_is_continuous_for_a_curved_scenario() -> None:
    result = scenario_bargaining(curved_scenario())
    assert result is not None and result.continuous and not result.convex
    assert result.nash is not None
    assert result.nash.utilities == pytest.approx((1 / math.sqrt(3), 2 / 3), abs=1e-6)


@given(deltas, deltas, st.one_of(st.none(), st.integers(min_value=1, max_value=50)))
def test_equilibrium_offer_is_accepted_and_anything_less_rejected_consistency(
    d1: float, d2: float, rounds_left: int | None
) -> None:
    """Consistency of the offer and acceptance rules: the responder accepts exactly
    1 − demand and no less."""
    demand = spe_offer(d1, d2, rounds_left)
    threshold = acceptance_threshold(d2, d1, rounds_left)
    assert threshold == pytest.approx(1 - demand, abs=1e-12)
    assert spe_accepts(1 - demand, d2, d1, rounds_left)
    if threshold > 1e-6:
        assert not spe_accepts(threshold - 1e-6, d2, d1, rounds_left)


def test_many_coordinates_use_a_sparse_start() -> None:
    """Eight issues, each worth the same to both in opposite directions: Nash at the middle."""
    bounds = [(0.0, 1.0)] * 8

    def one(x: npt.NDArray[np.float64]) -> float:
        return float(1 - np.mean(x**2))

    def two(x: npt.NDArray[np.float64]) -> float:
        return float(1 - np.mean((1 - x) ** 2))

    nash = nash_continuous(one, two, bounds)
    assert nash is not None
    assert nash.position == pytest.approx((0.5,) * 8, abs=1e-5)
