"""Escalation and war decisions as pure functions of explicit state.

A rung costs its user, adds pressure (a cost of no deal) and deterrence (a cost
of war) to its targets, signals resolve and carries a risk of sliding into war.
An actor climbs when the risk-weighted gain exceeds the risk-weighted loss; after
the talks an actor goes to war when its core demands went unmet and its war
lottery is worth more than the status quo (Fearon 1995).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.analysis.fearon import capability_share, war_value

__all__ = ["RungEffect", "capability_share", "climb_decision", "prefers_war", "war_value"]


@dataclass(frozen=True, slots=True)
class RungEffect:
    """What one rung does, in utility units."""

    cost: float
    pressure: float
    deterrence: float
    war_risk: float
    severity: float
    not_before: dt.date | None = None
    upkeep: float = 0.0


def climb_decision(
    risk_acceptance: float, stake: float, rung: RungEffect, war_loss: float
) -> tuple[bool, float, float]:
    """Whether to climb: ``rho * stake * (pressure + deterrence) > (1 - rho) * (cost + r * L)``.

    Works on numbers, or elementwise on arrays of ``risk_acceptance`` and
    ``war_loss`` (every type of an actor at once, as an observer weighs them).

    Args:
        risk_acceptance: rho in [0, 1].
        stake: What the actor stands to gain from moving the other side, >= 0:
            its dissatisfaction with the present state plus the pressure it has received.
        rung: The next rung on its ladder (its cost including the upkeep it
            expects to pay while it stands on it, :meth:`NegotiationModel.climb_effect`).
        war_loss: L, what an uncontrolled slide into war would cost it (>= 0).

    Returns:
        (climb, gain, loss) with gain and loss as compared.
    """
    gain = risk_acceptance * stake * (rung.pressure + rung.deterrence)
    loss = (1.0 - risk_acceptance) * (rung.cost + rung.war_risk * np.maximum(0.0, war_loss))
    return gain > loss, gain, loss


def prefers_war(core_unmet: bool, war_worth: float, no_deal_worth: float) -> bool:
    """War after the talks: core demands unmet and the war lottery beats no deal."""
    return core_unmet and war_worth > no_deal_worth
