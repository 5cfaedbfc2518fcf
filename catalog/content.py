"""Where the ml, onnx and media nodes read and write bytes: a file path or the app's content store.

A location pin takes a file path (text or Path) or a `BlobRef` (the content store's content-addressed key,
as a dict or model). Writing with an empty path puts the bytes in the content store and returns the BlobRef.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from flowlike_core import Pin
from flowlike_core.policy import allowed_path
from flowlike_core.storage import BlobRef

Location = Annotated[str | Path | BlobRef | None, Pin(
    description="A file path, or a content-store reference (BlobRef) of the app")]
App = Annotated[str, Pin(description="App whose content store holds blobs")]


def _blob(location: Any, what: str) -> BlobRef | None:
    """The BlobRef a location is, if it is one; a struct of other fields, or one in another shape, fails saying so
    (pydantic's page named BlobRef's fields only)."""
    from pydantic import ValidationError

    if isinstance(location, BlobRef):
        return location
    if not isinstance(location, dict):
        return None
    if "key" not in location:
        raise TypeError(f"the {what} location must be a path or a BlobRef (key, size), got a struct of "
                        f"{', '.join(sorted(map(str, location))) or 'no fields'}")
    try:
        return BlobRef.model_validate(location)
    except ValidationError as exc:
        problems = "; ".join(f"field {'.'.join(map(str, e['loc']))!r}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"the {what} location is not a BlobRef: {problems}") from None


def read_bytes(location: Any, app: str = "default", what: str = "file") -> bytes:
    """The bytes at a path or behind a BlobRef; a clear error naming what is missing, or a folder given for a
    file."""
    from flowlike_core.errors import StorageError
    from flowlike_core.storage import current

    blob = _blob(location, what)
    if blob is not None:
        try:
            return current().app(app).blobs.get(blob)
        except StorageError as exc:  # (it names the blob and the store, not what it was to be)
            raise StorageError(f"{what} in app {app!r}'s content store: {exc}") from None
    if not isinstance(location, str | Path) or not str(location):
        raise TypeError(f"the {what} location must be a path or a BlobRef, got {location!r}")
    path = Path(allowed_path(location, what))
    if path.is_dir():
        raise IsADirectoryError(f"{what} {str(path)!r} is a folder, not a file: give the path of a file in it")
    if not path.is_file():
        raise FileNotFoundError(f"{what} {str(path)!r} does not exist")
    return path.read_bytes()


def decoded(data: bytes, complaint: str) -> str:
    """A file's bytes as UTF-8 text; bytes that are not fail as `complaint` (which names the file) says."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{complaint}: it is not UTF-8 text (it starts {data[:16]!r})") from None


def given_bytes(data: Any, what: str) -> bytes:
    """The bytes on a node's `data` input; a board's default holds them as a list of byte values (Flow-Like stores
    a Byte Array so). No bytes or another type fails saying what the input needs."""
    if isinstance(data, list):
        data = bytes(data)
    if not isinstance(data, bytes | bytearray) or not data:
        got = "no bytes (not wired, or wired to empty bytes)" if not data else type(data).__name__
        raise TypeError(f"input 'data' needs {what}, got {got}")
    return bytes(data)


def write_bytes(data: bytes, path: Any, app: str = "default", media_type: str = "application/octet-stream"
                ) -> BlobRef | None:
    """Write to a file path (parent folders made); with an empty path, into the content store (returns its ref).
    A folder at the path, or a file where a parent folder should be, is refused by name."""
    from flowlike_core.storage import current

    if path is None or str(path) == "":
        return current().app(app).blobs.put(data, media_type)
    if not isinstance(path, str | Path):
        raise TypeError(f"path must be a file path (or empty for the content store), got {type(path).__name__}")
    target = Path(allowed_path(path))
    if target.is_dir():
        raise IsADirectoryError(f"cannot write {str(target)!r}: it is a folder; give a file path (e.g. "
                                f"{str(target / 'out.bin')!r})")
    in_the_way = next((parent for parent in target.parents if parent.exists()), None)
    if in_the_way is not None and not in_the_way.is_dir():
        raise NotADirectoryError(f"cannot write {str(target)!r}: {str(in_the_way)!r} is a file, not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return None
