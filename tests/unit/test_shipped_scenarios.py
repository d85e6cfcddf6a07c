"""Every shipped scenario loads, runs to an outcome, and is listed in the reference docs."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").rglob("*.yaml"))


def test_scenarios_are_shipped() -> None:
    """The baseline, the textbook games and the forecasting case are all there."""
    names = {path.relative_to(ROOT / "scenarios").as_posix() for path in SHIPPED}
    assert "january_2022.yaml" in names
    assert {
        f"textbook/{n}.yaml" for n in ("rubinstein", "ultimatum", "nash_bargaining", "chicken")
    } <= names
    assert "forecasting/ec_emissions.yaml" in names
    assert {
        f"history/{n}.yaml"
        for n in (
            "fashoda_1898",
            "july_crisis_1914",
            "munich_1938",
            "korean_armistice_1951",
            "oslo_1993",
            "dayton_1995",
        )
    } <= names


# What each shipped scenario is built to show, as outcome classes, and why.
EXPECTED: dict[str, tuple[set[str], str]] = {
    "january_2022.yaml": (
        {"war", "talks_continue"},
        "the red lines do not overlap on the core issues and Russia links them into one "
        "package: nothing substantive is agreed, at most further talks, and war follows "
        "in most runs (docs/model.md, the sensitivity of the baseline)",
    ),
    "forecasting/ec_emissions.yaml": (
        {"agreement"},
        "red lines at the far ends of the scale, so the forecast median is inside all of them",
    ),
    "textbook/chicken.yaml": (
        {"deadlock"},
        "a run of population games only (no issue on any agenda) ends in deadlock (docs/model.md)",
    ),
    "textbook/fearon_complete_information.yaml": (
        {"agreement"},
        "Fearon (1995): complete information and costly war leave a range both prefer to war",
    ),
    "textbook/fearon_private_information.yaml": (
        {"agreement", "war"},
        "Fearon (1995): A either gets what B concedes or fights when mutually optimistic",
    ),
    "textbook/nash_bargaining.yaml": ({"agreement"}, "Rubinstein's game ends at the first offer"),
    "textbook/nash_curved.yaml": ({"agreement"}, "Rubinstein's game ends at the first offer"),
    "textbook/rubinstein.yaml": ({"agreement"}, "Rubinstein's game ends at the first offer"),
    "textbook/ultimatum.yaml": ({"agreement"}, "the responder accepts anything at its last offer"),
    "textbook/fearon_take_it_or_leave_it.yaml": (
        {"agreement", "war"},
        "Fearon (1995): the demand trades a larger share against a risk of war (1/3 here)",
    ),
    "textbook/screening.yaml": (
        {"agreement"},
        "Fudenberg & Tirole (1983): the high type buys at once, the low type at the second price",
    ),
    "textbook/costly_delay.yaml": (
        {"agreement"},
        "costs of delay open the bargaining range in the fifth week",
    ),
    **{
        f"counterfactuals/{name}.yaml": (
            {"war", "talks_continue", "deadlock"},
            "a variant of the baseline that leaves its core issues without a ZOPA: "
            "nothing substantive is agreed (docs/counterfactuals.md)",
        )
        for name in (
            "ukraine_at_every_table",
            "enlargement_moratorium",
            "harder_kremlin",
            "softer_kremlin",
            "allies_split",
        )
    },
    **{
        f"counterfactuals/{name}.yaml": (
            {"war", "partial", "talks_continue", "deadlock"},
            "the arms-control issues, which have a ZOPA, can be settled apart from the core "
            "ones: a partial deal or no deal (docs/counterfactuals.md)",
        )
        for name in ("arms_control_first", "no_linkage")
    },
    "textbook/side_payment.yaml": (
        {"agreement"},
        "aid from B buys a border line that had no zone of agreement on its own",
    ),
    "textbook/secret_term.yaml": (
        {"agreement"},
        "A's red line on the secret term softens despite its audience cost (model §7.17)",
    ),
    "textbook/backing_down.yaml": (
        {"agreement"},
        "B gives up its red line to a credible threat of war it would lose (model §7.38)",
    ),
    "textbook/derived_issue.yaml": (
        {"agreement"},
        "centrifuges past 30 bought with the stockpile: breakout, 0.6 c + 0.4 s, stays at or "
        "below the United States' red line of 30 (model §7.36)",
    ),
    "textbook/mediator_aid.yaml": (
        {"agreement"},
        "the mediator's aid buys a border line that had no zone of agreement on its own",
    ),
    "textbook/mediator_guarantee.yaml": (
        {"agreement"},
        "the mediator's promise on signature makes a zone on a border that had none",
    ),
    "textbook/patron_client.yaml": (
        {"agreement"},
        "the patron, sharing its client's war loss, cedes the territory; defecting costs the "
        "client more than the deal loses it",
    ),
    "textbook/war_stakes.yaml": (
        {"agreement"},
        "the bystander, counting what a war on T would cost it, cedes what A's red line "
        "needs; without its stake it does not, and A goes to war",
    ),
    # Historical crises: the record's class, or the classes docs/history.md explains as misses.
    "history/fashoda_1898.yaml": (
        {"agreement", "war"},
        "France backed down; the engine's Britain goes to war (docs/history.md, Fashoda)",
    ),
    "history/july_crisis_1914.yaml": ({"war"}, "Austria-Hungary went to war on Serbia"),
    "history/munich_1938.yaml": (
        {"agreement", "war"},
        "the powers agreed; Britain, fearing a war on Czechoslovakia it would be drawn into, "
        "gives way in most runs, and Germany goes to war in the rest (docs/history.md, Munich)",
    ),
    "history/korean_armistice_1951.yaml": (
        {"agreement", "partial", "deadlock"},
        "an armistice after two years; mostly deadlock in the engine (docs/history.md, Korea)",
    ),
    "history/oslo_1993.yaml": (
        {"partial", "deadlock"},
        "a partial agreement; deadlock when self-government is not agreed (docs/history.md, Oslo)",
    ),
    "history/dayton_1995.yaml": (
        {"agreement", "partial", "deadlock"},
        "agreement; partial or deadlock without the mediator's leverage (docs/history.md, Dayton)",
    ),
}


def test_every_shipped_scenario_has_an_expected_outcome() -> None:
    names = {path.relative_to(ROOT / "scenarios").as_posix() for path in SHIPPED}
    assert names == set(EXPECTED)


@pytest.mark.parametrize(
    "path", SHIPPED, ids=lambda p: p.relative_to(ROOT / "scenarios").as_posix()
)
def test_shipped_scenario_ends_as_it_is_built_to(path: Path) -> None:
    """A seeded run validates, records events, and ends in the class the scenario is built for."""
    allowed, why = EXPECTED[path.relative_to(ROOT / "scenarios").as_posix()]
    scenario = sim.load_scenario(path)
    result = sim.run(scenario, seed=3)
    assert result.outcome.outcome_class in allowed, why
    assert result.transcript, "a run with the transcript on records events"
    assert result.outcome.rounds_played >= 1


@pytest.mark.parametrize(
    "path", SHIPPED, ids=lambda p: p.relative_to(ROOT / "scenarios").as_posix()
)
def test_shipped_scenario_is_in_the_docs(path: Path) -> None:
    """The scenario format reference or the theory page names every shipped file."""
    docs = "".join(
        (ROOT / "docs" / page).read_text(encoding="utf-8")
        for page in ("scenario-format.md", "theory.md", "history.md")
        if (ROOT / "docs" / page).exists()
    )
    assert path.relative_to(ROOT).as_posix() in docs


def test_committed_json_schema_is_current() -> None:
    """docs/scenario.schema.json (which the scenario files point editors at) matches `sim schema`."""
    from sim.cli import scenario_json_schema

    committed = (ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8")
    assert committed.strip() == scenario_json_schema().strip(), (
        "run: sim schema --out docs/scenario.schema.json --force"
    )
