"""Content-addressed blobs: large values (files, images, models) stored once by their sha256.

Pins carry a `BlobRef` (a small Struct), never the bytes, so board files and run records stay small.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from flowlike_core.errors import StorageError
from flowlike_core.storage.bucket import Bucket


class BlobRef(BaseModel):
    """Names a blob in an app's content folder; the key is the sha256 of the bytes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the content, lowercase hex")
    size: int = Field(ge=0)
    media_type: str = "application/octet-stream"

    @classmethod
    def schema_for_pin(cls) -> dict[str, Any]:
        """The JSON Schema a Struct pin carrying a BlobRef declares."""
        return cls.model_json_schema()


class BlobStore:
    """Blobs of one app: `apps/<app>/blobs/<first two hex>/<sha256>` in the content bucket."""

    def __init__(self, bucket: Bucket, prefix: str) -> None:
        self.bucket = bucket
        self.prefix = prefix

    def _key(self, ref: BlobRef | str) -> str:
        key = BlobRef(key=ref, size=0).key if isinstance(ref, str) else ref.key
        return f"{self.prefix}/{key[:2]}/{key}"

    def put(self, data: bytes | str | os.PathLike[str], media_type: str = "application/octet-stream") -> BlobRef:
        """Store bytes (or a local file's bytes, given a path) once; storing the same bytes again is free."""
        if not isinstance(data, bytes):
            data = Path(data).read_bytes()
        ref = BlobRef(key=hashlib.sha256(data).hexdigest(), size=len(data), media_type=media_type)
        if not self.bucket.exists(self._key(ref)):
            self.bucket.write(self._key(ref), data)
        return ref

    def get(self, ref: BlobRef | str | dict[str, Any]) -> bytes:
        """The bytes of a blob, checked against their hash (a pin may hand in a dict)."""
        ref = BlobRef.model_validate(ref) if isinstance(ref, dict) else ref
        try:
            data = self.bucket.read(self._key(ref))
        except FileNotFoundError:
            raise StorageError(f"blob {ref if isinstance(ref, str) else ref.key} is not in "
                               f"{self.bucket.url}/{self.prefix}") from None
        key = ref if isinstance(ref, str) else ref.key
        if hashlib.sha256(data).hexdigest() != key:
            raise StorageError(f"blob {key} in {self.bucket.url} is corrupt: its bytes do not match its hash")
        return data

    def exists(self, ref: BlobRef | str) -> bool:
        return self.bucket.exists(self._key(ref))
