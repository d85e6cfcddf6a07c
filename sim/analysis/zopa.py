"""Zones of possible agreement: who must agree on each issue, and where they overlap.

The ZOPA of an issue is the intersection of the acceptable sets of everyone who
must agree to it. An actor's
acceptable set on an issue is the closed interval between its ideal and its red
line; an indivisible issue can only settle on a labelled point (Fearon 1995,
issue indivisibility), so its ZOPA is the labelled points inside the
intersection. Red lines given as distributions enter at their mean
(:func:`sim.scenario.distributions.param_mean`): this is analysis without
simulation, with every private type at its expected value.

Who must agree on an issue (Putnam 1988, win-sets):

* every participant of every round that has the issue on its agenda; a bloc
  counts as all its members (consensus: the most hardline member binds);
* every veto holder whose veto covers the issue and binds one of those
  participants (a veto that binds a bloc binds its members too, and one that
  binds a member binds any bloc it belongs to);
* an actor without a position on the issue does not constrain it.

In one dimension a family of intervals has a common point exactly when every
two of them meet (Helly's theorem for intervals), so an issue has no ZOPA
exactly when some pair of red lines is incompatible: those pairs are the
``blocking`` red lines. The same holds for labelled points: the pairwise
intersection of the two tightest intervals *is* the whole intersection.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import TYPE_CHECKING

from sim.scenario.distributions import param_mean

if TYPE_CHECKING:
    from sim.scenario.schema import Issue, Scenario

Interval = tuple[float, float]
"""A closed interval ``(low, high)`` with ``low <= high``."""

_TOLERANCE = 1e-9


@dataclass(frozen=True)
class IssueZopa:
    """The zone of possible agreement on one issue.

    Attributes:
        issue: Issue id.
        interval: Intersection of the acceptable intervals of all who must agree,
            or None when it is empty.
        points: For an indivisible issue, the labelled points inside ``interval``
            (ascending); for a divisible issue, empty.
        constraints: Acceptable interval ``(low, high)`` of each actor that must
            agree and holds a position on the issue, in scenario order.
        blocking: Pairs of actors whose acceptable sets share no admissible point
            (their red lines make agreement impossible); empty when a ZOPA exists.
        divisible: Whether positions between labelled points may be offered.
        status_quo: The position that holds if nothing is agreed.
        labels: The label of each entry of ``points`` (via :meth:`Issue.label`).
    """

    issue: str
    interval: Interval | None
    points: list[float] = field(default_factory=list)
    constraints: dict[str, Interval] = field(default_factory=dict)
    blocking: list[tuple[str, str]] = field(default_factory=list)
    divisible: bool = True
    status_quo: float = 0.0
    labels: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        """True when some admissible position is acceptable to everyone who must agree."""
        if self.interval is None:
            return False
        return self.divisible or bool(self.points)

    @property
    def actors(self) -> list[str]:
        """The actors that constrain the issue, in scenario order."""
        return list(self.constraints)


def acceptable_interval(ideal: float, red_line: float) -> Interval:
    """The closed interval between an ideal and a red line, ``(min, max)``.

    Args:
        ideal: The position the actor wants most.
        red_line: The furthest position it will ever accept.

    Returns:
        ``(min(ideal, red_line), max(ideal, red_line))``.

    >>> acceptable_interval(0, 20)
    (0.0, 20.0)
    """
    low, high = sorted((float(ideal), float(red_line)))
    return (low, high)


def intersect(intervals: list[Interval]) -> Interval | None:
    """Common part of closed intervals, or None if they share no point.

    Args:
        intervals: Closed intervals ``(low, high)``; an empty list has no
            intersection (None).

    Returns:
        ``(max of lows, min of highs)`` when it is non-empty, else None.

    >>> intersect([(0.0, 20.0), (10.0, 70.0)])
    (10.0, 20.0)
    >>> intersect([(0.0, 20.0), (30.0, 70.0)]) is None
    True
    """
    if not intervals:
        return None
    low = max(interval[0] for interval in intervals)
    high = min(interval[1] for interval in intervals)
    if low > high + _TOLERANCE:
        return None
    return (low, max(low, high))


def must_agree(scenario: Scenario, issue: str) -> list[str]:
    """Actor ids whose consent an agreement on ``issue`` needs, in scenario order.

    Participants of every round with the issue on its agenda (a bloc as all its
    members, less clients, whose patron consents for them), the mediator of such
    a round if it holds a position on the issue, plus veto holders whose veto
    covers the issue and binds one of them. Actors without a position on the issue are included here; they are
    dropped only when intervals are built (they do not constrain it).

    Args:
        scenario: A validated scenario.
        issue: Issue id.

    Returns:
        Actor ids, each once, in the order of ``scenario.actors``.
    """
    needed: set[str] = set()
    sides: set[str] = set()
    for round_ in scenario.rounds:
        if issue not in round_.agenda:
            continue
        for side in round_.participants:
            sides.add(side)
            needed.update(scenario.side_members(side))
        chair = scenario.actors.get(round_.mediator or "")
        if chair is not None and issue in chair.positions:
            needed.add(round_.mediator)  # type: ignore[arg-type]  # it pays: model section 7.33
    for veto in scenario.vetoes:
        if issue not in veto.issues:
            continue
        bound: set[str] = set()
        for side in veto.binds:
            bound.add(side)
            bound.update(scenario.side_members(side))
        for side in sides:
            if side in bound or bound.intersection(scenario.side_members(side)):
                needed.add(veto.holder)
                break
    # A client's consent is its patron's (model section 7.35).
    return [a for a, spec in scenario.actors.items() if a in needed and spec.client_of is None]


def constraints(scenario: Scenario, issue: str) -> dict[str, Interval]:
    """Acceptable interval of each actor that must agree and has a position on ``issue``.

    Red lines that are distributions enter at their mean; intervals are
    clipped to the issue's scale.

    Args:
        scenario: A validated scenario.
        issue: Issue id.

    Returns:
        Actor id to ``(low, high)``, in scenario order.
    """
    low, high = scenario.issues[issue].scale
    result: dict[str, Interval] = {}
    for actor_id in must_agree(scenario, issue):
        position = scenario.actors[actor_id].positions.get(issue)
        if position is None:
            continue
        lo, hi = acceptable_interval(position.ideal, param_mean(position.red_line))
        result[actor_id] = (max(lo, low), min(hi, high))
    return result


def _points_inside(issue: Issue, interval: Interval | None) -> list[float]:
    if interval is None:
        return []
    lo, hi = interval
    return sorted(float(p) for p in issue.labels if lo - _TOLERANCE <= p <= hi + _TOLERANCE)


def _blocking(issue: Issue, bounds: dict[str, Interval]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for (a, ia), (b, ib) in combinations(bounds.items(), 2):
        common = intersect([ia, ib])
        if common is None or (not issue.divisible and not _points_inside(issue, common)):
            pairs.append((a, b))
    return pairs


def issue_zopa(scenario: Scenario, issue: str) -> IssueZopa:
    """The ZOPA of one issue.

    Args:
        scenario: A validated scenario.
        issue: Issue id.

    Returns:
        An :class:`IssueZopa`. With nobody constraining the issue the interval
        is the whole scale.
    """
    spec = scenario.issues[issue]
    bounds = constraints(scenario, issue)
    interval = (
        intersect(list(bounds.values()))
        if bounds
        else (
            float(spec.scale[0]),
            float(spec.scale[1]),
        )
    )
    points = [] if spec.divisible else _points_inside(spec, interval)
    zone = IssueZopa(
        issue=issue,
        interval=interval,
        points=points,
        constraints=bounds,
        blocking=[],
        divisible=spec.divisible,
        status_quo=float(spec.status_quo),
        labels=[spec.label(p) for p in points],
    )
    if zone.feasible:
        return zone
    return replace(zone, blocking=_blocking(spec, bounds))


def agenda_issues(scenario: Scenario) -> list[str]:
    """Issue ids on at least one round's agenda, in the order of ``scenario.issues``."""
    on_agenda = {issue for round_ in scenario.rounds for issue in round_.agenda}
    return [issue for issue in scenario.issues if issue in on_agenda]


def zopa(scenario: Scenario) -> dict[str, IssueZopa]:
    """The ZOPA of every issue on some round's agenda.

    Args:
        scenario: A validated scenario.

    Returns:
        Issue id to :class:`IssueZopa`, in scenario order.

    >>> from sim.scenario.schema import Scenario
    >>> s = Scenario.model_validate({
    ...     "schema_version": 1, "name": "toy",
    ...     "issues": {"x": {"status_quo": 50}},
    ...     "actors": {"a": {"name": "A", "positions": {"x": {"ideal": 0, "red_line": 60}}},
    ...                "b": {"name": "B", "positions": {"x": {"ideal": 100, "red_line": 40}}}},
    ...     "rounds": [{"id": "r", "venue": "V", "date": "2022-01-10", "participants": ["a", "b"],
    ...                 "protocol": "alternating_offers", "agenda": ["x"], "hours": 1}]})
    >>> zopa(s)["x"].interval
    (40.0, 60.0)
    """
    return {issue: issue_zopa(scenario, issue) for issue in agenda_issues(scenario)}


def full_agreement_possible(zopas: dict[str, IssueZopa]) -> bool:
    """True when every issue has a ZOPA, so one package can satisfy every red line.

    Issues are independent in the acceptable-set model (red lines are per
    issue), so the joint ZOPA is the product of the per-issue ZOPAs.

    Args:
        zopas: Result of :func:`zopa`.

    Returns:
        Whether a full agreement on all agenda issues can exist.
    """
    return all(zone.feasible for zone in zopas.values())


def blocking_red_lines(zopas: dict[str, IssueZopa]) -> dict[str, list[tuple[str, str]]]:
    """The pairs of actors whose red lines leave an issue without a ZOPA.

    Args:
        zopas: Result of :func:`zopa`.

    Returns:
        Issue id to its blocking pairs, for issues without a ZOPA only.
    """
    return {issue: list(zone.blocking) for issue, zone in zopas.items() if not zone.feasible}
