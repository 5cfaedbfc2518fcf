"""Jira (Cloud REST v3, Data Center v2): issues and their comments, transitions, links, worklogs, attachments,
changelogs and epics; projects, versions and fields.

The nodes Flow-Like gives an Error output fire it with Jira's message; the others fail with it (On Error)."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.atlassian import (
    Atlassian,
    AtlassianError,
    AtlassianNode,
    Provider,
    adf_text,
    csv_list,
    jira_comment,
    jira_issue,
    jira_project,
    jira_transition,
    jira_user,
    required,
    search_jql,
    segment,
    service_message,
    struct_out,
)
from flowlike_catalog.web.http import HttpRequest, fetch
from flowlike_catalog.web.service_pins import bool_in, int_in, int_out, text_in

from flowlike_core import Context, DataType, Pin, data_out, node

CATEGORY = "Data/Atlassian/Jira"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)

Issues = Annotated[list[dict], Pin(description="Issues (key, summary, status, ... and Jira's fields)")]
Success = Annotated[bool, Pin(name="success")]
BULK_LIMIT = 50
"""Issues Jira creates per bulk call (its documented maximum)."""


def jira_node(friendly_name: str) -> Any:
    return node(friendly_name=friendly_name, exec_pins=True)


async def fetch_issue(jira: Atlassian, key: str) -> dict[str, Any]:
    return jira_issue(await jira.call("GET", f"/issue/{segment(key, 'issue_key')}"), jira.provider.base_url)


async def add_comment(jira: Atlassian, key: str, body: str) -> dict[str, Any]:
    if not body.strip():
        raise ValueError("the comment body is empty")
    made = await jira.call("POST", f"/issue/{segment(key, 'issue_key')}/comment", body={"body": jira.rich_text(body)})
    return jira_comment(made)


def issue_fields(jira: Atlassian, *, description: str, priority: str, assignee_id: str, labels: str) -> dict[str, Any]:
    """The optional fields create and update share; empty inputs are left out."""
    fields: dict[str, Any] = {}
    if description:
        fields["description"] = jira.rich_text(description)
    if priority:
        fields["priority"] = {"name": priority}
    if assignee_id:
        fields["assignee"] = jira.user_ref(assignee_id)
    if labels:
        fields["labels"] = csv_list(labels)
    return fields


# ---- issues ----------------------------------------------------------------------------------------------


class GetIssue(AtlassianNode):
    name = "data_atlassian_jira_get_issue"
    friendly_name = "Get Jira Issue"
    description = "One issue, and its comments when asked."
    inputs = (text_in("issue_key", description="e.g. PROJ-123"), bool_in("include_comments", False))
    outputs = (struct_out("issue"), struct_out("comments", array=True))

    async def call(self, jira: Atlassian, *, issue_key: str, include_comments: bool) -> dict[str, Any]:
        issue = await fetch_issue(jira, issue_key)
        comments = []
        if include_comments:
            found, _, _ = await jira.pages("GET", f"/issue/{segment(issue_key, 'issue_key')}/comment", "comments",
                                           most=5000)
            comments = [jira_comment(c) for c in found]
        return {"issue": issue, "comments": comments}


class SearchIssues(AtlassianNode):
    name = "data_atlassian_jira_search_issues"
    friendly_name = "Search Jira Issues"
    description = "Issues matching a JQL query, a page at a time."
    inputs = (text_in("jql", "", "e.g. project = PROJ AND status = 'In Progress'"), int_in("max_results", 50),
              int_in("start_at", 0), text_in("fields", "", "Comma-separated fields to fetch (all navigable ones when "
                                                           "empty)"))
    outputs = (struct_out("issues", array=True), int_out("total", "Matches in all pages"),
               data_out("has_more", DataType.BOOLEAN))

    async def call(self, jira: Atlassian, *, jql: str, max_results: int, start_at: int,
                   fields: str) -> dict[str, Any]:
        issues, total, more = await search_jql(jira, jql, start_at, max_results, csv_list(fields))
        return {"issues": issues, "total": total, "has_more": more}


class GetProjectIssues(AtlassianNode):
    name = "data_atlassian_jira_get_project_issues"
    friendly_name = "Get Project Issues"
    description = "A project's issues, optionally narrowed by more JQL, newest first."
    inputs = (text_in("project_key"), text_in("jql_filter", "", "More JQL, ANDed (e.g. status = Done)"),
              int_in("max_results", 50), int_in("start_at", 0))
    outputs = (struct_out("issues", array=True), int_out("total"), int_out("count"))

    async def call(self, jira: Atlassian, *, project_key: str, jql_filter: str, max_results: int,
                   start_at: int) -> dict[str, Any]:
        jql = f'project = "{required(project_key, "project_key")}"'
        jql = (f"{jql} AND ({jql_filter})" if jql_filter.strip() else jql) + " ORDER BY created DESC"
        issues, total, _ = await search_jql(jira, jql, start_at, max_results)
        return {"issues": issues, "total": total, "count": len(issues)}


class CreateIssue(AtlassianNode):
    name = "data_atlassian_jira_create_issue"
    friendly_name = "Create Jira Issue"
    description = "Creates an issue (a sub-task or child when parent_key is given)."
    inputs = (text_in("project_key"), text_in("issue_type", "Task"), text_in("summary"), text_in("description", ""),
              text_in("priority", "", "e.g. High"), text_in("assignee_id", "", "Account id (Cloud) or user name"),
              text_in("labels", "", "Comma-separated"), text_in("parent_key", ""))
    outputs = (struct_out("issue"), data_out("issue_key", DataType.STRING))

    async def call(self, jira: Atlassian, *, project_key: str, issue_type: str, summary: str, description: str,
                   priority: str, assignee_id: str, labels: str, parent_key: str) -> dict[str, Any]:
        if not summary.strip():
            raise ValueError("an issue needs a summary")
        fields = {"project": {"key": project_key}, "summary": summary, "issuetype": {"name": issue_type or "Task"}}
        fields |= issue_fields(jira, description=description, priority=priority, assignee_id=assignee_id,
                               labels=labels)
        if parent_key:
            fields["parent"] = {"key": parent_key}
        made = await jira.call("POST", "/issue", body={"fields": fields})
        return {"issue": await fetch_issue(jira, made["key"]), "issue_key": made["key"]}


class UpdateIssue(AtlassianNode):
    name = "data_atlassian_jira_update_issue"
    friendly_name = "Update Jira Issue"
    description = "Changes an issue's fields (empty inputs leave theirs as they are) and adds a comment if given."
    inputs = (text_in("issue_key"), text_in("summary", ""), text_in("description", ""), text_in("priority", ""),
              text_in("assignee_id", ""), text_in("labels", "", "Comma-separated: replaces the labels"),
              text_in("comment", ""))
    outputs = (struct_out("issue"),)

    async def call(self, jira: Atlassian, *, issue_key: str, summary: str, description: str, priority: str,
                   assignee_id: str, labels: str, comment: str) -> dict[str, Any]:
        fields = issue_fields(jira, description=description, priority=priority, assignee_id=assignee_id,
                              labels=labels) | ({"summary": summary} if summary else {})
        if fields:
            await jira.call("PUT", f"/issue/{segment(issue_key, 'issue_key')}", body={"fields": fields})
        if comment:
            await add_comment(jira, issue_key, comment)
        return {"issue": await fetch_issue(jira, issue_key)}


class TransitionIssue(AtlassianNode):
    name = "data_atlassian_jira_transition_issue"
    friendly_name = "Transition Jira Issue"
    description = "Moves an issue along its workflow, by transition id or name (e.g. Done), with a comment if given."
    inputs = (text_in("issue_key"), text_in("transition_id", ""), text_in("transition_name", "", "Case-insensitive"),
              text_in("comment", ""))
    outputs = (struct_out("issue"), struct_out("available_transitions", array=True))

    async def call(self, jira: Atlassian, *, issue_key: str, transition_id: str, transition_name: str,
                   comment: str) -> dict[str, Any]:
        path = f"/issue/{segment(issue_key, 'issue_key')}/transitions"
        available = [jira_transition(t) for t in (await jira.call("GET", path)).get("transitions", [])]
        if not transition_id:
            if not transition_name:
                raise ValueError("give transition_id or transition_name")
            named = [t["id"] for t in available if t["name"].lower() == transition_name.strip().lower()]
            if not named:
                raise ValueError(f"{issue_key} has no transition {transition_name!r} now (available: "
                                 f"{', '.join(t['name'] for t in available) or 'none'})")
            transition_id = named[0]
        body: dict[str, Any] = {"transition": {"id": transition_id}}
        if comment:
            body["update"] = {"comment": [{"add": {"body": jira.rich_text(comment)}}]}
        await jira.call("POST", path, body=body)
        return {"issue": await fetch_issue(jira, issue_key), "available_transitions": available}


@jira_node("Get Transitions")
async def data_atlassian_jira_get_transitions(
        ctx: Context, provider: Provider, issue_key: str) -> Annotated[list[dict], Pin(name="transitions")]:
    """The transitions an issue can take now, with the status each leads to."""
    jira = Atlassian(ctx, provider)
    found = await jira.call("GET", f"/issue/{segment(issue_key, 'issue_key')}/transitions")
    return [jira_transition(t) for t in found.get("transitions", [])]


@jira_node("Add Comment")
async def data_atlassian_jira_add_comment(ctx: Context, provider: Provider, issue_key: str,
                                          body: str) -> Annotated[dict, Pin(name="comment")]:
    """Comments on an issue."""
    return await add_comment(Atlassian(ctx, provider), issue_key, body)


@jira_node("Delete Issue")
async def data_atlassian_jira_delete_issue(ctx: Context, provider: Provider, issue_key: str,
                                           delete_subtasks: bool = False) -> Success:
    """Deletes an issue (with its sub-tasks when asked: Jira refuses an issue that has some otherwise)."""
    await Atlassian(ctx, provider).call("DELETE", f"/issue/{segment(issue_key, 'issue_key')}",
                                        params={"deleteSubtasks": delete_subtasks})
    return True


class BatchCreated(NamedTuple):
    results: Annotated[list[dict], Pin(description="Per input: input_index, success, and the key/id or error")]
    created_count: int
    failed_count: int


@jira_node("Batch Create Issues")
async def data_atlassian_jira_batch_create_issues(
        ctx: Context, provider: Provider,
        issues: Annotated[list[dict], Pin(description="Each: project_key, summary, issue_type, description, "
                                          "priority, assignee_id, labels (list), parent_key")]) -> BatchCreated:
    """Creates issues with Jira's bulk create (50 per call); the results say which failed and why."""
    jira = Atlassian(ctx, provider)
    results: list[dict[str, Any]] = []
    for first in range(0, len(issues or []), BULK_LIMIT):
        batch = issues[first:first + BULK_LIMIT]
        answer = await jira.call("POST", "/issue/bulk", body={"issueUpdates": [bulk_fields(jira, s) for s in batch]},
                                 tolerated={400})  # 400: every one failed, the errors say why
        failed = {e.get("failedElementNumber"): e.get("elementErrors") or {} for e in answer.get("errors", [])}
        made = iter(answer.get("issues", []))
        for index in range(len(batch)):
            if index in failed:
                message = "; ".join([*failed[index].get("errorMessages", []),
                                     *(f"{k}: {v}" for k, v in (failed[index].get("errors") or {}).items())])
                results.append({"input_index": first + index, "success": False, "issue_key": None, "error": message})
            else:
                results.append({"input_index": first + index, "success": True, "issue_key": next(made)["key"],
                                "error": None})
    created = sum(r["success"] for r in results)
    return BatchCreated(results, created, len(results) - created)


def bulk_fields(jira: Atlassian, spec: dict[str, Any]) -> dict[str, Any]:
    """One entry of a bulk create from a BatchIssueInput."""
    fields = {"project": {"key": spec.get("project_key", "")}, "summary": spec.get("summary", ""),
              "issuetype": {"name": spec.get("issue_type") or "Task"}}
    fields |= issue_fields(jira, description=spec.get("description") or "", priority=spec.get("priority") or "",
                           assignee_id=spec.get("assignee_id") or "", labels=",".join(spec.get("labels") or []))
    if spec.get("parent_key"):
        fields["parent"] = {"key": spec["parent_key"]}
    return {"fields": fields}


# ---- links and epics ----------------------------------------------------------------------------------------


@jira_node("Get Link Types")
async def data_atlassian_jira_get_link_types(ctx: Context,
                                             provider: Provider) -> Annotated[list[dict], Pin(name="link_types")]:
    """The kinds of issue links this Jira has (Blocks, Relates...), with their inward and outward wording."""
    found = await Atlassian(ctx, provider).call("GET", "/issueLinkType")
    return [{"id": str(t["id"]), "name": t["name"], "inward": t["inward"], "outward": t["outward"]}
            for t in found.get("issueLinkTypes", [])]


class Links(NamedTuple):
    links: list[dict]
    count: int


@jira_node("Get Issue Links")
async def data_atlassian_jira_get_issue_links(ctx: Context, provider: Provider, issue_key: str) -> Links:
    """An issue's links to other issues: the link's id and type, and the issue on the other end."""
    found = await Atlassian(ctx, provider).call("GET", f"/issue/{segment(issue_key, 'issue_key')}",
                                                params={"fields": "issuelinks"})
    links = [{"id": str(link["id"]),
              "link_type": {k: str(link["type"].get(k, "")) for k in ("id", "name", "inward", "outward")},
              "inward_issue": (link.get("inwardIssue") or {}).get("key"),
              "outward_issue": (link.get("outwardIssue") or {}).get("key")}
             for link in (found.get("fields") or {}).get("issuelinks", [])]
    return Links(links, len(links))


@jira_node("Create Issue Link")
async def data_atlassian_jira_create_issue_link(ctx: Context, provider: Provider, link_type: str, inward_issue: str,
                                                outward_issue: str, comment: str = "") -> Success:
    """Links two issues with a link type by name (e.g. Blocks: the outward issue blocks the inward one)."""
    jira = Atlassian(ctx, provider)
    body: dict[str, Any] = {"type": {"name": link_type}, "inwardIssue": {"key": inward_issue},
                            "outwardIssue": {"key": outward_issue}}
    if comment:
        body["comment"] = {"body": jira.rich_text(comment)}
    await jira.call("POST", "/issueLink", body=body)
    return True


@jira_node("Remove Issue Link")
async def data_atlassian_jira_remove_issue_link(ctx: Context, provider: Provider, link_id: str) -> Success:
    """Deletes an issue link by its id (from Get Issue Links)."""
    await Atlassian(ctx, provider).call("DELETE", f"/issueLink/{segment(link_id, 'link_id')}")
    return True


def epic_jql(jira: Atlassian, epic_key: str) -> str:
    """Cloud makes an epic the parent of its issues; Data Center links them with the Epic Link field."""
    return f'parent = "{epic_key}"' if jira.cloud else f'"Epic Link" = "{epic_key}"'


class Counted(NamedTuple):
    issues: Issues
    count: int


@jira_node("Get Epic Issues")
async def data_atlassian_jira_get_epic_issues(ctx: Context, provider: Provider, epic_key: str,
                                              max_results: int = 50) -> Counted:
    """The issues in an epic."""
    jira = Atlassian(ctx, provider)
    issues, _, _ = await search_jql(jira, epic_jql(jira, required(epic_key, "epic_key")), 0, max_results)
    return Counted(issues, len(issues))


@jira_node("Link to Epic")
async def data_atlassian_jira_link_to_epic(ctx: Context, provider: Provider, issue_key: str,
                                           epic_key: str) -> Success:
    """Puts an issue into an epic (Cloud: sets its parent; Data Center: Agile's epic issue call)."""
    jira = Atlassian(ctx, provider)
    if jira.cloud:
        await jira.call("PUT", f"/issue/{segment(issue_key, 'issue_key')}",
                        body={"fields": {"parent": {"key": segment(epic_key, "epic_key")}}})
    else:
        await jira.call("POST", f"/epic/{segment(epic_key, 'epic_key')}/issue", api="agile",
                        body={"issues": [issue_key]})
    return True


@jira_node("Unlink from Epic")
async def data_atlassian_jira_unlink_from_epic(ctx: Context, provider: Provider, issue_key: str) -> Success:
    """Takes an issue out of its epic."""
    jira = Atlassian(ctx, provider)
    if jira.cloud:
        await jira.call("PUT", f"/issue/{segment(issue_key, 'issue_key')}", body={"fields": {"parent": None}})
    else:
        await jira.call("POST", "/epic/none/issue", api="agile", body={"issues": [issue_key]})
    return True


# ---- worklogs, attachments, changelogs ---------------------------------------------------------------------


def worklog(value: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(value.get("id", "")), "author": jira_user(value.get("author")),
            "update_author": jira_user(value.get("updateAuthor")), "comment": adf_text(value.get("comment")) or None,
            "started": value.get("started", ""), "time_spent": value.get("timeSpent", ""),
            "time_spent_seconds": value.get("timeSpentSeconds", 0), "created": value.get("created", ""),
            "updated": value.get("updated", "")}


class Worklogs(NamedTuple):
    worklogs: list[dict]
    total_time_spent: Annotated[int, Pin(description="Seconds logged in all of them")]


@jira_node("Get Worklog")
async def data_atlassian_jira_get_worklog(ctx: Context, provider: Provider, issue_key: str) -> Worklogs:
    """The time logged on an issue."""
    found, _, _ = await Atlassian(ctx, provider).pages("GET", f"/issue/{segment(issue_key, 'issue_key')}/worklog",
                                                       "worklogs", most=5000)
    logs = [worklog(w) for w in found]
    return Worklogs(logs, sum(w["time_spent_seconds"] for w in logs))


@jira_node("Add Worklog")
async def data_atlassian_jira_add_worklog(
        ctx: Context, provider: Provider, issue_key: str,
        time_spent: Annotated[str, Pin(description="Jira's duration, e.g. 2h 30m")],
        comment: str = "",
        started: Annotated[str, Pin(description="When the work began, e.g. 2026-03-02T09:00:00.000+0000; now "
                                    "when empty")] = "") -> Annotated[dict, Pin(name="worklog")]:
    """Logs time on an issue."""
    jira = Atlassian(ctx, provider)
    if not time_spent.strip():
        raise ValueError("time_spent is required (e.g. 2h 30m)")
    body: dict[str, Any] = {"timeSpent": time_spent}
    if comment:
        body["comment"] = jira.rich_text(comment)
    if started:
        body["started"] = started
    return worklog(await jira.call("POST", f"/issue/{segment(issue_key, 'issue_key')}/worklog", body=body))


class Attachments(NamedTuple):
    attachments: list[dict]
    count: int


@jira_node("Get Attachments")
async def data_atlassian_jira_get_attachments(ctx: Context, provider: Provider, issue_key: str) -> Attachments:
    """The files attached to an issue, with the content_url Download Attachment reads."""
    found = await Atlassian(ctx, provider).call("GET", f"/issue/{segment(issue_key, 'issue_key')}",
                                                params={"fields": "attachment"})
    files = [{"id": str(a["id"]), "filename": a.get("filename", ""), "mime_type": a.get("mimeType", ""),
              "size": a.get("size", 0), "content_url": a.get("content", ""), "author": jira_user(a.get("author")),
              "created": a.get("created", "")} for a in (found.get("fields") or {}).get("attachment", [])]
    return Attachments(files, len(files))


class Download(NamedTuple):
    content: Annotated[str, Pin(description="The file's bytes, base64-encoded")]
    size: Annotated[int, Pin(description="Bytes")]


@jira_node("Download Attachment")
async def data_atlassian_jira_download_attachment(ctx: Context, provider: Provider, content_url: str) -> Download:
    """An attachment's content (from its content_url), base64-encoded. Only URLs on the provider's site get the
    credentials."""
    jira = Atlassian(ctx, provider)
    home = jira.gateway or jira.provider.base_url
    if not content_url.startswith(home + "/"):
        raise ValueError(f"content_url {content_url!r} is not on {home}: the credentials stay home")
    request = HttpRequest(url=content_url, secret_headers={"Authorization": jira.provider.authorization()})
    response = await fetch(ctx, request, refresh=jira.provider.refresh)
    if response.status_code >= 400:
        raise AtlassianError(f"Jira answered {response.status_code} to GET {content_url}: "
                             f"{service_message(response.body)}")
    return Download(base64.b64encode(response.body).decode("ascii"), len(response.body))


@jira_node("Delete Attachment")
async def data_atlassian_jira_delete_attachment(ctx: Context, provider: Provider, attachment_id: str) -> Success:
    """Deletes an attachment."""
    await Atlassian(ctx, provider).call("DELETE", f"/attachment/{segment(attachment_id, 'attachment_id')}")
    return True


def change(value: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(value.get("id", "")), "author": jira_user(value.get("author")),
            "created": value.get("created", ""),
            "items": [{"field": i.get("field", ""), "field_type": i.get("fieldtype", ""), "from": i.get("from"),
                       "from_string": i.get("fromString"), "to": i.get("to"), "to_string": i.get("toString")}
                      for i in value.get("items", [])]}


async def changelog(jira: Atlassian, key: str, max_results: int) -> tuple[list[dict[str, Any]], int]:
    """An issue's change history, oldest first: Cloud's changelog call, Data Center's changelog expansion."""
    if jira.cloud:
        values, total, _ = await jira.pages("GET", f"/issue/{segment(key, 'issue_key')}/changelog", "values",
                                            limit=max_results, most=100)
        return [change(v) for v in values], total
    found = await jira.call("GET", f"/issue/{segment(key, 'issue_key')}", params={"expand": "changelog",
                                                                                  "fields": "summary"})
    histories = (found.get("changelog") or {}).get("histories", [])
    return [change(v) for v in histories[:max_results]], len(histories)


class Changelog(NamedTuple):
    changelog: list[dict]
    total: int


@jira_node("Get Changelog")
async def data_atlassian_jira_get_changelog(ctx: Context, provider: Provider, issue_key: str,
                                            max_results: int = 100) -> Changelog:
    """What changed on an issue, when and by whom (field, from, to)."""
    return Changelog(*await changelog(Atlassian(ctx, provider), issue_key, max_results))


@jira_node("Batch Get Changelogs")
async def data_atlassian_jira_batch_get_changelogs(
        ctx: Context, provider: Provider,
        issue_keys: Annotated[str, Pin(description="Comma-separated")]) -> Annotated[
            str, Pin(name="results", description="JSON: issue key → its changelog entries")]:
    """The changelogs of several issues at once, as one JSON text."""
    jira = Atlassian(ctx, provider)
    keys = csv_list(issue_keys)
    if not keys:
        raise ValueError("issue_keys is empty")
    return json.dumps({key: (await changelog(jira, key, 100))[0] for key in keys})


@jira_node("Get Current User")
async def data_atlassian_jira_get_current_user(ctx: Context, provider: Provider) -> Annotated[dict, Pin(name="user")]:
    """The user the provider's credentials belong to."""
    return jira_user(await Atlassian(ctx, provider).call("GET", "/myself"))


# ---- projects, versions, fields ------------------------------------------------------------------------------


class ListProjects(AtlassianNode):
    name = "data_atlassian_jira_list_projects"
    friendly_name = "List Jira Projects"
    description = "The projects the user can see, a page at a time, optionally filtered by name or key."
    inputs = (int_in("max_results", 50), int_in("start_at", 0), text_in("query", "", "Part of a name or key"))
    outputs = (struct_out("projects", array=True), int_out("count"))

    async def call(self, jira: Atlassian, *, max_results: int, start_at: int, query: str) -> dict[str, Any]:
        if jira.cloud:
            found, _, _ = await jira.pages("GET", "/project/search", "values", limit=max(1, max_results),
                                           start=max(0, start_at), params={"query": query})
        else:  # Data Center lists all projects at once
            found = [p for p in await jira.call("GET", "/project")
                     if query.lower() in (p.get("name", "") + " " + p.get("key", "")).lower()]
            found = found[max(0, start_at):max(0, start_at) + max(1, max_results)]
        projects = [jira_project(p) for p in found]
        return {"projects": projects, "count": len(projects)}


def version(value: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(value.get("id", "")), "name": value.get("name", ""), "description": value.get("description"),
            "archived": value.get("archived", False), "released": value.get("released", False),
            "release_date": value.get("releaseDate"), "start_date": value.get("startDate"),
            "project_id": value.get("projectId", 0)}


def version_body(project_key: str, name: str, description: str, release_date: str, start_date: str,
                 released: bool | None, archived: bool | None) -> dict[str, Any]:
    body: dict[str, Any] = {k: v for k, v in (("project", project_key), ("name", name), ("description", description),
                                              ("releaseDate", release_date), ("startDate", start_date)) if v}
    return body | {k: v for k, v in (("released", released), ("archived", archived)) if v is not None}


class Versions(NamedTuple):
    versions: list[dict]
    count: int


@jira_node("Get Versions")
async def data_atlassian_jira_get_versions(ctx: Context, provider: Provider, project_key: str) -> Versions:
    """A project's versions (releases)."""
    found = await Atlassian(ctx, provider).call("GET", f"/project/{segment(project_key, 'project_key')}/versions")
    return Versions([version(v) for v in found], len(found))


@jira_node("Create Version")
async def data_atlassian_jira_create_version(
        ctx: Context, provider: Provider, name: str, project_key: str, description: str = "",
        release_date: Annotated[str, Pin(description="YYYY-MM-DD")] = "",
        start_date: Annotated[str, Pin(description="YYYY-MM-DD")] = "",
        released: bool = False) -> Annotated[dict, Pin(name="version")]:
    """Adds a version (release) to a project."""
    if not name.strip() or not project_key.strip():
        raise ValueError("a version needs a name and a project_key")
    body = version_body(project_key, name, description, release_date, start_date, released, None)
    return version(await Atlassian(ctx, provider).call("POST", "/version", body=body))


class BatchVersions(NamedTuple):
    results: Annotated[list[dict], Pin(description="Per input: input_index, success, version_id/version_name or "
                                       "error")]
    created_count: int
    failed_count: int


@jira_node("Batch Create Versions")
async def data_atlassian_jira_batch_create_versions(
        ctx: Context, provider: Provider,
        versions: Annotated[list[dict], Pin(description="Each: project_key, name, description, release_date, "
                                            "start_date, released, archived")]) -> BatchVersions:
    """Creates several versions, one call each; one failing does not stop the others."""
    jira = Atlassian(ctx, provider)
    results = []
    for index, spec in enumerate(versions or []):
        body = version_body(spec.get("project_key", ""), spec.get("name", ""), spec.get("description") or "",
                            spec.get("release_date") or "", spec.get("start_date") or "", spec.get("released"),
                            spec.get("archived"))
        try:
            made = await jira.call("POST", "/version", body=body)
        except AtlassianError as exc:
            results.append({"input_index": index, "success": False, "version_id": None,
                            "version_name": spec.get("name"), "error": str(exc)})
        else:
            results.append({"input_index": index, "success": True, "version_id": str(made["id"]),
                            "version_name": made.get("name"), "error": None})
    created = sum(r["success"] for r in results)
    return BatchVersions(results, created, len(results) - created)


@jira_node("Update Version")
async def data_atlassian_jira_update_version(ctx: Context, provider: Provider, version_id: str, name: str = "",
                                             description: str = "", released: bool = False, archived: bool = False,
                                             release_date: str = "") -> Annotated[dict, Pin(name="version")]:
    """Changes a version; empty texts leave theirs as they are, released and archived are always set."""
    body = version_body("", name, description, release_date, "", released, archived)
    return version(await Atlassian(ctx, provider).call("PUT", f"/version/{segment(version_id, 'version_id')}",
                                                       body=body))


def field(value: dict[str, Any]) -> dict[str, Any]:
    schema = value.get("schema") or {}
    return {"id": value.get("id", ""), "key": value.get("key", value.get("id", "")), "name": value.get("name", ""),
            "is_custom": value.get("custom", False), "searchable": value.get("searchable", False),
            "navigable": value.get("navigable", False), "orderable": value.get("orderable", False),
            "schema_type": schema.get("type"), "schema_system": schema.get("system") or schema.get("custom"),
            "schema_items": schema.get("items")}


class Fields(NamedTuple):
    fields: list[dict]
    system_fields: list[dict]
    custom_fields: list[dict]


@jira_node("Get Fields")
async def data_atlassian_jira_get_fields(ctx: Context, provider: Provider) -> Fields:
    """All issue fields, system and custom (the ids JQL and the fields input use, e.g. customfield_10016)."""
    fields = [field(f) for f in await Atlassian(ctx, provider).call("GET", "/field")]
    return Fields(fields, [f for f in fields if not f["is_custom"]], [f for f in fields if f["is_custom"]])


class FoundFields(NamedTuple):
    fields: list[dict]
    count: int


@jira_node("Search Fields")
async def data_atlassian_jira_search_fields(
        ctx: Context, provider: Provider,
        query: Annotated[str, Pin(description="Part of the name or id, any case; empty for all")] = "",
        only_custom: bool = False,
        schema_type: Annotated[str, Pin(description="e.g. number, string, array, user; empty for any")] = "",
) -> FoundFields:
    """The fields whose name or id contains the query."""
    wanted = query.strip().lower()
    fields = [f for f in map(field, await Atlassian(ctx, provider).call("GET", "/field"))
              if (wanted in f["name"].lower() or wanted in f["id"].lower()) and (f["is_custom"] or not only_custom)
              and (not schema_type or f["schema_type"] == schema_type)]
    return FoundFields(fields, len(fields))
