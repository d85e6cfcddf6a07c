"""Figures a teacher can hand out: names not ids, the levels that explain a rejection, readable axes."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import sim
from sim.model.outcome import RunResult
from sim.scenario.schema import Scenario
from sim.viz.plots import PALETTE, concession_plot, escalation_plot, zopa_plot
from sim.viz.style import WAR_LINE_COLOUR

ROOT = Path(__file__).resolve().parents[2]
TEXTBOOK = ROOT / "scenarios" / "textbook"


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return sim.load_scenario(ROOT / "scenarios" / "january_2022.yaml")


@pytest.fixture(scope="module")
def war_run(baseline: Scenario) -> RunResult:
    result = sim.run(baseline, seed=3)
    assert result.outcome.war is not None
    return result


def levels(figure: Figure, kind: str) -> dict[str, float]:
    """Horizontal reference lines of a kind, by side, from the first panel."""
    found = {}
    for line in figure.axes[0].get_lines():
        gid = str(line.get_gid())
        if gid.startswith(f"level:{kind}:"):
            found[gid.rsplit(":", 1)[1]] = float(line.get_ydata()[0])
    return found


def legend_texts(figure: Figure) -> list[str]:
    return [t.get_text() for ax in figure.axes if ax.get_legend() for t in ax.get_legend().texts]


def test_concession_legend_names_the_sides(baseline: Scenario, war_run: RunResult) -> None:
    texts = legend_texts(concession_plot(war_run, baseline))
    assert any(t.startswith("Russia: ") for t in texts)
    assert any(t.startswith("United States: ") for t in texts)
    assert not any(t.startswith(("russia:", "united_states:")) for t in texts)


def test_offers_below_the_red_line_level_are_rejected_for_a_red_line(
    baseline: Scenario, war_run: RunResult
) -> None:
    """Below a side's red-line level an offer must cross one of its red lines, and it says so."""
    figure = concession_plot(war_run, baseline)
    floors = levels(figure, "red lines")
    assert set(floors) == {"russia", "united_states"}
    geneva = [e for e in war_run.transcript if e.round == "geneva"]
    checked = 0
    for offer, reply in itertools.pairwise(geneva):
        if offer.kind != "offer" or reply.kind != "reject":
            continue
        responder = next(side for side in offer.utilities if side != offer.actor)
        if offer.utilities[responder] < floors[responder]:
            assert "red line" in reply.text
            checked += 1
    assert checked >= 10


def test_rubinstein_figure_has_whole_exchanges_and_the_formula_share() -> None:
    scenario = sim.load_scenario(TEXTBOOK / "rubinstein.yaml")
    figure = concession_plot(sim.run(scenario, seed=3), scenario)
    ticks = figure.axes[0].get_xticks()
    assert len(ticks) >= 1 and all(float(t).is_integer() for t in ticks)
    d1 = scenario.actors["first"].discount
    d2 = scenario.actors["second"].discount
    share = (1 - d2) / (1 - d1 * d2)  # Rubinstein (1982), both discounts 0.9: 0.5263
    shown = levels(figure, "Rubinstein")
    assert shown["first"] == pytest.approx(share, abs=1e-6)
    assert shown["second"] == pytest.approx(1 - share, abs=1e-6)


def test_fearon_figure_draws_the_value_of_war() -> None:
    """Fearon (1995): A's war is worth p − c = 0.6 − 0.1; B's, 1 − p_A − c_B with its drawn cost."""
    scenario = sim.load_scenario(TEXTBOOK / "fearon_take_it_or_leave_it.yaml")
    result = sim.run(scenario, seed=3)
    war = levels(concession_plot(result, scenario), "war")
    assert war["a"] == pytest.approx(0.6 - 0.1, abs=1e-6)
    assert war["b"] == pytest.approx(0.4 - result.types["b"]["war_cost"], abs=1e-6)
    assert 0.0 <= result.types["b"]["war_cost"] <= 0.3


def test_zopa_ticks_carry_the_labels_and_the_key_clears_the_title(baseline: Scenario) -> None:
    figure = zopa_plot(baseline)
    figure.canvas.draw()
    first = figure.axes[0]
    ticks = [t.get_text() for t in first.get_xticklabels()]
    assert any("informal moratorium" in t.replace("\n", " ") for t in ticks)
    assert [label.get_text() for label in first.get_yticklabels()][0] == "Russia"
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    assert not figure.legends  # a legend box would sit on a long title: a key under the panels
    key = figure._supxlabel  # noqa: SLF001
    assert "status quo" in key.get_text() and "zone of possible agreement" in key.get_text()
    box = key.get_window_extent(renderer)
    assert all(box.y1 <= ax.get_window_extent(renderer).y0 for ax in figure.axes)
    title = figure._suptitle.get_window_extent(renderer)  # noqa: SLF001
    assert not box.overlaps(title)


def test_escalation_dates_have_months_and_venues_do_not_overlap(
    baseline: Scenario, war_run: RunResult
) -> None:
    figure = escalation_plot(war_run, baseline)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    dates = [t.get_text() for t in figure.axes[-1].get_xticklabels() if t.get_text()]
    assert dates and all(t.split()[-1] in {"Jan", "Feb"} for t in dates)
    venues = [t for ax in figure.axes for t in ax.texts if t.get_gid() == "venue"]
    assert len(venues) == len(war_run.rounds)
    boxes = [t.get_window_extent(renderer) for t in venues]
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second)


def test_war_line_colour_is_no_actors(baseline: Scenario, war_run: RunResult) -> None:
    figure = escalation_plot(war_run, baseline)
    war_lines = [ln for ax in figure.axes for ln in ax.get_lines() if ln.get_gid() == "war_line"]
    assert war_lines and all(ln.get_color() == WAR_LINE_COLOUR for ln in war_lines)
    assert WAR_LINE_COLOUR not in PALETTE
    rung_colours = {
        ln.get_color()
        for ax in figure.axes
        for ln in ax.get_lines()
        if str(ln.get_gid()).startswith("rungs:")
    }
    assert WAR_LINE_COLOUR not in rung_colours


def test_textbook_escalation_is_a_note_not_an_empty_panel() -> None:
    scenario = sim.load_scenario(TEXTBOOK / "rubinstein.yaml")
    figure = escalation_plot(sim.run(scenario, seed=1), scenario)
    assert len(figure.axes) == 1 and not figure.axes[0].axison
    (note,) = figure.axes[0].texts
    assert "no actor an escalation ladder" in note.get_text()


def test_escalation_ticks_and_titles_carry_the_goldstein_weights(
    baseline: Scenario, war_run: RunResult
) -> None:
    """Seed 3: Russia climbs five rungs and the United States four, one without a weight.

    The weights are the baseline file's: rhetoric -2.0, ultimatum -7.0, show_of_force
    -7.2, mobilisation -7.2, recognition -9.5 (sum -32.9); threaten_sanctions -5.8,
    reinforcement -7.2, political_sanctions -8.0 (sum -21.0), arms_deliveries none.
    """
    figure = escalation_plot(war_run, baseline)
    titles = {ax.get_gid(): ax.get_title(loc="left") for ax in figure.axes}
    assert titles["actor:russia"] == "Russia: Goldstein total -32.9"
    assert titles["actor:united_states"] == "United States: Goldstein total -21.0 over 3 of 4 rungs"
    ticks = {ax.get_gid(): [t.get_text() for t in ax.get_yticklabels()] for ax in figure.axes[1:]}
    assert ticks["actor:united_states"] == [
        "none",
        "threaten_sanctions (-5.8)",
        "arms_deliveries",
        "reinforcement (-7.2)",
        "political_sanctions (-8.0)",
    ]
    # Without the scenario there are no weights to show.
    bare = escalation_plot(war_run)
    assert all("Goldstein" not in ax.get_title(loc="left") for ax in bare.axes)
