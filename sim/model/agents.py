"""The actors as Mesa agents: realised private types, running costs, and their decisions."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.analysis.no_deal import scheduled_change
from sim.model.beliefs import Belief
from sim.model.escalation import RungEffect, climb_decision, war_value
from sim.model.strategies import ConcessionStrategy, make_strategy
from sim.model.utility import Stance, Valuation, package_utility
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
        self.process_deadline = spec.strategy.deadline == "process"
        self.walks_out = spec.strategy.walk_out
        self.linkage = spec.linkage
        self.delay_cost = draw_param(spec.delay_cost, rng, 0.0, 1.0)
        self.walk_away = None if spec.no_deal is None else draw_param(spec.no_deal, rng, 0.0, 1.0)
        self.no_deal_changes = [(c.date, c.by) for c in spec.no_deal_changes]
        self.no_deal_reasons = [c.why for c in spec.no_deal_changes]
        self.stances: dict[str, Stance] = draw_stances(spec, scenario, rng)
        self.core = {issue for issue, p in spec.positions.items() if p.core}
        self.ladder = list(spec.escalation)
        self.rung_level = -1
        self.highest_level = -1
        self.stance_version = 0
        self._valuations: dict[tuple[str, ...], Valuation] = {}
        self._valuations_version = 0
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
        # Beliefs about the others' private types; filled in by the model once every
        # actor's type has been drawn (sim.model.beliefs).
        self.beliefs: dict[str, Belief] = {}
        self.breach_penalty = (
            None if spec.breach is None else draw_param(spec.breach.penalty, rng, 0.0, 1.0)
        )
        client = spec.client_of
        self.patron = None if client is None else client.patron
        """The patron that accepts on its behalf, if it is a client (model section 7.35)."""
        self.defection_cost = (
            0.0 if client is None else draw_param(client.defection_cost, rng, 0.0, 1.0)
        )
        self.patron_stake = 0.0 if client is None else draw_param(client.stake, rng, 0.0, 1.0)
        self.war_stakes = {
            target: draw_param(cost, rng, 0.0, 1.0) for target, cost in spec.war_stakes.items()
        }
        """What a war against each named actor would cost it (model section 7.37)."""
        self.soften = draw_param(spec.mandate.soften, rng, 0.0, 1.0)
        self.audience_cost = draw_param(spec.mandate.audience_cost, rng, 0.0, 1.0)
        self.costs_incurred = 0.0
        self.pressure_received = 0.0
        self.pressure_since_revision = 0.0
        self.deterrence_received = 0.0
        self._held_below: str | None = None
        self._rivals_level = 0
        self.pressure_applied: list[tuple[str, list[str]]] = []
        # Upkeep of rungs it stands on: (per day, day climbed), one per rung held;
        # what rungs it has left cost while it stood on them.
        self._upkeep_running: list[tuple[float, int]] = []
        self._upkeep_paid = 0.0

    def drawn_type(self) -> dict[str, float]:
        """What the run drew for it (fixed values included), as numbers by parameter name.

        Names: ``capability``, ``risk_acceptance``, ``discount``, ``delay_cost``,
        ``no_deal`` (with a walk-away value), ``win_probability`` and ``war_cost``
        (with a war option), ``red_line.<issue>`` and ``salience.<issue>``.
        """
        drawn = {
            "capability": self.capability,
            "risk_acceptance": self.risk_acceptance,
            "discount": self.discount,
            "delay_cost": self.delay_cost,
        }
        if self.walk_away is not None:
            drawn["no_deal"] = self.walk_away
        if self.war is not None:
            drawn["win_probability"] = self.war.win_probability
            drawn["war_cost"] = self.war.cost
        for issue, stance in self.stances.items():
            drawn[f"red_line.{issue}"] = stance.red_line
            drawn[f"salience.{issue}"] = stance.salience
        return {name: round(float(value), 6) for name, value in drawn.items()}

    # --- values -----------------------------------------------------------------------------

    def utility(self, package: Mapping[str, float], issues: list[str] | None = None) -> float:
        """Salience-weighted value of positions (over ``issues``, default all it holds).

        The valuation of each set of issues is prepared once (:class:`Valuation`) and
        kept until its stances change (a new mandate).
        """
        key = tuple(package if issues is None else issues)
        if self._valuations_version != self.stance_version:
            self._valuations.clear()
            self._valuations_version = self.stance_version
        valuation = self._valuations.get(key)
        if valuation is None:
            valuation = self._valuations[key] = Valuation.of(self.stances, key)
        return valuation(package)

    def red_line_utility(self, issues: list[str]) -> float:
        """Utility of the worst acceptable package: every issue at its red line."""
        package = {i: self.stances[i].red_line for i in issues if i in self.stances}
        return package_utility(self.stances, package) if package else 0.0

    def drift(self) -> float:
        """What the days since the first round have taken off its no-deal outcome."""
        return self.delay_cost * self.model.days_elapsed()

    def upkeep(self) -> float:
        """What standing on its rungs has cost it so far (each rung's upkeep times days held)."""
        today = self.model.days_elapsed()
        return self._upkeep_paid + sum(u * (today - day) for u, day in self._upkeep_running)

    def no_deal_value(self, state: Mapping[str, float], issues: list[str] | None = None) -> float:
        """What no agreement is worth: the state (or walk-away value) less pressure and erosion.

        Erosion is the delay cost, the upkeep of rungs it has stood on, and the
        dated changes that have taken effect. Only the delay cost also erodes its
        war option: a war ends the standoff whose upkeep it pays, and the dated
        changes are to the status quo.
        """
        base = self.walk_away if self.walk_away is not None else self.utility(state, issues)
        if self.no_deal_changes:
            # Capped at 1: no outcome is worth more than the best one.
            base = min(1.0, base + scheduled_change(self.no_deal_changes, self.model.today()))
        value = base - self.pressure_received - self.drift()
        if self._upkeep_running or self._upkeep_paid:
            value -= self.upkeep()
        return value

    def war_value(
        self,
        cost: float | None = None,
        win_probability: float | None = None,
        risk_acceptance: float | None = None,
    ) -> float | None:
        """Its war lottery ``p ** k - c - deterrence - erosion``, or None without a war option.

        The arguments replace its own values (a type another actor considers);
        ``k`` comes from its risk acceptance (:func:`sim.analysis.fearon.war_value`).
        """
        if self.war is None:
            return None
        return (
            war_value(
                self.war.win_probability if win_probability is None else win_probability,
                self.war.cost if cost is None else cost,
                self.deterrence_received,
                self.risk_acceptance if risk_acceptance is None else risk_acceptance,
            )
            - self.drift()
        )

    def core_in(self, issues: list[str]) -> bool:
        """Whether these issues include one of its core demands (every issue if none is core)."""
        core = self.core or set(self.stances)
        return any(issue in core for issue in issues)

    def core_unmet(self, state: Mapping[str, float]) -> list[str]:
        """Core issues whose present position crosses its red line."""
        core = self.core or set(self.stances)
        return sorted(i for i in core if i in state and not self.stances[i].acceptable(state[i]))

    # --- Mesa phase: escalation ---------------------------------------------------------------

    def consider_escalation(self) -> None:
        """Climb one rung if the gain is worth the cost and risk (a Mesa AgentSet verb).

        Only what is still open counts as a stake: nobody escalates over settled
        issues, and nobody at all once every issue on any agenda is agreed. An
        actor whose rivals stepped down since it last looked steps down too.
        """
        model = self.model
        if self.role != "party" or model.war is not None or model.fighting is not None:
            return  # no coercion short of war while a war is fought
        open_issues = model.open_issues()
        if not open_issues:
            return
        targets = model.opponents_of(self.actor_id)
        rivals_level = sum(t.rung_level + 1 for t in targets)
        reciprocate = rivals_level < self._rivals_level
        self._rivals_level = rivals_level
        if reciprocate and self.rung_level >= 0:
            self.step_down("its rivals stepped down")
            return
        if self.rung_level + 1 >= len(self.ladder):
            return
        rung_id = self.ladder[self.rung_level + 1]
        rung = model.rungs[rung_id]
        if not targets:
            return
        if rung.not_before is not None and model.today() < rung.not_before:
            return
        climb, gain, loss = self.climb_verdict(model.climb_effect(rung_id), open_issues)
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
        model.moves += 1
        self.highest_level = max(self.highest_level, self.rung_level)
        self.costs_incurred += rung.cost
        self._upkeep_running.append((rung.upkeep, model.days_elapsed()))
        for target in targets:
            target.pressure_received += rung.pressure
            target.pressure_since_revision += rung.pressure
            target.deterrence_received += rung.deterrence
        self.pressure_applied.append((rung_id, [t.actor_id for t in targets]))
        model.record(
            "escalate",
            self.actor_id,
            f"{self.actor_id} escalates to '{rung_id}' against "
            f"{', '.join(t.actor_id for t in targets)}: gain {gain:.3f} > cost and risk {loss:.3f}",
        )
        self._rivals_level = sum(t.rung_level + 1 for t in targets)
        model.learn_from_escalation(self, rung_id, open_issues)
        if rung.war_risk > 0 and model.rng.random() < rung.war_risk:
            model.slide_into_war(self, rung_id, rung.war_risk)

    def climb_verdict(self, rung: RungEffect, open_issues: list[str]) -> tuple[bool, float, float]:
        """Whether it climbs this rung now: (climb, gain, loss).

        Coercion and deterrence both count as gain: ``stake * pressure`` moves
        the other side at the table, and a rung's deterrence is worth the drop
        it brings in the war risk the actor believes it faces, times what that
        war would cost it (:meth:`NegotiationModel.deterrence_gain`).
        """
        stake, no_deal, at_state = self.climb_inputs(open_issues)
        own_war = self.war_value()
        war_loss = max(0.0, no_deal - own_war) if own_war is not None else at_state
        climb, gain, loss = climb_decision(self.risk_acceptance, stake, rung, war_loss)
        if rung.deterrence > 0:
            gain += self.risk_acceptance * self.model.deterrence_gain(self, rung.deterrence)
            climb = gain > loss
        return climb, gain, loss

    def climb_inputs(self, open_issues: list[str]) -> tuple[float, float, float]:
        """What a climb decision weighs that does not depend on its private type.

        Returns its stake (dissatisfaction with the open issues plus pressure
        received), its no-deal value and its utility of the present state.
        """
        state = self.model.state
        issues = [i for i in open_issues if i in self.stances]
        stake = max(0.0, 1.0 - self.utility(state, issues)) if issues else 0.0
        return stake + self.pressure_received, self.no_deal_value(state), self.utility(state)

    def note_rivals_level(self) -> None:
        """Remember how high its rivals stand now (a later drop is theirs to answer)."""
        self._rivals_level = sum(t.rung_level + 1 for t in self.model.opponents_of(self.actor_id))

    def step_down(self, why: str) -> None:
        """Leave its highest rung: the pressure and deterrence it put on its targets lift."""
        if self.rung_level < 0 or not self.pressure_applied:
            return
        rung_id, target_ids = self.pressure_applied.pop()
        per_day, since = self._upkeep_running.pop()
        self._upkeep_paid += per_day * (self.model.days_elapsed() - since)
        rung = self.model.rungs[rung_id]
        for target_id in target_ids:
            target = self.model.actors[target_id]
            target.pressure_received = max(0.0, target.pressure_received - rung.pressure)
            target.deterrence_received = max(0.0, target.deterrence_received - rung.deterrence)
        self.rung_level -= 1
        self.model.moves += 1
        self.model.record(
            "de-escalate", self.actor_id, f"{self.actor_id} steps down from '{rung_id}': {why}"
        )

    # --- Mesa phase: two-level revision -------------------------------------------------------

    def revise_mandate(self) -> None:
        """Between rounds the principal softens red lines under pressure (Putnam's two levels).

        The softening share is ``soften * pressure received since the last revision``;
        an actor that has escalated in public holds firm unless that share exceeds
        its audience cost (Fearon 1994). The audience cost guards public terms only:
        red lines on secret issues soften either way.
        """
        if self.role != "party" or self.soften <= 0:
            return
        if self.pressure_since_revision > 0:
            self._soften_under_pressure()
        self._back_down()

    def _soften_under_pressure(self) -> None:
        """Move red lines toward the opponents by ``soften`` times the pressure received."""
        model = self.model
        share = min(1.0, self.soften * self.pressure_since_revision)
        self.pressure_since_revision = 0.0
        held_in_public = self.rung_level >= 0 and share <= self.audience_cost
        secret = [i for i in self.stances if model.issue_specs[i].secret]
        if held_in_public:
            model.record(
                "mandate",
                self.actor_id,
                f"{self.actor_id} keeps its mandate"
                f"{' on public terms' if secret else ''}: softening {share:.2f} would not "
                f"cover the audience cost {self.audience_cost:.2f} of backing down",
            )
            if not secret:
                return
        moved = []
        for issue, stance in self.stances.items():
            if not model.issue_specs[issue].divisible or stance.salience <= 0:
                continue
            if held_in_public and issue not in secret:
                continue  # the public would see it: the audience cost holds it
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
            self.stance_version += 1
            model.moves += 1
            quietly = " in secret" if held_in_public else ""
            model.record(
                "mandate",
                self.actor_id,
                f"{self.actor_id} returns home for instructions and softens its red lines"
                f"{quietly} under pressure: {'; '.join(moved)}",
            )

    def _back_down(self) -> None:
        """Give way on red lines when holding them costs more than backing down (section 7.38).

        For each package the table settles together, the principal looks at the
        offers put to its delegation this round that crossed its red lines. If the
        best of them, less the audience cost of backing down on public terms after
        a public escalation (Fearon 1994), is worth more than holding out (its BATNA
        on those issues: no deal, or the war it believes no deal brings), it
        authorises that offer: the crossed red lines move to it.
        """
        model = self.model
        held = [i for i in model.open_issues() if i in self.stances]
        for group in model.tabled_groups(held):
            issues = [i for i in group if i in self.stances]
            best: tuple[float, dict[str, float], list[str]] | None = None
            for receivers, package in model.tabled:
                if self.actor_id not in receivers or not all(i in package for i in issues):
                    continue
                crossed = [i for i in issues if not self.stances[i].acceptable(package[i])]
                if not crossed:
                    continue
                worth = self.utility(package, issues)
                if best is None or worth > best[0] + 1e-12:
                    best = (worth, package, crossed)
            if best is None:
                continue
            worth, package, crossed = best
            public = [i for i in crossed if not model.issue_specs[i].secret]
            cost = self.audience_cost if self.rung_level >= 0 and public else 0.0
            holding = model.batna(self, issues)
            if worth - cost <= holding + 1e-9:
                if worth > holding + 1e-9:
                    model.record(
                        "mandate",
                        self.actor_id,
                        f"{self.actor_id} keeps its mandate on {', '.join(issues)}: an offer it "
                        f"was made is worth {worth:.2f} to it, more than holding out "
                        f"({holding:.2f}), but not by the audience cost {cost:.2f} of backing "
                        "down",
                    )
                continue
            moved = []
            for issue in crossed:
                stance = self.stances[issue]
                moved.append(f"{issue} {stance.red_line:.1f} → {package[issue]:.1f}")
                self.stances[issue] = Stance(
                    stance.ideal,
                    package[issue],
                    stance.salience,
                    stance.low,
                    stance.high,
                    stance.shape,
                )
            self.stance_version += 1
            model.moves += 1
            paid = f", less the audience cost {cost:.2f}," if cost > 0 else ""
            model.record(
                "mandate",
                self.actor_id,
                f"{self.actor_id} backs down on {', '.join(issues)}: an offer it was made is "
                f"worth {worth:.2f} to it{paid} more than holding out ({holding:.2f}); its "
                f"principal authorises it: {'; '.join(moved)}",
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
