"""What every figure shares: colours, names for people, a pyplot-free Figure, reproducible bytes.

matplotlib is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sim.scenario.schema import Scenario

ImageFormat = Literal["png", "svg"]
"""The file formats :func:`figure_bytes` writes."""

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)
"""Colours given to actors, parties in scenario order first, so each keeps its colour
across the figures of one scenario; blocs and other sides follow."""

CLASS_COLOURS = {
    "agreement": "#2ca02c",
    "partial": "#98c379",
    "talks_continue": "#1f77b4",
    "deadlock": "#7f7f7f",
    "war": "#d62728",
}
"""One colour per outcome class (other classes get grey)."""

ZOPA_COLOUR = "#2ca02c"
WAR_COLOUR = "#d62728"
"""Text saying there is no ZOPA, or that a war began."""

WAR_LINE_COLOUR = "#111111"
"""The line marking the start of a war: black, so no actor's colour can be mistaken for it."""

DPI = 110


def new_figure(width: float, height: float) -> Figure:
    """A Figure with its own Agg canvas: no pyplot, no global backend switch.

    Args:
        width: Width in inches.
        height: Height in inches.

    Returns:
        An empty Figure with constrained layout.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def figure_bytes(figure: Figure, image_format: ImageFormat = "png", dpi: float = DPI) -> bytes:
    """The figure as PNG or SVG bytes, the same bytes for the same figure.

    PNG files carry no software tag and SVG files no date; SVG ids use a fixed
    salt, so rerunning a command rewrites identical files. A PNG is stored with
    a palette of at most 256 colours (Pillow's median cut, no dithering): a
    line figure looks the same and its file is about a third of the size, which
    keeps the HTML report and the docs' images small.

    Args:
        figure: A figure from this module.
        image_format: ``"png"`` or ``"svg"``.
        dpi: Resolution of a PNG.

    Returns:
        The encoded image.
    """
    import io

    import matplotlib

    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Software": None} if image_format == "png" else {"Date": None}
    with matplotlib.rc_context({"svg.hashsalt": "sim", "svg.fonttype": "path"}):
        figure.savefig(buffer, format=image_format, dpi=dpi, metadata=metadata)
    if image_format != "png":
        return buffer.getvalue()
    from PIL import Image

    buffer.seek(0)
    with Image.open(buffer) as image:
        palette = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def colours(ids: Iterable[str]) -> dict[str, str]:
    """A colour per id, in order of first appearance (cycling through :data:`PALETTE`).

    >>> colours(["russia", "nato", "russia"])
    {'russia': '#1f77b4', 'nato': '#d62728'}
    """
    unique = list(dict.fromkeys(ids))
    return {key: PALETTE[index % len(PALETTE)] for index, key in enumerate(unique)}


def display_names(scenario: Scenario | None) -> dict[str, str]:
    """Actor and bloc ids to the names people read (an id without a name stays itself)."""
    if scenario is None:
        return {}
    names = {actor_id: spec.name or actor_id for actor_id, spec in scenario.actors.items()}
    names.update({bloc_id: bloc.name or bloc_id for bloc_id, bloc in scenario.blocs.items()})
    return names


def named(names: Mapping[str, str], key: str) -> str:
    """The name of an id, or the id itself."""
    return names.get(key, key)


def empty_note(axes: Axes, message: str) -> None:
    """Turn an Axes into a one-line note (no frame, no ticks)."""
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, fontsize=11)
    axes.set_axis_off()


def number(value: float) -> str:
    """A position with at most one decimal and no trailing zero: 40, 42.5."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
