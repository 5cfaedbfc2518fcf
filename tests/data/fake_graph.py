"""A local stand-in for Microsoft Graph v1.0: the endpoints the Microsoft nodes call, under /v1.0, answering with
the JSON shapes Graph documents (trimmed to the fields that matter), its error JSON and its paging
(`@odata.nextLink` with a skip token), over in-memory drives, mail, calendars, teams, tasks, sites and notebooks."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from data_boards import Flow, outputs
from fake_server import TokenEndpoint, serve, token_route

TOKEN = "graph-local-test-token"
PAGE_SIZE = 2
"""Items a page when the request names no $top: small, so that the nodes' paging is tested on every list."""

Handler = Callable[..., Any]


def error(status: int, code: str, message: str) -> Any:
    from starlette.responses import JSONResponse

    return JSONResponse({"error": {"code": code, "message": message, "innerError": {"request-id": "local"}}},
                        status_code=status)


def not_found(what: str) -> Any:
    return error(404, "itemNotFound", f"The resource '{what}' could not be found.")


class Drive:
    """A drive: items by id, children by parent id, file contents by id."""

    def __init__(self, drive_id: str) -> None:
        self.id, self.ids = drive_id, itertools.count(1)
        self.items: dict[str, dict[str, Any]] = {"root": {"id": "root", "name": "root", "root": {}, "folder": {},
                                                          "parentReference": {"driveId": drive_id}}}
        self.contents: dict[str, bytes] = {}

    def path_of(self, item: dict[str, Any]) -> str:
        parent = item["parentReference"].get("id")
        return "" if parent is None else self.path_of(self.items[parent]) + "/" + item["name"]

    def add(self, parent_path: str, name: str, content: bytes | None = None) -> dict[str, Any]:
        parent = self.find(parent_path)
        item_id = f"{self.id}-item-{next(self.ids)}"
        item = {"id": item_id, "name": name, "createdDateTime": "2026-03-01T10:00:00Z",
                "lastModifiedDateTime": "2026-03-01T10:00:00Z", "webUrl": f"https://contoso-my.sharepoint.com/{name}",
                "parentReference": {"driveId": self.id, "id": parent["id"],
                                    "path": f"/drive/root:{self.path_of(parent)}"}}
        if content is None:
            item["folder"] = {"childCount": 0}
        else:
            item |= {"file": {"mimeType": "application/octet-stream"}, "size": len(content)}
            self.contents[item_id] = content
        self.items[item_id] = item
        return item

    def children(self, item_id: str) -> list[dict[str, Any]]:
        return [i for i in self.items.values() if i["parentReference"].get("id") == item_id]

    def find(self, path: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self.items["root"]
        for name in filter(None, path.split("/")):
            item = next((c for c in self.children(item["id"]) if c["name"] == name), None)
            if item is None:
                return None
        return item


class Workbook:
    """Sheets of cells (rows of values) and tables (a header row and data rows)."""

    def __init__(self) -> None:
        self.sheets: dict[str, list[list[Any]]] = {"Sheet1": [["Name", "Qty", "Price"], ["Apple", 3, 0.5],
                                                              ["Pear", 5, 0.75]], "Summary": [["Total", 8]]}
        self.tables: dict[str, dict[str, Any]] = {"Sales": {"header": ["Region", "Amount"],
                                                            "rows": [["North", 10], ["South", 20]]}}


def cell(ref: str) -> tuple[int, int]:
    """'B3' → (row 2, column 1)."""
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref.upper()).groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits) - 1, column - 1


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class State:
    def __init__(self) -> None:
        self.base = ""
        self.requests: list[dict[str, Any]] = []
        self.oauth = TokenEndpoint(TOKEN, rotate=True)  # the identity platform may send a new refresh token
        self.ids = itertools.count(100)
        self.drive = Drive("me-drive")
        self.drive.add("", "Documents")
        self.drive.add("", "Reports")
        self.drive.add("/Documents", "notes.txt", b"hello graph")
        self.drive.add("/Documents", "plan notes.txt", b"plan")
        self.drive.add("/Documents", "budget.xlsx", b"PK-workbook")
        self.workbook = Workbook()
        self.site_drive = Drive("b!site-docs")
        self.site_drive.add("", "Shared")
        self.site_drive.add("/Shared", "spec.pdf", b"%PDF-1.7 spec")
        self.site = {"id": "contoso.sharepoint.com,site-1,web-1", "name": "marketing", "displayName": "Marketing",
                     "webUrl": "https://contoso.sharepoint.com/sites/marketing"}
        self.lists = [{"id": "list-1", "name": "Contacts", "displayName": "Contacts", "list": {"template": "contacts"}}]
        self.list_items = [{"id": str(n), "fields": {"Title": f"Row {n}", "Amount": n * 10}} for n in (1, 2, 3)]
        self.folders = [{"id": "inbox-id", "displayName": "Inbox", "totalItemCount": 3, "unreadItemCount": 2},
                        {"id": "sent-id", "displayName": "Sent Items", "totalItemCount": 0, "unreadItemCount": 0},
                        {"id": "drafts-id", "displayName": "Drafts", "totalItemCount": 0, "unreadItemCount": 0}]
        self.messages = [self.message(n, subject, read) for n, (subject, read) in
                         enumerate((("Welcome", True), ("Invoice", False), ("Lunch?", False)), 1)]
        self.sent: list[dict[str, Any]] = []
        self.contacts = [{"id": f"c{n}", "displayName": name, "emailAddresses": [{"address": f"{name.lower()}@x.org"}]}
                         for n, name in enumerate(("Ada", "Bob", "Adele"), 1)]
        self.calendars = [{"id": "cal-default", "name": "Calendar", "color": "auto", "isDefaultCalendar": True}]
        self.events: list[dict[str, Any]] = [
            self.event("Standup", "2026-03-02T09:00:00", "2026-03-02T09:15:00"),
            self.event("Review", "2026-03-03T14:00:00", "2026-03-03T15:00:00"),
            self.event("Offsite", "2026-04-10T08:00:00", "2026-04-10T17:00:00")]
        self.responses: list[dict[str, Any]] = []
        self.teams = [{"id": "team-1", "displayName": "Engineering"}, {"id": "team-2", "displayName": "Sales"}]
        self.channels = {"team-1": [{"id": "19:general@thread.tacv2", "displayName": "General",
                                     "membershipType": "standard"}], "team-2": []}
        self.channel_messages: dict[str, list[dict[str, Any]]] = {
            "19:general@thread.tacv2": [{"id": str(1700000000000 + n), "messageType": "message",
                                         "body": {"contentType": "text", "content": f"message {n}"}}
                                        for n in range(3, 0, -1)]}
        self.todo_lists = [{"id": "todo-tasks", "displayName": "Tasks", "wellknownListName": "defaultList"}]
        self.todo_tasks: dict[str, list[dict[str, Any]]] = {"todo-tasks": [
            {"id": "t1", "title": "Buy milk", "status": "notStarted", "importance": "normal"}]}
        self.plans = [{"id": "plan-1", "title": "Launch", "owner": "group-1"}]
        self.buckets = [{"id": "bucket-1", "name": "To do", "planId": "plan-1", "orderHint": "8585"}]
        self.planner_tasks = [self.planner_task("Write docs", "bucket-1", assigned=True),
                              self.planner_task("Ship", "bucket-1", assigned=False)]
        self.notebooks = [{"id": "nb-1", "displayName": "Work"}]
        self.sections = {"nb-1": [{"id": "sec-1", "displayName": "Meetings"}]}
        self.pages: dict[str, list[dict[str, Any]]] = {"sec-1": []}
        self.page_html: dict[str, str] = {}
        self.me = {"id": "user-1", "displayName": "Ada Lovelace", "mail": "ada@x.org"}
        self.interactions = [
            {"id": "i1", "sessionId": "s1", "interactionType": "userPrompt", "createdDateTime": "2026-03-01T09:00:00Z",
             "appClass": "IPM.SkypeTeams.Message.Copilot.Word", "body": {"contentType": "text", "content": "Draft"}},
            {"id": "i2", "sessionId": "s1", "interactionType": "aiResponse", "createdDateTime": "2026-03-01T09:00:05Z",
             "appClass": "IPM.SkypeTeams.Message.Copilot.Word", "body": {"contentType": "html", "content": "Sure"}},
            {"id": "i3", "sessionId": "s2", "interactionType": "userPrompt", "createdDateTime": "2026-03-02T10:00:00Z",
             "appClass": "IPM.SkypeTeams.Message.Copilot.Teams", "body": {"contentType": "text", "content": "Recap"}}]
        self.insights = {("user-1", "meet-1"): [
            {"id": "ins-1", "callId": "call-1", "contentCorrelationId": "corr-1",
             "createdDateTime": "2026-03-02T11:00:00Z", "endDateTime": "2026-03-02T11:30:00Z",
             "meetingNotes": [{"title": "Budget", "text": "Agreed on Q2 budget", "subpoints": []}],
             "actionItems": [{"title": "Send budget", "text": "Ada sends the budget", "ownerDisplayName": "Ada"}]}]}
        self.subscriptions: list[dict[str, Any]] = []
        self.conversations: dict[str, int] = {}
        """Copilot conversations: id → turns so far."""

    def next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self.ids)}"

    def message(self, n: int, subject: str, read: bool) -> dict[str, Any]:
        return {"id": f"msg-{n}", "subject": subject, "isRead": read, "parentFolderId": "inbox-id",
                "receivedDateTime": f"2026-03-0{n}T08:00:00Z", "bodyPreview": f"About {subject}",
                "body": {"contentType": "text", "content": f"About {subject}"},
                "from": {"emailAddress": {"name": "Ada", "address": "ada@x.org"}}}

    def event(self, subject: str, start: str, end: str, **fields: Any) -> dict[str, Any]:
        return {"id": self.next_id("event"), "subject": subject, "start": {"dateTime": start, "timeZone": "UTC"},
                "end": {"dateTime": end, "timeZone": "UTC"}, "calendarId": "cal-default", **fields}

    def planner_task(self, title: str, bucket: str, assigned: bool) -> dict[str, Any]:
        return {"id": self.next_id("ptask"), "title": title, "planId": "plan-1", "bucketId": bucket, "priority": 5,
                "percentComplete": 0, "@odata.etag": 'W/"etag-1"', "assigned": assigned}


class Call:
    """One request as the handlers see it: method, decoded path match, query, JSON or raw body."""

    def __init__(self, request: Any, match: re.Match[str], body: bytes) -> None:
        self.request, self.match, self.raw = request, match, body
        self.query = dict(request.query_params)
        self.method = request.method

    def __getitem__(self, group: str) -> str:
        return self.match.group(group)

    @property
    def json(self) -> Any:
        return json.loads(self.raw) if self.raw else None


def page(call: Call, items: list[Any]) -> Any:
    """A page of `items` by $top and $skiptoken, with `@odata.nextLink` while more are left (as Graph pages)."""
    from starlette.responses import JSONResponse

    top = int(call.query.get("$top", PAGE_SIZE))
    skip = int(call.query.get("$skiptoken", 0))
    body: dict[str, Any] = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata",
                            "value": items[skip:skip + top]}
    if skip + top < len(items):
        query = {**call.query, "$skiptoken": str(skip + top)}
        url = call.request.url
        body["@odata.nextLink"] = f"{url.scheme}://{url.netloc}{url.path}?{urlencode(query, quote_via=quote)}"
    return JSONResponse(body)


def graph_app() -> Any:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    state = State()
    routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def route(method: str, pattern: str, version: str = "v1.0") -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            routes.append((method, re.compile(f"{version}/{pattern}$"), handler))
            return handler

        return add

    def ok(value: Any, status: int = 200) -> Any:
        return JSONResponse(value, status_code=status)

    def empty(status: int = 204) -> Any:
        return Response(status_code=status)

    def found(items: list[dict[str, Any]], item_id: str, what: str) -> dict[str, Any] | Any:
        return next((i for i in items if i["id"] == item_id), None) or not_found(f"{what} {item_id}")

    # ---- OneDrive and Excel ---------------------------------------------------------------------------------

    def drive_of(call: Call) -> Drive:
        return state.site_drive if call.match.groupdict().get("drive") == "b!site-docs" else state.drive

    def item_at(call: Call) -> dict[str, Any] | None:
        drive, groups = drive_of(call), call.match.groupdict()
        if groups.get("item"):
            return drive.items.get(groups["item"])
        return drive.find(groups.get("path") or "")

    drive_root = r"(?:me/drive|drives/(?P<drive>[^/]+))/(?:root:/(?P<path>[^:]+):?|root|items/(?P<item>[^/:]+))"

    @route("GET", drive_root)
    def get_item(call: Call) -> Any:
        item = item_at(call)
        if item is None:
            return not_found(call.match.group(0))
        if "file" in item:
            item = {**item, "@microsoft.graph.downloadUrl": f"{state.base}/download/{drive_of(call).id}/{item['id']}"}
        return ok(item)

    @route("GET", drive_root + r"/children")
    def children(call: Call) -> Any:
        item = item_at(call)
        return not_found("folder") if item is None else page(call, drive_of(call).children(item["id"]))

    @route("POST", drive_root + r"/children")
    def create_folder(call: Call) -> Any:
        parent, body = item_at(call), call.json
        if parent is None:
            return not_found("folder")
        names = {c["name"] for c in state.drive.children(parent["id"])}
        name = body["name"]
        if name in names and body.get("@microsoft.graph.conflictBehavior") == "rename":
            name = f"{name} 1"
        return ok(state.drive.add(state.drive.path_of(parent), name), 201)

    @route("GET", drive_root + r"/content")
    def content(call: Call) -> Any:
        item = item_at(call)
        if item is None or "file" not in item:
            return not_found("file")
        return RedirectResponse(f"{state.base}/download/{state.drive.id}/{item['id']}", status_code=302)

    @route("PUT", drive_root + r"/content")
    def upload(call: Call) -> Any:
        path = call["path"]
        folder, _, name = path.rpartition("/")
        existing = state.drive.find(path)
        behavior = call.query.get("@microsoft.graph.conflictBehavior", "replace")
        if existing is not None and behavior == "fail":
            return error(409, "nameAlreadyExists", "The specified item name already exists.")
        if existing is not None and behavior == "rename":
            name = f"{name.rpartition('.')[0]} 1.{name.rpartition('.')[2]}"
        elif existing is not None:
            del state.drive.items[existing["id"]]
        if state.drive.find(folder) is None:
            return not_found(folder)
        return ok(state.drive.add(folder, name, call.raw), 201)

    @route("DELETE", drive_root)
    def delete_item(call: Call) -> Any:
        item = item_at(call)
        if item is None:
            return not_found("item")
        del state.drive.items[item["id"]]
        return empty()

    @route("PATCH", drive_root)
    def move(call: Call) -> Any:
        item, body = item_at(call), call.json
        if item is None:
            return not_found("item")
        if "parentReference" in body:
            parent = state.drive.items[body["parentReference"]["id"]]
            item["parentReference"] = {**item["parentReference"], "id": parent["id"],
                                       "path": f"/drive/root:{state.drive.path_of(parent)}"}
        item["name"] = body.get("name", item["name"])
        return ok(item)

    @route("POST", drive_root + r"/copy")
    def copy(call: Call) -> Any:
        item, target = item_at(call), call.json["parentReference"]
        if item is None or target["id"] not in state.drive.items:
            return not_found("item")
        parent = state.drive.items[target["id"]]
        state.drive.add(state.drive.path_of(parent), call.json.get("name", item["name"]),
                        state.drive.contents.get(item["id"]))
        return Response(status_code=202, headers={"Location": f"{state.base}/monitor/copy-1"})

    @route("GET", r"me/drive/root/search\(q='(?P<q>(?:[^']|'')*)'\)")
    def search(call: Call) -> Any:
        term = call["q"].replace("''", "'").lower()
        return page(call, [i for i in state.drive.items.values() if term in i["name"].lower()])

    book = drive_root + r"/workbook/"

    def workbook_of(call: Call) -> Workbook | None:
        item = item_at(call)
        return state.workbook if item is not None and item["name"].endswith(".xlsx") else None

    @route("GET", book + r"worksheets")
    def worksheets(call: Call) -> Any:
        if workbook_of(call) is None:
            return not_found("workbook")
        return page(call, [{"id": f"{{sheet-{n}}}", "name": name, "position": n, "visibility": "Visible"}
                           for n, name in enumerate(state.workbook.sheets)])

    def sheet_of(call: Call) -> list[list[Any]] | None:
        wb = workbook_of(call)
        return None if wb is None else wb.sheets.get(call["sheet"])

    @route("GET|PATCH", book + r"worksheets/(?P<sheet>[^/]+)/range\(address='(?P<address>[^']+)'\)")
    def cells(call: Call) -> Any:
        grid = sheet_of(call)
        if grid is None:
            return not_found(f"worksheet {call['sheet']}")
        first, _, last = call["address"].partition(":")
        (r1, c1), (r2, c2) = cell(first), cell(last or first)
        if call.method == "PATCH":
            values = call.json["values"]
            if len(values) != r2 - r1 + 1 or any(len(row) != c2 - c1 + 1 for row in values):
                return error(400, "InvalidArgument", "The number of rows or columns in the input array doesn't match "
                                                     "the size or dimensions of the range.")
            for r, row in enumerate(values, r1):
                while len(grid) <= r:
                    grid.append([])
                grid[r].extend([""] * (c2 + 1 - len(grid[r])))
                grid[r][c1:c2 + 1] = row
        values = [[(grid[r][c] if r < len(grid) and c < len(grid[r]) else "") for c in range(c1, c2 + 1)]
                  for r in range(r1, r2 + 1)]
        return ok({"address": f"{call['sheet']}!{call['address']}", "rowCount": len(values), "values": values})

    @route("GET", book + r"worksheets/(?P<sheet>[^/]+)/usedRange")
    def used(call: Call) -> Any:
        grid = sheet_of(call)
        if grid is None:
            return not_found(f"worksheet {call['sheet']}")
        width = max(len(row) for row in grid)
        values = [row + [""] * (width - len(row)) for row in grid]
        return ok({"address": f"{call['sheet']}!A1:{column_name(width - 1)}{len(grid)}", "rowCount": len(grid),
                   "columnCount": width, "values": values})

    def table_of(call: Call) -> dict[str, Any] | None:
        wb = workbook_of(call)
        return None if wb is None else wb.tables.get(call["table"])

    @route("GET", book + r"tables/(?P<table>[^/]+)/(?P<part>headerRowRange|dataBodyRange)")
    def table_range(call: Call) -> Any:
        table = table_of(call)
        if table is None:
            return not_found(f"table {call['table']}")
        values = [table["header"]] if call["part"] == "headerRowRange" else table["rows"]
        return ok({"address": "Sheet1!A1:B3", "rowCount": len(values), "values": values})

    @route("POST", book + r"tables/(?P<table>[^/]+)/rows/add")
    def add_rows(call: Call) -> Any:
        table = table_of(call)
        if table is None:
            return not_found(f"table {call['table']}")
        rows = call.json["values"]
        if any(len(row) != len(table["header"]) for row in rows):
            return error(400, "InvalidArgument", "The row does not have as many values as the table has columns.")
        index = len(table["rows"])
        table["rows"].extend(rows)
        return ok({"index": index, "values": rows}, 201)

    # ---- Outlook mail, contacts and calendar ----------------------------------------------------------------

    @route("GET", r"me/mailFolders")
    def mail_folders(call: Call) -> Any:
        return page(call, state.folders)

    def filtered(items: list[dict[str, Any]], expression: str) -> list[dict[str, Any]] | None:
        """`prop eq value` (a boolean or a quoted string): all this fake understands of $filter."""
        if not expression:
            return items
        parsed = re.fullmatch(r"(\w+) eq (true|false|'[^']*')", expression)
        if parsed is None:
            return None
        name, value = parsed.groups()
        wanted = value == "true" if value in ("true", "false") else value.strip("'")
        return [i for i in items if i.get(name) == wanted]

    @route("GET", r"me/(?:mailFolders/(?P<folder>[^/]+)/)?messages")
    def messages(call: Call) -> Any:
        folder = call["folder"]
        folder_id = {"inbox": "inbox-id", "sentitems": "sent-id"}.get(folder or "", folder)
        if folder and folder_id not in {f["id"] for f in state.folders}:
            return not_found(f"folder {folder}")
        items = [m for m in state.messages if not folder or m["parentFolderId"] == folder_id]
        chosen = filtered(items, call.query.get("$filter", ""))
        if chosen is None:
            return error(400, "BadRequest", f"Invalid filter clause: {call.query['$filter']}")
        if call.query.get("$orderby") == "receivedDateTime desc":
            chosen = sorted(chosen, key=lambda m: m["receivedDateTime"], reverse=True)
        return page(call, chosen)

    @route("GET", r"me/messages/(?P<id>[^/]+)")
    def message(call: Call) -> Any:
        item = found(state.messages, call["id"], "message")
        return item if not isinstance(item, dict) else ok(item)

    @route("POST", r"me/sendMail")
    def send_mail(call: Call) -> Any:
        body = call.json
        if not body.get("message", {}).get("toRecipients"):
            return error(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")
        state.sent.append(body)
        return empty(202)

    @route("GET", r"me/contacts")
    def contacts(call: Call) -> Any:
        term = call.query.get("$search", "").strip('"').lower()
        return page(call, [c for c in state.contacts if term in c["displayName"].lower()])

    @route("GET", r"me/calendars")
    def calendars(call: Call) -> Any:
        return page(call, state.calendars)

    @route("POST", r"me/calendars")
    def create_calendar(call: Call) -> Any:
        made = {"id": state.next_id("cal"), "name": call.json["name"], "color": call.json.get("color", "auto"),
                "isDefaultCalendar": False}
        state.calendars.append(made)
        return ok(made, 201)

    @route("GET", r"me/(?:calendar/|calendars/(?P<calendar>[^/]+)/)?calendarView")
    def calendar_view(call: Call) -> Any:
        start, end = call.query.get("startDateTime"), call.query.get("endDateTime")
        if not start or not end:
            return error(400, "ErrorInvalidParameter", "This request requires a time window specified by the query "
                                                       "string parameters StartDateTime and EndDateTime.")
        calendar = call["calendar"] or "cal-default"
        if calendar not in {c["id"] for c in state.calendars}:
            return not_found(f"calendar {calendar}")
        low, high = (dt.datetime.fromisoformat(t).replace(tzinfo=None) for t in (start, end))
        inside = [e for e in state.events if e["calendarId"] == calendar
                  and dt.datetime.fromisoformat(e["start"]["dateTime"]) < high
                  and dt.datetime.fromisoformat(e["end"]["dateTime"]) > low]
        return page(call, sorted(inside, key=lambda e: e["start"]["dateTime"]))

    @route("GET", r"me/events")
    def events(call: Call) -> Any:
        ordered = state.events
        if call.query.get("$orderby") == "start/dateTime":
            ordered = sorted(ordered, key=lambda e: e["start"]["dateTime"])
        return page(call, ordered)

    @route("POST", r"me/(?:calendar/)?events")
    def create_event(call: Call) -> Any:
        body = call.json
        if not body.get("start") or not body.get("end"):
            return error(400, "ErrorInvalidRequest", "Your request can't be completed. Start and End are required.")
        made = state.event(body.get("subject", ""), body["start"]["dateTime"], body["end"]["dateTime"],
                           **{k: v for k, v in body.items() if k not in ("subject", "start", "end")})
        made["start"], made["end"] = body["start"], body["end"]
        state.events.append(made)
        return ok(made, 201)

    @route("GET|PATCH|DELETE", r"me/events/(?P<id>[^/]+)")
    def event(call: Call) -> Any:
        item = found(state.events, call["id"], "event")
        if not isinstance(item, dict):
            return item
        if call.method == "DELETE":
            state.events.remove(item)
            return empty()
        item.update(call.json or {})
        return ok(item)

    @route("POST", r"me/events/(?P<id>[^/]+)/(?P<action>accept|decline|tentativelyAccept|forward)")
    def respond(call: Call) -> Any:
        item = found(state.events, call["id"], "event")
        if not isinstance(item, dict):
            return item
        state.responses.append({"event": call["id"], "action": call["action"], **call.json})
        return empty(202)

    @route("POST", r"me/findMeetingTimes")
    def find_meeting_times(call: Call) -> Any:
        body = call.json
        slot = body["timeConstraint"]["timeSlots"][0]
        minutes = int(re.fullmatch(r"PT(\d+)M", body["meetingDuration"]).group(1))
        start = dt.datetime.fromisoformat(slot["start"]["dateTime"])
        zone = slot["start"]["timeZone"]
        suggestions = [{"confidence": 100.0, "organizerAvailability": "free",
                        "meetingTimeSlot": {"start": {"dateTime": (start + dt.timedelta(hours=h)).isoformat(),
                                                      "timeZone": zone},
                                            "end": {"dateTime": (start + dt.timedelta(hours=h, minutes=minutes))
                                                    .isoformat(), "timeZone": zone}},
                        "attendeeAvailability": [{"attendee": a, "availability": "free"} for a in body["attendees"]]}
                       for h in (0, 2)]
        return ok({"emptySuggestionsReason": "", "meetingTimeSuggestions": suggestions})

    @route("POST", r"me/calendar/getSchedule")
    def get_schedule(call: Call) -> Any:
        body = call.json
        start, end = (dt.datetime.fromisoformat(body[k]["dateTime"]) for k in ("startTime", "endTime"))
        slots = int((end - start).total_seconds() // 60 // body["availabilityViewInterval"])
        return ok({"value": [{"scheduleId": who, "availabilityView": "0" * slots, "scheduleItems": []}
                             for who in body["schedules"]]})

    # ---- Teams ---------------------------------------------------------------------------------------------------

    @route("GET", r"me/joinedTeams")
    def joined(call: Call) -> Any:
        return page(call, state.teams)

    @route("POST", r"teams")
    def create_team(call: Call) -> Any:
        body = call.json
        if "template@odata.bind" not in body or not body.get("displayName"):
            return error(400, "BadRequest", "A team needs a template and a displayName.")
        team = {"id": state.next_id("team"), "displayName": body["displayName"]}
        state.teams.append(team)
        state.channels[team["id"]] = []
        return Response(status_code=202, headers={"Location": f"/teams('{team['id']}')/operations('op-1')",
                                                  "Content-Location": f"/teams('{team['id']}')"})

    @route("GET|POST", r"teams/(?P<team>[^/]+)/channels")
    def channels(call: Call) -> Any:
        if call["team"] not in state.channels:
            return not_found(f"team {call['team']}")
        if call.method == "GET":
            return page(call, state.channels[call["team"]])
        made = {"id": f"19:{state.next_id('channel')}@thread.tacv2", **call.json}
        state.channels[call["team"]].append(made)
        state.channel_messages[made["id"]] = []
        return ok(made, 201)

    @route("GET|POST", r"teams/(?P<team>[^/]+)/channels/(?P<channel>[^/]+)/messages")
    def channel_messages(call: Call) -> Any:
        if call["channel"] not in state.channel_messages:
            return not_found(f"channel {call['channel']}")
        listed = state.channel_messages[call["channel"]]
        if call.method == "GET":
            if int(call.query.get("$top", PAGE_SIZE)) > 50:
                return error(400, "BadRequest", "$top must be 50 or less.")
            return page(call, listed)
        made = {"id": str(1800000000000 + len(listed)), "messageType": "message", **call.json}
        listed.insert(0, made)
        return ok(made, 201)

    # ---- To Do and Planner ---------------------------------------------------------------------------------------

    @route("GET|POST", r"me/todo/lists")
    def todo_lists(call: Call) -> Any:
        if call.method == "GET":
            return page(call, state.todo_lists)
        made = {"id": state.next_id("todo"), "displayName": call.json["displayName"], "wellknownListName": "none"}
        state.todo_lists.append(made)
        state.todo_tasks[made["id"]] = []
        return ok(made, 201)

    @route("GET|POST", r"me/todo/lists/(?P<list>[^/]+)/tasks")
    def todo_tasks(call: Call) -> Any:
        if call["list"] not in state.todo_tasks:
            return not_found(f"list {call['list']}")
        tasks = state.todo_tasks[call["list"]]
        if call.method == "GET":
            return page(call, tasks)
        made = {"id": state.next_id("task"), "status": "notStarted", **call.json}
        tasks.append(made)
        return ok(made, 201)

    @route("PATCH|DELETE", r"me/todo/lists/(?P<list>[^/]+)/tasks/(?P<task>[^/]+)")
    def todo_task(call: Call) -> Any:
        item = found(state.todo_tasks.get(call["list"], []), call["task"], "task")
        if not isinstance(item, dict):
            return item
        if call.method == "DELETE":
            state.todo_tasks[call["list"]].remove(item)
            return empty()
        item.update(call.json)
        return ok(item)

    @route("GET", r"me/planner/plans")
    def my_plans(call: Call) -> Any:
        return page(call, state.plans)

    @route("GET", r"me/planner/tasks")
    def my_tasks(call: Call) -> Any:
        return page(call, [t for t in state.planner_tasks if t["assigned"]])

    @route("GET", r"planner/plans/(?P<plan>[^/]+)")
    def plan(call: Call) -> Any:
        item = found(state.plans, call["plan"], "plan")
        return item if not isinstance(item, dict) else ok(item)

    @route("GET", r"planner/plans/(?P<plan>[^/]+)/(?P<kind>tasks|buckets)")
    def plan_parts(call: Call) -> Any:
        items = state.planner_tasks if call["kind"] == "tasks" else state.buckets
        return page(call, [i for i in items if i["planId"] == call["plan"]])

    @route("POST", r"planner/(?P<kind>tasks|buckets)")
    def create_planner(call: Call) -> Any:
        body = call.json
        if body.get("planId") not in {p["id"] for p in state.plans}:
            return error(404, "", "The requested item is not found.")
        if call["kind"] == "buckets":
            made = {"id": state.next_id("bucket"), **body}
            state.buckets.append(made)
        else:
            made = state.planner_task(body["title"], body.get("bucketId", ""), assigned=False) | body
            state.planner_tasks.append(made)
        return ok(made, 201)

    @route("PATCH", r"planner/tasks/(?P<task>[^/]+)")
    def update_planner_task(call: Call) -> Any:
        item = found(state.planner_tasks, call["task"], "task")
        if not isinstance(item, dict):
            return item
        if call.request.headers.get("if-match") != item["@odata.etag"]:
            return error(412, "", "The If-Match header contains an invalid value or the resource was modified.")
        item.update(call.json)
        item["@odata.etag"] = f'W/"etag-{int(item["@odata.etag"][8:-1]) + 1}"'
        return empty()

    # ---- SharePoint --------------------------------------------------------------------------------------------

    def site_ok(site: str) -> bool:
        return site in (state.site["id"], "contoso.sharepoint.com:/sites/marketing")

    @route("GET", r"sites")
    def search_sites(call: Call) -> Any:
        term = call.query.get("search", "").lower()
        return page(call, [state.site] if term and term in state.site["displayName"].lower() else [])

    @route("GET", r"sites/(?P<site>[^/]+(?::/.+)?)")
    def site(call: Call) -> Any:
        if call["site"] == "contoso.sharepoint.com":
            return ok({"id": "contoso.sharepoint.com,root-site,root-web", "displayName": "Communication site"})
        return ok(state.site) if site_ok(call["site"]) else not_found(f"site {call['site']}")

    @route("GET", r"sites/(?P<site>[^/]+)/(?P<kind>drives|lists)")
    def site_parts(call: Call) -> Any:
        if not site_ok(call["site"]):
            return not_found(f"site {call['site']}")
        if call["kind"] == "lists":
            return page(call, state.lists)
        return page(call, [{"id": state.site_drive.id, "name": "Documents", "driveType": "documentLibrary"}])

    @route("GET", r"sites/(?P<site>[^/]+)/lists/(?P<list>[^/]+)/items")
    def list_items(call: Call) -> Any:
        if not site_ok(call["site"]) or call["list"] not in ("list-1", "Contacts"):
            return not_found(f"list {call['list']}")
        expand = call.query.get("$expand") == "fields"
        return page(call, [item if expand else {"id": item["id"]} for item in state.list_items])

    # ---- OneNote -------------------------------------------------------------------------------------------------

    @route("GET|POST", r"me/onenote/notebooks")
    def notebooks(call: Call) -> Any:
        if call.method == "GET":
            return page(call, state.notebooks)
        if any(n["displayName"] == call.json["displayName"] for n in state.notebooks):
            return error(409, "20117", "An item with this name already exists in this location.")
        made = {"id": state.next_id("nb"), "displayName": call.json["displayName"]}
        state.notebooks.append(made)
        state.sections[made["id"]] = []
        return ok(made, 201)

    @route("GET|POST", r"me/onenote/notebooks/(?P<nb>[^/]+)/sections")
    def sections(call: Call) -> Any:
        if call["nb"] not in state.sections:
            return not_found(f"notebook {call['nb']}")
        if call.method == "GET":
            return page(call, state.sections[call["nb"]])
        made = {"id": state.next_id("sec"), "displayName": call.json["displayName"]}
        state.sections[call["nb"]].append(made)
        state.pages[made["id"]] = []
        return ok(made, 201)

    @route("GET|POST", r"me/onenote/sections/(?P<sec>[^/]+)/pages")
    def pages(call: Call) -> Any:
        if call["sec"] not in state.pages:
            return not_found(f"section {call['sec']}")
        if call.method == "GET":
            return page(call, state.pages[call["sec"]])
        if call.request.headers.get("content-type") != "application/xhtml+xml":
            return error(400, "20001", "The page must be sent as HTML.")
        html = call.raw.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        made = {"id": state.next_id("page"), "title": title.group(1) if title else "",
                "contentUrl": f"{state.base}/v1.0/me/onenote/pages/x/content"}
        state.pages[call["sec"]].append(made)
        state.page_html[made["id"]] = html
        return ok(made, 201)

    @route("GET|DELETE", r"me/onenote/pages/(?P<page>[^/]+)(?P<content>/content)?")
    def onenote_page(call: Call) -> Any:
        if call["page"] not in state.page_html:
            return not_found(f"page {call['page']}")
        if call.method == "DELETE":
            del state.page_html[call["page"]]
            for listed in state.pages.values():
                listed[:] = [p for p in listed if p["id"] != call["page"]]
            return empty()
        return Response(state.page_html[call["page"]], media_type="text/html")

    # ---- Search and Copilot ------------------------------------------------------------------------------------

    @route("GET", r"me")
    def me(call: Call) -> Any:
        return ok(state.me)

    @route("POST", r"search/query")
    def search_query(call: Call) -> Any:
        request = call.json["requests"][0]
        kinds, term = request["entityTypes"], request["query"]["queryString"].lower()
        if "message" in kinds and "driveItem" in kinds:
            return error(400, "BadRequest", "entityTypes: message and driveItem cannot be combined.")
        if "driveItem" in kinds:
            found = [{"hitId": i["id"], "summary": i["name"], "resource": {"@odata.type": "#microsoft.graph.driveItem",
                                                                            **i}}
                     for i in state.drive.items.values() if term in i["name"].lower()]
        else:
            found = [{"hitId": m["id"], "summary": m["bodyPreview"], "resource": {"@odata.type": "#microsoft.graph."
                                                                                  "message", **m}}
                     for m in state.messages if term in m["subject"].lower()]
        start, size = request.get("from", 0), request.get("size", 25)
        hits = [{"rank": n, **hit} for n, hit in enumerate(found[start:start + size], start + 1)]
        return ok({"value": [{"searchTerms": [term], "hitsContainers": [
            {"hits": hits, "total": len(found), "moreResultsAvailable": start + size < len(found)}]}]})

    interaction_path = r"copilot/users/(?P<user>[^/]+)/interactionHistory/getAllEnterpriseInteractions"

    @route("GET", interaction_path)
    @route("GET", interaction_path, "beta")
    def interactions(call: Call) -> Any:
        if call["user"] != state.me["id"]:
            return not_found(f"user {call['user']}")
        expression = call.query.get("$filter", "")
        chosen = state.interactions
        if expression:
            parsed = re.fullmatch(r"appClass eq '([^']*)'", expression)
            if parsed is None:
                return error(400, "BadRequest", f"Unsupported filter: {expression}")
            chosen = [i for i in chosen if i["appClass"] == parsed.group(1)]
        return page(call, chosen)

    @route("GET", r"copilot/users/(?P<user>[^/]+)/onlineMeetings/(?P<meeting>[^/]+)/aiInsights(?:/(?P<id>[^/]+))?")
    def insights(call: Call) -> Any:
        found = state.insights.get((call["user"], call["meeting"]))
        if found is None:
            return not_found(f"onlineMeeting {call['meeting']}")
        if call["id"] is None:
            return page(call, [{k: v for k, v in i.items() if k not in ("meetingNotes", "actionItems")} for i in found])
        one = next((i for i in found if i["id"] == call["id"]), None)
        return ok(one) if one else not_found(f"aiInsight {call['id']}")

    @route("POST", r"copilot/search", "beta")
    def copilot_search(call: Call) -> Any:
        body = call.json
        words = body["query"].lower().split()
        names = (body.get("dataSources") or {}).get("oneDrive", {}).get("resourceMetadataNames", [])
        hits = [{"webUrl": i["webUrl"], "preview": f"... {i['name']} ...", "resourceType": "driveItem",
                 **({"resourceMetadata": {n: i["name"] if n == "title" else "Ada" for n in names}} if names else {})}
                for i in state.drive.items.values() if "file" in i and any(w in i["name"].lower() for w in words)]
        return ok({"totalCount": len(hits), "searchHits": hits[:body.get("pageSize", 25)]})

    @route("POST", r"copilot/conversations", "beta")
    def conversation(call: Call) -> Any:
        made = state.next_id("conv")
        state.conversations[made] = 0
        return ok({"id": made, "createdDateTime": "2026-03-01T09:00:00Z", "displayName": "", "state": "active",
                   "turnCount": 0}, 201)

    @route("POST", r"copilot/conversations/(?P<id>[^/]+)/chatOverStream", "beta")
    def chat(call: Call) -> Any:
        from starlette.responses import StreamingResponse

        if call["id"] not in state.conversations:
            return not_found(f"conversation {call['id']}")
        body = call.json
        if not body.get("locationHint", {}).get("timeZone"):
            return error(400, "BadRequest", "locationHint.timeZone is required.")
        state.conversations[call["id"]] += 1
        turn, prompt = state.conversations[call["id"]], body["message"]["text"]
        citation = {"attributionType": "citation", "attributionSource": "grounding", "providerDisplayName": "Plan",
                    "seeMoreWebUrl": "https://contoso.sharepoint.com/plan.docx"}

        def snapshot(text: str, done: bool) -> str:
            answer = {"@odata.type": "#microsoft.graph.copilotConversationResponseMessage", "id": f"r{turn}",
                      "text": text, "attributions": [citation] if done else [], "adaptiveCards": []}
            asked = {"@odata.type": "#microsoft.graph.copilotConversationRequestMessage", "id": f"q{turn}",
                     "text": prompt}
            return json.dumps({"id": call["id"], "state": "active", "turnCount": turn, "messages": [asked, answer]})

        parts = [f"Turn {turn}:", f"Turn {turn}: you asked", f"Turn {turn}: you asked {prompt!r} [1]"]

        async def events() -> Any:
            for n, text in enumerate(parts):
                if n and prompt == "break off":
                    raise ConnectionResetError("the fake drops the stream")
                yield f"id: {n}\ndata: {snapshot(text, n == len(parts) - 1)}\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    @route("POST", r"subscriptions")
    def subscribe(call: Call) -> Any:
        body = call.json
        if not re.fullmatch(r"/copilot(/users/[^/]+)?/interactionHistory/getAllEnterpriseInteractions",
                            body.get("resource", "")):
            return error(400, "InvalidRequest", f"Unsupported resource {body.get('resource')}")
        expires = dt.datetime.fromisoformat(body["expirationDateTime"].replace("Z", "+00:00"))
        if expires > dt.datetime.now(dt.UTC) + dt.timedelta(hours=1) and "lifecycleNotificationUrl" not in body:
            return error(400, "ValidationError", "lifecycleNotificationUrl is a required property for subscription "
                                                 "creation on this resource when the expirationDateTime value is set "
                                                 "to greater than 1 hour.")
        made = {"id": state.next_id("sub"), **body}
        state.subscriptions.append(made)
        return ok(made, 201)

    # ---- the app -------------------------------------------------------------------------------------------------

    async def dispatch(request: Any) -> Any:
        body = await request.body()
        path = request.url.path.lstrip("/")
        state.requests.append({"method": request.method, "path": "/" + path,
                               "raw_path": request.scope["raw_path"].decode(),
                               "raw_query": request.scope["query_string"].decode(), "query": dict(request.query_params),
                               "headers": dict(request.headers), "body": body,
                               "json": json.loads(body) if body and request.headers.get("content-type", "")
                               .startswith("application/json") else None})
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return error(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
        for methods, pattern, handler in routes:
            match = pattern.fullmatch(path)
            if match and request.method in methods.split("|"):
                return handler(Call(request, match, body))
        return error(400, "BadRequest", f"Resource not found for the segment '{path.split('/')[-1]}'.")

    async def download(request: Any) -> Any:
        drive = state.site_drive if request.path_params["drive"] == state.site_drive.id else state.drive
        data = drive.contents.get(request.path_params["item"])
        return Response(status_code=404) if data is None else Response(data, media_type="application/octet-stream")

    app = Starlette(routes=[Route("/v1.0/{rest:path}", dispatch, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
                            Route("/beta/{rest:path}", dispatch, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
                            Route("/download/{drive}/{item}", download),
                            token_route("/{tenant}/oauth2/v2.0/token", state)])
    app.state.graph = state
    return app


class GraphServer:
    """The fake Graph on a free port of 127.0.0.1, served by uvicorn on a thread."""

    def __init__(self) -> None:
        self.app = graph_app()
        self.serving = serve(self.app)

    @property
    def url(self) -> str:
        """Graph's base URL here (what a provider's base_url takes)."""
        return f"{self.base}/v1.0"

    @property
    def state(self) -> State:
        return self.app.state.graph

    def reset(self) -> State:
        """Fresh data and an empty request log for the next test (in place: the handlers hold the state)."""
        vars(self.state).update(vars(State()))
        self.state.base = self.base
        return self.state

    def __enter__(self) -> GraphServer:
        self.base = self.serving.__enter__()
        self.reset()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.serving.__exit__(*exc)


def graph_flow(server: GraphServer, token: str = TOKEN, **settings: Any) -> Any:
    """A Flow whose Graph steps get the provider (`settings`: its other pins): `flow.call(key, **inputs)` appends
    one."""
    flow = Flow()
    provider = flow.add("data_microsoft_provider_token", token=token, base_url=server.url, **settings)
    flow.call = lambda key, /, **inputs: flow.step(key, provider=(provider, "provider"), **inputs)
    return flow


def one(server: GraphServer, key: str, /, **inputs: Any) -> dict[str, Any]:
    """Run one Graph node, which must succeed; its outputs."""
    flow = graph_flow(server)
    node = flow.call(key, **inputs)
    return outputs(flow.run(), node)


def failing(server: GraphServer, key: str, /, token: str = TOKEN, **inputs: Any) -> str:
    """Run one Graph node with its Error output wired to a Return Result of its error_message; that message (a
    run that ends without it means Error did not fire)."""
    flow = graph_flow(server, token)
    node = flow.call(key, **inputs)
    back = flow.add("events_generic_return_result")
    flow.wire(node, "error", back, "exec_in")
    flow.wire(node, "error_message", back, "response")
    result = flow.run().result
    assert isinstance(result, str) and result, f"Error did not fire (result {result!r})"
    return result


def sent(server: GraphServer, n: int = -1) -> dict[str, Any]:
    """The `n`th request the fake Graph saw (the last by default)."""
    return server.state.requests[n]
