"""GitHub commits, branches and releases (see `github` for the provider and how calls and errors work)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flowlike_catalog.web.github import (
    COUNT,
    OWNER_REPO,
    PAGING,
    GitHub,
    GitHubNode,
    bool_in,
    repo_path,
    struct_out,
    text_in,
)

from flowlike_core import DataType, data_out

CATEGORY = "Data/GitHub"


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
        params = {"sha": sha, "path": path, "author": author, "since": since, "until": until, "per_page": per_page,
                  "page": page}
        commits = await github.call("GET", repo_path(owner, repo, "/commits"), params=params)
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
        releases = await github.call("GET", repo_path(owner, repo, "/releases"),
                                     params={"per_page": per_page, "page": page})
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
