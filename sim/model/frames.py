"""A run as pandas tables: the wide summary row and the long per-exchange frame.

Both frames use the same dtypes in memory as after a round trip through CSV
(``pd.read_csv(path, parse_dates=[...], dtype={"outcome": OUTCOME_DTYPE})``):

* the outcome class is a categorical over every class (:data:`OUTCOME_DTYPE`),
  and the agreement's stage one over every stage;
* dates are ``datetime64`` (``war_date``, ``date``), ``NaT`` when missing;
* a missing number or word is NaN (not ``None``): ``agreed.<issue>`` of an
  issue never agreed, ``rung.<actor>`` of an actor that never climbed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from sim.model.outcome import OutcomeClass, Stage

if TYPE_CHECKING:
    import pandas as pd

    from sim.model.outcome import RunResult

CLASSES: tuple[str, ...] = get_args(OutcomeClass)
"""Every outcome class, the categories of the ``outcome`` column."""

STAGES: tuple[str, ...] = get_args(Stage)
"""Every stage an agreement can reach, the categories of the ``stage`` column."""

DATE_COLUMNS = ("war_date", "date")
"""Columns holding dates (parsed as ``datetime64``)."""

EXCHANGE_KINDS = ("offer", "accept", "reject", "hold")
"""The transcript events that make up an exchange (rows of :func:`exchanges_frame`)."""


def outcome_dtype() -> pd.CategoricalDtype:
    """The categorical dtype of the ``outcome`` column (every class, in summary order)."""
    import pandas as pd

    return pd.CategoricalDtype(list(CLASSES))


def _missing(value: Any) -> Any:
    return math.nan if value is None else value


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the documented dtypes: categorical outcome and stage, datetime dates, NaN."""
    import pandas as pd

    frame = frame.map(_missing).infer_objects() if len(frame) else frame
    if "outcome" in frame:
        frame["outcome"] = frame["outcome"].astype(outcome_dtype())
    if "stage" in frame:
        frame["stage"] = frame["stage"].astype(pd.CategoricalDtype(list(STAGES)))
    for column in DATE_COLUMNS:
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def read_csv(path: str | Path) -> pd.DataFrame:
    """A frame written with ``to_csv(path, index=False)``, read back with the same dtypes."""
    import pandas as pd

    return typed(pd.read_csv(path))


def summary_frame(result: RunResult) -> pd.DataFrame:
    """One wide row: seed, class, agreed position per issue, utility and rung per actor."""
    import pandas as pd

    return typed(pd.DataFrame([result.to_row()]))


def exchanges_frame(result: RunResult) -> pd.DataFrame:
    """One row per offer, acceptance, rejection or hold of the transcript (long format).

    Columns: ``scenario``, ``seed``, ``round``, ``date``, ``exchange``, ``kind``,
    ``actor``, ``text``, then ``position.<issue>`` for each issue a package
    names and ``worth.<side>`` for what an alternating-offers offer is worth to
    each side (NaN where an event has none). A run without exchange detail
    (``transcript=False``) keeps only its acceptances.
    """
    import pandas as pd

    rows = []
    for event in result.transcript:
        if event.kind not in EXCHANGE_KINDS:
            continue
        row: dict[str, Any] = {
            "scenario": result.scenario,
            "seed": result.seed,
            "round": event.round,
            "date": event.date,
            "exchange": event.exchange,
            "kind": event.kind,
            "actor": event.actor,
            "text": event.text,
        }
        row.update({f"position.{issue}": value for issue, value in event.package.items()})
        row.update({f"worth.{side}": value for side, value in event.utilities.items()})
        rows.append(row)
    base = ["scenario", "seed", "round", "date", "exchange", "kind", "actor", "text"]
    frame = pd.DataFrame(rows, columns=None if rows else base)
    extra = sorted(c for c in frame.columns if c not in base)
    frame = typed(frame[base + extra])
    frame["kind"] = frame["kind"].astype(pd.CategoricalDtype(list(EXCHANGE_KINDS)))
    return frame
