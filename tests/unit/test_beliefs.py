"""Beliefs over private types: priors, Bayes' rule on offers, rejections and costly rungs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import actor, build, one_round, position

import sim
from sim.model.beliefs import TREMBLE, Belief, prior_belief
from sim.model.model import NegotiationModel


def test_bayes_rule_with_a_tremble() -> None:
    belief = Belief("x", [{"c": 0.1}, {"c": 0.3}], [0.5, 0.5])
    moved = belief.condition([TREMBLE, 1.0], report=["c"])
    assert belief.weights == pytest.approx([TREMBLE / (1 + TREMBLE), 1 / (1 + TREMBLE)])
    assert moved["c"] == pytest.approx((0.2, 0.1 * belief.weights[0] + 0.3 * belief.weights[1]))


def test_an_uninformative_move_teaches_nothing() -> None:
    belief = Belief("x", [{"c": 0.1}, {"c": 0.3}], [0.5, 0.5])
    assert belief.condition([1.0, 1.0], report=["c"]) == {}
    assert belief.version == 0


def private_red_line() -> sim.Scenario:
    """A's red line on x is private, uniform on [20, 60]; B's is known."""
    return build(
        {"x": {"status_quo": 50}},
        {
            "a": actor("A", {"x": position(0, {"dist": "uniform", "low": 20, "high": 60})}),
            "b": actor("B", {"x": position(100, 40)}),
        },
        [one_round(["a", "b"], ["x"])],
    )


def test_a_continuous_prior_is_held_as_quantiles_with_both_ends() -> None:
    scenario = private_red_line()
    belief = prior_belief(
        scenario.actors["b"], "a", scenario.actors["a"], scenario, np.random.default_rng(0)
    )
    lines = sorted(p["red_line.x"] for p in belief.particles)
    assert lines[0] == pytest.approx(20) and lines[-1] == pytest.approx(60)
    assert belief.mean("red_line.x", 0) == pytest.approx(40)


def test_an_offer_rules_out_the_types_whose_red_line_it_crosses() -> None:
    """A proposes 45: every type of A whose red line lies below 45 would never have offered it."""
    scenario = private_red_line()
    model = NegotiationModel(scenario, rng=1)
    before = model.actors["b"].beliefs["a"].mean("red_line.x", 0)
    model.learn_from_offer(model.actors["a"], {"x": 45.0})
    after = model.actors["b"].beliefs["a"].mean("red_line.x", 0)
    assert before == pytest.approx(40) and after > 50


def test_the_transcript_says_when_a_belief_moves() -> None:
    root = Path(__file__).resolve().parents[2]
    scenario = sim.load_scenario(
        root / "scenarios" / "textbook" / "fearon_take_it_or_leave_it.yaml"
    )
    lines = [
        e.text
        for seed in range(20)
        for e in sim.run(scenario, seed=seed).transcript
        if e.kind == "belief"
    ]
    assert any(line.startswith("a now puts b's cost of war at") for line in lines)


def test_an_observer_may_hold_a_prior_of_its_own_about_a_cost_of_war() -> None:
    """B's own prior on A's cost of war replaces the common prior, and enters B's value of no deal."""
    issues = {"x": {"status_quo": 0}}
    rounds = [one_round(["a", "b"], ["x"])]

    def scenario(prior: object) -> sim.Scenario:
        b = actor("B", {"x": position(0, 100)})
        if prior is not None:
            b["beliefs"] = {"a": {"war_cost": prior}}
        a = actor("A", {"x": position(100, 50, core=True)})
        a["war"] = {"against": "b", "win_probability": 0.7, "cost": 0.1}
        return build(issues, {"a": a, "b": b}, rounds)

    common = NegotiationModel(scenario(None), rng=1)
    own = NegotiationModel(scenario({"dist": "uniform", "low": 0.75, "high": 0.85}), rng=1)
    assert common.actors["b"].beliefs["a"].mean("war_cost", 0.1) == pytest.approx(0.1)
    assert own.actors["b"].beliefs["a"].mean("war_cost", 0.1) == pytest.approx(0.8)
    # Believing A's war costly, B no longer fears it: its value of no deal stays the status quo.
    assert common.batna(common.actors["b"], ["x"]) < own.batna(own.actors["b"], ["x"])


def ultimatum(prior: object = None) -> sim.Scenario:
    """A demands a share x of one good; B accepts x up to its red line, uniform on [0.3, 0.7].

    Under that common prior A's demand maximises ``x * P(r >= x) = x (0.7 - x) / 0.4``
    at x = 0.35. A prior of A's own, uniform on [0.5, 0.9], gives ``x (0.9 - x)``,
    whose maximum 0.45 lies below the support, so the demand is 0.5.
    """
    a = actor("A", {"x": position(1, 0.01)}, no_deal=0.0, strategy={"kind": "strategic"})
    if prior is not None:
        a["beliefs"] = {"b": {"red_lines": {"x": prior}}}
    b = actor(
        "B",
        {"x": position(0, {"dist": "uniform", "low": 0.3, "high": 0.7})},
        no_deal=0.0,
        strategy={"kind": "strategic"},
    )
    one_offer = one_round(["a", "b"], ["x"], hours=0.5, exchanges_per_hour=2)
    return build({"x": {"scale": [0, 1], "status_quo": 0}}, {"a": a, "b": b}, [one_offer])


def first_demand(scenario: sim.Scenario) -> float:
    offer = next(e for e in sim.run(scenario, seed=0).transcript if e.kind == "offer")
    return offer.package["x"]


def test_an_observer_may_hold_a_prior_of_its_own_about_a_red_line() -> None:
    assert first_demand(ultimatum()) == pytest.approx(0.35, abs=0.01)
    own = {"dist": "uniform", "low": 0.5, "high": 0.9}
    assert first_demand(ultimatum(own)) == pytest.approx(0.5, abs=0.01)


def test_an_observer_may_hold_a_prior_of_its_own_about_risk_acceptance() -> None:
    """B's war lottery 0.5 ** k - 0.1, k = 2 ** (1 - 2 rho): 0.57 if rho = 0.9, 0.20 if 0.1.

    B's status quo is worth 0.4 to it, so only a risk-acceptant B would fight,
    and only A's belief about B's risk acceptance decides whether A fears war.
    """
    issues = {"x": {"status_quo": 40}}
    rounds = [one_round(["a", "b"], ["x"])]

    def scenario(prior: float) -> sim.Scenario:
        a = actor("A", {"x": position(0, 100)}, beliefs={"b": {"risk_acceptance": prior}})
        b = actor("B", {"x": position(100, 50, core=True)}, risk_acceptance=0.5)
        b["war"] = {"against": "a", "win_probability": 0.5, "cost": 0.1}
        return build(issues, {"a": a, "b": b}, rounds)

    bold = NegotiationModel(scenario(0.9), rng=1)
    timid = NegotiationModel(scenario(0.1), rng=1)
    assert bold.actors["a"].beliefs["b"].mean("risk_acceptance", 0.5) == pytest.approx(0.9)
    # A's no deal: the status quo (0.6) if B would not fight, else war: 1 - 0.5 - 0 = 0.5.
    assert timid.batna(timid.actors["a"], ["x"]) == pytest.approx(0.6)
    assert bold.batna(bold.actors["a"], ["x"]) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("belief", "message"),
    [
        (
            {"red_lines": {"y": 50}},
            "actors.a.beliefs.b.red_lines.y: 'b' holds no position on 'y' (allowed: x)",
        ),
        (
            {"red_lines": {"x": {"dist": "uniform", "low": 50, "high": 120}}},
            "actors.a.beliefs.b.red_lines.x: 50 to 120 is outside the scale (allowed: 0 to 100)",
        ),
        (
            {"war_cost": 0.2},
            "actors.a.beliefs.b.war_cost: 'b' has no war option, so nothing uses this prior",
        ),
    ],
)
def test_a_prior_the_engine_would_not_use_is_refused(belief: dict, message: str) -> None:
    from pydantic import ValidationError

    a = actor("A", {"x": position(0, 60)}, beliefs={"b": belief})
    b = actor("B", {"x": position(100, 40)})
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build({"x": {"status_quo": 50}}, {"a": a, "b": b})
