"""Hypothesis strategies for fuzzing: valid scenarios, and mutations of them.

:func:`valid_scenarios` draws scenarios that use every part of the format:
issues on any scale (divisible, labelled, procedural), parties with fixed or
drawn parameters and every strategy, escalation ladders, war options, beliefs,
mandates, a mediator, blocs and vetoes, rounds of every protocol, and an
aftermath. :func:`mutations` changes one thing in such a scenario, at the data
level (a value's type, range, NaN/inf, a huge number, an id, a date, odd
Unicode, a missing or unknown key) or in its YAML text (a character, a line).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from hypothesis import strategies as st

STRATEGIES = [
    "strategic",
    "boulware",
    "linear",
    "conceder",
    "hardliner",
    "tit_for_tat",
    "subgame_perfect",
]
PROTOCOLS = [
    "alternating_offers",
    "alternating_offers",
    "mediated",
    "shuttle",
    "expected_utility",
    "population_game",
]


def _issue(rng: random.Random) -> dict[str, Any]:
    """An issue on a random scale: divisible, or labelled (and maybe indivisible)."""
    low = float(rng.randint(-50, 50))
    high = low + rng.randint(1, 200)
    spec: dict[str, Any] = {"scale": [low, high], "status_quo": rng.uniform(low, high)}
    if rng.random() < 0.5:
        points = sorted({round(rng.uniform(low, high), 2) for _ in range(rng.randint(2, 4))})
        if len(points) >= 2:
            spec["labels"] = {point: f"point {index}" for index, point in enumerate(points)}
            spec["divisible"] = rng.random() < 0.5
    if rng.random() < 0.15:
        spec["procedural"] = True
    return spec


def _param(rng: random.Random, low: float, high: float) -> Any:
    """A number in [low, high], or a distribution whose draws stay there."""
    kind = rng.choice(["number", "number", "uniform", "fixed", "beta"])
    if kind == "uniform":
        first, second = sorted((rng.uniform(low, high), rng.uniform(low, high)))
        return {"dist": "uniform", "low": first, "high": second}
    if kind == "fixed":
        return {"dist": "fixed", "value": rng.uniform(low, high)}
    if kind == "beta" and (low, high) == (0.0, 1.0):
        mean = rng.uniform(0.05, 0.95)
        limit = (mean * (1 - mean)) ** 0.5
        return {"dist": "beta", "mean": mean, "sd": rng.uniform(1e-4, limit * 0.99)}
    return rng.choice([low, high, rng.uniform(low, high), rng.uniform(low, high)])


def random_scenario(rng: random.Random) -> dict[str, Any]:
    """A valid scenario as plain data (dates as ``datetime.date``), drawn from ``rng``."""
    issues = {f"i{k}": _issue(rng) for k in range(rng.choice([1, 1, 2, 3]))}
    parties = [f"p{k}" for k in range(rng.choice([2, 2, 3, 4]))]
    rungs = {
        f"r{k}": {
            "severity": rng.uniform(0, 10),
            "cost": rng.uniform(0, 0.2),
            "pressure": rng.uniform(0, 0.2),
            "war_risk": rng.uniform(0, 0.1),
            "deterrence": rng.uniform(0, 0.2),
            "upkeep": rng.choice([0.0, 0.0, rng.uniform(0, 0.01)]),
        }
        for k in range(rng.randint(0, 3))
    }
    actors: dict[str, Any] = {}
    for party in parties:
        positions = {}
        for issue_id, issue in issues.items():
            if rng.random() < 0.15:
                continue
            low, high = issue["scale"]
            positions[issue_id] = {
                "ideal": rng.uniform(low, high),
                "red_line": _param(rng, low, high),
                "salience": _param(rng, 0.0, 10.0),
                "core": rng.random() < 0.5,
            }
        others = [p for p in parties if p != party]
        spec: dict[str, Any] = {
            "name": f"Party {party}",
            "capability": _param(rng, 0.0, 1.0),
            "risk_acceptance": _param(rng, 0.0, 1.0),
            "discount": _param(rng, 0.5, 1.0),
            "strategy": {"kind": rng.choice(STRATEGIES)},
            "utility": rng.choice(["linear", "quadratic"]),
            "linkage": rng.random() < 0.5,
            "positions": positions,
            "escalation": rng.sample(sorted(rungs), rng.randint(0, len(rungs))),
            "mandate": {
                "soften": rng.choice([0.0, 0.0, 0.5]),
                "audience_cost": rng.uniform(0, 0.2),
            },
        }
        if not spec["mandate"]["soften"] or not spec["escalation"]:
            # Without a revised mandate and a public escalation nothing uses it (refused).
            spec["mandate"]["audience_cost"] = 0.0
        if rng.random() < 0.5:
            exponent = rng.uniform(0.05, 10)
            if spec["strategy"]["kind"] in ("boulware", "linear", "conceder"):
                spec["strategy"]["exponent"] = exponent  # the other kinds refuse it
        if spec["strategy"]["kind"] == "strategic" and rng.random() < 0.5:
            spec["strategy"]["walk_out"] = True
        if rng.random() < 0.3:
            spec["breach"] = {"penalty": _param(rng, 0.0, 1.0)}
        if rng.random() < 0.3:
            spec["no_deal_changes"] = [
                {
                    "date": dt.date(2022, 1, 10) + dt.timedelta(days=rng.randint(0, 90)),
                    "by": rng.uniform(-0.5, 0.5),
                    "why": "a dated change",
                }
            ]
        if rng.random() < 0.5:
            spec["war"] = {"against": rng.choice(others), "cost": _param(rng, 0.0, 1.0)}
            if rng.random() < 0.5:
                spec["war"]["win_probability"] = _param(rng, 0.0, 1.0)
        actors[party] = spec
    for party in parties:
        if rng.random() < 0.5:
            other = rng.choice([p for p in parties if p != party])
            prior: dict[str, Any] = {"risk_acceptance": _param(rng, 0.0, 1.0)}
            if "war" in actors[other]:
                prior["win_probability"] = _param(rng, 0.0, 1.0)
            held = sorted(actors[other]["positions"])
            if held:
                issue_id = rng.choice(held)
                prior["red_lines"] = {issue_id: _param(rng, *issues[issue_id]["scale"])}
            actors[party]["beliefs"] = {other: prior}
    # Drop what nothing would use (validation refuses it); no draw is skipped, so the
    # rest of the scenario is what the same seed always gave.
    for party in parties:
        spec = actors[party]
        spec["escalation"].sort(key=lambda rung: rungs[rung]["severity"])  # mildest first
        risky = "war" in spec or bool(spec["escalation"])
        if not risky and "breach" not in spec:
            spec.pop("risk_acceptance")
        for other, prior in spec.get("beliefs", {}).items():
            if "war" not in actors[other] and not actors[other]["escalation"]:
                prior.pop("risk_acceptance")
    for rung_id in list(rungs):
        holders = [p for p in parties if rung_id in actors[p]["escalation"]]
        if not holders:
            del rungs[rung_id]
        elif not any("war" in actors[o] for h in holders for o in parties if o != h):
            rungs[rung_id]["deterrence"] = 0.0
    if any(spec["strategy"]["kind"] == "subgame_perfect" for spec in actors.values()):
        # Rubinstein's equilibrium is solved for curved utilities on one issue only
        # (anything else is refused at validation): keep such scenarios linear.
        for spec in actors.values():
            spec["utility"] = "linear"
    actors["chair"] = {"name": "Chair", "role": "mediator"}
    scenario: dict[str, Any] = {
        "schema_version": 1,
        "name": "fuzzed",
        "description": "a generated scenario",
        "seed": rng.randint(0, 2**32 - 1),
        "issues": issues,
        "actors": actors,
        "escalation_ladder": rungs,
        "rounds": [],
        "aftermath": {"days": rng.randint(0, 60), "step_days": rng.randint(1, 14)},
    }
    sides = list(parties)
    if len(parties) >= 3 and rng.random() < 0.5:
        scenario["blocs"] = {"bloc": {"members": parties[1:3], "speaker": parties[1]}}
        rule = rng.choice(["consensus", "consensus", "sufficient_consensus", "qualified_majority"])
        if rule != "consensus":
            scenario["blocs"]["bloc"].update({"decision": rule, "share": rng.uniform(0.1, 1.0)})
            if rule == "qualified_majority":
                scenario["blocs"]["bloc"]["weights"] = {p: rng.uniform(0, 3) for p in parties[1:3]}
        sides = [parties[0], "bloc", *parties[3:]]
        if rng.random() < 0.5:
            vetoed = next(iter(issues))
            scenario["vetoes"] = [{"holder": parties[-1], "issues": [vetoed], "binds": ["bloc"]}]
            if vetoed in actors[parties[-1]]["positions"] and rng.random() < 0.5:
                scenario["vetoes"][0]["stage"] = "ratification"
    start = dt.date(2022, 1, 10)
    for index in range(rng.choice([1, 1, 2, 3])):
        protocol = rng.choice(PROTOCOLS)
        at_table = rng.sample(
            sides, min(len(sides), 3 if protocol in ("mediated", "shuttle") else 2)
        )
        round_: dict[str, Any] = {
            "id": f"round{index}",
            "venue": f"Venue {index}",
            "date": start + dt.timedelta(days=rng.randint(0, 30) + 31 * index),
            "participants": at_table,
            "protocol": protocol,
            "hours": rng.uniform(0.5, 6),
        }
        if protocol == "population_game":
            round_["game"] = {
                "actions": ["swerve", "straight"],
                "payoffs": [[rng.randint(-50, 50) for _ in range(2)] for _ in range(2)],
                "population": rng.randint(2, 40),
                "initial_share": rng.random(),
            }
        else:
            round_["agenda"] = rng.sample(sorted(issues), rng.randint(1, len(issues)))
        if protocol in ("mediated", "shuttle"):
            round_["mediator"] = "chair"
        scenario["rounds"].append(round_)
    on_agenda = sorted({i for r in scenario["rounds"] for i in r.get("agenda", [])})
    fighters = [p for p in parties if "war" in actors[p]]
    if fighters and on_agenda and rng.random() < 0.25:
        actors[fighters[0]]["war"]["ongoing"] = True
        issues[rng.choice(on_agenda)]["ceasefire"] = True
    for issue_id, issue in issues.items():
        holders = [
            a
            for a in parties
            if issue_id in actors[a].get("positions", {})
            and actors[a].get("escalation")
            and actors[a].get("mandate", {}).get("soften", 0) > 0
            and actors[a]["mandate"].get("audience_cost", 0) > 0
        ]
        if holders and rng.random() < 0.3:
            issue["secret"] = True
    if scenario["aftermath"]["days"] == 0:
        scenario["aftermath"]["step_days"] = 7  # no steps to size (validation refuses others)
    return scenario


valid_scenarios = st.integers(0, 2**64 - 1).map(lambda seed: random_scenario(random.Random(seed)))
"""Valid scenarios; each is drawn from a seeded generator (a few hypothesis draws, not
hundreds: the fuzz test needs 10,000 of them)."""


# --- mutations ---------------------------------------------------------------------------------

ODD_VALUES: list[Any] = [
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1e308,
    5e-324,
    10**400,
    -(10**30),
    0,
    -1,
    2**63,
    True,
    None,
    "",
    "text",
    "\x1b[2J",
    "a\nok",
    "\ud800",
    "\u202e\u200b",
    "日本語",
    "1e308",
    ".nan",
    [],
    [1, 2],
    {},
    {"dist": "beta", "mean": 0.5, "sd": 1e-200},
    {"dist": "uniform", "low": float("nan"), "high": 1},
    {"dist": "normal", "mean": 0, "sd": -1},
    {"dist": "weird"},
    dt.date(9999, 12, 31),
    dt.date(1, 1, 1),
    "2022-02-30",
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested mappings and lists."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


@st.composite
def data_mutants(draw: st.DrawFn, scenario: dict[str, Any]) -> dict[str, Any]:
    """The scenario with one value replaced, one key removed, renamed or added."""
    mutant = copy.deepcopy(scenario)
    path = draw(st.sampled_from(_paths(mutant)[1:]))
    parent, last = _parent(mutant, path), path[-1]
    action = draw(st.sampled_from(["value", "value", "value", "delete", "rename", "add", "scale"]))
    if action == "value":
        parent[last] = draw(st.sampled_from(ODD_VALUES) | st.floats() | st.integers() | st.text())
    elif action == "delete":
        del parent[last]
    elif action == "rename" and isinstance(parent, dict):
        new = draw(st.sampled_from(["x", "p0", "Bad Id", "a\x1bb", "i0", "\ud800", 7.5]))
        parent[new] = parent.pop(last)
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["extra", "seed", "dist", "id"]))] = draw(
            st.sampled_from(ODD_VALUES)
        )
    elif (
        action == "scale"
        and isinstance(parent[last], int | float)
        and not isinstance(parent[last], bool)
    ):
        parent[last] = parent[last] * draw(st.sampled_from([-1, 1e6, 1e300, 1e-300]))
    return mutant


@st.composite
def text_mutants(draw: st.DrawFn, text: str) -> str:
    """YAML text with one character or line inserted, deleted or duplicated."""
    lines = text.splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(["insert", "delete_line", "duplicate_line", "indent"]))
    if action == "insert":
        line = lines[index]
        at = draw(st.integers(0, len(line)))
        piece = draw(
            st.sampled_from(
                [
                    ":",
                    "-",
                    "[",
                    "{",
                    "&a",
                    "*a",
                    "!!python/object ",
                    "\t",
                    "'",
                    '"',
                    "#",
                    "\x00",
                    "\ufeff",
                    "<<: ",
                    "?",
                ]
            )
            | st.text(max_size=3)
        )
        lines[index] = line[:at] + piece + line[at:]
    elif action == "delete_line":
        del lines[index]
    elif action == "duplicate_line":
        lines.insert(index, lines[index])
    else:
        lines[index] = "  " + lines[index]
    return "".join(lines)
