"""The report's analysis section: the closed-form theory `sim analyze` computes, beside the run.

Tables for the ZOPA per issue, the bargaining solutions (Nash, weighted Nash,
Kalai–Smorodinsky), Rubinstein's split and Fearon's bargaining ranges, the
predicted class against the run's, and the whole of `sim analyze`'s text in a
fold (:func:`sim.analysis.render.render_analysis`), so nothing it computes is
left out of the report.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from sim.analysis.utility import short
from sim.viz.html import badge, position, table

if TYPE_CHECKING:
    from sim.analysis import Analysis
    from sim.model.outcome import RunResult
    from sim.scenario.schema import Scenario


def analysis_section(analysis: Analysis, scenario: Scenario, result: RunResult) -> str:
    """The analysis section: ZOPA, bargaining solutions, Rubinstein, Fearon, prediction."""
    from sim.analysis.render import render_analysis

    verdict = "yes" if analysis.full_agreement_possible else "no"
    simulated = result.outcome.outcome_class
    agree = "agrees with" if simulated == analysis.predicted_class else "differs from"
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in analysis.reasons)
    parts = [
        '<section id="analysis"><h2>Analysis (distributions at their means)</h2>',
        "<h3>Zone of possible agreement per issue</h3>",
        _zopa(analysis, scenario),
        f'<p>A full agreement inside every red line exists: <span class="{verdict}">'
        f"{verdict}</span>.</p>",
        _bargaining(analysis, scenario),
        _rubinstein(analysis, result),
        _fearon(analysis),
        f"<h3>Predicted outcome: {badge(analysis.predicted_class)}</h3><ul>{reasons}</ul>",
        f"<p>This run's outcome ({badge(simulated)}) {agree} the prediction.</p>",
        "<details><summary>Everything <code>sim analyze</code> prints</summary>"
        f"<pre>{escape(render_analysis(analysis, scenario))}</pre></details>",
        "</section>",
    ]
    return "\n".join(part for part in parts if part)


def _zopa(analysis: Analysis, scenario: Scenario) -> str:
    rows = []
    for issue, zone in analysis.zopa.items():
        if zone.feasible and zone.interval is not None:
            low, high = zone.interval
            if zone.divisible:
                where = f"{position(scenario, issue, low)} to {position(scenario, issue, high)}"
            else:
                where = "; ".join(position(scenario, issue, p) for p in zone.points)
            cell = f'<span class="yes">ZOPA</span> {where}'
        else:
            pairs = ", ".join(f"{a} vs {b}" for a, b in zone.blocking)
            cell = f'<span class="no">no ZOPA</span> (red lines clash: {escape(pairs)})'
        sets = ", ".join(
            f"{actor} [{short(lo)}, {short(hi)}]" for actor, (lo, hi) in zone.constraints.items()
        )
        rows.append([escape(issue), cell, position(scenario, issue, zone.status_quo), escape(sets)])
    for issue, derived in analysis.derived.items():
        # A derived issue (model section 7.36): what its issues' ZOPAs reach, against its red lines.
        weights = " + ".join(f"{w:g}·{dep}" for dep, w in derived.depends_on.items())
        reach = (
            f"{position(scenario, issue, derived.reachable[0])} to "
            f"{position(scenario, issue, derived.reachable[1])}"
            if derived.reachable is not None
            else "nothing"
        )
        mark = (
            '<span class="yes">inside</span>'
            if derived.feasible
            else '<span class="no">no package inside</span>'
        )
        cell = f"{mark} every red line; derived ({escape(weights)}), its issues reach {reach}"
        sets = ", ".join(
            f"{actor} [{short(lo)}, {short(hi)}]" for actor, (lo, hi) in derived.constraints.items()
        )
        quo = position(scenario, issue, scenario.issues[issue].status_quo)
        rows.append([escape(issue), cell, quo, escape(sets)])
    header = ["issue", "ZOPA", "status quo", "acceptable sets (ideal to red line)"]
    return table(header, rows, set())


def _bargaining(analysis: Analysis, scenario: Scenario) -> str:
    solutions = analysis.bargaining
    if solutions is None and analysis.derived:
        return (
            "<h3>Bargaining solutions</h3><p>Not computed: a derived issue is in play, and "
            "the solutions' grid values issues one by one, so it would treat it as free.</p>"
        )
    if solutions is None:
        return (
            "<h3>Bargaining solutions</h3><p>Nash and Kalai–Smorodinsky apply to two parties "
            "with a full zone of agreement; this scenario has none.</p>"
        )
    first, second = (escape(p) for p in solutions.parties)
    rows = []
    for name, solution in (
        ("Nash", solutions.nash),
        ("weighted Nash", solutions.weighted_nash),
        ("Kalai–Smorodinsky", solutions.kalai_smorodinsky),
    ):
        if solution is None:
            continue
        package = "; ".join(
            f"{escape(i)} {position(scenario, i, x)}" for i, x in solution.package.items()
        )
        u1, u2 = solution.utilities
        rows.append([name, package, f"{u1:.3f}", f"{u2:.3f}"])
    d1, d2 = solutions.disagreement
    return (
        f"<h3>Bargaining solutions ({first} vs {second})</h3>"
        + table(
            ["solution", "package", f"utility to {first}", f"utility to {second}"], rows, {2, 3}
        )
        + f"<p>Disagreement utilities ({escape(solutions.disagreement_basis)}): "
        f"{d1:.3f}, {d2:.3f}.</p>"
    )


def _rubinstein(analysis: Analysis, result: RunResult) -> str:
    split = analysis.rubinstein
    if split is None:
        return ""
    rule = "solved for the curved utilities" if split.curved else "(1 − δ2)/(1 − δ1δ2)"
    agreed = result.outcome.agreed.get(split.issue)
    simulated = (
        f"This run agreed {escape(split.issue)} at {short(agreed.position)} "
        f"(exchange {agreed.exchange}); the formula's position is {short(split.position)}."
        if agreed is not None
        else f"This run did not agree {escape(split.issue)}."
    )
    rows = [
        [
            escape(split.first_proposer),
            escape(split.responder),
            f"{split.proposer_delta:g}",
            f"{split.responder_delta:g}",
            f"{split.proposer_share:.4f}",
            f"{split.finite_share:.4f} ({split.exchanges} offers)",
        ]
    ]
    header = ["first proposer", "responder", "δ1", "δ2", f"share, {rule}", "finite horizon"]
    return (
        f"<h3>Rubinstein alternating offers on {escape(split.issue)}</h3>"
        + table(header, rows, {2, 3, 4, 5})
        + f"<p>{simulated}</p>"
    )


def _fearon(analysis: Analysis) -> str:
    if not analysis.fearon:
        return ""
    rows = []
    for pair in analysis.fearon:
        low, high = pair.range
        rows.append(
            [
                escape(pair.actor),
                escape(pair.target),
                f"{pair.p:.2f}",
                f"{pair.cost:.2f}",
                f"{pair.war_value:.2f}",
                '<span class="no">empty</span>' if pair.empty else f"({low:.2f}, {high:.2f})",
                "yes" if pair.mutual_optimism else "no",
            ]
        )
    header = ["actor", "target", "p", "c", "war worth", "bargaining range", "mutual optimism"]
    return (
        "<h3>Fearon (1995) bargaining ranges</h3>"
        + table(header, rows, {2, 3, 4})
        + "<p>The range is the actor's shares of a unit issue that both sides prefer to war.</p>"
    )
