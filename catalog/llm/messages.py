"""History messages: make one, add text or image parts to it, read its text."""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.llm.structs import ContentPart, HistoryMessage

from flowlike_core import Pin, node

CATEGORY = "AI/Generative/History/Message"

Role = Annotated[str, Pin(valid_values=("User", "Assistant", "System", "Tool"))]
ContentType = Annotated[str, Pin(valid_values=("Text", "Image"),
                                 description="Text, or Image (the content is then an image URL or data: URL)")]


def _part(kind: str, content: str) -> ContentPart:
    if kind.lower() == "text":
        return ContentPart(type="text", text=content)
    if kind.lower() == "image":
        return ContentPart(type="image_url", image_url=content)
    raise ValueError(f"content type must be 'Text' or 'Image', got {kind!r}")


@node(friendly_name="Make Message")
def ai_generative_make_history_message(role: Role = "User", type: ContentType = "Text",
                                       content: str = "") -> Annotated[HistoryMessage, Pin(name="message")]:
    """A message from a role; Text makes a plain text message, Image one whose first part is the image."""
    if type.lower() == "text":
        return HistoryMessage(role=role, content=content)
    return HistoryMessage(role=role, content=[_part(type, content)] if content else [])


@node(friendly_name="Push Content", exec_pins=True)
def ai_generative_push_content(message: HistoryMessage, type: ContentType = "Text",
                               content: str = "") -> Annotated[HistoryMessage, Pin("Message", name="message_out")]:
    """Adds a text or image part to the message (a plain text message becomes a multi-part one)."""
    message = HistoryMessage.model_validate(message)
    parts: list[ContentPart] = list(message.content) if isinstance(message.content, list) else \
        [ContentPart(type="text", text=message.content)] if message.content else []
    return message.model_copy(update={"content": [*parts, _part(type, content)]})


@node(friendly_name="Extract Content")
def ai_generative_message_extract_content(message: HistoryMessage) -> Annotated[str, Pin(name="content")]:
    """The message's text (text parts joined by newlines; images left out)."""
    return HistoryMessage.model_validate(message).text()
