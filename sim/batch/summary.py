"""A batch summary computed by streaming: rows are added one by one and never kept.

A 100,000-run batch should not need its 100,000 rows in memory to say how often
each outcome class came up. Everything the summary reports is a count or a
mean, so :class:`RunningSummary` keeps running counts per class, per rung and
per war aggressor, and an exact running sum per actor's utility (Shewchuk's
partials, the algorithm behind :func:`math.fsum`, so the means do not depend
on the order rows arrive in).

>>> summary = RunningSummary("S", 0, ladders={"a": ["r1", "r2"]})
>>> summary.add({"outcome": "war", "war_aggressor": "a", "utility.a": 0.5, "rung.a": "r2"})
>>> summary.add({"outcome": "deadlock", "war_aggressor": None, "utility.a": 0.25, "rung.a": None})
>>> result = summary.result()
>>> result["mean_utility"], result["rungs"], result["war"]
({'a': 0.375}, {'a': {'r1': 0.5, 'r2': 0.5}}, {'a': 0.5})
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, get_args

from sim.batch.stats import wilson_interval
from sim.model.outcome import OutcomeClass

CLASSES: tuple[str, ...] = get_args(OutcomeClass)
"""Every outcome class, in the order summaries list them."""

_NUMBER = r"(-?[0-9][0-9.eE+-]*)"
_PAIR = re.compile(rf"\[\n\s*{_NUMBER},\n\s*{_NUMBER}\n\s*\]")
"""A two-number list as ``json.dumps(indent=...)`` spreads it over four lines."""


class ExactSum:
    """A running float sum without rounding error until the end (Shewchuk 1997).

    ``partials`` are non-overlapping floats whose exact sum is the exact sum of
    everything added; :meth:`value` rounds it once. Its length stays small
    (bounded by the exponent range), whatever the number of terms.
    """

    def __init__(self) -> None:
        self.partials: list[float] = []
        self.count = 0

    def add(self, x: float) -> None:
        """Add one term."""
        self.count += 1
        kept = 0
        for y in self.partials:
            if abs(x) < abs(y):
                x, y = y, x
            high = x + y
            low = y - (high - x)
            if low:
                self.partials[kept] = low
                kept += 1
            x = high
        self.partials[kept:] = [x]

    def value(self) -> float:
        """The sum of every term added, correctly rounded."""
        return math.fsum(self.partials)


class RunningSummary:
    """Class probabilities, mean utilities, rung and war shares over rows added one at a time.

    Args:
        scenario: The scenario's name.
        seed: The batch seed.
        ladders: Each party's escalation rungs, mildest first; a rung outside its
            actor's ladder counts only itself.
    """

    def __init__(self, scenario: str, seed: int, ladders: Mapping[str, list[str]]) -> None:
        self.scenario = scenario
        self.seed = seed
        self.ladders = {actor: list(rungs) for actor, rungs in ladders.items()}
        self.runs = 0
        self.classes: Counter[str] = Counter()
        self.utilities: dict[str, ExactSum] = {}
        self.rungs: dict[str, Counter[str]] = {}
        self.aggressors: Counter[str] = Counter()
        self.has_aggressor = False

    def add(self, row: Mapping[str, Any]) -> None:
        """Count one run's row (``outcome``, ``war_aggressor``, ``utility.*``, ``rung.*``)."""
        self.runs += 1
        self.classes[str(row["outcome"])] += 1
        if "war_aggressor" in row:
            self.has_aggressor = True
            if not _missing(row["war_aggressor"]):
                self.aggressors[str(row["war_aggressor"])] += 1
        for column, value in row.items():
            if column.startswith("utility."):
                total = self.utilities.setdefault(column[len("utility.") :], ExactSum())
                if not _missing(value):
                    total.add(float(value))
            elif column.startswith("rung."):
                seen = self.rungs.setdefault(column[len("rung.") :], Counter())
                if not _missing(value):
                    seen[str(value)] += 1

    def add_all(self, rows: Iterable[Mapping[str, Any]]) -> RunningSummary:
        """Count every row; returns ``self``."""
        for row in rows:
            self.add(row)
        return self

    def result(self) -> dict[str, Any]:
        """The summary as a JSON-friendly dict (see ``BatchResult.summary``)."""
        runs = self.runs
        summary: dict[str, Any] = {"scenario": self.scenario, "seed": self.seed, "runs": runs}
        if runs == 0:
            return summary | {"classes": {}, "mean_utility": {}, "rungs": {}, "war": {}}
        names = [*CLASSES, *sorted(c for c in self.classes if c not in CLASSES)]
        classes = {}
        for name in names:
            count = self.classes.get(name, 0)
            low, high = wilson_interval(count, runs)
            classes[name] = {"count": count, "probability": count / runs, "ci95": [low, high]}
        summary["classes"] = classes
        summary["mean_utility"] = {
            actor: (total.value() / total.count if total.count else None)
            for actor, total in self.utilities.items()
        }
        summary["rungs"] = {actor: self._rung_shares(actor) for actor in self.rungs}
        summary["war"] = {
            actor: (self.aggressors.get(actor, 0) / runs if self.has_aggressor else 0.0)
            for actor in self.utilities
        }
        return summary

    def _rung_shares(self, actor: str) -> dict[str, float]:
        """Per rung, the share of runs reaching it: ending on it or on any harsher rung."""
        highest = self.rungs[actor]
        ladder = list(self.ladders.get(actor, []))
        extra = sorted(set(highest) - set(ladder))
        ladder += extra
        level = {rung: index for index, rung in enumerate(ladder)}
        reached = [0] * len(ladder)
        for rung, count in highest.items():
            top = level[rung]
            for index in (top,) if rung in extra else range(top + 1):
                reached[index] += count
        return {rung: reached[i] / self.runs for i, rung in enumerate(ladder)}


def _missing(value: Any) -> bool:
    """``None`` or a float NaN (how pandas shows an empty cell)."""
    return value is None or (isinstance(value, float) and math.isnan(value))



def summary_text(summary: dict[str, Any]) -> str:
    """A summary as indented JSON text ending in a newline (intervals on one line)."""
    text = json.dumps(summary, indent=2, ensure_ascii=False)
    return _PAIR.sub(r"[\1, \2]", text) + "\n"
