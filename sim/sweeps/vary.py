"""What a sweep varies: ``--vary`` strings parsed strictly, and the values of each path.

A grid varies each path over a list of values, written ``path=lo:hi:num``
(``num`` evenly spaced values from ``lo`` to ``hi``), ``path=v1,v2,v3`` or, for
values that contain commas (mappings), ``path=[v1, v2]`` in YAML flow style.
A Sobol' design varies each path over a range, written ``path=lo:hi``.

Mistakes are :class:`~sim.errors.UserError` in the pseudo-file ``--vary``, the
column pointing into the string:

>>> parse_vary(["actors.russia.war.cost=0.1:0.4"])
Traceback (most recent call last):
sim.errors.UserError: --vary:1:31: actors.russia.war.cost: a range needs a number of values, lo:hi:num (allowed: lo:hi:num with num >= 2, or a comma list)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from sim.batch.store import plain
from sim.errors import UserError
from sim.scenario.validation import show

Design = Literal["grid", "sobol"]
"""How points are placed: every combination of value lists, or Saltelli's Sobol' sample."""

VARY = "--vary"
"""The pseudo-file ``--vary`` mistakes are reported in."""

MAX_GRID_VALUES = 10_000
"""Most values one ``lo:hi:num`` range may spread (a grid multiplies them across paths)."""
GRID_ALLOWED = "allowed: lo:hi:num with num >= 2, or a comma list"
SOBOL_ALLOWED = "allowed with --design sobol: lo:hi with lo < hi"

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def parse_vary(texts: Iterable[str], design: Design = "grid") -> dict[str, Any]:
    """Parse ``--vary`` strings into what :func:`~sim.sweeps.runner.sweep` takes.

    Args:
        texts: Strings such as ``"actors.russia.war.cost=0.1:0.45:8"``,
            ``"rounds.geneva.hours=4,8,12"`` or (Sobol') ``"actors.russia.capability=0.4:0.8"``.
        design: ``grid`` or ``sobol``.

    Returns:
        By path, in the order given: for a grid the list of values, for Sobol'
        the ``(lo, hi)`` range.

    Raises:
        UserError: In ``--vary`` (line 1, the column within the string) for a string
            without ``=``, a path given twice, a range that is not ``lo:hi:num`` with
            numbers and ``num >= 2`` (``lo:hi`` for Sobol'), an empty or repeated list
            value, or a list under ``--design sobol``.

    Example:
        >>> parse_vary(["a.b=0:1:3", "c.d=4,8"])
        {'a.b': [0.0, 0.5, 1.0], 'c.d': [4, 8]}
        >>> parse_vary(["a.b=0.2:0.6"], "sobol")
        {'a.b': (0.2, 0.6)}
    """
    result: dict[str, Any] = {}
    for text in texts:
        path, equals, raw = text.partition("=")
        shown = path.strip()
        allowed = SOBOL_ALLOWED if design == "sobol" else GRID_ALLOWED
        if not equals or not shown:
            raise UserError(VARY, 1, 1, "", f"expected path=values, got {text!r} ({allowed})")
        if not raw.strip():
            raise UserError(VARY, 1, len(text) + 1, shown, f"missing values ({allowed})")
        if shown in result:
            raise UserError(VARY, 1, 1, shown, "given twice")
        if shown in RESERVED:
            raise UserError(VARY, 1, 1, shown, RESERVED[shown])
        offset = len(path) + 2  # the column of raw's first character
        if design == "sobol":
            result[shown] = _sobol_range(raw, offset, shown)
        elif ":" in raw and not raw.lstrip().startswith(("[", "{")):
            result[shown] = _grid_range(raw, offset, shown)
        else:
            result[shown] = _value_list(raw, offset, shown)
    return result


def check_vary(vary: Mapping[str, Any], design: Design) -> dict[str, Any]:
    """Check the ``vary`` argument of :func:`~sim.sweeps.runner.sweep` (Python callers).

    Args:
        vary: By path, a non-empty sequence of values (grid) or a ``(lo, hi)``
            pair of numbers with ``lo < hi`` (Sobol').
        design: ``grid`` or ``sobol``.

    Returns:
        The same, as lists of values (grid) or ``(lo, hi)`` float pairs (Sobol').

    Raises:
        UserError: In ``sweep`` naming the path, for anything else.
    """
    where = "sweep"
    if design not in ("grid", "sobol"):
        raise UserError(where, 1, 1, "design", f"must be grid or sobol, got {design!r}")
    if not vary:
        raise UserError(where, 1, 1, "vary", "give at least one path to vary")
    checked: dict[str, Any] = {}
    for path, given in vary.items():
        if not isinstance(path, str) or not path:
            raise UserError(where, 1, 1, "vary", f"paths must be non-empty text, got {path!r}")
        if path in RESERVED:
            raise UserError(where, 1, 1, path, RESERVED[path])
        if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
            raise UserError(where, 1, 1, path, f"give a list of values, got {given!r}")
        values = [plain(value) for value in given]
        if design == "sobol":
            if len(values) != 2 or not all(_is_number(v) for v in values):
                raise UserError(where, 1, 1, path, f"give a (lo, hi) range, got {given!r}")
            low, high = float(values[0]), float(values[1])
            if not (math.isfinite(low) and math.isfinite(high) and low < high):
                raise UserError(where, 1, 1, path, f"needs lo < hi, got ({low}, {high})")
            checked[path] = (low, high)
        else:
            if not values:
                raise UserError(where, 1, 1, path, "give at least one value")
            checked[path] = values
    return checked


RESERVED = {
    "seed": "the runs of a sweep draw their own seeds, so the scenario's seed changes "
    "nothing; give the sweep's seed (--seed) instead",
}
"""Paths a sweep cannot vary, with the reason."""


def grid_values(low: float, high: float, num: int, *, integers: bool = False) -> list[Any]:
    """``num`` evenly spaced values from ``low`` to ``high``, both included.

    Args:
        low: The first value.
        high: The last value.
        num: How many values (>= 2).
        integers: Give integers when every value is a whole number (for ``lo`` and
            ``hi`` written as integers, such as hours).

    Returns:
        The values, floats rounded to 12 significant digits (``0.3``, not
        ``0.30000000000000004``).

    Example:
        >>> grid_values(0.1, 0.3, 3)
        [0.1, 0.2, 0.3]
        >>> grid_values(4, 12, 3, integers=True)
        [4, 8, 12]
    """
    step = (high - low) / (num - 1)
    values = [float(f"{low + index * step:.12g}") for index in range(num - 1)] + [float(high)]
    if integers and all(value.is_integer() for value in values):
        return [int(value) for value in values]
    return values


# --- parsing helpers --------------------------------------------------------------------------


def _grid_range(raw: str, offset: int, path: str) -> list[Any]:
    parts = _parts(raw, offset)
    if len(parts) == 2:
        raise UserError(
            VARY,
            1,
            offset + len(raw),
            path,
            f"a range needs a number of values, lo:hi:num ({GRID_ALLOWED})",
        )
    if len(parts) != 3:
        raise UserError(
            VARY, 1, offset, path, f"expected lo:hi:num, got {raw.strip()!r} ({GRID_ALLOWED})"
        )
    (low_text, low_col), (high_text, high_col), (num_text, num_col) = parts
    low = _number(low_text, low_col, path, "lo", GRID_ALLOWED)
    high = _number(high_text, high_col, path, "hi", GRID_ALLOWED)
    whole = _INTEGER.match(num_text) and len(num_text) <= 6
    if not whole or not 2 <= int(num_text) <= MAX_GRID_VALUES:
        raise UserError(
            VARY,
            1,
            num_col,
            path,
            f"num must be a whole number from 2 to {MAX_GRID_VALUES}, got {show(num_text)} "
            f"({GRID_ALLOWED})",
        )
    if not low < high:
        raise UserError(
            VARY,
            1,
            low_col,
            path,
            f"lo must be below hi, got {low_text}:{high_text} ({GRID_ALLOWED})",
        )
    integers = bool(_INTEGER.match(low_text) and _INTEGER.match(high_text))
    return grid_values(low, high, int(num_text), integers=integers)


def _sobol_range(raw: str, offset: int, path: str) -> tuple[float, float]:
    parts = _parts(raw, offset)
    if len(parts) != 2:
        found = "a list" if ":" not in raw else f"{raw.strip()!r}"
        raise UserError(VARY, 1, offset, path, f"expected lo:hi, got {found} ({SOBOL_ALLOWED})")
    (low_text, low_col), (high_text, high_col) = parts
    low = _number(low_text, low_col, path, "lo", SOBOL_ALLOWED)
    high = _number(high_text, high_col, path, "hi", SOBOL_ALLOWED)
    if not low < high:
        raise UserError(
            VARY,
            1,
            low_col,
            path,
            f"lo must be below hi, got {low_text}:{high_text} ({SOBOL_ALLOWED})",
        )
    return low, high


def _value_list(raw: str, offset: int, path: str) -> list[Any]:
    from sim.scenario.loader import yaml_value

    if raw.lstrip().startswith("["):
        try:
            values = yaml_value(raw, VARY)
        except UserError as err:
            raise UserError(VARY, 1, err.col + offset - 1, path, err.message) from None
        if not isinstance(values, list) or not values:
            raise UserError(VARY, 1, offset, path, f"expected a non-empty list ({GRID_ALLOWED})")
        items = [(value, offset) for value in values]
    else:
        items = []
        column = offset
        for piece in raw.split(","):
            if not piece.strip():
                raise UserError(VARY, 1, column, path, f"empty value in the list ({GRID_ALLOWED})")
            try:
                items.append((yaml_value(piece, VARY), column))
            except UserError as err:
                raise UserError(VARY, 1, err.col + column - 1, path, err.message) from None
            column += len(piece) + 1
    seen: list[Any] = []
    for value, column in items:
        if value in seen:
            raise UserError(VARY, 1, column, path, f"value {value!r} given twice ({GRID_ALLOWED})")
        seen.append(value)
    return seen


def _parts(raw: str, offset: int) -> list[tuple[str, int]]:
    """``raw`` split on ``:``, each stripped part with its column."""
    parts = []
    column = offset
    for piece in raw.split(":"):
        lead = len(piece) - len(piece.lstrip())
        parts.append((piece.strip(), column + lead))
        column += len(piece) + 1
    return parts


def _number(text: str, column: int, path: str, name: str, allowed: str) -> float:
    if not _NUMBER.match(text):
        raise UserError(VARY, 1, column, path, f"{name} must be a number, got {text!r} ({allowed})")
    return float(text)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
