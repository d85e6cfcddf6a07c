"""Fields the engine reads only under a condition are refused where nothing would read them.

Each refusal is one line with the file, line and column the value was written
at. The engine reads ``mandate.audience_cost`` only when a principal revises its
mandate (``soften`` above 0) after its own public escalation (a rung climbed),
model sections 7.17 and 7.38; ``risk_acceptance`` only through a war lottery,
climbs and breaches; a strategy's ``exponent`` and ``horizon`` only for the
kinds they shape; a rung only if someone may climb it, and its deterrence only
against another actor's war option; a first proposer only where sides propose in
turn. Anywhere else the value would be ignored, which validation must say
rather than accept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.scenario.loader import load_scenario_text

SCENARIO = """\
schema_version: 1
name: Audience cost
issues:
  x: {status_quo: 50}
actors:
  a:
    name: A
    escalation: [warning]
    mandate: {soften: 0.5, audience_cost: 0.3}
    positions: {x: {ideal: 0, red_line: 60}}
  b:
    name: B
    positions: {x: {ideal: 100, red_line: 40}}
escalation_ladder:
  warning: {severity: 1, pressure: 0.05}
rounds:
  - {id: r1, venue: V, date: 2020-01-01, participants: [a, b], protocol: alternating_offers, agenda: [x], hours: 2}
  - {id: r2, venue: V, date: 2020-01-08, participants: [a, b], protocol: alternating_offers, agenda: [x], hours: 2}
"""


def validate(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "talks.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        main(["validate", str(path)])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    return code, err.replace(str(path), "talks.yaml")


def test_an_audience_cost_with_a_revised_mandate_and_rungs_is_valid(tmp_path, capsys) -> None:
    assert validate(SCENARIO, tmp_path, capsys) == (0, "")


def test_an_audience_cost_under_a_fixed_mandate_is_refused(tmp_path, capsys) -> None:
    text = SCENARIO.replace("{soften: 0.5, audience_cost: 0.3}", "{soften: 0, audience_cost: 0.3}")
    assert validate(text, tmp_path, capsys) == (
        2,
        "talks.yaml:9:41: actors.a.mandate.audience_cost: its principal never revises the "
        "mandate (soften 0), so nothing uses an audience cost (allowed: 0, or mandate.soften "
        "above 0)\n",
    )


def test_an_audience_cost_without_rungs_is_refused(tmp_path, capsys) -> None:
    text = SCENARIO.replace("    escalation: [warning]\n", "")
    assert validate(text, tmp_path, capsys) == (
        2,
        "talks.yaml:8:43: actors.a.mandate.audience_cost: an audience cost is paid for backing "
        "down after its own public escalation, and it has no escalation rungs (allowed: 0, or "
        "escalation rungs)\n",
    )


def test_a_soften_that_may_be_drawn_above_zero_allows_an_audience_cost() -> None:
    text = SCENARIO.replace("soften: 0.5", "soften: {dist: uniform, low: 0, high: 0.4}")
    scenario = load_scenario_text(text)
    assert scenario.actors["a"].mandate.audience_cost == 0.3


def test_an_override_cannot_make_an_audience_cost_idle() -> None:
    scenario = load_scenario_text(SCENARIO)
    with pytest.raises(sim.UserError, match="actors.a.mandate.audience_cost: its principal"):
        scenario.with_overrides({"actors.a.mandate.soften": 0.0})


# --- other fields read only under a condition ---------------------------------------------


def refusal(text: str) -> str:
    """The one-line error that loading ``text`` as ``t.yaml`` raises."""
    with pytest.raises(sim.UserError) as info:
        load_scenario_text(text, "t.yaml")
    return str(info.value)


B_NAME = "    name: B\n"


def test_a_risk_acceptance_nothing_reads_is_refused() -> None:
    text = SCENARIO.replace(B_NAME, B_NAME + "    risk_acceptance: 0.8\n")
    assert refusal(text) == (
        "t.yaml:13:22: actors.b.risk_acceptance: it has no war option, no escalation rungs and "
        "no breach penalty, so nothing uses its risk acceptance (allowed: leave it out, or give "
        "it war, escalation or breach)"
    )
    # Its breaches read it (the default 0.5 is no choice at all, and passes either way).
    assert load_scenario_text(text.replace("0.8\n", "0.8\n    breach: {penalty: 0.2}\n"))
    assert load_scenario_text(text.replace("0.8\n", "0.5\n"))


def test_a_prior_on_a_risk_acceptance_nothing_reads_is_refused() -> None:
    line = "    positions: {x: {ideal: 0, red_line: 60}}\n"
    text = SCENARIO.replace(line, line + "    beliefs: {b: {risk_acceptance: 0.3}}\n")
    assert refusal(text) == (
        "t.yaml:11:36: actors.a.beliefs.b.risk_acceptance: 'b' has no war option and no "
        "escalation rungs, so nothing uses this prior (allowed: priors on red_lines)"
    )
    # B's war lottery reads it.
    assert load_scenario_text(text.replace(B_NAME, B_NAME + "    war: {against: a, cost: 0.2}\n"))


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        (
            "{kind: hardliner, exponent: 2}",
            "exponent: applies to boulware, linear and conceder, not hardliner",
        ),
        (
            "{kind: strategic, exponent: 2}",
            "exponent: applies to boulware, linear and conceder, not strategic",
        ),
        ("{kind: linear, horizon: round}", "horizon: applies to subgame_perfect, not linear"),
    ],
)
def test_a_strategy_setting_its_kind_never_reads_is_refused(strategy: str, message: str) -> None:
    text = SCENARIO.replace(B_NAME, B_NAME + f"    strategy: {strategy}\n")
    assert refusal(text).startswith("t.yaml:13:")
    assert refusal(text).endswith(f"actors.b.strategy.{message}")
    assert load_scenario_text(
        text.replace("hardliner", "boulware")
        .replace("strategic", "conceder")
        .replace("linear, horizon", "subgame_perfect, horizon")
    )


def test_a_rung_nobody_lists_is_refused() -> None:
    ladder = "  warning: {severity: 1, pressure: 0.05}\n"
    text = SCENARIO.replace(ladder, ladder + "  unused: {severity: 2}\n")
    assert refusal(text) == (
        "t.yaml:16:3: escalation_ladder.unused: no actor's escalation lists it, so nothing uses "
        "it (allowed: name it in an actor's escalation, or leave it out)"
    )


def test_deterrence_needs_a_war_option_held_by_someone_else() -> None:
    text = SCENARIO.replace("pressure: 0.05}", "pressure: 0.05, deterrence: 0.1}")
    expected = (
        "t.yaml:15:54: escalation_ladder.warning.deterrence: no actor but its users has a war "
        "option, so nothing is deterred (allowed: 0, or give another actor war)"
    )
    assert refusal(text) == expected
    a_name = "    name: A\n"
    own_war = text.replace(a_name, a_name + "    war: {against: b, cost: 0.2}\n")
    assert refusal(own_war) == expected.replace("15:54", "16:54")  # its own war deters nobody
    b_war = text.replace(B_NAME, B_NAME + "    war: {against: a, cost: 0.2}\n")
    assert load_scenario_text(b_war).escalation_ladder["warning"].deterrence == 0.1


def test_a_first_proposer_where_nobody_proposes_in_turn_is_refused() -> None:
    chair = "escalation_ladder:\n"
    mediated = SCENARIO.replace(chair, "  chair: {name: Chair, role: mediator}\n" + chair).replace(
        "protocol: alternating_offers, agenda: [x], hours: 2}\n  - {id: r2",
        "protocol: mediated, mediator: chair, first_proposer: b, agenda: [x], hours: 2}\n  - {id: r2",
    )
    assert refusal(mediated) == (
        "t.yaml:18:117: rounds.0.first_proposer: applies to alternating_offers and shuttle rounds "
        "(this one is mediated, where nobody proposes in turn)"
    )
    shuttle = mediated.replace("protocol: mediated", "protocol: shuttle")
    assert load_scenario_text(shuttle).rounds[0].first_proposer == "b"


def test_a_ladder_listed_out_of_severity_order_is_refused() -> None:
    ladder = "  warning: {severity: 1, pressure: 0.05}\n"
    text = SCENARIO.replace(ladder, ladder + "  threat: {severity: 0.5}\n")
    out_of_order = text.replace("escalation: [warning]", "escalation: [warning, threat]")
    assert refusal(out_of_order) == (
        "t.yaml:8:27: actors.a.escalation.1: 'threat' (severity 0.5) is milder than 'warning' "
        "before it (1), and a ladder is climbed in the order listed (allowed: mildest first)"
    )
    in_order = text.replace("escalation: [warning]", "escalation: [threat, warning]")
    assert load_scenario_text(in_order).actors["a"].escalation == ["threat", "warning"]


def test_aftermath_steps_without_days_are_refused() -> None:
    no_days = SCENARIO + "aftermath: {days: 0, step_days: 3}\n"
    assert refusal(no_days) == (
        "t.yaml:19:33: aftermath.step_days: an aftermath of 0 days has no steps, so nothing uses "
        "it (allowed: leave it out, or days above 0)"
    )
    assert load_scenario_text(no_days.replace("days: 0", "days: 9")).aftermath.step_days == 3
