"""The actors as Mesa agents: realised private types, running costs, and their decisions."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.model.escalation import climb_decision, updated_belief, war_value
from sim.model.strategies import ConcessionStrategy, make_strategy
from sim.model.utility import Stance, package_utility
from sim.scenario.distributions import draw_param
from sim.scenario.schema import Actor, Scenario

if TYPE_CHECKING:
    from sim.model.model import NegotiationModel


@dataclass(slots=True)
class WarOption:
    """A realised military option (Fearon's lottery as the actor believes it)."""

    against: str
    win_probability: float
    cost: float


class ActorAgent(mesa.Agent):
    """One actor: its stances, strategy, ladder position and what the talks have cost it."""

    model: NegotiationModel

    def __init__(
        self, model: NegotiationModel, actor_id: str, spec: Actor, scenario: Scenario
    ) -> None:
        super().__init__(model)
        rng = model.rng
        self.actor_id = actor_id
        self.name = spec.name
        self.role = spec.role
        self.capability = draw_param(spec.capability, rng, 0.0, 1.0)
        self.risk_acceptance = draw_param(spec.risk_acceptance, rng, 0.0, 1.0)
        self.discount = draw_param(spec.discount, rng, 0.0, 1.0)
        self.strategy: ConcessionStrategy = make_strategy(spec.strategy)
        self.strategy_kind = spec.strategy.kind
        self.linkage = spec.linkage
        self.stances: dict[str, Stance] = draw_stances(spec, scenario, rng)
        self.core = {issue for issue, p in spec.positions.items() if p.core}
        self.ladder = list(spec.escalation)
        self.rung_level = -1
        self.war: WarOption | None = None
        if spec.war is not None:
            self.war = WarOption(
                against=spec.war.against,
                # Without declared odds the model fills in the capability share once
                # every actor's capability has been drawn (NegotiationModel.__init__).
                win_probability=(
                    math.nan
                    if spec.war.win_probability is None
                    else draw_param(spec.war.win_probability, rng, 0.0, 1.0)
                ),
                cost=draw_param(spec.war.cost, rng, 0.0, 1.0),
            )
        self.beliefs: dict[str, float] = {
            other: draw_param(belief.win_probability, rng, 0.0, 1.0)
            for other, belief in spec.beliefs.items()
        }
        self.soften = draw_param(spec.mandate.soften, rng, 0.0, 1.0)
        self.audience_cost = draw_param(spec.mandate.audience_cost, rng, 0.0, 1.0)
        self.costs_incurred = 0.0
        self.pressure_received = 0.0
        self.pressure_since_revision = 0.0
        self.deterrence_received = 0.0
        self._held_below: str | None = None

    # --- values -----------------------------------------------------------------------------

    def utility(self, package: Mapping[str, float], issues: list[str] | None = None) -> float:
        """Salience-weighted value of positions (over ``issues``, default all it holds)."""
        keys = [i for i in (issues if issues is not None else package) if i in self.stances]
        return package_utility(self.stances, package, keys)

    def red_line_utility(self, issues: list[str]) -> float:
        """Utility of the worst acceptable package: every issue at its red line."""
        package = {i: self.stances[i].red_line for i in issues if i in self.stances}
        return package_utility(self.stances, package) if package else 0.0

    def no_deal_value(self, state: Mapping[str, float], issues: list[str] | None = None) -> float:
        """What no agreement is worth: the present state minus pressure received."""
        return self.utility(state, issues) - self.pressure_received

    def war_value(self) -> float | None:
        """Its own war lottery p - c - deterrence received, or None without a war option."""
        if self.war is None:
            return None
        return war_value(self.war.win_probability, self.war.cost, self.deterrence_received)

    def core_unmet(self, state: Mapping[str, float]) -> list[str]:
        """Core issues whose present position crosses its red line."""
        core = self.core or set(self.stances)
        return sorted(i for i in core if i in state and not self.stances[i].acceptable(state[i]))

    # --- Mesa phase: escalation ---------------------------------------------------------------

    def consider_escalation(self) -> None:
        """Climb one rung if the gain is worth the cost and risk (a Mesa AgentSet verb)."""
        model = self.model
        if self.role != "party" or model.war is not None:
            return
        if self.rung_level + 1 >= len(self.ladder):
            return
        rung_id = self.ladder[self.rung_level + 1]
        rung = model.rungs[rung_id]
        targets = model.opponents_of(self.actor_id)
        if not targets:
            return
        state = model.state
        stake = max(0.0, 1.0 - self.utility(state)) + self.pressure_received
        own_war = self.war_value()
        if own_war is not None:
            war_loss = max(0.0, self.no_deal_value(state) - own_war)
        else:
            war_loss = self.utility(state)
        climb, gain, loss = climb_decision(self.risk_acceptance, stake, rung, war_loss)
        if not climb:
            if self._held_below == rung_id:
                return
            self._held_below = rung_id
            model.record(
                "hold",
                self.actor_id,
                f"{self.actor_id} holds below '{rung_id}': gain {gain:.3f} ≤ cost and risk {loss:.3f}",
            )
            return
        self.rung_level += 1
        self.costs_incurred += rung.cost
        for target in targets:
            target.pressure_received += rung.pressure
            target.pressure_since_revision += rung.pressure
            target.deterrence_received += rung.deterrence
        for observer in model.parties():
            if self.actor_id in observer.beliefs and self.war is not None:
                observer.beliefs[self.actor_id] = updated_belief(
                    observer.beliefs[self.actor_id], self.war.win_probability, rung.severity
                )
        model.record(
            "escalate",
            self.actor_id,
            f"{self.actor_id} escalates to '{rung_id}' against "
            f"{', '.join(t.actor_id for t in targets)}: gain {gain:.3f} > cost and risk {loss:.3f}",
        )
        if rung.war_risk > 0 and model.rng.random() < rung.war_risk:
            model.slide_into_war(self, rung_id, rung.war_risk)

    # --- Mesa phase: two-level revision -------------------------------------------------------

    def revise_mandate(self) -> None:
        """Between rounds the principal softens red lines under pressure (Putnam's two levels).

        The softening share is ``soften * pressure received since the last revision``;
        an actor that has escalated in public holds firm unless that share exceeds
        its audience cost (Fearon 1994).
        """
        model = self.model
        if self.role != "party" or self.soften <= 0 or self.pressure_since_revision <= 0:
            return
        share = min(1.0, self.soften * self.pressure_since_revision)
        self.pressure_since_revision = 0.0
        if self.rung_level >= 0 and share <= self.audience_cost:
            model.record(
                "mandate",
                self.actor_id,
                f"{self.actor_id} keeps its mandate: softening {share:.2f} would not cover "
                f"the audience cost {self.audience_cost:.2f} of backing down",
            )
            return
        moved = []
        for issue, stance in self.stances.items():
            if not model.issue_specs[issue].divisible or stance.salience <= 0:
                continue
            other_ideals = [
                o.stances[issue].ideal
                for o in model.opponents_of(self.actor_id)
                if issue in o.stances
            ]
            if not other_ideals:
                continue
            toward = float(np.mean(other_ideals))
            if (toward - stance.red_line) * (stance.red_line - stance.ideal) < 0:
                continue
            new_line = stance.red_line + share * (toward - stance.red_line)
            if abs(new_line - stance.red_line) < 0.05:
                continue
            moved.append(f"{issue} {stance.red_line:.1f} → {new_line:.1f}")
            self.stances[issue] = Stance(
                stance.ideal, new_line, stance.salience, stance.low, stance.high, stance.shape
            )
        if moved:
            model.record(
                "mandate",
                self.actor_id,
                f"{self.actor_id} returns home for instructions and softens its red lines "
                f"under pressure: {'; '.join(moved)}",
            )


def draw_stances(spec: Actor, scenario: Scenario, rng: np.random.Generator) -> dict[str, Stance]:
    """Realise an actor's stances, drawing red lines and saliences inside their ranges."""
    stances = {}
    for issue_id, position in spec.positions.items():
        low, high = scenario.issues[issue_id].scale
        red_line = draw_param(position.red_line, rng, low, high)
        salience = draw_param(position.salience, rng, 0.0, float("inf"))
        stances[issue_id] = Stance(position.ideal, red_line, salience, low, high, spec.utility)
    return stances
