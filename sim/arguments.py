"""Command-line parsing on the standard library's argparse, with the engine's rules.

The command line is parsed with :mod:`argparse` rather than typer or click:
``import typer`` alone costs about three times a bare ``python -c pass`` and its
help page loads rich, while argparse is a few milliseconds (docs/performance.md,
"Start-up"). What this module adds to argparse:

- a usage error is one printable line on stderr and exit status 2, with a
  "did you mean" for a mistyped command or option;
- options are never abbreviated (``--se`` is not ``--seed``), as with click;
- numbers checked against a range at parse time (:func:`integer`, :func:`number`).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from sim.errors import printable

USAGE_ERROR = 2
"""Exit status of a usage error (the same as a located user error)."""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help with the commands listed like options, without a ``COMMAND`` header line."""

    def __init__(self, prog: str, width: int | None = None, **how: int) -> None:
        # argparse makes a formatter for every argument it adds and would import shutil
        # (and its compression modules) for the width: a tenth of `sim validate`'s start.
        super().__init__(prog, width=_columns() - 2 if width is None else width, **how)

    def _format_action(self, action: argparse.Action) -> str:
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(choice) for choice in action._get_subactions())
        return super()._format_action(action)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line ending in how to get help."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: MESSAGE (see PROG --help)`` on one line and exit 2."""
        self.exit(
            USAGE_ERROR, f"{printable(self.prog)}: {printable(message)} (see {self.prog} --help)\n"
        )

    def unknown(self, words: Sequence[str]) -> NoReturn:
        """Refuse words no option or argument takes, suggesting the nearest option."""
        word = words[0]
        if not word.startswith("-") or word == "-":
            self.error(f"unexpected argument {word!r}")
        import difflib

        name = word.split("=", 1)[0]
        options = sorted(o for o in self._option_string_actions if o.startswith("--"))
        close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        self.error(f"no such option {name!r}{hint}")


def _columns() -> int:
    """The terminal's width as shutil.get_terminal_size gives it: $COLUMNS, the terminal, 80."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def choice_error(kind: str, word: str, allowed: Sequence[str]) -> str:
    """The message for a word that is not one of ``allowed``, with the nearest one."""
    import difflib

    close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"no such {kind} {word!r}{hint} (allowed: {', '.join(allowed)})"


def _checked(
    convert: Callable[[str], float], what: str, allowed: str, inside: Callable[[float], bool]
) -> Callable[[str], float]:
    """An argparse ``type``: ``convert`` the text (it is ``what``), refuse it unless ``inside``."""

    def check(text: str) -> float:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not {what} (allowed: {allowed})"
            ) from None
        if not inside(value):
            raise argparse.ArgumentTypeError(f"{text} is out of range (allowed: {allowed})")
        return value

    return check


def integer(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type`` for whole numbers from ``low`` to ``high`` (inclusive)."""
    allowed = f"a whole number >= {low}" if high is None else f"a whole number {low} to {high}"
    top = math.inf if high is None else high
    return _checked(int, "a whole number", allowed, lambda v: low <= v <= top)  # type: ignore[return-value]


def number(low: float) -> Callable[[str], float]:
    """An argparse ``type`` for numbers at least ``low`` (``inf`` allowed, ``nan`` not)."""
    return _checked(float, "a number", f"a number >= {low:g}", lambda v: v >= low)


def parse(parser: Parser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv`` (default ``sys.argv[1:]``); usage errors exit 2 with one line.

    Unknown words are reported by the parser of the command they follow, so the
    suggestion names that command's options.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    commands = next(
        (a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {}
    )
    if commands and words:
        first = words[0]
        if first.startswith("-") and first.split("=", 1)[0] not in parser._option_string_actions:
            parser.unknown(words)
        if not first.startswith("-") and first not in commands:
            parser.error(choice_error("command", first, list(commands)))
    namespace, extra = parser.parse_known_args(words)
    if extra:
        chosen = getattr(namespace, "parser", parser)
        chosen.unknown(extra)
    return namespace
