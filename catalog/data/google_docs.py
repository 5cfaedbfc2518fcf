"""Google Docs (REST v1): documents made, read (whole, or as plain text), edited by index (insert, delete),
search-and-replaced, and exported through Drive."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.google import Google, GoogleNode, segment, struct_out
from flowlike_catalog.data.google_drive import export_as_text
from flowlike_catalog.web.service_pins import bool_in, int_in, int_out, text_in, text_out

from flowlike_core import DataType, data_out

CATEGORY = "Data/Google/Docs"
CAPABILITIES = ("network",)


def document(found: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's GoogleDocument."""
    return {"document_id": found.get("documentId", ""), "title": found.get("title", ""),
            "revision_id": found.get("revisionId")}


def plain_text(found: dict[str, Any]) -> str:
    """The text of the body's paragraphs, in order (tables and other structures left out, as in Flow-Like)."""
    return "".join(element.get("textRun", {}).get("content", "")
                   for block in found.get("body", {}).get("content", [])
                   for element in block.get("paragraph", {}).get("elements", []))


async def edit(google: Google, document_id: str, request: dict[str, Any]) -> dict[str, Any]:
    return await google.call("docs", "POST", f"/documents/{segment(document_id, 'document_id')}:batchUpdate",
                             body={"requests": [request]})


async def get(google: Google, document_id: str) -> dict[str, Any]:
    return await google.call("docs", "GET", f"/documents/{segment(document_id, 'document_id')}")


DOCUMENT_ID = text_in("document_id", description="From the document's URL: /document/d/<id>/")
DOCUMENT = struct_out("document", description="GoogleDocument: document_id, title, revision_id")


class CreateDocument(GoogleNode):
    name = "data_google_docs_create"
    friendly_name = "Create Document"
    description = "A new, empty document."
    inputs = (text_in("title"),)
    outputs = (text_out("document_id"), DOCUMENT)

    async def call(self, google: Google, *, title: str) -> dict[str, Any]:
        found = await google.call("docs", "POST", "/documents", body={"title": title})
        return {"document_id": found["documentId"], "document": document(found)}


class GetDocument(GoogleNode):
    name = "data_google_docs_get"
    friendly_name = "Get Document"
    description = "A document, with its full structure as Google sends it."
    inputs = (DOCUMENT_ID,)
    outputs = (DOCUMENT, data_out("content", DataType.GENERIC, description="The Document resource as it came"))

    async def call(self, google: Google, *, document_id: str) -> dict[str, Any]:
        found = await get(google, document_id)
        return {"document": document(found), "content": found}


class GetDocumentText(GoogleNode):
    name = "data_google_docs_get_text"
    friendly_name = "Get Document Text"
    description = "The text of a document's paragraphs."
    inputs = (DOCUMENT_ID,)
    outputs = (text_out("text"),)

    async def call(self, google: Google, *, document_id: str) -> dict[str, Any]:
        return {"text": plain_text(await get(google, document_id))}


class InsertText(GoogleNode):
    name = "data_google_docs_insert_text"
    friendly_name = "Insert Text"
    description = "Inserts text at an index of the body (1 is the start)."
    inputs = (DOCUMENT_ID, text_in("text"), int_in("index", 1, "Where, counted in UTF-16 code units; 1 is the start"))

    async def call(self, google: Google, *, document_id: str, text: str, index: int) -> dict[str, Any]:
        await edit(google, document_id, {"insertText": {"text": text, "location": {"index": index}}})
        return {}


class DeleteText(GoogleNode):
    name = "data_google_docs_delete_text"
    friendly_name = "Delete Text"
    description = "Deletes the body's content from start_index up to (not including) end_index."
    inputs = (DOCUMENT_ID, int_in("start_index"), int_in("end_index"))

    async def call(self, google: Google, *, document_id: str, start_index: int, end_index: int) -> dict[str, Any]:
        if end_index <= start_index:
            raise ValueError(f"end_index ({end_index}) must be after start_index ({start_index})")
        await edit(google, document_id, {"deleteContentRange": {"range": {"startIndex": start_index,
                                                                           "endIndex": end_index}}})
        return {}


class ReplaceAllText(GoogleNode):
    name = "data_google_docs_replace_text"
    friendly_name = "Replace All Text"
    description = "Replaces every occurrence of a text in the document."
    inputs = (DOCUMENT_ID, text_in("search_text"), text_in("replace_text"), bool_in("match_case", True))
    outputs = (int_out("occurrences", "How many were replaced"),)

    async def call(self, google: Google, *, document_id: str, search_text: str, replace_text: str,
                   match_case: bool) -> dict[str, Any]:
        if not search_text:
            raise ValueError("search_text is required")
        found = await edit(google, document_id, {"replaceAllText": {
            "containsText": {"text": search_text, "matchCase": match_case}, "replaceText": replace_text}})
        return {"occurrences": found["replies"][0].get("replaceAllText", {}).get("occurrencesChanged", 0)}


class ExportDocument(GoogleNode):
    name = "data_google_docs_export"
    friendly_name = "Export Document"
    description = "A document in another format: text formats as text, binary ones (PDF, DOCX) as base64."
    inputs = (DOCUMENT_ID, text_in("format", "text/plain", "A MIME type: text/plain, text/html, application/pdf, "
                                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document..."))
    outputs = (text_out("content"),)

    async def call(self, google: Google, *, document_id: str, format: str) -> dict[str, Any]:
        return {"content": await export_as_text(google, document_id, format)}
