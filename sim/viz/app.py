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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reacton.ipyvuetify as rv
import solara

from sim.errors import UserError
from sim.model.model import NegotiationModel
from sim.model.outcome import RunResult
from sim.model.transcript import Event
from sim.model.utility import short
from sim.report import MARKS, render_outcome
from sim.scenario.distributions import param_mean
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

SCENARIO_ENV = "SIM_APP_SCENARIO"
"""Environment variable naming the scenario file the page opens with (set by ``sim app FILE``)."""

BASELINE_CHOICE = "january_2022.yaml"
"""The shipped scenario chosen when no file is given."""

TRANSCRIPT_LINES = 30
"""How many of the latest transcript events the page shows."""


@dataclass(frozen=True)
class Knob:
    """A slider that overrides one value (or the same value at several paths) of a scenario."""

    label: str
    paths: tuple[str, ...]
    low: float
    high: float
    step: float
    value: float
    """The scenario's own value (the mean of a distribution), where the slider starts."""


def scenarios_folder() -> Path:
    """The folder of shipped scenarios (``scenarios/`` beside the package)."""
    from sim.cli import scenarios_dir

    return scenarios_dir()


def scenario_choices(extra: str | None = None) -> dict[str, Path]:
    """Shipped scenarios by their path under ``scenarios/``, plus ``extra`` if it is elsewhere."""
    folder = scenarios_folder()
    files = sorted(folder.rglob("*.yaml")) if folder.is_dir() else []
    choices = {path.relative_to(folder).as_posix(): path for path in files}
    if extra:
        path = Path(extra).resolve()
        if path not in choices.values():
            choices = {str(path): path, **choices}
    return choices


def default_choice(choices: dict[str, Path], extra: str | None = None) -> str:
    """The choice for ``extra`` if given, else the January 2022 baseline, else the first."""
    if extra:
        wanted = Path(extra).resolve()
        for label, path in choices.items():
            if path == wanted:
                return label
    if BASELINE_CHOICE in choices:
        return BASELINE_CHOICE
    return next(iter(choices))


def knobs(scenario: Scenario) -> list[Knob]:
    """The sliders a scenario offers; each one's paths exist in it.

    War cost and risk acceptance of every party with a war option (Russia in the
    baseline, both sides in Fearon's games), patience of subgame-perfect or
    discounting players (Rubinstein), and the length in hours of every round.
    """
    found: list[Knob] = []
    for actor_id, actor in scenario.actors.items():
        if actor.role != "party":
            continue
        if actor.war is not None:
            found.append(
                Knob(
                    f"{actor.name}: cost of war",
                    (f"actors.{actor_id}.war.cost",),
                    0.0,
                    1.0,
                    0.01,
                    round(param_mean(actor.war.cost), 2),
                )
            )
            found.append(
                Knob(
                    f"{actor.name}: risk acceptance",
                    (f"actors.{actor_id}.risk_acceptance",),
                    0.0,
                    1.0,
                    0.01,
                    round(param_mean(actor.risk_acceptance), 2),
                )
            )
        discount = param_mean(actor.discount)
        if actor.strategy.kind == "subgame_perfect" or discount < 1.0:
            found.append(
                Knob(
                    f"{actor.name}: patience (discount per exchange)",
                    (f"actors.{actor_id}.discount",),
                    0.5,
                    0.99,
                    0.01,
                    round(min(max(discount, 0.5), 0.99), 2),
                )
            )
    hours = [r.hours for r in scenario.rounds]
    mean = round(2 * sum(hours) / len(hours)) / 2  # to the half hour
    found.append(
        Knob(
            "Hours per round" if len(hours) > 1 else "Hours of the round",
            tuple(f"rounds.{index}.hours" for index in range(len(hours))),
            0.5,
            min(240.0, max(48.0, 2 * max(hours))),
            0.5,
            max(0.5, mean),
        )
    )
    return found


def overrides_for(chosen: dict[str, float], available: Sequence[Knob]) -> dict[str, float]:
    """Dotted-path overrides for the sliders moved (``chosen``: value by knob label)."""
    paths: dict[str, float] = {}
    for knob in available:
        if knob.label in chosen:
            paths.update(dict.fromkeys(knob.paths, chosen[knob.label]))
    return paths


def build_model(
    scenario: Scenario, seed: int, overrides: dict[str, float]
) -> tuple[NegotiationModel | None, str]:
    """A fresh model of the scenario with overrides, or ``(None, message)`` if they are invalid."""
    try:
        changed = scenario.with_overrides(overrides)
    except UserError as err:
        return None, str(err)
    return NegotiationModel(changed, rng=seed), ""


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


def event_line(event: Event) -> str:
    """One transcript event as a line: date, round, exchange, mark and the text with its reason."""
    if event.kind == "round_open":
        return f"== {event.text} =="
    step = f" #{event.exchange}" if event.exchange else ""
    mark = MARKS.get(event.kind, "")
    return f"[{event.date} {event.round}{step}] {mark} {event.text}".replace("  ", " ")


def transcript_text(events: Sequence[Event], lines: int = TRANSCRIPT_LINES) -> str:
    """The last ``lines`` events, one per line (a note says how many came before)."""
    if not events:
        return "(nothing yet: press Step or Run to end)"
    shown = [event_line(e) for e in events[-lines:]]
    earlier = len(events) - len(shown)
    head = (
        [f"… {earlier} earlier events (see `sim run` for the whole transcript)"] if earlier else []
    )
    return "\n".join([*head, *shown])


def actor_rows(model: NegotiationModel) -> list[tuple[str, str, str, str]]:
    """(actor, name, role, highest rung so far) for every actor."""
    return [
        (
            actor_id,
            actor.name,
            actor.role,
            actor.ladder[actor.rung_level] if actor.rung_level >= 0 else "—",
        )
        for actor_id, actor in model.actors.items()
    ]


def agreed_lines(model: NegotiationModel) -> list[str]:
    """One line per issue agreed so far."""
    lines = []
    for issue, agreement in model.agreements.items():
        label = f" ({agreement.label})" if agreement.label else ""
        lines.append(f"{issue}: {short(agreement.position)}{label}, in {agreement.round}")
    return lines


@solara.component
def ActorTable(rows: list[tuple[str, str, str, str]]) -> Any:
    """The actors and the highest rung each has climbed."""
    head = rv.Html(
        tag="thead",
        children=[
            rv.Html(
                tag="tr",
                children=[rv.Html(tag="th", children=[t]) for t in ("Actor", "Role", "Rung")],
            )
        ],
    )
    body = rv.Html(
        tag="tbody",
        children=[
            rv.Html(
                tag="tr",
                children=[
                    rv.Html(tag="td", children=[f"{name} ({actor_id})"]),
                    rv.Html(tag="td", children=[role]),
                    rv.Html(tag="td", children=[rung], class_="sim-rung"),
                ],
            )
            for actor_id, name, role, rung in rows
        ],
    )
    return rv.SimpleTable(dense=True, children=[head, body])


@solara.component
def Outcome(result: RunResult) -> Any:
    """The outcome block and the concession figure of an ended run."""
    from sim.viz.plots import concession_plot

    figure = solara.use_memo(lambda: concession_plot(result), [id(result)])
    with solara.Column() as column:
        solara.Preformatted("\n".join(render_outcome(result)), class_="sim-outcome")
        solara.FigureMatplotlib(figure, dependencies=[id(result)], format="png")
    return column


@solara.component
def Page() -> Any:
    """The page: controls on the left, the run so far on the right."""
    extra = os.environ.get(SCENARIO_ENV) or None
    choices = solara.use_memo(lambda: scenario_choices(extra), [extra])
    choice, set_choice = solara.use_state(default_choice(choices, extra))
    loaded = solara.use_memo(lambda: _load(choices[choice]), [choice])
    scenario, load_error = loaded
    seed, set_seed = solara.use_state(scenario.seed if scenario else 0)
    empty: dict[str, float] = {}
    moved, set_moved = solara.use_state(empty)  # slider values by label, only those moved
    resets, set_resets = solara.use_state(0)
    tick, set_tick = solara.use_state(0)  # bumped after stepping, to show the mutated model

    available = solara.use_memo(lambda: knobs(scenario) if scenario else [], [choice])
    overrides = overrides_for(moved, available)
    key = tuple(sorted(overrides.items()))
    built = solara.use_memo(
        lambda: build_model(scenario, seed, overrides) if scenario else (None, ""),
        [choice, seed, key, resets],
    )
    model, build_error = built
    refresh: Callable[[], None] = lambda: set_tick(lambda tick: tick + 1)  # noqa: E731

    def choose(label: str) -> None:
        set_choice(label)
        new, _ = _load(choices[label])
        set_seed(new.seed if new else 0)
        set_moved({})

    def change_seed(value: int | None) -> None:
        if value is not None and value >= 0:
            set_seed(value)

    def step() -> None:
        if model is not None and model.running:
            model.step()
            refresh()

    def run_to_end() -> None:
        if model is not None and model.running:
            model.run_to_end()
            refresh()

    solara.Title("sim: negotiation classroom")
    with solara.Columns([1, 3]) as page:
        with solara.Column():
            solara.Select("Scenario", values=list(choices), value=choice, on_value=choose)
            solara.InputInt("Seed", value=seed, on_value=change_seed)
            for knob in available:
                solara.SliderFloat(
                    knob.label,
                    value=moved.get(knob.label, knob.value),
                    min=knob.low,
                    max=knob.high,
                    step=knob.step,
                    on_value=_mover(set_moved, knob.label),
                )
            if moved:
                solara.Button("Scenario values", on_click=lambda: set_moved({}), text=True)
            with solara.Row():
                running = model is not None and model.running
                solara.Button("Step", on_click=step, disabled=not running, color="primary")
                solara.Button("Run to end", on_click=run_to_end, disabled=not running)
                solara.Button("Reset", on_click=lambda: set_resets(lambda r: r + 1))
        with solara.Column():
            if load_error or build_error or scenario is None or model is None:
                solara.Error(load_error or build_error or "no scenario")
            else:
                _RunView(scenario, model, overrides, tick)
    return page


@solara.component
def _RunView(
    scenario: Scenario, model: NegotiationModel, overrides: dict[str, float], tick: int
) -> Any:
    """The run so far: position, transcript, actors, agreements and, at the end, the outcome.

    ``tick`` changes after every Step or Run to end: the model is mutated in place,
    so without it the view would look unchanged to solara and not render again.
    """
    ended = not model.running and model.outcome is not None
    result = solara.use_memo(lambda: model.result() if ended else None, [id(model), ended])
    with solara.Column() as view:
        solara.Markdown(f"### {scenario.name}\n{scenario.description}")
        if overrides:
            changed = ", ".join(f"{path} = {value:g}" for path, value in overrides.items())
            solara.Text(f"Overrides: {changed}", classes=["sim-overrides"])
        solara.Text(position(model), classes=["sim-position"])
        solara.Preformatted(
            transcript_text(model.events),
            class_="sim-transcript",
            style_="font-family: monospace; white-space: pre-wrap; font-size: 0.85em",
        )
        with solara.Row():
            ActorTable(actor_rows(model))
            agreed = agreed_lines(model)
            solara.Preformatted(
                "Agreed:\n" + ("\n".join(agreed) if agreed else "nothing yet"),
                class_="sim-agreed",
            )
        if result is not None:
            Outcome(result)
    return view


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
