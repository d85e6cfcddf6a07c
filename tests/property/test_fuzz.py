"""Fuzzing: generated and mutated scenarios never crash the loader or a run.

Valid scenarios come from :func:`fuzz.valid_scenarios`; each example may be
mutated at the data level or in its YAML text (:mod:`fuzz`). Whatever the
loader is given, it returns a scenario or raises the project's own located,
one-line, printable :class:`~sim.errors.UserError`, nothing else. A share of
the scenarios it accepts is run, and every run must end without an exception
and with an outcome that holds together: finite utilities no higher than 1,
agreements on each issue's scale and inside the red lines of everyone who must
agree, a class that follows from the agreements and the transcript, strict JSON
for the run and for the scenario's analysis.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
import yaml
from builders import red_line_breaches
from fuzz import data_mutants, text_mutants, valid_scenarios
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.analysis import analyze
from sim.errors import UserError
from sim.model.model import NegotiationModel
from sim.scenario.loader import load_scenario_text
from sim.scenario.locations import Locations
from sim.scenario.schema import Scenario
from sim.scenario.validation import validate_scenario

NAME = "fuzz.yaml"
LOCATED = re.compile(r"^(fuzz\.yaml|--set):\d+:\d+: \S")
TOLERANCE = 1e-9
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def dump(data: dict[str, Any]) -> str | None:
    """YAML text of plain data, or ``None`` if YAML cannot write it (a lone surrogate).

    libyaml's emitter is used when PyYAML has it: the fuzz loop is long.
    """
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    try:
        return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, UnicodeError):
        return None


def load(source: str | dict[str, Any]) -> Scenario | None:
    """The scenario from YAML text (or, if YAML cannot write it, from the data itself).

    Returns ``None`` after checking that the error is located and printable.
    """
    try:
        if isinstance(source, str):
            return load_scenario_text(source, NAME)
        return validate_scenario(source, Locations(NAME))
    except UserError as err:
        shown = str(err)
        assert LOCATED.match(shown), shown
        assert shown.isprintable(), shown
        return None


def refuse_constant(token: str) -> float:
    raise AssertionError(f"{token} in JSON output")


def expected_class(scenario: Scenario, agreed: dict[str, Any], war: bool) -> str:
    """The class the agreements and war imply (DESIGN §3, "Outcome")."""
    if war:
        return "war"
    on_agendas = {issue for r in scenario.rounds for issue in r.agenda}
    substantive = [i for i in on_agendas if not scenario.issues[i].procedural]
    procedural = [i for i in on_agendas if scenario.issues[i].procedural]
    done = [i for i in substantive if agreed.get(i) is not None]
    if substantive and len(done) == len(substantive):
        return "agreement"
    if done:
        return "partial"
    if any(agreed.get(i) is not None for i in procedural):
        return "talks_continue"
    return "deadlock"


def check_run(scenario: Scenario, seed: int) -> None:
    """Run once with the transcript on; assert the outcome invariants."""
    model = NegotiationModel(scenario, rng=seed)
    result = model.run_to_end()
    outcome = result.outcome
    json.loads(result.to_json(), parse_constant=refuse_constant)
    json.dumps(analyze(scenario).to_dict(), allow_nan=False)  # sim analyze --json: strict too
    for actor_id, utility in outcome.utilities.items():
        assert math.isfinite(utility), (actor_id, utility)
        assert utility <= 1 + TOLERANCE, (actor_id, utility)
    for issue_id, agreement in outcome.agreed.items():
        if agreement is not None:
            low, high = scenario.issues[issue_id].scale
            assert low - TOLERANCE <= agreement.position <= high + TOLERANCE, agreement
    if all(actor.mandate.soften == 0 for actor in scenario.actors.values()):
        assert red_line_breaches(scenario, model, TOLERANCE) == []
    agreed_terms = [
        i for i, a in outcome.agreed.items() if a is not None and not scenario.issues[i].procedural
    ]
    if outcome.war is None and agreed_terms:
        assert outcome.stage in ("implemented", "breached"), outcome.stage
    if outcome.stage == "none":
        assert agreed_terms == [], agreed_terms
    wars = [event for event in result.transcript if event.kind == "war"]
    assert bool(wars) == (outcome.war is not None)
    assert outcome.outcome_class == expected_class(
        scenario, outcome.agreed, outcome.war is not None
    )


@settings(FUZZ, max_examples=40)
@given(raw=valid_scenarios, seed=st.integers(0, 2**32 - 1))
def test_generated_scenarios_are_valid_and_run(raw: dict[str, Any], seed: int) -> None:
    text = dump(raw)
    assert text is not None
    scenario = load(text)
    assert scenario is not None, "the generator made an invalid scenario"
    check_run(scenario, seed)


@pytest.mark.slow
@settings(FUZZ, max_examples=10_000)
@given(data=st.data())
def test_fuzz_loader_and_runs(data: st.DataObject) -> None:
    """10,000 scenarios, most mutated: only located errors; one in ten accepted ones is run."""
    raw = data.draw(valid_scenarios, label="scenario")
    how = data.draw(st.sampled_from(["data", "data", "text", "none"]), label="mutation")
    text = dump(raw)
    assert text is not None
    source: str | dict[str, Any] = text
    if how == "data":
        mutant = data.draw(data_mutants(raw), label="mutant")
        source = dump(mutant) or mutant
    elif how == "text":
        source = data.draw(text_mutants(text), label="mutant")
    scenario = load(source)
    if how == "none":
        assert scenario is not None, "the generator made an invalid scenario"
    if scenario is not None and data.draw(st.integers(0, 9), label="run?") == 0:
        check_run(scenario, data.draw(st.integers(0, 2**32 - 1), label="seed"))
