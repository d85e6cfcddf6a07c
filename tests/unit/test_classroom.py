"""What the classroom page shows, without solara: names for ids, the run so far, the tally."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sim.model.model import NegotiationModel
from sim.runner import run
from sim.scenario.loader import load_scenario
from sim.viz import classroom

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
FEARON = ROOT / "scenarios" / "textbook" / "fearon_private_information.yaml"


def test_names_replace_ids_outside_parentheses():
    names = {"a": "Challenger A", "b": "Defender B", "territory": "territory"}
    names = {key: value for key, value in names.items() if key != value}
    assert classroom.with_names("b rejects: b: worth 0.00 to it", names) == (
        "Defender B rejects: Defender B: worth 0.00 to it"
    )
    # a label in parentheses keeps its words, even one spelled like an id
    assert classroom.with_names("a offers territory 40 (a split)", names) == (
        "Challenger A offers territory 40 (a split)"
    )
    # a round's opening line introduces each actor as "id (Name)": the name alone remains
    assert classroom.with_names("at the table: a (Challenger A); b (Defender B)", names) == (
        "at the table: Challenger A; Defender B"
    )
    assert (
        classroom.with_names("b puts a's odds at 0.6", names)
        == "Defender B puts Challenger A's odds at 0.6"
    )


def test_ids_with_underscores_are_named_inside_parentheses_too():
    names = classroom.display_names(load_scenario(BASELINE))
    assert names["united_states"] == "United States" and names["force_posture"] == "force posture"
    assert names["nato"] == "NATO allies"  # the bloc's own name in the scenario
    text = "russia goes to war: core demands unmet (enlargement, force_posture)"
    assert classroom.with_names(text, names) == (
        "Russia goes to war: core demands unmet (enlargement, force posture)"
    )


def test_outcome_block_keeps_its_columns_with_longer_names():
    from sim.report import render_outcome

    scenario = load_scenario(BASELINE)
    shown = classroom.outcome_text(
        render_outcome(run(scenario, seed=3)), classroom.display_names(scenario)
    ).splitlines()
    header = next(line for line in shown if line.startswith("Actors:"))
    rows = shown[shown.index(header) + 1 :]
    assert [row.split("  ")[1].strip() for row in rows][:2] == ["Russia", "United States"]
    column = header.index("utility") + len("utility")
    for row in rows:  # every utility ends under the end of "utility"
        assert row[column - 1].isdigit() and row[column] == " ", row


def test_run_so_far_is_the_transcript_until_now_and_the_result_at_the_end():
    model = NegotiationModel(load_scenario(BASELINE), rng=3)
    assert not classroom.has_dance(model) and not classroom.has_escalation(model)
    for _ in range(4):
        model.step()
    partial = classroom.run_so_far(model)
    assert partial.transcript == list(model.events) and len(partial.transcript) > 4
    assert partial.outcome.reason == "run in progress" and partial.outcome.war is None
    assert partial.rounds == [{"id": "geneva", "venue": "Geneva", "date": "2022-01-10"}]
    assert classroom.has_dance(model)
    model.run_to_end()
    assert classroom.run_so_far(model) == model.result()
    assert classroom.has_escalation(model)


def test_tally_counts_each_class_with_its_seeds():
    scenario = load_scenario(FEARON)
    rows = classroom.tally(scenario, range(10))
    classes = [
        run(scenario, seed=seed, transcript=False).outcome.outcome_class for seed in range(10)
    ]
    assert {row.outcome_class: row.runs for row in rows} == dict(Counter(classes))
    for row in rows:
        assert row.seeds == tuple(
            s for s, found in enumerate(classes) if found == row.outcome_class
        )
    assert classroom.seed_range(10) == "0–9" and classroom.seed_range(1) == "0"


def test_rounds_are_shown_by_venue():
    venues = {"geneva": "Geneva", "lavrov_blinken": "Geneva"}
    assert classroom.round_label("lavrov_blinken", venues) == "Geneva"
    assert classroom.round_label("geneva:home", venues) == "Geneva, home"
    assert classroom.round_label("aftermath", venues) == "aftermath"
