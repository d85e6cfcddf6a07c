"""Beliefs about another actor's private type: weighted particles, updated by Bayes' rule.

A private type is every parameter a scenario draws per run for an actor: its
red lines, its win probability and cost of war, its risk acceptance. Each other
actor starts from a prior over them (by default the scenario's own
distributions: a common prior) held as weighted points, and conditions on what
it observes: an offer rejected rules out the types that would have accepted it,
a costly rung climbed rules out the types for which climbing does not pay
(Fearon 1997, "Signaling foreign policy interests": sinking costs and tying hands).
Every observation keeps a small tremble probability, so a type is never ruled
out for good by a move the observer's model of the other cannot explain.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.scenario.distributions import Param, param_points
from sim.scenario.schema import Actor, Scenario

PARTICLES = 64
"""Points per continuous prior (quantiles, both ends of a bounded support included)."""

EXACT_LIMIT = 256
"""Discrete priors whose product has at most this many points are held exactly."""

TREMBLE = 0.02
"""Likelihood of a move the observer's model says this type would not make."""

REPORTED_MOVE = 0.02
"""A posterior mean that moves by at least this share (of 1, or of the old value) is reported."""


def private_parameters(spec: Actor, scenario: Scenario) -> dict[str, tuple[Param, float, float]]:
    """An actor's drawn parameters by name, each with its prior and allowed range.

    Names: ``red_line.<issue>``, ``win_probability``, ``war_cost``, ``risk_acceptance``.
    Fixed numbers are left out: they are common knowledge.
    """
    params: dict[str, tuple[Param, float, float]] = {}
    for issue, position in spec.positions.items():
        if not isinstance(position.red_line, int | float):
            low, high = scenario.issues[issue].scale
            params[f"red_line.{issue}"] = (position.red_line, low, high)
    if spec.war is not None:
        if spec.war.win_probability is not None and not isinstance(
            spec.war.win_probability, int | float
        ):
            params["win_probability"] = (spec.war.win_probability, 0.0, 1.0)
        if not isinstance(spec.war.cost, int | float):
            params["war_cost"] = (spec.war.cost, 0.0, 1.0)
    if not isinstance(spec.risk_acceptance, int | float):
        params["risk_acceptance"] = (spec.risk_acceptance, 0.0, 1.0)
    return params


@dataclass
class Belief:
    """One actor's belief about another's private type: particles and their weights."""

    about: str
    particles: list[dict[str, float]]
    weights: list[float]
    _means: dict[str, float] = field(default_factory=dict, repr=False)
    _spans: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)
    _columns: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _names: tuple[str, ...] | None = field(default=None, repr=False)
    version: int = 0
    """How many observations it has conditioned on (plans made before are stale)."""

    @property
    def certain(self) -> bool:
        """True when one type holds all the weight (nothing left to learn)."""
        return len(self.particles) == 1

    def mean(self, name: str, default: float) -> float:
        """Posterior mean of a parameter (``default`` when it is not private)."""
        if not self.particles or name not in self.particles[0]:
            return default
        if name not in self._means:
            self._means[name] = sum(
                w * p[name] for p, w in zip(self.particles, self.weights, strict=True)
            )
        return self._means[name]

    def span(self, name: str) -> tuple[float, float] | None:
        """Smallest and largest value a parameter takes over the particles (None if not private)."""
        if not self.particles or name not in self.particles[0]:
            return None
        key = f"span:{name}"
        if key not in self._spans:
            values = [p[name] for p in self.particles]
            self._spans[key] = (min(values), max(values))
        return self._spans[key]

    def column(self, name: str, default: float) -> np.ndarray:
        """One parameter across the particles as an array (``default`` where it is not private)."""
        key = f"column:{name}"
        if key not in self._columns:
            if self.particles and name in self.particles[0]:
                column = np.array([p[name] for p in self.particles], dtype=float)
                column.flags.writeable = False  # shared by every caller
                self._columns[key] = column
            else:
                self._columns[key] = np.full(len(self.particles), np.nan)
        values = self._columns[key]
        if values.size and not np.isnan(values[0]):
            return values  # a private parameter: every particle holds it
        return np.full(len(self.particles), default, dtype=float)

    def names(self) -> tuple[str, ...]:
        """The parameters this belief is about, in the particles' order."""
        if self._names is None:
            self._names = tuple(self.particles[0]) if self.particles else ()
        return self._names

    def condition(
        self, likelihoods: Sequence[float], report: Iterable[str] = ()
    ) -> dict[str, tuple[float, float]]:
        """Bayes' rule; returns the (old, new) mean of each ``report`` parameter that moved.

        Only the parameters the move's likelihood depends on are worth
        reporting: the others shift only by chance correlations among the
        particles.
        """
        if len(set(likelihoods)) <= 1:
            return {}  # every type equally likely to make the move: nothing learned
        names = self.names()
        before = {name: self.mean(name, 0.0) for name in report if name in names}
        posterior = [w * max(lk, 0.0) for w, lk in zip(self.weights, likelihoods, strict=True)]
        total = sum(posterior)
        if total <= 0:
            return {}
        self.weights = [w / total for w in posterior]
        self._means.clear()
        self.version += 1
        moved = {}
        for name, old in before.items():
            new = self.mean(name, 0.0)
            if abs(new - old) >= REPORTED_MOVE * max(1.0, abs(old)):
                moved[name] = (old, new)
        return moved


def prior_belief(
    observer: Actor,
    about_id: str,
    about: Actor,
    scenario: Scenario,
    rng: np.random.Generator,
) -> Belief:
    """The observer's prior about ``about``: the common prior, or the observer's own where declared."""
    params = private_parameters(about, scenario)
    declared = observer.beliefs.get(about_id)
    if declared is not None:
        if declared.win_probability is not None:
            params["win_probability"] = (declared.win_probability, 0.0, 1.0)
        if declared.war_cost is not None:
            params["war_cost"] = (declared.war_cost, 0.0, 1.0)
        if declared.risk_acceptance is not None:
            params["risk_acceptance"] = (declared.risk_acceptance, 0.0, 1.0)
        for issue, prior in declared.red_lines.items():
            low, high = scenario.issues[issue].scale
            params[f"red_line.{issue}"] = (prior, low, high)
    if not params:
        return Belief(about_id, [{}], [1.0])
    points = {
        name: param_points(value, PARTICLES, lo, hi) for name, (value, lo, hi) in params.items()
    }
    names = list(points)
    if (
        all(len(p) < PARTICLES for p in points.values())
        and np.prod([len(p) for p in points.values()]) <= EXACT_LIMIT
    ):
        particles, weights = [], []
        for combo in itertools.product(*(points[n] for n in names)):
            particles.append({n: v for n, (v, _) in zip(names, combo, strict=True)})
            weights.append(float(np.prod([w for _, w in combo])))
        return Belief(about_id, particles, weights)
    # Latin hypercube: each parameter's quantiles, paired across parameters by the run's rng.
    columns = {name: _expand(points[name], PARTICLES) for name in names}
    for name in names[1:]:
        order = rng.permutation(PARTICLES)
        columns[name] = [columns[name][i] for i in order]
    particles = [{n: columns[n][k] for n in names} for k in range(PARTICLES)]
    return Belief(about_id, particles, [1.0 / PARTICLES] * PARTICLES)


def _expand(points: Sequence[tuple[float, float]], count: int) -> list[float]:
    """``count`` values with the points' frequencies (a discrete prior inside a hypercube)."""
    if len(points) == count:
        return [v for v, _ in points]
    values, cumulative = [], 0.0
    edges = []
    for value, weight in points:
        cumulative += weight
        edges.append((cumulative, value))
    for k in range(count):
        level = (k + 0.5) / count
        values.append(next((v for edge, v in edges if level <= edge + 1e-12), edges[-1][1]))
    return values


def describe_move(observer: str, about: str, name: str, old: float, new: float, why: str) -> str:
    """A belief change in words, for the transcript."""
    what = {
        "win_probability": f"{about}'s chance of winning a war",
        "war_cost": f"{about}'s cost of war",
        "risk_acceptance": f"{about}'s risk acceptance",
    }.get(name, f"{about}'s red line on {name.removeprefix('red_line.')}")
    return f"{observer} now puts {what} at {new:.2f}, was {old:.2f}, after {why}"


def type_overrides(particle: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Split a particle into red lines by issue and the other parameters."""
    red_lines = {
        k.removeprefix("red_line."): v for k, v in particle.items() if k.startswith("red_line.")
    }
    others = {k: v for k, v in particle.items() if not k.startswith("red_line.")}
    return red_lines, others
