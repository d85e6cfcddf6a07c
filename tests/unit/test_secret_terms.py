"""Secret terms: the audience cost guards public terms only (docs/model.md, section 7.17).

``scenarios/textbook/secret_term.yaml``: A has escalated in public, and B's
alert puts pressure 0.6 on it; with ``soften`` 1 the share by which A's
principal would soften is 0.6, below A's audience cost of 0.7. On a public
term A keeps its red line (100) and no package is inside both red lines; on
the same term kept secret the red line moves by the share toward B's ideal,
100 + 0.6 * (0 - 100) = 40, inside B's red line of 50, and a deal follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import actor, build, one_round, position
from pydantic import ValidationError

import sim

SCENARIO = Path(__file__).parents[2] / "scenarios" / "textbook" / "secret_term.yaml"


def mandate_lines(result: sim.RunResult) -> list[str]:
    return [e.text for e in result.transcript if e.kind == "mandate"]


def test_a_secret_term_escapes_the_audience_cost() -> None:
    result = sim.run(sim.load_scenario(SCENARIO), seed=1)
    assert mandate_lines(result) == [
        "a keeps its mandate on public terms: softening 0.60 would not cover the audience "
        "cost 0.70 of backing down",
        "a returns home for instructions and softens its red lines in secret under "
        "pressure: far_missiles 100.0 → 40.0",
        # B's offer (near 100, far 0) is A's worst, 0; holding out is the status quo,
        # (2 * 0 + 1 * 1) / 3, less the pressure 0.6: -0.27. Backing down would gain
        # 0.27, less than the audience cost of 0.7 (model section 7.38).
        "a keeps its mandate on near_missiles, far_missiles: an offer it was made is worth "
        "0.00 to it, more than holding out (-0.27), but not by the audience cost 0.70 of "
        "backing down",
    ]
    assert result.outcome.outcome_class == "agreement"
    far = result.outcome.agreed["far_missiles"]
    assert far is not None and far.round == "second" and 40 <= far.position <= 50


def test_the_same_term_in_public_carries_the_audience_cost() -> None:
    public = sim.load_scenario(SCENARIO).with_overrides({"issues.far_missiles.secret": False})
    result = sim.run(public, seed=1)
    held = (
        "a keeps its mandate on near_missiles, far_missiles: an offer it was made is worth "
        "0.00 to it, more than holding out (-0.27), but not by the audience cost 0.70 of "
        "backing down"
    )  # as in the secret case: backing down gains 0.27 < 0.7, after each of the two rounds
    assert mandate_lines(result) == [
        "a keeps its mandate: softening 0.60 would not cover the audience cost 0.70 of "
        "backing down",
        held,
        held,
    ]
    assert result.outcome.outcome_class == "deadlock"


def test_below_the_softening_share_the_audience_cost_holds_neither() -> None:
    """An audience cost of 0.5 < 0.6 holds no term back: secret or public, the same deal."""
    base = sim.load_scenario(SCENARIO).with_overrides({"actors.a.mandate.audience_cost": 0.5})
    public = base.with_overrides({"issues.far_missiles.secret": False})
    secret, open_ = sim.run(base, seed=1), sim.run(public, seed=1)
    assert secret.outcome.agreed == open_.outcome.agreed
    assert secret.outcome.outcome_class == "agreement"


def test_a_secret_term_no_one_could_use_is_refused() -> None:
    a = actor("A", {"x": position(0, 80)})
    b = actor("B", {"x": position(100, 60)})
    with pytest.raises(ValidationError, match="issues.x.secret: no actor holding it"):
        build(
            {"x": {"status_quo": 50, "secret": True}},
            {"a": a, "b": b},
            [one_round(["a", "b"], ["x"])],
        )
