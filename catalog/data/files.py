"""Files (Flow-Like's `Data/Files` operations) over local paths and any fsspec URL or External store.

Every node works the same on a local disk, `memory://`, S3 and the other fsspec stores: the path struct
says where, `handles.filesystem` finds the filesystem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.handles import FlowPath, filesystem, readable_file, url

from flowlike_core import Context, DataType, NodeType, Pin, data_in, exec_in, exec_out, node

CATEGORY = "Data/Files/Operations"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)
CONTENT = "Data/Files/Content"
PATH_SCHEMA = FlowPath.model_json_schema()

Path = Annotated[FlowPath, Pin(description="A file: local path or fsspec URL")]
Paths = list[FlowPath]


def where(ctx: Context, path: Any, what: str = "path") -> tuple[Any, str, FlowPath]:
    flow_path = FlowPath.of(path, what)
    fs, inner = filesystem(ctx, flow_path)
    return fs, inner, flow_path


def read(ctx: Context, path: Any) -> bytes:
    fs, inner, flow_path = where(ctx, path)
    try:
        return fs.cat_file(inner)
    except FileNotFoundError:
        raise FileNotFoundError(f"no file at {flow_path.path}") from None
    except IsADirectoryError:
        raise IsADirectoryError(f"{flow_path.path} is a folder, not a file") from None


def write(ctx: Context, path: Any, content: bytes) -> None:
    fs, inner, _ = where(ctx, path)
    parent = fs._parent(inner)
    if parent and "file" in fs.protocol:
        fs.makedirs(parent, exist_ok=True)
    fs.pipe_file(inner, bytes(content))


@node(friendly_name="Read to Bytes", category=CONTENT, exec_pins=True)
def read_to_bytes(ctx: Context, path: Path) -> Annotated[bytes, Pin(name="content")]:
    """The whole file as bytes."""
    return read(ctx, path)


@node(friendly_name="Read to String", category=CONTENT, exec_pins=True)
def read_to_string(ctx: Context, path: Path) -> Annotated[str, Pin(name="content")]:
    """The whole file as UTF-8 text (a byte-order mark dropped)."""
    data = read(ctx, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{FlowPath.of(path).path} is not UTF-8 text ({exc})") from None


@node(category=CONTENT, exec_pins=True)
def write_bytes(ctx: Context, path: Path, content: bytes) -> None:
    """Writes the bytes to the file (replacing it; parent folders are made)."""
    write(ctx, path, content)


@node(category=CONTENT, exec_pins=True)
def write_string(ctx: Context, path: Path, content: str) -> None:
    """Writes the text to the file as UTF-8 (replacing it; parent folders are made)."""
    write(ctx, path, content.encode("utf-8"))


@node(friendly_name="Get", exec_pins=True)
def path_get(ctx: Context, path: Path) -> Annotated[bytes, Pin(name="bytes")]:
    """The file's bytes."""
    return read(ctx, path)


@node(friendly_name="Put", exec_pins=True)
def path_put(ctx: Context, path: Path, bytes: Annotated[bytes, Pin(name="bytes")]) -> None:  # noqa: A002
    """Stores the bytes at the path (replacing what is there)."""
    write(ctx, path, bytes)


@node(friendly_name="Get Range", exec_pins=True)
def path_get_range(ctx: Context, path: Path, start: Annotated[int, Pin(name="from")],
                   to: Annotated[int, Pin(description="End offset, exclusive")]) -> Annotated[bytes, Pin(name="bytes")]:
    """Bytes [from, to) of the file."""
    if start < 0 or to < start:
        raise ValueError(f"byte range [{start}, {to}) is not valid: need 0 <= from <= to")
    fs, inner, flow_path = where(ctx, path)
    readable_file(fs, inner, flow_path)
    return fs.cat_file(inner, start=start, end=to)


class FileHead(NamedTuple):
    e_tag: Annotated[str, Pin(description="The store's entity tag (empty where the store has none)")]
    last_modified: dt.datetime
    size: Annotated[int, Pin(description="Bytes")]
    version: Annotated[str, Pin(description="The object version (empty where the store keeps none)")]


@node(friendly_name="Head", exec_pins=True)
def path_head(ctx: Context, path: Path) -> FileHead:
    """What the store knows about a file without reading it: size, modification time, ETag, version."""
    fs, inner, flow_path = where(ctx, path)
    try:
        info = fs.info(inner)
    except FileNotFoundError:
        raise FileNotFoundError(f"no file at {flow_path.path}") from None
    modified = fs.modified(inner)
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=dt.UTC)
    e_tag = info.get("ETag") or info.get("etag") or ""  # S3 / GCS and Azure spell it differently
    version = info.get("VersionId") or info.get("generation") or info.get("version_id") or ""
    return FileHead(str(e_tag).strip('"'), modified, int(info.get("size") or 0), str(version))


@node(friendly_name="Hash File", exec_pins=True)
def path_hash_file(ctx: Context, path: Path) -> Annotated[str, Pin(name="hash", description="SHA-256, hex")]:
    """The SHA-256 of the file's bytes, read in chunks (large files never sit whole in memory)."""
    fs, inner, flow_path = where(ctx, path)
    readable_file(fs, inner, flow_path)
    digest = hashlib.sha256()
    with fs.open(inner, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def listing(ctx: Context, prefix: Any, recursive: bool, folders: bool) -> list[FlowPath]:
    fs, inner, flow_path = where(ctx, prefix, "prefix")
    if not fs.exists(inner):
        return []
    found = fs.find(inner, withdirs=True, detail=True) if recursive else fs.ls(inner, detail=True)
    items = found.values() if isinstance(found, dict) else found
    names = sorted(item["name"] for item in items
                   if (item["type"] == "directory") == folders and item["name"].rstrip("/") != inner.rstrip("/"))
    return [FlowPath(path=url(fs, name), store=flow_path.store) for name in names]


@node(friendly_name="List Paths", exec_pins=True)
def path_list_paths(ctx: Context, prefix: Path, recursive: bool = True) -> Annotated[Paths, Pin(name="paths")]:
    """The files under a folder or prefix, sorted (subfolders' files too when recursive)."""
    return listing(ctx, prefix, recursive, folders=False)


@node(friendly_name="List Folders", exec_pins=True)
def path_list_folders(ctx: Context, prefix: Path, recursive: bool = True) -> Annotated[Paths, Pin(name="folders")]:
    """The folders under a folder or prefix, sorted."""
    return listing(ctx, prefix, recursive, folders=True)


@node(friendly_name="List With Offset", exec_pins=True)
def path_list_with_offset(ctx: Context, prefix: Path, offset: Annotated[Any, Pin(
        description="A path: list what sorts after it (as object stores page); or a number of paths to skip")]
        ) -> Annotated[Paths, Pin(name="paths")]:
    """The files under a prefix after an offset, sorted.

    Flow-Like has two pins named Offset (a path and a number); here one Generic pin takes either."""
    paths = listing(ctx, prefix, True, folders=False)
    if isinstance(offset, int) and not isinstance(offset, bool):
        return paths[max(0, offset):]
    after = FlowPath.of(offset, "offset").path
    return [p for p in paths if p.path > after]


class PathExists(NodeType):
    name = "path_exists"
    friendly_name = "Path Exists?"
    description = "Follows Exists or Missing depending on whether a file or folder is at the path."
    pins = (exec_in(), data_in("path", DataType.STRUCT, schema=PATH_SCHEMA, required=True),
            exec_out("exec_out_exists", "Exists"), exec_out("exec_out_missing", "Missing"))

    def run(self, ctx: Context, *, path: Any) -> None:
        fs, inner, _ = where(ctx, path)
        ctx.activate("exec_out_exists" if fs.exists(inner) else "exec_out_missing")


@node(friendly_name="Rename", exec_pins=True)
def path_rename(ctx: Context, source: Annotated[FlowPath, Pin(name="from")],
                to: FlowPath, overwrite: bool = False) -> None:
    """Moves a file (or folder) to a new path; refuses to replace an existing one unless Overwrite."""
    move_or_copy(ctx, source, to, overwrite, move=True)


@node(friendly_name="Copy", exec_pins=True)
def storage_copy(ctx: Context, source: Annotated[FlowPath, Pin(name="from")],
                 to: FlowPath) -> None:
    """Copies a file (or a folder, recursively) to a new path, also between stores."""
    move_or_copy(ctx, source, to, overwrite=True, move=False)


def move_or_copy(ctx: Context, source: Any, target: Any, overwrite: bool, move: bool) -> None:
    src_fs, src, src_path = where(ctx, source, "from")
    dst_fs, dst, dst_path = where(ctx, target, "to")
    if not src_fs.exists(src):
        raise FileNotFoundError(f"nothing at {src_path.path} to {'move' if move else 'copy'}")
    if not overwrite and dst_fs.exists(dst):
        raise FileExistsError(f"{dst_path.path} exists already (set Overwrite to replace it)")
    if "file" in dst_fs.protocol:
        dst_fs.makedirs(dst_fs._parent(dst), exist_ok=True)
    if src_fs is dst_fs or type(src_fs) is type(dst_fs) and src_fs.storage_options == dst_fs.storage_options:
        (src_fs.mv if move else src_fs.copy)(src, dst, recursive=True)
        return
    for name in src_fs.find(src) if src_fs.isdir(src) else [src]:
        dst_fs.pipe_file(dst + name[len(src):] if name != src else dst, src_fs.cat_file(name))
    if move:
        src_fs.rm(src, recursive=True)


@node(friendly_name="Delete", exec_pins=True)
def storage_delete(ctx: Context, path: Path, recursive: bool = False) -> None:
    """Deletes a file, or a folder with everything in it when Recursive."""
    fs, inner, flow_path = where(ctx, path)
    if not fs.exists(inner):
        raise FileNotFoundError(f"nothing to delete at {flow_path.path}")
    if fs.isdir(inner) and not recursive and fs.ls(inner):
        raise IsADirectoryError(f"{flow_path.path} is a folder that is not empty: set Recursive to delete it")
    fs.rm(inner, recursive=recursive or fs.isdir(inner))


def signed(ctx: Context, path: Any, method: str, expiration: int) -> str:
    from fsspec.asyn import sync

    fs, inner, flow_path = where(ctx, path)
    if "file" in fs.protocol:
        import pathlib

        return pathlib.Path(inner).as_uri()
    if "s3" not in fs.protocol:
        raise NotImplementedError(f"cannot sign {flow_path.path}: signing needs a local file or an S3 store")
    client_method = {"GET": "get_object", "PUT": "put_object", "DELETE": "delete_object"}.get(method.upper())
    if client_method is None:
        raise ValueError(f"method {method!r} cannot be signed: use GET, PUT or DELETE")
    bucket, key, _ = fs.split_path(inner)

    async def presign() -> str:
        await fs.set_session()
        return await fs.s3.generate_presigned_url(ClientMethod=client_method, Params={"Bucket": bucket, "Key": key},
                                                  ExpiresIn=int(expiration))

    return sync(fs.loop, presign)


@node(friendly_name="Sign URL", exec_pins=True)
def sign_url(ctx: Context, path: Path, method: str = "GET", expiration: Annotated[int, Pin(
        description="Seconds the URL stays valid")] = 3600) -> Annotated[str, Pin(name="signed_url")]:
    """A presigned URL for an object on S3 (anyone holding it may GET, PUT or DELETE it until it expires);
    a local file gives its file:// URL."""
    return signed(ctx, path, method, expiration)


@node(friendly_name="Sign URLs", exec_pins=True)
def sign_urls(ctx: Context, paths: Paths, method: str = "GET", expiration: int = 3600
              ) -> Annotated[list[str], Pin(name="signed_urls")]:
    """Presigned URLs for several objects (see Sign URL)."""
    return [signed(ctx, path, method, expiration) for path in paths]
