"""GitHub's REST API (repositories, issues, pull requests, contents, branches) through the web pack's HTTP
layer: the pattern for hosted-service connectors.

A provider struct holds the API's base URL (GitHub Enterprise: `https://host/api/v3`) and the token as a
secret. Nodes hand on GitHub's documented JSON objects as they come; a 4xx/5xx answer fires Error with
GitHub's message (or fails the node when Error is not wired). Listings with Flow-Like's per_page and page inputs
give that one page; one without them (List PR Reviews) follows the Link header's rel="next" to the last page.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Annotated, Any, ClassVar
from urllib.parse import quote, urlsplit

from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.http import (
    HttpResponse,
    ServiceFailure,
    answer_json,
    api_request,
    as_provider,
    bearer,
    fetch,
    http_base_url,
)
from flowlike_catalog.web.paging import collect
from flowlike_catalog.web.service_pins import bool_in, int_in, text_in
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import (
    Context,
    DataType,
    NodeType,
    Pin,
    PinSpec,
    ValueType,
    data_in,
    data_out,
    exec_in,
    exec_out,
    node,
)

CATEGORY = "Data/GitHub"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
API_VERSION = "2022-11-28"


class GitHubProvider(BaseModel):
    """Where and as whom to call GitHub; the token never shows in dumps or logs."""

    model_config = ConfigDict(frozen=True)
    base_url: str = "https://api.github.com"
    token: SecretStr


PROVIDER_SCHEMA = GitHubProvider.model_json_schema()


class GitHubError(RuntimeError):
    pass


NOT_THE_API = "is the base URL GitHub's API (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise)?"
"""What an answer that is not the API's most often means: a GitHub Enterprise host without /api/v3 answers with
its web pages."""


@node(friendly_name="GitHub (PAT)")
def data_github_provider_pat(
    token: Annotated[str, Pin(sensitive=True, required=True, description="A personal access token; feed it from "
                                                                         "a secret variable")] = "",
    base_url: str = "https://api.github.com",
) -> Annotated[GitHubProvider, Pin(name="provider")]:
    """GitHub access with a personal access token (classic or fine-grained)."""
    if not token:
        raise ValueError("GitHub token is empty (is the secret variable set?)")
    return GitHubProvider(base_url=http_base_url(base_url), token=SecretStr(token))


@node(friendly_name="GitHub (App Token)")
def data_github_provider_app(
    installation_token: Annotated[str, Pin(sensitive=True, required=True, description="A GitHub App installation "
                                           "access token (ghs_...); feed it from a secret variable")] = "",
    base_url: str = "https://api.github.com",
) -> Annotated[GitHubProvider, Pin(name="provider")]:
    """GitHub access as a GitHub App installation (the token is made by your app's backend; it lasts an hour)."""
    return data_github_provider_pat.func(installation_token, base_url)


class GitHub:
    """Calls for one node execution: the provider's base URL, token and GitHub's headers on every request."""

    def __init__(self, ctx: Context, provider: Any) -> None:
        self.ctx, self.provider = ctx, as_provider(provider, GitHubProvider, "a GitHub provider (from GitHub (PAT))")
        self.last = ""
        """The last request, as "GET /user", for what its answer lacks."""

    async def answer(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                     body: dict[str, Any] | None = None, accept: str = "application/vnd.github+json") -> HttpResponse:
        """GitHub's answer to a request for a full URL; a 4xx/5xx one raises GitHubError with GitHub's message."""
        request = api_request(
            method, url, bearer(self.provider.token),
            headers={"Accept": accept, "X-GitHub-Api-Version": API_VERSION, "User-Agent": "flowlike-nb"},
            params=params, body=body)
        response = await fetch(self.ctx, request)
        self.last = f"{method} {url.removeprefix(self.provider.base_url).split('?')[0]}"
        if response.status_code >= 400:
            try:
                message = json.loads(response.body).get("message", "")
            except ValueError:
                message = response.body[:200].decode("utf-8", "replace")
            raise GitHubError(f"GitHub answered {response.status_code} to {self.last}: {message}")
        return response

    def json_of(self, response: HttpResponse) -> Any:
        """The JSON of the last answer (its objects `Fields`: a field of GitHub's API it lacks fails naming it);
        another body (a web page) fails saying what came and what it means."""
        try:
            return answer_json(response.body, f"GitHub {self.last} at {self.provider.base_url}", GitHubError,
                               NOT_THE_API)
        except ValueError:
            kind = response.headers.get("content-type", "no content type")
            start = response.body[:40].decode("utf-8", "replace")
            raise GitHubError(f"GitHub at {self.provider.base_url} answered {self.last} with {response.status_code} "
                              f"{kind}, not JSON: it starts {start!r}; {NOT_THE_API}") from None

    async def call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                   body: dict[str, Any] | None = None, accept: str = "application/vnd.github+json") -> Any:
        response = await self.answer(method, self.provider.base_url + path, params=params, body=body, accept=accept)
        if accept.endswith("raw+json"):
            return response.body
        return self.json_of(response) if response.body else None

    async def every(self, path: str, **params: Any) -> list[Any]:
        """Every item of a listing, 100 a page, following the Link header's rel="next" (the web pack's paging) on
        the provider's own host only: the token stays home."""
        origin = urlsplit(self.provider.base_url)[:2]

        async def page(url: str | None, wanted: int) -> tuple[list[Any], str | None]:
            response = await self.answer("GET", url or self.provider.base_url + path,
                                         params=None if url else params | {"per_page": 100})
            found = re.search(r'<([^>]+)>\s*;\s*rel="next"', response.headers.get("link", ""))
            if found and urlsplit(found[1])[:2] != origin:
                raise GitHubError(f"GitHub's next page {found[1]!r} is not on {self.provider.base_url}")
            return self.json_of(response) or [], found[1] if found else None

        return (await collect(self.ctx, page, what=f"GitHub's {path}"))[0]

    async def page(self, path: str, per_page: int, page: int, /, **params: Any) -> Any:
        """One page of a listing: GET with the filters in `params` (any name, `path` too) and the paging."""
        return await self.call("GET", path, params={**params, "per_page": per_page, "page": page})


def repo_path(owner: str, repo: str, rest: str = "") -> str:
    if not owner or not repo:
        raise ValueError("owner and repo are required")
    return f"/repos/{quote(owner, safe='')}/{quote(repo, safe='')}{rest}"


def csv_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def struct_out(name: str, array: bool = False, description: str = "") -> PinSpec:
    return data_out(name, DataType.STRUCT, ValueType.ARRAY if array else ValueType.NORMAL,
                    description=description or "GitHub's JSON object, as documented for this endpoint")


OWNER_REPO = (text_in("owner", description="User or organisation"), text_in("repo", description="Repository name"))
PAGING = (int_in("per_page", 30, "Results per page (at most 100)"), int_in("page", 1, "Page number, from 1"))
COUNT = data_out("count", DataType.INTEGER, description="How many results this page has")


FIRE = "fire"
"""Key of `call`'s outputs naming another exec output to fire than exec_out (e.g. not_found)."""


class GitHubNode(NodeType):
    """A GitHub call: provider and the node's inputs in; Success with the outputs `call` returns, or Error."""

    inputs: ClassVar[tuple[PinSpec, ...]] = ()
    outputs: ClassVar[tuple[PinSpec, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.pins = (exec_in(), data_in("provider", DataType.STRUCT, schema=PROVIDER_SCHEMA, required=True,
                                       description="From GitHub (PAT)"), *cls.inputs,
                    exec_out("exec_out", "Success"), exec_out("error", "Error", "GitHub answered with an error, "
                                                              "or could not be reached"),
                    data_out("error_message", DataType.STRING, description="What went wrong"), *cls.outputs)
        super().__init_subclass__(**kwargs)

    async def call(self, github: GitHub, **inputs: Any) -> dict[str, Any]:
        raise NotImplementedError

    async def run(self, ctx: Context) -> None:
        inputs = {spec.name: ctx.get_input(spec.name) for spec in self.inputs}
        github = GitHub(ctx, ctx.get_input("provider"))
        try:
            outputs = await self.call(github, **inputs)
        except (GitHubError, ServiceFailure, OSError) as exc:  # OSError: connection errors, file system errors
            routed(ctx, "error", exc, "error_message")
            return
        for name, value in outputs.items():
            if name != FIRE:
                ctx.set_output(name, value)
        ctx.activate(outputs.get(FIRE, "exec_out"))


# ---- users and repositories -------------------------------------------------------------------------


class GetUser(GitHubNode):
    name = "data_github_get_user"
    friendly_name = "Get User"
    description = "A user's profile; the token's own user when username is empty."
    inputs = (text_in("username", ""),)
    outputs = (struct_out("user"),)

    async def call(self, github: GitHub, *, username: str) -> dict[str, Any]:
        return {"user": await github.call("GET", f"/users/{quote(username, safe='')}" if username else "/user")}


class GetRepo(GitHubNode):
    name = "data_github_get_repo"
    friendly_name = "Get Repository"
    description = "One repository."
    inputs = OWNER_REPO
    outputs = (struct_out("repository"),)

    async def call(self, github: GitHub, *, owner: str, repo: str) -> dict[str, Any]:
        return {"repository": await github.call("GET", repo_path(owner, repo))}


class ListRepos(GitHubNode):
    name = "data_github_list_repos"
    friendly_name = "List Repositories"
    description = "An organisation's repositories, or the token user's when org is empty."
    inputs = (text_in("org", ""), text_in("type", "all", "all, public, private, forks, sources, member, owner"),
              *PAGING)
    outputs = (struct_out("repos", array=True), COUNT)

    async def call(self, github: GitHub, *, org: str, type: str, per_page: int, page: int) -> dict[str, Any]:
        path = f"/orgs/{quote(org, safe='')}/repos" if org else "/user/repos"
        repos = await github.page(path, per_page, page, type=type)
        return {"repos": repos, "count": len(repos)}


class ListBranches(GitHubNode):
    name = "data_github_list_branches"
    friendly_name = "List Branches"
    description = "A repository's branches."
    inputs = (*OWNER_REPO, bool_in("protected_only", False), *PAGING)
    outputs = (struct_out("branches", array=True), COUNT)

    async def call(self, github: GitHub, *, owner: str, repo: str, protected_only: bool, per_page: int,
                   page: int) -> dict[str, Any]:
        branches = await github.page(repo_path(owner, repo, "/branches"), per_page, page,
                                     protected=True if protected_only else "")
        return {"branches": branches, "count": len(branches)}


class GetBranch(GitHubNode):
    name = "data_github_get_branch"
    friendly_name = "Get Branch"
    description = "One branch and the commit it points at."
    inputs = (*OWNER_REPO, text_in("branch"))
    outputs = (struct_out("branch_info"), data_out("sha", DataType.STRING, description="Its head commit"))

    async def call(self, github: GitHub, *, owner: str, repo: str, branch: str) -> dict[str, Any]:
        found = await github.call("GET", repo_path(owner, repo, f"/branches/{quote(branch, safe='')}"))
        return {"branch_info": found, "sha": found["commit"]["sha"]}


# ---- issues ---------------------------------------------------------------------------------------------


class ListIssues(GitHubNode):
    name = "data_github_list_issues"
    friendly_name = "List Issues"
    description = "A repository's issues (GitHub lists pull requests here too: they are left out)."
    inputs = (*OWNER_REPO, text_in("state", "open", "open, closed or all"),
              text_in("labels", "", "Comma-separated: issues with all of them"), text_in("assignee", ""), *PAGING)
    outputs = (struct_out("issues", array=True), COUNT)

    async def call(self, github: GitHub, *, owner: str, repo: str, state: str, labels: str, assignee: str,
                   per_page: int, page: int) -> dict[str, Any]:
        found = await github.page(repo_path(owner, repo, "/issues"), per_page, page, state=state, labels=labels,
                                  assignee=assignee)
        issues = [issue for issue in found if "pull_request" not in issue]
        return {"issues": issues, "count": len(issues)}


class GetIssue(GitHubNode):
    name = "data_github_get_issue"
    friendly_name = "Get Issue"
    description = "One issue."
    inputs = (*OWNER_REPO, int_in("issue_number"))
    outputs = (struct_out("issue"), data_out("title", DataType.STRING), data_out("body", DataType.STRING),
               data_out("state", DataType.STRING))

    async def call(self, github: GitHub, *, owner: str, repo: str, issue_number: int) -> dict[str, Any]:
        issue = await github.call("GET", repo_path(owner, repo, f"/issues/{issue_number}"))
        return {"issue": issue, "title": issue["title"], "body": issue.get("body") or "", "state": issue["state"]}


class CreateIssue(GitHubNode):
    name = "data_github_create_issue"
    friendly_name = "Create Issue"
    description = "Opens an issue."
    inputs = (*OWNER_REPO, text_in("title"), text_in("body", ""), text_in("labels", "", "Comma-separated"),
              text_in("assignees", "", "Comma-separated logins"), int_in("milestone", 0, "0 for none"))
    outputs = (struct_out("issue"), data_out("issue_number", DataType.INTEGER))

    async def call(self, github: GitHub, *, owner: str, repo: str, title: str, body: str, labels: str,
                   assignees: str, milestone: int) -> dict[str, Any]:
        if not title:
            raise ValueError("an issue needs a title")
        payload: dict[str, Any] = {"title": title, "body": body, "labels": csv_list(labels),
                                   "assignees": csv_list(assignees)}
        if milestone:
            payload["milestone"] = milestone
        issue = await github.call("POST", repo_path(owner, repo, "/issues"), body=payload)
        return {"issue": issue, "issue_number": issue["number"]}


class UpdateIssue(GitHubNode):
    name = "data_github_update_issue"
    friendly_name = "Update Issue"
    description = "Changes an issue; empty inputs leave their field as it is."
    inputs = (*OWNER_REPO, int_in("issue_number"), text_in("title", ""), text_in("body", ""),
              text_in("state", "", "open or closed"), text_in("labels", "", "Comma-separated: replaces the labels"),
              text_in("assignees", "", "Comma-separated: replaces the assignees"))
    outputs = (struct_out("issue"),)

    async def call(self, github: GitHub, *, owner: str, repo: str, issue_number: int, title: str, body: str,
                   state: str, labels: str, assignees: str) -> dict[str, Any]:
        payload: dict[str, Any] = {k: v for k, v in (("title", title), ("body", body), ("state", state)) if v}
        payload |= {k: csv_list(v) for k, v in (("labels", labels), ("assignees", assignees)) if v}
        issue = await github.call("PATCH", repo_path(owner, repo, f"/issues/{issue_number}"), body=payload)
        return {"issue": issue}


class AddIssueComment(GitHubNode):
    name = "data_github_add_issue_comment"
    friendly_name = "Add Issue Comment"
    description = "Comments on an issue or pull request."
    inputs = (*OWNER_REPO, int_in("issue_number"), text_in("body"))
    outputs = (struct_out("comment"), data_out("comment_id", DataType.INTEGER))

    async def call(self, github: GitHub, *, owner: str, repo: str, issue_number: int, body: str) -> dict[str, Any]:
        comment = await github.call("POST", repo_path(owner, repo, f"/issues/{issue_number}/comments"),
                                    body={"body": body})
        return {"comment": comment, "comment_id": comment["id"]}


class ListIssueComments(GitHubNode):
    name = "data_github_list_issue_comments"
    friendly_name = "List Issue Comments"
    description = "The comments on an issue or pull request, oldest first."
    inputs = (*OWNER_REPO, int_in("issue_number"), *PAGING)
    outputs = (struct_out("comments", array=True), COUNT)

    async def call(self, github: GitHub, *, owner: str, repo: str, issue_number: int, per_page: int,
                   page: int) -> dict[str, Any]:
        comments = await github.page(repo_path(owner, repo, f"/issues/{issue_number}/comments"), per_page, page)
        return {"comments": comments, "count": len(comments)}


# ---- pull requests --------------------------------------------------------------------------------------


class ListPullRequests(GitHubNode):
    name = "data_github_list_pull_requests"
    friendly_name = "List Pull Requests"
    description = "A repository's pull requests."
    inputs = (*OWNER_REPO, text_in("state", "open", "open, closed or all"), text_in("head", "", "user:branch"),
              text_in("base", ""), text_in("sort", "created", "created, updated, popularity, long-running"),
              text_in("direction", "desc"), *PAGING)
    outputs = (struct_out("pull_requests", array=True), COUNT)

    async def call(self, github: GitHub, *, owner: str, repo: str, state: str, head: str, base: str, sort: str,
                   direction: str, per_page: int, page: int) -> dict[str, Any]:
        pulls = await github.page(repo_path(owner, repo, "/pulls"), per_page, page, state=state, head=head, base=base,
                                  sort=sort, direction=direction)
        return {"pull_requests": pulls, "count": len(pulls)}


class GetPullRequest(GitHubNode):
    name = "data_github_get_pull_request"
    friendly_name = "Get Pull Request"
    description = "One pull request; mergeable is false while GitHub has not computed it yet."
    inputs = (*OWNER_REPO, int_in("pr_number"))
    outputs = (struct_out("pull_request"), data_out("title", DataType.STRING), data_out("body", DataType.STRING),
               data_out("state", DataType.STRING), data_out("mergeable", DataType.BOOLEAN))

    async def call(self, github: GitHub, *, owner: str, repo: str, pr_number: int) -> dict[str, Any]:
        pull = await github.call("GET", repo_path(owner, repo, f"/pulls/{pr_number}"))
        return {"pull_request": pull, "title": pull["title"], "body": pull.get("body") or "",
                "state": pull["state"], "mergeable": bool(pull.get("mergeable"))}


class CreatePullRequest(GitHubNode):
    name = "data_github_create_pull_request"
    friendly_name = "Create Pull Request"
    description = "Opens a pull request from head into base."
    inputs = (*OWNER_REPO, text_in("title"), text_in("head", description="The branch with the changes"),
              text_in("base", description="The branch to merge into"), text_in("body", ""), bool_in("draft", False),
              bool_in("maintainer_can_modify", True))
    outputs = (struct_out("pull_request"), data_out("pr_number", DataType.INTEGER),
               data_out("html_url", DataType.STRING))

    async def call(self, github: GitHub, *, owner: str, repo: str, title: str, head: str, base: str, body: str,
                   draft: bool, maintainer_can_modify: bool) -> dict[str, Any]:
        payload = {"title": title, "head": head, "base": base, "body": body, "draft": draft,
                   "maintainer_can_modify": maintainer_can_modify}
        pull = await github.call("POST", repo_path(owner, repo, "/pulls"), body=payload)
        return {"pull_request": pull, "pr_number": pull["number"], "html_url": pull["html_url"]}


class MergePullRequest(GitHubNode):
    name = "data_github_merge_pull_request"
    friendly_name = "Merge Pull Request"
    description = "Merges a pull request (merge, squash or rebase)."
    inputs = (*OWNER_REPO, int_in("pr_number"), text_in("commit_title", ""), text_in("commit_message", ""),
              text_in("merge_method", "merge", "merge, squash or rebase"))
    outputs = (data_out("merge_sha", DataType.STRING), data_out("merged", DataType.BOOLEAN))

    async def call(self, github: GitHub, *, owner: str, repo: str, pr_number: int, commit_title: str,
                   commit_message: str, merge_method: str) -> dict[str, Any]:
        payload = {"merge_method": merge_method} | {k: v for k, v in (("commit_title", commit_title),
                                                                      ("commit_message", commit_message)) if v}
        merged = await github.call("PUT", repo_path(owner, repo, f"/pulls/{pr_number}/merge"), body=payload)
        return {"merge_sha": merged["sha"], "merged": merged["merged"]}


class ListPrFiles(GitHubNode):
    name = "data_github_list_pr_files"
    friendly_name = "List PR Files"
    description = "The files a pull request changes, with their line counts."
    inputs = (*OWNER_REPO, int_in("pr_number"), *PAGING)
    outputs = (struct_out("files", array=True), COUNT, data_out("additions", DataType.INTEGER),
               data_out("deletions", DataType.INTEGER))

    async def call(self, github: GitHub, *, owner: str, repo: str, pr_number: int, per_page: int,
                   page: int) -> dict[str, Any]:
        files = await github.page(repo_path(owner, repo, f"/pulls/{pr_number}/files"), per_page, page)
        return {"files": files, "count": len(files), "additions": sum(f["additions"] for f in files),
                "deletions": sum(f["deletions"] for f in files)}


# ---- contents -------------------------------------------------------------------------------------------


def contents_path(owner: str, repo: str, path: str) -> str:
    return repo_path(owner, repo, "/contents/" + quote(path.strip("/")))


class GetFileContents(GitHubNode):
    name = "data_github_get_file_contents"
    friendly_name = "Get File Contents"
    description = "A file's metadata and its text (UTF-8), with the blob sha that updates and deletes need."
    inputs = (*OWNER_REPO, text_in("path"), text_in("ref", "", "Branch, tag or commit; the default branch if empty"))
    outputs = (struct_out("file_info"), data_out("content", DataType.STRING), data_out("sha", DataType.STRING))

    async def call(self, github: GitHub, *, owner: str, repo: str, path: str, ref: str) -> dict[str, Any]:
        info = await github.call("GET", contents_path(owner, repo, path), params={"ref": ref})
        if not isinstance(info, dict) or info.get("type") != "file":
            raise GitHubError(f"{path!r} in {owner}/{repo} is not a file")
        content = base64.b64decode(info.get("content", "")).decode("utf-8", "replace")
        return {"file_info": info, "content": content, "sha": info["sha"]}


class DownloadFile(GitHubNode):
    name = "data_github_download_file"
    friendly_name = "Download File"
    description = "A file's raw text (any size GitHub serves raw), and its size in bytes."
    inputs = (*OWNER_REPO, text_in("path"), text_in("ref", ""))
    outputs = (data_out("content", DataType.STRING), data_out("size", DataType.INTEGER))

    async def call(self, github: GitHub, *, owner: str, repo: str, path: str, ref: str) -> dict[str, Any]:
        raw = await github.call("GET", contents_path(owner, repo, path), params={"ref": ref},
                                accept="application/vnd.github.raw+json")
        return {"content": raw.decode("utf-8", "replace"), "size": len(raw)}


class CreateOrUpdateFile(GitHubNode):
    name = "data_github_create_or_update_file"
    friendly_name = "Create/Update File"
    description = "Commits a file's new text; updating an existing file needs its current sha."
    inputs = (*OWNER_REPO, text_in("path"), text_in("content"), text_in("message", description="Commit message"),
              text_in("sha", "", "The file's current blob sha (updates only)"), text_in("branch", ""),
              text_in("committer_name", ""), text_in("committer_email", ""))
    outputs = (data_out("commit_sha", DataType.STRING), data_out("file_sha", DataType.STRING))

    async def call(self, github: GitHub, *, owner: str, repo: str, path: str, content: str, message: str, sha: str,
                   branch: str, committer_name: str, committer_email: str) -> dict[str, Any]:
        payload: dict[str, Any] = {"message": message, "content": base64.b64encode(content.encode()).decode()}
        payload |= {k: v for k, v in (("sha", sha), ("branch", branch)) if v}
        if committer_name and committer_email:
            payload["committer"] = {"name": committer_name, "email": committer_email}
        done = await github.call("PUT", contents_path(owner, repo, path), body=payload)
        return {"commit_sha": done["commit"]["sha"], "file_sha": done["content"]["sha"]}


class DeleteFile(GitHubNode):
    name = "data_github_delete_file"
    friendly_name = "Delete File"
    description = "Commits a file's removal (needs its current sha)."
    inputs = (*OWNER_REPO, text_in("path"), text_in("sha"), text_in("message"), text_in("branch", ""))
    outputs = (data_out("commit_sha", DataType.STRING),)

    async def call(self, github: GitHub, *, owner: str, repo: str, path: str, sha: str, message: str,
                   branch: str) -> dict[str, Any]:
        payload = {"message": message, "sha": sha} | ({"branch": branch} if branch else {})
        done = await github.call("DELETE", contents_path(owner, repo, path), body=payload)
        return {"commit_sha": done["commit"]["sha"]}


class ListPrReviews(GitHubNode):
    name = "data_github_list_pr_reviews"
    friendly_name = "List PR Reviews"
    description = "The reviews of a pull request, oldest first."
    inputs = (*OWNER_REPO, int_in("pr_number"))
    outputs = (struct_out("reviews", array=True), COUNT)

    async def call(self, github: GitHub, *, owner: str, repo: str, pr_number: int) -> dict[str, Any]:
        reviews = await github.every(repo_path(owner, repo, f"/pulls/{pr_number}/reviews"))
        return {"reviews": reviews, "count": len(reviews)}


class CreatePrReview(GitHubNode):
    name = "data_github_create_pr_review"
    friendly_name = "Create PR Review"
    description = "Reviews a pull request: COMMENT, APPROVE or REQUEST_CHANGES (which needs a body)."
    inputs = (*OWNER_REPO, int_in("pr_number"), text_in("body", ""),
              text_in("event", "COMMENT", "COMMENT, APPROVE or REQUEST_CHANGES"))
    outputs = (struct_out("review"), data_out("review_id", DataType.INTEGER))

    async def call(self, github: GitHub, *, owner: str, repo: str, pr_number: int, body: str,
                   event: str) -> dict[str, Any]:
        if event not in ("COMMENT", "APPROVE", "REQUEST_CHANGES"):
            raise ValueError(f"event must be COMMENT, APPROVE or REQUEST_CHANGES, got {event!r}")
        payload = {"event": event} | ({"body": body} if body else {})
        review = await github.call("POST", repo_path(owner, repo, f"/pulls/{pr_number}/reviews"), body=payload)
        return {"review": review, "review_id": review["id"]}
