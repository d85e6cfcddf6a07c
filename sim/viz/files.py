"""Figure and report files: which figures a command draws, and writing them safely.

Files are written atomically (a temporary file in the target folder, then
``os.replace``) and an existing file with other contents is replaced only when
asked (``force``), as ``sim schema --out`` does. All targets are checked before
any is written, so a refused command leaves the folder as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sim.errors import UserError
from sim.files import Status, atomic_write_bytes, check_target

if TYPE_CHECKING:
    from sim.model.outcome import RunResult
    from sim.scenario.schema import Scenario
    from sim.viz.plots import ImageFormat

FigureKind = Literal["concession", "zopa", "escalation"]
"""The figures ``sim plot`` draws."""

FIGURE_KINDS: tuple[FigureKind, ...] = ("concession", "zopa", "escalation")
"""Every figure kind, in the order ``sim plot --kind all`` writes them."""


def figure_name(stem: str, kind: FigureKind, seed: int, image_format: ImageFormat) -> str:
    """The file name of one figure: ``STEM_zopa.png``, ``STEM_seedN_KIND.png`` for a run's.

    >>> figure_name("january_2022", "concession", 1, "png")
    'january_2022_seed1_concession.png'
    >>> figure_name("january_2022", "zopa", 1, "svg")
    'january_2022_zopa.svg'
    """
    if kind == "zopa":
        return f"{stem}_{kind}.{image_format}"
    return f"{stem}_seed{seed}_{kind}.{image_format}"


def render_figures(
    scenario: Scenario,
    result: RunResult | None,
    kinds: Sequence[FigureKind],
    stem: str,
    image_format: ImageFormat = "png",
) -> list[tuple[str, bytes]]:
    """Draw the figures asked for and encode them.

    Args:
        scenario: The scenario (for the ZOPA figure).
        result: The run (for the concession and escalation figures); may be None
            when only ``zopa`` is asked for.
        kinds: Which figures, in order.
        stem: File name stem, usually the scenario file's.
        image_format: ``"png"`` or ``"svg"``.

    Returns:
        ``(file name, bytes)`` per figure.
    """
    from sim.viz.plots import concession_plot, escalation_plot, figure_bytes, zopa_plot

    files = []
    for kind in kinds:
        if kind == "zopa":
            figure = zopa_plot(scenario)
        else:
            if result is None:
                raise ValueError(f"the {kind} figure needs a run")
            draw = concession_plot if kind == "concession" else escalation_plot
            figure = draw(result, scenario)
        seed = result.seed if result is not None else 0
        files.append(
            (figure_name(stem, kind, seed, image_format), figure_bytes(figure, image_format))
        )
    return files


def write_files(
    folder: Path, files: Sequence[tuple[str, bytes]], *, force: bool = False
) -> list[tuple[Path, Status]]:
    """Write files into a folder (created if missing), all or none.

    Args:
        folder: The target folder.
        files: ``(file name, contents)`` pairs.
        force: Replace existing files whose contents differ.

    Returns:
        Each file's path and whether it was written or already held these bytes.

    Raises:
        UserError: If a target exists with other contents and ``force`` is off,
            is a folder, or cannot be written.
    """
    if folder.exists() and not folder.is_dir():
        raise UserError(str(folder), 1, 1, "", "is not a folder (give a folder for --out)")
    plan: list[tuple[Path, bytes, Status]] = []
    for name, data in files:
        target = folder / name
        plan.append((target, data, check_target(target, data, force)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(str(folder), 1, 1, "", f"cannot create: {exc.strerror}") from None
    for target, data, status in plan:
        if status == "written":
            atomic_write_bytes(target, data)
    return [(target, status) for target, _, status in plan]
