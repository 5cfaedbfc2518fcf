"""File nodes on real files: a temp folder, fsspec memory, and S3 (SeaweedFS) through an External store."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path

import fsspec
import httpx
import pytest
from data_boards import Flow


def p(path: Path | str) -> dict:
    return {"path": str(path)}


def test_write_read_head_hash_range(flow: Flow, tmp_path: Path) -> None:
    target = tmp_path / "sub" / "note.txt"
    flow.step("write_string", path=p(target), content="héllo world")
    text = flow.step("read_to_string", path=p(target))
    raw = flow.step("read_to_bytes", path=p(target))
    head = flow.step("path_head", path=p(target))
    digest = flow.step("path_hash_file", path=p(target))
    part = flow.step("path_get_range", path=p(target), **{"from": 7, "to": 12})
    write = flow.step("write_bytes", path=p(tmp_path / "b.bin"))
    flow.wire(flow.feed("blob"), "value_ref", write, "content")
    got = flow.step("path_get", path=p(tmp_path / "b.bin"))
    flow.step("path_put", path=p(tmp_path / "c.bin"), bytes=(got, "bytes"))
    run = flow.run(blob=bytes([0, 255, 7]))
    data = "héllo world".encode()
    assert run.output(text.id, "content") == "héllo world"
    assert run.output(raw.id, "content") == data
    assert run.output(head.id, "size") == len(data)
    assert abs(run.output(head.id, "last_modified") - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert run.output(digest.id, "hash") == hashlib.sha256(data).hexdigest()
    assert run.output(part.id, "bytes") == data[7:12] == b"world"
    assert run.output(got.id, "bytes") == bytes([0, 255, 7])
    assert (tmp_path / "c.bin").read_bytes() == bytes([0, 255, 7])


def test_bytes_are_byte_arrays_as_in_flow_like(flow: Flow, tmp_path: Path) -> None:
    """File bytes are Flow-Like's Array<Byte>: they wire to std's To/From Bytes, and a board's default is a list
    of byte values (how a Flow-Like board stores one)."""
    flow.step("write_bytes", path=p(tmp_path / "list.bin"), content=[104, 105])
    as_bytes = flow.add("val_to_bytes", value={"a": 1}, pretty=False)
    flow.step("write_bytes", path=p(tmp_path / "value.json"), content=(as_bytes, "bytes"))
    got = flow.step("path_get", path=p(tmp_path / "value.json"))
    text = flow.add("utf8_lossy", bytes=(got, "bytes"))
    flow.step("write_string", path=p(tmp_path / "copy.json"), content=(text, "string"))
    flow.run()
    assert (tmp_path / "list.bin").read_bytes() == b"hi"
    assert (tmp_path / "copy.json").read_text() == '{"a":1}'


def tree(root: Path) -> None:
    for name in ("a.csv", "b.txt", "x/c.csv", "x/y/d.csv"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)


def test_listing_and_offsets(flow: Flow, tmp_path: Path) -> None:
    tree(tmp_path)
    every = flow.step("path_list_paths", prefix=p(tmp_path))
    top = flow.step("path_list_paths", prefix=p(tmp_path), recursive=False)
    folders = flow.step("path_list_folders", prefix=p(tmp_path))
    skip = flow.step("path_list_with_offset", prefix=p(tmp_path), offset=2)
    after = flow.step("path_list_with_offset", prefix=p(tmp_path), offset=p(tmp_path / "x"))
    missing = flow.step("path_list_paths", prefix=p(tmp_path / "nope"))
    run = flow.run()
    names = [str(tmp_path / n) for n in ("a.csv", "b.txt", "x/c.csv", "x/y/d.csv")]
    assert [x.path for x in run.output(every.id, "paths")] == names
    assert [x.path for x in run.output(top.id, "paths")] == names[:2]
    assert [x.path for x in run.output(folders.id, "folders")] == [str(tmp_path / "x"), str(tmp_path / "x/y")]
    assert [x.path for x in run.output(skip.id, "paths")] == names[2:]
    assert [x.path for x in run.output(after.id, "paths")] == names[2:]
    assert run.output(missing.id, "paths") == []


def test_exists_branches(flow: Flow, tmp_path: Path) -> None:
    (tmp_path / "here").write_text("x")
    seen = []
    for name in ("here", "gone"):
        f = Flow()
        check = f.step("path_exists", path=p(tmp_path / name))
        yes, no = f.add("log_info", message="yes"), f.add("log_info", message="no")
        f.wire(check, "exec_out_exists", yes, "exec_in")
        f.wire(check, "exec_out_missing", no, "exec_in")
        seen.append([line.message for line in f.run().logs()])
    assert seen == [["yes"], ["no"]]


def test_rename_copy_delete(flow: Flow, tmp_path: Path) -> None:
    tree(tmp_path)
    flow.step("path_rename", **{"from": p(tmp_path / "a.csv"), "to": p(tmp_path / "moved/a2.csv")})
    flow.step("storage_copy", **{"from": p(tmp_path / "x"), "to": p(tmp_path / "x2")})
    flow.step("storage_copy", **{"from": p(tmp_path / "b.txt"), "to": {"path": "memory://filetest/b.txt"}})
    flow.step("storage_delete", path=p(tmp_path / "x"), recursive=True)
    flow.run()
    assert (tmp_path / "moved/a2.csv").read_text() == "a.csv"
    assert not (tmp_path / "a.csv").exists() and not (tmp_path / "x").exists()
    assert (tmp_path / "x2/y/d.csv").read_text() == "x/y/d.csv"
    assert fsspec.filesystem("memory").cat_file("/filetest/b.txt") == b"b.txt"


def test_errors_say_what_and_where(tmp_path: Path) -> None:
    tree(tmp_path)
    cases = [
        ("read_to_string", {"path": p(tmp_path / "none.txt")}, f"no file at {tmp_path / 'none.txt'}"),
        ("path_rename", {"from": p(tmp_path / "a.csv"), "to": p(tmp_path / "b.txt")}, "exists already"),
        ("storage_delete", {"path": p(tmp_path / "x")}, "is a folder that is not empty"),
        ("path_get_range", {"path": p(tmp_path / "a.csv"), "from": 5, "to": 1}, "byte range [5, 1) is not valid"),
        ("read_to_bytes", {"path": {"path": "s3://b/k", "store": "unknown"}}, "store 'unknown'"),
    ]
    for key, defaults, message in cases:
        f = Flow()
        f.step(key, **defaults)
        assert message in f.failure(), key
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    f = Flow()
    f.step("read_to_string", path=p(tmp_path / "latin.txt"))
    assert "is not UTF-8 text" in f.failure()


def test_sign_url_of_a_local_file(flow: Flow, tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("x")
    signed = flow.step("sign_url", path=p(tmp_path / "f.txt"))
    assert flow.run().output(signed.id, "signed_url") == (tmp_path / "f.txt").as_uri()


@pytest.mark.s3
def test_s3_store_list_copy_and_presigned_urls(seaweedfs: dict, tmp_path: Path) -> None:
    prefix = f"files-{uuid.uuid4().hex[:8]}"
    keys = {"access_key_id": seaweedfs["options"]["key"], "secret_access_key": seaweedfs["options"]["secret"]}
    flow = Flow()
    store = flow.step("external_s3_store", bucket=seaweedfs["bucket"], endpoint=seaweedfs["endpoint"],
                      path_style=True, prefix=prefix, **keys)
    child = flow.add("child", child_name="hello.txt", parent_path=(store, "path"))
    flow.step("write_string", content="hi from s3", path=(child, "path"))
    listing = flow.step("path_list_paths", prefix=(store, "path"))
    signed = flow.step("sign_url", path=(child, "path"))
    other = flow.add("child", child_name="upload.txt", parent_path=(store, "path"))
    make_list = flow.step("array_push", array_in=[], value=(other, "path"))
    put = flow.step("sign_urls", method="PUT", paths=(make_list, "array_out"))
    local = tmp_path / "copy.txt"
    flow.step("storage_copy", to=p(local), **{"from": (child, "path")})
    run = flow.run()
    assert run.output(store.id, "path").path == f"s3://{seaweedfs['bucket']}/{prefix}"
    assert "secret" not in repr(run.output(store.id, "path").model_dump())
    assert [x.path for x in run.output(listing.id, "paths")] == [f"s3://{seaweedfs['bucket']}/{prefix}/hello.txt"]
    assert httpx.get(run.output(signed.id, "signed_url")).text == "hi from s3"
    upload = httpx.put(run.output(put.id, "signed_urls")[0], content=b"uploaded")
    assert upload.status_code == 200
    assert local.read_text() == "hi from s3"
    import s3fs

    fs = s3fs.S3FileSystem(skip_instance_cache=True, **seaweedfs["options"])
    assert fs.cat_file(f"{seaweedfs['bucket']}/{prefix}/upload.txt") == b"uploaded"


def test_azure_blob_store_on_azurite(azurite: dict, tmp_path: Path) -> None:
    prefix = f"files-{uuid.uuid4().hex[:8]}"
    flow = Flow()
    store = flow.step("external_azure_blob_store", account=azurite["account"], container=azurite["container"],
                      access_key=azurite["key"], endpoint=azurite["endpoint"], prefix=prefix)
    child = flow.add("child", child_name="note.txt", parent_path=(store, "path"))
    flow.step("write_string", content="hi from azure", path=(child, "path"))
    read = flow.step("read_to_string", path=(child, "path"))
    listing = flow.step("path_list_paths", prefix=(store, "path"))
    flow.step("storage_copy", to=p(tmp_path / "note.txt"), **{"from": (child, "path")})
    run = flow.run()
    assert run.output(store.id, "path").path == f"abfs://tests/{prefix}"
    assert azurite["key"] not in repr(run.output(store.id, "path").model_dump())
    assert run.output(read.id, "content") == "hi from azure"
    assert [x.path for x in run.output(listing.id, "paths")] == [f"abfs://tests/{prefix}/note.txt"]
    assert (tmp_path / "note.txt").read_text() == "hi from azure"


def test_gcp_storage_store_on_an_emulator(gcs: dict, tmp_path: Path) -> None:
    prefix = f"files-{uuid.uuid4().hex[:8]}"
    flow = Flow()
    store = flow.step("external_gcp_storage_store", bucket=gcs["bucket"], endpoint=gcs["endpoint"], prefix=prefix)
    child = flow.add("child", child_name="note.txt", parent_path=(store, "path"))
    flow.step("write_string", content="hi from gcs", path=(child, "path"))
    head = flow.step("path_head", path=(child, "path"))
    listing = flow.step("path_list_paths", prefix=(store, "path"))
    flow.step("storage_copy", to=p(tmp_path / "note.txt"), **{"from": (child, "path")})
    run = flow.run()
    assert run.output(store.id, "path").path == f"gs://tests/{prefix}"
    assert run.output(head.id, "size") == len("hi from gcs") and run.output(head.id, "e_tag")
    assert [x.path for x in run.output(listing.id, "paths")] == [f"gs://tests/{prefix}/note.txt"]
    assert (tmp_path / "note.txt").read_text() == "hi from gcs"
    bad = Flow()
    bad.step("external_gcp_storage_store", bucket="b", service_account_key="{not json")
    assert "the service account key is not JSON" in bad.failure()
