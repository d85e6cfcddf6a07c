"""Dotted-path overrides: valid ones change exactly one value, invalid ones are located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sim.errors import UserError
from sim.scenario.distributions import Beta, Uniform
from sim.scenario.loader import load_scenario
from sim.scenario.overrides import apply_overrides, parse_assignments, set_path

VALID = Path(__file__).resolve().parent.parent / "data" / "valid" / "two_party.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(VALID)


def raised(scenario, overrides) -> UserError:
    with pytest.raises(UserError) as info:
        apply_overrides(scenario, overrides)
    return info.value


# --- valid overrides ---------------------------------------------------------------------


def test_nothing_to_change_returns_the_same_scenario(scenario):
    assert apply_overrides(scenario, {}) is scenario


def test_round_trip_keeps_dates_and_distribution_aliases(scenario):
    same = apply_overrides(scenario, {"seed": scenario.seed})
    assert same == scenario
    assert same.rounds[0].date == dt.date(2022, 1, 10)
    assert isinstance(same.actors["russia"].risk_acceptance, Beta)


def test_a_number_changes_and_the_original_stays(scenario):
    changed = apply_overrides(scenario, {"actors.russia.capability": 0.3})
    assert changed.actors["russia"].capability == 0.3
    assert scenario.actors["russia"].capability == 0.6
    assert changed.actors["united_states"] == scenario.actors["united_states"]


def test_list_items_by_index_and_rounds_by_id(scenario):
    by_index = apply_overrides(scenario, {"rounds.0.hours": 12})
    by_id = apply_overrides(scenario, {"rounds.geneva.hours": 12})
    assert by_index.rounds[0].hours == by_id.rounds[0].hours == 12
    agenda = apply_overrides(scenario, {"rounds.geneva.agenda.1": "enlargement"})
    assert agenda.rounds[0].agenda == ["enlargement", "enlargement"]


def test_a_whole_distribution_can_be_set(scenario):
    value = {"dist": "uniform", "low": 0.2, "high": 0.6}
    changed = apply_overrides(scenario, {"actors.united_states.risk_acceptance": value})
    assert changed.actors["united_states"].risk_acceptance == Uniform(
        dist="uniform", low=0.2, high=0.6
    )


def test_a_field_inside_a_distribution(scenario):
    changed = apply_overrides(scenario, {"actors.russia.risk_acceptance.mean": 0.6})
    assert changed.actors["russia"].risk_acceptance.mean() == pytest.approx(0.6)


def test_schema_models_are_accepted_as_values(scenario):
    value = Uniform(dist="uniform", low=10, high=20)
    changed = apply_overrides(scenario, {"actors.russia.positions.enlargement.red_line": value})
    assert changed.actors["russia"].positions["enlargement"].red_line == value


def test_numeric_keys_and_tuple_items(scenario):
    changed = apply_overrides(
        scenario, {"issues.enlargement.labels.70": "open door", "issues.force_posture.scale.0": -10}
    )
    assert changed.issues["enlargement"].labels[70.0] == "open door"
    assert changed.issues["force_posture"].scale == (-10.0, 100.0)


def test_scenario_with_overrides_delegates(scenario):
    changed = scenario.with_overrides({"actors.russia.risk_acceptance": 0.4})
    assert changed.actors["russia"].risk_acceptance == 0.4


def test_parsed_assignments_apply(scenario):
    overrides = parse_assignments(
        ["rounds.0.date=2022-01-11", "actors.russia.strategy={kind: hardliner}"]
    )
    changed = apply_overrides(scenario, overrides)
    assert changed.rounds[0].date == dt.date(2022, 1, 11)
    assert changed.actors["russia"].strategy.kind == "hardliner"


# --- invalid paths and values --------------------------------------------------------------


def test_unknown_key_names_the_level_and_the_allowed_keys(scenario):
    err = raised(scenario, {"actors.russia.risk": 0.4})
    assert (err.file, err.line, err.col, err.path) == ("--set", 1, 1, "actors.russia.risk")
    assert err.message.startswith(
        "unknown key 'risk' under actors.russia (allowed: name, delegate,"
    )
    assert "risk_acceptance" in err.message


def test_unknown_actor_lists_the_actors(scenario):
    err = raised(scenario, {"actors.ukraine.capability": 0.4})
    assert err.message == "unknown key 'ukraine' under actors (allowed: russia, united_states)"


def test_unknown_top_level_key(scenario):
    err = raised(scenario, {"seeds": 3})
    assert "at the top level" in err.message and "seed" in err.message


def test_unknown_round_lists_indices_and_ids(scenario):
    err = raised(scenario, {"rounds.vienna.hours": 3})
    assert err.path == "rounds.vienna.hours"
    assert err.message == "no item 'vienna' under rounds (allowed: 0 or an id: geneva)"


def test_cannot_descend_into_a_number_or_an_unset_value(scenario):
    err = raised(scenario, {"actors.russia.capability.mean": 0.5})
    assert "is a single value (0.6)" in err.message
    err = raised(scenario, {"actors.united_states.war.cost": 0.1})
    assert "actors.united_states.war is not set" in err.message


def test_invalid_value_names_the_path(scenario):
    err = raised(scenario, {"actors.russia.capability": 1.5})
    assert str(err) == "--set:1:1: actors.russia.capability: 1.5 is out of range (allowed: 0 to 1)"
    err = raised(scenario, {"rounds.geneva.hours": "eight"})
    assert err.path == "rounds.0.hours" and err.message == "expected a number, got 'eight'"


def test_invalid_distribution(scenario):
    value = {"dist": "uniform", "low": 0.6, "high": 0.2}
    err = raised(scenario, {"actors.russia.risk_acceptance": value})
    assert err.path == "actors.russia.risk_acceptance"
    assert err.message == "high (0.2) must be >= low (0.6)"


def test_knock_on_error_says_which_override_caused_it(scenario):
    err = raised(scenario, {"issues.enlargement.scale": [0, 10]})
    assert err.path == "issues.enlargement.status_quo"
    assert err.message.endswith("(after --set issues.enlargement.scale)")


def test_broken_reference(scenario):
    err = raised(scenario, {"rounds.0.participants.1": "china"})
    assert err.path == "rounds.0.participants.1" and "unknown actor or bloc 'china'" in err.message


def test_empty_segments_are_rejected():
    with pytest.raises(UserError, match="empty path segment"):
        set_path({"a": {"b": 1}}, "a..b", 2)


# --- parse_assignments ---------------------------------------------------------------------


def test_parse_assignments_reads_yaml_values():
    parsed = parse_assignments(
        [
            "a.b=0.4",
            "x.y={dist: beta, mean: 0.5, sd: 0.1}",
            "d=2022-01-10",
            "s=Geneva talks",
            "l=[a, b]",
            "e=x=y",
        ]
    )
    assert parsed == {
        "a.b": 0.4,
        "x.y": {"dist": "beta", "mean": 0.5, "sd": 0.1},
        "d": dt.date(2022, 1, 10),
        "s": "Geneva talks",
        "l": ["a", "b"],
        "e": "x=y",
    }


@pytest.mark.parametrize(
    ("assignments", "message", "col"),
    [
        (["no_equals"], "expected path=value, got 'no_equals'", 1),
        (["=1"], "expected path=value", 1),
        (["a.b="], "missing value", 5),
        (["a=1", "a=2"], "given twice", 1),
        (["a.b={x: 1"], "YAML syntax error", 10),
        (["a.b={x: 1, x: 2}"], "duplicate key 'x'", 12),
        (["a.b=!!python/name:os.system"], "unsupported tag", 5),
    ],
)
def test_parse_assignments_errors(assignments, message, col):
    with pytest.raises(UserError) as info:
        parse_assignments(assignments)
    assert info.value.file == "--set"
    assert message in info.value.message
    assert info.value.col == col
