"""Run history: records persisted in LanceDB, queried by board, status, time and log level; secrets redacted."""

from __future__ import annotations

import argparse
import datetime as dt
import json

import pytest
from storage_nodes import Say, SayVariable, Start

from flowlike_core import Board, LogLevel, Registry, Variable, commands
from flowlike_core.run import RunRecord
from flowlike_core.storage import Storage, StorageConfig
from flowlike_core.storage.cli import add_runs_command, parse_when

SECRET = "sk-live-4f9a2b"


def board_saying(name: str, level: str = "Info", fail: bool = False) -> Board:
    board = Board(name=name, log_level=LogLevel.DEBUG if level == "Debug" else LogLevel.INFO)
    board.apply(commands.AddNode(Start.create(node_id="start")))
    board.apply(commands.AddNode(Say.create(node_id="say", message=f"{name} says hi", level=level, fail=fail)))
    board.apply(commands.Connect("start", "exec_out", "say", "exec_in"))
    return board


def at(record: RunRecord, hours_ago: float) -> RunRecord:
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
    return record.model_copy(update={"start": start, "end": start + dt.timedelta(seconds=record.duration)})


@pytest.fixture
def recorded(store: Storage, registry: Registry) -> dict[str, RunRecord]:
    runs = {
        "ok": board_saying("alpha").run(registry=registry),
        "warned": board_saying("alpha", level="Warn").run(registry=registry),
        "failed": board_saying("beta", fail=True).run(registry=registry),
        "debug": board_saying("gamma", level="Debug").run(registry=registry),
    }
    ages = {"ok": 30, "warned": 5, "failed": 1, "debug": 0.5}
    records = {key: at(run.record(), ages[key]) for key, run in runs.items()}
    for key, record in records.items():
        store.runs.append(record, app="demo" if key != "debug" else "")
    return records


def ids(records: list[RunRecord]) -> list[str]:
    return [r.id for r in records]


def test_query_filters_and_order(store: Storage, recorded: dict[str, RunRecord]) -> None:
    r = recorded
    assert ids(store.runs.query()) == [r["debug"].id, r["failed"].id, r["warned"].id, r["ok"].id]
    assert ids(store.runs.query(board="alpha")) == [r["warned"].id, r["ok"].id]
    assert ids(store.runs.query(board=r["failed"].board_id)) == [r["failed"].id]
    assert ids(store.runs.query(status="Failed")) == [r["failed"].id]
    assert ids(store.runs.query(level="Warn")) == [r["warned"].id]
    assert ids(store.runs.query(level="Info")) == [r["failed"].id, r["warned"].id, r["ok"].id]
    assert ids(store.runs.query(level="Debug")) == ids(store.runs.query())
    now = dt.datetime.now(dt.UTC)
    assert ids(store.runs.query(since=now - dt.timedelta(hours=6), until=now - dt.timedelta(hours=2))) == [
        r["warned"].id]
    assert ids(store.runs.query(since=(now - dt.timedelta(hours=2)).timestamp())) == [r["debug"].id, r["failed"].id]
    assert ids(store.runs.query(limit=2)) == [r["debug"].id, r["failed"].id]
    assert store.runs.query(limit=0) == []
    assert ids(store.runs.query(app="demo", status="Success")) == [r["warned"].id, r["ok"].id]
    assert store.runs.query(board="o'brien; DROP TABLE runs") == []
    assert store.runs.count() == 4 and store.runs.count(board="alpha") == 2


def test_records_come_back_whole(store: Storage, recorded: dict[str, RunRecord]) -> None:
    failed = store.runs.get(recorded["failed"].id)
    assert failed == recorded["failed"]
    assert failed.error and "failed saying beta says hi" in failed.error
    assert [log.message for trace in failed.traces for log in trace.logs] == ["beta says hi"]
    with pytest.raises(KeyError, match="no run 'nope'"):
        store.runs.get("nope")


def test_secrets_never_reach_the_run_history(store: Storage, registry: Registry) -> None:
    board = Board(name="leaky")
    board.apply(commands.AddNode(Start.create(node_id="start")))
    board.apply(commands.AddNode(SayVariable.create(node_id="leak", variable="token")))
    board.apply(commands.Connect("start", "exec_out", "leak", "exec_in"))
    board.apply(commands.UpsertVariable(Variable(name="token", default_value="placeholder", secret=True,
                                                 exposed=True)))
    run = board.run(registry=registry, variables={"token": SECRET})
    assert run.traces[-1].logs[0].message == "token is ***", "redacted where it entered the run"
    stored = store.record(run, app="demo")
    assert stored.variables["token"] == "***"
    def store_files() -> dict[str, bytes]:
        fs = store.content.fs
        return {path: fs.cat_file(path) for path in fs.find(store.content.root)}

    pending = store_files()
    assert any(path.endswith(".json") for path in pending), "the record waits in a pending file"
    assert store.runs.fold() == 1
    for files in (pending, store_files()):  # (a memory store's LanceDB table is not in fsspec's memory)
        assert not [path for path, data in files.items() if SECRET.encode() in data]
    rows = store.runs.table.to_arrow().to_pylist()
    assert len(rows) == 1
    assert SECRET not in json.dumps(rows, default=str)
    again = store.runs.get(run.id)
    assert again.traces[-1].logs[0].message == "token is ***"
    assert again.error is not None and SECRET not in again.error and "rejected ***" in again.error


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_flowlike_runs_command(store: Storage, recorded: dict[str, RunRecord], capsys) -> None:
    config_file = store.config.meta_url.rsplit("/", 1)[0] + "/flowlike.json"
    with open(config_file, "w") as handle:
        handle.write(store.config.model_dump_json())

    def runs(*argv: str) -> str:
        parser = argparse.ArgumentParser(prog="flowlike")
        add_runs_command(parser.add_subparsers())
        args = parser.parse_args(["runs", "--store", config_file, *argv])
        assert args.handler(args) == 0
        return capsys.readouterr().out

    table = runs("--board", "alpha")
    assert table.splitlines()[0].split() == ["RUN", "BOARD", "STATUS", "STARTED", "(UTC)", "TIME", "STEPS",
                                             "RESULT", "VARIABLES", "ERROR"]
    assert [line.split()[0] for line in table.splitlines()[1:]] == [recorded["warned"].id, recorded["ok"].id]
    printed = json.loads(runs("--status", "failed", "--since", "2h", "--json"))
    assert [RunRecord.model_validate(r) for r in printed] == [recorded["failed"]]
    assert runs("--level", "error") == "no runs match --level Error\n"
    assert len(json.loads(runs("--until", "3h", "--limit", "1", "--json"))) == 1
    with pytest.raises(SystemExit):
        runs("--status", "exploded")


def test_parse_when() -> None:
    assert parse_when("2026-05-01T12:00") == dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - parse_when("90m")).total_seconds() - 5400) < 60
    with pytest.raises(argparse.ArgumentTypeError, match="neither"):
        parse_when("yesterday")


def test_config_sources(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FLOWLIKE_STORE", "FLOWLIKE_META_URL", "FLOWLIKE_CONTENT_URL"):
        monkeypatch.delenv(name, raising=False)
    assert StorageConfig.load() == StorageConfig(meta_url="~/.flowlike/meta", content_url="~/.flowlike/content")
    monkeypatch.setenv("FLOWLIKE_META_URL", "memory://m")
    monkeypatch.setenv("FLOWLIKE_CONTENT_URL", "s3://bucket/content")
    assert StorageConfig.load() == StorageConfig(meta_url="memory://m", content_url="s3://bucket/content")
    toml = tmp_path / "store.toml"
    toml.write_text('meta_url = "/data/meta"\ncontent_url = "/data/content"\n[options]\nanon = true\n')
    monkeypatch.setenv("FLOWLIKE_STORE", str(toml))
    assert StorageConfig.load() == StorageConfig(meta_url="/data/meta", content_url="/data/content",
                                                 options={"anon": True})
    assert StorageConfig.load("memory://root").content_url == "memory://root/content"
    bad = tmp_path / "bad.json"
    bad.write_text('{"meta_url": 3, "colour": "blue"}')
    with pytest.raises(Exception, match="bad.json: not a usable storage configuration"):
        StorageConfig.load(str(bad))


def test_pending_records_fold_once_whoever_folds(store: Storage, registry: Registry,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from flowlike_core.storage import history as history_module
    from flowlike_core.storage.history import RunHistory

    records = [board_saying(f"b{i}").run(registry=registry).record() for i in range(3)]
    kernel_a = store.runs
    kernel_b = RunHistory(store.content, "history", store.config.options)  # another process, same store
    for record in records[:2]:
        kernel_a.append(record)
    assert len(store.content.list("history/pending")) == 2
    assert kernel_b.fold() == 2 and kernel_a.fold() == 0
    kernel_a.append(records[0])  # a record folded before, pending again (a fold killed before its clean-up)
    assert kernel_b.count() == 2, "folding is an upsert on the run id: no duplicate"
    monkeypatch.setattr(history_module, "FOLD_EVERY", 1)
    kernel_a.append(records[2])
    assert store.content.list("history/pending") == []
    assert sorted(r.id for r in kernel_b.query()) == sorted(r.id for r in records)


def test_flowlike_cli_dispatches_runs(tmp_path, registry: Registry, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from flowlike_core.cli import main

    monkeypatch.delenv("FLOWLIKE_STORE", raising=False)
    store = Storage(StorageConfig.at(str(tmp_path)))
    run = board_saying("cli-board", fail=True).run(registry=registry)
    store.record(run)
    assert main(["runs", "--store", str(tmp_path), "--status", "Failed", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [run.id]
    monkeypatch.setenv("FLOWLIKE_STORE", str(tmp_path))
    assert main(["runs", "--board", "other"]) == 0
    assert capsys.readouterr().out == "no runs match --board 'other'\n"  # (the filters, as a typo may be there)


def test_redaction_touches_only_the_text_nodes_write(store: Storage, registry: Registry) -> None:
    board = board_saying("short")
    board.apply(commands.UpsertVariable(Variable(name="pin", default_value="hi", secret=True)))
    board.apply(commands.UpsertVariable(Variable(name="code", data_type="Integer", default_value=2, secret=True)))
    run = board.run(registry=registry)
    stored = store.record(run)
    assert [log.message for trace in stored.traces for log in trace.logs] == ["short says ***"]
    assert (stored.status, stored.steps, stored.variables) == (run.status, 2, {"pin": "***", "code": "***"})
    assert store.runs.get(run.id) == stored
