"""Mediators with stakes: their positions and guarantees change a run as docs/model.md says.

Sections 7.33 (a mediator's positions) and 7.34 (guarantees). The shipped
scenarios ``textbook/mediator_aid.yaml`` and ``textbook/mediator_guarantee.yaml``
hold a border with no zone of agreement: A walks away to 0.6 (so takes no line
past 40), B to 0.5 (so none short of 50).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import actor, build, one_round, position

import sim

TEXTBOOK = Path(__file__).resolve().parents[2] / "scenarios" / "textbook"


def aid(**overrides: object) -> sim.Scenario:
    return sim.load_scenario(TEXTBOOK / "mediator_aid.yaml").with_overrides(dict(overrides))


def guarantee(**overrides: object) -> sim.Scenario:
    return sim.load_scenario(TEXTBOOK / "mediator_guarantee.yaml").with_overrides(dict(overrides))


def tabled(result: sim.RunResult, issue: str) -> list[float]:
    return [e.package[issue] for e in result.transcript if e.kind == "offer"]


def test_the_mediators_aid_closes_a_deal_that_had_no_zone() -> None:
    without = sim.run(aid(**{"rounds.0.agenda": ["border"], "actors.envoy.positions": {}}), seed=1)
    assert without.outcome.outcome_class == "deadlock"
    result = sim.run(aid(), seed=1)
    assert result.outcome.outcome_class == "agreement"
    border = result.outcome.agreed["border"].position
    paid = result.outcome.agreed["aid"].position
    assert border <= 40 + 1e-9  # inside A's walk-away
    assert (border + 2 * paid) / 300 >= 0.5 - 1e-9  # and B's


def test_the_mediators_positions_pull_the_text_toward_its_ideal() -> None:
    with_stake = sim.run(aid(), seed=1).outcome.agreed["aid"].position
    without = sim.run(aid(**{"actors.envoy.positions": {}}), seed=1).outcome.agreed["aid"].position
    assert with_stake < without
    # The opening text weighs its ideal (0) by its salience (1) beside B's (100, weight 0.5 * 2).
    assert tabled(sim.run(aid(), seed=1), "aid")[0] == pytest.approx(50)
    assert tabled(sim.run(aid(**{"actors.envoy.positions": {}}), seed=1), "aid")[0] == 100


@pytest.mark.parametrize("protocol", ["mediated", "shuttle"])
def test_the_mediator_never_tables_past_its_own_red_line(protocol: str) -> None:
    result = sim.run(aid(**{"rounds.0.protocol": protocol}), seed=1)
    assert max(tabled(result, "aid")) <= 70 + 1e-9
    assert max(tabled(result, "aid")) == pytest.approx(70)  # B's objections push it there


def test_a_mediator_pays_no_more_than_its_red_line_even_if_that_leaves_no_deal() -> None:
    # At border 40 (A's limit) B needs aid 55; an envoy that pays at most 40 cannot close it.
    result = sim.run(aid(**{"actors.envoy.positions.aid.red_line": 40}), seed=1)
    assert result.outcome.agreed["aid"] is None or result.outcome.agreed["aid"].position <= 40
    assert result.outcome.agreed["border"] is None
    assert max(tabled(result, "aid")) <= 40 + 1e-9


def test_a_signing_guarantee_closes_a_deal_that_had_no_zone() -> None:
    assert (
        sim.run(guarantee(**{"actors.envoy.guarantees": []}), seed=1).outcome.agreed["border"]
        is None
    )
    result = sim.run(guarantee(), seed=1)
    line = result.outcome.agreed["border"].position
    assert 30 - 1e-9 <= line <= 40 + 1e-9  # B takes 0.2 less from the border itself
    # B collects the promise: its final utility is the border's value plus 0.2.
    assert result.outcome.utilities["b"] == pytest.approx(line / 100 + 0.2, abs=1e-6)


def test_a_no_deal_guarantee_lowers_what_refusing_is_worth() -> None:
    promise = [{"kind": "no_deal", "to": "b", "by": -0.3}]
    result = sim.run(guarantee(**{"actors.envoy.guarantees": promise}), seed=1)
    assert 20 - 1e-9 <= result.outcome.agreed["border"].position <= 40 + 1e-9
    changes = [e.text for e in result.transcript if e.kind == "no_deal_change"]
    assert changes == ["b's no-deal value falls by 0.30 from 2024-01-01: a guarantee by envoy"]
    raised = [{"kind": "no_deal", "to": "b", "by": 0.15}]
    assert (
        sim.run(guarantee(**{"actors.envoy.guarantees": raised}), seed=1).outcome.agreed["border"]
        is None
    )


def breach_deal(promise: float | None) -> sim.Scenario:
    """A signs x in a mediated round and gains 0.5 - U_A(x) by leaving x at 50 (test_breach)."""
    a = actor("A", {"x": position(0, 80)}, no_deal=0.2, breach={"penalty": 0.05})
    b = actor("B", {"x": position(100, 60)}, no_deal=0.2)
    envoy = actor("Envoy", role="mediator")
    if promise is not None:
        envoy["guarantees"] = [{"kind": "breach_penalty", "to": "b", "against": "a", "by": promise}]
    rounds = [one_round(["a", "b"], ["x"], protocol="mediated", mediator="envoy", hours=5)]
    return build({"x": {"status_quo": 50}}, {"a": a, "b": b, "envoy": envoy}, rounds)


def test_a_breach_penalty_guarantee_deters_a_breach() -> None:
    taken = sim.run(breach_deal(None), seed=1)
    assert taken.outcome.reason.endswith("breached: x by a (detected)")
    kept = sim.run(breach_deal(0.45), seed=1)
    verdicts = [e.text for e in kept.transcript if e.kind == "breach"]
    assert len(verdicts) == 1 and verdicts[0].startswith("a keeps its word on x")
    assert "expected penalty 0.50" in verdicts[0]


def test_the_analysis_counts_the_guarantee_in_bs_value_of_no_deal() -> None:
    assert sim.analyze(guarantee()).predicted_class == "agreement"
    assert sim.analyze(guarantee(**{"actors.envoy.guarantees": []})).predicted_class == "deadlock"


def test_the_analysis_holds_the_text_inside_the_mediators_red_line() -> None:
    assert sim.analyze(aid()).zopa["aid"].interval == (0, 70)
    assert sim.analyze(aid(**{"actors.envoy.positions": {}})).zopa["aid"].interval == (0, 100)


@pytest.mark.parametrize(
    ("protocol", "says"),
    [
        ("mediated", "envoy rejects: envoy: crosses its red line on x"),
        ("shuttle", "envoy cannot sign its own text: envoy: crosses its red line on x"),
    ],
)
def test_a_mediator_signs_no_text_past_its_red_line(protocol: str, says: str) -> None:
    """On an indivisible issue whose labelled points all cross its red line, nothing is agreed."""
    scenario = build(
        {"x": {"status_quo": 0, "divisible": False, "labels": {0: "none", 100: "all"}}},
        {
            "a": actor("A", {"x": position(0, 100)}, no_deal=0.0),
            "b": actor("B", {"x": position(100, 0)}, no_deal=0.0),
            "envoy": actor("Envoy", {"x": position(50, 60)}, role="mediator"),
        },
        [one_round(["a", "b"], ["x"], protocol=protocol, mediator="envoy", hours=2)],
    )
    result = sim.run(scenario, seed=1)
    assert result.outcome.agreed["x"] is None
    assert any(e.text.startswith(says) for e in result.transcript)
    plain = scenario.with_overrides({"actors.envoy.positions": {}})
    assert sim.run(plain, seed=1).outcome.agreed["x"] is not None
