"""A secret never reaches a disk cache: results that read a secret variable, or are made from such a result, are
kept in memory only (`flowlike_core.cache`), and the board's "why" file does not record them."""

from __future__ import annotations

from pathlib import Path

import pytest
from cache_boards import RAN, add, registry, wire

from flowlike_core import Board, DataType, Variable, commands
from flowlike_core.cache import ResultCache
from flowlike_core.executor import run_board
from flowlike_core.storage import Bucket

TOKEN = "tok-8f3a91c2"


@pytest.fixture(autouse=True)
def counted() -> None:
    RAN.clear()


def secret_board() -> tuple[Board, object]:
    """start -> emit(shout(text = the secret `token`, suffix)): `shout` reads `suffix`; the token comes through a
    Get Variable node's output, so `shout` is made from a secret without reading one itself."""
    from flowlike_core import default_registry

    reg = registry()
    reg.register(default_registry().get("variable_get"))
    board = Board(name="secret-cache")
    board.apply(commands.UpsertVariable(Variable(name="token", data_type=DataType.STRING, secret=True,
                                                 default_value=TOKEN)))
    board.apply(commands.UpsertVariable(Variable(name="suffix", data_type=DataType.STRING, default_value="!")))
    add(board, reg, "c_start", "start")
    add(board, reg, "variable_get", "token", var_ref="token")
    add(board, reg, "c_shout", "shout")
    add(board, reg, "c_emit", "emit")
    wire(board, "start", "exec_out", "emit", "exec_in")
    wire(board, "token", "value_ref", "shout", "text")
    wire(board, "shout", "loud", "emit", "value")
    return board, reg


def stored_bytes(root: Path) -> bytes:
    return b"".join(path.read_bytes() for path in root.rglob("*") if path.is_file())


def test_results_made_from_a_secret_stay_in_memory(tmp_path: Path) -> None:
    board, reg = secret_board()
    cache = ResultCache(store=Bucket(f"file://{tmp_path}"))
    run = run_board(board, cache=cache, registry=reg)
    assert run.ok, run.error
    assert run.result == TOKEN.upper() + "!"
    data = stored_bytes(tmp_path)
    assert TOKEN.encode() not in data and TOKEN.upper().encode() not in data
    assert "memory only" in run.why("shout").text and "secret" in run.why("shout").text
    again = run_board(board, cache=cache, registry=reg)  # (served from memory, as any result)
    assert again.why("shout").cached and again.result == TOKEN.upper() + "!" and RAN["c_shout"] == 1
    assert TOKEN.upper().encode() not in stored_bytes(tmp_path)
    fresh = ResultCache(store=Bucket(f"file://{tmp_path}"))  # another kernel: nothing of them to reuse
    assert not run_board(board, cache=fresh, registry=reg).why("shout").cached and RAN["c_shout"] == 2
