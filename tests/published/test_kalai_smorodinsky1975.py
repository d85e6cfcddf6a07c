"""Kalai & Smorodinsky (1975), Econometrica 43(3): the solution of equal relative gains.

The solution is the Pareto point on the line from the disagreement point d to
the ideal point a (each party's best individually rational utility), so both
gain the same fraction of ``a_i − d_i``. On u2 = 1 − u1² with d = (0, 0) the
ideal point is (1, 1) and the solution solves u = 1 − u²: u = (√5 − 1)/2 for
both (the golden-ratio conjugate, 0.618034). Nash's solution on the same
frontier is (1/√3, 2/3): the two differ on a curved frontier.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from sim.analysis.continuous import ideal_point_continuous, kalai_smorodinsky_continuous

GOLDEN = (math.sqrt(5) - 1) / 2


def curve_one(x: npt.NDArray[np.float64]) -> float:
    return float(x[0])


def curve_two(x: npt.NDArray[np.float64]) -> float:
    return float(1 - x[0] ** 2)


def test_curved_frontier_from_utility_functions() -> None:
    """u2 = 1 − u1², d = (0, 0): ideal point (1, 1), solution (0.618034, 0.618034) to 1e-6."""
    assert ideal_point_continuous(curve_one, curve_two, [(0.0, 1.0)]) == pytest.approx(
        (1.0, 1.0), abs=1e-9
    )
    solution = kalai_smorodinsky_continuous(curve_one, curve_two, [(0.0, 1.0)])
    assert solution is not None
    assert solution.utilities == pytest.approx((GOLDEN, GOLDEN), abs=1e-6)


def test_curved_frontier_with_a_disagreement_point() -> None:
    """d = (0.2, 0.1): the ideal point is (√0.9, 0.96) and the gains are proportional,
    (u1 − 0.2)/(√0.9 − 0.2) = (1 − u1² − 0.1)/(0.96 − 0.1), solved here by hand (quadratic)."""
    d1, d2 = 0.2, 0.1
    a1, a2 = math.sqrt(1 - d2), 1 - d1**2
    # (u − d1)·(a2 − d2)/(a1 − d1) = 1 − u² − d2  →  u² + k·u − (1 − d2 + k·d1) = 0
    k = (a2 - d2) / (a1 - d1)
    u1 = (-k + math.sqrt(k * k + 4 * (1 - d2 + k * d1))) / 2
    solution = kalai_smorodinsky_continuous(curve_one, curve_two, [(0.0, 1.0)], (d1, d2))
    assert solution is not None
    assert solution.utilities == pytest.approx((u1, 1 - u1**2), abs=1e-6)


def test_sim_analyze_solves_kalai_smorodinsky_on_a_curved_frontier(
    curved_analysis: dict[str, Any],
) -> None:
    """`sim analyze scenarios/textbook/nash_curved.yaml --json`: u_B = 1 − u_A², KS at
    (0.618034, 0.618034) to 1e-4, the pie split at 100·(1 − 0.618034) = 38.197."""
    ks = curved_analysis["bargaining"]["kalai_smorodinsky"]
    assert ks["utilities"] == pytest.approx((GOLDEN, GOLDEN), abs=1e-4)
    assert ks["package"]["pie"] == pytest.approx(100 * (1 - GOLDEN), abs=1e-2)
