"""Nash (1950), Econometrica 18(2): the bargaining solution and its axioms.

Closed forms on the unit pie with linear utilities: 1/2 each; weights (a, 1 − a)
give player 1 the share a (Kalai 1977); disagreement points (d1, d2) give
d1 + (1 − d1 − d2)/2. On the curved frontier u2 = 1 − u1², maximising the
Nash product gives (1/√3, 2/3).
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.analysis.bargaining import kalai_smorodinsky, nash_solution
from sim.analysis.continuous import nash_continuous

COARSE = [(0.0, 1.0), (1.0, 0.0)]  # the pie's two extreme divisions; convex mode fills the line
FINE = [(k / 1000, 1 - k / 1000) for k in range(1001)]


def test_split_the_pie_half_each() -> None:
    """Convex mode: exact (1e-12); grid of step 1e-3: the grid point 0.5 exactly."""
    exact, grid = nash_solution(COARSE, convex=True), nash_solution(FINE)
    assert exact is not None and grid is not None
    assert exact.utilities == pytest.approx((0.5, 0.5), abs=1e-12)
    assert grid.utilities == pytest.approx((0.5, 0.5), abs=1e-12)


@given(st.floats(min_value=0.01, max_value=0.99))
def test_weighted_solution_gives_the_weight(a: float) -> None:
    """Weights (a, 1 − a) → share a: exact in convex mode, within the grid step 1e-3."""
    exact = nash_solution(COARSE, weights=(a, 1 - a), convex=True)
    grid = nash_solution(FINE, weights=(a, 1 - a))
    assert exact is not None and grid is not None
    assert exact.utilities[0] == pytest.approx(a, abs=1e-9)
    assert grid.utilities[0] == pytest.approx(a, abs=1e-3)


@given(st.floats(min_value=0.0, max_value=0.6), st.floats(min_value=0.0, max_value=0.6))
def test_disagreement_points_shift_the_split(d1: float, d2: float) -> None:
    """x = d1 + (1 − d1 − d2)/2: exact in convex mode, within the grid step 1e-3 otherwise."""
    assume(d1 + d2 < 0.99)
    expected = d1 + (1 - d1 - d2) / 2
    exact = nash_solution(COARSE, disagreement=(d1, d2), convex=True)
    grid = nash_solution(FINE, disagreement=(d1, d2))
    assert exact is not None and grid is not None
    assert exact.utilities[0] == pytest.approx(expected, abs=1e-9)
    assert grid.utilities[0] == pytest.approx(expected, abs=1e-3)


frontier_points = st.lists(
    st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=3, max_size=30, unique=True
)


@given(frontier_points)
def test_pareto_optimality(points: list[tuple[float, float]]) -> None:
    """Axiom: no candidate gives both parties strictly more than the solution."""
    solution = nash_solution(points)
    assume(solution is not None)
    assert solution is not None
    u = solution.utilities
    assert not any(p[0] > u[0] + 1e-12 and p[1] > u[1] + 1e-12 for p in points)


@given(frontier_points, st.floats(0.1, 10), st.floats(-5, 5), st.floats(0.1, 10), st.floats(-5, 5))
def test_invariance_to_affine_rescaling(
    points: list[tuple[float, float]], a1: float, b1: float, a2: float, b2: float
) -> None:
    """Axiom: rescaling utilities (and the disagreement point) picks the same outcome."""
    solution = nash_solution(points)
    assume(solution is not None)
    scaled = [(a1 * p[0] + b1, a2 * p[1] + b2) for p in points]
    rescaled = nash_solution(scaled, disagreement=(b1, b2))
    assert solution is not None and rescaled is not None
    original = np.array(points[solution.index])
    other = np.array(points[rescaled.index])
    # Same outcome, or a tie in the Nash product (equal within round-off).
    product = np.prod(original) ** 0.5
    assert np.prod(other) ** 0.5 == pytest.approx(product, rel=1e-9, abs=1e-12)


@given(frontier_points, st.randoms(use_true_random=False))
def test_independence_of_irrelevant_alternatives(
    points: list[tuple[float, float]], rng: random.Random
) -> None:
    """Axiom: dropping outcomes that were not chosen leaves the solution unchanged."""
    solution = nash_solution(points)
    assume(solution is not None)
    assert solution is not None
    kept = [p for k, p in enumerate(points) if k == solution.index or rng.random() < 0.5]
    again = nash_solution(kept)
    assert again is not None and again.utilities == solution.utilities


@given(st.floats(0.0, 0.4))
def test_symmetry(d: float) -> None:
    """Axiom: a symmetric problem has a symmetric solution (Nash and Kalai–Smorodinsky)."""
    circle = [(np.cos(t), np.sin(t)) for t in np.linspace(0, np.pi / 2, 181)]
    nash = nash_solution(circle, disagreement=(d, d))
    ks = kalai_smorodinsky(circle, disagreement=(d, d))
    assert nash is not None and ks is not None
    assert nash.utilities[0] == pytest.approx(nash.utilities[1], abs=1e-12)
    assert ks.utilities[0] == pytest.approx(ks.utilities[1], abs=1e-12)


# A curved frontier: u2 = 1 − u1². Nash's solution maximises u1·(1 − u1²), so
# 1 − 3u1² = 0: u1 = 1/√3, u2 = 2/3. With weights (w, 1 − w) the first-order
# condition w(1 − u1²) = 2(1 − w)u1² gives u1² = w / (2 − w).
CURVE_NASH = (1 / math.sqrt(3), 2 / 3)


def curve_one(x: npt.NDArray[np.float64]) -> float:
    return float(x[0])


def curve_two(x: npt.NDArray[np.float64]) -> float:
    return float(1 - x[0] ** 2)


def test_curved_frontier_nash_from_utility_functions() -> None:
    """u2 = 1 − u1²: the continuous solver finds (1/√3, 2/3) to 1e-6."""
    solution = nash_continuous(curve_one, curve_two, [(0.0, 1.0)])
    assert solution is not None
    assert solution.utilities == pytest.approx(CURVE_NASH, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=0.05, max_value=0.95))
def test_curved_frontier_weighted_nash(w: float) -> None:
    """Weights (w, 1 − w) on u2 = 1 − u1²: u1 = √(w / (2 − w)) to 1e-6."""
    solution = nash_continuous(curve_one, curve_two, [(0.0, 1.0)], weights=(w, 1 - w))
    assert solution is not None
    assert solution.utilities[0] == pytest.approx(math.sqrt(w / (2 - w)), abs=1e-6)


def test_sim_analyze_solves_nash_on_a_curved_frontier(curved_analysis: dict[str, Any]) -> None:
    """`sim analyze scenarios/textbook/nash_curved.yaml --json`: one linear and one quadratic
    utility make the frontier u_B = 1 − u_A²; Nash at (1/√3, 2/3) to 1e-4, the pie split at
    100·(1 − 1/√3) = 42.265."""
    bargaining = curved_analysis["bargaining"]
    assert bargaining["nash"]["utilities"] == pytest.approx(CURVE_NASH, abs=1e-4)
    assert bargaining["nash"]["package"]["pie"] == pytest.approx(
        100 * (1 - 1 / math.sqrt(3)), abs=1e-2
    )
