"""Jira Software's boards, backlogs and sprints (the Agile REST API 1.0, the same on Cloud and Data Center).
Failures carry Jira's message to On Error. Lists follow Agile's pages (startAt, isLast): boards and sprints to the
last page, issues until max_results of them."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.atlassian import Atlassian, Provider, csv_list, jira_issue, segment

from flowlike_core import Context, Pin, node

CATEGORY = "Data/Atlassian/Jira/Agile"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
MOVE_BATCH = 50
"""Issues Agile moves into a sprint per call (its documented maximum)."""

Dated = Annotated[str, Pin(description="ISO 8601, e.g. 2026-03-02T09:00:00.000Z; empty to leave out")]


def agile_node(friendly_name: str) -> Any:
    return node(friendly_name=friendly_name, exec_pins=True)


def sprint(value: dict[str, Any]) -> dict[str, Any]:
    return {"id": value.get("id", 0), "name": value.get("name", ""), "state": value.get("state", ""),
            "goal": value.get("goal"), "start_date": value.get("startDate"), "end_date": value.get("endDate"),
            "complete_date": value.get("completeDate"), "origin_board_id": value.get("originBoardId")}


def sprint_body(**fields: str) -> dict[str, Any]:
    """Agile's names for the non-empty fields."""
    names = {"name": "name", "goal": "goal", "state": "state", "start_date": "startDate", "end_date": "endDate"}
    return {names[key]: value for key, value in fields.items() if value}


class IssuesPage(NamedTuple):
    issues: Annotated[list[dict], Pin(description="Issues (key, summary, status, ... and Jira's fields)")]
    total: Annotated[int, Pin(description="Matches in all pages")]


async def issues_page(ctx: Context, provider: Any, path: str, max_results: int, start_at: int = 0,
                      **params: Any) -> IssuesPage:
    """`max_results` issues (0: all) of an Agile issue listing from `start_at`, and how many match."""
    jira = Atlassian(ctx, provider)
    found, total, _ = await jira.pages("GET", path, "issues", api="agile", limit=max_results, start=max(0, start_at),
                                       params=params)
    return IssuesPage([jira_issue(i, jira.provider.base_url) for i in found], total)


class Boards(NamedTuple):
    boards: list[dict]
    count: int


@agile_node("Get Boards")
async def data_atlassian_jira_get_boards(ctx: Context, provider: Provider, project_key: str = "",
                                         board_type: Annotated[str, Pin(description="scrum, kanban or simple; "
                                                                        "empty for all")] = "",
                                         name: Annotated[str, Pin(description="Part of the name")] = "") -> Boards:
    """The boards the user can see, optionally of one project, type or name."""
    found, _, _ = await Atlassian(ctx, provider).pages("GET", "/board", "values", api="agile", params={
        "projectKeyOrId": project_key, "type": board_type.lower(), "name": name})
    boards = [{"id": b["id"], "name": b.get("name", ""), "board_type": b.get("type", ""),
               "project_key": (b.get("location") or {}).get("projectKey"),
               "project_name": (b.get("location") or {}).get("projectName")} for b in found]
    return Boards(boards, len(boards))


@agile_node("Get Board Issues")
async def data_atlassian_jira_get_board_issues(ctx: Context, provider: Provider, board_id: int, jql: str = "",
                                               max_results: int = 50, start_at: int = 0) -> IssuesPage:
    """The issues on a board (its filter), optionally narrowed by JQL."""
    return await issues_page(ctx, provider, f"/board/{segment(board_id, 'board_id')}/issue", max_results, start_at,
                             jql=jql)


@agile_node("Get Backlog")
async def data_atlassian_jira_get_backlog(ctx: Context, provider: Provider, board_id: int,
                                          max_results: int = 50) -> IssuesPage:
    """The issues in a board's backlog (in no open sprint)."""
    return await issues_page(ctx, provider, f"/board/{segment(board_id, 'board_id')}/backlog", max_results)


class Sprints(NamedTuple):
    sprints: list[dict]
    count: int


@agile_node("Get Sprints")
async def data_atlassian_jira_get_sprints(ctx: Context, provider: Provider, board_id: int,
                                          state: Annotated[str, Pin(description="future, active or closed "
                                                                    "(comma-separated); empty for all")] = ""
                                          ) -> Sprints:
    """A board's sprints."""
    found, _, _ = await Atlassian(ctx, provider).pages("GET", f"/board/{segment(board_id, 'board_id')}/sprint",
                                                       "values", api="agile", params={"state": state})
    sprints = [sprint(s) for s in found]
    return Sprints(sprints, len(sprints))


@agile_node("Get Sprint Issues")
async def data_atlassian_jira_get_sprint_issues(ctx: Context, provider: Provider, sprint_id: int, jql: str = "",
                                                max_results: int = 50) -> IssuesPage:
    """The issues in a sprint, optionally narrowed by JQL."""
    return await issues_page(ctx, provider, f"/sprint/{segment(sprint_id, 'sprint_id')}/issue", max_results,
                             jql=jql)


@agile_node("Create Sprint")
async def data_atlassian_jira_create_sprint(ctx: Context, provider: Provider, name: str, board_id: int,
                                            goal: str = "", start_date: Dated = "",
                                            end_date: Dated = "") -> Annotated[dict, Pin(name="sprint")]:
    """Creates a future sprint on a board."""
    if not name.strip():
        raise ValueError("a sprint needs a name")
    body = sprint_body(name=name, goal=goal, start_date=start_date, end_date=end_date) | {"originBoardId": board_id}
    return sprint(await Atlassian(ctx, provider).call("POST", "/sprint", api="agile", body=body))


@agile_node("Update Sprint")
async def data_atlassian_jira_update_sprint(
        ctx: Context, provider: Provider, sprint_id: int, name: str = "", goal: str = "",
        state: Annotated[str, Pin(description="active to start it, closed to complete it; empty to keep")] = "",
        start_date: Dated = "", end_date: Dated = "") -> Annotated[dict, Pin(name="sprint")]:
    """Changes a sprint; empty inputs leave their field as it is (Agile's partial update)."""
    body = sprint_body(name=name, goal=goal, state=state, start_date=start_date, end_date=end_date)
    return sprint(await Atlassian(ctx, provider).call("POST", f"/sprint/{segment(sprint_id, 'sprint_id')}",
                                                      api="agile", body=body))


@agile_node("Move to Sprint")
async def data_atlassian_jira_move_to_sprint(
        ctx: Context, provider: Provider, sprint_id: int,
        issue_keys: Annotated[str, Pin(description="Comma-separated")]) -> Annotated[bool, Pin(name="success")]:
    """Moves issues into a sprint (50 per call, as Agile allows)."""
    keys = csv_list(issue_keys)
    if not keys:
        raise ValueError("issue_keys is empty")
    agile = Atlassian(ctx, provider)
    for start in range(0, len(keys), MOVE_BATCH):
        await agile.call("POST", f"/sprint/{segment(sprint_id, 'sprint_id')}/issue", api="agile",
                         body={"issues": keys[start:start + MOVE_BATCH]})
    return True
