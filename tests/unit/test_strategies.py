"""Unit tests of the concession strategies in :mod:`sim.model.strategies`.

Every strategy's tests inherit :class:`StrategyContract` (STYLE.md point 7): a
strategy is a pure function of the state it is shown (so resetting it is
building a new one), its target stays within its utility range, a seeded run
with it is reproducible, and it never offers outside its own red lines.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import builders
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.model.model import NegotiationModel
from sim.model.strategies import (
    ConcessionState,
    Hardliner,
    TimeDependent,
    TitForTat,
    make_strategy,
)
from sim.scenario.schema import Scenario
from sim.scenario.schema import Strategy as StrategySpec

unit = st.floats(0.0, 1.0)
deltas = st.floats(0.05, 0.95)
# The contract's hypothesis tests run once per inheriting class; the strategy is
# rebuilt inside each example, so running them from several classes is safe.
contract_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
)


@st.composite
def states(draw: st.DrawFn) -> ConcessionState:
    """A consistent concession state: floor <= previous target <= best, t <= T."""
    best = draw(unit)
    floor = draw(st.floats(0.0, best))
    deadline = draw(st.integers(1, 60))
    return ConcessionState(
        exchange=draw(st.integers(0, deadline)),
        deadline=deadline,
        best=best,
        floor=floor,
        previous_target=draw(st.floats(floor, best)),
        opponent_concession=draw(st.floats(-1.0, 1.0)),
        own_discount=draw(deltas),
        opponent_discount=draw(deltas),
    )


def two_party(kind: str, exponent: float | None = None) -> Scenario:
    """'me' (the strategy under test) against a linear opponent: a divisible and a labelled issue."""
    spec: dict[str, Any] = {"kind": kind}
    if exponent is not None:
        spec["exponent"] = exponent
    issues = {
        "arms": {"status_quo": 100},
        "bases": {
            "status_quo": 100,
            "divisible": False,
            "labels": {0: "none", 25: "few", 50: "some", 75: "many", 100: "all"},
        },
    }
    me = {
        "arms": builders.position(0, {"dist": "uniform", "low": 40, "high": 60}),
        "bases": builders.position(10, 60, salience=0.5),
    }
    you = {"arms": builders.position(100, 30), "bases": builders.position(100, 40, salience=0.8)}
    actors = {
        "me": builders.actor("Me", me, strategy=spec, discount=0.9),
        "you": builders.actor("You", you, strategy={"kind": "linear"}, discount=0.9),
    }
    rounds = [
        builders.one_round(["me", "you"], list(issues), hours=10, round_id="talks", venue="Geneva")
    ]
    return builders.build(issues, actors, rounds, name="contract")


class StrategyContract:
    """What every strategy must do. Subclasses set ``kind`` (and ``exponent`` if any)."""

    kind: ClassVar[str]
    exponent: ClassVar[float | None] = None

    def make(self) -> Any:
        """A fresh strategy as a scenario would build it."""
        return make_strategy(StrategySpec(kind=self.kind, exponent=self.exponent))  # type: ignore[arg-type]

    def lowest(self, state: ConcessionState) -> float:
        """The least utility the strategy may aim for in ``state``: its floor."""
        return state.floor

    def highest(self, state: ConcessionState) -> float:
        """The most utility the strategy may aim for in ``state``: its best."""
        return state.best

    def test_has_a_name(self) -> None:
        """The strategy names itself."""
        assert isinstance(self.make().name, str) and self.make().name

    @contract_settings
    @given(state=states())
    def test_target_is_a_pure_function_of_the_state(self, state: ConcessionState) -> None:
        """Same state, same target, from the same object or a fresh one (reset is rebuilding)."""
        strategy = self.make()
        first = strategy.target(state)
        assert strategy.target(state) == first
        assert self.make().target(state) == first

    @contract_settings
    @given(state=states())
    def test_target_stays_within_its_range(self, state: ConcessionState) -> None:
        """The target never exceeds the highest utility allowed nor drops below the lowest."""
        target = self.make().target(state)
        assert self.lowest(state) - 1e-12 <= target <= self.highest(state) + 1e-12

    def test_a_seeded_run_is_reproducible(self) -> None:
        """Two runs with it under the same seed give the same result."""
        scenario = two_party(self.kind, self.exponent)
        first = NegotiationModel(scenario, rng=3).run_to_end().to_json()
        assert NegotiationModel(scenario, rng=3).run_to_end().to_json() == first

    @pytest.mark.parametrize("seed", range(5))
    def test_never_offers_outside_its_own_red_lines(self, seed: int) -> None:
        """Every offer it makes lies between its ideal and its (realised) red line on each issue."""
        model = NegotiationModel(two_party(self.kind, self.exponent), rng=seed)
        result = model.run_to_end()
        offers = [e for e in result.transcript if e.kind == "offer" and e.actor == "me"]
        assert offers
        for offer in offers:
            for issue, position in offer.package.items():
                stance = model.actors["me"].stances[issue]
                low, high = sorted((stance.ideal, stance.red_line))
                assert low - 1e-4 <= position <= high + 1e-4  # the transcript keeps 4 decimals


class TestBoulware(StrategyContract):
    """Boulware: time-dependent with e < 1."""

    kind = "boulware"


class TestLinear(StrategyContract):
    """Linear time-dependent concession."""

    kind = "linear"


class TestConceder(StrategyContract):
    """Conceder: time-dependent with e > 1."""

    kind = "conceder"


class TestTimeDependentWithExponent(StrategyContract):
    """An explicit exponent."""

    kind = "boulware"
    exponent = 0.5

    def test_the_declared_exponent_is_used(self) -> None:
        """A scenario's exponent reaches the strategy."""
        assert self.make() == TimeDependent(exponent=0.5)


class TestHardliner(StrategyContract):
    """Never moves."""

    kind = "hardliner"

    @settings(max_examples=60, deadline=None)
    @given(state=states())
    def test_target_is_always_its_best(self, state: ConcessionState) -> None:
        """Whatever the clock or the other side does, it aims for its best utility."""
        assert Hardliner().target(state) == state.best


class TestTitForTat(StrategyContract):
    """Relative tit-for-tat."""

    kind = "tit_for_tat"

    @settings(max_examples=60, deadline=None)
    @given(state=states())
    def test_mirrors_the_other_sides_concession(self, state: ConcessionState) -> None:
        """Its target drops by exactly what the other side conceded (within [floor, best])."""
        concession = max(0.0, state.opponent_concession)
        expected = min(state.best, max(state.floor, state.previous_target - concession))
        assert TitForTat().target(state) == pytest.approx(expected)

    def test_a_concession_is_mirrored_one_for_one(self) -> None:
        """A concession of 0.1 lowers the target by 0.1; a retraction does not raise it."""
        state = ConcessionState(3, 10, best=1.0, floor=0.2, previous_target=0.8)
        assert TitForTat().target(replace(state, opponent_concession=0.1)) == pytest.approx(0.7)
        assert TitForTat().target(replace(state, opponent_concession=-0.1)) == pytest.approx(0.8)
        assert TitForTat().target(replace(state, opponent_concession=0.0)) == pytest.approx(0.8)

    def test_never_below_floor(self) -> None:
        """A concession larger than the room left stops at the floor."""
        state = ConcessionState(3, 10, best=1.0, floor=0.6, previous_target=0.7)
        assert TitForTat().target(replace(state, opponent_concession=0.5)) == 0.6


class TestSubgamePerfect(StrategyContract):
    """Rubinstein's equilibrium offer and acceptance."""

    kind = "subgame_perfect"

    def lowest(self, state: ConcessionState) -> float:
        """Rubinstein's game values disagreement at the red lines, so a BATNA floor does not bind."""
        return 0.0

    def highest(self, state: ConcessionState) -> float:
        """Its share is of the pie inside both sides' red lines: a utility in [0, 1]."""
        return 1.0

    @settings(max_examples=60, deadline=None)
    @given(own=deltas, other=deltas)
    def test_proposes_rubinsteins_share_and_accepts_its_discounted_next_share(
        self, own: float, other: float
    ) -> None:
        """Split the unit pie: propose (1 - d_o)/(1 - d_s d_o), accept d_s times that."""
        state = ConcessionState(
            0,
            10,
            best=1.0,
            floor=0.0,
            previous_target=1.0,
            own_discount=own,
            opponent_discount=other,
        )
        share = (1 - other) / (1 - own * other)
        strategy = self.make()
        assert strategy.target(state) == pytest.approx(share)
        assert strategy.acceptance(state) == pytest.approx(own * share)


# --- the time-dependent family -----------------------------------------------------------------

exponents = st.floats(0.05, 20.0)


@settings(max_examples=100, deadline=None)
@given(state=states(), exponent=exponents)
def test_time_dependent_target_is_best_at_the_start_and_floor_at_the_deadline(
    state: ConcessionState, exponent: float
) -> None:
    """tau(0) = u_max and tau(T) = u_floor, whatever the exponent (rounds of two or more exchanges)."""
    state = replace(state, deadline=max(2, state.deadline))
    strategy = TimeDependent(exponent=exponent)
    assert strategy.target(replace(state, exchange=0)) == pytest.approx(state.best)
    assert strategy.target(replace(state, exchange=state.deadline)) == pytest.approx(state.floor)


@settings(max_examples=100, deadline=None)
@given(state=states(), exponent=exponents)
def test_time_dependent_target_never_rises(state: ConcessionState, exponent: float) -> None:
    """tau(t) is non-increasing in t (and stays at the floor past the deadline)."""
    strategy = TimeDependent(exponent=exponent)
    targets = [strategy.target(replace(state, exchange=t)) for t in range(state.deadline + 3)]
    assert all(
        later <= earlier + 1e-12 for earlier, later in zip(targets, targets[1:], strict=False)
    )


@settings(max_examples=100, deadline=None)
@given(state=states())
def test_boulware_holds_above_linear_which_holds_above_conceder(state: ConcessionState) -> None:
    """At every t: tau_boulware(t) >= tau_linear(t) >= tau_conceder(t) (default exponents)."""
    boulware = make_strategy(StrategySpec(kind="boulware")).target(state)
    linear = make_strategy(StrategySpec(kind="linear")).target(state)
    conceder = make_strategy(StrategySpec(kind="conceder")).target(state)
    assert boulware >= linear - 1e-12
    assert linear >= conceder - 1e-12


def test_boulware_and_conceder_differ_strictly_in_mid_round() -> None:
    """Half-way through, Boulware has conceded little and Conceder most of the way."""
    state = ConcessionState(5, 10, best=1.0, floor=0.0, previous_target=1.0)
    boulware = make_strategy(StrategySpec(kind="boulware")).target(state)
    conceder = make_strategy(StrategySpec(kind="conceder")).target(state)
    assert boulware > 0.9
    assert conceder < 0.2
    assert conceder < TimeDependent(1.0).target(state) < boulware


def test_default_exponents() -> None:
    """boulware 0.2, linear 1, conceder 5 when the scenario gives none."""
    assert make_strategy(StrategySpec(kind="boulware")) == TimeDependent(0.2)
    assert make_strategy(StrategySpec(kind="linear")) == TimeDependent(1.0)
    assert make_strategy(StrategySpec(kind="conceder")) == TimeDependent(5.0)


def test_next_exchange_moves_the_clock_and_keeps_every_other_field() -> None:
    """The hand-written copy agrees with ``dataclasses.replace``, every field set off its default.

    Fields are filled generically, so a field added later and forgotten in the copy fails here.
    """
    from dataclasses import fields

    from sim.analysis.rubinstein import Pie

    values: dict[str, Any] = {f.name: (i + 1) / 7 for i, f in enumerate(fields(ConcessionState))}
    values.update(exchange=3, deadline=10, pie=Pie(abs, abs, 1.0, 2.0, 0.1, 0.2))
    state = ConcessionState(**values)
    assert state.next_exchange() == replace(state, exchange=4)
