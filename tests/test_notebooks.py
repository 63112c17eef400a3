"""The notebooks: stored without outputs, and each runs from top to bottom without an error."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_quickstart.ipynb", "02_cohesion.ipynb", "03_scenarios.ipynb"]

pytestmark = pytest.mark.slow  # the fast tier leaves these out


def test_the_three_notebooks_are_there():
    found = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
    assert found == NAMES, f"expected exactly the notebooks {NAMES} in notebooks/, found {found}"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    dirty = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{name}: expected no outputs or execution counts, found them in cells {dirty}"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name):
    """Executes every cell in a fresh kernel, in notebooks/ as a user would; an error fails the test."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": NOTEBOOKS}})
    client.execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{name}: expected no cell to fail, got {[e.ename for e in errors]}"
    shown = [o.data for c in notebook.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    images = sum("image/png" in data for data in shown)
    as_text = sum(data.get("text/plain", "").startswith("<Figure") and "image/png" not in data for data in shown)
    assert images > 0 and as_text == 0, (
        f"{name}: expected every figure shown as an image, got {images} images and {as_text} figures as text"
    )
