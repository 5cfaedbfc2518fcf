"""Agents on boards against the scripted server: tools from function nodes and boards, the loop, limits, context."""

from __future__ import annotations

import asyncio

import pytest
from flowlike_catalog.llm.agents import fit_context
from flowlike_catalog.llm.structs import Agent, HistoryMessage, LanguageModel
from flowlike_catalog.llm.testing import Reply
from flowlike_catalog.llm.tools import tool_from_node

from flowlike_core import Board, DataType, Variable, commands


def agent_board(b, server, provider="openai", *, functions=(), boards=(), thinking=False, max_iter=5,
                prompt="What is 2 + 3?", stream=False):
    model = b.provider(server, provider)
    agent = b.add("agent_from_model", max_iter=max_iter)
    prompt_node = b.add("agent_set_system_prompt", system_prompt="Use tools.")
    tools = b.add("agent_register_function_tools", functions=list(functions), boards=[str(p) for p in boards])
    history = b.add("ai_generative_history_from_string", message=prompt)
    invoke = b.add("agent_stream_invoke" if stream else "agent_invoke")
    b.wire(model, "model", agent, "model")
    b.wire(agent, "agent_out", prompt_node, "agent_in")
    b.wire(prompt_node, "agent_out", tools, "agent_in")
    last = tools
    if thinking:
        think = b.add("agent_register_thinking")
        b.wire(tools, "agent_out", think, "agent_in")
        last = think
    b.wire(last, "agent_out", invoke, "agent")
    b.wire(history, "history", invoke, "history")
    return model, invoke


def answer_with_tool_result(request):
    return Reply(f"The sum is {request.last_text()}.")


@pytest.mark.parametrize("provider", ["openai", "anthropic", "ollama"])
def test_the_agent_calls_a_function_node_and_answers_with_its_result(b, server, provider):
    server.expect(Reply(tool_calls=[("int_add", {"integer1": 2, "integer2": 3})]), answer_with_tool_result)
    model, invoke = agent_board(b, server, provider, functions=["int_add"])
    content = b.add("ai_generative_llm_response_last_content")
    b.wire(invoke, "response", content, "response")
    start, back = b.add("events_simple"), b.add("events_generic_return_result")
    b.chain(start, model, invoke, back)
    b.wire(content, "content", back, "response")
    run = b.run()
    run.raise_for_status()
    assert run.result == "The sum is 5."
    assert b.messages(run) == ["step 1: calls int_add", 'step 1: int_add({"integer1": 2, "integer2": 3}) -> 5',
                               "step 2: answers 'The sum is 5.'"]
    first = server.requests[0].body
    tools = first["tools"]
    schema = tools[0]["function"]["parameters"] if provider != "anthropic" else tools[0]["input_schema"]
    assert schema["properties"]["integer1"]["type"] == "integer"
    assert schema["properties"]["integer2"]["type"] == "integer"


def test_history_out_holds_the_whole_conversation(b, server):
    server.expect(Reply(tool_calls=[("int_add", {"integer1": 1, "integer2": 1})]), Reply("2"))
    model, invoke = agent_board(b, server, functions=["int_add"])
    history = b.result(invoke, "history_out", model, invoke)
    assert [(x.role, x.text()) for x in history.messages] == [
        ("system", "Use tools."), ("user", "What is 2 + 3?"), ("assistant", ""), ("tool", "2"), ("assistant", "2")]
    assert history.messages[3].tool_call_id == history.messages[2].tool_calls[0].id


def test_a_board_is_a_tool(b, server, tmp_path):
    board = Board(name="shout")
    board.apply(commands.UpsertVariable(Variable(name="text", data_type=DataType.STRING, exposed=True)))
    registry = b.registry
    start = board.apply(commands.AddNode(registry.get("events_simple").create()))
    get = board.apply(commands.AddNode(registry.get("variable_get").create(var_ref="text")))
    upper = board.apply(commands.AddNode(registry.get("string_to_upper").create()))
    back = board.apply(commands.AddNode(registry.get("events_generic_return_result").create()))
    board.apply(commands.Connect(start.id, "exec_out", back.id, "exec_in"))
    board.apply(commands.Connect(get.id, "value_ref", upper.id, "string"))
    board.apply(commands.Connect(upper.id, "uppercase_string", back.id, "response"))
    path = board.save(tmp_path / "shout.board.json")
    server.expect(Reply(tool_calls=[("shout", {"text": "hello"})]), lambda request: Reply(request.last_text()))
    model, invoke = agent_board(b, server, boards=[path], prompt="Shout hello")
    response = b.result(invoke, "response", model, invoke)
    assert response.content() == "HELLO"
    tool = server.requests[0].body["tools"][0]["function"]
    assert tool["name"] == "shout" and tool["parameters"]["properties"]["text"]["type"] == "string"


def test_thinking_is_logged_and_answered_ok(b, server):
    server.expect(Reply(tool_calls=[("think", {"thought": "add them"})]), lambda request: Reply(request.last_text()))
    model, invoke = agent_board(b, server, thinking=True)
    start = b.add("events_simple")
    b.chain(start, model, invoke)
    run = b.run()
    run.raise_for_status()
    assert "thought: add them" in b.messages(run)
    assert server.requests[1].last_text() == "ok"


def test_tool_errors_go_back_to_the_model(b, server):
    server.expect(Reply(tool_calls=[("nope", {}), ("int_add", {"x": 1})]),
                  lambda request: Reply(" | ".join(m["content"] for m in request.body["messages"][-2:])))
    model, invoke = agent_board(b, server, functions=["int_add"])
    response = b.result(invoke, "response", model, invoke)
    assert response.content() == ("error: there is no tool 'nope'; the tools are int_add | "
                                  "error: tool 'int_add' has no argument x")


def test_the_loop_stops_at_the_step_limit_with_a_warning(b, server):
    server.always(Reply(tool_calls=[("int_add", {"integer1": 1, "integer2": 1})]))
    model, invoke = agent_board(b, server, functions=["int_add"], max_iter=2)
    start = b.add("events_simple")
    b.chain(start, model, invoke)
    run = b.run()
    run.raise_for_status()
    assert len(server.requests) == 2
    assert b.messages(run)[-1] == "the agent stopped at its step limit (2) without a final answer"


def test_a_streaming_agent_fires_on_stream_per_chunk(b, server):
    server.expect(Reply(tool_calls=[("int_add", {"integer1": 2, "integer2": 2})]), Reply("four it is"))
    model, invoke = agent_board(b, server, functions=["int_add"], stream=True)
    token, log = b.add("ai_generative_llm_response_chunk_get_token"), b.add("log_info")
    b.wire(invoke, "on_stream", log, "exec_in")
    b.wire(invoke, "chunk", token, "chunk")
    b.wire(token, "token", log, "message")
    b.chain(b.add("events_simple"), model, invoke)
    run = b.run()
    run.raise_for_status()
    assert [m for m in b.messages(run) if m.strip() and not m.startswith("step")] == ["four", " it", " is"]
    assert all(r.body["stream"] for r in server.requests)


def test_simple_agent_takes_model_history_and_tool_keys(b, server):
    server.expect(Reply(tool_calls=[("int_multiply", {"integer1": 6, "integer2": 7})]), answer_with_tool_result)
    model = b.provider(server, "ollama")
    history = b.add("ai_generative_history_from_string", message="6*7?")
    agent = b.add("simple_agent", tools=["int_multiply"])
    b.wire(model, "model", agent, "model")
    b.wire(history, "history", agent, "history")
    response = b.result(agent, "response", model, (agent, "exec_done"))
    assert response.content() == "The sum is 42."


def test_a_node_that_is_not_a_function_cannot_be_a_tool():
    with pytest.raises(ValueError, match="'control_branch' is not a function node"):
        tool_from_node("control_branch")


class Ctx:
    """What fit_context uses of a Context: info and warn."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(message)

    warn = info


def long_conversation() -> list[HistoryMessage]:
    turns = [HistoryMessage(role="system", content="S")]
    for i in range(10):
        turns += [HistoryMessage(role="user", content=f"question {i} " + "x" * 400),
                  HistoryMessage(role="assistant", content=f"answer {i} " + "y" * 400)]
    return turns


def test_truncation_keeps_the_system_prompt_and_recent_turns():
    agent = Agent(model=LanguageModel(), infinite_context=True, max_context_tokens=600, context_mode="truncate")
    ctx = Ctx()
    kept = asyncio.run(fit_context(ctx, agent, long_conversation()))
    assert kept[0].content == "S" and kept[-1].text().startswith("answer 9")
    assert sum(len(m.model_dump_json()) for m in kept) // 4 <= 300
    assert ctx.lines == [f"context: dropped the {21 - len(kept)} oldest messages"]


def test_summarising_replaces_old_turns_with_the_models_summary(server):
    server.expect(Reply("They asked ten questions."))
    model = LanguageModel(endpoint=server.url + "/v1", model_id="m")
    agent = Agent(model=model, infinite_context=True, max_context_tokens=600, context_mode="summarize")
    kept = asyncio.run(fit_context(Ctx(), agent, long_conversation()))
    assert kept[1] == HistoryMessage(role="system",
                                     content="Summary of the earlier conversation: They asked ten questions.")
    assert "user: question 0" in server.requests[0].last_text()


def test_a_conversation_with_nothing_to_drop_is_kept_whole():
    agent = Agent(model=LanguageModel(), infinite_context=True, max_context_tokens=10, context_mode="truncate")
    messages = [HistoryMessage(role="system", content="S" * 400), HistoryMessage(role="user", content="hi")]
    assert asyncio.run(fit_context(Ctx(), agent, messages)) == messages
