"""The classroom page, driven in-process with solara's test renderer (no browser).

``solara.render(Page(), handle_error=False)`` renders the page into widgets;
buttons are found by their label and clicked, inputs and sliders are changed
through their ``v_model`` as the browser would, and the texts the page shows
(position, transcript, outcome) are read back from the widgets.
"""

from __future__ import annotations

import importlib.util
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from builders import call
from serving import free_port, port_is_free, start_sim_app, stop_group, wait_for_page

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "january_2022.yaml"
VALID = ROOT / "tests" / "data" / "valid" / "two_party.yaml"

needs_solara = pytest.mark.skipif(
    importlib.util.find_spec("solara") is None, reason="needs the app extra (solara)"
)


# --- driving the page ----------------------------------------------------------------------------


def render_page() -> Any:
    import solara

    from sim.viz.app import Page

    _, rc = solara.render(Page(), handle_error=False)
    return rc


def shown(rc: Any, css_class: str) -> str:
    import ipyvuetify as v

    return rc.find(v.Html, class_=css_class).widget.children[0]


def present(rc: Any, css_class: str) -> bool:
    import ipyvuetify as v

    return len(rc.find(v.Html, class_=css_class)) > 0


def button(rc: Any, label: str) -> Any:
    import ipyvuetify as v

    return rc.find(v.Btn, children=[label]).widget


def set_seed(rc: Any, seed: int) -> None:
    import ipyvuetify as v

    field = rc.find(v.TextField, label="Seed").widget
    field.v_model = str(seed)
    field.fire_event("keyup.enter", None)  # the page takes the seed on Enter or on leaving


def slide(rc: Any, label: str, value: float) -> None:
    import ipyvuetify as v

    index = slider_labels(rc).index(label)
    rc.find(v.Slider, class_="sim-knob").widgets[index].v_model = value


def slider_labels(rc: Any) -> list[str]:
    """The label above each slider, in order (the slider itself has none: it takes no width)."""
    import ipyvuetify as v

    return [w.children[0].children[0] for w in rc.find(v.Html, class_="sim-knob-label").widgets]


def slider_values(rc: Any) -> list[str]:
    import ipyvuetify as v

    return [w.children[1].children[0] for w in rc.find(v.Html, class_="sim-knob-label").widgets]


def expected_outcome(path: Path, seed: int, overrides: dict[str, float] | None = None) -> str:
    """What `sim run` prints as the outcome, with the scenario's names for its ids."""
    from sim.report import render_outcome
    from sim.runner import run
    from sim.scenario.loader import load_scenario
    from sim.viz.classroom import display_names, outcome_text

    scenario = load_scenario(path)
    result = run(scenario.with_overrides(overrides or {}), seed=seed)
    return outcome_text(render_outcome(result), display_names(scenario))


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("SIM_APP_SCENARIO", raising=False)
    return render_page()


# --- the page ------------------------------------------------------------------------------------


@needs_solara
def test_page_renders_the_baseline_not_started(page):
    assert "not started" in shown(page, "sim-position")
    assert "Geneva" in shown(page, "sim-position")
    assert shown(page, "sim-transcript").startswith("(nothing yet")
    assert not present(page, "sim-outcome")
    import ipyvuetify as v

    assert page.find(v.Select, label="Scenario").widget.v_model == "january_2022.yaml"
    assert page.find(v.TextField, label="Seed").widget.v_model == "2022"
    assert slider_labels(page) == [
        "Russia: cost of war",
        "Russia: risk acceptance",
        "Hours per round",
    ]
    rungs = [w.children[0] for w in page.find(v.Html, tag="td", class_="sim-rung").widgets]
    assert len(rungs) == 6 and set(rungs) == {"—"}


@needs_solara
def test_step_advances_the_run_and_the_transcript_grows(page):
    button(page, "Step").click()
    first = shown(page, "sim-transcript")
    assert shown(page, "sim-position").startswith("step 1 · round 1 of 5: Geneva (geneva)")
    assert first.startswith("== Geneva, 2022-01-10")
    assert "at the table: United States; Russia; agenda: enlargement, force posture," in first
    assert (
        "[2022-01-10 Geneva #1] → Russia offers enlargement 0 (legally binding guarantee" in first
    )
    assert "russia" not in first and "united_states" not in first
    button(page, "Step").click()
    assert shown(page, "sim-position").startswith("step 2 ·")
    assert len(shown(page, "sim-transcript").splitlines()) > len(first.splitlines())


@needs_solara
def test_run_to_end_shows_the_outcome_and_the_figure(page):
    import ipywidgets

    button(page, "Run to end").click()
    assert "ended" in shown(page, "sim-position")
    assert shown(page, "sim-outcome") == expected_outcome(BASELINE, 2022)
    assert shown(page, "sim-outcome").startswith("== Outcome: ")
    assert "\n  Western European allies    " in shown(page, "sim-outcome")  # names, aligned
    assert button(page, "Step").disabled and button(page, "Run to end").disabled
    images = page.find(ipywidgets.Image).widgets
    assert len(images) == 2  # the concession dance and the escalation ladder
    for image in images:
        assert image.format == "png" and bytes(image.value).startswith(b"\x89PNG")
    # the transcript shows only the latest events, with their reasons
    lines = shown(page, "sim-transcript").splitlines()
    assert lines[0].startswith("… ") and len(lines) == 31


@needs_solara
def test_reset_starts_over(page):
    button(page, "Step").click()
    button(page, "Step").click()
    assert shown(page, "sim-position").startswith("step 2")
    button(page, "Reset").click()
    assert shown(page, "sim-position").startswith("step 0 · not started")
    assert shown(page, "sim-transcript").startswith("(nothing yet")
    button(page, "Run to end").click()
    assert shown(page, "sim-outcome") == expected_outcome(BASELINE, 2022)


@needs_solara
def test_the_seed_changes_the_run(page):
    set_seed(page, 0)
    button(page, "Run to end").click()
    at_zero = shown(page, "sim-outcome")
    set_seed(page, 1)
    assert shown(page, "sim-position").startswith("step 0")  # a new seed, a new run
    button(page, "Run to end").click()
    at_one = shown(page, "sim-outcome")
    assert at_zero == expected_outcome(BASELINE, 0)
    assert at_one == expected_outcome(BASELINE, 1)
    assert at_zero != at_one


@needs_solara
def test_a_slider_overrides_the_scenario(page):
    set_seed(page, 3)
    button(page, "Run to end").click()
    before = shown(page, "sim-outcome")
    assert before.startswith("== Outcome: WAR")
    slide(page, "Russia: cost of war", 0.9)
    assert shown(page, "sim-overrides") == "Overrides: actors.russia.war.cost = 0.9"
    assert shown(page, "sim-position").startswith("step 0")
    button(page, "Run to end").click()
    after = shown(page, "sim-outcome")
    assert after == expected_outcome(BASELINE, 3, {"actors.russia.war.cost": 0.9})
    assert after != before
    button(page, "Scenario values").click()
    assert not present(page, "sim-overrides")


@needs_solara
def test_hours_slider_sets_every_round(page):
    slide(page, "Hours per round", 2.0)
    expected = ", ".join(f"rounds.{i}.hours = 2" for i in range(5))
    assert shown(page, "sim-overrides") == f"Overrides: {expected}"
    button(page, "Step").click()
    assert "4 exchanges" in shown(page, "sim-transcript")  # 2 hours x 2 exchanges per hour


@needs_solara
def test_choosing_a_scenario_resets_seed_and_sliders(page):
    import ipyvuetify as v

    slide(page, "Russia: cost of war", 0.9)
    page.find(v.Select, label="Scenario").widget.v_model = "textbook/rubinstein.yaml"
    assert page.find(v.TextField, label="Seed").widget.v_model == "1"
    assert slider_labels(page) == [
        "First proposer: patience (discount per exchange)",
        "Second proposer: patience (discount per exchange)",
        "Hours of the round",
    ]
    assert not present(page, "sim-overrides")
    slide(page, "First proposer: patience (discount per exchange)", 0.8)
    button(page, "Run to end").click()
    path = SCENARIOS / "textbook" / "rubinstein.yaml"
    assert shown(page, "sim-outcome") == expected_outcome(path, 1, {"actors.first.discount": 0.8})


@needs_solara
def test_two_sessions_do_not_share_a_model(monkeypatch):
    monkeypatch.delenv("SIM_APP_SCENARIO", raising=False)
    first, second = render_page(), render_page()
    button(first, "Step").click()
    button(first, "Step").click()
    assert shown(first, "sim-position").startswith("step 2")
    assert shown(second, "sim-position").startswith("step 0 · not started")
    button(second, "Run to end").click()
    assert shown(first, "sim-position").startswith("step 2")
    assert "ended" in shown(second, "sim-position")


@needs_solara
def test_the_page_opens_with_the_file_given_in_the_environment(monkeypatch):
    monkeypatch.setenv("SIM_APP_SCENARIO", str(VALID))
    import ipyvuetify as v

    rc = render_page()
    assert rc.find(v.Select, label="Scenario").widget.v_model == str(VALID.resolve())
    button(rc, "Run to end").click()
    assert shown(rc, "sim-outcome") == expected_outcome(VALID, 0)


@needs_solara
def test_every_shipped_scenario_offers_only_sliders_it_has():
    from sim.scenario.loader import load_scenario
    from sim.viz.controls import knobs, overrides_for, scenario_choices

    choices = scenario_choices()
    assert "january_2022.yaml" in choices and "textbook/fearon_private_information.yaml" in choices
    for path in choices.values():
        scenario = load_scenario(path)
        available = knobs(scenario)
        moved = {knob.label: knob.value for knob in available}
        scenario.with_overrides(overrides_for(moved, available))  # every path exists


@needs_solara
def test_each_slider_shows_its_value_above_it(page):
    assert slider_values(page) == ["0.25", "0.55", "3.5"]
    slide(page, "Russia: cost of war", 0.6)
    assert slider_values(page) == ["0.6", "0.55", "3.5"]


@needs_solara
def test_agreed_panel_follows_the_run(page):
    assert shown(page, "sim-agreed") == "Agreed: nothing yet"
    button(page, "Run to end").click()  # seed 2022 agrees to further talks in Geneva
    agreed = shown(page, "sim-agreed")
    assert agreed.startswith("Agreed so far:\nfurther talks: 40 (")
    assert agreed.endswith(", in Geneva")


@needs_solara
def test_figures_appear_and_change_as_the_run_steps(page):
    import ipywidgets

    assert page.find(ipywidgets.Image).widgets == []  # nothing offered yet, nothing to draw
    button(page, "Step").click()
    first = bytes(page.find(ipywidgets.Image).widget.value)
    assert present(page, "sim-concession") and not present(page, "sim-escalation")
    button(page, "Step").click()
    second = bytes(page.find(ipywidgets.Image).widget.value)
    assert first.startswith(b"\x89PNG") and second != first  # redrawn with the new offer


@needs_solara
def test_a_war_run_shows_its_escalation_figure(page):
    set_seed(page, 3)
    button(page, "Run to end").click()
    assert shown(page, "sim-outcome").startswith("== Outcome: WAR")
    assert present(page, "sim-escalation")


@needs_solara
def test_a_negative_seed_is_refused_with_a_message(page):
    import ipyvuetify as v

    set_seed(page, -3)
    assert shown(page, "sim-seed-error") == (
        "Seed -3 refused: a seed is 0 or more. The run keeps seed 2022."
    )
    button(page, "Run to end").click()
    assert shown(page, "sim-outcome") == expected_outcome(BASELINE, 2022)
    set_seed(page, 1)
    assert not present(page, "sim-seed-error")
    assert page.find(v.TextField, label="Seed").widget.v_model == "1"


@needs_solara
def test_run_seeds_tallies_the_outcome_classes(page):
    from collections import Counter

    import ipyvuetify as v

    from sim.runner import run
    from sim.scenario.loader import load_scenario

    slide(page, "Russia: cost of war", 0.6)
    button(page, "Run seeds 0–9").click()
    rows = [
        [cell.children[0] for cell in row.children]
        for row in page.find(v.SimpleTable, class_="sim-tally").widget.children[1].children
    ]
    scenario = load_scenario(BASELINE).with_overrides({"actors.russia.war.cost": 0.6})
    classes = {seed: run(scenario, seed=seed).outcome.outcome_class for seed in range(10)}
    counted = Counter(classes.values())
    assert {row[0].replace(" ", "_"): row[1] for row in rows} == {
        name: f"{number} of 10" for name, number in counted.items()
    }
    for name, _, seeds in rows:
        assert [int(seed) for seed in seeds.split(", ")] == [
            seed for seed, found in classes.items() if found == name.replace(" ", "_")
        ]
    slide(page, "Russia: cost of war", 0.3)  # another setting: the old tally goes
    assert not page.find(v.SimpleTable, class_="sim-tally").widgets
    field = page.find(v.TextField, label="Seeds to tally").widget
    field.v_model = "4"
    field.fire_event("keyup.enter", None)
    assert button(page, "Run seeds 0–3") is not None


@needs_solara
def test_the_page_says_what_to_try(page):
    import ipyvuetify as v

    from sim.viz.lessons import WHAT_TO_TRY

    hints = [w.children[0] for w in page.find(v.Html, tag="li").widgets]
    assert hints == list(WHAT_TO_TRY["january_2022.yaml"])


@needs_solara
def test_every_hint_names_sliders_its_scenario_has():
    import re

    from sim.scenario.loader import load_scenario
    from sim.viz.controls import knobs, scenario_choices
    from sim.viz.lessons import WHAT_TO_TRY

    choices = scenario_choices()
    assert set(WHAT_TO_TRY) == set(choices)  # every shipped scenario has its hints
    for choice, hints in WHAT_TO_TRY.items():
        labels = {knob.label for knob in knobs(load_scenario(choices[choice]))}
        for hint in hints:
            for quoted in re.findall(r"'([^']+)'", hint):
                assert quoted in labels or quoted == "Run seeds", (choice, quoted)


# --- the command ---------------------------------------------------------------------------------


def test_sim_app_help(capsys):
    code, out, _ = call(["app", "--help"], capsys)
    assert code == 0
    assert "Example" in out and "sim app" in out and "--port" in out and "--host" in out


def test_sim_app_runs_solara_with_the_file_in_the_environment(monkeypatch, capsys):
    from sim.viz import serve

    seen: dict[str, Any] = {}

    def fake_server(command: list[str], env: dict[str, str]) -> int:
        seen.update(command=command, env=env)
        return 0

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(serve, "replace_process", fake_server)
    monkeypatch.setattr(serve, "network_address", lambda: "192.168.1.20")
    port = free_port()
    code, _, err = call(["app", str(VALID), "--host", "0.0.0.0", "--port", str(port)], capsys)
    assert code == 0
    command = seen["command"]
    assert command[:4] == [sys.executable, "-m", "solara", "run"]
    assert Path(command[4]) == ROOT / "sim" / "viz" / "app.py"
    assert command[5:] == [
        "--host",
        "0.0.0.0",
        "--port",
        str(port),
        "--production",
        "--no-check-version",
        "--no-open",
    ]
    env = seen["env"]
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["SOLARA_THEME_SHOW_BANNER"] == "False"
    assert env["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1:")  # never a public CDN
    assert env["SIM_APP_SCENARIO"] == str(VALID.resolve())
    # on every interface: the local address, and the one students' machines open
    assert err.splitlines() == [
        f"classroom page: http://127.0.0.1:{port}/ on this machine (Ctrl-C to stop)",
        f"students open: http://192.168.1.20:{port}/ (this machine's network address)",
    ]


def test_sim_app_without_a_network_address_says_how_to_find_it(monkeypatch):
    from sim.viz import serve

    monkeypatch.setattr(serve, "network_address", lambda: None)
    lines = serve.page_urls("0.0.0.0", 8765)
    assert lines[1].startswith("students open: http://<this machine's address>:8765/ (")
    assert serve.page_urls("127.0.0.1", 8765) == [
        "classroom page: http://127.0.0.1:8765/ (Ctrl-C to stop)"
    ]


def test_sim_app_on_a_port_in_use_exits_2_before_printing_a_url(monkeypatch, capsys):
    from sim.viz import serve

    def no_server(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("must not start the server")

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(serve, "replace_process", no_server)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = call(["app", "--port", str(port)], capsys)
    assert code == 2
    assert out == ""
    assert (
        err
        == f"sim app: 127.0.0.1:{port} is already in use (another server? choose one with --port)\n"
    )


@needs_solara
def test_the_cli_and_the_page_agree_on_the_environment_variable():
    from sim.viz.app import SCENARIO_ENV

    assert SCENARIO_ENV == "SIM_APP_SCENARIO"


def test_sim_app_without_solara_exits_2_with_one_line(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "solara" else real(name)
    )
    code, out, err = call(["app"], capsys)
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0 and "pip install -e '.[app]'" in err


def test_sim_app_with_an_invalid_file_exits_2_before_serving(monkeypatch, capsys, tmp_path):
    from sim.viz import serve

    def no_server(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("must not start the server")

    monkeypatch.setattr(serve, "replace_process", no_server)
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nname: Broken\n")
    code, _, err = call(["app", str(bad)], capsys)
    assert code == 2
    assert err.startswith(f"{bad}:") and err.count("\n") == 1


# --- the real server, without a browser ----------------------------------------------------------


@needs_solara
@pytest.mark.slow
def test_sim_app_serves_the_page(tmp_path):
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = start_sim_app([str(VALID), "--port", str(port)], log)
        try:
            body = wait_for_page(f"http://127.0.0.1:{port}/", server, log_path, seconds=60)
            assert "solara" in body.lower()
        finally:
            stop_group(server)


@needs_solara
@pytest.mark.slow
def test_sigterm_to_sim_app_stops_the_server_and_frees_the_port(tmp_path):
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        # in the test's own process group: the signal goes to `sim app` alone
        server = start_sim_app(["--port", str(port)], log, own_group=False)
        try:
            wait_for_page(f"http://127.0.0.1:{port}/", server, log_path, seconds=90)
            assert not port_is_free(port)
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            deadline = time.monotonic() + 10
            while not port_is_free(port) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert port_is_free(port), "a server still holds the port after SIGTERM to sim app"
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
    assert log_path.read_text().startswith(f"classroom page: http://127.0.0.1:{port}/")
