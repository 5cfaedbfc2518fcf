"""A tool loop wired by hand, as a notebook user builds one without an agent: Invoke With Tools, each call's answer
made a Tool message (Flow-Like's Make Message: role Tool with a Tool Call Id, the text in its Text pin) and pushed
onto the history, then the model asked again. Tool Calls could not be wired into For Each (it was one Struct, not
an array), and Make Message had no Tool Call Id (OpenAI refuses a tool message without one) and called Flow-Like's
Text and Image pins Content, so an imported Make Message lost its text."""

from __future__ import annotations

import json

from flowlike_catalog.llm import messages as m
from flowlike_catalog.llm.structs import ContentPart, History, HistoryMessage
from flowlike_catalog.llm.testing import Reply

from flowlike_core import DataType, Variable, commands

TOOLS = json.dumps([{"name": "get_weather", "parameters": {"type": "object",
                                                           "properties": {"city": {"type": "string"}}}}])


def test_each_tool_call_answered_by_a_tool_message_then_asked_again(b, server):
    server.expect(Reply(tool_calls=[("get_weather", {"city": "Oslo"}), ("get_weather", {"city": "Rome"})]),
                  lambda request: Reply(f"{len(request.body['messages'])} messages seen"))
    b.board.apply(commands.UpsertVariable(Variable(
        id="history", name="history", data_type=DataType.STRUCT, schema=History.model_json_schema(),
        default_value=History(messages=[HistoryMessage(role="user", content="Weather?")]).model_dump())))
    model = b.provider(server, "openai")
    ask = b.add("invoke_llm_with_tools", tools=TOOLS)
    answer, push_answer = b.add("ai_generative_llm_response_last_message"), b.add("ai_generative_add_history_message")
    each = b.add("control_for_each")
    call_id, arguments = b.add("struct_get", field="id"), b.add("struct_get", field="arguments")
    city = b.add("struct_get", field="city")
    tool_message = b.add("ai_generative_make_history_message", role="Tool")
    push_tool, ask_again = b.add("ai_generative_add_history_message"), b.add("ai_generative_invoke")
    content = b.add("ai_generative_llm_response_last_content")
    reads = [b.add("variable_get", var_ref="history") for _ in range(4)]
    writes = [b.add("variable_set", var_ref="history") for _ in range(2)]
    b.wire(model, "model", ask, "model")
    b.wire(reads[0], "value_ref", ask, "history")
    b.wire(ask, "response", answer, "response")
    b.wire(reads[1], "value_ref", push_answer, "history")
    b.wire(answer, "message", push_answer, "message")
    b.wire(push_answer, "history_out", writes[0], "value_in")
    b.wire(ask, "tool_calls", each, "array")
    b.wire(each, "value", call_id, "struct")
    b.wire(each, "value", arguments, "struct")
    b.wire(arguments, "value", city, "struct")
    b.wire(call_id, "value", tool_message, "tool_call_id")
    b.wire(city, "value", tool_message, "text")
    b.wire(reads[2], "value_ref", push_tool, "history")
    b.wire(tool_message, "message", push_tool, "message")
    b.wire(push_tool, "history_out", writes[1], "value_in")
    b.wire(model, "model", ask_again, "model")
    b.wire(reads[3], "value_ref", ask_again, "history")
    b.wire(ask_again, "result", content, "response")
    start, back = b.add("events_simple"), b.add("events_generic_return_result")
    b.chain(start, model, (ask, "exec_done"), push_answer, writes[0], each, push_tool, writes[1])
    b.chain((each, "done"), (ask_again, "done"), back)
    b.wire(content, "content", back, "response")
    run = b.run()
    run.raise_for_status()
    assert run.result == "4 messages seen"
    sent = server.requests[1].body["messages"]
    assert [message["role"] for message in sent] == ["user", "assistant", "tool", "tool"]
    assert [call["id"] for call in sent[1]["tool_calls"]] == ["call_0", "call_1"]
    assert [(message["tool_call_id"], message["content"]) for message in sent[2:]] == [("call_0", "Oslo"),
                                                                                       ("call_1", "Rome")]


def test_make_message_and_push_content_take_flow_likes_pins():
    text = m.ai_generative_make_history_message.func("User", "Text", text="hi", image="ignored")
    assert (text.role, text.content, text.tool_call_id) == ("user", "hi", None)
    image = m.ai_generative_make_history_message.func("User", "Image", text="-", image="data:image/png;base64,AA==")
    assert image.content == [ContentPart(type="image_url", image_url="data:image/png;base64,AA==")]
    tool = m.ai_generative_make_history_message.func("Tool", text="sunny", tool_call_id="call_7")
    assert (tool.role, tool.content, tool.tool_call_id) == ("tool", "sunny", "call_7")
    both = m.ai_generative_push_content.func(text, "Image", image="data:image/png;base64,AA==")
    assert both.content == [ContentPart(type="text", text="hi"),
                            ContentPart(type="image_url", image_url="data:image/png;base64,AA==")]
