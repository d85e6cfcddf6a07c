"""A stake in others' wars: a bystander drawn into a war between two others (model §7.37).

On the shipped ``textbook/war_stakes.yaml``: A demands T's province (core,
red line 50) and would go to war against T (p = 0.6, cost 0.1, worth 0.5 to A
against 0 with no deal, so certainly: nobody's type is private). B negotiates
with A; its province weighs 1 against 3 for interests no war touches, so on
its own account A's war (A's ideal imposed) costs it a quarter of its utility.
Its war stake on T is 0.5.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.batch.eligible import why_not
from sim.cli import main
from sim.errors import UserError
from sim.model.model import NegotiationModel
from sim.scenario.loader import load_scenario_text

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "textbook" / "war_stakes.yaml"
TEXT = SCENARIO.read_text(encoding="utf-8")


def stakes(**overrides: object) -> sim.Scenario:
    return sim.load_scenario(SCENARIO).with_overrides(dict(overrides))


def offers_by(result: sim.RunResult, actor: str) -> list[float]:
    return [
        e.package["province"] for e in result.transcript if e.kind == "offer" and e.actor == actor
    ]


def test_with_the_stake_the_bystander_cedes_what_the_aggressor_needs() -> None:
    result = sim.run(stakes(), seed=1)
    assert result.outcome.outcome_class == "agreement"
    ceded = result.outcome.agreed["province"].position
    # A's red line is 50. B's BATNA on the province is 1 − 0.25 (A's demand imposed)
    # − 0.5 · 1 (its stake times the odds of the war) = 0.25: B signs nothing worth
    # less to it on the province, so nothing past 75.
    assert 50 <= ceded <= 75
    assert not any(e.kind == "war" for e in result.transcript)


def test_without_the_stake_the_bystander_rejects_and_the_war_comes() -> None:
    result = sim.run(stakes(**{"actors.b.war_stakes": {}}), seed=1)
    assert result.outcome.agreed["province"] is None
    assert result.outcome.outcome_class == "war"
    # B's floor is its BATNA, 1 − 0.25 = 0.75 on the province: it offers at most 25,
    # short of A's red line at 50.
    offered = offers_by(result, "b")
    assert offered and max(offered) <= 25 + 1e-9
    with_stake = offers_by(sim.run(stakes(), seed=1), "b")
    assert max(with_stake) > 25


def batna_of_b(scenario: sim.Scenario) -> float:
    model = NegotiationModel(scenario, rng=1)
    return model.batna(model.actors["b"], ["province"])


def test_the_stake_lowers_the_batna_by_the_odds_of_the_war_times_the_cost() -> None:
    without = batna_of_b(stakes(**{"actors.b.war_stakes": {}}))
    # Before the talks B has not faced A across a table, so A is no opponent of B's yet
    # and no third-party threat counts (§7.13): N_B = 1, the province stays with T.
    # The stake counts whoever fights the war.
    assert without == pytest.approx(1.0)
    assert without - batna_of_b(stakes()) == pytest.approx(0.5 * 1.0)
    assert without - batna_of_b(stakes(**{"actors.b.war_stakes.t": 0.2})) == pytest.approx(0.2)


def test_the_odds_are_the_believed_share_of_the_aggressors_types_that_fight() -> None:
    # A's cost of war is private: 0.1 (war worth 0.5 > no deal 0) with probability 0.3,
    # or 0.7 (war worth −0.1 < 0) with probability 0.7. B's odds of the war are 0.3.
    private = {"actors.a.war.cost": {"dist": "choice", "values": [0.1, 0.7], "probs": [0.3, 0.7]}}
    without = batna_of_b(stakes(**private, **{"actors.b.war_stakes": {}}))
    assert without - batna_of_b(stakes(**private)) == pytest.approx(0.5 * 0.3)


def test_no_stake_counts_while_the_aggressors_core_demand_is_off_the_agenda() -> None:
    model = NegotiationModel(stakes(), rng=1)
    # The war comes over the province alone: B's interests elsewhere carry no war risk.
    assert model.batna(model.actors["b"], ["interests"]) == pytest.approx(1.0)


def test_a_war_fought_costs_the_holder_its_stake() -> None:
    # A's red line at 90: B, whose floor on the province is 0.25, cedes at most 75.
    harder = {"actors.a.positions.province.red_line": 90}
    fought = sim.run(stakes(**harder), seed=1).outcome
    assert fought.outcome_class == "war"
    # B keeps the final state (province 0, interests 100: worth 1) less its stake.
    assert fought.utilities["b"] == pytest.approx(1 - 0.5)
    alone = sim.run(stakes(**harder, **{"actors.b.war_stakes": {}}), seed=1).outcome
    assert alone.outcome_class == "war"
    assert alone.utilities["b"] == pytest.approx(1.0)


def test_the_analysis_counts_the_stake() -> None:
    # At the means A's war (0.5) beats its status quo (0): B's no deal on the province
    # is 1 − 0.5, so ceding 50 (worth 0.5 to B and to A, whose war is worth 0.5) beats
    # no deal for both. Without the stake B's no deal is 1 and only 0 would do.
    assert sim.analyze(stakes()).predicted_class == "agreement"
    assert sim.analyze(stakes(**{"actors.b.war_stakes": {}})).predicted_class == "war"


def test_the_batch_kernel_leaves_a_scenario_with_a_stake_to_the_engine() -> None:
    reasons = why_not(stakes())
    assert "b holds a stake in a war against t (the kernel plays no war)" in reasons


def refused(old: str, new: str) -> str:
    assert old in TEXT
    with pytest.raises(UserError) as info:
        load_scenario_text(TEXT.replace(old, new, 1), "war_stakes.yaml")
    return str(info.value)


@pytest.mark.parametrize(
    ("new", "where", "message"),
    [
        (
            "war_stakes: {zz: 0.5}",
            "37:22: actors.b.war_stakes.zz",
            "unknown actor 'zz' (allowed: t)",
        ),
        (
            "war_stakes: {b: 0.5}",
            "37:21: actors.b.war_stakes.b",
            "a stake in a war against itself is what that war costs it, which its no-deal "
            "value already counts (allowed: t)",
        ),
        (
            "war_stakes: {a: 0.5}",
            "37:21: actors.b.war_stakes.a",
            "no other party's war option is against 'a', so nothing uses it (allowed: t)",
        ),
        (
            "war_stakes: {t: 1.2}",
            "37:21: actors.b.war_stakes.t",
            "1.2 is out of range (allowed: 0 to 1)",
        ),
        (
            "war_stakes: {t: -0.1}",
            "37:21: actors.b.war_stakes.t",
            "-0.1 is out of range (allowed: 0 to 1)",
        ),
    ],
)
def test_a_stake_the_engine_could_not_use_is_refused_where_it_is_written(
    new: str, where: str, message: str
) -> None:
    line = refused("    war_stakes: {t: 0.5}\n", f"    {new}\n")
    assert line == f"war_stakes.yaml:{where}: {message}"


def test_a_stake_in_its_own_war_is_refused() -> None:
    # A fights T itself: its war cost says what that war costs it.
    text = refused(
        "    war: {against: t, win_probability: 0.6, cost: 0.1}\n",
        "    war: {against: t, win_probability: 0.6, cost: 0.1}\n    war_stakes: {t: 0.3}\n",
    )
    assert text == (
        "war_stakes.yaml:32:21: actors.a.war_stakes.t: 'a' would fight that war itself, and its "
        "war.cost is what it costs it (allowed: none defined)"
    )


def test_a_mediator_holding_a_stake_is_refused() -> None:
    text = refused(
        "  t:\n",
        "  envoy:\n    name: Envoy\n    role: mediator\n    war_stakes: {t: 0.5}\n  t:\n",
    )
    assert text.startswith("war_stakes.yaml:41:5: actors.envoy.war_stakes: a mediator chairs")
    assert "(allowed for a mediator: name, delegate, role, positions, guarantees;" in text


def test_a_patrons_stake_and_a_war_stake_on_the_same_client_are_refused() -> None:
    # T as B's client with a patron's stake already counts the war against T (§7.35).
    text = refused(
        "      province: {ideal: 0, red_line: 0}\n",
        "      province: {ideal: 0, red_line: 0}\n"
        "    client_of: {patron: b, defection_cost: 0.5, stake: 0.5}\n",
    )
    assert text == (
        "war_stakes.yaml:37:21: actors.b.war_stakes.t: 't' is a client of 'b' whose "
        "client_of.stake already counts a war against it (allowed: one of the two; drop "
        "this, or set actors.t.client_of.stake to 0)"
    )


def test_sim_validate_prints_one_located_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(TEXT.replace("war_stakes: {t: 0.5}", "war_stakes: {a: 0.5}"), "utf-8")
    with pytest.raises(SystemExit) as info:
        main(["validate", str(path)])
    assert info.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        f"{path}:37:21: actors.b.war_stakes.a: no other party's war option is against 'a', so "
        "nothing uses it (allowed: t)"
    ]
