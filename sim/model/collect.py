"""What a run records step by step, Mesa's way: a ``DataCollector`` with model and agent reporters.

:func:`make_collector` builds the collector :class:`~sim.model.model.NegotiationModel`
keeps as ``model.datacollector``. It collects once when the model is built (step
0, the state before the talks) and once after every ``step()``, so
``get_model_vars_dataframe()`` has one row per step, indexed by step:

* model reporters: ``date``, ``round``, ``agreed`` (issues agreed
  so far), ``war`` (whether a war has begun) and ``state.<issue>`` (the position
  each issue holds: the status quo until it is agreed), ``exchange`` (the
  exchange the step played in its round, 0 between rounds and after them);
* agent reporters, for the actors only (``get_agenttype_vars_dataframe(ActorAgent)``,
  one row per step and actor): ``actor``, ``aim`` (what its own side's latest
  offer is worth to it: it falls as it concedes; NaN before its first offer,
  and always NaN without the transcript, which batches leave off), ``rung``
  (the rung it stands on, ``None`` below the first), ``level`` (its index, -1
  below the first), ``costs`` (of its own escalation, plus pressure received),
  ``beliefs`` (per other actor, the posterior mean of each private parameter it
  is unsure of, e.g. ``{"russia": {"risk_acceptance": 0.57}}``).

Reporters only read the model: collecting changes no draw and no result.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from mesa import DataCollector

from sim.model.agents import ActorAgent

if TYPE_CHECKING:
    from sim.model.model import NegotiationModel


def _date(model: NegotiationModel) -> str:
    return model.today().isoformat()


def _round(model: NegotiationModel) -> str:
    return model.current_round_id()


def _agreed(model: NegotiationModel) -> int:
    return len(model.agreements)


def _war(model: NegotiationModel) -> bool:
    return model.war is not None


def _state(model: NegotiationModel, issue: str) -> float:
    return float(model.state[issue])


def model_reporters(model: NegotiationModel) -> dict[str, Callable[[NegotiationModel], Any]]:
    """The per-step model reporters, one ``state.<issue>`` column per issue of the scenario."""
    reporters: dict[str, Callable[[NegotiationModel], Any]] = {
        "date": _date,
        "round": _round,
        "agreed": _agreed,
        "war": _war,
    }
    for issue in model.issue_specs:
        reporters[f"state.{issue}"] = partial(_state, issue=issue)
    return reporters


class Exchanges:
    """The exchange a step played: 1, 2, ... within a round, 0 between rounds and after them.

    The model's step is one exchange of a round, so counting the steps spent in
    the current round numbers them. Mesa calls a bound method reporter without
    arguments, hence the model kept here.
    """

    def __init__(self, model: NegotiationModel) -> None:
        self.model = model
        self.round = ""
        self.count = 0

    def exchange(self) -> int:
        """The number of the exchange the last step played (0 outside a round)."""
        round_id = self.model.current_round_id()
        if self.model.steps == 0 or ":" in round_id or round_id == "aftermath":
            self.round, self.count = round_id, 0
            return 0
        self.count = self.count + 1 if round_id == self.round else 1
        self.round = round_id
        return self.count


class Aims:
    """Each actor's latest aim, read from the offers in the transcript as they arrive.

    An offer is made by a side (an actor or a bloc); the worth it records for
    that side is its speaker's, so a bloc's offer sets its speaker's aim.
    """

    def __init__(self, model: NegotiationModel) -> None:
        self.model = model
        self.seen = 0
        self.latest: dict[str, float] = {}
        self.speakers = {bloc_id: bloc.speaker for bloc_id, bloc in model.spec.blocs.items()}

    def aim(self, agent: ActorAgent) -> float:
        """What the latest offer of the agent's side is worth to it (NaN before any)."""
        events = self.model.events
        for event in events[self.seen :]:
            if event.kind == "offer" and event.actor in event.utilities:
                who = self.speakers.get(event.actor) or event.actor
                self.latest[who] = event.utilities[event.actor]
        self.seen = len(events)
        return self.latest.get(agent.actor_id, math.nan)


def _actor(agent: ActorAgent) -> str:
    return agent.actor_id


def _rung(agent: ActorAgent) -> str | None:
    return agent.ladder[agent.rung_level] if agent.rung_level >= 0 else None


def _level(agent: ActorAgent) -> int:
    return agent.rung_level


def _costs(agent: ActorAgent) -> float:
    return agent.costs_incurred + agent.pressure_received


def _beliefs(agent: ActorAgent) -> dict[str, dict[str, float]]:
    return {
        about: {name: round(belief.mean(name, math.nan), 4) for name in belief.names()}
        for about, belief in agent.beliefs.items()
        if belief.names()
    }


def make_collector(model: NegotiationModel) -> DataCollector:
    """The model's DataCollector: per-step model reporters and per-actor reporters."""
    aims = Aims(model)
    reporters: dict[str, Any] = model_reporters(model)
    reporters["exchange"] = Exchanges(model).exchange
    actor_reporters: dict[str, Callable[[ActorAgent], Any]] = {
        "actor": _actor,
        "aim": aims.aim,
        "rung": _rung,
        "level": _level,
        "costs": _costs,
        "beliefs": _beliefs,
    }
    return DataCollector(
        model_reporters=reporters,
        agenttype_reporters={ActorAgent: actor_reporters},
    )
