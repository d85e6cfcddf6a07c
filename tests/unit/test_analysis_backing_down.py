"""`sim analyze` reads the red lines a principal would give up at home (model section 7.38).

Worked by hand on ``scenarios/textbook/backing_down.yaml`` at the means: A's
demand on the post is its ideal, 100, worth 0 to B; B's value of no deal is the
war A threatens, 1 - 0.8 - 0.3 = -0.1 (A's war, 0.8 - 0.1 = 0.7, beats its
status quo 0). 0 > -0.1, so B's red line moves to 100, the post has a ZOPA at
100 worth 1 to A (above its war, 0.7) and 0 to B (above -0.1): agreement.
"""

from __future__ import annotations

from pathlib import Path

import sim

SCENARIO = Path(__file__).parents[2] / "scenarios" / "textbook" / "backing_down.yaml"


def test_the_analysis_sees_b_back_down_to_a_credible_threat() -> None:
    analysis = sim.analyze(sim.load_scenario(SCENARIO))
    assert analysis.predicted_class == "agreement"
    assert analysis.reasons[0] == (
        "b backs down at home on post: the other side's demand is worth 0.00 to it more than "
        "holding out (-0.10)"
    )
    assert analysis.zopa["post"].interval is None  # the ZOPA as written is still reported


def test_no_back_down_against_a_threat_that_is_not_credible() -> None:
    """A's war cost 0.85: its war, -0.05, is below its status quo; B's no deal is the post (1)."""
    scenario = sim.load_scenario(SCENARIO).with_overrides({"actors.a.war.cost": 0.85})
    analysis = sim.analyze(scenario)
    assert not any("backs down" in reason for reason in analysis.reasons)
    assert analysis.predicted_class == "deadlock"


def test_no_back_down_with_a_fixed_mandate_or_a_single_round() -> None:
    fixed = sim.load_scenario(SCENARIO).with_overrides({"actors.b.mandate.soften": 0.0})
    assert sim.analyze(fixed).predicted_class == "war"
    one_round = sim.load_scenario(SCENARIO).with_overrides(
        {"rounds": [sim.load_scenario(SCENARIO).rounds[0].model_dump(mode="json")]}
    )
    assert sim.analyze(one_round).predicted_class == "war"  # no return home before a table


def test_the_audience_cost_of_an_actor_that_can_escalate_holds_the_line() -> None:
    """B with a ladder pays its audience cost 0.2: 0 - 0.2 < -0.1, so it holds and A fights."""
    scenario = sim.load_scenario(SCENARIO)
    raw = scenario.model_dump(mode="json", exclude_none=True)
    raw["actors"]["b"]["escalation"] = ["rally"]
    raw["actors"]["b"]["mandate"]["audience_cost"] = 0.2
    raw["escalation_ladder"] = {"rally": {"severity": 1, "description": "B rallies its public"}}
    assert sim.analyze(sim.Scenario.model_validate(raw)).predicted_class == "war"
