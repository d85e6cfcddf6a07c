"""Figures and reports: matplotlib figures of runs, scenarios and batches; a self-contained HTML report.

>>> import sim
>>> from sim.viz import concession_plot, html_report
>>> scenario = sim.load_scenario("scenarios/january_2022.yaml")  # doctest: +SKIP
>>> result = sim.run(scenario, seed=1)  # doctest: +SKIP
>>> concession_plot(result).savefig("dance.png")  # doctest: +SKIP
>>> html = html_report(scenario, result)  # doctest: +SKIP

Modules: :mod:`~sim.viz.plots` (the figures, pure functions returning
``matplotlib.figure.Figure``; the concession and escalation figures live in
:mod:`~sim.viz.concession` and :mod:`~sim.viz.escalation`, shared colours and
names in :mod:`~sim.viz.style`), :mod:`~sim.viz.report` (the HTML report),
:mod:`~sim.viz.files` (which figures ``sim plot`` draws, atomic writing).
Importing this package does not import matplotlib; drawing a figure does.
"""

from __future__ import annotations

from sim.viz.plots import (
    concession_plot,
    escalation_plot,
    figure_bytes,
    outcome_plot,
    zopa_plot,
)
from sim.viz.report import html_report

__all__ = [
    "concession_plot",
    "escalation_plot",
    "figure_bytes",
    "html_report",
    "outcome_plot",
    "zopa_plot",
]
