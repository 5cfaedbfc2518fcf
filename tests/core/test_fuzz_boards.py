"""Fuzzing board files: mutated files may only fail with named errors, never crash, hang or save unloadably.

Hypothesis mutates real board files (values swapped for odd JSON, keys dropped or renamed, deep nesting, huge
integers, NaN, cut text). For every mutated file: loading gives a Board or a `BoardFileError`; a loaded board
validates without raising, saves, and loads back equal; a board that validates clean runs to an end (a
failed run is fine, an exception escaping the run or a run that does not end is not).

Every file that once broke one of these rules is kept in `fuzz_regressions/` and checked the same way.
`FUZZ_EXAMPLES` sets how many files Hypothesis makes (CI: the default below).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowlike_core import Board, BoardFileError
from flowlike_core.errors import FlowLikeError
from flowlike_core.executor import start_run

HERE = Path(__file__).parent
REGRESSIONS = HERE / "fuzz_regressions"
SEEDS = sorted((HERE.parent.parent / "notebooks" / "boards").glob("*.board.json"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
RUN_TIMEOUT = 60.0
"""A run of a small fuzzed board that has not ended after this long is a hang."""

RAW = "\x00raw:"
"""Marks a string standing for raw JSON text that json.dumps cannot write (deep nesting, huge integers)."""


def check_file(text: str) -> None:
    """The rules every board file obeys, whatever it holds (see the module docstring)."""
    try:
        board = Board.from_json(text, "fuzzed.board.json")
    except BoardFileError:
        return
    problems = board.validate()  # problems are fine; an exception is not
    saved = board.to_json()
    assert Board.from_json(saved) == board, "what loads must save and load back the same"
    if problems:
        return
    try:
        handle = start_run(board, max_steps=200)
    except FlowLikeError:
        return  # refused before starting (no event node, say): a named error
    run = handle.wait(timeout=RUN_TIMEOUT)
    assert handle.done(), f"the run did not end within {RUN_TIMEOUT} s"
    assert run.status.value in ("Success", "Failed", "Cancelled")


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
        st.sampled_from(["Integer", "Float", "String", "Array", "HashSet", "HashMap", "Date", "Execution", "Input",
                         "Output", "yesterday", "", "exec_in", "exec_out"]),
        st.integers(min_value=10, max_value=6000).map(lambda digits: f"{RAW}{'9' * digits}"),
        st.integers(min_value=100, max_value=3000).map(lambda depth: f"{RAW}{'[' * depth}{']' * depth}"),
    )
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                        max_leaves=6)


def mutate(data: dict[str, Any], draw: st.DataObject) -> None:
    """One mutation somewhere in the document: set a value, drop a key, or rename a key."""
    holder: Any = data
    for _ in range(draw.draw(st.integers(0, 6), label="depth")):
        children = list(holder.items()) if isinstance(holder, dict) else list(enumerate(holder))
        children = [(key, child) for key, child in children if isinstance(child, (dict, list)) and child]
        if not children:
            break
        holder = draw.draw(st.sampled_from(children), label="step")[1]
    keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
    if not keys:
        return
    key = draw.draw(st.sampled_from(keys), label="key")
    action = draw.draw(st.sampled_from(["set", "drop", "rename"]), label="action")
    if action == "set" or isinstance(holder, list):
        holder[key] = draw.draw(json_values(), label="value")
    elif action == "drop":
        del holder[key]
    else:
        holder[draw.draw(st.text(max_size=6), label="new key")] = holder.pop(key)


def write(data: Any) -> str:
    text = json.dumps(data, indent=1, allow_nan=True)
    while (start := text.find(json.dumps(RAW)[:-1])) >= 0:
        end = text.index('"', start + 1)
        text = text[:start] + text[start + len(json.dumps(RAW)) - 1:end] + text[end + 1:]
    return text


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_board_files_fail_only_with_named_errors(draw: st.DataObject) -> None:
    seed = draw.draw(st.sampled_from(SEEDS), label="seed")
    data = json.loads(seed.read_text())
    for _ in range(draw.draw(st.integers(1, 4), label="mutations")):
        mutate(data, draw)
    text = write(data)
    if draw.draw(st.booleans(), label="cut"):
        text = text[:draw.draw(st.integers(0, len(text)), label="cut at")]
    check_file(text)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.json")), ids=lambda path: path.stem)
def test_files_that_once_broke_the_rules(path: Path) -> None:
    check_file(path.read_text(encoding="utf-8"))
