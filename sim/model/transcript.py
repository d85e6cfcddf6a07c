"""Transcript events: what happened in a run, each with its reason in words."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EventKind = Literal[
    "round_open",
    "offer",
    "accept",
    "reject",
    "walk_out",
    "agreement",
    "ratification",
    "breach",
    "defection",
    "no_agreement",
    "escalate",
    "de-escalate",
    "belief",
    "hold",
    "mandate",
    "no_deal_change",
    "war",
    "fighting",
    "ceasefire",
    "no_war",
]


@dataclass(frozen=True, slots=True)
class Event:
    """One line of the transcript.

    Attributes:
        date: ISO date the event belongs to.
        round: Round id, or "aftermath".
        exchange: Exchange number within the round (0 outside exchanges).
        kind: What happened (offer, reject, escalate, war, ...).
        actor: Who acted (actor or bloc id), or "" for the venue itself.
        text: The event in words, including its reason.
        package: Positions offered or agreed, by issue, when the event has them.
        utilities: For an alternating-offers offer, what the package is worth to
            each side's speaker (proposer and responder, by side id); empty otherwise.
    """

    date: str
    round: str
    exchange: int
    kind: EventKind
    actor: str
    text: str
    package: dict[str, float] = field(default_factory=dict)
    utilities: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy."""
        return asdict(self)
