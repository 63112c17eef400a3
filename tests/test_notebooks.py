"""The notebooks: stored without outputs, each runs from top to bottom without an error, and their
conclusions say what their intervals show."""

from __future__ import annotations

import functools
import json
import math
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
    "04_policy.ipynb": {"HOUSEHOLDS": "200", "SEEDS": "range(1)", "SEA_LEVEL_YEARS": "50"},
}

# Notebooks whose last cell leaves ``FINDINGS``: each conclusion's sentence with the interval it rests on
# (``experiments.stats.finding``).
CONCLUDING = ["02_cohesion.ipynb", "03_scenarios.ipynb", "04_policy.ipynb", "05_displacement.ipynb"]
SHOW_FINDINGS = "import json\nprint(json.dumps(FINDINGS, default=float))"

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


@functools.cache
def executed(name: str) -> nbformat.NotebookNode:
    """The notebook run in memory at the sizes of ``UNDER_TEST`` (once per test process; nothing is written), with a
    last cell printing its ``FINDINGS`` as JSON where it is one of ``CONCLUDING``."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    if name in UNDER_TEST:
        notebook = with_sizes(notebook, UNDER_TEST[name])
    if name in CONCLUDING:
        notebook.cells.append(nbformat.v4.new_code_cell(SHOW_FINDINGS, metadata={"tags": ["injected-findings"]}))
    execute(notebook)
    return notebook


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name):
    """Executes every cell (at the sizes of ``UNDER_TEST`` where it names the notebook); an error fails the test."""
    notebook = executed(name)
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{name}: expected no cell to fail, got {[e.ename for e in errors]}"
    shown = [o.data for c in notebook.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    images = sum("image/png" in data for data in shown)
    as_text = sum(data.get("text/plain", "").startswith("<Figure") and "image/png" not in data for data in shown)
    assert images > 0 and as_text == 0, (
        f"{name}: expected every figure shown as an image, got {images} images and {as_text} figures as text"
    )


def what_the_interval_says(low: float, high: float) -> str:
    """The direction a 95% interval supports: above 0, below 0, or neither (spanning 0, or none at all)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "cannot tell"
    return "up" if low > 0 else "down" if high < 0 else "cannot tell"


@pytest.mark.parametrize("name", CONCLUDING)
def test_notebook_conclusions_follow_their_intervals(name):
    """Each conclusion the notebook writes says the direction its interval shows, and "cannot tell" where it spans 0."""
    notebook = executed(name)
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.output_type == "stream")
    findings = json.loads(printed)
    shown = "".join(
        o.data.get("text/markdown", "")
        for c in notebook.cells[:-1]
        if c.cell_type == "code"
        for o in c.outputs
        if "data" in o
    )
    assert findings, f"{name}: expected FINDINGS to hold the notebook's conclusions, it is empty"
    for found in findings:
        expected = what_the_interval_says(found["low"], found["high"])
        assert found["says"] == expected, (
            f"{name}: expected {expected!r} from the interval {found['low']} to {found['high']}, "
            f"the conclusion says {found['says']!r}: {found['text']}"
        )
        assert ("cannot tell" in found["text"]) == (expected == "cannot tell"), (
            f"{name}: expected the words to {'' if expected == 'cannot tell' else 'not '}say the run cannot tell "
            f"(interval {found['low']} to {found['high']}): {found['text']}"
        )
        if expected != "cannot tell":
            assert found["low"] <= found["estimate"] <= found["high"], f"{name}: estimate outside its interval: {found}"
        assert found["text"] in shown, f"{name}: expected the conclusion in the notebook's findings: {found['text']}"


def test_notebooks_run_in_the_python_running_the_tests():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    execute(notebook)
    printed = notebook.cells[0].outputs[0]["text"].strip()
    assert printed == sys.executable, f"expected the kernel to run {sys.executable}, it ran {printed}"
