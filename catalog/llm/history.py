"""Chat histories: make them, add and pop messages, set the request parameters they carry.

A History is the whole request but the model: the messages plus temperature, max tokens, stop words,
penalties... Every node returns a new History and leaves its input as it was.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.llm.structs import History, HistoryMessage

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "AI/Generative/History"

HistoryIn = Annotated[History, Pin(description="The conversation and its request parameters")]
HistoryOut = Annotated[History, Pin("History", name="history_out")]
ModelName = Annotated[str, Pin(description="Model to ask; empty takes the provider's model_id")]


def as_history(value: Any) -> History:
    if value is None:
        raise ValueError("no history: wire one from 'Make History' or 'History From String'")
    return History.model_validate(value)


def _set(history: Any, **fields: Any) -> History:
    return as_history(history).model_copy(update=fields)


@node(friendly_name="Make History")
def ai_generative_make_history(model_name: ModelName = "") -> Annotated[History, Pin(name="history")]:
    """An empty conversation for the model."""
    return History(model=model_name)


@node(friendly_name="History From String")
def ai_generative_history_from_string(model_name: ModelName = "",
                                      message: str = "") -> Annotated[History, Pin(name="history")]:
    """A conversation that starts with one user message."""
    return History(model=model_name, messages=[HistoryMessage(role="user", content=message)])


@node(friendly_name="History From Messages")
def ai_generative_from_messages(model_name: ModelName = "",
                                messages: list[HistoryMessage] = None) -> Annotated[History, Pin(name="history")]:
    """A conversation made of these messages, in order."""
    return History(model=model_name, messages=[HistoryMessage.model_validate(m) for m in messages or ()])


class SystemPrompt(NamedTuple):
    system_prompt: HistoryMessage
    success: Annotated[bool, Pin(description="Whether the history has a system message")]


@node(friendly_name="Get System Prompt")
def ai_generative_get_system_prompt(history: HistoryIn) -> SystemPrompt:
    """The history's system message (an empty one, and Success false, when it has none)."""
    message = as_history(history).system_prompt()
    return SystemPrompt(message or HistoryMessage(role="system"), message is not None)


@node(friendly_name="Set System Prompt", exec_pins=True)
def ai_generative_set_system_prompt_message(history: HistoryIn, message: str = "") -> HistoryOut:
    """Replaces the system message, or puts one first when there is none."""
    history = as_history(history)
    rest = [m for m in history.messages if m.role != "system"]
    return history.with_messages([HistoryMessage(role="system", content=message), *rest])


@node(friendly_name="Push Message", exec_pins=True)
def ai_generative_add_history_message(history: HistoryIn, message: HistoryMessage) -> HistoryOut:
    """Appends a message to the conversation."""
    history = as_history(history)
    return history.with_messages([*history.messages, HistoryMessage.model_validate(message)])


@node(friendly_name="Clear History", exec_pins=True)
def ai_generative_clear_history(history: HistoryIn) -> HistoryOut:
    """Removes every message but the system prompt; the parameters stay."""
    history = as_history(history)
    return history.with_messages([m for m in history.messages if m.role == "system"])


class PopMessage(NodeType):
    name = "ai_generative_pop_history_message"
    friendly_name = "Pop Message"
    description = "Takes the last message off the history; fires Empty instead when there is none."
    pins = (
        exec_in(),
        data_in("history", DataType.STRUCT, schema=History.model_json_schema(), required=True),
        exec_out(),
        data_out("history_out", DataType.STRUCT, schema=History.model_json_schema(), friendly_name="History"),
        data_out("message", DataType.STRUCT, schema=HistoryMessage.model_json_schema()),
        exec_out("empty", "Empty"),
    )

    def run(self, ctx: Context, *, history: Any) -> None:
        history = as_history(history)
        ctx.set_output("history_out", history.with_messages(history.messages[:-1]))
        if not history.messages:
            ctx.set_output("message", HistoryMessage())
            ctx.activate("empty")
            return
        ctx.set_output("message", history.messages[-1])
        ctx.activate("exec_out")


@node(friendly_name="Set Temperature", exec_pins=True)
def ai_generative_set_history_temperature(
    history: HistoryIn, temperature: Annotated[float, Pin(range=(0.0, 2.0))] = 0.7,
) -> HistoryOut:
    """Sampling temperature: 0 is nearly deterministic, higher is more varied."""
    return _set(history, temperature=temperature)


@node(friendly_name="Set Max Tokens", exec_pins=True)
def ai_generative_set_history_max_tokens(
    history: HistoryIn, max_tokens: Annotated[int, Pin(range=(1, 10_000_000))] = 1024,
) -> HistoryOut:
    """The longest answer, in tokens (OpenAI's max_completion_tokens, Anthropic's max_tokens, Ollama's
    num_predict)."""
    return _set(history, max_completion_tokens=max_tokens)


@node(friendly_name="Set Top P", exec_pins=True)
def ai_generative_set_history_top_p(history: HistoryIn, top_p: Annotated[float, Pin(range=(0.0, 1.0))] = 1.0
                                    ) -> HistoryOut:
    """Nucleus sampling: only the most likely tokens that add up to this probability are drawn from."""
    return _set(history, top_p=top_p)


@node(friendly_name="Set Stop Words", exec_pins=True)
def ai_generative_set_history_stop_words(history: HistoryIn, stop_words: list[str] = None) -> HistoryOut:
    """The answer ends before any of these strings (empty list: no stop words)."""
    return _set(history, stop=list(stop_words or ()) or None)


@node(friendly_name="Set Presence Penalty", exec_pins=True)
def ai_generative_set_history_presence_penalty(
    history: HistoryIn, presence_penalty: Annotated[float, Pin(range=(-2.0, 2.0))] = 0.0,
) -> HistoryOut:
    """Positive values push the model towards tokens it has not used yet (new topics)."""
    return _set(history, presence_penalty=presence_penalty)


@node(friendly_name="Set Frequency Penalty", exec_pins=True)
def ai_generative_set_history_frequency_penalty(
    history: HistoryIn, frequency_penalty: Annotated[float, Pin(range=(-2.0, 2.0))] = 0.0,
) -> HistoryOut:
    """Positive values make tokens less likely the more often they already appeared (less repetition)."""
    return _set(history, frequency_penalty=frequency_penalty)


@node(friendly_name="Set Seed", exec_pins=True)
def ai_generative_set_history_seed(history: HistoryIn, seed: int = 0) -> HistoryOut:
    """Asks for reproducible sampling (where the provider supports it)."""
    return _set(history, seed=seed)


@node(friendly_name="Set User", exec_pins=True)
def ai_generative_set_history_user(history: HistoryIn, user: str = "") -> HistoryOut:
    """An end-user id the provider may use for abuse monitoring."""
    return _set(history, user=user or None)


@node(friendly_name="Set N", exec_pins=True)
def ai_generative_set_history_n(history: HistoryIn, n: Annotated[int, Pin(range=(1, 128))] = 1) -> HistoryOut:
    """How many answers to generate (one choice each; OpenAI-compatible providers only)."""
    return _set(history, n=n)


@node(friendly_name="Set Stream", exec_pins=True)
def ai_generative_set_history_stream(history: HistoryIn, stream: bool = True) -> HistoryOut:
    """Whether Invoke streams the answer (it streams anyway when its On Stream output is wired)."""
    return _set(history, stream=stream)


@node(friendly_name="Set Response Format", exec_pins=True)
def ai_generative_set_history_response_format(
    history: HistoryIn,
    response_format: Annotated[Any, Pin(description="'text', 'json', a JSON Schema, or OpenAI's response_format "
                                                    "object ({'type': 'json_schema', ...}); either also as JSON "
                                                    "text")] = "json",
) -> HistoryOut:
    """Asks for JSON, or JSON that follows a schema (OpenAI-compatible and Ollama; Anthropic has no such option)."""
    return _set(history, response_format=response_format_of(response_format))


def response_format_of(value: Any) -> dict[str, Any] | None:
    """OpenAI's response_format object from 'text', 'json', a JSON Schema or the object itself (either also as
    JSON text, as read from a schema file)."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValueError(f"response_format looks like a JSON object but is not JSON: {error}") from None
    if value in (None, "", "text"):
        return None
    if value in ("json", "json_object"):
        return {"type": "json_object"}
    if isinstance(value, dict) and value.get("type") in ("json_schema", "json_object", "text"):
        return value
    if isinstance(value, dict):
        name = re.sub(r"[^A-Za-z0-9_-]", "_", str(value.get("title") or "response"))[:64]  # as OpenAI takes it
        return {"type": "json_schema", "json_schema": {"name": name, "schema": value}}
    raise ValueError(f"response_format must be 'text', 'json' or a JSON Schema object, got {value!r}")
