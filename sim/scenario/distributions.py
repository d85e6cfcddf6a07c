"""Numbers that may be drawn per run: a fixed value or a declared distribution.

Any numeric actor parameter in a scenario may be written as a plain number or as
``{dist: uniform, low: .., high: ..}`` (also ``fixed``, ``normal`` and ``beta``).
A run draws every distribution once, from the run's own generator, so one seed
fixes a run (DESIGN §3, "Uncertainty").
"""

from __future__ import annotations

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


Distribution = Annotated[Fixed | Uniform | Normal | Beta, Field(discriminator="dist")]
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
