"""Databricks workspaces through the web pack's HTTP layer: the provider struct (workspace URL and a bearer token: a
personal access token, a user's OAuth access token, renewed at the workspace's /oidc/v1/token when refused if its
refresh token and client id are given, any token, or one a service principal gets by OAuth client credentials), and
the nodes for jobs and their runs (Jobs API 2.1), clusters and SQL warehouses (2.0), and SQL statements (the
Statement Execution API 2.0: the answer's chunks are followed and its values typed from the result schema).

Objects are handed on as Databricks documents them (snake_case already, Flow-Like's shape); lists that page
(clusters, Unity Catalog) are read to their last page (next_page_token). Every node has
Flow-Like's Error output: a 4xx/5xx answer fires it with Databricks' error code and message.
"""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any
from urllib.parse import quote

from flowlike_catalog.web.errors import ServiceNode, routed
from flowlike_catalog.web.http import (
    HttpBody,
    HttpRequest,
    TokenRefresh,
    api_request,
    as_provider,
    bearer,
    error_object,
    fetch,
    token_refresh,
)
from flowlike_catalog.web.paging import collect
from flowlike_catalog.web.service_pins import int_in, text_in
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import (
    Context,
    DataType,
    NodeType,
    Pin,
    PinOptions,
    PinSpec,
    ValueType,
    data_in,
    data_out,
    exec_in,
    exec_out,
    node,
)

CATEGORY = "Data/Databricks"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
ACCOUNTS_URL = "https://accounts.cloud.databricks.com"
RUNNING = frozenset({"QUEUED", "PENDING", "RUNNING", "TERMINATING", "BLOCKED", "WAITING_FOR_RETRY"})


class DatabricksProvider(BaseModel):
    """Which workspace, with which bearer token; the token never shows in dumps or logs."""

    model_config = ConfigDict(frozen=True)
    workspace_url: str
    token: SecretStr
    refresh: TokenRefresh | None = None


PROVIDER_SCHEMA = DatabricksProvider.model_json_schema()
ProviderOut = Annotated[DatabricksProvider, Pin(name="provider")]


def workspace(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"workspace_url must start with https:// (e.g. https://adb-123.4.azuredatabricks.net), "
                         f"got {url!r}")
    return url.rstrip("/")


@node(friendly_name="Databricks (PAT)")
def data_databricks_provider_pat(
    token: Annotated[str, Pin(sensitive=True, required=True, description="A personal access token (dapi...); feed "
                              "it from a secret variable")] = "",
    workspace_url: Annotated[str, Pin(description="e.g. https://adb-123.4.azuredatabricks.net")] = "",
) -> ProviderOut:
    """Databricks access with a personal access token (User Settings → Developer → Access tokens)."""
    if not token:
        raise ValueError("Databricks token is empty (is the secret variable set?)")
    return DatabricksProvider(workspace_url=workspace(workspace_url), token=SecretStr(token))


@node(friendly_name="Databricks (Token)")
def data_databricks_provider_token(
    token: Annotated[str, Pin(sensitive=True, required=True, description="A bearer token the workspace accepts "
                              "(an OAuth or Microsoft Entra ID access token)")] = "",
    workspace_url: str = "",
) -> ProviderOut:
    """Databricks access with a token obtained elsewhere (OAuth, Microsoft Entra ID); it is sent as it is."""
    return data_databricks_provider_pat.func(token, workspace_url)


@node(friendly_name="Databricks (OAuth)")
def data_databricks_provider_oauth(
    workspace_url: str = "",
    access_token: Annotated[str, Pin(sensitive=True, required=True, description="A user's OAuth (U2M) access token "
                                     "your app obtained from the workspace's /oidc endpoints")] = "",
    refresh_token: Annotated[str, Pin(sensitive=True, description="Optional: the refresh token that came with the "
                                      "access token; with client_id, a refused access token is renewed")] = "",
    client_id: Annotated[str, Pin(description="The OAuth app the tokens were issued to (for renewing)")] = "",
    client_secret: Annotated[str, Pin(sensitive=True, description="The app's secret; empty for a public app "
                                      "(for renewing)")] = "",
    token_url: Annotated[str, Pin(description="Where tokens are renewed; empty: the workspace's "
                                  "/oidc/v1/token")] = "",
) -> ProviderOut:
    """Databricks access as a user who signed in with OAuth (user-to-machine): the access token acts for them. With
    the refresh token and the app's client id, an expired access token is renewed when the workspace refuses it."""
    provider = data_databricks_provider_pat.func(access_token, workspace_url)
    refresh = token_refresh(refresh_token, client_id, client_secret,
                            token_url or f"{provider.workspace_url}/oidc/v1/token")
    return provider.model_copy(update={"refresh": refresh})


class DatabricksError(RuntimeError):
    pass


def service_message(body: bytes) -> str:
    """Databricks' `error_code: message` (or an OAuth server's error and description)."""
    data = error_object(body)
    if isinstance(data, str):
        return data
    code = data.get("error_code") or data.get("error") or ""
    message = data.get("message") or data.get("error_description") or ""
    return ": ".join(part for part in (code, message) if part) or json.dumps(data)[:300]


class Databricks:
    """Calls for one node execution: the workspace URL and bearer token on every request."""

    def __init__(self, ctx: Context, provider: Any) -> None:
        self.ctx = ctx
        self.provider = as_provider(provider, DatabricksProvider, "a Databricks provider (from Databricks (PAT))")

    async def call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                   body: dict[str, Any] | None = None) -> Any:
        """One request to `/api/...`; the JSON answer."""
        request = api_request(method, self.provider.workspace_url + path, bearer(self.provider.token), params=params,
                              body=body)
        response = await fetch(self.ctx, request, refresh=self.provider.refresh)
        if response.status_code >= 400:
            raise DatabricksError(f"Databricks answered {response.status_code} to {method} {path}: "
                                  f"{service_message(response.body)}")
        return json.loads(response.body) if response.body.strip() else {}

    async def listing(self, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
        """Every `key` item of a listing, following next_page_token page by page (the web pack's paging)."""
        async def page(token: str | None, wanted: int) -> tuple[list[dict[str, Any]], str | None]:
            found = await self.call("GET", path, params=params | {"page_token": token})
            return found.get(key) or [], found.get("next_page_token")

        return (await collect(self.ctx, page, what=f"Databricks' {path}"))[0]


def struct_out(name: str, array: bool = False, description: str = "") -> PinSpec:
    return data_out(name, DataType.STRUCT, ValueType.ARRAY if array else ValueType.NORMAL,
                    description=description or "Databricks' JSON object, as documented for this call")


COUNT = data_out("count", DataType.INTEGER)
ERROR_PINS = (exec_out("error", "Error", "Databricks answered with an error, or could not be reached"),
              data_out("error_message", DataType.STRING, description="What went wrong; empty on success"))


class DatabricksNode(ServiceNode):
    """A Databricks call: provider and the node's inputs in; Success with the outputs `call` returns, or Error."""

    client = Databricks
    errors = (DatabricksError,)
    cleared = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.pins = (exec_in(), data_in("provider", DataType.STRUCT, schema=PROVIDER_SCHEMA, required=True,
                                       description="From Databricks (PAT)"), *cls.inputs,
                    exec_out("exec_out", "Success"), *ERROR_PINS, *cls.outputs)
        super().__init_subclass__(**kwargs)



class ServicePrincipal(NodeType):
    name = "data_databricks_provider_service_principal"
    friendly_name = "Databricks (Service Principal)"
    description = ("Databricks access as a service principal: exchanges its OAuth client id and secret for an access "
                   "token (machine-to-machine, valid for an hour). With account_id the token comes from the account "
                   "console.")
    pins = (exec_in(), text_in("client_id"),
            data_in("client_secret", DataType.STRING, default="", required=True, options=PinOptions(sensitive=True),
                    description="The OAuth secret; feed it from a secret variable"),
            text_in("workspace_url"), text_in("account_id", ""),
            text_in("accounts_url", ACCOUNTS_URL, "The account console (for account_id)"),
            exec_out("exec_out", "Success"), *ERROR_PINS,
            data_out("provider", DataType.STRUCT, schema=PROVIDER_SCHEMA))

    async def run(self, ctx: Context, *, client_id: str, client_secret: str, workspace_url: str, account_id: str,
                  accounts_url: str) -> None:
        if not client_id or not client_secret:
            raise ValueError("a service principal needs its client_id and client_secret")
        site = workspace(workspace_url)
        token_url = (f"{workspace(accounts_url)}/oidc/accounts/{account_id}/v1/token" if account_id
                     else f"{site}/oidc/v1/token")
        basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        request = HttpRequest(url=token_url, method="POST", headers={"Accept": "application/json"},
                              secret_headers={"Authorization": SecretStr(f"Basic {basic}")},
                              body=HttpBody(kind="form", value={"grant_type": "client_credentials",
                                                                "scope": "all-apis"}))
        try:
            response = await fetch(ctx, request)
            if response.status_code >= 400:
                raise DatabricksError(f"the token endpoint answered {response.status_code}: "
                                      f"{service_message(response.body)}")
        except (DatabricksError, OSError) as exc:
            routed(ctx, "error", exc, "error_message")
            return
        token = json.loads(response.body)["access_token"]
        ctx.set_output("provider", DatabricksProvider(workspace_url=site, token=SecretStr(token)))
        ctx.set_output("error_message", "")
        ctx.activate("exec_out")


# ---- jobs ---------------------------------------------------------------------------------------------------


class ListJobs(DatabricksNode):
    name = "data_databricks_list_jobs"
    friendly_name = "List Jobs"
    description = "The workspace's jobs, a page at a time, optionally those with one name."
    inputs = (int_in("limit", 25, "At most 100"), int_in("offset", 0), text_in("name", "", "Exact, any case"))
    outputs = (struct_out("jobs", array=True, description="job_id, name, settings, creator_user_name, created_time"),
               COUNT, data_out("has_more", DataType.BOOLEAN))

    async def call(self, databricks: Databricks, *, limit: int, offset: int, name: str) -> dict[str, Any]:
        found = await databricks.call("GET", "/api/2.1/jobs/list", params={
            "limit": max(1, min(limit, 100)), "offset": max(0, offset), "name": name})
        jobs = [job | {"name": (job.get("settings") or {}).get("name", "")} for job in found.get("jobs", [])]
        return {"jobs": jobs, "count": len(jobs), "has_more": bool(found.get("has_more"))}


class RunJob(DatabricksNode):
    name = "data_databricks_run_job"
    friendly_name = "Run Job"
    description = "Starts a run of a job now, with job parameters if given."
    inputs = (int_in("job_id"), data_in("job_parameters", DataType.STRUCT, default={},
                                        description="Parameter name → value, e.g. {\"date\": \"2026-03-02\"}"))
    outputs = (data_out("run_id", DataType.INTEGER),)

    async def call(self, databricks: Databricks, *, job_id: int, job_parameters: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {"job_id": job_id}
        if job_parameters:
            body["job_parameters"] = {key: value if isinstance(value, str) else json.dumps(value)
                                      for key, value in job_parameters.items()}  # Databricks takes text values
        started = await databricks.call("POST", "/api/2.1/jobs/run-now", body=body)
        return {"run_id": started["run_id"]}


class GetJobRun(DatabricksNode):
    name = "data_databricks_get_job_run"
    friendly_name = "Get Job Run"
    description = "A run's state: whether it is still going, and whether it succeeded."
    inputs = (int_in("run_id"),)
    outputs = (struct_out("run"), data_out("is_running", DataType.BOOLEAN),
               data_out("is_successful", DataType.BOOLEAN))

    async def call(self, databricks: Databricks, *, run_id: int) -> dict[str, Any]:
        run = await databricks.call("GET", "/api/2.1/jobs/runs/get", params={"run_id": run_id})
        state, status = run.get("state") or {}, run.get("status") or {}
        phase = status.get("state") or state.get("life_cycle_state", "")
        succeeded = (state.get("result_state") == "SUCCESS"
                     or (status.get("termination_details") or {}).get("code") == "SUCCESS")
        return {"run": run, "is_running": phase in RUNNING, "is_successful": succeeded}


class CancelJobRun(DatabricksNode):
    name = "data_databricks_cancel_job_run"
    friendly_name = "Cancel Job Run"
    description = "Asks a run to stop (it ends in a while, as CANCELED)."
    inputs = (int_in("run_id"),)

    async def call(self, databricks: Databricks, *, run_id: int) -> dict[str, Any]:
        await databricks.call("POST", "/api/2.1/jobs/runs/cancel", body={"run_id": run_id})
        return {}


# ---- clusters and SQL warehouses ----------------------------------------------------------------------------


class ListClusters(DatabricksNode):
    name = "data_databricks_list_clusters"
    friendly_name = "List Clusters"
    description = "The workspace's clusters, with their state."
    outputs = (struct_out("clusters", array=True), COUNT)

    async def call(self, databricks: Databricks) -> dict[str, Any]:
        clusters = await databricks.listing("/api/2.0/clusters/list", "clusters")
        return {"clusters": clusters, "count": len(clusters)}


class GetCluster(DatabricksNode):
    name = "data_databricks_get_cluster"
    friendly_name = "Get Cluster"
    description = "One cluster: its state, size and Spark version."
    inputs = (text_in("cluster_id"),)
    outputs = (struct_out("cluster"),)

    async def call(self, databricks: Databricks, *, cluster_id: str) -> dict[str, Any]:
        return {"cluster": await databricks.call("GET", "/api/2.0/clusters/get", params={"cluster_id": cluster_id})}


class StartCluster(DatabricksNode):
    name = "data_databricks_start_cluster"
    friendly_name = "Start Cluster"
    description = "Starts a terminated cluster (it is RUNNING a few minutes later)."
    inputs = (text_in("cluster_id"),)

    async def call(self, databricks: Databricks, *, cluster_id: str) -> dict[str, Any]:
        await databricks.call("POST", "/api/2.0/clusters/start", body={"cluster_id": cluster_id})
        return {}


class StopCluster(DatabricksNode):
    name = "data_databricks_stop_cluster"
    friendly_name = "Stop Cluster"
    description = "Terminates a cluster; its configuration stays, so Start Cluster brings it back."
    inputs = (text_in("cluster_id"),)

    async def call(self, databricks: Databricks, *, cluster_id: str) -> dict[str, Any]:
        await databricks.call("POST", "/api/2.0/clusters/delete", body={"cluster_id": cluster_id})
        return {}


class ListSqlWarehouses(DatabricksNode):
    name = "data_databricks_list_sql_warehouses"
    friendly_name = "List SQL Warehouses"
    description = "The workspace's SQL warehouses, with their state and size."
    outputs = (struct_out("warehouses", array=True), COUNT)

    async def call(self, databricks: Databricks) -> dict[str, Any]:
        warehouses = (await databricks.call("GET", "/api/2.0/sql/warehouses")).get("warehouses", [])
        return {"warehouses": warehouses, "count": len(warehouses)}


class StartSqlWarehouse(DatabricksNode):
    name = "data_databricks_start_sql_warehouse"
    friendly_name = "Start SQL Warehouse"
    description = "Starts a stopped SQL warehouse."
    inputs = (text_in("warehouse_id"),)

    async def call(self, databricks: Databricks, *, warehouse_id: str) -> dict[str, Any]:
        await databricks.call("POST", f"/api/2.0/sql/warehouses/{warehouse_path(warehouse_id)}/start", body={})
        return {}


class StopSqlWarehouse(DatabricksNode):
    name = "data_databricks_stop_sql_warehouse"
    friendly_name = "Stop SQL Warehouse"
    description = "Stops a running SQL warehouse."
    inputs = (text_in("warehouse_id"),)

    async def call(self, databricks: Databricks, *, warehouse_id: str) -> dict[str, Any]:
        await databricks.call("POST", f"/api/2.0/sql/warehouses/{warehouse_path(warehouse_id)}/stop", body={})
        return {}


def warehouse_path(warehouse_id: str) -> str:
    if not warehouse_id.strip():
        raise ValueError("warehouse_id is required")
    return quote(warehouse_id.strip(), safe="")


# ---- SQL statements -----------------------------------------------------------------------------------------

INTEGRAL = frozenset({"BYTE", "SHORT", "INT", "LONG"})


def typed(value: str | None, type_name: str) -> Any:
    """A JSON_ARRAY value (text or null) as its column's type: integers, floats and booleans; decimals, dates and
    the rest stay text (exact)."""
    if value is None:
        return None
    if type_name in INTEGRAL:
        return int(value)
    if type_name in ("FLOAT", "DOUBLE"):
        return float(value)
    if type_name == "BOOLEAN":
        return value == "true"
    return value


class ExecuteSql(DatabricksNode):
    name = "data_databricks_execute_sql"
    friendly_name = "Execute SQL"
    description = ("Runs a SQL statement on a SQL warehouse and waits for its result (up to wait_timeout, then it is "
                   "canceled); rows come back as objects, values typed by the result's columns.")
    inputs = (text_in("warehouse_id"), text_in("statement"), text_in("catalog", ""), text_in("schema", ""),
              int_in("row_limit", 10000), text_in("wait_timeout", "50s", "5s to 50s"))
    outputs = (struct_out("result", description="statement_id, status, columns, data (row arrays), row_count, "
                          "truncated"),
               data_out("rows", DataType.STRUCT, ValueType.ARRAY, description="Column name → value per row"),
               data_out("row_count", DataType.INTEGER))

    async def call(self, databricks: Databricks, *, warehouse_id: str, statement: str, catalog: str, schema: str,
                   row_limit: int, wait_timeout: str) -> dict[str, Any]:
        if not warehouse_id.strip() or not statement.strip():
            raise ValueError("Execute SQL needs a warehouse_id and a statement")
        body = {"warehouse_id": warehouse_id, "statement": statement, "wait_timeout": wait_timeout,
                "on_wait_timeout": "CANCEL", "row_limit": row_limit, "format": "JSON_ARRAY", "disposition": "INLINE"}
        body |= {k: v for k, v in (("catalog", catalog), ("schema", schema)) if v}
        answer = await databricks.call("POST", "/api/2.0/sql/statements", body=body)
        status = answer.get("status") or {}
        state = status.get("state", "")
        if state != "SUCCEEDED":
            error = status.get("error") or {}
            detail = ": ".join(p for p in (error.get("error_code"), error.get("message")) if p)
            raise DatabricksError(f"statement {answer.get('statement_id', '')} ended {state}"
                                  + (f": {detail}" if detail else " (not finished within wait_timeout?)"))
        columns = [{"name": c["name"], "type_name": c.get("type_name", ""), "type_text": c.get("type_text", ""),
                    "position": c.get("position", n)}
                   for n, c in enumerate((answer.get("manifest") or {}).get("schema", {}).get("columns", []))]
        data, chunk = [], answer.get("result") or {}
        while True:
            data += [[typed(v, c["type_name"]) for v, c in zip(row, columns, strict=False)]
                     for row in chunk.get("data_array", [])]
            link = chunk.get("next_chunk_internal_link")
            if not link:
                break
            chunk = await databricks.call("GET", link)
        rows = [dict(zip((c["name"] for c in columns), row, strict=False)) for row in data]
        result = {"statement_id": answer.get("statement_id", ""), "status": state, "columns": columns, "data": data,
                  "row_count": len(data), "truncated": bool((answer.get("manifest") or {}).get("truncated"))}
        return {"result": result, "rows": rows, "row_count": len(data)}
