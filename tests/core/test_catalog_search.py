"""Catalog search puts the node types a user most likely means first."""

from __future__ import annotations

from flowlike_core import NodeType, Registry, default_registry


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
