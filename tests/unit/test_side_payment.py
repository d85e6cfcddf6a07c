"""A side payment closes a deal that had no zone of agreement without it.

Consistency test of the engine against the arithmetic in the scenario's header:
on the border alone A accepts no line beyond 40 and B none short of 45; with
aid on the agenda a package beats no deal for both.
"""

from __future__ import annotations

from pathlib import Path

import sim
from sim.analysis import analyze

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "textbook" / "side_payment.yaml"


def test_without_aid_there_is_no_zone_and_no_deal() -> None:
    border_only = sim.load_scenario(SCENARIO).with_overrides({"rounds.0.agenda": ["border"]})
    assert sim.run(border_only, seed=1).outcome.outcome_class == "deadlock"
    assert analyze(border_only).predicted_class == "deadlock"


def test_aid_buys_a_deal_both_prefer_to_no_deal() -> None:
    result = sim.run(sim.load_scenario(SCENARIO), seed=1)
    agreed = result.outcome.agreed
    assert result.outcome.outcome_class == "agreement"
    assert agreed["aid"] is not None and agreed["aid"].position > 0  # B pays
    assert agreed["border"] is not None and agreed["border"].position > 45  # A moves the line
    # Each side's utility beats its no-deal value: A 0.6 on the border and 0 on aid, B 0.45.
    assert result.outcome.utilities["a"] >= (0.6 + 0.0) / 2
    assert result.outcome.utilities["b"] >= 0.45
