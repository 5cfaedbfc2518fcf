"""Microsoft Planner through Microsoft Graph: plans, their buckets and tasks. Changing a task needs its current
@odata.etag (Planner refuses changes made against an older version)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flowlike_catalog.data.microsoft import COUNT, Graph, GraphNode, listed, segment, struct_out
from flowlike_catalog.web.service_pins import int_in, text_in

CATEGORY = "Data/Microsoft/Planner"
CAPABILITIES = ("network",)

PLAN_ID = text_in("plan_id")
TASKS = struct_out("tasks", array=True, description="Graph's plannerTasks")


def instant(text: str) -> str:
    """An ISO 8601 day or instant as Planner wants it (UTC): 2026-03-10 → 2026-03-10T00:00:00Z."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds") + "Z"


def priority_of(priority: int) -> int:
    if not 0 <= priority <= 10:
        raise ValueError(f"priority must be 0 to 10 (1 urgent, 3 important, 5 medium, 9 low), got {priority}")
    return priority


class ListMyPlans(GraphNode):
    name = "data_microsoft_planner_list_my_plans"
    friendly_name = "List My Plans"
    description = "The plans shared with the signed-in user."
    outputs = (struct_out("plans", array=True, description="Graph's plannerPlans"), COUNT)

    async def call(self, graph: Graph) -> dict[str, Any]:
        return listed("plans", await graph.list("/me/planner/plans"))


class GetPlan(GraphNode):
    name = "data_microsoft_planner_get_plan"
    friendly_name = "Get Plan"
    description = "One plan."
    inputs = (PLAN_ID,)
    outputs = (struct_out("plan", description="Graph's plannerPlan"),)

    async def call(self, graph: Graph, *, plan_id: str) -> dict[str, Any]:
        return {"plan": await graph.call("GET", f"/planner/plans/{segment(plan_id, 'plan_id')}")}


class ListTasks(GraphNode):
    name = "data_microsoft_planner_list_tasks"
    friendly_name = "List Plan Tasks"
    description = "The tasks of a plan."
    inputs = (PLAN_ID,)
    outputs = (TASKS, COUNT)

    async def call(self, graph: Graph, *, plan_id: str) -> dict[str, Any]:
        return listed("tasks", await graph.list(f"/planner/plans/{segment(plan_id, 'plan_id')}/tasks"))


class ListMyTasks(GraphNode):
    name = "data_microsoft_planner_list_my_tasks"
    friendly_name = "List My Tasks"
    description = "The Planner tasks assigned to the signed-in user."
    outputs = (TASKS, COUNT)

    async def call(self, graph: Graph) -> dict[str, Any]:
        return listed("tasks", await graph.list("/me/planner/tasks"))


class ListBuckets(GraphNode):
    name = "data_microsoft_planner_list_buckets"
    friendly_name = "List Plan Buckets"
    description = "The buckets (columns) of a plan."
    inputs = (PLAN_ID,)
    outputs = (struct_out("buckets", array=True, description="Graph's plannerBuckets"), COUNT)

    async def call(self, graph: Graph, *, plan_id: str) -> dict[str, Any]:
        return listed("buckets", await graph.list(f"/planner/plans/{segment(plan_id, 'plan_id')}/buckets"))


class CreateBucket(GraphNode):
    name = "data_microsoft_planner_create_bucket"
    friendly_name = "Create Bucket"
    description = "Adds a bucket to a plan, first in its order."
    inputs = (PLAN_ID, text_in("name"))
    outputs = (struct_out("bucket", description="Graph's plannerBucket"),)

    async def call(self, graph: Graph, *, plan_id: str, name: str) -> dict[str, Any]:
        if not plan_id or not name:
            raise ValueError("plan_id and name are required")
        body = {"planId": plan_id, "name": name, "orderHint": " !"}
        return {"bucket": await graph.call("POST", "/planner/buckets", body=body)}


class CreateTask(GraphNode):
    name = "data_microsoft_planner_create_task"
    friendly_name = "Create Planner Task"
    description = "Adds a task to a plan (and a bucket); due_date is an ISO 8601 day or instant."
    inputs = (PLAN_ID, text_in("title"), text_in("bucket_id", ""), text_in("due_date", "", "Like 2026-03-10"),
              int_in("priority", 5, "0 to 10: 1 urgent, 3 important, 5 medium, 9 low"))
    outputs = (struct_out("task", description="Graph's plannerTask"),)

    async def call(self, graph: Graph, *, plan_id: str, title: str, bucket_id: str, due_date: str,
                   priority: int) -> dict[str, Any]:
        if not plan_id or not title:
            raise ValueError("plan_id and title are required")
        task: dict[str, Any] = {"planId": plan_id, "title": title, "priority": priority_of(priority)}
        task |= {"bucketId": bucket_id} if bucket_id else {}
        task |= {"dueDateTime": instant(due_date)} if due_date else {}
        return {"task": await graph.call("POST", "/planner/tasks", body=task)}


class UpdateTask(GraphNode):
    name = "data_microsoft_planner_update_task"
    friendly_name = "Update Planner Task"
    description = ("Changes a task (title, percent complete 0-100, priority 0-10; -1 or empty leaves a field as it "
                   "is); etag is the task's @odata.etag.")
    inputs = (text_in("task_id"), text_in("etag", description="The task's @odata.etag, from List or Create"),
              text_in("title", ""), int_in("percent_complete", -1), int_in("priority", -1))

    async def call(self, graph: Graph, *, task_id: str, etag: str, title: str, percent_complete: int,
                   priority: int) -> dict[str, Any]:
        if not etag:
            raise ValueError("etag is required: Planner changes a task only against its current @odata.etag")
        changes: dict[str, Any] = {"title": title} if title else {}
        if percent_complete != -1:
            if not 0 <= percent_complete <= 100:
                raise ValueError(f"percent_complete must be 0 to 100 (or -1), got {percent_complete}")
            changes["percentComplete"] = percent_complete
        if priority != -1:
            changes["priority"] = priority_of(priority)
        await graph.call("PATCH", f"/planner/tasks/{segment(task_id, 'task_id')}", body=changes,
                         headers={"If-Match": etag})
        return {}
