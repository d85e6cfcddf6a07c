"""The `sim` command line (also `python -m sim`).

Exit codes: 0 ok, 2 user error (one `file:line:col: path: message` line on
stderr, or one line for a mistyped command or option; no traceback), 1 internal
error (a bug: the traceback is printed).

Start-up is kept light: what each command accepts is declared with the
standard library's argparse (:mod:`sim.cli_parser`), and every other import
lives inside the command that needs it, so `sim --help`, `sim validate` and
`sim schema` import neither Mesa, numpy, pandas nor matplotlib, and `sim run`
only Mesa's core (:mod:`sim.mesa_core`; docs/performance.md, "Start-up").
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.arguments import parse
from sim.cli_parser import build_parser
from sim.errors import UserError

if TYPE_CHECKING:
    import argparse

    from sim.scenario.schema import Scenario

STDOUT = "-"
"""The --out value that means standard output (for a pipe)."""

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` to stdout (or stderr with ``err``), flushed at once."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n" if nl else text)
    stream.flush()


def scenarios_dir() -> Path:
    """The folder of shipped scenarios (`scenarios/` beside the package)."""
    from sim.scenario.loader import shipped_scenarios

    return shipped_scenarios()


def _workers(workers: int | None, dask: str | None) -> tuple[int, str]:
    """The ``workers`` to pass on for ``--workers``/``--dask``, and where the runs play (in words).

    Raises:
        UserError: At ``--workers`` with a scheduler address (that cluster has its own).
    """
    from sim.batch.runner import resolve_workers

    if dask is None:
        chosen = 1 if workers is None else workers
        return chosen, _count(resolve_workers(chosen), "worker")
    if dask == "local":
        chosen = 2 if workers is None else workers
        return chosen, f"a local Dask cluster of {_count(resolve_workers(chosen), 'worker')}"
    if workers is not None:
        raise UserError(
            "--workers",
            message=f"the Dask cluster at {dask} has its own workers; --workers sizes "
            "a local pool or --dask local (leave it out)",
        )
    return 1, f"the Dask cluster at {dask}"


def _work_limit(max_work: float | None) -> int | None:
    """The work limit a ``--max-work`` value sets (``None``: no limit)."""
    from sim.scenario.limits import MAX_WORK

    if max_work is None:
        return MAX_WORK
    return None if math.isinf(max_work) else int(max_work)


def _load(
    file: Path,
    overrides: list[str] | None,
    extends_anywhere: bool = False,
    max_work: float | None = None,
) -> Scenario:
    """Load a scenario file and apply ``--set`` overrides (located errors on failure)."""
    from sim.scenario.limits import check_work
    from sim.scenario.loader import load_scenario
    from sim.scenario.locations import Everywhere
    from sim.scenario.overrides import SET, apply_overrides, parse_assignments

    limit = _work_limit(max_work)
    scenario = load_scenario(file, extends_anywhere=extends_anywhere, max_work=limit)
    changed = apply_overrides(scenario, parse_assignments(overrides or []))
    if changed is not scenario:
        check_work(changed, limit, Everywhere(SET))
    return changed


def validate(
    files: list[Path], extends_anywhere: bool = False, max_work: float | None = None
) -> None:
    """Check scenario files: YAML, schema, ranges and every id referenced.

    Prints `FILE: ok (N issues, M actors, K rounds)` per valid file and a located
    `file:line:col: path: message` per invalid one; exits with 2 if any is invalid.

    Example: `sim validate scenarios/*.yaml`
    """
    from sim.scenario.loader import check_scenario_file

    failed = 0
    for file in files:
        try:
            issues, actors, rounds = check_scenario_file(
                file, extends_anywhere=extends_anywhere, max_work=_work_limit(max_work)
            )
        except UserError as err:
            failed += 1
            echo(str(err), err=True)
            continue
        echo(
            f"{file}: ok ({_count(issues, 'issue')}, "
            f"{_count(actors, 'actor')}, {_count(rounds, 'round')})"
        )
    if failed:
        raise SystemExit(2)


def schema(out: Path | None = None, force: bool = False) -> None:
    """Print the JSON Schema of scenario files, for editor completion and checks.

    Point your editor at it with a first line such as
    `# yaml-language-server: $schema=../docs/scenario.schema.json`.
    An existing, different --out file is only replaced with --force.

    Example: `sim schema --out docs/scenario.schema.json`
    """
    text = scenario_json_schema()
    if out is None:
        echo(text, nl=False)
        return
    _write_new(out, text, force=force)


def run(
    file: Path,
    seed: int | None = None,
    overrides: list[str] | None = None,
    extends_anywhere: bool = False,
    max_work: float | None = None,
    as_json: bool = False,
    time_limit: float | None = None,
) -> None:
    """Run a scenario once and print the transcript and the outcome.

    Example: `sim run scenarios/january_2022.yaml --seed 3 --set actors.russia.capability=0.7`
    """
    scenario = _load(file, overrides, extends_anywhere, max_work)

    from sim import mesa_core

    mesa_core.load()  # Mesa's Model, Agent and DataCollector, not its spaces (scipy, networkx)

    from sim.report import render_transcript
    from sim.runner import run as run_scenario

    if time_limit is not None:
        import sim.model.model  # noqa: F401  (Mesa's import is not the run's time)
    with _time_limit(time_limit):
        result = run_scenario(scenario, seed=seed if seed is not None else scenario.seed)
    echo(result.to_json() if as_json else render_transcript(result))


class _TimeUp(Exception):
    """Raised in the main thread when a --time-limit runs out."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Stop the code inside after ``seconds`` of wall time with a located error.

    The timer interrupts the run wherever it is (a SIGALRM handler raising in
    the main thread), so the limit holds even inside one long round.

    Raises:
        UserError: At ``--time-limit`` when the time runs out.
    """
    if seconds is None:
        yield
        return
    import signal

    def time_up(signum: int, frame: object) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _TimeUp:
        raise UserError(
            "--time-limit",
            message=f"the run was stopped after {seconds:g} s, before it finished "
            "(allowed: a longer --time-limit, or fewer hours or players in the scenario)",
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def analyze(
    file: Path,
    overrides: list[str] | None = None,
    extends_anywhere: bool = False,
    max_work: float | None = None,
    as_json: bool = False,
) -> None:
    """Closed-form theory for a scenario: ZOPA per issue, Nash, Rubinstein, Fearon, games.

    Ends with the outcome class the theory predicts and why.
    Example: `sim analyze scenarios/january_2022.yaml`
    """
    import json

    scenario = _load(file, overrides, extends_anywhere, max_work)

    from sim.analysis import analyze as analyze_scenario
    from sim.analysis.render import render_analysis

    analysis = analyze_scenario(scenario)
    if as_json:
        echo(json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False))
    else:
        echo(render_analysis(analysis, scenario), nl=False)


def batch(
    file: Path,
    runs: int,
    workers: int | None = None,
    seed: int = 0,
    out: Path | None = None,
    overrides: list[str] | None = None,
    extends_anywhere: bool = False,
    max_work: float | None = None,
    file_format: str = "csv",
    force: bool = False,
    as_json: bool = False,
    dask: str | None = None,
) -> None:
    """Monte Carlo: run a scenario N times with spawned seeds; print class probabilities.

    Prints progress on stderr, then outcome-class probabilities with 95% Wilson
    intervals, mean utility per actor and escalation shares. With --out, writes
    runs.csv (one row per run: run, seed, outcome, agreed positions, utilities,
    rungs) and summary.json atomically; rerunning the same command resumes an
    interrupted batch, and a larger -n extends a finished one. Same file, --set
    and --seed give the same rows with any --workers, or on Dask (--dask).

    Example: `sim batch scenarios/january_2022.yaml -n 1000 --workers 2 --out results`
    """
    import time

    scenario = _load(file, overrides, extends_anywhere, max_work)
    chosen, where = _workers(workers, dask)

    from sim.batch.render import render_summary
    from sim.batch.runner import run_batch

    start = time.perf_counter()
    with _batch_progress(runs, out) as progress:
        result = run_batch(
            scenario,
            runs=runs,
            seed=seed,
            workers=chosen,
            out=out,
            force=force,
            file_format="parquet" if file_format == "parquet" else "csv",
            progress=progress,
            dask=dask,
            keep_rows=False,
        )
    elapsed = time.perf_counter() - start
    rate = f", {result.computed / elapsed:.1f} runs/s" if result.computed and elapsed > 0 else ""
    reused = f" ({result.reused} already in {out})" if result.reused else ""
    echo(
        f"{result.runs} runs{reused}: played {result.computed} in {elapsed:.1f} s{rate} on {where}",
        err=True,
    )
    if out is not None:
        runs_file = f"runs.{file_format}"
        for name in (runs_file, "summary.json"):
            echo(f"{out / name}: written", err=True)
    if as_json:
        echo(result.summary_json(), nl=False)
    else:
        echo(render_summary(result.summary()), nl=False)


@contextmanager
def _batch_progress(total: int, out: Path | None) -> Iterator[Callable[[int, int], None]]:
    """A progress callback: a rich bar on a terminal, nothing but a resume note otherwise.

    On Ctrl-C it says how many runs were kept and how to resume, and exits 130.
    """
    done_so_far = [0]
    try:
        with _progress_display(total, out, done_so_far) as progress:
            yield progress
    except KeyboardInterrupt:
        done = done_so_far[0]
        if out is not None:
            message = (
                f"interrupted: {done} of {total} runs kept in {out}; "
                "rerun the same command to resume"
            )
        else:
            message = (
                f"interrupted after {done} of {total} runs; nothing was kept "
                "(give --out DIR to keep runs and resume)"
            )
        echo(message, err=True)
        raise SystemExit(130) from None


@contextmanager
def _progress_display(
    total: int, out: Path | None, done_so_far: list[int]
) -> Iterator[Callable[[int, int], None]]:
    """The progress callback proper; records the runs done in ``done_so_far[0]``."""
    started: list[int] = []

    def note_resume(done: int, runs: int, say: Callable[[str], object] | None = None) -> None:
        done_so_far[0] = done
        if not started:
            started.append(done)
            if done:
                message = f"resuming {out}: {done} of {runs} runs already done"
                (say or (lambda text: echo(text, err=True)))(message)

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
        auto_refresh=False,  # no refresh thread: the worker pool may fork (see executors)
    ) as bar:
        task = bar.add_task("runs", total=total)

        def update(done: int, runs: int) -> None:
            note_resume(
                done, runs, lambda text: bar.console.print(text, markup=False, highlight=False)
            )
            bar.update(task, completed=done, refresh=True)

        yield update


def sweep(
    file: Path,
    vary: list[str],
    runs: int,
    design: str = "grid",
    samples: int | None = None,
    seed: int = 0,
    workers: int | None = None,
    out: Path | None = None,
    overrides: list[str] | None = None,
    extends_anywhere: bool = False,
    max_work: float | None = None,
    force: bool = False,
    as_json: bool = False,
    dask: str | None = None,
) -> None:
    """Parameter sweep: a batch of N runs at every point of a grid or a Sobol' design.

    Prints one row per point: the varied values, P(war) with its 95% Wilson
    interval, P(agreement) and each actor's mean utility; for --design sobol,
    also the first-order (S1) and total (ST) Sobol' index of every path for
    P(war) and each mean utility. With --out, writes points.csv, runs.csv (one
    row per run with the point's values), summary.csv (and sobol.json) atomically,
    keeping each point's batch in points/K/; rerunning the same command resumes.

    Example: `sim sweep scenarios/january_2022.yaml --vary actors.russia.war.cost=0.1:0.45:8 -n 200`
    """
    import json
    import math
    import time

    from sim.sweeps.vary import Design, parse_vary

    if design not in ("grid", "sobol"):
        raise UserError("--design", message=f"must be grid or sobol, got {design!r}")
    chosen: Design = "sobol" if design == "sobol" else "grid"
    varied = parse_vary(vary, chosen)
    scenario = _load(file, overrides, extends_anywhere, max_work)
    chosen_workers, where = _workers(workers, dask)

    from sim.sweeps.render import render_sweep
    from sim.sweeps.runner import DEFAULT_SAMPLES, run_sweep

    start = time.perf_counter()
    if chosen == "sobol":
        points = (samples or DEFAULT_SAMPLES) * (len(varied) + 2)
    else:
        points = math.prod(len(values) for values in varied.values())
    with _batch_progress(points * runs, out) as progress:
        result = run_sweep(
            scenario,
            varied,
            runs,
            seed=seed,
            workers=chosen_workers,
            design=chosen,
            samples=samples,
            out=out,
            force=force,
            progress=progress,
            max_work=_work_limit(max_work),
            dask=dask,
            keep_rows=False,
        )
    elapsed = time.perf_counter() - start
    total = len(result.points) * runs
    reused = f" ({result.reused} already in {out})" if result.reused else ""
    echo(
        f"{len(result.points)} points × {runs} runs = {total} runs{reused}: played "
        f"{result.computed} in {elapsed:.1f} s on {where}",
        err=True,
    )
    if out is not None:
        names = ["points.csv", "runs.csv", "summary.csv"]
        for name in [*names, *(["sobol.json"] if result.sobol is not None else [])]:
            echo(f"{out / name}: written", err=True)
    if as_json:
        echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        echo(render_sweep(result), nl=False)


def plot(
    file: Path,
    seed: int | None = None,
    overrides: list[str] | None = None,
    extends_anywhere: bool = False,
    max_work: float | None = None,
    kind: str = "all",
    out: Path = Path("."),
    image_format: str = "png",
    force: bool = False,
) -> None:
    """Draw figures of a scenario and one run of it, and print each file's path.

    concession: what each offer is worth to each side, per alternating-offers
    round (the negotiation dance); zopa: acceptable intervals, status quo and
    ZOPA per issue; escalation: rungs climbed per actor over time, war marked.
    Files are STEM_zopa.FORMAT and STEM_seedN_KIND.FORMAT in --out; an existing,
    different file is only replaced with --force (nothing is written otherwise).

    Example: `sim plot scenarios/january_2022.yaml --seed 1 --out figures`
    """
    scenario = _load(file, overrides, extends_anywhere, max_work)

    from sim.viz.files import FIGURE_KINDS, render_figures, write_files
    from sim.viz.plots import ImageFormat

    kinds = [k for k in FIGURE_KINDS if kind in ("all", k)]
    result = None
    if any(k != "zopa" for k in kinds):
        from sim.runner import run as run_scenario

        result = run_scenario(scenario, seed=seed if seed is not None else scenario.seed)
    fmt: ImageFormat = "svg" if image_format == "svg" else "png"
    files = render_figures(scenario, result, kinds, file.stem, fmt)
    for path, status in write_files(out, files, force=force):
        echo(str(path))
        if status == "unchanged":
            echo(f"{path}: unchanged", err=True)


def report(
    file: Path,
    out: Path,
    seed: int | None = None,
    runs: int = 0,
    overrides: list[str] | None = None,
    extends_anywhere: bool = False,
    max_work: float | None = None,
    force: bool = False,
) -> None:
    """Write a self-contained HTML report: outcome, drawn types, theory, figures, transcript.

    One file with inline CSS and embedded PNG figures (no scripts, no external
    links): the scenario and its sources, any --set overrides and the command
    that writes the same report again, the run's outcome and drawn private
    types, the theory `sim analyze` computes (ZOPA, Nash and Kalai-Smorodinsky,
    Rubinstein, Fearon, predicted class), the concession, escalation and ZOPA
    figures, and the transcript by round. With --runs N > 0 it also plays a
    batch (seeds spawned from --seed) and adds class, agreement, war and rung
    shares with 95% intervals and the spread of utilities.
    Written atomically; an existing, different --out is only replaced with --force.

    Example: `sim report scenarios/january_2022.yaml --seed 1 --runs 200 --out report.html`
    """
    scenario = _load(file, overrides, extends_anywhere, max_work)

    from sim.files import write_file
    from sim.runner import run as run_scenario
    from sim.scenario.overrides import parse_assignments
    from sim.viz.report import html_report

    chosen = seed if seed is not None else scenario.seed
    result = run_scenario(scenario, seed=chosen)
    batch_result = None
    if runs > 0:
        from sim.batch.runner import run_batch

        batch_result = run_batch(scenario, runs=runs, seed=chosen, workers=1)
    command = _report_command(file, out, chosen, runs, overrides, extends_anywhere, max_work)
    html = html_report(
        scenario,
        result,
        batch=batch_result,
        overrides=parse_assignments(overrides or []),
        command=command,
    )
    status = write_file(out, html, force=force)
    if str(out) == STDOUT:
        return
    echo(str(out))
    if status == "unchanged":
        echo(f"{out}: unchanged", err=True)


def _report_command(
    file: Path,
    out: Path,
    seed: int,
    runs: int,
    overrides: list[str] | None,
    extends_anywhere: bool,
    max_work: float | None,
) -> str:
    """The `sim report` command line that writes the same report (the seed made explicit)."""
    import shlex

    words = ["sim", "report", str(file), "--seed", str(seed)]
    if runs:
        words += ["--runs", str(runs)]
    for assignment in overrides or []:
        words += ["--set", assignment]
    if extends_anywhere:
        words.append("--allow-extends-anywhere")
    if max_work is not None:
        words += ["--max-work", f"{max_work:g}"]
    words += ["--out", str(out)]
    return shlex.join(words)


def serve_app(file: Path | None = None, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the classroom page: pick a scenario, seed and sliders; step through a run.

    Runs `solara run` on the page (sim/viz/app.py) in production mode, without
    telemetry, a version check or anything fetched from the internet (the page's
    assets come from the solara-assets package), and prints the address to open.
    With `--host 0.0.0.0` it also prints the address students open. The server
    replaces this process: Ctrl-C or a SIGTERM to its PID stops it. Needs the app
    extra: `pip install -e '.[app]'`.

    Example: `sim app scenarios/textbook/rubinstein.yaml --port 8765`
    """
    import importlib.util
    import os

    if importlib.util.find_spec("solara") is None:
        echo("sim app: the classroom page needs solara: pip install -e '.[app]'", err=True)
        raise SystemExit(2)
    from sim.viz import serve

    if file is not None:
        _load(file, None)  # a located error now rather than on the page
    problem = serve.port_problem(host, port)
    if problem:
        echo(f"sim app: {problem}", err=True)
        raise SystemExit(2)
    for line in serve.page_urls(host, port):
        echo(line, err=True)
    command = serve.solara_command(host, port)
    raise SystemExit(serve.replace_process(command, serve.server_env(os.environ, file)))


def list_scenarios() -> None:
    """List the shipped scenarios (files under scenarios/) with their names.

    Each path is one `sim run` accepts from here: relative to the current
    folder when the scenarios are under it, absolute otherwise.

    Example: `sim list`
    """
    from sim.scenario.loader import load_scenario, read_scenario_data

    folder = scenarios_dir()
    files = sorted(folder.rglob("*.yaml")) if folder.is_dir() else []
    if not files:
        echo(f"no scenarios found in {folder}", err=True)
        return
    rows: list[tuple[str, str, str]] = []
    here = Path.cwd().resolve()
    for path in files:
        shown = path.relative_to(here).as_posix() if path.is_relative_to(here) else str(path)
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
        echo(f"{shown:<{width}}  {name}{status}")


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
    from sim.files import write_file

    if out.is_dir():
        raise UserError(str(out), 1, 1, "", "is a directory (give a file name for --out)")
    status = write_file(out, text, force=force)
    if str(out) != STDOUT:
        echo(f"{out}: {status}", err=True)


def _count(amount: int, noun: str) -> str:
    return f"{amount} {noun}" if amount == 1 else f"{amount} {noun}s"


COMMANDS: dict[str, Callable[..., None]] = {
    "validate": validate,
    "schema": schema,
    "run": run,
    "analyze": analyze,
    "batch": batch,
    "sweep": sweep,
    "plot": plot,
    "report": report,
    "app": serve_app,
    "list": list_scenarios,
}
"""Every command, in the order the help lists them."""


def _call(namespace: argparse.Namespace) -> None:
    """Call the chosen command with the parsed values as keyword arguments."""
    values: dict[str, Any] = vars(namespace)
    handler = values.pop("handler")
    values.pop("parser")
    handler(**values)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 0 ok, 2 user error, 1 internal error.

    Args:
        argv: Arguments without the program name (default: `sys.argv[1:]`).
    """
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(COMMANDS, only=words[0] if words and words[0] in COMMANDS else None)
    if not words:
        parser.print_help()
        sys.exit(2)
    try:
        _call(parse(parser, argv))
        sys.exit(0)
    except UserError as err:
        print(str(err), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:  # the reader left (`sim list | head -1`): stop quietly, as click did
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit's flush
        sys.exit(1)
    except Exception as exc:  # a bug: show it, and say so
        import traceback

        traceback.print_exc()
        print(f"sim: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
