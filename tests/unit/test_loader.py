"""Loading scenario YAML: plain data, located errors, duplicates, extends."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from sim.errors import UserError
from sim.scenario.distributions import Beta, Uniform
from sim.scenario.loader import (
    load_scenario,
    load_scenario_text,
    load_scenario_with_locations,
    read_scenario_data,
    validate_files,
    yaml_value,
)

DATA = Path(__file__).resolve().parent.parent / "data"
VALID = DATA / "valid" / "two_party.yaml"

MINIMAL = """\
schema_version: 1
name: Minimal
issues:
  enlargement: {status_quo: 70}
actors:
  russia:
    name: Russia
    capability: 0.6
    positions:
      enlargement: {ideal: 0, red_line: 20}
  united_states:
    name: United States
    positions:
      enlargement: {ideal: 100, red_line: 70}
rounds:
  - {id: geneva, venue: Geneva, date: 2022-01-10, participants: [united_states, russia],
     protocol: alternating_offers, agenda: [enlargement], hours: 8}
"""


def raised(text: str, name: str = "t.yaml") -> UserError:
    with pytest.raises(UserError) as info:
        load_scenario_text(text, name)
    return info.value


# --- UserError ---------------------------------------------------------------------------


def test_user_error_formats_as_file_line_col_path_message():
    err = UserError("a.yaml", 3, 7, "rounds.0.hours", "expected a number, got 'eight'")
    assert str(err) == "a.yaml:3:7: rounds.0.hours: expected a number, got 'eight'"
    assert (err.file, err.line, err.col, err.path) == ("a.yaml", 3, 7, "rounds.0.hours")


def test_user_error_without_path_leaves_it_out():
    assert str(UserError("a.yaml", 1, 1, "", "file not found")) == "a.yaml:1:1: file not found"


def test_user_error_survives_pickling():
    err = UserError("a.yaml", 2, 5, "name", "required field missing")
    copy = pickle.loads(pickle.dumps(err))
    assert str(copy) == str(err)
    assert copy.path == "name"


# --- a valid file --------------------------------------------------------------------------


def test_valid_file_loads_with_dates_and_distributions():
    scenario = load_scenario(VALID)
    assert scenario.name == "Two-party test talks"
    assert scenario.rounds[0].date == dt.date(2022, 1, 10)
    assert scenario.sources["politico"].date == dt.date(2022, 1, 12)
    assert isinstance(scenario.actors["russia"].risk_acceptance, Beta)
    assert scenario.actors["russia"].risk_acceptance.mean() == pytest.approx(0.7)
    red_line = scenario.actors["russia"].positions["force_posture"].red_line
    assert isinstance(red_line, Uniform) and (red_line.low, red_line.high) == (30, 50)
    assert scenario.issues["enlargement"].labels[70.0] == "open door without timeline"


def test_locations_point_at_values_and_keys():
    _, locations = load_scenario_with_locations(VALID)
    # line 27: "      enlargement: {ideal: 0, red_line: 20, salience: 1.0, core: true}"
    where = locations.locate("actors.russia.positions.enlargement.red_line")
    assert (where.line, where.col) == (27, 41)
    key = locations.locate("actors.russia.positions.enlargement.red_line", key=True)
    assert (key.line, key.col) == (27, 31)
    # line 49: "    agenda: [enlargement, force_posture]"
    where = locations.locate("rounds.0.agenda.1")
    assert (where.file, where.line, where.col) == (str(VALID), 49, 27)
    # A mapping is shown at its key; a path not in the file at its nearest ancestor.
    assert (locations.locate("actors.russia").line, locations.locate("actors.russia").col) == (
        19,
        3,
    )
    assert locations.locate("rounds.0.mediator") == locations.locate("rounds.0")


def test_text_and_file_give_the_same_scenario():
    assert load_scenario_text(VALID.read_text(), str(VALID)) == load_scenario(VALID)


# --- file-level problems -------------------------------------------------------------------


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(UserError) as info:
        load_scenario(missing)
    assert str(info.value) == f"{missing}:1:1: file not found"


def test_directory_is_not_a_scenario(tmp_path):
    with pytest.raises(UserError, match="is a directory"):
        load_scenario(tmp_path)


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing here\n")
    with pytest.raises(UserError, match="file is empty"):
        load_scenario(empty)


def test_non_utf8_is_located_at_the_bad_byte(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("schema_version: 1\nname: Kyiv – Moskv".encode() + b"\xe1\n")
    with pytest.raises(UserError) as info:
        load_scenario(bad)
    # "name: Kyiv – Moskv" is 18 characters (the dash is one character, three bytes).
    assert (info.value.line, info.value.col) == (2, 19)
    assert "not valid UTF-8 (byte 0xe1)" in info.value.message


def test_yaml_syntax_error_uses_the_problem_mark():
    err = raised("schema_version: 1\nname: a: b\n")
    assert (err.line, err.col) == (2, 8)
    assert err.message.startswith("YAML syntax error: mapping values are not allowed here")


def test_top_level_must_be_a_mapping():
    err = raised("- 1\n- 2\n")
    assert (err.line, err.col) == (1, 1)
    assert "top level must be a mapping" in err.message


def test_unsafe_tags_are_rejected():
    err = raised("schema_version: 1\nname: !!python/object/apply:os.system [ls]\n")
    assert (err.line, err.col, err.path) == (2, 7, "name")
    assert "unsupported tag" in err.message


def test_recursive_alias_is_rejected():
    err = raised("schema_version: 1\nname: &x [1, *x]\n")
    assert "alias" in err.message and err.line == 2
    err = raised("schema_version: 1\nname: &x {a: 1, b: {<<: *x}}\n")
    assert err.message == "'<<' merges a mapping into itself" and err.path == "name.b"


def test_merge_keys_are_supported():
    text = MINIMAL.replace(
        "  united_states:\n    name: United States\n",
        "  united_states:\n    <<: {name: United States, capability: 0.9}\n",
    )
    assert load_scenario_text(text).actors["united_states"].capability == 0.9


# --- duplicates ----------------------------------------------------------------------------


def test_duplicate_key_is_located_at_the_second_one():
    text = MINIMAL.replace("    capability: 0.6\n", "    capability: 0.6\n    capability: 0.7\n")
    err = raised(text)
    assert (err.line, err.col, err.path) == (9, 5, "actors.russia.capability")
    assert err.message == "duplicate key 'capability' (first given at line 8)"


def test_duplicate_key_in_a_flow_mapping():
    text = MINIMAL.replace("{ideal: 0, red_line: 20}", "{ideal: 0, red_line: 20, ideal: 5}")
    err = raised(text)
    assert err.path == "actors.russia.positions.enlargement.ideal"
    assert (err.line, err.col) == (10, 45)


def test_equal_numeric_keys_are_duplicates():
    with pytest.raises(UserError, match="duplicate key '0'"):
        yaml_value("{0: a, 0.0: b}", "--set")


def test_duplicate_top_level_actor_ids():
    text = MINIMAL + "actors: {}\n"
    err = raised(text)
    assert err.path == "actors" and err.line == 18


# --- validation messages -------------------------------------------------------------------


def test_unknown_field_lists_the_allowed_fields():
    err = raised(MINIMAL.replace("    capability: 0.6\n", "    capabilty: 0.6\n"))
    assert (err.line, err.col, err.path) == (8, 5, "actors.russia.capabilty")
    assert err.message.startswith("unknown field 'capabilty' (allowed: name, delegate, role,")
    assert "capability" in err.message


def test_literal_error_lists_allowed_values():
    err = raised(MINIMAL.replace("alternating_offers", "bilateral"))
    assert err.path == "rounds.0.protocol"
    assert err.message == (
        "'bilateral' is not allowed "
        "(allowed: alternating_offers, mediated, shuttle, expected_utility, population_game)"
    )
    assert (err.line, err.col) == (17, 16)  # the value after "     protocol: "


def test_missing_field_points_at_the_parent():
    err = raised(MINIMAL.replace("    name: Russia\n", ""))
    assert err.path == "actors.russia.name"
    assert err.message == "required field missing"
    assert (err.line, err.col) == (6, 3)  # "  russia:"


def test_value_error_prefix_is_stripped_and_relative_path_joined():
    err = raised(MINIMAL.replace("enlargement: {status_quo: 70}", "enlargement: {status_quo: 170}"))
    assert err.path == "issues.enlargement.status_quo"
    assert err.message == "170 is outside the scale (allowed: 0 to 100)"
    assert "Value error" not in str(err)


def test_scenario_level_paths_are_absolute():
    err = raised(MINIMAL.replace("agenda: [enlargement]", "agenda: [enlargement, missiles]"))
    assert err.path == "rounds.0.agenda.1"
    assert (err.line, err.col) == (17, 58)  # "missiles" inside the flow mapping
    assert err.message == "unknown issue 'missiles' (allowed: enlargement)"


def test_number_or_distribution_message():
    err = raised(MINIMAL.replace("capability: 0.6", "capability: strong"))
    assert err.path == "actors.russia.capability"
    assert "expected a number or a distribution" in err.message
    assert "got 'strong'" in err.message


def test_distribution_errors_are_not_drowned_in_union_noise():
    err = raised(MINIMAL.replace("capability: 0.6", "capability: {dist: beta, mean: 0.5, sd: 0.6}"))
    assert err.path == "actors.russia.capability"
    assert err.message.startswith("sd (0.6) must be below sqrt(mean*(1-mean))")


def test_errors_are_reported_in_file_order():
    text = MINIMAL.replace("name: Minimal", "name: [Minimal]").replace("hours: 8", "hours: x")
    assert raised(text).path == "name"


# --- extends ---------------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_extends_deep_merges_mappings_and_replaces_lists(tmp_path):
    write(tmp_path, "base/minimal.yaml", MINIMAL)
    child = write(
        tmp_path,
        "child.yaml",
        "extends: base/minimal.yaml\n"
        "name: Child\n"
        "actors:\n"
        "  russia:\n"
        "    capability: 0.8\n"
        "    positions:\n"
        "      enlargement: {red_line: 30}\n"
        "rounds:\n"
        "  - {id: vienna, venue: Vienna, date: 2022-01-13, participants: [russia, united_states],\n"
        "     protocol: alternating_offers, agenda: [enlargement], hours: 3}\n",
    )
    scenario = load_scenario(child)
    russia = scenario.actors["russia"]
    assert scenario.name == "Child"
    assert scenario.extends == "base/minimal.yaml"
    assert russia.capability == 0.8
    assert russia.name == "Russia"  # kept from the base
    assert russia.positions["enlargement"].red_line == 30
    assert russia.positions["enlargement"].ideal == 0  # merged, not replaced
    assert scenario.actors["united_states"].name == "United States"
    assert [r.id for r in scenario.rounds] == ["vienna"]  # lists are replaced


def test_extends_locations_come_from_the_file_that_gave_the_value(tmp_path):
    base = write(tmp_path, "base.yaml", MINIMAL)
    child = write(
        tmp_path, "child.yaml", "extends: base.yaml\nactors:\n  russia:\n    capability: 2\n"
    )
    err = pytest.raises(UserError, load_scenario, child).value
    assert (err.file, err.line, err.col) == (str(child), 4, 17)
    base.write_text(MINIMAL.replace("hours: 8", "hours: 0"))
    child.write_text("extends: base.yaml\nname: Child\n")
    err = pytest.raises(UserError, load_scenario, child).value
    assert err.file == str(base) and err.line == 17 and err.path == "rounds.0.hours"
    _, locations = read_scenario_data(child)
    assert locations.locate("name").file == str(child)
    assert locations.locate("issues.enlargement").file == str(base)


def test_extends_replaced_list_drops_the_base_locations(tmp_path):
    write(tmp_path, "base.yaml", MINIMAL)
    child = write(
        tmp_path,
        "child.yaml",
        "extends: base.yaml\nrounds:\n  - id: vienna\n    venue: Vienna\n",
    )
    err = pytest.raises(UserError, load_scenario, child).value
    assert err.path == "rounds.0.date" and err.message == "required field missing"
    assert (err.file, err.line, err.col) == (str(child), 3, 5)


def test_extends_chain_of_three(tmp_path):
    write(tmp_path, "a.yaml", MINIMAL)
    write(tmp_path, "b.yaml", "extends: a.yaml\nseed: 5\n")
    c = write(tmp_path, "sub/c.yaml", "extends: ../b.yaml\nname: C\n")
    scenario = load_scenario(c, extends_anywhere=True)
    assert (scenario.seed, scenario.name, scenario.extends) == (5, "C", "../b.yaml")


def test_extends_cycle_is_detected(tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nname: A\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\nname: B\n")
    err = pytest.raises(UserError, load_scenario, a).value
    assert (err.file, err.line, err.col, err.path) == (str(a), 1, 10, "extends")
    assert err.message.startswith("cycle: ") and "b.yaml" in err.message


def test_extends_itself(tmp_path):
    a = write(tmp_path, "a.yaml", "name: A\nextends: a.yaml\n")
    err = pytest.raises(UserError, load_scenario, a).value
    assert (err.line, err.col) == (2, 10) and "cycle" in err.message


def test_extends_missing_file_is_located_in_the_extending_file(tmp_path):
    child = write(tmp_path, "child.yaml", "name: x\nextends: gone.yaml\n")
    err = pytest.raises(UserError, load_scenario, child).value
    assert (err.file, err.line, err.col, err.path) == (str(child), 2, 10, "extends")
    assert "file not found" in err.message and "gone.yaml" in err.message


def test_extends_must_be_a_path(tmp_path):
    child = write(tmp_path, "child.yaml", "name: x\nextends: [a.yaml]\n")
    err = pytest.raises(UserError, load_scenario, child).value
    assert err.path == "extends" and "expected the path" in err.message


# --- validate_files ------------------------------------------------------------------------


def test_validate_files_returns_one_error_per_bad_file(tmp_path):
    bad = write(tmp_path, "bad.yaml", "schema_version: 2\n")
    errors = validate_files([VALID, bad, tmp_path / "missing.yaml"])
    assert [e.file for e in errors] == [str(bad), str(tmp_path / "missing.yaml")]
    assert validate_files([VALID]) == []


CURVED_TWO_ISSUES = """\
schema_version: 1
name: Curved
issues:
  x: {status_quo: 50}
  y: {status_quo: 50}
actors:
  a:
    name: A
    utility: quadratic
    strategy: {kind: subgame_perfect}
    positions: {x: {ideal: 0, red_line: 100}, y: {ideal: 0, red_line: 100}}
  b:
    name: B
    positions: {x: {ideal: 100, red_line: 0}, y: {ideal: 100, red_line: 0}}
rounds:
  - {id: r, venue: V, date: 2024-01-01, participants: [a, b],
     protocol: alternating_offers, agenda: AGENDA, hours: 1}
"""


def test_subgame_perfect_with_a_curved_utility_on_two_issues_is_refused_where_declared() -> None:
    """The strategy is solved for curved utilities on one issue only: two issues are refused,
    located at the strategy; one issue loads."""
    err = raised(CURVED_TWO_ISSUES.replace("AGENDA", "[x, y]"))
    assert (err.line, err.path) == (10, "actors.a.strategy")  # the strategy: line
    assert "one agenda issue" in str(err)
    assert load_scenario_text(CURVED_TWO_ISSUES.replace("AGENDA", "[x]"), "t.yaml").rounds


MEDIATOR_WITH_A_STAKE = """\
schema_version: 1
name: a mediator given a stake
issues:
  x: {status_quo: 50}
actors:
  a: {name: A, positions: {x: {ideal: 0, red_line: 60}}}
  b: {name: B, positions: {x: {ideal: 100, red_line: 40}}}
  chair:
    name: Chair
    role: mediator
    escalation: [threat]
    war: {against: a, cost: 0.1}
escalation_ladder:
  threat: {severity: 3}
rounds:
  - {id: r, venue: V, date: 2022-01-10, participants: [a, b], mediator: chair, protocol: mediated, agenda: [x], hours: 2}
"""


def test_a_mediators_ladder_and_war_are_refused_where_they_are_written(tmp_path):
    """A mediator's ladder and war option would be ignored by the engine: validation refuses them.

    Its positions and guarantees are played (tests/unit/test_mediator_stakes.py).
    """
    path = tmp_path / "mediator.yaml"
    path.write_text(MEDIATOR_WITH_A_STAKE)
    with pytest.raises(UserError) as info:
        load_scenario(path)
    assert str(info.value) == (
        f"{path}:11:5: actors.chair.escalation: a mediator chairs and does not bargain or "
        "fight, so the engine would ignore its escalation (allowed for a mediator: name, "
        "delegate, role, positions, guarantees; or make it a party)"
    )
    path.write_text(MEDIATOR_WITH_A_STAKE.replace("    escalation: [threat]\n", ""))
    with pytest.raises(UserError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}:11:5: actors.chair.war: a mediator chairs")
    plain = (
        MEDIATOR_WITH_A_STAKE.replace("    escalation: [threat]\n", "")
        .replace("    war: {against: a, cost: 0.1}\n", "")
        .replace("escalation_ladder:\n  threat: {severity: 3}\n", "")  # nobody's rung now
    )
    path.write_text(plain)
    assert load_scenario(path).actors["chair"].role == "mediator"


STAKES = """\
schema_version: 1
name: stakes
sources: {memo: {title: A memo}}
issues:
  x: {status_quo: 50}
  y: {status_quo: 50}
actors:
  a: {name: A, positions: {x: {ideal: 0, red_line: 60}}}
  b: {name: B, positions: {x: {ideal: 100, red_line: 40}}, breach: {penalty: 0.1}}
  c:
    name: C
    positions: {x: {ideal: 0, red_line: 10}}
    client_of: {patron: a, defection_cost: 0.2}
  chair:
    name: Chair
    role: mediator
    positions: {x: {ideal: 50, red_line: 70}}
    guarantees:
      - {kind: signing, to: b, by: 0.1, source: memo}
      - {kind: breach_penalty, to: a, against: b, by: 0.1}
blocs:
  ac: {members: [a, c], speaker: a}
rounds:
  - {id: r, venue: V, date: 2022-01-10, participants: [ac, b], mediator: chair, protocol: mediated, agenda: [x], hours: 2}
"""


def test_a_mediators_stake_and_a_client_load() -> None:
    scenario = load_scenario_text(STAKES, "t.yaml")
    assert scenario.actors["c"].client_of.patron == "a"
    assert [g.kind for g in scenario.actors["chair"].guarantees] == ["signing", "breach_penalty"]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "positions: {x: {ideal: 50",
            "positions: {y: {ideal: 50",
            "17:17: actors.chair.positions.y",
            "'chair' chairs no mediated or shuttle round with 'y' on its agenda, so nothing "
            "uses its position (allowed: x)",
        ),
        (
            "red_line: 70}",
            "red_line: 70, core: true}",
            "17:52: actors.chair.positions.x.core",
            "a mediator does not go to war, so nothing uses a core demand (allowed: false)",
        ),
        (
            "{kind: signing, to: b,",
            "{kind: signing, to: zz,",
            "19:29: actors.chair.guarantees.0.to",
            "unknown party 'zz' (allowed: a, b, c)",
        ),
        (
            "to: b, by: 0.1,",
            "to: b, by: -0.1,",
            "19:36: actors.chair.guarantees.0.by",
            "-0.1 is out of range for signing (allowed: 0 to 1)",
        ),
        (
            "source: memo}",
            "source: nope}",
            "19:49: actors.chair.guarantees.0.source",
            "unknown source 'nope' (allowed: memo)",
        ),
        (
            "against: b, by",
            "by",
            "20:9: actors.chair.guarantees.1.against",
            "breach_penalty needs the party whose breaches it punishes (allowed: b)",
        ),
        (
            "against: b, by",
            "against: a, by",
            "20:48: actors.chair.guarantees.1.against",
            "'a' is no other party that may breach (allowed: b; give it breach.penalty)",
        ),
        (
            "to: b, by: 0.1,",
            "to: b, against: a, by: 0.1,",
            "19:41: actors.chair.guarantees.0.against",
            "only breach_penalty punishes another party, so nothing uses it (allowed: kind "
            "breach_penalty)",
        ),
        (
            "breach: {penalty: 0.1}}",
            "breach: {penalty: 0.1}, guarantees: [{kind: signing, to: a, by: 0.1}]}",
            "9:84: actors.b.guarantees",
            "only a mediator gives guarantees (allowed: role: mediator, or a side payment as "
            "an issue on the agenda)",
        ),
        (
            "A, positions: {x: {ideal: 0, red_line: 60}}}",
            "A, positions: {x: {ideal: 0, red_line: 60}}, beliefs: {chair: {red_lines: {x: 5}}}}",
            "8:68: actors.a.beliefs.chair",
            "'chair' is a mediator, whose positions are known to all, so nothing uses this "
            "prior (allowed: priors about parties)",
        ),
        (
            "patron: a,",
            "patron: b,",
            "22:21: blocs.ac.members.1",
            "client 'c' sits without its patron 'b', so nobody would accept on its behalf "
            "(allowed: add 'b' to the bloc)",
        ),
        (
            "patron: a,",
            "patron: chair,",
            "13:25: actors.c.client_of.patron",
            "unknown party 'chair' (allowed: a, b)",
        ),
        (
            "defection_cost: 0.2}",
            "defection_cost: 0.2, stake: 0.5}",
            "13:56: actors.c.client_of.stake",
            "no actor's war option is against 'c', so nothing uses it (allowed: 0, or give an "
            "actor war.against it)",
        ),
        (
            "defection_cost: 0.2}",
            "defection_cost: 1.2}",
            "13:44: actors.c.client_of.defection_cost",
            "1.2 is out of range (allowed: 0 to 1)",
        ),
        (
            "speaker: a}",
            "speaker: c}",
            "22:34: blocs.ac.speaker",
            "'c' is a client, whose patron speaks for it (allowed: a member that is nobody's "
            "client)",
        ),
        (
            "participants: [ac, b]",
            "participants: [a, c, b]",
            "24:59: rounds.0.participants.1",
            "'c' is a client of 'a', whose acceptance stands for it (allowed: seat it in a bloc "
            "with its patron, or leave it away from the table)",
        ),
        (
            "    positions: {x: {ideal: 0, red_line: 10}}\n",
            "",
            "12:5: actors.c.client_of",
            "'c' holds no position, so it has no deal to defect from (allowed: give it positions)",
        ),
    ],
)
def test_every_stake_the_engine_would_not_use_is_refused_where_it_is_written(
    old: str, new: str, where: str, message: str
) -> None:
    """Mediators' positions and guarantees, and clients: each unusable field, located (§7.33-7.35)."""
    assert old in STAKES
    err = raised(STAKES.replace(old, new, 1))
    assert str(err) == f"t.yaml:{where}: {message}"
