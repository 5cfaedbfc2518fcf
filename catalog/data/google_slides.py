"""Google Slides (REST v1): presentations made and read, slides added and deleted, text boxes placed, and
exports through Drive. Positions and sizes are in EMU (914400 to the inch)."""

from __future__ import annotations

import uuid
from typing import Any

from flowlike_catalog.data.google import Google, GoogleNode, required, segment, struct_out
from flowlike_catalog.data.google_drive import export_as_text
from flowlike_catalog.web.service_pins import int_in, int_out, text_in, text_out

from flowlike_core import DataType, data_in

CATEGORY = "Data/Google/Slides"
CAPABILITIES = ("network",)


def presentation(found: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's GooglePresentation (slides as GoogleSlide: object_id, page_type)."""
    return {"presentation_id": found.get("presentationId", ""), "title": found.get("title", ""),
            "locale": found.get("locale"), "revision_id": found.get("revisionId"),
            "slides": [{"object_id": s["objectId"], "page_type": s.get("pageType")} for s in found.get("slides", [])]}


def object_id(prefix: str) -> str:
    """A new page element id (5 to 50 characters of [a-zA-Z0-9_-:], as Slides requires)."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


async def edit(google: Google, presentation_id: str, *requests: dict[str, Any]) -> dict[str, Any]:
    return await google.call("slides", "POST",
                             f"/presentations/{segment(presentation_id, 'presentation_id')}:batchUpdate",
                             body={"requests": list(requests)})


PRESENTATION_ID = text_in("presentation_id", description="From the URL: /presentation/d/<id>/")
PRESENTATION = struct_out("presentation", description="GooglePresentation: presentation_id, title, locale, "
                          "revision_id, slides")


class CreatePresentation(GoogleNode):
    name = "data_google_slides_create"
    friendly_name = "Create Presentation"
    description = "A new presentation with one title slide."
    inputs = (text_in("title"),)
    outputs = (text_out("presentation_id"), PRESENTATION)

    async def call(self, google: Google, *, title: str) -> dict[str, Any]:
        found = await google.call("slides", "POST", "/presentations", body={"title": title})
        return {"presentation_id": found["presentationId"], "presentation": presentation(found)}


class GetPresentation(GoogleNode):
    name = "data_google_slides_get"
    friendly_name = "Get Presentation"
    description = "A presentation and its slides."
    inputs = (PRESENTATION_ID,)
    outputs = (PRESENTATION, struct_out("slides", array=True, description="GoogleSlide: object_id, page_type"),
               int_out("slide_count"))

    async def call(self, google: Google, *, presentation_id: str) -> dict[str, Any]:
        shaped = presentation(await google.call("slides", "GET",
                                                f"/presentations/{segment(presentation_id, 'presentation_id')}"))
        return {"presentation": shaped, "slides": shaped["slides"], "slide_count": len(shaped["slides"])}


class AddSlide(GoogleNode):
    name = "data_google_slides_add_slide"
    friendly_name = "Add Slide"
    description = "Adds a slide with a predefined layout, at the end or at an index."
    inputs = (PRESENTATION_ID, text_in("layout", "BLANK", "BLANK, TITLE, TITLE_AND_BODY, TITLE_ONLY, SECTION_HEADER, "
                                       "ONE_COLUMN_TEXT, MAIN_POINT, BIG_NUMBER..."),
              int_in("insert_index", -1, "Where (0 is first); -1: at the end"))
    outputs = (text_out("slide_id"),)

    async def call(self, google: Google, *, presentation_id: str, layout: str, insert_index: int) -> dict[str, Any]:
        slide_id = object_id("slide")
        request: dict[str, Any] = {"objectId": slide_id, "slideLayoutReference": {"predefinedLayout": layout}}
        if insert_index >= 0:
            request["insertionIndex"] = insert_index
        found = await edit(google, presentation_id, {"createSlide": request})
        return {"slide_id": found["replies"][0].get("createSlide", {}).get("objectId", slide_id)}


class DeleteSlide(GoogleNode):
    name = "data_google_slides_delete_slide"
    friendly_name = "Delete Slide"
    description = "Deletes a slide (or any page element) by its object id."
    inputs = (PRESENTATION_ID, text_in("slide_id"))

    async def call(self, google: Google, *, presentation_id: str, slide_id: str) -> dict[str, Any]:
        await edit(google, presentation_id, {"deleteObject": {"objectId": required(slide_id, "slide_id")}})
        return {}


def emu(name: str, default: float, what: str) -> Any:
    return data_in(name, DataType.FLOAT, default=default, description=f"{what}, in EMU (914400 = 1 inch)")


class AddText(GoogleNode):
    name = "data_google_slides_add_text"
    friendly_name = "Add Text to Slide"
    description = "Places a text box with the text on a slide."
    inputs = (PRESENTATION_ID, text_in("slide_id"), text_in("text"), emu("x", 914400.0, "Left edge"),
              emu("y", 914400.0, "Top edge"), emu("width", 7315200.0, "Width"), emu("height", 914400.0, "Height"))
    outputs = (text_out("shape_id"),)

    async def call(self, google: Google, *, presentation_id: str, slide_id: str, text: str, x: float, y: float,
                   width: float, height: float) -> dict[str, Any]:
        shape_id = object_id("textbox")
        await edit(google, presentation_id,
                   {"createShape": {"objectId": shape_id, "shapeType": "TEXT_BOX", "elementProperties": {
                       "pageObjectId": required(slide_id, "slide_id"),
                       "size": {"width": {"magnitude": width, "unit": "EMU"},
                                "height": {"magnitude": height, "unit": "EMU"}},
                       "transform": {"scaleX": 1, "scaleY": 1, "translateX": x, "translateY": y, "unit": "EMU"}}}},
                   {"insertText": {"objectId": shape_id, "text": text, "insertionIndex": 0}})
        return {"shape_id": shape_id}


class ExportPresentation(GoogleNode):
    name = "data_google_slides_export"
    friendly_name = "Export Presentation"
    description = "A presentation in another format: text formats as text, binary ones (PDF, PPTX) as base64."
    inputs = (PRESENTATION_ID, text_in("format", "application/pdf", "A MIME type: application/pdf, text/plain, "
                                       "application/vnd.openxmlformats-officedocument.presentationml.presentation"))
    outputs = (text_out("content"),)

    async def call(self, google: Google, *, presentation_id: str, format: str) -> dict[str, Any]:
        return {"content": await export_as_text(google, presentation_id, format)}
