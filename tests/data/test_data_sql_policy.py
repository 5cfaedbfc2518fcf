"""SQL text names files itself: under a run's policy, DuckDB opens the store and the allowed roots only."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_boards import REGISTRY, Flow

from flowlike_core import RunStatus
from flowlike_core.policy import Policy


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    allowed, outside = tmp_path / "allowed", tmp_path / "outside"
    for folder in (allowed, outside):
        folder.mkdir()
        (folder / "x.csv").write_text("a,b\n1,2\n")
    return allowed, outside


def failure(flow: Flow, policy: Policy) -> str:
    run = flow.board.run(registry=REGISTRY, policy=policy)
    assert run.status is RunStatus.FAILED, run.status
    return str(run.error)


def sql_board(query: str) -> tuple[Flow, str]:
    flow = Flow()
    flow.step("df_create_session")
    return flow, flow.step("df_sql_query", query=query).label()


def test_sql_reads_inside_the_allowed_roots_and_is_refused_outside(roots: tuple[Path, Path]) -> None:
    allowed, outside = roots
    policy = Policy.of(paths=[allowed])
    inside, _ = sql_board(f"SELECT * FROM read_csv('{allowed / 'x.csv'}')")
    assert inside.board.run(registry=REGISTRY, policy=policy).ok
    for query in (f"SELECT * FROM read_csv('{outside / 'x.csv'}')", "SELECT * FROM read_text('/etc/passwd')",
                  f"SELECT * FROM read_csv('{allowed}/../outside/x.csv')",
                  f"COPY (SELECT 1 AS a) TO '{outside / 'out.csv'}'", f"ATTACH '{outside / 'db.duckdb'}' AS other",
                  f"SELECT * FROM glob('{outside}/*')"):
        flow, label = sql_board(query)
        error = failure(flow, policy)
        refused = f"node {label} failed: CapabilityRefused: the SQL reaches outside what this run allows"
        assert refused in error and "--allow-path DIR" in error, (query, error)
    assert not (outside / "out.csv").exists() and not (outside / "db.duckdb").exists()


def test_sql_cannot_undo_its_confinement(roots: tuple[Path, Path]) -> None:
    allowed, outside = roots
    for statement in ("SET enable_external_access = true", f"SET allowed_directories = ['{outside}/']",
                      "LOAD httpfs"):
        flow, label = sql_board(statement)
        flow.step("df_sql_query", query=f"SELECT * FROM read_csv('{outside / 'x.csv'}')")
        error = failure(flow, Policy.of(paths=[allowed]))
        assert f"node {label} failed" in error, (statement, error)


def test_urls_need_the_network_allowed_and_an_allowed_root(roots: tuple[Path, Path]) -> None:
    url = "http://127.0.0.1:9/data/"
    flow, label = sql_board(f"SELECT * FROM read_csv('{url}x.csv')")
    for policy in (Policy.of(paths=[roots[0], url]), Policy.of(allow=["network"]), Policy.of(allow=["files"])):
        error = failure(flow, policy)
        assert f"node {label} failed: CapabilityRefused: the SQL reaches outside what this run allows" in error
        assert f'Cannot access file "{url}x.csv"' in error
    # allowed: DuckDB tries (its http reader cannot be installed offline, which is another error)
    assert "reaches outside what this run allows" not in failure(flow, Policy.of(allow=["network"], paths=[url]))


def test_files_allowed_or_no_policy_reach_every_local_file(roots: tuple[Path, Path]) -> None:
    outside = roots[1]
    flow, _ = sql_board(f"SELECT * FROM read_csv('{outside / 'x.csv'}')")
    assert flow.board.run(registry=REGISTRY, policy=Policy.of(allow=["files"])).ok
    assert flow.board.run(registry=REGISTRY).ok  # a notebook's run: the user wrote the board


def test_table_conditions_and_duckdb_databases_are_confined_too(roots: tuple[Path, Path]) -> None:
    allowed, outside = roots
    policy = Policy.of(paths=[allowed])
    flow = Flow()
    table = flow.add("table_filter", table={"a": [1, 2]},
                     condition=f"a IN (SELECT a FROM read_csv('{outside / 'x.csv'}'))")
    flow.step("log_info", message=(table, "table"))
    assert "the SQL reaches outside what this run allows" in failure(flow, policy)

    flow = Flow()
    flow.step("db_query", url=f"duckdb:///{allowed / 'local.duckdb'}",
              query=f"SELECT * FROM read_csv('{outside / 'x.csv'}')")
    assert "the SQL reaches outside what this run allows" in failure(flow, Policy.of(allow=["network"],
                                                                                        paths=[allowed]))


def test_sqlite_attaches_only_allowed_files(roots: tuple[Path, Path]) -> None:
    allowed, outside = roots
    policy = Policy.of(allow=["network"], paths=[allowed])
    url = f"sqlite:///{allowed / 'local.db'}"
    for statement in (f"ATTACH '{outside / 'other.db'}' AS other", f"VACUUM INTO '{outside / 'copy.db'}'",
                      f"ATTACH 'file:{outside / 'other.db'}?mode=rwc' AS other"):
        flow = Flow()
        flow.step("db_execute", url=url, statement=statement)
        assert "the SQL reaches outside what this run allows" in failure(flow, policy), statement
    assert not (outside / "other.db").exists() and not (outside / "copy.db").exists()
    flow = Flow()
    flow.step("db_execute", url=url, statement=f"ATTACH '{allowed / 'other.db'}' AS other")
    assert flow.board.run(registry=REGISTRY, policy=policy).ok and (allowed / "other.db").exists()


def test_flowlike_run_confines_sql_to_the_store_unless_told(roots: tuple[Path, Path], tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from flowlike_core.cli import main

    outside = roots[1]
    flow, label = sql_board(f"SELECT * FROM read_csv('{outside / 'x.csv'}')")
    path = flow.board.save(tmp_path / "sql.board.json")
    assert main(["run", str(path), "--no-history"]) == 1
    out = capsys.readouterr().out
    assert f"error: node {label} was refused: the SQL reaches outside what this run allows" in out
    assert "Traceback" not in out
    assert main(["run", str(path), "--no-history", "--allow-path", str(outside)]) == 0
