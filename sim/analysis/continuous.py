"""Nash, weighted Nash and Kalai–Smorodinsky on a continuous agreement space.

:mod:`sim.analysis.bargaining` solves over a finite set of utility pairs (and
its convex hull, exact when utilities are affine in the positions). Here the
agreement space is a box of positions ``x`` (one coordinate per issue), and
each party's utility is a function ``u_k(x)``; the solutions are found by
continuous optimisation (scipy's SLSQP), so curved frontiers — a quadratic
loss, say — are solved exactly rather than on a grid.

* **Nash (1950)**, Econometrica 18(2), 155–162, weighted as in Kalai (1977):
  maximise ``w1·log(u1(x) − d1) + w2·log(u2(x) − d2)`` over the box.
* **Kalai & Smorodinsky (1975)**, Econometrica 43(3), 513–518: with the
  ideal point ``a_k = max u_k(x)`` subject to ``u_j(x) ≥ d_j``, maximise ``t``
  subject to ``u_k(x) − d_k ≥ t·(a_k − d_k)`` for both parties; at the optimum
  both normalised gains equal ``t`` on the Pareto frontier.

When both utilities are concave in ``x`` (linear or quadratic loss around an
ideal, weighted by salience, as in this engine) every problem above is a
convex programme, so the local optimum SLSQP finds is the global one. Each
search starts from the best point of a coarse grid and is solved on
coordinates rescaled to the unit box.

>>> curve = nash_continuous(lambda x: x[0], lambda x: 1 - x[0] ** 2, [(0.0, 1.0)])
>>> [round(u, 6) for u in curve.utilities]
[0.57735, 0.666667]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Utility = Callable[[npt.NDArray[np.float64]], float]
"""A party's utility of a vector of positions (one per issue)."""

Bounds = Sequence[tuple[float, float]]
"""``(low, high)`` of each coordinate of the agreement space."""

_TOLERANCE = 1e-14
_GRID = 21


@dataclass(frozen=True)
class ContinuousPoint:
    """A solution on the continuous agreement space.

    Attributes:
        position: The agreed positions, one per coordinate.
        utilities: ``(u1(x), u2(x))``.
    """

    position: tuple[float, ...]
    utilities: tuple[float, float]


def _unit(bounds: Bounds) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Low ends and lengths of the box (a zero-length side stays fixed)."""
    if not bounds:
        raise ValueError("bounds: need at least one coordinate")
    low = np.array([float(lo) for lo, _ in bounds])
    length = np.array([float(hi) - float(lo) for lo, hi in bounds])
    if np.any(length < 0):
        raise ValueError(f"bounds: {list(bounds)} has a side with high < low")
    return low, length


def _grid(dimensions: int) -> list[npt.NDArray[np.float64]]:
    """Starting points on the unit box: a coarse grid (fewer points per side in many dimensions).

    Past six coordinates (3^6 points) the grid gives way to the centre and the
    midpoints of the faces; the problems are convex, so the start only speeds
    the search up.
    """
    if dimensions > 6:
        centre = np.full(dimensions, 0.5)
        faces = [centre.copy() for _ in range(2 * dimensions)]
        for k in range(dimensions):
            faces[2 * k][k], faces[2 * k + 1][k] = 0.0, 1.0
        return [centre, *faces]
    per_side = max(3, int(round(_GRID ** (1.0 / dimensions))) if dimensions > 1 else _GRID)
    axis = np.linspace(0.0, 1.0, per_side)
    return [np.array(p) for p in itertools.product(axis, repeat=dimensions)]


def _solve(
    objective: Callable[[npt.NDArray[np.float64]], float],
    start: npt.NDArray[np.float64],
    constraints: list[Callable[[npt.NDArray[np.float64]], float]],
    bounds: list[tuple[float, float]],
) -> npt.NDArray[np.float64]:
    """Minimise ``objective`` from ``start`` with SLSQP, subject to ``g(z) >= 0`` for each g."""
    from scipy.optimize import minimize

    result = minimize(
        objective,
        start,
        method="SLSQP",
        bounds=bounds,
        constraints=[{"type": "ineq", "fun": g} for g in constraints],
        options={"ftol": _TOLERANCE, "maxiter": 500},
    )
    return np.asarray(result.x, dtype=float)


def ideal_point_continuous(
    u1: Utility, u2: Utility, bounds: Bounds, disagreement: tuple[float, float] = (0.0, 0.0)
) -> tuple[float, float] | None:
    """The most each party can get in an agreement the other weakly prefers to disagreement.

    Args:
        u1: Player 1's utility of a position vector.
        u2: Player 2's utility.
        bounds: The agreement space, ``(low, high)`` per coordinate.
        disagreement: ``(d1, d2)``.

    Returns:
        ``(a1, a2)``, or None when no agreement gives both at least disagreement.
    """
    low, length = _unit(bounds)
    utilities = (u1, u2)

    def at(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return low + np.clip(z, 0.0, 1.0) * length

    starts = _grid(len(low))
    ideal = []
    for k in (0, 1):
        mine, other = utilities[k], utilities[1 - k]
        feasible = [z for z in starts if other(at(z)) >= disagreement[1 - k] - 1e-12]
        if not feasible:
            return None
        start = max(feasible, key=lambda z, f=mine: f(at(z)))
        z = _solve(
            lambda z, f=mine: -f(at(z)),
            start,
            [lambda z, g=other, d=disagreement[1 - k]: g(at(z)) - d],
            [(0.0, 1.0)] * len(low),
        )
        best = max(mine(at(z)), mine(at(start)))
        ideal.append(float(best))
    return (ideal[0], ideal[1])


def nash_continuous(
    u1: Utility,
    u2: Utility,
    bounds: Bounds,
    disagreement: tuple[float, float] = (0.0, 0.0),
    weights: tuple[float, float] = (0.5, 0.5),
) -> ContinuousPoint | None:
    """The (weighted) Nash bargaining solution on a box of positions.

    Maximises ``w1·log(u1 − d1) + w2·log(u2 − d2)``.

    Args:
        u1: Player 1's utility of a position vector.
        u2: Player 2's utility.
        bounds: The agreement space, ``(low, high)`` per coordinate.
        disagreement: ``(d1, d2)``, the utilities of no agreement.
        weights: ``(w1, w2)``, positive; equal weights give the symmetric solution.

    Returns:
        The solution, or None when no agreement gives both more than disagreement.

    Raises:
        ValueError: If a weight is not positive or the bounds are malformed.
    """
    w1, w2 = weights
    if w1 <= 0 or w2 <= 0:
        raise ValueError(f"weights: {weights} must both be positive")
    low, length = _unit(bounds)
    d1, d2 = float(disagreement[0]), float(disagreement[1])

    def at(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return low + np.clip(z, 0.0, 1.0) * length

    def value(z: npt.NDArray[np.float64]) -> float:
        x = at(z)
        g1, g2 = u1(x) - d1, u2(x) - d2
        if g1 <= 0 or g2 <= 0:
            return -math.inf
        return w1 * math.log(g1) + w2 * math.log(g2)

    start = max(_grid(len(low)), key=value)
    if value(start) == -math.inf:
        return None
    floor = 1e-300

    def objective(z: npt.NDArray[np.float64]) -> float:
        x = at(z)
        return -(w1 * math.log(max(u1(x) - d1, floor)) + w2 * math.log(max(u2(x) - d2, floor)))

    z = _solve(objective, start, [], [(0.0, 1.0)] * len(low))
    if value(z) < value(start):
        z = start
    x = at(z)
    return ContinuousPoint(tuple(float(v) for v in x), (float(u1(x)), float(u2(x))))


def kalai_smorodinsky_continuous(
    u1: Utility, u2: Utility, bounds: Bounds, disagreement: tuple[float, float] = (0.0, 0.0)
) -> ContinuousPoint | None:
    """The Kalai–Smorodinsky solution on a box of positions.

    Maximises ``t`` subject to ``u_k(x) − d_k ≥ t·(a_k − d_k)`` for both
    parties, ``a`` the ideal point (:func:`ideal_point_continuous`).

    Args:
        u1: Player 1's utility of a position vector.
        u2: Player 2's utility.
        bounds: The agreement space, ``(low, high)`` per coordinate.
        disagreement: ``(d1, d2)``.

    Returns:
        The solution, or None when some party can gain nothing over disagreement.

    >>> ks = kalai_smorodinsky_continuous(lambda x: x[0], lambda x: 1 - x[0] ** 2, [(0.0, 1.0)])
    >>> [round(u, 6) for u in ks.utilities]
    [0.618034, 0.618034]
    """
    low, length = _unit(bounds)
    ideal = ideal_point_continuous(u1, u2, bounds, disagreement)
    if ideal is None:
        return None
    d = np.asarray(disagreement, dtype=float)
    span = np.asarray(ideal) - d
    if np.any(span <= 1e-12):
        return None

    def at(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return low + np.clip(z, 0.0, 1.0) * length

    def gains(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x = at(z)
        return (np.array([u1(x), u2(x)]) - d) / span

    start_z = max(_grid(len(low)), key=lambda z: float(gains(z).min()))
    start = np.append(start_z, float(gains(start_z).min()))
    n = len(low)
    solution = _solve(
        lambda v: -float(v[n]),
        start,
        [lambda v: float(gains(v[:n])[0] - v[n]), lambda v: float(gains(v[:n])[1] - v[n])],
        [(0.0, 1.0)] * n + [(-1.0, 2.0)],
    )
    z = solution[:n] if gains(solution[:n]).min() >= gains(start_z).min() else start_z
    x = at(z)
    return ContinuousPoint(tuple(float(v) for v in x), (float(u1(x)), float(u2(x))))


__all__ = [
    "Bounds",
    "ContinuousPoint",
    "Utility",
    "ideal_point_continuous",
    "kalai_smorodinsky_continuous",
    "nash_continuous",
]
