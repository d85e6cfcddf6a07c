"""Figures of a run, a scenario and a batch: pure functions that return matplotlib Figures.

Every function builds a :class:`matplotlib.figure.Figure` directly and gives it
its own Agg canvas, so nothing touches pyplot's global state or switches the
process's backend: figures can be drawn in a test, a batch worker or a
notebook alike. Save one with ``figure.savefig(path)`` or :func:`figure_bytes`.

* :func:`concession_plot`: the negotiation dance of each alternating-offers round
  (:mod:`sim.viz.concession`);
* :func:`zopa_plot`: acceptable intervals, status quo and ZOPA per issue;
* :func:`escalation_plot`: rungs climbed per actor over time, war marked
  (:mod:`sim.viz.escalation`);
* :func:`outcome_plot`: a batch's outcome-class probabilities with 95% intervals.

Colours, names and encoding are shared through :mod:`sim.viz.style`.
matplotlib is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sim.viz.concession import concession_plot
from sim.viz.escalation import escalation_plot
from sim.viz.style import (
    CLASS_COLOURS,
    DPI,
    PALETTE,
    WAR_COLOUR,
    ZOPA_COLOUR,
    ImageFormat,
    colours,
    display_names,
    empty_note,
    figure_bytes,
    named,
    new_figure,
    number,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sim.analysis.zopa import IssueZopa
    from sim.batch.result import BatchResult
    from sim.scenario.schema import Issue, Scenario

__all__ = [
    "CLASS_COLOURS",
    "DPI",
    "PALETTE",
    "ImageFormat",
    "colours",
    "concession_plot",
    "escalation_plot",
    "figure_bytes",
    "new_figure",
    "outcome_plot",
    "zopa_plot",
]


# --- ZOPA -------------------------------------------------------------------------------------

ZOPA_KEY = (
    "bars: each actor's acceptable positions, ideal to red line (◆: ideal on the red line)"
    " · dashed: status quo · green: the zone of possible agreement"
)
"""The key of the ZOPA figure, written under the panels (a legend box would sit on a title)."""


def zopa_plot(scenario: Scenario) -> Figure:
    """Acceptable intervals, status quo and ZOPA of every agenda issue (red lines at their means).

    One panel per issue (:func:`sim.analysis.zopa.zopa`): a horizontal bar per
    actor that must agree, from its ideal to its red line; the status quo as a
    dashed line; the ZOPA shaded green (labelled points inside it drawn as green
    lines for an indivisible issue), or "no ZOPA" with the clashing pair in the
    panel title. Actors are named as the scenario names them. The x ticks are
    the issue's labelled points, each with its words (wrapped) under its
    number; a one-line key under the panels says what bars, lines and
    shading mean (a legend box would cover a long title).

    Args:
        scenario: A validated scenario.

    Returns:
        A Figure with one Axes per agenda issue, or a single Axes saying there is none.
    """
    from sim.analysis.zopa import zopa

    zones = zopa(scenario)
    if not zones:
        figure = new_figure(8.0, 2.2)
        empty_note(figure.add_subplot(), "no issue is on any round's agenda")
        return figure
    heights = [1.2 + 0.24 * max(len(zone.constraints), 1) for zone in zones.values()]
    figure = new_figure(10.0, sum(heights) + 1.0)
    grid = figure.subplots(len(zones), 1, squeeze=False, gridspec_kw={"height_ratios": heights})
    parties = [a for a, spec in scenario.actors.items() if spec.role == "party"]
    palette = colours([*parties, *scenario.actors])
    names = display_names(scenario)
    for axes, (issue, zone) in zip(grid[:, 0], zones.items(), strict=True):
        _zopa_panel(axes, issue, zone, scenario.issues[issue], palette, names)
    figure.supxlabel(ZOPA_KEY, fontsize=8, color="0.25")
    figure.suptitle(f"Zones of possible agreement: {scenario.name}", fontsize=11, x=0.02, ha="left")
    return figure


def _zopa_panel(
    axes: Axes,
    issue: str,
    zone: IssueZopa,
    spec: Issue,
    palette: Mapping[str, str],
    names: Mapping[str, str],
) -> None:
    low, high = spec.scale
    actors = list(zone.constraints)
    for row, actor in enumerate(actors):
        lo, hi = zone.constraints[actor]
        axes.barh(row, hi - lo, left=lo, height=0.5, color=palette[actor], alpha=0.8)
        if hi - lo < 1e-9:  # ideal on the red line: a point, not a bar
            axes.plot([lo], [row], "D", color=palette[actor], markersize=7)
    axes.set_yticks(range(len(actors)), labels=[named(names, a) for a in actors], fontsize=8)
    axes.set_ylim(len(actors) - 0.4, -0.6)
    pad = 0.02 * (high - low)
    axes.set_xlim(low - pad, high + pad)
    axes.axvline(spec.status_quo, color="black", linestyle="--", linewidth=1.2, gid="status_quo")
    if zone.feasible and zone.interval is not None:
        a, b = zone.interval
        span = axes.axvspan(a, b, color=ZOPA_COLOUR, alpha=0.2, zorder=0)
        span.set_gid("zopa")
        marks = zone.points if not zone.divisible else ([a] if b - a < 1e-9 else [])
        for point in marks:
            axes.axvline(point, color=ZOPA_COLOUR, linewidth=3, alpha=0.7, gid="zopa_point")
        if zone.divisible:
            where = f"ZOPA {number(a)} to {number(b)}"
        else:
            where = "ZOPA at " + ", ".join(number(p) for p in zone.points)
    else:
        pairs = ", ".join(f"{named(names, a)} vs {named(names, b)}" for a, b in zone.blocking[:1])
        more = f" (+{len(zone.blocking) - 1} more)" if len(zone.blocking) > 1 else ""
        axes.text(
            1.0,
            1.02,
            f"no ZOPA: {pairs}{more}" if pairs else "no ZOPA",
            transform=axes.transAxes,
            ha="right",
            va="bottom",
            color=WAR_COLOUR,
            fontweight="bold",
            fontsize=9,
            gid="no_zopa",
        )
        where = ""
    kind = "" if spec.divisible else " (indivisible)"
    axes.set_title(f"{issue}{kind}" + (f": {where}" if where else ""), loc="left", fontsize=9)
    if spec.labels:
        ticks = sorted({float(low), float(high), *spec.labels})
        axes.set_xticks(ticks, labels=[_tick_label(spec, tick, ticks) for tick in ticks])
    axes.tick_params(axis="x", labelsize=7)
    axes.grid(True, axis="x", alpha=0.3)


def _tick_label(spec: Issue, tick: float, ticks: list[float]) -> str:
    """A labelled point as its number over its words, wrapped to fit between its neighbours.

    A label is centred on its tick, so its lines may be as wide as the gap to
    its nearest neighbour (about 90 characters span the whole scale).
    """
    words = spec.labels.get(tick)
    if not words:
        return number(tick)
    low, high = spec.scale
    gaps = [abs(tick - other) for other in ticks if other != tick] or [high - low]
    width = max(9, int(90 * min(gaps) / ((high - low) or 1.0)))
    return (
        number(tick) + "\n" + textwrap.fill(str(words), width=width, max_lines=3, placeholder="…")
    )


# --- batch outcome ----------------------------------------------------------------------------


def outcome_plot(batch: BatchResult | Mapping[str, Any]) -> Figure:
    """Outcome-class probabilities of a batch, bars with 95% Wilson intervals.

    Args:
        batch: A :class:`~sim.batch.result.BatchResult`, or its ``summary()`` dict
            (e.g. read back from ``summary.json``).

    Returns:
        A Figure with one Axes: one bar per outcome class (zero counts included).
    """
    summary = batch if isinstance(batch, Mapping) else batch.summary()
    classes: Mapping[str, Any] = summary.get("classes", {})
    figure = new_figure(7.0, 3.8)
    axes = figure.add_subplot()
    if not classes:
        empty_note(axes, "no runs")
        return figure
    names = list(classes)
    shares = [float(classes[n]["probability"]) for n in names]
    lows = [share - float(classes[n]["ci95"][0]) for n, share in zip(names, shares, strict=True)]
    highs = [float(classes[n]["ci95"][1]) - share for n, share in zip(names, shares, strict=True)]
    positions = list(range(len(names)))
    axes.bar(
        positions,
        shares,
        color=[CLASS_COLOURS.get(n, "#bbbbbb") for n in names],
        yerr=[lows, highs],
        capsize=6,
        error_kw={"elinewidth": 1.2, "ecolor": "black"},
    )
    for x, name, share, high in zip(positions, names, shares, highs, strict=True):
        axes.text(
            x,
            share + high + 0.02,
            f"{share:.0%} ({classes[name]['count']})",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    axes.set_xticks(positions, labels=[n.replace("_", " ") for n in names])
    axes.set_ylim(0, 1.12)
    axes.set_ylabel("probability (95% Wilson interval)")
    axes.grid(True, axis="y", alpha=0.3)
    axes.set_title(
        f"{summary.get('scenario', '')}: {summary.get('runs', 0)} runs, "
        f"batch seed {summary.get('seed', '')}",
        fontsize=10,
    )
    return figure
