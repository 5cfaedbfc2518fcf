"""Storage: boards, versions, blobs, run history and vectors over fsspec (local, memory, S3, GCS, Azure).

    from flowlike_core import Board, storage
    store = storage.configure("memory://nb")          # or a directory, or s3://bucket/prefix
    app = store.app("demo")
    app.save(Board(name="hello"))                      # atomic, refuses to overwrite a newer save
    app.create_version("hello", "minor")
    app.diff("hello", "0.1.0")                         # working copy against a version
    store.runs.query(status="Failed")                  # every run since configure(): the run history
"""

from flowlike_core.errors import SaveConflict, StorageError, UnsafePathError
from flowlike_core.storage.apps import App, Version, bump, parse_version
from flowlike_core.storage.blobs import BlobRef, BlobStore
from flowlike_core.storage.bucket import Bucket, revision_of
from flowlike_core.storage.config import StorageConfig
from flowlike_core.storage.diff import BoardChange, diff_boards
from flowlike_core.storage.history import RunHistory, redacted_record
from flowlike_core.storage.paths import check_key, check_name
from flowlike_core.storage.store import Storage, configure, current, stop_recording

__all__ = [
    "App", "BlobRef", "BlobStore", "BoardChange", "Bucket", "RunHistory", "SaveConflict", "Storage",
    "StorageConfig", "StorageError", "UnsafePathError", "Version", "bump", "check_key", "check_name",
    "configure", "current", "diff_boards", "parse_version", "redacted_record", "revision_of", "stop_recording",
]
