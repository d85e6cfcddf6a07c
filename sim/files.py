"""Writing what users produce: atomically, and never over a different file unasked.

A file is written to a temporary file in the target folder and moved into place
with ``os.replace``, so readers see the old file or the new one, never half of
it; an existing file with other contents is replaced only with ``force``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Literal

from sim.errors import UserError

Status = Literal["written", "unchanged"]
"""What writing a file did: wrote it, or found it already holding these bytes."""


def write_file(target: Path, data: bytes | str, *, force: bool = False) -> Status:
    """Write one file atomically; its folder must exist.

    Args:
        target: The file.
        data: Its contents (text is written as UTF-8).
        force: Replace an existing file whose contents differ.

    Returns:
        ``"written"``, or ``"unchanged"`` when the file already held these bytes.

    Raises:
        UserError: If the file exists with other contents and ``force`` is off,
            is a folder, its folder is missing, or it cannot be written.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    status = check_target(target, raw, force)
    if not target.parent.is_dir():
        raise UserError(str(target), 1, 1, "", f"folder {target.parent} does not exist")
    if status == "written":
        atomic_write_bytes(target, raw)
    return status


def check_target(target: Path, data: bytes, force: bool) -> Status:
    """Whether ``target`` needs writing; refuse to replace a different file without force."""
    if target.is_dir():
        raise UserError(str(target), 1, 1, "", "is a directory (give a file name)")
    if not target.exists():
        return "written"
    try:
        same = target.read_bytes() == data
    except OSError:
        same = False
    if same:
        return "unchanged"
    if not force:
        raise UserError(str(target), 1, 1, "", "exists and differs; pass --force to overwrite it")
    return "written"


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then ``os.replace``.

    The file gets the permissions a plain ``open`` would give it (``0o666``
    less the umask), not ``mkstemp``'s private ``0o600``: figures and reports
    are meant to be shared.
    """
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(str(target), 1, 1, "", f"cannot write: {exc.strerror}") from None


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
