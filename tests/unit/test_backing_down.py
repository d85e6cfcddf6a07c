"""Backing down: a red line gives way when holding it costs more (docs/model.md, section 7.38).

``scenarios/textbook/backing_down.yaml``, worked by hand from the definition.
A's war lottery is worth 0.8 - 0.1 = 0.7 to it, above the status quo's 0, so
B believes no deal means war. B's value of that war as the target is
1 - 0.8 - 0.3 = -0.1 (its own lottery, 0.2 - 0.3, is no better), so its
BATNA on the post is -0.1. A's only offer, post 100, crosses B's red line of
40 and is worth 0 to B (its worst point). At home after the first round
0 - 0 > -0.1: B's principal moves the red line to 100, and A's offer is
accepted in the second round.
"""

from __future__ import annotations

from pathlib import Path

import yaml

import sim
from sim.model.model import NegotiationModel

SCENARIO = Path(__file__).parents[2] / "scenarios" / "textbook" / "backing_down.yaml"


def mandate_lines(result: sim.RunResult) -> list[str]:
    return [e.text for e in result.transcript if e.kind == "mandate"]


def test_a_credible_threat_of_war_moves_the_red_line() -> None:
    result = sim.run(sim.load_scenario(SCENARIO), seed=1)
    assert mandate_lines(result) == [
        "b backs down on post: an offer it was made is worth 0.00 to it more than holding "
        "out (-0.10); its principal authorises it: post 40.0 → 100.0"
    ]
    assert result.outcome.outcome_class == "agreement"
    post = result.outcome.agreed["post"]
    assert post is not None and post.round == "second" and post.position == 100


def test_a_threat_that_is_not_credible_moves_nothing() -> None:
    """A's war cost 0.85: its war is worth 0.8 - 0.85 < 0, so B's BATNA is the status quo (1)."""
    scenario = sim.load_scenario(SCENARIO).with_overrides({"actors.a.war.cost": 0.85})
    result = sim.run(scenario, seed=1)
    assert mandate_lines(result) == []
    assert result.outcome.outcome_class == "deadlock"


def test_a_mandate_that_cannot_be_revised_is_held_into_war() -> None:
    scenario = sim.load_scenario(SCENARIO).with_overrides({"actors.b.mandate.soften": 0.0})
    result = sim.run(scenario, seed=1)
    assert mandate_lines(result) == []
    assert result.outcome.outcome_class == "war"


def played_after_public_escalation(audience_cost: float) -> sim.RunResult:
    """B stands on a rung from the start, as if it had escalated in public."""
    raw = yaml.safe_load(SCENARIO.read_text())
    raw["actors"]["b"]["mandate"]["audience_cost"] = audience_cost
    raw["actors"]["b"]["escalation"] = ["rally"]
    raw["escalation_ladder"] = {"rally": {"severity": 1, "description": "B rallies its public"}}
    scenario = sim.Scenario.model_validate(raw)
    model = NegotiationModel(scenario, rng=1)
    model.actors["b"].rung_level = 0  # on its only rung, which puts nothing on A
    return model.run_to_end()


def test_the_audience_cost_of_a_public_escalation_can_hold_the_line() -> None:
    """0 - 0.2 < -0.1: backing down costs more than the war; 0 - 0.05 > -0.1: it does not."""
    held = played_after_public_escalation(0.2)
    assert mandate_lines(held) == []
    assert held.outcome.outcome_class == "war"
    given = played_after_public_escalation(0.05)
    assert mandate_lines(given) == [
        "b backs down on post: an offer it was made is worth 0.00 to it, less the audience "
        "cost 0.05, more than holding out (-0.10); its principal authorises it: "
        "post 40.0 → 100.0"
    ]
    assert given.outcome.outcome_class == "agreement"


def test_a_red_line_is_not_given_up_for_nothing() -> None:
    """With issues settled apart, conceding a claim that only keeps the status quo gains nothing.

    The PLO's red lines on Jerusalem, settlements and refugees are never given
    up in the Oslo file: Israel's offers there are the status quo, worth no
    more than holding out, so only the issues that buy something move.
    """
    oslo = Path(__file__).parents[2] / "scenarios" / "history" / "oslo_1993.yaml"
    for seed in range(1, 6):
        result = sim.run(sim.load_scenario(oslo), seed=seed)
        for line in mandate_lines(result):
            if "backs down" in line:
                assert line.startswith("plo backs down on self_government") or line.startswith(
                    "israel backs down on self_government"
                ), line
        agreed = {i for i, a in result.outcome.agreed.items() if a is not None}
        assert agreed <= {"self_government", "recognition"}
