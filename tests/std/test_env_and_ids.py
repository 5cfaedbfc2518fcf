"""Environment variables and CUID2 ids."""

from __future__ import annotations

import re

import pytest
from flowlike_catalog.std.cuid import new_cuid
from flowlike_catalog.std.env import get_env


def test_environment_variables(monkeypatch, b):
    monkeypatch.setenv("FLOWLIKE_TEST_VALUE", "42")
    monkeypatch.setenv("FLOWLIKE_TEST_EMPTY", "")
    monkeypatch.delenv("FLOWLIKE_TEST_MISSING", raising=False)
    assert get_env.func("FLOWLIKE_TEST_VALUE") == ("42", True)
    assert get_env.func("FLOWLIKE_TEST_EMPTY") == ("", True)
    assert get_env.func("FLOWLIKE_TEST_MISSING") == ("", False)
    assert b.compute("get_env", "variable", key="FLOWLIKE_TEST_VALUE") == "42"
    with pytest.raises(ValueError, match="give the name of the environment variable"):
        get_env.func("")


def test_cuids_are_24_lowercase_characters_starting_with_a_letter_and_distinct(b):
    ids = [new_cuid.func() for _ in range(1000)]
    assert all(re.fullmatch(r"[a-z][a-z0-9]{23}", cuid) for cuid in ids)
    assert len(set(ids)) == 1000
    assert re.fullmatch(r"[a-z][a-z0-9]{23}", b.compute("cuid", "cuid"))
