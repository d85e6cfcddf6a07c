"""The classroom notebook runs from a fresh kernel, top to bottom, and shows what it promises."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "classroom.ipynb"


@pytest.mark.slow
def test_classroom_notebook_runs_and_shows_figures() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "examples")}},
    )
    client.execute()  # raises CellExecutionError if any cell fails
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # the dance, the ZOPAs, the comparison of distributions
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "talks_continue" in text  # seed 1 of the baseline
    assert "rejects" in text and "crosses its red line" in text  # the transcript's reasons


def test_notebook_is_stored_without_outputs() -> None:
    """The file holds the lesson, not one run's results: the test above runs it fresh."""
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)
