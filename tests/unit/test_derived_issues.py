"""Derived issues (model section 7.36): a red line on a combination of the issues negotiated.

In ``scenarios/textbook/derived_issue.yaml`` breakout is never offered: it is
``0.6 · centrifuges + 0.4 · stockpile`` (every scale 0 to 100). The United
States' only red line is on breakout (at most 30); Iran's on centrifuges (at
least 40). Expected values below are worked out by hand from that definition
and the model's formulas (sections 7.1-7.8), not read off a run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.batch.eligible import why_not
from sim.errors import UserError
from sim.scenario.derived import derived_position
from sim.scenario.loader import load_scenario_text

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "textbook" / "derived_issue.yaml"
INDEPENDENT = {
    "issues.breakout.depends_on": {},
    "rounds.0.agenda": ["centrifuges", "stockpile", "breakout"],
}
"""The same scenario with breakout an ordinary issue, negotiated on its own."""


def breakout(centrifuges: float, stockpile: float) -> float:
    """The definition, written out: the weighted mean of two issues on the same 0-100 scale."""
    return (0.6 * centrifuges + 0.4 * stockpile) / (0.6 + 0.4)


def agreed(result: sim.RunResult) -> dict[str, float | None]:
    return {i: (a.position if a else None) for i, a in result.outcome.agreed.items()}


@pytest.fixture(scope="module")
def scenario() -> sim.Scenario:
    return sim.load_scenario(SCENARIO)


# --- the function ----------------------------------------------------------------------------


def test_position_is_the_weighted_mean_of_each_issue_s_share_of_its_scale() -> None:
    text = """\
schema_version: 1
name: scales
issues:
  a: {scale: [0, 50], status_quo: 10}
  b: {scale: [100, 200], status_quo: 150}
  d: {scale: [0, 10], status_quo: 4.25, depends_on: {a: 1, b: 3}}
actors:
  x: {name: X, positions: {a: {ideal: 0, red_line: 50}}}
  y: {name: Y, positions: {a: {ideal: 50, red_line: 0}}}
rounds:
  - {id: r, venue: V, date: 2024-01-01, participants: [x, y], protocol: alternating_offers,
     agenda: [a, b], hours: 1}
"""
    issues = load_scenario_text(text, "t.yaml").issues
    # a at 10 is 0.2 of its scale, b at 150 is 0.5: (1·0.2 + 3·0.5) / 4 = 0.425 of [0, 10].
    assert derived_position(issues, "d", {"a": 10, "b": 150}) == pytest.approx(4.25)
    assert derived_position(issues, "d", {"a": 50, "b": 200}) == pytest.approx(10.0)
    assert derived_position(issues, "d", {"a": 0, "b": 100}) == pytest.approx(0.0)


# --- validation ------------------------------------------------------------------------------

BASE = """\
schema_version: 1
name: derived
issues:
  a: {status_quo: 50}
  b: {status_quo: 20}
  d: {status_quo: 38, depends_on: {a: 0.6, b: 0.4}}
actors:
  x: {name: X, positions: {a: {ideal: 0, red_line: 60}, d: {ideal: 0, red_line: 40}}}
  y: {name: Y, positions: {a: {ideal: 100, red_line: 40}, b: {ideal: 100, red_line: 10}}}
rounds:
  - {id: r, venue: V, date: 2024-01-01, participants: [x, y], protocol: alternating_offers,
     agenda: [a, b], hours: 2}
"""


def raised(text: str) -> str:
    with pytest.raises(UserError) as info:
        load_scenario_text(text, "t.yaml")
    return str(info.value)


def test_the_base_file_is_valid_and_its_status_quo_is_the_definition_s() -> None:
    scenario = load_scenario_text(BASE, "t.yaml")
    assert scenario.issues["d"].status_quo == pytest.approx(0.6 * 50 + 0.4 * 20)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{a: 0.6, b: 0.4}",
            "{a: 0.6, zz: 0.4}",
            "t.yaml:6:48: issues.d.depends_on.zz: unknown issue 'zz' (allowed: a, b)",
        ),
        (
            "{a: 0.6, b: 0.4}",
            "{a: 0.6, d: 0.4}",
            "t.yaml:6:47: issues.d.depends_on.d: an issue cannot depend on itself (allowed: a, b)",
        ),
        (
            "{a: 0.6, b: 0.4}",
            "{a: 0, b: 0.4}",
            "t.yaml:6:39: issues.d.depends_on.a: weight 0 (allowed: a number > 0)",
        ),
        (
            "{a: 0.6, b: 0.4}",
            "{a: -1, b: 0.4}",
            "t.yaml:6:39: issues.d.depends_on.a: weight -1 (allowed: a number > 0)",
        ),
        (
            "status_quo: 38,",
            "status_quo: 30,",
            "t.yaml:6:19: issues.d.status_quo: 30 disagrees with its depends_on (allowed: 38, "
            "the weighted mean of their status quos)",
        ),
        (
            "agenda: [a, b]",
            "agenda: [a, b, d]",
            "t.yaml:12:21: rounds.0.agenda.2: 'd' is derived: nobody offers it, it is judged "
            "wherever an issue it depends on is on the agenda (allowed: a, b)",
        ),
        (
            "depends_on: {a: 0.6, b: 0.4}}",
            "depends_on: {a: 0.6, b: 0.4}, divisible: false, labels: {0: x, 100: y}}",
            "t.yaml:6:64: issues.d.divisible: a derived issue is never offered, so only its "
            "dependencies' points matter (allowed: true, the default)",
        ),
    ],
)
def test_declarations_the_engine_could_not_play_are_refused_where_written(
    old: str, new: str, message: str
) -> None:
    assert BASE.count(old) == 1
    assert raised(BASE.replace(old, new)) == message


def test_a_derived_issue_depending_on_a_derived_issue_is_refused() -> None:
    text = BASE.replace(
        "  d: {status_quo: 38,", "  e: {status_quo: 38, depends_on: {d: 1}}\n  d: {status_quo: 38,"
    )
    assert raised(text) == (
        "t.yaml:6:39: issues.e.depends_on.d: 'd' is itself derived; a derived issue depends "
        "only on issues that are negotiated (allowed: a, b)"
    )


def test_a_protocol_that_judges_issues_one_by_one_is_refused_where_it_feeds_one() -> None:
    text = BASE.replace("protocol: alternating_offers", "protocol: expected_utility")
    assert raised(text) == (
        "t.yaml:11:73: rounds.0.protocol: expected_utility judges issues one by one, and agenda "
        "issue 'a' feeds derived issue 'd' (allowed: alternating_offers, mediated, shuttle)"
    )


def test_breach_terms_on_a_derived_issue_are_refused() -> None:
    text = BASE.replace(
        "depends_on: {a: 0.6, b: 0.4}}", "depends_on: {a: 0.6, b: 0.4}, detection: 0.5}"
    )
    text = text.replace("x: {name: X,", "x: {name: X, breach: {penalty: 0.1},")
    assert raised(text).startswith(
        "t.yaml:6:64: issues.d.detection: a derived issue is never agreed or breached on its own"
    )


def test_the_batch_kernel_leaves_derived_issues_to_the_engine(scenario: sim.Scenario) -> None:
    assert "issue breakout sets depends_on, which the kernel does not play" in why_not(scenario)


# --- one offer, worked by hand ----------------------------------------------------------------

ONE_OFFER = {"rounds.0.offers": "one_sided", "rounds.0.hours": 0.5}
"""One exchange: the United States makes a single offer at its floor, Iran takes it or not."""


def test_a_single_offer_keeps_the_combination_inside_the_red_line(scenario: sim.Scenario) -> None:
    """The US's offer, by hand (sections 7.5, 7.8).

    Its floor is its red-line utility over centrifuges, stockpile and breakout,
    (0.5·0 + 0.5·0 + 2·0.7) / 3 = 0.467 (its no-deal value, the status quo,
    is worth 0). From its best package (0, 0) it concedes centrifuges first
    (Iran's salience over its own, 3/0.5 = 6 > 1/0.5 = 2), toward Iran's ideal
    of 100, until breakout reaches its red line: 0.6·c = 30, c = 50. That is
    worth (0.5·0.5 + 0.5·1 + 2·0.7)/3 = 0.717 ≥ 0.467; stockpile cannot move
    without breakout crossing 30. Iran's floor is its red-line utility
    (3·0.4 + 1·0)/4 = 0.3 > its no-deal 0.2, and (50, 0) is worth
    (3·0.5 + 0)/4 = 0.375 to it: it accepts.
    """
    result = sim.run(scenario.with_overrides(ONE_OFFER), seed=1)
    assert agreed(result) == pytest.approx({"centrifuges": 50, "stockpile": 0, "breakout": 30})
    assert result.outcome.utilities["united_states"] == pytest.approx(2.15 / 3, abs=1e-6)
    assert result.outcome.utilities["iran"] == pytest.approx(0.375, abs=1e-6)


def test_without_the_definition_the_same_offer_gives_everything_away(
    scenario: sim.Scenario,
) -> None:
    """Breakout independent: the US concedes centrifuges (ratio 6), then stockpile (2),
    both to 100, which leaves (0.5·0 + 0.5·0 + 2·1)/3 = 0.667 ≥ 0.467; breakout, which
    Iran does not hold, stays at the US's ideal 0. The combination the red line was
    meant to cap is 0.6·100 + 0.4·100 = 100.
    """
    result = sim.run(scenario.with_overrides({**ONE_OFFER, **INDEPENDENT}), seed=1)
    assert agreed(result) == pytest.approx({"centrifuges": 100, "stockpile": 100, "breakout": 0})
    assert breakout(100, 100) == 100 > 30


# --- the shipped scenario --------------------------------------------------------------------


def test_the_agreement_sits_inside_the_red_line_on_the_combination(scenario: sim.Scenario) -> None:
    result = sim.run(scenario, seed=1)
    deal = agreed(result)
    assert result.outcome.outcome_class == "agreement"
    c, s, b = deal["centrifuges"], deal["stockpile"], deal["breakout"]
    assert c is not None and s is not None and b is not None
    assert b == pytest.approx(breakout(c, s), abs=1e-6)  # the agreed state follows its issues
    assert b <= 30 + 1e-9  # the United States' red line, on the combination
    assert c >= 40 - 1e-9  # Iran's red line
    assert c > 30  # beyond what a per-issue red line of 30 on centrifuges would allow


def test_every_offer_carries_its_breakout_and_the_us_never_offers_past_its_line(
    scenario: sim.Scenario,
) -> None:
    result = sim.run(scenario, seed=1)
    offers = [e for e in result.transcript if e.kind == "offer"]
    assert offers
    for event in offers:
        package = event.package
        assert set(package) == {"centrifuges", "stockpile", "breakout"}
        assert package["breakout"] == pytest.approx(
            breakout(package["centrifuges"], package["stockpile"]), abs=1e-3
        )
        if event.actor == "united_states":
            assert package["breakout"] <= 30 + 1e-3
    crossing = [e for e in offers if e.actor == "iran" and e.package["breakout"] > 30 + 1e-3]
    assert crossing  # Iran asks for more than the line allows, and hears why
    rejections = [e for e in result.transcript if e.kind == "reject" and e.actor == "united_states"]
    assert len(rejections) == len(crossing)
    assert all("crosses its red line on breakout" in e.text for e in rejections)


def test_the_independent_issue_gives_another_run(scenario: sim.Scenario) -> None:
    derived = sim.run(scenario, seed=1)
    independent = sim.run(scenario.with_overrides(INDEPENDENT), seed=1)
    assert derived.to_json() != independent.to_json()
    deal = agreed(independent)
    c, s, b = deal["centrifuges"], deal["stockpile"], deal["breakout"]
    assert c is not None and s is not None and b is not None
    assert b != pytest.approx(breakout(c, s), abs=1e-3)  # nothing ties it to them any more


def test_an_issue_off_the_agenda_enters_at_its_state(scenario: sim.Scenario) -> None:
    """Only centrifuges negotiated: breakout = 0.6·c + 0.4·(stockpile's status quo).

    With stockpile at 0, the US's line 0.6·c ≤ 30 and Iran's c ≥ 40 leave c in
    [40, 50]; with stockpile at 100, breakout ≥ 40 whatever c is, so nothing the
    US can accept exists.
    """
    only = {"rounds.0.agenda": ["centrifuges"]}
    low = scenario.with_overrides(
        {**only, "issues.stockpile.status_quo": 0, "issues.breakout.status_quo": 60}
    )
    deal = agreed(sim.run(low, seed=1))
    c, b = deal["centrifuges"], deal["breakout"]
    assert c is not None and 40 - 1e-9 <= c <= 50 + 1e-9
    assert b == pytest.approx(breakout(c, 0), abs=1e-6)
    high = sim.run(scenario.with_overrides(only), seed=1)
    assert agreed(high) == {"centrifuges": None, "breakout": None}
    assert any("red line on breakout" in e.text for e in high.transcript if e.kind == "reject")


CHAIR = "  chair: {name: EU, role: mediator}\nrounds:\n"


@pytest.mark.parametrize("protocol", ["mediated", "shuttle"])
def test_a_chair_drafts_a_text_inside_both_red_lines(protocol: str) -> None:
    text = (
        SCENARIO.read_text(encoding="utf-8")
        .replace("rounds:\n", CHAIR)
        .replace("protocol: alternating_offers,", f"protocol: {protocol}, mediator: chair,")
        .replace("hours: 4", "hours: 12")
    )
    result = sim.run(load_scenario_text(text, "chair.yaml"), seed=1)
    deal = agreed(result)
    c, s, b = deal["centrifuges"], deal["stockpile"], deal["breakout"]
    assert result.outcome.outcome_class == "agreement"
    assert c is not None and s is not None and b is not None
    assert b == pytest.approx(breakout(c, s), abs=1e-6) and b <= 30 + 1e-9 and c >= 40 - 1e-9


@pytest.mark.parametrize(("us", "iran"), [("strategic", "linear"), ("linear", "strategic")])
def test_the_strategic_planner_offers_inside_the_combination(
    scenario: sim.Scenario, us: str, iran: str
) -> None:
    result = sim.run(
        scenario.with_overrides(
            {"actors.united_states.strategy.kind": us, "actors.iran.strategy.kind": iran}
        ),
        seed=1,
    )
    offers = [e for e in result.transcript if e.kind == "offer" and e.actor == "united_states"]
    assert offers and all(e.package["breakout"] <= 30 + 1e-3 for e in offers)
    deal = agreed(result)
    c, s, b = deal["centrifuges"], deal["stockpile"], deal["breakout"]
    assert c is not None and s is not None and b is not None
    assert b == pytest.approx(breakout(c, s), abs=1e-6) and b <= 30 + 1e-9 and c >= 40 - 1e-9


def test_a_breach_of_an_issue_it_depends_on_breaches_it(scenario: sim.Scenario) -> None:
    """Iran may breach at no penalty: reverting centrifuges to 100 gains it utility."""
    result = sim.run(scenario.with_overrides({"actors.iran.breach": {"penalty": 0.0}}), seed=1)
    assert "breached: centrifuges by iran" in result.outcome.reason
    assert "breakout by iran" in result.outcome.reason
    assert result.outcome.stage == "breached"


# --- the analysis ----------------------------------------------------------------------------


def test_the_analysis_checks_the_combination_and_computes_no_free_grid(
    scenario: sim.Scenario,
) -> None:
    """Centrifuges' ZOPA is [40, 100] (Iran's line), stockpile's [0, 100]: breakout can
    reach 0.6·40 + 0.4·0 = 24 to 0.6·100 + 0.4·100 = 100, and the US allows 0 to 30."""
    from sim.analysis import analyze

    analysis = analyze(scenario)
    zone = analysis.derived["breakout"]
    assert zone.reachable == pytest.approx((breakout(40, 0), breakout(100, 100)))
    assert zone.acceptable == (0.0, 30.0)
    assert zone.feasible and analysis.full_agreement_possible
    assert analysis.bargaining is None  # a per-issue grid would treat breakout as free
    assert analysis.predicted_class == "agreement"
    assert any("breakout is derived from centrifuges, stockpile" in r for r in analysis.reasons)


def test_the_analysis_and_the_engine_agree_when_no_package_fits(scenario: sim.Scenario) -> None:
    """Iran's line at 60 centrifuges: breakout ≥ 0.6·60 = 36 > 30 in every package."""
    from sim.analysis import analyze

    harder = scenario.with_overrides({"actors.iran.positions.centrifuges.red_line": 60})
    analysis = analyze(harder)
    assert analysis.derived["breakout"].reachable[0] == pytest.approx(breakout(60, 0))
    assert not analysis.derived["breakout"].feasible
    assert not analysis.full_agreement_possible
    assert analysis.predicted_class == "deadlock"
    assert sim.run(harder, seed=1).outcome.outcome_class == "deadlock"


def test_under_overrides_its_status_quo_follows_the_issues_it_depends_on(
    scenario: sim.Scenario,
) -> None:
    moved = scenario.with_overrides({"issues.stockpile.status_quo": 0})
    assert moved.issues["breakout"].status_quo == pytest.approx(breakout(100, 0))
    with pytest.raises(UserError) as info:
        scenario.with_overrides(
            {"issues.stockpile.status_quo": 0, "issues.breakout.status_quo": 99}
        )
    assert str(info.value) == (
        "--set:1:1: issues.breakout.status_quo: 99 disagrees with its depends_on "
        "(allowed: 60, the weighted mean of their status quos)"
    )


def test_the_report_shows_the_derived_check_and_why_no_solution(scenario: sim.Scenario) -> None:
    from sim.analysis import analyze
    from sim.viz.report_theory import analysis_section

    html = analysis_section(analyze(scenario), scenario, sim.run(scenario, seed=1))
    assert "derived (0.6·centrifuges + 0.4·stockpile)" in html
    assert "Not computed: a derived issue is in play" in html
