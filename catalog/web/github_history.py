"""GitHub commits, branches and releases (see `github` for the provider and how calls and errors work)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flowlike_catalog.web.github import (
    COUNT,
    OWNER_REPO,
    PAGING,
    GitHub,
    GitHubError,
    GitHubNode,
    repo_path,
    struct_out,
)
from flowlike_catalog.web.service_pins import bool_in, int_in, text_in

from flowlike_core import DataType, data_in, data_out
from flowlike_core.policy import Capability

CATEGORY = "Data/GitHub"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)


class ListCommits(GitHubNode):
    name = "data_github_list_commits"
    friendly_name = "List Commits"
    description = "Commits, newest first: of a branch or sha, touching a path, by an author, in a time window."
    inputs = (*OWNER_REPO, text_in("sha", "", "Branch or commit to start from (default branch if empty)"),
              text_in("path", ""), text_in("author", "", "Login or email"),
              text_in("since", "", "ISO 8601 time"), text_in("until", "", "ISO 8601 time"), *PAGING)
    outputs = (struct_out("commits", array=True), COUNT)

    async def call(self, github: GitHub, *, owner: str, repo: str, sha: str, path: str, author: str, since: str,
                   until: str, per_page: int, page: int) -> dict[str, Any]:
        commits = await github.page(repo_path(owner, repo, "/commits"), per_page, page, sha=sha, path=path,
                                    author=author, since=since, until=until)
        return {"commits": commits, "count": len(commits)}


class GetCommit(GitHubNode):
    name = "data_github_get_commit"
    friendly_name = "Get Commit"
    description = "One commit with its message and line counts."
    inputs = (*OWNER_REPO, text_in("sha", description="Commit sha, branch or tag"))
    outputs = (struct_out("commit"), data_out("message", DataType.STRING), data_out("additions", DataType.INTEGER),
               data_out("deletions", DataType.INTEGER))

    async def call(self, github: GitHub, *, owner: str, repo: str, sha: str) -> dict[str, Any]:
        commit = await github.call("GET", repo_path(owner, repo, f"/commits/{quote(sha, safe='')}"))
        stats = commit.get("stats") or {}
        return {"commit": commit, "message": commit["commit"]["message"], "additions": stats.get("additions", 0),
                "deletions": stats.get("deletions", 0)}


class CompareCommits(GitHubNode):
    name = "data_github_compare_commits"
    friendly_name = "Compare Commits"
    description = "How head relates to base: ahead, behind, diverged or identical, and by how many commits."
    inputs = (*OWNER_REPO, text_in("base"), text_in("head"))
    outputs = (struct_out("comparison"), data_out("status", DataType.STRING),
               data_out("ahead_by", DataType.INTEGER), data_out("behind_by", DataType.INTEGER))

    async def call(self, github: GitHub, *, owner: str, repo: str, base: str, head: str) -> dict[str, Any]:
        spec = f"{quote(base, safe='')}...{quote(head, safe='')}"
        comparison = await github.call("GET", repo_path(owner, repo, f"/compare/{spec}"))
        return {"comparison": comparison, "status": comparison["status"], "ahead_by": comparison["ahead_by"],
                "behind_by": comparison["behind_by"]}


class CreateBranch(GitHubNode):
    name = "data_github_create_branch"
    friendly_name = "Create Branch"
    description = "A new branch pointing at a commit."
    inputs = (*OWNER_REPO, text_in("branch"), text_in("from_sha", description="The commit the branch starts at"))
    outputs = (data_out("ref", DataType.STRING, description="refs/heads/<branch>"),)

    async def call(self, github: GitHub, *, owner: str, repo: str, branch: str, from_sha: str) -> dict[str, Any]:
        made = await github.call("POST", repo_path(owner, repo, "/git/refs"),
                                 body={"ref": f"refs/heads/{branch}", "sha": from_sha})
        return {"ref": made["ref"]}


class DeleteBranch(GitHubNode):
    name = "data_github_delete_branch"
    friendly_name = "Delete Branch"
    description = "Deletes a branch."
    inputs = (*OWNER_REPO, text_in("branch"))

    async def call(self, github: GitHub, *, owner: str, repo: str, branch: str) -> dict[str, Any]:
        await github.call("DELETE", repo_path(owner, repo, f"/git/refs/heads/{quote(branch)}"))
        return {}


class ListReleases(GitHubNode):
    name = "data_github_list_releases"
    friendly_name = "List Releases"
    description = "A repository's releases, newest first."
    inputs = (*OWNER_REPO, *PAGING)
    outputs = (struct_out("releases", array=True), COUNT)

    async def call(self, github: GitHub, *, owner: str, repo: str, per_page: int, page: int) -> dict[str, Any]:
        releases = await github.page(repo_path(owner, repo, "/releases"), per_page, page)
        return {"releases": releases, "count": len(releases)}


class GetLatestRelease(GitHubNode):
    name = "data_github_get_latest_release"
    friendly_name = "Get Latest Release"
    description = "The latest published full release (not a draft or prerelease)."
    inputs = OWNER_REPO
    outputs = (struct_out("release"), data_out("tag_name", DataType.STRING), data_out("name", DataType.STRING))

    async def call(self, github: GitHub, *, owner: str, repo: str) -> dict[str, Any]:
        release = await github.call("GET", repo_path(owner, repo, "/releases/latest"))
        return {"release": release, "tag_name": release["tag_name"], "name": release.get("name") or ""}


class GetReleaseByTag(GitHubNode):
    name = "data_github_get_release_by_tag"
    friendly_name = "Get Release by Tag"
    description = "The release of a tag."
    inputs = (*OWNER_REPO, text_in("tag"))
    outputs = (struct_out("release"), data_out("body", DataType.STRING))

    async def call(self, github: GitHub, *, owner: str, repo: str, tag: str) -> dict[str, Any]:
        release = await github.call("GET", repo_path(owner, repo, f"/releases/tags/{quote(tag, safe='')}"))
        return {"release": release, "body": release.get("body") or ""}


class CreateRelease(GitHubNode):
    name = "data_github_create_release"
    friendly_name = "Create Release"
    description = "Publishes a release (and its tag, made from target_commitish when it does not exist)."
    inputs = (*OWNER_REPO, text_in("tag_name"), text_in("name", ""), text_in("body", ""),
              text_in("target_commitish", "", "Branch or sha for a new tag (default branch if empty)"),
              bool_in("draft", False), bool_in("prerelease", False), bool_in("generate_release_notes", False))
    outputs = (struct_out("release"), data_out("release_id", DataType.INTEGER), data_out("html_url", DataType.STRING))

    async def call(self, github: GitHub, *, owner: str, repo: str, tag_name: str, name: str, body: str,
                   target_commitish: str, draft: bool, prerelease: bool,
                   generate_release_notes: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {"tag_name": tag_name, "draft": draft, "prerelease": prerelease,
                                   "generate_release_notes": generate_release_notes}
        payload |= {k: v for k, v in (("name", name), ("body", body), ("target_commitish", target_commitish)) if v}
        release = await github.call("POST", repo_path(owner, repo, "/releases"), body=payload)
        return {"release": release, "release_id": release["id"], "html_url": release["html_url"]}


def web_url(base_url: str) -> str:
    """Where repositories are cloned from, given the API's base URL (github.com, GitHub Enterprise, or a
    server that serves both at one address)."""
    if base_url.rstrip("/") == "https://api.github.com":
        return "https://github.com"
    return base_url.rstrip("/").removesuffix("/api/v3")


class CloneRepo(GitHubNode):
    name = "data_github_clone_repo"
    friendly_name = "Clone Repository"
    capabilities = frozenset({Capability.NETWORK, Capability.PROCESSES, Capability.FILES})
    description = ("Clones a repository into a new (or empty) folder with git, the token sent as a header (never "
                   "in the URL or the command line); without include_git the .git folder is removed afterwards.")
    inputs = (*OWNER_REPO,
              data_in("target_dir", DataType.GENERIC, required=True,
                      description="A folder path, or a struct with a 'path' field"),
              text_in("branch", "", "Branch or tag; the default branch if empty"),
              int_in("depth", 1, "History depth (0: all of it)"), bool_in("include_git", False))
    outputs = (data_out("repo_path", DataType.STRUCT, description="{'path': <the clone>}"),)

    async def call(self, github: GitHub, *, owner: str, repo: str, target_dir: Any, branch: str, depth: int,
                   include_git: bool) -> dict[str, Any]:
        import asyncio
        import base64
        import os
        import shutil

        from flowlike_catalog.web.api import local_path

        target = local_path(target_dir)
        if target is None:
            raise ValueError("target_dir is empty: give the folder to clone into")
        if target.exists() and any(target.iterdir()):
            raise FileExistsError(f"{target} is not empty")
        credentials = base64.b64encode(f"x-access-token:{github.provider.token.get_secret_value()}".encode())
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_COUNT": "1",
               "GIT_CONFIG_KEY_0": "http.extraHeader",
               "GIT_CONFIG_VALUE_0": f"Authorization: Basic {credentials.decode()}"}
        command = ["git", "clone", "--quiet", *(["--depth", str(depth)] if depth > 0 else []),
                   *(["--branch", branch] if branch else []),
                   f"{web_url(github.provider.base_url)}/{quote(owner)}/{quote(repo)}.git", str(target)]
        process = await asyncio.create_subprocess_exec(*command, env=env, stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.PIPE)
        _, errors = await process.communicate()
        if process.returncode != 0:
            raise GitHubError(f"git clone of {owner}/{repo} failed: {errors.decode(errors='replace').strip()}")
        if not include_git:
            shutil.rmtree(target / ".git")
        return {"repo_path": {"path": str(target)}}
