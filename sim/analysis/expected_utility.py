"""Bueno de Mesquita's expected-utility group decision model, as unravelled by Scholz et al.

Each actor i holds a position ``x_i`` on one issue, a capability ``c_i`` and a
salience ``s_i``. Section and equation numbers below are those of Scholz,
Calbert & Smith (2011), "Unravelling Bueno de Mesquita's group decision model"
(ICAART 2011 version; the Journal of Theoretical Politics 23(4), 510–531
version has the same title and may number differently). A round:

1. **Votes** (eqs. 26, 28; Appendix step 3). Actor k's vote between positions
   i and j uses the linear utility of eq. 14:
   ``v^k_ij = c_k s_k (|x_k − x_j| − |x_k − x_i|) / span`` (positive: k prefers i).
2. **Median and mean.** The Condorcet winner among the actors' positions (the
   position no other beats in the pairwise vote: the weighted median with
   weights ``c·s``) and the weighted mean ``Σ c s x / Σ c s``.
3. **Probability** that i prevails over j (§4, eqs. 30–31): the votes for i
   divided by the normaliser ``N`` (see "Ambiguities and choices"):
   ``P_ij = Σ_{k: v^k_ij > 0} v^k_ij / N``. Risk exponents do not enter.
4. **Utilities** with risk exponent r (eqs. 15, 16, 22–24; distances divided
   by ``span``, ``μ`` the median):
   ``U_s = 2 − 4(0.5 − 0.5|x_i − x_j|)^r`` (success),
   ``U_f = 2 − 4(0.5 + 0.5|x_i − x_j|)^r`` (failure),
   ``U_b = 2 − 4(0.5 − 0.25(|x_i − μ| + |x_i − x_j|))^r`` (things get better),
   ``U_w = 2 − 4(0.5 + 0.25(|x_i − μ| + |x_i − x_j|))^r`` (worse),
   ``U_sq = 2 − 4·0.5^r`` (status quo).
5. **Expected utility of challenge** of i against j (eqs. 5–7):
   ``E(U_ij) = s_j(P_ij U_s + (1 − P_ij) U_f) + (1 − s_j) U_s − Q U_sq
   − (1 − Q)(T U_b + (1 − T) U_w)``; the paper takes ``Q = 1`` for the
   emission case (§7), so ``U_b``, ``U_w`` and ``T`` drop out.
6. **Risk** (§5, eqs. 32–34). With every ``r = 1``, actor i's security level
   is ``S_i = Σ_{j≠i} E^j(U_ji)`` (what the others expect from challenging it);
   ``R_i = (2 S_i − max S − min S)/(max S − min S)`` in [−1, 1] and the risk
   exponent is ``r_i = (1 − R_i/3)/(1 + R_i/3)`` in [0.5, 2]. Steps 4–5 are
   then repeated with these exponents (Appendix step 10).
7. **Offers** (§6, figure 6, eq. 35). Receiver j looks at every other position
   i with its own ``r_j``, with ``a = E(U_ij)`` (i's gain from challenging j)
   and ``b = E(U_ji)``. If ``a > 0``: *conflict* when ``b > 0`` and ``a > b``
   (j expects to lose: it moves to ``x_i``); *compromise* when ``b < 0`` and
   ``|b| < a`` (j moves ``|b|/a`` of the way to ``x_i``, eq. 35);
   *capitulation* (the paper's "compel") when ``b < 0`` and ``|b| ≥ a`` (j
   moves to ``x_i``). Both negative: status quo. Each actor takes one offer
   (§6.2: the kind it prefers, conflict before compromise before
   capitulation, and among those the one that moves it least), and all move
   at the end of the round.

Ambiguities and choices
-----------------------
The full text of the paper could not be opened while this module was revised:
the equations, section numbers, quoted rules and Table 2 above and below come
from a public equation-by-equation transcription of the ICAART version
(github.com/hamzagul07/schelling, ``docs/papers/scholz_extract.md``) and from
McKibben-Sanders' public port of the authors' replication code
(github.com/jmckib/bdm-scholz-expected-utility-model), which says where the
code and the paper part. Check them against the paper before relying on them.
What the paper prints, what we do, in order of consequence:

* **Normaliser of P** (§4, eq. 30; Appendix step 5). The paper divides by the
  absolute votes on the pair, ``N = Σ_k |v^k_ij|`` (so ``P_ij + P_ji = 1``).
  Read that way the emission case stays at median 7.0 after round 1 (and
  after every later round), not the published 8.4. The replication code
  divides by the absolute votes of *all* voters over *all* ordered pairs,
  ``N = Σ_k Σ_a Σ_b |v^k_ab|``, which makes probabilities small and challenges
  rarer; that gives 8.42. Default ``normalisation="all_votes"``, a departure
  from the printed equation kept because the paper's own results need it;
  ``"pairwise"`` is the printed equation.
* **Votes and risk exponents** (eqs. 14, 26, 31; Appendix steps 3, 5, 10).
  Eq. 31 prints the votes behind ``P`` with the linear utility of eq. 14,
  and Appendix step 10 names only the utilities as recomputed on the second
  pass. The replication code recomputes ``P`` too, each voter weighing
  distances with its own exponent ``r_k`` (in the votes and in the
  normaliser). We follow the code (``votes="risk"``, the default): with
  linear votes (``votes="linear"``) round 1 ends at median 8.427 rather than
  8.416, and round 6 at 7.524 against the replication's 7.472 and the
  table's 7.4, so the code's reading is the closer one to both.
* **Whose risk exponent** (Appendix step 7; §6). The Appendix writes i's
  expected utility with i's utilities (``r_i``) and j's with j's (``r_j``).
  Read that way, round 1 ends at median 8.78, not 8.4. We keep BDM's
  "perspective" reading, which the code port uses and which gives 8.4: the
  receiver j evaluates both ``E(U_ij)`` and ``E(U_ji)`` with its own ``r_j``.
  The median and the security levels use ``r = 1``.
* **Which offer an actor takes** (§6.2). The paper ranks what a player can
  face, best first: conflict (outcome uncertain), compromise (it loses some
  ground), acquiescence (it loses most), status quo. "If actor i is in
  conflict with several" it concedes to the one that lets it move the
  least; "given equally enforceable proposals, players move the least that
  they can"; offers that are not equally enforceable go to the sender with
  the highest expected utility. The default ``selection="enforcement"``
  reads this as: kind first; among conflicts the least move; among
  compromises and capitulations the sender with the highest expected
  utility ``E(U_ij)`` (as the receiver estimates it), the least move
  breaking ties (expected utilities equal to 12 decimals count as equally
  enforceable). This is what made rounds 4–8 part from the replication
  until this revision: the previous default (``"type_priority"``: kind
  first, then the least move) sends Belgium, near 10 in round 4, to the
  nearer compromise offered by France (whose expected utility is 0.002)
  rather than to the Netherlands' (0.83), so the median stays near 10
  instead of falling to 7.47 in round 6. The replication code ranks
  compromises by the expected-utility-weighted position of sender and
  receiver, lowest first; its porter calls that a mistake, and we do not
  copy it, but on the emission case it takes the same offers as ours in
  all eight rounds. ``"least_move"`` ignores the kind.
* **Octants** (§6, figure 6, eqs. 35–36). The text's sign for the compromise
  in which j has the upper hand contradicts figure 6; we follow the figure
  (the rule is symmetric in i and j). The boundaries of compel and status quo
  are drawn in the figure only; ``|b| ≥ a`` is our reading.
  The replication code's test for capitulation can never hold (it compares
  ``E(U_ji)`` with its own absolute value), so its actors never capitulate;
  on the emission case no actor's choice depends on that.
* **Security level** (§5; Appendix step 8). The prose defines it as what i's
  adversaries expect from challenging i, ``Σ_{j≠i} E^j(U_ji)``; the Appendix
  prints ``E^i(U_ji)``. Both are computed with every ``r = 1``, where they are
  equal.
* **Q and T** (eqs. 7, 20–23; §7). The paper takes ``Q = 1`` for the emission
  case ("no value for Q was given"), as we do by default. Its ``T`` is 1 or 0
  by the geometry of i, j and the median (its cases 1 and 3A against 2 and
  3B); ours is one number ``t`` for every pair. With ``Q = 1`` neither matters.
* **Scale.** Eq. 14 divides distances by ``x_max − x_min``; we divide by the
  issue's scale (default: the range of the initial positions), fixed over
  rounds. In the emission case both are 4 to 10 in every round.
* **Ties.** The paper is silent. A tie for the median goes to the lower
  position; equal moves go to the offer of the actor listed first.

Results. On the emission case (Table 1) the defaults give, after rounds
1–8, medians 8.416, 9.611, 9.962, 9.962, 9.962, 7.472, 8.825, 9.671 and
means 7.461, 7.553, 7.590, 7.358, 7.349, 7.415, 7.510, 7.572: the
replication's numbers. Table 2 of the paper (as transcribed) prints medians
8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6 and means 7.4, 7.5, 7.6, 7.3, 7.3, 7.4,
7.5, 7.6. The paper does not say how it rounds; every value agrees with the
table either rounded or truncated to one decimal, except the round-2 median
(9.61 against 9.9), where the replication parts from the table too. Round
1's mean, 7.46, prints as 7.4 only if truncated: Belgium's compromise from 7
to 8.42, the move that makes 8.4 the median, alone lifts the weighted mean
from 7.390 to 7.457. The paper, like this model, finds that the median does
not settle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sim.scenario.distributions import param_mean

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

Normalisation = Literal["all_votes", "pairwise"]
Selection = Literal["enforcement", "least_move", "type_priority"]
Votes = Literal["risk", "linear"]
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
        risks: Each voter's risk exponent. The model passes 1 for every
            voter (eq. 31 has no exponent); other values are for exploration.
        span: Length of the scale (distances are divided by it).
        normalisation: "all_votes" (the replication code) or "pairwise" (eq. 30
            as printed); see the module docstring.

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


def _choice_key(selection: Selection, position: float) -> Callable[[Offer], tuple[float, ...]]:
    """Sort key of the offers an actor at ``position`` receives: smallest is taken.

    Expected utilities are compared to 12 decimals, so senders whose
    expectations differ only by rounding count as equally enforceable and the
    least move decides between them.
    """

    def move(offer: Offer) -> float:
        return abs(offer.position - position)

    if selection == "least_move":
        return lambda o: (move(o),)
    if selection == "type_priority":
        return lambda o: (_KIND_ORDER[o.kind], move(o))

    def enforcement(offer: Offer) -> tuple[float, ...]:
        rank = _KIND_ORDER[offer.kind]
        strength = 0.0 if offer.kind == "conflict" else -round(offer.sender_eu, 12)
        return (rank, strength, move(offer))

    return enforcement


def bdm_round(
    positions: Sequence[float],
    capabilities: Sequence[float],
    saliences: Sequence[float],
    scale: tuple[float, float] | None = None,
    q: float = 1.0,
    t: float = 1.0,
    normalisation: Normalisation = "all_votes",
    selection: Selection = "enforcement",
    names: Sequence[str] | None = None,
    votes: Votes = "risk",
) -> RoundResult:
    """One round of the expected-utility model (pure: inputs in, result out).

    Args:
        positions: Actor positions on the issue.
        capabilities: Actor capabilities (any non-negative scale).
        saliences: Actor saliences, in [0, 1].
        scale: ``(low, high)`` of the issue; default the positions' range.
        q: Q, probability that the status quo holds unchallenged (paper: 1).
        t: T, probability that change is for the better, one value for every
            pair (the paper's T is 0 or 1 by geometry; moot when q = 1).
        normalisation: Normaliser of the win probabilities (module docstring).
        selection: How an actor picks among offers: "enforcement" (§6.2:
            conflict, then compromise, then capitulation; the least move among
            conflicts, the sender with the highest expected utility among
            compromises and capitulations), "type_priority" (kind first, then
            the least move within a kind) or "least_move" (the least move of
            any kind); module docstring.
        names: Optional actor names, kept in the result.
        votes: "risk": on the second pass each voter weighs distances with its
            own risk exponent, in the votes and in the normaliser of ``P``
            (the replication code); "linear": every vote uses exponent 1
            (eq. 31 as printed).

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
    # Second pass (Appendix step 10): with votes="risk" each voter's exponent
    # also enters the votes behind P, as in the replication code.
    voting = risks if votes == "risk" else [1.0] * n
    probabilities = win_probabilities(x, capabilities, saliences, voting, span, normalisation)
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
        chosen = min(received, key=_choice_key(selection, x[j]))
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
    selection: Selection = "enforcement",
    names: Sequence[str] | None = None,
    votes: Votes = "risk",
) -> list[RoundResult]:
    """Run ``rounds`` rounds, each starting where the last ended.

    Args:
        positions: Initial positions.
        capabilities: Actor capabilities.
        saliences: Actor saliences.
        rounds: Number of rounds (>= 0).
        scale: ``(low, high)``; default the initial positions' range, kept fixed.
        q: Q (paper: 1).
        t: T (moot when q = 1).
        normalisation: Normaliser of the win probabilities.
        selection: How an actor picks among offers (see :func:`bdm_round`).
        names: Optional actor names.
        votes: Whether votes carry the voters' risk exponents (see :func:`bdm_round`).

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
            current, capabilities, saliences, fixed, q, t, normalisation, selection, names, votes
        )
        results.append(result)
        current = result.new_positions
    return results


def bdm_from_scenario(
    scenario: Scenario,
    issue: str | None = None,
    normalisation: Normalisation = "all_votes",
    selection: Selection = "enforcement",
    votes: Votes = "risk",
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
        selection: How an actor picks among offers (see :func:`bdm_round`).
        votes: Whether votes carry the voters' risk exponents (see :func:`bdm_round`).

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
        votes=votes,
    )
