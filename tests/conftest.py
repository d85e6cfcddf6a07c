"""Shared pytest setup for every test directory."""

from __future__ import annotations

import os

# A headless matplotlib backend for the tests and the `sim` subprocesses they start
# (the figures in sim.viz attach their own Agg canvas anyway; this covers any pyplot use).
os.environ["MPLBACKEND"] = "Agg"
