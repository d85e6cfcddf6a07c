"""Numbers that may be drawn per run: a fixed value or a declared distribution.

Any numeric actor parameter in a scenario may be written as a plain number or as
``{dist: uniform, low: .., high: ..}`` (also ``fixed``, ``normal`` and ``beta``).
A run draws every distribution once, from the run's own generator, so one seed
fixes a run (docs/model.md, "Stochasticity").
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import ConfigDict, Field

from sim.scenario.frozen import Frozen
from sim.scenario.rules import (
    BETA_MAX_SHAPE,
    BETA_MIN_SD,
    BETA_MIN_SHAPE,
    BetaRules,
    ChoiceRules,
    FixedRules,
    NormalRules,
    UniformRules,
    param_mean,  # noqa: F401 (re-exported: callers read it from here)
    param_support,  # noqa: F401 (re-exported: callers read it from here)
)

if TYPE_CHECKING:
    import numpy as np


class Fixed(Frozen, FixedRules):
    """A constant written in distribution form (useful in sweeps and overrides)."""

    dist: Literal["fixed"] = Field(description="Distribution kind: a constant.")
    value: float = Field(description="The value every run uses.")


class Uniform(Frozen, UniformRules):
    """Uniform on [low, high]."""

    dist: Literal["uniform"] = Field(description="Distribution kind: uniform.")
    low: float = Field(description="Lower bound (inclusive).")
    high: float = Field(description="Upper bound (inclusive); must be >= low.")


class Normal(Frozen, NormalRules):
    """Normal, truncated to [low, high] when given and always to the field's range."""

    dist: Literal["normal"] = Field(description="Distribution kind: (truncated) normal.")
    mean_: float = Field(alias="mean", description="Mean before truncation.")
    sd: float = Field(ge=0, description="Standard deviation before truncation (>= 0).")
    low: float | None = Field(default=None, description="Optional lower truncation bound.")
    high: float | None = Field(default=None, description="Optional upper truncation bound.")

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


class Beta(Frozen, BetaRules):
    """Beta on [0, 1], given by mean and sd (or by shape parameters a and b)."""

    dist: Literal["beta"] = Field(description="Distribution kind: beta on [0, 1].")
    mean_: float | None = Field(
        default=None, alias="mean", gt=0, lt=1, description="Mean, in (0, 1)."
    )
    sd: float | None = Field(
        default=None, ge=BETA_MIN_SD, description=f"Standard deviation, >= {BETA_MIN_SD:g}."
    )
    a: float | None = Field(
        default=None,
        ge=BETA_MIN_SHAPE,
        le=BETA_MAX_SHAPE,
        description=f"Shape alpha (instead of mean/sd), {BETA_MIN_SHAPE:g} to {BETA_MAX_SHAPE:g}.",
    )
    b: float | None = Field(
        default=None,
        ge=BETA_MIN_SHAPE,
        le=BETA_MAX_SHAPE,
        description=f"Shape beta (instead of mean/sd), {BETA_MIN_SHAPE:g} to {BETA_MAX_SHAPE:g}.",
    )

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


class Choice(Frozen, ChoiceRules):
    """A discrete distribution: one of a few values, each with its probability (two types, say)."""

    dist: Literal["choice"] = Field(description="Distribution kind: discrete.")
    values: tuple[float, ...] = Field(
        min_length=1, max_length=64, description="The possible values."
    )
    probs: tuple[float, ...] | None = Field(
        default=None,
        description="Probability of each value (>= 0, summing to 1); default: equally likely.",
    )


Distribution = Annotated[Fixed | Uniform | Normal | Beta | Choice, Field(discriminator="dist")]
"""A declared distribution, told apart by its ``dist`` key."""

Param = float | Distribution
"""A number, or a distribution a run draws it from."""


def draw_param(value: Param, rng: np.random.Generator, low: float, high: float) -> float:
    """Draw a parameter for one run, kept inside the field's allowed [low, high]."""
    if isinstance(value, int | float):
        return float(value)
    drawn = value.draw(rng, low, high)
    return min(max(drawn, low), high)


@functools.lru_cache(maxsize=512)
def param_points(
    value: Param, count: int, low: float, high: float
) -> tuple[tuple[float, float], ...]:
    """A distribution as weighted points: what a belief about a private type starts from.

    A number is one point; a discrete ``choice`` its values with their
    probabilities; a continuous distribution ``count`` equally weighted quantiles
    (including both ends of a bounded support, so a belief reaches the extreme
    types), kept inside ``[low, high]``.
    """
    if isinstance(value, int | float):
        return ((float(value), 1.0),)
    if isinstance(value, Fixed):
        return ((value.value, 1.0),)
    if isinstance(value, Choice):
        return tuple(
            (min(max(v, low), high), w) for v, w in zip(value.values, value.weights(), strict=True)
        )
    bounded = not isinstance(value, Normal) or (value.low is not None and value.high is not None)
    if bounded:
        levels = [k / (count - 1) for k in range(count)] if count > 1 else [0.5]
    else:
        levels = [(k + 0.5) / count for k in range(count)]
    return tuple((min(max(quantile(value, u), low), high), 1.0 / len(levels)) for u in levels)


def quantile(value: Uniform | Normal | Beta, level: float) -> float:
    """The inverse distribution function at ``level`` in [0, 1]."""
    if isinstance(value, Uniform):
        return value.low + level * (value.high - value.low)
    if isinstance(value, Beta):
        from scipy.special import betaincinv

        a, b = value.shape()
        return float(betaincinv(a, b, level))
    from statistics import NormalDist

    normal = NormalDist(value.mean_, value.sd) if value.sd > 0 else None
    if normal is None:
        return value.mean_
    lo = normal.cdf(value.low) if value.low is not None else 0.0
    hi = normal.cdf(value.high) if value.high is not None else 1.0
    u = min(max(lo + level * (hi - lo), 1e-12), 1 - 1e-12)
    return normal.inv_cdf(u)
