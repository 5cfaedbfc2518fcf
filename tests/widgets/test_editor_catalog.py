"""The search popup's catalog lives in the kernel: ranked pages of short entries, wire fits first."""

from __future__ import annotations

from flowlike_core import DataType, NodeType, Registry, data_in, data_out, exec_in
from flowlike_core.policy import Capability
from flowlike_nb.widgets import BoardEditor
from flowlike_nb.widgets.catalog import CatalogIndex

from .conftest import REGISTRY, Recorder


class Shout(NodeType):
    name = "c_shout"
    description = "Says the text louder."
    friendly_name = "Shout"
    category = "Words"
    pins = (data_in("words", DataType.STRING), data_out("loud", DataType.STRING))


class MakeText(NodeType):
    name = "c_make_text"
    description = "A constant."
    friendly_name = "Make Text"
    category = "Words"
    pins = (data_out("text", DataType.STRING),)


class Fetch(NodeType):
    name = "c_fetch"
    description = "Downloads a page."
    friendly_name = "Fetch Page"
    category = "Web"
    capabilities = frozenset({Capability.NETWORK, Capability.FILES})
    pins = (exec_in(), data_in("url", DataType.STRING), data_out("size", DataType.INTEGER))


def names(answer: dict) -> list[str]:
    return [entry["name"] for entry in answer["entries"]]


def test_a_name_match_ranks_before_a_description_match_and_every_word_must_match() -> None:
    index = CatalogIndex(Registry())
    for node_type in (Shout, MakeText, Fetch):
        index.registry.register(node_type)
    found = names(index.search("text"))
    assert found == ["c_make_text", "c_shout"]  # by name (Make Text), then by description (the text louder)
    assert names(index.search("make text")) == ["c_make_text"]
    assert names(index.search("words loud")) == ["c_shout"]  # category, then a pin name
    assert names(index.search("nothing like it")) == []
    answer = index.search("", limit=2)
    assert answer["total"] == 3 and len(answer["entries"]) == 2


def test_entries_are_short_and_say_what_a_node_reaches() -> None:
    index = CatalogIndex(Registry())
    index.registry.register(Fetch, pack="web-test")
    (entry,) = index.search("fetch")["entries"]
    assert entry == {"name": "c_fetch", "friendly_name": "Fetch Page", "category": "Web", "pack": "web-test",
                     "description": "Downloads a page.", "event": False, "pure": False,
                     "capabilities": ["files", "network"]}


def test_a_dropped_wire_keeps_the_types_that_fit_it(editor: BoardEditor, frontend: Recorder) -> None:
    answer = frontend("search_catalog", query="", wire={"node_id": "say", "pin_id": "times"})
    assert answer["ok"]
    assert names(answer) == ["w_number"]  # the only Integer output of the test pack
    every = frontend("search_catalog", query="")
    assert every["total"] == len(REGISTRY) and set(names(every)) == {t.name for t in REGISTRY}


def test_the_index_is_built_on_a_thread_and_a_search_waits_for_it(editor: BoardEditor, frontend: Recorder) -> None:
    assert frontend("warm_catalog")["ok"]
    assert names(frontend("search_catalog", query="say"))[0] == "w_say"


class Add(NodeType):
    name = "c_int_add"
    description = "Adds two integers."
    friendly_name = "+"
    category = "Math"
    pins = (data_in("a", DataType.INTEGER), data_in("b", DataType.INTEGER), data_out("sum", DataType.INTEGER))


class AddComment(NodeType):
    name = "c_add_comment"
    description = "Comments on an issue."
    friendly_name = "Add Issue Comment"
    category = "Tracker"
    pins = (exec_in(), data_in("text", DataType.STRING))


class ClearLogs(NodeType):
    name = "c_clear_console_logs"
    description = "Empties the browser's console."
    friendly_name = "Clear Console Logs"
    category = "Browser"
    pins = (exec_in(),)


class LogInfo(NodeType):
    name = "c_log_info"
    description = "Logs a message."
    friendly_name = "Log Info"
    category = "Logging"
    pins = (exec_in(), data_in("message", DataType.STRING))


def test_a_whole_word_ranks_before_a_word_it_begins_and_a_symbol_name_is_found_by_its_key() -> None:
    """Searching "log" found "Clear Console Logs" before "Log Info", and "add" never showed "+" (int_add) in the
    first page: a symbol's friendly name holds no word, so its key is its name."""
    index = CatalogIndex(Registry())
    for node_type in (Add, AddComment, ClearLogs, LogInfo):
        index.registry.register(node_type)
    assert names(index.search("log")) == ["c_log_info", "c_clear_console_logs"]
    assert names(index.search("add"))[0] == "c_int_add"
    assert names(index.search("+")) == ["c_int_add"]


def test_the_palette_lists_a_pack_from_its_kept_descriptions_without_importing_it(tmp_path, monkeypatch) -> None:
    import sys
    from importlib.metadata import EntryPoint

    from flowlike_core import pack_descriptions

    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pack_descriptions, "STARTED", 2**62)  # (the module written below counts as old)
    (tmp_path / "kept_palette_pack.py").write_text(
        "import sys\nfrom flowlike_core import Pack, node\n\n@node(synonyms=('holler',))\n"
        "def kept_shout(words: str) -> str:\n    'Says the text louder.'\n    return words.upper()\n\n"
        "PACK = Pack('kept', modules=[sys.modules[__name__]])\n")
    entries = [EntryPoint("kept", "kept_palette_pack:PACK", "flowlike.packs")]
    try:
        first = CatalogIndex(Registry(entries=entries)).search("holler")
        del sys.modules["kept_palette_pack"]
        again = CatalogIndex(Registry(entries=entries)).search("holler")
        assert "kept_palette_pack" not in sys.modules
    finally:
        sys.modules.pop("kept_palette_pack", None)
    assert again == first and names(again) == ["kept_shout"]
    assert again["entries"][0]["synonyms"] == ["holler"] and again["entries"][0]["pack"] == "kept"
