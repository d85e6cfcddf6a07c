"""The `sim` command line (also `python -m sim`).

Exit codes: 0 ok, 2 user error (one `file:line:col: path: message` line on
stderr, no traceback), 1 internal error (a bug: the traceback is printed).

Startup is kept light: `sim --help`, `sim validate` and `sim schema` import
neither Mesa nor matplotlib nor pandas. Every heavy import lives inside the
command that needs it.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.errors import UserError

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

app = typer.Typer(
    name="sim",
    help="Simulate multi-round negotiations (the January 2022 security talks and "
    "textbook bargaining games) from scenario YAML files.\n\n"
    "Example: `sim run scenarios/january_2022.yaml --seed 3`",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def scenarios_dir() -> Path:
    """The folder of shipped scenarios (`scenarios/` beside the package)."""
    import sim

    return Path(sim.__file__).resolve().parent.parent / "scenarios"


SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override a value by dotted path (repeatable), e.g. "
        "actors.russia.risk_acceptance=0.4 or rounds.geneva.hours=12.",
    ),
]
"""The ``--set path=value`` option that run, analyze and batch share."""


def _load(file: Path, overrides: list[str] | None) -> Scenario:
    """Load a scenario file and apply ``--set`` overrides (located errors on failure)."""
    from sim.scenario.loader import load_scenario
    from sim.scenario.overrides import apply_overrides, parse_assignments

    return apply_overrides(load_scenario(file), parse_assignments(overrides or []))


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario files to check.", show_default=False)
    ],
) -> None:
    """Check scenario files: YAML, schema, ranges and every id referenced.

    Prints `FILE: ok (N issues, M actors, K rounds)` per valid file and a located
    `file:line:col: path: message` per invalid one; exits with 2 if any is invalid.

    Example: `sim validate scenarios/*.yaml`
    """
    from sim.scenario.loader import load_scenario

    failed = 0
    for file in files:
        try:
            scenario = load_scenario(file)
        except UserError as err:
            failed += 1
            typer.echo(str(err), err=True)
            continue
        typer.echo(
            f"{file}: ok ({_count(len(scenario.issues), 'issue')}, "
            f"{_count(len(scenario.actors), 'actor')}, {_count(len(scenario.rounds), 'round')})"
        )
    if failed:
        raise typer.Exit(2)


@app.command()
def schema(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file instead of stdout."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite --out even if it differs.")
    ] = False,
) -> None:
    """Print the JSON Schema of scenario files, for editor completion and checks.

    Point your editor at it with a first line such as
    `# yaml-language-server: $schema=../docs/scenario.schema.json`.
    An existing, different --out file is only replaced with --force.

    Example: `sim schema --out docs/scenario.schema.json`
    """
    text = scenario_json_schema()
    if out is None:
        typer.echo(text, nl=False)
        return
    _write_new(out, text, force=force)


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
    seed: Annotated[
        int | None,
        typer.Option(min=0, help="Seed of the run (default: the scenario's seed)."),
    ] = None,
    overrides: SetOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON instead of a transcript.")
    ] = False,
) -> None:
    """Run a scenario once and print the transcript and the outcome.

    Example: `sim run scenarios/january_2022.yaml --seed 3 --set actors.russia.capability=0.7`
    """
    scenario = _load(file, overrides)

    from sim.report import render_transcript
    from sim.runner import run as run_scenario

    result = run_scenario(scenario, seed=seed if seed is not None else scenario.seed)
    typer.echo(result.to_json() if as_json else render_transcript(result))


@app.command()
def analyze(
    file: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
    overrides: SetOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the analysis as JSON instead of tables.")
    ] = False,
) -> None:
    """Closed-form theory for a scenario: ZOPA per issue, Nash, Rubinstein, Fearon, games.

    Ends with the outcome class the theory predicts and why.
    Example: `sim analyze scenarios/january_2022.yaml`
    """
    import json

    scenario = _load(file, overrides)

    from sim.analysis import analyze as analyze_scenario
    from sim.analysis.render import render_analysis

    analysis = analyze_scenario(scenario)
    if as_json:
        typer.echo(json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_analysis(analysis, scenario), nl=False)


class FileFormat(StrEnum):
    """File formats for a batch's runs."""

    csv = "csv"
    parquet = "parquet"


@app.command()
def batch(
    file: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
    runs: Annotated[
        int, typer.Option("-n", "--runs", min=1, help="Number of runs.", show_default=False)
    ],
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=0, help="Processes (0: every CPU).")
    ] = 1,
    seed: Annotated[
        int, typer.Option(min=0, help="Batch seed; each run's seed is spawned from it.")
    ] = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder for runs.csv, summary.json and batch.json; "
            "an interrupted batch there resumes.",
        ),
    ] = None,
    overrides: SetOption = None,
    file_format: Annotated[
        FileFormat,
        typer.Option("--format", help="Runs file format (parquet needs pyarrow)."),
    ] = FileFormat.csv,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a batch of another scenario or seed in --out."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON instead of tables.")
    ] = False,
    dask: Annotated[
        str | None,
        typer.Option("--dask", metavar="ADDRESS", help="A dask scheduler (not supported yet)."),
    ] = None,
) -> None:
    """Monte Carlo: run a scenario N times with spawned seeds; print class probabilities.

    Prints progress on stderr, then outcome-class probabilities with 95% Wilson
    intervals, mean utility per actor and escalation shares. With --out, writes
    runs.csv (one row per run: run, seed, outcome, agreed positions, utilities,
    rungs) and summary.json atomically; rerunning the same command resumes an
    interrupted batch, and a larger -n extends a finished one. Same file, --set
    and --seed give the same rows with any --workers.

    Example: `sim batch scenarios/january_2022.yaml -n 1000 --workers 2 --out results`
    """
    if dask is not None:
        raise UserError(
            "--dask",
            message=f"dask is not supported yet (got {dask!r}): run on this machine with "
            "--workers K (0: every CPU)",
        )
    import time

    scenario = _load(file, overrides)

    from sim.batch.render import render_summary
    from sim.batch.runner import resolve_workers, run_batch

    start = time.perf_counter()
    with _batch_progress(runs, out) as progress:
        result = run_batch(
            scenario,
            runs=runs,
            seed=seed,
            workers=workers,
            out=out,
            force=force,
            file_format=file_format.value,
            progress=progress,
        )
    elapsed = time.perf_counter() - start
    rate = f", {result.computed / elapsed:.1f} runs/s" if result.computed and elapsed > 0 else ""
    reused = f" ({result.reused} already in {out})" if result.reused else ""
    processes = resolve_workers(workers)
    typer.echo(
        f"{result.runs} runs{reused}: played {result.computed} in {elapsed:.1f} s{rate} "
        f"on {_count(processes, 'worker')}",
        err=True,
    )
    if out is not None:
        runs_file = "runs.parquet" if file_format is FileFormat.parquet else "runs.csv"
        for name in (runs_file, "summary.json"):
            typer.echo(f"{out / name}: written", err=True)
    if as_json:
        typer.echo(result.summary_json(), nl=False)
    else:
        typer.echo(render_summary(result.summary()), nl=False)


@contextmanager
def _batch_progress(total: int, out: Path | None) -> Iterator[Callable[[int, int], None]]:
    """A progress callback: a rich bar on a terminal, nothing but a resume note otherwise."""
    started: list[int] = []

    def note_resume(done: int, runs: int, say: Callable[[str], object] | None = None) -> None:
        if not started:
            started.append(done)
            if done:
                message = f"resuming {out}: {done} of {runs} runs already done"
                (say or (lambda text: typer.echo(text, err=True)))(message)

    if not sys.stderr.isatty():
        yield note_resume
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("runs", total=total)

        def update(done: int, runs: int) -> None:
            note_resume(
                done, runs, lambda text: bar.console.print(text, markup=False, highlight=False)
            )
            bar.update(task, completed=done)

        yield update


@app.command("list")
def list_scenarios() -> None:
    """List the shipped scenarios (files under scenarios/) with their names.

    Example: `sim list`
    """
    from sim.scenario.loader import load_scenario, read_scenario_data

    folder = scenarios_dir()
    files = sorted(folder.rglob("*.yaml")) if folder.is_dir() else []
    if not files:
        typer.echo(f"no scenarios found in {folder}", err=True)
        return
    rows: list[tuple[str, str, str]] = []
    for path in files:
        shown = path.relative_to(folder).as_posix()
        try:
            name = str(load_scenario(path).name)
            status = ""
        except UserError as err:
            try:
                name = str(read_scenario_data(path)[0].get("name", "?"))
            except UserError:
                name = "?"
            status = f"  (invalid: {err.path or err.message})"
        rows.append((shown, name, status))
    width = max(len(shown) for shown, _, _ in rows)
    for shown, name, status in rows:
        typer.echo(f"{shown:<{width}}  {name}{status}")


def scenario_json_schema() -> str:
    """The JSON Schema of scenario files, as indented JSON text ending in a newline."""
    import json

    from sim.scenario.schema import Scenario

    body = Scenario.model_json_schema(by_alias=True)
    document = {
        "$schema": SCHEMA_URL,
        "title": "sim scenario (schema_version 1)",
        **{key: value for key, value in body.items() if key != "title"},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _write_new(out: Path, text: str, *, force: bool) -> None:
    """Write `text` to `out` atomically, refusing to replace a different file."""
    import os
    import tempfile

    shown = str(out)
    if out.is_dir():
        raise UserError(shown, 1, 1, "", "is a directory (give a file name for --out)")
    if out.exists():
        try:
            same = out.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if same:
            typer.echo(f"{shown}: unchanged", err=True)
            return
        if not force:
            raise UserError(shown, 1, 1, "", "exists and differs; pass --force to overwrite it")
    if not out.parent.is_dir():
        raise UserError(shown, 1, 1, "", f"folder {out.parent} does not exist")
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, out)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(shown, 1, 1, "", f"cannot write: {exc.strerror}") from None
    typer.echo(f"{shown}: written", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 0 ok, 2 user error, 1 internal error.

    Args:
        argv: Arguments without the program name (default: `sys.argv[1:]`).
    """
    try:
        app(args=argv, prog_name="sim")
    except UserError as err:
        print(str(err), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: show it, and say so
        traceback.print_exc()
        print(f"sim: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
