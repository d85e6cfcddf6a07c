"""A sweep as text: a table row per point, then Sobol' indices if the design has them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.sweeps.runner import SweepResult


def render_sweep(result: SweepResult) -> str:
    """The per-point summary of a sweep (and its Sobol' indices) as aligned text.

    Args:
        result: The sweep (:func:`~sim.sweeps.runner.run_sweep`).

    Returns:
        Text ending in a newline: a heading, then one row per point with the
        varied values, P(war) with its 95% Wilson interval, P(agreement) and each
        actor's mean utility ``U(actor)``; for a Sobol' design, the first-order
        (``S1``) and total (``ST``) index of each parameter for each output, with
        95% confidence half-widths.
    """
    data = result.to_dict()
    points = data["points"]
    lines = [
        f"Sweep of {data['scenario']}: {_count(len(points), 'point')} × "
        f"{_count(data['runs'], 'run')} ({data['design']}, seed {data['seed']})",
        "",
    ]
    actors = list(points[0]["mean_utility"]) if points else []
    headers = [
        "point",
        *data["paths"],
        "P(war)",
        "95% interval",
        "P(agreement)",
        *(f"U({a})" for a in actors),
    ]
    rows = []
    for point in points:
        war = point["classes"].get("war", {"probability": 0.0, "ci95": [0.0, 0.0]})
        agreement = point["classes"].get("agreement", {"probability": 0.0})
        low, high = war["ci95"]
        rows.append(
            [
                str(point["point"]),
                *(_value(point["values"][path]) for path in data["paths"]),
                f"{war['probability']:.3f}",
                f"[{low:.3f}, {high:.3f}]",
                f"{agreement['probability']:.3f}",
                *(_utility(point["mean_utility"][a]) for a in actors),
            ]
        )
    lines += _table(headers, rows)
    if result.sobol is not None:
        lines += ["", *_sobol_lines(result.sobol)]
    return "\n".join(lines) + "\n"


def _sobol_lines(sobol: dict[str, Any]) -> list[str]:
    lines = [
        f"Sobol' indices (N = {sobol['samples']}, {sobol['points']} points; "
        "± 95% confidence half-width)"
    ]
    rows = []
    notes = []
    for output, entry in sobol["outputs"].items():
        if entry.get("note"):
            notes.append(f"  {output}: {entry['note']}")
            continue
        for path, index in entry["indices"].items():
            rows.append(
                [
                    output,
                    path,
                    _plus_minus(index["S1"], index["S1_conf"]),
                    _plus_minus(index["ST"], index["ST_conf"]),
                ]
            )
    if rows:
        lines += _table(["output", "parameter", "S1", "ST"], rows, right_from=2)
    return lines + notes


def _table(headers: list[str], rows: list[list[str]], right_from: int = 0) -> list[str]:
    """Aligned columns: text left-aligned before ``right_from``, right-aligned after."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        shown = [
            cell.rjust(width) if i >= right_from else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(shown).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def _plus_minus(value: float | None, conf: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} ± {conf:.3f}" if conf is not None else f"{value:.3f}"


def _value(value: Any) -> str:
    """A varied value as written in YAML flow style: ``0.25``, ``{dist: beta, mean: 0.7}``."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_value(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "—" if value is None else str(value)


def _utility(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
