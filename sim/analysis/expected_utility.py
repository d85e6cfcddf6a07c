"""Bueno de Mesquita's expected-utility group decision model, as unravelled by Scholz et al.

Each actor i holds a position ``x_i`` on one issue, a capability ``c_i`` and a
salience ``s_i``. A round (Scholz, Calbert & Smith 2011, "Unravelling Bueno de
Mesquita's group decision model", Journal of Theoretical Politics 23(4),
510–531; BDM 1994, 1997):

1. **Votes.** Actor k's vote between positions i and j is
   ``v^k_ij = c_k s_k (|x_k − x_j|^r_k − |x_k − x_i|^r_k)`` on the scale
   normalised to [0, 1] (positive: k prefers i).
2. **Median and mean.** The Condorcet winner among the actors' positions (the
   position no other beats in the pairwise vote with ``r = 1``: the weighted
   median with weights ``c·s``) and the weighted mean ``Σ c s x / Σ c s``.
3. **Probability** that i prevails over j: the votes for i, divided by the
   normaliser ``N`` (see "Ambiguities and choices"):
   ``P_ij = Σ_{k: v^k_ij > 0} v^k_ij / N``.
4. **Utilities** with risk exponent r (positions normalised, ``μ`` the median):
   ``U_s = 2 − 4(0.5 − 0.5|x_i − x_j|)^r`` (success),
   ``U_f = 2 − 4(0.5 + 0.5|x_i − x_j|)^r`` (failure),
   ``U_b = 2 − 4(0.5 − 0.25(|x_i − μ| + |x_i − x_j|))^r`` (things get better),
   ``U_w = 2 − 4(0.5 + 0.25(|x_i − μ| + |x_i − x_j|))^r`` (worse),
   ``U_sq = 2 − 4·0.5^r`` (status quo).
5. **Expected utility of challenge** of i against j:
   ``E(U_ij) = s_j(P_ij U_s + (1 − P_ij) U_f) + (1 − s_j) U_s − Q U_sq
   − (1 − Q)(T U_b + (1 − T) U_w)`` with ``Q = T = 1`` as in the paper.
6. **Risk.** With every ``r = 1``, actor i's exposure is
   ``S_i = Σ_{j≠i} E^j(U_ji)`` (what the others expect from challenging it);
   ``R_i = (2 S_i − max S − min S)/(max S − min S)`` in [−1, 1] and the risk
   exponent is ``r_i = (1 − R_i/3)/(1 + R_i/3)`` in [0.5, 2]. Steps 3–5 are
   then repeated with these exponents.
7. **Offers.** Receiver j looks at every other position i from its own point
   of view (its own ``r_j``), with ``a = E(U_ij)`` (i's gain from challenging
   j) and ``b = E(U_ji)``. If ``a > 0``:
   *conflict* when ``b > 0`` and ``a > b`` (j expects to lose: it moves to
   ``x_i``); *compromise* when ``b < 0`` and ``|b| < a`` (j moves
   ``|b|/a`` of the way to ``x_i``); *capitulation* when ``b < 0`` and
   ``|b| ≥ a`` (j moves to ``x_i``). Each actor takes one offer, and all move
   at the end of the round.

Ambiguities and choices
-----------------------
The paper states the model in prose and equations but leaves some details
open; the published EC emission-standards case (BDM 1994, p. 78) fixes what it
can. The full text of the paper was not at hand while writing this module:
the equations above are the model as BDM and later re-implementations of
Scholz et al. describe it, and every choice below was tested against the
published numbers. Our choices, in order of consequence:

* **Normaliser of P.** Read as written, ``N = Σ_k |v^k_ij|`` (so
  ``P_ij + P_ji = 1``); with it the emission case stays at median 7.0 after
  round 1, not the published 8.4. Public re-implementations that follow
  Scholz et al.'s replication code report that it normalises by the absolute
  votes of *all* voters over *all* ordered pairs of positions,
  ``N = Σ_k Σ_a Σ_b |v^k_ab|``, which makes probabilities small and challenges
  rarer; that reproduces the published median (8.42). Default:
  ``normalisation="all_votes"``; ``"pairwise"`` gives the literal reading.
* **Which offer an actor takes.** The paper and BDM say each actor accepts the
  offer that moves it least (``selection="least_move"``, default). The
  replication code, as reported, prefers conflicts, then compromises, then
  capitulations (``"type_priority"``). Both give the published round-1 median.
* **Whose risk exponent.** Every utility in j's assessment of the pair
  (i, j) uses j's ``r_j`` (BDM's "perspective" of the receiver); votes use each
  voter's own ``r_k``; the median and the security levels use ``r = 1``.
* **Scale.** Distances are normalised by the issue's scale (default: the
  range of the initial positions), fixed over rounds.
* **Ties.** A tie for the median goes to the lower position; equal moves go
  to the offer of the actor listed first. ``Q = T = 1``, so ``U_b``, ``U_w``
  and the median's role in them drop out; ``q`` and ``t`` are parameters.

Known difference. The published round-1 mean is 7.4; this model gives 7.47
(7.46 with ``type_priority``). Belgium's compromise from 7 to 8.42, the move
that makes 8.4 the median, alone lifts the weighted mean from 7.390 to 7.457,
so no reading in which the median moves to 8.4 that way can give a mean that
rounds to 7.4 unless another actor moves down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sim.scenario.distributions import param_mean

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

Normalisation = Literal["all_votes", "pairwise"]
Selection = Literal["least_move", "type_priority"]
OfferKind = Literal["conflict", "compromise", "capitulation"]

_KIND_ORDER: dict[str, int] = {"conflict": 0, "compromise": 1, "capitulation": 2}


@dataclass(frozen=True)
class Offer:
    """A demand that ``receiver`` move, as the receiver sees it.

    Attributes:
        receiver: Index of the actor asked to move.
        sender: Index of the actor whose position it is asked to move toward.
        kind: "conflict", "compromise" or "capitulation".
        position: Where the receiver would move.
        sender_eu: ``E(U_ij)``: the sender's expected utility of challenging,
            as the receiver estimates it.
        receiver_eu: ``E(U_ji)``: the receiver's own expected utility of
            challenging the sender.
    """

    receiver: int
    sender: int
    kind: OfferKind
    position: float
    sender_eu: float
    receiver_eu: float


@dataclass(frozen=True)
class RoundResult:
    """One round of the model: the state it starts from, the offers, the moves.

    Attributes:
        positions: Positions at the start of the round.
        median: Condorcet (weighted) median at the start.
        mean: Capability×salience-weighted mean at the start.
        risk_exponents: ``r_i`` of each actor this round.
        probabilities: ``P[i][j]``, probability that i prevails over j.
        expected_utilities: ``E[i][j]``, i's expected utility of challenging j
            (with its own ``r_i``).
        offers: Every offer made this round.
        accepted: The offer each actor took (None: it stays).
        new_positions: Positions at the end of the round.
        new_median: Median of ``new_positions``.
        new_mean: Weighted mean of ``new_positions``.
        names: Actor names, if given.
    """

    positions: tuple[float, ...]
    median: float
    mean: float
    risk_exponents: tuple[float, ...]
    probabilities: tuple[tuple[float, ...], ...]
    expected_utilities: tuple[tuple[float, ...], ...]
    offers: tuple[Offer, ...]
    accepted: tuple[Offer | None, ...]
    new_positions: tuple[float, ...]
    new_median: float
    new_mean: float
    names: tuple[str, ...] | None = None


def weighted_mean(
    positions: Sequence[float], capabilities: Sequence[float], saliences: Sequence[float]
) -> float:
    """The capability×salience-weighted mean position.

    Args:
        positions: Actor positions.
        capabilities: Actor capabilities.
        saliences: Actor saliences.

    Returns:
        ``Σ c s x / Σ c s`` (the plain mean when every weight is 0).
    """
    weights = [c * s for c, s in zip(capabilities, saliences, strict=True)]
    total = sum(weights)
    if total <= 0:
        return sum(positions) / len(positions)
    return sum(w * x for w, x in zip(weights, positions, strict=True)) / total


def median_position(
    positions: Sequence[float], capabilities: Sequence[float], saliences: Sequence[float]
) -> float:
    """The Condorcet winner among the positions under capability×salience-weighted votes.

    Position ``a`` beats ``b`` when ``Σ_k c_k s_k (|x_k − b| − |x_k − a|) > 0``;
    the position that no other beats minimises ``Σ_k c_k s_k |x_k − a|``, i.e.
    it is the weighted median. Ties go to the lower position.

    Args:
        positions: Actor positions.
        capabilities: Actor capabilities.
        saliences: Actor saliences.

    Returns:
        The median voter position.

    >>> median_position([4, 7, 10], [1, 1, 1], [0.3, 0.1, 0.3])
    7.0
    """
    weights = [c * s for c, s in zip(capabilities, saliences, strict=True)]

    def opposition(a: float) -> float:
        return sum(w * abs(x - a) for w, x in zip(weights, positions, strict=True))

    best = min(sorted(set(positions)), key=lambda a: (round(opposition(a), 12), a))
    return float(best)


def _vote(
    k: int,
    x_i: float,
    x_j: float,
    positions: Sequence[float],
    weights: Sequence[float],
    risks: Sequence[float],
    span: float,
) -> float:
    """Actor k's vote for position x_i over x_j (positive: k prefers x_i)."""
    x_k, r = positions[k], risks[k]
    far: float = (abs(x_k - x_j) / span) ** r
    near: float = (abs(x_k - x_i) / span) ** r
    return weights[k] * (far - near)


def win_probabilities(
    positions: Sequence[float],
    capabilities: Sequence[float],
    saliences: Sequence[float],
    risks: Sequence[float],
    span: float,
    normalisation: Normalisation = "all_votes",
) -> list[list[float]]:
    """``P[i][j]``: the probability that i prevails over j (0 where positions are equal).

    Args:
        positions: Actor positions.
        capabilities: Actor capabilities.
        saliences: Actor saliences.
        risks: Each voter's risk exponent.
        span: Length of the scale (distances are divided by it).
        normalisation: "all_votes" (the replication code) or "pairwise" (the
            formula read literally); see the module docstring.

    Returns:
        An n×n matrix of probabilities.
    """
    n = len(positions)
    weights = [c * s for c, s in zip(capabilities, saliences, strict=True)]
    votes = [
        [
            [
                _vote(k, positions[i], positions[j], positions, weights, risks, span)
                for k in range(n)
            ]
            for j in range(n)
        ]
        for i in range(n)
    ]
    everything = sum(abs(v) for row in votes for column in row for v in column)
    result = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i == j or positions[i] == positions[j]:
                continue
            pair = votes[i][j]
            denominator = everything if normalisation == "all_votes" else sum(abs(v) for v in pair)
            if denominator > 0:
                result[i][j] = sum(v for v in pair if v > 0) / denominator
    return result


def basic_utilities(
    distance: float, distance_to_median: float, risk: float
) -> tuple[float, float, float, float, float]:
    """``(U_s, U_f, U_b, U_w, U_sq)`` for normalised distances and a risk exponent.

    Args:
        distance: ``|x_i − x_j|`` on the normalised scale, in [0, 1].
        distance_to_median: ``|x_i − μ|`` on the normalised scale.
        risk: Risk exponent r (0.5 to 2).

    Returns:
        Utilities of success, failure, improvement, worsening and status quo.

    >>> basic_utilities(0.5, 0.0, 1.0)
    (1.0, -1.0, 0.5, -0.5, 0.0)
    """
    spread = 0.25 * (distance_to_median + distance)
    return (
        2.0 - 4.0 * (0.5 - 0.5 * distance) ** risk,
        2.0 - 4.0 * (0.5 + 0.5 * distance) ** risk,
        2.0 - 4.0 * max(0.5 - spread, 0.0) ** risk,
        2.0 - 4.0 * (0.5 + spread) ** risk,
        2.0 - 4.0 * 0.5**risk,
    )


def expected_utility_of_challenge(
    probability: float,
    target_salience: float,
    distance: float,
    distance_to_median: float,
    risk: float,
    q: float = 1.0,
    t: float = 1.0,
) -> float:
    """``E(U_ij)``: i's expected utility of challenging j (Scholz et al. 2011, eq. 1).

    Args:
        probability: ``P_ij``, the chance that i prevails.
        target_salience: ``s_j``, the chance that j resists at all.
        distance: ``|x_i − x_j|``, normalised.
        distance_to_median: ``|x_i − μ|``, normalised.
        risk: The risk exponent used.
        q: Probability that the status quo holds without a challenge (Q).
        t: Probability that, if it changes, it changes for the better (T).

    Returns:
        ``s_j(P U_s + (1 − P) U_f) + (1 − s_j) U_s − Q U_sq
        − (1 − Q)(T U_b + (1 − T) U_w)``.
    """
    u_s, u_f, u_b, u_w, u_sq = basic_utilities(distance, distance_to_median, risk)
    contested = target_salience * (probability * u_s + (1.0 - probability) * u_f)
    uncontested = (1.0 - target_salience) * u_s
    quiet = q * u_sq + (1.0 - q) * (t * u_b + (1.0 - t) * u_w)
    return contested + uncontested - quiet


def _eu_matrix(
    positions: Sequence[float],
    saliences: Sequence[float],
    probabilities: list[list[float]],
    perspective_risk: Sequence[float] | float,
    median: float,
    span: float,
    q: float,
    t: float,
) -> list[list[float]]:
    """E[i][j] with the risk exponent of i (or one exponent for all)."""
    n = len(positions)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        r = perspective_risk if isinstance(perspective_risk, float) else perspective_risk[i]
        for j in range(n):
            if i == j:
                continue
            matrix[i][j] = expected_utility_of_challenge(
                probabilities[i][j],
                saliences[j],
                abs(positions[i] - positions[j]) / span,
                abs(positions[i] - median) / span,
                r,
                q,
                t,
            )
    return matrix


def risk_exponents(
    positions: Sequence[float],
    capabilities: Sequence[float],
    saliences: Sequence[float],
    span: float,
    normalisation: Normalisation = "all_votes",
    q: float = 1.0,
    t: float = 1.0,
) -> list[float]:
    """Each actor's risk exponent ``r_i = (1 − R_i/3)/(1 + R_i/3)`` from its exposure.

    Args:
        positions: Actor positions.
        capabilities: Actor capabilities.
        saliences: Actor saliences.
        span: Length of the scale.
        normalisation: Normaliser of the win probabilities.
        q: Q of the expected-utility formula.
        t: T of the expected-utility formula.

    Returns:
        Exponents in [0.5, 2] (all 1 when every actor is equally exposed).
    """
    n = len(positions)
    ones = [1.0] * n
    median = median_position(positions, capabilities, saliences)
    probabilities = win_probabilities(positions, capabilities, saliences, ones, span, normalisation)
    eu = _eu_matrix(positions, saliences, probabilities, 1.0, median, span, q, t)
    exposure = [sum(eu[j][i] for j in range(n) if j != i) for i in range(n)]
    high, low = max(exposure), min(exposure)
    if high - low <= 0:
        return ones
    result = []
    for value in exposure:
        big_r = (2.0 * value - high - low) / (high - low)
        result.append((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0))
    return result


def _classify(
    receiver: int, sender: int, a: float, b: float, positions: Sequence[float]
) -> Offer | None:
    """Receiver's reading of the pair: a = E(U_sender,receiver), b = E(U_receiver,sender)."""
    if a <= 0:
        return None
    x_j, x_i = positions[receiver], positions[sender]
    if b > 0:
        if a > b:
            return Offer(receiver, sender, "conflict", x_i, a, b)
        return None
    if abs(b) < a:
        return Offer(receiver, sender, "compromise", x_j + (x_i - x_j) * abs(b) / a, a, b)
    return Offer(receiver, sender, "capitulation", x_i, a, b)


def bdm_round(
    positions: Sequence[float],
    capabilities: Sequence[float],
    saliences: Sequence[float],
    scale: tuple[float, float] | None = None,
    q: float = 1.0,
    t: float = 1.0,
    normalisation: Normalisation = "all_votes",
    selection: Selection = "least_move",
    names: Sequence[str] | None = None,
) -> RoundResult:
    """One round of the expected-utility model (pure: inputs in, result out).

    Args:
        positions: Actor positions on the issue.
        capabilities: Actor capabilities (any non-negative scale).
        saliences: Actor saliences, in [0, 1].
        scale: ``(low, high)`` of the issue; default the positions' range.
        q: Q, probability that the status quo holds unchallenged (paper: 1).
        t: T, probability that change is for the better (paper: 1).
        normalisation: Normaliser of the win probabilities (module docstring).
        selection: How an actor picks among offers (module docstring).
        names: Optional actor names, kept in the result.

    Returns:
        The round's :class:`RoundResult`.

    Raises:
        ValueError: If the inputs differ in length or there are fewer than two actors.
    """
    n = len(positions)
    if not n == len(capabilities) == len(saliences) or n < 2:
        raise ValueError("positions, capabilities and saliences need one entry per actor (>= 2)")
    x = [float(v) for v in positions]
    low, high = scale if scale is not None else (min(x), max(x))
    span = (high - low) or 1.0
    median = median_position(x, capabilities, saliences)
    mean = weighted_mean(x, capabilities, saliences)
    risks = risk_exponents(x, capabilities, saliences, span, normalisation, q, t)
    probabilities = win_probabilities(x, capabilities, saliences, risks, span, normalisation)
    own_view = _eu_matrix(x, saliences, probabilities, risks, median, span, q, t)
    offers: list[Offer] = []
    accepted: list[Offer | None] = []
    for j in range(n):
        # Receiver j's view: every utility with j's own risk exponent.
        view = [
            [
                expected_utility_of_challenge(
                    probabilities[a][b],
                    saliences[b],
                    abs(x[a] - x[b]) / span,
                    abs(x[a] - median) / span,
                    risks[j],
                    q,
                    t,
                )
                if a != b
                else 0.0
                for b in range(n)
            ]
            for a in range(n)
        ]
        received = [
            offer
            for i in range(n)
            if i != j and x[i] != x[j]
            for offer in [_classify(j, i, view[i][j], view[j][i], x)]
            if offer is not None
        ]
        offers.extend(received)
        if not received:
            accepted.append(None)
            continue
        if selection == "type_priority":
            chosen = min(received, key=lambda o: (_KIND_ORDER[o.kind], abs(o.position - x[j])))
        else:
            chosen = min(received, key=lambda o: abs(o.position - x[j]))
        accepted.append(chosen)
    new = tuple(x[j] if offer is None else offer.position for j, offer in enumerate(accepted))
    return RoundResult(
        positions=tuple(x),
        median=median,
        mean=mean,
        risk_exponents=tuple(risks),
        probabilities=tuple(tuple(row) for row in probabilities),
        expected_utilities=tuple(tuple(row) for row in own_view),
        offers=tuple(offers),
        accepted=tuple(accepted),
        new_positions=new,
        new_median=median_position(new, capabilities, saliences),
        new_mean=weighted_mean(new, capabilities, saliences),
        names=tuple(names) if names is not None else None,
    )


def bdm_rounds(
    positions: Sequence[float],
    capabilities: Sequence[float],
    saliences: Sequence[float],
    rounds: int,
    scale: tuple[float, float] | None = None,
    q: float = 1.0,
    t: float = 1.0,
    normalisation: Normalisation = "all_votes",
    selection: Selection = "least_move",
    names: Sequence[str] | None = None,
) -> list[RoundResult]:
    """Run ``rounds`` rounds, each starting where the last ended.

    Args:
        positions: Initial positions.
        capabilities: Actor capabilities.
        saliences: Actor saliences.
        rounds: Number of rounds (>= 0).
        scale: ``(low, high)``; default the initial positions' range, kept fixed.
        q: Q (paper: 1).
        t: T (paper: 1).
        normalisation: Normaliser of the win probabilities.
        selection: How an actor picks among offers.
        names: Optional actor names.

    Returns:
        One :class:`RoundResult` per round; ``result[k].new_median`` is the
        median after round k + 1.

    >>> ec = bdm_rounds([4, 7, 4, 4, 10, 10, 10, 7, 4, 7],
    ...                 [.08, .08, .03, .16, .16, .16, .16, .05, .05, .08],
    ...                 [.8, .4, .2, .8, .6, .6, .9, .1, 1.0, .7], rounds=1)
    >>> round(ec[0].median, 1), round(ec[0].mean, 2), round(ec[0].new_median, 1)
    (7.0, 7.39, 8.4)
    """
    fixed = scale if scale is not None else (min(positions), max(positions))
    results: list[RoundResult] = []
    current: Sequence[float] = positions
    for _ in range(rounds):
        result = bdm_round(
            current, capabilities, saliences, fixed, q, t, normalisation, selection, names
        )
        results.append(result)
        current = result.new_positions
    return results


def bdm_from_scenario(
    scenario: Scenario,
    issue: str | None = None,
    normalisation: Normalisation = "all_votes",
    selection: Selection = "least_move",
) -> list[RoundResult]:
    """Run the model on a scenario's ``expected_utility`` rounds.

    Actors are the members of every side taking part in an ``expected_utility``
    round with the issue on its agenda, and holding a position on it: position
    = ideal, salience and capability at their means. The number of model
    rounds is the total number of exchanges of those rounds; the scale is the
    issue's.

    Args:
        scenario: A validated scenario.
        issue: Issue id; default the first agenda issue of the first
            ``expected_utility`` round.
        normalisation: Normaliser of the win probabilities.
        selection: How an actor picks among offers.

    Returns:
        The rounds, with actor ids as ``names``.

    Raises:
        ValueError: If the scenario has no ``expected_utility`` round for the issue.
    """
    rounds = [r for r in scenario.rounds if r.protocol == "expected_utility"]
    if issue is None and rounds:
        issue = rounds[0].agenda[0]
    rounds = [r for r in rounds if issue in r.agenda]
    if issue is None or not rounds:
        raise ValueError("the scenario has no expected_utility round for this issue")
    members = {m for r in rounds for side in r.participants for m in scenario.side_members(side)}
    actors = [a for a, spec in scenario.actors.items() if a in members and issue in spec.positions]
    specs = [scenario.actors[a] for a in actors]
    return bdm_rounds(
        positions=[spec.positions[issue].ideal for spec in specs],
        capabilities=[param_mean(spec.capability) for spec in specs],
        saliences=[param_mean(spec.positions[issue].salience) for spec in specs],
        rounds=sum(r.exchanges for r in rounds),
        scale=scenario.issues[issue].scale,
        normalisation=normalisation,
        selection=selection,
        names=actors,
    )
