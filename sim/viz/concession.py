"""The negotiation dance: what each offer is worth to each side, exchange by exchange.

Besides the offers, each panel draws the levels that explain a rejection (when
the scenario is given):

* **red lines**: the worth to a side of the package at all its red lines (the
  red lines it held in that round, as the run drew them). An offer worth less
  crosses at least one of them, since every issue's value falls away from the
  ideal; an offer above it may still cross one on a single issue;
* **walk-away**: a side's declared value of no deal (``no_deal``), when it has one;
* **war**: for an actor with a war option, what war is worth to it (Fearon's
  ``p ** k − c`` with the run's drawn type), and to its target ``1 − p − c``:
  no one accepts a deal worth less than war;
* **Rubinstein**: for a two-party, one-issue game in which someone discounts
  the future (δ < 1), the worth of the subgame-perfect split
  ``(1 − δ2)/(1 − δ1δ2)`` to each side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sim.viz.style import colours, display_names, empty_note, named, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sim.model.outcome import RunResult
    from sim.model.transcript import Event
    from sim.scenario.schema import Scenario

Level = tuple[str, float, str, str]
"""A horizontal reference line: (side id, utility, kind, label); kinds are in :data:`STYLES`."""

STYLES: dict[str, object] = {
    "red lines": ":",
    "walk-away": (0, (8, 3)),
    "war": "-.",
    "Rubinstein": "-",
}
"""Line style of each kind of level."""


def concession_plot(result: RunResult, scenario: Scenario | None = None) -> Figure:
    """The negotiation dance, one panel per alternating-offers round.

    Rounds whose offers are made by a side and carry ``Event.utilities`` (a
    mediator's text is no side's offer) get a panel. Each side gets a colour:
    its solid line is the worth to it of its own offers (falling as it
    concedes), its dashed line the worth to it of the offers it receives
    (rising as the other concedes); a deal is near when a side's two lines meet.
    An accepted offer is marked with a star and a dotted line. Utilities are
    those of each side's speaker, over the issues still open at the exchange.

    Args:
        result: A run with its transcript (``sim.run(..., transcript=True)``).
        scenario: The scenario it ran; with it, names replace ids and each
            panel draws the red-line, walk-away, war and Rubinstein levels
            (module docstring).

    Returns:
        A Figure with one Axes per alternating-offers round, or a single Axes
        saying there was none.
    """
    offers = [e for e in result.transcript if e.kind == "offer" and e.actor in e.utilities]
    round_ids = list(dict.fromkeys(e.round for e in offers))
    if not round_ids:
        figure = new_figure(8.0, 2.2)
        empty_note(figure.add_subplot(), "no alternating-offers exchange in this run's transcript")
        return figure
    names = display_names(scenario)
    figure = new_figure(9.5, 0.7 + 2.6 * len(round_ids))
    grid = figure.subplots(len(round_ids), 1, squeeze=False)
    palette = colours([*result.outcome.utilities, *(side for e in offers for side in e.utilities)])
    rounds = {str(r["id"]): r for r in result.rounds}
    for axes, round_id in zip(grid[:, 0], round_ids, strict=True):
        accepts = [e for e in result.transcript if e.round == round_id and e.kind == "accept"]
        in_round = [e for e in offers if e.round == round_id]
        levels = _levels(result, scenario, rounds.get(round_id, {}), in_round)
        _dance(axes, in_round, accepts, palette, names, levels)
        log = rounds.get(round_id, {})
        venue, date = str(log.get("venue", round_id)), str(log.get("date", ""))
        if accepts:
            verdict = ", ".join(f"agreed at exchange {e.exchange}" for e in accepts)
        else:
            verdict = "no agreement"
        axes.set_title(f"{venue} {date}: {verdict}", loc="left", fontsize=10)
    figure.suptitle(f"Negotiation dance: {result.scenario}, seed {result.seed}", fontsize=11)
    return figure


def _dance(
    axes: Axes,
    offers: list[Event],
    accepts: list[Event],
    palette: Mapping[str, str],
    names: Mapping[str, str],
    levels: list[Level],
) -> None:
    """One round's panel: per side, worth of own offers (solid) and of received ones (dashed)."""
    from matplotlib.ticker import MaxNLocator

    sides = list(dict.fromkeys(side for e in offers for side in e.utilities))
    for side in sides:
        own = [e for e in offers if e.actor == side]
        received = [e for e in offers if e.actor != side and side in e.utilities]
        proposers = ", ".join(named(names, p) for p in dict.fromkeys(e.actor for e in received))
        series = (
            ("own", own, "-o", palette[side], "its own offers"),
            ("received", received, "--s", "white", f"offers of {proposers}"),
        )
        for role, events, style, face, what in series:
            if events:
                axes.plot(
                    [e.exchange for e in events],
                    [e.utilities[side] for e in events],
                    style,
                    color=palette[side],
                    markersize=4,
                    markerfacecolor=face,
                    label=f"{named(names, side)}: {what}",
                    gid=f"{role}:{side}",
                )
    for side, worth, kind, label in levels:
        axes.axhline(
            worth,
            color=palette.get(side, "0.3"),
            linestyle=STYLES[kind],  # type: ignore[arg-type]
            linewidth=1.6 if kind != "Rubinstein" else 1.0,
            alpha=0.85 if kind != "Rubinstein" else 0.5,
            label=f"{named(names, side)}: {label}",
            gid=f"level:{kind}:{side}",
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
    if last <= 12:
        axes.set_xticks(range(1, last + 1))  # a short round: every exchange, whole numbers only
    else:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(True, alpha=0.3)
    axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)


# --- the levels ---------------------------------------------------------------------------------


def _levels(
    result: RunResult,
    scenario: Scenario | None,
    log: Mapping[str, object],
    offers: list[Event],
) -> list[Level]:
    """The red-line, walk-away, war and Rubinstein levels of one round's sides."""
    if scenario is None or not offers:
        return []
    sides = list(dict.fromkeys(side for e in offers for side in e.utilities))
    issues = list(dict.fromkeys(issue for e in offers for issue in e.package))
    red_lines = log.get("red_lines", {})
    assert isinstance(red_lines, Mapping)
    levels: list[Level] = []
    for side in sides:
        speaker = scenario.blocs[side].speaker if side in scenario.blocs else side
        drawn = result.types.get(speaker, {})
        floor = _red_line_worth(scenario, speaker, issues, red_lines.get(speaker, {}), drawn)
        if floor is not None:
            levels.append((side, floor, "red lines", "red lines (below: crosses one)"))
        if "no_deal" in drawn:
            levels.append((side, drawn["no_deal"], "walk-away", "walk-away (no deal)"))
    levels.extend(_war_levels(result, scenario, sides))
    levels.extend(_rubinstein_levels(scenario, sides, issues))
    return levels


def _red_line_worth(
    scenario: Scenario,
    actor: str,
    issues: list[str],
    red_lines: Mapping[str, float],
    drawn: Mapping[str, float],
) -> float | None:
    """Worth to the actor of the package at its red lines on these issues (None if it holds none)."""
    from sim.analysis.utility import Stance, package_utility

    spec = scenario.actors.get(actor)
    if spec is None:
        return None
    stances = {}
    for issue in issues:
        position = spec.positions.get(issue)
        if position is None:
            continue
        low, high = scenario.issues[issue].scale
        red_line = red_lines.get(issue, drawn.get(f"red_line.{issue}"))
        salience = drawn.get(f"salience.{issue}")
        if red_line is None or salience is None:
            return None
        stances[issue] = Stance(position.ideal, red_line, salience, low, high, spec.utility)
    if not stances:
        return None
    return package_utility(stances, {i: s.red_line for i, s in stances.items()})


def _war_levels(result: RunResult, scenario: Scenario, sides: list[str]) -> list[Level]:
    """What war is worth to an actor with a war option at the table, and to its target."""
    from sim.analysis.fearon import war_value

    levels: list[Level] = []
    for actor, spec in scenario.actors.items():
        war = spec.war
        drawn = result.types.get(actor, {})
        if war is None or "win_probability" not in drawn:
            continue
        p, cost = drawn["win_probability"], drawn["war_cost"]
        if actor in sides:
            worth = war_value(p, cost, 0.0, drawn.get("risk_acceptance", 0.5))
            levels.append((actor, worth, "war", f"war worth {worth:.2f} (p={p:.2f}, c={cost:.2f})"))
        target = result.types.get(war.against, {})
        if war.against in sides and "win_probability" not in target:
            # the target's cost is its own war cost if it declares one, else none
            target_cost = target.get("war_cost", 0.0)
            worth = 1.0 - p - target_cost
            levels.append((war.against, worth, "war", f"war worth {worth:.2f} (1 − p − c)"))
    return levels


def _rubinstein_levels(scenario: Scenario, sides: list[str], issues: list[str]) -> list[Level]:
    """The worth of Rubinstein's subgame-perfect split to each side, for a two-party one-issue game."""
    from sim.analysis.rubinstein import rubinstein_split
    from sim.analysis.utility import Stance

    split = rubinstein_split(scenario)
    if split is None or issues != [split.issue]:
        return []
    if split.proposer_delta >= 1.0 and split.responder_delta >= 1.0:
        return []  # no one discounts the future: there is no patience game to solve
    levels: list[Level] = []
    for actor in (split.first_proposer, split.responder):
        spec = scenario.actors[actor]
        if actor not in sides:
            continue
        position = spec.positions[split.issue]
        low, high = scenario.issues[split.issue].scale
        stance = Stance(position.ideal, position.ideal, 1.0, low, high, spec.utility)
        worth = stance.value(split.position)
        share = split.proposer_share if actor == split.first_proposer else 1 - split.proposer_share
        levels.append((actor, worth, "Rubinstein", f"Rubinstein split: share {share:.3f}"))
    return levels
