"""A local stand-in for Google's REST APIs (Drive v3, Sheets v4, Calendar v3, Gmail v1, Docs v1, Slides v1,
Forms v1, YouTube Data v3) under one base URL, each service at its documented path, answering with the JSON
shapes Google documents (trimmed to the fields that matter) over in-memory data; and `google_flow`, a board of
Google's nodes."""

from __future__ import annotations

import base64
import email
import email.policy
import itertools
import json
import re
from typing import Any

from data_boards import ServiceFlow
from fake_server import TokenEndpoint, token_route

TOKEN = "ya29.local-test-token"
FOLDER = "application/vnd.google-apps.folder"
DOC = "application/vnd.google-apps.document"
DRIVE_PAGE_MOST = 3
"""Files a Drive page holds at most here, whatever pageSize asks: Drive may answer with fewer files than asked while
more match (its nextPageToken says so), which the listing nodes must follow."""
CALENDAR_LIST_PAGE = 1
"""Calendars a calendar-list page holds when maxResults is not given: small, so that List Calendars pages."""
EVENTS_PAGE_MOST = 2
"""Events a page holds here at most, whatever maxResults asks (Calendar may answer with fewer events than asked)."""


def google_flow(url: str, token: str = TOKEN, **settings: Any) -> ServiceFlow:
    """A board of Google's nodes on one provider (`settings`: its other pins)."""
    return ServiceFlow("data_google_provider", access_token=token, base_url=url, **settings)


def google_error(status: int, message: str, code: str) -> Any:
    """Google's error JSON (the same shape for every API here)."""
    from starlette.responses import JSONResponse

    return JSONResponse({"error": {"code": status, "message": message, "status": code,
                                   "errors": [{"message": message, "domain": "global", "reason": code.lower()}]}},
                        status_code=status)


# ---- Sheets' A1 notation ------------------------------------------------------------------------------------


def column_number(letters: str) -> int:
    return sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(letters.upper())))


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def a1(text: str) -> tuple[str, int, int, int, int]:
    """(sheet, first row, first column, last row, last column), 1-based; open ends are large."""
    sheet, _, cells = text.rpartition("!") if "!" in text else (text, "", "")
    sheet = sheet.strip("'")
    if not cells:
        return sheet, 1, 1, 10**6, 10**3
    start, _, end = cells.partition(":")
    end = end or start

    def corner(ref: str, row_default: int) -> tuple[int, int]:
        found = re.fullmatch(r"([A-Z]*)(\d*)", ref.upper())
        assert found, ref
        return int(found[2] or row_default), column_number(found[1]) if found[1] else 1

    (r1, c1), (r2, c2) = corner(start, 1), corner(end, 10**6)
    return sheet, r1, c1, r2, c2 if re.match(r"[A-Z]", end.upper()) else 10**3


def youtube_video(ident: str, title: str, channel: str, views: int) -> dict[str, Any]:
    return {"id": ident, "snippet": {"title": title, "description": f"About {title}", "channelId": channel,
                                     "channelTitle": "Ada's channel" if channel == "UCmine" else "Other",
                                     "publishedAt": "2026-01-05T10:00:00Z",
                                     "thumbnails": {"default": {"url": f"https://i.ytimg.com/vi/{ident}/default.jpg"},
                                                    "high": {"url": f"https://i.ytimg.com/vi/{ident}/hq.jpg"}}},
            "statistics": {"viewCount": str(views), "likeCount": str(views // 10)},
            "contentDetails": {"duration": "PT4M13S"}}


YOUTUBE_VIDEOS = [youtube_video("vid1", "Python tutorial", "UCmine", 500),
                  youtube_video("vid2", "Python tips", "UCother", 9000),
                  youtube_video("vid3", "Cooking pasta", "UCother", 70)]


class State:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.ids = itertools.count(1)
        self.files: dict[str, dict[str, Any]] = {
            "root": {"id": "root", "name": "My Drive", "mimeType": FOLDER, "parents": []}}
        self.contents: dict[str, bytes] = {}
        self.spreadsheets: dict[str, dict[str, Any]] = {}
        self.cells: dict[tuple[str, str], dict[tuple[int, int], Any]] = {}
        self.calendars = [{"id": "ada@example.org", "summary": "Ada", "timeZone": "Europe/London", "primary": True,
                           "accessRole": "owner"},
                          {"id": "team@group.calendar.google.com", "summary": "Team", "accessRole": "reader"}]
        self.events: dict[str, dict[str, dict[str, Any]]] = {c["id"]: {} for c in self.calendars}
        self.sent: list[Any] = []
        self.drafts: list[dict[str, Any]] = []
        self.documents: dict[str, dict[str, Any]] = {}
        self.presentations: dict[str, dict[str, Any]] = {}
        self.forms: dict[str, dict[str, Any]] = {"survey": {
            "formId": "survey", "info": {"title": "Lunch survey", "documentTitle": "Lunch", "description": "Be honest"},
            "revisionId": "00000007", "responderUri": "https://docs.google.com/forms/d/e/survey/viewform",
            "items": [{"itemId": "i1", "title": "Favourite dish?", "questionItem": {"question": {
                          "questionId": "q1", "required": True, "textQuestion": {"paragraph": False}}}},
                      {"itemId": "i2", "title": "Section two", "pageBreakItem": {}},
                      {"itemId": "i3", "title": "Rating", "description": "1 to 5", "questionItem": {"question": {
                          "questionId": "q2", "scaleQuestion": {"low": 1, "high": 5}}}}]}}
        self.responses: dict[str, list[dict[str, Any]]] = {"survey": [
            {"responseId": f"resp{n}", "createTime": f"2026-02-0{n}T09:00:00Z",
             "lastSubmittedTime": f"2026-02-0{n}T09:00:00Z", "respondentEmail": f"r{n}@example.org",
             "answers": {"q1": {"questionId": "q1", "textAnswers": {"answers": [{"value": dish}]}},
                         "q2": {"questionId": "q2", "textAnswers": {"answers": [{"value": str(n + 2)}]}}}}
            for n, dish in ((1, "Pasta"), (2, "Soup"), (3, "Salad"))]}
        self.playlist_items: dict[str, list[dict[str, Any]]] = {"PL1": []}
        self.oauth = TokenEndpoint(TOKEN)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self.ids)}"

    def add_file(self, name: str, mime: str, parent: str = "root", content: bytes = b"",
                 drive_id: str = "") -> dict[str, Any]:
        """A Drive file; with `drive_id`, one in a shared drive (Drive hides those from callers that do not say
        supportsAllDrives, and lists them only with includeItemsFromAllDrives as well)."""
        ident = self.new_id("f")
        file = {"id": ident, "name": name, "mimeType": mime, "parents": [parent],
                "createdTime": "2026-01-02T03:04:05.000Z", "modifiedTime": "2026-01-02T03:04:05.000Z",
                "webViewLink": f"https://drive.google.com/file/d/{ident}/view"} | ({"driveId": drive_id} if drive_id
                                                                                  else {})
        if mime != FOLDER and not mime.startswith("application/vnd.google-apps."):
            file["size"] = str(len(content))
        self.files[ident], self.contents[ident] = file, content
        return file

    def text_of(self, ident: str) -> str:
        """What a Docs Editors file exports as text: a document's text, a presentation's text boxes."""
        if ident in self.documents:
            return self.documents[ident]["text"]
        if ident in self.presentations:
            return "\n".join(e.get("text", "") for slide in self.presentations[ident]["slides"]
                             for e in slide["pageElements"])
        return self.contents[ident].decode()

    def editors_file(self, ident: str, name: str, mime: str) -> None:
        """Docs, Slides and Forms files are Drive files too (Drive exports them)."""
        self.files[ident] = {"id": ident, "name": name, "mimeType": mime, "parents": ["root"]}

    def calendar(self, ident: str) -> dict[str, dict[str, Any]] | None:
        if ident == "primary":
            ident = self.calendars[0]["id"]
        return self.events.get(ident)


def picked(resource: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """Drive's `fields` selection of a File (one level: `id,name` or `files(id,name)` handled by the caller)."""
    if not fields:
        return {k: resource[k] for k in ("id", "name", "mimeType") if k in resource} | {"kind": "drive#file"}
    return {k: resource[k] for k in fields.split(",") if k in resource}


def drive_query(files: list[dict[str, Any]], q: str) -> list[dict[str, Any]]:
    """The clauses the nodes send, joined by `and`: 'X' in parents, mimeType (!)= '...', trashed = false,
    name contains '...', fullText contains '...'."""
    found = files
    for clause in re.split(r"\s+and\s+", q.strip()):
        clause = clause.strip().strip("()")
        if m := re.fullmatch(r"'((?:[^'\\]|\\.)*)' in parents", clause):
            found = [f for f in found if m[1].replace("\\'", "'") in f.get("parents", [])]
        elif m := re.fullmatch(r"mimeType\s*(!?=)\s*'([^']*)'", clause):
            found = [f for f in found if (f["mimeType"] == m[2]) == (m[1] == "=")]
        elif clause == "trashed = false":
            pass
        elif m := re.fullmatch(r"(name|fullText) contains '([^']*)'", clause):
            found = [f for f in found if m[2].lower() in f["name"].lower()]
        else:
            raise ValueError(clause)
    return found


def google_app() -> Any:  # noqa: C901 - one route table for the fake, read top to bottom
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    state = State()

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            try:
                payload = json.loads(body) if body else None
            except ValueError:
                payload = body
            state.requests.append({"method": request.method, "path": request.url.path,
                                   "query": dict(request.query_params), "json": payload})
            if request.headers.get("authorization") != f"Bearer {TOKEN}":
                return google_error(401, "Request had invalid authentication credentials. Expected OAuth 2 "
                                         "access token.", "UNAUTHENTICATED")
            return await handler(request, payload, **request.path_params)

        return endpoint

    # ---- Drive ----

    def missing_file(ident: str) -> Any:
        return google_error(404, f"File not found: {ident}.", "NOT_FOUND")

    async def files(request: Request, payload: Any) -> Response:
        query = request.query_params
        fields = query.get("fields", "")
        if request.method == "POST":
            made = state.add_file(payload["name"], payload.get("mimeType", "application/octet-stream"),
                                  (payload.get("parents") or ["root"])[0])
            return JSONResponse(picked(made, fields))
        everywhere = query.get("supportsAllDrives") == query.get("includeItemsFromAllDrives") == "true"
        visible = [f for f in state.files.values() if f["id"] != "root" and (everywhere or "driveId" not in f)]
        try:
            listed = drive_query(visible, query.get("q", ""))
        except ValueError as exc:
            return google_error(400, f"Invalid Value: {exc}", "INVALID_ARGUMENT")
        inner = re.search(r"files\(([^)]*)\)", fields)
        start = int(query.get("pageToken") or 0)
        end = start + min(int(query.get("pageSize", 100)), DRIVE_PAGE_MOST)
        page = {"kind": "drive#fileList", "files": [picked(f, inner[1] if inner else "") for f in listed[start:end]]}
        if end < len(listed) and "nextPageToken" in fields:
            page["nextPageToken"] = str(end)
        return JSONResponse(page)

    async def file(request: Request, payload: Any, ident: str) -> Response:
        found = state.files.get(ident)
        query = request.query_params
        if found is None or ("driveId" in found and query.get("supportsAllDrives") != "true"):
            return missing_file(ident)
        if request.method == "DELETE":
            del state.files[ident]
            return Response(status_code=204)
        if request.method == "PATCH":
            if "addParents" in query:
                found["parents"] = [p for p in found["parents"] if p not in query.get("removeParents", "").split(",")]
                found["parents"].append(query["addParents"])
            found.update(payload or {})
        if query.get("alt") == "media":
            if found["mimeType"].startswith("application/vnd.google-apps."):
                return google_error(403, "Only files with binary content can be downloaded. Use Export with "
                                         "Docs Editors files.", "FORBIDDEN")
            return Response(state.contents[ident], media_type=found["mimeType"])
        return JSONResponse(picked(found, query.get("fields", "")))

    async def export(request: Request, payload: Any, ident: str) -> Response:
        found = state.files.get(ident)
        if found is None:
            return missing_file(ident)
        mime = request.query_params.get("mimeType", "")
        if not found["mimeType"].startswith("application/vnd.google-apps.") or not mime:
            return google_error(400, "Export only supports Docs Editors files.", "INVALID_ARGUMENT")
        text = state.text_of(ident)
        return Response(text.encode() if mime.startswith("text/") else b"%PDF-" + text.encode(), media_type=mime)

    async def copy(request: Request, payload: Any, ident: str) -> Response:
        found = state.files.get(ident)
        if found is None:
            return missing_file(ident)
        made = state.add_file(payload.get("name") or f"Copy of {found['name']}", found["mimeType"],
                              (payload.get("parents") or found["parents"])[0], state.contents[ident])
        return JSONResponse(picked(made, request.query_params.get("fields", "")))

    # ---- Sheets ----

    def sheet_of(book: dict[str, Any], title: str) -> dict[str, Any] | None:
        found = [s for s in book["sheets"] if s["properties"]["title"] == title]
        return found[0] if found else None

    async def spreadsheets(request: Request, payload: Any) -> Response:
        ident = state.new_id("ss")
        title = payload.get("properties", {}).get("title", "Untitled spreadsheet")
        book = {"spreadsheetId": ident, "properties": {"title": title, "locale": "en_US", "timeZone": "Etc/GMT"},
                "sheets": [{"properties": {"sheetId": 0, "title": "Sheet1", "index": 0, "sheetType": "GRID",
                                           "gridProperties": {"rowCount": 1000, "columnCount": 26}}}],
                "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{ident}/edit"}
        state.spreadsheets[ident] = book
        return JSONResponse(book)

    async def spreadsheet(request: Request, payload: Any, ident: str) -> Response:
        book = state.spreadsheets.get(ident)
        return JSONResponse(book) if book else google_error(404, "Requested entity was not found.", "NOT_FOUND")

    async def batch_update(request: Request, payload: Any, ident: str) -> Response:
        book = state.spreadsheets.get(ident)
        if book is None:
            return google_error(404, "Requested entity was not found.", "NOT_FOUND")
        replies: list[dict[str, Any]] = []
        for change in payload["requests"]:
            if "addSheet" in change:
                title = change["addSheet"]["properties"]["title"]
                if sheet_of(book, title):
                    return google_error(400, f'Invalid requests[0].addSheet: A sheet with the name "{title}" '
                                             "already exists. Please enter another name.", "INVALID_ARGUMENT")
                properties = {"sheetId": 1000 + len(book["sheets"]), "title": title, "index": len(book["sheets"]),
                              "sheetType": "GRID", "gridProperties": {"rowCount": 1000, "columnCount": 26}}
                book["sheets"].append({"properties": properties})
                replies.append({"addSheet": {"properties": properties}})
            elif "deleteSheet" in change:
                wanted = change["deleteSheet"]["sheetId"]
                if not any(s["properties"]["sheetId"] == wanted for s in book["sheets"]):
                    return google_error(400, f"Invalid requests[0].deleteSheet: No grid with id: {wanted}",
                                        "INVALID_ARGUMENT")
                book["sheets"] = [s for s in book["sheets"] if s["properties"]["sheetId"] != wanted]
                replies.append({})
        return JSONResponse({"spreadsheetId": ident, "replies": replies})

    def grid(ident: str, cells: str) -> tuple[dict[tuple[int, int], Any], tuple[str, int, int, int, int]] | None:
        book = state.spreadsheets.get(ident)
        where = a1(cells)
        if book is None or sheet_of(book, where[0]) is None:
            return None
        return state.cells.setdefault((ident, where[0]), {}), where

    def write(cells: dict[tuple[int, int], Any], row: int, col: int, values: list[list[Any]]) -> None:
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                cells[(row + r, col + c)] = value

    def span(sheet: str, row: int, col: int, values: list[list[Any]]) -> str:
        width = max(len(line) for line in values)
        return f"{sheet}!{column_letters(col)}{row}:{column_letters(col + width - 1)}{row + len(values) - 1}"

    async def values(request: Request, payload: Any, ident: str, cells: str) -> Response:
        found = grid(ident, cells.removesuffix(":append").removesuffix(":clear"))
        if found is None:
            return google_error(400, f"Unable to parse range: {cells}", "INVALID_ARGUMENT")
        data, (sheet, r1, c1, r2, c2) = found
        if cells.endswith(":clear"):
            for key in [k for k in data if r1 <= k[0] <= r2 and c1 <= k[1] <= c2]:
                del data[key]
            return JSONResponse({"spreadsheetId": ident, "clearedRange": cells.removesuffix(":clear")})
        if cells.endswith(":append"):
            if request.query_params.get("valueInputOption") not in ("RAW", "USER_ENTERED"):
                return google_error(400, "'valueInputOption' is required but not specified", "INVALID_ARGUMENT")
            row = max([k[0] for k in data if c1 <= k[1] <= c2], default=r1 - 1) + 1
            write(data, row, c1, payload["values"])
            where = span(sheet, row, c1, payload["values"])
            return JSONResponse({"spreadsheetId": ident, "tableRange": cells, "updates": {
                "spreadsheetId": ident, "updatedRange": where, "updatedRows": len(payload["values"]),
                "updatedColumns": max(len(line) for line in payload["values"]),
                "updatedCells": sum(len(line) for line in payload["values"])}})
        if request.method == "PUT":
            if request.query_params.get("valueInputOption") not in ("RAW", "USER_ENTERED"):
                return google_error(400, "'valueInputOption' is required but not specified", "INVALID_ARGUMENT")
            write(data, r1, c1, payload["values"])
            return JSONResponse({"spreadsheetId": ident, "updatedRange": span(sheet, r1, c1, payload["values"]),
                                 "updatedRows": len(payload["values"]),
                                 "updatedCells": sum(len(line) for line in payload["values"])})
        inside = {k: v for k, v in data.items() if r1 <= k[0] <= r2 and c1 <= k[1] <= c2}
        if not inside:
            return JSONResponse({"range": cells, "majorDimension": "ROWS"})
        last_row = max(k[0] for k in inside)
        rows = []
        for r in range(r1, last_row + 1):
            line_end = max([k[1] for k in inside if k[0] == r], default=c1 - 1)
            rows.append([inside.get((r, c), "") for c in range(c1, line_end + 1)])
        if request.query_params.get("valueRenderOption", "FORMATTED_VALUE") == "FORMATTED_VALUE":
            rows = [[str(v) for v in line] for line in rows]
        return JSONResponse({"range": cells, "majorDimension": "ROWS", "values": rows})

    # ---- Calendar ----

    def conference(request: Request, event: dict[str, Any], asked: dict[str, Any] | None) -> None:
        if asked and "createRequest" in asked and request.query_params.get("conferenceDataVersion") == "1":
            code = f"abc-defg-{len(state.requests):03d}"
            event["conferenceData"] = {
                "createRequest": {**asked["createRequest"], "status": {"statusCode": "success"}},
                "conferenceId": code, "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
                "entryPoints": [{"entryPointType": "video", "uri": f"https://meet.google.com/{code}"},
                                {"entryPointType": "phone", "uri": "tel:+44-20-0000-0000"}]}
            event["hangoutLink"] = f"https://meet.google.com/{code}"

    async def calendar_list(request: Request, payload: Any) -> Response:
        start = int(request.query_params.get("pageToken") or 0)
        end = start + int(request.query_params.get("maxResults", CALENDAR_LIST_PAGE))
        page = {"kind": "calendar#calendarList", "items": state.calendars[start:end]}
        if end < len(state.calendars):
            page["nextPageToken"] = str(end)
        return JSONResponse(page)

    async def events(request: Request, payload: Any, calendar: str) -> Response:
        found = state.calendar(calendar)
        if found is None:
            return google_error(404, "Not Found", "NOT_FOUND")
        if request.method == "POST":
            if "dateTime" not in payload.get("start", {}) or "dateTime" not in payload.get("end", {}):
                return google_error(400, "Missing end time.", "INVALID_ARGUMENT")
            ident = state.new_id("ev")
            event = {"kind": "calendar#event", "id": ident, "status": "confirmed",
                     "htmlLink": f"https://www.google.com/calendar/event?eid={ident}",
                     "organizer": {"email": "ada@example.org", "self": True}, **payload}
            event.pop("conferenceData", None)
            conference(request, event, payload.get("conferenceData"))
            found[ident] = event
            return JSONResponse(event)
        query = request.query_params
        listed = sorted(found.values(), key=lambda e: e["start"]["dateTime"])
        listed = [e for e in listed if (not query.get("timeMin") or e["end"]["dateTime"] > query["timeMin"])
                  and (not query.get("timeMax") or e["start"]["dateTime"] < query["timeMax"])]
        size = min(int(query.get("maxResults", 250)), EVENTS_PAGE_MOST)
        start = int(query.get("pageToken") or 0)
        page = {"kind": "calendar#events", "items": listed[start:start + size]}
        if start + size < len(listed):
            page["nextPageToken"] = str(start + size)
        return JSONResponse(page)

    async def event(request: Request, payload: Any, calendar: str, ident: str) -> Response:
        found = (state.calendar(calendar) or {}).get(ident)
        if found is None:
            return google_error(404, "Not Found", "NOT_FOUND")
        if request.method == "DELETE":
            del state.calendar(calendar)[ident]
            return Response(status_code=204)
        if request.method == "PATCH":
            found.update({k: v for k, v in payload.items() if k != "conferenceData"})
            conference(request, found, payload.get("conferenceData"))
        return JSONResponse(found)

    async def quick_add(request: Request, payload: Any, calendar: str) -> Response:
        found = state.calendar(calendar)
        ident = state.new_id("ev")
        found[ident] = {"kind": "calendar#event", "id": ident, "status": "confirmed",
                        "summary": request.query_params["text"], "start": {"dateTime": "2026-05-01T12:00:00Z"},
                        "end": {"dateTime": "2026-05-01T13:00:00Z"}}
        return JSONResponse(found[ident])

    async def free_busy(request: Request, payload: Any) -> Response:
        calendars: dict[str, Any] = {}
        for item in payload["items"]:
            found = state.calendar(item["id"])
            if found is None:
                calendars[item["id"]] = {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
                continue
            calendars[item["id"]] = {"busy": [
                {"start": e["start"]["dateTime"], "end": e["end"]["dateTime"]} for e in found.values()
                if e["end"]["dateTime"] > payload["timeMin"] and e["start"]["dateTime"] < payload["timeMax"]]}
        return JSONResponse({"kind": "calendar#freeBusy", "timeMin": payload["timeMin"],
                             "timeMax": payload["timeMax"], "calendars": calendars})

    # ---- Gmail ----

    def parsed(raw: str) -> Any:
        return email.message_from_bytes(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)),
                                        policy=email.policy.default)

    async def send(request: Request, payload: Any) -> Response:
        message = parsed(payload["raw"])
        if not message["To"]:
            return google_error(400, "Invalid To header", "INVALID_ARGUMENT")
        state.sent.append(message)
        return JSONResponse({"id": f"m{len(state.sent)}", "threadId": f"t{len(state.sent)}", "labelIds": ["SENT"]})

    async def drafts(request: Request, payload: Any) -> Response:
        state.drafts.append({"id": f"r-{len(state.drafts) + 1}", "message": parsed(payload["message"]["raw"])})
        n = len(state.drafts)
        return JSONResponse({"id": f"r-{n}", "message": {"id": f"dm{n}", "threadId": f"dt{n}", "labelIds":
                                                         ["DRAFT"]}})

    async def labels(request: Request, payload: Any) -> Response:
        return JSONResponse({"labels": [{"id": "INBOX", "name": "INBOX", "type": "system"},
                                        {"id": "Label_1", "name": "Receipts", "type": "user"}]})

    # ---- Docs ----

    def document_json(doc: dict[str, Any]) -> dict[str, Any]:
        content, index = [{"endIndex": 1, "sectionBreak": {}}], 1
        for line in doc["text"].splitlines(keepends=True):
            content.append({"startIndex": index, "endIndex": index + len(line), "paragraph": {"elements": [
                {"startIndex": index, "endIndex": index + len(line), "textRun": {"content": line}}]}})
            index += len(line)
        return {"documentId": doc["id"], "title": doc["title"], "revisionId": f"rev{doc['revision']}",
                "body": {"content": content}}

    async def documents(request: Request, payload: Any) -> Response:
        ident = state.new_id("doc")
        state.documents[ident] = {"id": ident, "title": payload.get("title", "Untitled document"), "text": "\n",
                                  "revision": 1}
        state.editors_file(ident, state.documents[ident]["title"], DOC)
        return JSONResponse(document_json(state.documents[ident]))

    async def document(request: Request, payload: Any, ident: str) -> Response:
        found = state.documents.get(ident)
        if found is None:
            return google_error(404, "Requested entity was not found.", "NOT_FOUND")
        return JSONResponse(document_json(found))

    async def document_update(request: Request, payload: Any, ident: str) -> Response:
        doc = state.documents.get(ident)
        if doc is None:
            return google_error(404, "Requested entity was not found.", "NOT_FOUND")
        replies: list[dict[str, Any]] = []
        for change in payload["requests"]:
            text = doc["text"]
            if "insertText" in change:
                at = change["insertText"]["location"]["index"]
                if not 1 <= at <= len(text):
                    return google_error(400, "Invalid requests[0].insertText: Index "
                                             f"{at} must be less than the end index of the referenced segment, "
                                             f"{len(text) + 1}.", "INVALID_ARGUMENT")
                doc["text"] = text[:at - 1] + change["insertText"]["text"] + text[at - 1:]
                replies.append({})
            elif "deleteContentRange" in change:
                where = change["deleteContentRange"]["range"]
                doc["text"] = text[:where["startIndex"] - 1] + text[where["endIndex"] - 1:]
                replies.append({})
            elif "replaceAllText" in change:
                asked = change["replaceAllText"]
                flags = 0 if asked["containsText"].get("matchCase") else re.IGNORECASE
                pattern = re.compile(re.escape(asked["containsText"]["text"]), flags)
                doc["text"], changed = pattern.subn(asked["replaceText"], text)
                replies.append({"replaceAllText": {"occurrencesChanged": changed} if changed else {}})
            doc["revision"] += 1
        return JSONResponse({"documentId": ident, "replies": replies,
                             "writeControl": {"requiredRevisionId": f"rev{doc['revision']}"}})

    # ---- Slides ----

    layouts = {"BLANK", "TITLE", "TITLE_AND_BODY", "TITLE_ONLY", "SECTION_HEADER", "ONE_COLUMN_TEXT", "MAIN_POINT",
               "BIG_NUMBER", "CAPTION_ONLY", "TITLE_AND_TWO_COLUMNS", "SECTION_TITLE_AND_DESCRIPTION"}

    async def presentations(request: Request, payload: Any) -> Response:
        ident = state.new_id("pres")
        state.presentations[ident] = {"presentationId": ident, "title": payload.get("title", "Untitled"),
                                      "locale": "en", "revisionId": "r1", "slides": [
                                          {"objectId": "p", "pageType": "SLIDE", "pageElements": []}]}
        state.editors_file(ident, state.presentations[ident]["title"], "application/vnd.google-apps.presentation")
        return JSONResponse(state.presentations[ident])

    async def presentation(request: Request, payload: Any, ident: str) -> Response:
        found = state.presentations.get(ident)
        return JSONResponse(found) if found else google_error(404, "Requested entity was not found.", "NOT_FOUND")

    async def presentation_update(request: Request, payload: Any, ident: str) -> Response:
        deck = state.presentations.get(ident)
        if deck is None:
            return google_error(404, "Requested entity was not found.", "NOT_FOUND")
        replies: list[dict[str, Any]] = []
        elements = {e["objectId"]: e for slide in deck["slides"] for e in slide["pageElements"]}
        for n, change in enumerate(payload["requests"]):
            (kind, asked), = change.items()
            if kind == "createSlide":
                if asked["slideLayoutReference"]["predefinedLayout"] not in layouts:
                    return google_error(400, f"Invalid requests[{n}].createSlide: unknown layout", "INVALID_ARGUMENT")
                slide = {"objectId": asked["objectId"], "pageType": "SLIDE", "pageElements": []}
                deck["slides"].insert(asked.get("insertionIndex", len(deck["slides"])), slide)
                replies.append({"createSlide": {"objectId": asked["objectId"]}})
            elif kind == "deleteObject":
                before = len(deck["slides"])
                deck["slides"] = [s for s in deck["slides"] if s["objectId"] != asked["objectId"]]
                if len(deck["slides"]) == before:
                    return google_error(400, f"Invalid requests[{n}].deleteObject: The object ({asked['objectId']}) "
                                             "could not be found.", "INVALID_ARGUMENT")
                replies.append({})
            elif kind == "createShape":
                page = [s for s in deck["slides"] if s["objectId"] == asked["elementProperties"]["pageObjectId"]]
                if not page:
                    return google_error(400, f"Invalid requests[{n}].createShape: The page object "
                                             "could not be found.", "INVALID_ARGUMENT")
                elements[asked["objectId"]] = {"objectId": asked["objectId"], "size": asked["elementProperties"]
                                               ["size"], "transform": asked["elementProperties"]["transform"],
                                               "shape": {"shapeType": asked["shapeType"]}}
                page[0]["pageElements"].append(elements[asked["objectId"]])
                replies.append({"createShape": {"objectId": asked["objectId"]}})
            elif kind == "insertText":
                elements[asked["objectId"]]["text"] = asked["text"]
                replies.append({})
        return JSONResponse({"presentationId": ident, "replies": replies})

    # ---- Forms ----

    def form_or_404(ident: str) -> dict[str, Any] | None:
        return state.forms.get(ident)

    async def forms(request: Request, payload: Any) -> Response:
        if set(payload) != {"info"} or set(payload["info"]) - {"title", "documentTitle"}:
            return google_error(400, "Only info.title and info.documentTitle may be set when creating a form.",
                                "INVALID_ARGUMENT")
        ident = state.new_id("form")
        state.forms[ident] = {"formId": ident, "info": dict(payload["info"]), "revisionId": "00000001",
                              "responderUri": f"https://docs.google.com/forms/d/e/{ident}/viewform"}
        state.editors_file(ident, payload["info"].get("documentTitle", ""), "application/vnd.google-apps.form")
        return JSONResponse(state.forms[ident])

    async def form(request: Request, payload: Any, ident: str) -> Response:
        found = form_or_404(ident)
        return JSONResponse(found) if found else google_error(404, "Requested entity was not found.", "NOT_FOUND")

    async def form_update(request: Request, payload: Any, ident: str) -> Response:
        found = form_or_404(ident)
        if found is None:
            return google_error(404, "Requested entity was not found.", "NOT_FOUND")
        for change in payload["requests"]:
            asked = change["updateFormInfo"]
            for field in asked["updateMask"].split(","):
                found["info"][field] = asked["info"].get(field, "")
        return JSONResponse({"replies": [{}], "writeControl": {"requiredRevisionId": "00000002"}})

    async def responses(request: Request, payload: Any, ident: str) -> Response:
        if form_or_404(ident) is None:
            return google_error(404, "Requested entity was not found.", "NOT_FOUND")
        listed = state.responses.get(ident, [])
        start = int(request.query_params.get("pageToken") or 0)
        page: dict[str, Any] = {"responses": listed[start:start + 2]} if listed[start:start + 2] else {}
        if start + 2 < len(listed):
            page["nextPageToken"] = str(start + 2)
        return JSONResponse(page)

    async def form_response(request: Request, payload: Any, ident: str, response: str) -> Response:
        found = [r for r in state.responses.get(ident, []) if r["responseId"] == response]
        return JSONResponse(found[0]) if found else google_error(404, "Requested entity was not found.",
                                                                 "NOT_FOUND")

    # ---- YouTube ----

    def youtube_error(status: int, message: str, reason: str) -> Response:
        return google_error(status, message, reason)

    def snippet_video(video: dict[str, Any], search: bool) -> dict[str, Any]:
        item = {"kind": "youtube#searchResult" if search else "youtube#video",
                "id": {"kind": "youtube#video", "videoId": video["id"]} if search else video["id"],
                "snippet": video["snippet"]}
        if not search:
            item |= {"statistics": video["statistics"], "contentDetails": video["contentDetails"]}
        return item

    async def search(request: Request, payload: Any) -> Response:
        query = request.query_params
        if query.get("part") != "snippet":
            return youtube_error(400, "Required parameter: part", "BAD_REQUEST")
        if query.get("forMine") == "true" and query.get("type") != "video":
            return youtube_error(400, "The request specifies a value for forMine but not type=video.",
                                 "INVALID_ARGUMENT")
        found = [v for v in YOUTUBE_VIDEOS if query.get("q", "").lower() in v["snippet"]["title"].lower()
                 and (query.get("forMine") != "true" or v["snippet"]["channelId"] == "UCmine")]
        if query.get("order") == "viewCount":
            found.sort(key=lambda v: -int(v["statistics"]["viewCount"]))
        size = int(query.get("maxResults", 5))
        start = int(query.get("pageToken") or 0)
        page = {"kind": "youtube#searchListResponse", "pageInfo": {"totalResults": len(found), "resultsPerPage":
                                                                   size},
                "items": [snippet_video(v, True) for v in found[start:start + size]]}
        if start + size < len(found):
            page["nextPageToken"] = f"{start + size}"
        return JSONResponse(page)

    async def videos(request: Request, payload: Any) -> Response:
        wanted = request.query_params.get("id", "").split(",")
        return JSONResponse({"kind": "youtube#videoListResponse", "items": [
            snippet_video(v, False) for v in YOUTUBE_VIDEOS if v["id"] in wanted]})

    async def channels(request: Request, payload: Any) -> Response:
        query = request.query_params
        wanted = "UCmine" if query.get("mine") == "true" else query.get("id")
        items = [{"kind": "youtube#channel", "id": wanted, "snippet": {
            "title": "Ada's channel", "description": "Maths", "customUrl": "@ada",
            "thumbnails": {"default": {"url": "https://yt3.example/ada.jpg"}}},
            "statistics": {"subscriberCount": "1200", "videoCount": "2", "viewCount": "99"}}] \
            if wanted in ("UCmine", "UCother") else []
        return JSONResponse({"kind": "youtube#channelListResponse", "items": items})

    async def playlists(request: Request, payload: Any) -> Response:
        query = request.query_params
        owner = "UCmine" if query.get("mine") == "true" else query.get("channelId")
        items = [{"id": ident, "snippet": {"title": f"List {ident}", "description": "", "channelId": "UCmine",
                                          "thumbnails": {}}, "contentDetails": {"itemCount": len(entries)}}
                 for ident, entries in state.playlist_items.items() if owner == "UCmine"]
        return JSONResponse({"kind": "youtube#playlistListResponse", "items": items})

    async def playlist_items(request: Request, payload: Any) -> Response:
        query = request.query_params
        if request.method == "DELETE":
            for entries in state.playlist_items.values():
                if any(e["id"] == query.get("id") for e in entries):
                    entries[:] = [e for e in entries if e["id"] != query["id"]]
                    for position, entry in enumerate(entries):
                        entry["snippet"]["position"] = position
                    return Response(status_code=204)
            return youtube_error(404, "Playlist item not found.", "NOT_FOUND")
        if request.method == "POST":
            if query.get("part") != "snippet":
                return youtube_error(400, "Required parameter: part", "BAD_REQUEST")
            asked = payload["snippet"]
            entries = state.playlist_items.get(asked["playlistId"])
            video = [v for v in YOUTUBE_VIDEOS if v["id"] == asked["resourceId"]["videoId"]]
            if entries is None or not video:
                return youtube_error(404, "Playlist or video not found.", "NOT_FOUND")
            entry = {"kind": "youtube#playlistItem", "id": state.new_id("PLI"), "snippet": {
                "playlistId": asked["playlistId"], "title": video[0]["snippet"]["title"], "description": "",
                "resourceId": asked["resourceId"], "thumbnails": video[0]["snippet"]["thumbnails"]},
                "contentDetails": {"videoId": video[0]["id"]}}
            entries.insert(asked.get("position", len(entries)), entry)
            for position, item in enumerate(entries):
                item["snippet"]["position"] = position
            return JSONResponse(entry)
        entries = state.playlist_items.get(query.get("playlistId", ""))
        if entries is None:
            return youtube_error(404, "The playlist identified with the request's playlistId parameter cannot be "
                                      "found.", "NOT_FOUND")
        size = int(query.get("maxResults", 5))
        start = int(query.get("pageToken") or 0)
        page = {"items": entries[start:start + size], "pageInfo": {"totalResults": len(entries),
                                                                   "resultsPerPage": size}}
        if start + size < len(entries):
            page["nextPageToken"] = f"{start + size}"
        return JSONResponse(page)

    routes = [
        Route("/drive/v3/files", guarded(files), methods=["GET", "POST"]),
        Route("/drive/v3/files/{ident}", guarded(file), methods=["GET", "PATCH", "DELETE"]),
        Route("/drive/v3/files/{ident}/export", guarded(export)),
        Route("/drive/v3/files/{ident}/copy", guarded(copy), methods=["POST"]),
        Route("/v4/spreadsheets", guarded(spreadsheets), methods=["POST"]),
        Route("/v4/spreadsheets/{ident}", guarded(spreadsheet)),
        Route("/v4/spreadsheets/{ident}:batchUpdate", guarded(batch_update), methods=["POST"]),
        Route("/v4/spreadsheets/{ident}/values/{cells}", guarded(values), methods=["GET", "PUT", "POST"]),
        Route("/calendar/v3/users/me/calendarList", guarded(calendar_list)),
        Route("/calendar/v3/calendars/{calendar}/events", guarded(events), methods=["GET", "POST"]),
        Route("/calendar/v3/calendars/{calendar}/events/quickAdd", guarded(quick_add), methods=["POST"]),
        Route("/calendar/v3/calendars/{calendar}/events/{ident}", guarded(event), methods=["GET", "PATCH", "DELETE"]),
        Route("/calendar/v3/freeBusy", guarded(free_busy), methods=["POST"]),
        Route("/gmail/v1/users/me/messages/send", guarded(send), methods=["POST"]),
        Route("/gmail/v1/users/me/drafts", guarded(drafts), methods=["POST"]),
        Route("/gmail/v1/users/me/labels", guarded(labels)),
        Route("/v1/documents", guarded(documents), methods=["POST"]),
        Route("/v1/documents/{ident}", guarded(document)),
        Route("/v1/documents/{ident}:batchUpdate", guarded(document_update), methods=["POST"]),
        Route("/v1/presentations", guarded(presentations), methods=["POST"]),
        Route("/v1/presentations/{ident}", guarded(presentation)),
        Route("/v1/presentations/{ident}:batchUpdate", guarded(presentation_update), methods=["POST"]),
        Route("/v1/forms", guarded(forms), methods=["POST"]),
        Route("/v1/forms/{ident}", guarded(form)),
        Route("/v1/forms/{ident}:batchUpdate", guarded(form_update), methods=["POST"]),
        Route("/v1/forms/{ident}/responses", guarded(responses)),
        Route("/v1/forms/{ident}/responses/{response}", guarded(form_response)),
        Route("/youtube/v3/search", guarded(search)),
        Route("/youtube/v3/videos", guarded(videos)),
        Route("/youtube/v3/channels", guarded(channels)),
        Route("/youtube/v3/playlists", guarded(playlists)),
        Route("/youtube/v3/playlistItems", guarded(playlist_items), methods=["GET", "POST", "DELETE"]),
        token_route("/token", state),
    ]
    app = Starlette(routes=routes)
    app.state.google = state
    return app
