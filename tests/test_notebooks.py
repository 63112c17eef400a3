"""The notebooks: stored without outputs, and each runs from top to bottom without an error."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = [
    "01_quickstart.ipynb",
    "02_cohesion.ipynb",
    "03_scenarios.ipynb",
    "04_policy.ipynb",
    "05_displacement.ipynb",
    "06_calibration.ipynb",
]

# Smaller sizes for the slow notebooks under test, set in a cell injected after each one's cell tagged
# `parameters` (papermill's convention; `papermill NOTEBOOK OUT -p SEEDS "range(3)"` does the same);
# opened or run plainly, a notebook keeps the sizes its reader sees.
UNDER_TEST = {
    "02_cohesion.ipynb": {"SEEDS": "range(3)", "FLOOD_SEEDS": "range(2)"},
    "03_scenarios.ipynb": {"SEEDS": "range(1)"},
    "04_policy.ipynb": {"HOUSEHOLDS": "200", "SEEDS": "range(1)"},
}

pytestmark = pytest.mark.slow  # the fast tier leaves these out


def execute(notebook: nbformat.NotebookNode) -> None:
    """Run every cell in a fresh kernel of the Python running the tests, in notebooks/ as a user would.

    The kernel is ipykernel's own (started with ``sys.executable``): with no kernel directories to
    search, Jupyter falls back on it rather than on a ``python3`` kernel installed for another Python.
    """
    kernel = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    client = NotebookClient(notebook, km=kernel, timeout=120, resources={"metadata": {"path": NOTEBOOKS}})
    client.execute(cleanup_kc=True)


def test_the_notebooks_are_there():
    found = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
    assert found == NAMES, f"expected exactly the notebooks {NAMES} in notebooks/, found {found}"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    dirty = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{name}: expected no outputs or execution counts, found them in cells {dirty}"


def with_sizes(notebook: nbformat.NotebookNode, sizes: dict[str, str]) -> nbformat.NotebookNode:
    """The notebook with a cell setting ``sizes`` (name: Python source) after its cell tagged ``parameters``."""
    tagged = [i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"expected one cell tagged parameters, found {len(tagged)}"
    unknown = [name for name in sizes if not re.search(rf"^{name} = ", notebook.cells[tagged[0]].source, re.M)]
    assert not unknown, f"expected the parameters cell to set {unknown}"
    source = "\n".join(f"{name} = {value}" for name, value in sizes.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    notebook.cells.insert(tagged[0] + 1, injected)
    return notebook


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name):
    """Executes every cell (at the sizes of ``UNDER_TEST`` where it names the notebook); an error fails the test."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    if name in UNDER_TEST:
        notebook = with_sizes(notebook, UNDER_TEST[name])
    execute(notebook)
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{name}: expected no cell to fail, got {[e.ename for e in errors]}"
    shown = [o.data for c in notebook.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    images = sum("image/png" in data for data in shown)
    as_text = sum(data.get("text/plain", "").startswith("<Figure") and "image/png" not in data for data in shown)
    assert images > 0 and as_text == 0, (
        f"{name}: expected every figure shown as an image, got {images} images and {as_text} figures as text"
    )


def test_notebooks_run_in_the_python_running_the_tests():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    execute(notebook)
    printed = notebook.cells[0].outputs[0]["text"].strip()
    assert printed == sys.executable, f"expected the kernel to run {sys.executable}, it ran {printed}"
