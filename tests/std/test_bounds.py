"""One node cannot block a run: regular expressions match in linear time (RE2), integer powers are bounded.
Also roots and random booleans."""

from __future__ import annotations

import pytest
from flowlike_catalog.std.floats import float_root
from flowlike_catalog.std.integers import MAX_POWER_BITS, int_power, int_root
from flowlike_catalog.std.logic import random_bool
from flowlike_catalog.std.strings import string_regex_find_all, string_regex_match, string_replace

from flowlike_core import NodeFailed


def test_a_catastrophic_pattern_answers_at_once():
    # Python's re would take longer than the age of the universe on these; the suite's timeout guards a hang
    assert string_regex_match.func("a" * 5000 + "!", "(a+)+$") == (False, "", [])
    assert string_regex_match.func("x" * 100_000, "(x|xx)+y") == (False, "", [])


def test_re2_matches_groups_and_replaces_like_re():
    assert string_regex_match.func("order 66 and 99", r"(\d)(\d)") == (True, "66", ["6", "6"])
    assert string_regex_match.func("b", "(a)|(b)") == (True, "b", ["", "b"])
    assert string_regex_find_all.func("a1b22c333", r"\d+") == ["1", "22", "333"]
    assert string_replace.func("me@host", r"(\w+)@(\w+)", r"\2 at \1", True) == "host at me"
    assert string_regex_match.func("ABC", "(?i)b") == (True, "B", [])


def test_patterns_re2_cannot_run_are_refused_with_the_reason(b):
    with pytest.raises(ValueError, match=r"invalid regular expression '\(a\)\\\\1': invalid escape sequence.*no "
                                         r"backreferences or lookaround"):
        string_regex_match.func("aa", r"(a)\1")
    with pytest.raises(NodeFailed, match="invalid perl operator"):
        b.compute("string_regex_find_all", "matches", string="ab", pattern="(?<=a)b")
    with pytest.raises(ValueError, match="missing \\)"):
        string_regex_match.func("x", "(")


def test_integer_powers_are_bounded():
    assert int_power.func(2, 10) == 1024
    assert int_power.func(1, 10**12) == 1 and int_power.func(-1, 10**12 + 1) == -1 and int_power.func(0, 10**12) == 0
    assert int_power.func(2, MAX_POWER_BITS).bit_length() == MAX_POWER_BITS + 1
    with pytest.raises(ValueError, match="2 \\*\\* 1000001 would have more than 1,000,000 bits; use Float Power"):
        int_power.func(2, MAX_POWER_BITS + 1)
    with pytest.raises(ValueError, match="would have more than"):
        int_power.func(10, 10**18)


def test_roots():
    assert int_root.func(27, 3) == pytest.approx(3.0)
    assert int_root.func(-27, 3) == pytest.approx(-3.0)
    assert float_root.func(2.0, 2) == pytest.approx(1.4142135623730951)
    assert float_root.func(4.0, -2) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="an even root \\(2\\) of the negative number -4 is not real"):
        int_root.func(-4, 2)
    with pytest.raises(ValueError, match="the root's degree cannot be 0"):
        float_root.func(2.0, 0)


def test_random_bool_follows_the_probability(b):
    assert {random_bool.func(1.0) for _ in range(20)} == {True}
    assert {random_bool.func(0.0) for _ in range(20)} == {False}
    draws = [random_bool.func(0.5) for _ in range(2000)]
    assert 800 < sum(draws) < 1200
    with pytest.raises(NodeFailed, match="probability must be from 0 to 1, got 1.5"):
        b.compute("random_bool", "value", probability=1.5)
