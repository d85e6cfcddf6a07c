"""A symmetric 2x2 game learned in a population: chicken as hawk-dove.

Each generation the players are paired at random and play the round's game;
then every player looks at one other player at random and, if that player
earned more, switches to its action with probability proportional to the
payoff difference (Schlag's 1998 proportional imitation). In a large population
the expected share of each action follows the replicator dynamics, whose
interior rest point in an anti-coordination game such as chicken is the
mixed-strategy Nash equilibrium (Maynard Smith's hawk-dove ESS). The share
observed over a run is an emergent result, checked against nashpy's equilibrium
in the tests, not computed from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import mesa

from sim.scenario.distributions import draw_param
from sim.scenario.schema import Game, Round

if TYPE_CHECKING:
    from sim.model.model import NegotiationModel


class PlayerAgent(mesa.Agent):
    """One member of the population: an action and the payoff it earned last."""

    def __init__(self, model: NegotiationModel, action: int) -> None:
        super().__init__(model)
        self.action = action
        self.payoff = 0.0


def _spread(game: Game) -> float:
    """Largest payoff difference in the game: scales imitation probabilities into [0, 1]."""
    values = [value for row in game.payoffs for value in row]
    return (max(values) - min(values)) or 1.0


def play_generation(players: list[PlayerAgent], game: Game, model: NegotiationModel) -> None:
    """Random pairing, play, then proportional imitation of one random other player."""
    order = list(players)
    model.random.shuffle(order)
    for first, second in zip(order[0::2], order[1::2], strict=False):
        first.payoff = game.payoffs[first.action][second.action]
        second.payoff = game.payoffs[second.action][first.action]
    if len(order) % 2:
        odd = order[-1]
        partner = order[0]
        odd.payoff = game.payoffs[odd.action][partner.action]
    spread = _spread(game)
    previous = [(player.action, player.payoff) for player in players]
    for index, player in enumerate(players):
        other = model.random.randrange(len(players) - 1)
        other += other >= index
        action, payoff = previous[other]
        gain = payoff - previous[index][1]
        if gain > 0 and model.random.random() < gain / spread:
            player.action = action


def population_game(model: NegotiationModel, round_spec: Round) -> Iterator[None]:
    """Play ``round_spec.exchanges`` generations and record the share of the second action."""
    game = round_spec.game
    assert game is not None
    initial_share = draw_param(game.initial_share, model.rng, 0.0, 1.0)
    players = [
        PlayerAgent(model, int(model.random.random() < initial_share))
        for _ in range(game.population)
    ]
    second = game.actions[1]
    history: list[dict[str, object]] = []
    for generation in range(1, round_spec.exchanges + 1):
        play_generation(players, game, model)
        share = sum(player.action for player in players) / len(players)
        history.append({"generation": generation, f"share_{second}": round(share, 6)})
        model.record(
            "offer",
            "",
            f"generation {generation}: {share:.1%} of the population plays {second}",
            exchange=generation,
        )
        yield
    mean_late = sum(row[f"share_{second}"] for row in history[len(history) // 2 :]) / max(  # type: ignore[misc]
        1, len(history) - len(history) // 2
    )
    model.forecasts[round_spec.id] = history
    model.record(
        "agreement",
        "",
        f"{round_spec.venue}: over the second half of the run {mean_late:.1%} played {second}",
    )
    for player in players:
        player.remove()
