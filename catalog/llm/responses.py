"""Responses and streamed chunks: make them, fold chunks in, read the answer's text, role and messages."""

from __future__ import annotations

from typing import Annotated, NamedTuple

from flowlike_catalog.llm.structs import Response, ResponseChunk, ResponseMessage

from flowlike_core import Pin, node

CATEGORY = "AI/Generative/Response"



class Content(NamedTuple):
    content: str
    success: Annotated[bool, Pin(description="Whether there was a message with text")]


class LastMessage(NamedTuple):
    message: ResponseMessage
    success: Annotated[bool, Pin(description="Whether the response has a message")]


@node(friendly_name="Make Response")
def ai_generative_llm_response_make() -> Annotated[Response, Pin(name="response")]:
    """An empty response, to fold streamed chunks into."""
    return Response()


@node(friendly_name="Response From String")
def ai_generative_llm_response_from_string(content: str = "") -> Annotated[Response, Pin(name="response")]:
    """A response whose answer is this text (for tests and fixed answers)."""
    return Response(choices=[{"message": {"content": content}, "finish_reason": "stop"}])


@node(friendly_name="Chunk From String")
def ai_generative_llm_chunk_from_string(content: str = "") -> Annotated[ResponseChunk, Pin(name="chunk")]:
    """A streamed chunk carrying this text."""
    return ResponseChunk(content=content)


@node(friendly_name="Push Chunk", exec_pins=True)
def ai_generative_llm_response_push_chunk(response: Response, chunk: ResponseChunk
                                          ) -> Annotated[Response, Pin("Response", name="response_out")]:
    """Folds a chunk into the response: its text is appended, tool-call pieces joined, finish reason and usage set."""
    return Response.model_validate(response).push_chunk(ResponseChunk.model_validate(chunk))


@node(friendly_name="Last Content")
def ai_generative_llm_response_last_content(response: Response) -> Content:
    """The text of the response's last message."""
    message = Response.model_validate(response).last_message()
    return Content(message.content or "", message.content is not None) if message else Content("", False)


@node(friendly_name="Last Message")
def ai_generative_llm_response_last_message(response: Response) -> LastMessage:
    """The response's last message (an empty one, and Success false, when it has none)."""
    message = Response.model_validate(response).last_message()
    return LastMessage(message or ResponseMessage(), message is not None)


@node(friendly_name="Get Token", category="AI/Generative/Response/Chunk")
def ai_generative_llm_response_chunk_get_token(chunk: ResponseChunk) -> Annotated[str, Pin(name="token")]:
    """The chunk's text."""
    return ResponseChunk.model_validate(chunk).content


@node(friendly_name="Get Content", category="AI/Generative/Response/Message")
def ai_generative_llm_response_message_get_content(message: ResponseMessage) -> Content:
    """The message's text; Success is false for a message with none (e.g. only tool calls)."""
    message = ResponseMessage.model_validate(message)
    return Content(message.content or "", message.content is not None)


@node(friendly_name="Get Role", category="AI/Generative/Response/Message")
def ai_generative_llm_response_message_get_role(message: ResponseMessage) -> Annotated[str, Pin(name="role")]:
    """Who wrote the message (normally 'assistant')."""
    return ResponseMessage.model_validate(message).role
