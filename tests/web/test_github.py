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


def test_commits_and_compare(b, github) -> None:
    board = GitHubBoard(b, github)
    board.then("data_github_list_commits", owner="octo", repo="hello", path="src", author="ada",
                        since="2026-01-01T00:00:00Z")
    board.then("data_github_get_commit", owner="octo", repo="hello", sha=sha("c2"))
    compare = board.then("data_github_compare_commits", owner="octo", repo="hello", base="main", head="feature")
    assert board.result(compare, "ahead_by") == 1
    requests = github.state.requests
    assert requests[0]["query"] == {"path": "src", "author": "ada", "since": "2026-01-01T00:00:00Z",
                                    "per_page": "30", "page": "1"}
    assert [r["path"] for r in requests] == ["/repos/octo/hello/commits", f"/repos/octo/hello/commits/{sha('c2')}",
                                             "/repos/octo/hello/compare/main...feature"]
    got = GitHubBoard(type(b)(), github)
    one_commit = got.then("data_github_get_commit", owner="octo", repo="hello", sha=sha("c2"))
    assert got.result(one_commit, "deletions") == 2
    assert one(type(b)(), github, "data_github_get_commit", "message", owner="octo", repo="hello",
               sha=sha("c2")) == "Add app\n\nWith tests"
    assert one(type(b)(), github, "data_github_list_commits", "count", owner="octo", repo="hello") == 2


def test_branches_create_and_delete(b, github) -> None:
    board = GitHubBoard(b, github)
    made = board.then("data_github_create_branch", owner="octo", repo="hello", branch="fix/1", from_sha=sha("c1"))
    assert board.result(made, "ref") == "refs/heads/fix/1"
    gone = GitHubBoard(type(b)(), github)
    gone.then("data_github_delete_branch", owner="octo", repo="hello", branch="fix/1")
    gone.b.run().raise_for_status()
    assert [x["name"] for x in github.state.branches] == ["main", "feature"]
    again = GitHubBoard(type(b)(), github)
    again.then("data_github_delete_branch", owner="octo", repo="hello", branch="fix/1")
    run = again.b.run()
    assert "GitHub answered 422 to DELETE /repos/octo/hello/git/refs/heads/fix/1: Reference does not exist" in \
        run.error


def test_releases(b, github) -> None:
    board = GitHubBoard(b, github)
    latest = board.then("data_github_get_latest_release", owner="octo", repo="hello")
    assert board.result(latest, "tag_name") == "v1.0"
    made = GitHubBoard(type(b)(), github)
    release = made.then("data_github_create_release", owner="octo", repo="hello", tag_name="v2.0", name="Two",
                        body="Notes", target_commitish="main")
    assert made.result(release, "html_url") == "https://github.com/octo/hello/releases/tag/v2.0"
    assert github.state.requests[-1]["json"] == {"tag_name": "v2.0", "draft": False, "prerelease": False,
                                                 "generate_release_notes": False, "name": "Two", "body": "Notes",
                                                 "target_commitish": "main"}
    assert one(type(b)(), github, "data_github_get_release_by_tag", "body", owner="octo", repo="hello",
               tag="v1.1-rc") == "Candidate"
    releases = one(type(b)(), github, "data_github_list_releases", "releases", owner="octo", repo="hello")
    assert [r["tag_name"] for r in releases] == ["v2.0", "v1.1-rc", "v1.0"]


def test_pr_reviews(b, github) -> None:
    board = GitHubBoard(b, github)
    board.then("data_github_create_pull_request", owner="octo", repo="hello", title="Add", head="feature",
               base="main")
    review = board.then("data_github_create_pr_review", owner="octo", repo="hello", pr_number=1, event="APPROVE",
                        body="Looks good")
    assert board.result(review, "review_id") == 80
    reviews = one(type(b)(), github, "data_github_list_pr_reviews", "reviews", owner="octo", repo="hello",
                  pr_number=1)
    assert [(r["state"], r["body"]) for r in reviews] == [("APPROVED", "Looks good")]
    github.state.reviews += [{"id": 90 + n, "body": f"Note {n}", "state": "COMMENTED", "user": {"login": "octocat"}}
                             for n in range(4)]  # five reviews: three pages of two on the fake
    github.state.requests.clear()
    reviews = one(type(b)(), github, "data_github_list_pr_reviews", "reviews", owner="octo", repo="hello",
                  pr_number=1)
    assert [r["body"] for r in reviews] == ["Looks good", "Note 0", "Note 1", "Note 2", "Note 3"]
    assert [(r["query"].get("page"), r["query"]["per_page"]) for r in github.state.requests] == [
        (None, "100"), ("2", "2"), ("3", "2")]


def test_search_builds_qualified_queries(b, github) -> None:
    board = GitHubBoard(b, github)
    board.then("data_github_create_issue", owner="octo", repo="hello", title="Crash on start")
    issues = board.then("data_github_search_issues", owner="octo", repo="hello", query="crash", state="open",
                        labels="bug, needs triage", sort="updated")
    assert board.result(issues, "total_count") == 1
    assert github.state.requests[-1]["query"] == {
        "q": 'crash repo:octo/hello is:issue state:open label:bug label:"needs triage"', "order": "desc",
        "per_page": "30", "page": "1", "sort": "updated"}
    repos = GitHubBoard(type(b)(), github)
    found = repos.then("data_github_search_repos", query="hello", language="python", topic="demo")
    assert [r["full_name"] for r in repos.result(found, "repos")] == ["octo/hello"]
    assert github.state.requests[-1]["query"]["q"] == "hello language:python topic:demo"
    code = GitHubBoard(type(b)(), github)
    hits = code.then("data_github_search_code", query="Hello", repo="octo/hello", extension="md")
    assert code.result(hits, "results")[0]["path"] == "README.md"
    assert github.state.requests[-1]["query"]["q"] == "Hello repo:octo/hello extension:md"


def test_empty_search_is_clear() -> None:
    from flowlike_catalog.web.github_search import qualified

    with pytest.raises(ValueError, match="the search query is empty"):
        qualified(" ", [("repo", "")])


def test_app_token_provider(b, github) -> None:
    provider = gh.data_github_provider_app.func(TOKEN, github.url)
    assert provider.token.get_secret_value() == TOKEN and provider.base_url == github.url


def test_workflows_and_runs(b, github) -> None:
    assert [w["path"] for w in one(b, github, "github_list_workflows", "workflows", owner="octo", repo="hello")] == [
        ".github/workflows/ci.yml"]
    runs = one(type(b)(), github, "github_list_workflow_runs", "runs", owner="octo", repo="hello",
               workflow_id="ci.yml", branch="main")
    assert [r["id"] for r in runs] == [32, 30]
    every = one(type(b)(), github, "github_list_workflow_runs", "runs", owner="octo", repo="hello")
    assert github.state.requests[-1]["path"] == "/repos/octo/hello/actions/runs" and len(every) == 3
    assert one(type(b)(), github, "github_get_workflow_run", "run", owner="octo", repo="hello",
               run_id=31)["conclusion"] == "success"


def test_latest_run_and_not_found(b, github) -> None:
    board = GitHubBoard(b, github)
    latest = board.then("github_get_latest_workflow_run", owner="octo", repo="hello", workflow_id="ci.yml",
                        conclusion="success")
    assert board.result(latest, "html_url") == "https://github.com/octo/hello/actions/runs/31"
    assert github.state.requests[-1]["query"] == {"status": "success", "per_page": "1"}
    none = GitHubBoard(type(b)(), github)
    missing = none.then("github_get_latest_workflow_run", owner="octo", repo="hello", workflow_id="ci.yml",
                        branch="feature", conclusion="failure")
    back = none.b.add("events_generic_return_result", response="nothing")
    none.b.wire(missing, "not_found", back, "exec_in")
    assert none.b.run().result == "nothing"


def test_trigger_rerun_cancel(b, github) -> None:
    board = GitHubBoard(b, github)
    board.then("github_trigger_workflow", owner="octo", repo="hello", workflow_id="ci.yml", ref="feature",
               inputs={"level": 3, "dry": True})
    board.then("github_rerun_workflow", owner="octo", repo="hello", run_id=30, failed_only=True)
    board.then("github_cancel_workflow_run", owner="octo", repo="hello", run_id=32)
    board.b.run().raise_for_status()
    assert github.state.dispatches == [{"workflow": "ci.yml", "ref": "feature", "inputs": {"level": "3",
                                                                                         "dry": "True"}}]
    assert [(r["id"], r.get("action")) for r in github.state.runs] == [
        (30, "rerun-failed-jobs"), (31, None), (32, "cancel")]
    again = GitHubBoard(type(b)(), github)
    cancel = again.then("github_cancel_workflow_run", owner="octo", repo="hello", run_id=31)
    assert again.b.result_of(cancel, cancel, "error_message", out="error") == (
        "GitHub answered 409 to POST /repos/octo/hello/actions/runs/31/cancel: "
        "Cannot cancel a workflow run that is completed.")


def test_clone_repository(b, github, git_repo, tmp_path) -> None:
    github.state.git_root = git_repo
    board = GitHubBoard(b, github)
    clone = board.then("data_github_clone_repo", owner="octo", repo="hello", target_dir=str(tmp_path / "copy"),
                       depth=0)
    assert board.result(clone, "repo_path") == {"path": str(tmp_path / "copy")}
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == ["README.md", "app.py"]
    tagged = GitHubBoard(type(b)(), github)
    tagged.then("data_github_clone_repo", owner="octo", repo="hello", target_dir=str(tmp_path / "v1"),
                        depth=0, branch="v1", include_git=True)
    tagged.b.run().raise_for_status()
    assert sorted(p.name for p in (tmp_path / "v1").iterdir()) == [".git", "README.md"]


def test_clone_errors_are_clear_and_secret_free(b, github, git_repo, tmp_path) -> None:
    github.state.git_root = git_repo
    board = GitHubBoard(b, github, token="ghp_not_the_token")
    clone = board.then("data_github_clone_repo", owner="octo", repo="hello", target_dir=str(tmp_path / "x"),
                       depth=0)
    back = b.add("events_generic_return_result")
    b.wire(clone, "error", back, "exec_in")
    b.wire(clone, "error_message", back, "response")
    message = b.run().result
    assert message.startswith("git clone of octo/hello failed:") and "ghp_not_the_token" not in message
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file").write_text("x")
    other = GitHubBoard(type(b)(), github)
    other.then("data_github_clone_repo", owner="octo", repo="hello", target_dir=str(tmp_path / "full"))
    run = other.b.run()
    assert f"{tmp_path / 'full'} is not empty" in run.error
