"""Data in Mesa's way: the model's DataCollector, and a run's wide and long frames with their dtypes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.model.agents import ActorAgent
from sim.model.frames import CLASSES, read_csv
from sim.model.model import NegotiationModel

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "january_2022.yaml"


@pytest.fixture(scope="module")
def played() -> NegotiationModel:
    model = NegotiationModel(rng=1)  # constructible with defaults: the baseline
    model.run_to_end()
    return model


def test_model_vars_have_one_row_per_step(played: NegotiationModel) -> None:
    """Row 0 is the state before the talks; then one row per step() the run took."""
    frame = played.datacollector.get_model_vars_dataframe()
    assert played.steps > 10
    assert list(frame.index) == list(range(played.steps + 1))
    issues = list(played.spec.issues)
    assert [c for c in frame.columns if c.startswith("state.")] == [f"state.{i}" for i in issues]
    assert frame["date"].iloc[0] == "2022-01-10" and frame["date"].iloc[-1] == "2022-02-24"


def test_model_vars_follow_the_run(played: NegotiationModel) -> None:
    """The last row holds the run's end state; agreed issues move from the status quo."""
    frame = played.datacollector.get_model_vars_dataframe()
    last = frame.iloc[-1]
    for issue, position in played.state.items():
        assert last[f"state.{issue}"] == pytest.approx(position)
    first = frame.iloc[0]
    for issue, spec in played.spec.issues.items():
        assert first[f"state.{issue}"] == spec.status_quo
    agreed = played.result().outcome.agreed
    assert last["agreed"] == sum(a is not None for a in agreed.values())
    assert bool(last["war"]) == (played.result().outcome.war is not None)
    # exchanges count up inside a round and are 0 between rounds
    geneva = frame[frame["round"] == "geneva"]["exchange"].tolist()
    assert geneva[1:] == list(range(1, len(geneva)))
    assert set(frame[frame["round"].str.endswith(":home")]["exchange"]) == {0}


def test_agent_vars_per_actor_and_step(played: NegotiationModel) -> None:
    """One row per actor and step: aim, rung, costs and beliefs."""
    frame = played.datacollector.get_agenttype_vars_dataframe(ActorAgent)
    assert len(frame) == (played.steps + 1) * len(played.actors)
    assert list(frame.columns) == ["actor", "aim", "rung", "level", "costs", "beliefs"]
    last = frame.xs(float(played.steps), level="Step").set_index("actor")
    outcome = played.result().outcome
    for actor, rung in outcome.highest_rung.items():
        if rung is None:
            assert last.loc[actor, "level"] == -1
    russia_aims = frame[frame["actor"] == "russia"]["aim"]
    assert math.isnan(russia_aims.iloc[0])  # no offer before the talks
    first_offer = next(e for e in played.events if e.kind == "offer" and e.actor == "russia")
    assert first_offer.utilities["russia"] in set(russia_aims.dropna())
    beliefs = last.loc["united_states", "beliefs"]
    assert "russia" in beliefs and 0.0 <= beliefs["russia"]["risk_acceptance"] <= 1.0


def test_collecting_changes_no_result() -> None:
    """Same seed, same result, collector on or off."""
    scenario = sim.load_scenario(BASELINE)
    on = NegotiationModel(scenario, rng=5, collect=True).run_to_end()
    off = NegotiationModel(scenario, rng=5, collect=False).run_to_end()
    assert on.to_json() == off.to_json()


def test_collector_can_be_left_off() -> None:
    model = NegotiationModel(rng=0, collect=False)
    assert model.datacollector is None


def test_summary_frame_dtypes_match_csv(tmp_path: Path) -> None:
    """Categorical outcome, datetime war date, NaN for missing: in memory and read back."""
    scenario = sim.load_scenario(BASELINE)
    results = [sim.run(scenario, seed=seed, transcript=False) for seed in range(8)]
    assert {r.outcome.outcome_class for r in results} >= {"war"}  # both kinds of row
    assert any(r.outcome.war is None for r in results)
    frame = pd.concat([r.to_frame() for r in results], ignore_index=True)
    assert isinstance(frame["outcome"].dtype, pd.CategoricalDtype)
    assert list(frame["outcome"].cat.categories) == list(CLASSES)
    assert pd.api.types.is_datetime64_any_dtype(frame["war_date"])
    peaceful = frame[frame["outcome"] != "war"]
    assert peaceful["war_date"].isna().all() and peaceful["war_aggressor"].isna().all()
    assert not frame.map(lambda value: value is None).any().any()
    assert pd.api.types.is_float_dtype(frame["agreed.enlargement"])
    path = tmp_path / "runs.csv"
    frame.to_csv(path, index=False)
    back = read_csv(path)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert list(back.isna().sum()) == list(frame.isna().sum())
    for column in ("outcome", "war_date", "agreed.enlargement"):
        assert back[column].dtype.kind == frame[column].dtype.kind


def test_exchanges_frame_is_long() -> None:
    """One row per offer, acceptance, rejection or hold; worth and positions as numbers."""
    result = sim.run(sim.load_scenario(ROOT / "scenarios" / "textbook" / "rubinstein.yaml"), seed=0)
    frame = result.exchanges_frame()
    kinds = [e.kind for e in result.transcript if e.kind in ("offer", "accept", "reject", "hold")]
    assert frame["kind"].tolist() == kinds
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    offers = frame[frame["kind"] == "offer"]
    worth = [c for c in frame.columns if c.startswith("worth.")]
    assert worth and offers[worth].notna().all().all()
    assert np.isnan(frame.loc[frame["kind"] != "offer", worth].to_numpy(dtype=float)).all()


def test_exchanges_frame_without_transcript_keeps_acceptances() -> None:
    result = sim.run(sim.load_scenario(BASELINE), seed=1, transcript=False)
    frame = result.exchanges_frame()
    assert set(frame["kind"]) == {"accept"}
    assert list(frame.columns)[:3] == ["scenario", "seed", "round"]
