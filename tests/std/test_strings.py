"""String nodes: concat, templates, split/join, replace and regular expressions, case, length, search."""

from __future__ import annotations

import pytest

from flowlike_core import DataType, NodeFailed, ValueType, commands


def test_concat_joins_every_string_pin_in_order(b):
    concat = b.add("string_concat")
    first, second = b.pin_ids(concat, "string")
    upper = b.add("string_to_upper", string="flow")
    b.wire(upper, "uppercase_string", concat, second)
    b.board.apply(commands.UpdateNode(concat.id, defaults={first: "hello "}))
    assert b.value(concat, "result") == "hello FLOW"


def test_format_fills_placeholders_from_a_map(b):
    assert b.compute("string_format", "formatted_string", format_string="{name} has {count} {{items}}",
                     values={"name": "Ada", "count": 3}) == "Ada has 3 {items}"


def test_format_takes_a_pin_per_placeholder_before_the_map(b):
    """Flow-Like's way: a pin per placeholder (a pin of that key, `NodeType.keyed_input`), wired or typed in."""
    fmt = b.add("string_format", format_string="{who} has {count}", values={"who": "map", "count": 1}, who="pin",
                count=None)
    upper = b.add("string_to_upper", string="two")
    b.wire(upper, "uppercase_string", fmt, "count")
    assert b.value(fmt, "formatted_string") == "pin has TWO"


def test_format_names_a_missing_placeholder(b):
    with pytest.raises(NodeFailed, match=r"placeholder \{who\} has no value \(values given: name\)"):
        b.compute("string_format", "formatted_string", format_string="{who}", values={"name": "x"})


def test_split_then_join_round_trip_with_types(b):
    split = b.add("string_split", string="a,b,,c", separator=",")
    join = b.add("string_join", separator="|")
    b.wire(split, "substrings", join, "strings")
    pin = b.pin(split, "substrings")
    assert (pin.data_type, pin.value_type) == (DataType.STRING, ValueType.ARRAY)
    assert b.value(join, "joined_string") == "a|b||c"


def test_split_on_whitespace_when_separator_is_empty(b):
    assert b.compute("string_split", "substrings", string=" one  two\tthree ", separator="") == ["one", "two", "three"]


@pytest.mark.parametrize(("inputs", "expected"), [
    ({"string": "a-b-c", "pattern": "-", "replacement": "+"}, "a+b+c"),
    ({"string": "2024-05-01", "pattern": r"(\d+)-(\d+)-(\d+)", "replacement": r"\3.\2.\1", "is_regex": True},
     "01.05.2024"),
    ({"string": "a.b", "pattern": ".", "replacement": "!"}, "a!b"),
])
def test_replace_plain_and_regex(b, inputs, expected):
    assert b.compute("string_replace", "new_string", **inputs) == expected


def test_regex_match_reports_match_and_groups(b):
    inputs = {"string": "order #1234 from Bob", "pattern": r"#(\d+) from (\w+)"}
    assert b.compute("string_regex_match", "is_match", **inputs) is True
    assert b.compute("string_regex_match", "match", **inputs) == "#1234 from Bob"
    assert b.compute("string_regex_match", "groups", **inputs) == ["1234", "Bob"]
    assert b.compute("string_regex_match", "is_match", string="no digits", pattern=r"\d+") is False


def test_regex_find_all(b):
    assert b.compute("string_regex_find_all", "matches", string="a1 b22 c333", pattern=r"\d+") == ["1", "22", "333"]


def test_invalid_regex_is_a_clear_error(b):
    with pytest.raises(NodeFailed, match=r"invalid regular expression '\(unclosed'"):
        b.compute("string_regex_find_all", "matches", string="x", pattern="(unclosed")


@pytest.mark.parametrize(("key", "output", "inputs", "expected"), [
    ("string_to_upper", "uppercase_string", {"string": "MiXed"}, "MIXED"),
    ("string_to_lower", "lowercase_string", {"string": "MiXed"}, "mixed"),
    ("string_to_title", "title_string", {"string": "hello big world"}, "Hello Big World"),
    ("string_trim", "trimmed_string", {"string": "  x  "}, "x"),
    ("string_length", "length", {"string": "héllo"}, 5),
    ("string_contains", "contains", {"string": "haystack", "substring": "st"}, True),
    ("string_contains", "contains", {"string": "haystack", "substring": "needle"}, False),
    ("string_starts_with", "starts_with", {"string": "haystack", "prefix": "hay"}, True),
    ("string_ends_with", "ends_with", {"string": "haystack", "suffix": "hay"}, False),
])
def test_case_length_and_search(b, key, output, inputs, expected):
    assert b.compute(key, output, **inputs) == expected
