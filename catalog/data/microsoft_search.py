"""Microsoft Search through Microsoft Graph (`/search/query`): one query across files, mail, events, sites, list
items, chat messages or connector content, the hits ranked by relevance."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.microsoft import Graph, GraphNode, csv_list, struct_out
from flowlike_catalog.web.service_pins import int_in, text_in

from flowlike_core import DataType, data_out

CATEGORY = "Data/Microsoft/Search"
CAPABILITIES = ("network",)

ENTITY_TYPES = ("driveItem", "message", "chatMessage", "event", "site", "list", "listItem", "drive",
                "externalItem", "person")

class GraphSearch(GraphNode):
    name = "data_microsoft_graph_search"
    friendly_name = "Microsoft Search"
    description = ("Searches Microsoft 365 (entity_types: comma-separated, like driveItem or message,chatMessage; "
                   "Graph allows some combinations only); from and size page the hits.")
    inputs = (text_in("query", description="Keyword Query Language (KQL) text"),
              text_in("entity_types", "driveItem", ", ".join(ENTITY_TYPES)), int_in("size", 25, "Hits a page"),
              int_in("from", 0, "Hits to skip"), text_in("fields", "", "Comma-separated properties to return"))
    outputs = (struct_out("results", array=True, description="Graph's searchHits (hitId, rank, summary, resource)"),
               data_out("count", DataType.INTEGER, description="Hits on this page"),
               data_out("total", DataType.INTEGER, description="Hits in all"),
               data_out("more_results", DataType.BOOLEAN, description="Whether another page has more"))

    async def call(self, graph: Graph, **inputs: Any) -> dict[str, Any]:
        query, size, skip, fields = inputs["query"], inputs["size"], inputs["from"], csv_list(inputs["fields"])
        kinds = csv_list(inputs["entity_types"])
        unknown = [kind for kind in kinds if kind not in ENTITY_TYPES]
        if not query or not kinds or unknown:
            raise ValueError(f"a search needs a query and entity types out of {', '.join(ENTITY_TYPES)}"
                             + (f" (unknown: {', '.join(unknown)})" if unknown else ""))
        request: dict[str, Any] = {"entityTypes": kinds, "query": {"queryString": query}, "from": skip, "size": size}
        if fields:
            request["fields"] = fields
        answer = await graph.call("POST", "/search/query", body={"requests": [request]})
        containers = [c for response in answer.get("value") or [] for c in response.get("hitsContainers") or []]
        hits = [hit for container in containers for hit in container.get("hits") or []]
        return {"results": hits, "count": len(hits), "total": sum(c.get("total", 0) for c in containers),
                "more_results": any(c.get("moreResultsAvailable") for c in containers)}
