"""The model's agreement properties, each on scenarios built for it.

Two conventions run through the file:

* Scales are 0-100 and a *ZOPA* on an issue is the set of positions inside every
  must-agree actor's red line (between its ideal and its red line).
* The model's floor is ``max(red-line utility, BATNA)`` and with no pressure the
  BATNA is the status quo's worth. Where a test needs the ZOPA to be the whole
  story, the status quo is put where no actor values it above its own red line
  (``|status_quo - ideal| >= |red_line - ideal|`` for everyone), so no deal does
  not shrink the zone: a status quo inside the ZOPA would already be the deal.
"""

from __future__ import annotations

from typing import Any

import builders
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.model.model import NegotiationModel
from sim.runner import run
from sim.scenario.schema import Scenario

# --- building scenarios -------------------------------------------------------------------------


def scenario(
    issues: dict[str, Any],
    actors: dict[str, Any],
    participants: list[str],
    *,
    hours: float = 20.0,
    protocol: str = "alternating_offers",
    first_proposer: str | None = None,
    blocs: dict[str, Any] | None = None,
    vetoes: list[dict[str, Any]] | None = None,
) -> Scenario:
    """One round on the whole agenda, no ladder, no aftermath."""
    extra: dict[str, Any] = {}
    if protocol == "mediated":
        extra["mediator"] = "chair"
        actors = {**actors, "chair": builders.actor("Chair", role="mediator")}
    if first_proposer is not None:
        extra["first_proposer"] = first_proposer
    round_ = builders.one_round(
        participants, list(issues), protocol, hours, round_id="talks", venue="Geneva", **extra
    )
    return builders.build(
        issues, actors, [round_], name="property", blocs=blocs or {}, vetoes=vetoes or []
    )


def party(
    positions: dict[str, tuple[float, Any]],
    kind: str = "linear",
    *,
    linkage: bool = False,
    salience: dict[str, float] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An actor from ``{issue: (ideal, red_line)}``."""
    salience = salience or {}
    stances = {
        issue: builders.position(ideal, red_line, salience=salience.get(issue, 1.0))
        for issue, (ideal, red_line) in positions.items()
    }
    return builders.actor("party", stances, strategy={"kind": kind}, linkage=linkage, **extra)


def agreed(result: Any, issue: str) -> float | None:
    """The agreed position on an issue, or None."""
    agreement = result.outcome.agreed.get(issue)
    return None if agreement is None else agreement.position


# --- ZOPA + conceding actors -> agreement --------------------------------------------------------


@st.composite
def zopa_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Two conceding actors, 1-3 issues, each with a ZOPA at least 5 wide.

    On each issue A's ideal lies below B's; both red lines reach into the other's
    half so the acceptable sets overlap; the status quo sits at the end of the
    scale that no one values above its red line (possibly mirrored). Indivisible
    issues carry a labelled point in the middle of the ZOPA.
    """
    n = draw(st.integers(1, 3))
    issues, a_pos, b_pos = {}, {}, {}
    for k in range(n):
        a_ideal = draw(st.integers(0, 40))
        b_ideal = draw(st.integers(a_ideal + 10, 70))
        b_red = draw(st.integers(max(0, 2 * b_ideal - 100), b_ideal - 5))
        a_red = draw(st.integers(max(b_red, a_ideal) + 5, 100))
        zopa = (max(a_ideal, b_red), min(a_red, b_ideal))
        assert zopa[1] - zopa[0] >= 5
        status_quo = 100
        mid = (zopa[0] + zopa[1]) / 2
        spec: dict[str, Any] = {"status_quo": status_quo}
        if draw(st.booleans()):
            spec = {
                "status_quo": status_quo,
                "divisible": False,
                "labels": {0: "none", mid: "the middle of the zone", 100: "all"},
            }
        values = [a_ideal, a_red, b_ideal, b_red, status_quo, mid]
        if draw(st.booleans()):  # mirror: the status quo at 0 instead
            values = [100 - v for v in values]
            spec["status_quo"] = values[4]
            if "labels" in spec:
                spec["labels"] = {0: "none", values[5]: "the middle of the zone", 100: "all"}
        issue = f"i{k}"
        issues[issue] = spec
        a_pos[issue] = (values[0], values[1])
        b_pos[issue] = (values[2], values[3])
    kinds = st.sampled_from(["linear", "conceder"])
    return {
        "issues": issues,
        "a": party(a_pos, draw(kinds), linkage=draw(st.booleans())),
        "b": party(b_pos, draw(kinds), linkage=draw(st.booleans())),
        "first": draw(st.sampled_from(["a", "b"])),
    }


@pytest.mark.parametrize("protocol", ["alternating_offers", "mediated"])
@settings(max_examples=80, deadline=None)
@given(case=zopa_cases(), seed=st.integers(0, 1000))
def test_zopa_on_every_issue_and_conceding_actors_reach_agreement(
    protocol: str, case: dict[str, Any], seed: int
) -> None:
    """Every agenda issue has a ZOPA, both actors concede (linear or conceder), the round is
    long (40 exchanges): the talks end in agreement on everything, inside the ZOPA, whether
    the sides alternate offers or a chair amends a single text."""
    s = scenario(
        case["issues"],
        {"a": case["a"], "b": case["b"]},
        ["a", "b"],
        protocol=protocol,
        first_proposer=case["first"] if protocol == "alternating_offers" else None,
    )
    result = run(s, seed=seed)
    assert result.outcome.outcome_class == "agreement", result.outcome.reason
    for issue in case["issues"]:
        position = agreed(result, issue)
        assert position is not None
        for actor in ("a", "b"):
            ideal, red_line = (
                s.actors[actor].positions[issue].ideal,
                s.actors[actor].positions[issue].red_line,
            )
            assert min(ideal, red_line) - 1e-9 <= position <= max(ideal, red_line) + 1e-9


def test_zopa_and_conceding_actors_reach_agreement_in_mediated_talks() -> None:
    """The same property under a chair's single text, on a case found by hypothesis.

    ZOPAs: i0 [77, 86], i1 [50, 60], i2 [63, 70]; status quo 0 is worth no more
    to either than its red lines; both concede; 40 exchanges.
    """
    a = party({"i0": (88, 77), "i1": (61, 7), "i2": (96, 63)}, "conceder", linkage=True)
    b = party({"i0": (59, 86), "i1": (50, 60), "i2": (41, 70)}, "conceder")
    issues = {issue: {"status_quo": 0} for issue in ("i0", "i1", "i2")}
    s = scenario(issues, {"a": a, "b": b}, ["a", "b"], protocol="mediated")
    assert run(s, seed=0).outcome.outcome_class == "agreement"


# --- linked indivisible issue without a ZOPA -> no full agreement --------------------------------


NO_ZOPA_ISSUES = {
    "enlargement": {
        "status_quo": 70,
        "divisible": False,
        "labels": {0: "guarantee", 30: "moratorium", 70: "open door", 100: "accession"},
    },
    "missiles": {"status_quo": 100},
}


@pytest.mark.parametrize("protocol", ["alternating_offers", "mediated"])
@pytest.mark.parametrize("kind", ["linear", "conceder", "boulware", "tit_for_tat"])
def test_linked_indivisible_issue_without_zopa_prevents_full_agreement(
    protocol: str, kind: str
) -> None:
    """A linked package holding an indivisible issue with no ZOPA is never fully agreed.

    Russia accepts enlargement in [0, 0..30], the United States in [70, 100]: no
    labelled point lies in both. Missiles has a wide ZOPA, but Russia links the
    agenda, so nothing is agreed at all, over 40 seeds (red lines drawn per run).
    """
    russia = party(
        {"enlargement": (0, {"dist": "uniform", "low": 0, "high": 30}), "missiles": (0, 80)},
        kind,
        linkage=True,
    )
    us = party(
        {"enlargement": (100, {"dist": "uniform", "low": 70, "high": 100}), "missiles": (60, 20)},
        "conceder",
    )
    s = scenario(NO_ZOPA_ISSUES, {"russia": russia, "us": us}, ["russia", "us"], protocol=protocol)
    for seed in range(40):
        result = run(s, seed=seed, transcript=False)
        assert result.outcome.outcome_class != "agreement"
        assert agreed(result, "enlargement") is None
        assert all(a is None for a in result.outcome.agreed.values()), "linked: nothing is agreed"


def test_without_linkage_the_issue_with_a_zopa_is_still_agreed() -> None:
    """Control: the same talks without linkage agree missiles and leave enlargement open."""
    russia = party({"enlargement": (0, 20), "missiles": (0, 80)}, "linear")
    us = party({"enlargement": (100, 70), "missiles": (60, 20)}, "conceder")
    s = scenario(NO_ZOPA_ISSUES, {"russia": russia, "us": us}, ["russia", "us"])
    result = run(s, seed=0)
    assert result.outcome.outcome_class == "partial"
    assert agreed(result, "missiles") is not None
    assert agreed(result, "enlargement") is None


# --- a consensus bloc is bound by its hardest member ---------------------------------------------


def bloc_talks(hard_red_line: float, protocol: str, kind: str) -> Scenario:
    """Russia (accepts posture in [0, 40]) against NATO: a soft member (down to 20) and a hard one.

    The status quo (100) is worth nothing to Russia and no more than its red line
    to each ally, so only red lines bound the zone.
    """
    issues = {"posture": {"status_quo": 100}}
    actors = {
        "russia": party({"posture": (0, 40)}, "linear"),
        "soft": party({"posture": (60, 20)}, kind),
        "hard": party({"posture": (60, hard_red_line)}, kind),
    }
    blocs = {"nato": {"members": ["soft", "hard"], "speaker": "soft"}}
    return scenario(issues, actors, ["russia", "nato"], protocol=protocol, blocs=blocs)


@pytest.mark.parametrize("protocol", ["alternating_offers", "mediated"])
@pytest.mark.parametrize("kind", ["linear", "conceder"])
def test_a_bloc_cannot_agree_beyond_its_hardest_members_red_line(protocol: str, kind: str) -> None:
    """The soft member would accept Russia's range (20-40), the hard one stops at 50: no deal.

    Control: the soft member alone, as a single side, agrees in [20, 40].
    """
    blocked = bloc_talks(50, protocol, kind)
    for seed in range(20):
        result = run(blocked, seed=seed, transcript=False)
        assert agreed(result, "posture") is None
    alone = scenario(
        {"posture": {"status_quo": 100}},
        {"russia": party({"posture": (0, 40)}), "soft": party({"posture": (60, 20)}, kind)},
        ["russia", "soft"],
        protocol=protocol,
    )
    position = agreed(run(alone, seed=0), "posture")
    assert position is not None and 20 - 1e-9 <= position <= 40 + 1e-9


@pytest.mark.parametrize("protocol", ["alternating_offers", "mediated"])
@pytest.mark.parametrize("kind", ["linear", "conceder"])
def test_when_a_bloc_agrees_it_is_inside_its_hardest_members_red_line(
    protocol: str, kind: str
) -> None:
    """With the hard member's red line at 35 a deal is possible, and it is always in [35, 40]."""
    talks = bloc_talks(35, protocol, kind)
    positions = [agreed(run(talks, seed=seed, transcript=False), "posture") for seed in range(20)]
    reached = [p for p in positions if p is not None]
    assert reached, "the bloc should reach some agreement when its hardest member allows one"
    assert all(35 - 1e-9 <= p <= 40 + 1e-9 for p in reached)


# --- an absent veto holder blocks what it must accept --------------------------------------------


def veto_talks(with_veto: bool, protocol: str) -> Scenario:
    """Russia and the United States share a ZOPA on donbas ([30, 60]); Ukraine, absent,
    accepts only [70, 100] and holds a veto over donbas binding the United States."""
    issues = {"donbas": {"status_quo": 100}, "missiles": {"status_quo": 100}}
    actors = {
        "russia": party({"donbas": (0, 60), "missiles": (0, 80)}, "linear"),
        "united_states": party({"donbas": (60, 30), "missiles": (60, 20)}, "conceder"),
        "ukraine": party({"donbas": (100, 70)}, "boulware"),
    }
    vetoes = [{"holder": "ukraine", "issues": ["donbas"], "binds": ["united_states"]}]
    return scenario(
        issues,
        actors,
        ["russia", "united_states"],
        protocol=protocol,
        vetoes=vetoes if with_veto else None,
    )


@pytest.mark.parametrize("protocol", ["alternating_offers", "mediated"])
def test_an_absent_veto_holder_blocks_what_crosses_its_red_line(protocol: str) -> None:
    """With Ukraine's veto, donbas is never agreed (missiles, unvetoed, still is)."""
    s = veto_talks(with_veto=True, protocol=protocol)
    for seed in range(20):
        result = run(s, seed=seed, transcript=False)
        assert agreed(result, "donbas") is None
        assert agreed(result, "missiles") is not None


@pytest.mark.parametrize("protocol", ["alternating_offers", "mediated"])
def test_without_the_veto_the_same_talks_agree(protocol: str) -> None:
    """Control: remove the veto and donbas is agreed inside the two sides' ZOPA."""
    result = run(veto_talks(with_veto=False, protocol=protocol), seed=0)
    assert result.outcome.outcome_class == "agreement"
    position = agreed(result, "donbas")
    assert position is not None and 30 - 1e-9 <= position <= 60 + 1e-9


# --- Boulware beats Conceder against the same opponent -------------------------------------------


@st.composite
def opponent_cases(draw: st.DrawFn) -> dict[str, Any]:
    """One divisible issue: 'me' (ideal 0) against a linear opponent (ideal 40-70).

    The status quo, 100, is worth no more to either than its red line.
    """
    ideal = draw(st.integers(40, 70))
    return {
        "my_red_line": draw(st.integers(ideal, 95)),
        "their_ideal": ideal,
        "their_red_line": draw(st.integers(max(0, 2 * ideal - 100), ideal - 20)),
        "hours": draw(st.sampled_from([2.5, 5, 10, 20])),
        "first": draw(st.sampled_from(["me", "them"])),
    }


@settings(max_examples=40, deadline=None)
@given(case=opponent_cases())
def test_boulware_ends_with_more_than_conceder_against_the_same_opponent(
    case: dict[str, Any],
) -> None:
    """Boulware's utility at agreement exceeds Conceder's in otherwise identical talks."""
    utilities = {}
    for kind in ("boulware", "conceder"):
        s = scenario(
            {"arms": {"status_quo": 100}},
            {
                "me": party({"arms": (0, case["my_red_line"])}, kind),
                "them": party({"arms": (case["their_ideal"], case["their_red_line"])}, "linear"),
            },
            ["me", "them"],
            hours=case["hours"],
            first_proposer=case["first"],
        )
        position = agreed(run(s, seed=0), "arms")
        assume(position is not None)  # the property speaks of agreements only
        assert position is not None
        utilities[kind] = 1.0 - position / 100.0
    assert utilities["boulware"] > utilities["conceder"]


# --- Rubinstein: subgame-perfect players split at (1 - d2) / (1 - d1 d2) at once --------------


@settings(max_examples=60, deadline=None)
@given(d1=st.floats(0.05, 0.95), d2=st.floats(0.05, 0.95))
def test_subgame_perfect_players_split_at_rubinsteins_share_at_once(d1: float, d2: float) -> None:
    """The first proposer (delta d1) gets (1 - d2)/(1 - d1 d2) of the unit issue, at exchange 1.

    One divisible issue on 0-100, ideals 0 and 100, red lines at the far ends;
    the share is measured as the first proposer's utility (tolerance 1e-3).
    """
    s = scenario(
        {"pie": {"status_quo": 50}},
        {
            "first": party({"pie": (0, 100)}, "subgame_perfect", discount=d1),
            "second": party({"pie": (100, 0)}, "subgame_perfect", discount=d2),
        },
        ["first", "second"],
        hours=5,
        first_proposer="first",
    )
    model = NegotiationModel(s, rng=0)
    result = model.run_to_end()
    agreement = result.outcome.agreed["pie"]
    assert agreement is not None
    assert agreement.exchange == 1
    share = model.actors["first"].utility({"pie": agreement.position})
    assert share == pytest.approx((1 - d2) / (1 - d1 * d2), abs=1e-3)
