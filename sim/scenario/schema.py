"""The scenario file as data: frozen pydantic models, every field described.

This module holds the shape of a scenario: every field, its type, range and
default. The checks of a whole part (an issue's scale, a round's protocol) and
of the whole scenario (cross-references) live in :mod:`sim.scenario.rules` and
:mod:`sim.scenario.references`, which the models inherit and which
:mod:`sim.scenario.quick` runs without pydantic. Reading YAML, locating errors
in the file and applying overrides live in :mod:`sim.scenario.loader` and
:mod:`sim.scenario.overrides`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from sim.scenario.distributions import Param
from sim.scenario.frozen import Frozen
from sim.scenario.references import ScenarioRules
from sim.scenario.rules import (
    STEP_DAYS,
    AftermathRules,
    DateLimit,
    InRange,
    IssueRules,
    RoundRules,
    StrategyRules,
)

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="An id: lower-case letters, digits and underscores, starting with a letter.",
    ),
]


Probability = Annotated[Param, AfterValidator(InRange(0.0, 1.0))]
Unit = Annotated[Param, AfterValidator(InRange(0.0, 1.0))]
NonNegative = Annotated[Param, AfterValidator(InRange(0.0, float("inf")))]


class Source(Frozen):
    """A document the scenario's numbers come from."""

    title: str = Field(description="Title of the document.")
    publisher: str | None = Field(default=None, description="Who published it.")
    date: dt.date | None = Field(default=None, description="Publication date (YYYY-MM-DD).")
    url: str | None = Field(default=None, description="Where to find it.")


class Issue(Frozen, IssueRules):
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


class Strategy(Frozen, StrategyRules):
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


class Round(Frozen, RoundRules):
    """One session of talks at a venue."""

    id: Identifier = Field(description="Round id, unique in the scenario.")
    venue: str = Field(description="Where it meets (e.g. Geneva).")
    date: Annotated[dt.date, AfterValidator(DateLimit())] = Field(
        description="When it meets (YYYY-MM-DD)."
    )
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


class Aftermath(Frozen, AftermathRules):
    """The weeks after the last round: escalation and the decision for war."""

    days: int = Field(default=0, ge=0, le=3650, description="Length in days, >= 0.")
    step_days: int = Field(
        default=STEP_DAYS, ge=1, le=365, description="Days per step, >= 1 (only with days above 0)."
    )


RecordedClass = Literal["agreement", "partial", "deadlock", "talks_continue", "war"]
"""The outcome classes a record may name: the engine's own (``sim.model.outcome.OutcomeClass``)."""


class Record(Frozen):
    """What happened historically, so a run can be set beside the record."""

    outcome: RecordedClass = Field(
        description="The historical outcome, as one of the engine's outcome classes."
    )
    summary: str = Field(min_length=1, description="What happened, in a sentence.")
    source: Identifier = Field(description="The key in `sources` of the document that says so.")


class Scenario(Frozen, ScenarioRules):
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

    def with_overrides(self, overrides: dict[str, Any]) -> Scenario:
        """A new scenario with values replaced at dotted paths, re-validated.

        >>> s.with_overrides({"actors.russia.risk_acceptance": 0.4})  # doctest: +SKIP
        """
        from sim.scenario.overrides import apply_overrides

        return apply_overrides(self, overrides)
