"""The report's batch section: shares with 95% Wilson intervals, and spreads, not only means.

For each outcome class, each issue agreed, each actor's war and each rung
reached: the count, the share and its Wilson interval. For each actor's final
utility: the mean with a 95% interval for it (normal approximation,
``mean ± 1.96 · sd / √n``), the standard deviation, and the 5th, 50th and 95th
percentiles of the runs, which show the spread a mean hides.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING, Any

from sim.batch.stats import Z95, wilson_interval
from sim.viz.html import badge, interval, table

if TYPE_CHECKING:
    import pandas as pd

    from sim.batch.result import BatchResult


def mean_interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and its 95% interval (normal approximation; a single value has a zero-width one)."""
    count = len(values)
    mean = sum(values) / count
    if count < 2:
        return mean, mean, mean
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (count - 1))
    half = Z95 * sd / math.sqrt(count)
    return mean, mean - half, mean + half


def batch_section(batch: BatchResult) -> str:
    """The batch section: classes, agreements, utilities, wars and rungs with intervals."""
    summary = batch.summary()
    frame = batch.frame
    runs = len(frame)
    rows = [
        [badge(name), str(entry["count"]), f"{entry['probability']:.3f}", interval(*entry["ci95"])]
        for name, entry in summary.get("classes", {}).items()
    ]
    parts = [
        '<section id="batch"><h2>Batch summary</h2>',
        f"<p>{runs} runs, batch seed {escape(str(summary.get('seed', '')))}. Shares come "
        "with 95% Wilson intervals; utilities with the 95% interval of their mean and "
        "the spread of the runs.</p>",
        "<h3>Outcome classes</h3>",
        table(["outcome class", "runs", "probability", "95% interval"], rows, {1, 2, 3}),
    ]
    if runs:
        parts += [_agreed(frame), _utilities(frame), _wars(frame), _rungs(batch)]
    parts.append("</section>")
    return "\n".join(part for part in parts if part)


def _share_row(label: str, count: int, runs: int) -> list[str]:
    return [label, str(count), f"{count / runs:.3f}", interval(*wilson_interval(count, runs))]


def _agreed(frame: pd.DataFrame) -> str:
    runs = len(frame)
    columns = [c for c in frame.columns if c.startswith("agreed.")]
    rows = [
        _share_row(escape(c.removeprefix("agreed.")), int(frame[c].notna().sum()), runs)
        for c in columns
    ]
    if not rows:
        return ""
    return "<h3>Issues agreed</h3>" + table(
        ["issue", "runs agreed", "share", "95% interval"], rows, {1, 2, 3}
    )


def _utilities(frame: pd.DataFrame) -> str:
    rows = []
    for column in (c for c in frame.columns if c.startswith("utility.")):
        values = [float(v) for v in frame[column].dropna()]
        if not values:
            continue
        mean, low, high = mean_interval(values)
        quantiles = frame[column].dropna().quantile([0.05, 0.5, 0.95]).tolist()
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1))
        rows.append(
            [
                escape(column.removeprefix("utility.")),
                f"{mean:.3f}",
                interval(low, high),
                f"{sd:.3f}",
                " · ".join(f"{q:.3f}" for q in quantiles),
            ]
        )
    if not rows:
        return ""
    header = ["actor", "mean utility", "95% interval of the mean", "sd", "5th · 50th · 95th pct"]
    return "<h3>Final utilities</h3>" + table(header, rows, {1, 2, 3, 4})


def _wars(frame: pd.DataFrame) -> str:
    if "war_aggressor" not in frame:
        return ""
    runs = len(frame)
    aggressors = frame["war_aggressor"].dropna().astype(str)
    rows = [
        _share_row(escape(actor), int((aggressors == actor).sum()), runs)
        for actor in sorted(set(aggressors))
    ]
    if not rows:
        return "<h3>Wars</h3><p>No run ended in war.</p>"
    return "<h3>Wars, by aggressor</h3>" + table(
        ["aggressor", "runs", "share", "95% interval"], rows, {1, 2, 3}
    )


def _rungs(batch: BatchResult) -> str:
    frame = batch.frame
    runs = len(frame)
    rows: list[list[str]] = []
    for actor, ladder in batch.ladders.items():
        column = f"rung.{actor}"
        if column not in frame or not ladder:
            continue
        reached: Any = frame[column].map(lambda r, lad=ladder: lad.index(r) if r in lad else -1)
        for level, rung in enumerate(ladder):
            rows.append(
                _share_row(f"{escape(actor)}: {escape(rung)}", int((reached >= level).sum()), runs)
            )
    if not rows:
        return ""
    return "<h3>Rungs reached</h3>" + table(
        ["actor: rung", "runs reaching it", "share", "95% interval"], rows, {1, 2, 3}
    )
