"""When does each rung of the January 2022 baseline come, against the dates on the record?

Plays the baseline over a block of seeds with the transcript on and prints, per
actor and rung, how many runs climbed it and the median date of the climb
(runs that never climbed it are left out), beside the date the record gives.

Run: python examples/baseline_rung_dates.py [--runs 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
from collections import defaultdict
from pathlib import Path

import sim

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "january_2022.yaml"

RECORD = {
    ("russia", "show_of_force"): "2022-02-10 (Allied Resolve, 10-20 Feb)",
    ("russia", "mobilisation"): "by 2022-02-18 (100,000 to 190,000 troops)",
    ("russia", "recognition"): "2022-02-21",
    ("united_states", "reinforcement"): "2022-01-24 (8,500 on alert)",
    ("united_states", "political_sanctions"): "2022-02-22",
    ("war", "russia"): "2022-02-24",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    scenario = sim.load_scenario(BASELINE)
    climbs: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for seed in range(args.runs):
        result = sim.run(scenario, seed=seed)
        for event in result.transcript:
            if event.kind == "escalate":
                rung = event.text.split("'")[1]
                climbs[(event.actor, rung)].append(dt.date.fromisoformat(event.date))
        if result.outcome.war is not None:
            war = result.outcome.war
            climbs[("war", war.aggressor)].append(dt.date.fromisoformat(war.date))
    print("| actor | rung | runs | median date | record |")
    print("|---|---|---|---|---|")
    for (actor, rung), dates in sorted(climbs.items()):
        ordinal = statistics.median_low(d.toordinal() for d in dates)
        median = dt.date.fromordinal(ordinal).isoformat()
        record = RECORD.get((actor, rung), "")
        print(f"| {actor} | {rung} | {len(dates)} | {median} | {record} |")


if __name__ == "__main__":
    main()
