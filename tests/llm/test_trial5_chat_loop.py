"""A chat built up over a loop, as a notebook user wires it: each question pushed onto the history variable, the
model asked, its Last Message pushed back. Last Message (a response message) could not be wired into Push Message
(the connection was refused: its role had no enum), so the answer had to be rebuilt from its text, losing tool
calls."""

from __future__ import annotations

from flowlike_catalog.llm.structs import History, HistoryMessage, ResponseMessage, ToolCall, ToolFunction
from flowlike_catalog.llm.testing import Reply

from flowlike_core import DataType, Variable, commands


def test_each_answer_goes_back_into_the_history_over_a_loop(b, server):
    server.always(lambda request: Reply(f"answer to {request.last_text()}"))
    b.board.apply(commands.UpsertVariable(Variable(
        id="history", name="history", data_type=DataType.STRUCT, schema=History.model_json_schema(),
        default_value=History(messages=[HistoryMessage(role="system", content="Be brief.")]).model_dump())))
    model = b.provider(server, "openai")
    loop = b.add("control_for_each", array=["q1", "q2", "q3"])
    question = b.add("ai_generative_make_history_message")
    read, push = b.add("variable_get", var_ref="history"), b.add("ai_generative_add_history_message")
    invoke, last = b.add("ai_generative_invoke"), b.add("ai_generative_llm_response_last_message")
    push_answer, write = b.add("ai_generative_add_history_message"), b.add("variable_set", var_ref="history")
    b.wire(loop, "value", question, "text")
    b.wire(read, "value_ref", push, "history")
    b.wire(question, "message", push, "message")
    b.wire(model, "model", invoke, "model")
    b.wire(push, "history_out", invoke, "history")
    b.wire(invoke, "result", last, "response")
    b.wire(push, "history_out", push_answer, "history")
    b.wire(last, "message", push_answer, "message")
    b.wire(push_answer, "history_out", write, "value_in")
    b.chain(b.add("events_simple"), model, loop)
    b.chain(loop, push, (invoke, "done"), push_answer, write)
    b.run().raise_for_status()
    sent = [[(m["role"], m["content"]) for m in request.body["messages"]] for request in server.requests]
    assert sent[-1] == [("system", "Be brief."), ("user", "q1"), ("assistant", "answer to q1"), ("user", "q2"),
                        ("assistant", "answer to q2"), ("user", "q3")]


def test_a_response_message_is_a_history_message_tool_calls_and_all():
    call = ToolCall(id="c1", function=ToolFunction(name="add", arguments='{"a": 1}'))
    answer = ResponseMessage(content=None, tool_calls=[call])
    message = HistoryMessage.model_validate(answer.model_dump())
    assert (message.role, message.content, message.tool_calls) == ("assistant", "", [call])
