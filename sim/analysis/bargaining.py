"""Cooperative bargaining solutions: Nash (symmetric and weighted), Kalai–Smorodinsky, Pareto.

Two parties choose among candidate outcomes, each with a utility pair
``(u1, u2)``; if they do not agree each gets its disagreement utility (BATNA)
``d = (d1, d2)``.

* **Nash (1950)**, Econometrica 18(2), 155–162: the agreement maximising the
  product of gains ``(u1 − d1)(u2 − d2)`` over outcomes both prefer to
  disagreement; the **weighted** (asymmetric) solution maximises
  ``(u1 − d1)^w1 · (u2 − d2)^w2`` (Kalai 1977; Roth 1979). On the unit pie with
  linear utilities the symmetric solution gives player 1 ``d1 + (1 − d1 − d2)/2``
  and weights ``(a, 1 − a)`` give ``d1 + a·(1 − d1 − d2)`` (:func:`nash_split`).
* **Kalai & Smorodinsky (1975)**, Econometrica 43(3), 513–518: the Pareto
  point where each party's gain is the same fraction of its ideal gain
  ``a_i − d_i``, with ``a_i`` the most party i can get in an agreement the other
  accepts (the ideal point).
* **Pareto frontier**: outcomes no other outcome improves for one party
  without hurting the other.

Two modes. ``convex=False`` treats the candidates as the whole agreement space
(indivisible issues: only labelled points can be offered). ``convex=True``
treats the agreement space as the convex hull of the candidates: solutions may
lie on a segment between two frontier vertices, reported as a mix of the two.
With linear utilities and divisible issues this is exact, not an
approximation: inside the ZOPA each utility is affine in the positions, so the
utility set is the affine image of a box, whose frontier vertices are images of
the box's corners, all of which are on the grid.

:mod:`sim.analysis.scenario_bargaining` applies them to a two-party scenario
restricted to its ZOPA, with the simulation's own utilities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Points = Sequence[tuple[float, float]] | npt.NDArray[np.float64]
"""Candidate outcomes as utility pairs, a sequence of ``(u1, u2)`` or an (n, 2) array."""

_EPS = 1e-12


@dataclass(frozen=True)
class BargainingPoint:
    """A solution: its utilities and the candidate(s) it is made of.

    Attributes:
        utilities: ``(u1, u2)``.
        mix: ``((index, weight), ...)``: one candidate with weight 1, or (convex
            mode) two frontier vertices whose weighted average is the solution.
    """

    utilities: tuple[float, float]
    mix: tuple[tuple[int, float], ...]

    @property
    def index(self) -> int:
        """The candidate with the largest weight (the nearest grid point)."""
        return max(self.mix, key=lambda item: item[1])[0]


def _as_array(points: Points) -> npt.NDArray[np.float64]:
    array = np.asarray(points, dtype=float)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"points: need utility pairs of shape (n, 2), got {array.shape}")
    return array


def nash_split(
    d1: float = 0.0, d2: float = 0.0, weights: tuple[float, float] = (0.5, 0.5)
) -> float:
    """Player 1's share of a unit pie under the (weighted) Nash solution, in closed form.

    Maximising ``(x − d1)^w1 (1 − x − d2)^w2`` gives
    ``x = d1 + w1/(w1 + w2) · (1 − d1 − d2)``.

    Args:
        d1: Player 1's disagreement utility.
        d2: Player 2's disagreement utility (``d1 + d2 < 1``).
        weights: Bargaining weights ``(w1, w2)``, positive.

    Returns:
        Player 1's share.

    >>> nash_split(), nash_split(0.2, 0.4), round(nash_split(weights=(0.7, 0.3)), 12)
    (0.5, 0.4, 0.7)
    """
    w1, w2 = weights
    return d1 + w1 / (w1 + w2) * (1.0 - d1 - d2)


def pareto_frontier(points: Points) -> list[int]:
    """Indices of the candidates no other candidate weakly dominates, by ascending u1.

    Of exact duplicates only the first is kept.

    Args:
        points: Candidate utility pairs.

    Returns:
        Indices into ``points``, ordered by ascending u1 (so descending u2).

    >>> pareto_frontier([(0, 1), (0.5, 0.5), (0.4, 0.4), (1, 0)])
    [0, 1, 3]
    """
    array = _as_array(points)
    if len(array) == 0:
        return []
    # Descending u1, then descending u2, then ascending index.
    order = np.lexsort((np.arange(len(array)), -array[:, 1], -array[:, 0]))
    frontier: list[int] = []
    best_u2 = -math.inf
    for index in order:
        u2 = array[index, 1]
        if u2 > best_u2 + _EPS:
            frontier.append(int(index))
            best_u2 = u2
    return frontier[::-1]


def convex_frontier(points: Points) -> list[int]:
    """Indices of the vertices of the Pareto part of the candidates' convex hull.

    Ordered by ascending u1. Consecutive vertices bound the segments along
    which convex combinations of outcomes are Pareto-efficient. A vertex is
    dropped as collinear when the sine of its angle with its neighbours is
    below 1e-12 (a relative tolerance: it does not depend on the spacing or
    scale of the candidates).

    Args:
        points: Candidate utility pairs.

    Returns:
        Indices into ``points``.
    """
    array = _as_array(points)
    chain: list[int] = []
    for index in pareto_frontier(array):
        while len(chain) >= 2:
            a, b = array[chain[-2]], array[chain[-1]]
            c = array[index]
            cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
            # b lies on or below the line from a to c. The tolerance is relative (on
            # the sine of the angle at a), so dense samples of a curve keep their
            # vertices: their cross products shrink with the spacing cubed.
            if cross >= -_EPS * math.hypot(*(b - a)) * math.hypot(*(c - a)):
                chain.pop()
            else:
                break
        chain.append(index)
    return chain


def _segments(array: npt.NDArray[np.float64], convex: bool) -> list[tuple[int, int]]:
    """Pieces of the agreement space: (i, i) single candidates or (i, j) frontier edges."""
    if not convex:
        return [(i, i) for i in range(len(array))]
    vertices = convex_frontier(array)
    if len(vertices) == 1:
        return [(vertices[0], vertices[0])]
    return list(zip(vertices[:-1], vertices[1:], strict=True))


def _clip(
    p: npt.NDArray[np.float64], q: npt.NDArray[np.float64], d: tuple[float, float]
) -> tuple[float, float] | None:
    """The t-interval of p + t(q − p), t in [0, 1], where both utilities are >= d."""
    lo, hi = 0.0, 1.0
    for k in (0, 1):
        start, slope = p[k] - d[k], q[k] - p[k]
        if abs(slope) < _EPS:
            if start < -_EPS:
                return None
            continue
        root = -start / slope
        if slope > 0:
            lo = max(lo, root)
        else:
            hi = min(hi, root)
    return (lo, hi) if lo <= hi + _EPS else None


def _point(array: npt.NDArray[np.float64], i: int, j: int, t: float) -> BargainingPoint:
    if i == j or t <= _EPS:
        return BargainingPoint((float(array[i, 0]), float(array[i, 1])), ((int(i), 1.0),))
    if t >= 1.0 - _EPS:
        return BargainingPoint((float(array[j, 0]), float(array[j, 1])), ((int(j), 1.0),))
    t = float(t)
    u = (1.0 - t) * array[i] + t * array[j]
    return BargainingPoint((float(u[0]), float(u[1])), ((int(i), 1.0 - t), (int(j), t)))


def nash_solution(
    points: Points,
    disagreement: tuple[float, float] = (0.0, 0.0),
    weights: tuple[float, float] = (0.5, 0.5),
    convex: bool = False,
) -> BargainingPoint | None:
    """The (weighted) Nash bargaining solution over the candidates.

    Maximises ``w1·log(u1 − d1) + w2·log(u2 − d2)`` over outcomes that give
    both parties strictly more than disagreement. In convex mode each frontier
    edge ``u(t) = (1 − t)·P + t·Q`` is searched exactly: the objective is
    concave in t with stationary point
    ``t = −(w1·b1·a2 + w2·b2·a1) / ((w1 + w2)·b1·b2)``, where ``a = P − d`` and
    ``b = Q − P``.

    Args:
        points: Candidate utility pairs.
        disagreement: ``(d1, d2)``, the BATNAs.
        weights: ``(w1, w2)``, positive; equal weights give the symmetric solution.
        convex: Search the convex hull's frontier instead of the candidates only.

    Returns:
        The solution, or None when no candidate beats disagreement for both.

    >>> pie = [(x / 10, 1 - x / 10) for x in range(11)]
    >>> nash_solution(pie, (0.2, 0.4)).utilities
    (0.4, 0.6)
    """
    array = _as_array(points)
    w1, w2 = weights
    if w1 <= 0 or w2 <= 0:
        raise ValueError(f"weights: {weights} must both be positive")
    d = (float(disagreement[0]), float(disagreement[1]))

    def objective(u: npt.NDArray[np.float64]) -> float:
        g1, g2 = u[0] - d[0], u[1] - d[1]
        if g1 <= _EPS or g2 <= _EPS:
            return -math.inf
        return w1 * math.log(g1) + w2 * math.log(g2)

    best: tuple[float, int, int, float] | None = None
    for i, j in _segments(array, convex):
        trials = [0.0]
        if i != j:
            a, b = array[i] - np.array(d), array[j] - array[i]
            trials.append(1.0)
            if abs(b[0] * b[1]) > _EPS:
                t = -(w1 * b[0] * a[1] + w2 * b[1] * a[0]) / ((w1 + w2) * b[0] * b[1])
                trials.append(min(max(t, 0.0), 1.0))
        for t in trials:
            value = objective((1.0 - t) * array[i] + t * array[j])
            if value > -math.inf and (best is None or value > best[0] + _EPS):
                best = (value, i, j, t)
    if best is None:
        return None
    return _point(array, best[1], best[2], best[3])


def ideal_point(
    points: Points, disagreement: tuple[float, float] = (0.0, 0.0), convex: bool = False
) -> tuple[float, float] | None:
    """The most each party can get in an outcome the other weakly prefers to disagreement.

    Args:
        points: Candidate utility pairs.
        disagreement: ``(d1, d2)``.
        convex: Use the convex hull's frontier (segments clipped to ``u >= d``).

    Returns:
        ``(a1, a2)``, or None when no outcome is individually rational.
    """
    array = _as_array(points)
    best = [-math.inf, -math.inf]
    for i, j in _segments(array, convex):
        window = (
            _clip(array[i], array[j], disagreement)
            if i != j
            else ((0.0, 0.0) if np.all(array[i] >= np.asarray(disagreement) - _EPS) else None)
        )
        if window is None:
            continue
        for t in window:
            u = (1.0 - t) * array[i] + t * array[j]
            best = [max(best[0], float(u[0])), max(best[1], float(u[1]))]
    if best[0] == -math.inf:
        return None
    return (best[0], best[1])


def kalai_smorodinsky(
    points: Points, disagreement: tuple[float, float] = (0.0, 0.0), convex: bool = False
) -> BargainingPoint | None:
    """The Kalai–Smorodinsky solution: equal fractions of each party's ideal gain.

    In convex mode the solution is where the line from ``d`` to the ideal point
    ``a`` crosses the frontier (exact). Over a finite set of candidates it is
    the individually rational candidate that maximises the smaller normalised
    gain ``(u_i − d_i)/(a_i − d_i)`` (ties: the larger sum of normalised gains).

    Args:
        points: Candidate utility pairs.
        disagreement: ``(d1, d2)``.
        convex: Search the convex hull's frontier instead of the candidates only.

    Returns:
        The solution, or None when no outcome gives both parties more than
        disagreement.

    >>> pie = [(x / 10, 1 - x / 10) for x in range(11)]
    >>> kalai_smorodinsky(pie, (0.0, 0.0)).utilities
    (0.5, 0.5)
    """
    array = _as_array(points)
    ideal = ideal_point(array, disagreement, convex)
    if ideal is None:
        return None
    d = np.asarray(disagreement, dtype=float)
    if np.any(np.asarray(ideal) - d <= _EPS):
        return None  # someone can gain nothing: no agreement improves on disagreement for both
    span = np.asarray(ideal) - d

    def score(u: npt.NDArray[np.float64]) -> tuple[float, float]:
        gains = (u - d) / span
        return (float(gains.min()), float(gains.sum()))

    best: tuple[tuple[float, float], int, int, float] | None = None
    for i, j in _segments(array, convex):
        if i == j:
            if np.any(array[i] < d - _EPS):
                continue
            trials = [0.0]
        else:
            window = _clip(array[i], array[j], disagreement)
            if window is None:
                continue
            trials = list(window)
            # Equal normalised gains: g1(t) = g2(t), both linear in t.
            a = (array[i] - d) / span
            b = (array[j] - array[i]) / span
            if abs(b[0] - b[1]) > _EPS:
                t = (a[1] - a[0]) / (b[0] - b[1])
                if window[0] - _EPS <= t <= window[1] + _EPS:
                    trials.append(min(max(t, window[0]), window[1]))
        for t in trials:
            value = score((1.0 - t) * array[i] + t * array[j])
            if best is None or value > best[0]:
                best = (value, i, j, t)
    if best is None:
        return None
    return _point(array, best[1], best[2], best[3])


__all__ = [
    "BargainingPoint",
    "convex_frontier",
    "ideal_point",
    "kalai_smorodinsky",
    "nash_solution",
    "nash_split",
    "pareto_frontier",
]
