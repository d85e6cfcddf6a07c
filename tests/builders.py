"""Small builders for the scenario dictionaries the tests write by hand.

Every helper returns plain data (dicts and lists) except :func:`build`, which
validates the dictionary into a :class:`~sim.scenario.schema.Scenario`. A helper
writes only the keys it is given or documents as a default, so a scenario built
with them is the same as the literal dictionary it replaces.

Typical use::

    from builders import actor, build, one_round, position

    s = build(
        {"x": {"status_quo": 50}},
        {"a": actor("A", {"x": position(0, 60)}), "b": actor("B", {"x": position(100, 40)})},
        [one_round(["a", "b"], ["x"], hours=1)],
    )

The tests import this module as ``builders``: ``pythonpath = ["tests"]`` in
``[tool.pytest.ini_options]`` puts ``tests/`` on ``sys.path``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from sim.scenario.schema import Scenario

DATE = "2022-01-10"
"""The date every hand-built round takes unless told otherwise."""


def position(
    ideal: Any, red_line: Any, salience: float | None = None, **extra: Any
) -> dict[str, Any]:
    """A stance on one issue: ideal and red line (a number or a distribution).

    ``salience`` is written only when given (the schema's default is 1.0);
    ``extra`` adds other keys, e.g. ``core=True``.
    """
    stance: dict[str, Any] = {"ideal": ideal, "red_line": red_line}
    if salience is not None:
        stance["salience"] = salience
    return {**stance, **extra}


def stances(pairs: Mapping[str, tuple[Any, Any]]) -> dict[str, dict[str, Any]]:
    """Stances by issue from ``{issue: (ideal, red_line)}``, in the mapping's order."""
    return {issue: position(ideal, red_line) for issue, (ideal, red_line) in pairs.items()}


def actor(name: str, positions: Mapping[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """An actor called ``name``; ``positions`` (stances by issue) only when given.

    ``extra`` adds the actor's other keys: ``discount``, ``strategy``, ``role``, ...
    """
    spec: dict[str, Any] = {"name": name}
    if positions is not None:
        spec["positions"] = dict(positions)
    return {**spec, **extra}


def one_round(
    participants: Sequence[str],
    agenda: Sequence[str],
    protocol: str = "alternating_offers",
    hours: float = 2,
    *,
    round_id: str = "r",
    venue: str = "V",
    date: str = DATE,
    **extra: Any,
) -> dict[str, Any]:
    """One round of talks between ``participants`` on ``agenda``.

    ``extra`` adds the round's other keys: ``mediator``, ``first_proposer``,
    ``exchanges_per_hour``, ...
    """
    return {
        "id": round_id,
        "venue": venue,
        "date": date,
        "participants": list(participants),
        "protocol": protocol,
        "agenda": list(agenda),
        "hours": hours,
        **extra,
    }


def scenario_dict(
    issues: Mapping[str, Any],
    actors: Mapping[str, Any],
    rounds: Sequence[Mapping[str, Any]] | None = None,
    *,
    name: str = "test",
    **extra: Any,
) -> dict[str, Any]:
    """A whole scenario as a dictionary (schema version 1), not yet validated.

    Without ``rounds``: one round (:func:`one_round`'s defaults) between the
    first two actors on every issue. ``extra`` adds top-level keys: ``blocs``,
    ``vetoes``, ...
    """
    if rounds is None:
        rounds = [one_round(list(actors)[:2], list(issues))]
    return {
        "schema_version": 1,
        "name": name,
        "issues": dict(issues),
        "actors": dict(actors),
        "rounds": [dict(round_) for round_ in rounds],
        **extra,
    }


def build(
    issues: Mapping[str, Any],
    actors: Mapping[str, Any],
    rounds: Sequence[Mapping[str, Any]] | None = None,
    *,
    name: str = "test",
    **extra: Any,
) -> Scenario:
    """:func:`scenario_dict`, validated into a :class:`Scenario`."""
    return Scenario.model_validate(scenario_dict(issues, actors, rounds, name=name, **extra))


def call(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the ``sim`` CLI in-process; return its exit code, stdout and stderr."""
    from sim.cli import main

    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), out, err


class StopAfter:
    """A progress callback that interrupts a batch or sweep once ``runs`` runs are done (Ctrl-C)."""

    def __init__(self, runs: int) -> None:
        self.runs = runs

    def __call__(self, done: int, total: int) -> None:
        if done >= self.runs:
            raise KeyboardInterrupt


def must_agree(scenario: Scenario, round_id: str, issue: str) -> list[str]:
    """Actors whose consent an agreement on ``issue`` in round ``round_id`` needs.

    Every member of every participating side (for a bloc deciding by a majority
    rule, its required members and its speaker), and every veto holder not at
    the table whose veto covers the issue and binds a side (or a member of a
    side) at the table.
    """
    round_ = next(r for r in scenario.rounds if r.id == round_id)
    at_table: list[str] = []
    needed: list[str] = []
    bound_ids: set[str] = set(round_.participants)
    for side in round_.participants:
        members = scenario.side_members(side)
        at_table.extend(members)
        bloc = scenario.blocs.get(side)
        if bloc is not None and bloc.decision != "consensus":
            needed.extend(m for m in members if m in bloc.required or m == bloc.speaker)
        else:
            needed.extend(members)
    bound_ids.update(at_table)
    for veto in scenario.vetoes:
        if veto.holder in at_table or issue not in veto.issues:
            continue
        if bound_ids & set(veto.binds):
            needed.append(veto.holder)
    return needed


def red_line_breaches(scenario: Scenario, model: Any, tolerance: float = 1e-9) -> list[str]:
    """Agreements of a finished model outside the acceptable set of anyone who must agree.

    Red lines are read from the model's actors (the ones realised for the run),
    so the check holds while no mandate moves them (``soften: 0``).
    """
    breaches = []
    for issue, agreement in model.outcome.agreed.items():
        if agreement is None:
            continue
        for actor_id in must_agree(scenario, agreement.round, issue):
            stance = model.actors[actor_id].stances.get(issue)
            if stance is None:
                continue
            low, high = sorted((stance.ideal, stance.red_line))
            if not low - tolerance <= agreement.position <= high + tolerance:
                breaches.append(
                    f"{issue} agreed at {agreement.position:g} in {agreement.round}, outside "
                    f"{actor_id}'s acceptable [{low:g}, {high:g}]"
                )
    return breaches
