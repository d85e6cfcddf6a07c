"""Validate a scenario without importing pydantic, for a fast ``sim validate``.

Importing pydantic and building the scenario schema costs several times the
start of Python itself, far more than checking a file does. This module checks
plain scenario data against :mod:`sim.scenario.quick_spec` (the schema's shape,
generated from the pydantic models) and runs the same whole-object rules
(:mod:`sim.scenario.rules`) and cross-reference checks
(:mod:`sim.scenario.references`) on plain objects.

It only ever says "valid" or "not sure". It accepts exactly the values
pydantic would take as they are (an integer where a number is due, a list for
a pair) and nothing it would have to coerce (text that reads as a number, 0 or 1
for true or false); anything else, valid or not, is left to the full
validation, which words and locates the error. So a file it accepts is one
pydantic accepts too, and every message still comes from one place.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache
from typing import Any

from sim.scenario.quick_spec import MODELS, ROOT

_LARGEST_EXACT = 2**53
"""Integers above this are not taken as numbers here (a float cannot hold them exactly)."""


class _Unsure(Exception):
    """The data is not plainly valid: leave it to the full validation."""


class Plain:
    """A validated part of a scenario as a plain object: its fields as attributes.

    Offers what the rules and cross-reference checks read of a pydantic model:
    the fields, ``model_fields_set``, :meth:`given_fields`, :meth:`field_default`
    and equality by field values.
    """

    _name = ""
    _fields: tuple[str, ...] = ()

    def __init__(self, values: dict[str, Any], given: set[str]) -> None:
        self.__dict__.update(values)
        self.model_fields_set = given

    def given_fields(self) -> list[str]:
        """The fields the file gave, in the order the model declares them."""
        return [name for name in self._fields if name in self.model_fields_set]

    def field_default(self, name: str) -> Any:
        """What a field holds when the file leaves it out."""
        for field, _, _, _, default in MODELS[self._name][1]:
            if field == name:
                return _default(default)
        raise AttributeError(name)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


@cache
def _class(name: str) -> type[Plain]:
    """The plain class of a model, with its rules class mixed in."""
    rules, fields = MODELS[name]
    bases = (Plain, rules) if rules is not None else (Plain,)
    return type(name, bases, {"_name": name, "_fields": tuple(f[0] for f in fields)})


def quick_scenario(data: Any) -> Plain | None:
    """The scenario as plain objects if it is plainly valid, else ``None`` (not sure).

    Args:
        data: A scenario as read from YAML (``extends`` merged).

    Returns:
        An object with a :class:`~sim.scenario.schema.Scenario`'s fields and
        methods, or ``None`` when the full validation must decide.
    """
    try:
        return _model(ROOT, data)
    except _Unsure:
        return None


def _model(name: str, data: Any) -> Plain:
    if type(data) is not dict:
        raise _Unsure
    fields = MODELS[name][1]
    keys = {key for _, key, _, _, _ in fields}
    if any(key not in keys for key in data):
        raise _Unsure
    values: dict[str, Any] = {}
    given: set[str] = set()
    for field, key, spec, required, default in fields:
        if key in data:
            values[field] = _value(spec, data[key])
            given.add(field)
        elif required:
            raise _Unsure
        else:
            values[field] = _default(default)
    obj = _class(name)(values, given)
    check = getattr(obj, "problem", None)
    if check is not None and check() is not None:
        raise _Unsure
    return obj


def _default(default: tuple[Any, Any]) -> Any:
    kind, value = default
    if kind == "model":
        return _model(value, {})
    if kind == "factory":
        return {} if value == "dict" else []
    return value


def _value(spec: tuple[Any, ...], value: Any) -> Any:
    kind = spec[0]
    if kind == "float":
        if type(value) is int and abs(value) <= _LARGEST_EXACT:
            value = float(value)
        elif type(value) is not float or not math.isfinite(value):
            raise _Unsure
        _bounded(value, spec[1])
        return value
    if kind == "int":
        if type(value) is not int:
            raise _Unsure
        _bounded(value, spec[1])
        return value
    if kind == "str":
        if type(value) is not str:
            raise _Unsure
        _sized(value, spec[1])
        pattern = spec[1].get("pattern")
        if pattern is not None and _compiled(pattern).fullmatch(value) is None:
            raise _Unsure
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise _Unsure
        return value
    if kind == "date":
        if type(value) is not dt.date:
            raise _Unsure
        return value
    if kind == "none":
        if value is not None:
            raise _Unsure
        return value
    if kind == "literal":
        if any(type(value) is type(lit) and value == lit for lit in spec[1]):
            return value
        raise _Unsure
    if kind == "union":
        for member in spec[1]:
            try:
                return _value(member, value)
            except _Unsure:
                continue
        raise _Unsure
    if kind == "checked":
        checked = _value(spec[2], value)
        if spec[1].problem(checked) is not None:
            raise _Unsure
        return checked
    if kind == "model":
        return _model(spec[1], value)
    if kind == "tagged":
        if type(value) is not dict:
            raise _Unsure
        tag = value.get(spec[1])
        if type(tag) is not str or tag not in spec[2]:
            raise _Unsure
        return _model(spec[2][tag], value)
    return _container(kind, spec, value)


def _container(kind: str, spec: tuple[Any, ...], value: Any) -> Any:
    if kind == "list":
        if type(value) is not list:
            raise _Unsure
        _sized(value, spec[2])
        return [_value(spec[1], item) for item in value]
    if kind == "tuple":
        if type(value) is not list or len(value) != len(spec[1]):
            raise _Unsure
        return tuple(_value(member, item) for member, item in zip(spec[1], value, strict=True))
    if kind == "tuple_of":
        if type(value) is not list:
            raise _Unsure
        _sized(value, spec[2])
        return tuple(_value(spec[1], item) for item in value)
    if kind == "dict":
        if type(value) is not dict:
            raise _Unsure
        _sized(value, spec[3])
        result = {_value(spec[1], key): _value(spec[2], item) for key, item in value.items()}
        if len(result) != len(value):
            raise _Unsure  # two keys became one
        return result
    raise _Unsure  # a kind this module does not know: let the full validation decide


def _bounded(value: float, bounds: dict[str, Any]) -> None:
    if (
        ("gt" in bounds and not value > bounds["gt"])
        or ("ge" in bounds and not value >= bounds["ge"])
        or ("lt" in bounds and not value < bounds["lt"])
        or ("le" in bounds and not value <= bounds["le"])
    ):
        raise _Unsure


def _sized(value: Any, bounds: dict[str, Any]) -> None:
    if ("min_length" in bounds and len(value) < bounds["min_length"]) or (
        "max_length" in bounds and len(value) > bounds["max_length"]
    ):
        raise _Unsure


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
