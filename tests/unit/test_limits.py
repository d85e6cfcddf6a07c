"""Values the engine cannot compute with or print are refused, in files and --set alike."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest
from builders import call

from sim.errors import UserError, printable
from sim.scenario.limits import estimated_work
from sim.scenario.loader import load_scenario, load_scenario_text
from sim.scenario.validation import show

DATA = Path(__file__).resolve().parent.parent / "data"
VALID = DATA / "valid" / "two_party.yaml"
MALFORMED = DATA / "malformed"

sys.set_int_max_str_digits(0)  # the tests build 5,000-digit numbers on purpose


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].isprintable(), lines[0]
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("assignment", "path", "words"),
    [
        ("actors.russia.capability=.nan", "actors.russia.capability", "finite"),
        ("actors.russia.positions.enlargement.salience=.inf", "salience", "finite"),
        ("issues.force_posture.scale=[0, .inf]", "issues.force_posture.scale.1", "finite"),
        ("rounds.0.hours=1" + "0" * 400, "rounds.0.hours", "401-digit"),
        ("actors.russia.positions.enlargement.salience=1.0e308", "salience", "too large"),
        ("rounds.0.date=9999-12-31", "rounds.0.date", "9000-12-31"),
        ("actors.russia.discount={dist: uniform, low: .nan, high: 1}", "discount.low", "finite"),
        ("actors.russia.risk_acceptance={dist: beta, mean: 0.5, sd: 1.0e-6}", ".sd", "0.0001"),
        ("actors.russia.positions.enlargement.salience=5.0e-324", "salience", "too small"),
        ('actors.russia.name="a\\nok"', "actors.russia.name", "U+000A"),
    ],
)
def test_set_refuses_what_a_file_may_not_hold(capsys, assignment, path, words):
    code, out, err = call(["run", str(VALID), "--set", assignment], capsys)
    line = one_line(err)
    assert (code, out) == (2, "")
    assert line.startswith("--set:1:1: ") and path in line and words in line


def test_a_number_written_as_yaml_text_is_checked_as_the_number_it_becomes():
    # YAML 1.1 reads 1e308 (no dot) as text; the schema then turns it into a float.
    text = VALID.read_text().replace("salience: 0.6", "salience: 1e308")
    with pytest.raises(UserError) as info:
        load_scenario_text(text, "t.yaml")
    assert info.value.path == "actors.russia.positions.force_posture.salience"
    assert "too large" in info.value.message


def test_formatting_never_raises_on_a_huge_integer():
    huge = 10**5000
    assert show(huge) == "a 5001-digit number"
    err = UserError("f.yaml", 1, 1, "seed", f"got {show(-huge)}")
    assert str(err) == "f.yaml:1:1: seed: got -a 5001-digit number"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\ud800", "\\ud800"),
        ("\u2028", "\\u2028"),
        ("Zoë Ελλάδα 日本", "Zoë Ελλάδα 日本"),
    ],
)
def test_printable_escapes_exactly_the_unsafe_characters(raw, shown):
    assert printable(raw) == shown
    assert printable(raw).encode("utf-8")  # never a UnicodeEncodeError


def test_an_error_naming_a_bad_file_name_prints_on_one_line():
    err = UserError("evil\n\x1b]0;title\x07.yaml\udcff", 1, 1, "", "file not found")
    assert str(err) == "evil\\n\\x1b]0;title\\x07.yaml\\udcff:1:1: file not found"


def test_a_description_may_span_lines_but_a_name_may_not():
    text = VALID.read_text().replace(
        "description: Russia and", "description: |\n  Two lines:\n  Russia and"
    )
    assert "Two lines" in load_scenario_text(text, "t.yaml").description
    with pytest.raises(UserError, match="U\\+000A"):
        load_scenario_text(text.replace("name: Russia", 'name: "Rus\\nsia"'), "t.yaml")


# --- the work budget ---------------------------------------------------------------------------


def test_work_of_a_population_game_is_players_times_generations():
    scenario = load_scenario(MALFORMED / "population_too_large.yaml", max_work=None)
    assert estimated_work(scenario) == 100_000 * 240 * 60


def test_max_work_lets_a_costly_scenario_validate(capsys):
    path = str(MALFORMED / "population_too_large.yaml")
    code, _, err = call(["validate", path], capsys)
    assert code == 2 and "--max-work 2e9" in one_line(err)
    code, out, _ = call(["validate", "--max-work", "2e9", path], capsys)
    assert code == 0 and "ok" in out
    code, out, _ = call(["validate", "--max-work", "inf", path], capsys)
    assert code == 0 and "ok" in out


def test_set_cannot_raise_the_work_past_the_limit(capsys, tmp_path):
    game = (MALFORMED / "population_too_large.yaml").read_text()
    small = tmp_path / "small.yaml"
    small.write_text(game.replace("population: 100000", "population: 10"))
    code, _, err = call(
        ["run", str(small), "--set", "rounds.chicken.game.population=100000"], capsys
    )
    line = one_line(err)
    assert code == 2 and line.startswith("--set:1:1: rounds.0: ") and "--max-work" in line


# --- extends stays at home -------------------------------------------------------------------


def test_extends_outside_the_tree_needs_the_flag(capsys, tmp_path):
    (tmp_path / "base.yaml").write_text(VALID.read_text())
    variant = tmp_path / "sub" / "variant.yaml"
    variant.parent.mkdir()
    variant.write_text("extends: ../base.yaml\nname: A variant\n")
    code, _, err = call(["validate", str(variant)], capsys)
    line = one_line(err)
    assert code == 2 and line.startswith(f"{variant}:1:10: extends: ")
    assert "--allow-extends-anywhere" in line
    code, out, _ = call(["validate", "--allow-extends-anywhere", str(variant)], capsys)
    assert code == 0 and out.startswith(f"{variant}: ok")


def test_extends_may_reach_the_shipped_scenarios(tmp_path):
    import sim

    shipped = Path(sim.__file__).resolve().parent.parent / "scenarios" / "january_2022.yaml"
    variant = tmp_path / "variant.yaml"
    variant.write_text(f"extends: {shipped}\nname: A variant of the baseline\n")
    assert load_scenario(variant).name == "A variant of the baseline"


def test_extends_never_quotes_a_file_that_is_not_a_scenario(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("password-hunter2-and-more\n")
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: secret.yaml\nname: x\n")
    with pytest.raises(UserError) as info:
        load_scenario(variant)
    assert "hunter2" not in str(info.value)


def test_run_json_is_strict_json(capsys):
    code, out, _ = call(["run", str(VALID), "--json"], capsys)

    def refuse(token: str) -> float:
        raise AssertionError(f"{token} in JSON output")

    data = json.loads(out, parse_constant=refuse)
    assert code == 0 and all(math.isfinite(u) for u in data["outcome"]["utilities"].values())


def test_a_sweep_point_over_the_work_limit_is_a_vary_error(capsys, tmp_path):
    game = (MALFORMED / "population_too_large.yaml").read_text()
    small = tmp_path / "small.yaml"
    small.write_text(game.replace("population: 100000", "population: 10"))
    vary = "rounds.0.game.population=10,100000"
    code, out, err = call(["sweep", str(small), "--vary", vary, "-n", "1"], capsys)
    line = one_line(err)
    assert (code, out) == (2, "") and line.startswith("--vary:1:1: rounds.0: ")
    assert "--max-work 2e9" in line


@pytest.mark.parametrize("num", ["9" * 5000, "1000000"])
def test_a_grid_range_of_absurd_length_is_refused(capsys, num):
    vary = f"actors.russia.capability=0:1:{num}"
    code, out, err = call(["sweep", str(VALID), "--vary", vary, "-n", "1"], capsys)
    line = one_line(err)
    assert (code, out) == (2, "") and line.startswith("--vary:1:30: actors.russia.capability: ")
    assert "from 2 to 10000" in line
