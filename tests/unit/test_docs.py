"""The docs tell the truth: quoted transcripts come from the engine, every strategy and protocol is documented."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import get_args

import pytest

from sim.scenario.schema import Round, StrategyKind

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"```text\n(.*?)```", re.S)
COMMAND = re.compile(r"`(sim (?:run|analyze) [^`]+)`")


def quoted_runs() -> list[tuple[str, str, str]]:
    """(page, command, block) for each ```text block whose preceding lines name a `sim run` or `sim analyze`."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            before = text[: match.start()].splitlines()[-6:]
            commands = [c for line in before for c in COMMAND.findall(line)]
            if commands:
                found.append((page.name, commands[-1], match.group(1)))
    return found


@pytest.mark.parametrize(("page", "command", "block"), quoted_runs(), ids=lambda v: str(v)[:50])
def test_quoted_transcript_lines_come_from_the_engine(page: str, command: str, block: str) -> None:
    """Every quoted line (its fragments around '…') appears, in order, in the command's output."""
    args = shlex.split(command)[1:]
    done = subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    output = done.stdout.splitlines()
    position = 0
    for line in block.splitlines():
        fragments = [f.strip() for f in line.split("…") if f.strip()]
        if not fragments:
            continue
        while position < len(output) and not all(f in output[position] for f in fragments):
            position += 1
        assert position < len(output), f"{page}: not in the output of {command}: {line!r}"
        position += 1


def test_every_strategy_and_protocol_is_in_the_model_docs() -> None:
    """docs/model.md names every strategy kind and every round protocol the schema accepts."""
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    protocols = get_args(Round.model_fields["protocol"].annotation)
    for name in [*get_args(StrategyKind), *protocols]:
        assert f"`{name}`" in model, name


PYTHON_FENCE = re.compile(r"```python\n(.*?)```", re.S)


def python_blocks() -> list[tuple[str, int, str]]:
    """(page, index, code) for every ```python block in the README and docs/."""
    return [
        (page.name, index, match.group(1))
        for page in PAGES
        for index, match in enumerate(PYTHON_FENCE.finditer(page.read_text(encoding="utf-8")))
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("page", "index", "code"), python_blocks(), ids=lambda v: str(v)[:30])
def test_python_examples_in_the_docs_run(page: str, index: int, code: str, tmp_path: Path) -> None:
    """Every Python example in the docs runs as written.

    It runs in a scratch folder that sees the repository's scenarios/ and
    examples/, so files an example writes never land in the repository.
    """
    for name in ("scenarios", "examples"):
        (tmp_path / name).symlink_to(ROOT / name)
    script = tmp_path / f"{page}-{index}.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{page} block {index}:\n{code}\n{done.stderr[-2000:]}"


def test_model_page_states_the_baseline_checks_the_test_makes() -> None:
    """docs/model.md §9 describes tests/unit/test_baseline.py: its two bands are the test's."""
    page = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    test = (ROOT / "tests" / "unit" / "test_baseline.py").read_text(encoding="utf-8")
    unagreed = re.search(r"assert fraction >= (0\.\d+)", test)
    war = re.search(r"assert (0\.\d+) <= fraction <= (0\.\d+)", test)
    assert unagreed is not None and war is not None
    low, high = (round(float(v) * 100) for v in war.groups())
    assert f"In at least {round(float(unagreed.group(1)) * 100)}% of runs" in page
    assert f"between {low}% and {high}% (inclusive)" in page


def test_docs_and_code_stand_alone() -> None:
    """No page, scenario or module points at a design file that is not in the repository."""
    for folder in ("docs", "scenarios", "sim"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".md", ".yaml", ".py"}:
                text = path.read_text(encoding="utf-8")
                assert "DESIGN.md" not in text and "DOMAIN.md" not in text, path
