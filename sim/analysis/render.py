"""The analysis as text: ZOPA table, bargaining solutions, Fearon ranges, games, forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.analysis.utility import short

if TYPE_CHECKING:
    from sim.analysis import Analysis
    from sim.analysis.derived import DerivedZopa
    from sim.scenario.schema import Scenario


def _position(scenario: Scenario, issue: str, position: float) -> str:
    spec = scenario.issues[issue]
    label = spec.label(position) if spec.labels else ""
    return f"{short(position)} ({label})" if label else short(position)


def _derived_line(scenario: Scenario, issue: str, derived: DerivedZopa) -> str:
    """A derived issue's check: what its dependencies' ZOPAs reach and what every red line allows."""
    weights = " + ".join(f"{w:g}·{dep}" for dep, w in derived.depends_on.items())
    reach = (
        f"{short(derived.reachable[0])} to {short(derived.reachable[1])}"
        if derived.reachable is not None
        else "nothing (an issue it depends on has no ZOPA)"
    )
    allowed = (
        f"{short(derived.acceptable[0])} to {short(derived.acceptable[1])}"
        if derived.acceptable is not None
        else "nothing (red lines do not overlap)"
    )
    verdict = "inside every red line" if derived.feasible else "NO package keeps it inside"
    return (
        f"  {issue} (derived: weighted mean of {weights}): the ZOPAs above reach {reach}; "
        f"every red line allows {allowed}: {verdict}"
    )


def render_analysis(analysis: Analysis, scenario: Scenario) -> str:
    """Every closed-form result for a scenario, with labels, ending in the predicted class."""
    lines = [f"Analysis of {analysis.scenario} (distributions at their means)", ""]
    if analysis.zopa:
        lines.append("== Zone of possible agreement (ZOPA) per issue ==")
        for issue, zone in analysis.zopa.items():
            who = ", ".join(
                f"{a} [{short(lo)}, {short(hi)}]" for a, (lo, hi) in zone.constraints.items()
            )
            if zone.feasible and zone.interval is not None:
                low, high = zone.interval
                if zone.divisible:
                    where = (
                        f"{_position(scenario, issue, low)} to {_position(scenario, issue, high)}"
                    )
                else:
                    where = "; ".join(_position(scenario, issue, p) for p in zone.points)
                lines.append(f"  {issue}: ZOPA {where}")
            else:
                pairs = ", ".join(f"{a} vs {b}" for a, b in zone.blocking[:4])
                more = f" (+{len(zone.blocking) - 4} more)" if len(zone.blocking) > 4 else ""
                lines.append(f"  {issue}: NO ZOPA — red lines do not overlap: {pairs}{more}")
            lines.append(f"      status quo {_position(scenario, issue, zone.status_quo)}")
            lines.append(f"      acceptable sets: {who}")
        for issue, derived in analysis.derived.items():
            lines.append(_derived_line(scenario, issue, derived))
        verdict = "yes" if analysis.full_agreement_possible else "no"
        lines.append(f"  A full agreement inside every red line exists: {verdict}")
        lines.append("")
    if analysis.bargaining is not None:
        b = analysis.bargaining
        lines.append(f"== Bargaining solutions ({b.parties[0]} vs {b.parties[1]}) ==")
        lines.append(
            f"  disagreement utilities ({b.disagreement_basis}): "
            f"{b.disagreement[0]:.3f}, {b.disagreement[1]:.3f}"
        )
        for name, solution in (
            ("Nash", b.nash),
            ("weighted Nash", b.weighted_nash),
            ("Kalai-Smorodinsky", b.kalai_smorodinsky),
        ):
            if solution is None:
                continue
            package = ", ".join(
                f"{i} {_position(scenario, i, x)}" for i, x in solution.package.items()
            )
            lines.append(
                f"  {name}: {package} → utilities {solution.utilities[0]:.3f}, "
                f"{solution.utilities[1]:.3f}"
            )
        lines.append("")
    if analysis.rubinstein is not None:
        r = analysis.rubinstein
        lines.append("== Rubinstein alternating offers ==")
        lines.append(
            f"  {r.first_proposer} (δ={r.proposer_delta:g}) opens against {r.responder} "
            f"(δ={r.responder_delta:g}) on {r.issue}: share "
            + ("(solved for the curved utilities)" if r.curved else "(1-δ2)/(1-δ1δ2)")
            + f" = {r.proposer_share:.4f}"
        )
        lines.append(
            f"  with {r.exchanges} offers in the round (finite horizon): {r.finite_share:.4f}"
        )
        lines.append("")
    if analysis.fearon:
        lines.append("== Fearon (1995) bargaining ranges ==")
        for pair in analysis.fearon:
            low, high = pair.range
            state = "EMPTY" if pair.empty else f"({low:.2f}, {high:.2f})"
            lines.append(
                f"  {pair.actor} vs {pair.target}: p = {pair.p:.2f}, c = {pair.cost:.2f}, "
                f"war worth {pair.war_value:.2f} to {pair.actor}; "
                f"range of {pair.actor}'s share that beats war for both: {state}"
                + ("; mutual optimism: war possible" if pair.mutual_optimism else "")
            )
        lines.append("")
    for round_id, game_solution in analysis.games.items():
        game = game_solution.game
        lines.append(f"== Game of round {round_id}: equilibria (nashpy) ==")
        for eq in game_solution.equilibria:
            kind = "pure" if eq.pure else "mixed"
            lines.append(
                f"  {kind}: row plays {game.actions[1]} with p = {eq.row[1]:.4f}, column with "
                f"p = {eq.column[1]:.4f}; payoffs {eq.payoffs[0]:.3f}, {eq.payoffs[1]:.3f}"
            )
        lines.append("")
    for issue, rounds in analysis.expected_utility.items():
        lines.append(f"== Expected-utility forecast on {issue} (Bueno de Mesquita) ==")
        if rounds:
            lines.append(f"  start: median {rounds[0].median:.2f}, mean {rounds[0].mean:.2f}")
        for number, result in enumerate(rounds, start=1):
            lines.append(
                f"  after round {number}: median {result.new_median:.2f}, mean {result.new_mean:.2f}"
            )
        lines.append("")
    lines.append(f"== Predicted outcome: {analysis.predicted_class.upper().replace('_', ' ')} ==")
    lines.extend(f"  - {reason}" for reason in analysis.reasons)
    return "\n".join(lines) + "\n"
