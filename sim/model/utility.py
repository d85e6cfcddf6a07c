"""Utility of positions, for the model: the formulas live in :mod:`sim.analysis.utility`.

The theory and the model share one definition of per-issue value and package
utility; it sits in the analysis layer (pure mathematics, below the model), and
the model imports it from there.
"""

from sim.analysis.utility import Shape, Stance, Valuation, package_utility, short

__all__ = ["Shape", "Stance", "Valuation", "package_utility", "short"]
