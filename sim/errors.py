"""The one exception for user mistakes: located, one line, no traceback.

Every mistake a user can make — a malformed scenario file, an unknown id, a bad
``--set`` override, an output file that already exists — is raised as a
:class:`UserError`. The command line prints ``str(err)`` on one line and exits
with status 2; anything else that escapes is a bug (status 1).
"""

from __future__ import annotations


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
        where = f"{self.file}:{self.line}:{self.col}"
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"UserError(file={self.file!r}, line={self.line}, col={self.col}, "
            f"path={self.path!r}, message={self.message!r})"
        )
