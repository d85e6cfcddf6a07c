"""Utility of positions: pure functions on plain floats (the model's hot path, the theory's too).

Per-issue value is 1 at the actor's ideal and falls to 0 at the far end of the
scale, linearly by default or as a quadratic loss; an actor's utility of a
package is the salience-weighted mean of per-issue values. The model
(:mod:`sim.model`) and the closed-form analysis both use these definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Shape = Literal["linear", "quadratic"]


@dataclass(frozen=True, slots=True)
class Stance:
    """One actor's realised stance on one issue (all distributions already drawn)."""

    ideal: float
    red_line: float
    salience: float
    low: float
    high: float
    shape: Shape = "linear"
    span: float = field(init=False, repr=False, compare=False)
    """Distance from the ideal to the far end of the scale (where value is 0)."""
    lower: float = field(init=False, repr=False, compare=False)
    """The lower end of the acceptable interval (ideal or red line)."""
    upper: float = field(init=False, repr=False, compare=False)
    """The upper end of the acceptable interval (ideal or red line)."""

    def __post_init__(self) -> None:
        # Computed once: value() and acceptable() run in the innermost loops of
        # offer building and of every verdict.
        object.__setattr__(self, "span", max(self.ideal - self.low, self.high - self.ideal) or 1.0)
        object.__setattr__(self, "lower", min(self.ideal, self.red_line))
        object.__setattr__(self, "upper", max(self.ideal, self.red_line))

    def value(self, position: float) -> float:
        """Per-issue value in [0, 1]: 1 at the ideal, 0 at the far end of the scale."""
        distance = abs(position - self.ideal) / self.span
        if self.shape == "quadratic":
            return 1.0 - distance * distance
        return 1.0 - distance

    def acceptable(self, position: float, tolerance: float = 1e-9) -> bool:
        """True when the position lies between the ideal and the red line (inclusive)."""
        return self.lower - tolerance <= position <= self.upper + tolerance

    def crossing(self, position: float) -> str:
        """Why a position crosses the red line, e.g. '0 < 70', or '' if it does not."""
        if self.acceptable(position):
            return ""
        sign = "<" if position < min(self.ideal, self.red_line) else ">"
        return f"{short(position)} {sign} {short(self.red_line)}"


def short(number: float) -> str:
    """A position for people: one decimal from 10 up, three below, no trailing zeros ('70', '9.4', '0.75')."""
    text = f"{number:.1f}" if abs(number) >= 10 else f"{number:.3f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def package_utility(
    stances: Mapping[str, Stance], package: Mapping[str, float], issues: Sequence[str] | None = None
) -> float:
    """Salience-weighted mean value of a package over ``issues`` (default: the package's).

    Issues the actor holds no stance on count for nothing. Returns 0.5 when the
    actor cares about none of them (indifference).
    """
    keys = list(package) if issues is None else issues
    total = weight = 0.0
    for issue in keys:
        stance = stances.get(issue)
        if stance is None or stance.salience <= 0:
            continue
        total += stance.salience * stance.value(package[issue])
        weight += stance.salience
    return total / weight if weight > 0 else 0.5


@dataclass(frozen=True, slots=True)
class Valuation:
    """:func:`package_utility` over fixed issues, prepared once (same sums, same order).

    Offer building values dozens of trial packages on the same issues: the
    stances are looked up and the weights summed once, so valuing a package then
    allocates nothing. The sums run in the same order as a fresh
    :func:`package_utility`, so both give the same floats to the last bit.
    """

    terms: tuple[tuple[str, float, float, float, bool], ...]
    """Per weighted issue: (issue, salience, ideal, span, quadratic)."""
    weight: float
    """Sum of the saliences (0: the actor cares about none of the issues)."""

    @classmethod
    def of(cls, stances: Mapping[str, Stance], issues: Iterable[str]) -> Valuation:
        """The valuation of ``issues`` by an actor with these stances."""
        terms = []
        weight = 0.0
        for issue in issues:
            stance = stances.get(issue)
            if stance is None or stance.salience <= 0:
                continue
            terms.append(
                (issue, stance.salience, stance.ideal, stance.span, stance.shape == "quadratic")
            )
            weight += stance.salience
        return cls(tuple(terms), weight)

    def __call__(self, package: Mapping[str, float]) -> float:
        """Salience-weighted mean value of the package (0.5 when no issue carries weight)."""
        if self.weight <= 0:
            return 0.5
        total = 0.0
        for issue, salience, ideal, span, quadratic in self.terms:
            distance = abs(package[issue] - ideal) / span
            total += salience * ((1.0 - distance * distance) if quadratic else (1.0 - distance))
        return total / self.weight
