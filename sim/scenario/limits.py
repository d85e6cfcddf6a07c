"""Values the engine can compute with and print: checked before the schema sees them.

A range check such as ``0 <= x <= 1`` lets NaN through (every comparison with
NaN is false), and a number may be in range for its field yet break the
arithmetic downstream (``1e308 + 1e308`` is ``inf``). Text may hold characters
that cannot be printed or encoded (a lone surrogate) or that drive a terminal
(ESC). So every value of a scenario, in a file or given with ``--set``, is first
checked here:

- numbers must be finite and at most :data:`MAX_MAGNITUDE` in size, and a
  number other than 0 at least :data:`MIN_MAGNITUDE` (products of smaller ones
  underflow to 0, turning a tiny weight into none);
- text must be valid Unicode without control characters; only a ``description``
  may span lines (hold tabs and newlines), so a name or id printed in a
  transcript or an error stays on its line.

The work a scenario asks for is bounded too: :func:`estimated_work` counts it and
:func:`check_work` refuses a scenario above a limit (``--max-work`` raises it).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sim.errors import UserError
from sim.scenario.locations import Locations, format_segment, join_path

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

MAX_MAGNITUDE = 1e12
"""Largest size of any number in a scenario: far beyond any real value, far below overflow."""

MIN_MAGNITUDE = 1e-12
"""Smallest size of a number other than 0."""

MAGNITUDE_RULE = "finite numbers from -1e12 to 1e12; other than 0, at least 1e-12 in size"

TEXT_RULE = "printable text on one line"
MULTILINE_RULE = "printable text; tabs and newlines are allowed"
MULTILINE_FIELDS = frozenset({"description"})
"""Fields whose text may span lines."""

MAX_WORK = 100_000_000
"""Default work limit: about a quarter of an hour of one run on a laptop."""


def value_errors(data: Any, locations: Locations) -> list[UserError]:
    """Every number or text in ``data`` the engine cannot compute with or print, located.

    Args:
        data: A scenario as plain data (mappings, lists, scalars, dates).
        locations: Where each path was written.

    Returns:
        The errors, in file order (empty when every value is fine).

    Example:
        >>> from sim.scenario.locations import Everywhere
        >>> [str(e) for e in value_errors({"seed": float("nan")}, Everywhere("--set"))]
        ['--set:1:1: seed: expected a finite number, got nan (allowed: finite numbers from -1e12 to 1e12; other than 0, at least 1e-12 in size)']
    """
    found: list[tuple[tuple[Any, ...], str, bool]] = []
    _walk(data, (), found)
    errors = [
        locations.error(join_path(*(format_segment(part) for part in parts)), problem, key=key)
        for parts, problem, key in found
    ]
    return sorted(errors, key=lambda e: (e.line, e.col))


def _walk(
    value: Any, parts: tuple[Any, ...], found: list[tuple[tuple[Any, ...], str, bool]]
) -> None:
    """Collect ``(path parts, problem, at the key?)`` for every bad value below ``value``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            child = (*parts, key) if key != "" else parts
            if not _fine(key):
                problem = _problem(key, multiline=False)
                if problem is not None:
                    found.append((child, f"key {problem}", True))
                    continue
            _walk(item, child, found)
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _walk(item, (*parts, index), found)
        return
    if _fine(value):
        return
    problem = _problem(value, multiline=bool(parts) and parts[-1] in MULTILINE_FIELDS)
    if problem is not None:
        found.append((parts, problem, False))


def _fine(value: Any) -> bool:
    """A quick yes for the common good values (the full check is :func:`_problem`)."""
    kind = type(value)
    if kind is float or kind is int:
        size = abs(value)
        return size <= MAX_MAGNITUDE and (size >= MIN_MAGNITUDE or value == 0)  # NaN: false
    if kind is str:
        return value.isprintable()
    return kind is bool or value is None


def _problem(value: Any, *, multiline: bool) -> str | None:
    """What is wrong with one scalar, or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"expected a finite number, got {value} (allowed: {MAGNITUDE_RULE})"
        if abs(value) > MAX_MAGNITUDE:
            return f"{value:g} is too large (allowed: {MAGNITUDE_RULE})"
        if value != 0 and abs(value) < MIN_MAGNITUDE:
            return f"{value:g} is too small (allowed: {MAGNITUDE_RULE})"
    if isinstance(value, int) and abs(value) > MAX_MAGNITUDE:
        shown = f"{value:g}" if abs(value) < 10**15 else f"a {len(str(abs(value)))}-digit number"
        return f"{shown} is too large (allowed: {MAGNITUDE_RULE})"
    if isinstance(value, str):
        return _text_problem(value, multiline)
    return None


def _text_problem(text: str, multiline: bool) -> str | None:
    """What makes text unprintable (or more than one line where one is wanted), or ``None``."""
    if text.isprintable():
        return None
    rule = MULTILINE_RULE if multiline else TEXT_RULE
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs":
            return f"holds a lone surrogate U+{ord(char):04X}, which is not text (allowed: {rule})"
        if category in ("Cc", "Zl", "Zp") and not (multiline and char in "\t\n\r"):
            return f"holds the control character U+{ord(char):04X} (allowed: {rule})"
    return None


def estimated_work(scenario: Scenario) -> int:
    """What one run of a scenario costs, in units of one player or actor moving once.

    A population game costs players × generations; a negotiation round costs
    exchanges × the actors who weigh each offer × the issues on its agenda; the
    aftermath costs its steps × the actors.

    Args:
        scenario: A validated scenario.

    Returns:
        The estimate (about 10 microseconds per unit on a laptop).
    """
    actors = len(scenario.actors)
    work = 0
    for round_ in scenario.rounds:
        if round_.game is not None:
            work += round_.game.population * round_.exchanges
        else:
            work += round_.exchanges * actors * max(1, len(round_.agenda))
    after = scenario.aftermath
    return work + math.ceil(after.days / after.step_days) * actors


def check_work(scenario: Scenario, limit: int | None, locations: Locations) -> None:
    """Refuse a scenario whose estimated work is above ``limit`` (``None``: no limit).

    Args:
        scenario: A validated scenario.
        limit: Most units of work allowed, or ``None`` for any amount.
        locations: Where the rounds were written (the error points at the costliest).

    Raises:
        UserError: At the costliest round, saying how to allow more.
    """
    if limit is None:
        return
    work = estimated_work(scenario)
    if work <= limit:
        return
    index, round_ = max(
        enumerate(scenario.rounds),
        key=lambda pair: (
            pair[1].exchanges
            * (pair[1].game.population if pair[1].game is not None else len(scenario.actors))
        ),
    )
    what = (
        f"{round_.game.population} players × {round_.exchanges} generations"
        if round_.game is not None
        else f"{round_.exchanges} exchanges × {len(scenario.actors)} actors"
    )
    raise locations.error(
        f"rounds.{index}",
        f"a run would take about {_number(work)} units of work ({what}), above the limit of "
        f"{_number(limit)} (allowed: shorten it, or pass --max-work {_suggest(work)} to allow it)",
    )


def _number(count: float) -> str:
    """A count as ``1.4e9``.

    >>> _number(1_440_000_000), _number(200_000_000)
    ('1.4e9', '2e8')
    """
    mantissa, exponent = f"{count:.2g}".split("e") if count >= 100 else (f"{count:g}", "")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


def _suggest(work: int) -> str:
    """A round limit just above ``work``, as a user would type it (e.g. ``2e9``)."""
    exponent = int(math.floor(math.log10(work)))
    mantissa = math.ceil(work / 10**exponent)
    if mantissa >= 10:
        mantissa, exponent = 1, exponent + 1
    return f"{mantissa}e{exponent}"
