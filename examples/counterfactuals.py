"""Batch outcomes of the baseline and each counterfactual: the table and figure of docs/counterfactuals.md.

Usage: python examples/counterfactuals.py [--runs N] [--seed S] [--workers K] [--write | --check]

Plays ``--runs`` runs (default 300, batch seed 1) of the January 2022 baseline
and of every scenario in ``scenarios/counterfactuals/``, then prints a
Markdown table: P(war), P(any substantive agreement: the classes agreement and
partial), P(talks continue) and P(deadlock), each with its 95% Wilson
interval. ``--write`` puts the table into ``docs/counterfactuals.md`` (between
its ``counterfactuals:table`` markers) and draws ``docs/img/counterfactuals.png``;
``--check`` exits 1 if the doc's table differs from a fresh one (run it after
the model changes). Same arguments, same numbers, serial or parallel.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import sim
from sim.batch.stats import wilson_interval
from sim.viz.plots import figure_bytes, new_figure

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "january_2022.yaml"
FOLDER = ROOT / "scenarios" / "counterfactuals"
DOC = ROOT / "docs" / "counterfactuals.md"
FIGURE = ROOT / "docs" / "img" / "counterfactuals.png"
START, END = "<!-- counterfactuals:table:start -->", "<!-- counterfactuals:table:end -->"

MEASURES = {
    "war": ("war",),
    "any agreement": ("agreement", "partial"),
    "talks continue": ("talks_continue",),
    "deadlock": ("deadlock",),
}
"""Each column of the table: the outcome classes whose runs it counts."""


def scenario_files() -> list[Path]:
    """The baseline, then every counterfactual in name order."""
    return [BASELINE, *sorted(FOLDER.glob("*.yaml"))]


def measure(path: Path, runs: int, seed: int, workers: int) -> dict[str, Any]:
    """Counts and 95% intervals of each measure over a batch of the scenario."""
    scenario = sim.load_scenario(path)
    batch = sim.run_batch(scenario, runs=runs, seed=seed, workers=workers)
    counts = batch.frame["outcome"].astype(str).value_counts()
    row: dict[str, Any] = {"file": path.relative_to(ROOT).as_posix(), "runs": runs}
    for name, classes in MEASURES.items():
        count = int(sum(counts.get(c, 0) for c in classes))
        row[name] = (count / runs, *wilson_interval(count, runs))
    return row


def table(rows: list[dict[str, Any]], runs: int, seed: int) -> str:
    """The Markdown table: one row per scenario, share and [95% interval] per measure."""
    head = "| scenario | " + " | ".join(f"P({name})" for name in MEASURES) + " |"
    lines = [
        f"{runs} runs each, batch seed {seed} "
        f"(`python examples/counterfactuals.py --runs {runs} --seed {seed} --write`):",
        "",
        head,
        "|---|" + "---|" * len(MEASURES),
    ]
    for row in rows:
        cells = [f"{share:.2f} [{low:.2f}, {high:.2f}]" for share, low, high in _values(row)]
        lines.append(f"| `{row['file']}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _values(row: dict[str, Any]) -> list[tuple[float, float, float]]:
    return [row[name] for name in MEASURES]


def figure(rows: list[dict[str, Any]], runs: int, seed: int) -> bytes:
    """One panel per measure: each scenario's share with its interval, the baseline dashed."""
    labels = [Path(row["file"]).stem.replace("_", " ") for row in rows]
    labels[0] = "baseline (January 2022)"
    fig = new_figure(10.5, 0.9 + 0.42 * len(rows))
    axes = fig.subplots(1, len(MEASURES), sharey=True)
    colours = {"war": "#d62728", "any agreement": "#2ca02c", "talks continue": "#1f77b4"}
    positions = list(range(len(rows)))
    for panel, name in zip(axes, MEASURES, strict=True):
        shares = [row[name][0] for row in rows]
        errors = [
            [s - row[name][1] for s, row in zip(shares, rows, strict=True)],
            [row[name][2] - s for s, row in zip(shares, rows, strict=True)],
        ]
        colour = colours.get(name, "#555555")
        panel.errorbar(shares, positions, xerr=errors, fmt="o", color=colour, capsize=3)
        panel.axvline(shares[0], color=colour, linestyle="--", linewidth=1, alpha=0.6)
        panel.set_xlim(-0.03, 1.03)
        panel.set_title(f"P({name})", fontsize=10)
        panel.grid(True, axis="x", alpha=0.3)
        panel.tick_params(axis="x", labelsize=8)
    axes[0].set_yticks(positions, labels=labels, fontsize=9)
    axes[0].set_ylim(len(rows) - 0.5, -0.5)
    fig.suptitle(
        f"Counterfactuals of the January 2022 talks: {runs} runs each, 95% Wilson intervals; "
        "dashed: the baseline",
        fontsize=10,
    )
    return figure_bytes(fig, "png")


def replace_table(text: str, new: str) -> str:
    """The doc text with the part between the markers replaced by ``new``."""
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{new}\n{END}{tail}"


def current_table(text: str) -> str:
    """The table between the markers of the doc."""
    return text.partition(START)[2].partition(END)[0].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="update the doc's table and figure")
    mode.add_argument("--check", action="store_true", help="exit 1 if the doc's table is stale")
    args = parser.parse_args()
    rows = [measure(path, args.runs, args.seed, args.workers) for path in scenario_files()]
    text = table(rows, args.runs, args.seed)
    print(text)
    if args.check:
        if current_table(DOC.read_text(encoding="utf-8")) != text:
            print(f"{DOC.relative_to(ROOT)}: the table differs from a fresh run", file=sys.stderr)
            sys.exit(1)
    if args.write:
        DOC.write_text(replace_table(DOC.read_text(encoding="utf-8"), text), encoding="utf-8")
        FIGURE.write_bytes(figure(rows, args.runs, args.seed))
        print(f"wrote {DOC.relative_to(ROOT)} and {FIGURE.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
