"""The same run API inside the Jupyter server (the flowlike_nb extension), behind Jupyter's token."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serve_boards import SECRET, jupyter_server


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with jupyter_server(tmp_path_factory.mktemp("jupyter-runs")) as (client, _):
        yield client


def test_a_waiting_post_answers_with_the_result(jupyter: httpx.Client) -> None:
    answer = jupyter.post("/flowlike/runs", params={"wait": "1"},
                          json={"board": "hooks/echo.board.json", "payload": 4, "variables": {"offset": 1}})
    assert answer.status_code == 200 and (answer.json()["status"], answer.json()["result"]) == ("Success", 5)
    assert jupyter.get(f"/flowlike/runs/{answer.json()['id']}").json()["result"] == 5


def test_events_stream_and_delete_cancels(jupyter: httpx.Client) -> None:
    started = jupyter.post("/flowlike/runs", json={"board": "slow.board.json"})
    assert started.status_code == 201
    run_id = started.json()["id"]
    with jupyter.stream("GET", f"/flowlike/runs/{run_id}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data:") and '"node_name":"delay"' in line:
                assert jupyter.delete(f"/flowlike/runs/{run_id}").json()["status"] == "Cancelled"
            if line == "event: finished":
                break
    assert jupyter.get(f"/flowlike/runs/{run_id}").json()["status"] == "Cancelled"


def test_bad_input_failures_and_secrets(jupyter: httpx.Client) -> None:
    unknown = jupyter.post("/flowlike/runs", json={"board": "hooks/echo.board.json", "variables": {"nope": 1}})
    assert unknown.status_code == 400 and "nope" in unknown.json()["error"]
    wrong = jupyter.post("/flowlike/runs", json={"board": "hooks/echo.board.json", "variables": {"offset": "x"}})
    assert wrong.status_code == 422 and "does not fit" in wrong.json()["error"]
    assert jupyter.post("/flowlike/runs", json={"board": "gone.board.json"}).status_code == 404
    up = jupyter.post("/flowlike/runs", json={"board": "../x.board.json"})
    assert up.status_code == 400 and "'../x.board.json' goes up a folder ('..')" in up.json()["error"]
    failed = jupyter.post("/flowlike/runs?wait=1", json={"board": "fails.board.json", "payload": "{"})
    assert failed.status_code == 200 and failed.json()["status"] == "Failed"
    secret = jupyter.post("/flowlike/runs?wait=1", json={"board": "secret.board.json",
                                                          "variables": {"api_key": SECRET}})
    assert secret.json()["variables"] == {"api_key": "***"} and SECRET not in secret.text


def test_jupyter_refuses_runs_without_its_token(jupyter: httpx.Client) -> None:
    """With an "error" field, as every other refusal under /flowlike/ (it was {"message": "Forbidden"} alone)."""
    url = str(jupyter.base_url).rstrip("/")
    for answer in (httpx.post(f"{url}/flowlike/runs", json={"board": "hooks/echo.board.json"}),
                   httpx.get(f"{url}/flowlike/runs/x", headers={"Authorization": "token wrong"}),
                   httpx.get(f"{url}/flowlike/boards")):
        assert answer.status_code == 403 and answer.json()["error"] in {"Forbidden", "'_xsrf' argument missing from "
                                                                                   "POST"}, answer.text


def test_a_client_leaving_an_event_stream_early_leaves_the_run_and_server_well(jupyter: httpx.Client) -> None:
    run_id = jupyter.post("/flowlike/runs", json={"board": "slow.board.json"}).json()["id"]
    with jupyter.stream("GET", f"/flowlike/runs/{run_id}/events") as stream:
        assert next(stream.iter_lines()) == "event: start"
    assert jupyter.get(f"/flowlike/runs/{run_id}").json()["status"] == "Running"
    assert jupyter.delete(f"/flowlike/runs/{run_id}").json()["status"] == "Cancelled"
    assert jupyter.get("/api/status").status_code == 200


def test_a_request_body_over_the_limit_is_refused_as_by_flowlike_serve(jupyter: httpx.Client) -> None:
    from flowlike_core.service import MAX_REQUEST_BYTES

    big = b'{"board": "hooks/echo.board.json", "payload": "' + b"x" * MAX_REQUEST_BYTES + b'"}'
    answer = jupyter.post("/flowlike/runs", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert f"over the {MAX_REQUEST_BYTES:,} bytes a run request may have" in answer.json()["error"]


def test_the_runs_are_listed_as_by_flowlike_serve(jupyter: httpx.Client) -> None:
    run_id = jupyter.post("/flowlike/runs?wait=1", json={"board": "hooks/echo.board.json", "payload": 1}).json()["id"]
    listed = {run["id"]: run for run in jupyter.get("/flowlike/runs", params={"status": "Success"}).json()["runs"]}
    assert (listed[run_id]["board"], listed[run_id]["status"]) == ("hooks/echo.board.json", "Success")
    wrong = jupyter.get("/flowlike/runs", params={"status": "Sleeping"})
    assert wrong.status_code == 400 and "?status=Sleeping: not a run status" in wrong.json()["error"]
    assert run_id in {run["id"] for run in jupyter.get("/flowlike/runs", params={"status": "SUCCESS"}).json()["runs"]}


def test_stopping_jupyter_cancels_the_runs_going_and_keeps_them_in_the_run_history(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with jupyter_server(tmp_path, FLOWLIKE_STORE=str(store)) as (client, process):
        run_id = client.post("/flowlike/runs", json={"board": "slow.board.json"}).json()["id"]
        deadline = time.monotonic() + 60
        while client.get(f"/flowlike/runs/{run_id}").json()["steps"] < 3:
            assert time.monotonic() < deadline, "the run reaches its delay"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=25)  # the board's delay is 30 s: not waited for
    listed = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "runs", "--store", str(store), "--json"],
                            capture_output=True, text=True, timeout=120, check=True)
    assert {record["id"]: record["status"] for record in json.loads(listed.stdout)} == {run_id: "Cancelled"}


def test_the_routes_take_a_trailing_slash_as_in_flowlike_serve(jupyter: httpx.Client) -> None:
    """POST /flowlike/runs/ starts a run as /flowlike/runs does (it was Jupyter's HTML 403 page)."""
    answer = jupyter.post("/flowlike/runs/", params={"wait": "1"}, json={"board": "hooks/echo.board.json",
                                                                        "payload": 2})
    assert answer.status_code == 200 and answer.json()["result"] == 102, answer.text
    run_id = answer.json()["id"]
    assert run_id in {run["id"] for run in jupyter.get("/flowlike/runs/").json()["runs"]}
    assert jupyter.get(f"/flowlike/runs/{run_id}/").json()["result"] == 102
    assert jupyter.get(f"/flowlike/runs/{run_id}/events/").text.endswith("\n\n")
    assert jupyter.delete(f"/flowlike/runs/{run_id}/").json()["status"] == "Success"


def test_unknown_run_routes_and_methods_answer_json_naming_what_exists_as_in_flowlike_serve(
        jupyter: httpx.Client) -> None:
    """They were Jupyter's HTML 404 page, and a 405 {"message": "Method Not Allowed"}."""
    for method, path, status in [("GET", "/flowlike/runs/a/b/c", 404), ("POST", "/flowlike/runs/a/b", 404),
                                 ("PUT", "/flowlike/runs", 405), ("POST", "/flowlike/runs/x", 405)]:
        answer = jupyter.request(method, path)
        assert answer.status_code == status, (method, path, answer.text)
        assert answer.headers["content-type"].startswith("application/json"), (method, path, answer.text)
        assert f"{method} {path}" in answer.json()["error"] and "/flowlike/runs" in answer.json()["error"]


def test_runs_through_the_routes_land_in_the_store_its_setting_names(tmp_path: Path) -> None:
    """`FlowlikeRuns.store` is `flowlike serve --store`: it wins over $FLOWLIKE_STORE, as --store does."""
    store, other = tmp_path / "store", tmp_path / "env-store"
    with jupyter_server(tmp_path, f"--FlowlikeRuns.store={store}", FLOWLIKE_STORE=str(other)) as (client, _):
        answer = client.post("/flowlike/runs?wait=1", json={"board": "hooks/echo.board.json", "payload": 3})
        assert answer.status_code == 200 and answer.json()["result"] == 103, answer.text
        run_id = answer.json()["id"]
        deadline = time.monotonic() + 120
        while run_id not in (kept := kept_runs(store)):
            assert time.monotonic() < deadline, f"run {run_id} is not in the run history at {store}"
        assert kept[run_id] == 103 and run_id not in kept_runs(other)


def kept_runs(store: Path) -> dict[str, object]:
    """The run history at `store`, read by `flowlike runs`: run ids to results."""
    listed = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "runs", "--store", str(store), "--json"],
                            capture_output=True, text=True, timeout=120, check=True)
    return {record["id"]: record["result"] for record in json.loads(listed.stdout)}


def test_a_path_under_flowlike_no_route_serves_is_a_json_404_naming_it_and_the_routes(
        jupyter: httpx.Client) -> None:
    """They were Jupyter's HTML 404 page (and /flowlike/ a redirect to it)."""
    for method, path in [("GET", "/flowlike/nothing"), ("GET", "/flowlike"), ("GET", "/flowlike/"),
                         ("GET", "/flowlike/catalog/x"), ("POST", "/flowlike/boardsx"), ("DELETE", "/flowlike/a/b")]:
        answer = jupyter.request(method, path)
        assert answer.status_code == 404, (method, path, answer.text)
        assert answer.headers["content-type"].startswith("application/json"), (method, path, answer.text)
        error = answer.json()["error"]
        assert error.startswith(f"{method} {path}: not found; "), error
        assert all(route in error for route in ("GET /flowlike/catalog", "GET /flowlike/boards/PATH",
                                                "POST or GET /flowlike/runs", "GET /flowlike/runs/ID/events")), error


def test_the_catalog_and_boards_take_a_trailing_slash_and_name_the_routes_for_a_wrong_method(
        jupyter: httpx.Client) -> None:
    """/flowlike/boards/ was a 302 redirect, POST /flowlike/catalog a {"message": "Method Not Allowed"}."""
    boards = jupyter.get("/flowlike/boards/")
    assert boards.status_code == 200 and "hooks/echo.board.json" in {b["path"] for b in boards.json()["boards"]}
    assert jupyter.get("/flowlike/catalog/", params={"q": "int_add"}).status_code == 200
    wrong = jupyter.post("/flowlike/catalog")
    assert wrong.status_code == 405 and wrong.json()["error"].startswith("POST /flowlike/catalog: method not allowed")
    assert "GET /flowlike/boards" in wrong.json()["error"]


def test_a_store_setting_that_cannot_be_used_refuses_runs_naming_it_and_keeps_the_other_routes(
        tmp_path: Path) -> None:
    """The extension failed to load: every /flowlike/ path was Jupyter's HTML 404, the log alone said why."""
    config = tmp_path / "broken.toml"
    config.write_text("meta_url = [unclosed\n")
    with jupyter_server(tmp_path, f"--FlowlikeRuns.store={config}") as (client, _):
        answer = client.post("/flowlike/runs", json={"board": "hooks/echo.board.json"})
        assert answer.status_code == 503 and "retry-after" not in answer.headers, answer.text
        assert answer.json()["error"].startswith(f"FlowlikeRuns.store={config}: {config}: not a usable storage "
                                                 f"configuration"), answer.text
        assert "no run is started until it can be" in answer.json()["error"]
        assert client.get("/flowlike/runs").json() == {"runs": []}
        assert "hooks/echo.board.json" in {board["path"] for board in client.get("/flowlike/boards").json()["boards"]}


def test_the_boards_routes_refuse_with_an_error_field_as_the_run_api_does(jupyter: httpx.Client) -> None:
    """They answered {"message"} alone (Jupyter's field), the run routes {"error"}: a client read one or the other."""
    for path, status, said in [("/flowlike/boards/nope.board.json", 404, "no board file 'nope.board.json'"),
                               ("/flowlike/boards/%2e%2e/x.board.json", 400, "goes up a folder ('..')")]:
        answer = jupyter.get(path)
        assert answer.status_code == status and said in answer.json()["error"], answer.text
        assert answer.json()["message"] == answer.json()["error"]  # Jupyter's clients read "message"


def test_wait_as_a_bare_flag_waits_as_in_flowlike_serve(jupyter: httpx.Client) -> None:
    bare = jupyter.post("/flowlike/runs?wait", json={"board": "hooks/echo.board.json", "payload": 5})
    assert (bare.status_code, bare.json()["result"]) == (200, 105), bare.text
    wrong = jupyter.post("/flowlike/runs?wait=later", json={"board": "hooks/echo.board.json"})
    assert wrong.status_code == 400 and wrong.json()["error"].startswith("?wait=later: "), wrong.text


def test_the_links_of_a_run_lead_to_it_under_the_servers_base_url(tmp_path: Path) -> None:
    """They were /flowlike/runs/ID whatever the base URL: behind JupyterHub (/user/NAME/), a 404."""
    with jupyter_server(tmp_path, base_url="/user/ada/") as (client, _):
        started = client.post("/user/ada/flowlike/runs", json={"board": "hooks/echo.board.json", "payload": 1})
        assert started.status_code == 201, started.text
        links = started.json()["links"]
        assert links["record"] == f"/user/ada/flowlike/runs/{started.json()['id']}"
        assert client.get(links["record"]).status_code == 200
        assert client.get(links["events"]).text.endswith("\n\n")
        [listed] = client.get("/user/ada/flowlike/runs").json()["runs"]
        assert listed["links"] == links
