"""GitHub Actions: workflows and their runs (see `github` for the provider and how calls and errors work)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flowlike_catalog.web.github import FIRE, OWNER_REPO, PAGING, GitHub, GitHubNode, repo_path, struct_out
from flowlike_catalog.web.service_pins import bool_in, int_in, text_in

from flowlike_core import DataType, data_in, data_out, exec_out

CATEGORY = "Data/GitHub/Workflows"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
WORKFLOW = text_in("workflow_id", description="The workflow's file name (ci.yml) or numeric id")


def workflow_path(owner: str, repo: str, workflow_id: str, rest: str = "") -> str:
    return repo_path(owner, repo, f"/actions/workflows/{quote(workflow_id, safe='')}{rest}")


class ListWorkflows(GitHubNode):
    name = "github_list_workflows"
    friendly_name = "List Workflows"
    description = "The repository's workflows."
    inputs = (*OWNER_REPO, *PAGING)
    outputs = (struct_out("workflows", array=True),)

    async def call(self, github: GitHub, *, owner: str, repo: str, per_page: int, page: int) -> dict[str, Any]:
        found = await github.page(repo_path(owner, repo, "/actions/workflows"), per_page, page)
        return {"workflows": found["workflows"]}


class ListWorkflowRuns(GitHubNode):
    name = "github_list_workflow_runs"
    friendly_name = "List Workflow Runs"
    description = "Runs of one workflow (or of all), newest first, by branch and status."
    inputs = (*OWNER_REPO, text_in("workflow_id", "", "File name or id; empty: every workflow"),
              text_in("branch", ""), text_in("status", "", "queued, in_progress, completed, success, failure..."),
              *PAGING)
    outputs = (struct_out("runs", array=True),)

    async def call(self, github: GitHub, *, owner: str, repo: str, workflow_id: str, branch: str, status: str,
                   per_page: int, page: int) -> dict[str, Any]:
        path = workflow_path(owner, repo, workflow_id, "/runs") if workflow_id else repo_path(owner, repo,
                                                                                              "/actions/runs")
        found = await github.page(path, per_page, page, branch=branch, status=status)
        return {"runs": found["workflow_runs"]}


class GetWorkflowRun(GitHubNode):
    name = "github_get_workflow_run"
    friendly_name = "Get Workflow Run"
    description = "One workflow run."
    inputs = (*OWNER_REPO, int_in("run_id"))
    outputs = (struct_out("run"),)

    async def call(self, github: GitHub, *, owner: str, repo: str, run_id: int) -> dict[str, Any]:
        return {"run": await github.call("GET", repo_path(owner, repo, f"/actions/runs/{run_id}"))}


class GetLatestWorkflowRun(GitHubNode):
    name = "github_get_latest_workflow_run"
    friendly_name = "Get Latest Workflow Run"
    description = "The newest run of a workflow (on a branch, with a conclusion); Not Found when there is none."
    inputs = (*OWNER_REPO, WORKFLOW, text_in("branch", ""),
              text_in("conclusion", "", "success, failure, cancelled...; empty: any"),
              bool_in("exclude_pull_requests", False))
    outputs = (exec_out("not_found", "Not Found"), struct_out("run"), data_out("run_id", DataType.INTEGER),
               data_out("run_number", DataType.INTEGER), data_out("status", DataType.STRING),
               data_out("conclusion", DataType.STRING), data_out("head_branch", DataType.STRING),
               data_out("head_sha", DataType.STRING), data_out("html_url", DataType.STRING),
               data_out("is_success", DataType.BOOLEAN))

    async def call(self, github: GitHub, *, owner: str, repo: str, workflow_id: str, branch: str, conclusion: str,
                   exclude_pull_requests: bool) -> dict[str, Any]:
        params = {"branch": branch, "status": conclusion, "per_page": 1,
                  "exclude_pull_requests": True if exclude_pull_requests else ""}
        runs = (await github.call("GET", workflow_path(owner, repo, workflow_id, "/runs"), params=params))[
            "workflow_runs"]
        if not runs:
            return {FIRE: "not_found"}
        run = runs[0]
        conclusion = run.get("conclusion") or ""
        return {"run": run, "run_id": run["id"], "run_number": run["run_number"], "status": run["status"],
                "conclusion": conclusion, "head_branch": run["head_branch"], "head_sha": run["head_sha"],
                "html_url": run["html_url"], "is_success": conclusion == "success"}


class TriggerWorkflow(GitHubNode):
    name = "github_trigger_workflow"
    friendly_name = "Trigger Workflow"
    description = "Starts a workflow that has a workflow_dispatch trigger, on a branch or tag, with its inputs."
    inputs = (*OWNER_REPO, WORKFLOW, text_in("ref", "main"),
              data_in("inputs", DataType.STRUCT, default={}, description="The workflow's inputs, name to value"))

    async def call(self, github: GitHub, *, owner: str, repo: str, workflow_id: str, ref: str,
                   inputs: dict[str, Any]) -> dict[str, Any]:
        await github.call("POST", workflow_path(owner, repo, workflow_id, "/dispatches"),
                          body={"ref": ref, "inputs": {k: str(v) for k, v in (inputs or {}).items()}})
        return {}


class RerunWorkflow(GitHubNode):
    name = "github_rerun_workflow"
    friendly_name = "Rerun Workflow"
    description = "Runs a workflow run again (all jobs, or the failed ones only)."
    inputs = (*OWNER_REPO, int_in("run_id"), bool_in("failed_only", False))

    async def call(self, github: GitHub, *, owner: str, repo: str, run_id: int, failed_only: bool) -> dict[str, Any]:
        action = "rerun-failed-jobs" if failed_only else "rerun"
        await github.call("POST", repo_path(owner, repo, f"/actions/runs/{run_id}/{action}"))
        return {}


class CancelWorkflowRun(GitHubNode):
    name = "github_cancel_workflow_run"
    friendly_name = "Cancel Workflow Run"
    description = "Cancels a queued or running workflow run."
    inputs = (*OWNER_REPO, int_in("run_id"))

    async def call(self, github: GitHub, *, owner: str, repo: str, run_id: int) -> dict[str, Any]:
        await github.call("POST", repo_path(owner, repo, f"/actions/runs/{run_id}/cancel"))
        return {}
