"""Sensitivity of the January 2022 baseline: P(war) and P(agreement) against six levers.

Each row varies one lever over a few settings (every other number as in the
baseline, private types still drawn per run) and plays the same block of seeds
for each setting. "agreement" counts runs in which any substantive issue was
agreed (a full or partial deal); "talks" runs that agreed only to keep talking.

Run: python examples/baseline_sensitivity.py [--runs 200]
The table in docs/model.md ("Sensitivity of the baseline") was printed by this
script with --runs 200; tests/unit/test_sensitivity.py checks that every lever
moves P(war) or P(agreement) where the docs say it does.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import sim

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "january_2022.yaml"

WESTERN_RUNGS = ["threaten_sanctions", "arms_deliveries", "reinforcement", "political_sanctions"]
ALLIES = ["united_states", "eastern_flank", "western_europe"]
ARMS_CONTROL = ["missiles", "exercises"]
CORE_PACKAGE = [["enlargement", "force_posture", "nuclear_posture"]]


def scaled(baseline: sim.Scenario, field: str, factor: float) -> dict[str, Any]:
    """Overrides multiplying one effect (pressure or deterrence) of every Western rung."""
    return {
        f"escalation_ladder.{rung}.{field}": round(
            float(getattr(baseline.escalation_ladder[rung], field)) * factor, 6
        )
        for rung in WESTERN_RUNGS
    }


def flexible_on_arms_control() -> dict[str, Any]:
    """Every ally ready to accept anything on missiles and exercises (red lines at 0)."""
    return {f"actors.{a}.positions.{i}.red_line": 0 for a in ALLIES for i in ARMS_CONTROL}


def rigid_on_arms_control(baseline: sim.Scenario) -> dict[str, Any]:
    """Every ally accepts nothing but its ideal on missiles and exercises."""
    return {
        f"actors.{a}.positions.{i}.red_line": baseline.actors[a].positions[i].ideal
        for a in ALLIES
        for i in ARMS_CONTROL
    }


def moratorium_acceptable() -> dict[str, Any]:
    """Every ally would accept an informal moratorium on enlargement (30); Ukraine would not."""
    return {f"actors.{a}.positions.enlargement.red_line": 30 for a in ALLIES}


def rows(baseline: sim.Scenario) -> list[tuple[str, str, dict[str, Any]]]:
    """(lever, setting, overrides) for every line of the table."""
    grouped = {"actors.russia.linkage": CORE_PACKAGE}
    table: list[tuple[str, str, dict[str, Any]]] = [("baseline", "as shipped", {})]
    for rho in (0.1, 0.5, 0.9):
        table.append(
            ("Russia's risk acceptance", f"{rho:g}", {"actors.russia.risk_acceptance": rho})
        )
    for cost in (0.05, 0.25, 0.45):
        table.append(("Russia's cost of war", f"{cost:g}", {"actors.russia.war.cost": cost}))
    for factor in (0.0, 1.0, 3.0):
        table.append(
            ("Western sanctions pressure", f"x{factor:g}", scaled(baseline, "pressure", factor))
        )
    for factor in (0.0, 1.0, 3.0):
        table.append(("Western deterrence", f"x{factor:g}", scaled(baseline, "deterrence", factor)))
    table.append(("NATO flexibility on arms control", "flexible", flexible_on_arms_control()))
    for label, overrides in (
        ("rigid", rigid_on_arms_control(baseline)),
        ("as shipped", {}),
        ("flexible", flexible_on_arms_control()),
    ):
        table.append(
            (
                "NATO flexibility on arms control",
                f"{label}, Russia links only its core package",
                {**overrides, **grouped},
            )
        )
    table.append(("Ukraine's veto", "removed", {"vetoes": []}))
    settle = {
        **moratorium_acceptable(),
        "actors.russia.positions.enlargement.red_line": 30,
        "actors.russia.linkage": False,
    }
    table.append(("Ukraine's veto", "kept, a moratorium acceptable to all but Ukraine", settle))
    table.append(
        (
            "Ukraine's veto",
            "removed, a moratorium acceptable to all but Ukraine",
            {**settle, "vetoes": []},
        )
    )
    return table


def measure(scenario: sim.Scenario, runs: int, seed: int = 0) -> dict[str, float]:
    """Shares of war, substantive agreement and talks-only over ``runs`` seeds."""
    counts = {"war": 0, "agreement": 0, "talks": 0}
    for offset in range(runs):
        outcome = sim.run(scenario, seed=seed + offset, transcript=False).outcome
        counts["war"] += outcome.outcome_class == "war"
        counts["agreement"] += outcome.outcome_class in ("agreement", "partial") or any(
            agreement is not None and not scenario.issues[issue].procedural
            for issue, agreement in outcome.agreed.items()
        )
        counts["talks"] += outcome.outcome_class == "talks_continue"
    return {key: value / runs for key, value in counts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="seeds per setting")
    args = parser.parse_args()
    baseline = sim.load_scenario(BASELINE)
    print("| lever | setting | P(war) | P(agreement) | P(talks only) |")
    print("|---|---|---|---|---|")
    for lever, setting, overrides in rows(baseline):
        shares = measure(baseline.with_overrides(overrides), args.runs)
        print(
            f"| {lever} | {setting} | {shares['war']:.2f} | {shares['agreement']:.2f} "
            f"| {shares['talks']:.2f} |"
        )


if __name__ == "__main__":
    main()
