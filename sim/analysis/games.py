"""Two-by-two crisis games and their Nash equilibria (computed by nashpy).

Schelling's and Snyder & Diesing's (1977) crisis bargaining in its textbook
form: two players, two actions each. The symmetric games are written with the
four classic payoffs of the row player — R (reward, both cooperate), T
(temptation, defect against a cooperator), S (sucker, cooperate against a
defector), P (punishment, both defect) — and the column player's payoffs are
the transpose:

* **chicken** ``T > R > S > P`` (actions swerve / straight): two pure
  equilibria where one side backs down, and a mixed one in which each goes
  straight with probability ``(T − R)/((T − R) + (S − P))``;
* **prisoner's dilemma** ``T > R > P > S`` (cooperate / defect): mutual
  defection is the only equilibrium;
* **stag hunt** ``R > T ≥ P > S`` (stag / hare): two pure equilibria and a
  mixed one in which each hunts stag with probability
  ``(P − S)/((R − T) + (P − S))``.

Equilibria come from nashpy (Knight & Campbell 2018): support enumeration
(Nisan et al. 2007, Algorithm 3.4); when nashpy warns that the game is
degenerate (a continuum or an even number of equilibria), vertex enumeration is
run too and the extreme equilibria of both are reported.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import nashpy
import numpy as np

Matrix = tuple[tuple[float, float], tuple[float, float]]
"""A 2×2 payoff matrix, rows = row player's actions, columns = column player's."""

_SNAP = 1e-12
_KEY_DECIMALS = 9


@dataclass(frozen=True)
class CrisisGame:
    """A two-player, two-action game with named actions.

    Attributes:
        name: Name of the game (e.g. "chicken").
        actions: Both players' action names, in matrix order (e.g. ("swerve", "straight")).
        row_payoffs: Row player's payoffs ``A[i][j]`` when row plays i and column j.
        column_payoffs: Column player's payoffs ``B[i][j]``.
        players: Names of the row and column players.
    """

    name: str
    actions: tuple[str, str]
    row_payoffs: Matrix
    column_payoffs: Matrix
    players: tuple[str, str] = ("row", "column")

    def nashpy_game(self) -> nashpy.Game:
        """The game as a :class:`nashpy.Game`."""
        return nashpy.Game(np.array(self.row_payoffs), np.array(self.column_payoffs))

    def action_index(self, action: str) -> int:
        """The matrix index of a named action.

        Args:
            action: One of :attr:`actions`.

        Returns:
            0 or 1.

        Raises:
            ValueError: If the action is not in the game.
        """
        if action not in self.actions:
            raise ValueError(
                f"action '{action}' is not in {self.name} (allowed: {', '.join(self.actions)})"
            )
        return self.actions.index(action)


@dataclass(frozen=True)
class SymmetricPayoffs:
    """The four payoffs of a symmetric 2×2 game, for the row player.

    Attributes:
        reward: R, both play the first (cooperative) action.
        temptation: T, play the second action against the first.
        sucker: S, play the first action against the second.
        punishment: P, both play the second action.
    """

    reward: float
    temptation: float
    sucker: float
    punishment: float

    def row_matrix(self) -> Matrix:
        """The row player's matrix ``[[R, S], [T, P]]``."""
        return ((self.reward, self.sucker), (self.temptation, self.punishment))


def symmetric_game(name: str, actions: tuple[str, str], payoffs: SymmetricPayoffs) -> CrisisGame:
    """A symmetric 2×2 game: the column player's matrix is the row player's transpose.

    Args:
        name: Name of the game.
        actions: Action names (first = cooperative).
        payoffs: R, T, S, P for the row player.

    Returns:
        The game.
    """
    (r, s), (t, p) = payoffs.row_matrix()
    column = ((r, t), (s, p))
    return CrisisGame(
        name=name, actions=actions, row_payoffs=payoffs.row_matrix(), column_payoffs=column
    )


def chicken(
    reward: float = 0.0, temptation: float = 1.0, sucker: float = -1.0, punishment: float = -10.0
) -> CrisisGame:
    """Chicken (T > R > S > P): whoever swerves loses face; if neither does, disaster.

    Args:
        reward: R, both swerve.
        temptation: T, go straight while the other swerves.
        sucker: S, swerve while the other goes straight.
        punishment: P, both go straight (the crash, e.g. war).

    Returns:
        The game with actions ("swerve", "straight").

    Raises:
        ValueError: If the payoffs are not ordered T > R > S > P.
    """
    if not temptation > reward > sucker > punishment:
        raise ValueError("chicken needs temptation > reward > sucker > punishment")
    return symmetric_game(
        "chicken", ("swerve", "straight"), SymmetricPayoffs(reward, temptation, sucker, punishment)
    )


def prisoners_dilemma(
    reward: float = 3.0, temptation: float = 5.0, sucker: float = 0.0, punishment: float = 1.0
) -> CrisisGame:
    """Prisoner's dilemma (T > R > P > S), e.g. an arms race.

    Args:
        reward: R, both cooperate.
        temptation: T, defect against a cooperator.
        sucker: S, cooperate against a defector.
        punishment: P, both defect.

    Returns:
        The game with actions ("cooperate", "defect").

    Raises:
        ValueError: If the payoffs are not ordered T > R > P > S.
    """
    if not temptation > reward > punishment > sucker:
        raise ValueError("prisoner's dilemma needs temptation > reward > punishment > sucker")
    return symmetric_game(
        "prisoners_dilemma",
        ("cooperate", "defect"),
        SymmetricPayoffs(reward, temptation, sucker, punishment),
    )


def stag_hunt(
    reward: float = 4.0, temptation: float = 3.0, sucker: float = 0.0, punishment: float = 2.0
) -> CrisisGame:
    """Stag hunt (R > T ≥ P > S): cooperation pays only if the other cooperates too.

    Args:
        reward: R, both hunt stag.
        temptation: T, hunt hare while the other hunts stag.
        sucker: S, hunt stag alone.
        punishment: P, both hunt hare.

    Returns:
        The game with actions ("stag", "hare").

    Raises:
        ValueError: If the payoffs are not ordered R > T >= P > S.
    """
    if not reward > temptation >= punishment > sucker:
        raise ValueError("stag hunt needs reward > temptation >= punishment > sucker")
    return symmetric_game(
        "stag_hunt", ("stag", "hare"), SymmetricPayoffs(reward, temptation, sucker, punishment)
    )


def bimatrix(
    name: str,
    row_payoffs: Matrix,
    column_payoffs: Matrix,
    actions: tuple[str, str] = ("first", "second"),
    players: tuple[str, str] = ("row", "column"),
) -> CrisisGame:
    """A user-given 2×2 game.

    Args:
        name: Name of the game.
        row_payoffs: Row player's payoff matrix (2×2).
        column_payoffs: Column player's payoff matrix (2×2).
        actions: Action names shared by both players.
        players: Names of the row and column players.

    Returns:
        The game.

    Raises:
        ValueError: If a matrix is not 2×2.
    """
    for label, matrix in (("row_payoffs", row_payoffs), ("column_payoffs", column_payoffs)):
        if np.shape(matrix) != (2, 2):
            raise ValueError(f"{label}: needs a 2x2 matrix, got shape {np.shape(matrix)}")
    row = tuple(tuple(float(v) for v in line) for line in row_payoffs)
    column = tuple(tuple(float(v) for v in line) for line in column_payoffs)
    return CrisisGame(
        name=name,
        actions=actions,
        row_payoffs=row,  # type: ignore[arg-type]
        column_payoffs=column,  # type: ignore[arg-type]
        players=players,
    )


@dataclass(frozen=True)
class Equilibrium:
    """A Nash equilibrium of a 2×2 game.

    Attributes:
        row: Row player's mixed strategy (probabilities of the two actions).
        column: Column player's mixed strategy.
        payoffs: Expected payoffs (row, column).
    """

    row: tuple[float, float]
    column: tuple[float, float]
    payoffs: tuple[float, float]

    @property
    def pure(self) -> bool:
        """True when both players play one action with certainty."""
        return all(p in (0.0, 1.0) for p in self.row + self.column)


@dataclass(frozen=True)
class GameSolution:
    """All equilibria nashpy finds, and whether the game is degenerate.

    Attributes:
        game: The game solved.
        equilibria: Equilibria, pure ones first, each once.
        degenerate: True when nashpy warned that the game is degenerate (then the
            equilibria are the extreme points vertex enumeration finds too).
    """

    game: CrisisGame
    equilibria: list[Equilibrium]
    degenerate: bool


def _clean(strategy: np.ndarray) -> tuple[float, float]:
    """Snap round-off (e.g. -8e-17 from vertex enumeration) to 0 and 1."""
    values = np.asarray(strategy, dtype=float)
    values = np.where(np.abs(values) < _SNAP, 0.0, values)
    values = np.where(np.abs(values - 1.0) < _SNAP, 1.0, values)
    values = np.clip(values, 0.0, 1.0)
    total = values.sum()
    values = values / total if total > 0 else values
    return (float(values[0]), float(values[1]))


def equilibria(game: CrisisGame) -> GameSolution:
    """Nash equilibria by nashpy's support enumeration (vertex enumeration if degenerate).

    nashpy's support enumeration warns (``RuntimeWarning``) when it finds an
    even number of equilibria, the mark of a degenerate game. That warning is
    captured here rather than shown; the game is then also solved by vertex
    enumeration, and the union of both answers is returned.

    Args:
        game: A 2×2 game.

    Returns:
        The equilibria and a degeneracy flag.

    >>> [e.row for e in equilibria(prisoners_dilemma()).equilibria]
    [(0.0, 1.0)]
    """
    solver = game.nashpy_game()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = list(solver.support_enumeration())
    degenerate = any(issubclass(w.category, RuntimeWarning) for w in caught)
    if degenerate:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found += list(solver.vertex_enumeration())
    unique: dict[tuple[float, ...], Equilibrium] = {}
    for sigma_row, sigma_column in found:
        row, column = _clean(sigma_row), _clean(sigma_column)
        payoff = solver[np.array(row), np.array(column)]
        key = tuple(round(v, _KEY_DECIMALS) for v in row + column)
        unique.setdefault(
            key, Equilibrium(row=row, column=column, payoffs=(float(payoff[0]), float(payoff[1])))
        )
    ordered = sorted(unique.values(), key=lambda e: (not e.pure, e.row, e.column))
    return GameSolution(game=game, equilibria=ordered, degenerate=degenerate)


def mixed_equilibrium_probability(
    game: CrisisGame, action: str, player: str = "row"
) -> float | None:
    """Probability that ``player`` plays ``action`` in the fully mixed equilibrium.

    E.g. the probability of going "straight" in chicken or of choosing
    "cooperate"/"stag" in the other games.

    Args:
        game: A 2×2 game.
        action: One of the game's action names.
        player: "row" or "column".

    Returns:
        The probability, or None when the game has no fully mixed equilibrium
        (e.g. the prisoner's dilemma).

    Raises:
        ValueError: If ``player`` is neither "row" nor "column".

    >>> round(mixed_equilibrium_probability(chicken(), "straight"), 6)
    0.1
    """
    if player not in ("row", "column"):
        raise ValueError(f"player: '{player}' (allowed: row, column)")
    index = game.action_index(action)
    for equilibrium in equilibria(game).equilibria:
        strategy = equilibrium.row if player == "row" else equilibrium.column
        other = equilibrium.column if player == "row" else equilibrium.row
        if 0.0 < strategy[0] < 1.0 and 0.0 < other[0] < 1.0:
            return strategy[index]
    return None
