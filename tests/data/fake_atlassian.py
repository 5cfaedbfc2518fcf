"""A local stand-in for an Atlassian site: Jira Cloud REST v3 (and the v2 search Data Center answers), Jira
Agile 1.0 and Confluence Cloud REST v2 and v1, at their documented paths, answering with the JSON shapes
Atlassian documents (trimmed to the fields that matter) over in-memory data, errors in each API's own shape."""

from __future__ import annotations

import base64
import json
from typing import Any

from fake_server import TokenEndpoint, token_route

EMAIL, TOKEN, PAT, OAUTH, CLOUD_ID = "ada@example.org", "atl-api-token", "dc-personal-token", "oauth-3lo", "cloud-1"
BASIC = "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()


def adf(text: str) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": line}]}
                                                     for line in text.splitlines()]}


def adf_plain(doc: Any) -> str:
    """The text of the ADF documents these tests send (paragraphs of text nodes)."""
    return "\n".join("".join(t["text"] for t in p["content"]) for p in doc["content"])


USER = {"accountId": "5b10ac8d82e05b22cc7d4ef5", "displayName": "Ada Lovelace", "emailAddress": EMAIL,
        "active": True, "avatarUrls": {"48x48": "https://avatar.example/ada.png"}}


V1_PAGE_MOST = 2
"""Results a Confluence v1 listing page holds here at most, whatever `limit` asks: small, so that the nodes follow
`_links.next`."""
JIRA_PAGE_MOST = 2
"""Issues, boards and comments a Jira page (Data Center search, Agile listings, an issue's comments) holds here at
most, whatever maxResults asks (Jira caps it too): small, so that the nodes follow startAt."""


class State:
    def __init__(self) -> None:
        self.base = ""
        self.requests: list[dict[str, Any]] = []
        self.oauth = TokenEndpoint(OAUTH, rotate=True, encoding="json")  # auth.atlassian.com's way
        self.issues: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.worklogs: dict[str, list[dict[str, Any]]] = {}
        self.links: list[dict[str, Any]] = []
        self.versions: list[dict[str, Any]] = []
        self.sprints = [{"id": 7, "name": "Sprint 7", "state": "active", "originBoardId": 3, "goal": "Ship"}]
        self.sprint_issues: dict[int, list[str]] = {7: []}
        self.pages: dict[str, dict[str, Any]] = {}
        self.footer_comments: list[dict[str, Any]] = []
        self.labels: dict[str, list[str]] = {}
        self.spaces = [{"id": str(100 + n), "key": key, "name": f"Space {key}", "type": "global", "status": "current",
                        "homepageId": None, "_links": {"webui": f"/spaces/{key}"}}
                       for n, key in enumerate(["ENG", "OPS", "HR", "FIN", "ART"])]
        for n in range(1, 4):
            self.add_issue("PROJ", f"Seeded issue {n}", f"Details {n}", "Task", labels=["seed"])
        self.issues["PROJ-1"]["fields"]["attachment"] = [
            {"id": "10500", "filename": "shot.png", "mimeType": "image/png", "size": 21, "author": USER,
             "created": "2026-03-01T10:00:00.000+0000"}]
        self.add_page("101", "Home", "<p>Welcome</p>", None)
        self.add_page("101", "Plans", "<p>Plan</p>", "1")

    def add_issue(self, project: str, summary: str, description: str, kind: str, labels: list[str] | None = None,
                  parent: str | None = None) -> dict[str, Any]:
        number = len(self.issues) + 1
        key = f"{project}-{number}"
        fields = {"summary": summary, "description": description, "labels": labels or [],
                  "issuetype": {"id": "10001", "name": kind, "subtask": False},
                  "status": {"id": "1", "name": "To Do", "statusCategory": {"key": "new"}},
                  "priority": {"id": "3", "name": "Medium"}, "project": {"id": "10000", "key": project,
                                                                         "name": "Project"},
                  "assignee": None, "reporter": USER, "created": "2026-03-01T10:00:00.000+0000",
                  "updated": "2026-03-01T10:00:00.000+0000", "issuelinks": [], "attachment": [],
                  "parent": {"key": parent} if parent else None}
        self.issues[key] = {"id": str(10000 + number), "key": key, "fields": fields}
        return self.issues[key]

    def add_page(self, space: str, title: str, body: str, parent: str | None) -> dict[str, Any]:
        ident = str(len(self.pages) + 1)
        self.pages[ident] = {"id": ident, "status": "current", "title": title, "spaceId": space, "parentId": parent,
                             "authorId": USER["accountId"], "createdAt": "2026-03-01T10:00:00.000Z",
                             "version": {"number": 1, "message": "", "createdAt": "2026-03-01T10:00:00.000Z"},
                             "body": body, "_links": {"webui": f"/spaces/ENG/pages/{ident}"}}
        return self.pages[ident]

    def issue_json(self, key: str, version: str) -> dict[str, Any]:
        """An issue as v3 sends it (description in ADF) or v2 (text)."""
        issue = json.loads(json.dumps(self.issues[key]))
        text = issue["fields"]["description"]
        issue["fields"]["description"] = adf(text) if version == "3" and text else text
        issue["self"] = f"{self.base}/rest/api/{version}/issue/{issue['id']}"
        for attached in issue["fields"]["attachment"]:
            attached["content"] = f"{self.base}/rest/api/{version}/attachment/content/{attached['id']}"
        return issue

    def page_json(self, ident: str, body_format: str | None) -> dict[str, Any]:
        found = dict(self.pages[ident])
        body = found.pop("body")
        found["body"] = {body_format: {"representation": body_format, "value": body}} if body_format else {}
        return found


def jira_error(status: int, *messages: str, **fields: str) -> Any:
    from starlette.responses import JSONResponse

    return JSONResponse({"errorMessages": list(messages), "errors": fields}, status_code=status)


def confluence_error(status: int, title: str) -> Any:
    from starlette.responses import JSONResponse

    return JSONResponse({"errors": [{"status": status, "code": "NOT_FOUND" if status == 404 else "INVALID_REQUEST",
                                     "title": title, "detail": None}]}, status_code=status)


def atlassian_app() -> Any:  # noqa: C901 - one route table for the fake, read top to bottom
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    state = State()

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            state.base = str(request.base_url).rstrip("/")
            state.requests.append({"method": request.method, "path": request.url.path,
                                   "query": dict(request.query_params), "headers": dict(request.headers),
                                   "json": json.loads(body) if body else None})
            version = request.path_params.get("v")
            wanted = {BASIC} if version == "3" else {f"Bearer {PAT}"} if version else {BASIC, f"Bearer {PAT}"}
            if "cloud" in request.path_params:  # through the API gateway: OAuth tokens only
                if request.path_params["cloud"] != CLOUD_ID:
                    return JSONResponse({"code": 404, "message": "Not Found"}, status_code=404)
                wanted = {f"Bearer {OAUTH}"}
            if request.headers.get("authorization") not in wanted:
                return JSONResponse({"errorMessages": ["Client must be authenticated to access this resource."],
                                     "errors": {}}, status_code=401)
            return await handler(request, json.loads(body) if body else None)

        return endpoint

    def issue_or_404(key: str) -> dict[str, Any] | None:
        return state.issues.get(key)

    def description_in(version: str, value: Any) -> str | Response:
        """v3 takes ADF only (as Jira Cloud does); v2 takes text."""
        if value is None:
            return ""
        if version == "3":
            if not isinstance(value, dict) or value.get("type") != "doc":
                return jira_error(400, errors="", description="Operation value must be an Atlassian Document "
                                                              "(see the Atlassian Document Format)")
            return adf_plain(value)
        return value

    # ---- Jira platform --------------------------------------------------------------------------------

    async def myself(request: Request, body: Any) -> Response:
        return JSONResponse(USER)

    async def search_jql(request: Request, body: Any) -> Response:
        """Cloud's enhanced search: token paging, no total."""
        if "broken(" in body["jql"]:
            return jira_error(400, "Error in the JQL Query: Expecting ')' but got the end of the query.")
        matched = matching(body["jql"])
        start = int(body.get("nextPageToken") or 0)
        size = body.get("maxResults", 50)
        page = matched[start:start + size]
        answer: dict[str, Any] = {"issues": [state.issue_json(k, "3") for k in page], "isLast": start + size >= len(
            matched)}
        if not answer["isLast"]:
            answer["nextPageToken"] = str(start + size)
        return JSONResponse(answer)

    async def approximate_count(request: Request, body: Any) -> Response:
        return JSONResponse({"count": len(matching(body["jql"]))})

    async def search_v2(request: Request, body: Any) -> Response:
        matched = matching(body["jql"])
        start, size = body.get("startAt", 0), min(body.get("maxResults", 50), JIRA_PAGE_MOST)
        return JSONResponse({"startAt": start, "maxResults": size, "total": len(matched),
                             "issues": [state.issue_json(k, "2") for k in matched[start:start + size]]})

    def matching(jql: str) -> list[str]:
        """The few JQL forms the tests send: project = "X" [AND (...)] [ORDER BY], parent = "X", labels = x."""
        keys = list(state.issues)
        for clause in jql.split(" ORDER BY")[0].replace("(", "").replace(")", "").split(" AND "):
            name, _, value = clause.partition(" = ")
            value = value.strip().strip('"')
            field = {"project": lambda f: [f["project"]["key"]], "parent": lambda f: [(f["parent"] or {}).get("key")],
                     "labels": lambda f: f["labels"], "status": lambda f: [f["status"]["name"]]}[name.strip()]
            keys = [k for k in keys if value in field(state.issues[k]["fields"])]
        return keys

    async def issue_create(request: Request, body: Any) -> Response:
        fields, version = body["fields"], request.path_params.get("v", "3")
        if not fields.get("summary"):
            return jira_error(400, summary="You must specify a summary of the issue.")
        if fields["project"]["key"] != "PROJ":
            return jira_error(400, project="valid project is required")
        description = description_in(version, fields.get("description"))
        if isinstance(description, Response):
            return description
        made = state.add_issue("PROJ", fields["summary"], description, fields["issuetype"]["name"],
                               fields.get("labels"), (fields.get("parent") or {}).get("key"))
        if fields.get("priority"):
            made["fields"]["priority"] = {"id": "2", "name": fields["priority"]["name"]}
        if fields.get("assignee"):
            made["fields"]["assignee"] = USER
        return JSONResponse({"id": made["id"], "key": made["key"], "self": f"{state.base}/issue/{made['id']}"},
                            status_code=201)

    async def issue_bulk(request: Request, body: Any) -> Response:
        if len(body["issueUpdates"]) > 50:
            return jira_error(400, "The number of issues to create exceeds the limit of 50.")
        made, errors = [], []
        for index, update in enumerate(body["issueUpdates"]):
            if not update["fields"].get("summary"):
                errors.append({"status": 400, "failedElementNumber": index,
                               "elementErrors": {"errorMessages": [], "errors": {"summary": "You must specify a "
                                                                                            "summary of the issue."}}})
                continue
            issue = state.add_issue("PROJ", update["fields"]["summary"], "", update["fields"]["issuetype"]["name"])
            made.append({"id": issue["id"], "key": issue["key"]})
        return JSONResponse({"issues": made, "errors": errors}, status_code=201 if made else 400)

    async def issue(request: Request, body: Any) -> Response:
        key, version = request.path_params["key"], request.path_params.get("v", "3")
        found = issue_or_404(key)
        if found is None:
            return jira_error(404, "Issue does not exist or you do not have permission to see it.")
        if request.method == "DELETE":
            del state.issues[key]
            return Response(status_code=204)
        if request.method == "PUT":
            for name, value in body["fields"].items():
                if name == "description":
                    value = description_in(version, value)
                    if isinstance(value, Response):
                        return value
                found["fields"][name] = value
            return Response(status_code=204)
        shown = state.issue_json(key, version)
        if request.query_params.get("expand") == "changelog":
            shown["changelog"] = {"histories": changes(key)}
        wanted = request.query_params.get("fields")
        if wanted and wanted != "*all":
            shown["fields"] = {k: v for k, v in shown["fields"].items() if k in wanted.split(",")}
        return JSONResponse(shown)

    async def comments(request: Request, body: Any) -> Response:
        key, version = request.path_params["key"], request.path_params.get("v", "3")
        if issue_or_404(key) is None:
            return jira_error(404, "Issue does not exist or you do not have permission to see it.")
        listed = state.comments.setdefault(key, [])
        if request.method == "POST":
            text = description_in(version, body["body"])
            if isinstance(text, Response):
                return text
            listed.append({"id": str(20000 + len(listed)), "author": USER, "body": text,
                           "created": "2026-03-02T09:00:00.000+0000", "updated": "2026-03-02T09:00:00.000+0000"})
            shown = dict(listed[-1], body=adf(text) if version == "3" else text)
            return JSONResponse(shown, status_code=201)
        start = int(request.query_params.get("startAt", 0))
        size = min(int(request.query_params.get("maxResults", 5000)), JIRA_PAGE_MOST)
        return JSONResponse({"startAt": start, "maxResults": size, "total": len(listed),
                             "comments": [dict(c, body=adf(c["body"]) if version == "3" else c["body"])
                                          for c in listed[start:start + size]]})

    TRANSITIONS = {"To Do": [("11", "Start Progress", "In Progress")],
                   "In Progress": [("21", "Done", "Done"), ("31", "Stop Progress", "To Do")], "Done": []}

    async def transitions(request: Request, body: Any) -> Response:
        found = issue_or_404(request.path_params["key"])
        if found is None:
            return jira_error(404, "Issue does not exist or you do not have permission to see it.")
        available = TRANSITIONS[found["fields"]["status"]["name"]]
        if request.method == "POST":
            target = [t for t in available if t[0] == body["transition"]["id"]]
            if not target:
                return jira_error(400, f"Transition id '{body['transition']['id']}' is not valid for this issue.")
            found["fields"]["status"] = {"id": "3", "name": target[0][2], "statusCategory": {"key": "indeterminate"}}
            for update in (body.get("update") or {}).get("comment", []):
                state.comments.setdefault(found["key"], []).append({
                    "id": "29999", "author": USER, "body": adf_plain(update["add"]["body"]),
                    "created": "2026-03-02T09:00:00.000+0000", "updated": "2026-03-02T09:00:00.000+0000"})
            return Response(status_code=204)
        return JSONResponse({"transitions": [{"id": i, "name": n, "to": {"id": "9", "name": to}}
                                             for i, n, to in available]})

    async def project_search(request: Request, body: Any) -> Response:
        projects = [{"id": "10000", "key": "PROJ", "name": "Project"}, {"id": "10001", "key": "OPS", "name": "Ops"}]
        query = request.query_params.get("query", "").lower()
        found = [p for p in projects if query in (p["key"] + p["name"]).lower()]
        start, size = int(request.query_params.get("startAt", 0)), int(request.query_params.get("maxResults", 50))
        return JSONResponse({"startAt": start, "maxResults": size, "total": len(found), "isLast": True,
                             "values": found[start:start + size]})

    async def projects_v2(request: Request, body: Any) -> Response:
        return JSONResponse([{"id": "10000", "key": "PROJ", "name": "Project"}, {"id": "10001", "key": "OPS",
                                                                                 "name": "Ops"}])

    async def epic_issues(request: Request, body: Any) -> Response:
        epic = request.path_params["epic"]
        for key in body["issues"]:
            state.issues[key]["fields"]["parent"] = None if epic == "none" else {"key": epic}
        return Response(status_code=204)

    async def link_types(request: Request, body: Any) -> Response:
        return JSONResponse({"issueLinkTypes": [{"id": "10000", "name": "Blocks", "inward": "is blocked by",
                                                 "outward": "blocks"}]})

    async def issue_link(request: Request, body: Any) -> Response:
        if request.method == "DELETE":
            ident = request.path_params["ident"]
            if not any(link["id"] == ident for link in state.links):
                return jira_error(404, "No issue link with id '" + ident + "' exists.")
            state.links[:] = [link for link in state.links if link["id"] != ident]
            for found in state.issues.values():
                found["fields"]["issuelinks"] = [x for x in found["fields"]["issuelinks"] if x["id"] != ident]
            return Response(status_code=204)
        if body["type"]["name"] != "Blocks":
            return jira_error(404, "No issue link type with name '" + body["type"]["name"] + "' found.")
        ident = str(30000 + len(state.links))
        inward, outward = body["inwardIssue"]["key"], body["outwardIssue"]["key"]
        kind = {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"}
        state.links.append({"id": ident})
        state.issues[inward]["fields"]["issuelinks"].append({"id": ident, "type": kind,
                                                             "outwardIssue": {"key": outward}})
        state.issues[outward]["fields"]["issuelinks"].append({"id": ident, "type": kind,
                                                              "inwardIssue": {"key": inward}})
        return Response(status_code=201)

    async def worklogs(request: Request, body: Any) -> Response:
        key = request.path_params["key"]
        listed = state.worklogs.setdefault(key, [])
        if request.method == "POST":
            seconds = {"h": 3600, "m": 60}
            spent = sum(int(part[:-1]) * seconds[part[-1]] for part in body["timeSpent"].split())
            listed.append({"id": str(40000 + len(listed)), "author": USER, "updateAuthor": USER,
                           "comment": body.get("comment"), "started": body.get("started", "2026-03-02T09:00:00.000"
                                                                                         "+0000"),
                           "timeSpent": body["timeSpent"], "timeSpentSeconds": spent,
                           "created": "2026-03-02T09:00:00.000+0000", "updated": "2026-03-02T09:00:00.000+0000"})
            return JSONResponse(listed[-1], status_code=201)
        return JSONResponse({"startAt": 0, "maxResults": 5000, "total": len(listed), "worklogs": listed})

    def changes(key: str) -> list[dict[str, Any]]:
        return [{"id": "50000", "author": USER, "created": "2026-03-02T09:00:00.000+0000",
                 "items": [{"field": "status", "fieldtype": "jira", "from": "1", "fromString": "To Do", "to": "3",
                            "toString": "In Progress"}]}] if key in state.issues else []

    async def changelog(request: Request, body: Any) -> Response:
        key = request.path_params["key"]
        if key not in state.issues:
            return jira_error(404, "Issue does not exist or you do not have permission to see it.")
        values = changes(key)
        return JSONResponse({"startAt": 0, "maxResults": int(request.query_params.get("maxResults", 100)),
                             "total": len(values), "isLast": True, "values": values})

    async def fields(request: Request, body: Any) -> Response:
        return JSONResponse([
            {"id": "summary", "key": "summary", "name": "Summary", "custom": False, "orderable": True,
             "navigable": True, "searchable": True, "schema": {"type": "string", "system": "summary"}},
            {"id": "customfield_10016", "key": "customfield_10016", "name": "Story point estimate", "custom": True,
             "orderable": True, "navigable": True, "searchable": True,
             "schema": {"type": "number", "custom": "com.atlassian.jpo:jpo-custom-field-original-story-points"}},
            {"id": "customfield_10020", "key": "customfield_10020", "name": "Sprint", "custom": True,
             "orderable": True, "navigable": True, "searchable": True,
             "schema": {"type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint"}}])

    async def versions(request: Request, body: Any) -> Response:
        if request.method == "GET":
            return JSONResponse([v for v in state.versions if v["projectKey"] == request.path_params["key"]])
        if request.method == "PUT":
            found = [v for v in state.versions if v["id"] == request.path_params["ident"]]
            if not found:
                return jira_error(404, "Could not find version for id '" + request.path_params["ident"] + "'")
            found[0].update(body)
            return JSONResponse(found[0])
        if body.get("project") != "PROJ":
            return jira_error(400, project="Project must be specified to create a version.")
        if any(v["name"] == body["name"] for v in state.versions):
            return jira_error(400, name="A version with this name already exists in this project.")
        made = {"id": str(10100 + len(state.versions)), "projectId": 10000, "projectKey": "PROJ",
                "archived": False, "released": False} | body
        state.versions.append(made)
        return JSONResponse(made, status_code=201)

    async def attachment(request: Request, body: Any) -> Response:
        if request.path_params["ident"] != "10500":
            return jira_error(404, "The attachment with id '" + request.path_params["ident"] + "' does not exist")
        if request.method == "DELETE":
            return Response(status_code=204)
        return Response(b"\x89PNG attachment bytes", media_type="image/png")

    # ---- Jira Agile ---------------------------------------------------------------------------------------

    async def boards(request: Request, body: Any) -> Response:
        listed = [{"id": 3, "name": "PROJ board", "type": "scrum",
                   "location": {"projectKey": "PROJ", "projectName": "Project"}},
                  {"id": 4, "name": "Ops flow", "type": "kanban", "location": {"projectKey": "OPS"}}]
        params = request.query_params
        listed = [b for b in listed if params.get("type", b["type"]) == b["type"]
                  and params.get("projectKeyOrId", b["location"]["projectKey"]) == b["location"]["projectKey"]]
        start, size = int(params.get("startAt", 0)), min(int(params.get("maxResults", 50)), JIRA_PAGE_MOST)
        return JSONResponse({"maxResults": size, "startAt": start, "total": len(listed),
                             "isLast": start + size >= len(listed), "values": listed[start:start + size]})

    def agile_issues(request: Request, keys: list[str]) -> Response:
        if request.query_params.get("jql"):
            allowed = set(matching(request.query_params["jql"]))
            keys = [k for k in keys if k in allowed]
        start = int(request.query_params.get("startAt", 0))
        size = min(int(request.query_params.get("maxResults", 50)), JIRA_PAGE_MOST)
        return JSONResponse({"startAt": start, "maxResults": size, "total": len(keys),
                             "issues": [state.issue_json(k, "2") for k in keys[start:start + size]]})

    async def board_issues(request: Request, body: Any) -> Response:
        if request.path_params["board"] != "3":
            return jira_error(404, "Board does not exist or you do not have permission to see it.")
        return agile_issues(request, list(state.issues))

    async def backlog(request: Request, body: Any) -> Response:
        planned = {k for keys in state.sprint_issues.values() for k in keys}
        return agile_issues(request, [k for k in state.issues if k not in planned])

    async def board_sprints(request: Request, body: Any) -> Response:
        wanted = request.query_params.get("state", "future,active,closed").split(",")
        return JSONResponse({"maxResults": 50, "startAt": 0, "isLast": True,
                             "values": [s for s in state.sprints if s["state"] in wanted]})

    async def sprint_create(request: Request, body: Any) -> Response:
        made = {"id": 8 + len(state.sprints), "state": "future"} | body
        state.sprints.append(made)
        state.sprint_issues[made["id"]] = []
        return JSONResponse(made, status_code=201)

    async def sprint(request: Request, body: Any) -> Response:
        found = [s for s in state.sprints if s["id"] == int(request.path_params["sprint"])]
        if not found:
            return jira_error(404, "Sprint does not exist or you do not have permission to see it.")
        found[0].update(body)
        return JSONResponse(found[0])

    async def sprint_issues(request: Request, body: Any) -> Response:
        sprint_id = int(request.path_params["sprint"])
        if sprint_id not in state.sprint_issues:
            return jira_error(404, "Sprint does not exist or you do not have permission to see it.")
        if request.method == "POST":
            if len(body["issues"]) > 50:
                return jira_error(400, "The maximum number of issues is 50")
            state.sprint_issues[sprint_id] += body["issues"]
            return Response(status_code=204)
        return agile_issues(request, state.sprint_issues[sprint_id])

    # ---- Confluence v2 ---------------------------------------------------------------------------------------

    def cursor_page(request: Request, items: list[Any], path: str) -> Response:
        start = int(request.query_params.get("cursor", 0))
        size = int(request.query_params.get("limit", 25))
        answer: dict[str, Any] = {"results": items[start:start + size], "_links": {"base": state.base + "/wiki"}}
        if start + size < len(items):
            answer["_links"]["next"] = f"/wiki/api/v2{path}?cursor={start + size}&limit={size}"
        return JSONResponse(answer)

    async def spaces(request: Request, body: Any) -> Response:
        listed = state.spaces
        if request.query_params.get("keys"):
            listed = [s for s in listed if s["key"] in request.query_params["keys"].split(",")]
        if request.query_params.get("type"):
            listed = [s for s in listed if s["type"] == request.query_params["type"]]
        return cursor_page(request, listed, "/spaces")

    async def pages(request: Request, body: Any) -> Response:
        if body.get("spaceId") not in {s["id"] for s in state.spaces}:
            return confluence_error(400, "Space id is invalid")
        if body["body"]["representation"] != "storage":
            return confluence_error(400, "Unsupported representation")
        made = state.add_page(body["spaceId"], body["title"], body["body"]["value"], body.get("parentId"))
        return JSONResponse(state.page_json(made["id"], "storage"))

    async def page(request: Request, body: Any) -> Response:
        ident = request.path_params["ident"]
        if ident not in state.pages:
            return confluence_error(404, "Not Found")
        if request.method == "DELETE":
            del state.pages[ident]
            return Response(status_code=204)
        if request.method == "PUT":
            current = state.pages[ident]
            if body["version"]["number"] != current["version"]["number"] + 1:
                return confluence_error(409, "Version must be incremented on update. Current version is: "
                                             f"{current['version']['number']}")
            current.update(title=body["title"], body=body["body"]["value"],
                           version={"number": body["version"]["number"], "message": body["version"].get("message",
                                                                                                        ""),
                                    "createdAt": "2026-03-03T10:00:00.000Z"})
            return JSONResponse(state.page_json(ident, "storage"))
        return JSONResponse(state.page_json(ident, request.query_params.get("body-format")))

    async def children(request: Request, body: Any) -> Response:
        ident = request.path_params["ident"]
        listed = [{"id": p["id"], "status": "current", "title": p["title"], "spaceId": p["spaceId"],
                   "childPosition": 0} for p in state.pages.values() if p["parentId"] == ident]
        return cursor_page(request, listed, f"/pages/{ident}/children")

    async def ancestors(request: Request, body: Any) -> Response:
        chain, current = [], state.pages[request.path_params["ident"]]["parentId"]
        while current:
            chain.insert(0, {"id": current, "type": "page"})
            current = state.pages[current]["parentId"]
        return JSONResponse({"results": chain, "_links": {}})

    async def page_comments(request: Request, body: Any) -> Response:
        ident = request.path_params["ident"]
        listed = [c for c in state.footer_comments if c["pageId"] == ident]
        return cursor_page(request, listed, f"/pages/{ident}/footer-comments")

    async def comment_create(request: Request, body: Any) -> Response:
        if body.get("pageId") not in state.pages:
            return confluence_error(400, "Invalid pageId")
        made = {"id": str(60000 + len(state.footer_comments)), "status": "current", "pageId": body["pageId"],
                "version": {"number": 1, "authorId": USER["accountId"], "createdAt": "2026-03-02T09:00:00.000Z"},
                "body": {"storage": {"representation": "storage", "value": body["body"]["value"]}}}
        state.footer_comments.append(made)
        return JSONResponse(made)

    async def child_pages_v1(request: Request, body: Any) -> Response:
        expand = request.query_params.get("expand", "").split(",")
        found = [p for p in state.pages.values() if p["parentId"] == request.path_params["ident"]]
        results = [{"id": p["id"], "type": "page", "status": "current", "title": p["title"],
                    "version": {"number": p["version"]["number"], "when": "2026-03-01T10:00:00.000Z"},
                    "_links": {"webui": p["_links"]["webui"]}}
                   | ({"body": {"storage": {"value": p["body"], "representation": "storage"}}}
                      if "body.storage" in expand else {}) for p in found]
        return JSONResponse({"results": results[:int(request.query_params.get("limit", 25))], "size": len(results)})

    # ---- Confluence Data Center (v1 only, at /rest/api) -----------------------------------------------------

    def v1_page(ident: str, expand: list[str]) -> dict[str, Any]:
        p = state.pages[ident]
        ancestors, parent = [], p["parentId"]
        while parent:
            ancestors.insert(0, {"id": parent, "type": "page", "title": state.pages[parent]["title"]})
            parent = state.pages[parent]["parentId"]
        space = next(x["key"] for x in state.spaces if x["id"] == p["spaceId"])
        found: dict[str, Any] = {"id": ident, "type": "page", "status": "current", "title": p["title"],
                                 "space": {"key": space}, "ancestors": ancestors,
                                 "version": {"number": p["version"]["number"], "when": p["version"]["createdAt"]},
                                 "_links": {"base": state.url, "webui": f"/display/{space}/{p['title']}"}}
        if "body.storage" in expand:
            found["body"] = {"storage": {"value": p["body"], "representation": "storage"}}
        return found

    async def content_v1(request: Request, body: Any) -> Response:
        ident = request.path_params.get("ident")
        if ident is not None and ident not in state.pages:
            return JSONResponse({"statusCode": 404, "message": f"No content found with id: ContentId{{id={ident}}}"},
                                status_code=404)
        if request.method == "DELETE":
            del state.pages[ident]
            return Response(status_code=204)
        if request.method == "POST" and body["type"] == "comment":
            made = {"id": str(60000 + len(state.footer_comments)), "type": "comment", "pageId": body["container"]["id"],
                    "container": body["container"], "body": body["body"],
                    "version": {"number": 1, "when": "2026-03-02T09:00:00.000Z", "by": {"userKey": "ada"}}}
            state.footer_comments.append(made)
            return JSONResponse(made)
        if request.method == "POST":
            space = next(x["id"] for x in state.spaces if x["key"] == body["space"]["key"])
            parent = (body.get("ancestors") or [{}])[-1].get("id")
            ident = state.add_page(space, body["title"], body["body"]["storage"]["value"], parent)["id"]
        if request.method == "PUT":
            current = state.pages[ident]
            if body["version"]["number"] != current["version"]["number"] + 1:
                return JSONResponse({"statusCode": 409, "message": "Version must be incremented on update."},
                                    status_code=409)
            current.update(title=body["title"], body=body["body"]["storage"]["value"],
                           version={"number": body["version"]["number"], "createdAt": "2026-03-03T10:00:00.000Z"})
        return JSONResponse(v1_page(ident, request.query_params.get("expand", "body.storage").split(",")))

    def offset_page(request: Request, items: list[Any]) -> Response:
        """A v1 listing's page: `start` and `limit` (capped, as Confluence caps them), and a `_links.next` from the
        wiki's root while more follow."""
        start = int(request.query_params.get("start", 0))
        size = min(int(request.query_params.get("limit", 25)), V1_PAGE_MOST)
        answer: dict[str, Any] = {"results": items[start:start + size], "start": start, "limit": size,
                                  "size": len(items[start:start + size]), "_links": {"base": state.url}}
        if start + size < len(items):
            path = request.url.path.removeprefix("/wiki")
            answer["_links"]["next"] = f"{path}?start={start + size}&limit={size}"
        return JSONResponse(answer)

    async def comments_v1(request: Request, body: Any) -> Response:
        return offset_page(request, [c for c in state.footer_comments if c["pageId"] == request.path_params["ident"]])

    async def spaces_v1(request: Request, body: Any) -> Response:
        start, size = int(request.query_params.get("start", 0)), int(request.query_params.get("limit", 25))
        listed = [x for x in state.spaces if request.query_params.get("type", x["type"]) == x["type"]]
        return JSONResponse({"results": listed[start:start + size], "start": start, "limit": size,
                             "size": len(listed[start:start + size])})

    async def page_labels(request: Request, body: Any) -> Response:
        names = state.labels.get(request.path_params["ident"], [])
        return cursor_page(request, [{"id": str(70000 + n), "name": name, "prefix": "global"}
                                     for n, name in enumerate(names)], "/labels")

    # ---- Confluence v1 ---------------------------------------------------------------------------------------

    async def label_v1(request: Request, body: Any) -> Response:
        ident = request.path_params["ident"]
        if ident not in state.pages:
            return JSONResponse({"statusCode": 404, "message": f"No content found with id: ContentId{{id={ident}}}"},
                                status_code=404)
        names = state.labels.setdefault(ident, [])
        if request.method == "GET":
            return offset_page(request, [{"prefix": "global", "name": n, "id": str(70000 + i)}
                                         for i, n in enumerate(names)])
        if request.method == "DELETE":
            names.remove(request.query_params["name"])
            return Response(status_code=204)
        names += [label["name"].lower() for label in body]
        return JSONResponse({"results": [{"prefix": "global", "name": n} for n in names], "size": len(names)})

    async def search_v1(request: Request, body: Any) -> Response:
        cql = request.query_params["cql"]
        if "~" not in cql and "=" not in cql:
            return JSONResponse({"statusCode": 400, "message": f"Could not parse cql : {cql}"}, status_code=400)
        found = [p for p in state.pages.values() if 'text ~ "' not in cql
                 or cql.split('text ~ "')[1].split('"')[0].lower() in (p["title"] + p["body"]).lower()]
        start, size = int(request.query_params.get("start", 0)), int(request.query_params.get("limit", 25))
        results = [{"content": {"id": p["id"], "type": "page", "status": "current", "title": p["title"],
                                "space": {"key": "ENG"}},
                    "title": p["title"], "excerpt": p["body"][:20], "url": f"/spaces/ENG/pages/{p['id']}",
                    "lastModified": "2026-03-01T10:00:00.000Z", "entityType": "content"} for p in found]
        return JSONResponse({"results": results[start:start + size], "start": start, "limit": size,
                             "size": len(results[start:start + size]), "totalSize": len(results)})

    async def user_current(request: Request, body: Any) -> Response:
        return JSONResponse({"type": "known", "accountId": USER["accountId"], "email": EMAIL,
                             "publicName": "Ada", "displayName": "Ada Lovelace",
                             "profilePicture": {"path": "/wiki/aa-avatar/ada.png"}})

    async def user_search(request: Request, body: Any) -> Response:
        wanted = request.query_params["cql"].split('"')[1].lower()
        users = [{"user": {"accountId": USER["accountId"], "displayName": "Ada Lovelace", "email": EMAIL}}]
        return JSONResponse({"results": [u for u in users if wanted in u["user"]["displayName"].lower()],
                             "start": 0, "limit": 25, "size": 1})

    async def accessible_resources(request: Request) -> Response:
        state.requests.append({"method": "GET", "path": request.url.path, "headers": dict(request.headers)})
        if request.headers.get("authorization") != f"Bearer {OAUTH}":
            return JSONResponse({"code": 401, "message": "Unauthorized"}, status_code=401)
        return JSONResponse([{"id": CLOUD_ID, "url": state.url, "name": "acme", "scopes": ["read:jira-work"]},
                             {"id": "cloud-2", "url": "https://other.atlassian.net", "name": "other", "scopes": []}])

    async def me(request: Request) -> Response:
        state.requests.append({"method": "GET", "path": request.url.path, "headers": dict(request.headers)})
        if request.headers.get("authorization") != f"Bearer {OAUTH}":
            return JSONResponse({"code": 401, "message": "Unauthorized; scope does not match"}, status_code=401)
        return JSONResponse({"account_id": USER["accountId"], "account_type": "atlassian", "email": EMAIL,
                             "name": "Ada Lovelace", "picture": "https://avatar.example/ada.png",
                             "account_status": "active", "nickname": "ada", "zoneinfo": "Europe/London",
                             "locale": "en-GB", "email_verified": True})

    jira = "/rest/api/{v}"
    routes = [
        (f"{jira}/myself", myself, ["GET"]), ("/rest/api/3/search/jql", search_jql, ["POST"]),
        ("/rest/api/3/search/approximate-count", approximate_count, ["POST"]),
        ("/rest/api/{v}/search", search_v2, ["POST"]), (f"{jira}/issue", issue_create, ["POST"]),
        (f"{jira}/issue/bulk", issue_bulk, ["POST"]), (f"{jira}/issue/{{key}}", issue, ["GET", "PUT", "DELETE"]),
        (f"{jira}/issue/{{key}}/comment", comments, ["GET", "POST"]),
        (f"{jira}/issue/{{key}}/transitions", transitions, ["GET", "POST"]),
        (f"{jira}/issue/{{key}}/worklog", worklogs, ["GET", "POST"]),
        (f"{jira}/issue/{{key}}/changelog", changelog, ["GET"]), (f"{jira}/project/search", project_search, ["GET"]),
        ("/rest/api/2/project", projects_v2, ["GET"]), ("/rest/agile/1.0/epic/{epic}/issue", epic_issues, ["POST"]),
        ("/wiki/rest/api/content/{ident}/child/page", child_pages_v1, ["GET"]),
        ("/rest/api/content", content_v1, ["POST"]),
        ("/rest/api/content/{ident}", content_v1, ["GET", "PUT", "DELETE"]),
        ("/rest/api/content/{ident}/child/page", child_pages_v1, ["GET"]),
        ("/rest/api/content/{ident}/child/comment", comments_v1, ["GET"]),
        ("/rest/api/content/{ident}/label", label_v1, ["GET", "POST", "DELETE"]),
        ("/rest/api/space", spaces_v1, ["GET"]),
        (f"{jira}/issueLinkType", link_types, ["GET"]), (f"{jira}/issueLink", issue_link, ["POST"]),
        (f"{jira}/issueLink/{{ident}}", issue_link, ["DELETE"]), (f"{jira}/field", fields, ["GET"]),
        (f"{jira}/project/{{key}}/versions", versions, ["GET"]), (f"{jira}/version", versions, ["POST"]),
        (f"{jira}/version/{{ident}}", versions, ["PUT"]), (f"{jira}/attachment/{{ident}}", attachment, ["DELETE"]),
        (f"{jira}/attachment/content/{{ident}}", attachment, ["GET"]),
        ("/rest/agile/1.0/board", boards, ["GET"]), ("/rest/agile/1.0/board/{board}/issue", board_issues, ["GET"]),
        ("/rest/agile/1.0/board/{board}/backlog", backlog, ["GET"]),
        ("/rest/agile/1.0/board/{board}/sprint", board_sprints, ["GET"]),
        ("/rest/agile/1.0/sprint", sprint_create, ["POST"]), ("/rest/agile/1.0/sprint/{sprint}", sprint, ["POST"]),
        ("/rest/agile/1.0/sprint/{sprint}/issue", sprint_issues, ["GET", "POST"]),
        ("/wiki/api/v2/spaces", spaces, ["GET"]), ("/wiki/api/v2/pages", pages, ["POST"]),
        ("/wiki/api/v2/pages/{ident}", page, ["GET", "PUT", "DELETE"]),
        ("/wiki/api/v2/pages/{ident}/children", children, ["GET"]),
        ("/wiki/api/v2/pages/{ident}/ancestors", ancestors, ["GET"]),
        ("/wiki/api/v2/pages/{ident}/footer-comments", page_comments, ["GET"]),
        ("/wiki/api/v2/footer-comments", comment_create, ["POST"]),
        ("/wiki/api/v2/pages/{ident}/labels", page_labels, ["GET"]),
        ("/wiki/rest/api/content/{ident}/label", label_v1, ["GET", "POST", "DELETE"]),
        ("/wiki/rest/api/search", search_v1, ["GET"]), ("/wiki/rest/api/user/current", user_current, ["GET"]),
        ("/wiki/rest/api/search/user", user_search, ["GET"])]
    gateway = [(("/ex/confluence/{cloud}" if path.startswith("/wiki") else "/ex/jira/{cloud}") + path.replace(
        "{v}", "3"), handler, methods) for path, handler, methods in routes]
    app = Starlette(routes=[Route(path, guarded(handler), methods=methods) for path, handler, methods in
                            routes + gateway]
                    + [Route("/oauth/token/accessible-resources", accessible_resources), Route("/me", me),
                       token_route("/oauth/token", state)])
    app.state.atlassian = state
    return app
