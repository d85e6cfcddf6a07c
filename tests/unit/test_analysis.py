"""analyze(): ZOPAs, feasibility, bargaining, Rubinstein, Fearon and the predicted class."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import build as build_scenario
from builders import one_round
from builders import position as stance

from sim.analysis import PREDICTED_CLASSES, analyze
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
EC_EMISSIONS = ROOT / "scenarios" / "forecasting" / "ec_emissions.yaml"


def build(
    actors: dict[str, Any],
    issues: dict[str, Any],
    participants: list[str] | None = None,
    **extra: Any,
) -> Scenario:
    rounds = [one_round(participants or list(actors)[:2], list(issues), venue="Geneva")]
    return build_scenario(issues, actors, rounds, **extra)


ISSUES = {"enlargement": {"status_quo": 70}, "missiles": {"status_quo": 50}}


def test_agreement_when_every_issue_has_a_zopa() -> None:
    s = build(
        {
            "russia": {"name": "Russia", "discount": 0.9, "positions": {"missiles": stance(0, 60)}},
            "us": {"name": "US", "discount": 0.8, "positions": {"missiles": stance(100, 40)}},
        },
        {"missiles": {"status_quo": 50}},
    )
    result = analyze(s)
    assert result.predicted_class == "agreement"
    assert result.full_agreement_possible and result.blocking == {}
    assert result.bargaining is not None  # two-party with a full ZOPA
    assert result.rubinstein is not None  # two-party, one issue
    assert result.rubinstein.proposer_share == pytest.approx(0.2 / 0.28)


def linked(linkage: bool, war: dict[str, Any] | None = None) -> Scenario:
    russia: dict[str, Any] = {
        "name": "Russia",
        "linkage": linkage,
        "positions": {"enlargement": stance(0, 20, core=True), "missiles": stance(0, 60)},
    }
    if war is not None:
        russia["war"] = war
    return build(
        {
            "russia": russia,
            "us": {
                "name": "US",
                "positions": {"enlargement": stance(100, 70), "missiles": stance(100, 40)},
            },
        },
        ISSUES,
    )


def test_linked_package_without_a_zopa_is_deadlock() -> None:
    result = analyze(linked(True))
    assert result.predicted_class == "deadlock"
    assert result.blocking == {"enlargement": [("russia", "us")]}
    assert result.bargaining is None
    assert any("package" in reason for reason in result.reasons)


def test_unlinked_issues_give_partial() -> None:
    result = analyze(linked(False))
    assert result.predicted_class == "partial"
    assert result.zopa["missiles"].feasible and not result.zopa["enlargement"].feasible


def test_war_when_war_beats_the_status_quo_and_a_core_demand_is_unmet() -> None:
    war = {"against": "us", "win_probability": 0.9, "cost": 0.05}
    result = analyze(linked(True, war))
    # Russia's status quo: enlargement 70 (value 0.3), missiles 50 (0.5) → 0.4 < 0.85.
    assert result.status_quo_utilities["russia"] == pytest.approx(0.4)
    assert result.predicted_class == "war"
    (pair,) = result.fearon
    assert pair.war_value == pytest.approx(0.85)


def test_no_war_when_war_is_worth_less_than_the_status_quo() -> None:
    war = {"against": "us", "win_probability": 0.3, "cost": 0.2}
    assert analyze(linked(True, war)).predicted_class == "deadlock"


def test_only_procedural_issues_feasible_means_talks_continue() -> None:
    issues = {
        "enlargement": {"status_quo": 70},
        "further_talks": {"status_quo": 0, "procedural": True},
    }
    s = build(
        {
            "russia": {
                "name": "Russia",
                "positions": {"enlargement": stance(0, 20), "further_talks": stance(100, 0)},
            },
            "us": {
                "name": "US",
                "positions": {"enlargement": stance(100, 70), "further_talks": stance(100, 50)},
            },
        },
        issues,
    )
    assert analyze(s).predicted_class == "talks_continue"


def test_to_dict_is_json_friendly() -> None:
    result = analyze(linked(True, {"against": "us", "win_probability": 0.9, "cost": 0.05}))
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)
    again = json.loads(text)
    assert again["predicted_class"] == "war"
    assert again["zopa"]["enlargement"]["feasible"] is False
    assert again["zopa"]["enlargement"]["blocking"] == [["russia", "us"]]
    assert again["fearon"][0]["range"] == pytest.approx([0.85, 0.9])  # US cost 0: no war entry
    assert set(again) >= {
        "zopa",
        "full_agreement_possible",
        "blocking",
        "bargaining",
        "rubinstein",
        "fearon",
        "predicted_class",
        "reasons",
    }


def test_predicted_class_is_one_of_the_simulation_classes() -> None:
    for scenario in (linked(True), linked(False)):
        assert analyze(scenario).predicted_class in PREDICTED_CLASSES


def test_expected_utility_scenario_is_forecast() -> None:
    path = ROOT / "scenarios" / "forecasting" / "ec_emissions.yaml"
    s = Scenario.model_validate(yaml.safe_load(path.read_text()))
    result = analyze(s)
    rounds = result.expected_utility["emission_standards"]
    assert len(rounds) == 3
    assert rounds[0].new_median == pytest.approx(8.4, abs=0.05)
    json.dumps(result.to_dict(), allow_nan=False)


def test_import_is_light_and_analysis_needs_no_mesa() -> None:
    code = (
        "import sys, sim.analysis\n"
        "assert 'nashpy' not in sys.modules and 'mesa' not in sys.modules\n"
        "import yaml\n"
        "from sim.scenario.schema import Scenario\n"
        f"s = Scenario.model_validate(yaml.safe_load(open({str(EC_EMISSIONS)!r})))\n"
        "sim.analysis.analyze(s)\n"
        "assert 'mesa' not in sys.modules, 'analysis imported mesa'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_an_issue_only_one_forecaster_holds_is_not_forecast() -> None:
    """As in the model: the expected-utility forecast needs two actors with a position."""
    scenario = build_scenario(
        {"x": {"status_quo": 50}, "y": {"status_quo": 50}},
        {
            "a": {"name": "A", "positions": {"x": stance(0, 60), "y": stance(0, 60)}},
            "b": {"name": "B", "positions": {"x": stance(100, 40)}},
        },
        [one_round(["a", "b"], ["x", "y"], protocol="expected_utility")],
    )
    analysis = analyze(scenario)
    assert list(analysis.expected_utility) == ["x"]
    json.dumps(analysis.to_dict(), allow_nan=False)
