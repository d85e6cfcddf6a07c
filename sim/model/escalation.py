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


@dataclass(frozen=True, slots=True)
class RungEffect:
    """What one rung does, in utility units."""

    cost: float
    pressure: float
    deterrence: float
    war_risk: float
    severity: float
    not_before: dt.date | None = None


def climb_decision(
    risk_acceptance: float, stake: float, rung: RungEffect, war_loss: float
) -> tuple[bool, float, float]:
    """Whether to climb: ``rho * stake * (pressure + deterrence) > (1 - rho) * (cost + r * L)``.

    Args:
        risk_acceptance: rho in [0, 1].
        stake: What the actor stands to gain from moving the other side, >= 0:
            its dissatisfaction with the present state plus the pressure it has received.
        rung: The next rung on its ladder.
        war_loss: L, what an uncontrolled slide into war would cost it (>= 0).

    Returns:
        (climb, gain, loss) with gain and loss as compared.
    """
    gain = risk_acceptance * stake * (rung.pressure + rung.deterrence)
    loss = (1.0 - risk_acceptance) * (rung.cost + rung.war_risk * max(0.0, war_loss))
    return gain > loss, gain, loss


def capability_share(own: float, other: float) -> float:
    """Win probability from capabilities: ``c_own / (c_own + c_other)``; 1/2 if both are 0.

    The standard balance-of-power proxy (e.g. the CINC ratio in the
    correlates-of-war literature) used when a scenario gives no believed odds.
    """
    total = own + other
    return 0.5 if total <= 0 else own / total


def war_value(win_probability: float, cost: float, deterrence: float) -> float:
    """Fearon's war lottery in utility units: ``p * 1 + (1 - p) * 0 - c - deterrence``."""
    return win_probability - cost - deterrence


def prefers_war(core_unmet: bool, war_worth: float, no_deal_worth: float) -> bool:
    """War after the talks: core demands unmet and the war lottery beats no deal."""
    return core_unmet and war_worth > no_deal_worth
