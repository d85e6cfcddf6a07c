"""Patron and client, and stakes in others' wars (sections 7.35 and 7.37).

A client holds no veto at the table: its patron's acceptance stands for it
(:meth:`sim.model.sides.Side.binding` leaves clients out). After the talks the
client weighs the deal its patron accepted and defects when

    U_c(deal) < N_c − d_c

(its no-deal value less the declared defection cost); the deal then fails on
the client's issues. A patron counts ``stake`` times its client's war loss as
its own: a war against the client lowers the patron's no-deal value. A party
with ``war_stakes`` counts its own cost of a war fought against another,
times its believed odds of that war, the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.model.escalation import war_value

if TYPE_CHECKING:
    from sim.model.agents import ActorAgent
    from sim.model.model import NegotiationModel


@dataclass(frozen=True, slots=True)
class Defection:
    """A client's verdict on the deal its patron accepted: the numbers and whether it defects."""

    client: str
    patron: str
    issues: tuple[str, ...]
    worth: float
    no_deal: float
    cost: float

    @property
    def defects(self) -> bool:
        """True when the deal is worth less than no deal less the defection cost."""
        return self.worth < self.no_deal - self.cost - 1e-9

    def text(self) -> str:
        """The verdict in words, for the transcript and the outcome's reason."""
        terms = ", ".join(self.issues)
        if self.defects:
            return (
                f"{self.client} defects from the deal on {terms} its patron {self.patron} "
                f"accepted: worth {self.worth:.2f} to it < no deal {self.no_deal:.2f} − "
                f"defection cost {self.cost:.2f}"
            )
        return (
            f"{self.client} is bound by the deal on {terms} its patron {self.patron} accepted: "
            f"worth {self.worth:.2f} to it ≥ no deal {self.no_deal:.2f} − defection cost "
            f"{self.cost:.2f}"
        )


def believed_war(
    model: NegotiationModel,
    observer: ActorAgent,
    attacker: ActorAgent,
    state: Mapping[str, float],
) -> tuple[bool, float]:
    """Whether ``observer`` believes ``attacker``'s war beats its no deal, and its believed odds."""
    war = attacker.war
    assert war is not None
    belief = observer.beliefs.get(attacker.actor_id)
    if belief is None:
        p, cost, rho = war.win_probability, war.cost, attacker.risk_acceptance
    else:
        p = belief.mean("win_probability", war.win_probability)
        cost = belief.mean("war_cost", war.cost)
        rho = belief.mean("risk_acceptance", attacker.risk_acceptance)
    worth = war_value(p, cost, attacker.deterrence_received, rho) - attacker.drift()
    return worth > attacker.no_deal_value(state), p


def war_loss(
    model: NegotiationModel,
    observer: ActorAgent,
    client: ActorAgent,
    issues: list[str],
    state: Mapping[str, float],
) -> float:
    """What a war against ``client`` over these issues would cost it, as ``observer`` believes.

    ``max(0, N_c − (1 − p̂ − c_c − drift_c))`` for the worst attacker whose core
    demands are among the issues and whose war, in the observer's belief, beats
    its no deal; 0 if there is none.
    """
    loss = 0.0
    for attacker in model.parties():
        war = attacker.war
        if war is None or war.against != client.actor_id or not attacker.core_in(issues):
            continue
        comes, p = believed_war(model, observer, attacker, state)
        if not comes:
            continue
        own = client.war.cost if client.war and client.war.against == attacker.actor_id else 0.0
        fought = 1.0 - p - own - client.drift()
        held = [i for i in issues if i in client.stances] or None
        loss = max(loss, client.no_deal_value(state, held) - fought)
    return max(0.0, loss)


def stake_loss(model: NegotiationModel, holder: ActorAgent, agenda: list[str]) -> float:
    """What others' wars take off a party's no-deal value (sections 7.35 and 7.37).

    ``Σ stake_c · loss_c`` over its clients, plus ``Σ s_t · odds_t`` over its war
    stakes: for each target ``t``, the highest odds (:meth:`NegotiationModel.war_odds`, the
    belief mass of section 7.13) among the parties whose war option is against
    ``t`` and whose core demands are on the agenda.
    """
    total = 0.0
    for client in model.parties():
        if client.patron == holder.actor_id and client.patron_stake > 0:
            total += client.patron_stake * war_loss(model, holder, client, agenda, model.state)
    for target, stake in holder.war_stakes.items():
        odds = [
            model.war_odds(holder, attacker)
            for attacker in model.parties()
            if attacker.war is not None
            and attacker.war.against == target
            and attacker.core_in(agenda)
        ]
        total += stake * max(odds, default=0.0)
    return total


def judge(
    model: NegotiationModel,
    client: ActorAgent,
    issues: list[str],
    before: Mapping[str, float],
) -> Defection:
    """The client's verdict on the agreed ``issues``, against no deal at the ``before`` state.

    Its no-deal value is its value of the state before the deal, or of the war
    that no deal would bring (``1 − p̂ − c − drift``, its own belief) if lower.
    """
    no_deal = client.no_deal_value(before, issues)
    loss = war_loss(model, client, client, issues, before)
    assert client.patron is not None
    return Defection(
        client=client.actor_id,
        patron=client.patron,
        issues=tuple(issues),
        worth=client.utility(model.state, issues),
        no_deal=no_deal - loss,
        cost=client.defection_cost,
    )
