"""Validate scenario data and turn pydantic's errors into located, readable ones.

Pydantic reports an error as a ``loc`` tuple (with union branch names mixed in,
e.g. ``('actors', 'russia', 'risk_acceptance', 'float')``) and a message written
for programmers. Here each error becomes a :class:`~sim.errors.UserError` that
names the dotted path, the file position the loader recorded for it, what is
wrong and what is allowed. Messages of our own model validators have the form
``relative.path: what is wrong (allowed: ...)``; the relative path is joined to
the error's ``loc`` (Scenario-level validators have an empty ``loc``, so their
paths are absolute).
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from sim.errors import UserError, show
from sim.scenario.limits import value_errors
from sim.scenario.locations import Locations, join_path, parent_path
from sim.scenario.schema import Scenario

IDENTIFIER_PATTERN = r"^[a-z][a-z0-9_]*$"
IDENTIFIER_RULE = "lower-case letters, digits and underscores, starting with a letter"
DISTRIBUTION_EXAMPLE = "{dist: uniform, low: 0.2, high: 0.6}"

_RELATIVE_PATH = re.compile(r"^([A-Za-z_]\w*(?:\.\w+)*): (.+)$", re.DOTALL)


def validate_scenario(data: Any, locations: Locations) -> Scenario:
    """Validate plain data as a :class:`Scenario`, raising the first error located.

    Args:
        data: The scenario as plain data (mappings, lists, scalars, dates).
        locations: Where each path was written, for the error's position.

    Returns:
        The validated, immutable scenario.

    Raises:
        UserError: The first problem in file order; a number the engine cannot
            compute with or text it cannot print (:mod:`sim.scenario.limits`) first.
    """
    problems = value_errors(data, locations)
    if problems:
        raise problems[0]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise user_errors(exc, data, locations)[0] from None
    check_values(scenario, locations)
    return scenario


def check_values(scenario: Scenario, locations: Locations) -> None:
    """Check the numbers of a validated scenario as the engine gets them.

    Text that reads as a number (YAML 1.1 takes ``1e308`` for text) only becomes
    one in the schema, so the values are checked again after it.

    Raises:
        UserError: The first value out of :mod:`sim.scenario.limits`' bounds.
    """
    problems = value_errors(scenario.model_dump(by_alias=True), locations)
    if problems:
        raise problems[0]


def user_errors(exc: ValidationError, data: Any, locations: Locations) -> list[UserError]:
    """Every problem in a scenario ``ValidationError``, located, in file order.

    Errors from union branches that do not match the input (a mapping checked as
    a number, a number checked as a distribution) are dropped as noise.

    Args:
        exc: The error pydantic raised while validating ``data`` as a Scenario.
        data: The data that was validated.
        locations: Where each path was written.

    Returns:
        At least one located error, sorted by file, line and column.
    """
    found: list[tuple[bool, UserError]] = []
    for error in exc.errors():
        resolved = _resolve(tuple(error["loc"]), data)
        found.append((resolved.noise, _located(error, resolved, locations)))
    kept = [err for noise, err in found if not noise] or [err for _, err in found]
    unique: dict[str, UserError] = {}
    for err in kept:
        unique.setdefault(str(err), err)
    return sorted(unique.values(), key=lambda e: (e.file != locations.file, e.file, e.line, e.col))


def allowed_fields(model: type[BaseModel]) -> list[str]:
    """The keys a model accepts, as written in a scenario file (aliases first).

    >>> from sim.scenario.schema import Strategy
    >>> allowed_fields(Strategy)
    ['kind', 'exponent']
    """
    return [info.alias or name for name, info in model.model_fields.items()]


# --- resolving a pydantic loc against the schema ----------------------------------------


@dataclass
class _Resolved:
    """A pydantic ``loc`` read against the schema types."""

    path: str
    model: type[BaseModel] | None = None  # the model of the value at the path, if any
    field: FieldInfo | None = None
    key_error: bool = False
    noise: bool = False
    param_scalar: bool = False
    tags: tuple[str, ...] = ()
    length: int | None = None  # the item count of a fixed-length tuple at the path


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _union_members(tp: Any) -> list[Any] | None:
    if get_origin(tp) in (Union, types.UnionType):
        return [_unwrap(m) for m in get_args(tp) if m is not type(None)]
    return None


def _literal_tags(model: Any) -> dict[str, Any]:
    """Map each tag a model's Literal fields allow to the model (discriminated unions)."""
    tags: dict[str, Any] = {}
    if isinstance(model, type) and issubclass(model, BaseModel):
        for info in model.model_fields.values():
            if get_origin(info.annotation) is Literal:
                for value in get_args(info.annotation):
                    tags[str(value)] = model
    return tags


def _flatten(members: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for member in members:
        inner = _union_members(member)
        flat.extend(_flatten(inner) if inner is not None else [member])
    return flat


def _step(value: Any, segment: Any) -> Any:
    if isinstance(value, Mapping):
        return value.get(segment)
    if isinstance(value, list | tuple) and isinstance(segment, int) and segment < len(value):
        return value[segment]
    return None


def _resolve(loc: tuple[Any, ...], data: Any) -> _Resolved:
    """Read a pydantic ``loc`` against the schema types and the data.

    Union branch names (``float``, ``tagged-union[...]`` and the tag) and validator
    wrapper names are dropped from the path; an error inside a branch that does not
    fit the input (a mapping checked as a number, text checked as a distribution) is
    marked as noise.
    """
    tp: Any = Scenario
    value = data
    segments: list[Any] = []
    result = _Resolved(path="")
    index = 0
    while index < len(loc):
        tp = _unwrap(tp)
        members = _union_members(tp)
        if members is not None:
            tp, index = _branch(members, loc, index, value, result)
            continue
        segment = loc[index]
        index += 1
        if segment == "[key]":
            result.key_error = True
            continue
        if isinstance(segment, str) and "[" in segment:
            continue  # a validator wrapper's name, not a place in the file
        segments.append(segment)
        value = _step(value, segment)
        tp = _child_type(tp, segment, result)
    tp = _unwrap(tp)
    members = _union_members(tp)
    if members is not None and len(members) == 1:
        tp = members[0]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        result.model = tp
    result.path = join_path(*segments)
    return result


def _branch(
    members: list[Any], loc: tuple[Any, ...], index: int, value: Any, result: _Resolved
) -> tuple[Any, int]:
    """Pick the union member ``loc[index:]`` goes into; return it and the next index."""
    if len(members) == 1:  # X | None
        return members[0], index
    flat = _flatten(members)
    tags: dict[str, Any] = {}
    for member in flat:
        tags.update(_literal_tags(member))
    result.tags = tuple(tags)
    segment = loc[index]
    if isinstance(segment, str) and segment.startswith("tagged-union["):
        result.noise = result.noise or not isinstance(value, Mapping)
        index += 1
        if index < len(loc) and isinstance(loc[index], str) and loc[index] in tags:
            return tags[loc[index]], index + 1
        return None, index
    names = {getattr(m, "__name__", str(m)): m for m in flat}
    if isinstance(segment, str) and segment in names:
        chosen = names[segment]
        if not (isinstance(chosen, type) and issubclass(chosen, BaseModel)):
            result.noise = result.noise or isinstance(value, Mapping)
            result.param_scalar = bool(tags)
        return chosen, index + 1
    return None, index


def _child_type(tp: Any, segment: Any, result: _Resolved) -> Any:
    """The type of ``segment`` inside a value of type ``tp`` (None when unknown)."""
    result.field = None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        result.field = _model_field(tp, segment)
        return result.field.annotation if result.field is not None else None
    origin = get_origin(tp)
    if origin is dict:
        return get_args(tp)[1]
    if origin in (list, tuple):
        args = [a for a in get_args(tp) if a is not Ellipsis]
        fixed = origin is tuple and Ellipsis not in get_args(tp)
        result.length = len(args) if fixed else None
        if fixed and isinstance(segment, int) and segment < len(args):
            return args[segment]
        return args[0] if args else None
    return None


def _model_field(model: type[BaseModel], name: Any) -> FieldInfo | None:
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return info
    return None


# --- messages ---------------------------------------------------------------------------


def _located(error: Any, resolved: _Resolved, locations: Locations) -> UserError:
    kind = error["type"]
    loc = tuple(error["loc"])
    path = resolved.path
    if kind == "missing":
        where = locations.locate(parent_path(path)) if path else locations.locate("")
        if loc and isinstance(loc[-1], int):
            path = parent_path(path)
            given = error.get("input")
            count = len(given) if isinstance(given, list | tuple) else 0
            wanted = resolved.length or loc[-1] + 1
            return _at(where, path, f"expected {wanted} {_items(wanted)}, got {count}")
        return _at(where, path, "required field missing")
    if kind == "extra_forbidden":
        owner = _resolve(loc[:-1], None).model
        allowed = ", ".join(allowed_fields(owner)) if owner is not None else "none"
        message = f"unknown field '{loc[-1]}' (allowed: {allowed})"
        return _at(locations.locate(path, key=True), path, message)
    message = _message(error, resolved)
    if kind == "union_tag_invalid":
        path = join_path(path, str((error.get("ctx") or {}).get("discriminator", "")).strip("'"))
    if kind in ("value_error", "assertion_error"):
        match = _RELATIVE_PATH.match(message)
        if match:
            path = join_path(path, match.group(1))
            message = match.group(2)
    return _at(locations.locate(path, key=resolved.key_error), path, message)


def _at(where: Any, path: str, message: str) -> UserError:
    return UserError(where.file, where.line, where.col, path, message)


def _message(error: Any, resolved: _Resolved) -> str:
    kind: str = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    got = f"got {show(value)}"
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", error["msg"]))
        for prefix in ("Value error, ", "Assertion failed, "):
            text = text.removeprefix(prefix)
        return _tidy(text)
    if kind == "literal_error":
        return f"{show(value)} is not allowed (allowed: {_choices(ctx.get('expected', ''))})"
    if kind == "union_tag_invalid":
        key = str(ctx.get("discriminator", "")).strip("'")
        return (
            f"unknown {key} '{ctx.get('tag')}' (allowed: {_choices(ctx.get('expected_tags', ''))})"
        )
    if kind == "union_tag_not_found":
        key = str(ctx.get("discriminator", "")).strip("'")
        return (
            f"a distribution needs a '{key}' key (allowed: {', '.join(resolved.tags)}), "
            f"e.g. {DISTRIBUTION_EXAMPLE}"
        )
    if kind == "string_pattern_mismatch":
        what = "key" if resolved.key_error else "value"
        if ctx.get("pattern") == IDENTIFIER_PATTERN:
            return f"{show(value)} is not a valid id (allowed: {IDENTIFIER_RULE})"
        return f"{what} {show(value)} does not match the pattern {ctx.get('pattern')}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "decimal_parsing"):
        if resolved.key_error:
            return f"key {show(value)} is not a number"
        if resolved.param_scalar:
            return f"expected a number or a distribution such as {DISTRIBUTION_EXAMPLE}, {got}"
        if kind.startswith("int"):
            return f"expected a whole number, {got}"
        return f"expected a number, {got}"
    if kind == "int_from_float":
        return f"expected a whole number, {got}"
    if kind == "finite_number":
        return f"expected a finite number, {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, {got}"
    if kind in ("string_type", "string_unicode"):
        return f"expected text, {got}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a date (YYYY-MM-DD), {got}"
    if kind in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
        fields = ""
        if resolved.model is not None:
            fields = f" (allowed keys: {', '.join(allowed_fields(resolved.model))})"
        return f"expected a mapping (key: value), {got}{fields}"
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return f"expected a list, {got}"
    if kind == "too_short":
        least = ctx.get("min_length")
        return f"needs at least {least} {_items(least)}, got {ctx.get('actual_length')}"
    if kind == "too_long":
        most = ctx.get("max_length")
        return f"allows at most {most} {_items(most)}, got {ctx.get('actual_length')}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{show(value)} is out of range (allowed: {_bounds(resolved.field, ctx)})"
    if kind == "multiple_of":
        return f"{show(value)} must be a multiple of {ctx.get('multiple_of')}"
    text = str(error["msg"])
    return f"{text[:1].lower()}{text[1:]}, {got}"


def _tidy(text: str) -> str:
    """Polish a validator's message: '120 to 120' is '120', '0 to inf' is '>= 0'.

    >>> _tidy("red_line: 120 to 120 is outside the scale (allowed: 0 to inf)")
    'red_line: 120 is outside the scale (allowed: >= 0)'
    >>> _tidy("high (30.0) must be >= low (40.5)")
    'high (30) must be >= low (40.5)'
    """
    text = re.sub(r"\b(\d+)\.0\b", r"\1", text)
    text = re.sub(r"(-?[\d.e+-]+) to \1 is", r"\1 is", text)
    text = re.sub(r"(-?[\d.e+-]+) to inf\b", r">= \1", text)
    return re.sub(r"-inf to (-?[\d.e+-]+)", r"<= \1", text)


def _items(count: Any) -> str:
    return "item" if count == 1 else "items"


def _choices(expected: str) -> str:
    """``"'a', 'b' or 'c'"`` as ``"a, b, c"``."""
    quoted = re.findall(r"'([^']*)'", expected)
    if quoted:
        return ", ".join(quoted)
    return ", ".join(part.strip() for part in re.split(r",| or ", expected) if part.strip())


def _bounds(info: FieldInfo | None, ctx: Mapping[str, Any]) -> str:
    """A field's numeric range in words, e.g. '0 to 10' or '> 0 and <= 240'."""
    limits: dict[str, Any] = {}
    for item in info.metadata if info is not None else []:
        for name in ("gt", "ge", "lt", "le"):
            if isinstance(item, annotated_types.BaseMetadata) and hasattr(item, name):
                limits[name] = getattr(item, name)
    for name in ("gt", "ge", "lt", "le"):
        if name in ctx:
            limits.setdefault(name, ctx[name])
    if "ge" in limits and "le" in limits:
        return f"{show(limits['ge'])} to {show(limits['le'])}"
    words = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
    return " and ".join(f"{words[name]} {show(limits[name])}" for name in words if name in limits)
