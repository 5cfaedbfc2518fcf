"""Databricks nodes against a local server speaking the workspace's REST APIs (Jobs 2.1, Clusters, SQL Warehouses,
SQL Statement Execution, DBFS 2.0, Unity Catalog 2.1, OAuth client credentials): what each node sent, and what
it made of the answer."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from data_boards import ServiceFlow, one
from fake_databricks import CLIENT_ID, CLIENT_SECRET, FILE, PAT, SP_TOKEN
from flowlike_catalog.data import databricks


def pat(workspace: Any, token: str = PAT) -> ServiceFlow:
    return ServiceFlow("data_databricks_provider_pat", token=token, workspace_url=workspace.url)


def sent(workspace: Any, path_end: str) -> list[dict[str, Any]]:
    return [r for r in workspace.requests if r["path"].endswith(path_end)]


def with_error_wired(board: ServiceFlow, node: Any) -> Any:
    board.flow.wire(node, "error", board.flow.add("log_info"), "exec_in")
    return node


def test_providers_check_their_inputs_and_keep_the_token_secret() -> None:
    provider = databricks.data_databricks_provider_pat.func("dapi-secret", "https://adb-1.2.azuredatabricks.net/")
    assert provider.workspace_url == "https://adb-1.2.azuredatabricks.net"
    assert "dapi-secret" not in json.dumps(provider.model_dump(mode="json")) and "dapi-secret" not in repr(provider)
    assert databricks.data_databricks_provider_token.func("eyJ", "https://x.cloud.databricks.com").token \
        .get_secret_value() == "eyJ"
    assert databricks.data_databricks_provider_oauth.func("https://x.cloud.databricks.com", "u2m").token \
        .get_secret_value() == "u2m"
    with pytest.raises(ValueError, match="token is empty"):
        databricks.data_databricks_provider_pat.func("", "https://x")
    with pytest.raises(ValueError, match="must start with https://"):
        databricks.data_databricks_provider_pat.func("t", "adb-1.azuredatabricks.net")


def test_jobs_and_runs(workspace) -> None:
    board = pat(workspace)
    listed = board.step("data_databricks_list_jobs", limit=2)
    named = board.step("data_databricks_list_jobs", name="report")
    started = board.step("data_databricks_run_job", job_id=101, job_parameters={"date": "2026-03-02", "full": True})
    running = board.step("data_databricks_get_job_run", run_id=900)
    board.step("data_databricks_cancel_job_run", run_id=900)
    ended = board.step("data_databricks_get_job_run", run_id=900)
    run = board.run()
    jobs = board.outputs(run, listed)
    assert [j["name"] for j in jobs["jobs"]] == ["Nightly ETL", "Report"] and jobs["count"] == 2 and jobs["has_more"]
    assert sent(workspace, "/jobs/list")[0]["query"] == {"limit": "2", "offset": "0"}
    assert [j["job_id"] for j in board.outputs(run, named)["jobs"]] == [101]
    assert board.outputs(run, started)["run_id"] == 900
    assert sent(workspace, "/run-now")[0]["json"] == {"job_id": 101, "job_parameters": {"date": "2026-03-02",
                                                                                       "full": "true"}}
    now = board.outputs(run, running)
    assert (now["is_running"], now["is_successful"], now["error_message"]) == (True, False, "")
    assert sent(workspace, "/runs/cancel")[0]["json"] == {"run_id": 900}
    after = board.outputs(run, ended)
    assert (after["is_running"], after["is_successful"]) == (False, False)
    assert after["run"]["state"]["result_state"] == "CANCELED"
    assert sent(workspace, "/runs/get")[0]["headers"]["authorization"] == f"Bearer {PAT}"


def test_errors_fire_error_with_databricks_code_and_message(workspace) -> None:
    board = pat(workspace)
    started = with_error_wired(board, board.step("data_databricks_run_job", job_id=7))
    run = board.run()
    assert run.output(started.id, "error_message") == ("Databricks answered 400 to POST /api/2.1/jobs/run-now: "
                                                       "INVALID_PARAMETER_VALUE: Job 7 does not exist.")
    board = pat(workspace, token="wrong")
    board.step("data_databricks_list_clusters")
    assert "UNAUTHENTICATED: Invalid access token." in board.flow.failure()


def test_clusters_and_warehouses(workspace) -> None:
    board = pat(workspace)
    listed = board.step("data_databricks_list_clusters")
    board.step("data_databricks_start_cluster", cluster_id="0302-ab")
    got = board.step("data_databricks_get_cluster", cluster_id="0302-ab")
    board.step("data_databricks_stop_cluster", cluster_id="0302-ab")
    warehouses = board.step("data_databricks_list_sql_warehouses")
    board.step("data_databricks_start_sql_warehouse", warehouse_id="wh1")
    board.step("data_databricks_stop_sql_warehouse", warehouse_id="wh1")
    run = board.run()
    assert board.outputs(run, listed)["count"] == 1
    assert board.outputs(run, got)["cluster"]["state"] == "PENDING"
    assert sent(workspace, "/clusters/get")[0]["query"] == {"cluster_id": "0302-ab"}
    assert [r["json"] for r in sent(workspace, "/clusters/delete")] == [{"cluster_id": "0302-ab"}]
    assert workspace.clusters["0302-ab"]["state"] == "TERMINATING"
    assert board.outputs(run, warehouses)["warehouses"][0]["cluster_size"] == "2X-Small"
    assert [r["path"] for r in workspace.requests[-2:]] == ["/api/2.0/sql/warehouses/wh1/start",
                                                           "/api/2.0/sql/warehouses/wh1/stop"]
    board = pat(workspace)
    missing = with_error_wired(board, board.step("data_databricks_get_cluster", cluster_id="nope"))
    assert "Cluster nope does not exist" in board.run().output(missing.id, "error_message")


def test_sql_statement_follows_chunks_and_types_values(workspace) -> None:
    board = pat(workspace)
    query = board.step("data_databricks_execute_sql", warehouse_id="wh1", statement="SELECT * FROM trips",
                       catalog="main", schema="sales", wait_timeout="30s")
    run = board.run()
    got = board.outputs(run, query)
    assert got["row_count"] == 5
    assert got["rows"][0] == {"id": 1, "fare": 12.5, "paid": True, "note": "airport"}
    assert got["rows"][4] == {"id": 5, "fare": None, "paid": False, "note": "cancelled"}
    result = got["result"]
    assert (result["statement_id"], result["status"], result["truncated"]) == ("st-1", "SUCCEEDED", False)
    assert [c["type_name"] for c in result["columns"]] == ["INT", "DOUBLE", "BOOLEAN", "STRING"]
    assert sent(workspace, "/sql/statements")[0]["json"] == {
        "warehouse_id": "wh1", "statement": "SELECT * FROM trips", "wait_timeout": "30s", "on_wait_timeout": "CANCEL",
        "row_limit": 10000, "format": "JSON_ARRAY", "disposition": "INLINE", "catalog": "main", "schema": "sales"}
    assert sent(workspace, "/result/chunks/1")[0]["method"] == "GET"
    board = pat(workspace)
    limited = board.step("data_databricks_execute_sql", warehouse_id="wh1", statement="SELECT * FROM trips",
                         row_limit=2)
    assert board.outputs(board.run(), limited)["result"]["truncated"]


@pytest.mark.parametrize(("statement", "warehouse", "expected"), [
    ("SELEC 1", "wh1", "statement st-bad ended FAILED: BAD_REQUEST: [PARSE_SYNTAX_ERROR] Syntax error"),
    ("SELECT sleep", "wh1", "statement st-late ended CANCELED (not finished within wait_timeout?)"),
    ("SELECT 1", "wh9", "Databricks answered 404 to POST /api/2.0/sql/statements: RESOURCE_DOES_NOT_EXIST"),
])
def test_sql_statement_failures_fire_error(workspace, statement, warehouse, expected) -> None:
    board = pat(workspace)
    query = with_error_wired(board, board.step("data_databricks_execute_sql", warehouse_id=warehouse,
                                               statement=statement))
    assert expected in board.run().output(query.id, "error_message")


def test_dbfs(workspace) -> None:
    board = pat(workspace)
    root = board.step("data_databricks_list_dbfs")
    folder = board.step("data_databricks_list_dbfs", path="dbfs:/FileStore")
    found = board.step("data_databricks_get_dbfs_status", path="/FileStore/people.csv")
    absent = board.step("data_databricks_get_dbfs_status", path="/FileStore/none.csv")
    part = board.step("data_databricks_read_dbfs", path="/FileStore/people.csv", offset=8, length=5)
    run = board.run()
    assert [f["path"] for f in board.outputs(run, root)["files"]] == ["/FileStore"]
    assert board.outputs(run, folder)["count"] == 1 and sent(workspace, "/dbfs/list")[1]["query"] == {
        "path": "/FileStore"}
    status = board.outputs(run, found)
    assert status["exists"] and status["file_info"]["file_size"] == len(FILE)
    assert board.outputs(run, absent)["exists"] is False
    read = board.outputs(run, part)
    assert base64.b64decode(read["content"]) == FILE[8:13] and read["bytes_read"] == 5
    assert sent(workspace, "/dbfs/read")[0]["query"] == {"path": "/FileStore/people.csv", "offset": "8",
                                                         "length": "5"}
    board = pat(workspace)
    board.step("data_databricks_list_dbfs", path="FileStore")
    assert "a DBFS path is absolute" in board.flow.failure()


def test_cluster_list_follows_page_tokens(workspace) -> None:
    for n in range(4):  # five clusters: three pages of two
        workspace.clusters[f"c{n}"] = {"cluster_id": f"c{n}", "cluster_name": f"c{n}", "state": "RUNNING"}
    listed = one(pat(workspace), "data_databricks_list_clusters")
    assert [c["cluster_id"] for c in listed["clusters"]] == ["0302-ab", "c0", "c1", "c2", "c3"]
    assert [r["query"].get("page_token") for r in sent(workspace, "/clusters/list")] == [None, "2", "4"]


def test_unity_catalog_follows_page_tokens(workspace) -> None:
    board = pat(workspace)
    catalogs = board.step("data_databricks_list_catalogs")
    schemas = board.step("data_databricks_list_schemas", catalog_name="main")
    tables = board.step("data_databricks_list_tables", catalog_name="main", schema_name="sales")
    wrong = with_error_wired(board, board.step("data_databricks_list_schemas", catalog_name="nope"))
    run = board.run()
    assert [c["name"] for c in board.outputs(run, catalogs)["catalogs"]] == ["main", "samples", "system"]
    assert [r["query"].get("page_token") for r in sent(workspace, "/catalogs")] == [None, "2"]
    assert board.outputs(run, schemas)["count"] == 3
    assert board.outputs(run, tables)["tables"][0]["data_source_format"] == "DELTA"
    assert "CATALOG_DOES_NOT_EXIST" in run.output(wrong.id, "error_message")


def test_service_principal_gets_a_token_then_calls_with_it(workspace) -> None:
    flow = ServiceFlow("data_databricks_provider_service_principal", client_id=CLIENT_ID,
                       client_secret=CLIENT_SECRET, workspace_url=workspace.url)
    flow.flow.wire(flow.flow.last, "exec_out", flow.provider, "exec_in")
    flow.flow.last = flow.provider
    jobs = flow.step("data_databricks_list_jobs")
    run = flow.run()
    assert flow.outputs(run, jobs)["count"] == 3
    exchange = sent(workspace, "/oidc/v1/token")[0]
    assert exchange["body"] == "grant_type=client_credentials&scope=all-apis"
    assert exchange["headers"]["authorization"] == "Basic " + base64.b64encode(
        f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert sent(workspace, "/jobs/list")[0]["headers"]["authorization"] == f"Bearer {SP_TOKEN}"
    account = ServiceFlow("data_databricks_provider_service_principal", client_id=CLIENT_ID, client_secret="bad",
                          workspace_url=workspace.url, account_id="acc-1", accounts_url=workspace.url)
    account.flow.wire(account.flow.last, "exec_out", account.provider, "exec_in")
    account.flow.wire(account.provider, "error", account.flow.add("log_info"), "exec_in")
    run = account.flow.run()
    assert run.output(account.provider.id, "error_message") == ("the token endpoint answered 401: invalid_client: "
                                                               "Client authentication failed")
    assert sent(workspace, "/oidc/accounts/acc-1/v1/token")
