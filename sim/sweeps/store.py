"""A sweep's output folder: manifest, one batch folder per point, the collected files.

Layout of ``DIR``:

- ``sweep.json``: the manifest: scenario name and SHA-256 (after ``--set``),
  design, what is varied (value lists or ranges), Sobol' samples, sweep seed,
  runs per point, the number of points and the status (``running``/``done``).
- ``points.csv``: one row per point: ``point``, one column per varied path and
  ``seed``, the point's batch seed (written first, so an interrupted sweep shows
  its plan).
- ``points/<k>/``: point ``k``'s batch folder (:class:`~sim.batch.store.BatchStore`:
  ``batch.json``, ``runs.partial.csv`` while it plays, then ``runs.csv`` and
  ``summary.json``). This is what an interrupted sweep resumes from.
- ``runs.csv``, ``summary.csv`` and, for Sobol' designs, ``sobol.json``: the
  finished sweep.

Every file is written atomically. A folder holding another sweep (another
scenario, design, values, samples or seed), a finished sweep with more runs
per point, or batch files without a ``sweep.json`` is refused unless ``force``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from sim.batch.store import OURS as BATCH_FILES
from sim.errors import UserError
from sim.files import atomic_write

MANIFEST = "sweep.json"
POINTS = "points.csv"
RUNS = "runs.csv"
SUMMARY = "summary.csv"
SOBOL = "sobol.json"
POINT_FOLDERS = "points"
OURS = (MANIFEST, POINTS, RUNS, SUMMARY, SOBOL)
"""Every file a sweep writes at the top of its folder."""

_IDENTITY = ("scenario_hash", "design", "vary", "samples", "seed")
"""Manifest fields that must match for a folder to be resumed."""


@dataclass(frozen=True)
class SweepManifest:
    """What a sweep folder holds (``DIR/sweep.json``)."""

    scenario: str
    scenario_hash: str
    design: Literal["grid", "sobol"]
    vary: dict[str, Any]
    samples: int | None
    seed: int
    runs: int
    points: int
    status: Literal["running", "done"] = "running"
    files: list[str] = field(default_factory=list)

    def differences(self, other: SweepManifest) -> list[str]:
        """The identity fields (scenario, design, vary, samples, seed) that differ."""
        mine, theirs = _normal(asdict(self)), _normal(asdict(other))
        names = {"scenario_hash": "scenario"}
        return [names.get(key, key) for key in _IDENTITY if mine[key] != theirs[key]]


class SweepStore:
    """The output folder of one sweep: checks it, gives point folders, writes the results.

    Args:
        folder: The output folder (created if missing).
        manifest: The sweep about to run.
        force: Replace whatever sweep (or batch) the folder holds instead of refusing.

    Raises:
        UserError: At ``folder``, one line, if it holds another sweep, a finished
            sweep with more runs per point, or batch or sweep files without a
            ``sweep.json``, and ``force`` is false; or if it cannot be written.
    """

    def __init__(self, folder: Path, manifest: SweepManifest, *, force: bool = False) -> None:
        self.folder = folder
        self.shown = str(folder)
        if folder.exists() and not folder.is_dir():
            raise UserError(self.shown, 1, 1, "", "exists and is not a folder (give a folder)")
        if force:
            self._clear()
        else:
            self._check(manifest)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(self.shown, 1, 1, "", f"cannot create: {exc.strerror}") from None
        self.manifest = manifest
        self._write_manifest(manifest)

    def point_folder(self, point: int) -> Path:
        """The batch folder of point ``point``."""
        return self.folder / POINT_FOLDERS / str(point)

    def write_text(self, name: str, text: str) -> Path:
        """Write ``DIR/name`` atomically; return its path."""
        target = self.folder / name
        atomic_write(target, lambda path: path.write_text(text, encoding="utf-8"))
        return target

    def write_with(self, name: str, write: Callable[[Path], object]) -> Path:
        """Write ``DIR/name`` atomically through ``write(temporary path)``; return its path."""
        target = self.folder / name
        atomic_write(target, write)
        return target

    def finish(self, files: list[str]) -> None:
        """Mark the sweep done, listing the files it wrote."""
        done = SweepManifest(**{**asdict(self.manifest), "status": "done", "files": files})
        self._write_manifest(done)
        self.manifest = done

    # --- internals -------------------------------------------------------------------------

    def _check(self, new: SweepManifest) -> None:
        path = self.folder / MANIFEST
        if not path.exists():
            stray = [name for name in (*OURS, *BATCH_FILES) if (self.folder / name).exists()]
            if (self.folder / POINT_FOLDERS).exists():
                stray.append(f"{POINT_FOLDERS}/")
            if stray:
                raise UserError(
                    self.shown,
                    message=f"holds batch or sweep files ({', '.join(stray)}) but no {MANIFEST}; "
                    "choose another --out or pass --force to replace them",
                )
            return
        try:
            previous = SweepManifest(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise UserError(
                str(path), message=f"is not a sweep manifest ({exc}); pass --force to start over"
            ) from None
        differ = previous.differences(new)
        if differ:
            state = "finished" if previous.status == "done" else "partial"
            raise UserError(
                self.shown,
                message=f"holds a {state} sweep of {previous.scenario!r} with another "
                f"{', '.join(differ)} ({previous.points} points, {previous.runs} runs each); "
                "choose another --out or pass --force to replace it",
            )
        if new.runs < previous.runs:
            raise UserError(
                self.shown,
                message=f"holds a sweep of {previous.runs} runs per point; -n {new.runs} would "
                f"drop runs: ask for {previous.runs} or more, or pass --force to replace it",
            )

    def _clear(self) -> None:
        for name in OURS:
            (self.folder / name).unlink(missing_ok=True)
        points = self.folder / POINT_FOLDERS
        if not points.is_dir():
            return
        for child in points.iterdir():
            if child.is_dir() and child.name.isdigit():
                for name in BATCH_FILES:
                    (child / name).unlink(missing_ok=True)
                if not any(child.iterdir()):
                    child.rmdir()

    def _write_manifest(self, manifest: SweepManifest) -> None:
        text = json.dumps(_normal(asdict(manifest)), indent=2, ensure_ascii=False) + "\n"
        self.write_text(MANIFEST, text)


def _normal(data: dict[str, Any]) -> dict[str, Any]:
    """The manifest as JSON would give it back (tuples as lists, dates as text)."""
    normal: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return normal
