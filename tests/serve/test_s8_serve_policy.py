"""What a run of `flowlike serve` may reach: what `--allow` / `--allow-path` grant, as for `flowlike run`, and no
more (it ran every posted board allowing everything); a refused capability is the run's failure, not an HTTP error.
Jupyter's run API (`FlowlikeRuns.allow`, `allow_paths`) allows everything unless configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from serve_boards import Builder, flowlike_serve
from traitlets import TraitError

from flowlike_core import default_registry
from flowlike_core.cli import main
from flowlike_core.policy import Policy


class FileBuilder(Builder):
    registry = default_registry()


def writer_board(root: Path) -> None:
    """writes: writes 'hello' to the file its payload names, and returns the payload."""
    writes = FileBuilder("writes")
    event, path, write, back = (writes.add("events_generic"), writes.add("pathbuf_to_path"),
                                writes.add("write_string", content="hello"), writes.add("events_generic_return_result"))
    writes.wire(event, "exec_out", path, "exec_in")
    writes.wire(event, "payload", path, "pathbuf")
    writes.wire(path, "exec_out", write, "exec_in")
    writes.wire(path, "path", write, "path")
    writes.wire(write, "exec_out", back, "exec_in")
    writes.wire(event, "payload", back, "response")
    writes.save(root / "writes.board.json")


def test_a_served_run_may_write_only_where_serve_allows(tmp_path: Path) -> None:
    root, allowed = tmp_path / "boards", tmp_path / "allowed"
    writer_board(root)
    target = allowed / "out.txt"
    with flowlike_serve(root, "--no-history") as (client, _):
        answer = client.post("/flowlike/runs?wait=1", json={"board": "writes.board.json", "payload": str(target)})
        assert answer.status_code == 200 and answer.json()["status"] == "Failed", answer.text
        assert "outside the store and the allowed paths" in answer.json()["error"], answer.text
        assert "--allow-path" in answer.json()["error"] and not target.exists()
    with flowlike_serve(root, "--no-history", "--allow-path", str(allowed)) as (client, _):
        answer = client.post("/flowlike/runs?wait=1", json={"board": "writes.board.json", "payload": str(target)})
        assert answer.json()["status"] == "Success", answer.text
        assert target.read_text() == "hello"
        elsewhere = tmp_path / "elsewhere.txt"
        answer = client.post("/flowlike/runs?wait=1", json={"board": "writes.board.json", "payload": str(elsewhere)})
        assert answer.json()["status"] == "Failed" and not elsewhere.exists(), answer.text


def test_serve_reads_allow_as_run_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(tmp_path), "--allow", "everything"]) == 2
    assert "invalid choice: 'everything'" in capsys.readouterr().err


def test_jupyters_runs_allow_everything_unless_configured(tmp_path: Path) -> None:
    from flowlike_nb.kernel.server import FlowlikeRuns

    assert FlowlikeRuns().policy == Policy.everything()
    assert FlowlikeRuns(allow=["network"], allow_paths=[str(tmp_path)]).policy == Policy.of(["network"], [tmp_path])
    with pytest.raises(TraitError, match="unknown capability nope"):
        FlowlikeRuns(allow=["nope"])


def test_jupyters_run_api_goes_under_its_configured_policy(tmp_path: Path) -> None:
    from serve_boards import jupyter_server

    allowed = tmp_path / "allowed"
    writer_board(tmp_path / "root")
    with jupyter_server(tmp_path, "--FlowlikeRuns.allow=network", f"--FlowlikeRuns.allow_paths={allowed}") as (
            client, _):
        inside, outside = allowed / "out.txt", tmp_path / "outside.txt"
        answer = client.post("/flowlike/runs?wait=1", json={"board": "writes.board.json", "payload": str(inside)})
        assert answer.json()["status"] == "Success" and inside.read_text() == "hello", answer.text
        answer = client.post("/flowlike/runs?wait=1", json={"board": "writes.board.json", "payload": str(outside)})
        assert answer.json()["status"] == "Failed" and "outside the store" in answer.json()["error"], answer.text
        assert not outside.exists()
