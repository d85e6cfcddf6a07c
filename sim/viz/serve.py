"""Serving the classroom page: the solara command, its environment, the port and the address.

``sim app`` calls these; they live here, beside the page, so that the command
line reaches down to the page's serving rules and the page never reaches up.

The server is started *in place of* the ``sim app`` process (``os.execve``):
there is one process, so stopping ``sim app`` by its PID (SIGTERM, Ctrl-C)
stops the server and frees the port; no orphan is left holding it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

SCENARIO_ENV = "SIM_APP_SCENARIO"
"""Environment variable naming the scenario file the page opens with (read by the page)."""

PAGE = Path(__file__).resolve().parent / "app.py"
"""The page's module, which ``solara run`` serves."""

OFFLINE_CDN = "http://127.0.0.1:9/npm/"
"""Where solara's asset proxy may fetch a file it does not hold: nowhere (port 9, discard).

Every file the page needs is installed by the ``solara-assets`` package into the
proxy's cache folder; pointing the proxy here instead of a public CDN means the
server itself never fetches from outside, even when a file is missing (the
browser then gets an error for that file rather than the server going online).
"""


def server_env(base: Mapping[str, str], scenario: Path | None) -> dict[str, str]:
    """The server's environment: no telemetry, no Solara badge, assets from disk only.

    Args:
        base: The environment to start from (``os.environ``).
        scenario: The scenario file the page opens with, if one was given.
    """
    env = dict(base)
    env.update(
        SOLARA_TELEMETRY_MIXPANEL_ENABLE="False",
        SOLARA_THEME_SHOW_BANNER="False",  # the "runs on Solara" badge covered the transcript
        SOLARA_ASSETS_CDN=OFFLINE_CDN,
    )
    if scenario is not None:
        env[SCENARIO_ENV] = str(scenario.resolve())
    return env


def solara_command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line for the page, in production mode, no version check."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(PAGE),
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-check-version",
        "--no-open",
    ]


def port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served (in use, not an address here), or None if it can.

    Checked before anything is printed or started, so a taken port never shows a
    URL that leads to another program's server.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
                why = "is already in use (another server? choose one with --port)"
            else:
                why = f"cannot be used: {err.strerror or err}"
            return f"{host}:{port} {why}"
    return None


def page_urls(host: str, port: int) -> list[str]:
    """What to print: the address to open here and, on every interface, the one students open."""
    if host not in ("0.0.0.0", "::", ""):
        return [f"classroom page: http://{_bracketed(host)}:{port}/ (Ctrl-C to stop)"]
    lines = [f"classroom page: http://127.0.0.1:{port}/ on this machine (Ctrl-C to stop)"]
    address = network_address()
    if address:
        lines.append(f"students open: http://{address}:{port}/ (this machine's network address)")
    else:
        lines.append(
            f"students open: http://<this machine's address>:{port}/ "
            "(no network address found: see `ip addr` or the network settings)"
        )
    return lines


def network_address() -> str | None:
    """The address of this machine on its network (the default route's interface), or None.

    A UDP ``connect`` only picks the outgoing interface: it sends nothing.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: documentation address, never routed
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def replace_process(command: list[str], env: dict[str, str]) -> int:
    """Become the server (POSIX ``execve``); where that is not possible, run it and wait."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execve(command[0], command, env)  # does not return
    return subprocess.run(command, env=env, check=False).returncode


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host
