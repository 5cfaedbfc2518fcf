"""A local stand-in for GitHub's REST API: the endpoints the GitHub nodes call, answering with the JSON shapes
GitHub documents (trimmed to the fields that matter), over in-memory repositories."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

TOKEN = "ghp_local_test_token"
REVIEWS_PAGE_MOST = 2
"""Reviews a page holds here at most, whatever per_page asks: small, so that List PR Reviews follows the Link
header."""


def sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class State:
    def __init__(self, base: str) -> None:
        self.base = base
        self.requests: list[dict[str, Any]] = []
        self.repo = {"id": 1296269, "name": "hello", "full_name": "octo/hello", "private": False,
                     "owner": {"login": "octo", "id": 1, "type": "Organization"}, "default_branch": "main",
                     "html_url": "https://github.com/octo/hello", "description": "Hello repo"}
        self.branches = [{"name": "main", "commit": {"sha": sha("c1")}, "protected": True},
                         {"name": "feature", "commit": {"sha": sha("c2")}, "protected": False}]
        self.issues: list[dict[str, Any]] = []
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.pulls: list[dict[str, Any]] = []
        self.files: dict[str, str] = {"README.md": "# Hello\n", "docs/guide.md": "Guide text\n"}
        self.commits = 0
        self.reviews: list[dict[str, Any]] = []
        self.workflows = [{"id": 161335, "name": "CI", "path": ".github/workflows/ci.yml", "state": "active"}]
        self.runs = [self.run(30, 12, "main", "completed", "failure"), self.run(31, 13, "feature", "completed",
                                                                                "success"),
                     self.run(32, 14, "main", "in_progress", None)]
        self.dispatches: list[dict[str, Any]] = []
        self.git_root: Any = None
        """A folder of bare repositories (`hello.git`) served over git's dumb HTTP protocol, when set."""
        self.releases: list[dict[str, Any]] = [
            {"id": 1, "tag_name": "v1.0", "name": "One", "body": "First", "draft": False, "prerelease": False,
             "html_url": "https://github.com/octo/hello/releases/tag/v1.0"},
            {"id": 2, "tag_name": "v1.1-rc", "name": "RC", "body": "Candidate", "draft": False, "prerelease": True,
             "html_url": "https://github.com/octo/hello/releases/tag/v1.1-rc"}]
        self.history = [{"sha": sha("c2"), "commit": {"message": "Add app\n\nWith tests", "author": {"name": "Ada"}},
                         "stats": {"additions": 12, "deletions": 2, "total": 14}},
                        {"sha": sha("c1"), "commit": {"message": "Initial commit", "author": {"name": "Ada"}},
                         "stats": {"additions": 1, "deletions": 0, "total": 1}}]

    def issue(self, number: int, title: str, body: str, labels: list[str], assignees: list[str]) -> dict[str, Any]:
        return {"id": 1000 + number, "number": number, "title": title, "body": body, "state": "open",
                "labels": [{"name": name} for name in labels], "assignees": [{"login": a} for a in assignees],
                "user": {"login": "octocat"}, "html_url": f"https://github.com/octo/hello/issues/{number}"}

    def run(self, ident: int, number: int, branch: str, status: str, conclusion: str | None) -> dict[str, Any]:
        return {"id": ident, "run_number": number, "workflow_id": 161335, "head_branch": branch,
                "head_sha": sha(f"run {ident}"), "status": status, "conclusion": conclusion,
                "html_url": f"https://github.com/octo/hello/actions/runs/{ident}"}

    def commit(self) -> str:
        self.commits += 1
        return sha(f"commit {self.commits}")


def github_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    state = State("")

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"message": message, "documentation_url": "https://docs.github.com/rest"},
                            status_code=status)

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            state.requests.append({"method": request.method, "path": request.url.path,
                                   "query": dict(request.query_params), "headers": dict(request.headers),
                                   "json": json.loads(body) if body else None})
            if request.headers.get("authorization") != f"Bearer {TOKEN}":
                return error(401, "Bad credentials")
            if request.path_params.get("owner", "octo") != "octo" or request.path_params.get("repo", "hello") != \
                    "hello":
                return error(404, "Not Found")
            return await handler(request)

        return endpoint

    async def user(request: Request) -> JSONResponse:
        login = request.path_params.get("login", "octocat")
        return JSONResponse({"login": login, "id": 583231 if login == "octocat" else 2, "type": "User"})

    async def repos(request: Request) -> JSONResponse:
        return JSONResponse([state.repo])

    async def repo(request: Request) -> JSONResponse:
        return JSONResponse(state.repo)

    async def branches(request: Request) -> JSONResponse:
        protected = request.query_params.get("protected") == "true"
        return JSONResponse([b for b in state.branches if b["protected"] or not protected])

    async def branch(request: Request) -> JSONResponse:
        found = [b for b in state.branches if b["name"] == request.path_params["branch"]]
        return JSONResponse(found[0]) if found else error(404, "Branch not found")

    async def issues(request: Request) -> JSONResponse:
        if request.method == "POST":
            data = await request.json()
            if not data.get("title"):
                return error(422, "Validation Failed")
            number = len(state.issues) + len(state.pulls) + 1
            state.issues.append(state.issue(number, data["title"], data.get("body", ""), data.get("labels", []),
                                            data.get("assignees", [])))
            return JSONResponse(state.issues[-1], status_code=201)
        wanted = request.query_params.get("state", "open")
        labels = [x for x in request.query_params.get("labels", "").split(",") if x]
        listed = [i for i in state.issues + state.pulls if wanted in ("all", i["state"])
                  and all(label in [x["name"] for x in i.get("labels", [])] for label in labels)]
        return JSONResponse(listed)

    async def issue(request: Request) -> JSONResponse:
        number = int(request.path_params["number"])
        found = [i for i in state.issues if i["number"] == number]
        if not found:
            return error(404, "Not Found")
        if request.method == "PATCH":
            data = await request.json()
            for key in ("title", "body", "state"):
                if key in data:
                    found[0][key] = data[key]
            if "labels" in data:
                found[0]["labels"] = [{"name": name} for name in data["labels"]]
        return JSONResponse(found[0])

    async def comments(request: Request) -> JSONResponse:
        number = int(request.path_params["number"])
        listed = state.comments.setdefault(number, [])
        if request.method == "POST":
            listed.append({"id": 9000 + len(listed), "body": (await request.json())["body"],
                           "user": {"login": "octocat"}})
            return JSONResponse(listed[-1], status_code=201)
        return JSONResponse(listed)

    async def pulls(request: Request) -> JSONResponse:
        if request.method == "POST":
            data = await request.json()
            number = len(state.issues) + len(state.pulls) + 1
            state.pulls.append({"id": 5000 + number, "number": number, "title": data["title"],
                                "body": data.get("body", ""), "state": "open", "draft": data.get("draft", False),
                                "head": {"ref": data["head"]}, "base": {"ref": data["base"]}, "mergeable": True,
                                "merged": False, "html_url": f"https://github.com/octo/hello/pull/{number}",
                                "pull_request": {"url": f"/repos/octo/hello/pulls/{number}"}})
            return JSONResponse(state.pulls[-1], status_code=201)
        wanted = request.query_params.get("state", "open")
        return JSONResponse([p for p in state.pulls if wanted in ("all", p["state"])])

    async def pull(request: Request) -> JSONResponse:
        found = [p for p in state.pulls if p["number"] == int(request.path_params["number"])]
        return JSONResponse(found[0]) if found else error(404, "Not Found")

    async def merge(request: Request) -> JSONResponse:
        found = [p for p in state.pulls if p["number"] == int(request.path_params["number"])]
        if not found:
            return error(404, "Not Found")
        if found[0]["merged"]:
            return error(405, "Pull Request is not mergeable")
        found[0].update(merged=True, state="closed")
        return JSONResponse({"sha": state.commit(), "merged": True, "message": "Pull Request successfully merged"})

    async def pull_files(request: Request) -> JSONResponse:
        return JSONResponse([{"filename": "README.md", "status": "modified", "additions": 3, "deletions": 1},
                             {"filename": "src/app.py", "status": "added", "additions": 10, "deletions": 0}])

    async def contents(request: Request) -> Response:
        path = request.path_params["path"]
        if request.method == "PUT":
            data = await request.json()
            if path in state.files and data.get("sha") != sha(state.files[path]):
                return error(409, f"{path} does not match {data.get('sha')}")
            state.files[path] = base64.b64decode(data["content"]).decode()
            return JSONResponse({"content": {"name": path.rsplit("/", 1)[-1], "path": path,
                                             "sha": sha(state.files[path])}, "commit": {"sha": state.commit()}},
                                status_code=200 if data.get("sha") else 201)
        if path not in state.files:
            return error(404, "Not Found")
        if request.method == "DELETE":
            data = await request.json()
            if data.get("sha") != sha(state.files[path]):
                return error(409, f"{path} does not match {data.get('sha')}")
            del state.files[path]
            return JSONResponse({"content": None, "commit": {"sha": state.commit()}})
        text = state.files[path]
        if request.headers.get("accept") == "application/vnd.github.raw+json":
            return Response(text.encode(), media_type="application/vnd.github.raw+json")
        return JSONResponse({"type": "file", "encoding": "base64", "size": len(text.encode()),
                             "name": path.rsplit("/", 1)[-1], "path": path, "sha": sha(text),
                             "content": base64.encodebytes(text.encode()).decode()})

    async def commits(request: Request) -> JSONResponse:
        return JSONResponse([{k: v for k, v in c.items() if k != "stats"} for c in state.history])

    async def commit(request: Request) -> JSONResponse:
        found = [c for c in state.history if c["sha"] == request.path_params["sha"]]
        return JSONResponse(found[0]) if found else error(422, "No commit found for SHA")

    async def compare(request: Request) -> JSONResponse:
        base, head = request.path_params["spec"].split("...")
        return JSONResponse({"status": "ahead", "ahead_by": 1, "behind_by": 0, "total_commits": 1,
                             "base_commit": {"sha": base}, "commits": [state.history[0]], "head": head})

    async def refs(request: Request) -> JSONResponse:
        data = await request.json()
        name = data["ref"].removeprefix("refs/heads/")
        if any(b["name"] == name for b in state.branches):
            return error(422, "Reference already exists")
        state.branches.append({"name": name, "commit": {"sha": data["sha"]}, "protected": False})
        return JSONResponse({"ref": data["ref"], "object": {"sha": data["sha"], "type": "commit"}}, status_code=201)

    async def ref(request: Request) -> Response:
        name = request.path_params["branch"]
        if not any(b["name"] == name for b in state.branches):
            return error(422, "Reference does not exist")
        state.branches = [b for b in state.branches if b["name"] != name]
        return Response(status_code=204)

    async def releases(request: Request) -> JSONResponse:
        if request.method == "POST":
            data = await request.json()
            made = {"id": len(state.releases) + 1, "name": data.get("name"), "body": data.get("body"),
                    "html_url": f"https://github.com/octo/hello/releases/tag/{data['tag_name']}",
                    **{k: data[k] for k in ("tag_name", "draft", "prerelease")}}
            state.releases.append(made)
            return JSONResponse(made, status_code=201)
        return JSONResponse(state.releases[::-1])

    async def latest(request: Request) -> JSONResponse:
        full = [r for r in state.releases if not r["draft"] and not r["prerelease"]]
        return JSONResponse(full[-1]) if full else error(404, "Not Found")

    async def by_tag(request: Request) -> JSONResponse:
        found = [r for r in state.releases if r["tag_name"] == request.path_params["tag"]]
        return JSONResponse(found[0]) if found else error(404, "Not Found")

    def linked_page(request: Request, items: list[Any]) -> JSONResponse:
        """A page of a listing as GitHub pages one: per_page (capped at REVIEWS_PAGE_MOST here) and page, and a Link
        header with rel="next" and rel="last" while more follow."""
        size = min(int(request.query_params.get("per_page", 30)), REVIEWS_PAGE_MOST)
        number = int(request.query_params.get("page", 1))
        last = max(1, -(-len(items) // size))
        headers = {}
        if number < last:
            headers["Link"] = (f'<{request.url.include_query_params(page=number + 1, per_page=size)}>; rel="next", '
                               f'<{request.url.include_query_params(page=last, per_page=size)}>; rel="last"')
        return JSONResponse(items[(number - 1) * size:number * size], headers=headers)

    async def reviews(request: Request) -> JSONResponse:
        if request.method == "POST":
            data = await request.json()
            states = {"COMMENT": "COMMENTED", "APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}
            state.reviews.append({"id": 80 + len(state.reviews), "body": data.get("body", ""),
                                  "state": states[data["event"]], "user": {"login": "octocat"}})
            return JSONResponse(state.reviews[-1])
        return linked_page(request, state.reviews)

    async def search(request: Request) -> JSONResponse:
        kind = request.path_params["kind"]
        items = {"issues": state.issues, "repositories": [state.repo],
                 "code": [{"name": "README.md", "path": "README.md", "repository": state.repo}]}[kind]
        return JSONResponse({"total_count": len(items), "incomplete_results": False, "items": items})

    async def workflows(request: Request) -> JSONResponse:
        return JSONResponse({"total_count": len(state.workflows), "workflows": state.workflows})

    async def runs(request: Request) -> JSONResponse:
        workflow = request.path_params.get("workflow")
        if workflow not in (None, "ci.yml", "161335"):
            return error(404, "Not Found")
        branch, status = request.query_params.get("branch"), request.query_params.get("status")
        found = [r for r in reversed(state.runs) if branch in (None, r["head_branch"])
                 and status in (None, r["status"], r["conclusion"])]
        found = found[:int(request.query_params.get("per_page", 30))]
        return JSONResponse({"total_count": len(found), "workflow_runs": found})

    async def one_run(request: Request) -> JSONResponse:
        found = [r for r in state.runs if r["id"] == int(request.path_params["run"])]
        return JSONResponse(found[0]) if found else error(404, "Not Found")

    async def dispatch(request: Request) -> Response:
        state.dispatches.append({"workflow": request.path_params["workflow"], **(await request.json())})
        return Response(status_code=204)

    async def run_action(request: Request) -> Response:
        found = [r for r in state.runs if r["id"] == int(request.path_params["run"])]
        if not found:
            return error(404, "Not Found")
        action = request.path_params["action"]
        if action == "cancel" and found[0]["status"] == "completed":
            return error(409, "Cannot cancel a workflow run that is completed.")
        found[0].update(status="queued" if action.startswith("rerun") else "completed",
                        conclusion=None if action.startswith("rerun") else "cancelled", action=action)
        return JSONResponse({}, status_code=201 if action.startswith("rerun") else 202)

    async def git_files(request: Request) -> Response:
        expected = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return Response("denied", status_code=401, headers={"WWW-Authenticate": 'Basic realm="git"'})
        file = state.git_root / f"{request.path_params['name']}.git" / request.path_params["path"]
        if state.git_root is None or not file.is_file():
            return Response("not found", status_code=404)
        return Response(file.read_bytes(), media_type="application/octet-stream")

    repo_routes = [("", repo, ["GET"]), ("/branches", branches, ["GET"]), ("/branches/{branch}", branch, ["GET"]),
                   ("/issues", issues, ["GET", "POST"]), ("/issues/{number:int}", issue, ["GET", "PATCH"]),
                   ("/issues/{number:int}/comments", comments, ["GET", "POST"]), ("/pulls", pulls, ["GET", "POST"]),
                   ("/pulls/{number:int}", pull, ["GET"]), ("/pulls/{number:int}/merge", merge, ["PUT"]),
                   ("/pulls/{number:int}/files", pull_files, ["GET"]),
                   ("/contents/{path:path}", contents, ["GET", "PUT", "DELETE"]),
                   ("/commits", commits, ["GET"]), ("/commits/{sha}", commit, ["GET"]),
                   ("/compare/{spec}", compare, ["GET"]), ("/git/refs", refs, ["POST"]),
                   ("/git/refs/heads/{branch:path}", ref, ["DELETE"]), ("/releases", releases, ["GET", "POST"]),
                   ("/releases/latest", latest, ["GET"]), ("/releases/tags/{tag}", by_tag, ["GET"]),
                   ("/pulls/{number:int}/reviews", reviews, ["GET", "POST"]),
                   ("/actions/workflows", workflows, ["GET"]), ("/actions/runs", runs, ["GET"]),
                   ("/actions/workflows/{workflow}/runs", runs, ["GET"]),
                   ("/actions/workflows/{workflow}/dispatches", dispatch, ["POST"]),
                   ("/actions/runs/{run:int}", one_run, ["GET"]),
                   ("/actions/runs/{run:int}/{action}", run_action, ["POST"])]
    routes = [Route("/user", guarded(user)), Route("/users/{login}", guarded(user)),
              Route("/user/repos", guarded(repos)),
              Route("/search/{kind}", guarded(search)),
              Route("/octo/{name}.git/{path:path}", git_files), Route("/orgs/{org}/repos", guarded(repos)),
              *(Route("/repos/{owner}/{repo}" + path, guarded(handler), methods=methods)
                for path, handler, methods in repo_routes)]
    app = Starlette(routes=routes)
    app.state.github = state
    return app
