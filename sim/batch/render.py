"""A batch summary as text: class probabilities with intervals, utilities, escalation."""

from __future__ import annotations

from typing import Any


def render_summary(summary: dict[str, Any]) -> str:
    """The summary of :meth:`~sim.batch.result.BatchResult.summary` as aligned text tables.

    Args:
        summary: The summary dict.

    Returns:
        Text ending in a newline: outcome classes (runs, probability, 95% Wilson
        interval), then per actor its mean utility and share of runs it went to
        war, then the share of runs in which each actor reached each rung.

    Example:
        >>> text = render_summary({"scenario": "S", "seed": 0, "runs": 4,
        ...     "classes": {"war": {"count": 1, "probability": 0.25, "ci95": [0.05, 0.7]}},
        ...     "mean_utility": {"a": 0.5}, "rungs": {"a": {}}, "war": {"a": 0.25}})
        >>> print(text.splitlines()[3])
        war                  1        0.250  [0.050, 0.700]
    """
    runs = summary["runs"]
    lines = [
        f"Batch of {runs} run{'s' if runs != 1 else ''} of {summary['scenario']} "
        f"(seed {summary['seed']})",
        "",
    ]
    lines.append(f"{'outcome class':<16}{'runs':>6}{'probability':>13}  95% interval")
    for name, entry in summary.get("classes", {}).items():
        low, high = entry["ci95"]
        lines.append(
            f"{name:<16}{entry['count']:>6}{entry['probability']:>13.3f}  [{low:.3f}, {high:.3f}]"
        )
    utilities = summary.get("mean_utility", {})
    if utilities:
        width = max(16, *(len(a) + 2 for a in utilities))
        lines += ["", f"{'actor':<{width}}{'mean utility':>13}{'went to war':>13}"]
        for actor, mean in utilities.items():
            shown = "—" if mean is None else f"{mean:.3f}"
            war = summary.get("war", {}).get(actor, 0.0)
            lines.append(f"{actor:<{width}}{shown:>13}{war:>13.3f}")
    ladders = {a: r for a, r in summary.get("rungs", {}).items() if r}
    if ladders:
        lines += ["", "share of runs reaching each rung (mildest first)"]
        for actor, rungs in ladders.items():
            shares = " · ".join(f"{rung} {share:.3f}" for rung, share in rungs.items())
            lines.append(f"  {actor}: {shares}")
    return "\n".join(lines) + "\n"
