"""Chat: a board started by a chat message answers through push nodes and asks back through interaction nodes.

A chat run's payload is a `ChatTurn` (what `board.chat()` sends): the history and sessions, and the chat's two
channels, `emit` (a push the chat shows) and `request` (an interaction the chat asks its user, answered through
a future). A board started otherwise (a plain dict payload, over HTTP) still runs: pushes are logged as lines,
and interactions go out through their timeout output, since nobody can answer them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from flowlike_core import Context, DataType, NodeType, Pin, ValueType, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Events/Chat"


@dataclass
class ChatTurn:
    """The payload of a run started by a chat message."""

    history: dict[str, Any]
    """Flow-Like's History struct: {"messages": [{"role": "user" | "assistant", "content": text}, ...]}."""
    local_session: dict[str, Any] = field(default_factory=dict)
    global_session: dict[str, Any] = field(default_factory=dict)
    user: dict[str, Any] = field(default_factory=dict)
    attachments: list[Any] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    actions: list[Any] = field(default_factory=list)
    emit: Callable[[str, dict[str, Any]], None] | None = None
    """Shows a push in the chat: ("response" | "chunk" | "reasoning" | "step" | "step_text" | "remove_step" |
    "attachments" | "local_session" | "global_session", data)."""
    request: Callable[[str, dict[str, Any]], concurrent.futures.Future[Any]] | None = None
    """Asks the chat's user ("form" | "single_choice" | "multiple_choice", spec); the future holds the answer."""


def turn_of(ctx: Context) -> ChatTurn | None:
    return ctx.payload if isinstance(ctx.payload, ChatTurn) else None


def push(ctx: Context, kind: str, data: dict[str, Any]) -> None:
    """Show a push in the chat that started the run, or log it when no chat did."""
    turn = turn_of(ctx)
    if turn is not None and turn.emit is not None:
        turn.emit(kind, data)
    else:
        ctx.info(f"chat {kind}: {data}")


def text_of(value: Any) -> str:
    """The text of a Response / ResponseChunk struct (OpenAI-shaped, as Flow-Like's) or of a plain string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        choices = value.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            part = choices[0].get("message") or choices[0].get("delta") or {}
            return str(part.get("content") or "")
        if "content" in value:
            return str(value["content"] or "")
    return str(value)


def _field(payload: Any, name: str, default: Any) -> Any:
    if isinstance(payload, ChatTurn):
        return getattr(payload, name)
    return payload.get(name, default) if isinstance(payload, dict) else default


class ChatEvent(NodeType):
    name = "events_chat"
    friendly_name = "Chat Event"
    category = "Events"
    description = "Starts a run for each chat message (`board.chat()`): the history with the new message last, " \
                  "the sessions pushed by earlier runs, the user, attachments, tools and actions."
    is_event = True
    pins = (
        exec_out("exec_out", "Start", "Fires for each message"),
        data_out("history", DataType.STRUCT, description="{'messages': [...]}"),
        data_out("local_session", DataType.STRUCT,
                 description="What Push Local Session left in this chat"),
        data_out("global_session", DataType.STRUCT,
                 description="What Push Global Session left, shared by every chat of the board"),
        data_out("tools", DataType.STRING, ValueType.ARRAY),
        data_out("actions", DataType.STRUCT, ValueType.ARRAY),
        data_out("attachments", DataType.STRUCT, ValueType.ARRAY),
        data_out("user", DataType.STRUCT),
    )

    def run(self, ctx: Context) -> None:
        payload = ctx.payload
        ctx.set_output("history", _field(payload, "history", {"messages": []}))
        for name, empty in (("local_session", {}), ("global_session", {}), ("tools", []), ("actions", []),
                            ("attachments", []), ("user", {})):
            ctx.set_output(name, _field(payload, name, empty))
        ctx.activate("exec_out")


# ---- pushes: each shows one thing in the chat (or logs it), then goes on ---------------------------------


@node(name="events_chat_push_response", exec_pins=True)
def push_response(ctx: Context, response: Annotated[Any, Pin(required=False)]) -> None:
    """Shows a whole answer in the chat and adds it to the history. Takes a Response struct or, unlike
    Flow-Like, plain text."""
    push(ctx, "response", {"text": text_of(response)})


@node(name="events_chat_push_response_chunk", exec_pins=True)
def push_chunk(ctx: Context, chunk: Annotated[Any, Pin(required=False)]) -> None:
    """Appends a piece to the answer being written (streaming, token by token). Takes a ResponseChunk struct
    or, unlike Flow-Like, plain text."""
    push(ctx, "chunk", {"text": text_of(chunk)})


@node(name="events_chat_push_reasoning", exec_pins=True)
def push_reasoning(ctx: Context, reasoning: Annotated[str, Pin(required=False)]) -> None:
    """Shows the model's reasoning above the answer (collapsible)."""
    push(ctx, "reasoning", {"text": reasoning or ""})


@node(name="events_chat_push_step", exec_pins=True)
def push_step(ctx: Context, title: Annotated[str, Pin(required=False)],
              description: Annotated[str, Pin(required=False)]
              ) -> Annotated[int, Pin("Step ID", name="step_id")]:
    """Starts a step of the answer (shown as a collapsible step); its id is for Remove Step."""
    ctx.cache["chat_steps"] = step_id = ctx.cache.get("chat_steps", 0) + 1  # one count for the run's steps
    push(ctx, "step", {"step_id": step_id, "title": title or "", "description": description or ""})
    return step_id


@node(name="events_chat_push_text_to_step", friendly_name="Push Text to Step", exec_pins=True)
def push_text_to_step(ctx: Context, text: Annotated[str, Pin(required=False)]) -> None:
    """Adds text to the latest step."""
    push(ctx, "step_text", {"step_id": ctx.cache.get("chat_steps", 0), "text": text or ""})


@node(name="events_chat_remove_step", exec_pins=True)
def remove_step(ctx: Context, step_id: Annotated[int, Pin("Step ID", required=False)]) -> None:
    """Takes a step away from the answer."""
    push(ctx, "remove_step", {"step_id": step_id})


@node(name="events_chat_push_attachment", exec_pins=True)
def push_attachment(ctx: Context, attachment: Annotated[dict, Pin(required=False)]) -> None:
    """Shows a file with the answer: {'url' (a data: URL previews images), 'name', 'preview_text'}."""
    push(ctx, "attachments", {"attachments": [attachment or {}]})


@node(name="events_chat_push_attachments", exec_pins=True)
def push_attachments(ctx: Context, attachments: Annotated[list[dict], Pin(required=False)]) -> None:
    """Shows several files with the answer (see Push Attachment)."""
    push(ctx, "attachments", {"attachments": list(attachments or [])})


@node(name="events_chat_push_local_session", exec_pins=True)
def push_local_session(ctx: Context, local_session: Annotated[dict, Pin(default={})]) -> None:
    """Keeps a struct for the next messages of this chat (the Chat Event's Local Session)."""
    push(ctx, "local_session", {"session": local_session or {}})


@node(name="events_chat_push_global_session", exec_pins=True)
def push_global_session(ctx: Context, global_session: Annotated[dict, Pin(default={})]) -> None:
    """Keeps a struct for the next messages of every chat of this board (the Global Session)."""
    push(ctx, "global_session", {"session": global_session or {}})


# ---- interactions: the run waits for the user's answer ---------------------------------------------------


async def ask(ctx: Context, kind: str, spec: dict[str, Any], ttl_seconds: int) -> tuple[bool, Any]:
    """(answered, answer): the chat user's answer, or (False, None) once `ttl_seconds` pass or when no chat
    started the run (nobody to ask)."""
    turn = turn_of(ctx)
    if turn is None or turn.request is None:
        ctx.warn(f"chat {kind} {spec.get('name')!r}: no chat to ask (the run was not started by a chat)")
        return False, None
    future = turn.request(kind, {**spec, "ttl_seconds": ttl_seconds})
    try:
        return True, await asyncio.wait_for(asyncio.wrap_future(future), max(ttl_seconds, 0) or None)
    except TimeoutError:
        future.cancel()
        return False, None


def _question_pins(name: str, description: str, choices: bool = False) -> tuple[Any, ...]:
    """The inputs every interaction starts with: what it asks, and for choices the options (two to begin with)."""
    options = tuple(data_in("options", DataType.STRING, default=f"Option {letter}", friendly_name="Option")
                    for letter in "AB") if choices else ()
    return (exec_in(), data_in("name", DataType.STRING, default=name),
            data_in("description", DataType.STRING, default=description), *options)


def _interaction_pins(ttl_seconds: int, response: Any) -> tuple[Any, ...]:
    """The pins every interaction ends with: how long it waits, then whether and what the user answered."""
    return (data_in("ttl_seconds", DataType.INTEGER, default=ttl_seconds, friendly_name="Time to Live (s)"),
            exec_out("exec_out", "Answered"), exec_out("exec_timeout", "Timed Out"), response,
            data_out("responded", DataType.BOOLEAN))


INTERACTION = "Events/Chat/Interaction"


class ChatForm(NodeType):
    name = "interaction_form"
    friendly_name = "Chat Form"
    category = INTERACTION
    description = "Asks the chat's user to fill in a text form and waits for the answer (or the time to live)."
    pins = (
        *_question_pins("Fill out form", "Please fill out the following form:"),
        *_interaction_pins(300, data_out("response", DataType.STRING)),
    )

    async def run(self, ctx: Context, *, name: str, description: str, ttl_seconds: int) -> None:
        answered, answer = await ask(ctx, "form", {"name": name, "description": description}, ttl_seconds)
        finish(ctx, answered, str(answer) if answered else "")


class SingleChoice(NodeType):
    name = "interaction_single_choice"
    friendly_name = "Single Choice"
    category = INTERACTION
    description = "Asks the chat's user to pick one option (or type one, with Allow Freeform) and waits."
    pins = (
        *_question_pins("Choose an option", "Please select one of the following options:", choices=True),
        data_in("allow_freeform", DataType.BOOLEAN, default=False),
        *_interaction_pins(120, data_out("response", DataType.STRING)),
    )

    async def run(self, ctx: Context, *, name: str, description: str, options: list[str], allow_freeform: bool,
                  ttl_seconds: int) -> None:
        spec = {"name": name, "description": description, "options": list(options), "allow_freeform": allow_freeform}
        answered, answer = await ask(ctx, "single_choice", spec, ttl_seconds)
        if answered and not allow_freeform and answer not in options:
            raise ValueError(f"single choice {name!r}: {answer!r} is not one of the options {list(options)}")
        finish(ctx, answered, str(answer) if answered else "")


class MultipleChoice(NodeType):
    name = "interaction_multiple_choice"
    friendly_name = "Multiple Choice"
    category = INTERACTION
    description = "Asks the chat's user to pick options (at least Min, at most Max when Max > 0) and waits."
    pins = (
        *_question_pins("Choose options", "Please select one or more of the following options:", choices=True),
        data_in("min_selections", DataType.INTEGER, default=1),
        data_in("max_selections", DataType.INTEGER, default=0),
        *_interaction_pins(120, data_out("response", DataType.STRING, ValueType.ARRAY)),
    )

    async def run(self, ctx: Context, *, name: str, description: str, options: list[str], min_selections: int,
                  max_selections: int, ttl_seconds: int) -> None:
        spec = {"name": name, "description": description, "options": list(options),
                "min_selections": min_selections, "max_selections": max_selections}
        answered, answer = await ask(ctx, "multiple_choice", spec, ttl_seconds)
        chosen = [str(item) for item in answer] if answered else []
        if answered:
            unknown = [item for item in chosen if item not in options]
            too_many = max_selections > 0 and len(chosen) > max_selections
            if unknown or len(chosen) < min_selections or too_many:
                raise ValueError(f"multiple choice {name!r}: {chosen} is not {min_selections} to "
                                 f"{max_selections or 'any number of'} of the options {list(options)}")
        finish(ctx, answered, chosen)


def finish(ctx: Context, answered: bool, response: Any) -> None:
    ctx.set_output("response", response)
    ctx.set_output("responded", answered)
    ctx.activate("exec_out" if answered else "exec_timeout")
