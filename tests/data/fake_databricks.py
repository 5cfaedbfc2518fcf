"""A local stand-in for a Databricks workspace: OAuth client credentials and a user's refresh token (workspace and
account token endpoints), Jobs 2.1, Clusters and SQL Warehouses 2.0, the SQL Statement Execution API 2.0 (results in
chunks), DBFS 2.0 and Unity Catalog 2.1, at their documented paths, with the JSON shapes Databricks documents
(trimmed to the fields that matter) and its error JSON (`error_code`, `message`)."""

from __future__ import annotations

import base64
import json
from typing import Any

from fake_server import TokenEndpoint

PAT, CLIENT_ID, CLIENT_SECRET, SP_TOKEN = "dapi-test-token", "sp-client", "sp-secret", "sp-access-token"
USER_TOKEN = "u2m-access-token"

TRIPS = [["1", "12.5", "true", "airport"], ["2", "8.25", "false", None], ["3", "30.0", "true", "night"],
         ["4", "5.0", "true", "short"], ["5", None, "false", "cancelled"]]
FILE = b"id,name\n1,Ada\n2,Grace\n"


class State:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.oauth = TokenEndpoint(USER_TOKEN)  # a user's (U2M) refresh token, renewed at /oidc/v1/token
        self.jobs = [{"job_id": 100 + n, "creator_user_name": "ada@example.org", "created_time": 1767225600000 + n,
                      "settings": {"name": name, "max_concurrent_runs": 1}}
                     for n, name in enumerate(["Nightly ETL", "Report", "Cleanup"])]
        self.runs: dict[int, dict[str, Any]] = {}
        self.clusters = {"0302-ab": {"cluster_id": "0302-ab", "cluster_name": "shared", "state": "TERMINATED",
                                     "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge",
                                     "num_workers": 2}}
        self.warehouses = {"wh1": {"id": "wh1", "name": "Starter", "state": "STOPPED", "cluster_size": "2X-Small",
                                   "min_num_clusters": 1, "max_num_clusters": 1, "auto_stop_mins": 10,
                                   "warehouse_type": "PRO", "enable_serverless_compute": True}}


def error(status: int, code: str, message: str) -> Any:
    from starlette.responses import JSONResponse

    return JSONResponse({"error_code": code, "message": message}, status_code=status)


def databricks_app() -> Any:  # noqa: C901 - one route table for the fake, read top to bottom
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    state = State()

    def recorded(request: Request, body: bytes) -> None:
        kind = request.headers.get("content-type", "")
        state.requests.append({"method": request.method, "path": request.url.path,
                               "query": dict(request.query_params), "headers": dict(request.headers),
                               "json": json.loads(body) if body and kind.startswith("application/json") else None,
                               "body": body.decode()})

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            recorded(request, body)
            if request.headers.get("authorization") not in (f"Bearer {PAT}", f"Bearer {SP_TOKEN}",
                                                              f"Bearer {USER_TOKEN}"):
                return error(401, "UNAUTHENTICATED", "Invalid access token.")
            return await handler(request, json.loads(body) if body else {})

        return endpoint

    async def token(request: Request) -> Response:
        body = await request.body()
        recorded(request, body)
        basic = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = dict(pair.split("=") for pair in body.decode().split("&"))
        if form.get("grant_type") == "refresh_token":
            return await state.oauth(request)
        if request.headers.get("authorization") != basic:
            return JSONResponse({"error": "invalid_client", "error_description": "Client authentication failed"},
                                status_code=401)
        if form != {"grant_type": "client_credentials", "scope": "all-apis"}:
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        return JSONResponse({"access_token": SP_TOKEN, "token_type": "Bearer", "expires_in": 3600,
                             "scope": "all-apis"})

    # ---- jobs ---------------------------------------------------------------------------------------------

    async def jobs_list(request: Request, body: Any) -> Response:
        params = request.query_params
        found = [j for j in state.jobs if params.get("name", j["settings"]["name"]).lower() ==
                 j["settings"]["name"].lower()]
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 20))
        if limit > 100:
            return error(400, "INVALID_PARAMETER_VALUE", "limit must be at most 100")
        page = found[offset:offset + limit]
        answer: dict[str, Any] = {"has_more": offset + limit < len(found)}
        if page:
            answer["jobs"] = page  # Databricks leaves the key out of an empty page
        return JSONResponse(answer)

    async def run_now(request: Request, body: Any) -> Response:
        if body["job_id"] not in {j["job_id"] for j in state.jobs}:
            return error(400, "INVALID_PARAMETER_VALUE", f"Job {body['job_id']} does not exist.")
        run_id = 900 + len(state.runs)
        state.runs[run_id] = {"run_id": run_id, "job_id": body["job_id"], "run_name": "run", "run_type": "JOB_RUN",
                              "start_time": 1767225600000, "job_parameters": body.get("job_parameters"),
                              "state": {"life_cycle_state": "RUNNING", "state_message": ""},
                              "status": {"state": "RUNNING"}}
        return JSONResponse({"run_id": run_id, "number_in_job": run_id})

    async def runs_get(request: Request, body: Any) -> Response:
        run = state.runs.get(int(request.query_params["run_id"]))
        if run is None:
            return error(400, "INVALID_PARAMETER_VALUE", f"Run {request.query_params['run_id']} does not exist.")
        return JSONResponse(run)

    async def runs_cancel(request: Request, body: Any) -> Response:
        run = state.runs.get(body["run_id"])
        if run is None:
            return error(400, "INVALID_PARAMETER_VALUE", f"Run {body['run_id']} does not exist.")
        run["state"] = {"life_cycle_state": "TERMINATED", "result_state": "CANCELED"}
        run["status"] = {"state": "TERMINATED", "termination_details": {"code": "CANCELED"}}
        return JSONResponse({})

    # ---- clusters and warehouses --------------------------------------------------------------------------

    async def clusters_list(request: Request, body: Any) -> Response:
        return paged(request, "clusters", list(state.clusters.values()))

    def cluster_or_error(ident: str) -> dict[str, Any] | Response:
        found = state.clusters.get(ident)
        return found if found is not None else error(400, "INVALID_PARAMETER_VALUE",
                                                     f"Cluster {ident} does not exist")

    async def cluster_get(request: Request, body: Any) -> Response:
        found = cluster_or_error(request.query_params.get("cluster_id", ""))
        return found if isinstance(found, Response) else JSONResponse(found)

    async def cluster_change(request: Request, body: Any) -> Response:
        found = cluster_or_error(body.get("cluster_id", ""))
        if isinstance(found, Response):
            return found
        found["state"] = "PENDING" if request.url.path.endswith("/start") else "TERMINATING"
        return JSONResponse({})

    async def warehouses(request: Request, body: Any) -> Response:
        return JSONResponse({"warehouses": list(state.warehouses.values())})

    async def warehouse_change(request: Request, body: Any) -> Response:
        found = state.warehouses.get(request.path_params["ident"])
        if found is None:
            return error(404, "RESOURCE_DOES_NOT_EXIST", f"Warehouse {request.path_params['ident']} does not exist.")
        found["state"] = "STARTING" if request.path_params["action"] == "start" else "STOPPING"
        return JSONResponse({})

    # ---- SQL statements ---------------------------------------------------------------------------------------

    async def statements(request: Request, body: Any) -> Response:
        if body["warehouse_id"] not in state.warehouses:
            return error(404, "RESOURCE_DOES_NOT_EXIST", f"Warehouse {body['warehouse_id']} does not exist.")
        sql = body["statement"]
        if sql == "SELECT sleep":
            return JSONResponse({"statement_id": "st-late", "status": {"state": "CANCELED"}})
        if not sql.upper().startswith("SELECT * FROM TRIPS"):
            return JSONResponse({"statement_id": "st-bad", "status": {"state": "FAILED", "error": {
                "error_code": "BAD_REQUEST", "message": "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'."}}})
        rows = TRIPS[:body.get("row_limit", len(TRIPS))]
        columns = [{"name": "id", "type_name": "INT", "type_text": "INT", "position": 0},
                   {"name": "fare", "type_name": "DOUBLE", "type_text": "DOUBLE", "position": 1},
                   {"name": "paid", "type_name": "BOOLEAN", "type_text": "BOOLEAN", "position": 2},
                   {"name": "note", "type_name": "STRING", "type_text": "STRING", "position": 3}]
        first: dict[str, Any] = {"chunk_index": 0, "row_offset": 0, "row_count": min(3, len(rows)),
                                 "data_array": rows[:3]}
        if len(rows) > 3:
            first |= {"next_chunk_index": 1, "next_chunk_internal_link": "/api/2.0/sql/statements/st-1/result/chunks/1"}
        return JSONResponse({"statement_id": "st-1", "status": {"state": "SUCCEEDED"},
                             "manifest": {"format": "JSON_ARRAY", "schema": {"column_count": 4, "columns": columns},
                                          "total_row_count": len(rows), "total_chunk_count": 2 if len(rows) > 3
                                          else 1, "truncated": len(rows) < len(TRIPS)},
                             "result": first})

    async def chunk(request: Request, body: Any) -> Response:
        return JSONResponse({"chunk_index": 1, "row_offset": 3, "row_count": 2, "data_array": TRIPS[3:]})

    # ---- DBFS and Unity Catalog ---------------------------------------------------------------------------------

    TREE = {"/FileStore": {"path": "/FileStore", "is_dir": True, "file_size": 0, "modification_time": 1767225600000},
            "/FileStore/people.csv": {"path": "/FileStore/people.csv", "is_dir": False, "file_size": len(FILE),
                                      "modification_time": 1767225600000}}

    def missing(path: str) -> Response:
        return error(404, "RESOURCE_DOES_NOT_EXIST", f"No file or directory exists on path {path}.")

    async def dbfs_list(request: Request, body: Any) -> Response:
        path = request.query_params["path"].rstrip("/") or "/"
        if path != "/" and path not in TREE:
            return missing(path)
        inside = [info for name, info in TREE.items() if name.rsplit("/", 1)[0] == ("" if path == "/" else path)]
        return JSONResponse({"files": inside} if inside else {})

    async def dbfs_status(request: Request, body: Any) -> Response:
        path = request.query_params["path"]
        return JSONResponse(TREE[path]) if path in TREE else missing(path)

    async def dbfs_read(request: Request, body: Any) -> Response:
        path = request.query_params["path"]
        if path not in TREE:
            return missing(path)
        if TREE[path]["is_dir"]:
            return error(400, "INVALID_PARAMETER_VALUE", f"Cannot read a directory: {path}")
        offset, length = int(request.query_params.get("offset", 0)), int(request.query_params["length"])
        if length > 1 << 20:
            return error(400, "MAX_READ_SIZE_EXCEEDED", "Cannot read more than 1MB")
        data = FILE[offset:offset + length]
        return JSONResponse({"bytes_read": len(data), "data": base64.b64encode(data).decode()})

    def paged(request: Request, key: str, items: list[dict[str, Any]], size: int = 2) -> Response:
        start = int(request.query_params.get("page_token") or 0)
        answer: dict[str, Any] = {key: items[start:start + size]}
        if start + size < len(items):
            answer["next_page_token"] = str(start + size)
        return JSONResponse(answer)

    async def catalogs(request: Request, body: Any) -> Response:
        kinds = [("main", "MANAGED_CATALOG"), ("samples", "SYSTEM_CATALOG"), ("system", "SYSTEM_CATALOG")]
        return paged(request, "catalogs", [{"name": name, "owner": "ada@example.org", "catalog_type": kind}
                                           for name, kind in kinds])

    async def schemas(request: Request, body: Any) -> Response:
        catalog = request.query_params.get("catalog_name", "")
        if catalog != "main":
            return error(404, "CATALOG_DOES_NOT_EXIST", f"Catalog '{catalog}' does not exist.")
        return paged(request, "schemas", [{"name": name, "catalog_name": "main", "full_name": f"main.{name}"}
                                          for name in ("default", "sales", "information_schema")])

    async def tables(request: Request, body: Any) -> Response:
        params = request.query_params
        if (params.get("catalog_name"), params.get("schema_name")) != ("main", "sales"):
            return error(404, "SCHEMA_DOES_NOT_EXIST", "Schema does not exist.")
        return paged(request, "tables", [{"name": "orders", "catalog_name": "main", "schema_name": "sales",
                                          "table_type": "MANAGED", "data_source_format": "DELTA"}])

    routes = [("/api/2.1/jobs/list", jobs_list, ["GET"]), ("/api/2.1/jobs/run-now", run_now, ["POST"]),
              ("/api/2.1/jobs/runs/get", runs_get, ["GET"]), ("/api/2.1/jobs/runs/cancel", runs_cancel, ["POST"]),
              ("/api/2.0/clusters/list", clusters_list, ["GET"]), ("/api/2.0/clusters/get", cluster_get, ["GET"]),
              ("/api/2.0/clusters/start", cluster_change, ["POST"]),
              ("/api/2.0/clusters/delete", cluster_change, ["POST"]),
              ("/api/2.0/sql/warehouses", warehouses, ["GET"]),
              ("/api/2.0/sql/warehouses/{ident}/{action}", warehouse_change, ["POST"]),
              ("/api/2.0/sql/statements", statements, ["POST"]),
              ("/api/2.0/sql/statements/{ident}/result/chunks/{index}", chunk, ["GET"]),
              ("/api/2.0/dbfs/list", dbfs_list, ["GET"]), ("/api/2.0/dbfs/get-status", dbfs_status, ["GET"]),
              ("/api/2.0/dbfs/read", dbfs_read, ["GET"]),
              ("/api/2.1/unity-catalog/catalogs", catalogs, ["GET"]),
              ("/api/2.1/unity-catalog/schemas", schemas, ["GET"]), ("/api/2.1/unity-catalog/tables", tables, ["GET"])]
    app = Starlette(routes=[Route(path, guarded(handler), methods=methods) for path, handler, methods in routes]
                    + [Route("/oidc/v1/token", token, methods=["POST"]),
                       Route("/oidc/accounts/{account}/v1/token", token, methods=["POST"])])
    app.state.databricks = state
    return app
