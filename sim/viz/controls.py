"""The classroom page's controls as data: the scenario menu, the sliders, their overrides.

Which scenarios the menu offers, which sliders a scenario gets (and the dotted
paths each one overrides), and the model built from a choice: plain functions,
tested without a browser, that :mod:`sim.viz.app` lays out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.errors import UserError
from sim.model.model import NegotiationModel
from sim.scenario.distributions import param_mean
from sim.scenario.loader import shipped_scenarios
from sim.scenario.schema import Actor, Scenario

BASELINE_CHOICE = "january_2022.yaml"
"""The shipped scenario chosen when no file is given."""


@dataclass(frozen=True)
class KnobSpec:
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
    return shipped_scenarios()


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


def knobs(scenario: Scenario) -> list[KnobSpec]:
    """The sliders a scenario offers; each one's paths exist in it.

    War cost and risk acceptance of every party with a war option (Russia in the
    baseline, both sides in Fearon's games), a client's defection cost and its
    patron's stake, each stake in others' wars, patience of subgame-perfect or
    discounting players (Rubinstein), and the length in hours of every round.
    """
    found: list[KnobSpec] = []
    for actor_id, actor in scenario.actors.items():
        if actor.role != "party":
            continue
        if actor.war is not None:
            found.append(
                KnobSpec(
                    f"{actor.name}: cost of war",
                    (f"actors.{actor_id}.war.cost",),
                    0.0,
                    1.0,
                    0.01,
                    round(param_mean(actor.war.cost), 2),
                )
            )
            found.append(
                KnobSpec(
                    f"{actor.name}: risk acceptance",
                    (f"actors.{actor_id}.risk_acceptance",),
                    0.0,
                    1.0,
                    0.01,
                    round(param_mean(actor.risk_acceptance), 2),
                )
            )
        if actor.client_of is not None:
            found.extend(_client_knobs(actor_id, actor))
        for target, stake in actor.war_stakes.items():
            found.append(
                KnobSpec(
                    f"{actor.name}: stake in a war on {scenario.actors[target].name}",
                    (f"actors.{actor_id}.war_stakes.{target}",),
                    0.0,
                    1.0,
                    0.01,
                    round(param_mean(stake), 2),
                )
            )
        discount = param_mean(actor.discount)
        if actor.strategy.kind == "subgame_perfect" or discount < 1.0:
            found.append(
                KnobSpec(
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
        KnobSpec(
            "Hours per round" if len(hours) > 1 else "Hours of the round",
            tuple(f"rounds.{index}.hours" for index in range(len(hours))),
            0.5,
            min(240.0, max(48.0, 2 * max(hours))),
            0.5,
            max(0.5, mean),
        )
    )
    return found


def _client_knobs(actor_id: str, actor: Actor) -> list[KnobSpec]:
    """A client's defection cost, and its patron's stake when a war may come its way."""
    client = actor.client_of
    assert client is not None
    path = f"actors.{actor_id}.client_of"
    found = [
        KnobSpec(
            f"{actor.name}: defection cost",
            (f"{path}.defection_cost",),
            0.0,
            1.0,
            0.01,
            round(param_mean(client.defection_cost), 2),
        )
    ]
    if param_mean(client.stake) > 0:
        found.append(
            KnobSpec(
                f"{actor.name}: stake of its patron",
                (f"{path}.stake",),
                0.0,
                1.0,
                0.01,
                round(param_mean(client.stake), 2),
            )
        )
    return found


def overrides_for(chosen: dict[str, float], available: Sequence[KnobSpec]) -> dict[str, float]:
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
