"""The `flowlike_nb` jupyter_server extension: enabled by the shipped config, serves catalog and boards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flowlike_files import flowlike_board

import flowlike_nb as fnb

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "jupyter-config" / "jupyter_server_config.d" / "flowlike_nb.json"
TOKEN = "flowlike-test-token"


def test_the_config_file_enables_the_extension_and_is_installed() -> None:
    assert json.loads(CONFIG.read_text())["ServerApp"]["jpserver_extensions"] == {"flowlike_nb": True}
    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    assert str(CONFIG.relative_to(ROOT)) in data_files["etc/jupyter/jupyter_server_config.d"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("server")
    root = home / "root"
    (root / "boards").mkdir(parents=True)
    board = fnb.Board("served")
    board.add("events_simple", "start").outputs.exec_out >> board.add("log_info", "say").inputs.exec_in
    board.save(root / "boards" / "served.board.json")
    (root / "broken.board.json").write_text("{nope")
    outside = home / "outside"
    outside.mkdir()
    board.save(outside / "secret.board.json")
    (root / "leak.board.json").symlink_to(outside / "secret.board.json")
    (root / "leaked").symlink_to(outside, target_is_directory=True)
    (root / "inner-link.board.json").symlink_to(root / "boards" / "served.board.json")
    board.save(root / ".hidden.board.json")
    (root / ".git").mkdir()
    board.save(root / ".git" / "kept.board.json")
    os.mkfifo(root / "pipe.board.json")
    with (root / "huge.board.json").open("wb") as huge:
        huge.truncate(21 * 1024 * 1024)  # sparse: over the limit without filling the disk
    (root / "latin1.board.json").write_bytes(b'{"name": "caf\xe9"}')
    (root / "flow").mkdir()
    flowlike_board(root / "flow")  # Flow-Like's own .board: counter.board
    (root / "damaged.board").write_bytes(b"\xff\xff\x00\x00garbage-bytes")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython"),
           "JUPYTER_CONFIG_PATH": str(CONFIG.parent.parent)}
    process = subprocess.Popen(  # --port=0: the OS picks a free port; the server writes its URL in its runtime file
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--port=0", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=(home / "server.log").open("w"))
    server_info = home / "runtime" / f"jpserver-{process.pid}.json"
    try:
        deadline = time.monotonic() + 180  # a busy CI machine starts Jupyter slowly
        while True:
            try:
                url = json.loads(server_info.read_text())["url"].rstrip("/")
                get(url, "/api/status")
                break
            except (OSError, ValueError, KeyError):  # no URL written yet (or in part), not answering yet
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((home / "server.log").read_text()) from None
                time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def get(url: str, path: str, token: str | None = TOKEN) -> dict:
    request = urllib.request.Request(url + path, headers={"Authorization": f"token {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=60) as response:  # the first catalog loads every pack
        return json.loads(response.read())


def test_catalog_is_served(server: str) -> None:
    nodes = {entry["name"]: entry for entry in get(server, "/flowlike/catalog")["nodes"]}
    assert {"events_simple", "control_branch", "log_info"} <= set(nodes)
    assert [p["name"] for p in nodes["control_branch"]["pins"]][:4] == ["exec_in", "condition", "true", "false"]
    found = get(server, "/flowlike/catalog?q=branch")["nodes"]
    assert "control_branch" in [n["name"] for n in found] and "log_info" not in [n["name"] for n in found]


def test_boards_are_listed_and_served(server: str) -> None:
    listing = {b["path"]: b for b in get(server, "/flowlike/boards")["boards"]}
    assert listing["boards/served.board.json"]["nodes"] == 2
    assert "not valid JSON" in listing["broken.board.json"]["error"]
    document = get(server, "/flowlike/boards/boards/served.board.json")
    assert document["name"] == "served" and len(document["connections"]) == 1


def test_outside_the_root_and_without_a_token_is_refused(server: str) -> None:
    code, body = status_of(server, "/flowlike/boards/..%2F..%2Fetc%2Fpasswd.board.json")
    assert code == 400 and "'../../etc/passwd.board.json' goes up a folder ('..')" in body["message"]
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        get(server, "/flowlike/catalog", token=None)
    assert anonymous.value.code == 403


def status_of(url: str, path: str) -> tuple[int, dict]:
    try:
        return 200, get(url, path)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_listing_names_only_regular_visible_files_inside_the_root(server: str) -> None:
    listing = {b["path"]: b for b in get(server, "/flowlike/boards")["boards"]}
    assert "leak.board.json" not in listing and not any(p.startswith("leaked/") for p in listing)
    assert not any(part.startswith(".") for p in listing for part in p.split("/"))
    assert "pipe.board.json" not in listing, "a FIFO is not read (opening it would block)"
    assert listing["inner-link.board.json"]["nodes"] == 2, "a symlink that stays inside the root is fine"
    assert "over the 20,971,520 a board may have" in listing["huge.board.json"]["error"]
    assert "not UTF-8" in listing["latin1.board.json"]["error"]


@pytest.mark.parametrize(("path", "status"), [
    ("/flowlike/boards/leak.board.json", 404), ("/flowlike/boards/leaked/secret.board.json", 404),
    ("/flowlike/boards/.hidden.board.json", 404), ("/flowlike/boards/.git/kept.board.json", 404),
    ("/flowlike/boards/bad%00name.board.json", 400), ("/flowlike/boards/pipe.board.json", 415),
    ("/flowlike/boards/huge.board.json", 413), ("/flowlike/boards/latin1.board.json", 422),
    ("/flowlike/boards/broken.board.json", 422), ("/flowlike/boards/missing.board.json", 404),
    ("/flowlike/boards/damaged.board", 422), ("/flowlike/boards/flow/counter.json", 404),
])
def test_refusals_are_json_4xx(server: str, path: str, status: int) -> None:
    code, body = status_of(server, path)
    assert (code, bool(body.get("message"))) == (status, True), body
    assert "outside" not in json.dumps(body), "nothing about files outside the root"


def test_flowlike_board_files_are_listed_served_and_run_as_every_entry_point_opens_them(server: str) -> None:
    listing = {b["path"]: b for b in get(server, "/flowlike/boards")["boards"]}
    assert listing["flow/counter.board"] == {"path": "flow/counter.board", "name": "counter", "nodes": 4, "wires": 2,
                                             "format": ".board, current pin layout", "placeholders": 1}
    assert listing["damaged.board"]["error"].startswith("damaged.board: not a Flow-Like file")
    assert listing["boards/served.board.json"]["nodes"] == 2, "one unreadable file does not fail the listing"
    assert "flow/counter.json" not in listing, "only board files are listed"
    document = get(server, "/flowlike/boards/flow/counter.board")
    assert document["name"] == "counter" and len(document["nodes"]) == 4
    code, body = status_of(server, "/flowlike/boards/damaged.board")
    assert code == 422 and body["message"].startswith("damaged.board: not a Flow-Like file"), body
    request = urllib.request.Request(
        server + "/flowlike/runs?wait=1", method="POST", headers={"Authorization": f"token {TOKEN}"},
        data=json.dumps({"board": "flow/counter.board", "start": "start", "variables": {"n": 5}}).encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        record = json.loads(response.read())
    assert (record["status"], record["result"]) == ("Success", 5)
