"""The command line: exit codes, one-line located errors, light imports."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from builders import call

from sim import cli

DATA = Path(__file__).resolve().parent.parent / "data"
VALID = DATA / "valid" / "two_party.yaml"
MALFORMED = sorted((DATA / "malformed").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+)(?: (.+))?$")


def sim_subprocess(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


# --- malformed files, one subprocess each --------------------------------------------------


def test_there_are_enough_distinct_malformed_files():
    assert len(MALFORMED) >= 15
    contents = {path.read_bytes() for path in MALFORMED}
    assert len(contents) == len(MALFORMED)


@pytest.mark.parametrize("path", MALFORMED, ids=[p.stem for p in MALFORMED])
def test_malformed_file_gives_one_located_line(path: Path):
    first = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    expect = EXPECT.match(first)
    assert expect, f"{path.name}: first line must be '# expect: LINE:COL [path]'"
    line, col, dotted = expect.group(1), expect.group(2), expect.group(3)
    shown = str(path.relative_to(DATA.parent.parent))
    result = sim_subprocess("validate", shown, cwd=DATA.parent.parent)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].isprintable(), lines[0]
    assert re.match(rf"^{re.escape(shown)}:\d+:\d+: \S", lines[0]), lines[0]
    prefix = f"{shown}:{line}:{col}: " + (f"{dotted}: " if dotted else "")
    assert lines[0].startswith(prefix), f"expected {prefix!r}, got {lines[0]!r}"
    assert len(lines[0]) > len(prefix) + 5  # a message follows


# --- validate --------------------------------------------------------------------------------


def test_validate_ok(capsys):
    code, out, err = call(["validate", str(VALID)], capsys)
    assert code == 0 and err == ""
    assert out == f"{VALID}: ok (2 issues, 2 actors, 1 round)\n"


def test_validate_mixed_files_reports_each_and_exits_2(capsys, tmp_path):
    missing = tmp_path / "missing.yaml"
    code, out, err = call(["validate", str(VALID), str(missing), str(VALID)], capsys)
    assert code == 2
    assert out.count(": ok (") == 2
    assert err == f"{missing}:1:1: file not found\n"


def test_validate_without_files_is_a_usage_error(capsys):
    code, _, _ = call(["validate"], capsys)
    assert code == 2


# --- schema ----------------------------------------------------------------------------------


def test_schema_to_stdout_is_json_schema(capsys):
    code, out, _ = call(["schema"], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["title"].startswith("sim scenario")
    assert {"schema_version", "issues", "actors", "rounds"} <= set(document["properties"])
    assert document["additionalProperties"] is False


def test_schema_out_never_silently_overwrites(capsys, tmp_path):
    out_file = tmp_path / "scenario.schema.json"
    assert call(["schema", "--out", str(out_file)], capsys)[0] == 0
    written = out_file.read_text()
    assert json.loads(written)["$schema"]
    assert call(["schema", "--out", str(out_file)], capsys)[0] == 0  # identical: fine
    out_file.write_text("{}\n")
    code, _, err = call(["schema", "--out", str(out_file)], capsys)
    assert code == 2
    assert err == f"{out_file}:1:1: exists and differs; pass --force to overwrite it\n"
    assert out_file.read_text() == "{}\n"
    assert call(["schema", "--out", str(out_file), "--force"], capsys)[0] == 0
    assert out_file.read_text() == written
    assert [p.name for p in tmp_path.iterdir()] == [out_file.name]  # no temporary left


def test_schema_out_into_missing_folder(capsys, tmp_path):
    code, _, err = call(["schema", "--out", str(tmp_path / "no" / "s.json")], capsys)
    assert code == 2 and "does not exist" in err


# --- run ---------------------------------------------------------------------------------------


@pytest.fixture
def fake_engine(monkeypatch):
    """Stand-ins for sim.runner.run and sim.report.render_transcript, recording calls."""
    calls: list[tuple[object, int]] = []

    class Result:
        def __init__(self, scenario, seed):
            self.scenario, self.seed = scenario, seed

        def to_json(self) -> str:
            return json.dumps({"seed": self.seed, "name": self.scenario.name})

    def run(scenario, seed=None):
        calls.append((scenario, seed))
        return Result(scenario, seed)

    runner = types.ModuleType("sim.runner")
    runner.run = run  # type: ignore[attr-defined]
    report = types.ModuleType("sim.report")
    report.render_transcript = lambda result: f"transcript of {result.scenario.name}"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sim.runner", runner)
    monkeypatch.setitem(sys.modules, "sim.report", report)
    return calls


def test_run_prints_the_transcript_with_the_scenario_seed(capsys, fake_engine):
    code, out, _ = call(["run", str(VALID)], capsys)
    assert code == 0
    assert out == "transcript of Two-party test talks\n"
    assert fake_engine[0][1] == 7  # the scenario's seed


def test_run_json_seed_and_overrides(capsys, fake_engine):
    argv = ["run", str(VALID), "--seed", "11", "--json"]
    argv += ["--set", "actors.russia.capability=0.3", "--set", "rounds.geneva.hours=2"]
    code, out, _ = call(argv, capsys)
    assert code == 0
    assert json.loads(out) == {"seed": 11, "name": "Two-party test talks"}
    scenario, seed = fake_engine[0]
    assert seed == 11
    assert scenario.actors["russia"].capability == 0.3
    assert scenario.rounds[0].hours == 2


def test_run_bad_override_is_a_user_error(capsys, fake_engine):
    code, out, err = call(["run", str(VALID), "--set", "actors.russia.risk=0.4"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("--set:1:1: actors.russia.risk: unknown key 'risk' under actors.russia")
    assert err.count("\n") == 1
    assert fake_engine == []


def test_run_negative_seed_is_a_usage_error(capsys, fake_engine):
    assert call(["run", str(VALID), "--seed", "-1"], capsys)[0] == 2


def test_internal_error_exits_1(capsys, monkeypatch, fake_engine):
    def broken(scenario, seed=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(sys.modules["sim.runner"], "run", broken)
    code, _, err = call(["run", str(VALID)], capsys)
    assert code == 1
    assert "Traceback" in err and "internal error: RuntimeError: boom" in err


# --- list and help -----------------------------------------------------------------------------


def test_list_shows_yaml_files_with_their_names(capsys, monkeypatch, tmp_path):
    (tmp_path / "textbook").mkdir()
    (tmp_path / "baseline.yaml").write_text(VALID.read_text())
    (tmp_path / "textbook" / "game.yaml").write_text(
        VALID.read_text().replace("Two-party test talks", "A textbook game")
    )
    (tmp_path / "broken.yaml").write_text("schema_version: 1\nname: Broken one\n")
    (tmp_path / "notes.txt").write_text("not a scenario")
    monkeypatch.setattr(cli, "scenarios_dir", lambda: tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = call(["list"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert re.match(r"^baseline\.yaml +Two-party test talks$", lines[0])
    assert re.match(r"^broken\.yaml +Broken one +\(invalid: actors\)$", lines[1])
    assert re.match(r"^textbook/game\.yaml +A textbook game$", lines[2])


@pytest.mark.parametrize("where", ["repository", "elsewhere"])
def test_list_prints_paths_that_run_accepts(capsys, monkeypatch, tmp_path, where):
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root if where == "repository" else tmp_path)
    code, out, _ = call(["list"], capsys)
    assert code == 0
    paths = [line.split()[0] for line in out.splitlines()]
    assert len(paths) == len(list((root / "scenarios").rglob("*.yaml")))
    if where == "repository":
        assert "scenarios/textbook/rubinstein.yaml" in paths
    else:
        assert all(Path(path).is_absolute() for path in paths)
    code, out, err = call(["validate", *paths], capsys)
    assert code == 0, err
    rubinstein = next(path for path in paths if path.endswith("textbook/rubinstein.yaml"))
    code, out, err = call(["run", rubinstein, "--seed", "1"], capsys)
    assert code == 0 and "== Outcome: AGREEMENT ==" in out, err


def test_scenarios_dir_is_beside_the_package():
    assert cli.scenarios_dir() == Path(__file__).resolve().parent.parent.parent / "scenarios"


@pytest.mark.parametrize("command", ["validate", "schema", "run", "list"])
def test_every_command_has_help_with_an_example(capsys, command):
    code, out, _ = call([command, "--help"], capsys)
    assert code == 0
    assert "Example" in out and f"sim {command}" in out


# --- light imports -----------------------------------------------------------------------------

PROBE = """
import sys
from sim.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code or 0
heavy = sorted(m for m in ("mesa", "numpy", "matplotlib", "pandas", "solara") if m in sys.modules)
print("HEAVY:", ",".join(heavy), "CODE:", code, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["validate", str(VALID)], ["schema"], ["list"], ["app", "--help"]],
    ids=["help", "validate", "schema", "list", "app-help"],
)
def test_light_commands_import_neither_mesa_numpy_pandas_nor_matplotlib(args):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )
    assert result.stderr.strip().splitlines()[-1] == "HEAVY:  CODE: 0", result.stderr


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["batch", "--help"]])
def test_help_loads_no_cli_library_nor_the_schema(args):
    """Help is argparse alone: no typer, click or rich, and neither pydantic nor PyYAML."""
    probe = PROBE.replace(
        '("mesa", "numpy", "matplotlib", "pandas", "solara")',
        '("typer", "click", "rich", "pydantic", "yaml", "sim.scenario")',
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120
    )
    assert result.stderr.strip().splitlines()[-1] == "HEAVY:  CODE: 0", result.stderr


def test_python_dash_m_sim_help_and_import_time():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sim", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert "validate" in result.stdout and "schema" in result.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert not {name for name in imported if name.split(".")[0] in {"mesa", "matplotlib"}}


RUN_PROBE = """
import sys
from sim.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code or 0
unneeded = ("matplotlib", "solara", "rich", "sim.viz", "sim.batch", "sim.sweeps", "sim.analysis.games",
            "typer", "click", "scipy.spatial", "networkx")
print("UNNEEDED:", ",".join(m for m in unneeded if m in sys.modules), "CODE:", code, file=sys.stderr)
"""


def test_run_imports_only_what_a_run_needs():
    """A run needs Mesa and the model; not plots, the page, tables, batches or the games' solvers."""
    result = subprocess.run(
        [sys.executable, "-c", RUN_PROBE, "run", str(VALID)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stderr.strip().splitlines()[-1] == "UNNEEDED:  CODE: 0", result.stderr


# --- usage errors: one line, exit 2, a suggestion for typos -----------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["runn", "x.yaml"], "sim: no such command 'runn'; did you mean 'run'? (allowed: "),
        (
            ["run", "x.yaml", "--sedd", "3"],
            "sim run: no such option '--sedd'; did you mean --seed?",
        ),
        (["run", "x.yaml", "--se", "3"], "sim run: no such option '--se'"),
        (["run"], "sim run: the following arguments are required: FILE"),
        (["run", "x.yaml", "--seed", "-1"], "sim run: argument --seed: -1 is out of range"),
        (["run", "x.yaml", "--seed", "abc"], "sim run: argument --seed: 'abc' is not a whole"),
        (["run", "x.yaml", "--max-work", "nan"], "sim run: argument --max-work: nan is out of"),
        (["run", "x.yaml", "--time-limit", "0"], "sim run: argument --time-limit: 0 is out of"),
        (["run", "x.yaml", "y.yaml"], "sim run: unexpected argument 'y.yaml'"),
        (["batch", "x.yaml"], "sim batch: the following arguments are required: -n/--runs"),
        (["batch", "x.yaml", "-n", "0"], "sim batch: argument -n/--runs: 0 is out of range"),
        (["batch", "x.yaml", "-n", "2", "--format", "xml"], "sim batch: argument --format: "),
        (["plot", "x.yaml", "--kind", "zopaa"], "sim plot: argument -k/--kind: invalid choice"),
        (["sweep", "x.yaml", "-n", "2"], "sim sweep: the following arguments are required: --vary"),
        (["app", "--port", "70000"], "sim app: argument --port: 70000 is out of range"),
        (["validate"], "sim validate: the following arguments are required: FILE"),
        (["--verbose"], "sim: no such option '--verbose'"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_usage_errors_are_one_printable_line_and_exit_2(capsys, argv, expected):
    code, out, err = call(argv, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err[:-1].isprintable(), err
    assert err.startswith(expected), err
    assert err.endswith("--help)\n"), err  # says where to look


def test_no_command_prints_the_help_and_exits_2(capsys):
    code, out, err = call([], capsys)
    assert code == 2 and err == ""
    assert out.startswith("usage: sim ") and "commands:" in out


def test_top_help_lists_every_command_with_its_summary(capsys):
    code, out, _ = call(["--help"], capsys)
    assert code == 0
    for name, function in cli.COMMANDS.items():
        summary = function.__doc__.split("\n", 1)[0].replace("`", "")
        assert re.search(rf"^  {name} +{re.escape(summary[:40])}", out, re.M), name


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_command_help_shows_its_text_and_every_option(capsys, command):
    code, out, _ = call([command, "-h"], capsys)
    assert code == 0 and out.startswith(f"usage: sim {command} ")
    assert "Example: sim " in out and "`" not in out
    parser = cli.build_parser(cli.COMMANDS)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for action in sub.choices[command]._actions:
        for option in action.option_strings:
            assert option in out, option


def test_options_keep_their_values(capsys, monkeypatch):
    """Every option reaches its command under the name the command takes, with its default."""
    seen = {}
    monkeypatch.setitem(cli.COMMANDS, "batch", lambda **values: seen.update(values))
    argv = ["batch", "f.yaml", "-n", "5", "-w", "0", "--set", "a=1", "--set", "b=2", "--json"]
    code, _, _ = call([*argv, "--format=parquet", "--max-work", "inf"], capsys)
    assert code == 0
    assert seen == {
        "file": Path("f.yaml"),
        "runs": 5,
        "workers": 0,
        "seed": 0,
        "out": None,
        "overrides": ["a=1", "b=2"],
        "extends_anywhere": False,
        "max_work": float("inf"),
        "file_format": "parquet",
        "force": False,
        "as_json": True,
        "dask": None,
    }


def test_a_reader_that_leaves_stops_the_output_quietly():
    """`sim list | head -1`: once the pipe is closed, no traceback and no internal error."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # before the command has printed anything
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 1
    assert stderr == b""
