"""What a run came to: the outcome class, agreed positions, utilities, and the result object."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sim.model.transcript import Event

if TYPE_CHECKING:
    import pandas as pd

OutcomeClass = Literal["agreement", "partial", "deadlock", "talks_continue", "war"]
Stage = Literal["none", "signed", "ratified", "implemented", "breached"]
"""How far the run's substantive agreement got (docs/model.md, section 7.31)."""


@dataclass(frozen=True)
class Agreement:
    """One agreed issue: where, when and at what position."""

    issue: str
    position: float
    label: str
    round: str
    exchange: int


@dataclass(frozen=True)
class WarStart:
    """Who went to war against whom, when, and why."""

    aggressor: str
    target: str
    date: str
    cause: Literal["decision", "slide", "ongoing"]
    reason: str


@dataclass(frozen=True)
class Outcome:
    """The end state of a run: agreed positions, class, utilities and rungs (docs/model.md)."""

    outcome_class: OutcomeClass
    agreed: dict[str, Agreement | None]
    utilities: dict[str, float]
    highest_rung: dict[str, str | None]
    war: WarStart | None
    rounds_played: int
    reason: str
    stage: Stage = "none"
    """How far the substantive agreement got: none signed, signed (never ratified, or
    overtaken by war before implementation), ratified, implemented, or breached."""


def classify(
    agreed: dict[str, Agreement | None],
    substantive: list[str],
    procedural: list[str],
    war: WarStart | None,
) -> tuple[OutcomeClass, str]:
    """The outcome class and why.

    war if a war began; agreement if every substantive issue on any agenda was
    agreed; partial if some were; talks_continue if only procedural issues (more
    talks) were agreed; deadlock otherwise.
    """
    if war is not None:
        return "war", f"{war.aggressor} went to war against {war.target} ({war.reason})"
    if not substantive and not procedural:
        return "deadlock", "no issue was on any agenda: the run played games only (see its results)"
    done = [i for i in substantive if agreed.get(i) is not None]
    if substantive and len(done) == len(substantive):
        return "agreement", "every substantive issue on the agenda was agreed"
    if done:
        open_ = [i for i in substantive if agreed.get(i) is None]
        return "partial", f"agreed {', '.join(done)}; still open: {', '.join(open_)}"
    if any(agreed.get(i) is not None for i in procedural):
        return "talks_continue", "no substantive agreement, but the sides agreed to keep talking"
    return "deadlock", "nothing was agreed"


@dataclass(frozen=True)
class Record:
    """The historical outcome a scenario records, carried so reports can show it beside the run."""

    outcome: OutcomeClass
    summary: str
    source: str


@dataclass
class RunResult:
    """One run: its seed, outcome and transcript (the unit every analysis consumes).

    ``rounds`` logs each round played: id, venue, date, what it agreed, and the
    red lines each party held in it (``red_lines``, after any mandate revision).
    """

    scenario: str
    seed: int
    outcome: Outcome
    transcript: list[Event] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    forecasts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    record: Record | None = None
    types: dict[str, dict[str, float]] = field(default_factory=dict)
    """Each party's drawn private type (:meth:`~sim.model.agents.ActorAgent.drawn_type`)."""

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-friendly."""
        outcome = asdict(self.outcome)
        data = {
            "scenario": self.scenario,
            "seed": self.seed,
            "outcome": outcome,
            "rounds": self.rounds,
            "forecasts": self.forecasts,
            "types": self.types,
            "transcript": [event.to_dict() for event in self.transcript],
        }
        if self.record is not None:  # only then: results of other scenarios keep their bytes
            data["record"] = asdict(self.record)
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The full result as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_row(self) -> dict[str, Any]:
        """One tidy row: seed, class, agreed position per issue, utility and rung per actor."""
        row: dict[str, Any] = {
            "scenario": self.scenario,
            "seed": self.seed,
            "outcome": self.outcome.outcome_class,
            "stage": self.outcome.stage,
            "rounds_played": self.outcome.rounds_played,
            "war_aggressor": self.outcome.war.aggressor if self.outcome.war else None,
            "war_date": self.outcome.war.date if self.outcome.war else None,
        }
        for issue, agreement in self.outcome.agreed.items():
            row[f"agreed.{issue}"] = agreement.position if agreement else None
            row[f"agreed_round.{issue}"] = agreement.round if agreement else None
        for actor, value in self.outcome.utilities.items():
            row[f"utility.{actor}"] = value
        for actor, rung in self.outcome.highest_rung.items():
            row[f"rung.{actor}"] = rung
        return row

    def to_frame(self) -> pd.DataFrame:
        """The tidy row as a one-row DataFrame (dtypes in :mod:`sim.model.frames`).

        The outcome is categorical, ``war_date`` a ``datetime64`` and every
        missing value NaN, as when the frame is read back from CSV with
        :func:`sim.model.frames.read_csv`.
        """
        from sim.model.frames import summary_frame

        return summary_frame(self)

    def exchanges_frame(self) -> pd.DataFrame:
        """One row per offer, acceptance, rejection or hold (:func:`sim.model.frames.exchanges_frame`)."""
        from sim.model.frames import exchanges_frame

        return exchanges_frame(self)
