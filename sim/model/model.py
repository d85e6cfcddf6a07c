"""The Mesa model: plays a scenario's rounds, the time between them and the aftermath.

One ``step()`` is one exchange of a round, one return home between rounds, or
one step of the aftermath, so the classroom page can walk through a run. The
run's randomness comes only from ``rng`` (private types, activation order,
slides into war).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import mesa
import numpy as np

from sim.analysis.no_deal import linked_groups
from sim.model.agents import ActorAgent, WarOption
from sim.model.beliefs import TREMBLE, Belief, describe_move, prior_belief, type_overrides
from sim.model.collect import make_collector
from sim.model.derived import Derivation
from sim.model.escalation import (
    RungEffect,
    capability_share,
    climb_decision,
    prefers_war,
    war_value,
)
from sim.model.mediators import earned_signing_bonus, no_deal_promises, penalty_bonus
from sim.model.offers import IssueSpace
from sim.model.outcome import Agreement, Outcome, Record, RunResult, Stage, WarStart, classify
from sim.model.patronage import Defection, judge, stake_loss
from sim.model.protocols import PROTOCOLS
from sim.model.sides import CONSENSUS, DecisionRule, Side
from sim.model.transcript import Event, EventKind
from sim.scenario.distributions import draw_param
from sim.scenario.schema import Round, Scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "january_2022.yaml"

DETAIL_KINDS: frozenset[str] = frozenset({"offer", "reject", "hold", "round_open", "belief"})
"""Exchange-level event kinds, dropped when the transcript is off (fast batches)."""

WAR_TYPE = ("risk_acceptance", "war_cost", "win_probability")
"""The private parameters a climb decision depends on."""

OPPOSED = 0.5
"""Mean distance between ideals (in scale lengths) above which two actors are adversaries."""


def opposed(first: ActorAgent, second: ActorAgent) -> bool:
    """True when, on the issues both hold, their ideals are on average over half a scale apart."""
    shared = [i for i in first.stances if i in second.stances]
    if not shared:
        return False
    gaps = [
        abs(first.stances[i].ideal - second.stances[i].ideal)
        / (first.stances[i].high - first.stances[i].low)
        for i in shared
    ]
    return sum(gaps) / len(gaps) > OPPOSED


class NegotiationModel(mesa.Model):
    """Multi-round talks between actors with demands, red lines and escalation ladders.

    Args:
        scenario: A validated scenario; by default the shipped January 2022 baseline.
        rng: Seed (or numpy Generator) for every draw of the run.
        record_transcript: Keep every event (on for ``sim run``); off, for fast
            batches, drops offers, rejections, holds and round openings.
        collect: Keep Mesa's ``datacollector`` (per-step model and actor data,
            :mod:`sim.model.collect`); off, ``datacollector`` is None.
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        rng: int | None = None,
        record_transcript: bool = True,
        collect: bool = True,
    ) -> None:
        super().__init__(rng=rng)
        if scenario is None:
            from sim.scenario.loader import load_scenario

            scenario = load_scenario(BASELINE)
        self.spec = scenario
        self.seed_value = rng
        self.record_transcript = record_transcript
        self.issue_specs = scenario.issues
        self.state: dict[str, float] = {i: spec.status_quo for i, spec in scenario.issues.items()}
        self.derivation = Derivation.of(scenario.issues, self.state)
        """Derived issues, completed from the state and packages (None: none; section 7.36)."""
        self.agreements: dict[str, Agreement] = {}
        self.tabled: list[tuple[frozenset[str], dict[str, float]]] = []
        """Packages put to actors in the current round, with who received each (section 7.38)."""
        self._at_table: list[ActorAgent] = []
        """The actors seated at the current round, in seating order."""
        self.events: list[Event] = []
        self.war: WarStart | None = None
        self.fighting: WarStart | None = None
        """A war under way since the talks opened (``war.ongoing``), until a ceasefire."""
        self.ceasefire: str | None = None
        self.rounds_played = 0
        self.round_log: list[dict[str, object]] = []
        self.forecasts: dict[str, list[dict[str, object]]] = {}
        self.actors: dict[str, ActorAgent] = {
            actor_id: ActorAgent(self, actor_id, spec, scenario)
            for actor_id, spec in scenario.actors.items()
        }
        self._parties = [a for a in self.actors.values() if a.role == "party"]
        for party, on, by, why in no_deal_promises(scenario):
            self.actors[party].no_deal_changes.append((on, by))
            self.actors[party].no_deal_reasons.append(why)
        self.defections: list[Defection] = []
        """Clients that defected from a deal their patron accepted (section 7.35)."""
        for actor in self.actors.values():
            if actor.war is not None and math.isnan(actor.war.win_probability):
                target = self.actors[actor.war.against]
                actor.war.win_probability = capability_share(actor.capability, target.capability)
        self.rungs: dict[str, RungEffect] = {
            rung_id: RungEffect(
                cost=draw_param(rung.cost, self.rng, 0.0, 1.0),
                pressure=draw_param(rung.pressure, self.rng, 0.0, 1.0),
                deterrence=draw_param(rung.deterrence, self.rng, 0.0, 1.0),
                war_risk=draw_param(rung.war_risk, self.rng, 0.0, 1.0),
                severity=rung.severity,
                not_before=rung.not_before,
                upkeep=draw_param(rung.upkeep, self.rng, 0.0, 1.0),
            )
            for rung_id, rung in scenario.escalation_ladder.items()
        }
        self._spaces = {
            issue_id: IssueSpace(
                issue.scale[0],
                issue.scale[1],
                tuple(sorted(issue.labels)) if not issue.divisible else (),
            )
            for issue_id, issue in scenario.issues.items()
        }
        # Observers without a prior of their own share the common prior's particles
        # (their weights are their own), so a move is weighed once per particle set.
        common: dict[str, Belief] = {}
        for observer_id, observer in self.actors.items():
            if observer.role != "party":
                continue
            for other_id, other in self.actors.items():
                if other_id == observer_id or other.role != "party":
                    continue
                own_prior = other_id in scenario.actors[observer_id].beliefs
                if not own_prior and other_id in common:
                    shared = common[other_id]
                    observer.beliefs[other_id] = Belief(
                        other_id, shared.particles, list(shared.weights)
                    )
                    continue
                belief = prior_belief(
                    scenario.actors[observer_id],
                    other_id,
                    scenario.actors[other_id],
                    scenario,
                    self.rng,
                )
                observer.beliefs[other_id] = belief
                if not own_prior:
                    common[other_id] = belief
        self._met: dict[str, set[str]] = {actor_id: set() for actor_id in self.actors}
        self._start = scenario.rounds[0].date
        self._contested = list(dict.fromkeys(i for r in scenario.rounds for i in r.agenda))
        if self.derivation is not None:
            self._contested += self.derivation.in_play(self._contested)
        self._date = scenario.rounds[0].date
        self._changes_announced: set[tuple[str, int]] = set()
        self._groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[list[str]]] = {}
        self._ratifiers_known: set[int] = set()
        self._before: dict[str, float] = {}
        self._promised = {g.to for a in scenario.actors.values() for g in a.guarantees}
        # Parties that share others' wars: patrons with a stake, holders of war stakes.
        self._stakeholders = {a.patron for a in self._parties if a.patron and a.patron_stake > 0}
        self._stakeholders |= {a.actor_id for a in self._parties if a.war_stakes}
        self._detection = {
            issue_id: draw_param(issue.detection, self.rng, 0.0, 1.0)
            for issue_id, issue in scenario.issues.items()
            if not isinstance(issue.detection, int | float)
        }
        for actor_id, spec in scenario.actors.items():
            if spec.war is not None and spec.war.ongoing:
                self.fighting = WarStart(
                    aggressor=actor_id,
                    target=spec.war.against,
                    date=scenario.rounds[0].date.isoformat(),
                    cause="ongoing",
                    reason="under way when the talks opened, and no ceasefire was agreed",
                )
        self.breached: dict[str, tuple[str, bool]] = {}
        """Agreed issues whose term was breached: by whom, and whether it was detected."""
        self.not_ratified: dict[str, str] = {}
        self.signed: set[str] = set()
        """Issues some signed deal covered (ratified or not)."""
        self.ratified: set[str] = set()
        """Agreed issues whose deal named ratifiers passed."""
        self.implemented = False
        """True once the implementation phase ran with terms in force (section 7.31)."""
        """Issues whose signed deal a ratifier refused, with the refusal (while still open)."""
        self._round_id = scenario.rounds[0].id
        self._exchange = 0
        self._process = self._play()
        self.outcome: Outcome | None = None
        self.plan_cache: dict[tuple[object, ...], object] = {}
        self._threats: dict[tuple[object, ...], float] = {}
        self._opponents: dict[str, list[ActorAgent]] = {}
        self._reservations: dict[tuple[object, ...], float] = {}
        self._offers_seen: set[tuple[object, ...]] = set()
        self.belief_updates = 0
        """How many times any belief was conditioned (plans made before are stale)."""
        self.moves = 0
        """How many rung climbs, step-downs and mandate revisions so far: what changes
        pressure, deterrence and red lines, and so the value of every plan."""
        self.types = {a.actor_id: a.drawn_type() for a in self.parties()}
        """Each party's drawn private type, before any mandate revision."""
        self.datacollector = make_collector(self) if collect else None
        if self.datacollector is not None:
            self.datacollector.collect(self)  # step 0: the state before the talks

    # --- Mesa's step ---------------------------------------------------------------------------

    def step(self) -> None:
        """Advance one exchange (or one return home, or one aftermath step)."""
        try:
            next(self._process)
        except StopIteration:
            self.running = False
        if self.datacollector is not None:
            self.datacollector.collect(self)

    def run_to_end(self) -> RunResult:
        """Step until the run is over and return its result."""
        while self.running:
            self.step()
        return self.result()

    # --- what the protocols and agents ask of the model --------------------------------------

    def parties(self) -> list[ActorAgent]:
        """Every actor that is a party (not a mediator), in scenario order."""
        return self._parties

    def issue_spaces(self, agenda: list[str]) -> dict[str, IssueSpace]:
        """Where offers may go on each issue of an agenda (derived issues are never offered)."""
        if self.derivation is not None:
            return {i: self._spaces[i] for i in agenda if i not in self.derivation.rules}
        return {issue: self._spaces[issue] for issue in agenda}

    def open_agenda(self, agenda: list[str]) -> list[str]:
        """The agenda less the issues already agreed in earlier rounds.

        With the derived issues its open issues feed, judged with them (section 7.36).
        """
        open_ = [issue for issue in agenda if issue not in self.agreements]
        if self.derivation is not None:
            open_ += self.derivation.in_play(open_)
        return open_

    def complete(self, package: Mapping[str, float]) -> dict[str, float]:
        """The package with the derived issues it feeds (section 7.36); a copy either way."""
        if self.derivation is None:
            return dict(package)
        return self.derivation.complete(package)

    def make_side(self, side_id: str) -> Side:
        """A side for a participant id, with the absent veto holders its agreements need."""
        scenario = self.spec
        members = [self.actors[a] for a in scenario.side_members(side_id)]
        if side_id in scenario.blocs:
            speaker = self.actors[scenario.blocs[side_id].speaker]
        else:
            speaker = members[0]
        at_table = {a for p in self._current_round().participants for a in scenario.side_members(p)}
        vetoers = []
        for index, veto in enumerate(scenario.vetoes):
            binds = set(veto.binds)
            if veto.holder in at_table:
                continue
            if veto.stage == "ratification" and index not in self._ratifiers_known:
                continue  # it judges the signed text afterwards (until a refusal teaches them)
            if side_id in binds or any(m.actor_id in binds for m in members):
                vetoers.append((self.actors[veto.holder], frozenset(veto.issues)))
        rule = CONSENSUS
        if side_id in scenario.blocs and scenario.blocs[side_id].decision != "consensus":
            bloc = scenario.blocs[side_id]
            rule = DecisionRule(
                bloc.decision,
                frozenset(bloc.required),
                float(bloc.share if bloc.share is not None else 1.0),
                tuple(sorted(bloc.weights.items())),
            )
        return Side(side_id, members, speaker, vetoers, rule=rule, derived=self.derivation)

    def fingerprint(self) -> tuple[object, ...]:
        """Everything a plan depends on besides its arguments: date, agreements, moves, beliefs."""
        return (
            self._round_id,
            self._date,
            len(self.agreements),
            self.moves,
            self.belief_updates,
        )

    def process_clock(self, actor: ActorAgent, exchange: int, deadline: int) -> tuple[int, int]:
        """Exchange and deadline counted over every round ``actor`` takes part in.

        A time-dependent strategy with ``deadline: process`` concedes over the
        whole process: exchanges of its earlier rounds count as time gone by,
        and its deadline is the end of its last round.
        """
        earlier = total = 0
        current = next(r for r in self.spec.rounds if r.id == self._round_id.split(":")[0])
        seen_current = False
        for round_ in self.spec.rounds:
            members = {a for p in round_.participants for a in self.spec.side_members(p)}
            if actor.actor_id not in members:
                continue
            total += round_.exchanges
            if round_ is current:
                seen_current = True
            elif not seen_current:
                earlier += round_.exchanges
        return earlier + exchange, max(total, earlier + deadline)

    def days_elapsed(self) -> int:
        """Days since the first round opened."""
        return (self._date - self._start).days

    def today(self) -> dt.date:
        """The date the run has reached."""
        return self._date

    def current_round_id(self) -> str:
        """The round being played (``<id>:home`` between rounds, ``aftermath`` after them)."""
        return self._round_id

    def days_left(self) -> int:
        """Days from today to the end of the process (the last round plus the aftermath)."""
        end = self.spec.rounds[-1].date + dt.timedelta(days=self.spec.aftermath.days)
        return max(0, (end - self._date).days)

    def climb_effect(self, rung_id: str) -> RungEffect:
        """A rung as a climber weighs it: its cost plus its upkeep over the days left."""
        rung = self.rungs[rung_id]
        if rung.upkeep <= 0:
            return rung
        return dataclasses.replace(rung, cost=rung.cost + rung.upkeep * self.days_left())

    def note_tabled(self, receivers: Iterable[str], package: Mapping[str, float]) -> None:
        """Remember a package put to these actors this round: their principals weigh it at home."""
        self.tabled.append((frozenset(receivers), dict(package)))

    def tabled_groups(self, issues: list[str]) -> list[list[str]]:
        """These issues split into the packages this round's table settles together."""
        return self.linkage_groups(issues, self._at_table)

    def open_issues(self) -> list[str]:
        """Issues on any round's agenda not agreed yet."""
        return [issue for issue in self._contested if issue not in self.agreements]

    def batna(
        self,
        actor: ActorAgent,
        agenda: list[str],
        war_cost: float | None = None,
        win_probability: float | None = None,
        risk_acceptance: float | None = None,
    ) -> float:
        """What no agreement on these issues is worth to ``actor`` (or to a type of it).

        The present state (or its walk-away value) less pressure received and the
        erosion of time; lower if it believes another actor's war option against it
        beats that actor's no deal and these issues include that actor's core
        demands (then no deal means war: ``1 - p_believed - own war cost``);
        raised to its own war lottery when it has one and these issues include its
        own core demands (Fearon 1995). Issues outside every core demand are
        settled or not without changing whether war comes.
        """
        fought = self.fighting
        if (
            fought is not None
            and actor.actor_id in (fought.aggressor, fought.target)
            and any(self.issue_specs[i].ceasefire for i in agenda)
        ):
            return self.fighting_value(actor, war_cost, win_probability, risk_acceptance)
        no_deal = actor.no_deal_value(self.state, agenda)
        targeted = False
        for other in self.parties():
            war = other.war
            if war is None or war.against != actor.actor_id or not other.core_in(agenda):
                continue
            targeted = True
            believed_p = actor.beliefs[other.actor_id].mean("win_probability", war.win_probability)
            believed_cost = actor.beliefs[other.actor_id].mean("war_cost", war.cost)
            believed_rho = actor.beliefs[other.actor_id].mean(
                "risk_acceptance", other.risk_acceptance
            )
            believed_war = (
                war_value(believed_p, believed_cost, other.deterrence_received, believed_rho)
                - other.drift()
            )
            if believed_war > other.no_deal_value(self.state):
                own_cost = (
                    war_cost
                    if war_cost is not None
                    else (
                        actor.war.cost if actor.war and actor.war.against == other.actor_id else 0.0
                    )
                )
                no_deal = min(no_deal, 1.0 - believed_p - own_cost - actor.drift())
        if not targeted and actor.war is None:
            no_deal -= self.third_party_threat(actor, agenda)
        if actor.actor_id in self._stakeholders:
            no_deal -= stake_loss(self, actor, agenda)  # others' wars (sections 7.35, 7.37)
        if not actor.core_in(agenda):
            return no_deal
        own_war = actor.war_value(war_cost, win_probability, risk_acceptance)
        return no_deal if own_war is None else max(no_deal, own_war)

    def fighting_value(
        self,
        actor: ActorAgent,
        war_cost: float | None = None,
        win_probability: float | None = None,
        risk_acceptance: float | None = None,
    ) -> float:
        """What the war under way is worth to one of its parties if no ceasefire is agreed.

        The aggressor's war lottery (section 7.4), or for the target ``1 - p - c``
        with ``p`` the aggressor's win probability as the target believes it.
        """
        fought = self.fighting
        assert fought is not None
        if actor.actor_id == fought.aggressor:
            value = actor.war_value(war_cost, win_probability, risk_acceptance)
            assert value is not None
            return value
        aggressor = self.actors[fought.aggressor]
        assert aggressor.war is not None
        believed_p = actor.beliefs[aggressor.actor_id].mean(
            "win_probability", aggressor.war.win_probability
        )
        own = war_cost
        if own is None:
            own = actor.war.cost if actor.war and actor.war.against == aggressor.actor_id else 0.0
        return 1.0 - believed_p - own - actor.drift()

    def reservation(
        self,
        actor: ActorAgent,
        issues: list[str],
        particle: Mapping[str, float] | None = None,
    ) -> float:
        """The least a rational ``actor`` (or a type of it) takes on these issues.

        ``max(utility with every issue at its red line, BATNA)``: below it, no
        deal is better. ``particle`` replaces the actor's drawn parameters.
        """
        if particle is None:
            key = (actor.actor_id, tuple(issues), self.fingerprint())
            if key not in self._reservations:
                if len(self._reservations) > 512:
                    self._reservations.clear()
                self._reservations[key] = self.reservation(actor, issues, {})
            return self._reservations[key]
        red_lines, params = type_overrides(particle)
        keys = [i for i in issues if i in actor.stances]
        floor = 0.0
        if keys:
            package = {i: red_lines.get(i, actor.stances[i].red_line) for i in keys}
            floor = actor.utility(package, keys)
        return max(
            floor,
            self.batna(
                actor,
                issues,
                params.get("war_cost"),
                params.get("win_probability"),
                params.get("risk_acceptance"),
            ),
        )

    def learn(
        self,
        about: ActorAgent,
        why: str,
        informs: Iterable[str],
        weigh: Callable[[Belief], Sequence[float]],
    ) -> None:
        """Every party unsure of ``about`` conditions its belief on a public move.

        ``weigh(belief)`` gives each of the belief's types the likelihood of the
        move; it is evaluated once per particle set (observers sharing the
        common prior share it). Beliefs that hold none of the parameters the
        move ``informs`` are left alone.
        """
        weighed: dict[int, Sequence[float]] = {}
        for observer in self.parties():
            belief = observer.beliefs.get(about.actor_id)
            if belief is None or belief.certain or observer is about:
                continue
            held = belief.names()
            names = [n for n in informs if n in held]
            if not names:
                continue
            key = id(belief.particles)
            if key not in weighed:
                weighed[key] = weigh(belief)
            self.condition(observer, about, list(weighed[key]), why, names)

    def condition(
        self,
        observer: ActorAgent,
        about: ActorAgent,
        likelihoods: list[float],
        why: str,
        depends_on: Iterable[str] = (),
    ) -> None:
        """Bayes' rule on one belief; the transcript says where the means it informs moved."""
        belief = observer.beliefs[about.actor_id]
        version = belief.version
        moved = belief.condition(likelihoods, depends_on if self.keeps("belief") else ())
        self.belief_updates += belief.version - version
        for name, (old, new) in moved.items():
            self.record(
                "belief",
                observer.actor_id,
                describe_move(observer.actor_id, about.actor_id, name, old, new, why),
            )

    def learn_from_offer(self, proposer: ActorAgent, package: Mapping[str, float]) -> None:
        """An offer is a signal too: nobody offers beyond its own red lines.

        The types of ``proposer`` whose red line on some offered issue the
        offer crosses become unlikely, for every party that is unsure of them.
        """
        seen = (proposer.actor_id, tuple(sorted(package.items())))
        if seen in self._offers_seen:
            return  # the same offer again says nothing new
        self._offers_seen.add(seen)
        informs = [f"red_line.{i}" for i in package if i in proposer.stances]

        def weigh(belief: Belief) -> Sequence[float]:
            inside = np.ones(len(belief.particles), dtype=bool)
            for name in informs:
                issue = name.removeprefix("red_line.")
                ideal = proposer.stances[issue].ideal
                line = belief.column(name, proposer.stances[issue].red_line)
                low, high = np.minimum(ideal, line), np.maximum(ideal, line)
                inside &= (low - 1e-9 <= package[issue]) & (package[issue] <= high + 1e-9)
            return np.where(inside, 1.0, TREMBLE)

        self.learn(proposer, "its offer", informs, weigh)

    def learn_from_escalation(
        self, climber: ActorAgent, rung_id: str, open_issues: list[str]
    ) -> None:
        """A costly rung is a signal: only the types for which climbing pays climb.

        The climb rule of :func:`sim.model.escalation.climb_decision`, weighed
        for every type of the climber at once.
        """
        rung = self.climb_effect(rung_id)
        stake, no_deal, at_state = climber.climb_inputs(open_issues)

        def weigh(belief: Belief) -> Sequence[float]:
            rho = belief.column("risk_acceptance", climber.risk_acceptance)
            if climber.war is not None:
                war_loss = np.maximum(0.0, no_deal - self.war_values(climber, belief))
            else:
                war_loss = np.full(len(belief.particles), at_state)
            climbs = climb_decision(rho, stake, rung, war_loss)[0]
            return np.where(climbs, 1.0, TREMBLE)

        self.learn(climber, f"'{rung_id}'", WAR_TYPE, weigh)

    def learn_from_walk_out(self, walker: ActorAgent, agenda: list[str]) -> None:
        """A walk-out says the walker sees no deal worth its reservation: its demands are high.

        Each other party weighs the walker's types against the most its own
        red lines allow: at each of its red lines on the agenda (and the
        walker's ideal where it holds no stance). A type for which that package
        is worth its reservation would have seen a deal to make, and stayed.
        """
        held = [i for i in agenda if i in walker.stances]
        if not held:
            return
        informs = [f"red_line.{i}" for i in held]
        if walker.core_in(held):
            informs += list(WAR_TYPE)
        for observer in self.parties():
            belief = observer.beliefs.get(walker.actor_id)
            if belief is None or belief.certain or observer is walker:
                continue
            names = [n for n in informs if n in belief.names()]
            if not names:
                continue
            most = {
                i: observer.stances[i].red_line
                if i in observer.stances
                else walker.stances[i].ideal
                for i in held
            }
            worth = walker.utility(most, held)
            likelihoods = [
                1.0 if self.reservation(walker, held, particle) > worth + 1e-9 else TREMBLE
                for particle in belief.particles
            ]
            self.condition(observer, walker, likelihoods, "the walk-out", names)

    def war_threat(self, actor: ActorAgent, extra_deterrence: float = 0.0) -> float:
        """Expected loss ``actor`` believes it faces from its opponents' war options (cached).

        See :meth:`_war_threat`; the value depends only on the run's state.
        """
        key = (actor.actor_id, extra_deterrence, self.fingerprint())
        if key not in self._threats:
            if len(self._threats) > 64:
                self._threats.clear()
            self._threats[key] = self._war_threat(actor, extra_deterrence)
        return self._threats[key]

    def _war_threat(self, actor: ActorAgent, extra_deterrence: float) -> float:
        """Expected loss ``actor`` believes it faces from its opponents' war options.

        For each opponent with a war option: the belief mass on the opponent's
        types whose war lottery (less deterrence, and ``extra_deterrence``) beats
        its no deal, times what that war would cost ``actor``: for the target,
        its no-deal value less its war outcome; for a third party, the utility
        it loses if the aggressor's core demands were imposed.
        """
        threat = 0.0
        for other in self.opponents_of(actor.actor_id):
            war = other.war
            if war is None:
                continue
            belief = actor.beliefs[other.actor_id]
            odds = self.war_odds(actor, other, extra_deterrence)
            if odds <= 0:
                continue
            if war.against == actor.actor_id:
                believed_p = belief.mean("win_probability", war.win_probability)
                own_cost = (
                    actor.war.cost
                    if actor.war is not None and actor.war.against == other.actor_id
                    else 0.0
                )
                loss = actor.no_deal_value(self.state) - (1.0 - believed_p - own_cost)
            else:
                core = [i for i in (other.core or set(other.stances)) if i in actor.stances]
                imposed = dict(self.state)
                imposed.update({i: other.stances[i].ideal for i in core})
                loss = actor.utility(self.state) - actor.utility(imposed)
            threat += odds * max(0.0, loss)
        return threat

    def war_odds(
        self, observer: ActorAgent, other: ActorAgent, extra_deterrence: float = 0.0
    ) -> float:
        """``observer``'s belief mass on ``other``'s types whose war beats their no deal.

        The odds of ``other``'s war as ``observer`` believes them (section 7.13),
        with ``extra_deterrence`` taken off every type's war lottery.
        """
        belief = observer.beliefs[other.actor_id]
        no_deal = other.no_deal_value(self.state)
        values = self.war_values(other, belief)
        return float(np.dot(np.asarray(belief.weights), values - extra_deterrence > no_deal))

    def war_values(self, other: ActorAgent, belief: Belief) -> np.ndarray:
        """``other``'s war lottery under each of a belief's types (as an array)."""
        war = other.war
        assert war is not None
        p = belief.column("win_probability", war.win_probability)
        cost = belief.column("war_cost", war.cost)
        rho = belief.column("risk_acceptance", other.risk_acceptance)
        return war_value(p, cost, other.deterrence_received, rho) - other.drift()

    def third_party_threat(self, actor: ActorAgent, agenda: list[str]) -> float:
        """The war risk an actor that is no war's party believes no deal on ``agenda`` runs.

        Only opponents whose core demands are on the agenda count: failing to
        settle them is what would bring their war. Cached per state of the run.
        """
        if not any(
            other.war is not None and other.core_in(agenda)
            for other in self.opponents_of(actor.actor_id)
        ):
            return 0.0
        return self.war_threat(actor)

    def deterrence_gain(self, actor: ActorAgent, deterrence: float) -> float:
        """How much a rung's deterrence lowers the war threat ``actor`` believes it faces."""
        if deterrence <= 0:
            return 0.0
        return max(0.0, self.war_threat(actor) - self.war_threat(actor, deterrence))

    def linkage_groups(self, agenda: list[str], actors: list[ActorAgent]) -> list[list[str]]:
        """The agenda split into packages settled together, by these actors' linkage.

        ``linkage: true`` ties the agenda's substantive issues into one package;
        a list of groups ties each group; groups that share an issue merge
        (:func:`sim.analysis.no_deal.linked_groups`).
        """
        key = (tuple(agenda), tuple(actor.actor_id for actor in actors))
        if key not in self._groups:
            procedural = [i for i in agenda if self.issue_specs[i].procedural]
            linkages: list[bool | list[list[str]]] = [actor.linkage for actor in actors]
            if self.derivation is not None:
                linkages.append(self.derivation.ties(agenda))  # settled with its issues
            self._groups[key] = linked_groups(agenda, linkages, procedural)
        return [list(group) for group in self._groups[key]]

    def opponents_of(self, actor_id: str) -> list[ActorAgent]:
        """Its adversaries: actors faced across a table whose aims oppose its own, and war parties.

        Sitting on different sides of a table is not enough (in Vienna the United
        States and Ukraine are separate sides but allies): a counterpart counts as
        an opponent when, on the issues both hold, their ideals lie on average more
        than half a scale apart (:data:`OPPOSED`).
        """
        if actor_id in self._opponents:
            return self._opponents[actor_id]
        actor = self.actors[actor_id]
        faced = {other for other in self._met[actor_id] if opposed(actor, self.actors[other])}
        if actor.war is not None:
            faced.add(actor.war.against)
        for other in self.parties():
            if other.war is not None and other.war.against == actor_id:
                faced.add(other.actor_id)
        faced.discard(actor_id)
        found = [a for a in self.actors.values() if a.actor_id in faced and a.role == "party"]
        self._opponents[actor_id] = found
        return found

    def ratification(self, deal: Mapping[str, float]) -> tuple[list[str], str | None]:
        """Who must ratify a signed deal, and the first refusal with its reason (or None).

        The ratification-stage veto holders over any of the deal's issues whose
        veto binds a side at the table judge the deal on their vetoed issues: it
        must lie inside their red lines and be worth their reservation.
        """
        at_table = set(self._current_round().participants)
        at_table |= {a for p in at_table for a in self.spec.side_members(p)}
        ratifiers: list[str] = []
        for index, veto in enumerate(self.spec.vetoes):
            vetoed = [i for i in deal if i in veto.issues]
            if veto.stage != "ratification" or not vetoed or not set(veto.binds) & at_table:
                continue
            holder = self.actors[veto.holder]
            ratifiers.append(holder.actor_id)
            crossed = [i for i in vetoed if not holder.stances[i].acceptable(deal[i])]
            if crossed:
                self._ratifiers_known.add(index)
                issue = crossed[0]
                return ratifiers, (
                    f"{holder.actor_id} refuses to ratify: crosses its red line on {issue} "
                    f"({deal[issue]:.4g} against {holder.stances[issue].red_line:.4g})"
                )
            worth = holder.utility(deal, vetoed)
            floor = self.reservation(holder, vetoed)
            if worth < floor - 1e-9:
                self._ratifiers_known.add(index)
                return ratifiers, (
                    f"{holder.actor_id} refuses to ratify: worth {worth:.2f} to it, below "
                    f"its no-deal value {floor:.2f}"
                )
        return ratifiers, None

    def agree(self, deal: Mapping[str, float], round_id: str, exchange: int) -> None:
        """Fix agreed positions: they become the new state and leave later agendas.

        A deal some ratification-stage veto holder refuses is void: nothing is
        fixed and its issues stay open. An agreement is a step back from the
        brink: every party at the table that has climbed the ladder steps down
        one rung.
        """
        ratifiers, refusal = self.ratification(deal)
        self.signed.update(deal)
        terms = ", ".join(f"{i} {p:.4g}" for i, p in deal.items())
        if refusal is not None:
            for issue in deal:
                self.not_ratified[issue] = refusal
            self.record(
                "ratification", ratifiers[-1], f"{terms} signed but not ratified: {refusal}"
            )
            return
        if ratifiers:
            self.ratified.update(deal)
            self.record("ratification", ratifiers[0], f"{terms} ratified by {', '.join(ratifiers)}")
        for issue in deal:
            self.not_ratified.pop(issue, None)
        derived = self.derivation.rules if self.derivation is not None else {}
        for issue, position in deal.items():
            if issue in derived:
                continue  # it follows the issues it depends on (_derive)
            self._before.setdefault(issue, self.state[issue])
            self.state[issue] = position
            label = (
                self.issue_specs[issue].label(position) if self.issue_specs[issue].labels else ""
            )
            self.agreements[issue] = Agreement(issue, position, label, round_id, exchange)
        if derived:
            self._derive(round_id, exchange)
        at_table = list(
            dict.fromkeys(
                a for p in self._current_round().participants for a in self.spec.side_members(p)
            )
        )  # in seating order, not a set's: the step-downs below are recorded in this order
        if self.fighting is not None and any(self.issue_specs[i].ceasefire for i in deal):
            fought, self.fighting = self.fighting, None
            self.ceasefire = round_id
            self.record(
                "ceasefire",
                "",
                f"ceasefire: the war between {fought.aggressor} and {fought.target}, under way "
                f"since {fought.date}, ends",
            )
        substantive = [i for i in deal if not self.issue_specs[i].procedural]
        if substantive:
            for actor_id in at_table:
                self.actors[actor_id].step_down(f"agreement on {', '.join(substantive)}")
            # Stepping down on an agreement is mutual: nobody then steps down again
            # "because its rivals did" at the next escalation phase.
            for actor in self.parties():
                actor.note_rivals_level()

    def _derive(self, round_id: str = "", exchange: int = 0) -> None:
        """Derived issues follow the state of the issues they depend on (section 7.36).

        Each is recomputed from the state. One is agreed (in ``round_id``) once every
        issue it depends on that some round negotiates is agreed, and stops being
        agreed when one of them no longer is (a client's defection).
        """
        assert self.derivation is not None
        for issue, rule in self.derivation.rules.items():
            self._before.setdefault(issue, self.state[issue])
            self.state[issue] = rule.position(self.state, self.state)
            negotiated = [d for d in self.derivation.deps(issue) if d in self._contested]
            settled = bool(negotiated) and all(d in self.agreements for d in negotiated)
            if settled and issue not in self.agreements and round_id:
                position = self.state[issue]
                spec = self.issue_specs[issue]
                label = spec.label(position) if spec.labels else ""
                self.agreements[issue] = Agreement(issue, position, label, round_id, exchange)
            elif not settled:
                self.agreements.pop(issue, None)

    def keeps(self, kind: EventKind) -> bool:
        """Whether events of this kind are kept (callers skip building text that is not)."""
        return self.record_transcript or kind not in DETAIL_KINDS

    def record(
        self,
        kind: EventKind,
        actor: str,
        text: str,
        package: Mapping[str, float] | None = None,
        exchange: int | None = None,
        utilities: Mapping[str, float] | None = None,
    ) -> None:
        """Add a transcript event (exchange-level detail only when the transcript is on)."""
        if not self.keeps(kind):
            return
        self.events.append(
            Event(
                date=self._date.isoformat(),
                round=self._round_id,
                exchange=self._exchange if exchange is None else exchange,
                kind=kind,
                actor=actor,
                text=text,
                package={k: round(v, 4) for k, v in (package or {}).items()},
                utilities={k: round(v, 6) for k, v in (utilities or {}).items()},
            )
        )

    def slide_into_war(self, climber: ActorAgent, rung_id: str, risk: float) -> None:
        """An uncontrolled slide: the war option that involves the climber begins."""
        pair = self._war_pair(climber)
        if pair is None or self.fighting is not None:
            return
        aggressor, war = pair
        reason = f"uncontrolled slide after '{rung_id}' (risk {risk:.2f})"
        self._start_war(aggressor, war, "slide", reason)

    # --- the run itself -------------------------------------------------------------------------

    def _current_round(self) -> Round:
        return next(r for r in self.spec.rounds if r.id == self._round_id)

    def _play(self) -> Iterator[None]:
        for round_spec in self.spec.rounds:
            if self.war is not None:
                break
            if round_spec.agenda and not self.open_agenda(round_spec.agenda):
                continue  # everything on its agenda was agreed earlier: the round is not held
            self._enter_round(round_spec)
            yield from PROTOCOLS[round_spec.protocol](self, round_spec)
            self.rounds_played += 1
            self.round_log.append(
                {
                    "id": round_spec.id,
                    "venue": round_spec.venue,
                    "date": round_spec.date.isoformat(),
                    "agreed": {
                        i: self.agreements[i].position
                        for i in round_spec.agenda
                        if i in self.agreements and self.agreements[i].round == round_spec.id
                    },
                    "red_lines": {
                        actor_id: {i: round(actor.stances[i].red_line, 6) for i in actor.stances}
                        for actor_id, actor in self.actors.items()
                        if actor.role == "party"
                    },
                }
            )
            if not self.open_issues():
                continue
            self._exchange = 0
            self._round_id = f"{round_spec.id}:home"
            self.agents_by_type[ActorAgent].shuffle_do("consider_escalation")
            if self.war is None:
                self.agents_by_type[ActorAgent].do("revise_mandate")
            yield
        yield from self._aftermath()
        self.outcome = self._outcome()

    def _enter_round(self, round_spec: Round) -> None:
        self._opponents.clear()  # who has met whom changes here, and only here
        self.tabled.clear()
        self._at_table = [self.actors[a] for a in self._seating(round_spec)]
        self._round_id = round_spec.id
        self._advance_to(round_spec.date)
        self._exchange = 0
        members = {p: self.spec.side_members(p) for p in round_spec.participants}
        for side, actors in members.items():
            for other_side, others in members.items():
                if other_side != side:
                    for actor in actors:
                        self._met[actor].update(others)
        who = "; ".join(
            f"{p} ({', '.join(self.actors[a].name for a in members[p])})"
            for p in round_spec.participants
        )
        chair = (
            f", chaired by {self.actors[round_spec.mediator].name}" if round_spec.mediator else ""
        )
        fmt = f" — {round_spec.format}" if round_spec.format else ""
        self.record(
            "round_open",
            "",
            f"{round_spec.venue}, {round_spec.date.isoformat()}{fmt}: {round_spec.protocol.replace('_', ' ')}"
            f"{chair}; at the table: {who}; agenda: {', '.join(round_spec.agenda)}; "
            f"{round_spec.exchanges} exchanges",
        )
        if self.fighting is not None and self.rounds_played == 0:
            self.record(
                "fighting",
                self.fighting.aggressor,
                f"{self.fighting.aggressor} and {self.fighting.target} are at war: the talks "
                "are about ending it",
            )

    def detection(self, issue: str) -> float:
        """Probability that a breach of ``issue``'s agreed term is detected (its verification)."""
        spec = self.issue_specs[issue]
        if spec.verified_by is not None:
            low, high = self.issue_specs[spec.verified_by].scale
            share = (self.state[spec.verified_by] - low) / (high - low) if high > low else 1.0
            return min(1.0, max(0.0, share))
        if issue in self._detection:
            return self._detection[issue]
        return float(spec.detection)  # type: ignore[arg-type]

    def _implementation(self) -> None:
        """Each actor that may breach weighs every agreed term it holds (model section 7.31).

        Breaching leaves the term where it stood before the agreement. It pays when
        ``rho * gain > (1 - rho) * detection * penalty``; a detected breach costs
        the penalty.
        """
        for actor in self.parties():
            if actor.breach_penalty is None:
                continue
            held = [i for i in actor.stances if i in self.state]
            for issue in list(self.agreements):
                if (
                    issue not in actor.stances
                    or issue in self.breached
                    or self.issue_specs[issue].procedural
                    or self.issue_specs[issue].depends_on
                ):
                    continue  # a derived term is breached only through its issues
                kept = actor.utility(self.state, held)
                broken = actor.utility({**self.state, issue: self._before[issue]}, held)
                gain = broken - kept
                if gain <= 1e-12:
                    continue
                detection = self.detection(issue)
                rho = actor.risk_acceptance
                penalty = actor.breach_penalty + self._guaranteed_penalty(actor, issue)
                expected = detection * penalty
                if rho * gain <= (1.0 - rho) * expected:
                    self.record(
                        "breach",
                        actor.actor_id,
                        f"{actor.actor_id} keeps its word on {issue}: gain {gain:.2f} ≤ "
                        f"expected penalty {expected:.2f} (detection {detection:.2f})",
                    )
                    continue
                detected = bool(self.rng.random() < detection)
                self.state[issue] = self._before[issue]
                self.breached[issue] = (actor.actor_id, detected)
                if self.derivation is not None:
                    for derived in self.derivation.in_play([issue]):
                        if derived in self.agreements:
                            self.breached.setdefault(derived, (actor.actor_id, detected))
                    self._derive()
                if detected:
                    actor.costs_incurred += penalty
                self.record(
                    "breach",
                    actor.actor_id,
                    f"{actor.actor_id} breaches {issue} (left at {self._before[issue]:.4g}): "
                    f"gain {gain:.2f} > expected penalty {expected:.2f} (detection "
                    f"{detection:.2f}); {'detected' if detected else 'not detected'}",
                )

    def _guaranteed_penalty(self, breacher: ActorAgent, issue: str) -> float:
        """What mediators' guarantees add to a breach penalty on ``issue`` (section 7.34)."""
        holders = {a.actor_id for a in self.parties() if issue in a.stances}
        return penalty_bonus(self.spec, breacher.actor_id, holders)

    def _defections(self) -> None:
        """Each client judges the deals its patron accepted, and may defect (section 7.35).

        A defection voids the agreement on the client's issues: they return to
        where they stood before it and count as unagreed; the client pays its
        defection cost.
        """
        for client in self.parties():
            if client.patron is None:
                continue
            issues = [
                issue
                for issue, deal in self.agreements.items()
                if issue in client.stances and client.patron in self._seated(deal.round)
            ]
            if not issues:
                continue
            if self.derivation is not None:
                # A derived issue it holds stands or falls with the issues it depends on.
                feeding = [
                    d for i in issues if i in self.derivation.rules for d in self.derivation.deps(i)
                ]
                issues = list(dict.fromkeys(issues + [d for d in feeding if d in self.agreements]))
            before = {**self.state, **{i: self._before[i] for i in issues}}
            verdict = judge(self, client, issues, before)
            self.record("defection", client.actor_id, verdict.text())
            if not verdict.defects:
                continue
            self.defections.append(verdict)
            client.costs_incurred += verdict.cost
            for issue in issues:
                self.state[issue] = self._before[issue]
                del self.agreements[issue]
            if self.derivation is not None:
                self._derive()

    def _seated(self, round_id: str) -> set[str]:
        """The actors that sat at a round (bloc members included)."""
        return set(self._seating(next(r for r in self.spec.rounds if r.id == round_id)))

    def _seating(self, round_spec: Round) -> list[str]:
        """The actors a round seats, side by side, bloc members included, in seating order."""
        return [a for p in round_spec.participants for a in self.spec.side_members(p)]

    def _aftermath(self) -> Iterator[None]:
        after = self.spec.aftermath
        self._round_id = "aftermath"
        self._exchange = 0
        if self.war is None and self.fighting is None:
            self._defections()
            self.implemented = bool(self.agreements)
            self._implementation()
        day = 0
        while day < after.days and self.war is None:
            step = min(after.step_days, after.days - day)
            day += step
            self._advance_to(self.spec.rounds[-1].date + dt.timedelta(days=day))
            self.agents_by_type[ActorAgent].shuffle_do("consider_escalation")
            yield
        if self.war is None and self.fighting is not None:
            self.war, self.fighting = self.fighting, None
            self.record(
                "war",
                self.war.aggressor,
                f"the war between {self.war.aggressor} and {self.war.target}, under way since "
                f"{self.war.date}, goes on: no ceasefire was agreed",
            )
        if self.war is None:
            self._advance_to(self.spec.rounds[-1].date + dt.timedelta(days=after.days))
            self._war_decisions()

    def _advance_to(self, date: dt.date) -> None:
        """Move the run's clock; announce the dated no-deal changes that take effect."""
        self._date = date
        for actor in self.parties():
            for index, (on, by) in enumerate(actor.no_deal_changes):
                if on <= date and (actor.actor_id, index) not in self._changes_announced:
                    self._changes_announced.add((actor.actor_id, index))
                    self.record(
                        "no_deal_change",
                        actor.actor_id,
                        f"{actor.actor_id}'s no-deal value {'rises' if by > 0 else 'falls'} "
                        f"by {abs(by):.2f} from {on.isoformat()}: {actor.no_deal_reasons[index]}",
                    )

    def _war_decisions(self) -> None:
        """After the talks: each actor with a war option weighs it against no deal."""
        for actor in self.parties():
            if actor.war is None or self.war is not None:
                continue
            unmet = actor.core_unmet(self.state)
            worth = actor.war_value()
            assert worth is not None
            no_deal = actor.no_deal_value(self.state)
            if prefers_war(bool(unmet), worth, no_deal):
                reason = (
                    f"core demands unmet ({', '.join(unmet)}); war worth {worth:.2f} "
                    f"> no deal {no_deal:.2f}"
                )
                self._start_war(actor, actor.war, "decision", reason)
            else:
                why = (
                    "core demands met"
                    if not unmet
                    else f"war worth {worth:.2f} ≤ no deal {no_deal:.2f}"
                )
                self.record("no_war", actor.actor_id, f"{actor.actor_id} does not go to war: {why}")

    def _war_pair(self, climber: ActorAgent) -> tuple[ActorAgent, WarOption] | None:
        if climber.war is not None:
            return climber, climber.war
        for other in self.parties():
            if other.war is not None and other.war.against == climber.actor_id:
                return other, other.war
        return None

    def _start_war(self, aggressor: ActorAgent, war: WarOption, cause: str, reason: str) -> None:
        self.war = WarStart(
            aggressor=aggressor.actor_id,
            target=war.against,
            date=self._date.isoformat(),
            cause=cause,  # type: ignore[arg-type]
            reason=reason,
        )
        self.record(
            "war",
            aggressor.actor_id,
            f"{aggressor.actor_id} goes to war against {war.against}: {reason}",
        )

    def _outcome(self) -> Outcome:
        contested = [i for r in self.spec.rounds for i in r.agenda]
        contested = list(dict.fromkeys(contested))
        if self.derivation is not None:
            contested += self.derivation.in_play(contested)
        substantive = [i for i in contested if not self.issue_specs[i].procedural]
        procedural = [i for i in contested if self.issue_specs[i].procedural]
        agreed: dict[str, Agreement | None] = {i: self.agreements.get(i) for i in contested}
        outcome_class, reason = classify(agreed, substantive, procedural, self.war)
        voided = [i for i in contested if agreed[i] is None and i in self.not_ratified]
        if voided and self.war is None:
            reason += f"; signed but not ratified: {', '.join(voided)}"
        if self.ceasefire is not None and self.war is None:
            reason += f"; a ceasefire agreed in {self.ceasefire} ended the war under way"
        for defection in self.defections:
            reason += f"; {defection.text()}, so the deal failed"
        if self.breached and self.war is None:
            reason += "; breached: " + ", ".join(
                f"{issue} by {who} ({'detected' if seen else 'not detected'})"
                for issue, (who, seen) in self.breached.items()
            )
        utilities = {a.actor_id: round(self._final_utility(a), 6) for a in self.parties()}
        rungs = {
            a.actor_id: (a.ladder[a.highest_level] if a.highest_level >= 0 else None)
            for a in self.parties()
        }
        return Outcome(
            outcome_class=outcome_class,
            agreed=agreed,
            utilities=utilities,
            highest_rung=rungs,
            war=self.war,
            rounds_played=self.rounds_played,
            reason=reason,
            stage=self._stage(substantive),
        )

    def _stage(self, substantive: list[str]) -> Stage:
        """How far the substantive agreement got (section 7.31): the furthest stage reached."""
        in_force = [i for i in substantive if i in self.agreements]
        if any(i in self.breached for i in substantive):
            return "breached"
        if in_force and self.implemented:
            return "implemented"
        if any(i in self.ratified for i in in_force):
            return "ratified"
        if any(i in self.signed for i in substantive):
            return "signed"
        return "none"

    def _final_utility(self, actor: ActorAgent) -> float:
        """Expected utility at the end: the war lottery if at war, else the final state.

        Costs of its own escalation (rungs' costs and upkeep) and pressure
        received are subtracted either way.
        """
        sunk = actor.costs_incurred + actor.pressure_received
        if self.war is None and actor.actor_id in self._promised:
            # Signing guarantees it collected (section 7.34) count as costs returned.
            deal_rounds = {deal.round for deal in self.agreements.values()}
            sunk -= earned_signing_bonus(self.spec, actor.actor_id, deal_rounds)
        if self.war is not None and actor.actor_id in (self.war.aggressor, self.war.target):
            aggressor = self.actors[self.war.aggressor]
            assert aggressor.war is not None
            p = aggressor.war.win_probability
            if actor.actor_id == self.war.aggressor:
                return (
                    p
                    - aggressor.war.cost
                    - actor.deterrence_received
                    - sunk
                    - actor.upkeep()
                    - actor.drift()
                )
            own_cost = actor.war.cost if actor.war is not None else 0.0
            return 1.0 - p - own_cost - sunk - actor.upkeep() - actor.drift()
        if self.war is not None and actor.actor_id in self._stakeholders:
            sunk += self._war_share(actor)
        own = [i for i in actor.stances if i in self.state]
        if any(i in self.agreements for i in own):
            return actor.utility(self.state) - sunk - actor.upkeep()
        # The no-deal value already counts its upkeep and the dated changes.
        return actor.no_deal_value(self.state) + actor.pressure_received - sunk

    def _war_share(self, holder: ActorAgent) -> float:
        """What the war fought costs a party outside it (sections 7.35 and 7.37).

        ``stake · max(0, N_c − (1 − p − c_c − drift_c))`` if the war is against
        its client, plus its war stake on the war's target.
        """
        assert self.war is not None
        client = self.actors[self.war.target]
        stake = holder.war_stakes.get(client.actor_id, 0.0)
        if client.patron != holder.actor_id:
            return stake
        aggressor = self.actors[self.war.aggressor]
        assert aggressor.war is not None
        own = client.war.cost if client.war is not None else 0.0
        fought = 1.0 - aggressor.war.win_probability - own - client.drift()
        return client.patron_stake * max(0.0, client.no_deal_value(self.state) - fought) + stake

    def result(self) -> RunResult:
        """The run's result (the run must have ended)."""
        if self.outcome is None:
            raise RuntimeError("the run has not ended: call run_to_end() first")
        return RunResult(
            scenario=self.spec.name,
            seed=int(self.seed_value) if isinstance(self.seed_value, int) else -1,
            outcome=self.outcome,
            transcript=list(self.events),
            rounds=list(self.round_log),
            forecasts=dict(self.forecasts),
            record=Record(**self.spec.record.model_dump()) if self.spec.record else None,
            types=dict(self.types),
        )
