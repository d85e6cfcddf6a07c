"""What a batch came to: one tidy row per run, and the summary over runs."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from sim.batch.stats import wilson_interval
from sim.model.outcome import OutcomeClass

if TYPE_CHECKING:
    import pandas as pd

_NUMBER = r"(-?[0-9][0-9.eE+-]*)"
_PAIR = re.compile(rf"\[\n\s*{_NUMBER},\n\s*{_NUMBER}\n\s*\]")
"""A two-number list as ``json.dumps(indent=...)`` spreads it over four lines."""

CLASSES: tuple[str, ...] = get_args(OutcomeClass)
"""Every outcome class, in the order summaries list them."""


@dataclass
class BatchResult:
    """A Monte Carlo batch: its rows, where they came from, and their summary.

    Attributes:
        frame: One row per run, sorted by run index: ``run``, ``seed`` and the
            columns of :meth:`~sim.model.outcome.RunResult.to_row` (``outcome``,
            ``agreed.<issue>``, ``utility.<actor>``, ``rung.<actor>``, ...).
        scenario: The scenario's name.
        seed: The batch seed the run seeds were spawned from.
        ladders: Each party's escalation rungs, mildest first (from the scenario).
        reused: Runs read back from the output folder instead of played (resume).
        computed: Runs played by this call.
        out: The output folder, if the batch was written to one.

    Example:
        >>> result = sim.run_batch(scenario, runs=100, seed=1)  # doctest: +SKIP
        >>> result.summary()["classes"]["war"]["probability"]  # doctest: +SKIP
        0.31
    """

    frame: pd.DataFrame
    scenario: str
    seed: int
    ladders: dict[str, list[str]] = field(default_factory=dict)
    reused: int = 0
    computed: int = 0
    out: Path | None = None

    @property
    def runs(self) -> int:
        """The number of runs (rows)."""
        return len(self.frame)

    def summary(self) -> dict[str, Any]:
        """Class probabilities with 95% Wilson intervals, mean utilities, rung and war shares.

        Returns:
            A JSON-friendly dict: ``scenario``, ``seed``, ``runs``; ``classes`` with
            ``count``, ``probability`` and ``ci95`` (``[low, high]``) for every outcome
            class (zero counts included, so probabilities sum to 1);
            ``mean_utility`` per actor; ``rungs``, per actor the share of runs in
            which it reached each rung of its ladder (climbing is one rung at a
            time, so reaching a rung means reaching every milder one);
            ``war``, per actor the share of runs in which it went to war (as the
            aggressor).
        """
        frame = self.frame
        runs = len(frame)
        summary: dict[str, Any] = {"scenario": self.scenario, "seed": self.seed, "runs": runs}
        if runs == 0:
            return summary | {"classes": {}, "mean_utility": {}, "rungs": {}, "war": {}}
        counts = frame["outcome"].value_counts()
        names = [*CLASSES, *sorted(str(c) for c in counts.index if c not in CLASSES)]
        classes = {}
        for name in names:
            count = int(counts.get(name, 0))
            low, high = wilson_interval(count, runs)
            classes[name] = {"count": count, "probability": count / runs, "ci95": [low, high]}
        summary["classes"] = classes
        actors = _suffixes(frame, "utility.")
        summary["mean_utility"] = {a: _number(frame[f"utility.{a}"].mean()) for a in actors}
        summary["rungs"] = {a: self._rung_shares(a) for a in _suffixes(frame, "rung.")}
        aggressors = frame["war_aggressor"] if "war_aggressor" in frame else None
        summary["war"] = {
            a: (float((aggressors == a).sum()) / runs if aggressors is not None else 0.0)
            for a in actors
        }
        return summary

    def summary_json(self) -> str:
        """:meth:`summary` as indented JSON text ending in a newline (intervals on one line)."""
        text = json.dumps(self.summary(), indent=2, ensure_ascii=False)
        return _PAIR.sub(r"[\1, \2]", text) + "\n"

    def _rung_shares(self, actor: str) -> dict[str, float]:
        highest = self.frame[f"rung.{actor}"]
        ladder = list(self.ladders.get(actor, []))
        seen = sorted({str(r) for r in highest.dropna()} - set(ladder))
        ladder += seen  # rungs outside the known ladder count only themselves
        level = {rung: index for index, rung in enumerate(ladder)}
        reached = [0] * len(ladder)
        for rung in highest.dropna():
            top = level[str(rung)]
            for index in range(top + 1) if str(rung) not in seen else (top,):
                reached[index] += 1
        return {rung: reached[i] / len(self.frame) for i, rung in enumerate(ladder)}


def _suffixes(frame: pd.DataFrame, prefix: str) -> list[str]:
    return [str(c)[len(prefix) :] for c in frame.columns if str(c).startswith(prefix)]


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number
