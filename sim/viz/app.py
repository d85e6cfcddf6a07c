"""The classroom page: step through one run of a scenario in the browser.

Start it with ``sim app [FILE]`` (``pip install -e '.[app]'`` first), which runs
``solara run`` on this file. The page is built from plain solara components
rather than Mesa's ``SolaraViz``: SolaraViz's ``model_params`` must be keyword
arguments of ``NegotiationModel.__init__``, while the page's controls act on
the *scenario* the model is built from (a file choice and dotted-path overrides
through :meth:`Scenario.with_overrides`). Plain components keep the model
untouched and make the page testable in-process with ``solara.render``.

Every browser session gets its own model (``solara.use_memo`` inside
:func:`Page`); nothing here is module-level shared state, so one student's
Step never moves another student's run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import reacton.ipyvuetify as rv
import solara

from sim.errors import UserError
from sim.model.model import NegotiationModel
from sim.model.transcript import Event
from sim.model.utility import short
from sim.report import MARKS, render_outcome
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from sim.viz.classroom import (
    MAX_TALLY_SEEDS,
    TallyRow,
    display_names,
    has_dance,
    has_escalation,
    outcome_text,
    round_label,
    run_so_far,
    seed_range,
    tally,
    with_names,
)
from sim.viz.controls import (
    KnobSpec,
    build_model,
    default_choice,
    knobs,
    overrides_for,
    scenario_choices,
)
from sim.viz.lessons import what_to_try
from sim.viz.plots import concession_plot, escalation_plot
from sim.viz.serve import SCENARIO_ENV

TRANSCRIPT_LINES = 30
"""How many of the latest transcript events the page shows."""


def position(model: NegotiationModel) -> str:
    """Where the run is, in words: step, round, venue, date (or that it has ended)."""
    spec = model.spec
    # The model keeps its place in private attributes; the page only reads them.
    round_id: str = model._round_id
    date = model._date.isoformat()
    steps = f"step {model.steps}"
    if not model.running:
        return f"{steps} · ended ({model.rounds_played} of {len(spec.rounds)} rounds played)"
    if model.steps == 0:
        first = spec.rounds[0]
        return f"{steps} · not started · first round: {first.venue}, {first.date.isoformat()}"
    if round_id == "aftermath":
        return f"{steps} · aftermath, {date}"
    home = round_id.endswith(":home")
    venue = next((r.venue for r in spec.rounds if r.id == round_id.removesuffix(":home")), "")
    index = next(i for i, r in enumerate(spec.rounds) if r.id == round_id.removesuffix(":home"))
    where = f"round {index + 1} of {len(spec.rounds)}: {venue} ({round_id.removesuffix(':home')})"
    if home:
        return f"{steps} · between rounds, delegations home after {where}, {date}"
    last = model.events[-1] if model.events else None
    exchange = (
        f", exchange {last.exchange}" if last and last.round == round_id and last.exchange else ""
    )
    return f"{steps} · {where}, {date}{exchange}"


def event_line(
    event: Event, names: Mapping[str, str] | None = None, venues: Mapping[str, str] | None = None
) -> str:
    """One transcript event as a line: date, round, exchange, mark and the text with its reason.

    With ``names``, ids in the text are shown as names (:func:`~sim.viz.classroom.with_names`);
    with ``venues``, the round is shown by its venue (:func:`~sim.viz.classroom.round_label`).
    """
    text = with_names(event.text, names) if names else event.text
    if event.kind == "round_open":
        return f"== {text} =="
    step = f" #{event.exchange}" if event.exchange else ""
    mark = MARKS.get(event.kind, "")
    where = round_label(event.round, venues) if venues else event.round
    return f"[{event.date} {where}{step}] {mark} {text}".replace("  ", " ")


def transcript_text(
    events: Sequence[Event],
    lines: int = TRANSCRIPT_LINES,
    names: Mapping[str, str] | None = None,
    venues: Mapping[str, str] | None = None,
) -> str:
    """The last ``lines`` events, one per line (a note says how many came before)."""
    if not events:
        return "(nothing yet: press Step or Run to end)"
    shown = [event_line(e, names, venues) for e in events[-lines:]]
    earlier = len(events) - len(shown)
    head = (
        [f"… {earlier} earlier events (see `sim run` for the whole transcript)"] if earlier else []
    )
    return "\n".join([*head, *shown])


def actor_rows(model: NegotiationModel) -> list[tuple[str, str, str]]:
    """(name, role, highest rung so far) for every actor."""
    return [
        (
            actor.name,
            actor.role,
            actor.ladder[actor.rung_level] if actor.rung_level >= 0 else "—",
        )
        for actor in model.actors.values()
    ]


def agreed_text(model: NegotiationModel, names: dict[str, str]) -> str:
    """The issues agreed so far, one per line, under a heading ("nothing yet" before any)."""
    venues = {r.id: r.venue for r in model.spec.rounds}
    lines = []
    for issue, agreement in model.agreements.items():
        label = f" ({agreement.label})" if agreement.label else ""
        where = venues.get(agreement.round, agreement.round)
        lines.append(f"{names.get(issue, issue)}: {short(agreement.position)}{label}, in {where}")
    if lines:
        return "Agreed so far:\n" + "\n".join(lines)
    return "Agreed: nothing yet" if model.running else "Agreed: nothing"


STYLE = """
.sim-page { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start;
            width: 100%; padding: 8px 16px; box-sizing: border-box; }
.sim-controls { flex: 0 0 310px; max-width: 100%; }
.sim-run { flex: 1 1 460px; min-width: 0; }
.sim-knob-label { display: flex; justify-content: space-between; gap: 8px;
                  font-size: 0.9em; margin-top: 10px; }
.sim-knob-value { font-weight: bold; font-variant-numeric: tabular-nums; }
.sim-knob { width: 100%; min-width: 150px; }
.sim-buttons { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
.sim-transcript, .sim-outcome, .sim-agreed { font-family: monospace; font-size: 0.85em;
    white-space: pre-wrap; overflow-wrap: break-word; margin: 0; }
.sim-side { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.sim-hints { font-size: 0.9em; padding-left: 1.2em; }
.sim-concession img, .sim-escalation img { max-width: 100%; height: auto; margin: 0 !important; }
.sim-scroll { display: flex; flex-direction: column-reverse; overflow-y: auto; max-height: 24em;
              border: 1px solid #ddd; padding: 4px 6px; }
.sim-seed-error { color: #b00020; font-size: 0.9em; }
"""
"""The page's layout: controls in a 310 px column, the run beside it, below it under ~800 px.

The transcript sits in a box that scrolls and, being laid out bottom-up
(``column-reverse``), shows its newest line without any script.
"""


@solara.component
def Knob(knob: KnobSpec, value: float, on_value: Callable[[float], None]) -> Any:
    """A slider with its label and current value on a line above it, full width below."""
    with solara.Column(gap="0px") as column:
        rv.Html(
            tag="div",
            class_="sim-knob-label",
            children=[
                rv.Html(tag="span", children=[knob.label]),
                rv.Html(tag="span", class_="sim-knob-value", children=[f"{value:g}"]),
            ],
        )
        rv.Slider(
            v_model=value,
            min=knob.low,
            max=knob.high,
            step=knob.step,
            hide_details=True,
            dense=True,
            class_="sim-knob",
            on_v_model=lambda new: on_value(float(new)),
        )
    return column


@solara.component
def Table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    class_: str = "",
    cell_classes: Sequence[str] = (),
) -> Any:
    """A dense table: a header row, then one row per entry (``cell_classes``: per column)."""
    classes = [*cell_classes, *[""] * (len(headers) - len(cell_classes))]
    head = rv.Html(
        tag="thead",
        children=[rv.Html(tag="tr", children=[rv.Html(tag="th", children=[h]) for h in headers])],
    )
    body = rv.Html(
        tag="tbody",
        children=[
            rv.Html(
                tag="tr",
                children=[
                    rv.Html(tag="td", children=[cell], class_=css)
                    for cell, css in zip(row, classes, strict=True)
                ],
            )
            for row in rows
        ],
    )
    return rv.SimpleTable(dense=True, class_=class_, children=[head, body])


def tally_rows(rows: Sequence[TallyRow], count: int) -> list[tuple[str, str, str]]:
    """The tally table's cells: outcome class in words, runs out of ``count``, which seeds."""
    return [
        (row.outcome_class.replace("_", " "), f"{row.runs} of {count}", _seed_list(row.seeds))
        for row in rows
    ]


@solara.component
def Figure(figure_of: Callable[[], Any], key: object, css: str) -> Any:
    """A matplotlib figure drawn by ``figure_of`` as a PNG, drawn again when ``key`` changes."""
    figure = solara.use_memo(figure_of, [key])
    with rv.Html(tag="div", class_=css) as box:
        solara.FigureMatplotlib(figure, dependencies=[key], format="png")
    return box


@solara.component
def Page() -> Any:
    """The page: controls on the left, the run so far on the right (below it on narrow screens)."""
    extra = os.environ.get(SCENARIO_ENV) or None
    choices = solara.use_memo(lambda: scenario_choices(extra), [extra])
    choice, set_choice = solara.use_state(default_choice(choices, extra))
    loaded = solara.use_memo(lambda: _load(choices[choice]), [choice])
    scenario, load_error = loaded
    seed, set_seed = solara.use_state(scenario.seed if scenario else 0)
    seed_error, set_seed_error = solara.use_state("")
    empty: dict[str, float] = {}
    moved, set_moved = solara.use_state(empty)  # slider values by label, only those moved
    resets, set_resets = solara.use_state(0)
    tick, set_tick = solara.use_state(0)  # bumped after stepping, to show the mutated model
    count, set_count = solara.use_state(10)
    nothing: tuple[str, list[TallyRow], int] | None = None
    tallied, set_tallied = solara.use_state(nothing)  # (what was run, rows, seeds)

    available = solara.use_memo(lambda: knobs(scenario) if scenario else [], [choice])
    overrides = overrides_for(moved, available)
    key = tuple(sorted(overrides.items()))
    built = solara.use_memo(
        lambda: build_model(scenario, seed, overrides) if scenario else (None, ""),
        [choice, seed, key, resets],
    )
    model, build_error = built
    refresh: Callable[[], None] = lambda: set_tick(lambda tick: tick + 1)  # noqa: E731
    setting = f"{choice} {key}"  # what a tally was run with: stale once it changes

    def choose(label: str) -> None:
        set_choice(label)
        new, _ = _load(choices[label])
        set_seed(new.seed if new else 0)
        set_seed_error("")
        set_moved({})

    def change_seed(value: int | None) -> None:
        # The field also reports the seed it shows again after a refusal: not a new choice.
        if value is None or value == seed:
            return
        if value < 0:
            set_seed_error(f"Seed {value} refused: a seed is 0 or more. The run keeps seed {seed}.")
            return
        set_seed_error("")
        set_seed(value)

    def step() -> None:
        if model is not None and model.running:
            model.step()
            refresh()

    def run_to_end() -> None:
        if model is not None and model.running:
            model.run_to_end()
            refresh()

    def run_seeds() -> None:
        if scenario is None or build_error:
            return
        seeds = range(max(1, min(count, MAX_TALLY_SEEDS)))
        rows = tally(scenario.with_overrides(overrides), seeds)
        set_tallied((setting, rows, len(seeds)))

    def change_count(value: int | None) -> None:
        if value is not None:
            set_count(max(1, min(value, MAX_TALLY_SEEDS)))

    solara.Title("sim: negotiation classroom")
    running = model is not None and model.running
    with rv.Html(tag="div", class_="sim-page") as page:
        solara.Style(STYLE)
        with rv.Html(tag="div", class_="sim-controls"):
            solara.Select("Scenario", values=list(choices), value=choice, on_value=choose)
            solara.InputInt("Seed", value=seed, on_value=change_seed)
            if seed_error:
                rv.Html(tag="div", class_="sim-seed-error", children=[seed_error])
            for knob in available:
                Knob(knob, moved.get(knob.label, knob.value), _mover(set_moved, knob.label))
            if moved:
                solara.Button("Scenario values", on_click=lambda: set_moved({}), text=True)
            with rv.Html(tag="div", class_="sim-buttons"):
                solara.Button("Step", on_click=step, disabled=not running, color="primary")
                solara.Button("Run to end", on_click=run_to_end, disabled=not running)
                solara.Button("Reset", on_click=lambda: set_resets(lambda r: r + 1))
            with solara.Row(style={"align-items": "center"}):
                solara.InputInt("Seeds to tally", value=count, on_value=change_count)
                solara.Button(
                    f"Run seeds {seed_range(count)}", on_click=run_seeds, disabled=model is None
                )
            if tallied is not None and tallied[0] == setting:
                Table(("Outcome", "Runs", "Seeds"), tally_rows(tallied[1], tallied[2]), "sim-tally")
            rv.Html(tag="h4", children=["What to try"], style_="margin-top: 16px")
            rv.Html(
                tag="ol",
                class_="sim-hints",
                children=[rv.Html(tag="li", children=[hint]) for hint in what_to_try(choice)],
            )
        with rv.Html(tag="div", class_="sim-run"):
            if load_error or build_error or scenario is None or model is None:
                solara.Error(load_error or build_error or "no scenario")
            else:
                _RunView(scenario, model, overrides, tick)
    return page


@solara.component
def _RunView(
    scenario: Scenario, model: NegotiationModel, overrides: dict[str, float], tick: int
) -> Any:
    """The run so far: position, transcript, actors, agreements, figures and, at the end, the outcome.

    ``tick`` changes after every Step or Run to end: the model is mutated in place,
    so without it the view would look unchanged to solara and not render again.
    """
    names = solara.use_memo(lambda: display_names(scenario), [id(scenario)])
    venues = {r.id: r.venue for r in scenario.rounds}
    ended = not model.running and model.outcome is not None
    key = (id(model), tick, ended)
    so_far = solara.use_memo(lambda: run_so_far(model), [key])
    with solara.Column() as view:
        rv.Html(tag="h3", children=[scenario.name])
        if scenario.description:
            rv.Html(tag="p", children=[scenario.description.strip()])
        if overrides:
            changed = ", ".join(f"{path} = {value:g}" for path, value in overrides.items())
            solara.Text(f"Overrides: {changed}", classes=["sim-overrides"])
        solara.Text(position(model), classes=["sim-position"])
        with rv.Html(tag="div", class_="sim-scroll"):
            rv.Html(
                tag="pre",
                class_="sim-transcript",
                children=[transcript_text(model.events, names=names, venues=venues)],
            )
        with rv.Html(tag="div", class_="sim-side"):
            Table(("Actor", "Role", "Rung"), actor_rows(model), cell_classes=("", "", "sim-rung"))
            rv.Html(tag="pre", class_="sim-agreed", children=[agreed_text(model, names)])
        if ended:
            rv.Html(
                tag="pre",
                class_="sim-outcome",
                children=[outcome_text(render_outcome(so_far), names)],
            )
        if has_dance(model):
            Figure(lambda: concession_plot(so_far, model.spec), key, "sim-concession")
        if has_escalation(model):
            Figure(lambda: escalation_plot(so_far, model.spec), key, "sim-escalation")
    return view


def _seed_list(seeds: Sequence[int]) -> str:
    """Seeds as a short list: ``0, 3, 7`` (the first 12, then how many more)."""
    shown = ", ".join(str(seed) for seed in seeds[:12])
    return shown + (f" … (+{len(seeds) - 12})" if len(seeds) > 12 else "")


def _mover(
    set_moved: Callable[[Callable[[dict[str, float]], dict[str, float]]], None], label: str
) -> Callable[[float], None]:
    """The slider callback that records ``label``'s new value among the moved sliders."""

    def on_value(value: float) -> None:
        set_moved(lambda old: {**old, label: float(value)})

    return on_value


def _load(path: Path) -> tuple[Scenario | None, str]:
    try:
        return load_scenario(path), ""
    except UserError as err:
        return None, str(err)
