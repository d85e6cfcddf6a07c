"""Fearon's rationalist explanations for war: bargaining range, private information, commitment.

Notation (Fearon 1995, "Rationalist explanations for war", International
Organization 49(3), 379–414). An issue is the interval [0, 1]; a settlement
``x`` is side A's share and ``1 − x`` side B's; utilities are linear
(risk-neutral). War gives A the lottery "win everything with probability p,
lose everything otherwise", at cost ``c_A``: expected value ``p − c_A``; B gets
``1 − p − c_B``. Every ``x`` with ``p − c_A ≤ x ≤ p + c_B`` is at least as good
as war for both, so with complete information and ``c_A + c_B > 0`` a
settlement both prefer always exists. War needs one of three mechanisms:

* **private information with incentives to misrepresent**: A believes
  ``p_A`` while B believes A wins with ``p_B``; if ``p_A − c_A > p_B + c_B``
  ("mutual optimism") no offer B is willing to make satisfies A. Even with
  common beliefs about ``p``, a proposer unsure of the other's cost runs a
  calculated risk of war (:func:`take_it_or_leave_it`);
* **commitment problems**: a side whose power will decline attacks now when
  the loss from the shift outweighs anything the rising side can offer today;
* **issue indivisibility**: the range contains no admissible settlement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.scenario.distributions import param_mean

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

_ROUNDOFF = 1e-12


@dataclass(frozen=True)
class BargainingRange:
    """Settlements (A's share of [0, 1]) that both sides weakly prefer to war.

    Attributes:
        low: A's war value ``p − c_A`` (the least A accepts), before clipping.
        high: ``p + c_B`` (the most B concedes), before clipping.
    """

    low: float
    high: float

    @property
    def clipped(self) -> tuple[float, float] | None:
        """The range inside [0, 1], or None when it is empty."""
        low, high = max(self.low, 0.0), min(self.high, 1.0)
        return (low, high) if low <= high else None

    @property
    def empty(self) -> bool:
        """True when no settlement in [0, 1] is at least as good as war for both."""
        return self.clipped is None

    @property
    def width(self) -> float:
        """``high − low``: the total cost of war ``c_A + c_B`` when beliefs agree."""
        return self.high - self.low


def bargaining_range(p: float, cost_a: float, cost_b: float) -> BargainingRange:
    """Fearon's bargaining range ``(p − c_A, p + c_B)`` under complete information.

    Args:
        p: A's probability of winning a war, in [0, 1].
        cost_a: A's cost of war, >= 0 (utility units).
        cost_b: B's cost of war, >= 0.

    Returns:
        The range as a :class:`BargainingRange`.

    >>> bargaining_range(0.6, 0.1, 0.2)
    BargainingRange(low=0.5, high=0.8)
    """
    return BargainingRange(low=p - cost_a, high=p + cost_b)


def mutual_optimism(p_a: float, cost_a: float, p_b: float, cost_b: float) -> bool:
    """Whether optimism about A's chances leaves no settlement: ``p_R − c_R > p_W + c_W``.

    A demands at least its war value as it sees it, ``p_a − c_a``; B concedes
    at most ``p_b + c_b``, where ``p_b`` is B's estimate of **A's** chance of
    winning. When A is more optimistic than B by more than the total cost of
    war, the two ranges do not meet and rational actors fight (Fearon 1995,
    pp. 390–401).

    Args:
        p_a: A's belief about its own probability of winning.
        cost_a: A's cost of war.
        p_b: B's belief about A's probability of winning.
        cost_b: B's cost of war.

    Returns:
        True when ``p_a − cost_a > p_b + cost_b``.
    """
    return p_a - cost_a > p_b + cost_b


@dataclass(frozen=True)
class TakeItOrLeaveIt:
    """A proposer's optimal take-it-or-leave-it demand against an uncertain responder.

    Attributes:
        offer: A's demanded share ``x*`` (B is offered ``1 − x*``).
        acceptance_probability: Probability that B accepts.
        war_probability: Probability that B rejects and war follows.
        expected_utility: A's expected utility of making the demand.
    """

    offer: float
    acceptance_probability: float
    war_probability: float
    expected_utility: float


def acceptance_probability(offer: float, p: float, low: float, high: float) -> float:
    """Probability that B accepts A's demand ``offer`` when ``c_B ~ U[low, high]``.

    B accepts ``1 − x`` rather than fight for ``1 − p − c_B`` exactly when
    ``c_B ≥ x − p``.

    Args:
        offer: A's demanded share x.
        p: A's probability of winning (common knowledge).
        low: Lowest possible cost of war for B.
        high: Highest possible cost of war for B (>= low).

    Returns:
        ``P(c_B ≥ x − p)``.
    """
    return _acceptance(offer - p, low, high)


def _acceptance(threshold: float, low: float, high: float) -> float:
    """P(c_B >= threshold) for c_B ~ U[low, high]; ties within round-off count as accepted."""
    if threshold <= low + _ROUNDOFF:
        return 1.0
    if threshold > high + _ROUNDOFF:
        return 0.0
    return min(1.0, max(0.0, (high - threshold) / (high - low)))


def take_it_or_leave_it(p: float, cost_a: float, low: float, high: float) -> TakeItOrLeaveIt:
    """A's optimal demand and the resulting war probability (Fearon 1995, pp. 395–401).

    A knows ``p`` and its own cost ``c_A``; B's cost ``c_B`` is private,
    uniform on ``[low, high]`` with ``0 ≤ low ≤ high``. A makes one demand
    ``x``; B accepts or fights.

    Derivation. Write ``k = x − p`` (what A asks beyond its expected war
    spoils). B accepts iff ``c_B ≥ k``, so for ``k`` in ``[low, high]``
    ``P(accept) = (high − k)/(high − low)``. A's expected utility is

        EU(k) = (p + k)·P(accept) + (p − c_A)·(1 − P(accept))
              = p − c_A + (k + c_A)·(high − k)/(high − low),

    a concave parabola in ``k`` maximised at ``k° = (high − c_A)/2`` (the
    risk-return trade-off: a larger demand gains ``1`` per unit if accepted
    but raises the chance of war). For ``k ≤ low`` acceptance is certain and
    EU rises with ``k``, so the optimum is ``k* = max(low, (high − c_A)/2)``,
    capped at ``1 − p`` (A cannot demand more than the whole issue) and at
    ``high``. The war probability is therefore

        P(war) = max(0, (high − c_A)/2 − low) / (high − low)
               = max(0, high − c_A − 2·low) / (2·(high − low)),

    when ``k* < 1 − p``, positive whenever the responder's possible costs are
    spread widely relative to their lowest value and A's own cost: rational
    actors sometimes fight under private information. With ``low = high``
    (complete information) A demands exactly ``p + c_B`` and war never happens.

    Args:
        p: A's probability of winning, in [0, 1].
        cost_a: A's cost of war, >= 0.
        low: Lowest possible cost of war for B, >= 0.
        high: Highest possible cost of war for B, >= low.

    Returns:
        The optimal demand, B's acceptance probability, the war probability
        and A's expected utility.

    Raises:
        ValueError: If ``high < low``.

    >>> round(take_it_or_leave_it(0.5, 0.0, 0.0, 0.4).war_probability, 3)
    0.5
    """
    if high < low:
        raise ValueError(f"high ({high:g}) must be >= low ({low:g})")
    if high == low:
        k = min(low, 1.0 - p)
    else:
        k = min(max(low, (high - cost_a) / 2.0), high, 1.0 - p)
    offer = p + k
    accept = _acceptance(k, low, high)
    expected = offer * accept + (p - cost_a) * (1.0 - accept)
    return TakeItOrLeaveIt(
        offer=offer,
        acceptance_probability=accept,
        war_probability=1.0 - accept,
        expected_utility=expected,
    )


def commitment_problem(delta: float, p_now: float, p_later: float, cost: float) -> bool:
    """Preventive war under a power shift: ``δ(p1 − p2) > 1 − p1 + c`` (Fearon 1995, "Commitment problems").

    A side that wins with ``p1`` today and only ``p2 < p1`` after a shift in
    power loses ``δ(p1 − p2)`` (discounted) of its bargaining position by
    waiting. Today the other side can give it at most the whole issue, which
    beats its war value ``p1 − c`` by ``1 − p1 + c``. When the loss from
    waiting exceeds that surplus, no offer the rising side can credibly make
    today compensates, and the declining side prefers to fight now (Fearon
    1995, pp. 401–409).

    Args:
        delta: The declining side's discount factor, in [0, 1].
        p_now: Its win probability now (p1).
        p_later: Its win probability after the shift (p2).
        cost: Its cost of war (c).

    Returns:
        True when the commitment problem makes war rational.
    """
    return delta * (p_now - p_later) > 1.0 - p_now + cost


@dataclass(frozen=True)
class FearonPair:
    """The Fearon bargaining problem between an actor with a war option and its target.

    Positions are the actor's share of a unit issue.

    Attributes:
        actor: Actor id with the war option.
        target: Actor id it would fight.
        p: The actor's believed probability of winning.
        cost: The actor's cost of war.
        target_p: The target's believed probability of winning.
        target_cost: The target's cost of war.
        target_has_war: Whether the target has its own war option against the actor
            (otherwise ``target_p = 1 − p``).
        war_value: The actor's expected value of war, ``p − cost``.
        target_war_value: The target's, ``target_p − target_cost``.
        range: Settlements (actor's share) both weakly prefer to war,
            ``(p − cost, 1 − target_p + target_cost)``.
        empty: True when no settlement in [0, 1] satisfies both.
        mutual_optimism: True when their beliefs are incompatible: the sum of
            believed win probabilities exceeds 1 by more than the total cost.
    """

    actor: str
    target: str
    p: float
    cost: float
    target_p: float
    target_cost: float
    target_has_war: bool
    war_value: float
    target_war_value: float
    range: tuple[float, float]
    empty: bool
    mutual_optimism: bool


def fearon_pair(
    actor: str,
    target: str,
    p: float,
    cost: float,
    target_p: float,
    target_cost: float,
    target_has_war: bool = False,
) -> FearonPair:
    """Build a :class:`FearonPair` from beliefs and costs.

    Args:
        actor: Id of the actor with the war option.
        target: Id of its target.
        p: The actor's believed win probability.
        cost: The actor's cost of war.
        target_p: The target's believed win probability.
        target_cost: The target's cost of war.
        target_has_war: Whether ``target_p`` comes from the target's own war option.

    Returns:
        The pair with its bargaining range.
    """
    low, high = p - cost, 1.0 - target_p + target_cost
    clipped = BargainingRange(low, high).clipped
    return FearonPair(
        actor=actor,
        target=target,
        p=p,
        cost=cost,
        target_p=target_p,
        target_cost=target_cost,
        target_has_war=target_has_war,
        war_value=p - cost,
        target_war_value=target_p - target_cost,
        range=(low, high),
        empty=clipped is None,
        mutual_optimism=mutual_optimism(p, cost, 1.0 - target_p, target_cost),
    )


def _odds(scenario: Scenario, actor_id: str) -> float:
    """An actor's believed war odds at their mean, or its capability share if none is given."""
    war = scenario.actors[actor_id].war
    assert war is not None
    if war.win_probability is not None:
        return param_mean(war.win_probability)
    own = param_mean(scenario.actors[actor_id].capability)
    return capability_share(own, param_mean(scenario.actors[war.against].capability))


def fearon_pairs(scenario: Scenario) -> list[FearonPair]:
    """The Fearon problem of every actor with a ``war`` option, in scenario order.

    The target's belief and cost come from its own ``war`` entry when that
    entry is against the actor. Otherwise the target is taken to share the
    actor's belief (``target_p = 1 − p``) and its cost is the cost in its own
    war entry against someone else, or 0 when it has none. Distributions
    enter at their means.

    Args:
        scenario: A validated scenario.

    Returns:
        One :class:`FearonPair` per actor with a war option.
    """
    pairs: list[FearonPair] = []
    for actor_id, actor in scenario.actors.items():
        if actor.war is None:
            continue
        target_id = actor.war.against
        p, cost = _odds(scenario, actor_id), param_mean(actor.war.cost)
        target_war = scenario.actors[target_id].war
        if target_war is not None and target_war.against == actor_id:
            target_p, target_cost = _odds(scenario, target_id), param_mean(target_war.cost)
            has_war = True
        else:
            target_p = 1.0 - p
            target_cost = param_mean(target_war.cost) if target_war is not None else 0.0
            has_war = False
        pairs.append(fearon_pair(actor_id, target_id, p, cost, target_p, target_cost, has_war))
    return pairs


def capability_share(own: float, other: float) -> float:
    """Win probability from capabilities: ``c_own / (c_own + c_other)``; 1/2 if both are 0.

    The standard balance-of-power proxy (e.g. the CINC ratio in the
    correlates-of-war literature) used when a scenario gives no believed odds.
    """
    total = own + other
    return 0.5 if total <= 0 else own / total


def war_value(
    win_probability: float, cost: float, deterrence: float, risk_acceptance: float = 0.5
) -> float:
    """Fearon's war lottery as the actor values it: ``p ** k - c - deterrence``.

    ``k = 2 ** (1 - 2 * risk_acceptance)`` is the certainty equivalent of the
    win-or-lose lottery for a power utility ``u(x) = x ** (1 / k)``: risk
    neutral (``k = 1``, Fearon's ``p - c``) at risk acceptance 0.5, valuing the
    gamble above ``p`` when more risk-acceptant (``k = 1/2`` at 1) and below
    when risk-averse (``k = 2`` at 0).
    """
    k = 2.0 ** (1.0 - 2.0 * risk_acceptance)
    return win_probability**k - cost - deterrence
