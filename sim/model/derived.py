"""Package completion: derived issues filled in from the issues they depend on (model section 7.36).

A derived issue is never offered. Wherever a package is valued, judged,
offered or agreed, it is *completed*: each derived issue that depends on an
issue of the package gets the position its definition gives, from the
package's positions and, for the issues it depends on that the package leaves
out, the run's current state. Offers keep every derived issue inside the
offering side's red lines on it (a red line on a combination), and a derived
issue ties the issues it depends on into one package, settled together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sim.model.offers import IssueSpace
from sim.model.utility import Stance, Valuation
from sim.scenario.derived import linear_form
from sim.scenario.schema import Issue


@dataclass(frozen=True, slots=True)
class DerivedIssue:
    """One derived issue as ``base + Σ coefficient · position``, clipped to its scale."""

    issue: str
    base: float
    terms: tuple[tuple[str, float], ...]
    low: float
    high: float

    def position(self, package: Mapping[str, float], state: Mapping[str, float]) -> float:
        """Its position: package positions where given, the state's elsewhere."""
        value = self.base
        for dep, coefficient in self.terms:
            value += coefficient * (package[dep] if dep in package else state[dep])
        return min(max(value, self.low), self.high)


class Derivation:
    """The scenario's derived issues, completed against the run's (live) state."""

    def __init__(self, issues: Mapping[str, Issue], state: Mapping[str, float]) -> None:
        self.state = state
        self.scales = {issue_id: spec.scale for issue_id, spec in issues.items()}
        self.rules: dict[str, DerivedIssue] = {}
        for issue_id, spec in issues.items():
            if spec.depends_on:
                base, terms = linear_form(issues, issue_id)
                self.rules[issue_id] = DerivedIssue(issue_id, base, terms, *spec.scale)

    @classmethod
    def of(cls, issues: Mapping[str, Issue], state: Mapping[str, float]) -> Derivation | None:
        """The derivation of a scenario's issues, or None when no issue is derived."""
        return cls(issues, state) if any(spec.depends_on for spec in issues.values()) else None

    def deps(self, issue: str) -> list[str]:
        """The issues a derived issue depends on."""
        return [dep for dep, _ in self.rules[issue].terms]

    def in_play(self, issues: Sequence[str]) -> list[str]:
        """Derived issues (not among ``issues``) that depend on one of ``issues``, in scenario order."""
        given = set(issues)
        return [
            d
            for d, rule in self.rules.items()
            if d not in given and any(dep in given for dep, _ in rule.terms)
        ]

    def complete(self, package: Mapping[str, float]) -> dict[str, float]:
        """The package with every derived issue it feeds added (after its own issues)."""
        completed = dict(package)
        for d, rule in self.rules.items():
            if d not in package and any(dep in package for dep, _ in rule.terms):
                completed[d] = rule.position(package, self.state)
        return completed

    def inside(
        self, text: Mapping[str, float], lines: Mapping[str, tuple[float, float]]
    ) -> dict[str, float]:
        """A chair's draft moved the least distance that puts each derived issue inside ``lines``.

        For a derived issue ``d = base + Σ c_j x_j`` above its upper line ``h`` by
        ``e``, each drafted ``x_j`` moves by ``−e · c_j / Σ c_k²`` (the nearest point
        of the half-space ``d ≤ h``; likewise below the lower line), then back
        inside its scale and its own lines; repeated once per issue it depends
        on, since a position held at such a bound leaves the rest to the others.
        """
        moved = dict(text)
        for issue, rule in self.rules.items():
            if issue not in lines:
                continue
            low, high = lines[issue]
            free = [(dep, c) for dep, c in rule.terms if dep in moved]
            for _ in free:
                value = rule.position(moved, self.state)
                excess = value - high if value > high else value - low if value < low else 0.0
                movable = [
                    (dep, c) for dep, c in free if self._room(moved[dep], dep, excess, lines)
                ]
                norm = sum(c * c for _, c in movable)
                if abs(excess) <= 1e-9 or low > high or norm <= 0:
                    break
                for dep, c in movable:
                    dep_low, dep_high = self._box(dep, lines)
                    moved[dep] = min(max(moved[dep] - excess * c / norm, dep_low), dep_high)
        return moved

    def _box(self, issue: str, lines: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
        """Where an issue may go: its scale, within its own lines when they leave room."""
        low, high = self.scales[issue]
        if issue in lines and lines[issue][0] <= lines[issue][1]:
            low, high = max(low, lines[issue][0]), min(high, lines[issue][1])
        return low, high

    def _room(
        self, position: float, issue: str, excess: float, lines: Mapping[str, tuple[float, float]]
    ) -> bool:
        """Whether the issue can still move against ``excess`` inside its box."""
        low, high = self._box(issue, lines)
        return position > low + 1e-12 if excess > 0 else position < high - 1e-12

    def ties(self, agenda: Sequence[str]) -> list[list[str]]:
        """Per derived issue on the agenda: it and the agenda issues it depends on (one package)."""
        given = set(agenda)
        return [
            [d, *(dep for dep in self.deps(d) if dep in given)] for d in self.rules if d in given
        ]


class CompletedValuation:
    """An actor's utility of offered packages, completed with the derived issues they feed."""

    __slots__ = ("derivation", "plain")

    def __init__(
        self, stances: Mapping[str, Stance], issues: Sequence[str], derivation: Derivation
    ) -> None:
        self.derivation = derivation
        self.plain = Valuation.of(stances, [*issues, *derivation.in_play(issues)])

    @property
    def weight(self) -> float:
        """Sum of the saliences valued (0: the actor cares about none of the issues)."""
        return self.plain.weight

    def __call__(self, package: Mapping[str, float]) -> float:
        """Salience-weighted mean value of the completed package."""
        return self.plain(self.derivation.complete(package))


def limits_reached(
    package: Mapping[str, float],
    derived: Sequence[tuple[DerivedIssue, tuple[float, float]]],
    state: Mapping[str, float],
) -> bool:
    """Whether every derived issue lies inside its limits (within 1e-9)."""
    return all(
        low - 1e-9 <= rule.position(package, state) <= high + 1e-9 for rule, (low, high) in derived
    )


def repair(
    package: dict[str, float],
    spaces: Mapping[str, IssueSpace],
    own: Mapping[str, Stance],
    derived: Sequence[tuple[DerivedIssue, tuple[float, float]]],
    state: Mapping[str, float],
) -> None:
    """Move the package's issues (in place) until each derived issue lies inside its limits.

    Each derived issue outside its limits is brought to the nearer limit by moving
    the offered issues it depends on, cheapest first for the side: in ascending
    ``s_j / (span_j · c_j)`` (own salience per unit of the derived issue), ties by
    issue id, each as far as its space allows (whole labelled points on an
    indivisible issue). A derived issue its spaces cannot bring inside stays out.
    """
    for rule, (low, high) in derived:
        value = rule.position(package, state)
        if low - 1e-9 <= value <= high + 1e-9:
            continue
        need = (low if value < low else high) - value

        def cost(term: tuple[str, float]) -> tuple[float, str]:
            dep, coefficient = term
            stance = own.get(dep)
            weight = stance.salience / stance.span if stance is not None else 0.0
            return (weight / coefficient, dep)

        for dep, coefficient in sorted((t for t in rule.terms if t[0] in spaces), key=cost):
            space, start = spaces[dep], package[dep]
            wanted = min(max(start + need / coefficient, space.low), space.high)
            if not space.divisible:
                wanted = _point_reaching(space, start, wanted)
            package[dep] = wanted
            need -= coefficient * (wanted - start)
            if need * (1 if value < low else -1) <= 1e-12:
                break


def capped_goal(
    package: Mapping[str, float],
    issue: str,
    space: IssueSpace,
    goal: float,
    derived: Sequence[tuple[DerivedIssue, tuple[float, float]]],
    state: Mapping[str, float],
) -> float:
    """How far toward ``goal`` the issue may move before a derived issue leaves its limits."""
    start = package[issue]
    up = goal > start
    for rule, (low, high) in derived:
        coefficient = next((c for dep, c in rule.terms if dep == issue), 0.0)
        if coefficient <= 0:
            continue
        value = rule.position(package, state)
        room = (high - value if up else value - low) / coefficient
        edge = start + max(0.0, room) if up else start - max(0.0, room)
        goal = min(goal, edge) if up else max(goal, edge)
    if not space.divisible and goal != start:
        inside = [
            p
            for p in space.points
            if (start < p <= goal + 1e-12 if up else goal - 1e-12 <= p < start)
        ]
        goal = (max(inside) if up else min(inside)) if inside else start
    return goal


def _point_reaching(space: IssueSpace, start: float, wanted: float) -> float:
    """The labelled point nearest ``start`` at or beyond ``wanted`` (the farthest if none is)."""
    if wanted >= start:
        beyond = [p for p in space.points if p >= wanted - 1e-12]
        return min(beyond) if beyond else space.points[-1]
    beyond = [p for p in space.points if p <= wanted + 1e-12]
    return max(beyond) if beyond else space.points[0]


@dataclass(frozen=True)
class Limits:
    """A side's derived issues on some spaces: how to value, repair, cap and complete its offers.

    ``derived`` pairs each derived issue the spaces feed with the interval the side
    may offer on it (its bounds there).
    """

    derivation: Derivation
    derived: tuple[tuple[DerivedIssue, tuple[float, float]], ...]

    def valuation(self, own: Mapping[str, Stance], issues: Sequence[str]) -> CompletedValuation:
        """``own``'s utility of packages on these issues, completed."""
        return CompletedValuation(own, issues, self.derivation)

    def repair(
        self, package: dict[str, float], spaces: Mapping[str, IssueSpace], own: Mapping[str, Stance]
    ) -> None:
        """Bring every derived issue inside its limits (:func:`repair`)."""
        repair(package, spaces, own, self.derived, self.derivation.state)

    def cap(
        self, package: Mapping[str, float], issue: str, space: IssueSpace, goal: float
    ) -> float:
        """The furthest point toward ``goal`` inside every limit (:func:`capped_goal`)."""
        return capped_goal(package, issue, space, goal, self.derived, self.derivation.state)

    def complete(self, package: Mapping[str, float]) -> dict[str, float]:
        """The package with its derived issues (:meth:`Derivation.complete`)."""
        return self.derivation.complete(package)

    def reach(self, spaces: Mapping[str, IssueSpace]) -> dict[str, tuple[float, float]]:
        """Per derived issue, the positions offers on these spaces can give it, within its limits.

        The function rises in every issue it depends on, so its lowest and highest
        values are at the spaces' lower and upper ends.
        """
        state = self.derivation.state
        lows = {issue: space.low for issue, space in spaces.items()}
        highs = {issue: space.high for issue, space in spaces.items()}
        return {
            rule.issue: (
                max(low, rule.position(lows, state)),
                min(high, rule.position(highs, state)),
            )
            for rule, (low, high) in self.derived
        }
