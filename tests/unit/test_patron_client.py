"""Patron and client: the patron accepts for its client, shares its wars, and may be defied.

Docs/model.md section 7.35, on the shipped ``textbook/patron_client.yaml``: G
demands C's territory and would go to war for it (p = 0.8, cost 0.1); C's
patron P speaks for the bloc {P, C}; C puts G's odds at 0.3, so the deal P
accepts is worth less to C than fighting (0.7).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import actor, build, one_round, position

import sim
from sim.model.model import NegotiationModel

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "textbook" / "patron_client.yaml"


def patron(**overrides: object) -> sim.Scenario:
    return sim.load_scenario(SCENARIO).with_overrides(dict(overrides))


def verdicts(result: sim.RunResult) -> list[str]:
    return [e.text for e in result.transcript if e.kind == "defection"]


def test_a_costly_defection_binds_the_client_to_its_patrons_deal() -> None:
    result = sim.run(patron(), seed=1)
    assert result.outcome.outcome_class == "agreement"
    ceded = result.outcome.agreed["territory"].position
    assert ceded > 50  # past C's red line (0): C had no veto of its own
    worth = 1 - ceded / 100
    assert verdicts(result) == [
        f"c is bound by the deal on territory its patron p accepted: worth {worth:.2f} to it "
        "≥ no deal 0.70 − defection cost 0.70"
    ]


def test_a_cheap_defection_lets_the_client_defect_and_the_deal_fails() -> None:
    result = sim.run(patron(**{"actors.c.client_of.defection_cost": 0.1}), seed=1)
    assert result.outcome.agreed["territory"] is None
    assert verdicts(result)[0].startswith("c defects from the deal on territory its patron p")
    assert result.outcome.outcome_class == "war"  # G's core demand is unmet again
    assert "c defects from the deal on territory" in result.outcome.reason
    assert result.outcome.reason.endswith("− defection cost 0.10, so the deal failed")
    # The defector pays its defection cost on top of the war: 1 − 0.8 − 0.1.
    assert result.outcome.utilities["c"] == pytest.approx(0.1)


def test_without_a_patron_the_client_vetoes_the_deal_in_its_bloc() -> None:
    result = sim.run(patron(**{"actors.c.client_of": None}), seed=1)
    assert result.outcome.agreed["territory"] is None
    # The bloc's offers must respect C's red line (0): it never offers G any territory.
    offers = [
        e.package["territory"]
        for e in result.transcript
        if e.kind == "offer" and e.actor == "allies"
    ]
    assert offers and max(offers) == 0
    with_patron = sim.run(patron(), seed=1)
    assert (
        max(
            e.package["territory"]
            for e in with_patron.transcript
            if e.kind == "offer" and e.actor == "allies"
        )
        > 0
    )


def test_the_patrons_stake_changes_its_acceptance() -> None:
    # Without a stake a war on C costs P only its share of the territory (its other
    # interests weigh 3 to 1): P's floor stays above what G's red line allows.
    alone = sim.run(patron(**{"actors.c.client_of.stake": 0.0}), seed=1)
    assert alone.outcome.agreed["territory"] is None
    assert alone.outcome.outcome_class == "war"
    shared = sim.run(patron(), seed=1)
    assert shared.outcome.agreed["territory"].position >= 50
    model = NegotiationModel(patron(), rng=1)
    with_stake = model.batna(model.actors["p"], ["territory"])
    model = NegotiationModel(patron(**{"actors.c.client_of.stake": 0.0}), rng=1)
    without = model.batna(model.actors["p"], ["territory"])
    # C's war loss as P sees it: N_C (1) − (1 − 0.8) = 0.8, times the stake 1.
    assert without - with_stake == pytest.approx(1.0 * 0.8)


def test_a_patron_at_war_over_its_client_counts_its_stake_in_the_loss() -> None:
    result = sim.run(patron(**{"actors.c.client_of.defection_cost": 0.1}), seed=1)
    assert result.outcome.utilities["p"] == pytest.approx(1 - 1.0 * 0.8)


def weighted(patron_agrees: bool) -> sim.Scenario:
    """A qualified-majority bloc where a client's weight follows its patron's vote."""
    line = 60 if patron_agrees else 30
    members = {
        "lead": actor("Lead", {"x": position(0, 60)}),
        "p": actor("P", {"x": position(0, line)}),
        "c": actor("C", {"x": position(0, 10)}, client_of={"patron": "p", "defection_cost": 1}),
        "other": actor("Other", {"x": position(50, 50)}, strategy={"kind": "hardliner"}),
    }
    bloc = {
        "members": ["lead", "p", "c"],
        "speaker": "lead",
        "decision": "qualified_majority",
        "share": 0.6,
        "weights": {"lead": 1, "p": 1, "c": 2},
    }
    return build(
        {"x": {"status_quo": 100}},
        members,
        [one_round(["bloc", "other"], ["x"], hours=5, first_proposer="other")],
        blocs={"bloc": bloc},
    )


@pytest.mark.parametrize(("patron_agrees", "agreed"), [(True, True), (False, False)])
def test_a_clients_weight_follows_its_patron(patron_agrees: bool, agreed: bool) -> None:
    result = sim.run(weighted(patron_agrees), seed=1)
    assert (result.outcome.agreed["x"] is not None) is agreed


def test_the_analysis_leaves_the_client_out_and_counts_the_patrons_stake() -> None:
    analysis = sim.analyze(patron())
    assert "c" not in analysis.zopa["territory"].constraints
    assert analysis.predicted_class == "agreement"
    assert sim.analyze(patron(**{"actors.c.client_of.stake": 0.0})).predicted_class == "war"
