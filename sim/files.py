"""Reading what users give and writing what they produce, safely.

Reading: only regular files are read (a FIFO, a device such as ``/dev/zero`` or
a socket is refused before it is opened for reading), and never more than a cap
(:func:`read_regular_file`), so a bad path answers at once instead of hanging
or filling memory.

Writing: a file is written to a temporary file in the target folder and moved
into place with ``os.replace``, so readers see the old file or the new one,
never half of it; an existing file with other contents is replaced only with
``force``, and a target that is not a regular file (a device, FIFO or socket)
never, ``force`` or not.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from sim.errors import UserError

STDOUT = "-"
"""The file name that means standard output."""

Status = Literal["written", "unchanged"]
"""What writing a file did: wrote it, or found it already holding these bytes."""


def read_regular_file(path: Path, name: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The path is checked before it is opened (following symbolic links), opened
    without blocking and checked again, and at most ``limit + 1`` bytes are
    read, so neither a FIFO nor an endless device can stall the caller.

    Args:
        path: The file.
        name: How the user named it (for messages).
        limit: Most bytes allowed.

    Returns:
        Its contents.

    Raises:
        UserError: At ``name:1:1`` for a missing file, a folder, anything but a
            regular file, a file over the limit, or a path the system refuses
            (a NUL byte, a name too long).
    """
    info = _stat(path, name)
    _check_regular(info, name, limit)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
    except OSError as exc:
        raise UserError(name, 1, 1, "", f"cannot read file: {exc.strerror}") from None
    with os.fdopen(handle, "rb") as stream:
        _check_regular(os.fstat(handle), name, limit)
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise UserError(name, 1, 1, "", f"cannot read file: {exc.strerror}") from None
    if len(data) > limit:
        raise UserError(name, 1, 1, "", _too_large(limit))
    return data


def _stat(path: Path, name: str) -> os.stat_result:
    """``os.stat`` with every failure as a located, printable :class:`UserError`."""
    try:
        return os.stat(path)
    except ValueError:
        raise UserError(name, 1, 1, "", "the path holds a NUL byte") from None
    except FileNotFoundError:
        raise UserError(name, 1, 1, "", "file not found") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise UserError(name, 1, 1, "", "file name too long for this system") from None
        raise UserError(name, 1, 1, "", f"cannot read file: {exc.strerror}") from None


def _check_regular(info: os.stat_result, name: str, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UserError(name, 1, 1, "", "is a directory, not a scenario file")
    if not stat.S_ISREG(info.st_mode):
        raise UserError(
            name, 1, 1, "", f"is {_kind(info.st_mode)}, not a regular file (give a file)"
        )
    if info.st_size > limit:
        raise UserError(name, 1, 1, "", _too_large(limit))


def _too_large(limit: int) -> str:
    return (
        f"is larger than {limit / 1e6:g} MB, the most a scenario file may hold "
        "(real scenarios take a few kB)"
    )


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def write_file(target: Path, data: bytes | str, *, force: bool = False) -> Status:
    """Write one file atomically; its folder must exist.

    Args:
        target: The file, or ``-`` for standard output.
        data: Its contents (text is written as UTF-8).
        force: Replace an existing file whose contents differ.

    Returns:
        ``"written"``, or ``"unchanged"`` when the file already held these bytes.

    Raises:
        UserError: If the file exists with other contents and ``force`` is off,
            is a folder, its folder is missing, or it cannot be written.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if str(target) == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return "written"
    status = check_target(target, raw, force)
    if not target.parent.is_dir():
        raise UserError(str(target), 1, 1, "", f"folder {target.parent} does not exist")
    if status == "written":
        atomic_write_bytes(target, raw)
    return status


def check_target(target: Path, data: bytes, force: bool) -> Status:
    """Whether ``target`` needs writing; refuse to replace a different file without force.

    A target that exists but is not a regular file (a device, a FIFO, a socket)
    is refused even with ``force``: replacing ``/dev/null`` with a file, or
    blocking on a pipe no one reads, is never what was meant.
    """
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return "written"
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "the path holds a NUL byte"
        raise UserError(str(target), 1, 1, "", f"cannot write: {reason}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(str(target), 1, 1, "", "is a directory (give a file name)")
    if not stat.S_ISREG(info.st_mode):
        raise UserError(
            str(target),
            1,
            1,
            "",
            f"is {_kind(info.st_mode)}; sim writes only regular files "
            "(give a file name, or - for standard output where the command allows it)",
        )
    try:
        same = info.st_size == len(data) and target.read_bytes() == data
    except OSError:
        same = False
    if same:
        return "unchanged"
    if not force:
        raise UserError(str(target), 1, 1, "", "exists and differs; pass --force to overwrite it")
    return "written"


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write bytes through a temporary file in the same folder, then ``os.replace``.

    The file gets the permissions a plain ``open`` gives (``0o666`` less the
    umask): figures and reports are meant to be shared.
    """
    atomic_write(target, lambda temporary: temporary.write_bytes(data))


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Write a file so that readers see the old file or the new one, never half of it.

    The temporary file, ``.NAME.PID.RANDOM.tmp`` beside ``target``, is removed
    on every path out (an error, Ctrl-C); temporary files of ``target`` that a
    killed earlier process left behind (their process is gone) are removed first.

    Args:
        target: The file to (re)place.
        write: Writes the content to the path it is given (the temporary file,
            then moved over ``target`` with ``os.replace``).

    Raises:
        UserError: At ``target`` if it cannot be written.
    """
    remove_stale_temporaries(target)
    import secrets  # here, not at the top: reading files (sim validate) needs no hashing

    temporary = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    try:
        write(temporary)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UserError(str(target), 1, 1, "", f"cannot write: {exc.strerror}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` whose writing process no longer runs.

    Args:
        target: The file whose ``.NAME.PID.RANDOM.tmp`` siblings to look at.

    Returns:
        The files removed.
    """
    removed: list[Path] = []
    try:
        siblings = list(target.parent.glob(f".{glob.escape(target.name)}.*.tmp"))
    except OSError:
        return removed
    for path in siblings:
        middle = path.name[len(target.name) + 2 : -len(".tmp")]
        pid_text = middle.split(".", 1)[0]
        if pid_text.isdigit() and _running(int(pid_text)):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id runs (ours always does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
