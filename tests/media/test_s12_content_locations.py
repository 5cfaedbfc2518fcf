"""A location that is neither a path nor a BlobRef, and a blob the content store lacks, name what was to be read:
a struct of other fields gave pydantic's page about BlobRef, a missing blob named only its key and the store."""

from __future__ import annotations

import pytest
from flowlike_catalog.content import read_bytes

from flowlike_core import storage
from flowlike_core.errors import StorageError


def test_a_struct_that_is_no_blob_reference_says_what_it_has() -> None:
    with pytest.raises(TypeError, match=r"^the image location must be a path or a BlobRef \(key, size\), got a "
                                        r"struct of foo, name$"):
        read_bytes({"name": "cat.png", "foo": 1}, what="image")


def test_a_blob_reference_of_another_shape_says_why() -> None:
    with pytest.raises(ValueError, match=r"^the image location is not a BlobRef: field 'key': String should match "
                                         r"pattern"):
        read_bytes({"key": "cat", "size": 3}, what="image")


def test_a_blob_the_store_lacks_names_what_and_the_app() -> None:
    storage.configure("memory://s12-missing-blob", record_runs=False)
    key = "ab" * 32
    with pytest.raises(StorageError, match=rf"^ONNX model in app 'lab''s content store: blob {key} is not in "
                                           rf"memory://s12-missing-blob/"):
        read_bytes({"key": key, "size": 3}, app="lab", what="ONNX model")
