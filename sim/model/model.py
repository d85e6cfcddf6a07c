"""The Mesa model: plays a scenario's rounds, the time between them and the aftermath.

One ``step()`` is one exchange of a round, one return home between rounds, or
one step of the aftermath, so the classroom page can walk through a run. The
run's randomness comes only from ``rng`` (private types, activation order,
slides into war).
"""

from __future__ import annotations

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
from sim.model.escalation import (
    RungEffect,
    capability_share,
    climb_decision,
    prefers_war,
    war_value,
)
from sim.model.offers import IssueSpace
from sim.model.outcome import Agreement, Outcome, RunResult, WarStart, classify
from sim.model.protocols import PROTOCOLS
from sim.model.sides import Side
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
        self.agreements: dict[str, Agreement] = {}
        self.events: list[Event] = []
        self.war: WarStart | None = None
        self.rounds_played = 0
        self.round_log: list[dict[str, object]] = []
        self.forecasts: dict[str, list[dict[str, object]]] = {}
        self.actors: dict[str, ActorAgent] = {
            actor_id: ActorAgent(self, actor_id, spec, scenario)
            for actor_id, spec in scenario.actors.items()
        }
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
        self._date = scenario.rounds[0].date
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
        return [a for a in self.actors.values() if a.role == "party"]

    def issue_spaces(self, agenda: list[str]) -> dict[str, IssueSpace]:
        """Where offers may go on each issue of an agenda."""
        return {issue: self._spaces[issue] for issue in agenda}

    def open_agenda(self, agenda: list[str]) -> list[str]:
        """The agenda less the issues already agreed in earlier rounds."""
        return [issue for issue in agenda if issue not in self.agreements]

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
        for veto in scenario.vetoes:
            binds = set(veto.binds)
            if veto.holder in at_table:
                continue
            if side_id in binds or any(m.actor_id in binds for m in members):
                vetoers.append((self.actors[veto.holder], frozenset(veto.issues)))
        return Side(side_id, members, speaker, vetoers)

    def fingerprint(self) -> tuple[object, ...]:
        """Everything a plan depends on besides its arguments: date, agreements, pressure, beliefs."""
        return (
            self._round_id,
            self._date,
            len(self.agreements),
            tuple(
                (a.rung_level, a.pressure_received, a.deterrence_received, a.stance_version)
                for a in self.parties()
            ),
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
        if not actor.core_in(agenda):
            return no_deal
        own_war = actor.war_value(war_cost, win_probability, risk_acceptance)
        return no_deal if own_war is None else max(no_deal, own_war)

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
            names = [n for n in informs if n in belief.names()]
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
        rung = self.rungs[rung_id]
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

    def war_threat(self, actor: ActorAgent, extra_deterrence: float = 0.0) -> float:
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
            no_deal = other.no_deal_value(self.state)
            values = self.war_values(other, belief)
            odds = float(np.dot(np.asarray(belief.weights), values - extra_deterrence > no_deal))
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
        key = (actor.actor_id, self.fingerprint())
        if key not in self._threats:
            self._threats.clear() if len(self._threats) > 64 else None
            self._threats[key] = self.war_threat(actor)
        return self._threats[key]

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
        procedural = [i for i in agenda if self.issue_specs[i].procedural]
        return linked_groups(agenda, [actor.linkage for actor in actors], procedural)

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

    def agree(self, deal: Mapping[str, float], round_id: str, exchange: int) -> None:
        """Fix agreed positions: they become the new state and leave later agendas.

        An agreement is a step back from the brink: every party at the table that
        has climbed the ladder steps down one rung.
        """
        for issue, position in deal.items():
            self.state[issue] = position
            label = (
                self.issue_specs[issue].label(position) if self.issue_specs[issue].labels else ""
            )
            self.agreements[issue] = Agreement(issue, position, label, round_id, exchange)
        at_table = {
            a for p in self._current_round().participants for a in self.spec.side_members(p)
        }
        substantive = [i for i in deal if not self.issue_specs[i].procedural]
        if substantive:
            for actor_id in at_table:
                self.actors[actor_id].step_down(f"agreement on {', '.join(substantive)}")
            # Stepping down on an agreement is mutual: nobody then steps down again
            # "because its rivals did" at the next escalation phase.
            for actor in self.parties():
                actor.note_rivals_level()

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
        if pair is None:
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
        self._round_id = round_spec.id
        self._date = round_spec.date
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

    def _aftermath(self) -> Iterator[None]:
        after = self.spec.aftermath
        self._round_id = "aftermath"
        self._exchange = 0
        day = 0
        while day < after.days and self.war is None:
            step = min(after.step_days, after.days - day)
            day += step
            self._date = self.spec.rounds[-1].date + dt.timedelta(days=day)
            self.agents_by_type[ActorAgent].shuffle_do("consider_escalation")
            yield
        if self.war is None:
            self._date = self.spec.rounds[-1].date + dt.timedelta(days=after.days)
            self._war_decisions()

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
        substantive = [i for i in contested if not self.issue_specs[i].procedural]
        procedural = [i for i in contested if self.issue_specs[i].procedural]
        agreed: dict[str, Agreement | None] = {i: self.agreements.get(i) for i in contested}
        outcome_class, reason = classify(agreed, substantive, procedural, self.war)
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
        )

    def _final_utility(self, actor: ActorAgent) -> float:
        """Expected utility at the end: the war lottery if at war, else the final state.

        Costs of its own escalation and pressure received are subtracted either way.
        """
        sunk = actor.costs_incurred + actor.pressure_received
        if self.war is not None and actor.actor_id in (self.war.aggressor, self.war.target):
            aggressor = self.actors[self.war.aggressor]
            assert aggressor.war is not None
            p = aggressor.war.win_probability
            if actor.actor_id == self.war.aggressor:
                return p - aggressor.war.cost - actor.deterrence_received - sunk - actor.drift()
            own_cost = actor.war.cost if actor.war is not None else 0.0
            return 1.0 - p - own_cost - sunk - actor.drift()
        own = [i for i in actor.stances if i in self.state]
        if any(i in self.agreements for i in own):
            return actor.utility(self.state) - sunk
        return actor.no_deal_value(self.state) + actor.pressure_received - sunk

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
            types=dict(self.types),
        )
