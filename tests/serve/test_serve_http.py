"""`flowlike serve` over real HTTP: runs, webhook results, events, cancel, auth, bad input, 50 at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from flowlike_files import flowlike_board
from serve_boards import SECRET, Served


def post(served: Served, body: Any, wait: bool = True) -> httpx.Response:
    return served.client.post("/flowlike/runs", params={"wait": "1"} if wait else None, json=body)


def test_a_generic_board_answers_a_waiting_post_with_its_result(served: Served) -> None:
    answer = post(served, {"board": "hooks/echo.board.json", "payload": 5, "variables": {"offset": 7}})
    assert answer.status_code == 200
    record = answer.json()
    assert (record["status"], record["result"], record["error"]) == ("Success", 12, None)
    assert record["variables"] == {"offset": 7}
    again = served.client.get(f"/flowlike/runs/{record['id']}")
    assert again.status_code == 200 and again.json()["result"] == 12


def test_a_post_without_wait_returns_the_run_id_and_the_record_comes_later(served: Served) -> None:
    answer = post(served, {"board": "hooks/echo.board.json", "payload": 1}, wait=False)
    assert answer.status_code == 201
    run_id = answer.json()["id"]
    assert answer.json()["links"]["record"] == f"/flowlike/runs/{run_id}"
    events = served.client.get(f"/flowlike/runs/{run_id}/events")
    assert events.headers["content-type"].startswith("text/event-stream")
    assert served.client.get(f"/flowlike/runs/{run_id}").json()["result"] == 101


def parse_events(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_events_stream_while_the_run_goes_and_a_delete_cancels_it(served: Served) -> None:
    run_id = post(served, {"board": "slow.board.json"}, wait=False).json()["id"]
    seen: list[tuple[str, Any]] = []
    with served.client.stream("GET", f"/flowlike/runs/{run_id}/events") as stream:
        block: dict[str, str] = {}
        for line in stream.iter_lines():
            if line:
                key, _, value = line.partition(": ")
                block[key] = value
                continue
            seen.append((block["event"], json.loads(block["data"])))
            block = {}
            if seen[-1][0] == "node_started" and seen[-1][1]["node_name"] == "delay":
                cancelled = served.client.delete(f"/flowlike/runs/{run_id}")
                assert cancelled.status_code == 200 and cancelled.json()["status"] == "Cancelled"
    kinds = [kind for kind, _ in seen]
    assert kinds[0] == "start" and kinds[-1] == "finished"
    assert ("log", {"level": "Info", "message": "waiting", "node_id": seen[kinds.index("log")][1]["node_id"]}) in seen
    assert seen[-1][1]["status"] == "Cancelled"
    late = parse_events(served.client.get(f"/flowlike/runs/{run_id}/events").text)
    assert late == seen  # a late subscriber gets the whole run, ending with its record


def test_a_failing_board_answers_with_its_error_record(served: Served) -> None:
    answer = post(served, {"board": "fails.board.json", "payload": "{nope"})
    assert answer.status_code == 200
    record = answer.json()
    assert record["status"] == "Failed"
    assert "not valid JSON" in record["error"] and record["error_node"]


def test_secrets_are_redacted_from_the_record_and_the_events(served: Served) -> None:
    answer = post(served, {"board": "secret.board.json", "variables": {"api_key": SECRET}})
    assert answer.json()["status"] == "Success"
    assert answer.json()["variables"] == {"api_key": "***"}
    assert [log["message"] for trace in answer.json()["traces"] for log in trace["logs"]] == ["***"]
    events = served.client.get(f"/flowlike/runs/{answer.json()['id']}/events").text
    assert SECRET not in events and SECRET not in answer.text
    assert '"message":"***"' in events


def test_bad_input_is_a_4xx_that_says_what(served: Served) -> None:
    cases = [
        ({"board": "nowhere.board.json"}, 404, "no board file 'nowhere.board.json'"),
        ({"board": "../etc/passwd.board.json"}, 400, "'../etc/passwd.board.json' goes up a folder ('..')"),
        ({"board": "hooks/../../x.board.json"}, 400, "goes up a folder ('..')"),
        ({"board": "/etc/passwd.board.json"}, 400, "'/etc/passwd.board.json' is absolute: board paths are relative"),
        ({"board": "hooks/echo.board.json", "variables": {"nope": 1}}, 400, "nope"),
        ({"board": "hooks/echo.board.json", "variables": {"offset": "seven"}}, 422, "does not fit"),
        ({"board": "hooks/echo.board.json", "start": "no such node"}, 400, "no such node"),
        ({"board": "hooks/echo.board.json", "colour": "red"}, 400, "unknown field 'colour' in the run request"),
        ({"board": "hooks/echo.board.json", "colour": "red", "size": 1}, 400,
         "unknown fields 'colour', 'size' in the run request"),
        ([1, 2], 400, "a run request is a JSON object"),
        ({}, 400, "needs 'board'"),
    ]
    for body, status, message in cases:
        answer = post(served, body)
        assert (answer.status_code, message in answer.json()["error"]) == (status, True), (body, answer.text)
    not_json = served.client.post("/flowlike/runs", content=b"{nope", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and "not JSON" in not_json.json()["error"]
    missing = served.client.get("/flowlike/runs/nope")
    assert missing.status_code == 404 and "no run 'nope'" in missing.json()["error"]
    for depth in (990, 100_000):  # near Python's recursion limit, and far over it
        deep = b'{"board": "hooks/echo.board.json", "payload": ' + b"[" * depth + b"]" * depth + b"}"
        answer = served.client.post("/flowlike/runs", content=deep)
        assert answer.status_code == 400 and "nested too deeply" in answer.json()["error"], answer.text
    for timeout in ("nan", "soon"):
        answer = served.client.post(f"/flowlike/runs?wait=1&timeout={timeout}", json={"board": "slow.board.json"})
        assert answer.status_code == 400 and f"?timeout={timeout}: not a number" in answer.json()["error"]


def test_unknown_routes_and_methods_answer_json_naming_what_exists(served: Served) -> None:
    for method, path, status in [("GET", "/flowlike/nothing", 404), ("GET", "/flowlike/runs/a/b/c", 404),
                                 ("PUT", "/flowlike/runs", 405), ("POST", "/flowlike/runs/x", 405)]:
        answer = served.client.request(method, path)
        assert answer.status_code == status, (method, path, answer.text)
        assert f"{method} {path}" in answer.json()["error"] and "/flowlike/runs" in answer.json()["error"]


def test_requests_without_the_token_are_refused(served: Served) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic c2VydmU="}):
        answer = httpx.post(f"{served.url}/flowlike/runs", json={"board": "hooks/echo.board.json"}, headers=headers)
        assert answer.status_code == 401 and "token" in answer.json()["error"]
        assert httpx.get(f"{served.url}/flowlike/runs/x", headers=headers).status_code == 401


def test_fifty_concurrent_posts_to_one_board_get_their_own_results(served: Served) -> None:
    def one(n: int) -> tuple[int, Any, str]:
        answer = post(served, {"board": "hooks/echo.board.json", "payload": n, "variables": {"offset": 1000 * n}})
        return answer.status_code, answer.json()["result"], answer.json()["id"]

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(one, range(50)))
    assert [(status, result) for status, result, _ in answers] == [(200, n + 1000 * n) for n in range(50)]
    assert len({run_id for _, _, run_id in answers}) == 50


def test_serve_refuses_to_listen_beyond_loopback_without_a_token(tmp_path: Any) -> None:
    env = {key: value for key, value in os.environ.items() if key != "FLOWLIKE_SERVE_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "serve", str(tmp_path), "--host", "0.0.0.0"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert "refusing to serve on 0.0.0.0 without a token" in done.stderr


def test_runs_over_http_land_in_the_run_history(served: Served) -> None:
    run_id = post(served, {"board": "hooks/echo.board.json", "payload": 2}).json()["id"]
    listed = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "runs", "--store", str(served.root / ".store"),
                             "--board", "echo", "--limit", "500", "--json"],
                            capture_output=True, text=True, timeout=120, check=True)
    kept = {record["id"]: record for record in json.loads(listed.stdout)}
    assert kept[run_id]["result"] == 102


def test_a_flowlike_board_file_runs_and_one_that_cannot_be_read_is_named(served: Served) -> None:
    folder = served.root / "flowlike"
    folder.mkdir()
    flowlike_board(folder)
    answer = post(served, {"board": "flowlike/counter.board", "start": "start", "variables": {"n": 9}})
    assert answer.status_code == 200 and (answer.json()["status"], answer.json()["result"]) == ("Success", 9)
    (folder / "damaged.board").write_bytes(b"\xff\xff\x00\x00garbage-bytes")
    answer = post(served, {"board": "flowlike/damaged.board"})
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("flowlike/damaged.board: not a Flow-Like file"), answer.json()


def test_a_request_body_over_the_limit_is_refused_without_reading_it_all(served: Served) -> None:
    from flowlike_core.service import MAX_REQUEST_BYTES

    big = b'{"board": "hooks/echo.board.json", "payload": "' + b"x" * MAX_REQUEST_BYTES + b'"}'
    answer = served.client.post("/flowlike/runs", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert f"over the {MAX_REQUEST_BYTES:,} bytes a run request may have" in answer.json()["error"]

    def chunks() -> Any:  # no Content-Length: the limit holds while reading
        yield big[:1000]
        yield big[1000:]

    answer = served.client.post("/flowlike/runs", content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and "a run request may have" in answer.json()["error"]


def test_the_runs_of_the_server_are_listed_newest_last_and_filtered_by_status(served: Served) -> None:
    done = post(served, {"board": "hooks/echo.board.json", "payload": 3}).json()["id"]
    going = post(served, {"board": "slow.board.json"}, wait=False).json()["id"]
    try:
        listed = served.client.get("/flowlike/runs").json()["runs"]
        by_id = {run["id"]: run for run in listed}
        assert by_id[done] | {"start": None, "end": None} == {
            "id": done, "board": "hooks/echo.board.json", "board_name": "echo", "status": "Success", "steps": 2,
            "start": None, "end": None, "links": {"record": f"/flowlike/runs/{done}",
                                                  "events": f"/flowlike/runs/{done}/events"}}
        assert [run["id"] for run in listed].index(done) < [run["id"] for run in listed].index(going)
        running = served.client.get("/flowlike/runs", params={"status": "Running"}).json()["runs"]
        assert going in {run["id"] for run in running} and done not in {run["id"] for run in running}
        wrong = served.client.get("/flowlike/runs", params={"status": "Sleeping"})
        assert wrong.status_code == 400 and "?status=Sleeping" in wrong.json()["error"]
        assert "Running" in wrong.json()["error"]
    finally:
        served.client.delete(f"/flowlike/runs/{going}")


def test_the_routes_take_a_trailing_slash(served: Served) -> None:
    """POST /flowlike/runs/ starts a run as /flowlike/runs does (it was a 307 redirect a POST does not follow)."""
    answer = served.client.post("/flowlike/runs/", params={"wait": "1"}, json={"board": "hooks/echo.board.json",
                                                                              "payload": 2})
    assert answer.status_code == 200 and answer.json()["result"] == 102, answer.text
    run_id = answer.json()["id"]
    assert run_id in {run["id"] for run in served.client.get("/flowlike/runs/").json()["runs"]}
    assert served.client.get(f"/flowlike/runs/{run_id}/").json()["result"] == 102
    assert served.client.get(f"/flowlike/runs/{run_id}/events/").text.endswith("\n\n")
    assert served.client.delete(f"/flowlike/runs/{run_id}/").json()["status"] == "Success"


def test_a_head_request_for_a_running_runs_events_answers_at_once(served: Served) -> None:
    """It streamed (unseen) until the run ended, 30 s here, holding its connection and what came next on it."""
    run_id = post(served, {"board": "slow.board.json"}, wait=False).json()["id"]
    try:
        answer = served.client.head(f"/flowlike/runs/{run_id}/events", timeout=15)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/event-stream")
        assert served.client.get(f"/flowlike/runs/{run_id}").json()["status"] == "Running"
    finally:
        served.client.delete(f"/flowlike/runs/{run_id}")
