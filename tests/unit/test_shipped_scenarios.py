"""Every shipped scenario loads, runs to an outcome, and is listed in the reference docs."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").rglob("*.yaml"))


def test_scenarios_are_shipped() -> None:
    """The baseline, the textbook games and the forecasting case are all there."""
    names = {path.relative_to(ROOT / "scenarios").as_posix() for path in SHIPPED}
    assert "january_2022.yaml" in names
    assert {
        f"textbook/{n}.yaml" for n in ("rubinstein", "ultimatum", "nash_bargaining", "chicken")
    } <= names
    assert "forecasting/ec_emissions.yaml" in names


@pytest.mark.parametrize(
    "path", SHIPPED, ids=lambda p: p.relative_to(ROOT / "scenarios").as_posix()
)
def test_shipped_scenario_runs_to_an_outcome(path: Path) -> None:
    """Smoke run: the file validates, a seeded run ends with one of the five classes."""
    scenario = sim.load_scenario(path)
    result = sim.run(scenario, seed=3)
    assert result.outcome.outcome_class in {
        "agreement",
        "partial",
        "deadlock",
        "talks_continue",
        "war",
    }
    assert result.transcript, "a run with the transcript on records events"
    assert result.outcome.rounds_played >= 1


@pytest.mark.parametrize(
    "path", SHIPPED, ids=lambda p: p.relative_to(ROOT / "scenarios").as_posix()
)
def test_shipped_scenario_is_in_the_docs(path: Path) -> None:
    """The scenario format reference or the theory page names every shipped file."""
    docs = "".join(
        (ROOT / "docs" / page).read_text(encoding="utf-8")
        for page in ("scenario-format.md", "theory.md")
        if (ROOT / "docs" / page).exists()
    )
    assert path.relative_to(ROOT).as_posix() in docs


def test_committed_json_schema_is_current() -> None:
    """docs/scenario.schema.json (which the scenario files point editors at) matches `sim schema`."""
    from sim.cli import scenario_json_schema

    committed = (ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8")
    assert committed.strip() == scenario_json_schema().strip(), (
        "run: sim schema --out docs/scenario.schema.json --force"
    )
