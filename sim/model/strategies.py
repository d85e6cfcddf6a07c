"""Concession strategies: how much utility a side aims for at each exchange.

Each strategy is a small class with a ``name`` and one method, ``target``, a
pure function of the :class:`ConcessionState` it is shown (Axelrod's habit).
Offers then meet the target by log-rolling (:mod:`sim.model.offers`) and a side
accepts an offer worth at least its next target (Faratin et al.'s AC_next).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from sim.analysis.rubinstein import (
    Pie,
    acceptance_threshold,
    spe_acceptance,
    spe_demand,
    spe_offer,
)
from sim.scenario.schema import Strategy as StrategySpec


@dataclass(frozen=True, slots=True)
class ConcessionState:
    """The read-only view a strategy gets of its side's position in a round.

    Attributes:
        exchange: Exchanges played so far in this round (t).
        deadline: Exchanges the round lasts (T).
        best: Utility of its own best admissible package (u_max).
        floor: Lowest utility it may aim for: max(red-line utility, BATNA) (u_floor).
        previous_target: Its target at the previous exchange (``best`` at the start).
        opponent_concession: Utility (to this side) the other side's last offer
            gained over its offer before; 0 when unknown.
        red_line_utility: Utility of its worst acceptable package (every issue at
            its red line): the disagreement point of the Rubinstein game.
        pie_best: Its best utility inside both sides' red lines (the top of the pie).
        own_discount: Its per-exchange discount factor delta.
        opponent_discount: The other side's discount factor (Rubinstein needs both).
        pie: For Rubinstein's game on a curved frontier: the one divisible issue
            between both red lines with both utilities, when either is not
            linear; None otherwise.
    """

    exchange: int
    deadline: int
    best: float
    floor: float
    previous_target: float
    opponent_concession: float = 0.0
    red_line_utility: float = 0.0
    pie_best: float = 1.0
    own_discount: float = 1.0
    opponent_discount: float = 1.0
    pie: Pie | None = None

    def next_exchange(self) -> ConcessionState:
        """The same view one exchange later (AC_next compares an offer with that target).

        Written out field by field: ``dataclasses.replace`` costs more than the
        target itself, and this runs at every exchange.
        """
        return ConcessionState(
            self.exchange + 1,
            self.deadline,
            self.best,
            self.floor,
            self.previous_target,
            self.opponent_concession,
            self.red_line_utility,
            self.pie_best,
            self.own_discount,
            self.opponent_discount,
            self.pie,
        )


class ConcessionStrategy(Protocol):
    """What every strategy offers: a name and a target utility."""

    name: ClassVar[str]

    def target(self, state: ConcessionState) -> float:
        """Utility the side aims for at ``state.exchange``."""
        ...


@dataclass(frozen=True, slots=True)
class TimeDependent:
    """Time-dependent concession (Faratin, Sierra & Jennings 1998, eq. for the polynomial family).

    ``tau(t) = u_max - (u_max - u_floor) * (t / (T - 1)) ** (1 / e)`` for exchanges
    ``t = 0 .. T-1`` (the paper's ``t / t_max`` with the last exchange as ``t_max``): with ``e < 1``
    the side holds firm until near the deadline (Boulware), with ``e > 1`` it
    concedes early (Conceder), ``e = 1`` is linear. The paper's kappa (initial
    concession) is taken as 0: every side opens at its best package.
    """

    exponent: float = 1.0
    name: ClassVar[str] = "time_dependent"

    def target(self, state: ConcessionState) -> float:
        """Target utility at exchange t of T."""
        if state.deadline <= 1:
            return state.floor
        # t runs 0..T-1: the round's last offer is made at the floor, so no deal
        # that both floors allow is left on the table by the deadline.
        progress = min(1.0, state.exchange / (state.deadline - 1))
        return state.best - (state.best - state.floor) * progress ** (1.0 / self.exponent)


@dataclass(frozen=True, slots=True)
class Hardliner:
    """Never moves: aims for its best package throughout and accepts nothing less."""

    name: ClassVar[str] = "hardliner"

    def target(self, state: ConcessionState) -> float:
        """Always its best utility."""
        return state.best


@dataclass(frozen=True, slots=True)
class TitForTat:
    """Relative tit-for-tat (Faratin et al. 1998): concede what the other side conceded.

    The concession is measured in this side's own utility: if the other side's
    last offer was worth ``d`` more to us than its previous one, our target drops
    by ``d``. It opens at its best and never goes below its floor.
    """

    name: ClassVar[str] = "tit_for_tat"

    def target(self, state: ConcessionState) -> float:
        """Previous target minus the other side's last concession, within [floor, best]."""
        mirrored = state.previous_target - max(0.0, state.opponent_concession)
        return min(state.best, max(state.floor, mirrored))


@dataclass(frozen=True, slots=True)
class SubgamePerfect:
    """Rubinstein's (1982) subgame-perfect equilibrium for one divisible issue.

    The pie is the agreement set between the two red lines; disagreement is
    worth the red-line utility (0 for red lines at the ends of the scale, the
    split-the-pie game). As proposer it keeps ``x(d_s, d_o)`` of the pie,
    ``(1 - d_o) / (1 - d_s * d_o)`` in the infinite game (``horizon: infinite``)
    or the backward-induction share with the round's offers left
    (``horizon: round``; one offer left is the ultimatum game). As responder it
    accepts at least ``d_s * x(d_s, d_o)`` with one offer fewer left. Assumes
    opposed ideals and common knowledge of both discount factors. With a
    non-linear utility on a single divisible issue (``state.pie``) the
    equilibrium is solved for the actual utilities
    (:func:`sim.analysis.rubinstein.spe_demand`); with deltas near 1 the split
    then tends to the Nash bargaining solution (Binmore, Rubinstein & Wolinsky
    1986). With several issues the shares are taken on the utility scale, exact
    for linear utilities only; a scenario that pairs the strategy with a
    non-linear utility there is refused when it loads.
    """

    horizon: str = "infinite"
    name: ClassVar[str] = "subgame_perfect"

    def _offers_left(self, state: ConcessionState) -> int | None:
        if self.horizon == "infinite":
            return None
        return max(1, state.deadline - state.exchange)

    def target(self, state: ConcessionState) -> float:
        """As proposer: its red-line utility plus its equilibrium share of the pie."""
        if state.pie is not None:
            demand = spe_demand(
                state.pie, state.own_discount, state.opponent_discount, self._offers_left(state)
            )
            return state.pie.own(demand)
        share = spe_offer(state.own_discount, state.opponent_discount, self._offers_left(state))
        low = state.red_line_utility
        return low + (state.pie_best - low) * share

    def acceptance(self, state: ConcessionState) -> float:
        """As responder: the lowest utility it accepts at this exchange."""
        if state.pie is not None:
            return spe_acceptance(
                state.pie, state.own_discount, state.opponent_discount, self._offers_left(state)
            )
        share = acceptance_threshold(
            state.own_discount, state.opponent_discount, self._offers_left(state)
        )
        low = state.red_line_utility
        return low + (state.pie_best - low) * share


@dataclass(frozen=True, slots=True)
class Strategic:
    """Expected-utility maximiser under its beliefs (Fearon 1995; Fudenberg & Tirole 1983).

    Its offers come from :func:`sim.model.strategic.plan_offer`, not from a
    target schedule. As a responder it takes anything inside its red lines worth
    at least its reservation (its value of no deal), or, when the other side
    will make another offer first or it proposes next itself, the discounted
    value of waiting (:mod:`sim.model.planning`). Where it is only shown a
    target (a mediated text) it aims at its floor: max(red-line utility, BATNA).
    """

    name: ClassVar[str] = "strategic"

    def target(self, state: ConcessionState) -> float:
        """Its floor: the least a rational actor takes."""
        return state.floor


DEFAULT_EXPONENTS = {"boulware": 0.2, "linear": 1.0, "conceder": 5.0}


def make_strategy(spec: StrategySpec) -> ConcessionStrategy:
    """Build the strategy a scenario declares (``exponent`` only for time-dependent kinds)."""
    if spec.kind in DEFAULT_EXPONENTS:
        exponent = spec.exponent if spec.exponent is not None else DEFAULT_EXPONENTS[spec.kind]
        return TimeDependent(exponent=exponent)
    if spec.kind == "subgame_perfect":
        return SubgamePerfect(horizon=spec.horizon)
    if spec.kind == "tit_for_tat":
        return TitForTat()
    if spec.kind == "strategic":
        return Strategic()
    return Hardliner()
