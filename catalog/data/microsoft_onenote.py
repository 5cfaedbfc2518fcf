"""OneNote through Microsoft Graph: the user's notebooks, their sections and pages; pages are made from and read
as HTML."""

from __future__ import annotations

from html import escape
from typing import Any

from flowlike_catalog.data.microsoft import COUNT, Graph, GraphNode, listed, segment, struct_out
from flowlike_catalog.web.service_pins import text_in, text_out

CATEGORY = "Data/Microsoft/OneNote"
CAPABILITIES = ("network",)

NOTEBOOK_ID = text_in("notebook_id")
SECTION_ID = text_in("section_id")
PAGE_ID = text_in("page_id")


class ListNotebooks(GraphNode):
    name = "data_microsoft_onenote_list_notebooks"
    friendly_name = "List Notebooks"
    description = "The user's notebooks."
    outputs = (struct_out("notebooks", array=True, description="Graph's notebooks"), COUNT)

    async def call(self, graph: Graph) -> dict[str, Any]:
        return listed("notebooks", await graph.list("/me/onenote/notebooks"))


class CreateNotebook(GraphNode):
    name = "data_microsoft_onenote_create_notebook"
    friendly_name = "Create Notebook"
    description = "Adds a notebook (its name must be new)."
    inputs = (text_in("display_name"),)
    outputs = (struct_out("notebook", description="Graph's notebook"),)

    async def call(self, graph: Graph, *, display_name: str) -> dict[str, Any]:
        if not display_name:
            raise ValueError("display_name is required")
        return {"notebook": await graph.call("POST", "/me/onenote/notebooks", body={"displayName": display_name})}


class ListSections(GraphNode):
    name = "data_microsoft_onenote_list_sections"
    friendly_name = "List Sections"
    description = "The sections of a notebook."
    inputs = (NOTEBOOK_ID,)
    outputs = (struct_out("sections", array=True, description="Graph's onenoteSections"), COUNT)

    async def call(self, graph: Graph, *, notebook_id: str) -> dict[str, Any]:
        path = f"/me/onenote/notebooks/{segment(notebook_id, 'notebook_id')}/sections"
        return listed("sections", await graph.list(path))


class CreateSection(GraphNode):
    name = "data_microsoft_onenote_create_section"
    friendly_name = "Create Section"
    description = "Adds a section to a notebook."
    inputs = (NOTEBOOK_ID, text_in("display_name"))
    outputs = (struct_out("section", description="Graph's onenoteSection"),)

    async def call(self, graph: Graph, *, notebook_id: str, display_name: str) -> dict[str, Any]:
        if not display_name:
            raise ValueError("display_name is required")
        path = f"/me/onenote/notebooks/{segment(notebook_id, 'notebook_id')}/sections"
        return {"section": await graph.call("POST", path, body={"displayName": display_name})}


class ListPages(GraphNode):
    name = "data_microsoft_onenote_list_pages"
    friendly_name = "List Pages"
    description = "The pages of a section."
    inputs = (SECTION_ID,)
    outputs = (struct_out("pages", array=True, description="Graph's onenotePages"), COUNT)

    async def call(self, graph: Graph, *, section_id: str) -> dict[str, Any]:
        return listed("pages", await graph.list(f"/me/onenote/sections/{segment(section_id, 'section_id')}/pages"))


class CreatePage(GraphNode):
    name = "data_microsoft_onenote_create_page"
    friendly_name = "Create Page"
    description = "Adds a page to a section: the title (plain text) and the content (HTML for the page's body)."
    inputs = (SECTION_ID, text_in("title"), text_in("content", "", "HTML"))
    outputs = (struct_out("page", description="Graph's onenotePage"),)

    async def call(self, graph: Graph, *, section_id: str, title: str, content: str) -> dict[str, Any]:
        page = (f"<!DOCTYPE html>\n<html>\n<head>\n<title>{escape(title)}</title>\n</head>\n"
                f"<body>\n{content}\n</body>\n</html>\n")
        path = f"/me/onenote/sections/{segment(section_id, 'section_id')}/pages"
        return {"page": await graph.call("POST", path, content=page.encode("utf-8"),
                                         headers={"Content-Type": "application/xhtml+xml"})}


class GetPageContent(GraphNode):
    name = "data_microsoft_onenote_get_page_content"
    friendly_name = "Get Page Content"
    description = "A page's HTML."
    inputs = (PAGE_ID,)
    outputs = (text_out("content", "The page as HTML"),)

    async def call(self, graph: Graph, *, page_id: str) -> dict[str, Any]:
        response = await graph.send("GET", graph.url(f"/me/onenote/pages/{segment(page_id, 'page_id')}/content"))
        return {"content": response.body.decode("utf-8", "replace")}


class DeletePage(GraphNode):
    name = "data_microsoft_onenote_delete_page"
    friendly_name = "Delete Page"
    description = "Removes a page."
    inputs = (PAGE_ID,)

    async def call(self, graph: Graph, *, page_id: str) -> dict[str, Any]:
        await graph.call("DELETE", f"/me/onenote/pages/{segment(page_id, 'page_id')}")
        return {}
