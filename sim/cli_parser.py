"""The grammar of the `sim` command line: each command's arguments, options and help.

:mod:`sim.cli` holds what the commands do; this module says what they accept,
with argparse (:mod:`sim.arguments`), so the help and the parsing load nothing
but the standard library. A command's help text is its function's docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.arguments import Parser, integer, number

if TYPE_CHECKING:
    import argparse

RUN_SEED = "Seed of the run (default: the scenario's seed)."
NOT_TABLES = "Print {} as JSON instead of tables."

HELP = (
    "Simulate multi-round negotiations (the January 2022 security talks and\n"
    "textbook bargaining games) from scenario YAML files.\n\n"
    "Example: sim run scenarios/january_2022.yaml --seed 3\n"
    "Each command has its own --help."
)


def _describe(command: Callable[..., None]) -> tuple[str, str]:
    """A command's one-line summary and its help text, from its docstring (no Markdown)."""
    first, _, rest = (command.__doc__ or "").replace("`", "").partition("\n")
    return first.strip(), f"{first.strip()}\n{_dedent(rest)}".strip()


def _dedent(text: str) -> str:
    r"""Remove the indentation every non-blank line shares (textwrap.dedent, without its import).

    >>> _dedent("    a\n      b\n\n    c")
    'a\n  b\n\nc'
    """
    lines = text.split("\n")
    indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] if line.strip() else "" for line in lines)


def _add_scenario_options(command: argparse.ArgumentParser, *, overrides: bool = True) -> None:
    """The options that every command reading a scenario shares: --set, extends, --max-work."""
    if overrides:
        _value(
            command,
            "--set",
            dest="overrides",
            action="append",
            metavar="PATH=VALUE",
            help="Override a value by dotted path (repeatable), e.g. "
            "actors.russia.risk_acceptance=0.4 or rounds.geneva.hours=12.",
        )
    _flag(
        command,
        "--allow-extends-anywhere",
        "Let extends: read scenario files outside the scenario's folder tree and "
        "the shipped scenarios.",
        "extends_anywhere",
    )
    _value(
        command,
        "--max-work",
        type=number(0),
        metavar="UNITS",
        help="Refuse scenarios whose estimated work per run is above UNITS "
        "(players x generations, exchanges x actors x issues; about 10 microseconds each). "
        "Default 1e8 (about a quarter of an hour); inf allows any.",
    )


def _add_pool_options(command: argparse.ArgumentParser) -> None:
    """The --workers and --dask options of batch and sweep."""
    _value(
        command,
        "-w",
        "--workers",
        type=integer(0),
        metavar="K",
        help="Processes (default 1; 0: every CPU); with --dask local, the local "
        "cluster's workers (default 2).",
    )
    _value(
        command,
        "--dask",
        metavar="ADDRESS",
        help="Play on a Dask cluster: its scheduler's address (tcp://host:8786), or "
        "'local' to start one on this machine (needs pip install -e '.[dask]').",
    )


def _flag(command: argparse.ArgumentParser, name: str, help: str, dest: str | None = None) -> None:
    """A yes/no option, off unless given."""
    command.add_argument(
        name, dest=dest or name[2:].replace("-", "_"), action="store_true", help=help
    )


def _value(
    command: argparse.ArgumentParser, *names: str, metavar: str, help: str, **how: Any
) -> None:
    """An option taking a value (``how``: argparse's type, default, dest, required ...)."""
    command.add_argument(*names, metavar=metavar, help=help, **how)


def _choice(
    command: argparse.ArgumentParser,
    *names: str,
    dest: str,
    choices: tuple[str, ...],
    help: str,
    default: str,
) -> None:
    """An option taking one of ``choices``; its help ends with the default."""
    command.add_argument(
        *names, dest=dest, choices=choices, default=default, help=f"{help} (default: {default})."
    )


def _validate_arguments(command: Parser) -> None:
    """The arguments and options of `sim validate`."""
    command.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="Scenario files to check."
    )
    _add_scenario_options(command, overrides=False)


def _schema_arguments(command: Parser) -> None:
    """The arguments and options of `sim schema`."""
    _value(
        command,
        "-o",
        "--out",
        type=Path,
        metavar="PATH",
        help="Write to this file instead of stdout (- is stdout).",
    )
    _flag(command, "--force", "Overwrite --out even if it differs.")


def _run_arguments(command: Parser) -> None:
    """The arguments and options of `sim run`."""
    _value(command, "--seed", type=integer(0), metavar="N", help=RUN_SEED)
    _add_scenario_options(command)
    _flag(command, "--json", "Print the result as JSON instead of a transcript.", "as_json")
    _value(
        command,
        "--time-limit",
        type=number(0.001),
        metavar="SECONDS",
        help="Stop the run (exit 2) if it takes longer than SECONDS.",
    )


def _analyze_arguments(command: Parser) -> None:
    """The arguments and options of `sim analyze`."""
    _add_scenario_options(command)
    _flag(command, "--json", NOT_TABLES.format("the analysis"), "as_json")


def _batch_arguments(command: Parser) -> None:
    """The arguments and options of `sim batch`."""
    _value(
        command, "-n", "--runs", type=integer(1), metavar="N", required=True, help="Number of runs."
    )
    _add_pool_options(command)
    _value(
        command,
        "--seed",
        type=integer(0),
        default=0,
        metavar="S",
        help="Batch seed; each run's seed is spawned from it (default: 0).",
    )
    _value(
        command,
        "-o",
        "--out",
        type=Path,
        metavar="DIR",
        help="Folder for runs.csv, summary.json and batch.json; "
        "an interrupted batch there resumes.",
    )
    _add_scenario_options(command)
    _choice(
        command,
        "--format",
        dest="file_format",
        choices=("csv", "parquet"),
        default="csv",
        help="Runs file format; parquet needs pyarrow",
    )
    _flag(command, "--force", "Replace a batch of another scenario or seed in --out.")
    _flag(command, "--json", NOT_TABLES.format("the summary"), "as_json")


def _sweep_arguments(command: Parser) -> None:
    """The arguments and options of `sim sweep`."""
    _value(
        command,
        "--vary",
        action="append",
        required=True,
        metavar="PATH=LO:HI:NUM",
        help="A path and its values (repeatable): lo:hi:num evenly spaced values "
        "(num >= 2), a comma list v1,v2,v3, or for --design sobol a range lo:hi.",
    )
    _value(
        command, "-n", "--runs", type=integer(1), metavar="N", required=True, help="Runs per point."
    )
    _value(
        command,
        "--design",
        default="grid",
        metavar="grid|sobol",
        help="grid: every combination of the values; sobol: Saltelli's sample of the ranges "
        "and Sobol' indices (needs SALib: pip install 'sim[sensitivity]'; default: grid).",
    )
    _value(
        command,
        "--samples",
        type=integer(1),
        metavar="N",
        help="Sobol' base samples N, a power of two (default 32): N x (paths + 2) points.",
    )
    _value(
        command,
        "--seed",
        type=integer(0),
        default=0,
        metavar="S",
        help="Sweep seed; each point's batch seed is spawned from it (default: 0).",
    )
    _add_pool_options(command)
    _value(
        command,
        "-o",
        "--out",
        type=Path,
        metavar="DIR",
        help="Folder for points.csv, runs.csv, summary.csv (and sobol.json); "
        "an interrupted sweep there resumes.",
    )
    _add_scenario_options(command)
    _flag(command, "--force", "Replace another sweep (or a batch) in --out.")
    _flag(command, "--json", NOT_TABLES.format("the summary"), "as_json")


def _plot_arguments(command: Parser) -> None:
    """The arguments and options of `sim plot`."""
    _value(command, "--seed", type=integer(0), metavar="N", help=RUN_SEED)
    _add_scenario_options(command)
    _choice(
        command,
        "-k",
        "--kind",
        dest="kind",
        choices=("concession", "zopa", "escalation", "all"),
        default="all",
        help="Which figure",
    )
    _value(
        command,
        "-o",
        "--out",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="Folder for the figures (created if missing; default: .).",
    )
    _choice(
        command,
        "--format",
        dest="image_format",
        choices=("png", "svg"),
        default="png",
        help="Image format",
    )
    _flag(command, "--force", "Overwrite existing figure files that differ.")


def _report_arguments(command: Parser) -> None:
    """The arguments and options of `sim report`."""
    _value(
        command,
        "-o",
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="The HTML file to write (- for stdout).",
    )
    _value(
        command,
        "--seed",
        type=integer(0),
        metavar="N",
        help="Seed of the run, and of the batch (default: the scenario's seed).",
    )
    _value(
        command,
        "-n",
        "--runs",
        type=integer(0),
        default=0,
        metavar="N",
        help="Also run a batch of N runs (0: none; default: 0).",
    )
    _add_scenario_options(command)
    _flag(command, "--force", "Overwrite --out even if it differs.")


def _app_arguments(command: Parser) -> None:
    """The arguments and options of `sim app`."""
    command.add_argument(
        "file",
        type=Path,
        nargs="?",
        metavar="FILE",
        help="Scenario the page opens with (default: the January 2022 baseline).",
    )
    _value(
        command,
        "--host",
        default="127.0.0.1",
        metavar="H",
        help="Address to listen on (0.0.0.0: every interface, for a class; default: 127.0.0.1).",
    )
    _value(
        command,
        "--port",
        type=integer(1, 65535),
        default=8765,
        metavar="P",
        help="Port to listen on (default: 8765).",
    )


_ARGUMENTS: dict[str, Callable[[Parser], None]] = {
    "validate": _validate_arguments,
    "schema": _schema_arguments,
    "run": _run_arguments,
    "analyze": _analyze_arguments,
    "batch": _batch_arguments,
    "sweep": _sweep_arguments,
    "plot": _plot_arguments,
    "report": _report_arguments,
    "app": _app_arguments,
}
"""Each command's own arguments and options, by name."""


def build_parser(functions: Mapping[str, Callable[..., None]], only: str | None = None) -> Parser:
    """The command line: every command with its arguments, options and help.

    Args:
        functions: What each command calls, by name, in the order the help lists them.
        only: Build just this command (when the words name it): what it needs to parse
            and to print its own help, without the cost of building every other one.
    """
    parser = Parser(prog="sim", description=HELP)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for name, function in functions.items():
        if only is not None and name != only:
            continue
        summary, text = _describe(function)
        command = commands.add_parser(name, help=summary, description=text)
        command.set_defaults(handler=function, parser=command)
        if name not in ("validate", "schema", "app", "list"):
            command.add_argument("file", type=Path, metavar="FILE", help="The scenario file.")
        add = _ARGUMENTS.get(name)
        if add is not None:
            add(command)
    return parser
