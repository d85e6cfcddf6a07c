"""What a batch came to: one tidy row per run, and the summary over runs.

The summary is computed by streaming (:class:`~sim.batch.summary.RunningSummary`)
while the rows go to disk chunk by chunk, so a batch's memory does not grow with
its number of runs; the rows are read back only when ``frame`` is asked for.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.batch.summary import CLASSES, RunningSummary, summary_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CLASSES", "BatchResult"]

class BatchResult:
    """A Monte Carlo batch: its rows, where they came from, and their summary.

    Args:
        frame: The rows, if they are at hand (a small batch, or a test).
        scenario: The scenario's name.
        seed: The batch seed the run seeds were spawned from.
        ladders: Each party's escalation rungs, mildest first (from the scenario).
        reused: Runs read back from the output folder instead of played (resume).
        computed: Runs played by this call.
        out: The output folder, if the batch was written to one.
        summary: The summary, if it was computed while the rows streamed by
            (otherwise it is computed from ``frame``).
        rows: Reads the rows back in run order (from the output folder), for a
            batch whose rows were not kept in memory.

    Example:
        >>> result = sim.run_batch(scenario, runs=100, seed=1)  # doctest: +SKIP
        >>> result.summary()["classes"]["war"]["probability"]  # doctest: +SKIP
        0.31
    """

    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        scenario: str = "",
        seed: int = 0,
        ladders: dict[str, list[str]] | None = None,
        reused: int = 0,
        computed: int = 0,
        out: Path | None = None,
        *,
        summary: dict[str, Any] | None = None,
        rows: Callable[[], Iterator[dict[str, Any]]] | None = None,
    ) -> None:
        if frame is None and summary is None:
            raise ValueError("a BatchResult needs its frame or its summary")
        self._frame = frame
        self.scenario = scenario
        self.seed = seed
        self.ladders = dict(ladders or {})
        self.reused = reused
        self.computed = computed
        self.out = out
        self._summary = summary
        self._rows = rows

    @property
    def frame(self) -> pd.DataFrame:
        """One row per run, sorted by run index.

        Columns: ``run``, ``seed`` and those of
        :meth:`~sim.model.outcome.RunResult.to_row` (``outcome``, ``agreed.<issue>``,
        ``utility.<actor>``, ``rung.<actor>``, ...).

        Loaded from the output folder on first use when the batch streamed its rows
        to disk (this is the one place a whole batch is held in memory).

        Raises:
            ValueError: If the rows were neither kept nor written to a folder.
        """
        if self._frame is None:
            if self._rows is None:
                raise ValueError(
                    "this batch kept only its summary (no out folder and keep_rows=False)"
                )
            import pandas as pd

            rows = list(self._rows())
            self._frame = pd.DataFrame.from_records(rows, columns=list(rows[0]) if rows else None)
        return self._frame

    def rows(self) -> Iterator[dict[str, Any]]:
        """The rows one by one, in run order, without loading them all (read from the folder).

        Raises:
            ValueError: If the rows were neither kept nor written to a folder.
        """
        if self._rows is not None:
            return self._rows()
        return iter(self.frame.to_dict("records"))

    @property
    def runs(self) -> int:
        """The number of runs (rows)."""
        if self._summary is not None:
            return int(self._summary["runs"])
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
        if self._summary is None:
            running = RunningSummary(self.scenario, self.seed, self.ladders)
            self._summary = running.add_all(self.frame.to_dict("records")).result()
        return copy.deepcopy(self._summary)

    def summary_json(self) -> str:
        """:meth:`summary` as indented JSON text ending in a newline (intervals on one line)."""
        return summary_text(self.summary())

