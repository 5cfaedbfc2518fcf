"""Every example notebook runs top to bottom on a fresh kernel with papermill, as `flowlike notebook` and
scripts/quickstart.sh run them, and its saved outputs are what it prints now.

The notebooks assert their own results inside cells, so a notebook runs cleanly when every code cell ran and none
raised. (`pytest --nbval-lax` checks nothing more on them, at the cost of executing every notebook again.) The
saved outputs are what a reader sees on GitHub or in JupyterLab before running anything, so every notebook is saved
executed, with what this version prints (ids, times and decimals aside). Each notebook is executed once here, and
that execution serves every check.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import nbformat
import papermill
import pytest
from nbformat import NotebookNode

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["quickstart", "data_pipeline", "parameterized", "teaching_demo", "data_sql", "rag", "ml", "vision"]

CHANGING = [  # what differs from one execution to the next, whatever the version: (pattern, stand-in)
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<time>"),
    (re.compile(r"\b\d+(\.\d+)? ?(µs|ms|s|min|h)\b( \d+ ?(s|min)\b)?"), "<duration>"),  # as wording.duration says
    (re.compile(r"\b0x[0-9a-f]+\b"), "<address>"),
    # timings (0.0008, 7e-06: Python signs an exponent, so an id like 36e720184312 is no number), scores
    (re.compile(r"\b\d+(\.\d+(e[-+]\d+)?|e[-+]\d+)\b"), "<decimal>"),
    # node, run and board ids (12 hex digits), image ids (16), widget model ids (32, also in IPY_MODEL_...)
    (re.compile(r"(?<![0-9a-f])([0-9a-f]{12}|[0-9a-f]{16}|[0-9a-f]{32})(?![0-9a-f])"), "<id>"),
    (re.compile(r"\s+"), " "),  # a table's columns line up with the widest figure
]
PICTURES = ("image/png", "image/jpeg", "image/gif")
"""Compared by kind only: their bytes follow the plotting library's and the font's versions."""
UNCOMPARED_STATE = ("_esm", "_css", "catalog_generation")
"""In a widget's saved state: the editor bundle (rebuilt apart from the notebooks), and how many node types the
registry has taken (any new node anywhere changes it)."""
RERUN = "jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.record_timing=False "\
        "notebooks/{name}.ipynb"
"""Saves the outputs without each cell's execution times (they would change every time)."""


@pytest.fixture(scope="module", params=NAMES)
def executed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, NotebookNode]:
    """The notebook, executed once by papermill into a temporary file (its runs recorded in a temporary store)."""
    name = request.param
    out = tmp_path_factory.mktemp(name) / f"{name}.ipynb"
    with pytest.MonkeyPatch.context() as patch:  # the suite's private_store is per test, this fixture per module
        patch.setenv("FLOWLIKE_STORE", str(tmp_path_factory.mktemp("flowlike-store")))
        papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), kernel_name="python3",
                                   cwd=str(NOTEBOOKS), progress_bar=False)
    return name, nbformat.read(out, as_version=4)


def stable(text: str) -> str:
    """The text with what changes between executions masked: what is left is this version's wording."""
    for pattern, stand_in in CHANGING:
        text = pattern.sub(stand_in, text)
    return text.strip()


def shown(output: NotebookNode) -> list[str]:
    """What one output shows, one string per representation."""
    if output.output_type == "stream":
        return [f"{output.name}: {output.text}"]
    if output.output_type == "error":
        return [f"error: {output.ename}: {output.evalue}"]
    return [f"{mime}: " + (mime if mime in PICTURES else value if isinstance(value, str)
                           else json.dumps(value, sort_keys=True))
            for mime, value in sorted(output.data.items())]


def widget_states(notebook: NotebookNode) -> list[str]:
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return sorted(json.dumps({"model": model["model_name"],
                              "state": {k: v for k, v in model["state"].items() if k not in UNCOMPARED_STATE}},
                             sort_keys=True) for model in state.get("state", {}).values())


def joined(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """The outputs with each run of stdout (or stderr) as one: the kernel sends a long print in as many pieces as
    its flushes happen to cut."""
    together: list[NotebookNode] = []
    for output in outputs:
        last = together[-1] if together else None
        if output.output_type == "stream" and last and last.output_type == "stream" and last.name == output.name:
            together[-1] = nbformat.v4.new_output("stream", name=output.name, text=last.text + output.text)
        else:
            together.append(output)
    return together


def outputs(notebook: NotebookNode) -> dict[str, list[str]]:
    """What each code cell shows (by the cell's place among the code cells), and the saved widget states."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    shown_by = {f"code cell {i}": [stable(text) for output in joined(cell.outputs) for text in shown(output)]
                for i, cell in enumerate(code)}
    return shown_by | {"widget states": [stable(state) for state in widget_states(notebook)]}


def difference(saved: list[str], now: list[str]) -> str:
    """Where the saved outputs and today's first differ, with some text either side."""
    if len(saved) != len(now):
        return f"{len(saved)} outputs saved, {len(now)} now: {[text[:60] for text in now]}"
    was, is_ = next((a, b) for a, b in zip(saved, now, strict=True) if a != b)
    at = next((i for i, (a, b) in enumerate(zip(was, is_, strict=False)) if a != b), min(len(was), len(is_)))
    return f"saved ...{was[max(at - 60, 0):at + 60]!r}... now ...{is_[max(at - 60, 0):at + 60]!r}..."


def test_every_notebook_is_covered() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


def test_papermill_runs_the_notebook(executed: tuple[str, NotebookNode]) -> None:
    _, notebook = executed
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]


def test_the_saved_outputs_are_what_the_notebook_prints_now(executed: tuple[str, NotebookNode]) -> None:
    name, notebook = executed
    saved = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    now, before = outputs(notebook), outputs(saved)
    stale = [f"{where}: {difference(before[where], now[where])}" for where in now if before[where] != now[where]]
    assert not stale, f"{name}.ipynb's saved outputs are not what it prints now: run `{RERUN.format(name=name)}`\n" + (
        "\n".join(stale))


def test_the_outputs_name_no_local_path(executed: tuple[str, NotebookNode]) -> None:
    """A reader sees neither the checkout's folder nor a temporary one: outputs that name them change from one
    machine to the next."""
    name, notebook = executed
    texts = [text for shown_texts in outputs(notebook).values() for text in shown_texts]
    for local in (str(ROOT), tempfile.gettempdir() + "/"):
        assert not [text for text in texts if local in text], f"{name}.ipynb's outputs show {local}"
