"""A persisted result cache loads its results with pickle, which runs code: it keeps them in a folder only its user
can write, and loads no file another user could have written or replaced (`flowlike_core.cache`)."""

from __future__ import annotations

import os
import pickle
import warnings
from pathlib import Path

import pytest
from cache_boards import RAN, registry, sum_board

from flowlike_core.cache import ResultCache
from flowlike_core.errors import StorageError
from flowlike_core.executor import run_board
from flowlike_core.storage import Bucket

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX")


class Planted:
    """What someone who can write the store plants: unpickling it writes a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


@pytest.fixture(autouse=True)
def counted() -> None:
    RAN.clear()


def results_in(store: Path) -> list[Path]:
    return sorted(path for path in (store / "cache").glob("*/*/*") if path.is_file())


def run_warned(board, cache: ResultCache, reg) -> tuple[object, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = run_board(board, cache=cache, registry=reg)
    assert run.ok, run.error
    return run, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize(("mode", "who"), [(0o777, "its group and others"), (0o770, "its group")])
def test_a_cache_folder_others_can_write_is_refused_naming_it(tmp_path: Path, mode: int, who: str) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(mode)
    for persist in (lambda: ResultCache().persist(Bucket(str(tmp_path))),
                    lambda: ResultCache(store=Bucket(str(tmp_path)))):
        with pytest.raises(StorageError, match=rf"will not use {folder}: {who} can write it .*pickle, which runs "
                                               rf"code.*chmod go-w {folder}"):
            persist()


def test_a_new_cache_folder_and_its_results_are_made_for_its_user_only(tmp_path: Path) -> None:
    """Under a umask that lets the group write what it makes, the cache's folder and files are still its user's
    only, so the next cache loads them."""
    reg = registry()
    board = sum_board(reg)
    store = tmp_path / "store"
    old = os.umask(0o002)
    try:
        run_board(board, cache=ResultCache().persist(Bucket(str(store))), registry=reg)
    finally:
        os.umask(old)
    assert (store / "cache").stat().st_mode & 0o077 == 0
    kept = [path for path in (store / "cache").rglob("*") if path.is_file()]
    assert len(kept) == 4 and all(path.stat().st_mode & 0o077 == 0 for path in kept)  # (3 results, 1 why file)
    RAN.clear()
    served, told = run_warned(board, ResultCache(store=Bucket(str(store))), reg)
    assert served.why("total").cached and served.why("left").cached and RAN["c_add"] == 0 and told == []


def test_the_environment_asking_for_an_unsafe_store_warns_and_keeps_results_in_memory(tmp_path: Path,
                                                                                       monkeypatch) -> None:
    from flowlike_core.storage import Storage, StorageConfig, store

    configured = Storage(StorageConfig.at(str(tmp_path)))
    folder = Path(configured.content.path("cache"))
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    monkeypatch.setattr(store, "_current", configured)
    monkeypatch.setenv("FLOWLIKE_CACHE_PERSIST", "1")
    with pytest.warns(RuntimeWarning, match=rf"FLOWLIKE_CACHE_PERSIST=1: the result cache will not use {folder}: .*"
                                            r"results are kept in memory only"):
        cache = ResultCache.from_env()
    assert cache.store is None


def test_a_result_file_others_can_write_is_not_loaded_and_is_made_again(tmp_path: Path) -> None:
    reg = registry()
    board = sum_board(reg)
    run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    marker = tmp_path / "planted-code-ran"
    kept = results_in(tmp_path)
    assert len(kept) == 3
    for path in kept:
        path.write_bytes(pickle.dumps(Planted(marker)))
        path.chmod(0o666)
    RAN.clear()
    run, told = run_warned(board, ResultCache(store=Bucket(str(tmp_path))), reg)
    assert not marker.exists()
    assert run.result == 10 and RAN["c_add"] == 3
    assert len(told) == 1 and "did not load" in told[0] and "others can write it" in told[0], told
    assert any(str(path) in told[0] for path in kept), told
    assert "could not be read back" in str(run.why("total"))
    assert all(path.stat().st_mode & 0o022 == 0 for path in results_in(tmp_path)), "made again, by its user"
    RAN.clear()
    served, told = run_warned(board, ResultCache(store=Bucket(str(tmp_path))), reg)
    assert served.why("total").cached and RAN["c_add"] == 0 and told == []


def test_a_result_that_is_a_link_or_another_users_file_is_not_loaded(tmp_path: Path) -> None:
    reg = registry()
    board = sum_board(reg)
    run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    marker = tmp_path / "planted-code-ran"
    planted = tmp_path / "elsewhere.pickle"
    planted.write_bytes(pickle.dumps(Planted(marker)))
    first, *others = results_in(tmp_path)
    first.unlink()
    first.symlink_to(planted)
    if os.getuid() == 0:  # (only root can give a file away)
        for path in others:
            path.write_bytes(pickle.dumps(Planted(marker)))
            os.chown(path, 4242, -1)
    RAN.clear()
    run, told = run_warned(board, ResultCache(store=Bucket(str(tmp_path))), reg)
    assert not marker.exists() and run.result == 10
    assert len(told) == 1 and "did not load" in told[0], told
    if os.getuid() == 0:
        assert RAN["c_add"] == 3


def test_a_pipe_where_a_result_goes_is_skipped_without_waiting(tmp_path: Path) -> None:
    reg = registry()
    board = sum_board(reg)
    run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    first = results_in(tmp_path)[0]
    first.unlink()
    os.mkfifo(first)
    RAN.clear()
    run, told = run_warned(board, ResultCache(store=Bucket(str(tmp_path))), reg)
    assert run.result == 10 and len(told) == 1 and "not a plain file" in told[0], told
