"""Interval estimates for shares of runs: the Wilson score interval.

The Wilson interval (Wilson 1927, "Probable inference, the law of succession,
and statistical inference", JASA 22:209–212) keeps its nominal coverage for
small counts and shares near 0 or 1, where the normal ("Wald") interval
collapses to a point; Brown, Cai and DasGupta (2001) recommend it for that
reason. It always contains the point estimate ``k / n``.

>>> low, high = wilson_interval(8, 10)
>>> round(low, 4), round(high, 4)
(0.4902, 0.9433)
"""

from __future__ import annotations

import math
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)
"""The two-sided 95% normal quantile, 1.959963984540054."""


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion.

    With ``p = k/n``: centre ``(p + z²/2n) / (1 + z²/n)``, half-width
    ``z / (1 + z²/n) · sqrt(p(1−p)/n + z²/4n²)``.

    Args:
        successes: ``k``, the number of runs with the property (``0 <= k <= n``).
        trials: ``n``, the number of runs (>= 1).
        z: The normal quantile; the default gives a 95% interval.

    Returns:
        ``(low, high)``, clipped to ``[0, 1]``.

    Raises:
        ValueError: If ``trials < 1`` or ``successes`` is outside ``[0, trials]``.
    """
    if trials < 1:
        raise ValueError(f"trials must be >= 1, got {trials}")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be in [0, {trials}], got {successes}")
    p = successes / trials
    z2 = z * z
    denominator = 1.0 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z / denominator * math.sqrt(p * (1.0 - p) / trials + z2 / (4 * trials * trials))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high
