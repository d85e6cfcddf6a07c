"""Unit tests of the pure offer-building functions in :mod:`sim.model.offers`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.offers import (
    IssueSpace,
    admissible,
    best_package,
    concession_order,
    logrolled_offer,
)
from sim.model.utility import Stance, Valuation, package_utility

ISSUES = ["i0", "i1", "i2", "i3"]


def stance(ideal: float, red_line: float, salience: float = 1.0) -> Stance:
    """A linear stance on a 0-100 scale."""
    return Stance(ideal, red_line, salience, 0.0, 100.0)


# --- IssueSpace and admissible ------------------------------------------------------------------


def test_snap_clamps_to_an_interval_and_rounds_to_the_nearest_point() -> None:
    """A divisible space clamps; an indivisible one returns its nearest labelled point."""
    assert IssueSpace(10.0, 60.0).snap(80.0) == 60.0
    assert IssueSpace(10.0, 60.0).snap(30.0) == 30.0
    assert IssueSpace(0.0, 100.0, (0.0, 30.0, 70.0)).snap(45.0) == 30.0


def test_admissible_intersects_and_keeps_only_points_inside() -> None:
    """Restricting to red-line bounds keeps the overlap, or None when there is none."""
    assert admissible(IssueSpace(0.0, 100.0), (20.0, 50.0)) == IssueSpace(20.0, 50.0)
    assert admissible(IssueSpace(0.0, 100.0), (120.0, 150.0)) is None
    points = IssueSpace(0.0, 100.0, (0.0, 30.0, 70.0, 100.0))
    assert admissible(points, (20.0, 80.0)) == IssueSpace(30.0, 70.0, (30.0, 70.0))
    assert admissible(points, (35.0, 65.0)) is None


# --- log-rolling order --------------------------------------------------------------------------


def test_concession_order_puts_first_what_the_other_values_most_relative_to_own() -> None:
    """Issues are ordered by other side's salience / own salience, highest first."""
    own = {"a": stance(0, 100, 1.0), "b": stance(0, 100, 0.2), "c": stance(0, 100, 0.5)}
    other = {"a": stance(100, 0, 0.2), "b": stance(100, 0, 1.0), "c": stance(100, 0, 0.5)}
    assert concession_order(own, other, ["a", "b", "c"]) == ["b", "c", "a"]


def test_logrolled_offer_concedes_first_where_the_other_cares_most_relative_to_own() -> None:
    """A small concession is made entirely on the issue with the highest salience ratio.

    Own saliences (x 1.0, y 0.2), other's (x 0.2, y 1.0): giving ground on y is
    cheap for us and worth much to them, so x stays at our ideal.
    """
    own = {"x": stance(0, 100, 1.0), "y": stance(0, 100, 0.2)}
    other = {"x": stance(100, 0, 0.2), "y": stance(100, 0, 1.0)}
    spaces = {"x": IssueSpace(0.0, 100.0), "y": IssueSpace(0.0, 100.0)}
    offer = logrolled_offer(own, other, spaces, target=0.95)
    assert offer["x"] == pytest.approx(0.0, abs=1e-9)
    assert offer["y"] > 0.0
    assert package_utility(own, offer) == pytest.approx(0.95, abs=1e-6)


def test_logrolled_offer_moves_to_the_next_issue_only_when_the_first_is_fully_conceded() -> None:
    """A larger concession gives the whole cheap issue first, then part of the dear one."""
    own = {"x": stance(0, 100, 1.0), "y": stance(0, 100, 0.2)}
    other = {"x": stance(100, 0, 0.2), "y": stance(100, 0, 1.0)}
    spaces = {"x": IssueSpace(0.0, 100.0), "y": IssueSpace(0.0, 100.0)}
    offer = logrolled_offer(own, other, spaces, target=0.5)
    assert offer["y"] == pytest.approx(100.0)
    assert 0.0 < offer["x"] < 100.0
    assert package_utility(own, offer) == pytest.approx(0.5, abs=1e-6)


def test_logrolled_offer_opens_at_the_best_package_when_the_target_is_its_worth() -> None:
    """At the side's best utility the offer is its best admissible package."""
    own = {"x": stance(10, 90), "y": stance(40, 90)}
    other = {"x": stance(90, 10), "y": stance(90, 10)}
    spaces = {"x": IssueSpace(20.0, 80.0), "y": IssueSpace(0.0, 100.0, (0.0, 50.0, 100.0))}
    best = best_package(own, spaces)
    assert best == {"x": 20.0, "y": 50.0}
    assert logrolled_offer(own, other, spaces, package_utility(own, best)) == best


# --- generated cases ----------------------------------------------------------------------------

coordinates = st.integers(0, 100).map(float)


saliences = st.just(0.0) | st.floats(1e-12, 1.0)
"""Saliences as validation lets them through (0, or 1e-12 and up: no underflow)."""


@st.composite
def spaces_and_stances(draw: st.DrawFn, divisible: bool | None = None) -> tuple:
    """Own and other stances on 1-4 issues and an admissible space per issue."""
    issues = ISSUES[: draw(st.integers(1, 4))]
    own, other, spaces = {}, {}, {}
    for issue in issues:
        own[issue] = stance(draw(coordinates), draw(coordinates), draw(saliences))
        other[issue] = stance(draw(coordinates), draw(coordinates), draw(saliences))
        low = draw(coordinates)
        high = draw(st.integers(int(low), 100).map(float))
        is_divisible = draw(st.booleans()) if divisible is None else divisible
        if is_divisible:
            spaces[issue] = IssueSpace(low, high)
        else:
            points = tuple(sorted(draw(st.sets(st.integers(int(low), int(high)), min_size=1))))
            floats = tuple(float(p) for p in points)
            spaces[issue] = IssueSpace(min(floats), max(floats), floats)
    return own, other, spaces


@settings(max_examples=200, deadline=None)
@given(case=spaces_and_stances(), target=st.floats(-0.2, 1.2))
def test_logrolled_offer_never_leaves_the_admissible_space(case: tuple, target: float) -> None:
    """Every offered position lies in its issue's space: inside the interval, on a labelled point."""
    own, other, spaces = case
    offer = logrolled_offer(own, other, spaces, target)
    assert set(offer) == set(spaces)
    for issue, position in offer.items():
        space = spaces[issue]
        assert space.low - 1e-9 <= position <= space.high + 1e-9
        if not space.divisible:
            assert position in space.points


@settings(max_examples=200, deadline=None)
@given(case=spaces_and_stances(), target=st.floats(0.0, 1.0))
def test_logrolled_offer_never_falls_below_its_target(case: tuple, target: float) -> None:
    """The offer is worth at least the target, unless even the best package is worth less."""
    own, other, spaces = case
    offer = logrolled_offer(own, other, spaces, target)
    best = best_package(own, spaces)
    worth = package_utility(own, offer, list(spaces))
    if package_utility(own, best, list(spaces)) <= target:
        assert offer == best
    else:
        assert worth >= target - 1e-9


@settings(max_examples=200, deadline=None)
@given(case=spaces_and_stances(divisible=True), share=st.floats(0.0, 1.0))
def test_logrolled_offer_meets_the_target_on_divisible_issues(case: tuple, share: float) -> None:
    """On divisible issues a reachable target is met within 1e-6.

    Reachable means between the worth of the best package and the worth of the
    package conceding every issue as far toward the other side as the space allows.
    """
    own, other, spaces = case
    issues = list(spaces)
    best = best_package(own, spaces)
    conceded = {issue: spaces[issue].snap(other[issue].ideal) for issue in issues}
    top = package_utility(own, best, issues)
    bottom = package_utility(own, conceded, issues)
    target = bottom + share * (top - bottom)
    offer = logrolled_offer(own, other, spaces, target)
    assert package_utility(own, offer, issues) == pytest.approx(target, abs=1e-6)


# --- the fast paths give what the plain definitions give ----------------------------------------

POSITIONS = st.floats(-20.0, 120.0, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    points=st.lists(st.integers(0, 100), min_size=1, max_size=8, unique=True),
    position=POSITIONS,
    halfway=st.booleans(),
)
def test_snap_is_the_first_nearest_point(points: list[int], position: float, halfway: bool) -> None:
    """Bisection finds the point ``min(points, key=distance)`` finds, ties going to the lower."""
    ordered = tuple(float(p) for p in sorted(points))
    if halfway and len(ordered) > 1:
        position = (ordered[0] + ordered[1]) / 2  # exactly between two points
    space = IssueSpace(ordered[0], ordered[-1], ordered)
    clamped = min(max(position, ordered[0]), ordered[-1])
    assert space.snap(position) == min(ordered, key=lambda p: abs(p - clamped))


def test_snap_between_two_points_takes_the_lower() -> None:
    assert IssueSpace(0.0, 100.0, (0.0, 30.0, 70.0)).snap(50.0) == 30.0


@settings(max_examples=150, deadline=None)
@given(
    sides=st.lists(
        st.tuples(st.integers(0, 100), st.integers(0, 100), st.floats(0.0, 1.0)),
        min_size=4,
        max_size=4,
    ),
    shape=st.sampled_from(["linear", "quadratic"]),
    package=st.lists(POSITIONS, min_size=4, max_size=4),
    issues=st.lists(st.sampled_from(ISSUES), min_size=0, max_size=4, unique=True),
)
def test_a_prepared_valuation_gives_package_utility_to_the_last_bit(
    sides: list[tuple[int, int, float]], shape: str, package: list[float], issues: list[str]
) -> None:
    """Valuation.of(...)(package) is package_utility(...) exactly, zero saliences included."""
    stances = {
        issue: Stance(float(ideal), float(red), salience, 0.0, 100.0, shape)  # type: ignore[arg-type]
        for issue, (ideal, red, salience) in zip(ISSUES[:3], sides, strict=False)
    }
    offer = dict(zip(ISSUES, package, strict=True))
    assert Valuation.of(stances, issues)(offer) == package_utility(stances, offer, issues)


def test_offers_on_labelled_points_walk_point_by_point_toward_the_other_side() -> None:
    """Worked by hand: own utility 0.25 x/100 + 0.75 y/100, points every 10.

    The other side weighs x three times as much as y, so x is conceded first.
    Target 0.85: x may fall to 40 (0.1 + 0.75), and y cannot move one point
    (y = 90 gives 0.775). Target 0.6: x goes all the way to 0 (0.75), then y may
    fall to 80 (0.6) but not to 70 (0.525).
    """
    own = {"x": stance(100.0, 0.0, 0.25), "y": stance(100.0, 0.0, 0.75)}
    other = {"x": stance(0.0, 100.0, 0.75), "y": stance(0.0, 100.0, 0.25)}
    points = tuple(float(p) for p in range(0, 101, 10))
    spaces = {"x": IssueSpace(0.0, 100.0, points), "y": IssueSpace(0.0, 100.0, points)}
    assert logrolled_offer(own, other, spaces, 0.85) == {"x": 40.0, "y": 100.0}
    assert logrolled_offer(own, other, spaces, 0.6) == {"x": 0.0, "y": 80.0}
