"""Apps, board working copies, versions, diffs, conflicts and scoped names on every store kind."""

from __future__ import annotations

import json

import pytest
from storage_nodes import Say, Start

from flowlike_core import Board, Variable, commands
from flowlike_core.errors import BoardFileError, SaveConflict, StorageError, UnsafePathError
from flowlike_core.storage import App, Storage


def hello_board() -> Board:
    board = Board(name="hello")
    start = board.apply(commands.AddNode(Start.create(node_id="start")))
    say = board.apply(commands.AddNode(Say.create(node_id="say", message="hi")))
    board.apply(commands.Connect(start.id, "exec_out", say.id, "exec_in"))
    board.apply(commands.UpsertVariable(Variable(id="limit", name="limit", data_type="Integer", default_value=3)))
    return board


def test_save_load_round_trip_and_listing(store: Storage) -> None:
    app = store.app("demo")
    board = hello_board()
    revision = app.save(board)
    assert app.revision("hello") == revision
    assert app.load("hello") == board
    assert app.boards() == ["hello"]
    assert store.apps() == ["demo"]
    assert app.versions("hello") == []


def test_versions_are_immutable_snapshots_and_diff_is_structured(store: Storage) -> None:
    app = store.app("demo")
    board = hello_board()
    app.save(board)
    assert app.create_version("hello", "minor") == (0, 1, 0)

    board.apply(commands.UpdateNode("say", defaults={"message": "hello there"}))
    extra = board.apply(commands.AddNode(Say.create(node_id="more", message="more")))
    board.apply(commands.Connect("say", "exec_out", extra.id, "exec_in"))
    board.apply(commands.RemoveVariable("limit"))
    app.save(board)
    assert app.create_version("hello", "patch") == (0, 1, 1)
    assert app.create_version("hello", "major") == (1, 0, 0)
    assert app.versions("hello") == [(0, 1, 0), (0, 1, 1), (1, 0, 0)]

    old = app.load("hello", "0.1.0")
    assert old.version == (0, 1, 0)
    assert old.node("say").pin("message").default_value == "hi"
    assert app.load("hello", (1, 0, 0)).version == (1, 0, 0)

    changes = app.diff("hello", "0.1.0", "0.1.1")
    summary = {(c.kind, c.item, c.label) for c in changes}
    assert ("changed", "board", "hello") in summary
    assert ("added", "node", "test_say (more)") in summary
    assert ("added", "wire", "test_say.exec_out -> test_say.exec_in") in summary
    assert ("removed", "variable", "limit") in summary
    pin_change = next(c for c in changes if c.item == "pin" and c.label == "test_say (say).message")
    assert pin_change.fields == {"default_value": ("hi", "hello there")}
    assert [(c.item, list(c.fields)) for c in app.diff("hello", "0.1.1", "1.0.0")] == [("board", ["version"])]
    assert app.diff("hello", "1.0.0") == [c for c in app.diff("hello", "1.0.0", None)]
    assert [str(c) for c in app.diff("hello", "1.0.0")] == ["~ board hello (version: [1, 0, 0] -> [0, 1, 0])"]


def test_version_files_cannot_be_overwritten(store: Storage) -> None:
    app = store.app("demo")
    app.save(hello_board())
    app.create_version("hello")
    with pytest.raises(StorageError, match="immutable"):
        app.meta.write_new(app._version_key("hello", (0, 0, 1)), b"{}")
    with pytest.raises(BoardFileError, match="no version 9.9.9 of board 'hello'"):
        app.load("hello", "9.9.9")
    with pytest.raises(StorageError, match="major.minor.patch"):
        app.load("hello", "latest")


def test_second_kernel_save_is_refused_with_a_way_out(store: Storage) -> None:
    kernel_a = store.app("demo")
    kernel_b = App("demo", store.meta, store.content)  # another process: its own memory of revisions
    kernel_a.save(hello_board())
    board_a, board_b = kernel_a.load("hello"), kernel_b.load("hello")

    board_b.apply(commands.UpdateNode("say", defaults={"message": "from b"}))
    kernel_b.save(board_b)
    board_a.apply(commands.UpdateNode("say", defaults={"message": "from a"}))
    with pytest.raises(SaveConflict, match=r"app.load\('hello'\).*force=True"):
        kernel_a.save(board_a)
    assert kernel_a.load("hello").node("say").pin("message").default_value == "from b"

    board_a = kernel_a.load("hello")
    board_a.apply(commands.UpdateNode("say", defaults={"message": "from a, merged"}))
    kernel_a.save(board_a)
    with pytest.raises(SaveConflict):
        kernel_b.save(board_b)
    kernel_b.save(board_b, force=True)
    assert kernel_a.load("hello").node("say").pin("message").default_value == "from b"


def test_explicit_based_on_revision(store: Storage) -> None:
    app = store.app("demo")
    first = app.save(hello_board())
    board = app.load("hello")
    board.apply(commands.UpdateNode("say", defaults={"message": "two"}))
    second = app.save(board, based_on=first)
    with pytest.raises(SaveConflict):
        app.save(board, based_on=first)
    assert app.save(board, based_on=second) == second  # same bytes, same revision


def test_an_unseen_stored_board_is_not_overwritten(store: Storage) -> None:
    store.app("demo").save(hello_board())
    stranger = App("demo", store.meta, store.content)
    with pytest.raises(SaveConflict, match="no stored copy"):
        stranger.save(hello_board())


@pytest.mark.parametrize("name", ["../evil", "..", "a/b", "/etc/passwd", "C:\\x", "", "a b", ".hidden", "x" * 129,
                                  "naïve", "a\x00b"])
def test_names_cannot_escape_their_folder(store: Storage, name: str) -> None:
    app = store.app("demo")
    with pytest.raises(UnsafePathError, match="not allowed"):
        app.save(hello_board(), name)
    with pytest.raises(UnsafePathError):
        app.load(name)
    with pytest.raises(UnsafePathError):
        store.app(name)


def test_content_keys_are_scoped(store: Storage) -> None:
    for key in ["../x", "a/../../b", "/abs", "a//b", "a\\b"]:
        with pytest.raises(UnsafePathError):
            store.content.write(key, b"x")
    store.content.write("apps/demo/data/file-1.csv", b"a,b\n")
    assert store.content.read("apps/demo/data/file-1.csv") == b"a,b\n"


def test_secret_variable_values_never_reach_board_files(store: Storage) -> None:
    app = store.app("demo")
    board = hello_board()
    board.apply(commands.UpsertVariable(Variable(name="api_key", default_value="sk-very-secret", secret=True)))
    app.save(board)
    app.create_version("hello")
    for key in (app._board_key("hello"), app._version_key("hello", (0, 0, 1))):
        text = store.meta.read(key).decode()
        assert "sk-very-secret" not in text
        api_key = next(v for v in json.loads(text)["variables"].values() if v["name"] == "api_key")
        assert api_key["secret"] is True and api_key["default_value"] is None
