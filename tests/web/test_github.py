"""GitHub nodes against a local server answering GitHub's documented JSON shapes."""

from __future__ import annotations

import json

import pytest
from fake_github import TOKEN, sha
from flowlike_catalog.web import github as gh

from flowlike_core import RunStatus


class GitHubBoard:
    """Start → provider → the nodes added with `then`, each after the last."""

    def __init__(self, b, server, token: str = TOKEN) -> None:
        self.b = b
        self.provider = b.add("data_github_provider_pat", token=token, base_url=server.url)
        self.last = b.add("events_simple")

    def then(self, key: str, /, **defaults):
        added = self.b.add(key, **defaults)
        self.b.wire(self.provider, "provider", added, "provider")
        self.b.chain(self.last, added)
        self.last = added
        return added

    def result(self, node, output):
        return self.b.result_of(self.last, node, output)


def one(b, github, key, output, **defaults):
    board = GitHubBoard(b, github)
    return board.result(board.then(key, **defaults), output)


def test_provider_keeps_the_token_secret() -> None:
    provider = gh.data_github_provider_pat.func("ghp_secret", "https://ghe.example.org/api/v3/")
    assert provider.base_url == "https://ghe.example.org/api/v3"
    assert "ghp_secret" not in json.dumps(provider.model_dump(mode="json")) and "ghp_secret" not in repr(provider)
    with pytest.raises(ValueError, match="GitHub token is empty"):
        gh.data_github_provider_pat.func("", "https://api.github.com")


def test_get_user_and_headers(b, github) -> None:
    assert one(b, github, "data_github_get_user", "user")["login"] == "octocat"
    sent = github.state.requests[-1]
    assert (sent["path"], sent["headers"]["accept"], sent["headers"]["x-github-api-version"]) == (
        "/user", "application/vnd.github+json", "2022-11-28")
    assert one(type(b)(), github, "data_github_get_user", "user", username="mona")["login"] == "mona"


def test_repositories_and_branches(b, github) -> None:
    board = GitHubBoard(b, github)
    repo = board.then("data_github_get_repo", owner="octo", repo="hello")
    listed = board.then("data_github_list_repos", org="octo", per_page=5)
    branches = board.then("data_github_list_branches", owner="octo", repo="hello", protected_only=True)
    branch = board.then("data_github_get_branch", owner="octo", repo="hello", branch="feature")
    assert board.result(branch, "sha") == sha("c2")
    requests = github.state.requests
    assert [r["path"] for r in requests] == ["/repos/octo/hello", "/orgs/octo/repos", "/repos/octo/hello/branches",
                                             "/repos/octo/hello/branches/feature"]
    assert requests[1]["query"] == {"type": "all", "per_page": "5", "page": "1"}
    assert requests[2]["query"] == {"protected": "true", "per_page": "30", "page": "1"}
    assert (repo, listed, branches) and one(type(b)(), github, "data_github_list_branches", "count", owner="octo",
                                            repo="hello") == 2


def test_issue_lifecycle(b, github) -> None:
    board = GitHubBoard(b, github)
    created = board.then("data_github_create_issue", owner="octo", repo="hello", title="Bug", body="It breaks",
                         labels="bug, urgent", assignees="mona")
    board.then("data_github_add_issue_comment", owner="octo", repo="hello", issue_number=1, body="Looking")
    board.then("data_github_update_issue", owner="octo", repo="hello", issue_number=1, state="closed")
    fetched = board.then("data_github_get_issue", owner="octo", repo="hello", issue_number=1)
    assert board.result(fetched, "state") == "closed"
    assert github.state.requests[0]["json"] == {"title": "Bug", "body": "It breaks", "labels": ["bug", "urgent"],
                                                "assignees": ["mona"]}
    assert github.state.requests[2]["json"] == {"state": "closed"}
    assert created is not None
    comments = one(type(b)(), github, "data_github_list_issue_comments", "comments", owner="octo", repo="hello",
                   issue_number=1)
    assert [c["body"] for c in comments] == ["Looking"]
    assert one(type(b)(), github, "data_github_list_issues", "count", owner="octo", repo="hello", state="all") == 1
    assert one(type(b)(), github, "data_github_list_issues", "count", owner="octo", repo="hello") == 0


def test_create_issue_outputs(b, github) -> None:
    board = GitHubBoard(b, github)
    created = board.then("data_github_create_issue", owner="octo", repo="hello", title="First")
    assert board.result(created, "issue_number") == 1
    assert github.state.issues[0]["title"] == "First"


def test_pull_requests(b, github) -> None:
    board = GitHubBoard(b, github)
    board.then("data_github_create_issue", owner="octo", repo="hello", title="An issue")
    opened = board.then("data_github_create_pull_request", owner="octo", repo="hello", title="Add app",
                        head="feature", base="main", body="Adds it")
    assert board.result(opened, "html_url") == "https://github.com/octo/hello/pull/2"
    got = GitHubBoard(type(b)(), github)
    pull = got.then("data_github_get_pull_request", owner="octo", repo="hello", pr_number=2)
    assert got.result(pull, "mergeable") is True
    assert one(type(b)(), github, "data_github_list_issues", "count", owner="octo", repo="hello") == 1
    assert one(type(b)(), github, "data_github_list_pull_requests", "count", owner="octo", repo="hello") == 1
    files = GitHubBoard(type(b)(), github)
    listed = files.then("data_github_list_pr_files", owner="octo", repo="hello", pr_number=2)
    assert files.result(listed, "additions") == 13
    merged = GitHubBoard(type(b)(), github)
    merge = merged.then("data_github_merge_pull_request", owner="octo", repo="hello", pr_number=2,
                        merge_method="squash")
    assert merged.result(merge, "merged") is True
    assert github.state.requests[-1]["json"] == {"merge_method": "squash"}


def test_contents_read_update_delete(b, github) -> None:
    board = GitHubBoard(b, github)
    got = board.then("data_github_get_file_contents", owner="octo", repo="hello", path="docs/guide.md")
    update = board.then("data_github_create_or_update_file", owner="octo", repo="hello", path="docs/guide.md",
                        content="Guide v2\n", message="Update guide", committer_name="Ada",
                        committer_email="ada@example.org")
    b.wire(got, "sha", update, "sha")
    assert board.result(update, "file_sha") == sha("Guide v2\n")
    assert github.state.files["docs/guide.md"] == "Guide v2\n"
    put = github.state.requests[-1]["json"]
    assert put["sha"] == sha("Guide text\n") and put["committer"] == {"name": "Ada", "email": "ada@example.org"}
    raw = GitHubBoard(type(b)(), github)
    download = raw.then("data_github_download_file", owner="octo", repo="hello", path="docs/guide.md")
    assert raw.result(download, "content") == "Guide v2\n"
    assert one(type(b)(), github, "data_github_get_file_contents", "content", owner="octo", repo="hello",
               path="README.md") == "# Hello\n"
    gone = GitHubBoard(type(b)(), github)
    delete = gone.then("data_github_delete_file", owner="octo", repo="hello", path="README.md",
                       sha=sha("# Hello\n"), message="Remove readme")
    assert gone.result(delete, "commit_sha") == sha("commit 2")
    assert "README.md" not in github.state.files


def test_github_errors_fire_error_with_the_message(b, github) -> None:
    board = GitHubBoard(b, github)
    missing = board.then("data_github_get_issue", owner="octo", repo="hello", issue_number=99)
    back = b.add("events_generic_return_result")
    b.wire(missing, "error", back, "exec_in")
    b.wire(missing, "error_message", back, "response")
    run = b.run()
    assert run.result == "GitHub answered 404 to GET /repos/octo/hello/issues/99: Not Found"


def test_bad_token_fails_the_run_and_stays_secret(b, github) -> None:
    secret = "ghp_wrong_token_value"
    board = GitHubBoard(b, github, token=secret)
    board.then("data_github_get_repo", owner="octo", repo="hello")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "GitHub answered 401 to GET /repos/octo/hello: Bad credentials" in run.error
    assert secret not in run.error and all(secret not in line.message for line in run.logs())
    assert github.state.requests[-1]["headers"]["authorization"] == f"Bearer {secret}"
