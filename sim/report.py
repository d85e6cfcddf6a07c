"""Text reports of a run: the transcript grouped by round, then the outcome."""

from __future__ import annotations

from itertools import groupby

from sim.model.outcome import RunResult
from sim.model.utility import short

MARKS = {
    "round_open": "",
    "offer": "→",
    "accept": "✓",
    "reject": "✗",
    "walk_out": "⇥",
    "agreement": "■",
    "ratification": "⚖",
    "breach": "↯",
    "defection": "⇄",
    "no_agreement": "■",
    "escalate": "▲",
    "de-escalate": "▼",
    "belief": "≈",
    "hold": "·",
    "mandate": "↺",
    "no_deal_change": "◆",
    "war": "✹",
    "fighting": "✹",
    "ceasefire": "☮",
    "no_war": "·",
}


def _heading(round_id: str) -> str:
    if round_id == "aftermath":
        return "Aftermath"
    if round_id.endswith(":home"):
        return f"Between rounds — delegations return home ({round_id.removesuffix(':home')})"
    return ""


def render_transcript(result: RunResult) -> str:
    """The run as readable text: one block per round, then the outcome."""
    lines = [f"{result.scenario} — seed {result.seed}", ""]
    for round_id, events in groupby(result.transcript, key=lambda event: event.round):
        block = list(events)
        heading = _heading(round_id)
        if heading:
            lines.append(f"== {heading} ==")
        for event in block:
            if event.kind == "round_open":
                lines.append(f"== {event.text} ==")
                continue
            where = f"[{event.date}]" if round_id == "aftermath" or event.kind == "war" else ""
            step = f"{event.exchange:>3}" if event.exchange else "   "
            prefix = where or step
            lines.append(f"{prefix} {MARKS.get(event.kind, '')} {event.text}")
        lines.append("")
    lines.extend(render_outcome(result))
    return "\n".join(lines) + "\n"


def render_outcome(result: RunResult) -> list[str]:
    """The outcome block: class, agreed positions with labels, utilities, highest rungs."""
    outcome = result.outcome
    lines = [f"== Outcome: {outcome.outcome_class.upper().replace('_', ' ')} ==", outcome.reason]
    lines.append("Issues:")
    for issue, agreement in outcome.agreed.items():
        if agreement is None:
            lines.append(f"  {issue:<16} not agreed")
        else:
            label = f" ({agreement.label})" if agreement.label else ""
            lines.append(
                f"  {issue:<16} agreed at {short(agreement.position)}{label} in {agreement.round}"
            )
    lines.append("Actors:            utility  highest rung")
    for actor, utility in outcome.utilities.items():
        rung = outcome.highest_rung.get(actor) or "—"
        lines.append(f"  {actor:<16} {utility:>7.2f}  {rung}")
    if result.record is not None:
        record = result.record
        lines.append(f"On the record: {record.outcome} — {record.summary} [{record.source}]")
    return lines
