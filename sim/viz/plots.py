"""Figures of a run, a scenario and a batch: pure functions that return matplotlib Figures.

Every function builds a :class:`matplotlib.figure.Figure` directly and gives it
its own Agg canvas, so nothing touches pyplot's global state or switches the
process's backend: figures can be drawn in a test, a batch worker or a
notebook alike. Save one with ``figure.savefig(path)`` or :func:`figure_bytes`.

* :func:`concession_plot`: the negotiation dance of each alternating-offers round;
* :func:`zopa_plot`: acceptable intervals, status quo and ZOPA per issue;
* :func:`escalation_plot`: rungs climbed per actor over time, war marked;
* :func:`outcome_plot`: a batch's outcome-class probabilities with 95% intervals.

matplotlib is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sim.analysis.zopa import IssueZopa
    from sim.batch.result import BatchResult
    from sim.model.outcome import RunResult
    from sim.model.transcript import Event
    from sim.scenario.schema import Issue, Scenario

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
DPI = 110

_RUNG = re.compile(r"escalates to '([^']+)'")
"""The rung an ``escalate`` event names (see ``ActorAgent.consider_escalation``)."""


# --- helpers ------------------------------------------------------------------------------------


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
    salt, so rerunning a command rewrites identical files.

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
    return buffer.getvalue()


def colours(ids: Iterable[str]) -> dict[str, str]:
    """A colour per id, in order of first appearance (cycling through :data:`PALETTE`).

    >>> colours(["russia", "nato", "russia"])
    {'russia': '#1f77b4', 'nato': '#d62728'}
    """
    unique = list(dict.fromkeys(ids))
    return {key: PALETTE[index % len(PALETTE)] for index, key in enumerate(unique)}


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, fontsize=11)
    axes.set_axis_off()


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _round_names(result: RunResult) -> dict[str, tuple[str, str]]:
    """Round id to (venue, date) from the run's round log."""
    return {
        str(r["id"]): (str(r.get("venue", r["id"])), str(r.get("date", ""))) for r in result.rounds
    }


# --- concession -------------------------------------------------------------------------------


def concession_plot(result: RunResult) -> Figure:
    """The negotiation dance: what each offer is worth to each side, exchange by exchange.

    One panel per alternating-offers round of the run: rounds whose offers are
    made by a side and carry ``Event.utilities`` (a mediator's text is no side's
    offer). Each side gets a colour: its solid line is the worth
    to it of its own offers (falling as it concedes), its dashed line the worth
    to it of the offers it receives (rising as the other concedes); a deal is
    near when a side's two lines meet. An accepted offer is marked with a star
    and a dotted line. Utilities are those of each side's speaker, over the
    issues still open at the exchange.

    Args:
        result: A run with its transcript (``sim.run(..., transcript=True)``).

    Returns:
        A Figure with one Axes per alternating-offers round, or a single Axes
        saying there was none.
    """
    offers = [e for e in result.transcript if e.kind == "offer" and e.actor in e.utilities]
    round_ids = list(dict.fromkeys(e.round for e in offers))
    if not round_ids:
        figure = new_figure(8.0, 2.2)
        _empty(figure.add_subplot(), "no alternating-offers exchange in this run's transcript")
        return figure
    figure = new_figure(9.0, 0.7 + 3.0 * len(round_ids))
    grid = figure.subplots(len(round_ids), 1, squeeze=False)
    palette = colours([*result.outcome.utilities, *(side for e in offers for side in e.utilities)])
    names = _round_names(result)
    for axes, round_id in zip(grid[:, 0], round_ids, strict=True):
        accepts = [e for e in result.transcript if e.round == round_id and e.kind == "accept"]
        _dance(axes, [e for e in offers if e.round == round_id], accepts, palette)
        venue, date = names.get(round_id, (round_id, ""))
        if accepts:
            verdict = ", ".join(f"agreed at exchange {e.exchange}" for e in accepts)
        else:
            verdict = "no agreement"
        axes.set_title(f"{venue} {date}: {verdict}", loc="left", fontsize=10)
    figure.suptitle(f"Negotiation dance: {result.scenario}, seed {result.seed}", fontsize=11)
    return figure


def _dance(
    axes: Axes, offers: list[Event], accepts: list[Event], palette: Mapping[str, str]
) -> None:
    """One round's panel: per side, worth of own offers (solid) and of received ones (dashed)."""
    from matplotlib.ticker import MaxNLocator

    sides = list(dict.fromkeys(side for e in offers for side in e.utilities))
    for side in sides:
        own = [e for e in offers if e.actor == side]
        received = [e for e in offers if e.actor != side and side in e.utilities]
        if own:
            axes.plot(
                [e.exchange for e in own],
                [e.utilities[side] for e in own],
                "-o",
                color=palette[side],
                markersize=4,
                label=f"{side}: its own offers",
                gid=f"own:{side}",
            )
        if received:
            proposers = ", ".join(dict.fromkeys(e.actor for e in received))
            axes.plot(
                [e.exchange for e in received],
                [e.utilities[side] for e in received],
                "--s",
                color=palette[side],
                markersize=4,
                markerfacecolor="white",
                label=f"{side}: offers of {proposers}",
                gid=f"received:{side}",
            )
    for accept in accepts:
        offer = next((e for e in offers if e.exchange == accept.exchange), None)
        if offer is None:
            continue
        axes.axvline(accept.exchange, color="0.4", linestyle=":", linewidth=1)
        for side, worth in offer.utilities.items():
            axes.plot(
                [accept.exchange],
                [worth],
                marker="*",
                markersize=15,
                color=palette[side],
                markeredgecolor="black",
                linestyle="none",
                gid="agreement",
            )
        issues = ", ".join(accept.package) or "the agenda"
        axes.annotate(
            f"agreed: {issues}",
            (accept.exchange, 0.02),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=8,
            color="0.25",
        )
    last = max(e.exchange for e in offers)
    axes.set_xlim(0.5, last + 0.5)
    axes.set_ylim(-0.03, 1.05)
    axes.set_xlabel("exchange")
    axes.set_ylabel("utility to the side")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(True, alpha=0.3)
    axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)


# --- ZOPA -------------------------------------------------------------------------------------


def zopa_plot(scenario: Scenario) -> Figure:
    """Acceptable intervals, status quo and ZOPA of every agenda issue (red lines at their means).

    One panel per issue (:func:`sim.analysis.zopa.zopa`): a horizontal bar per
    actor that must agree, from its ideal to its red line; the status quo as a
    dashed line; the ZOPA shaded green (labelled points inside it drawn as green
    lines for an indivisible issue), or "no ZOPA" with the clashing pair in the
    panel title. Labelled points of the scale are the x ticks.

    Args:
        scenario: A validated scenario.

    Returns:
        A Figure with one Axes per agenda issue, or a single Axes saying there is none.
    """
    from sim.analysis.zopa import zopa

    zones = zopa(scenario)
    if not zones:
        figure = new_figure(8.0, 2.2)
        _empty(figure.add_subplot(), "no issue is on any round's agenda")
        return figure
    heights = [0.75 + 0.24 * max(len(zone.constraints), 1) for zone in zones.values()]
    figure = new_figure(9.0, sum(heights) + 0.8)
    grid = figure.subplots(len(zones), 1, squeeze=False, gridspec_kw={"height_ratios": heights})
    parties = [a for a, spec in scenario.actors.items() if spec.role == "party"]
    palette = colours([*parties, *scenario.actors])
    for axes, (issue, zone) in zip(grid[:, 0], zones.items(), strict=True):
        _zopa_panel(axes, issue, zone, scenario.issues[issue], palette)
    handles = _zopa_legend()
    figure.legend(handles=handles, loc="outside upper right", ncols=len(handles), fontsize=8)
    figure.suptitle(f"Zones of possible agreement: {scenario.name}", fontsize=11, x=0.02, ha="left")
    return figure


def _zopa_panel(
    axes: Axes, issue: str, zone: IssueZopa, spec: Issue, palette: Mapping[str, str]
) -> None:
    low, high = spec.scale
    actors = list(zone.constraints)
    for row, actor in enumerate(actors):
        lo, hi = zone.constraints[actor]
        axes.barh(row, hi - lo, left=lo, height=0.5, color=palette[actor], alpha=0.8)
        if hi - lo < 1e-9:  # ideal on the red line: a point, not a bar
            axes.plot([lo], [row], "D", color=palette[actor], markersize=7)
    axes.set_yticks(range(len(actors)), labels=actors, fontsize=8)
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
            where = f"ZOPA {_number(a)} to {_number(b)}"
        else:
            where = "ZOPA at " + ", ".join(_number(p) for p in zone.points)
    else:
        pairs = ", ".join(f"{a} vs {b}" for a, b in zone.blocking[:1])
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
        axes.set_xticks(sorted({float(low), float(high), *spec.labels}))
    axes.tick_params(axis="x", labelsize=8)
    axes.grid(True, axis="x", alpha=0.3)


def _zopa_legend() -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [
        Patch(facecolor="0.5", alpha=0.8, label="acceptable: ideal to red line"),
        Line2D([], [], color="black", linestyle="--", label="status quo"),
        Patch(facecolor=ZOPA_COLOUR, alpha=0.2, label="ZOPA"),
    ]


# --- escalation -------------------------------------------------------------------------------


def escalation_plot(result: RunResult) -> Figure:
    """Rungs climbed by each actor over the run's calendar, with the start of any war.

    One panel per actor that escalated, a step line from the first round to the
    run's last date, the y ticks naming the rungs it reached (each ``escalate``
    event climbs one rung). Rounds are dotted grey lines; a war is a red line on
    every panel and an ✕ on the aggressor's.

    Args:
        result: A run (its transcript keeps escalations even without exchange detail).

    Returns:
        A Figure with one Axes per escalating actor, or a single Axes saying no
        one escalated (with the war line if a war began anyway).
    """
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DayLocator, date2num

    climbs: dict[str, list[tuple[dt.date, str]]] = {}
    for event in result.transcript:
        if event.kind == "escalate":
            found = _RUNG.search(event.text)
            steps = climbs.setdefault(event.actor, [])
            steps.append((_date(event.date), found.group(1) if found else f"rung {len(steps) + 1}"))
    names = _round_names(result)
    days = [_date(e.date) for e in result.transcript]
    days += [_date(date) for _, date in names.values() if date]
    war = result.outcome.war
    if war is not None:
        days.append(_date(war.date))
    start = min(days) if days else dt.date(2000, 1, 1)
    end = max(days) if days else start
    if end == start:
        end = start + dt.timedelta(days=1)
    heights = [1.0 + 0.35 * (len(steps) + 1) for steps in climbs.values()] or [2.2]
    figure = new_figure(9.0, sum(heights) + 0.8)
    grid = figure.subplots(
        max(len(climbs), 1), 1, squeeze=False, sharex=True, gridspec_kw={"height_ratios": heights}
    )
    order = [*result.outcome.utilities, *climbs]
    climbs = {actor: climbs[actor] for actor in dict.fromkeys(order) if actor in climbs}
    palette = colours(order)
    panels = list(grid[:, 0])
    if not climbs:
        panels[0].text(
            0.5, 0.5, "no actor escalated", ha="center", va="center", transform=panels[0].transAxes
        )
        panels[0].set_yticks([])
    for axes, (actor, steps) in zip(panels, climbs.items(), strict=False):
        xs = [start, *(day for day, _ in steps), end]
        ys = [0, *range(1, len(steps) + 1), len(steps)]
        axes.step(xs, ys, where="post", color=palette[actor], linewidth=2, gid=f"rungs:{actor}")
        axes.plot(xs[1:-1], ys[1:-1], "o", color=palette[actor], markersize=5)
        axes.set_yticks(range(len(steps) + 1), labels=["none", *(rung for _, rung in steps)])
        axes.set_ylim(-0.4, len(steps) + 0.5)
        axes.tick_params(axis="y", labelsize=8)
        axes.set_title(actor, loc="left", fontsize=10, color=palette[actor])
        axes.grid(True, axis="y", alpha=0.3)
        if war is not None and war.aggressor == actor:
            axes.plot(
                [_date(war.date)],
                [len(steps)],
                marker="X",
                markersize=13,
                color=WAR_COLOUR,
                linestyle="none",
                gid="war",
            )
    rounds = [(venue, _date(date)) for venue, date in names.values() if date]
    for axes in panels:
        for _, day in rounds:
            axes.axvline(day, color="0.6", linestyle=":", linewidth=1)
        if war is not None:
            axes.axvline(_date(war.date), color=WAR_COLOUR, linewidth=2, gid="war_line")
        axes.set_xlim(start - dt.timedelta(days=1), end + dt.timedelta(days=1))
    locator = DayLocator() if (end - start).days < 8 else AutoDateLocator()
    panels[-1].xaxis.set_major_locator(locator)
    panels[-1].xaxis.set_major_formatter(ConciseDateFormatter(locator))
    if rounds:
        venues = panels[0].secondary_xaxis("top")
        venues.set_xticks(
            [float(date2num(day)) for _, day in rounds],
            labels=[venue for venue, _ in rounds],
            fontsize=7,
            rotation=45,
            ha="left",
            color="0.35",
        )
        venues.tick_params(length=0)
    if war is not None:
        note = f"war: {war.aggressor} against {war.target} on {war.date} ({war.cause})"
    else:
        note = "no war"
    figure.suptitle(
        f"Escalation: {result.scenario}, seed {result.seed}: {note}",
        fontsize=11,
        color=WAR_COLOUR if war is not None else "black",
    )
    return figure


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
        _empty(axes, "no runs")
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
