"""Prompt templates as a notebook user builds them: Format String and Render Template with a pin per placeholder,
fed from a file and a variable, into the model. A placeholder left without a value names what to fill: Format
String failed with `KeyError: 'placeholder {n} has no value (values given: text)'` (quoted, and no word on the
pin), Render Template with `'n' is undefined`."""

from __future__ import annotations

from pathlib import Path

import pytest
from flowlike_catalog.llm.testing import Reply

from flowlike_core import DataType, RunStatus, Variable, commands

TEMPLATES = {"string_format": ("format_string", "formatted_string", "Summarize {text} in {n} words."),
             "string_render_template": ("template", "rendered", "Summarize {{ text }} in {{ n }} words.")}


def prompt_board(b, server, key: str, path: Path, *, typed: str | None = None, n_wired: bool = True, **pins):
    """start -> Read to String (the template file) -> provider -> Invoke Simple, its prompt from the template node,
    whose `n` comes from the board variable `n` when `n_wired`; returns the run and the template node."""
    template_pin, out, template = TEMPLATES[key]
    b.board.apply(commands.UpsertVariable(Variable(id="n", name="n", data_type=DataType.INTEGER, default_value=5)))
    fill = b.add(key, **{template_pin: typed if typed is not None else template}, **pins)
    if n_wired:
        b.wire(b.add("variable_get", var_ref="n"), "value_ref", fill, "n")
    read = b.add("read_to_string", path={"path": str(path)})
    b.wire(read, "content", fill, template_pin)
    model, simple = b.provider(server, "openai"), b.add("ai_generative_invoke_simple")
    b.wire(model, "model", simple, "model")
    b.wire(fill, out, simple, "prompt")
    start, back = b.add("events_simple"), b.add("events_generic_return_result")
    b.chain(start, read, model, (simple, "done"), back)
    b.wire(simple, "result", back, "response")
    return b.run(), fill


@pytest.fixture
def template_file(tmp_path):
    def write(text: str) -> Path:
        path = tmp_path / "prompt.txt"
        path.write_text(text, encoding="utf-8")
        return path
    return write


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_a_template_from_a_file_is_filled_from_its_pins_and_a_variable(b, server, template_file, key):
    server.always(lambda request: Reply(f"asked: {request.last_text()}"))
    run, fill = prompt_board(b, server, key, template_file(TEMPLATES[key][2]), text="the minutes")
    run.raise_for_status()
    assert run.result == "asked: Summarize the minutes in 5 words."
    assert [pin.name for pin in fill.ordered_pins("Input")][-2:] == ["text", "n"]


def test_a_placeholder_without_a_value_names_its_pin(b, server, template_file):
    path = template_file(TEMPLATES["string_format"][2])
    run, _ = prompt_board(b, server, "string_format", path, n_wired=False, text="the minutes")
    assert run.status is RunStatus.FAILED
    assert "failed: ValueError: placeholder {n} has no value (values given: text): wire or fill its pin 'n'" \
        in run.error, run.error
    assert server.requests == []


def test_a_placeholder_of_a_wired_template_without_a_pin_says_how_to_get_one(b, server, template_file):
    path = template_file("Summarize {text} for {audience}.")
    run, _ = prompt_board(b, server, "string_format", path, typed="Summarize {text}.", n_wired=False,
                          text="the minutes")
    assert run.status is RunStatus.FAILED
    assert "placeholder {audience} has no value (values given: text): add 'audience' to Values, or type the " \
        "template into the node for a pin per placeholder" in run.error, run.error


def test_a_template_variable_without_a_value_names_its_pin(b, server, template_file):
    path = template_file(TEMPLATES["string_render_template"][2])
    run, _ = prompt_board(b, server, "string_render_template", path, n_wired=False, text="the minutes")
    assert run.status is RunStatus.FAILED
    assert "template error: 'n' is undefined: give it a value (its pin 'n', or the key 'n' in Values)" \
        in run.error, run.error
