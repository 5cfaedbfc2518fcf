"""The structs that travel on llm pins: a model handle, chat histories, responses and their streamed chunks.

They follow the OpenAI chat shapes (which Flow-Like's History/Response structs follow too); the wire module
translates them for Anthropic and Ollama. Edits never change a struct in place: nodes return updated copies.
"""

from __future__ import annotations

import json
from typing import Any, Literal, get_args

from flowlike_catalog.llm.timeouts import seconds
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

Provider = Literal["openai", "anthropic", "ollama", "voyageai"]
Role = Literal["system", "user", "assistant", "tool"]


class LanguageModel(BaseModel):
    """Which chat (or, for VoyageAI, embedding) API to call and how (Flow-Like's Bit). The key is a SecretStr:
    records and logs show '****'."""

    model_config = ConfigDict(frozen=True)
    provider: Provider = "openai"
    endpoint: str = "https://api.openai.com/v1"
    model_id: str = ""
    api_key: SecretStr = SecretStr("")
    headers: dict[str, str] = {}
    label: str = "OpenAI"
    """The service's name, for messages (OpenAI, Groq, Mistral...)."""
    timeout: float | None = None
    """Seconds a call waits for the next bytes of the answer; None: FLOWLIKE_LLM_TIMEOUT, else 300 (see timeouts)."""

    @field_validator("timeout", mode="before")
    @classmethod
    def _seconds(cls, timeout: Any) -> Any:
        return None if timeout is None else seconds(timeout, "timeout")


class ToolFunction(BaseModel):
    name: str = ""
    arguments: str = ""
    """The arguments as the model wrote them: a JSON object in text."""


class ToolCall(BaseModel):
    id: str = ""
    type: Literal["function"] = "function"
    function: ToolFunction = ToolFunction()

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; a clear error when the model wrote something that is not a JSON object."""
        try:
            arguments = json.loads(self.function.arguments or "{}")
        except json.JSONDecodeError as error:
            raise ValueError(f"tool call {self.function.name!r}: arguments are not JSON ({error}): "
                             f"{self.function.arguments[:200]!r}") from None
        if not isinstance(arguments, dict):
            raise ValueError(f"tool call {self.function.name!r}: arguments must be a JSON object")
        return arguments


class ContentPart(BaseModel):
    """One part of a multimodal message: text, or an image by URL (data: URLs included)."""

    type: Literal["text", "image_url"] = "text"
    text: str = ""
    image_url: str = ""


class HistoryMessage(BaseModel):
    role: Role = "user"
    content: str | list[ContentPart] = ""
    name: str | None = None
    tool_call_id: str | None = None
    tool_calls: list[ToolCall] = []

    @field_validator("role", mode="before")
    @classmethod
    def _lower(cls, role: Any) -> Any:
        return role.lower() if isinstance(role, str) else role

    @field_validator("content", mode="before")
    @classmethod
    def _no_text(cls, content: Any) -> Any:
        """A response message without text (only tool calls) has None: empty text here."""
        return "" if content is None else content

    def text(self) -> str:
        """The message's text (the text parts joined by newlines for a multimodal message)."""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content if part.type == "text")


class History(BaseModel):
    """A conversation plus the request parameters (Flow-Like's History)."""

    model: str = ""
    """Model name for the request; empty takes the model handle's model_id."""
    messages: list[HistoryMessage] = []
    temperature: float | None = None
    max_completion_tokens: int | None = None
    top_p: float | None = None
    stop: list[str] | None = None
    n: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    user: str | None = None
    stream: bool | None = None
    response_format: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None

    def with_messages(self, messages: list[HistoryMessage]) -> History:
        return self.model_copy(update={"messages": messages})

    def system_prompt(self) -> HistoryMessage | None:
        return next((m for m in self.messages if m.role == "system"), None)


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class ResponseMessage(BaseModel):
    """The model's answer; it wires into Push Message as it is (a HistoryMessage takes its role, text and calls)."""

    role: Role = "assistant"
    content: str | None = None
    tool_calls: list[ToolCall] = []
    reasoning: str | None = None
    """A reasoning model's thinking, as its server gives it (not sent back with the history)."""

    @field_validator("role", mode="before")
    @classmethod
    def _assistant(cls, role: Any) -> Any:
        """The answer's author, lower case; a server that leaves it out (null) or names another means the assistant."""
        role = role.lower() if isinstance(role, str) else role
        return role if role in get_args(Role) else "assistant"


class Choice(BaseModel):
    index: int = 0
    finish_reason: str | None = None
    message: ResponseMessage = ResponseMessage()


class ToolCallDelta(BaseModel):
    """A piece of a streamed tool call: the first piece names it, later ones add argument text."""

    index: int = 0
    id: str = ""
    name: str = ""
    arguments: str = ""


class ResponseChunk(BaseModel):
    """One streamed piece of a response: a token (or a few), thinking, tool-call pieces, or the finish reason."""

    index: int = 0
    content: str = ""
    tool_calls: list[ToolCallDelta] = []
    finish_reason: str | None = None
    usage: Usage | None = None
    reasoning: str = ""
    """A piece of a reasoning model's thinking."""

    def is_empty(self) -> bool:
        """Carries nothing: a stream's opening role delta, a keep-alive; On Stream does not fire for it."""
        return not (self.content or self.reasoning or self.tool_calls or self.finish_reason or self.usage)


class Response(BaseModel):
    id: str = ""
    model: str = ""
    choices: list[Choice] = []
    usage: Usage = Usage()

    def last_message(self) -> ResponseMessage | None:
        return self.choices[-1].message if self.choices else None

    def content(self) -> str:
        message = self.last_message()
        return (message.content or "") if message else ""

    def tool_calls(self) -> list[ToolCall]:
        message = self.last_message()
        return message.tool_calls if message else []

    def push_chunk(self, chunk: ResponseChunk) -> Response:
        """A copy with the chunk folded in: text appended, tool-call pieces joined, finish reason and usage set."""
        response = self.model_copy(deep=True)
        while len(response.choices) <= chunk.index:
            response.choices.append(Choice(index=len(response.choices)))
        choice = response.choices[chunk.index]
        message = choice.message
        if chunk.content:
            message.content = (message.content or "") + chunk.content
        if chunk.reasoning:
            message.reasoning = (message.reasoning or "") + chunk.reasoning
        for piece in chunk.tool_calls:
            while len(message.tool_calls) <= piece.index:
                message.tool_calls.append(ToolCall())
            call = message.tool_calls[piece.index]
            call.id = call.id or piece.id
            call.function.name = call.function.name or piece.name
            call.function.arguments += piece.arguments
        if chunk.finish_reason:
            choice.finish_reason = chunk.finish_reason
        if chunk.usage is not None:
            response.usage = chunk.usage
        return response

    def to_message(self) -> HistoryMessage:
        """The answer as a history message, to continue the conversation."""
        message = self.last_message() or ResponseMessage()
        return HistoryMessage(role="assistant", content=message.content or "", tool_calls=message.tool_calls)


class AgentTool(BaseModel):
    """A tool an agent may call: a node type of the catalog, a board file, or the built-in 'think' tool."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    node: str = ""
    """Catalog key of the function node that runs the tool."""
    board: str = ""
    """Path of a board file that runs the tool (its exposed variables are the arguments, its result the answer)."""

    def schema_for_model(self) -> dict[str, Any]:
        return {"type": "function",
                "function": {"name": self.name, "description": self.description, "parameters": self.parameters}}


class McpServer(BaseModel):
    """An MCP server whose tools an agent calls (Flow-Like's McpServerConfig, with a timeout of its own)."""

    uri: str
    """'stdio:COMMAND ARGS...', or the http(s) URL of a Streamable HTTP (or an older HTTP+SSE) endpoint."""
    tool_filter: list[str] | None = None
    """The names of the server's tools to use (Manual mode); None: every tool it lists."""
    timeout: float = 60.0
    """Seconds to wait for each answer of the server: connecting, listing its tools, each tool call."""


class Agent(BaseModel):
    """A model plus tools and the loop's limits (Flow-Like's Agent)."""

    model: LanguageModel
    system_prompt: str = ""
    tools: list[AgentTool] = []
    mcp_servers: list[McpServer] = []
    max_iter: int = 15
    infinite_context: bool = False
    max_context_tokens: int = 32000
    context_mode: Literal["truncate", "summarize"] = "summarize"

    @field_validator("context_mode", mode="before")
    @classmethod
    def _lower(cls, mode: Any) -> Any:
        return mode.lower() if isinstance(mode, str) else mode


def as_model(value: Any, what: str = "model") -> LanguageModel:
    """The model handle on a pin, or a clear error naming the pin when nothing usable is wired."""
    if value is None or value == {}:
        raise ValueError(f"no {what}: wire a provider node (e.g. 'Build OpenAI') into the {what} pin")
    return LanguageModel.model_validate(value)
