"""The shipped counterfactuals: each validates, extends the baseline, says what it changes, and is compared in the docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import sim

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "scenarios" / "counterfactuals"
FILES = sorted(FOLDER.glob("*.yaml"))
DOC = ROOT / "docs" / "counterfactuals.md"


def test_at_least_six_counterfactuals_ship() -> None:
    names = {path.stem for path in FILES}
    assert len(names) >= 6
    assert {
        "ukraine_at_every_table",
        "enlargement_moratorium",
        "arms_control_first",
        "no_linkage",
        "harder_kremlin",
        "softer_kremlin",
        "allies_split",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_counterfactual_extends_the_baseline_and_changes_it(path: Path) -> None:
    """It names the baseline as its base, validates, and differs from the baseline."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["extends"] == "../january_2022.yaml"
    scenario = sim.load_scenario(path)
    baseline = sim.load_scenario(ROOT / "scenarios" / "january_2022.yaml")
    assert scenario.name != baseline.name
    changed = {
        key
        for key in ("issues", "actors", "blocs", "vetoes", "rounds", "escalation_ladder")
        if getattr(scenario, key) != getattr(baseline, key)
    }
    assert changed, "a counterfactual changes something that plays"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_counterfactual_documents_its_change(path: Path) -> None:
    """A comment header says what changes and why; the docs compare it."""
    header = path.read_text(encoding="utf-8").split("schema_version:")[0]
    assert "Counterfactual:" in header
    assert "What changes" in header and "Why:" in header
    doc = DOC.read_text(encoding="utf-8")
    assert f"`{path.name}`" in doc  # the table of what each file changes
    assert f"`scenarios/counterfactuals/{path.name}`" in doc  # the generated outcome table


def test_doc_table_and_figure_come_from_the_script() -> None:
    """The outcome table has one row per scenario the script plays, and the figure exists."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import counterfactuals
    finally:
        sys.path.pop(0)
    table = counterfactuals.current_table(DOC.read_text(encoding="utf-8"))
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    files = [p.relative_to(ROOT).as_posix() for p in counterfactuals.scenario_files()]
    assert [row.split("`")[1] for row in rows] == files
    assert all(row.count("[") == len(counterfactuals.MEASURES) for row in rows)
    assert (ROOT / "docs" / "img" / "counterfactuals.png").stat().st_size > 10_000


def test_sim_list_shows_the_counterfactuals() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sim", "list"], capture_output=True, text=True, check=True
    )
    for path in FILES:
        assert f"counterfactuals/{path.name}" in done.stdout


@pytest.mark.slow
def test_the_script_prints_a_row_per_scenario_with_intervals() -> None:
    """A small run of the script: one row per scenario, each share inside its interval."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "counterfactuals.py"), "--runs", "6"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [line for line in done.stdout.splitlines() if line.startswith("| `")]
    assert len(rows) == len(FILES) + 1
    for row in rows:
        for cell in row.split("|")[2:-1]:
            share, interval = cell.strip().split(" ", 1)
            low, high = (float(v) for v in interval.strip("[]").split(", "))
            assert low <= float(share) <= high
