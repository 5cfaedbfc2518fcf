"""Path parts, directories of the configured store, and local paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_boards import output
from flowlike_catalog.data.handles import FlowPath
from flowlike_catalog.data.paths import (
    child,
    extension,
    filename,
    from_raw_path,
    path_replace_segment,
    path_virtual_dir,
    raw_path,
    set_filename,
)

S3 = FlowPath(path="s3://bucket/data/2024/report.tar.gz", store="s3-x")


def test_parts_of_urls_and_local_paths() -> None:
    assert filename.func(S3) == "report.tar.gz"
    assert filename.func("/tmp/a/b.csv", remove_extension=True) == "b"
    assert extension.func(S3) == "gz"
    assert extension.func("/tmp/noext") == ""
    assert child.func(FlowPath(path="s3://bucket/data/"), "x.csv") == FlowPath(path="s3://bucket/data/x.csv")
    assert set_filename.func(S3, "other.txt") == FlowPath(path="s3://bucket/data/2024/other.txt", store="s3-x")
    assert raw_path.func(S3) == "s3://bucket/data/2024/report.tar.gz"
    assert from_raw_path.func(S3, "s3://bucket/other") == FlowPath(path="s3://bucket/other", store="s3-x")
    assert from_raw_path.func({"path": "/base"}, "sub/f.txt") == FlowPath(path="/base/sub/f.txt")
    assert path_replace_segment.func({"path": "/a/x/b/x"}, "x", "y", False).path == "/a/y/b/x"
    assert path_replace_segment.func(S3, "2024", "2025").path == "s3://bucket/data/2025/report.tar.gz"
    assert path_virtual_dir.func("/scratch") == FlowPath(path="memory://scratch")
    with pytest.raises(ValueError, match="would leave the folder"):
        child.func(S3, "../up")
    with pytest.raises(TypeError, match="must be a path struct"):
        filename.func(42)


def test_exec_path_nodes_on_a_board(tmp_path: Path) -> None:
    assert output("parent", "parent_path", path={"path": "s3://b/k/f.csv"}) == FlowPath(path="s3://b/k")
    assert output("set_extension", "path_out", path={"path": "/d/f.csv"}, extension="parquet").path == "/d/f.parquet"
    assert output("pathbuf_to_path", "path", pathbuf=str(tmp_path / "x" / ".." / "y")).path == str(tmp_path / "y")


def test_directories_live_in_the_configured_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flowlike_core import storage

    storage.configure(str(tmp_path / "store"), record_runs=False)
    content = str(tmp_path / "store" / "content")
    assert output("path_from_storage_dir", "path").path == f"{content}/files/storage"
    assert output("path_from_upload_dir", "path").path == f"{content}/files/uploads"
    cache = output("path_from_cache_dir", "path", node_scope=True).path
    assert cache.startswith(f"{content}/files/cache/nodes/") and len(cache) > len(content) + 20
    import getpass

    assert output("path_from_user_dir", "path").path == f"{content}/files/storage/users/{getpass.getuser()}"
