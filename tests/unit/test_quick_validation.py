"""The pydantic-free check of ``sim validate`` agrees with the full validation.

:mod:`sim.scenario.quick` may only say "valid" where the pydantic schema
says so too, and it should say so for every well-typed valid file (else
``sim validate`` is slow, not wrong). These are consistency tests of the code
against itself: the quick check against the full one, on every scenario in the
repository, on thousands of mutations that keep values well-typed (flipped
flags, other ids, other choices, scaled numbers: what reaches the rules and
cross-references), and on the fuzz generator's scenarios and mutants.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fuzz import _paths, data_mutants, valid_scenarios
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sim.errors import UserError
from sim.scenario import quick_spec_build
from sim.scenario.limits import estimated_work, value_errors
from sim.scenario.loader import check_scenario_file, read_scenario_data
from sim.scenario.locations import Locations
from sim.scenario.quick import Plain, quick_scenario
from sim.scenario.validation import validate_scenario

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(
    path
    for folder in ("scenarios", "tests/data", "docs", "benchmarks", "examples")
    for path in (ROOT / folder).rglob("*.y*ml")
)
SHIPPED = sorted((ROOT / "scenarios").rglob("*.yaml"))


def full(data: Any) -> Any:
    """The pydantic scenario, or ``None`` where the full validation refuses the data."""
    try:
        return validate_scenario(copy.deepcopy(data), Locations("x.yaml"))
    except UserError:
        return None


def quick(data: Any) -> Plain | None:
    """The quick check as ``sim validate`` runs it: after the value limits."""
    if value_errors(data, Locations("x.yaml")):
        return None
    return quick_scenario(copy.deepcopy(data))


def shape(value: Any) -> Any:
    """A value with every type spelled out (1 and 1.0 differ), models and plain alike."""
    if isinstance(value, Plain):
        return ("model", type(value).__name__, {n: shape(getattr(value, n)) for n in value._fields})
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return ("model", type(value).__name__, {n: shape(getattr(value, n)) for n in fields})
    if isinstance(value, dict):
        return ("dict", {shape(k): shape(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(shape(v) for v in value))
    return (type(value).__name__, value)


def agree(data: Any) -> tuple[bool, bool]:
    """Check the two validations on ``data``; return (quick accepted, full accepted)."""
    plain, model = quick(data), full(data)
    assert plain is None or model is not None, "quick check accepted what the schema refuses"
    if plain is not None:
        assert shape(plain) == shape(model)
        assert estimated_work(plain) == estimated_work(model)  # type: ignore[arg-type]
    return plain is not None, model is not None


def test_quick_spec_is_generated_from_the_schema() -> None:
    """sim/scenario/quick_spec.py is what quick_spec_build writes today (regenerate if not)."""
    assert quick_spec_build.TARGET.read_text(encoding="utf-8") == quick_spec_build.render()


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_scenario_in_the_repository_gets_the_same_verdict(path: Path) -> None:
    """Valid files pass the quick check with the very fields pydantic builds; others do not."""
    try:
        data, _ = read_scenario_data(path, extends_anywhere=True)
    except UserError:
        return  # the YAML itself is refused before either validation
    if not isinstance(data, dict) or "schema_version" not in data and "actors" not in data:
        return  # not a scenario (a sweep or a batch plan)
    quick_ok, full_ok = agree(data)
    assert quick_ok == full_ok, "a valid file left to the slow path"


def test_sim_validate_reports_as_the_full_validation_does(tmp_path: Path) -> None:
    """The quick path's counts, and the full path's located error for a bad file."""
    assert check_scenario_file(ROOT / "scenarios" / "january_2022.yaml") == (8, 6, 5)
    bad = tmp_path / "bad.yaml"
    text = (ROOT / "scenarios" / "january_2022.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("hours: 8", "hours: 0", 1), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        check_scenario_file(bad)
    assert str(caught.value).startswith(f"{bad}:")
    assert ".hours: " in str(caught.value)


def _ids_and_words(data: Any) -> list[Any]:
    """Every text in a scenario: ids, choices, names (what a well-typed mutation swaps in)."""
    found: list[Any] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.append(key)
            found.extend(_ids_and_words(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(_ids_and_words(value))
    elif isinstance(data, str):
        found.append(data)
    return [word for word in found if isinstance(word, str)]


WORDS = [
    "alternating_offers",
    "mediated",
    "shuttle",
    "expected_utility",
    "population_game",
    "strategic",
    "subgame_perfect",
    "boulware",
    "tit_for_tat",
    "hardliner",
    "process",
    "round",
    "mediator",
    "party",
    "ratification",
    "consensus",
    "qualified_majority",
    "sufficient_consensus",
    "one_sided",
    "quadratic",
    "normal",
    "beta",
    "choice",
    "signing",
    "no_deal",
    "breach_penalty",
]


def well_typed_mutant(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The scenario with one to three well-typed changes, as a user's slips would be."""
    mutant = copy.deepcopy(data)
    words = sorted(set(_ids_and_words(data))) + WORDS
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(mutant)[1:])
        parent = mutant
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        value = parent[last]
        roll = rng.random()
        if roll < 0.15 and isinstance(parent, dict | list):
            del parent[last]  # an optional key left out, or a required one
        elif isinstance(value, bool):
            parent[last] = not value
        elif isinstance(value, int):  # a whole number stays one (0.0 for days is coerced)
            parent[last] = rng.choice([0, 1, -value, round(value * rng.uniform(0, 2))])
        elif isinstance(value, float):
            parent[last] = rng.choice([0, 1, -value, value * rng.uniform(0, 2), 0.5])
        elif isinstance(value, str):
            parent[last] = rng.choice(words)
        elif isinstance(value, dt.date):
            parent[last] = value + dt.timedelta(days=rng.randint(-400, 400))
        elif isinstance(value, list) and value:
            parent[last] = value[:-1] if rng.random() < 0.5 else [*value, rng.choice(value)]
        elif isinstance(value, dict) and value and isinstance(parent, dict):
            key = rng.choice(list(value))
            new = rng.choice(words)
            if rng.random() < 0.5 and new not in value:  # rename an entry to another word in use
                value[new] = value.pop(key)
            else:
                del value[key]
    return mutant


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_well_typed_mutations_of_shipped_scenarios_get_the_same_verdict(path: Path) -> None:
    """Forty seeded mutations per shipped file: never quick-valid where pydantic refuses."""
    data, _ = read_scenario_data(path, extends_anywhere=True)
    rng = random.Random(path.name)
    verdicts = [agree(well_typed_mutant(data, rng)) for _ in range(40)]
    slow = [i for i, (quick_ok, full_ok) in enumerate(verdicts) if full_ok and not quick_ok]
    assert not slow, f"valid mutants left to the slow path: {slow}"


@pytest.mark.slow
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_many_well_typed_mutations_get_the_same_verdict(path: Path) -> None:
    """Six hundred more per shipped file, with other seeds (slow)."""
    data, _ = read_scenario_data(path, extends_anywhere=True)
    rng = random.Random(f"more {path.name}")
    for _ in range(600):
        quick_ok, full_ok = agree(well_typed_mutant(data, rng))
        assert quick_ok == full_ok


@settings(
    deadline=None,
    database=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_fuzzed_scenarios_and_mutants_never_pass_quick_alone(data: st.DataObject) -> None:
    """The fuzz generator's scenarios pass both; its odd mutants never pass the quick check alone."""
    raw = data.draw(valid_scenarios, label="scenario")
    assert agree(raw) == (True, True)
    agree(data.draw(data_mutants(raw), label="mutant"))


def test_a_valid_file_is_checked_without_pydantic() -> None:
    """`sim validate` on the baseline imports neither pydantic nor the schema."""
    probe = (
        "import sys\nfrom sim.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exit:\n    code = exit.code\n"
        "print(code, sorted(m for m in ('pydantic', 'pydantic_core', 'sim.scenario.schema')"
        " if m in sys.modules))"
    )
    baseline = str(ROOT / "scenarios" / "january_2022.yaml")
    result = subprocess.run(
        [sys.executable, "-c", probe, "validate", baseline],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr
