"""Catalog search puts the node types a user most likely means first."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from flowlike_core import NodeType, Registry, default_registry
from flowlike_core.registry import ENTRY_POINT_GROUP


def _type(key: str, friendly: str, category: str, description: str = "") -> type[NodeType]:
    return type(key, (NodeType,), {"name": key, "friendly_name": friendly, "category": category,
                                   "description": description, "pins": ()})


def test_an_exact_name_then_whole_words_then_the_category_come_first() -> None:
    registry = Registry()
    for node_type in (_type("a_create_branch", "Create Branch", "A/GitHub"),
                      _type("a_console_logs", "Console Logs", "A/Browser"),
                      _type("b_sheet_add", "Add Sheet", "B/Sheets", "adds an integer column"),
                      _type("c_int_add", "+", "C/Integer"),
                      _type("c_branch", "Branch", "C/Control"),
                      _type("c_log_info", "Log Info", "C/Logging")):
        registry.register(node_type, pack="test")
    assert [t.name for t in registry.search("branch")] == ["c_branch", "a_create_branch"]
    assert [t.name for t in registry.search("add integer")] == ["c_int_add", "b_sheet_add"]
    assert [t.name for t in registry.search("log")][:1] == ["c_log_info"]
    assert [t.name for t in registry.search("")] == [t.name for t in registry], "no words: catalog order"


def test_a_node_is_found_by_its_synonyms_just_below_one_so_named():
    """Users type their words: "if" finds Branch, "sleep" Delay, "print" Log Info, in `flowlike catalog --search`
    as in the editor's palette (`NodeType.synonyms`)."""
    registry = default_registry()
    assert registry.search("if")[0].name == "control_branch"
    assert registry.search("sleep")[0].name == "delay"
    assert {t.name for t in registry.search("print")[:3]} == {"log_info", "log_warning", "log_error"}


@pytest.fixture(scope="module")
def installed() -> Registry:
    """The installed packs as a user has them (the default registry of a test session also holds test nodes)."""
    return Registry(entries=entry_points(group=ENTRY_POINT_GROUP))


@pytest.mark.parametrize(("query", "first"), [
    ("delay", "delay"), ("split", "string_split"), ("print", "log_info"), ("if", "control_branch"),
    ("read csv", "table_read_csv"), ("concat", "string_concat"), ("add", "float_add"),
])
def test_of_names_that_match_alike_and_are_as_long_the_std_packs_comes_first(installed: Registry, query: str,
                                                                              first: str) -> None:
    """"delay" put the automation pack's Delay above the std one, "split" ML's K-Fold Split above Split String
    (equal matches, equal lengths: the name's letters decided); from the kept descriptions as from the classes."""
    assert [t.name for t in installed.search(query)][:1] == [first]
    assert [d.name for d in installed.described(query)][:1] == [first]


def test_log_finds_the_std_logs_before_other_packs_log_this_or_that(installed: Registry) -> None:
    """"log" put the web pack's Telegram "Log Out" first (its name is one letter shorter than "Log Info"): a std
    type whose name starts with the word, in the section the word names (Logging), comes first among equals."""
    for found in ([t.name for t in installed.search("log")], [d.name for d in installed.described("log")]):
        assert found[:3] == ["log_info", "log_error", "log_warning"]
        assert found.index("telegram_log_out") == 3
    assert [t.name for t in installed.search("log out")][:1] == ["telegram_log_out"]
