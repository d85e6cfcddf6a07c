"""2×2 crisis games solved by nashpy."""

from __future__ import annotations

import warnings

import pytest

from sim.analysis.games import (
    bimatrix,
    chicken,
    equilibria,
    mixed_equilibrium_probability,
    prisoners_dilemma,
    stag_hunt,
)


def test_prisoners_dilemma_has_only_mutual_defection() -> None:
    solution = equilibria(prisoners_dilemma())
    assert not solution.degenerate
    assert [(e.row, e.column) for e in solution.equilibria] == [((0.0, 1.0), (0.0, 1.0))]
    assert solution.equilibria[0].payoffs == (1.0, 1.0)
    assert mixed_equilibrium_probability(prisoners_dilemma(), "cooperate") is None


def test_chicken_has_two_pure_and_one_mixed_equilibrium() -> None:
    solution = equilibria(chicken())
    assert [e.pure for e in solution.equilibria] == [True, True, False]
    pure = {(e.row, e.column) for e in solution.equilibria if e.pure}
    assert pure == {((0.0, 1.0), (1.0, 0.0)), ((1.0, 0.0), (0.0, 1.0))}


@pytest.mark.parametrize(
    ("reward", "temptation", "sucker", "punishment"),
    [(0, 1, -1, -10), (3, 4, 1, 0), (2, 5, 1, -20)],
)
def test_chicken_mixed_probability_of_straight_matches_closed_form(
    reward: float, temptation: float, sucker: float, punishment: float
) -> None:
    """P(straight) = (T − R)/((T − R) + (S − P)), tolerance 1e-12."""
    game = chicken(reward, temptation, sucker, punishment)
    expected = (temptation - reward) / ((temptation - reward) + (sucker - punishment))
    assert mixed_equilibrium_probability(game, "straight") == pytest.approx(expected, abs=1e-12)
    assert mixed_equilibrium_probability(game, "straight", player="column") == pytest.approx(
        expected, abs=1e-12
    )


def test_stag_hunt_mixed_probability_of_stag() -> None:
    """P(stag) = (P − S)/((R − T) + (P − S)) = 2/3 for R, T, S, P = 4, 3, 0, 2."""
    solution = equilibria(stag_hunt())
    assert sum(e.pure for e in solution.equilibria) == 2
    assert mixed_equilibrium_probability(stag_hunt(), "stag") == pytest.approx(2 / 3, abs=1e-12)


def test_degenerate_game_is_flagged_and_warning_captured() -> None:
    game = bimatrix("degenerate", ((3, 3), (2, 2)), ((1, 1), (1, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping would fail the test
        solution = equilibria(game)
    assert solution.degenerate
    assert len(solution.equilibria) >= 2
    for e in solution.equilibria:
        assert all(0.0 <= p <= 1.0 for p in e.row + e.column)  # round-off snapped
        assert e.row == (1.0, 0.0)


def test_bimatrix_keeps_given_payoffs_and_checks_shape() -> None:
    game = bimatrix("matching", ((1, -1), (-1, 1)), ((-1, 1), (1, -1)), actions=("heads", "tails"))
    assert mixed_equilibrium_probability(game, "heads") == pytest.approx(0.5)
    with pytest.raises(ValueError):
        bimatrix("bad", ((1, 2, 3), (4, 5, 6)), ((1, 2), (3, 4)))  # type: ignore[arg-type]


def test_payoff_orderings_are_enforced() -> None:
    with pytest.raises(ValueError):
        chicken(reward=2, temptation=1)
    with pytest.raises(ValueError):
        prisoners_dilemma(sucker=2)
    with pytest.raises(ValueError):
        stag_hunt(temptation=5)


def test_unknown_action_or_player_is_an_error() -> None:
    with pytest.raises(ValueError):
        mixed_equilibrium_probability(chicken(), "dance")
    with pytest.raises(ValueError):
        mixed_equilibrium_probability(chicken(), "straight", player="referee")
