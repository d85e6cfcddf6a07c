"""Where each value of a scenario was written: dotted path → file, line, column.

The loader records, for every value it reads, the position of the value and (for
mapping entries) of its key. Errors found later — by pydantic, by the
cross-reference checks, by the engine — are reported at the nearest recorded
position, so the user sees ``file:line:col`` of the spot to fix.

Paths are dotted: mapping keys by name, list items by index
(``rounds.0.agenda.2``); the root is ``""``.
"""

from __future__ import annotations

from sim.errors import UserError


class Location:
    """A 1-based position in a file.

    A plain class: ``sim validate`` reads this module, and a dataclass or a named
    tuple (their modules, their class building) would cost it a tenth of its start.
    """

    __slots__ = ("file", "line", "col")

    def __init__(self, file: str, line: int = 1, col: int = 1) -> None:
        self.file = file
        self.line = line
        self.col = col

    def _key(self) -> tuple[str, int, int]:
        return (self.file, self.line, self.col)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Location:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Location(file={self.file!r}, line={self.line!r}, col={self.col!r})"


def join_path(*parts: object) -> str:
    """Join path segments with dots, skipping empty ones.

    >>> join_path("", "rounds", 0, "hours")
    'rounds.0.hours'
    """
    return ".".join(format_segment(part) for part in parts if part != "")


def format_segment(part: object) -> str:
    """A path segment as written in a dotted path (``70.0`` becomes ``70``).

    >>> format_segment(70.0), format_segment("geneva"), format_segment(2)
    ('70', 'geneva', '2')
    """
    if isinstance(part, float) and part.is_integer():
        return str(int(part))
    return str(part)


def parent_path(path: str) -> str:
    """The path one level up (``""`` for a top-level key).

    >>> parent_path("rounds.0.hours"), parent_path("name")
    ('rounds.0', '')
    """
    return path.rpartition(".")[0]


class Locations:
    """Positions of the values (and of the keys) of one scenario, by dotted path.

    Attributes:
        file: The file the scenario was read from; positions that are not recorded
            fall back to ``file:1:1``.
        values: Position of each value, by path (the root's is at ``""``).
        keys: Position of the key of each mapping entry, by path.
        containers: Paths whose values are mappings or lists.
    """

    def __init__(
        self,
        file: str,
        values: dict[str, Location] | None = None,
        keys: dict[str, Location] | None = None,
        containers: set[str] | None = None,
    ) -> None:
        self.file = file
        self.values: dict[str, Location] = {} if values is None else values
        self.keys: dict[str, Location] = {} if keys is None else keys
        self.containers: set[str] = set() if containers is None else containers

    def __repr__(self) -> str:
        return f"Locations({self.file!r}, {len(self.values)} values)"

    def __contains__(self, path: object) -> bool:
        return path in self.values

    def locate(self, path: str, *, key: bool = False) -> Location:
        """The position that best shows the value at ``path``.

        A mapping or list is shown at its key (``russia:``), a plain value at the
        value itself (``120`` in ``red_line: 120``); ``key=True`` always prefers
        the key (for unknown or misspelt keys). A path that was not written in the
        file falls back to its nearest written ancestor.

        Args:
            path: Dotted path, e.g. ``actors.russia.positions.enlargement.red_line``.
            key: Prefer the position of the key over that of the value.

        Returns:
            The location (``file:1:1`` when nothing on the path was recorded).
        """
        current = path
        while True:
            if current in self.values:
                if (key or current in self.containers) and current in self.keys:
                    return self.keys[current]
                return self.values[current]
            if not current:
                return Location(self.file)
            current = parent_path(current)

    def error(self, path: str, message: str, *, key: bool = False) -> UserError:
        """A :class:`UserError` about ``path``, located with :meth:`locate`.

        Args:
            path: Dotted path of the offending value.
            message: What is wrong (and what is allowed).
            key: Prefer the position of the key over that of the value.

        Returns:
            The error, ready to raise.
        """
        where = self.locate(path, key=key)
        return UserError(where.file, where.line, where.col, path, message)

    def drop(self, path: str) -> None:
        """Forget ``path`` and everything below it (its value was replaced)."""
        prefix = f"{path}." if path else ""
        for table in (self.values, self.keys):
            for recorded in [p for p in table if p == path or p.startswith(prefix)]:
                del table[recorded]
        self.containers = {p for p in self.containers if not (p == path or p.startswith(prefix))}

    def copy_from(self, other: Locations, path: str) -> None:
        """Take ``other``'s positions for ``path`` and everything below it."""
        prefix = f"{path}." if path else ""
        for source, target in ((other.values, self.values), (other.keys, self.keys)):
            for recorded, where in source.items():
                if recorded == path or recorded.startswith(prefix):
                    target[recorded] = where
        self.containers |= {p for p in other.containers if p == path or p.startswith(prefix)}


class Everywhere(Locations):
    """Locations that put every path at one spot (e.g. ``--set``, line 1, column 1)."""

    def __init__(self, file: str, line: int = 1, col: int = 1) -> None:
        super().__init__(file)
        self._where = Location(file, line, col)

    def locate(self, path: str, *, key: bool = False) -> Location:
        """Always the one spot."""
        return self._where
