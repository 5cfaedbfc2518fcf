"""Agents with MCP tools: a real MCP server (mcp_server.py, over stdio, Streamable HTTP and SSE) and the scripted
chat server; the tool runs on the server, its answer reaches the model, and the server's process ends with the run."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flowlike_catalog.llm.agents import agent_register_mcp_tools
from flowlike_catalog.llm.structs import Agent, LanguageModel, McpServer
from flowlike_catalog.llm.testing import Recorded, Reply
from local_ports import free_port

from flowlike_core import DataType, RunStatus, Variable, commands, start_run
from flowlike_core.policy import Policy

SERVER = Path(__file__).with_name("mcp_server.py")
DEADLINE = 30.0


def stdio_uri(notes: Path) -> str:
    return "stdio:" + shlex.join([sys.executable, str(SERVER), str(notes), "stdio"])


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"waited {DEADLINE} s for {what}"
        time.sleep(0.05)


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


@pytest.fixture(scope="module", params=["streamable-http", "sse"])
def http_server(request, tmp_path_factory) -> Iterator[tuple[str, Path, int]]:
    """The MCP server as an HTTP process on a free port: its URL, its notes file and its process id."""
    folder = tmp_path_factory.mktemp("mcp-http")
    notes, port = folder / "notes.txt", free_port()
    with open(folder / "stderr.txt", "w") as stderr:
        process = subprocess.Popen([sys.executable, str(SERVER), str(notes), request.param, str(port)],
                                   stdout=subprocess.DEVNULL, stderr=stderr)

    def listening() -> bool:
        assert process.poll() is None, (folder / "stderr.txt").read_text()
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_for(listening, f"the MCP server on port {port}")
        yield f"http://127.0.0.1:{port}/{'mcp' if request.param == 'streamable-http' else 'sse'}", notes, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def mcp_board(b, server, uri: str, **register) -> None:
    """Start -> Invoke Agent (a model and the server's tools) -> return the answer's text."""
    model = b.provider(server, "openai")
    agent = b.add("agent_from_model", max_iter=4)
    mcp = b.add("agent_register_mcp_tools", uri=uri, **register)
    history = b.add("ai_generative_history_from_string", message="Go")
    invoke, content = b.add("agent_invoke"), b.add("ai_generative_llm_response_last_content")
    start, back = b.add("events_simple"), b.add("events_generic_return_result")
    b.wire(model, "model", agent, "model")
    b.wire(agent, "agent_out", mcp, "agent_in")
    b.wire(mcp, "agent_out", invoke, "agent")
    b.wire(history, "history", invoke, "history")
    b.wire(invoke, "response", content, "response")
    b.wire(content, "content", back, "response")
    b.chain(start, model, invoke, back)


def mcp_run(b, server, uri: str, **register):
    mcp_board(b, server, uri, **register)
    return b.run()


def tool_answers(request: Recorded) -> Reply:
    """The model repeats what the tools answered since its last turn."""
    answers = []
    for message in reversed(request.body["messages"]):
        if message["role"] != "tool":
            break
        answers.insert(0, message["content"])
    return Reply(" | ".join(answers))


def server_pid(answer: str) -> int:
    return int(re.search(r"in process (\d+)", answer).group(1))


def test_a_stdio_server_runs_the_tools_in_one_process_that_ends_with_the_run(b, server, tmp_path):
    notes = tmp_path / "notes.txt"
    server.expect(Reply(tool_calls=[("note", {"text": "hello"})]),
                  Reply(tool_calls=[("note", {"text": "again"}), ("text_shout", {"text": "hi"})]), tool_answers)
    run = mcp_run(b, server, stdio_uri(notes))
    run.raise_for_status()
    assert notes.read_text() == "hello\nagain\n"
    first = server.requests[1].last_text()
    pid = server_pid(first)
    assert first == f"noted 'hello' in process {pid}"
    assert run.result == f"noted 'again' in process {pid} | HI"  # one session for the whole agent run
    offered = {tool["function"]["name"]: tool["function"] for tool in server.requests[0].body["tools"]}
    assert list(offered) == ["note", "add", "text_shout", "fail", "crash", "nap"]
    assert offered["note"]["description"] == "Write a line into the server's notes."
    assert offered["add"]["parameters"]["properties"]["a"]["type"] == "integer"
    assert f"MCP server {stdio_uri(notes)}: tools note, add, text_shout, fail, crash, nap" in b.messages(run)
    wait_for(lambda: gone(pid), f"the server process {pid} to end")


def test_an_http_server_runs_the_tools(b, server, http_server):
    url, notes, pid = http_server
    text = f"over http {uuid.uuid4().hex}"
    server.expect(Reply(tool_calls=[("note", {"text": text}), ("add", {"a": 2, "b": 3})]), tool_answers)
    run = mcp_run(b, server, url)
    run.raise_for_status()
    assert run.result == f"noted {text!r} in process {pid} | 5"
    assert text in notes.read_text().splitlines()


def test_manual_mode_offers_only_the_tools_named(b, server, http_server):
    server.expect(lambda request: Reply(",".join(tool["function"]["name"] for tool in request.body["tools"])))
    run = mcp_run(b, server, http_server[0], mode="Manual", tools=["text.shout", "add"])
    run.raise_for_status()
    assert run.result == "add,text_shout"


def test_a_failing_tool_and_a_late_one_give_the_model_errors_naming_server_and_tool(b, server, http_server):
    uri = http_server[0]
    server.expect(Reply(tool_calls=[("fail", {"reason": "no luck"}), ("nap", {"seconds": 120})]), tool_answers)
    run = mcp_run(b, server, uri, timeout=2)
    run.raise_for_status()
    assert run.result == (f"error: MCP server {uri!r}: tool 'fail' failed: Error executing tool fail: no luck | "
                          f"error: MCP server {uri!r}: tool 'nap' failed: no answer within 2 s")
    assert f"tool nap failed: MCP server {uri!r}: tool 'nap' failed: no answer within 2 s" in b.messages(run)


def test_a_server_that_crashes_is_named_with_its_last_words(b, server, tmp_path):
    uri = stdio_uri(tmp_path / "notes.txt")
    server.expect(Reply(tool_calls=[("crash", {})]), Reply(tool_calls=[("add", {"a": 1, "b": 1})]), tool_answers)
    run = mcp_run(b, server, uri)
    run.raise_for_status()
    closed = f"error: MCP server {uri!r}: tool '{{}}' failed: the server closed the connection (the server's " \
             "error output ends: crashing on purpose)"
    assert server.requests[1].last_text() == closed.format("crash")
    assert run.result == closed.format("add")


def test_the_server_process_ends_when_the_run_fails(b, server, tmp_path):
    server.expect(Reply(tool_calls=[("note", {"text": "x"})]), Reply(status=500))
    run = mcp_run(b, server, stdio_uri(tmp_path / "notes.txt"))
    assert run.error is not None and not isinstance(run.error, BaseExceptionGroup)
    assert "500" in str(run.error)
    pid = server_pid(server.requests[1].last_text())
    wait_for(lambda: gone(pid), f"the server process {pid} to end")


@pytest.mark.parametrize(("uri", "register", "error"), [
    ("stdio:no-such-mcp-server --flag", {},
     "MCP server 'stdio:no-such-mcp-server --flag': connecting failed: no such command (No such file or directory)"),
    ("http://127.0.0.1:1/mcp", {},
     "MCP server 'http://127.0.0.1:1/mcp': connecting failed: All connection attempts failed"),
    ("ftp://example.org/mcp", {}, "MCP server URI 'ftp://example.org/mcp': use an http(s):// URL"),
    ("stdio:  ", {}, "MCP server 'stdio:  ': no command after 'stdio:'"),
    ("http://127.0.0.1:1/mcp", {"mode": "Manual"}, "Manual mode: name the server's tools to use in 'tools'"),
])
def test_a_server_that_cannot_be_used_fails_the_run_naming_it(b, server, uri, register, error):
    run = mcp_run(b, server, uri, **register)
    assert error in str(run.error)
    assert server.requests == []


def test_manual_mode_naming_a_tool_the_server_lacks_fails_the_run(b, server, http_server):
    uri = http_server[0]
    run = mcp_run(b, server, uri, mode="Manual", tools=["add", "nope"])
    assert f"MCP server {uri!r} has no tool 'nope'; it lists note, add, text.shout, fail, crash, nap" in str(run.error)


def test_a_cancelled_run_ends_the_server_process(b, server, tmp_path):
    notes = tmp_path / "notes.txt"
    server.expect(Reply(tool_calls=[("nap", {"seconds": 120})]))
    mcp_board(b, server, stdio_uri(notes))
    handle = start_run(b.board, registry=b.registry)
    wait_for(lambda: notes.exists() and notes.read_text().startswith("napping"), "the tool call to start")
    pid = server_pid(notes.read_text())
    handle.cancel()
    assert handle.wait(DEADLINE).status is RunStatus.CANCELLED
    wait_for(lambda: gone(pid), f"the server process {pid} to end")


def test_a_url_that_serves_no_mcp_fails_the_run_naming_it(b, server, http_server):
    uri = http_server[0].rsplit("/", 1)[0] + "/nothing"
    run = mcp_run(b, server, uri)
    assert f"MCP server {uri!r}: connecting failed: " in str(run.error) and "404" in str(run.error)


def test_registering_records_the_server_on_the_agent_and_again_replaces_it():
    agent = Agent(model=LanguageModel())
    once = agent_register_mcp_tools.func(agent, "http://127.0.0.1:1/mcp", "Manual", ["add"], 5.0)
    twice = agent_register_mcp_tools.func(once, "http://127.0.0.1:1/mcp", "automatic")
    assert once.mcp_servers == [McpServer(uri="http://127.0.0.1:1/mcp", tool_filter=["add"], timeout=5.0)]
    assert twice.mcp_servers == [McpServer(uri="http://127.0.0.1:1/mcp")]
    with pytest.raises(ValueError, match="mode 'Sometimes': use 'Automatic' or 'Manual'"):
        agent_register_mcp_tools.func(agent, "stdio:server", "Sometimes")
    with pytest.raises(ValueError, match="timeout 0: give the seconds"):
        agent_register_mcp_tools.func(agent, "stdio:server", timeout=0)


def test_the_runs_policy_decides_whether_an_agent_may_start_a_server(b, server, tmp_path):
    """An agent from a variable has its servers checked too, not only through Register MCP Tools' declaration."""
    agent = {"model": {"endpoint": server.url + "/v1", "model_id": "m"},
             "mcp_servers": [{"uri": stdio_uri(tmp_path / "notes.txt")}]}
    b.board.apply(commands.UpsertVariable(Variable(name="agent", data_type=DataType.STRUCT, default_value=agent)))
    get, invoke = b.add("variable_get", var_ref="agent"), b.add("agent_invoke")
    history = b.add("ai_generative_history_from_string", message="Go")
    b.wire(get, "value_ref", invoke, "agent")
    b.wire(history, "history", invoke, "history")
    b.chain(b.add("events_simple"), invoke)
    run = b.run(policy=Policy.of(allow=["network"]))
    assert f"MCP server {stdio_uri(tmp_path / 'notes.txt')!r} needs processes, which this run does not allow" \
        in str(run.error)
    assert not (tmp_path / "notes.txt").exists() and server.requests == []
