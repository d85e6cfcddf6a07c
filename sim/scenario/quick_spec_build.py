"""Write the schema's shape as plain data, for the validator that runs without pydantic.

:mod:`sim.scenario.quick` checks a scenario against :mod:`sim.scenario.quick_spec`,
which this module generates from the pydantic models: every field's name,
key, type, constraints, default and the rules class its model inherits. So
the shape is written once, in :mod:`sim.scenario.schema`; a test fails when the
generated file is stale. Regenerate it with::

    python -m sim.scenario.quick_spec_build

Anything in the models this module does not know how to write (a new kind of
constraint or validator) stops the generation with an error, rather than
being left out of the quick check.
"""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.functional_validators import AfterValidator
from pydantic_core import PydanticUndefined

from sim.scenario.rules import DateLimit, InRange
from sim.scenario.schema import Scenario

TARGET = Path(__file__).with_name("quick_spec.py")
_SCALARS = {float: "float", int: "int", str: "str", bool: "bool", dt.date: "date"}
_BOUNDS = (
    (annotated_types.Gt, "gt"),
    (annotated_types.Ge, "ge"),
    (annotated_types.Lt, "lt"),
    (annotated_types.Le, "le"),
    (annotated_types.MinLen, "min_length"),
    (annotated_types.MaxLen, "max_length"),
)
_RULES_MODULES = ("sim.scenario.rules", "sim.scenario.references")


class _Walk:
    """Collects every model reachable from :class:`Scenario`, in the order first met."""

    def __init__(self) -> None:
        self.models: dict[str, Any] = {}
        self.rules: set[tuple[str, str]] = set()

    def model(self, model: type[BaseModel]) -> str:
        name = model.__name__
        if name in self.models:
            return name
        config = model.model_config
        if config.get("extra") != "forbid" or config.get("allow_inf_nan", True):
            raise TypeError(f"{name}: the quick check assumes extra='forbid', allow_inf_nan=False")
        self.models[name] = None  # reserve the name: models may refer to each other
        rules = [base for base in model.__mro__ if base.__module__ in _RULES_MODULES]
        if len(rules) > 1:
            raise TypeError(f"{name}: more than one rules class")
        rule = rules[0].__name__ if rules else None
        if rules:
            self.rules.add((rules[0].__module__, rule))  # type: ignore[arg-type]
        fields = tuple(self.field(name, field, info) for field, info in model.model_fields.items())
        self.models[name] = (rule, fields)
        return name

    def field(self, model: str, name: str, info: FieldInfo) -> tuple[Any, ...]:
        spec = self.type(info.annotation, list(info.metadata))
        if info.is_required():
            default: Any = None
        elif info.default_factory is not None:
            factory = info.default_factory
            if isinstance(factory, type) and issubclass(factory, BaseModel):
                default = ("model", self.model(factory))
            elif factory in (dict, list):
                default = ("factory", factory.__name__)
            else:
                raise TypeError(f"{model}.{name}: unknown default factory {factory!r}")
        else:
            if info.default is PydanticUndefined:
                raise TypeError(f"{model}.{name}: neither required nor defaulted")
            default = ("value", info.default)
        return (name, info.alias or name, spec, info.is_required(), default)

    def type(self, tp: Any, metadata: list[Any]) -> tuple[Any, ...]:
        """The spec of a type, with the constraints and checks in ``metadata`` applied."""
        if get_origin(tp) is Annotated:
            base, *inner = get_args(tp)
            return self.type(base, [*inner, *metadata])
        bounds: dict[str, Any] = {}
        checks: list[Any] = []
        discriminator = None
        for item in metadata:
            discriminator = self.metadata(item, bounds, checks) or discriminator
        spec = self.bare(tp, discriminator)
        spec = _constrain(spec, bounds)
        for check in checks:
            spec = ("checked", check, spec)
        return spec

    def metadata(self, item: Any, bounds: dict[str, Any], checks: list[Any]) -> str | None:
        """File one metadata item; return a discriminator if it names one."""
        if isinstance(item, FieldInfo):
            found = item.discriminator
            for inner in item.metadata:
                found = self.metadata(inner, bounds, checks) or found
            if not isinstance(found, str | None):
                raise TypeError(f"unknown discriminator {found!r}")
            return found
        for kind, key in _BOUNDS:
            if isinstance(item, kind):
                bounds[key] = getattr(item, key)
                return None
        if isinstance(item, AfterValidator):
            if not isinstance(item.func, InRange | DateLimit):
                raise TypeError(f"unknown validator {item.func!r}")
            checks.append(item.func)
            return None
        extra = {k: v for k, v in vars(item).items() if v is not None}
        if type(item).__name__ == "_PydanticGeneralMetadata" and set(extra) == {"pattern"}:
            pattern = extra["pattern"]
            if not (pattern.startswith("^") and pattern.endswith("$")):
                raise TypeError(f"pattern {pattern!r} is not anchored")
            bounds["pattern"] = pattern
            return None
        raise TypeError(f"unknown constraint {item!r}")

    def bare(self, tp: Any, discriminator: str | None) -> tuple[Any, ...]:
        """The spec of a type without constraints."""
        origin, args = get_origin(tp), get_args(tp)
        if tp in _SCALARS:
            return (_SCALARS[tp], {})
        if tp is type(None):
            return ("none",)
        if origin is Literal:
            return ("literal", args)
        if origin in (Union, types.UnionType):
            if discriminator is not None:
                tags = {}
                for member in args:
                    (tag,) = get_args(member.model_fields[discriminator].annotation)
                    tags[tag] = self.model(member)
                return ("tagged", discriminator, tags)
            return ("union", tuple(self.type(member, []) for member in args))
        if origin is list:
            return ("list", self.type(args[0], []), {})
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return ("tuple_of", self.type(args[0], []), {})
            return ("tuple", tuple(self.type(member, []) for member in args))
        if origin is dict:
            return ("dict", self.type(args[0], []), self.type(args[1], []), {})
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return ("model", self.model(tp))
        raise TypeError(f"unknown type {tp!r}")


def _constrain(spec: tuple[Any, ...], bounds: dict[str, Any]) -> tuple[Any, ...]:
    """Apply field constraints to a spec: to each member of an optional union."""
    if not bounds:
        return spec
    if spec[0] == "union":
        return ("union", tuple(_constrain(m, bounds) if m[0] != "none" else m for m in spec[1]))
    if spec[0] in ("float", "int", "str", "list", "tuple_of", "dict"):
        return (*spec[:-1], {**spec[-1], **bounds})
    raise TypeError(f"constraints {bounds} on {spec[0]}")


def render() -> str:
    """The source of :mod:`sim.scenario.quick_spec`."""
    walk = _Walk()
    root = walk.model(Scenario)
    checks = [("sim.scenario.rules", "DateLimit"), ("sim.scenario.rules", "InRange")]
    imports = sorted(walk.rules) + checks
    lines = [
        '"""The scenario schema as plain data: generated by sim.scenario.quick_spec_build, do not edit.',
        "",
        "MODELS maps each model to (its rules class, its fields); a field is",
        "(name, key in the file, type, required, default). Regenerate with",
        "``python -m sim.scenario.quick_spec_build`` after changing the schema.",
        '"""',
        "",
    ]
    body = [f"ROOT = {root!r}", "", "MODELS = {"]
    for name, (rule, fields) in walk.models.items():
        body.append(f"    {name!r}: (")
        body.append(f"        {rule or 'None'},")
        body.append("        (")
        body.extend(f"            {field!r}," for field in fields)
        body.append("        ),")
        body.append("    ),")
    body.append("}")
    if any("datetime." in line for line in body):
        lines += ["import datetime", ""]
    for module in sorted({m for m, _ in imports}):
        names = sorted({n for m, n in imports if m == module}, key=_import_order)
        if len(names) == 1:
            lines.append(f"from {module} import {names[0]}")
        else:
            lines += [f"from {module} import (", *(f"    {n}," for n in names), ")"]
    return "\n".join([*lines, "", *body]) + "\n"


def _import_order(name: str) -> tuple[bool, str]:
    """Constants, then classes, then functions, as ruff sorts an import list."""
    return (not name.isupper(), name)


def main() -> None:
    """Write :mod:`sim.scenario.quick_spec` beside this module."""
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
