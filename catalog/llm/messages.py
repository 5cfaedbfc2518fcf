"""History messages: make one, add text or image parts to it, read its text."""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.llm.structs import ContentPart, HistoryMessage

from flowlike_core import Pin, node

CATEGORY = "AI/Generative/History/Message"

Role = Annotated[str, Pin(valid_values=("User", "Assistant", "System", "Tool"))]
ContentType = Annotated[str, Pin(valid_values=("Text", "Image"), description="Text (the Text pin) or Image (the Image "
                                                                             "pin)")]
Text = Annotated[str, Pin(description="The text, when the type is Text")]
Image = Annotated[str, Pin(description="An image URL or data: URL, when the type is Image")]


def _part(kind: str, text: str, image: str) -> ContentPart:
    if kind.lower() == "text":
        return ContentPart(type="text", text=text)
    if kind.lower() == "image":
        return ContentPart(type="image_url", image_url=image)
    raise ValueError(f"content type must be 'Text' or 'Image', got {kind!r}")


@node(friendly_name="Make Message")
def ai_generative_make_history_message(role: Role = "User", type: ContentType = "Text", text: Text = "",
                                       image: Image = "", tool_call_id: Annotated[str, Pin(description=(
                                           "The id of the tool call a Tool message answers (Invoke With Tools' "
                                           "Tool Calls give it)"))] = "") -> Annotated[HistoryMessage, Pin(
                                               name="message")]:
    """A message from a role; Text makes a plain text message, Image one whose first part is the image. A Tool
    message carries the tool's answer for the call whose id it names."""
    tool_call_id = (tool_call_id or None) if role.lower() == "tool" else None
    if type.lower() == "text":
        return HistoryMessage(role=role, content=text, tool_call_id=tool_call_id)
    return HistoryMessage(role=role, content=[_part(type, text, image)] if image else [], tool_call_id=tool_call_id)


@node(friendly_name="Push Content", exec_pins=True)
def ai_generative_push_content(message: HistoryMessage, type: ContentType = "Text", text: Text = "",
                               image: Image = "") -> Annotated[HistoryMessage, Pin("Message", name="message_out")]:
    """Adds a text or image part to the message (a plain text message becomes a multi-part one)."""
    message = HistoryMessage.model_validate(message)
    parts: list[ContentPart] = list(message.content) if isinstance(message.content, list) else \
        [ContentPart(type="text", text=message.content)] if message.content else []
    return message.model_copy(update={"content": [*parts, _part(type, text, image)]})


@node(friendly_name="Extract Content")
def ai_generative_message_extract_content(message: HistoryMessage) -> Annotated[str, Pin(name="content")]:
    """The message's text (text parts joined by newlines; images left out)."""
    return HistoryMessage.model_validate(message).text()
