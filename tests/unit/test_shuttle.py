"""Shuttle diplomacy: a mediator meets each side alone and carries one text between them.

Consistency tests of the protocol docs/model.md (section 7.12) states. A wants
x low and takes up to 60; B wants it high and takes no less than 40; each can
walk away to 0.3. The mediator opens halfway between their ideals.
"""

from __future__ import annotations

import pytest
from builders import actor, build, one_round, position
from pydantic import ValidationError

import sim


def shuttle(a_line: float = 60, b_line: float = 40, opening: tuple[float, float] = (0, 100)):
    return build(
        {"x": {"status_quo": 50}},
        {
            "a": actor("A", {"x": position(opening[0], a_line)}, no_deal=0.3),
            "b": actor("B", {"x": position(opening[1], b_line)}, no_deal=0.3),
            "envoy": actor("Envoy", role="mediator"),
        },
        [one_round(["a", "b"], ["x"], protocol="shuttle", mediator="envoy", hours=5)],
    )


@pytest.mark.parametrize(("a_line", "b_line"), [(60, 40), (30, 20), (65, 55)])
def test_the_mediator_finds_a_text_inside_both_red_lines(a_line: float, b_line: float) -> None:
    result = sim.run(shuttle(a_line, b_line), seed=1)
    agreed = result.outcome.agreed["x"]
    assert agreed is not None and b_line - 1e-9 <= agreed.position <= a_line + 1e-9


def test_each_side_is_met_alone_and_objects_in_confidence() -> None:
    result = sim.run(shuttle(30, 20), seed=1)
    offers = [e.text for e in result.transcript if e.kind == "offer"]
    assert offers[0].startswith("envoy meets a alone with the text: x 50")
    assert offers[1].startswith("envoy meets b alone with the text:")
    rejections = [e.text for e in result.transcript if e.kind == "reject"]
    assert rejections[0] == "a tells envoy in confidence: a: crosses its red line on x (50 > 30)"
    assert not [e for e in result.transcript if e.kind == "belief"]


def test_without_a_zone_the_shuttle_finds_nothing() -> None:
    assert sim.run(shuttle(30, 40), seed=1).outcome.agreed["x"] is None


def test_a_shuttle_needs_a_mediator() -> None:
    with pytest.raises(ValidationError, match="mediator: a shuttle round needs a mediator"):
        build(
            {"x": {"status_quo": 50}},
            {"a": actor("A", {"x": position(0, 60)}), "b": actor("B", {"x": position(100, 40)})},
            [one_round(["a", "b"], ["x"], protocol="shuttle")],
        )
