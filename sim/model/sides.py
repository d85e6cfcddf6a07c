"""A side at the table: one actor, or a bloc that speaks with one voice.

By consensus, a bloc's offers must respect every member's red lines and it
accepts only if no member objects, so its most hardline member binds. Under
sufficient consensus or a qualified majority only the required members (and
the speaker) bind each on their own; the others count toward a share. Veto holders absent from the
table are attached to the sides their veto binds: offers respect their red lines
on the vetoed issues and nothing crossing them can be accepted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from sim.model.agents import ActorAgent
from sim.model.derived import Derivation, Limits
from sim.model.offers import IssueSpace, LogRoll, admissible, best_package
from sim.model.strategies import ConcessionState, Pie, SubgamePerfect
from sim.model.utility import Stance


@dataclass(frozen=True, slots=True)
class Objection:
    """Why a side rejects: a red line crossed on an issue, or a package worth less than an aim."""

    actor_id: str
    issue: str = ""
    stance: Stance | None = None
    position: float = 0.0
    veto: bool = False
    worth: float = 0.0
    aim: float = 0.0

    def text(self) -> str:
        """The objection in words, e.g. 'russia: crosses its red line on enlargement (70 > 20)'."""
        if self.stance is None:
            return f"{self.actor_id}: worth {self.worth:.2f} to it, below its aim of {self.aim:.2f}"
        who = f"{self.actor_id} (veto, not at the table)" if self.veto else self.actor_id
        return (
            f"{who}: crosses its red line on {self.issue} ({self.stance.crossing(self.position)})"
        )


@dataclass(frozen=True, slots=True)
class DecisionRule:
    """How a side decides: who must each consent, and what share of the rest must.

    ``kind`` is consensus (everyone), sufficient_consensus (the required
    members, and ``share`` of the other members by number) or
    qualified_majority (the required members, and members holding ``share``
    of the total weight).
    """

    kind: str = "consensus"
    required: frozenset[str] = frozenset()
    share: float = 1.0
    weights: tuple[tuple[str, float], ...] = ()

    def weight(self, actor_id: str) -> float:
        """A member's weight (1 unless the rule gives another)."""
        return dict(self.weights).get(actor_id, 1.0)


CONSENSUS = DecisionRule()


@dataclass
class Side:
    """Who speaks, who must consent, and who can veto what."""

    side_id: str
    members: list[ActorAgent]
    speaker: ActorAgent
    vetoers: list[tuple[ActorAgent, frozenset[str]]] = field(default_factory=list)
    rule: DecisionRule = CONSENSUS
    derived: Derivation | None = None
    """The scenario's derived issues, completed in every offer (None: there are none)."""
    previous_targets: dict[str, float] = field(default_factory=dict)
    # A side lives for one round, in which stances do not change (mandates are
    # revised between rounds), so its bounds, spaces, best packages and offer
    # building are cached.
    _bounds: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)
    _spaces: dict[tuple[str, ...], dict[str, IssueSpace]] = field(default_factory=dict, repr=False)
    _levels: dict[tuple[object, ...], tuple[float, float, float]] = field(
        default_factory=dict, repr=False
    )
    _logrolls: dict[tuple[object, ...], LogRoll] = field(default_factory=dict, repr=False)

    def bounds(self, issue: str) -> tuple[float, float]:
        """The intersection of every member's (and vetoer's) acceptable interval on an issue."""
        if issue in self._bounds:
            return self._bounds[issue]
        low, high = float("-inf"), float("inf")
        constrainers = self.binding() + [v for v, issues in self.vetoers if issue in issues]
        for actor in constrainers:
            stance = actor.stances.get(issue)
            if stance is None:
                continue
            lo, hi = sorted((stance.ideal, stance.red_line))
            low, high = max(low, lo), min(high, hi)
        self._bounds[issue] = (low, high)
        return low, high

    def spaces(self, issues: Mapping[str, IssueSpace]) -> dict[str, IssueSpace]:
        """Where this side's offers may go on each issue.

        When members' intervals do not overlap (a split bloc) the speaker's own
        interval is used: its offers will then fail inside the bloc, as they should.
        """
        key = tuple(issues)
        if key in self._spaces:
            return self._spaces[key]
        spaces = {}
        for issue, space in issues.items():
            allowed = admissible(space, self.bounds(issue))
            if allowed is None:
                stance = self.speaker.stances.get(issue)
                own = sorted((stance.ideal, stance.red_line)) if stance else (space.low, space.high)
                allowed = admissible(space, (own[0], own[1])) or space
            spaces[issue] = allowed
        self._spaces[key] = spaces
        return spaces

    def limits(self, spaces: Mapping[str, IssueSpace], other: Side | None = None) -> Limits | None:
        """The derived issues these spaces feed, each with where this side may put it.

        Its bounds on the derived issue (and ``other``'s too, when given), within
        the issue's scale. None when no derived issue is in play (model section 7.36).
        """
        if self.derived is None:
            return None
        in_play = self.derived.in_play(list(spaces))
        if not in_play:
            return None
        limits = []
        for issue in in_play:
            rule = self.derived.rules[issue]
            low, high = self.bounds(issue)
            if other is not None:
                other_low, other_high = other.bounds(issue)
                low, high = max(low, other_low), min(high, other_high)
            limits.append((rule, (max(low, rule.low), min(high, rule.high))))
        return Limits(self.derived, tuple(limits))

    def concession_state(
        self,
        actor: ActorAgent,
        spaces: Mapping[str, IssueSpace],
        exchange: int,
        deadline: int,
        batna: float,
        opponent_concession: float,
        opponent_discount: float,
        other: Side | None = None,
    ) -> ConcessionState:
        """The view ``actor``'s strategy gets at this exchange.

        With ``other`` given, ``pie_best`` is its best package inside the other
        side's red lines too (the top of the pie in Rubinstein's game).
        """
        if actor.process_deadline:
            exchange, deadline = actor.model.process_clock(actor, exchange, deadline)
        best, red_line_utility, pie_best = self._utility_levels(actor, spaces, other)
        floor = min(best, max(red_line_utility, batna))
        return ConcessionState(
            exchange=exchange,
            deadline=deadline,
            best=best,
            floor=floor,
            previous_target=self.previous_targets.get(actor.actor_id, best),
            opponent_concession=opponent_concession,
            red_line_utility=red_line_utility,
            pie_best=pie_best,
            own_discount=actor.discount,
            opponent_discount=opponent_discount,
            pie=self._curved_pie(actor, spaces, other),
        )

    def _curved_pie(
        self, actor: ActorAgent, spaces: Mapping[str, IssueSpace], other: Side | None
    ) -> Pie | None:
        """One divisible issue and a non-linear utility on either side: Rubinstein's curved pie."""
        if other is None or len(spaces) != 1 or not isinstance(actor.strategy, SubgamePerfect):
            return None
        if self.limits(spaces) is not None:
            return None  # a derived issue makes it a game on more than one issue
        ((issue, space),) = spaces.items()
        own, theirs = actor.stances.get(issue), other.speaker.stances.get(issue)
        joint = admissible(space, other.bounds(issue))
        if own is None or theirs is None or joint is None or not joint.divisible:
            return None
        if own.shape == theirs.shape == "linear":
            return None
        return Pie(
            own.value,
            theirs.value,
            joint.low,
            joint.high,
            own.value(own.red_line),
            theirs.value(theirs.red_line),
        )

    def _utility_levels(
        self, actor: ActorAgent, spaces: Mapping[str, IssueSpace], other: Side | None
    ) -> tuple[float, float, float]:
        """``actor``'s best, red-line and best-inside-the-pie utilities on these spaces."""
        key = (actor.actor_id, tuple(spaces), other.side_id if other is not None else None)
        if key in self._levels:
            return self._levels[key]
        if self.limits(spaces) is not None:
            self._levels[key] = self._derived_levels(actor, spaces, other)
            return self._levels[key]
        issues = [i for i in spaces if i in actor.stances]
        best = actor.utility(best_package(actor.stances, spaces), issues) if issues else 1.0
        red_line_utility = min(best, actor.red_line_utility(issues)) if issues else best
        pie_best = best
        if other is not None and issues:
            joint = {
                issue: admissible(space, other.bounds(issue)) for issue, space in spaces.items()
            }
            if all(space is not None for space in joint.values()):
                pie_best = actor.utility(best_package(actor.stances, joint), issues)  # type: ignore[arg-type]
        self._levels[key] = (best, red_line_utility, pie_best)
        return self._levels[key]

    def _derived_levels(
        self, actor: ActorAgent, spaces: Mapping[str, IssueSpace], other: Side | None
    ) -> tuple[float, float, float]:
        """:meth:`_utility_levels` when derived issues are in play: best packages completed.

        The best package is the actor's ideals brought inside the side's limits on the
        derived issues; the best inside the pie also inside the other side's bounds.
        """
        limits = self.limits(spaces)
        assert limits is not None
        judged = [*spaces, *(rule.issue for rule, _ in limits.derived)]
        issues = [i for i in judged if i in actor.stances]
        if not issues:
            return 1.0, 1.0, 1.0
        best = actor.utility(LogRoll(actor.stances, {}, spaces, limits).offer(math.inf), issues)
        red_line_utility = min(best, actor.red_line_utility(issues))
        pie_best = best
        if other is not None:
            joint = {
                issue: admissible(space, other.bounds(issue)) for issue, space in spaces.items()
            }
            if all(space is not None for space in joint.values()):
                inside = self.limits(joint, other)  # type: ignore[arg-type]
                roll = LogRoll(actor.stances, {}, joint, inside)  # type: ignore[arg-type]
                pie_best = actor.utility(roll.offer(math.inf), issues)
        return best, red_line_utility, pie_best

    def propose(
        self,
        other: Side,
        spaces: Mapping[str, IssueSpace],
        state: ConcessionState,
    ) -> tuple[dict[str, float], float]:
        """The speaker's offer at this exchange and the target it meets."""
        target = self.speaker.strategy.target(state)
        self.previous_targets[self.speaker.actor_id] = target
        own_spaces = self.spaces(spaces)
        key = (
            tuple(own_spaces),
            other.speaker.actor_id,
            self.speaker.stance_version,
            other.speaker.stance_version,
        )
        roll = self._logrolls.get(key)
        if roll is None:
            roll = self._logrolls[key] = LogRoll(
                self.speaker.stances, other.speaker.stances, own_spaces, self.limits(own_spaces)
            )
        return roll.offer(target), target

    def judges(self) -> list[str]:
        """Everyone who judges a package put to this side: its members and its veto holders."""
        return [m.actor_id for m in self.members] + [v.actor_id for v, _ in self.vetoers]

    def binding(self) -> list[ActorAgent]:
        """Members whose objection alone stops the side: all by consensus, else the required.

        A client never binds: its patron accepts on its behalf (model section 7.35).
        """
        if self.rule.kind == "consensus":
            return [m for m in self.members if m.patron is None]
        return [
            m
            for m in self.members
            if m.patron is None and (m.actor_id in self.rule.required or m is self.speaker)
        ]

    def objection(
        self,
        package: Mapping[str, float],
        thresholds: Mapping[str, float],
        agenda: list[str],
    ) -> Objection | None:
        """None if the side accepts under its decision rule; else the objection that stops it.

        By consensus the first member's or vetoer's objection stops it. Under the
        other rules a required member's (or the speaker's) does; the others'
        objections stop it only when too few of them (or too little weight)
        agree. The objection's words are built only when asked for
        (:meth:`Objection.text`): a batch run without a transcript never needs them.
        """
        if self.rule.kind == "consensus":
            for actor in self.binding():
                found = _member_objection(actor, package, thresholds, agenda)
                if found is not None:
                    return found
        else:
            binding = self.binding()
            others: list[tuple[ActorAgent, Objection | None]] = []
            for actor in self.members:
                if actor.patron is not None:
                    continue  # a client's say is its patron's (its weight follows the patron)
                found = _member_objection(actor, package, thresholds, agenda)
                if actor in binding:
                    if found is not None:
                        return found
                else:
                    others.append((actor, found))
            objections = [found for _, found in others if found is not None]
            if objections and not self._enough(binding, others):
                return objections[0]
        for vetoer, vetoed in self.vetoers:
            for issue in agenda:
                if issue not in vetoed:
                    continue
                stance = vetoer.stances.get(issue)
                if stance is not None and not stance.acceptable(package[issue]):
                    return Objection(vetoer.actor_id, issue, stance, package[issue], veto=True)
        return None

    def _enough(
        self, binding: list[ActorAgent], others: list[tuple[ActorAgent, Objection | None]]
    ) -> bool:
        """Whether the members that agree make the share the rule asks for."""
        rule = self.rule
        if rule.kind == "sufficient_consensus":
            agreeing = sum(1 for _, found in others if found is None)
            return agreeing >= rule.share * len(others) - 1e-9
        total = sum(rule.weight(m.actor_id) for m in self.members)
        yes = {m.actor_id for m in binding} | {m.actor_id for m, found in others if found is None}
        agreeing = sum(
            rule.weight(m.actor_id)
            for m in self.members
            if (m.patron if m.patron is not None else m.actor_id) in yes
        )
        return total <= 0 or agreeing >= rule.share * total - 1e-9

    def acceptance_threshold(self, actor: ActorAgent, state: ConcessionState) -> float:
        """Accept what is worth at least the next target (AC_next); Rubinstein's rule for SPE."""
        strategy = actor.strategy
        if isinstance(strategy, SubgamePerfect):
            return strategy.acceptance(state)
        return strategy.target(state.next_exchange())


def _member_objection(
    actor: ActorAgent,
    package: Mapping[str, float],
    thresholds: Mapping[str, float],
    agenda: list[str],
) -> Objection | None:
    """One member's objection: a red line the package crosses, or worth below its aim."""
    stances = actor.stances
    for issue in agenda:
        stance = stances.get(issue)
        if stance is not None and not stance.acceptable(package[issue]):
            return Objection(actor.actor_id, issue, stance, package[issue])
    aim = thresholds[actor.actor_id]
    if aim == -math.inf:
        return None  # only its red lines bind it (its own side's offer)
    issues = [i for i in agenda if i in stances]
    if not issues:
        return None
    worth = actor.utility(package, issues)
    if worth < aim - 1e-9:
        return Objection(actor.actor_id, worth=worth, aim=aim)
    return None
