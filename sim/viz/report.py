"""A self-contained HTML report of a scenario, one run and optionally a batch.

:func:`html_report` returns one HTML document with everything inside it: inline
CSS, figures as base64 PNG ``data:`` images, no scripts and no external links,
so the file can be mailed, archived or opened offline. Every piece of text from
the scenario or the run is HTML-escaped. The same inputs give the same bytes
(no timestamps), so ``sim report`` can tell an unchanged report from a new one.

Sections: header (name, description, sources), reproduce (the overrides and
the command that writes the same report), outcome, drawn types (each party's
private type as the run drew it), rounds, analysis (:mod:`sim.viz.report_theory`),
figures, batch summary with intervals and spreads (:mod:`sim.viz.report_batch`,
when given), transcript.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape
from itertools import groupby
from typing import TYPE_CHECKING, Any

from sim.report import MARKS
from sim.viz.html import badge, position, table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.analysis import Analysis
    from sim.batch.result import BatchResult
    from sim.model.outcome import RunResult
    from sim.model.transcript import Event
    from sim.scenario.schema import Scenario

REPORT_DPI = 96
"""Resolution of the embedded PNG figures."""

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
background:#fafafa;margin:0}
main{max-width:1020px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:1.7em;margin:0 0 .2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;
margin-top:1.8em}h3{margin:1.2em 0 .4em}
.lede{color:#444;margin:.2em 0}.meta{color:#777;font-size:.9em}
nav a{margin-right:1em;color:#1f5fa8;text-decoration:none}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:3px 12px;border-radius:12px;color:#fff;font-weight:600;
letter-spacing:.03em}
.c-agreement{background:#2ca02c}.c-partial{background:#6a9f3a}.c-talks_continue{background:#1f77b4}
.c-deadlock{background:#6f6f6f}.c-war{background:#d62728}
.no{color:#b22222;font-weight:600}.yes{color:#1e7b1e;font-weight:600}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}
details{margin:.5em 0;border:1px solid #e4e4e4;border-radius:4px;padding:.2em .6em}
summary{cursor:pointer;font-weight:600;padding:.2em 0}
ol.events{list-style:none;padding:0;margin:.3em 0;font-size:.88em}
pre.command{background:#f4f4f4;padding:6px 10px;white-space:pre-wrap;word-break:break-all}
ol.events li{padding:1px 0;display:flex;gap:.5em}
.at{min-width:6.5em;color:#888;text-align:right;font-variant-numeric:tabular-nums}
.mark{min-width:1.2em;text-align:center}
.k-accept,.k-agreement{color:#1e7b1e}.k-reject{color:#8a4b00}.k-escalate{color:#b22222}
.k-war{color:#fff;background:#d62728;font-weight:600}
"""


def html_report(
    scenario: Scenario,
    result: RunResult,
    batch: BatchResult | None = None,
    analysis: Analysis | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    command: str | None = None,
) -> str:
    """One self-contained HTML document about a scenario and a run of it.

    Args:
        scenario: The scenario (name, sources, rounds, issue labels).
        result: A run of it, with its transcript.
        batch: A Monte Carlo batch of the same scenario; adds the outcome figure
            and the batch summary.
        analysis: Its closed-form analysis; computed with
            :func:`sim.analysis.analyze` when not given.
        overrides: The ``--set`` overrides the scenario was run with, by path
            (listed so that a number that differs from the file's is explained).
        command: The command line that writes this report again (shown verbatim).

    Returns:
        The HTML text (UTF-8, no external resources).
    """
    from sim import __version__
    from sim.viz.plots import concession_plot, escalation_plot, outcome_plot, zopa_plot
    from sim.viz.report_batch import batch_section
    from sim.viz.report_theory import analysis_section

    if analysis is None:
        from sim.analysis import analyze

        analysis = analyze(scenario)
    title = escape(scenario.name)
    count = len(overrides or {})
    changed = f" · {count} override{'s' if count > 1 else ''}" if count else ""
    runs = f" · batch of {batch.runs} runs (seed {batch.seed})" if batch is not None else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}: seed {result.seed}</title><style>{CSS}</style></head>",
        "<body><main>",
        f"<header><h1>{title}</h1>",
    ]
    if scenario.description:
        parts.append(f'<p class="lede">{escape(scenario.description)}</p>')
    parts.append(
        f'<p class="meta">run seed {result.seed}{runs}{changed} · sim {escape(__version__)}</p>'
    )
    parts.append(_sources(scenario))
    sections = ["reproduce", "outcome", "types", "rounds", "analysis", "figures"]
    sections += ["batch"] if batch is not None else []
    sections += ["transcript"]
    parts.append("<nav>" + "".join(f'<a href="#{s}">{s}</a>' for s in sections) + "</nav>")
    parts.append("</header>")
    parts.append(_reproduce(result, overrides or {}, command))
    parts.append(_outcome(result, scenario))
    parts.append(_types(scenario, result))
    parts.append(_rounds(scenario, result))
    parts.append(analysis_section(analysis, scenario, result))
    figures = [
        (concession_plot(result, scenario), "Negotiation dance", _CONCESSION),
        (escalation_plot(result, scenario), "Escalation", _ESCALATION),
        (zopa_plot(scenario), "Zones of possible agreement", _ZOPA),
    ]
    if batch is not None:
        figures.append((outcome_plot(batch), "Outcome classes of the batch", _OUTCOME))
    parts.append('<section id="figures"><h2>Figures</h2>')
    parts.extend(_figure(figure, alt, caption) for figure, alt, caption in figures)
    parts.append("</section>")
    if batch is not None:
        parts.append(batch_section(batch))
    parts.append(_transcript(result))
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


_CONCESSION = (
    "What each offer is worth to each side, exchange by exchange: solid, a side's own "
    "offers; dashed, the offers it receives; a star marks an accepted offer."
)
_ESCALATION = "Rungs climbed by each actor over time; rounds dotted, war in red."
_ZOPA = (
    "Per issue, each actor's acceptable interval (ideal to red line, red lines at their "
    "means), the status quo (dashed) and the zone of possible agreement (green)."
)
_OUTCOME = "Share of runs in each outcome class, with 95% Wilson intervals."


def _figure(figure: Figure, alt: str, caption: str) -> str:
    from sim.viz.plots import figure_bytes

    data = base64.b64encode(figure_bytes(figure, "png", dpi=REPORT_DPI)).decode("ascii")
    return (
        f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,{data}">'
        f"<figcaption><b>{escape(alt)}.</b> {escape(caption)}</figcaption></figure>"
    )


def _sources(scenario: Scenario) -> str:
    if not scenario.sources:
        return ""
    items = []
    for key, source in scenario.sources.items():
        details = [source.publisher or "", source.date.isoformat() if source.date else ""]
        extra = ", ".join(escape(d) for d in details if d)
        where = f" <code>{escape(source.url)}</code>" if source.url else ""
        items.append(
            f"<li><b>[{escape(key)}]</b> {escape(source.title)}"
            + (f" — {extra}" if extra else "")
            + f"{where}</li>"
        )
    return "<h3>Sources</h3><ul>" + "".join(items) + "</ul>"


def _reproduce(result: RunResult, overrides: Mapping[str, Any], command: str | None) -> str:
    """The overrides in force and the command that writes this report again."""
    parts = ['<section id="reproduce"><h2>Reproduce</h2>']
    if overrides:
        rows = [
            [f"<code>{escape(path)}</code>", escape(_yaml(value))]
            for path, value in overrides.items()
        ]
        parts.append(
            "<p>This run differs from the scenario file by these overrides "
            "(<code>--set</code>):</p>" + table(["path", "value"], rows, set())
        )
    else:
        parts.append("<p>No overrides: the scenario file as written.</p>")
    if command:
        parts.append(
            "<p>This command writes this report again, byte for byte:</p>"
            f'<pre class="command"><code>{escape(command)}</code></pre>'
        )
    else:
        parts.append(f"<p>Run seed {result.seed}.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _yaml(value: Any) -> str:
    """An override's value as it would be written after ``--set path=``."""
    import json

    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _types(scenario: Scenario, result: RunResult) -> str:
    """Each party's type as this run drew it; drawn values marked with their distribution."""
    from sim.scenario.distributions import param_mean

    parts = [
        '<section id="types"><h2>Drawn types</h2>',
        "<p>What this run drew for each party. Parameters the scenario gives as "
        "distributions are private: other actors know only the distribution.</p>",
    ]
    for actor, drawn in result.types.items():
        spec = scenario.actors.get(actor)
        rows = []
        for name, value in drawn.items():
            param = _param(spec, name)
            if param is None or isinstance(param, int | float):
                continue
            fields = param.model_dump(by_alias=True, exclude_none=True)
            shape = ", ".join(
                f"{key} {val:g}" if isinstance(val, int | float) else f"{key} {val}"
                for key, val in fields.items()
                if key != "dist"
            )
            rows.append(
                [
                    escape(name),
                    f"{value:.4g}",
                    escape(f"{fields.get('dist', '')}({shape})"),
                    f"{param_mean(param):.4g}",
                ]
            )
        title = escape(spec.name if spec is not None and spec.name else actor)
        if rows:
            header = ["parameter", "drawn", "distribution", "its mean"]
            parts.append(f"<h3>{title}</h3>" + table(header, rows, {1, 3}))
        else:
            parts.append(f"<h3>{title}</h3><p>Nothing private: every parameter is fixed.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _param(spec: Any, name: str) -> Any:
    """The scenario's value (number or distribution) behind a drawn parameter name."""
    if spec is None:
        return None
    kind, _, issue = name.partition(".")
    if issue:
        position_spec = spec.positions.get(issue)
        return None if position_spec is None else getattr(position_spec, kind, None)
    if name in ("win_probability", "war_cost"):
        war = spec.war
        return (
            None
            if war is None
            else (war.win_probability if name == "win_probability" else war.cost)
        )
    if name == "no_deal":
        return spec.no_deal
    return getattr(spec, name, None)


def _outcome(result: RunResult, scenario: Scenario) -> str:
    outcome = result.outcome
    parts = [
        '<section id="outcome"><h2>Outcome</h2>',
        f"<p>{badge(outcome.outcome_class)} {escape(outcome.reason)}</p>",
        f"<p>Rounds played: {outcome.rounds_played} of {len(scenario.rounds)}.</p>",
    ]
    if outcome.war is not None:
        war = outcome.war
        parts.append(
            f'<p class="no">War: {escape(war.aggressor)} against {escape(war.target)} on '
            f"{escape(war.date)} ({escape(war.cause)}): {escape(war.reason)}</p>"
        )
    rows = []
    for issue, agreement in outcome.agreed.items():
        if agreement is None:
            rows.append([escape(issue), '<span class="no">not agreed</span>', "", ""])
        else:
            rows.append(
                [
                    escape(issue),
                    position(scenario, issue, agreement.position),
                    escape(agreement.round),
                    str(agreement.exchange),
                ]
            )
    parts.append("<h3>Issues</h3>" + table(["issue", "agreed", "round", "exchange"], rows, {3}))
    actors = [
        [escape(actor), f"{utility:.3f}", escape(outcome.highest_rung.get(actor) or "—")]
        for actor, utility in outcome.utilities.items()
    ]
    parts.append("<h3>Actors</h3>" + table(["actor", "utility", "highest rung"], actors, {1}))
    parts.append("</section>")
    return "\n".join(parts)


def _rounds(scenario: Scenario, result: RunResult) -> str:
    played = {str(r["id"]) for r in result.rounds}
    rows = [
        [
            escape(r.venue),
            escape(r.date.isoformat()),
            escape(r.format or ""),
            escape(r.protocol.replace("_", " ")),
            escape(", ".join(r.participants)),
            escape(", ".join(r.agenda)),
            "yes" if r.id in played else '<span class="no">not played</span>',
        ]
        for r in scenario.rounds
    ]
    header = ["venue", "date", "format", "protocol", "at the table", "agenda", "played"]
    return '<section id="rounds"><h2>Rounds</h2>' + table(header, rows, set()) + "</section>"


def _group_heading(round_id: str, events: list[Event]) -> str:
    if round_id == "aftermath":
        return "Aftermath"
    if round_id.endswith(":home"):
        return f"Between rounds: delegations return home ({round_id.removesuffix(':home')})"
    opening = next((e for e in events if e.kind == "round_open"), None)
    return opening.text if opening is not None else f"{round_id}, {events[0].date}"


def _transcript(result: RunResult) -> str:
    parts = ['<section id="transcript"><h2>Transcript</h2>']
    for round_id, grouped in groupby(result.transcript, key=lambda event: event.round):
        events = list(grouped)
        heading = _group_heading(round_id, events)
        items = []
        for event in events:
            if event.kind == "round_open":
                continue
            dated = round_id == "aftermath" or event.kind == "war"
            at = event.date if dated else (str(event.exchange) if event.exchange else "")
            items.append(
                f'<li class="k-{escape(event.kind)}"><span class="at">{escape(at)}</span>'
                f'<span class="mark">{escape(MARKS.get(event.kind, ""))}</span>'
                f"<span>{escape(event.text)}</span></li>"
            )
        parts.append(
            f"<details open><summary>{escape(heading)}</summary>"
            f'<ol class="events">{"".join(items)}</ol></details>'
        )
    parts.append("</section>")
    return "\n".join(parts)
