"""Change a scenario at dotted paths: ``--set actors.russia.risk_acceptance=0.4``.

A path names mapping keys by name and list items by index (``rounds.0.hours``);
a round may also be named by its id (``rounds.geneva.hours``). A value may be a
number, text, a date, a list or a whole mapping, such as a distribution
``{dist: uniform, low: 0.2, high: 0.6}``. The changed scenario is validated
again, so an override can never produce a scenario a file could not.

Mistakes are :class:`~sim.errors.UserError` in the pseudo-file ``--set``:

>>> from sim.scenario.loader import load_scenario
>>> s = load_scenario("tests/data/valid/two_party.yaml")
>>> apply_overrides(s, {"actors.russia.risk": 0.4})  # doctest: +ELLIPSIS
Traceback (most recent call last):
sim.errors.UserError: --set:1:1: actors.russia.risk: unknown key 'risk' under actors.russia (allowed: name, ...)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.errors import UserError
from sim.scenario.derived import follow_status_quos
from sim.scenario.limits import value_errors
from sim.scenario.locations import Everywhere, format_segment, join_path
from sim.scenario.schema import Scenario
from sim.scenario.validation import check_values, show, user_errors

SET = "--set"
"""The pseudo-file override errors are reported in."""

_MISSING = object()


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A new scenario with values replaced at dotted paths, validated again.

    Args:
        scenario: The scenario to start from (left unchanged).
        overrides: Values by dotted path, e.g. ``{"actors.russia.risk_acceptance": 0.4,
            "rounds.geneva.hours": 12}``. Values may be plain data or schema models.

    Returns:
        The changed scenario (``scenario`` itself when there is nothing to change).

    Raises:
        UserError: In ``--set`` at line 1, column 1, naming the path, when a path does
            not exist (with the keys allowed where it broke) or a value is invalid.

    Example:
        >>> from sim.scenario.loader import load_scenario
        >>> s = load_scenario("tests/data/valid/two_party.yaml")
        >>> apply_overrides(s, {"rounds.geneva.hours": 12}).rounds[0].hours
        12.0
    """
    if not overrides:
        return scenario
    data = _lists(scenario.model_dump(by_alias=True))
    canonical = [set_path(data, path, _plain(value)) for path, value in overrides.items()]
    follow_status_quos(data, canonical)  # a derived issue's status quo follows its issues'
    problems = value_errors(data, Everywhere(SET))
    if problems:
        raise problems[0]
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as exc:
        error = user_errors(exc, data, Everywhere(SET))[0]
        if any(_related(error.path, path) for path in canonical):
            raise error from None
        message = f"{error.message} (after --set {', '.join(overrides)})"
        raise UserError(error.file, error.line, error.col, error.path, message) from None
    check_values(changed, Everywhere(SET))
    return changed


def parse_assignments(assignments: Iterable[str]) -> dict[str, Any]:
    """Parse ``path=value`` strings; values are read as safe YAML.

    Args:
        assignments: Strings such as ``"rounds.0.hours=12"`` or
            ``"actors.russia.risk_acceptance={dist: beta, mean: 0.5, sd: 0.1}"``.

    Returns:
        Values by path, in the order given.

    Raises:
        UserError: In ``--set`` for a string without ``=``, an empty path or value,
            a path given twice, or a value that is not valid YAML (the column points
            into the string).

    Example:
        >>> parse_assignments(["a.b=0.4", "x.y={dist: beta, mean: 0.5, sd: 0.1}"])
        {'a.b': 0.4, 'x.y': {'dist': 'beta', 'mean': 0.5, 'sd': 0.1}}
    """
    from sim.scenario.loader import yaml_value

    result: dict[str, Any] = {}
    for text in assignments:
        path, equals, raw = text.partition("=")
        path = path.strip()
        if not equals or not path:
            raise UserError(SET, 1, 1, "", f"expected path=value, got {text!r}")
        if not raw.strip():
            raise UserError(SET, 1, len(text) + 1, path, "missing value (write path=value)")
        if path in result:
            raise UserError(SET, 1, 1, path, "given twice")
        try:
            result[path] = yaml_value(raw, SET)
        except UserError as err:
            offset = len(text) - len(raw) if err.line == 1 else 0
            raise UserError(SET, err.line, err.col + offset, path, err.message) from None
    return result


def set_path(data: dict[str, Any], path: str, value: Any) -> str:
    """Set ``value`` at a dotted path inside plain scenario data, in place.

    Args:
        data: The scenario as plain data (as from ``model_dump(by_alias=True)``).
        path: Dotted path; list items by index, or by ``id`` for lists of mappings.
        value: The new value.

    Returns:
        The path with list items by index (``rounds.geneva.hours`` → ``rounds.0.hours``).

    Raises:
        UserError: When the path does not exist, saying which keys are allowed where
            it broke.
    """
    segments = path.split(".")
    if not path or "" in segments:
        raise UserError(SET, 1, 1, path, "empty path segment (write e.g. actors.russia.capability)")
    node: Any = data
    canonical: list[Any] = []
    for depth, segment in enumerate(segments):
        here = ".".join(segments[:depth])
        where = f"under {here}" if here else "at the top level"
        if isinstance(node, dict):
            key = _find_key(node, segment)
            if key is _MISSING:
                allowed = ", ".join(format_segment(k) for k in node) or "none"
                raise UserError(
                    SET, 1, 1, path, f"unknown key '{segment}' {where} (allowed: {allowed})"
                )
        elif isinstance(node, list):
            key = _find_index(node, segment)
            if key is _MISSING:
                raise UserError(
                    SET, 1, 1, path, f"no item '{segment}' {where} (allowed: {_indices(node)})"
                )
        else:  # pragma: no cover - guarded below before descending
            raise UserError(SET, 1, 1, path, f"{here} has no parts")
        canonical.append(key)
        if depth == len(segments) - 1:
            node[key] = value
            return join_path(*canonical)
        child = node[key]
        reached = join_path(here, segment)
        if child is None:
            raise UserError(
                SET,
                1,
                1,
                path,
                f"{reached} is not set, so it has no '{segments[depth + 1]}'; "
                f"set it as a whole (e.g. --set {reached}={{...}})",
            )
        if not isinstance(child, dict | list):
            raise UserError(
                SET,
                1,
                1,
                path,
                f"{reached} is a single value ({show(child)}), it has no '{segments[depth + 1]}'",
            )
        node = child
    return join_path(*canonical)  # pragma: no cover - the loop returns at the last segment


def _find_key(mapping: dict[Any, Any], segment: str) -> Any:
    """The key a path segment names: by text, or by number for numeric keys (labels)."""
    if segment in mapping:
        return segment
    for key in mapping:
        if isinstance(key, int | float) and not isinstance(key, bool):
            try:
                if float(segment) == key:
                    return key
            except ValueError:
                continue
    return _MISSING


def _find_index(items: list[Any], segment: str) -> Any:
    """The index a path segment names: a number, or the ``id`` of a mapping item."""
    if segment.isdigit():
        index = int(segment)
        return index if index < len(items) else _MISSING
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == segment:
            return index
    return _MISSING


def _indices(items: list[Any]) -> str:
    if not items:
        return "none, the list is empty"
    allowed = "0" if len(items) == 1 else f"0 to {len(items) - 1}"
    ids = [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]
    return f"{allowed} or an id: {', '.join(ids)}" if ids else allowed


def _related(error_path: str, path: str) -> bool:
    return (
        error_path == path or error_path.startswith(f"{path}.") or path.startswith(f"{error_path}.")
    )


def _plain(value: Any) -> Any:
    """Schema models as plain data (by alias), containers copied, the rest as is."""
    if isinstance(value, BaseModel):
        return _lists(value.model_dump(by_alias=True))
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _lists(value: Any) -> Any:
    """Tuples (e.g. an issue's scale) as lists, so paths can set their items."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value
