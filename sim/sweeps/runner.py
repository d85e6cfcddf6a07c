"""Parameter sweeps: a batch at every point of a grid or a Sobol' design.

Each point is the scenario with the point's values set at the varied paths
(:meth:`~sim.scenario.schema.Scenario.with_overrides`), played ``runs`` times
as a batch. Point ``k``'s batch seed is ``run_seeds(seed, points)[k]`` (the
``k``-th ``SeedSequence(seed).spawn(points)`` child's first word), so the rows
depend only on the scenario, the design, the seed and the runs, never on
``workers``. All points are played on one pool
(:func:`~sim.batch.runner.play_batches`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.batch.runner import Progress, check_batch_arguments, plan_batch, play_batches
from sim.batch.seeds import run_seeds
from sim.batch.store import scenario_hash, write_csv
from sim.errors import UserError
from sim.scenario.limits import MAX_WORK, check_work
from sim.scenario.locations import Everywhere
from sim.sweeps.store import POINTS, RUNS, SOBOL, SUMMARY, SweepManifest, SweepStore
from sim.sweeps.vary import VARY, Design, check_vary

if TYPE_CHECKING:
    import pandas as pd

    from sim.batch.result import BatchResult
    from sim.scenario.schema import Scenario

DEFAULT_SAMPLES = 32
"""Sobol' base samples ``N`` when none are given (``N * (D + 2)`` points)."""


@dataclass
class SweepResult:
    """What a sweep came to.

    Attributes:
        points: One row per point: ``point``, the varied values, ``seed`` (the
            point's batch seed).
        summary: One row per point: ``point``, the varied values, ``runs``,
            ``p.<class>`` with ``p.<class>.low``/``.high`` (95% Wilson interval)
            for every outcome class, and ``utility.<actor>`` (mean).
        paths: The varied paths, in order.
        design: ``grid`` or ``sobol``.
        seed: The sweep seed.
        runs: Runs per point.
        sobol: For a Sobol' design, the indices by output (see
            :func:`~sim.sweeps.sobol.sobol_indices`) with the design's settings.
        reused: Runs read back from ``out`` rather than played.
        computed: Runs played by this call.
        out: The output folder, if any.
        values: Every point's values by path.
        batches: Every point's batch.
    """

    points: pd.DataFrame
    summary: pd.DataFrame
    paths: list[str]
    design: Design
    seed: int
    runs: int
    scenario: str
    sobol: dict[str, Any] | None = None
    reused: int = 0
    computed: int = 0
    out: Path | None = None
    values: list[dict[str, Any]] = field(default_factory=list, repr=False)
    batches: list[BatchResult] = field(default_factory=list, repr=False)
    _frame: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def frame(self) -> pd.DataFrame:
        """One row per run, sorted by point and run; read from the points' folders on first use.

        Columns: ``point``, one per varied path (named by the path), then the batch
        columns (``run``, ``seed``, ``outcome``, ``utility.<actor>``, ...).
        """
        if self._frame is None:
            self._frame = _runs_frame(self.paths, self.values, self.batches)
        return self._frame

    def to_dict(self) -> dict[str, Any]:
        """The sweep's summary as JSON-friendly data (what ``sim sweep --json`` prints)."""
        from sim.batch.result import CLASSES

        rows = []
        for record in self.summary.to_dict("records"):
            classes = {}
            for name in [c for c in CLASSES if f"p.{c}" in record]:
                classes[name] = {
                    "probability": record[f"p.{name}"],
                    "ci95": [record[f"p.{name}.low"], record[f"p.{name}.high"]],
                }
            rows.append(
                {
                    "point": int(record["point"]),
                    "values": {path: _json_value(record[path]) for path in self.paths},
                    "runs": int(record["runs"]),
                    "classes": classes,
                    "mean_utility": {
                        key[len("utility.") :]: _json_value(value)
                        for key, value in record.items()
                        if str(key).startswith("utility.")
                    },
                }
            )
        data: dict[str, Any] = {
            "scenario": self.scenario,
            "design": self.design,
            "seed": self.seed,
            "runs": self.runs,
            "paths": self.paths,
            "points": rows,
        }
        if self.sobol is not None:
            data["sobol"] = self.sobol
        return data


def sweep(
    scenario: Scenario,
    vary: Mapping[str, Sequence[Any]],
    runs: int,
    seed: int = 0,
    workers: int | None = 1,
    design: Design = "grid",
    samples: int | None = None,
    out: Path | str | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
    dask: str | None = None,
) -> pd.DataFrame:
    """Play a batch at every point of a grid (or a Sobol' design); one tidy row per run.

    Args:
        scenario: The scenario every point starts from.
        vary: By dotted path (as for ``--set``), the values to try (grid), e.g.
            ``{"actors.russia.war.cost": [0.1, 0.25, 0.45], "rounds.geneva.hours": [4, 8]}``,
            or a ``(lo, hi)`` range (Sobol').
        runs: Runs per point (>= 1).
        seed: The sweep seed (>= 0); point ``k``'s batch seed is spawned from it.
        workers: Processes; 1 plays in this process, 0 or ``None`` uses every CPU
            (call it under ``if __name__ == "__main__":`` in scripts then).
        design: ``grid``: every combination of the value lists, the last path
            varying fastest. ``sobol``: Saltelli's sample of ``samples * (D + 2)``
            points in the box of ranges, analysed with SALib (needs the
            ``sensitivity`` extra).
        samples: Sobol' base samples ``N``, a power of two (default 32).
        out: A folder for ``points.csv``, ``runs.csv``, ``summary.csv`` (and
            ``sobol.json``); an interrupted sweep there resumes, skipping finished points.
        force: Replace another sweep in ``out`` instead of refusing.
        progress: Called as ``progress(done, total)`` over all runs.
        dask: Play on a Dask cluster: a scheduler address, or ``"local"`` to start
            a ``LocalCluster`` of ``workers`` processes (needs the ``dask`` extra).

    Returns:
        The runs: ``point``, a column per varied path, then the batch columns
        (``run``, ``seed``, ``outcome``, ``utility.<actor>``, ...). For a Sobol'
        design ``frame.attrs["sobol"]`` holds the indices (as in ``sobol.json``).
        :func:`run_sweep` gives the per-point summary as well.

    Raises:
        UserError: For a bad argument, a path that does not exist or a value it
            cannot take (in ``--vary``), SALib missing for ``sobol``, or an ``out``
            folder holding another sweep.

    Example:
        >>> frame = sim.sweep(scenario, vary={"actors.russia.war.cost": [0.1, 0.45]}, runs=50)  # doctest: +SKIP
        >>> frame.groupby("actors.russia.war.cost")["outcome"].apply(lambda o: (o == "war").mean())  # doctest: +SKIP
    """
    result = run_sweep(
        scenario,
        vary,
        runs,
        seed=seed,
        workers=workers,
        design=design,
        samples=samples,
        out=out,
        force=force,
        progress=progress,
        dask=dask,
    )
    frame = result.frame
    if result.sobol is not None:
        frame.attrs["sobol"] = result.sobol
    return frame


def run_sweep(
    scenario: Scenario,
    vary: Mapping[str, Sequence[Any]],
    runs: int,
    seed: int = 0,
    workers: int | None = 1,
    design: Design = "grid",
    samples: int | None = None,
    out: Path | str | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
    max_work: int | None = MAX_WORK,
    dask: str | None = None,
    keep_rows: bool = True,
) -> SweepResult:
    """:func:`sweep`, returning the runs, the points, the per-point summary and Sobol' indices.

    Args and raises are those of :func:`sweep`; ``max_work`` also refuses (as a
    ``--vary`` error) a point whose run would cost more (``None``: no limit);
    ``keep_rows=False`` without ``out`` keeps only the summaries (the result's
    ``frame`` then raises), so memory does not grow with the runs.

    Returns:
        The :class:`SweepResult`.
    """
    check_batch_arguments(runs, seed, workers, where="sweep", dask=dask)
    checked = check_vary(vary, design)
    if design == "sobol":
        from sim.sweeps.sobol import check_samples, require_salib

        require_salib()
        samples = DEFAULT_SAMPLES if samples is None else samples
        check_samples(samples, where="--samples")
    elif samples is not None:
        raise UserError("--samples", message="only a Sobol' design takes samples (--design sobol)")
    paths = list(checked)
    values = _design_points(checked, design, samples, seed)
    scenarios = [_at_point(scenario, point, max_work) for point in values]
    seeds = run_seeds(seed, len(values))
    store = None
    if out is not None:
        manifest = SweepManifest(
            scenario=scenario.name,
            scenario_hash=scenario_hash(scenario.model_dump_json()),
            design=design,
            vary={path: list(entry) for path, entry in checked.items()},
            samples=samples,
            seed=seed,
            runs=runs,
            points=len(values),
        )
        store = SweepStore(Path(out), manifest, force=force)
    points = _points_frame(paths, values, seeds)
    if store is not None:
        store.write_with(POINTS, lambda path: points.to_csv(path, index=False))
    plans = [
        plan_batch(
            point_scenario,
            runs,
            point_seed,
            store.point_folder(index) if store is not None else None,
            keep_rows=keep_rows,
        )
        for index, (point_scenario, point_seed) in enumerate(zip(scenarios, seeds, strict=True))
    ]
    batches = play_batches(plans, workers, progress=progress, dask=dask)
    summary = _summary_frame(paths, values, batches)
    sobol = None
    if design == "sobol":
        sobol = _sobol(checked, summary, samples or DEFAULT_SAMPLES, seed)
    result = SweepResult(
        points=points,
        summary=summary,
        paths=paths,
        design=design,
        seed=seed,
        runs=runs,
        scenario=scenario.name,
        sobol=sobol,
        reused=sum(batch.reused for batch in batches),
        computed=sum(batch.computed for batch in batches),
        out=Path(out) if out is not None else None,
        values=values,
        batches=batches,
    )
    if store is not None:
        files = [POINTS, RUNS, SUMMARY]
        store.write_with(RUNS, lambda path: write_csv(path, _runs(paths, values, batches)))
        store.write_with(SUMMARY, lambda path: summary.to_csv(path, index=False))
        if sobol is not None:
            store.write_text(SOBOL, json.dumps(sobol, indent=2, ensure_ascii=False) + "\n")
            files.append(SOBOL)
        store.finish(files)
    return result


# --- the points --------------------------------------------------------------------------------


def _design_points(
    vary: dict[str, Any], design: Design, samples: int | None, seed: int
) -> list[dict[str, Any]]:
    """Every point's values by path: the grid's product, or Saltelli's Sobol' sample."""
    if design == "sobol":
        from sim.sweeps.sobol import sobol_points

        return sobol_points(vary, samples or DEFAULT_SAMPLES, seed)
    return [dict(zip(vary, combo, strict=True)) for combo in product(*vary.values())]


def _at_point(scenario: Scenario, values: dict[str, Any], max_work: int | None) -> Scenario:
    """The scenario with a point's values; a path or value it refuses is a ``--vary`` error.

    So is a point whose run would cost more than ``max_work`` (``None``: no limit).
    """
    try:
        point = scenario.with_overrides(values)
    except UserError as err:
        raise UserError(VARY, err.line, err.col, err.path, err.message) from None
    check_work(point, max_work, Everywhere(VARY))
    return point


def _points_frame(paths: list[str], values: list[dict[str, Any]], seeds: list[int]) -> pd.DataFrame:
    import pandas as pd

    records = [
        {"point": index, **point, "seed": seed}
        for index, (point, seed) in enumerate(zip(values, seeds, strict=True))
    ]
    return pd.DataFrame.from_records(records, columns=["point", *paths, "seed"])


def _runs(
    paths: list[str], values: list[dict[str, Any]], batches: list[BatchResult]
) -> Iterator[dict[str, Any]]:
    """Every run's row with its point and varied values in front, streamed point by point."""
    for index, (point, batch) in enumerate(zip(values, batches, strict=True)):
        head = {"point": index, **{path: point[path] for path in paths}}
        for row in batch.rows():
            yield head | row


def _runs_frame(
    paths: list[str], values: list[dict[str, Any]], batches: list[BatchResult]
) -> pd.DataFrame:
    import pandas as pd

    def parts() -> Iterator[pd.DataFrame]:
        for index, (point, batch) in enumerate(zip(values, batches, strict=True)):
            head = pd.DataFrame(
                {"point": [index] * batch.runs, **{p: [point[p]] * batch.runs for p in paths}}
            )
            yield pd.concat([head, batch.frame.reset_index(drop=True)], axis=1)

    return pd.concat(list(parts()), ignore_index=True)


def _summary_frame(
    paths: list[str], values: list[dict[str, Any]], batches: list[BatchResult]
) -> pd.DataFrame:
    import pandas as pd

    records = []
    for index, (point, batch) in enumerate(zip(values, batches, strict=True)):
        summary = batch.summary()
        record: dict[str, Any] = {"point": index, **point, "runs": summary["runs"]}
        for name, entry in summary["classes"].items():
            record[f"p.{name}"] = entry["probability"]
            record[f"p.{name}.low"], record[f"p.{name}.high"] = entry["ci95"]
        for actor, mean in summary["mean_utility"].items():
            record[f"utility.{actor}"] = mean
        records.append(record)
    return pd.DataFrame.from_records(records)


def _sobol(
    bounds: dict[str, tuple[float, float]], summary: pd.DataFrame, samples: int, seed: int
) -> dict[str, Any]:
    import pandas as pd

    from sim.sweeps.sobol import sobol_indices

    names = ["p.war", *(str(c) for c in summary.columns if str(c).startswith("utility."))]
    outputs = {
        name: [None if pd.isna(value) else float(value) for value in summary[name]]
        for name in names
    }
    return {
        "samples": samples,
        "points": len(summary),
        "seed": seed,
        "ranges": {path: list(bound) for path, bound in bounds.items()},
        "outputs": sobol_indices(bounds, outputs, seed),
    }


def _json_value(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value
