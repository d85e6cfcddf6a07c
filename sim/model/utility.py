"""Utility of positions: pure functions on plain floats (the model's hot path).

Per-issue value is 1 at the actor's ideal and falls to 0 at the far end of the
scale, linearly by default or as a quadratic loss; an actor's utility of a
package is the salience-weighted mean of per-issue values (docs/model.md).
"""

from __future__ import annotations

from collections.abc import Mapping
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

    def __post_init__(self) -> None:
        # Computed once: value() runs in the innermost loop of offer building.
        object.__setattr__(self, "span", max(self.ideal - self.low, self.high - self.ideal) or 1.0)

    def value(self, position: float) -> float:
        """Per-issue value in [0, 1]: 1 at the ideal, 0 at the far end of the scale."""
        distance = abs(position - self.ideal) / self.span
        if self.shape == "quadratic":
            return 1.0 - distance * distance
        return 1.0 - distance

    def acceptable(self, position: float, tolerance: float = 1e-9) -> bool:
        """True when the position lies between the ideal and the red line (inclusive)."""
        low, high = sorted((self.ideal, self.red_line))
        return low - tolerance <= position <= high + tolerance

    def crossing(self, position: float) -> str:
        """Why a position crosses the red line, e.g. '0 < 70', or '' if it does not."""
        if self.acceptable(position):
            return ""
        sign = "<" if position < min(self.ideal, self.red_line) else ">"
        return f"{short(position)} {sign} {short(self.red_line)}"


def short(number: float) -> str:
    """A position for people: one decimal at most, no trailing zeros ('70', '9.4')."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def package_utility(
    stances: Mapping[str, Stance], package: Mapping[str, float], issues: list[str] | None = None
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
