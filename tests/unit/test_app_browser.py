"""The classroom page in a real browser: Debian's chromium, driven by playwright.

``sim app`` runs as a subprocess on a free loopback port, exactly as a teacher
starts it; the browser loads the page, moves a slider, steps, runs to the end
and resets, in two independent contexts, at three window widths. Every request
the browser makes is recorded and must stay on loopback, and the server's log
must show that it fetched nothing (its asset proxy reads solara-assets' files).

Chromium comes from ``apt-get install chromium`` (``.ci/run`` does it), never
from ``playwright install``. Without it the test fails; set ``SIM_SKIP_BROWSER=1``
to skip it on a machine without chromium (CI never sets it).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from serving import free_port, start_sim_app, stop_group, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_MS = 90_000
SCREENSHOTS_ENV = "SIM_SCREENSHOTS_DIR"
"""If set, the screenshots are also copied there (how docs/img/ was made)."""


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("SIM_SKIP_BROWSER") == "1":
            pytest.skip("SIM_SKIP_BROWSER=1 and no /usr/bin/chromium (apt-get install chromium)")
        pytest.fail("/usr/bin/chromium is missing: apt-get install -y chromium (.ci/run does it)")
    return CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`sim app` on a free loopback port; stopped (SIGTERM, then SIGKILL) whatever happens."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    with log_path.open("w") as log:
        started = time.monotonic()
        process = start_sim_app(["--port", str(port)], log)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for_page(url, process, log_path)
            served = time.monotonic() - started
            print(f"\nserve: first HTTP 200 {served:.1f} s after `sim app` started")
            yield {"url": url, "log": log_path, "served": served}
        finally:
            stop_group(process)


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Session:
    """One browser context on the page, recording every URL it requests."""

    def __init__(self, browser: Any, url: str, width: int = 1400, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        # anything bound elsewhere is recorded above and refused here, never fetched
        self.context.route(
            lambda url: urlsplit(url).hostname not in LOOPBACK, lambda route: route.abort()
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        started = time.monotonic()
        self.page.goto(url)
        self.page.wait_for_selector(".sim-position")
        self.rendered = time.monotonic() - started

    def text(self, css: str) -> str:
        return str(self.page.inner_text(css))

    def click(self, label: str) -> None:
        self.page.get_by_role("button", name=label, exact=True).click()

    def wait_text(self, css: str, predicate: Any, what: str) -> str:
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            if self.page.locator(css).count():
                shown = self.text(css)
                if predicate(shown):
                    return shown
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{what}: {css} never matched; last: {self.text(css)!r}")

    def outside(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname not in LOOPBACK]

    def close(self) -> None:
        self.context.close()


def test_the_page_renders_offline_and_plays_a_run(browser, server):
    session = Session(browser, server["url"])
    try:
        print(f"render: page shown {session.rendered:.1f} s after the browser asked for it")
        page = session.page
        assert session.text(".sim-position").startswith("step 0 · not started")
        assert session.text(".sim-transcript").startswith("(nothing yet")
        assert session.text(".sim-agreed") == "Agreed: nothing yet"
        assert "This website runs on" not in page.inner_text("body")  # no Solara badge
        # a negative seed is refused where the student sees it
        seed = page.get_by_label("Seed", exact=True)
        seed.fill("-4")
        seed.press("Enter")
        refused = session.wait_text(".sim-seed-error", lambda t: "-4" in t, "negative seed")
        assert refused == "Seed -4 refused: a seed is 0 or more. The run keeps seed 2022."
        # move a slider by clicking far along its track: its shown value and the run change
        values = page.locator(".sim-knob-value")
        before = values.nth(0).inner_text()
        box = page.locator(".sim-knob").nth(0).bounding_box()
        page.mouse.click(box["x"] + 0.9 * box["width"], box["y"] + box["height"] / 2)
        session.wait_text(".sim-overrides", lambda t: "actors.russia.war.cost" in t, "override")
        after = values.nth(0).inner_text()
        assert after != before and float(after) > 0.8
        # Step: the transcript shows the first offer, with names
        session.click("Step")
        transcript = session.wait_text(".sim-transcript", lambda t: "offers" in t, "step")
        assert "Russia offers enlargement" in transcript and "russia" not in transcript
        assert session.text(".sim-position").startswith("step 1 ·")
        page.wait_for_selector(".sim-concession img")  # the dance, drawn as the run goes
        # Run to end: the outcome block, whole words on every line
        session.click("Run to end")
        outcome = session.wait_text(".sim-outcome", lambda t: t.startswith("== Outcome:"), "end")
        assert "ended" in session.text(".sim-position")
        assert len(outcome.splitlines()[1]) > 20  # the reason line
        overflow = page.eval_on_selector(".sim-outcome", "e => e.scrollWidth - e.clientWidth")
        assert overflow <= 0, "the outcome block is cut off at the right"
        # Run seeds 0–9: a tally of outcome classes that sums to ten runs
        session.click("Run seeds 0–9")
        tally = session.wait_text(".sim-tally", lambda t: "of 10" in t, "tally")
        assert sum(int(n) for n in re.findall(r"(\d+) of 10", tally)) == 10
        # Reset: the same run from the beginning
        session.click("Reset")
        session.wait_text(".sim-position", lambda t: t.startswith("step 0 · not started"), "reset")
        assert session.text(".sim-transcript").startswith("(nothing yet")
        assert session.outside() == [], "requests left loopback"
        assert any("/_solara/cdn/" in url for url in session.requests)  # assets came from us
    finally:
        session.close()
    log = server["log"].read_text()
    assert "Could not load URL" not in log, log  # the server fetched nothing it lacked
    assert "Traceback" not in log, log


def test_two_contexts_hold_independent_models(browser, server):
    first = Session(browser, server["url"])
    second = Session(browser, server["url"])
    try:
        first.click("Step")
        first.wait_text(".sim-position", lambda t: t.startswith("step 1 ·"), "first steps")
        first.click("Step")
        first.wait_text(".sim-position", lambda t: t.startswith("step 2 ·"), "first steps again")
        assert second.text(".sim-position").startswith("step 0 · not started")
        second.click("Run to end")
        second.wait_text(".sim-position", lambda t: "ended" in t, "second ends")
        assert first.text(".sim-position").startswith("step 2 ·")
        assert first.outside() == [] and second.outside() == []
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("width", [1024, 1400, 800])
def test_layout_at_classroom_widths(browser, server, tmp_path, width):
    session = Session(browser, server["url"], width=width, height=1300)
    try:
        page = session.page
        widths = [box["width"] for box in _boxes(page, ".sim-knob")]
        assert len(widths) == 3
        assert min(widths) >= 150, f"sliders {widths} px wide at a {width} px window"
        for label in ("Step", "Run to end", "Reset"):
            box = page.get_by_role("button", name=label, exact=True).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, label
        session.click("Run to end")
        session.wait_text(".sim-outcome", lambda t: t.startswith("== Outcome:"), "end")
        page.wait_for_selector(".sim-concession img")
        for css in (".sim-controls", ".sim-run", ".sim-transcript", ".sim-outcome", ".sim-agreed"):
            box = page.locator(css).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{css} is cut off"
        for css in (".sim-transcript", ".sim-outcome", ".sim-agreed"):  # text wraps at words
            inner = page.eval_on_selector(css, "e => e.scrollWidth - e.clientWidth")
            assert inner <= 0, f"{css} is wider than its box: cut off at the right"
        shot = tmp_path / f"classroom-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        _keep(shot)
        # Rubinstein's long slider labels once took all the room: 0 px sliders
        page.locator(".v-select").first.click()
        option = page.get_by_role("option", name="textbook/rubinstein.yaml")
        for _ in range(10):  # the menu renders its first 20 items, more as it scrolls
            if option.count():
                break
            page.locator(".v-menu__content").last.evaluate("e => { e.scrollTop = e.scrollHeight }")
            page.wait_for_timeout(300)
        option.click()
        session.wait_text(".sim-knob-label", lambda t: t.startswith("First proposer"), "choose")
        widths = [box["width"] for box in _boxes(page, ".sim-knob")]
        assert len(widths) == 3 and min(widths) >= 150, f"Rubinstein sliders {widths} px wide"
        shot = tmp_path / f"classroom-rubinstein-{width}.png"
        page.screenshot(path=str(shot))
        _keep(shot)
        assert session.outside() == []
    finally:
        session.close()


def _boxes(page: Any, css: str) -> list[dict[str, float]]:
    locator = page.locator(css)
    return [locator.nth(i).bounding_box() for i in range(locator.count())]


def _keep(shot: Path) -> None:
    """Copy a screenshot to $SIM_SCREENSHOTS_DIR, if set (the test's own copy is in tmp)."""
    copy_to = os.environ.get(SCREENSHOTS_ENV)
    if copy_to:
        shutil.copy(shot, Path(copy_to) / shot.name)
