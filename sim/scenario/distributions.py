"""Numbers that may be drawn per run: a fixed value or a declared distribution.

Any numeric actor parameter in a scenario may be written as a plain number or as
``{dist: uniform, low: .., high: ..}`` (also ``fixed``, ``normal`` and ``beta``).
A run draws every distribution once, from the run's own generator, so one seed
fixes a run (docs/model.md, "Stochasticity").
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    import numpy as np


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Fixed(_Dist):
    """A constant written in distribution form (useful in sweeps and overrides)."""

    dist: Literal["fixed"] = Field(description="Distribution kind: a constant.")
    value: float = Field(description="The value every run uses.")

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take."""
        return (self.value, self.value)

    def mean(self) -> float:
        """Expected value."""
        return self.value

    def draw(self, rng: np.random.Generator, low: float, high: float) -> float:
        """Return the constant (no draw is made, so other draws keep their order)."""
        return self.value


class Uniform(_Dist):
    """Uniform on [low, high]."""

    dist: Literal["uniform"] = Field(description="Distribution kind: uniform.")
    low: float = Field(description="Lower bound (inclusive).")
    high: float = Field(description="Upper bound (inclusive); must be >= low.")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        return self

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take."""
        return (self.low, self.high)

    def mean(self) -> float:
        """Expected value."""
        return (self.low + self.high) / 2

    def draw(self, rng: np.random.Generator, low: float, high: float) -> float:
        """One draw from the run's generator."""
        return float(rng.uniform(self.low, self.high))


class Normal(_Dist):
    """Normal, truncated to [low, high] when given and always to the field's range."""

    dist: Literal["normal"] = Field(description="Distribution kind: (truncated) normal.")
    mean_: float = Field(alias="mean", description="Mean before truncation.")
    sd: float = Field(ge=0, description="Standard deviation before truncation (>= 0).")
    low: float | None = Field(default=None, description="Optional lower truncation bound.")
    high: float | None = Field(default=None, description="Optional upper truncation bound.")

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )

    @model_validator(mode="after")
    def _ordered(self) -> Normal:
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        return self

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take."""
        return (
            -math.inf if self.low is None else self.low,
            math.inf if self.high is None else self.high,
        )

    def mean(self) -> float:
        """Mean before truncation (the value the analysis uses)."""
        return self.mean_

    def draw(self, rng: np.random.Generator, low: float, high: float) -> float:
        """Rejection-sample inside the truncation bounds; clip after 1,000 misses."""
        lo = max(low, self.low if self.low is not None else -math.inf)
        hi = min(high, self.high if self.high is not None else math.inf)
        for _ in range(1000):
            value = float(rng.normal(self.mean_, self.sd))
            if lo <= value <= hi:
                return value
        return float(min(max(self.mean_, lo), hi))


BETA_MIN_SD = 1e-4
"""Smallest sd of a beta: below it the shape parameters grow past what a draw can use."""
BETA_MIN_SHAPE = 1e-3
BETA_MAX_SHAPE = 1e7
"""Shape parameters a beta draw computes with reliably (numpy's generator)."""


class Beta(_Dist):
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

    @model_validator(mode="after")
    def _shape(self) -> Beta:
        by_moments = self.mean_ is not None and self.sd is not None
        by_shape = self.a is not None and self.b is not None
        if by_moments == by_shape:
            raise ValueError("give either mean and sd, or a and b")
        if by_moments:
            assert self.mean_ is not None and self.sd is not None
            limit = math.sqrt(self.mean_ * (1 - self.mean_))
            if self.sd >= limit:
                raise ValueError(f"sd ({self.sd}) must be below sqrt(mean*(1-mean)) = {limit:.4f}")
        return self

    def shape(self) -> tuple[float, float]:
        """Shape parameters (alpha, beta), by the method of moments when needed."""
        if self.a is not None and self.b is not None:
            return (self.a, self.b)
        assert self.mean_ is not None and self.sd is not None
        m, v = self.mean_, self.sd**2
        common = m * (1 - m) / v - 1
        return (m * common, (1 - m) * common)

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take."""
        return (0.0, 1.0)

    def mean(self) -> float:
        """Expected value."""
        a, b = self.shape()
        return a / (a + b)

    def draw(self, rng: np.random.Generator, low: float, high: float) -> float:
        """One draw from the run's generator."""
        a, b = self.shape()
        return float(rng.beta(a, b))


class Choice(_Dist):
    """A discrete distribution: one of a few values, each with its probability (two types, say)."""

    dist: Literal["choice"] = Field(description="Distribution kind: discrete.")
    values: tuple[float, ...] = Field(
        min_length=1, max_length=64, description="The possible values."
    )
    probs: tuple[float, ...] | None = Field(
        default=None,
        description="Probability of each value (>= 0, summing to 1); default: equally likely.",
    )

    @model_validator(mode="after")
    def _probabilities(self) -> Choice:
        if self.probs is None:
            return self
        if len(self.probs) != len(self.values):
            raise ValueError(
                f"probs: {len(self.probs)} probabilities for {len(self.values)} values"
            )
        if any(not 0 <= p <= 1 for p in self.probs) or abs(sum(self.probs) - 1) > 1e-9:
            raise ValueError("probs: each must lie in [0, 1] and together sum to 1")
        return self

    def weights(self) -> list[float]:
        """Probability of each value."""
        if self.probs is None:
            return [1.0 / len(self.values)] * len(self.values)
        return list(self.probs)

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take."""
        return (min(self.values), max(self.values))

    def mean(self) -> float:
        """Expected value."""
        return sum(v * w for v, w in zip(self.values, self.weights(), strict=True))

    def draw(self, rng: np.random.Generator, low: float, high: float) -> float:
        """One draw from the run's generator (one uniform number, inverted)."""
        u = float(rng.random())
        total = 0.0
        for value, weight in zip(self.values, self.weights(), strict=True):
            total += weight
            if u < total:
                return value
        return self.values[-1]


Distribution = Annotated[Fixed | Uniform | Normal | Beta | Choice, Field(discriminator="dist")]
"""A declared distribution, told apart by its ``dist`` key."""

Param = float | Distribution
"""A number, or a distribution a run draws it from."""


def param_mean(value: Param) -> float:
    """The expected value of a parameter (what analysis without simulation uses)."""
    if isinstance(value, int | float):
        return float(value)
    return value.mean()


def param_support(value: Param) -> tuple[float, float]:
    """The range a parameter's draws can take."""
    if isinstance(value, int | float):
        return (float(value), float(value))
    return value.support()


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
