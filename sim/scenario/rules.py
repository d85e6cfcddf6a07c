"""What scenario parts compute and check about themselves, without pydantic.

Each class here holds the methods and the whole-object check (``problem``) of
one part of a scenario: a distribution, an issue, a strategy, a round, the
aftermath. The frozen pydantic models of :mod:`sim.scenario.schema` and
:mod:`sim.scenario.distributions` inherit them, and so do the plain objects of
:mod:`sim.scenario.quick`, which validates a file without importing pydantic
(``sim validate`` starts in a fraction of the time). One rule, one place: a
check written here is the same check on both paths.

Nothing here imports pydantic, numpy or the rest of the package's models.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

LAST_DATE = dt.date(9000, 12, 31)
"""Latest round date: the model adds the aftermath's days to it, which must stay a date."""

STEP_DAYS = 7
"""The aftermath's default step: one escalation and war decision a week."""

TIME_DEPENDENT_KINDS = ("boulware", "linear", "conceder")
"""The kinds that follow a target curve: only they read ``exponent`` and ``deadline``."""

MEDIATOR_FIELDS = ("name", "delegate", "role", "positions", "guarantees")
"""The only fields a mediator's entry uses: it chairs, may hold positions and give guarantees."""

BETA_MIN_SD = 1e-4
"""Smallest sd of a beta: below it the shape parameters grow past what a draw can use."""
BETA_MIN_SHAPE = 1e-3
BETA_MAX_SHAPE = 1e7
"""Shape parameters a beta draw computes with reliably (numpy's generator)."""


def param_mean(value: Any) -> float:
    """The expected value of a parameter (what analysis without simulation uses)."""
    if isinstance(value, int | float):
        return float(value)
    return value.mean()


def param_support(value: Any) -> tuple[float, float]:
    """The range a parameter's draws can take."""
    if isinstance(value, int | float):
        return (float(value), float(value))
    return value.support()


class InRange:
    """A check that keeps a number, or every value a distribution can draw, in range.

    Used as the schema's ``AfterValidator`` (it raises) and by the quick
    validator (it asks :meth:`problem`).
    """

    def __init__(self, low: float, high: float) -> None:
        self.low = low
        self.high = high

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value`` for this range, or ``None``."""
        low, high = self.low, self.high
        lo, hi = param_support(value)
        if lo >= low and hi <= high:
            return None
        if lo == hi:
            return f"{lo:g} is out of range (allowed: {low:g} to {high:g})"
        if getattr(value, "dist", "") == "normal":
            # A normal is truncated to the field's range; only its mean must lie inside.
            mean = value.mean()
            if low <= mean <= high:
                return None
            return f"mean {mean:g} is out of range (allowed: {low:g} to {high:g})"
        return f"draws from {lo:g} to {hi:g} leave the allowed range {low:g} to {high:g}"

    def __call__(self, value: Any) -> Any:
        """Return ``value`` if it is in range; raise ``ValueError`` saying why if not."""
        problem = self.problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    def __repr__(self) -> str:
        def written(bound: float) -> str:
            return repr(bound) if math.isfinite(bound) else f"float('{bound}')"

        return f"InRange({written(self.low)}, {written(self.high)})"


# --- distributions ------------------------------------------------------------------------


class FixedRules:
    """A constant written in distribution form."""

    def problem(self) -> str | None:
        """Nothing to check beyond the field."""
        return None

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take."""
        return (self.value, self.value)

    def mean(self) -> float:
        """Expected value."""
        return self.value

    def draw(self, rng: np.random.Generator, low: float, high: float) -> float:
        """Return the constant (no draw is made, so other draws keep their order)."""
        return self.value


class UniformRules:
    """Uniform on [low, high]."""

    def problem(self) -> str | None:
        """The bounds must be in order."""
        if self.high < self.low:
            return f"high ({self.high}) must be >= low ({self.low})"
        return None

    def support(self) -> tuple[float, float]:
        """Smallest and largest value a draw can take."""
        return (self.low, self.high)

    def mean(self) -> float:
        """Expected value."""
        return (self.low + self.high) / 2

    def draw(self, rng: np.random.Generator, low: float, high: float) -> float:
        """One draw from the run's generator."""
        return float(rng.uniform(self.low, self.high))


class NormalRules:
    """Normal, truncated to [low, high] when given and always to the field's range."""

    def problem(self) -> str | None:
        """The truncation bounds must be in order."""
        if self.low is not None and self.high is not None and self.high < self.low:
            return f"high ({self.high}) must be >= low ({self.low})"
        return None

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


class BetaRules:
    """Beta on [0, 1], given by mean and sd (or by shape parameters a and b)."""

    def problem(self) -> str | None:
        """Exactly one way of giving the shape, and moments a beta can have."""
        by_moments = self.mean_ is not None and self.sd is not None
        by_shape = self.a is not None and self.b is not None
        if by_moments == by_shape:
            return "give either mean and sd, or a and b"
        if by_moments:
            assert self.mean_ is not None and self.sd is not None
            limit = math.sqrt(self.mean_ * (1 - self.mean_))
            if self.sd >= limit:
                return f"sd ({self.sd}) must be below sqrt(mean*(1-mean)) = {limit:.4f}"
        return None

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


class ChoiceRules:
    """A discrete distribution: one of a few values, each with its probability."""

    def problem(self) -> str | None:
        """One probability per value, each in [0, 1], summing to 1."""
        if self.probs is None:
            return None
        if len(self.probs) != len(self.values):
            return f"probs: {len(self.probs)} probabilities for {len(self.values)} values"
        if any(not 0 <= p <= 1 for p in self.probs) or abs(sum(self.probs) - 1) > 1e-9:
            return "probs: each must lie in [0, 1] and together sum to 1"
        return None

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


# --- scenario parts -----------------------------------------------------------------------


class IssueRules:
    """One dimension of the talks."""

    def problem(self) -> str | None:
        """The scale, status quo and labels must agree."""
        low, high = self.scale
        if not low < high:
            return f"scale: low ({low:g}) must be below high ({high:g})"
        if not low <= self.status_quo <= high:
            return (
                f"status_quo: {self.status_quo:g} is outside the scale "
                f"(allowed: {low:g} to {high:g})"
            )
        for point in self.labels:
            if not low <= point <= high:
                return (
                    f"labels: point {point:g} is outside the scale (allowed: {low:g} to {high:g})"
                )
        if not self.divisible and len(self.labels) < 2:
            return "labels: an indivisible issue needs at least two labelled points"
        return None

    def label(self, position: float) -> str:
        """The label of a position, or of the nearest labelled point with an '≈'."""
        if not self.labels:
            return f"{position:g}"
        nearest = min(self.labels, key=lambda point: abs(point - position))
        if abs(nearest - position) < 1e-9:
            return self.labels[nearest]
        return f"≈ {self.labels[nearest]}"


class StrategyRules:
    """How an actor concedes over a round."""

    def problem(self) -> str | None:
        """Each option only for the kinds that read it."""
        if self.deadline == "process" and self.kind not in TIME_DEPENDENT_KINDS:
            return f"deadline: 'process' applies to boulware, linear and conceder, not {self.kind}"
        if self.walk_out and self.kind != "strategic":
            return f"walk_out: applies to strategic, not {self.kind}"
        if self.exponent is not None and self.kind not in TIME_DEPENDENT_KINDS:
            return f"exponent: applies to boulware, linear and conceder, not {self.kind}"
        if self.horizon != "infinite" and self.kind != "subgame_perfect":
            return f"horizon: applies to subgame_perfect, not {self.kind}"
        return None


class DateLimit:
    """A check that keeps a round date where the model can still add the aftermath to it."""

    def problem(self, value: dt.date) -> str | None:
        """What is wrong with the date, or ``None``."""
        if value > LAST_DATE:
            return (
                f"{value.isoformat()} is too far in the future "
                f"(allowed: dates up to {LAST_DATE.isoformat()})"
            )
        return None

    def __call__(self, value: dt.date) -> dt.date:
        """Return ``value`` if the model can use it; raise ``ValueError`` saying why if not."""
        problem = self.problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    def __repr__(self) -> str:
        return "DateLimit()"


class RoundRules:
    """One session of talks at a venue."""

    def problem(self) -> str | None:
        """The fields must fit the protocol."""
        if self.protocol == "population_game":
            if self.game is None:
                return "game: a population_game round needs a game"
        elif not self.agenda:
            return "agenda: a round needs at least one issue on its agenda"
        elif self.game is not None:
            return f"game: only a population_game round plays a game (this one is {self.protocol})"
        if self.protocol == "alternating_offers" and len(self.participants) != 2:
            return (
                f"participants: alternating_offers needs exactly two sides, got "
                f"{len(self.participants)}"
            )
        if self.protocol in ("mediated", "shuttle") and self.mediator is None:
            return f"mediator: a {self.protocol} round needs a mediator"
        if len(set(self.participants)) != len(self.participants):
            return "participants: an id is listed twice"
        if self.offers == "one_sided" and self.protocol != "alternating_offers":
            return (
                f"offers: one_sided applies to alternating_offers rounds (this one is "
                f"{self.protocol})"
            )
        if self.first_proposer is not None and self.protocol not in (
            "alternating_offers",
            "shuttle",
        ):
            return (
                f"first_proposer: applies to alternating_offers and shuttle rounds (this one "
                f"is {self.protocol}, where nobody proposes in turn)"
            )
        if self.first_proposer is not None and self.first_proposer not in self.participants:
            return (
                f"first_proposer: '{self.first_proposer}' is not a participant "
                f"(allowed: {', '.join(self.participants)})"
            )
        return None

    @property
    def exchanges(self) -> int:
        """Number of exchanges the round lasts (at least one)."""
        return max(1, round(self.hours * self.exchanges_per_hour))


class AftermathRules:
    """The weeks after the last round."""

    def problem(self) -> str | None:
        """A step size only where there are steps."""
        if self.days == 0 and self.step_days != STEP_DAYS:
            return (
                "step_days: an aftermath of 0 days has no steps, so nothing uses it "
                "(allowed: leave it out, or days above 0)"
            )
        return None
