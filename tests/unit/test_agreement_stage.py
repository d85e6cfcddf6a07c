"""How far an agreement got: ``Outcome.stage`` and the ``stage`` column of a run's row.

Consistency tests of the stages docs/model.md (section 7.31) defines, one per
stage, each on a small scenario whose path through the stages is known in
advance: nothing signed; signed but refused at ratification; ratified but
never implemented, because the war under way goes on; implemented; breached.
"""

from __future__ import annotations

from test_breach import deal
from test_ongoing_war import war_under_way
from test_ratification import talks

import sim


def test_nothing_signed_is_stage_none() -> None:
    result = sim.run(war_under_way(b_believes=0.3), seed=1)
    assert result.outcome.stage == "none" and result.to_row()["stage"] == "none"


def test_a_deal_refused_at_ratification_got_only_as_far_as_signature() -> None:
    result = sim.run(talks("ratification"), seed=1)
    assert result.outcome.agreed["x"] is None
    assert result.outcome.stage == "signed"


def test_a_ratified_deal_is_implemented_in_the_aftermath() -> None:
    result = sim.run(talks("ratification", rounds=2), seed=1)
    assert result.outcome.agreed["x"] is not None
    assert result.outcome.stage == "implemented"


def test_a_ratified_term_is_not_implemented_while_the_war_goes_on() -> None:
    """Prisoners agreed and ratified, the armistice line not: the war goes on unimplemented."""
    scenario = war_under_way(b_believes=0.3)
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    data["issues"]["prisoners"] = {"status_quo": 0}
    data["actors"]["a"]["positions"]["prisoners"] = {"ideal": 100, "red_line": 0}
    data["actors"]["b"]["positions"]["prisoners"] = {"ideal": 100, "red_line": 0}
    data["actors"]["home"] = {
        "name": "B's assembly",
        "positions": {"prisoners": {"ideal": 100, "red_line": 50}},
    }
    data["vetoes"] = [
        {"holder": "home", "issues": ["prisoners"], "binds": ["b"], "stage": "ratification"}
    ]
    data["rounds"][0]["agenda"] = ["line", "prisoners"]
    result = sim.run(sim.Scenario.model_validate(data), seed=1)
    assert result.outcome.agreed["prisoners"] is not None
    assert result.outcome.outcome_class == "war"
    assert result.outcome.stage == "ratified"


def test_a_breached_term_is_stage_breached_and_a_kept_one_implemented() -> None:
    assert sim.run(deal(detection=0.0), seed=1).outcome.stage == "breached"
    assert sim.run(deal(detection=1.0), seed=1).outcome.stage == "implemented"
