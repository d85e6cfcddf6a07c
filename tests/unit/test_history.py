"""The historical crises: each file validates, records its outcome, and sources its numbers.

Also the `record` field itself (checked against `sources`, printed after the
outcome only when set) and the table in docs/history.md, which must be what
examples/history_table.py produces.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import get_args

import pytest
import yaml
from example_scripts import load_example

import sim
from sim.model.outcome import OutcomeClass
from sim.report import render_transcript
from sim.scenario.schema import RecordedClass

ROOT = Path(__file__).resolve().parents[2]
HISTORY = sorted((ROOT / "scenarios" / "history").glob("*.yaml"))
CASES = {
    "fashoda_1898": "agreement",
    "july_crisis_1914": "war",
    "munich_1938": "agreement",
    "korean_armistice_1951": "agreement",
    "oslo_1993": "partial",
    "dayton_1995": "agreement",
}
# Sections whose numbers are the model's inputs; each such line needs a source tag.
SOURCED = ("issues", "actors", "blocs", "vetoes", "escalation_ladder", "rounds", "aftermath")
TEXT_KEYS = re.compile(r"^\s*(name|delegate|description):")
TAG = re.compile(r"\[([^\]]+)\]")


def ids(path: Path) -> str:
    return path.stem


def test_the_six_cases_are_there_with_their_historical_outcomes() -> None:
    found = {path.stem: sim.load_scenario(path).record for path in HISTORY}
    assert set(found) == set(CASES)
    for name, outcome in CASES.items():
        record = found[name]
        assert record is not None and record.outcome == outcome, name


@pytest.mark.parametrize("path", HISTORY, ids=ids)
def test_history_file_validates_and_its_record_cites_a_source(path: Path) -> None:
    scenario = sim.load_scenario(path)
    assert scenario.record is not None
    assert scenario.record.source in scenario.sources
    header = " ".join(path.read_text(encoding="utf-8").replace("#", " ").split())
    assert "set from the sources before the scenario was first run" in header


@pytest.mark.parametrize("path", HISTORY, ids=ids)
def test_every_number_carries_a_source_tag_that_names_a_source(path: Path) -> None:
    """Each line with a number in the model's sections has a tag: [A] or a key of `sources`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    keys = set(yaml.safe_load("\n".join(lines))["sources"]) | {"A"}
    section = ""
    checked = 0
    for number, line in enumerate(lines, start=1):
        if line and not line[0].isspace() and not line.startswith("#"):
            section = line.split(":", 1)[0]
        value, _, comment = line.partition("#")
        if section not in SOURCED or TEXT_KEYS.match(value) or not re.search(r"\d", value):
            continue
        tags = [tag for group in TAG.findall(comment) for tag in group.split("][")]
        assert tags, f"{path.name}:{number}: a number without a source tag: {line.strip()}"
        unknown = [tag for tag in tags if tag not in keys]
        assert not unknown, (
            f"{path.name}:{number}: tags {unknown} are not sources (allowed: {sorted(keys)})"
        )
        checked += 1
    assert checked >= 20


def test_recorded_classes_are_the_engines_outcome_classes() -> None:
    assert get_args(RecordedClass) == get_args(OutcomeClass)


def test_a_record_citing_an_unknown_source_is_a_located_error(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "history" / "july_crisis_1914.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("  source: clark", "  source: nobody"), encoding="utf-8")
    line = text.splitlines().index("  source: clark") + 1
    with pytest.raises(sim.UserError) as info:
        sim.load_scenario(bad)
    assert str(info.value).startswith(f"{bad}:{line}:11: record.source: unknown source 'nobody'")
    assert "(allowed: clark, levy, ultimatum)" in str(info.value)


def test_run_prints_the_record_after_the_outcome_and_nothing_without_it() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "history" / "july_crisis_1914.yaml")
    with_record = render_transcript(sim.run(scenario, seed=1)).splitlines()
    bare = sim.run(scenario.with_overrides({"record": None}), seed=1)
    assert with_record[-1] == (
        "On the record: war — Austria-Hungary declared war on Serbia on 28 July 1914, "
        "after rejecting Serbia's reply to its note [clark]"
    )
    assert with_record[:-1] == render_transcript(bare).splitlines()
    assert "record" not in bare.to_dict()
    assert sim.run(scenario, seed=1).to_dict()["record"]["source"] == "clark"


def history_script() -> ModuleType:
    return load_example("history_table")


def test_the_script_replaces_only_the_text_between_its_markers() -> None:
    script = history_script()
    page = f"intro\n{script.START}\nold table\n{script.END}\nafter\n"
    assert script.replace_table(page, "new") == f"intro\n{script.START}\nnew\n{script.END}\nafter\n"
    with pytest.raises(ValueError, match="needs one"):
        script.replace_table("a page without markers\n", "new")


@pytest.mark.slow
def test_the_table_in_docs_history_is_what_the_script_produces_now() -> None:
    script = history_script()
    page = (ROOT / "docs" / "history.md").read_text(encoding="utf-8")
    committed = page.split(script.START)[1].split(script.END)[0].strip()
    assert committed == script.history_table(script.RUNS, script.SEED)


def test_the_engine_matches_the_record_in_at_least_five_cases_of_six() -> None:
    """The committed table (checked against the script above) shows five matches or more."""
    script = history_script()
    page = (ROOT / "docs" / "history.md").read_text(encoding="utf-8")
    table = page.split(script.START)[1].split(script.END)[0].strip().splitlines()[2:]
    matches = [row.split("|")[6].strip() for row in table]
    assert len(matches) == 6
    assert matches.count("yes") >= 5, table
