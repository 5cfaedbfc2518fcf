"""Content-addressed blobs: stored once by hash, referenced by a small struct, checked on read."""

from __future__ import annotations

import hashlib

import pytest

from flowlike_core import Board, DataType, commands, data_in, exec_in
from flowlike_core.errors import StorageError, UnsafePathError
from flowlike_core.node import NodeType
from flowlike_core.storage import BlobRef, Storage


def test_put_get_and_dedupe(store: Storage) -> None:
    blobs = store.app("demo").blobs
    data = bytes(range(256)) * 100
    ref = blobs.put(data, "application/x-test")
    assert ref == BlobRef(key=hashlib.sha256(data).hexdigest(), size=len(data), media_type="application/x-test")
    assert blobs.get(ref) == data
    assert blobs.get(ref.model_dump()) == data
    assert blobs.put(data, "application/x-test") == ref
    assert store.content.list(f"apps/demo/blobs/{ref.key[:2]}") == [f"apps/demo/blobs/{ref.key[:2]}/{ref.key}"]
    assert store.app("other").blobs.exists(ref) is False


def test_put_a_local_file(store: Storage, tmp_path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG fake")
    ref = store.app("demo").blobs.put(path, "image/png")
    assert (ref.size, ref.media_type) == (9, "image/png")


def test_corrupt_and_missing_blobs_are_reported(store: Storage) -> None:
    blobs = store.app("demo").blobs
    ref = blobs.put(b"payload")
    store.content.write(blobs._key(ref), b"tampered")
    with pytest.raises(StorageError, match="corrupt"):
        blobs.get(ref)
    with pytest.raises(StorageError, match="is not in"):
        blobs.get("0" * 64)


@pytest.mark.parametrize("key", ["../../meta/apps/demo/boards/x", "ab", "/etc/passwd", "A" * 64])
def test_blob_keys_cannot_escape(store: Storage, key: str) -> None:
    with pytest.raises((ValueError, UnsafePathError)):
        store.app("demo").blobs.get({"key": key, "size": 1})


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_pins_carry_the_reference_not_the_bytes(store: Storage) -> None:
    class UseBlob(NodeType):
        name = "test_use_blob"
        pins = (exec_in(), data_in("blob", DataType.STRUCT, schema=BlobRef.schema_for_pin()))

    big = b"z" * 50_000
    ref = store.app("demo").blobs.put(big)
    board = Board(name="blobby")
    board.apply(commands.AddNode(UseBlob.create(node_id="use", blob=ref.model_dump())))
    store.app("demo").save(board)
    text = store.app("demo").meta.read("apps/demo/boards/blobby.board.json").decode()
    assert ref.key in text and len(text) < 5_000
    assert board.node("use").pin("blob").schema_["properties"]["key"]["pattern"] == "^[0-9a-f]{64}$"
