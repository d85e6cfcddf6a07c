"""What the classroom page shows, as plain data: names for ids, a run so far, a tally of seeds.

Kept apart from the page's components (:mod:`sim.viz.app`) so each piece can be
tested without solara: the page only lays these out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sim.model.model import NegotiationModel
from sim.model.outcome import Outcome, RunResult
from sim.runner import run
from sim.scenario.schema import Scenario

MAX_TALLY_SEEDS = 100
"""The most seeds one press of "Run seeds" plays (a baseline run takes ~0.1 s)."""


def display_names(scenario: Scenario) -> dict[str, str]:
    """Actor, bloc and issue ids with the names a class reads (issues: underscores as spaces)."""
    names = {issue: issue.replace("_", " ") for issue in scenario.issues}
    names.update({bloc_id: bloc.name or _bloc_name(bloc_id) for bloc_id, bloc in scenario.blocs.items()})
    names.update({actor_id: actor.name for actor_id, actor in scenario.actors.items()})
    return {key: value for key, value in names.items() if key != value}


def with_names(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every id replaced by its name, outside parentheses.

    A round's opening line introduces actors as ``id (Name)``: that becomes ``Name``.
    Parenthesised text holds labels and numbers written by the scenario's author
    ("open door without a timeline"), where a short id such as ``a`` is a word:
    there only ids with an underscore (``force_posture``) are replaced.
    """
    if not names:
        return text
    ids = sorted(names, key=len, reverse=True)
    alternatives = "|".join(re.escape(key) for key in ids)
    introduced = re.compile(rf"\b({alternatives}) \(([^()]*)\)")
    text = introduced.sub(
        lambda m: names[m.group(1)] if m.group(2) == names[m.group(1)] else m.group(0), text
    )
    word = re.compile(rf"(?<![\w.])({alternatives})\b")
    compound = [key for key in ids if "_" in key]  # never a plain word, so safe in parentheses
    inside = re.compile(rf"\b({'|'.join(re.escape(key) for key in compound)})\b") if compound else None
    pieces = re.split(r"(\([^()]*\))", text)
    shown = []
    for piece in pieces:
        if not piece.startswith("("):
            shown.append(word.sub(lambda m: names[m.group(1)], piece))
        elif inside is not None:
            shown.append(inside.sub(lambda m: names[m.group(1)], piece))
        else:
            shown.append(piece)
    return "".join(shown)


def round_label(round_id: str, venues: Mapping[str, str]) -> str:
    """A transcript event's round by its venue: ``Geneva``, ``Geneva, home`` between rounds.

    The aftermath, or a round the scenario does not list, keeps its id.
    """
    base, home, _ = round_id.partition(":home")
    venue = venues.get(base)
    if venue is None:
        return round_id
    return f"{venue}, home" if home else venue


def run_so_far(model: NegotiationModel) -> RunResult:
    """The run up to now as a :class:`RunResult`, for the figures that draw a run as it goes.

    An ended run gives its real result. A running one gives its transcript and
    round log so far with an outcome that says so ("run in progress", every
    actor at utility 0, no war): the figures read only the transcript, the round
    log, the actors (for colours) and the war, never the class or utilities.
    """
    if model.outcome is not None:
        return model.result()
    actors = list(model.actors)
    outcome = Outcome(
        outcome_class="talks_continue",
        agreed={},
        utilities=dict.fromkeys(actors, 0.0),
        highest_rung=dict.fromkeys(actors),
        war=None,
        rounds_played=model.rounds_played,
        reason="run in progress",
    )
    rounds = list(model.round_log)
    logged = {entry["id"] for entry in rounds}
    for spec in model.spec.rounds:  # the round under way is logged only when it ends
        if spec.id not in logged and any(e.round == spec.id for e in model.events):
            rounds.append({"id": spec.id, "venue": spec.venue, "date": spec.date.isoformat()})
    seed = model.seed_value
    return RunResult(
        scenario=model.spec.name,
        seed=int(seed) if isinstance(seed, int) else -1,
        outcome=outcome,
        transcript=list(model.events),
        rounds=rounds,
    )


def has_dance(model: NegotiationModel) -> bool:
    """Whether the run so far has an offer the concession figure draws (a side's, with its worth)."""
    return any(e.kind == "offer" and e.actor in e.utilities for e in model.events)


def has_escalation(model: NegotiationModel) -> bool:
    """Whether anyone has climbed a rung or gone to war so far."""
    return any(e.kind in ("escalate", "war") for e in model.events)


@dataclass(frozen=True)
class TallyRow:
    """One outcome class over the seeds played: how many runs, which seeds."""

    outcome_class: str
    runs: int
    seeds: tuple[int, ...]


def tally(scenario: Scenario, seeds: Sequence[int]) -> list[TallyRow]:
    """Play ``scenario`` once per seed (no transcript) and count the outcome classes.

    Rows come in the order of :data:`CLASS_ORDER`; a class no seed reached is left out.
    """
    found: dict[str, list[int]] = {}
    for seed in seeds:
        outcome = run(scenario, seed=seed, transcript=False).outcome
        found.setdefault(outcome.outcome_class, []).append(seed)
    return [
        TallyRow(name, len(found[name]), tuple(found[name])) for name in CLASS_ORDER if name in found
    ]


CLASS_ORDER = ("agreement", "partial", "talks_continue", "deadlock", "war")
"""Outcome classes from the most to the least agreed, the tally's row order."""


def seed_range(count: int) -> str:
    """The seeds a tally of ``count`` runs plays, as a button says it: ``0–9``."""
    return "0" if count == 1 else f"0–{count - 1}"


def _bloc_name(bloc_id: str) -> str:
    return bloc_id.upper() if len(bloc_id) <= 4 else bloc_id.replace("_", " ")


def outcome_text(lines: Sequence[str], names: Mapping[str, str]) -> str:
    """The outcome block of ``sim run`` (``render_outcome``) with names, its columns re-aligned.

    Names are longer than ids, so the issue and actor rows are padded to the
    longest name shown rather than to the block's fixed 16 characters.
    """
    named = [with_names(line, names) for line in lines]
    rows = [_OUTCOME_ROW.match(line) for line in named]
    width = max((len(m.group(1)) for m in rows if m), default=16)
    shown = []
    for line, row in zip(named, rows, strict=True):
        if line.startswith("Actors:"):
            shown.append(f"{'Actors:':<{width + 2}} utility  highest rung")
        elif row and row.group(3) is not None:  # an actor: utility right-aligned as in the block
            shown.append(f"  {row.group(1):<{width}} {float(row.group(3)):>7.2f}  {row.group(4)}")
        elif row:
            shown.append(f"  {row.group(1):<{width}} {row.group(2)}")
        else:
            shown.append(line)
    return "\n".join(shown)


_OUTCOME_ROW = re.compile(r"^  (\S.*?) +((?:not agreed|agreed at ).*|(-?\d+\.\d\d)  (.*))$")
"""An issue row (name, then "not agreed" or "agreed at …") or an actor row (name, utility, rung)."""
