"""Fallback, select and try-transform."""

from __future__ import annotations

import datetime as dt

from flowlike_catalog.std.types import utils_types_fallback, utils_types_select, utils_types_try_transform


def test_fallback_replaces_only_missing_values(b):
    assert utils_types_fallback.func(None, 5) == (5, True)
    assert utils_types_fallback.func(0, 5) == (0, False)
    assert utils_types_fallback.func("", "x") == ("", False)
    assert b.compute("utils_types_fallback", "result", default=7) == 7


def test_select_picks_by_condition(b):
    assert utils_types_select.func("a", "b", True) == "a"
    assert utils_types_select.func("a", "b", False) == "b"
    assert b.compute("utils_types_select", "result", a=1, b=2, condition=False) == 2


def test_try_transform_converts_or_reports_failure():
    cases = [
        ("42", "Integer", 42), ("4.9", "Integer", 4), (True, "Integer", 1), ("x", "Integer", None),
        ("2.5", "Float", 2.5), (3, "Float", 3.0), ("nan", "Float", None),
        ("yes", "Boolean", True), ("off", "Boolean", False), ("0.0", "Boolean", False), ([], "Boolean", False),
        ({"a": 1}, "String", '{\n  "a": 1\n}'), ("text", "String", "text"),
        ('{"a": 1}', "Struct", {"a": 1}), ("[1]", "Struct", None), ([7, 8], "Struct", {"0": 7, "1": 8}),
        (5, "Struct", {"value": 5}),
        ("2024-05-01T12:00:00Z", "Date", dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)),
        (0, "Date", dt.datetime(1970, 1, 1, tzinfo=dt.UTC)), ("soon", "Date", None),
    ]
    for value, target, expected in cases:
        assert utils_types_try_transform.func(value, target) == (expected, expected is not None), (value, target)
