"""The scenario file as data: frozen pydantic models, every field described.

This module holds the shape of a scenario and the checks that need nothing but
the scenario itself (ranges, cross-references). Reading YAML, locating errors in
the file and applying overrides live in :mod:`sim.scenario.loader` and
:mod:`sim.scenario.overrides`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.scenario.derived import derived_errors
from sim.scenario.distributions import Param, param_mean, param_support
from sim.scenario.stakes import stake_errors

LAST_DATE = dt.date(9000, 12, 31)
"""Latest round date: the model adds the aftermath's days to it, which must stay a date."""

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="An id: lower-case letters, digits and underscores, starting with a letter.",
    ),
]


def in_range(low: float, high: float) -> Callable[[Any], Any]:
    """A validator that keeps a number, or every value a distribution can draw, in range."""

    def check(value: Any) -> Any:
        lo, hi = param_support(value)
        if lo < low or hi > high:
            if lo == hi:
                raise ValueError(f"{lo:g} is out of range (allowed: {low:g} to {high:g})")
            if isinstance(value, BaseModel) and getattr(value, "dist", "") == "normal":
                # A normal is truncated to the field's range; only its mean must lie inside.
                mean = value.mean()  # type: ignore[attr-defined]
                if low <= mean <= high:
                    return value
                raise ValueError(f"mean {mean:g} is out of range (allowed: {low:g} to {high:g})")
            raise ValueError(
                f"draws from {lo:g} to {hi:g} leave the allowed range {low:g} to {high:g}"
            )
        return value

    return check


Probability = Annotated[Param, AfterValidator(in_range(0.0, 1.0))]
Unit = Annotated[Param, AfterValidator(in_range(0.0, 1.0))]
NonNegative = Annotated[Param, AfterValidator(in_range(0.0, float("inf")))]


class Frozen(BaseModel):
    """Base for every schema model: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Source(Frozen):
    """A document the scenario's numbers come from."""

    title: str = Field(description="Title of the document.")
    publisher: str | None = Field(default=None, description="Who published it.")
    date: dt.date | None = Field(default=None, description="Publication date (YYYY-MM-DD).")
    url: str | None = Field(default=None, description="Where to find it.")


class Issue(Frozen):
    """One dimension of the talks: positions on a scale with a status quo."""

    description: str = Field(default="", description="What the issue is about, in words.")
    scale: tuple[float, float] = Field(
        default=(0.0, 100.0),
        description="Lowest and highest position, [low, high] with low < high.",
    )
    status_quo: float = Field(description="The position that holds if nothing is agreed.")
    divisible: bool = Field(
        default=True,
        description="If false only labelled points can be offered (issue indivisibility).",
    )
    ceasefire: bool = Field(
        default=False,
        description="True for an issue whose agreement ends a war under way (an armistice "
        "line, a ceasefire); needs a war with ongoing: true.",
    )
    procedural: bool = Field(
        default=False,
        description="True for issues about the talks themselves (e.g. further meetings); "
        "agreeing only these counts as 'talks_continue', not as a substantive deal.",
    )
    labels: dict[float, str] = Field(
        default_factory=dict, description="Named points on the scale (position: label)."
    )
    secret: bool = Field(
        default=False,
        description="True for a term kept out of the public text (e.g. the Jupiter missiles "
        "in 1962): softening a red line on it carries no audience cost.",
    )
    detection: Probability = Field(
        default=1.0,
        description="Probability that a breach of an agreed position on it is detected, in "
        "[0, 1] (its verification).",
    )
    verified_by: Identifier | None = Field(
        default=None,
        description="An issue whose position sets the detection probability instead: its "
        "share of that issue's scale (e.g. an inspections regime negotiated alongside).",
    )
    depends_on: dict[Identifier, float] = Field(
        default_factory=dict,
        description="Makes this a derived issue: its position is the weighted mean of these "
        "issues' positions (issue: weight > 0), each as a share of its scale, mapped onto "
        "this issue's scale. Never offered directly; its status_quo must be that mean of "
        "the status quos.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Issue:
        low, high = self.scale
        if not low < high:
            raise ValueError(f"scale: low ({low:g}) must be below high ({high:g})")
        if not low <= self.status_quo <= high:
            raise ValueError(
                f"status_quo: {self.status_quo:g} is outside the scale (allowed: {low:g} to {high:g})"
            )
        for point in self.labels:
            if not low <= point <= high:
                raise ValueError(
                    f"labels: point {point:g} is outside the scale (allowed: {low:g} to {high:g})"
                )
        if not self.divisible and len(self.labels) < 2:
            raise ValueError("labels: an indivisible issue needs at least two labelled points")
        return self

    def label(self, position: float) -> str:
        """The label of a position, or of the nearest labelled point with an '≈'."""
        if not self.labels:
            return f"{position:g}"
        nearest = min(self.labels, key=lambda point: abs(point - position))
        if abs(nearest - position) < 1e-9:
            return self.labels[nearest]
        return f"≈ {self.labels[nearest]}"


class Position(Frozen):
    """An actor's stance on one issue."""

    ideal: float = Field(description="The position it wants most (inside the issue's scale).")
    red_line: Param = Field(
        description="The furthest position it will ever accept; acceptable positions lie "
        "between ideal and red_line. May be a distribution (a private type)."
    )
    salience: NonNegative = Field(default=1.0, description="Weight of the issue, >= 0.")
    core: bool = Field(
        default=False,
        description="A core demand: leaving it unmet after the talks may justify war.",
    )


StrategyKind = Literal[
    "strategic", "boulware", "linear", "conceder", "hardliner", "tit_for_tat", "subgame_perfect"
]


TIME_DEPENDENT_KINDS = ("boulware", "linear", "conceder")
"""The kinds that follow a target curve: only they read ``exponent`` and ``deadline``."""


class Strategy(Frozen):
    """How an actor concedes over a round (Faratin, Sierra & Jennings 1998)."""

    kind: StrategyKind = Field(
        default="linear",
        description="strategic (the offer that maximises expected utility under its beliefs "
        "about the other side's private type), boulware, linear, conceder (time-dependent), "
        "hardliner (never moves), tit_for_tat (mirrors the other side's concession), "
        "subgame_perfect (Rubinstein).",
    )
    exponent: float | None = Field(
        default=None,
        gt=0,
        description="Concession exponent e > 0 of tau(t); e < 1 Boulware, e > 1 Conceder. "
        "Defaults: boulware 0.2, linear 1, conceder 5. Only for these three kinds.",
    )
    horizon: Literal["infinite", "round"] = Field(
        default="infinite",
        description="For subgame_perfect: the infinite-horizon equilibrium, or backward "
        "induction over the offers left in the round (one offer left: the ultimatum game).",
    )
    deadline: Literal["round", "process"] = Field(
        default="round",
        description="For boulware, linear and conceder: reach the floor by the end of each "
        "round (round), or concede over every round the actor takes part in and reach it "
        "by the end of the last (process).",
    )

    walk_out: bool = Field(
        default=False,
        description="For strategic: leave an alternating-offers round at its turn when, "
        "under its beliefs, no type of the other side would accept even its most generous "
        "offer worth its reservation; the others learn from the walk-out.",
    )

    @model_validator(mode="after")
    def _deadline_applies(self) -> Strategy:
        if self.deadline == "process" and self.kind not in TIME_DEPENDENT_KINDS:
            raise ValueError(
                f"deadline: 'process' applies to boulware, linear and conceder, not {self.kind}"
            )
        if self.walk_out and self.kind != "strategic":
            raise ValueError(f"walk_out: applies to strategic, not {self.kind}")
        if self.exponent is not None and self.kind not in TIME_DEPENDENT_KINDS:
            raise ValueError(f"exponent: applies to boulware, linear and conceder, not {self.kind}")
        if self.horizon != "infinite" and self.kind != "subgame_perfect":
            raise ValueError(f"horizon: applies to subgame_perfect, not {self.kind}")
        return self


class War(Frozen):
    """An actor's military option: Fearon's war lottery as the actor believes it."""

    against: Identifier = Field(description="The actor it would fight.")
    win_probability: Probability | None = Field(
        default=None,
        description="Its believed probability of winning, in [0, 1] (a private type). "
        "Default: its share of the two sides' capabilities, c_self / (c_self + c_target).",
    )
    cost: Unit = Field(description="Its cost of war in utility units, in [0, 1].")
    ongoing: bool = Field(
        default=False,
        description="True if this war is already being fought when the talks open: talks "
        "are about ending it, and agreeing a ceasefire issue ends it.",
    )


class Belief(Frozen):
    """An actor's prior about another actor's private type, where it differs from the common one.

    By default an actor's prior about another's drawn parameters is the
    distribution the scenario declares for them (a common prior); a number
    here is a point belief, a distribution a prior of its own.
    """

    win_probability: Probability | None = Field(
        default=None,
        description="Its prior on the other's probability of winning a war, in [0, 1]. "
        "Default: the scenario's own distribution for it (a common prior).",
    )
    war_cost: Unit | None = Field(
        default=None,
        description="Its prior on the other's cost of war, in [0, 1]. Default: the "
        "scenario's own distribution for it.",
    )
    risk_acceptance: Unit | None = Field(
        default=None,
        description="Its prior on the other's risk acceptance, in [0, 1]. Default: the "
        "scenario's own distribution for it.",
    )
    red_lines: dict[Identifier, Param] = Field(
        default_factory=dict,
        description="Its prior on the other's red line per issue id, on the issue's scale. "
        "Default: the scenario's own distribution for each.",
    )


class NoDealChange(Frozen):
    """A dated change in what no deal is worth to an actor: sanctions imposed, a truce expiring."""

    date: dt.date = Field(description="The date it takes effect (YYYY-MM-DD).")
    by: float = Field(
        ge=-1,
        le=1,
        description="What it adds to its no-deal value from that date on, in [-1, 1] "
        "(negative: no deal gets worse).",
    )
    why: str = Field(min_length=1, description="What happens, in words (shown in the transcript).")


class Breach(Frozen):
    """What breaking an agreed term costs an actor if it is detected (implementation)."""

    penalty: Unit = Field(
        description="Utility it loses when a breach is detected (sanctions, reputation), in [0, 1]."
    )


class Mandate(Frozen):
    """How the principal at home revises the delegation's mandate between rounds (Putnam)."""

    soften: Unit = Field(
        default=0.0,
        description="Share of the pressure it received by which red lines move toward the "
        "other side's ideal, in [0, 1]. Above 0 its principal also backs down on an offer "
        "that beats holding out; at 0 the mandate is never revised.",
    )
    audience_cost: Unit = Field(
        default=0.0,
        description="Utility lost by backing down after its own public escalation, in [0, 1]; "
        "above 0 only with soften above 0 and escalation rungs (nothing else could use it).",
    )


class ClientOf(Frozen):
    """A client whose consent its patron holds (a small state and its great-power protector)."""

    patron: Identifier = Field(description="The party that accepts on its behalf at the table.")
    defection_cost: Unit = Field(
        description="What defecting from a deal its patron accepted costs it, in [0, 1]: it "
        "defects when the deal is worth less to it than its no-deal value minus this."
    )
    stake: Unit = Field(
        default=0.0,
        description="Share of its war loss that its patron counts as its own, in [0, 1]: a war "
        "against it lowers its patron's no-deal value by stake times that loss.",
    )


class Guarantee(Frozen):
    """A mediator's promise that changes a party's payoffs (model section 7.34)."""

    kind: Literal["signing", "no_deal", "breach_penalty"] = Field(
        description="signing (any agreement `to` signs in a round this mediator chairs is "
        "worth `by` more to it: aid on signature); no_deal (`to`'s no-deal value changes by "
        "`by` from the first round this mediator chairs: support withdrawn from a party that "
        "refuses, if negative); breach_penalty (`against`'s penalty for a detected breach of "
        "a term `to` holds rises by `by`: enforcement)."
    )
    to: Identifier = Field(description="The party the promise is made to.")
    against: Identifier | None = Field(
        default=None, description="For breach_penalty: the party whose breaches it punishes."
    )
    by: float = Field(
        ge=-1,
        le=1,
        description="Its size in utility units: in [0, 1] for signing and breach_penalty, "
        "in [-1, 1] for no_deal (negative: no deal gets worse).",
    )
    source: Identifier | None = Field(
        default=None,
        description="The key in `sources` of the document the promise comes from "
        "(named in the transcript).",
    )


class Actor(Frozen):
    """A party at or around the table (a Mesa agent in the model)."""

    name: str = Field(description="Display name.")
    delegate: str | None = Field(default=None, description="Who speaks for it.")
    role: Literal["party", "mediator"] = Field(
        default="party",
        description="party, or mediator (chairs mediated and shuttle rounds; may hold "
        "positions and give guarantees, but has no ladder or war option).",
    )
    capability: Unit = Field(default=0.5, description="Relative power, in [0, 1].")
    risk_acceptance: Unit = Field(
        default=0.5, description="Willingness to run risks for gains, in [0, 1]."
    )
    discount: Unit = Field(
        default=1.0, description="Per-exchange patience delta in [0, 1] (Rubinstein)."
    )
    strategy: Strategy = Field(default_factory=Strategy, description="How it concedes.")
    utility: Literal["linear", "quadratic"] = Field(
        default="linear", description="Shape of per-issue value: linear or quadratic loss."
    )
    linkage: bool | list[list[Identifier]] = Field(
        default=False,
        description="Issues it will settle only together. true: every substantive issue on "
        "an agenda is one package (nothing is agreed until everything is; procedural issues "
        "stay separate); a list of groups of issue ids: each group is one package.",
    )
    delay_cost: Unit = Field(
        default=0.0,
        description="Utility its no-deal outcome (status quo and war option alike) loses per "
        "day from the first round on, in [0, 1]: sanctions biting, forces tied down.",
    )
    no_deal: Unit | None = Field(
        default=None,
        description="What walking away is worth to it, in [0, 1], when that is not the status "
        "quo's utility (a buyer who walks away keeps its money). Default: the status quo.",
    )
    no_deal_changes: list[NoDealChange] = Field(
        default_factory=list,
        description="Dated changes in its no-deal value (not its war option): an interim deal "
        "or a truce expiring, sanctions announced to start on a date.",
    )
    positions: dict[Identifier, Position] = Field(
        default_factory=dict, description="Its stance per issue id."
    )
    escalation: list[Identifier] = Field(
        default_factory=list, description="Its escalation options, mildest first (rung ids)."
    )
    war: War | None = Field(default=None, description="Its military option, if any.")
    beliefs: dict[Identifier, Belief] = Field(
        default_factory=dict,
        description="Its priors about other actors' private types, by id (default: the "
        "scenario's own distributions, a common prior).",
    )
    mandate: Mandate = Field(default_factory=Mandate, description="Two-level revision.")
    breach: Breach | None = Field(
        default=None,
        description="If given, it may breach agreed terms during implementation when "
        "breaching beats complying; without it, it keeps every agreement.",
    )
    client_of: ClientOf | None = Field(
        default=None,
        description="Its patron, who accepts on its behalf at the table (it holds no veto of "
        "its own), the cost of defecting from a deal, and its patron's stake in its wars.",
    )
    guarantees: list[Guarantee] = Field(
        default_factory=list,
        description="A mediator's promises to parties: a raise to the value of a deal they "
        "sign, a change in their no-deal value, or a higher breach penalty on another party.",
    )
    war_stakes: dict[Identifier, Unit] = Field(
        default_factory=dict,
        description="What a war fought by another party against each named actor would cost "
        "it, in [0, 1], by target id (an ally drawn in, a guarantor, a neighbour): its no-deal "
        "value falls by its believed odds of that war times the cost, and its final utility by "
        "the cost if the war is fought.",
    )


MEDIATOR_FIELDS = ("name", "delegate", "role", "positions", "guarantees")
"""The only fields a mediator's entry uses: it chairs, may hold positions and give guarantees."""


class Bloc(Frozen):
    """Actors that speak with one voice and decide by consensus (e.g. NATO)."""

    name: str | None = Field(default=None, description="Display name.")
    members: list[Identifier] = Field(min_length=2, description="Member actor ids (>= 2).")
    decision: Literal["consensus", "sufficient_consensus", "qualified_majority"] = Field(
        default="consensus",
        description="How it decides: consensus (every member agrees); sufficient_consensus "
        "(every required member, and a share of the others by number); qualified_majority "
        "(members holding a share of the weight, every required member among them).",
    )
    speaker: Identifier = Field(description="The member that makes the bloc's offers.")
    required: list[Identifier] = Field(
        default_factory=list,
        description="Members whose consent is always needed (sufficient_consensus, "
        "qualified_majority); the speaker always is.",
    )
    share: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="The share that must agree: of the other members by number "
        "(sufficient_consensus), or of all the weight (qualified_majority), in (0, 1].",
    )
    weights: dict[Identifier, float] = Field(
        default_factory=dict,
        description="Each member's weight under qualified_majority (default 1 each).",
    )


class Veto(Frozen):
    """A holder that must accept anything on its issues, at the table or not."""

    holder: Identifier = Field(description="The actor holding the veto.")
    issues: list[Identifier] = Field(min_length=1, description="Issues it holds a veto over.")
    binds: list[Identifier] = Field(
        min_length=1, description="Actors or blocs whose agreements it binds."
    )
    stage: Literal["table", "ratification"] = Field(
        default="table",
        description="table: the negotiators respect its red lines when they offer and accept; "
        "ratification: it judges a signed agreement afterwards (a parliament, a referendum), "
        "and a refusal voids it (Putnam's two-level game).",
    )


class Rung(Frozen):
    """One step on an escalation ladder."""

    description: str = Field(default="", description="What the step is, in words.")
    severity: float = Field(
        ge=0,
        le=10,
        description="Position on the ladder, 0 to 10: each actor lists its rungs mildest first "
        "(non-decreasing severity), the order in which it climbs them.",
    )
    cost: Unit = Field(default=0.0, description="Cost to its user, utility units in [0, 1].")
    upkeep: Unit = Field(
        default=0.0,
        description="Cost to its user per day while it stands on the rung (forces kept "
        "massed), in [0, 1]: each day lowers its no-deal value, not its war option.",
    )
    pressure: Unit = Field(
        default=0.0, description="Cost it adds to the target's no-deal outcome, in [0, 1]."
    )
    war_risk: Probability = Field(
        default=0.0, description="Probability, each time it is used, of a slide into war."
    )
    deterrence: Unit = Field(
        default=0.0,
        description="Cost it adds to the target's war option (e.g. sanctions promised), in [0, 1].",
    )
    goldstein: float = Field(
        default=0.0,
        ge=-10,
        le=10,
        description="Goldstein event weight, -10 to 10: the escalation figure labels the rung "
        "with it and gives each actor's total over the rungs it climbed.",
    )
    not_before: dt.date | None = Field(
        default=None,
        description="A dated trigger: the rung cannot be climbed before this date (YYYY-MM-DD), "
        "e.g. a step the record dates.",
    )


class Game(Frozen):
    """A symmetric 2x2 game played by a population (e.g. chicken as hawk-dove)."""

    actions: tuple[Identifier, Identifier] = Field(
        description="The two actions, e.g. [swerve, straight]."
    )
    payoffs: tuple[tuple[float, float], tuple[float, float]] = Field(
        description="Row player's payoffs: payoffs[i][j] when it plays action i against "
        "action j (the game is symmetric: the column player's are the transpose)."
    )
    population: int = Field(
        default=200, ge=2, le=100_000, description="Number of players in the population (>= 2)."
    )
    initial_share: Unit = Field(
        default=0.5,
        description="Expected share of players starting with the second action, in [0, 1].",
    )


class Round(Frozen):
    """One session of talks at a venue."""

    id: Identifier = Field(description="Round id, unique in the scenario.")
    venue: str = Field(description="Where it meets (e.g. Geneva).")
    date: dt.date = Field(description="When it meets (YYYY-MM-DD).")
    format: str | None = Field(default=None, description="The format, in words.")
    participants: list[Identifier] = Field(
        min_length=2, description="Actor or bloc ids at the table (>= 2)."
    )
    protocol: Literal[
        "alternating_offers", "mediated", "shuttle", "expected_utility", "population_game"
    ] = Field(
        description="alternating_offers (two sides), mediated (a chair's single text), "
        "shuttle (a mediator meets each side alone in turn and carries one text), "
        "expected_utility (Bueno de Mesquita's model) or population_game (a symmetric "
        "2x2 game learned by imitation in a population)."
    )
    mediator: Identifier | None = Field(
        default=None, description="The chair's actor id; required for mediated and shuttle rounds."
    )
    agenda: list[Identifier] = Field(
        default_factory=list,
        description="Issue ids on the table (at least one, except in a population_game).",
    )
    game: Game | None = Field(
        default=None, description="The game a population_game round plays (only there)."
    )
    hours: float = Field(gt=0, le=240, description="Length in hours, > 0.")
    exchanges_per_hour: float = Field(
        default=2.0, gt=0, le=60, description="Offers exchanged per hour, > 0."
    )
    first_proposer: Identifier | None = Field(
        default=None,
        description="Who opens an alternating_offers round, or whom a shuttle mediator meets "
        "first (default: the first participant). Only for those two protocols.",
    )
    offers: Literal["alternate", "one_sided"] = Field(
        default="alternate",
        description="In alternating_offers rounds: alternate (Rubinstein) or one_sided (only "
        "the first proposer makes offers, the other accepts or rejects: a seller's offers).",
    )

    @field_validator("date")
    @classmethod
    def _computable_date(cls, value: dt.date) -> dt.date:
        if value > LAST_DATE:
            raise ValueError(
                f"{value.isoformat()} is too far in the future "
                f"(allowed: dates up to {LAST_DATE.isoformat()})"
            )
        return value

    @model_validator(mode="after")
    def _protocol_shape(self) -> Round:
        if self.protocol == "population_game":
            if self.game is None:
                raise ValueError("game: a population_game round needs a game")
        elif not self.agenda:
            raise ValueError("agenda: a round needs at least one issue on its agenda")
        elif self.game is not None:
            raise ValueError(
                f"game: only a population_game round plays a game (this one is {self.protocol})"
            )
        if self.protocol == "alternating_offers" and len(self.participants) != 2:
            raise ValueError(
                f"participants: alternating_offers needs exactly two sides, got "
                f"{len(self.participants)}"
            )
        if self.protocol in ("mediated", "shuttle") and self.mediator is None:
            raise ValueError(f"mediator: a {self.protocol} round needs a mediator")
        if len(set(self.participants)) != len(self.participants):
            raise ValueError("participants: an id is listed twice")
        if self.offers == "one_sided" and self.protocol != "alternating_offers":
            raise ValueError(
                f"offers: one_sided applies to alternating_offers rounds (this one is "
                f"{self.protocol})"
            )
        if self.first_proposer is not None and self.protocol not in (
            "alternating_offers",
            "shuttle",
        ):
            raise ValueError(
                f"first_proposer: applies to alternating_offers and shuttle rounds (this one "
                f"is {self.protocol}, where nobody proposes in turn)"
            )
        if self.first_proposer is not None and self.first_proposer not in self.participants:
            raise ValueError(
                f"first_proposer: '{self.first_proposer}' is not a participant "
                f"(allowed: {', '.join(self.participants)})"
            )
        return self

    @property
    def exchanges(self) -> int:
        """Number of exchanges the round lasts (at least one)."""
        return max(1, round(self.hours * self.exchanges_per_hour))


STEP_DAYS = 7
"""The aftermath's default step: one escalation and war decision a week."""


class Aftermath(Frozen):
    """The weeks after the last round: escalation and the decision for war."""

    days: int = Field(default=0, ge=0, le=3650, description="Length in days, >= 0.")
    step_days: int = Field(
        default=STEP_DAYS, ge=1, le=365, description="Days per step, >= 1 (only with days above 0)."
    )

    @model_validator(mode="after")
    def _steps_need_days(self) -> Aftermath:
        if self.days == 0 and self.step_days != STEP_DAYS:
            raise ValueError(
                "step_days: an aftermath of 0 days has no steps, so nothing uses it "
                "(allowed: leave it out, or days above 0)"
            )
        return self


RecordedClass = Literal["agreement", "partial", "deadlock", "talks_continue", "war"]
"""The outcome classes a record may name: the engine's own (``sim.model.outcome.OutcomeClass``)."""


class Record(Frozen):
    """What happened historically, so a run can be set beside the record."""

    outcome: RecordedClass = Field(
        description="The historical outcome, as one of the engine's outcome classes."
    )
    summary: str = Field(min_length=1, description="What happened, in a sentence.")
    source: Identifier = Field(description="The key in `sources` of the document that says so.")


class Scenario(Frozen):
    """A whole scenario: issues, actors, blocs, vetoes, ladder, rounds and aftermath."""

    schema_version: Literal[1] = Field(description="Scenario format version; must be 1.")
    name: str = Field(description="Scenario name.")
    description: str = Field(default="", description="What the scenario explores.")
    extends: str | None = Field(
        default=None, description="Path of a scenario this one deep-merges onto."
    )
    seed: int = Field(default=0, ge=0, description="Default seed for `sim run`, >= 0.")
    sources: dict[Identifier, Source] = Field(
        default_factory=dict, description="Documents cited, by key."
    )
    issues: dict[Identifier, Issue] = Field(
        default_factory=dict, description="Issues by id (a pure game may have none)."
    )
    actors: dict[Identifier, Actor] = Field(min_length=2, description="Actors by id.")
    blocs: dict[Identifier, Bloc] = Field(default_factory=dict, description="Blocs by id.")
    vetoes: list[Veto] = Field(default_factory=list, description="Veto holders.")
    escalation_ladder: dict[Identifier, Rung] = Field(
        default_factory=dict, description="Escalation rungs by id."
    )
    rounds: list[Round] = Field(min_length=1, description="Rounds in order.")
    aftermath: Aftermath = Field(default_factory=Aftermath, description="After the talks.")
    record: Record | None = Field(
        default=None,
        description="The historical outcome, for cases from history: `sim run` prints it "
        "after the simulated outcome.",
    )

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        for error in cross_reference_errors(self):
            raise ValueError(error)
        return self

    def with_overrides(self, overrides: dict[str, Any]) -> Scenario:
        """A new scenario with values replaced at dotted paths, re-validated.

        >>> s.with_overrides({"actors.russia.risk_acceptance": 0.4})  # doctest: +SKIP
        """
        from sim.scenario.overrides import apply_overrides

        return apply_overrides(self, overrides)

    def side_members(self, side: str) -> list[str]:
        """Actor ids behind a participant id: the members of a bloc, or the actor itself."""
        if side in self.blocs:
            return list(self.blocs[side].members)
        return [side]


def cross_reference_errors(scenario: Scenario) -> list[str]:
    """Every dangling id or out-of-scale position, as 'path: what is wrong (allowed)'."""
    errors: list[str] = []
    issues, actors, blocs = scenario.issues, scenario.actors, scenario.blocs
    rungs = scenario.escalation_ladder

    def allowed(names: Any) -> str:
        return ", ".join(names) or "none defined"

    for actor_id, actor in actors.items():
        if actor.role == "mediator":
            errors.extend(
                f"actors.{actor_id}.{name}: a mediator chairs and does not bargain or fight, so "
                f"the engine would ignore its {name} (allowed for a mediator: "
                f"{', '.join(MEDIATOR_FIELDS)}; or make it a party)"
                for name, field in Actor.model_fields.items()
                if name in actor.model_fields_set
                and name not in MEDIATOR_FIELDS
                and getattr(actor, name) != field.get_default(call_default_factory=True)
            )
        for issue_id, position in actor.positions.items():
            path = f"actors.{actor_id}.positions.{issue_id}"
            if issue_id not in issues:
                errors.append(f"{path}: unknown issue '{issue_id}' (allowed: {allowed(issues)})")
                continue
            low, high = issues[issue_id].scale
            if not low <= position.ideal <= high:
                errors.append(
                    f"{path}.ideal: {position.ideal:g} is outside the scale "
                    f"(allowed: {low:g} to {high:g})"
                )
            red_low, red_high = param_support(position.red_line)
            if getattr(position.red_line, "dist", "") == "normal":
                # A normal red line is truncated to the scale; only its mean must lie inside.
                red_low = red_high = param_mean(position.red_line)
            if red_low < low or red_high > high:
                errors.append(
                    f"{path}.red_line: {red_low:g} to {red_high:g} is outside the scale "
                    f"(allowed: {low:g} to {high:g})"
                )
        if isinstance(actor.linkage, list):
            grouped: set[str] = set()
            for g, group in enumerate(actor.linkage):
                for j, issue_id in enumerate(group):
                    if issue_id not in issues:
                        errors.append(
                            f"actors.{actor_id}.linkage.{g}.{j}: unknown issue '{issue_id}' "
                            f"(allowed: {allowed(issues)})"
                        )
                    elif issue_id in grouped:
                        errors.append(
                            f"actors.{actor_id}.linkage.{g}.{j}: issue '{issue_id}' is already "
                            "in another group"
                        )
                    grouped.add(issue_id)
        for index, rung in enumerate(actor.escalation):
            if rung not in rungs:
                errors.append(
                    f"actors.{actor_id}.escalation.{index}: unknown rung '{rung}' "
                    f"(allowed: {allowed(rungs)})"
                )
        listed = [(index, rung) for index, rung in enumerate(actor.escalation) if rung in rungs]
        for (_, before), (index, rung) in pairwise(listed):
            # The engine climbs in the listed order: severity keeps that order honest.
            if rungs[rung].severity < rungs[before].severity:
                errors.append(
                    f"actors.{actor_id}.escalation.{index}: '{rung}' (severity "
                    f"{rungs[rung].severity:g}) is milder than '{before}' before it "
                    f"({rungs[before].severity:g}), and a ladder is climbed in the order "
                    "listed (allowed: mildest first)"
                )
                break
        if (
            actor.role == "party"
            and actor.risk_acceptance != Actor.model_fields["risk_acceptance"].default
            and actor.war is None
            and not actor.escalation
            and actor.breach is None
        ):
            # Read by its war lottery, its climbs and its breaches (sections 7.13, 7.19, 7.31).
            errors.append(
                f"actors.{actor_id}.risk_acceptance: it has no war option, no escalation rungs "
                "and no breach penalty, so nothing uses its risk acceptance (allowed: leave it "
                "out, or give it war, escalation or breach)"
            )
        if actor.role == "party" and param_support(actor.mandate.audience_cost)[1] > 0:
            # Paid only by a principal that revises its mandate, after its own public
            # escalation (model sections 7.17 and 7.38): anywhere else nothing reads it.
            path = f"actors.{actor_id}.mandate.audience_cost"
            if param_support(actor.mandate.soften)[1] <= 0:
                errors.append(
                    f"{path}: its principal never revises the mandate (soften 0), so nothing "
                    "uses an audience cost (allowed: 0, or mandate.soften above 0)"
                )
            elif not actor.escalation:
                errors.append(
                    f"{path}: an audience cost is paid for backing down after its own public "
                    "escalation, and it has no escalation rungs (allowed: 0, or escalation rungs)"
                )
        for other, belief in actor.beliefs.items():
            if other not in actors or other == actor_id:
                others = [a for a in actors if a != actor_id]
                errors.append(
                    f"actors.{actor_id}.beliefs.{other}: unknown actor '{other}' "
                    f"(allowed: {allowed(others)})"
                )
                continue
            errors.extend(_belief_errors(scenario, actor_id, other, belief))
        if actor.war is not None:
            if actor.war.against not in actors or actor.war.against == actor_id:
                others = [a for a in actors if a != actor_id]
                errors.append(
                    f"actors.{actor_id}.war.against: unknown actor '{actor.war.against}' "
                    f"(allowed: {allowed(others)})"
                )
    for rung_id, rung in rungs.items():
        holders = [a for a, spec in actors.items() if rung_id in spec.escalation]
        if not holders:
            errors.append(
                f"escalation_ladder.{rung_id}: no actor's escalation lists it, so nothing uses "
                "it (allowed: name it in an actor's escalation, or leave it out)"
            )
        elif param_support(rung.deterrence)[1] > 0 and not any(
            spec.war is not None and other != holder
            for holder in holders
            for other, spec in actors.items()
        ):
            # Deterrence lowers a target's war option, and a climber values it by the war
            # risk it faces (section 7.14): both need a war option held by someone else.
            errors.append(
                f"escalation_ladder.{rung_id}.deterrence: no actor but its users has a war "
                "option, so nothing is deterred (allowed: 0, or give another actor war)"
            )
    errors.extend(stake_errors(scenario))
    errors.extend(derived_errors(scenario))
    breakers = [a for a, spec in actors.items() if spec.breach is not None]
    fighting = [a for a, spec in actors.items() if spec.war is not None and spec.war.ongoing]
    for actor_id in fighting[1:]:
        errors.append(
            f"actors.{actor_id}.war.ongoing: '{fighting[0]}' already fights the war under way "
            "(allowed: one actor with ongoing: true, the war's aggressor)"
        )
    ceasefires = [i for i, issue in issues.items() if issue.ceasefire]
    on_agenda = {i for r in scenario.rounds for i in r.agenda}
    if fighting and not set(ceasefires) & on_agenda:
        errors.append(
            f"actors.{fighting[0]}.war.ongoing: no round's agenda holds a ceasefire issue, so "
            "nothing could end the war (allowed: mark an agenda issue ceasefire: true)"
        )
    for issue_id in ceasefires:
        if not fighting:
            errors.append(
                f"issues.{issue_id}.ceasefire: no war is under way, so nothing uses it "
                "(allowed: give an actor's war ongoing: true)"
            )
    for issue_id, issue in issues.items():
        revisers = [
            a
            for a, actor in actors.items()
            if issue_id in actor.positions
            and actor.escalation
            and param_support(actor.mandate.soften)[1] > 0
            and param_support(actor.mandate.audience_cost)[1] > 0
        ]
        if issue.secret and not revisers:
            errors.append(
                f"issues.{issue_id}.secret: no actor holding it has an audience cost to escape, "
                "so nothing uses it (allowed: a party holding it with escalation, mandate.soften "
                "and mandate.audience_cost above 0)"
            )
        for name, default in (("detection", 1.0), ("verified_by", None)):
            if getattr(issue, name) != default and not breakers:
                errors.append(
                    f"issues.{issue_id}.{name}: no actor may breach an agreement, so nothing "
                    "uses it (allowed: give some actor breach.penalty)"
                )
        if issue.verified_by is not None:
            if issue.verified_by not in issues or issue.verified_by == issue_id:
                others = [i for i in issues if i != issue_id]
                errors.append(
                    f"issues.{issue_id}.verified_by: unknown issue '{issue.verified_by}' "
                    f"(allowed: {allowed(others)})"
                )
            elif issue.detection != 1.0:
                errors.append(
                    f"issues.{issue_id}.detection: set by verified_by "
                    f"'{issue.verified_by}' (allowed: one of detection and verified_by)"
                )
    for bloc_id, bloc in blocs.items():
        if bloc_id in actors:
            errors.append(f"blocs.{bloc_id}: id is already an actor's (ids must be unique)")
        for index, member in enumerate(bloc.members):
            if member not in actors:
                errors.append(
                    f"blocs.{bloc_id}.members.{index}: unknown actor '{member}' "
                    f"(allowed: {allowed(actors)})"
                )
        if bloc.speaker not in bloc.members:
            errors.append(
                f"blocs.{bloc_id}.speaker: '{bloc.speaker}' is not a member "
                f"(allowed: {allowed(bloc.members)})"
            )
        errors.extend(_decision_errors(bloc_id, bloc))
    sides = list(actors) + list(blocs)
    for index, veto in enumerate(scenario.vetoes):
        path = f"vetoes.{index}"
        if veto.holder not in actors:
            errors.append(
                f"{path}.holder: unknown actor '{veto.holder}' (allowed: {allowed(actors)})"
            )
        for j, issue_id in enumerate(veto.issues):
            if issue_id not in issues:
                errors.append(
                    f"{path}.issues.{j}: unknown issue '{issue_id}' (allowed: {allowed(issues)})"
                )
        for j, bound in enumerate(veto.binds):
            if bound not in sides:
                errors.append(
                    f"{path}.binds.{j}: unknown actor or bloc '{bound}' (allowed: {allowed(sides)})"
                )
        if veto.stage == "ratification" and veto.holder in actors:
            for j, issue_id in enumerate(veto.issues):
                if issue_id in issues and issue_id not in actors[veto.holder].positions:
                    errors.append(
                        f"{path}.issues.{j}: ratifier '{veto.holder}' holds no position on "
                        f"'{issue_id}', so it would ratify anything there (allowed: "
                        f"{allowed(actors[veto.holder].positions)})"
                    )
    seen_rounds: set[str] = set()
    for index, round_ in enumerate(scenario.rounds):
        path = f"rounds.{index}"
        if round_.id in seen_rounds:
            errors.append(f"{path}.id: round id '{round_.id}' is used twice")
        seen_rounds.add(round_.id)
        for j, side in enumerate(round_.participants):
            if side not in sides:
                errors.append(
                    f"{path}.participants.{j}: unknown actor or bloc '{side}' "
                    f"(allowed: {allowed(sides)})"
                )
            elif side in actors and actors[side].role == "mediator":
                errors.append(
                    f"{path}.participants.{j}: '{side}' is a mediator, not a party "
                    "(name it as mediator instead)"
                )
        for j, issue_id in enumerate(round_.agenda):
            if issue_id not in issues:
                errors.append(
                    f"{path}.agenda.{j}: unknown issue '{issue_id}' (allowed: {allowed(issues)})"
                )
        if round_.mediator is not None:
            if round_.mediator not in actors:
                errors.append(
                    f"{path}.mediator: unknown actor '{round_.mediator}' (allowed: {allowed(actors)})"
                )
            elif round_.mediator in round_.participants:
                errors.append(f"{path}.mediator: the mediator cannot also be a participant")
        errors.extend(_curved_subgame_perfect_errors(scenario, index))
    if scenario.record is not None and scenario.record.source not in scenario.sources:
        errors.append(
            f"record.source: unknown source '{scenario.record.source}' "
            f"(allowed: {allowed(scenario.sources)})"
        )
    return errors


def _decision_errors(bloc_id: str, bloc: Bloc) -> list[str]:
    """A decision rule's fields must fit the rule: what the rule would not use is refused."""
    path = f"blocs.{bloc_id}"
    errors = []
    if bloc.decision == "consensus":
        for name in ("required", "share", "weights"):
            if getattr(bloc, name):
                errors.append(
                    f"{path}.{name}: consensus needs every member, so nothing uses it "
                    "(allowed: decision sufficient_consensus or qualified_majority)"
                )
        return errors
    if bloc.share is None:
        errors.append(
            f"{path}.share: {bloc.decision} needs the share that must agree (allowed: 0 < share <= 1)"
        )
    if bloc.weights and bloc.decision != "qualified_majority":
        errors.append(
            f"{path}.weights: only qualified_majority weighs members (allowed: decision "
            "qualified_majority)"
        )
    for name, ids in (("required", bloc.required), ("weights", list(bloc.weights))):
        for j, member in enumerate(ids):
            if member not in bloc.members:
                where = f"{path}.{name}.{j}" if name == "required" else f"{path}.{name}.{member}"
                errors.append(
                    f"{where}: '{member}' is not a member (allowed: {', '.join(bloc.members)})"
                )
    for member, weight in bloc.weights.items():
        if not (weight >= 0 and math.isfinite(weight)):
            errors.append(f"{path}.weights.{member}: {weight} (allowed: a number >= 0)")
    return errors


def _belief_errors(scenario: Scenario, actor_id: str, other: str, belief: Belief) -> list[str]:
    """A prior about a parameter the other actor does not have would be ignored: refuse it."""
    errors = []
    path = f"actors.{actor_id}.beliefs.{other}"
    about = scenario.actors[other]
    # Its risk acceptance is read only through its war lottery and its climbs here.
    risky = about.war is not None or bool(about.escalation)
    for name in ("win_probability", "war_cost"):
        if getattr(belief, name) is not None and about.war is None:
            errors.append(
                f"{path}.{name}: '{other}' has no war option, so nothing uses this prior "
                f"(allowed: priors on red_lines{' or risk_acceptance' if risky else ''})"
            )
    if belief.risk_acceptance is not None and not risky:
        errors.append(
            f"{path}.risk_acceptance: '{other}' has no war option and no escalation rungs, so "
            "nothing uses this prior (allowed: priors on red_lines)"
        )
    for issue_id, prior in belief.red_lines.items():
        if issue_id not in about.positions:
            errors.append(
                f"{path}.red_lines.{issue_id}: '{other}' holds no position on '{issue_id}' "
                f"(allowed: {', '.join(about.positions) or 'none defined'})"
            )
            continue
        low, high = scenario.issues[issue_id].scale if issue_id in scenario.issues else (0, 0)
        red_low, red_high = param_support(prior)
        if getattr(prior, "dist", "") == "normal":
            red_low = red_high = param_mean(prior)
        if issue_id in scenario.issues and (red_low < low or red_high > high):
            errors.append(
                f"{path}.red_lines.{issue_id}: {red_low:g} to {red_high:g} is outside the "
                f"scale (allowed: {low:g} to {high:g})"
            )
    return errors


def _curved_subgame_perfect_errors(scenario: Scenario, index: int) -> list[str]:
    """Refuse ``subgame_perfect`` where a curved utility meets a game it cannot solve.

    The strategy solves Rubinstein's game for the actual utilities on one
    divisible issue in alternating offers; over several issues, or in a
    mediated round, its shares are taken on the utility scale, which is the
    equilibrium only for linear utilities.
    """
    round_ = scenario.rounds[index]
    if round_.protocol == "alternating_offers":
        if len(round_.agenda) < 2:
            return []
        where = f"round '{round_.id}' has {len(round_.agenda)} issues"
    elif round_.protocol in ("mediated", "shuttle"):
        where = f"round '{round_.id}' is {round_.protocol}"
    else:
        return []
    members = [
        m
        for side in round_.participants
        if side in scenario.blocs or side in scenario.actors
        for m in scenario.side_members(side)
        if m in scenario.actors
    ]
    if all(scenario.actors[m].utility == "linear" for m in members):
        return []
    return [
        f"actors.{m}.strategy: subgame_perfect is solved for a non-linear utility only in "
        f"alternating offers on one issue, and {where} (allowed: one agenda issue in "
        "alternating offers, or linear utilities for every participant)"
        for m in members
        if scenario.actors[m].strategy.kind == "subgame_perfect"
    ]
