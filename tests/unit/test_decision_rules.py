"""Decision rules for blocs: consensus, sufficient consensus and qualified majority.

Consistency tests of the rules docs/model.md (section 7.9) states. Five parties
sit as one bloc facing a government on x (0 = the parties' aim, 100 = the
government's); the government takes nothing below 50. Parties a and b accept
up to 70, c and d up to 80, and e nothing above 20.
"""

from __future__ import annotations

from typing import Any

import pytest
from builders import actor, build, one_round, position
from pydantic import ValidationError

import sim

LINES = {"a": 70, "b": 70, "c": 80, "d": 80, "e": 20}


def table(**rule: Any) -> sim.Scenario:
    actors = {
        p: actor(p.upper(), {"x": position(0, line)}, no_deal=0.2) for p, line in LINES.items()
    }
    actors["gov"] = actor("Government", {"x": position(100, 50)}, no_deal=0.2)
    bloc = {"members": list(LINES), "speaker": "a", **rule}
    return build(
        {"x": {"status_quo": 50}},
        actors,
        [one_round(["parties", "gov"], ["x"], hours=5)],
        blocs={"parties": bloc},
    )


def test_by_consensus_the_minor_members_objection_blocks_every_deal() -> None:
    result = sim.run(table(), seed=1)
    assert result.outcome.agreed["x"] is None


def test_a_sufficient_consensus_table_agrees_over_one_minor_members_objection() -> None:
    rule = {"decision": "sufficient_consensus", "required": ["a", "b"], "share": 0.5}
    agreed = sim.run(table(**rule), seed=1).outcome.agreed["x"]
    assert agreed is not None and 50 <= agreed.position <= 70


def test_sufficient_consensus_fails_when_too_few_of_the_others_agree() -> None:
    rule = {"decision": "sufficient_consensus", "required": ["a", "b"], "share": 1.0}
    assert sim.run(table(**rule), seed=1).outcome.agreed["x"] is None


@pytest.mark.parametrize(("weight_e", "agrees"), [(1.0, True), (10.0, False)])
def test_a_qualified_majority_weighs_the_objection(weight_e: float, agrees: bool) -> None:
    """Two thirds of the weight: e's objection (1 of 5, or 10 of 14) blocks only when heavy."""
    weights = {"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": weight_e}
    rule = {"decision": "qualified_majority", "share": 2 / 3, "weights": weights}
    agreed = sim.run(table(**rule), seed=1).outcome.agreed["x"]
    assert (agreed is not None) is agrees


def test_fields_a_rule_would_not_use_are_refused() -> None:
    with pytest.raises(ValidationError, match="blocs.parties.share: consensus needs every member"):
        table(share=0.5)
    with pytest.raises(ValidationError, match="blocs.parties.share: sufficient_consensus needs"):
        table(decision="sufficient_consensus")
    with pytest.raises(ValidationError, match="blocs.parties.required.0: 'z' is not a member"):
        table(decision="sufficient_consensus", share=0.5, required=["z"])
