"""ZOPA per issue: who must agree, acceptable intervals, intersections, blocking red lines."""

from __future__ import annotations

from typing import Any

from builders import actor as named_actor
from builders import build as build_scenario
from builders import one_round, stances
from hypothesis import given
from hypothesis import strategies as st

from sim.analysis.zopa import (
    acceptable_interval,
    blocking_red_lines,
    full_agreement_possible,
    intersect,
    must_agree,
    zopa,
)
from sim.scenario.schema import Scenario


def actor(positions: dict[str, tuple[float, Any]], **extra: Any) -> dict[str, Any]:
    return named_actor("Actor", stances(positions), **extra)


def build(
    actors: dict[str, Any],
    issues: dict[str, Any] | None = None,
    rounds: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Scenario:
    issues = issues or {"x": {"status_quo": 50}}
    rounds = rounds or [
        one_round(list(actors)[:2], list(issues), round_id="r1", venue="Geneva"),
    ]
    return build_scenario(issues, actors, rounds, **extra)


def brussels(round_id: str) -> dict[str, Any]:
    """Russia against the NATO bloc on x: Brussels, 12 January, four hours."""
    return one_round(
        ["russia", "nato"], ["x"], hours=4, round_id=round_id, venue="Brussels", date="2022-01-12"
    )


def test_acceptable_interval_orders_ideal_and_red_line() -> None:
    assert acceptable_interval(100, 40) == (40.0, 100.0)
    assert acceptable_interval(0, 20) == (0.0, 20.0)


def test_intersect_of_disjoint_intervals_is_none() -> None:
    assert intersect([(0.0, 10.0), (20.0, 30.0)]) is None
    assert intersect([(0.0, 10.0), (10.0, 30.0)]) == (10.0, 10.0)  # touching counts
    assert intersect([]) is None


def test_overlapping_red_lines_give_the_intersection() -> None:
    s = build({"a": actor({"x": (0, 60)}), "b": actor({"x": (100, 40)})})
    zone = zopa(s)["x"]
    assert zone.interval == (40.0, 60.0)
    assert zone.feasible and zone.blocking == []
    assert zone.constraints == {"a": (0.0, 60.0), "b": (40.0, 100.0)}
    assert full_agreement_possible(zopa(s))


def test_disjoint_red_lines_block_and_are_named() -> None:
    s = build({"a": actor({"x": (0, 20)}), "b": actor({"x": (100, 70)})})
    zone = zopa(s)["x"]
    assert zone.interval is None and not zone.feasible
    assert zone.blocking == [("a", "b")]
    assert blocking_red_lines(zopa(s)) == {"x": [("a", "b")]}
    assert not full_agreement_possible(zopa(s))


def test_bloc_members_all_constrain_the_most_hardline_binds() -> None:
    actors = {
        "russia": actor({"x": (0, 50)}),
        "us": actor({"x": (100, 30)}),
        "poland": actor({"x": (100, 45)}),
        "france": actor({"x": (100, 20)}),
    }
    rounds = [brussels("brussels")]
    blocs = {"nato": {"members": ["us", "poland", "france"], "speaker": "us"}}
    s = build(actors, rounds=rounds, blocs=blocs)
    assert must_agree(s, "x") == ["russia", "us", "poland", "france"]
    assert zopa(s)["x"].interval == (45.0, 50.0)  # Poland's red line binds the bloc


def test_absent_veto_holder_must_agree_when_its_veto_binds_a_participant() -> None:
    actors = {
        "russia": actor({"x": (0, 40), "y": (0, 100)}),
        "us": actor({"x": (100, 20), "y": (100, 0)}),
        "ukraine": actor({"x": (100, 60), "y": (100, 90)}),
    }
    issues = {"x": {"status_quo": 70}, "y": {"status_quo": 50}}
    vetoes = [{"holder": "ukraine", "issues": ["x"], "binds": ["us"]}]
    s = build(actors, issues=issues, vetoes=vetoes)
    assert must_agree(s, "x") == ["russia", "us", "ukraine"]
    assert must_agree(s, "y") == ["russia", "us"]  # the veto does not cover y
    assert zopa(s)["x"].blocking == [("russia", "ukraine")]
    assert zopa(s)["y"].feasible


def test_veto_binding_a_member_binds_the_bloc_at_the_table() -> None:
    actors = {
        "russia": actor({"x": (0, 40)}),
        "us": actor({"x": (100, 20)}),
        "uk": actor({"x": (100, 20)}),
        "ukraine": actor({"x": (100, 60)}),
    }
    rounds = [brussels("b")]
    s = build(
        actors,
        rounds=rounds,
        blocs={"nato": {"members": ["us", "uk"], "speaker": "us"}},
        vetoes=[{"holder": "ukraine", "issues": ["x"], "binds": ["us"]}],
    )
    assert "ukraine" in must_agree(s, "x")


def test_actor_without_a_position_does_not_constrain() -> None:
    s = build({"a": actor({"x": (0, 60)}), "b": {"name": "B"}})
    zone = zopa(s)["x"]
    assert zone.constraints == {"a": (0.0, 60.0)}
    assert zone.interval == (0.0, 60.0)


def test_indivisible_issue_keeps_only_labelled_points_inside() -> None:
    issues = {
        "x": {
            "status_quo": 70,
            "divisible": False,
            "labels": {0: "no enlargement", 50: "moratorium", 70: "open door"},
        }
    }
    s = build({"a": actor({"x": (0, 55)}), "b": actor({"x": (100, 40)})}, issues=issues)
    zone = zopa(s)["x"]
    assert zone.interval == (40.0, 55.0)
    assert zone.points == [50.0] and zone.labels == ["moratorium"]
    assert zone.feasible


def test_indivisible_issue_without_a_labelled_point_in_the_overlap_is_blocked() -> None:
    issues = {"x": {"status_quo": 70, "divisible": False, "labels": {0: "none", 70: "open door"}}}
    s = build({"a": actor({"x": (0, 55)}), "b": actor({"x": (100, 40)})}, issues=issues)
    zone = zopa(s)["x"]
    assert zone.interval == (40.0, 55.0)  # the intervals overlap ...
    assert zone.points == [] and not zone.feasible  # ... but no admissible point does
    assert zone.blocking == [("a", "b")]


def test_distributed_red_line_enters_at_its_mean() -> None:
    red = {"dist": "uniform", "low": 40, "high": 80}
    s = build({"a": actor({"x": (0, red)}), "b": actor({"x": (100, 50)})})
    assert zopa(s)["x"].interval == (50.0, 60.0)


def test_only_agenda_issues_are_analysed() -> None:
    issues = {"x": {"status_quo": 50}, "y": {"status_quo": 50}}
    rounds = [one_round(["a", "b"], ["x"], hours=1)]
    s = build(
        {"a": actor({"x": (0, 60), "y": (0, 10)}), "b": actor({"x": (100, 40), "y": (100, 90)})},
        issues=issues,
        rounds=rounds,
    )
    assert list(zopa(s)) == ["x"]


intervals = st.lists(
    st.tuples(st.integers(0, 100), st.integers(0, 100)).map(
        lambda t: (float(min(t)), float(max(t)))
    ),
    min_size=2,
    max_size=6,
)


@given(intervals)
def test_helly_no_zopa_exactly_when_some_pair_is_disjoint(
    bounds: list[tuple[float, float]],
) -> None:
    """Property (Helly's theorem on the line): the family meets iff every pair meets."""
    actors = {f"a{k}": actor({"x": bound}) for k, bound in enumerate(bounds)}
    rounds = [one_round(list(actors), ["x"], "mediated", hours=1, mediator="chair")]
    actors["chair"] = named_actor("Chair", role="mediator")
    zone = zopa(build(actors, rounds=rounds))["x"]
    assert zone.feasible == (zone.blocking == [])
    if zone.interval is not None:
        low, high = zone.interval
        assert all(lo <= low and high <= hi for lo, hi in zone.constraints.values())
