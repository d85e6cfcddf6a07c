"""Escalation over the run's calendar: the rungs each actor climbed, the rounds, the start of any war."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING

from sim.viz.style import (
    WAR_COLOUR,
    WAR_LINE_COLOUR,
    colours,
    display_names,
    empty_note,
    named,
    new_figure,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sim.model.outcome import RunResult
    from sim.scenario.schema import Scenario

_RUNG = re.compile(r"escalates to '([^']+)'")
"""The rung an ``escalate`` event names (see ``ActorAgent.consider_escalation``)."""

LABEL_ROWS = 3
"""Venue labels above the top panel are staggered over this many rows."""


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def escalation_plot(result: RunResult, scenario: Scenario | None = None) -> Figure:
    """Rungs climbed by each actor over the run's calendar, with the start of any war.

    One panel per actor that escalated, a step line from the first round to the
    run's last date, the y ticks naming the rungs it reached (each ``escalate``
    event climbs one rung). Rounds are dotted grey lines named by venue above the
    top panel (staggered so close dates do not overlap); dates read "10 Jan". A
    war is a black line on every panel (no actor has black) and an ✕ on the
    aggressor's. A run in which no one climbed gets a one-line note instead of
    an empty panel.

    Args:
        result: A run (its transcript keeps escalations even without exchange detail).
        scenario: The scenario it ran; with it, names replace ids.

    Returns:
        A Figure with one Axes per escalating actor, or a note saying why there is none.
    """
    names = display_names(scenario)
    climbs: dict[str, list[tuple[dt.date, str]]] = {}
    for event in result.transcript:
        if event.kind == "escalate":
            found = _RUNG.search(event.text)
            steps = climbs.setdefault(event.actor, [])
            steps.append((_date(event.date), found.group(1) if found else f"rung {len(steps) + 1}"))
    war = result.outcome.war
    if not climbs:
        return _no_climb(result, scenario)
    rounds = [(str(r.get("venue", r["id"])), _date(str(r["date"]))) for r in result.rounds]
    days = [_date(e.date) for e in result.transcript] + [day for _, day in rounds]
    if war is not None:
        days.append(_date(war.date))
    start, end = min(days), max(days)
    if end == start:
        end = start + dt.timedelta(days=1)
    heights = [0.22 * LABEL_ROWS] + [1.0 + 0.35 * (len(steps) + 1) for steps in climbs.values()]
    figure = new_figure(10.0, sum(heights) + 1.0)
    grid = figure.subplots(
        len(climbs) + 1, 1, squeeze=False, sharex=True, gridspec_kw={"height_ratios": heights}
    )
    order = [*result.outcome.utilities, *climbs]
    climbs = {actor: climbs[actor] for actor in dict.fromkeys(order) if actor in climbs}
    palette = colours(order)
    strip, *panels = list(grid[:, 0])
    weights = _goldstein(scenario)
    for axes, (actor, steps) in zip(panels, climbs.items(), strict=True):
        _ladder(axes, actor, steps, start, end, palette[actor], named(names, actor), weights)
        if war is not None and war.aggressor == actor:
            axes.plot(
                [_date(war.date)],
                [len(steps)],
                marker="X",
                markersize=13,
                color=WAR_LINE_COLOUR,
                linestyle="none",
                gid="war",
            )
    for axes in [strip, *panels]:
        for _, day in rounds:
            axes.axvline(day, color="0.6", linestyle=":", linewidth=1)
        if war is not None:
            axes.axvline(_date(war.date), color=WAR_LINE_COLOUR, linewidth=2.2, gid="war_line")
        axes.set_xlim(start - dt.timedelta(days=1), end + dt.timedelta(days=1))
    _calendar(panels[-1], start, end)
    _venues(strip, rounds, start, end)
    if war is not None:
        note = (
            f"war: {named(names, war.aggressor)} against {named(names, war.target)} "
            f"on {war.date} ({war.cause}, black line)"
        )
    else:
        note = "no war"
    figure.suptitle(
        f"Escalation: {result.scenario}, seed {result.seed}: {note}",
        fontsize=11,
        color=WAR_COLOUR if war is not None else "black",
    )
    return figure


def _goldstein(scenario: Scenario | None) -> dict[str, float]:
    """The Goldstein weight of each rung that gives one (``goldstein``); none without a scenario."""
    if scenario is None:
        return {}
    return {
        rung_id: rung.goldstein
        for rung_id, rung in scenario.escalation_ladder.items()
        if "goldstein" in rung.model_fields_set
    }


def _ladder(
    axes: Axes,
    actor: str,
    steps: list[tuple[dt.date, str]],
    start: dt.date,
    end: dt.date,
    colour: str,
    name: str,
    weights: dict[str, float],
) -> None:
    """One actor's panel: a step line through the rungs it reached, named on the y axis.

    With the rungs' Goldstein weights (event-data's conflict-cooperation scale,
    -10 to 10) each weighted rung's label carries its weight, and the title the
    sum over the weighted rungs climbed: the run's conflict score for that actor.
    """
    xs = [start, *(day for day, _ in steps), end]
    ys = [0, *range(1, len(steps) + 1), len(steps)]
    axes.step(xs, ys, where="post", color=colour, linewidth=2, gid=f"rungs:{actor}")
    axes.plot(xs[1:-1], ys[1:-1], "o", color=colour, markersize=5)
    labels = [f"{rung} ({weights[rung]:+.1f})" if rung in weights else rung for _, rung in steps]
    axes.set_yticks(range(len(steps) + 1), labels=["none", *labels])
    axes.set_ylim(-0.4, len(steps) + 0.5)
    axes.tick_params(axis="y", labelsize=8)
    weighted = [weights[rung] for _, rung in steps if rung in weights]
    if weighted:
        some = "" if len(weighted) == len(steps) else f" over {len(weighted)} of {len(steps)} rungs"
        name = f"{name}: Goldstein total {sum(weighted):+.1f}{some}"
    axes.set_title(name, loc="left", fontsize=10, color=colour)
    axes.set_gid(f"actor:{actor}")
    axes.grid(True, axis="y", alpha=0.3)


def _calendar(axes: Axes, start: dt.date, end: dt.date) -> None:
    """Day and month on every date tick ("10 Jan"), the year in the axis label."""
    from matplotlib.dates import AutoDateLocator, DateFormatter, DayLocator

    locator = DayLocator() if (end - start).days < 8 else AutoDateLocator(minticks=4, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(DateFormatter("%d %b"))
    years = sorted({start.year, end.year})
    axes.set_xlabel("–".join(str(year) for year in years), fontsize=9)


def _venues(axes: Axes, rounds: list[tuple[str, dt.date]], start: dt.date, end: dt.date) -> None:
    """A strip above the panels naming each round's venue, staggered where dates are close.

    A label goes to the highest free row: one whose previous label ends (width
    estimated from its length) before this date, so neighbouring rounds do not
    write over each other.
    """
    span_days = (end - start).days + 2
    day_per_char = span_days / 130  # about 130 characters of 8-pt text across the panel
    free_from: list[dt.date] = [start - dt.timedelta(days=span_days)] * LABEL_ROWS
    for venue, day in rounds:
        row = next((r for r, free in enumerate(free_from) if free < day), None)
        if row is None:
            row = min(range(LABEL_ROWS), key=lambda r: free_from[r])
        free_from[row] = day + dt.timedelta(days=math.ceil(day_per_char * (len(venue) + 1)))
        axes.text(
            day,
            LABEL_ROWS - 1 - row + 0.5,
            f" {venue}",
            fontsize=8,
            color="0.25",
            ha="left",
            va="center",
            gid="venue",
        )
    axes.set_ylim(0, LABEL_ROWS)
    axes.set_yticks([])
    axes.tick_params(axis="x", length=0)
    for edge in ("top", "right", "left"):
        axes.spines[edge].set_visible(False)
    axes.set_title("rounds (venue)", loc="left", fontsize=8, color="0.4")


def _no_climb(result: RunResult, scenario: Scenario | None) -> Figure:
    """A note instead of empty panels: nobody climbed, and why (no ladder, or no reason to)."""
    ladders = scenario is not None and any(spec.escalation for spec in scenario.actors.values())
    if scenario is not None and not ladders:
        why = "this scenario gives no actor an escalation ladder, so there is nothing to draw"
    else:
        why = "no actor climbed its escalation ladder in this run"
    war = result.outcome.war
    if war is not None:
        why += f"; war began on {war.date} ({war.aggressor} against {war.target})"
    figure = new_figure(9.0, 1.2)
    empty_note(figure.add_subplot(), f"Escalation: {result.scenario}, seed {result.seed}: {why}.")
    return figure
