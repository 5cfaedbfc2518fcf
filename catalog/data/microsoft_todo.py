"""Microsoft To Do through Microsoft Graph: task lists and their tasks (create, update, complete, delete)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flowlike_catalog.data.microsoft import COUNT, Graph, GraphNode, listed, segment, struct_out
from flowlike_catalog.web.service_pins import text_in

CATEGORY = "Data/Microsoft/To Do"
CAPABILITIES = ("network",)

TASK = struct_out("task", description="Graph's todoTask")
LIST_ID = text_in("list_id")
TASK_ID = text_in("task_id")
IMPORTANCE = ("low", "normal", "high")
STATUSES = ("notStarted", "inProgress", "completed", "waitingOnOthers", "deferred")


def tasks_path(list_id: str, task_id: str = "") -> str:
    return f"/me/todo/lists/{segment(list_id, 'list_id')}/tasks" + (f"/{segment(task_id, 'task_id')}" if task_id
                                                                      else "")


def one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, got {value!r}")
    return value


class ListLists(GraphNode):
    name = "data_microsoft_todo_list_lists"
    friendly_name = "List Task Lists"
    description = "The user's To Do lists."
    outputs = (struct_out("task_lists", array=True, description="Graph's todoTaskLists"), COUNT)

    async def call(self, graph: Graph) -> dict[str, Any]:
        return listed("task_lists", await graph.list("/me/todo/lists"))


class CreateList(GraphNode):
    name = "data_microsoft_todo_create_list"
    friendly_name = "Create Task List"
    description = "Adds a To Do list."
    inputs = (text_in("display_name"),)
    outputs = (struct_out("task_list", description="Graph's todoTaskList"),)

    async def call(self, graph: Graph, *, display_name: str) -> dict[str, Any]:
        if not display_name:
            raise ValueError("display_name is required")
        return {"task_list": await graph.call("POST", "/me/todo/lists", body={"displayName": display_name})}


class ListTasks(GraphNode):
    name = "data_microsoft_todo_list_tasks"
    friendly_name = "List Tasks"
    description = "The tasks of a list."
    inputs = (LIST_ID,)
    outputs = (struct_out("tasks", array=True, description="Graph's todoTasks"), COUNT)

    async def call(self, graph: Graph, *, list_id: str) -> dict[str, Any]:
        return listed("tasks", await graph.list(tasks_path(list_id)))


class CreateTask(GraphNode):
    name = "data_microsoft_todo_create_task"
    friendly_name = "Create Task"
    description = "Adds a task to a list; due_date is a day (YYYY-MM-DD)."
    inputs = (LIST_ID, text_in("title"), text_in("body", ""), text_in("importance", "normal", "low, normal or high"),
              text_in("due_date", "", "YYYY-MM-DD"))
    outputs = (TASK,)

    async def call(self, graph: Graph, *, list_id: str, title: str, body: str, importance: str,
                   due_date: str) -> dict[str, Any]:
        if not title:
            raise ValueError("title is required")
        task: dict[str, Any] = {"title": title, "importance": one_of(importance, IMPORTANCE, "importance")}
        if body:
            task["body"] = {"content": body, "contentType": "text"}
        if due_date:
            day = dt.date.fromisoformat(due_date[:10])
            task["dueDateTime"] = {"dateTime": f"{day.isoformat()}T00:00:00", "timeZone": "UTC"}
        return {"task": await graph.call("POST", tasks_path(list_id), body=task)}


class UpdateTask(GraphNode):
    name = "data_microsoft_todo_update_task"
    friendly_name = "Update Task"
    description = "Changes a task; empty inputs leave their field as it is."
    inputs = (LIST_ID, TASK_ID, text_in("title", ""),
              text_in("status", "", "notStarted, inProgress, completed, waitingOnOthers or deferred"),
              text_in("importance", "", "low, normal or high"))
    outputs = (TASK,)

    async def call(self, graph: Graph, *, list_id: str, task_id: str, title: str, status: str,
                   importance: str) -> dict[str, Any]:
        changes: dict[str, Any] = {"title": title} if title else {}
        if status:
            changes["status"] = one_of(status, STATUSES, "status")
        if importance:
            changes["importance"] = one_of(importance, IMPORTANCE, "importance")
        return {"task": await graph.call("PATCH", tasks_path(list_id, task_id), body=changes)}


class CompleteTask(GraphNode):
    name = "data_microsoft_todo_complete_task"
    friendly_name = "Complete Task"
    description = "Marks a task completed."
    inputs = (LIST_ID, TASK_ID)
    outputs = (TASK,)

    async def call(self, graph: Graph, *, list_id: str, task_id: str) -> dict[str, Any]:
        return {"task": await graph.call("PATCH", tasks_path(list_id, task_id), body={"status": "completed"})}


class DeleteTask(GraphNode):
    name = "data_microsoft_todo_delete_task"
    friendly_name = "Delete Task"
    description = "Removes a task."
    inputs = (LIST_ID, TASK_ID)

    async def call(self, graph: Graph, *, list_id: str, task_id: str) -> dict[str, Any]:
        await graph.call("DELETE", tasks_path(list_id, task_id))
        return {}
