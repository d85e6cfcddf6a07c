"""The page's "What to try" panel: a few concrete steps per shipped scenario.

Keyed by the scenario's path under ``scenarios/`` (as the page's Scenario menu
shows it). Sliders are named exactly as the page labels them, in single
quotes, so a test can check that each one exists for its scenario; claims about
what happens are the theory's, or what ``docs/classroom.md`` measured.
"""

from __future__ import annotations

GENERIC = (
    "Press Step and read each line's reason: who offers, who refuses and why.",
    "Run to end, then 'Run seeds' to see how often each outcome comes up.",
    "Move one slider, run the same seeds again and compare the tallies.",
)
"""The hints for a scenario file that is not one of the shipped ones."""

WHAT_TO_TRY: dict[str, tuple[str, ...]] = {
    # The counterfactuals (docs/counterfactuals.md compares 300-run batches of each).
    "counterfactuals/ukraine_at_every_table.yaml": (
        "Ukraine now sits beside the West in every round. 'Run seeds' 0–9 here and on the "
        "baseline: does the tally change? Why did Kyiv’s veto already give it its say?",
    ),
    "counterfactuals/enlargement_moratorium.yaml": (
        "Step through Geneva: the United States now offers the informal moratorium (30). "
        "Read Russia’s reply: which red line does it cross, and why?",
        "'Run seeds' 0–9: does the moratorium make war rarer than in the baseline?",
    ),
    "counterfactuals/arms_control_first.yaml": (
        "Step through the first round: a written offer on missiles and exercises only. "
        "Is it accepted? Then 'Run seeds' 0–9 and compare the wars with the baseline.",
    ),
    "counterfactuals/no_linkage.yaml": (
        "Russia treats its demands as a menu. Run to end: which issues get agreed now?",
        "'Run seeds' 0–9: fewer wars than the baseline? Why did linkage block the deals "
        "that had a zone of agreement?",
    ),
    "counterfactuals/harder_kremlin.yaml": (
        "'Run seeds' 0–9 and compare with the baseline: how much of the war risk comes "
        "from Russia’s private type rather than from the West’s offers?",
    ),
    "counterfactuals/softer_kremlin.yaml": (
        "'Run seeds' 0–9: fewer wars than the baseline, yet is enlargement ever agreed? "
        "Read a rejection to see why.",
    ),
    "counterfactuals/allies_split.yaml": (
        "Western Europe has left the table. 'Run seeds' 0–9: does dividing the West change "
        "anything? Which member’s red lines bind a bloc that decides by consensus?",
    ),
    "january_2022.yaml": (
        "Run seeds 0–9: how many of the ten end in war? Which rung does Russia reach first?",
        "Set seed 3 and Step through it: mark where the talks stall and when Russia climbs.",
        "Raise 'Russia: cost of war' to 0.6 and run seeds 0–9 again. What changed, and why "
        "can a war still start by sliding down the ladder?",
        "Shorten 'Hours per round': with fewer offers before each deadline, does anything get agreed?",
    ),
    "textbook/rubinstein.yaml": (
        "Before pressing anything: with both patiences at 0.9 the first proposer gets "
        "(1 − δ₂)/(1 − δ₁δ₂) = 0.526 of the pie. Step once: is the first offer accepted?",
        "Lower 'First proposer: patience (discount per exchange)' to 0.8, then 0.6, and run "
        "each: who gains when one side becomes impatient?",
        "Why does nobody ever reject in equilibrium?",
    ),
    "textbook/ultimatum.yaml": (
        "One offer, take it or leave it: Step once and read what the proposer asks for.",
        "Move 'Responder: patience (discount per exchange)': does the offer change? Why not?",
    ),
    "textbook/nash_bargaining.yaml": (
        "Run to end: where is the pie split? Compare it with the Nash bargaining solution "
        "(`sim analyze` prints it).",
        "Lower 'A: patience (discount per exchange)' to 0.8: who now gets more, and why?",
    ),
    "textbook/nash_curved.yaml": (
        "B’s utility is curved: run to end and compare the split with the Nash and "
        "Kalai-Smorodinsky solutions (`sim analyze`). Which one does bargaining reach?",
        "Lower 'B: patience (discount per exchange)': how far does the split move?",
    ),
    "textbook/fearon_complete_information.yaml": (
        "Run seeds 0–9: both sides know the odds and the costs of war. How many wars?",
        "Lower 'Challenger A: cost of war' towards 0: does war ever pay? Why must some deal "
        "beat fighting for both sides?",
    ),
    "textbook/fearon_private_information.yaml": (
        "Run seeds 0–9 and read the tally: which seeds end in war?",
        "Set one war seed and read the last transcript line: why does the challenger fight?",
        "Raise 'Challenger A: cost of war' from 0.1 to 0.3 and run seeds 0–9 again: what "
        "happens to the wars, and why does a costlier war widen the bargaining range?",
    ),
    "textbook/fearon_take_it_or_leave_it.yaml": (
        "A makes one demand without knowing B's cost of war: Run seeds 0–9 and count the wars.",
        "Raise 'Responder B: cost of war': does A demand more, and are there more or fewer wars? "
        "This is Fearon's risk-return trade-off.",
    ),
    "textbook/costly_delay.yaml": (
        "Both sides are optimistic about war: Run seeds 0–9 and read the tally.",
        "Raise 'A: cost of war' and 'B: cost of war': when does a deal become possible again?",
    ),
    "textbook/side_payment.yaml": (
        "On the border alone there is no deal: A holds the line at 40, B walks away below 45. "
        "Step through: how much aid does B pay, and how far does the line move?",
        "Run to end and compare each side's utility with its value of no deal "
        "(A 0.30 over both issues, B 0.45).",
    ),
    "textbook/secret_term.yaml": (
        "A escalated in public, so backing down costs it at home. Step to the return home "
        "between the rounds: which of A's red lines moves, and which one holds?",
        "Compare with the same term made public: sim run scenarios/textbook/secret_term.yaml "
        "--set issues.far_missiles.secret=false. Why is nothing agreed then?",
    ),
    "textbook/backing_down.yaml": (
        "B’s delegation refuses A’s demand: it crosses B’s red line. Step to the return home "
        "after the first round: what does holding out cost B, and what does giving way cost?",
        "Make the threat incredible: set 'A: cost of war' to 0.85 and run again. A’s war is "
        "now worth less than the status quo. Why does B hold its line?",
    ),
    "textbook/derived_issue.yaml": (
        "Nobody offers breakout: it is 0.6 × centrifuges + 0.4 × stockpile. Step through: "
        "which of Iran’s offers cross the United States’ only red line, breakout 30?",
        "Run to end: centrifuges end above 30 and still breakout holds. What paid for them? "
        "Compare: sim run scenarios/textbook/derived_issue.yaml --set issues.breakout.depends_on={} "
        "--set rounds.0.agenda=[centrifuges,stockpile,breakout]",
    ),
    "textbook/mediator_aid.yaml": (
        "On the border alone there is no deal: A takes no line past 40, B none short of 50. "
        "Step through: how much aid does the envoy’s text offer B, and where does the "
        "envoy’s own red line (70) stop it?",
        "Run to end and compare B’s utility with its walk-away value (0.5): did the envoy "
        "pay more than it had to?",
    ),
    "textbook/mediator_guarantee.yaml": (
        "Without the envoy’s promise there is no deal: A takes no line past 40, B none short "
        "of 50. Step through: which line does B accept once signing is worth 0.2 more to it?",
        "Shorten 'Hours of the round': how long does the envoy need to find the zone between "
        "30 and 40?",
    ),
    "textbook/patron_client.yaml": (
        "Step through: P cedes C’s territory although C’s red line is 0. Why does C have no "
        "veto in its own bloc?",
        "Move 'C: defection cost' below 0.5 and run to end: what does C do after P signs, "
        "and what follows?",
        "Move 'C: stake of its patron' to 0: does P still concede enough to satisfy G?",
    ),
    "textbook/war_stakes.yaml": (
        "Run to end: B cedes more than half of T’s province although on its own account "
        "A’s war would cost it a quarter of its utility. What else does B fear?",
        "Move 'B: stake in a war on T' to 0 and run to end: how far does B go now, and "
        "what does A do?",
    ),
    "history/fashoda_1898.yaml": (
        "France backed down in 1898. Run seeds 0–9: does the engine's France back down too? "
        "Read docs/history.md for why it does not.",
        "Raise 'France: cost of war': when does France prefer withdrawal to war?",
    ),
    "history/july_crisis_1914.yaml": (
        "Step through the ultimatum: which demand does Serbia refuse, and why?",
        "Lower 'Austria-Hungary: risk acceptance': is war still the outcome?",
    ),
    "history/munich_1938.yaml": (
        "The powers agreed at Munich. Run to end: in which round does the engine's Britain "
        "give way, and what war does it fear?",
        "Move 'Britain: stake in a war on Czechoslovakia' to 0 and run to end: what does "
        "Britain object to now?",
        "Raise 'Germany: cost of war': does the text become acceptable to Germany sooner?",
    ),
    "history/korean_armistice_1951.yaml": (
        "Two years of talks while the war went on. Step through the rounds: when do the "
        "no-deal values change, and does the line of contact ever get offered?",
        "Run seeds 0–9 and compare the tally with the record (an armistice in 1953).",
    ),
    "history/oslo_1993.yaml": (
        "The Declaration of Principles left final status open. Run to end: which issues "
        "are agreed, and which stay open?",
        "Run seeds 0–9: how often is self-government agreed?",
    ),
    "history/dayton_1995.yaml": (
        "A mediator with leverage: step through the chair's texts and read who rejects them.",
        "Run seeds 0–9 and compare the tally with the record (agreement on 21 November 1995).",
    ),
    "textbook/screening.yaml": (
        "The seller does not know the buyer's value. Step through: which price comes first, "
        "and which buyer accepts it?",
        "Raise 'Seller: patience (discount per exchange)': does the first price go up or down?",
    ),
    "textbook/chicken.yaml": (
        "A population learns by imitation: Run to end and read how often each side swerves.",
        "Run seeds 0–9: does the population always settle in the same place?",
    ),
    "forecasting/ec_emissions.yaml": (
        "Ten EC states bargain over when emission standards take effect: Run to end and read "
        "the forecast position.",
        "Run seeds 0–9: is the forecast the same every time? Why (or why not)?",
    ),
}
"""The hints per shipped scenario, by its path under ``scenarios/``."""


def what_to_try(choice: str) -> tuple[str, ...]:
    """The hints for the page's chosen scenario (its path under ``scenarios/``)."""
    return WHAT_TO_TRY.get(choice, GENERIC)
