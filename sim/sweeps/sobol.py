"""Sobol' sensitivity indices of a sweep's outputs, through SALib (an optional extra).

A Sobol' design places ``N * (D + 2)`` points in the box of ``D`` ranges with
Saltelli's scheme (``SALib.sample.sobol``, second-order indices off); each
point is played as a batch, and each output (P(war), each actor's mean
utility) is one number per point. ``SALib.analyze.sobol`` then splits the
variance of each output into first-order indices ``S1`` (the share due to one
parameter alone) and total indices ``ST`` (its share including interactions),
each with a 95% bootstrap confidence half-width.

SALib is installed with ``pip install 'sim[sensitivity]'`` (or ``pip install SALib``).
"""

from __future__ import annotations

import importlib.util
import math
import warnings
from collections.abc import Mapping
from typing import Any

from sim.errors import UserError

EXTRA = "pip install 'sim[sensitivity]' (or pip install 'SALib>=1.4')"
RESAMPLES = 100
"""Bootstrap resamples for the confidence intervals."""


def require_salib() -> None:
    """Refuse a Sobol' design when SALib is not installed.

    Raises:
        UserError: In ``--design``, saying how to install it.
    """
    if importlib.util.find_spec("SALib") is None:
        raise UserError(
            "--design",
            message=f"sobol needs SALib, which is not installed: {EXTRA}; or use --design grid",
        )


def check_samples(samples: int, where: str = "--samples") -> None:
    """Refuse a base sample count that is not a power of two.

    Args:
        samples: ``N``, the base samples.
        where: The pseudo-file of the error.

    Raises:
        UserError: Unless ``samples`` is a power of two (the balance properties of
            Sobol' sequences hold only then).
    """
    if samples < 1 or samples & (samples - 1):
        below = 1 << max(0, samples.bit_length() - 1)
        raise UserError(
            where,
            message=f"must be a power of two (Sobol' sequences are balanced only then), "
            f"got {samples}; try {below} or {below * 2}",
        )


def problem(bounds: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    """SALib's problem definition for ranges by path."""
    return {
        "num_vars": len(bounds),
        "names": list(bounds),
        "bounds": [[low, high] for low, high in bounds.values()],
    }


def sobol_points(
    bounds: Mapping[str, tuple[float, float]], samples: int, seed: int
) -> list[dict[str, float]]:
    """The points of a Sobol' design: Saltelli's sample of the box of ranges.

    Args:
        bounds: ``(lo, hi)`` by path.
        samples: ``N`` base samples (a power of two).
        seed: Seeds the scrambling of the Sobol' sequence.

    Returns:
        ``N * (D + 2)`` points, each a value by path, in SALib's order (which
        :func:`sobol_indices` relies on).
    """
    from SALib.sample import sobol

    matrix = sobol.sample(problem(bounds), samples, calc_second_order=False, seed=seed)
    return [{path: float(value) for path, value in zip(bounds, row, strict=True)} for row in matrix]


def sobol_indices(
    bounds: Mapping[str, tuple[float, float]],
    outputs: Mapping[str, list[float | None]],
    seed: int,
) -> dict[str, dict[str, Any]]:
    """First-order and total Sobol' indices of each output, with 95% confidence.

    Args:
        bounds: The ranges the points were drawn from (as for :func:`sobol_points`).
        outputs: By output name, one value per point in :func:`sobol_points` order.
        seed: Seeds the bootstrap of the confidence intervals.

    Returns:
        By output, ``{"variance": v, "indices": {path: {"S1", "S1_conf", "ST", "ST_conf"}}}``.
        An output that does not vary over the points (``v == 0``) or has a missing
        value has ``None`` for every index and a ``note`` saying why.
    """
    import numpy as np
    from SALib.analyze import sobol

    spec = problem(bounds)
    result: dict[str, dict[str, Any]] = {}
    for name, values in outputs.items():
        empty = {path: dict.fromkeys(("S1", "S1_conf", "ST", "ST_conf")) for path in bounds}
        if any(value is None or not math.isfinite(value) for value in values):
            result[name] = {"variance": None, "indices": empty, "note": "missing at some points"}
            continue
        array = np.asarray(values, dtype=float)
        variance = float(array.var())
        if variance <= 1e-15 * max(1.0, float(np.abs(array).max())) ** 2:
            result[name] = {
                "variance": variance,
                "indices": empty,
                "note": "the same at every point: nothing to apportion",
            }
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            found = sobol.analyze(
                spec,
                array,
                calc_second_order=False,
                num_resamples=RESAMPLES,
                conf_level=0.95,
                seed=seed,
            )
        result[name] = {
            "variance": variance,
            "indices": {
                path: {
                    key: _finite(found[key][index]) for key in ("S1", "S1_conf", "ST", "ST_conf")
                }
                for index, path in enumerate(bounds)
            },
        }
    return result


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None
