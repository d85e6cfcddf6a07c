"""The strategic proposer: the offer that maximises expected utility under its beliefs.

Pure functions over callables, apart from any Mesa plumbing. A proposer unsure
of the other side's type weighs every offer by

    EU(x) = P(accept | x) · u(x) + P(reject | x) · V(what follows)

where what follows is its next offer (with the belief conditioned on the
rejection, discounted) or, after its last offer, its value of no agreement (the
status quo, a war lottery, delay costs). This is Fearon's (1995) risk-return
trade-off; over several offers it is screening, the seller "skimming" the
buyers' types (Fudenberg & Tirole 1983; Sobel & Takahashi 1983).

Assumptions where the texts leave room, all written down in docs/model.md:

- The offers considered are the proposer's own efficient packages: for each
  target utility tau, the log-rolled package worth tau to it that gives the
  other side most (:func:`sim.model.offers.logrolled_offer`).
- A type of the other side accepts a package when it lies inside that type's
  red lines and is worth at least its reservation (the value of no deal under
  that type). Types are ordered by the highest target they accept, so the
  types a rejection leaves are always the "tougher" ones (the skimming property).
- When the other side is one actor that will see the proposer's next offer
  before it can propose itself (``offers: one_sided``), the offer that makes
  the marginal type accept leaves it indifferent between taking it now and
  taking the next offer later: ``u(x) - r = delta * (u(x_next) - r)``.
- Pure strategies only: the mixed equilibria of the two-type game (where the
  high type randomises) are not played; the planner then screens or pools.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Package = dict[str, float]

BISECTION_STEPS = 12
"""Halvings of a grid step when placing the chosen offer exactly at a type's cutoff."""

GRID = 17
"""Targets on which the family of offers is first laid out."""

EXACT_TYPES = 8
"""Up to this many types, every cutoff is placed exactly (not only the chosen one)."""


@dataclass(frozen=True, slots=True)
class ResponderTypes:
    """The proposer's model of the other side: types, their weights, and what each accepts.

    Attributes:
        weights: Posterior probability of each type.
        accepts: For each type, whether it accepts a package (myopically).
        reservations: For each type, its reservation utility (only needed when
            the responder weighs the proposer's next offer).
        utility: The responder's utility of a package (type-independent part).
        discount: The responder's discount factor between two of the proposer's offers.
        patient: True when the responder weighs the proposer's next offer.
    """

    weights: Sequence[float]
    accepts: Sequence[Callable[[Mapping[str, float]], bool]]
    reservations: Sequence[float] = ()
    utility: Callable[[Mapping[str, float]], float] | None = None
    discount: float = 1.0
    patient: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """The offer to make now and what follows it.

    Attributes:
        offer: The package to propose.
        target: Its utility to the proposer.
        accept_probability: The proposer's probability that it is accepted.
        expected_utility: EU of the plan to the proposer.
        accepting: Indices of the types expected to accept it.
        next_offer: The offer planned after a rejection (None: none, or hold).
        open: False when no type accepts even its most generous offer (then the
            plan is the same whatever the number of offers left).
    """

    offer: Package
    target: float
    accept_probability: float
    expected_utility: float
    accepting: frozenset[int]
    next_offer: Package | None
    open: bool = True


def plan_offer(
    family: Callable[[float], Package],
    own_utility: Callable[[Mapping[str, float]], float],
    low: float,
    high: float,
    responder: ResponderTypes,
    reject_value: float,
    proposals_left: int,
    discount: float,
) -> Plan:
    """Backward induction over the proposer's remaining offers (skimming over ordered types).

    Args:
        family: Target utility -> the proposer's efficient package at that target.
        own_utility: The proposer's utility of a package.
        low: Lowest target it may offer (its own red-line utility).
        high: Its best target.
        responder: Its model of the other side.
        reject_value: d, its value of no agreement after its last offer.
        proposals_left: Offers it still makes (this one included), >= 1.
        discount: Its discount factor between two of its offers.
    """
    cache: dict[float, Package] = {}

    def offer(tau: float) -> Package:
        if tau not in cache:
            cache[tau] = family(tau)
        return cache[tau]

    worths: dict[float, float] = {}

    def worth_of(tau: float) -> float:
        if tau not in worths:
            worths[tau] = own_utility(offer(tau))
        return worths[tau]

    best = offer(high)
    generous = offer(low)
    if not any(accepts(generous) for accepts in responder.accepts):
        return Plan(best, worth_of(high), 0.0, reject_value, frozenset(), None, open=False)
    # The family on a grid of targets, most demanding first; each type's cutoff is
    # bracketed on the grid (acceptance is monotone along the family) and placed
    # inside its bracket by the responder's utility; the chosen offer is refined last.
    few = len(responder.accepts) <= EXACT_TYPES
    grid = (
        [high - (high - low) * g / (GRID - 1) for g in range(GRID)]
        if high > low and not few
        else [high, low]
    )
    offers = [offer(tau) for tau in grid]
    cutoffs: list[float | None] = []
    brackets: list[tuple[float, float]] = []
    utility = responder.utility
    levels = [utility(x) for x in offers] if utility is not None else []
    for k, accepts in enumerate(responder.accepts):
        if not accepts(offers[-1]):
            cutoffs.append(None)
            brackets.append((low, low))
            continue
        if accepts(offers[0]):
            cutoffs.append(high)
            brackets.append((high, high))
            continue
        lo_g, hi_g = 0, len(grid) - 1  # offers[lo_g] rejected, offers[hi_g] accepted
        while hi_g - lo_g > 1:
            mid = (lo_g + hi_g) // 2
            if accepts(offers[mid]):
                hi_g = mid
            else:
                lo_g = mid
        safe, risky = grid[hi_g], grid[lo_g]
        cut = safe
        if levels and responder.reservations:
            r = responder.reservations[k]
            u_safe, u_risky = levels[hi_g], levels[lo_g]
            if u_safe > u_risky and u_risky < r <= u_safe:
                cut = safe + (risky - safe) * (u_safe - r) / (u_safe - u_risky)
        cutoffs.append(cut)
        brackets.append((safe, risky))

    def exact(k: int) -> float:
        """The highest target type k accepts, by bisection inside its bracket."""
        lo, hi = brackets[k]
        if lo == hi:
            return lo
        if responder.accepts[k](offer(cutoffs[k] or lo)):
            lo = cutoffs[k] or lo
        else:
            hi = cutoffs[k] or hi
        for _ in range(BISECTION_STEPS + (4 if few else 0)):
            mid = (lo + hi) / 2
            if responder.accepts[k](offer(mid)):
                lo = mid
            else:
                hi = mid
        return lo

    if len(cutoffs) <= EXACT_TYPES:
        cutoffs = [None if c is None else exact(k) for k, c in enumerate(cutoffs)]
    hold = Plan(best, own_utility(best), 0.0, reject_value, frozenset(), None)
    order = sorted(
        (k for k, c in enumerate(cutoffs) if c is not None and responder.weights[k] > 0),
        key=lambda k: (-(cutoffs[k] or 0.0), k),
    )
    if not order:
        return hold
    # Groups of types with the same cutoff accept and reject together.
    groups: list[tuple[float, float, list[int]]] = []
    for k in order:
        cut = cutoffs[k]
        assert cut is not None
        if groups and abs(groups[-1][0] - cut) < 1e-9:
            groups[-1][2].append(k)
            groups[-1] = (groups[-1][0], groups[-1][1] + responder.weights[k], groups[-1][2])
        else:
            groups.append((cut, responder.weights[k], [k]))
    never = sum(responder.weights[k] for k, c in enumerate(cutoffs) if c is None)
    depth = max(1, proposals_left)
    m = len(groups)
    tail = [never] * (m + 1)
    for i in range(m - 1, -1, -1):
        tail[i] = tail[i + 1] + groups[i][1]
    # value[n][i]: EU with n offers left when groups i.. (and the never-types) remain.
    value = [[reject_value] * (m + 1) for _ in range(depth + 1)]
    choice: list[list[tuple[int, float] | None]] = [[None] * (m + 1) for _ in range(depth + 1)]
    d = reject_value
    for n in range(1, depth + 1):
        for i in range(m, -1, -1):
            mass = tail[i]
            later = d + discount * (value[n - 1][i] - d) if n > 1 else d
            best_value, best_choice = later, None
            if mass > 0:
                accepted = 0.0
                for j in range(i, m):
                    accepted += groups[j][1]
                    tau = groups[j][0]
                    if responder.patient and n > 1:
                        tau = _patient_target(
                            offer, responder, groups[j][2][-1], choice[n - 1][j + 1], tau, low
                        )
                    share = accepted / mass
                    after = d + discount * (value[n - 1][j + 1] - d) if n > 1 else d
                    worth = share * worth_of(tau) + (1 - share) * after
                    # On a tie, offer now rather than wait; never offer a deal worth
                    # no more than disagreement (a deal at zero gain is no deal).
                    if worth >= best_value - 1e-12 and worth > d + 1e-9:
                        best_value, best_choice = worth, (j, tau)
            value[n][i] = best_value
            choice[n][i] = best_choice
    first = choice[depth][0]
    if first is None:
        return Plan(best, own_utility(best), 0.0, value[depth][0], frozenset(), None)
    j, tau = first
    if abs(tau - groups[j][0]) < 1e-12:
        tau = min(exact(k) for k in groups[j][2])
    accepting = frozenset(k for g in groups[: j + 1] for k in g[2])
    nxt = choice[depth - 1][j + 1] if depth > 1 else None
    return Plan(
        offer(tau),
        own_utility(offer(tau)),
        sum(groups[g][1] for g in range(j + 1)) / tail[0],
        value[depth][0],
        accepting,
        offer(nxt[1]) if nxt is not None else None,
    )


def _patient_target(
    offer: Callable[[float], Package],
    responder: ResponderTypes,
    marginal: int,
    next_choice: tuple[int, float] | None,
    myopic: float,
    low: float,
) -> float:
    """The highest target the marginal type takes now rather than wait for the next offer."""
    if next_choice is None or responder.utility is None:
        return myopic
    utility = responder.utility
    reservation = responder.reservations[marginal]
    later = utility(offer(next_choice[1]))
    needed = reservation + responder.discount * (later - reservation)
    if utility(offer(myopic)) >= needed - 1e-12:
        return myopic
    lo, hi = low, myopic
    if utility(offer(lo)) < needed - 1e-12:
        return low
    for _ in range(BISECTION_STEPS):
        mid = (lo + hi) / 2
        if utility(offer(mid)) >= needed - 1e-12:
            lo = mid
        else:
            hi = mid
    return lo


def patient_acceptance(reservation: float, discount: float, later: float | None) -> float:
    """The least a patient responder takes now: ``r + delta * (u(next offer) - r)``."""
    if later is None:
        return reservation
    return reservation + discount * max(0.0, later - reservation)
