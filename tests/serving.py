"""Starting and stopping `sim app` as a subprocess, for the tests that talk to a real server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO


def free_port() -> int:
    """A loopback port no one listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether a server could listen on the loopback port now (as the server binds it)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_sim_app(args: list[str], log: IO[str], own_group: bool = True) -> subprocess.Popen[bytes]:
    """`python -m sim app ARGS`, its output to ``log``; ``own_group``: a process group of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "sim", "app", *args],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=own_group,
    )


def wait_for_page(
    url: str, process: subprocess.Popen[bytes], log_path: Path, seconds: float = 120
) -> str:
    """The page's HTML once the server answers 200; fails with the server's log otherwise."""
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, "sim app stopped:\n" + log_path.read_text()
        assert time.monotonic() < deadline, f"no answer in {seconds} s:\n" + log_path.read_text()
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return answer.read().decode("utf-8", "replace")
        except OSError:
            time.sleep(0.2)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started with its own process group: SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
