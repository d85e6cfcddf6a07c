"""A batch's output folder: manifest, partial rows for resuming, finished files.

Layout of ``DIR``:

- ``batch.json``: the manifest: scenario name, SHA-256 of the scenario's JSON
  (``scenario.model_dump_json()``, so ``--set`` changes count), batch seed, runs,
  status (``running`` or ``done``) and the rows of the last finished file.
- ``runs.partial.csv``: rows appended chunk by chunk while the batch runs, with a
  header; it is what an interrupted batch resumes from, and is removed when the
  batch finishes.
- ``runs.csv`` (or ``runs.parquet``) and ``summary.json``: the finished batch,
  each written atomically (a temporary file in ``DIR``, then ``os.replace``).

A folder holding a batch of another scenario or seed is never reused or
overwritten without ``force``; nor is a finished batch cut shorter.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from sim.errors import UserError
from sim.files import atomic_write

FileFormat = Literal["csv", "parquet"]

MANIFEST = "batch.json"
PARTIAL = "runs.partial.csv"
SUMMARY = "summary.json"
RUNS = {"csv": "runs.csv", "parquet": "runs.parquet"}
OURS = (MANIFEST, PARTIAL, SUMMARY, *RUNS.values())
"""Every file a batch writes in its folder (the only ones ``force`` removes)."""

_INT_COLUMNS = {"run", "seed", "rounds_played"}
_FLOAT_PREFIXES = ("agreed.", "utility.")
_TEXT_COLUMNS = {"scenario", "outcome", "war_aggressor", "war_date"}
_TEXT_PREFIXES = ("agreed_round.", "rung.")
_INTEGER = re.compile(r"^[+-]?\d+$")


def scenario_hash(scenario_json: str) -> str:
    """SHA-256 (hex) of a scenario's JSON text: equal hashes, equal scenarios."""
    return hashlib.sha256(scenario_json.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """What a batch folder holds (``DIR/batch.json``)."""

    scenario: str
    scenario_hash: str
    seed: int
    runs: int
    status: Literal["running", "done"] = "running"
    finished_runs: int = 0
    format: FileFormat | None = None

    def same_batch(self, other: Manifest) -> bool:
        """Same scenario (by hash) and same seed: run ``i`` has the same seed and row."""
        return self.scenario_hash == other.scenario_hash and self.seed == other.seed


class BatchStore:
    """The output folder of one batch: checks it, loads earlier rows, appends, finishes.

    Args:
        folder: The output folder (created if missing).
        manifest: The batch about to run (status ``running``).
        force: Replace whatever batch the folder holds instead of refusing.

    Raises:
        UserError: At ``folder`` if it holds a batch of another scenario or seed, a
            finished batch with more runs than asked, or batch files without a
            manifest, and ``force`` is false; or if it cannot be written.
    """

    def __init__(self, folder: Path, manifest: Manifest, *, force: bool = False) -> None:
        self.folder = folder
        self.shown = str(folder)
        if folder.exists() and not folder.is_dir():
            raise UserError(self.shown, 1, 1, "", "exists and is not a folder (give a folder)")
        previous = self._previous(manifest, force)
        if force:
            self._clear()
            previous = None
        finished = previous.finished_runs if previous is not None else 0
        self.manifest = Manifest(**{**asdict(manifest), "finished_runs": finished})
        self.columns: list[str] | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(self.shown, 1, 1, "", f"cannot create: {exc.strerror}") from None
        self._write_manifest(self.manifest)

    @property
    def partial(self) -> Path:
        """The file rows are appended to while the batch runs."""
        return self.folder / PARTIAL

    def load(self, seeds: list[int]) -> dict[int, dict[str, Any]]:
        """Rows already in the folder for this batch, by run index.

        A row counts if its run index is below ``len(seeds)`` and its seed is that
        run's seed; the first row of each index wins. A partial file cut off
        mid-line (the process was killed while writing) is trimmed to its last
        complete row.

        Args:
            seeds: The seed of every run of the batch, in run order.

        Returns:
            Plain-valued rows (``run``, ``seed`` and the run's columns) by run index.
        """
        rows: dict[int, dict[str, Any]] = {}
        sources = [self.folder / RUNS["csv"], self.partial]
        parquet = self.folder / RUNS["parquet"]
        if parquet.exists():
            rows.update(self._keep(_read_parquet(parquet), seeds, rows))
        for path in sources:
            if path.exists():
                header, found = _read_csv(path, trim=path == self.partial)
                if path == self.partial and header:
                    self.columns = header
                rows.update(self._keep(found, seeds, rows))
        return rows

    def append(self, rows: list[dict[str, Any]]) -> None:
        """Append rows to the partial file (with a header if it is new) and sync it.

        Raises:
            UserError: At the partial file if its header names other columns
                (it was written by another version of sim).
        """
        if not rows:
            return
        columns = list(rows[0])
        if self.columns is None:
            self.columns = columns
            new = not self.partial.exists() or self.partial.stat().st_size == 0
        else:
            new = False
        if any(list(row) != self.columns for row in rows):
            raise UserError(
                str(self.partial),
                message="holds rows with other columns (written by another version of sim?); "
                "pass --force to start the batch over",
            )
        with self.partial.open("a", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            if new:
                writer.writerow(self.columns)
            writer.writerows([_cell(row[c]) for c in self.columns] for row in rows)
            stream.flush()
            os.fsync(stream.fileno())

    def finish(
        self,
        rows: list[dict[str, Any]],
        summary_json: str,
        file_format: FileFormat,
        to_parquet: Callable[[Path], object] | None = None,
    ) -> Path:
        """Write the finished runs and summary atomically, mark the manifest done, drop the partial.

        Args:
            rows: Every row of the batch, sorted by run index.
            summary_json: The summary as JSON text.
            file_format: ``csv`` or ``parquet`` for the runs file.
            to_parquet: Writes the rows' frame as Parquet to a path (parquet only).

        Returns:
            The runs file written.
        """
        target = self.folder / RUNS[file_format]
        if file_format == "parquet":
            if to_parquet is None:
                raise ValueError("finish(..., 'parquet') needs a to_parquet writer")
            self._atomic(target, to_parquet)
        else:
            text = _csv_text(rows)
            self._atomic(target, lambda path: path.write_text(text, encoding="utf-8"))
        for other, name in RUNS.items():
            if other != file_format:
                (self.folder / name).unlink(missing_ok=True)
        self._atomic(
            self.folder / SUMMARY, lambda path: path.write_text(summary_json, encoding="utf-8")
        )
        done = Manifest(
            **{
                **asdict(self.manifest),
                "status": "done",
                "finished_runs": len(rows),
                "format": file_format,
            }
        )
        self._write_manifest(done)
        self.manifest = done
        self.partial.unlink(missing_ok=True)
        return target

    # --- internals -------------------------------------------------------------------------

    def _previous(self, new: Manifest, force: bool) -> Manifest | None:
        path = self.folder / MANIFEST
        if not path.exists():
            stray = [name for name in OURS if (self.folder / name).exists()]
            if stray and not force:
                raise UserError(
                    self.shown,
                    message=f"holds batch files ({', '.join(stray)}) but no {MANIFEST}; "
                    "choose another --out or pass --force to replace them",
                )
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            previous = Manifest(**data)
        except (OSError, ValueError, TypeError) as exc:
            if force:
                return None
            raise UserError(
                str(path),
                message=f"is not a batch manifest ({exc}); pass --force to start over",
            ) from None
        if force:
            return previous
        if not previous.same_batch(new):
            what = (
                f"scenario {previous.scenario!r} with other settings"
                if previous.scenario == new.scenario and previous.seed == new.seed
                else f"scenario {previous.scenario!r}, seed {previous.seed}"
            )
            raise UserError(
                self.shown,
                message=f"holds a {'finished' if previous.status == 'done' else 'partial'} batch of "
                f"{what} ({previous.runs} runs), not of {new.scenario!r}, seed {new.seed}; "
                "choose another --out or pass --force to replace it",
            )
        if new.runs < previous.finished_runs:
            raise UserError(
                self.shown,
                message=f"holds a finished batch of {previous.finished_runs} runs; "
                f"-n {new.runs} would drop runs: ask for {previous.finished_runs} or more, "
                "or pass --force to replace it",
            )
        if new.runs < previous.runs:
            beyond = self._played_from(new.runs)
            if beyond:
                raise UserError(
                    self.shown,
                    message=f"holds a partial batch of {previous.runs} runs with {beyond} "
                    f"played beyond run {new.runs}; -n {new.runs} would drop runs: ask for "
                    f"{previous.runs} to resume it (or more), or pass --force to replace it",
                )
        return previous

    def _played_from(self, first: int) -> int:
        """How many rows in the folder's files are of runs ``first`` and later."""
        paths = [self.folder / RUNS["csv"], self.partial]
        indices: set[Any] = set()
        for path in paths:
            if path.exists():
                indices |= {row.get("run") for row in _read_csv(path, trim=False)[1]}
        parquet = self.folder / RUNS["parquet"]
        if parquet.exists():
            indices |= {row.get("run") for row in _read_parquet(parquet)}
        return sum(1 for run in indices if isinstance(run, int) and run >= first)

    def _clear(self) -> None:
        for name in OURS:
            (self.folder / name).unlink(missing_ok=True)

    def _write_manifest(self, manifest: Manifest) -> None:
        text = json.dumps(asdict(manifest), indent=2) + "\n"
        self._atomic(self.folder / MANIFEST, lambda path: path.write_text(text, encoding="utf-8"))

    def _atomic(self, target: Path, write: Callable[[Path], object]) -> None:
        atomic_write(target, write)

    @staticmethod
    def _keep(
        found: Iterable[dict[str, Any]], seeds: list[int], have: dict[int, dict[str, Any]]
    ) -> dict[int, dict[str, Any]]:
        kept: dict[int, dict[str, Any]] = {}
        for row in found:
            run, seed = row.get("run"), row.get("seed")
            if not isinstance(run, int) or not 0 <= run < len(seeds) or seed != seeds[run]:
                continue
            if run not in have and run not in kept:
                kept[run] = row
        return kept


def plain(value: Any) -> Any:
    """A row value as plain Python: numpy scalars unwrapped, ``""`` as ``None``."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if value == "":
        return None
    return value


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _csv_text(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if rows:
        columns = list(rows[0])
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
    return buffer.getvalue()


def _read_csv(path: Path, *, trim: bool) -> tuple[list[str], list[dict[str, Any]]]:
    """Header and parsed rows of a batch CSV; a cut-off last line is dropped (and trimmed).

    The cut is found in bytes, so a line torn inside a multi-byte UTF-8
    character is dropped like any other; with ``trim`` the file is truncated to
    its last complete line, so the next append starts on a fresh line.
    """
    raw = path.read_bytes()
    if raw and not raw.endswith(b"\n"):
        raw = raw[: raw.rfind(b"\n") + 1]
        if trim:
            os.truncate(path, len(raw))
    text = raw.decode("utf-8", errors="replace")
    lines = list(csv.reader(io.StringIO(text)))
    if not lines:
        return [], []
    header, rows = lines[0], []
    for cells in lines[1:]:
        if len(cells) != len(header):
            continue
        try:
            rows.append({c: _parse(c, v) for c, v in zip(header, cells, strict=True)})
        except ValueError:
            continue
    return header, rows


def _read_parquet(path: Path) -> list[dict[str, Any]]:
    import pandas as pd

    try:
        frame = pd.read_parquet(path)
    except ImportError:
        raise UserError(
            str(path), 1, 1, "", "reading Parquet needs pyarrow: pip install pyarrow"
        ) from None
    return [
        {c: _missing(plain(v)) for c, v in record.items()} for record in frame.to_dict("records")
    ]


def _missing(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def _parse(column: str, text: str) -> Any:
    """A CSV cell back to the value ``RunResult.to_row`` gave (exact for floats)."""
    if text == "":
        return None
    if column in _INT_COLUMNS:
        return int(text)
    if column.startswith(_FLOAT_PREFIXES):
        return float(text)
    if column in _TEXT_COLUMNS or column.startswith(_TEXT_PREFIXES):
        return text
    if _INTEGER.match(text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text
