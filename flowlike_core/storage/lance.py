"""LanceDB databases inside a bucket: the URI and options LanceDB needs for an fsspec store.

LanceDB does its own I/O (Rust object_store), so it cannot use an fsspec filesystem object. A local
bucket maps to a directory, `s3://`/`gs://`/`az://` buckets to the same URL (S3 options translated from
the fsspec ones), and `memory://` to LanceDB's own in-memory store. That store lives inside one
connection, so connections to `memory://` URIs are kept for the life of the process: like fsspec's
memory filesystem, the data then lasts as long as the process.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import TYPE_CHECKING, Any

from flowlike_core.storage.bucket import Bucket
from flowlike_core.storage.paths import check_key

if TYPE_CHECKING:
    import lancedb

ALWAYS = dt.timedelta(0)
"""Read consistency: every read sees the latest commit, also one made by another process or table object."""
_memory: dict[str, lancedb.DBConnection] = {}
_lock = threading.Lock()


def lance_uri(bucket: Bucket, key: str) -> str:
    check_key(key)
    if bucket.local:
        return f"{bucket.root}/{key}"
    protocol = bucket.fs.protocol if isinstance(bucket.fs.protocol, str) else bucket.fs.protocol[0]
    return f"{protocol}://{bucket.root.lstrip('/')}/{key}"


def lance_options(uri: str, options: dict[str, Any]) -> dict[str, str]:
    """LanceDB storage options from fsspec (s3fs) ones; other stores read their usual environment. An endpoint
    given by the environment is passed on too, so that LanceDB may speak plain HTTP to it, as s3fs does."""
    if not uri.startswith(("s3://", "s3a://")):
        return {}
    client = options.get("client_kwargs") or {}
    endpoint = (options.get("endpoint_url") or client.get("endpoint_url") or os.environ.get("AWS_ENDPOINT_URL_S3")
                or os.environ.get("AWS_ENDPOINT_URL"))  # as botocore (s3fs) reads them
    pairs = {
        "aws_access_key_id": options.get("key"),
        "aws_secret_access_key": options.get("secret"),
        "aws_session_token": options.get("token"),
        "region": client.get("region_name") or options.get("region"),
        "endpoint": endpoint,
        "allow_http": "true" if endpoint and endpoint.startswith("http://") else None,
    }
    return {k: str(v) for k, v in pairs.items() if v}


def connect(uri: str, options: dict[str, Any] | None = None) -> lancedb.DBConnection:
    """A LanceDB connection (lancedb is imported here, so the core installs without it)."""
    try:
        import lancedb
    except ImportError as exc:
        raise ImportError("LanceDB is not installed: pip install 'flowlike-nb[vectors]'", name=exc.name) from exc
    storage_options = lance_options(uri, options or {})
    if not uri.startswith("memory://"):
        return lancedb.connect(uri, storage_options=storage_options or None, read_consistency_interval=ALWAYS)
    with _lock:
        if uri not in _memory:
            _memory[uri] = lancedb.connect(uri, read_consistency_interval=ALWAYS)
        return _memory[uri]
