"""Rubinstein's alternating-offers bargaining: the subgame-perfect split of a unit pie.

Two players alternate proposals on how to split a pie of size 1; the responder
accepts or rejects, and each rejection costs a period, discounted by the
player's own factor δ (Ståhl 1972; Rubinstein 1982, Econometrica 50(1),
97–109). The unique subgame-perfect equilibrium (SPE) of the infinite game has
the first proposer (discount δ1) demand

    x* = (1 − δ2) / (1 − δ1·δ2)

and the responder (discount δ2) accept at once. With a finite horizon of T
offers the last proposer takes everything, and backward induction gives the
proposer's share with t offers left as

    x_1 = 1,        x_t(δp, δr) = 1 − δr · x_{t−1}(δr, δp),

which converges to x* as T grows. The functions here are the equilibrium offer
and acceptance rules a ``subgame_perfect`` strategy calls.

Curved utilities. When the pie is one divisible issue but the parties' utilities
are not linear in the position (a quadratic loss, say), the equilibrium is
solved for the actual utilities (:class:`Pie`, :func:`spe_demand`): in the
stationary equilibrium of the infinite game, proposer p demands ``x_p`` and
responder r, as the next proposer, would demand ``x_r``, with each responder
indifferent between accepting and proposing next period,

    u_r(x_p) − d_r = δr (u_r(x_r) − d_r),     u_p(x_r) − d_p = δp (u_p(x_p) − d_p),

(Rubinstein 1982, §4, for general utilities). As both δ → 1 the agreement tends
to the Nash bargaining solution with disagreement point ``d`` (Binmore,
Rubinstein & Wolinsky 1986, RAND Journal of Economics 17(2), 176–188). With a
finite horizon the same indifference is applied backward from the last offer,
where the proposer takes its best position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.scenario.distributions import param_mean

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario


def _check_delta(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: {value:g} is out of range (allowed: 0 to 1)")


def spe_share(proposer_delta: float, responder_delta: float) -> float:
    """The proposer's SPE share of a unit pie in the infinite-horizon game.

    ``(1 − δr) / (1 − δp·δr)`` (Rubinstein 1982, Theorem 1). When both players
    are perfectly patient (δp = δr = 1) the formula is 0/0; the limit along
    δp = δr = δ → 1 is 1/(1 + δ) → 1/2, which is returned.

    Args:
        proposer_delta: Proposer's per-period discount factor δp in [0, 1].
        responder_delta: Responder's per-period discount factor δr in [0, 1].

    Returns:
        The share the proposer demands and the responder accepts, in [0, 1].

    >>> spe_share(0.9, 0.9)  # doctest: +ELLIPSIS
    0.526...
    """
    _check_delta("proposer_delta", proposer_delta)
    _check_delta("responder_delta", responder_delta)
    denominator = 1.0 - proposer_delta * responder_delta
    if denominator <= 0.0:
        return 0.5
    return (1.0 - responder_delta) / denominator


def spe_finite_share(d1: float, d2: float, rounds_left: int) -> float:
    """The proposer's SPE share when ``rounds_left`` offers remain (backward induction).

    The last proposer takes the whole pie (the responder gets 0 by rejecting);
    one step earlier the proposer offers the responder exactly what the
    responder would get as next proposer, discounted:
    ``x_t(d1, d2) = 1 − d2 · x_{t−1}(d2, d1)``, ``x_1 = 1``. Closed form:
    ``x_T`` is the partial sum of the alternating series whose limit is
    :func:`spe_share`.

    Args:
        d1: The current proposer's discount factor in [0, 1].
        d2: The current responder's discount factor in [0, 1].
        rounds_left: Offers left, including this one (>= 1).

    Returns:
        The share the proposer demands and the responder accepts.

    Raises:
        ValueError: If ``rounds_left < 1`` or a discount is out of range.

    >>> spe_finite_share(0.9, 0.8, 1), round(spe_finite_share(0.9, 0.8, 3), 6)
    (1.0, 0.92)
    """
    _check_delta("d1", d1)
    _check_delta("d2", d2)
    if rounds_left < 1:
        raise ValueError(f"rounds_left: {rounds_left} must be at least 1")
    # Walk forward from the last offer: share of whoever proposes with t offers left.
    # With t offers left the proposer is the current proposer when T − t is even.
    share = 1.0
    for t in range(2, rounds_left + 1):
        # The responder at step t is the proposer at step t − 1.
        responder_delta = d2 if (rounds_left - t) % 2 == 0 else d1
        share = 1.0 - responder_delta * share
    return share


def spe_offer(
    proposer_delta: float, responder_delta: float, rounds_left: int | None = None
) -> float:
    """The share the proposer keeps in equilibrium (its demand).

    Args:
        proposer_delta: Proposer's discount factor in [0, 1].
        responder_delta: Responder's discount factor in [0, 1].
        rounds_left: Offers left including this one, or None for the infinite game.

    Returns:
        :func:`spe_share` (infinite) or :func:`spe_finite_share` (finite).
    """
    if rounds_left is None:
        return spe_share(proposer_delta, responder_delta)
    return spe_finite_share(proposer_delta, responder_delta, rounds_left)


def acceptance_threshold(
    responder_delta: float, proposer_delta: float, rounds_left: int | None = None
) -> float:
    """The smallest share the responder accepts in equilibrium.

    The responder accepts when what it is offered is at least its discounted
    value of proposing next: ``δr · x(δr, δp)`` with one offer fewer left (0 on
    the last offer). This equals ``1 − spe_offer(δp, δr, rounds_left)``.

    Args:
        responder_delta: Responder's discount factor in [0, 1].
        proposer_delta: Proposer's discount factor in [0, 1].
        rounds_left: Offers left including the current one, or None (infinite).

    Returns:
        The acceptance threshold on the responder's own share.
    """
    if rounds_left is None:
        return responder_delta * spe_share(responder_delta, proposer_delta)
    if rounds_left <= 1:
        _check_delta("responder_delta", responder_delta)
        return 0.0
    return responder_delta * spe_finite_share(responder_delta, proposer_delta, rounds_left - 1)


def spe_accepts(
    share_offered: float,
    responder_delta: float,
    proposer_delta: float,
    rounds_left: int | None = None,
    tolerance: float = 1e-12,
) -> bool:
    """Whether an equilibrium responder accepts ``share_offered`` (its own share).

    Args:
        share_offered: The responder's share in the proposal, in [0, 1].
        responder_delta: Responder's discount factor in [0, 1].
        proposer_delta: Proposer's discount factor in [0, 1].
        rounds_left: Offers left including this one, or None (infinite).
        tolerance: Slack for floating-point ties (ties are accepted, as in the SPE).

    Returns:
        True when the share is at least :func:`acceptance_threshold`.
    """
    threshold = acceptance_threshold(responder_delta, proposer_delta, rounds_left)
    return share_offered >= threshold - tolerance


@dataclass(frozen=True)
class Pie:
    """One divisible issue between two parties' red lines, seen from one party ("own").

    Attributes:
        own: Own utility of a position.
        other: The other party's utility of a position.
        low: Lower end of the agreement interval (both red lines respected).
        high: Upper end.
        own_disagreement: Own utility of no agreement (``d_own``).
        other_disagreement: The other's utility of no agreement (``d_other``).

    Each utility is assumed monotone on the interval, in opposite directions
    (opposed ideals), as on a pie.
    """

    own: Callable[[float], float]
    other: Callable[[float], float]
    low: float
    high: float
    own_disagreement: float
    other_disagreement: float

    def swapped(self) -> Pie:
        """The same pie seen from the other party."""
        return Pie(
            self.other,
            self.own,
            self.low,
            self.high,
            self.other_disagreement,
            self.own_disagreement,
        )

    def best_end(self) -> float:
        """The end of the interval ``own`` prefers."""
        return self.high if self.own(self.high) >= self.own(self.low) else self.low


_XTOL = 1e-13


def _conceding(pie: Pie, level: float) -> float:
    """Own's best position that gives the other at least ``level`` (the other's best end if none)."""
    from scipy.optimize import brentq

    mine, theirs = pie.best_end(), pie.swapped().best_end()
    if pie.other(mine) >= level:
        return mine
    if pie.other(theirs) <= level:
        return theirs
    return float(brentq(lambda x: pie.other(x) - level, theirs, mine, xtol=_XTOL))


def _finite_demand(pie: Pie, own_delta: float, other_delta: float, rounds_left: int) -> float:
    """Own's demand with ``rounds_left`` offers left, by backward induction on positions."""
    # Walk forward from the last offer; at step t the proposer is own when rounds_left − t is even.
    views = {0: pie, 1: pie.swapped()}
    deltas = {0: own_delta, 1: other_delta}
    last_proposer = (rounds_left - 1) % 2
    demand = views[last_proposer].best_end()
    for t in range(2, rounds_left + 1):
        proposer = (rounds_left - t) % 2
        view, responder_delta = views[proposer], deltas[1 - proposer]
        d = view.other_disagreement
        demand = _conceding(view, d + responder_delta * (view.other(demand) - d))
    return demand


def spe_demand(
    pie: Pie, own_delta: float, other_delta: float, rounds_left: int | None = None
) -> float:
    """The position own demands as proposer in the subgame-perfect equilibrium.

    Infinite game: the root of the two indifference conditions of the module
    docstring, found by Brent's method on own's demand (the responder's
    demand ``x_r`` follows from the second condition). Finite game: backward
    induction from the last offer.

    Args:
        pie: The issue seen from the proposer ("own").
        own_delta: Proposer's discount factor in [0, 1].
        other_delta: Responder's discount factor in [0, 1].
        rounds_left: Offers left including this one, or None (infinite).

    Returns:
        The position the proposer demands and the responder accepts.

    >>> linear = Pie(lambda x: x, lambda x: 1 - x, 0.0, 1.0, 0.0, 0.0)
    >>> round(spe_demand(linear, 0.9, 0.9), 12) == round(spe_share(0.9, 0.9), 12)
    True
    """
    from scipy.optimize import brentq

    _check_delta("own_delta", own_delta)
    _check_delta("other_delta", other_delta)
    if rounds_left is not None:
        if rounds_left < 1:
            raise ValueError(f"rounds_left: {rounds_left} must be at least 1")
        return _finite_demand(pie, own_delta, other_delta, rounds_left)
    theirs, mine = pie.swapped().best_end(), pie.best_end()
    back = pie.swapped()

    def gap(x_own: float) -> float:
        """How much more the responder gets by accepting x_own than by proposing next."""
        d_own, d_other = pie.own_disagreement, pie.other_disagreement
        x_other = _conceding(back, d_own + own_delta * (pie.own(x_own) - d_own))
        return pie.other(x_own) - d_other - other_delta * (pie.other(x_other) - d_other)

    if gap(mine) >= 0:
        return mine
    if gap(theirs) <= 0:
        return theirs
    return float(brentq(gap, theirs, mine, xtol=_XTOL))


def spe_acceptance(
    pie: Pie, own_delta: float, other_delta: float, rounds_left: int | None = None
) -> float:
    """The lowest utility own accepts as responder in the subgame-perfect equilibrium.

    Its disagreement utility plus the discounted gain of proposing next:
    ``d_own + δ_own (u_own(x_own) − d_own)``, ``x_own`` its own demand with one
    offer fewer left; on the last offer, ``d_own``.

    Args:
        pie: The issue seen from the responder ("own").
        own_delta: Responder's discount factor in [0, 1].
        other_delta: Proposer's discount factor in [0, 1].
        rounds_left: Offers left including the current one, or None (infinite).

    Returns:
        The acceptance threshold, in own's utility.
    """
    d = pie.own_disagreement
    if rounds_left is not None and rounds_left <= 1:
        return d
    later = None if rounds_left is None else rounds_left - 1
    return d + own_delta * (pie.own(spe_demand(pie, own_delta, other_delta, later)) - d)


@dataclass(frozen=True)
class RubinsteinSplit:
    """The SPE split of a two-party, one-issue scenario.

    Attributes:
        issue: Issue id.
        first_proposer: Actor id that opens.
        responder: The other actor id.
        proposer_delta: First proposer's discount (mean of its ``discount``).
        responder_delta: Responder's discount (mean of its ``discount``).
        proposer_share: Infinite-horizon share of the first proposer.
        finite_share: First proposer's share with the round's number of
            exchanges as the horizon.
        exchanges: That horizon (offers in the first round).
        position: The issue position that gives the proposer ``proposer_share``
            of the way from the responder's ideal to its own.
        curved: Whether a utility is not linear, so that the split was solved for
            the actual utilities (:func:`spe_demand`) rather than by the formula.
    """

    issue: str
    first_proposer: str
    responder: str
    proposer_delta: float
    responder_delta: float
    proposer_share: float
    finite_share: float
    exchanges: int
    position: float
    curved: bool = False

    @property
    def responder_share(self) -> float:
        """The responder's infinite-horizon share, ``1 − proposer_share``."""
        return 1.0 - self.proposer_share


def rubinstein_split(scenario: Scenario) -> RubinsteinSplit | None:
    """Rubinstein's split for a two-party, one-issue scenario, or None.

    Applies when every round is between the same two actors (not blocs) and
    the agenda, over all rounds, is a single issue on which both hold a
    position. The pie is the stretch of the scale between the two ideals; a
    share ``x`` for the proposer is the position ``x`` of the way from the
    responder's ideal to the proposer's. Discounts are the means of the
    actors' ``discount`` parameters; the first round's ``first_proposer``
    (default: its first participant) opens. When either actor's utility is not
    linear the split is solved for the actual utilities on that stretch
    (:func:`spe_demand`, disagreement worth getting nothing).

    Args:
        scenario: A validated scenario.

    Returns:
        The split, or None when the scenario is not two-party one-issue.
    """
    sides = {side for round_ in scenario.rounds for side in round_.participants}
    issues = {issue for round_ in scenario.rounds for issue in round_.agenda}
    if len(sides) != 2 or len(issues) != 1 or sides & set(scenario.blocs):
        return None
    (issue,) = issues
    first = scenario.rounds[0]
    proposer = first.first_proposer or first.participants[0]
    responder = next(side for side in first.participants if side != proposer)
    a, b = scenario.actors[proposer], scenario.actors[responder]
    if issue not in a.positions or issue not in b.positions:
        return None
    d1, d2 = param_mean(a.discount), param_mean(b.discount)
    share = spe_share(d1, d2)
    finite = spe_finite_share(d1, d2, first.exchanges)
    own, other = a.positions[issue].ideal, b.positions[issue].ideal
    curved = (a.utility, b.utility) != ("linear", "linear") and own != other
    if curved:
        low, high = scenario.issues[issue].scale
        mine = _issue_value(own, low, high, a.utility)
        theirs = _issue_value(other, low, high, b.utility)
        pie = Pie(mine, theirs, min(own, other), max(own, other), mine(other), theirs(own))
        share = (spe_demand(pie, d1, d2) - other) / (own - other)
        finite = (spe_demand(pie, d1, d2, first.exchanges) - other) / (own - other)
    return RubinsteinSplit(
        issue=issue,
        first_proposer=proposer,
        responder=responder,
        proposer_delta=d1,
        responder_delta=d2,
        proposer_share=share,
        finite_share=finite,
        exchanges=first.exchanges,
        position=other + share * (own - other),
        curved=curved,
    )


def _issue_value(ideal: float, low: float, high: float, shape: str) -> Callable[[float], float]:
    """Per-issue value as the engine defines it, as a function of the position.

    1 at the ideal, 0 at the far end of the scale, falling linearly or as a
    quadratic loss.
    """
    span = max(ideal - low, high - ideal) or 1.0
    power = 2 if shape == "quadratic" else 1

    def value(position: float) -> float:
        return 1.0 - (abs(position - ideal) / span) ** power

    return value
