"""Small HTML pieces the report's sections share: tables, badges, positions with their labels."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from sim.analysis.utility import short

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario


def table(header: Iterable[str], rows: Iterable[Iterable[str]], numeric: set[int]) -> str:
    """An HTML table; cells are already-escaped HTML; ``numeric`` columns align right."""
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if index in numeric else f"<td>{cell}</td>"
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def badge(outcome_class: str) -> str:
    """An outcome class as a coloured badge."""
    name = escape(outcome_class.replace("_", " ").upper())
    return f'<span class="badge c-{escape(outcome_class)}">{name}</span>'


def position(scenario: Scenario, issue: str, value: float) -> str:
    """A position with its label, escaped: ``70 (open door without a timeline)``."""
    spec = scenario.issues.get(issue)
    label = spec.label(value) if spec is not None and spec.labels else ""
    return escape(f"{short(value)} ({label})" if label else short(value))


def interval(low: float, high: float, digits: int = 3) -> str:
    """A 95% interval as ``[low, high]``."""
    return f"[{low:.{digits}f}, {high:.{digits}f}]"
