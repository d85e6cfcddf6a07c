"""Rubinstein (1982), Econometrica 50(1): the subgame-perfect alternating-offers split.

Published result: the first proposer gets (1 − δ2)/(1 − δ1δ2) and agreement is
immediate; the finite-horizon game (last proposer takes all) converges to it.
"""

from __future__ import annotations

import pytest
from builders import actor, build, one_round, position
from hypothesis import given
from hypothesis import strategies as st

from sim.analysis.rubinstein import (
    rubinstein_split,
    spe_finite_share,
    spe_share,
)

deltas = st.floats(min_value=0.01, max_value=0.99)


@given(deltas, deltas, st.integers(min_value=1, max_value=400))
def test_finite_horizon_error_shrinks_geometrically(d1: float, d2: float, horizon: int) -> None:
    """|x_T − x*| ≤ (δ1δ2)^⌊(T−1)/2⌋: every two offers multiply the error by δ1δ2."""
    error = abs(spe_finite_share(d1, d2, horizon) - (1 - d2) / (1 - d1 * d2))
    assert error <= (d1 * d2) ** ((horizon - 1) // 2) + 1e-12


@given(deltas, deltas)
def test_finite_horizon_converges_to_the_infinite_share(d1: float, d2: float) -> None:
    """Tolerance 1e-9 at T = 3000 (the bound above is below 1e-12 there for δ ≤ 0.99)."""
    assert spe_finite_share(d1, d2, 3000) == pytest.approx((1 - d2) / (1 - d1 * d2), abs=1e-9)


@given(deltas, deltas)
def test_stationarity_of_the_two_equilibrium_demands(d1: float, d2: float) -> None:
    """x1 = 1 − δ2·x2 and x2 = 1 − δ1·x1: each offers the other its discounted share."""
    x1, x2 = spe_share(d1, d2), spe_share(d2, d1)
    assert x1 == pytest.approx(1 - d2 * x2, abs=1e-12)
    assert x2 == pytest.approx(1 - d1 * x1, abs=1e-12)
    assert 0.0 <= x1 <= 1.0


@given(deltas, deltas, st.floats(min_value=0.001, max_value=0.009))
def test_patience_is_power(d1: float, d2: float, step: float) -> None:
    """The share rises with one's own patience and falls with the other's."""
    if d1 + step < 1:
        assert spe_share(d1 + step, d2) >= spe_share(d1, d2)
    if d2 + step < 1:
        assert spe_share(d1, d2 + step) <= spe_share(d1, d2)


@given(deltas)
def test_first_mover_advantage_with_equal_patience(delta: float) -> None:
    """Equal δ: the proposer gets 1/(1 + δ) > 1/2, tending to 1/2 as δ → 1."""
    assert spe_share(delta, delta) == pytest.approx(1 / (1 + delta), abs=1e-12)
    assert spe_share(delta, delta) > 0.5


def test_limits_and_extremes() -> None:
    assert spe_share(1.0, 1.0) == 0.5
    assert spe_share(0.5, 0.0) == 1.0  # an impatient responder takes anything
    assert spe_share(0.0, 0.5) == pytest.approx(0.5)
    assert spe_finite_share(0.9, 0.8, 1) == 1.0  # the last proposer takes all
    assert spe_finite_share(0.9, 0.8, 2) == pytest.approx(0.2)  # = 1 − δ2
    with pytest.raises(ValueError):
        spe_finite_share(0.9, 0.8, 0)
    with pytest.raises(ValueError):
        spe_share(1.2, 0.5)


def test_two_party_one_issue_scenario_split() -> None:
    """δ1 = 0.9, δ2 = 0.8: the proposer gets 0.2/0.28 = 5/7 of the way to its ideal."""
    s = build(
        {"pie": {"status_quo": 0, "scale": [0, 1]}},
        {
            "a": actor("A", {"pie": position(1, 0)}, discount=0.9),
            "b": actor(
                "B",
                {"pie": position(0, 1)},
                discount={"dist": "uniform", "low": 0.7, "high": 0.9},
            ),
        },
        [one_round(["a", "b"], ["pie"], hours=5)],
        name="pie",
    )
    split = rubinstein_split(s)
    assert split is not None
    assert (split.first_proposer, split.responder) == ("a", "b")
    assert split.responder_delta == pytest.approx(0.8)
    assert split.proposer_share == pytest.approx(5 / 7, abs=1e-12)
    assert split.position == pytest.approx(5 / 7, abs=1e-12)
    assert split.exchanges == 10
    # Ten offers: x_10 = (1 − δ2)(1 + δ1δ2 + … + (δ1δ2)^4), the partial sum of Rubinstein's series.
    assert split.finite_share == pytest.approx(0.2 * (1 - 0.72**5) / (1 - 0.72), abs=1e-12)


def test_not_applicable_with_two_issues() -> None:
    s = build(
        {"x": {"status_quo": 0}, "y": {"status_quo": 0}},
        {"a": actor("A"), "b": actor("B")},
        [one_round(["a", "b"], ["x", "y"], hours=1)],
        name="two",
    )
    assert rubinstein_split(s) is None
