"""Read scenario YAML safely, remembering where every value was written.

YAML is parsed with PyYAML's ``SafeLoader`` into nodes (``yaml.compose``), and the
nodes are turned into plain data here, so that each value's line and column is
known and mistakes YAML itself lets pass are caught: duplicate keys, unknown
tags, impossible dates. ``extends: other.yaml`` deep-merges the file onto
another one (path relative to the extending file): mappings merge key by key,
lists and scalars are replaced. The merged data is validated as a
:class:`~sim.scenario.schema.Scenario`; every mistake becomes a
:class:`~sim.errors.UserError` at ``file:line:col``.

>>> scenario = load_scenario("tests/data/valid/two_party.yaml")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.errors import UserError, show
from sim.files import read_regular_file
from sim.scenario.limits import MAX_WORK, check_work, value_errors
from sim.scenario.locations import Location, Locations, format_segment, join_path

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = [
    "Location",
    "Locations",
    "check_scenario_file",
    "load_scenario",
    "load_scenario_text",
    "load_scenario_with_locations",
    "read_scenario_data",
    "read_scenario_text",
    "validate_files",
    "yaml_value",
]

MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
MAX_VALUES = 200_000
"""Most values one file may expand to (guards against alias bombs)."""
MAX_FILE_BYTES = 1_000_000
"""Largest scenario file read (the baseline has 13 kB): PyYAML reads about 1 MB/s."""
MAX_NODES = 20_000
"""Most values a file may hold as written (the baseline has under a thousand)."""
SCENARIO_SUFFIXES = (".yaml", ".yml")
"""What an ``extends:`` target's name must end with."""


def shipped_scenarios() -> Path:
    """The folder of shipped scenarios (``scenarios/`` beside the package)."""
    import sim

    return Path(sim.__file__).resolve().parent.parent / "scenarios"


def load_scenario(
    path: str | Path, *, extends_anywhere: bool = False, max_work: int | None = MAX_WORK
) -> Scenario:
    """Read, merge (``extends``) and validate a scenario file.

    Args:
        path: The YAML file.
        extends_anywhere: Let ``extends:`` name files outside the scenario's own
            folder tree and the shipped scenarios.
        max_work: Refuse a scenario whose estimated work per run
            (:func:`~sim.scenario.limits.estimated_work`) is above this (``None``: no limit).

    Returns:
        The validated, immutable scenario.

    Raises:
        UserError: At ``file:line:col`` for anything wrong with the file.

    Example:
        >>> load_scenario("no/such.yaml")
        Traceback (most recent call last):
        sim.errors.UserError: no/such.yaml:1:1: file not found
    """
    return load_scenario_with_locations(path, extends_anywhere=extends_anywhere, max_work=max_work)[
        0
    ]


def load_scenario_with_locations(
    path: str | Path, *, extends_anywhere: bool = False, max_work: int | None = MAX_WORK
) -> tuple[Scenario, Locations]:
    """Like :func:`load_scenario`, also returning where each value was written.

    Args:
        path: The YAML file.
        extends_anywhere: Let ``extends:`` leave the scenario's folder tree.
        max_work: Most estimated work per run (``None``: no limit).

    Returns:
        The scenario and its :class:`Locations` (for locating later errors).

    Raises:
        UserError: At ``file:line:col`` for anything wrong with the file.
    """
    from sim.scenario.validation import validate_scenario

    data, locations = read_scenario_data(path, extends_anywhere=extends_anywhere)
    scenario = validate_scenario(data, locations)
    check_work(scenario, max_work, locations)
    return scenario, locations


def check_scenario_file(
    path: str | Path, *, extends_anywhere: bool = False, max_work: int | None = MAX_WORK
) -> tuple[int, int, int]:
    """Check a scenario file as :func:`load_scenario` does, quickly when it is valid.

    The file is checked first without pydantic (:mod:`sim.scenario.quick`), which
    accepts only what the schema accepts; whatever it is not sure of goes through
    :func:`load_scenario`'s full validation, which locates and words the error.
    So the verdict and every message are the same as loading the file, and a valid
    file is checked without importing pydantic or building the schema.

    Args:
        path: The YAML file.
        extends_anywhere: Let ``extends:`` leave the scenario's folder tree.
        max_work: Most estimated work per run (``None``: no limit).

    Returns:
        The numbers of issues, actors and rounds.

    Raises:
        UserError: At ``file:line:col`` for anything wrong with the file.
    """
    from sim.scenario.quick import quick_scenario

    data, locations = read_scenario_data(path, extends_anywhere=extends_anywhere)
    problems = value_errors(data, locations)
    if problems:
        raise problems[0]  # as the full validation would, first of all
    scenario: Any = quick_scenario(data)
    if scenario is None:
        from sim.scenario.validation import validate_scenario

        scenario = validate_scenario(data, locations)
    check_work(scenario, max_work, locations)
    return len(scenario.issues), len(scenario.actors), len(scenario.rounds)


def load_scenario_text(text: str, name: str = "<string>") -> Scenario:
    r"""Validate a scenario given as YAML text (for tests, notebooks and the app).

    Args:
        text: The YAML document.
        name: What to call it in error messages; ``extends`` paths are resolved
            relative to its folder (the working directory for ``<string>``).

    Returns:
        The validated, immutable scenario.

    Raises:
        UserError: At ``name:line:col`` for anything wrong with the text.

    Example:
        >>> load_scenario_text("schema_version: 1\nname: x\nname: y\n")
        Traceback (most recent call last):
        sim.errors.UserError: <string>:3:1: name: duplicate key 'name' (first given at line 2)
    """
    from sim.scenario.validation import validate_scenario

    data, locations = read_scenario_text(text, name)
    return validate_scenario(data, locations)


def read_scenario_data(
    path: str | Path, *, extends_anywhere: bool = False
) -> tuple[dict[str, Any], Locations]:
    """Read a scenario file into merged plain data and locations, without validating.

    Args:
        path: The YAML file.
        extends_anywhere: Let ``extends:`` leave the scenario's folder tree.

    Returns:
        The data (``extends`` applied) and where each path was written.

    Raises:
        UserError: For a missing or unreadable file, bad YAML or a bad ``extends``.
    """
    name = str(path)
    real = Path(path)
    return _Reader(real, extends_anywhere).read_file(real, name)


def read_scenario_text(text: str, name: str = "<string>") -> tuple[dict[str, Any], Locations]:
    """Parse YAML text into merged plain data and locations, without validating.

    Args:
        text: The YAML document.
        name: Its name in messages; ``extends`` is resolved relative to its folder.

    Returns:
        The data (``extends`` applied) and where each path was written.

    Raises:
        UserError: For bad YAML or a bad ``extends``.
    """
    real = Path(name) if not name.startswith("<") else Path.cwd() / "<string>"
    return _Reader(real).read_text(text, name, real)


def validate_files(paths: Iterable[str | Path]) -> list[UserError]:
    """Check scenario files; one error per invalid file, none for valid ones.

    Args:
        paths: The files to check.

    Returns:
        The first error of each invalid file, in the order given.
    """
    errors: list[UserError] = []
    for path in paths:
        try:
            load_scenario(path)
        except UserError as err:
            errors.append(err)
    return errors


def yaml_value(text: str, name: str) -> Any:
    """Parse one YAML value (a scalar, ``[list]`` or ``{mapping}``) safely.

    Duplicate keys and unsupported tags are rejected as in scenario files.

    Args:
        text: The YAML text, e.g. ``"{dist: beta, mean: 0.5, sd: 0.1}"``.
        name: Its name in error messages (e.g. ``--set``).

    Returns:
        Plain data (``None`` for empty text).

    Raises:
        UserError: At ``name:line:col`` within ``text``.

    Example:
        >>> yaml_value("{dist: uniform, low: 0.2, high: 0.6}", "--set")
        {'dist': 'uniform', 'low': 0.2, 'high': 0.6}
    """
    root = _compose(text, name)
    if root is None:
        return None
    return _Builder(name).build(root, "")


# --- reading files and extends ----------------------------------------------------------


class _Link:
    """A file on the current ``extends`` chain, and where its ``extends`` was written."""

    __slots__ = ("real", "name", "extends_at")

    def __init__(self, real: Path, name: str, extends_at: Location | None) -> None:
        self.real = real
        self.name = name
        self.extends_at = extends_at


class _Reader:
    """Reads one scenario and the files it extends, watching for cycles.

    Args:
        first: The scenario being read; ``extends:`` may reach files in its folder
            tree and in the shipped scenarios.
        anywhere: Let ``extends:`` reach any file.
    """

    def __init__(self, first: Path, anywhere: bool = False) -> None:
        self.chain: list[_Link] = []
        self.roots: list[Path] | None = None
        if not anywhere:
            self.roots = [_absolute(first.parent), shipped_scenarios()]

    def read_file(self, real: Path, name: str) -> tuple[dict[str, Any], Locations]:
        raw = read_regular_file(real, name, MAX_FILE_BYTES)
        return self.read_text(_decode(raw, name), name, real)

    def check_target(self, resolved: Path, base_name: str, locations: Locations) -> None:
        """Refuse an ``extends:`` target that is not a scenario file we may read."""
        if resolved.suffix.lower() not in SCENARIO_SUFFIXES:
            raise locations.error(
                "extends",
                f"{base_name} is not a scenario file (allowed: names ending in .yaml or .yml)",
            )
        if self.roots is not None and not any(resolved.is_relative_to(r) for r in self.roots):
            raise locations.error(
                "extends",
                f"{base_name} is outside the scenario's folder and the shipped scenarios "
                "(allowed: files under them; pass --allow-extends-anywhere to read it)",
            )

    def read_text(self, text: str, name: str, real: Path) -> tuple[dict[str, Any], Locations]:
        data, locations = _parse(text, name)
        extends = data.get("extends")
        if extends is None:
            return data, locations
        where = locations.locate("extends")
        if not isinstance(extends, str) or not extends.strip():
            message = f"expected the path of a scenario file, got {show(extends)}"
            raise locations.error("extends", message)
        base_name = os.path.normpath(os.path.join(os.path.dirname(name), extends))
        resolved = _resolve(real.parent, extends, locations)
        here = _absolute(real) if not real.name.startswith("<") else real
        self.chain.append(_Link(here, name, where))
        for index, link in enumerate(self.chain):
            if link.real == resolved:
                names = [item.name for item in self.chain[index:]] + [link.name]
                at = link.extends_at or where
                message = f"cycle: {' -> '.join(names)}"
                raise UserError(at.file, at.line, at.col, "extends", message)
        self.check_target(resolved, base_name, locations)
        try:
            base, base_locations = self.read_file(resolved, base_name)
        except UserError as err:
            if err.file != base_name or err.line != 1 or err.col != 1:
                raise
            raise locations.error("extends", f"{err.message}: {base_name}") from None
        self.chain.pop()
        merged = _merge(base, data, base_locations, locations, "")
        base_locations.file = name
        return merged, base_locations


def _absolute(path: Path) -> Path:
    """``path`` made absolute with symbolic links resolved (as far as it exists)."""
    return path.absolute().resolve()


def _resolve(folder: Path, extends: str, locations: Locations) -> Path:
    """The file an ``extends:`` names, or a located error if the system cannot name it."""
    try:
        return _absolute(folder / extends)
    except ValueError:
        raise locations.error("extends", "the path holds a NUL byte") from None
    except OSError as exc:
        raise locations.error("extends", f"cannot use this path: {exc.strerror}") from None


def _merge(
    base: Any, own: Any, base_locations: Locations, own_locations: Locations, path: str
) -> Any:
    """Deep-merge ``own`` onto ``base``; ``base_locations`` is updated to match.

    Mappings merge key by key; anything else in ``own`` replaces ``base``'s value
    and its positions.
    """
    if isinstance(base, dict) and isinstance(own, dict):
        merged = dict(base)
        for key, value in own.items():
            child = join_path(path, key)
            merged[key] = _merge(base.get(key), value, base_locations, own_locations, child)
        for own_table, base_table in (
            (own_locations.keys, base_locations.keys),
            (own_locations.values, base_locations.values),
        ):
            if path in own_table:
                base_table[path] = own_table[path]
        return merged
    base_locations.drop(path)
    base_locations.copy_from(own_locations, path)
    return own


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        byte = raw[exc.start]
        raise UserError(
            name, line, col, "", f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


# --- YAML nodes to plain data -----------------------------------------------------------


def _parse(text: str, name: str) -> tuple[dict[str, Any], Locations]:
    """Parse one YAML document into plain data and the positions of its values."""
    root = _compose(text, name)
    if root is None:
        raise UserError(
            name,
            1,
            1,
            "",
            "file is empty (expected a mapping with schema_version, name, issues, actors "
            "and rounds)",
        )
    builder = _Builder(name)
    try:
        data = builder.build(root, "")
    except RecursionError:
        raise UserError(name, 1, 1, "", "nested too deeply") from None
    if not isinstance(data, dict):
        where = builder.locations.locate("")
        raise UserError(
            name,
            where.line,
            where.col,
            "",
            f"the top level must be a mapping (key: value), got {_kind(data)}",
        )
    return data, builder.locations


def _kind(data: Any) -> str:
    """What a value is, in words, without quoting it (the file may not be a scenario).

    >>> _kind("root:x:0:0"), _kind([1]), _kind(3)
    ('text', 'a list', 'a number')
    """
    if isinstance(data, str):
        return "text"
    if isinstance(data, bool):
        return "true or false"
    if isinstance(data, int | float):
        return "a number"
    return show(data)


def _count_nodes(text: str, name: str) -> None:
    """Refuse text holding more than :data:`MAX_NODES` values, before composing it.

    Composing costs tens of microseconds per value in Python; counting the
    parser's events with libyaml (when PyYAML has it) costs a few, so a file
    full of values is refused quickly. Syntax errors are left to the composer,
    which locates them.
    """
    if len(text) <= MAX_NODES or not getattr(yaml, "__with_libyaml__", False):
        return  # every value takes a character at least; PyYAML may lack libyaml
    count = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, _VALUE_EVENTS):
                count += 1
                if count > MAX_NODES:
                    mark = event.start_mark
                    raise UserError(
                        name,
                        mark.line + 1,
                        mark.column + 1,
                        "",
                        f"more than {MAX_NODES} values (real scenarios have a few thousand "
                        "at most)",
                    )
    except yaml.YAMLError:
        return


_VALUE_EVENTS = (
    yaml.ScalarEvent,
    yaml.SequenceStartEvent,
    yaml.MappingStartEvent,
    yaml.AliasEvent,
)


def _compose(text: str, name: str) -> Node | None:
    """Compose YAML text into a node tree with SafeLoader, locating syntax errors.

    libyaml composes (when PyYAML has it: ten times faster); text it refuses is
    composed again in Python, whose messages and positions the errors use.
    """
    _count_nodes(text, name)
    if getattr(yaml, "__with_libyaml__", False):
        try:
            return yaml.compose(text, Loader=yaml.CSafeLoader)
        except (yaml.YAMLError, RecursionError):
            pass
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.problem.startswith("but "):
            problem = f"{exc.context}, {exc.problem}"
        elif exc.context and exc.problem and exc.context_mark is not None:
            problem = f"{problem} ({exc.context} at line {exc.context_mark.line + 1})"
        raise UserError(name, line, col, "", f"YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise UserError(
            name, line, col, "", f"character U+{code:04X} is not allowed in YAML"
        ) from None
    except RecursionError:
        raise UserError(name, 1, 1, "", "nested too deeply") from None


def _short(tag: str) -> str:
    """A YAML tag as written in files (``!!set`` rather than ``tag:yaml.org,2002:set``)."""
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Builder:
    """Turns composed YAML nodes into plain data, recording each value's position."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.locations = Locations(name)
        self.constructor = SafeConstructor()
        self.count = 0
        self.active: set[int] = set()

    def where(self, node: Node) -> Location:
        return Location(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node: Node, path: str, message: str) -> UserError:
        at = self.where(node)
        return UserError(at.file, at.line, at.col, path, message)

    def build(self, node: Node, path: str) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(node, path, f"more than {MAX_VALUES} values (aliases expanding?)")
        if id(node) in self.active:
            raise self.fail(node, path, "an alias refers to a value that contains it")
        self.locations.values[path] = self.where(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        self.locations.containers.add(path)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != SEQ_TAG:
                    raise self.fail(node, path, f"unsupported tag '{_short(node.tag)}' on a list")
                return [self.build(item, join_path(path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                if node.tag != MAP_TAG:
                    raise self.fail(
                        node, path, f"unsupported tag '{_short(node.tag)}' on a mapping"
                    )
                return self.mapping(node, path)
        finally:
            self.active.discard(id(node))
        raise self.fail(node, path, "unsupported YAML node")  # pragma: no cover

    def scalar(self, node: ScalarNode, path: str) -> Any:
        if node.tag == STR_TAG:
            return node.value  # most values: what construct_object would return, sooner
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or "cannot read this value"
            if "could not determine a constructor" in problem:
                problem = (
                    f"unsupported tag '{_short(node.tag)}' (only plain YAML values are allowed)"
                )
            raise self.fail(node, path, problem) from None
        except (ValueError, OverflowError) as exc:
            if node.tag.endswith(":timestamp"):
                raise self.fail(node, path, f"invalid date {show(node.value)}: {exc}") from None
            raise self.fail(node, path, f"cannot read {show(node.value)}: {exc}") from None

    def mapping(self, node: MappingNode, path: str) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in reversed(sources):
                    if not isinstance(source, MappingNode):
                        raise self.fail(source, path, "'<<' merges only mappings")
                    if id(source) in self.active:
                        raise self.fail(source, path, "'<<' merges a mapping into itself")
                    self.active.add(id(source))
                    merged.update(self.mapping(source, path))
                    self.active.discard(id(source))
                continue
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, path, "keys must be plain values, not lists or mappings")
            key = self.scalar(key_node, path)
            child = join_path(path, format_segment(key))
            if key in first_line:
                raise self.fail(
                    key_node,
                    child,
                    f"duplicate key '{format_segment(key)}' (first given at line {first_line[key]})",
                )
            first_line[key] = key_node.start_mark.line + 1
            if key in merged:
                self.locations.drop(child)
            self.locations.keys[child] = self.where(key_node)
            result[key] = self.build(value_node, child)
        return {**merged, **result}
