"""The one exception for user mistakes: located, one line, no traceback.

Every mistake a user can make — a malformed scenario file, an unknown id, a bad
``--set`` override, an output file that already exists — is raised as a
:class:`UserError`. The command line prints ``str(err)`` on one line and exits
with status 2; anything else that escapes is a bug (status 1).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any


class UserError(Exception):
    """A mistake in the user's input, located in a file, line, column and dotted path.

    ``str(err)`` is ``file:line:col: path: message`` (or ``file:line:col: message``
    when the path is empty), the form editors and compilers use, so a terminal can
    jump to the spot.

    Attributes:
        file: The file the mistake is in (as the user named it), or a pseudo-file
            such as ``--set`` or ``<string>``.
        line: 1-based line number.
        col: 1-based column number.
        path: Dotted path of the value in the scenario (e.g.
            ``actors.russia.positions.enlargement.red_line``), or ``""``.
        message: What is wrong and, where it helps, what is allowed.

    Example:
        >>> str(UserError("a.yaml", 3, 7, "rounds.0.hours", "expected a number, got 'eight'"))
        "a.yaml:3:7: rounds.0.hours: expected a number, got 'eight'"
        >>> str(UserError("a.yaml", 1, 1, "", "file not found"))
        'a.yaml:1:1: file not found'
    """

    def __init__(
        self, file: str, line: int = 1, col: int = 1, path: str = "", message: str = ""
    ) -> None:
        super().__init__(file, line, col, path, message)
        self.file = file
        self.line = line
        self.col = col
        self.path = path
        self.message = message

    def __str__(self) -> str:
        where = f"{printable(self.file)}:{self.line}:{self.col}"
        if self.path:
            return f"{where}: {printable(self.path)}: {printable(self.message)}"
        return f"{where}: {printable(self.message)}"

    def __repr__(self) -> str:
        return (
            f"UserError(file={self.file!r}, line={self.line}, col={self.col}, "
            f"path={self.path!r}, message={self.message!r})"
        )


def printable(text: object) -> str:
    r"""Text safe for one terminal line: what is not printable is escaped.

    Escaping never raises: a lone surrogate (from a ``"\ud800"`` in YAML or a file
    name that is not UTF-8) becomes ``\ud800``, an ESC ``\x1b``, a newline ``\n``.
    Letters of every script are kept.

    Args:
        text: What to show (anything; it is turned into text first).

    Returns:
        The text with every unsafe character written as a Python escape.

    Example:
        >>> print(printable("evil\nok \x1b[2J \ud800 Zoë"))
        evil\nok \x1b[2J \ud800 Zoë
    """
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:  # a value that cannot even be shown (e.g. a 5,000-digit int)
            return f"<{type(text).__name__}>"
    if text.isprintable():
        return text
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    """One character as itself, or as its Python escape if it is not printable.

    Printable is Python's ``str.isprintable``: letters, marks, numbers,
    punctuation, symbols and the plain space; controls, format characters,
    surrogates, unassigned code points and other spaces (such as U+00A0) are
    escaped, so what a message shows is what the file holds.
    """
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{code:02x}")
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


SHOWN_TEXT = 60
"""Most characters of a text value quoted in a message."""


def show(value: Any) -> str:
    """A value as a user would recognise it from the YAML file.

    Long text is cut, huge integers are described rather than written out
    (formatting them would fail), and the caller's message is escaped when printed.

    >>> show("eight"), show(2.50), show(True), show([1]), show(None)
    ("'eight'", '2.5', 'true', 'a list', 'nothing (null)')
    >>> show(10**400)
    'a 401-digit number'
    """
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 10**15:
        digits = int(math.log10(abs(value))) + 1
        return f"{'-' if value < 0 else ''}a {digits}-digit number"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, str):
        shown = value if len(value) <= SHOWN_TEXT else f"{value[:SHOWN_TEXT]}…"
        return repr(shown)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)
