"""Databricks storage and metadata: DBFS files (API 2.0: list, status, reading a base64 range) and Unity Catalog's
catalogs, schemas and tables (API 2.1, every page followed). Objects are handed on as Databricks documents them;
a 4xx/5xx answer fires Error with Databricks' error code and message."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.databricks import COUNT, Databricks, DatabricksError, DatabricksNode, struct_out
from flowlike_catalog.web.service_pins import int_in, text_in

from flowlike_core import DataType, data_out

CATEGORY = "Data/Databricks"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
DBFS = "Data/Databricks/DBFS"
UNITY_CATALOG = "Data/Databricks/Unity Catalog"
READ_LIMIT = 1 << 20
"""The most bytes DBFS reads in one call."""


def dbfs_path(path: str) -> str:
    path = path.strip()
    if path.startswith("dbfs:"):
        path = path[len("dbfs:"):]
    if not path.startswith("/"):
        raise ValueError(f"a DBFS path is absolute (e.g. /FileStore/data.csv), got {path!r}")
    return path


class ListDbfs(DatabricksNode):
    name = "data_databricks_list_dbfs"
    friendly_name = "List DBFS Files"
    description = "The files and folders in a DBFS folder."
    category = DBFS
    inputs = (text_in("path", "/"),)
    outputs = (struct_out("files", array=True, description="path, is_dir, file_size, modification_time"), COUNT)

    async def call(self, databricks: Databricks, *, path: str) -> dict[str, Any]:
        files = (await databricks.call("GET", "/api/2.0/dbfs/list", params={"path": dbfs_path(path)})).get("files", [])
        return {"files": files, "count": len(files)}


class GetDbfsStatus(DatabricksNode):
    name = "data_databricks_get_dbfs_status"
    friendly_name = "Get DBFS Status"
    description = "Whether a DBFS path exists, and its size, kind and modification time when it does."
    category = DBFS
    inputs = (text_in("path"),)
    outputs = (struct_out("file_info"), data_out("exists", DataType.BOOLEAN))

    async def call(self, databricks: Databricks, *, path: str) -> dict[str, Any]:
        try:
            info = await databricks.call("GET", "/api/2.0/dbfs/get-status", params={"path": dbfs_path(path)})
        except DatabricksError as exc:
            if "RESOURCE_DOES_NOT_EXIST" not in str(exc):
                raise
            return {"file_info": {}, "exists": False}
        return {"file_info": info, "exists": True}


class ReadDbfs(DatabricksNode):
    name = "data_databricks_read_dbfs"
    friendly_name = "Read DBFS File"
    description = "Bytes of a DBFS file from an offset (at most 1 MB per call), base64-encoded as DBFS sends them."
    category = DBFS
    inputs = (text_in("path"), int_in("offset", 0), int_in("length", READ_LIMIT, "At most 1048576"))
    outputs = (data_out("content", DataType.STRING, description="The bytes, base64-encoded"),
               data_out("bytes_read", DataType.INTEGER))

    async def call(self, databricks: Databricks, *, path: str, offset: int, length: int) -> dict[str, Any]:
        read = await databricks.call("GET", "/api/2.0/dbfs/read", params={
            "path": dbfs_path(path), "offset": max(0, offset), "length": max(1, min(length, READ_LIMIT))})
        return {"content": read.get("data", ""), "bytes_read": read.get("bytes_read", 0)}


class ListCatalogs(DatabricksNode):
    name = "data_databricks_list_catalogs"
    friendly_name = "List Catalogs"
    description = "The Unity Catalog catalogs the user can see."
    category = UNITY_CATALOG
    outputs = (struct_out("catalogs", array=True), COUNT)

    async def call(self, databricks: Databricks) -> dict[str, Any]:
        catalogs = await databricks.listing("/api/2.1/unity-catalog/catalogs", "catalogs")
        return {"catalogs": catalogs, "count": len(catalogs)}


class ListSchemas(DatabricksNode):
    name = "data_databricks_list_schemas"
    friendly_name = "List Schemas"
    description = "The schemas in a catalog."
    category = UNITY_CATALOG
    inputs = (text_in("catalog_name"),)
    outputs = (struct_out("schemas", array=True), COUNT)

    async def call(self, databricks: Databricks, *, catalog_name: str) -> dict[str, Any]:
        if not catalog_name.strip():
            raise ValueError("catalog_name is required")
        schemas = await databricks.listing("/api/2.1/unity-catalog/schemas", "schemas", catalog_name=catalog_name)
        return {"schemas": schemas, "count": len(schemas)}


class ListTables(DatabricksNode):
    name = "data_databricks_list_tables"
    friendly_name = "List Tables"
    description = "The tables and views in a schema, with their type, format and storage location."
    category = UNITY_CATALOG
    inputs = (text_in("catalog_name"), text_in("schema_name"))
    outputs = (struct_out("tables", array=True), COUNT)

    async def call(self, databricks: Databricks, *, catalog_name: str, schema_name: str) -> dict[str, Any]:
        if not catalog_name.strip() or not schema_name.strip():
            raise ValueError("catalog_name and schema_name are required")
        tables = await databricks.listing("/api/2.1/unity-catalog/tables", "tables", catalog_name=catalog_name,
                               schema_name=schema_name)
        return {"tables": tables, "count": len(tables)}
