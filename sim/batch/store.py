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

Rows are never all held in memory: they are appended chunk by chunk, and the
finished files are written by streaming the rows already on disk (in run
order, since runs are appended in order) while the summary is counted.

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import batched
from pathlib import Path
from typing import IO, Any, Literal

from sim.batch.summary import RunningSummary, summary_text
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
_BLOCK = 4096
"""Rows per block when streaming rows between files."""

Seeds = Sequence[int]
"""Every run's seed, in run order (a list, or the array of :func:`~sim.batch.seeds.seed_array`)."""


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

    def done(self, seeds: Seeds) -> bytearray:
        """Which runs of this batch the folder already holds: ``done[i]`` is 1 for run ``i``.

        A row counts if its run index is below ``len(seeds)`` and its seed is that
        run's seed. A partial file cut off mid-line (the process was killed while
        writing) is trimmed to its last complete row. Rows are read one block at a
        time and not kept.

        Args:
            seeds: The seed of every run of the batch, in run order.

        Returns:
            One byte per run, 1 where the run is already in the folder.
        """
        done = bytearray(len(seeds))
        if self.partial.exists():
            self.columns = _trim(self.partial) or None
        for row in self.rows(seeds):
            done[row["run"]] = 1
        return done

    def rows(self, seeds: Seeds) -> Iterator[dict[str, Any]]:
        """The rows of this batch in the folder, in file order, each run once (the first wins).

        Sources, in order: the finished runs file (``runs.parquet`` or ``runs.csv``)
        then the partial file. Rows of another seed or beyond ``len(seeds)`` are
        skipped.

        Args:
            seeds: The seed of every run of the batch, in run order.

        Yields:
            Plain-valued rows (``run``, ``seed`` and the run's columns).
        """
        seen = bytearray(len(seeds))
        for row in self._all_rows():
            run, seed = row.get("run"), row.get("seed")
            if not isinstance(run, int) or not 0 <= run < len(seeds) or seed != seeds[run]:
                continue
            if not seen[run]:
                seen[run] = 1
                yield row

    def _all_rows(self) -> Iterator[dict[str, Any]]:
        """Every row in the folder's runs files and partial file, unchecked."""
        parquet = self.folder / RUNS["parquet"]
        if parquet.exists():
            yield from _read_parquet(parquet)
        for path in (self.folder / RUNS["csv"], self.partial):
            if path.exists():
                yield from _read_csv(path)

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
        self, seeds: Seeds, ladders: dict[str, list[str]], file_format: FileFormat
    ) -> dict[str, Any]:
        """Write the finished runs and summary atomically, mark the manifest done, drop the partial.

        The rows are streamed from the folder's files into the new runs file (and
        counted into the summary on the way), one block at a time. Rows on disk
        are in run order when this version of sim wrote them; rows out of order
        (a partial file of an older version) are sorted in memory.

        Args:
            seeds: The seed of every run of the batch; every run must be in the folder.
            ladders: Each party's escalation rungs, mildest first (for the summary).
            file_format: ``csv`` or ``parquet`` for the runs file.

        Returns:
            The summary written to ``summary.json``.
        """
        target = self.folder / RUNS[file_format]
        write = _write_parquet if file_format == "parquet" else write_csv

        def counted(rows: Iterator[dict[str, Any]]) -> RunningSummary:
            summary = RunningSummary(self.manifest.scenario, self.manifest.seed, ladders)
            self._atomic(target, lambda path: write(path, _in_order(rows, summary)))
            return summary

        try:
            summary = counted(self.rows(seeds))
        except _OutOfOrder:
            summary = counted(iter(sorted(self.rows(seeds), key=lambda row: row["run"])))
        if summary.runs != len(seeds):
            raise RuntimeError(f"finished a batch of {len(seeds)} runs with {summary.runs} rows")
        for other, name in RUNS.items():
            if other != file_format:
                (self.folder / name).unlink(missing_ok=True)
        result = summary.result()
        text = summary_text(result)
        self._atomic(self.folder / SUMMARY, lambda path: path.write_text(text, encoding="utf-8"))
        done = Manifest(
            **{
                **asdict(self.manifest),
                "status": "done",
                "finished_runs": summary.runs,
                "format": file_format,
            }
        )
        self._write_manifest(done)
        self.manifest = done
        self.partial.unlink(missing_ok=True)
        return result

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
        indices = {row.get("run") for row in self._all_rows()}
        return sum(1 for run in indices if isinstance(run, int) and run >= first)

    def _clear(self) -> None:
        for name in OURS:
            (self.folder / name).unlink(missing_ok=True)

    def _write_manifest(self, manifest: Manifest) -> None:
        text = json.dumps(asdict(manifest), indent=2) + "\n"
        self._atomic(self.folder / MANIFEST, lambda path: path.write_text(text, encoding="utf-8"))

    def _atomic(self, target: Path, write: Callable[[Path], object]) -> None:
        atomic_write(target, write)

def plain(value: Any) -> Any:
    """A row value as plain Python: numpy scalars unwrapped, ``""`` as ``None``."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if value == "":
        return None
    return value


def _cell(value: Any) -> Any:
    return "" if value is None else value


class _OutOfOrder(Exception):
    """Rows on disk are not in run order (written by an older version of sim)."""


def _in_order(rows: Iterator[dict[str, Any]], summary: RunningSummary) -> Iterator[dict[str, Any]]:
    """The rows, counted into ``summary``; raises :class:`_OutOfOrder` at a row out of order."""
    last = -1
    for row in rows:
        if row["run"] < last:
            raise _OutOfOrder
        last = row["run"]
        summary.add(row)
        yield row


def write_csv(path: Path, rows: Iterator[dict[str, Any]]) -> None:
    """Write rows as CSV with a header (the first row's columns), block by block."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        columns: list[str] | None = None
        for block in batched(rows, _BLOCK):
            if columns is None:
                columns = list(block[0])
                writer.writerow(columns)
            writer.writerows([_cell(row.get(c)) for c in columns] for row in block)


def _write_parquet(path: Path, rows: Iterator[dict[str, Any]]) -> None:
    """Write rows as Parquet, one row group per block, with types fixed by column name.

    Fixed types (not inferred from the first block) keep every block's schema
    the same: a column empty in the first rows and filled later stays valid.
    """
    pa, pq = _pyarrow()
    writer = None
    try:
        for block in batched(rows, _BLOCK):
            if writer is None:
                schema = pa.schema([(c, _arrow_type(pa, c)) for c in block[0]])
                writer = pq.ParquetWriter(path, schema)
            columns = {
                name: [_arrow_value(name, row.get(name)) for row in block] for name in schema.names
            }
            writer.write_table(pa.table(columns, schema=schema))
    finally:
        if writer is not None:
            writer.close()


def _arrow_type(pa: Any, column: str) -> Any:
    if column in _INT_COLUMNS:
        return pa.int64()
    if column.startswith(_FLOAT_PREFIXES):
        return pa.float64()
    return pa.string()


def _arrow_value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in _INT_COLUMNS:
        return int(value)
    if column.startswith(_FLOAT_PREFIXES):
        return float(value)
    return str(value)


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UserError(
            "--format",
            message="parquet needs pyarrow, which is not installed: "
            "pip install -e '.[parquet]', or use csv",
        ) from None
    return pa, pq


def _trim(path: Path) -> list[str]:
    """Cut a file torn mid-line back to its last complete line; return its CSV header.

    The cut is found in bytes, so a line torn inside a multi-byte UTF-8
    character is dropped like any other, and the next append starts on a fresh
    line.
    """
    with path.open("rb") as stream:
        size = stream.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            start = max(0, end - 65536)
            stream.seek(start)
            block = stream.read(end - start)
            newline = block.rfind(b"\n")
            if newline >= 0:
                end = start + newline + 1
                break
            end = start
        if end != size:
            os.truncate(path, end)
        stream.seek(0)
        first = stream.readline()
    if not first.endswith(b"\n"):
        return []
    return next(csv.reader([first.decode("utf-8", errors="replace")]), [])


def _read_csv(path: Path) -> Iterator[dict[str, Any]]:
    """Parsed rows of a batch CSV, streamed; a cut-off last line and malformed rows are skipped."""
    with path.open("rb") as raw:
        stream: IO[str] = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        header: list[str] | None = None
        pending: list[str] | None = None
        for cells in csv.reader(stream):
            if header is None:
                header = cells
                continue
            if pending is not None:
                yield from _parsed(header, pending)
            pending = cells
        if pending is not None and _ends_in_newline(path):
            yield from _parsed(header or [], pending)


def _ends_in_newline(path: Path) -> bool:
    with path.open("rb") as stream:
        if stream.seek(0, os.SEEK_END) == 0:
            return False
        stream.seek(-1, os.SEEK_END)
        return stream.read(1) == b"\n"


def _parsed(header: list[str], cells: list[str]) -> Iterator[dict[str, Any]]:
    """The row of a CSV line, or nothing if it does not fit the header."""
    if len(cells) != len(header):
        return
    try:
        yield {c: _parse(c, v) for c, v in zip(header, cells, strict=True)}
    except ValueError:
        return


def _read_parquet(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a runs Parquet file, one record batch at a time."""
    _, pq = _pyarrow()
    for batch in pq.ParquetFile(path).iter_batches(batch_size=_BLOCK):
        for record in batch.to_pylist():
            yield {c: _missing(plain(v)) for c, v in record.items()}


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
