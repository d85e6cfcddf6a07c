"""Set the engine beside history: each case in scenarios/history/, played N times.

For every historical scenario this runs a batch (``sim.run_batch``, one
process, batch seed 0), takes the modal outcome class with its share and 95%
Wilson interval, and compares it with the outcome the file records. It writes
the table into docs/history.md between its two markers and leaves the rest of
the page alone; without the markers it stops and changes nothing.

Run: python examples/history_table.py [--runs 200] [--print]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sim

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "scenarios" / "history"
PAGE = ROOT / "docs" / "history.md"
START = "<!-- history-table:start (written by examples/history_table.py) -->"
END = "<!-- history-table:end -->"
RUNS = 200
SEED = 0


def history_table(runs: int = RUNS, seed: int = SEED) -> str:
    """The Markdown table: case, historical outcome, modal class (share, 95% CI), match."""
    rows = [
        "| case | on the record | engine's modal class | share | 95% interval | match "
        "| engine's last term agreed (modal round) |",
        "|---|---|---|---|---|---|---|",
    ]
    for path in sorted(HISTORY.glob("*.yaml")):
        scenario = sim.load_scenario(path)
        if scenario.record is None:
            raise ValueError(f"{path}: no record of the historical outcome")
        batch = sim.run_batch(scenario, runs=runs, seed=seed, workers=1)
        classes = batch.summary()["classes"]
        modal = max(classes, key=lambda name: classes[name]["count"])  # ties: the first class
        share = classes[modal]["probability"]
        low, high = classes[modal]["ci95"]
        match = "yes" if modal == scenario.record.outcome else "no"
        rows.append(
            f"| `{path.name}` | {scenario.record.outcome} | {modal} | {share:.2f} "
            f"| {low:.2f}–{high:.2f} | {match} | {last_agreed(scenario, batch.rows())} |"
        )
    return "\n".join(rows)


def last_agreed(scenario: sim.Scenario, rows: Iterable[dict[str, Any]]) -> str:
    """The round in which a run's last term was agreed, modal over the runs that agreed any.

    The class says what was agreed, this says when: a class can match the record
    while the engine reaches it rounds earlier or later than history did.
    """
    rounds = [r.id for r in scenario.rounds]
    last: dict[str, int] = {}
    for row in rows:
        agreed = [
            rounds.index(str(v))
            for k, v in row.items()
            if k.startswith("agreed_round.") and isinstance(v, str) and v in rounds
        ]
        if agreed:
            name = rounds[max(agreed)]
            last[name] = last.get(name, 0) + 1
    if not last:
        return "none"
    name = max(last, key=lambda r: (last[r], -rounds.index(r)))
    date = next(r.date for r in scenario.rounds if r.id == name)
    return f"{name}, {date.isoformat()} ({last[name]} of {sum(last.values())})"


def replace_table(page: str, table: str) -> str:
    """The page with the text between the markers replaced by the table."""
    if page.count(START) != 1 or page.count(END) != 1 or page.index(START) > page.index(END):
        raise ValueError(f"{PAGE.relative_to(ROOT)}: needs one '{START}' before one '{END}'")
    head, rest = page.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main() -> int:
    """Write the table into docs/history.md (or print it with --print)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs per case (default {RUNS})")
    parser.add_argument("--print", action="store_true", help="print the table, write nothing")
    args = parser.parse_args()
    if args.runs < 1:
        print("history_table.py: --runs must be at least 1", file=sys.stderr)
        return 2
    table = history_table(args.runs)
    if args.print:
        print(table)
        return 0
    try:
        page = replace_table(PAGE.read_text(encoding="utf-8"), table)
    except (OSError, ValueError) as err:
        print(f"history_table.py: {err}", file=sys.stderr)
        return 2
    PAGE.write_text(page, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
