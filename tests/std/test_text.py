"""Equality over strings, trimming, escaping, lossy UTF-8 and sandboxed Jinja2 templates."""

from __future__ import annotations

import pytest
from flowlike_catalog.std.text import (
    MAX_TEXT,
    string_escape,
    string_render_template,
    string_trim_end,
    string_trim_start,
    string_unescape,
    strings_equal,
    strings_unequal,
    utf8_lossy,
)

from flowlike_core import commands


def test_equal_and_unequal_over_every_string_pin(b):
    assert strings_equal.func("a", "a", "a") is True
    assert strings_equal.func("a", "a", "b") is False
    assert strings_unequal.func("a", "b") is True
    eq = b.add("equal_string")
    first, second = b.pin_ids(eq, "string")
    b.board.apply(commands.UpdateNode(eq.id, defaults={first: "x", second: "x"}))
    assert b.value(eq, "equal") is True


def test_trim_start_and_end_whitespace_or_given_characters(b):
    assert string_trim_start.func("  \t x  ", "") == "x  "
    assert string_trim_end.func("  x \n", "") == "  x"
    assert string_trim_start.func("--==x==--", "-=") == "x==--"
    assert string_trim_end.func("0.5000", "0") == "0.5"
    assert b.compute("string_trim_end", "trimmed_string", string="path///", characters="/") == "path"


def test_escape_and_unescape_round_trip():
    text = 'say "hi"\n\tC:\\temp\r'
    escaped = string_escape.func(text)
    assert escaped == 'say \\"hi\\"\\n\\tC:\\\\temp\\r'
    assert string_unescape.func(escaped) == text
    assert string_unescape.func("a\\qb\\") == "a\\qb\\"


def test_lossy_utf8_replaces_invalid_bytes(b):
    assert utf8_lossy.func(b"caf\xc3\xa9 \xff!") == "café \ufffd!"
    assert b.compute("utf8_lossy", "string", bytes=[104, 105, 255]) == "hi\ufffd"
    with pytest.raises(ValueError, match="bytes must be a list of integers from 0 to 255"):
        utf8_lossy.func([300])


def test_templates_render_loops_filters_and_values():
    template = "Hello {{ name | upper }}!{% for n in items %} {{ n * 2 }}{% endfor %}"
    assert string_render_template.func(template, {"name": "ada", "items": [1, 2, 3]}) == "Hello ADA! 2 4 6"
    assert string_render_template.func("{{ a }}\n", {"a": 1}) == "1\n"


def test_a_template_has_a_pin_per_variable_it_uses_before_the_map(b):
    """As in Flow-Like: the variables the template uses (not those it sets) are the node's pins, in order."""
    template = "{% set unit = 'x' %}{{ greeting }}{% for n in items %} {{ n }}{{ unit }}{% endfor %}"
    node = b.add("string_render_template", template=template, values={"greeting": "map", "items": [1]},
                 greeting="pin")
    assert [pin.name for pin in node.ordered_pins("Input")] == ["template", "values", "greeting", "items"]
    numbers = b.add("string_split", string="1,2")
    b.wire(numbers, "substrings", node, "items")
    assert b.value(node, "rendered") == "pin 1x 2x"
    assert string_render_template.keys_for({"template": "{% for %}"}) is None, "a broken template: pins stay"


def test_a_missing_value_or_broken_template_is_a_clear_error():
    with pytest.raises(ValueError, match="template error.*'who' is undefined"):
        string_render_template.func("hi {{ who }}", {})
    with pytest.raises(ValueError, match="template error \\(line 1\\)"):
        string_render_template.func("{% for %}", {})


def test_the_sandbox_refuses_python_internals_and_mutation():
    with pytest.raises(ValueError, match="template error.*unsafe"):
        string_render_template.func("{{ x.__class__.__mro__ }}", {"x": 1})
    with pytest.raises(ValueError, match="template error"):
        string_render_template.func("{{ items.append(4) }}", {"items": [1]})


def test_template_sizes_are_bounded():
    with pytest.raises(ValueError, match="template error.*too large"):
        string_render_template.func("{{ 7 ** 10000000 }}", {})
    with pytest.raises(ValueError, match="template error: 2 \\*\\* 1000000000 is too large"):
        string_render_template.func("{{ 2 ** n }}", {"n": 10**9})
    assert string_render_template.func("{{ 2 ** 10 }}", {}) == "1024"
    with pytest.raises(ValueError, match="template error.*exceeds"):
        string_render_template.func("{{ 'ab' * n }}", {"n": MAX_TEXT})
    with pytest.raises(ValueError, match="rendered template exceeds 10,000,000 characters"):
        string_render_template.func("{% for i in range(20) %}{{ s }}{% endfor %}", {"s": "x" * 600_000})
