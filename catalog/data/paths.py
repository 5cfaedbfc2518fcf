"""Path structs (Flow-Like's `Data/Files/Path`, `Directories`, `External`): build and take apart paths.

Path parts work on the path text alone (POSIX rules, the same for local paths and URLs). The directories
are folders of the configured store's content bucket; External nodes open a store with credentials from
secret pins and keep its filesystem in the run's cache, so the path struct they give carries no secret.
"""

from __future__ import annotations

import getpass
import hashlib
import posixpath
from pathlib import Path as LocalPath
from typing import Annotated

from flowlike_catalog.data.handles import STORE, FlowPath

from flowlike_core import Context, Pin, node

CATEGORY = "Data/Files/Path"
DIRECTORIES = "Data/Files/Directories"
EXTERNAL = "Data/Files/External"

PathIn = Annotated[FlowPath, Pin(description="A file or folder: local path or fsspec URL")]


def split(path: FlowPath) -> tuple[str, str]:
    """(everything up to the last segment, the last segment), keeping a URL's scheme in the first part."""
    text = path.path.rstrip("/")
    scheme, sep, rest = text.rpartition("://")
    head, name = posixpath.split(rest if sep else text)
    return (f"{scheme}{sep}{head}" if sep else head), name


def renamed(path: FlowPath, name: str) -> FlowPath:
    head, _ = split(path)
    return path.model_copy(update={"path": f"{head}/{name}" if head else name})


@node
def child(parent_path: PathIn, child_name: str) -> Annotated[FlowPath, Pin(name="path")]:
    """The path of a file or folder inside a folder."""
    if not child_name or child_name in (".", "..") or "/.." in f"/{child_name}":
        raise ValueError(f"child name {child_name!r} would leave the folder")
    return FlowPath.of(parent_path).child(child_name)


@node(exec_pins=True)
def parent(path: PathIn) -> Annotated[FlowPath, Pin(name="parent_path")]:
    """The folder that holds the path."""
    flow_path = FlowPath.of(path)
    head, _ = split(flow_path)
    return flow_path.model_copy(update={"path": head or "."})


@node
def filename(path: PathIn, remove_extension: bool = False) -> Annotated[str, Pin(name="filename")]:
    """The last segment of the path, optionally without its extension."""
    name = split(FlowPath.of(path))[1]
    return posixpath.splitext(name)[0] if remove_extension else name


@node
def extension(path: PathIn) -> Annotated[str, Pin(name="extension", description="Without the dot; empty if none")]:
    """The file's extension."""
    return posixpath.splitext(split(FlowPath.of(path))[1])[1].lstrip(".")


@node(exec_pins=True)
def set_extension(path: PathIn, extension: str) -> Annotated[FlowPath, Pin(name="path_out")]:
    """The path with its extension replaced (an empty extension removes it)."""
    flow_path = FlowPath.of(path)
    stem = posixpath.splitext(split(flow_path)[1])[0]
    return renamed(flow_path, f"{stem}.{extension.lstrip('.')}" if extension else stem)


@node
def set_filename(in_path: PathIn, filename: str = "") -> Annotated[FlowPath, Pin(name="out_path")]:
    """The path with its last segment replaced."""
    if not filename or "/" in filename:
        raise ValueError(f"file name {filename!r} must be one non-empty path segment")
    return renamed(FlowPath.of(in_path), filename)


@node
def raw_path(path: PathIn) -> Annotated[str, Pin(name="raw_path")]:
    """The path as text (local path or URL)."""
    return FlowPath.of(path).path


@node
def from_raw_path(base_path: Annotated[FlowPath, Pin(description="Gives the store the new path is in")],
                  raw_path: str) -> Annotated[FlowPath, Pin(name="path")]:
    """A path in the same store as Base Path: a relative raw path is taken inside Base Path's folder."""
    base = FlowPath.of(base_path)
    if "://" in raw_path or raw_path.startswith("/"):
        return base.model_copy(update={"path": raw_path})
    return base.child(raw_path)


@node(friendly_name="Replace Segment")
def path_replace_segment(in_path: PathIn, source: Annotated[str, Pin(name="from")], to: str,
                         replace_all: bool = True) -> Annotated[FlowPath, Pin(name="out_path")]:
    """Replaces whole path segments equal to From by To (the first one only unless Replace All)."""
    flow_path = FlowPath.of(in_path)
    scheme, sep, rest = flow_path.path.rpartition("://")
    segments, done = rest.split("/") if sep else flow_path.path.split("/"), False
    for i, segment in enumerate(segments):
        if segment == source and not (done and not replace_all):
            segments[i], done = to, True
    joined = "/".join(segments)
    return flow_path.model_copy(update={"path": f"{scheme}{sep}{joined}" if sep else joined})


@node(friendly_name="Local Path to Path", category="Data/Files", exec_pins=True)
def pathbuf_to_path(pathbuf: LocalPath) -> Annotated[FlowPath, Pin(name="path")]:
    """A path struct for a local file system path."""
    return FlowPath(path=str(LocalPath(pathbuf).expanduser().resolve()))


def content_folder(ctx: Context, kind: str, node_scope: bool = False, user_scope: bool = False) -> FlowPath:
    """A folder of the configured store's content bucket, per node and per user when scoped."""
    from flowlike_core.storage import current

    root = current().config.content_url.rstrip("/")
    root = str(LocalPath(root).expanduser()) if "://" not in root else root
    parts = [root, "files", kind]
    if user_scope:
        parts += ["users", getpass.getuser()]
    if node_scope:
        parts += ["nodes", ctx.node_id]
    return FlowPath(path="/".join(parts))


@node(friendly_name="Cache Dir", category=DIRECTORIES)
def path_from_cache_dir(ctx: Context, node_scope: bool = False, user_scope: bool = False
                        ) -> Annotated[FlowPath, Pin(name="path")]:
    """The store's cache folder (files that may be rebuilt), per node or per user when scoped."""
    return content_folder(ctx, "cache", node_scope, user_scope)


@node(friendly_name="Storage Dir", category=DIRECTORIES)
def path_from_storage_dir(ctx: Context, node_scope: bool = False) -> Annotated[FlowPath, Pin(name="path")]:
    """The store's storage folder (files that last), per node when scoped."""
    return content_folder(ctx, "storage", node_scope)


@node(friendly_name="Upload Dir", category=DIRECTORIES)
def path_from_upload_dir(ctx: Context) -> Annotated[FlowPath, Pin(name="path")]:
    """The store's uploads folder."""
    return content_folder(ctx, "uploads")


@node(friendly_name="User Dir", category=DIRECTORIES)
def path_from_user_dir(ctx: Context, node_scope: bool = False) -> Annotated[FlowPath, Pin(name="path")]:
    """The current user's folder in the store, per node when scoped."""
    return content_folder(ctx, "storage", node_scope, user_scope=True)


@node(friendly_name="Virtual Dir", category=DIRECTORIES)
def path_virtual_dir(name: str = "/virtual") -> Annotated[FlowPath, Pin(name="path")]:
    """A folder in memory (fsspec's `memory://`): shared by the process's runs, gone when it ends."""
    return FlowPath(path=f"memory://{name.strip('/') or 'virtual'}")


@node(friendly_name="S3 Directory", category=EXTERNAL, exec_pins=True, capabilities=["network"])
def external_s3_store(
    ctx: Context,
    bucket: str,
    region: str = "us-east-1",
    credential_mode: Annotated[str, Pin(valid_values=("explicit", "environment"),
                                        description="explicit: the key pins; environment: AWS_* variables")
                               ] = "explicit",
    access_key_id: Annotated[str, Pin(sensitive=True)] = "",
    secret_access_key: Annotated[str, Pin(sensitive=True)] = "",
    session_token: Annotated[str, Pin(sensitive=True)] = "",
    endpoint: Annotated[str, Pin(description="For S3-compatible stores (MinIO, SeaweedFS...); empty for AWS")] = "",
    path_style: bool = False,
    prefix: str = "",
) -> Annotated[FlowPath, Pin(name="path")]:
    """A folder in an S3 bucket, opened with the given credentials for this run (they never enter the path)."""
    import s3fs

    if not bucket:
        raise ValueError("S3 Directory needs a bucket name")
    options: dict = {"client_kwargs": {"region_name": region}}
    if endpoint:
        options["client_kwargs"]["endpoint_url"] = endpoint
    if path_style:
        options["config_kwargs"] = {"s3": {"addressing_style": "path"}}
    if credential_mode == "explicit":
        options.update(key=access_key_id or None, secret=secret_access_key or None, token=session_token or None,
                       anon=not access_key_id)
    elif credential_mode != "environment":
        raise ValueError(f"credential mode {credential_mode!r}: use 'explicit' or 'environment'")
    identity = hashlib.sha256(repr((bucket, region, endpoint, access_key_id, credential_mode)).encode()).hexdigest()
    name = f"s3-{bucket}-{identity[:12]}"
    ctx.cache[(STORE, name)] = s3fs.S3FileSystem(skip_instance_cache=True, **options)
    return FlowPath(path=f"s3://{bucket}/{prefix.strip('/')}".rstrip("/"), store=name)


@node(friendly_name="Azure Blob Directory", category=EXTERNAL, exec_pins=True, capabilities=["network"])
def external_azure_blob_store(
    ctx: Context,
    account: Annotated[str, Pin(description="Storage account name")],
    container: str,
    access_key: Annotated[str, Pin(sensitive=True, description="Account key (or give a SAS token)")] = "",
    sas_token: Annotated[str, Pin(sensitive=True)] = "",
    prefix: str = "",
    endpoint: Annotated[str, Pin(description="Blob endpoint for emulators such as Azurite, e.g. "
                                             "http://127.0.0.1:10000/devstoreaccount1; empty for Azure")] = "",
) -> Annotated[FlowPath, Pin(name="path")]:
    """A folder in an Azure Blob container, opened with the given key or SAS token for this run (they never
    enter the path)."""
    import adlfs

    if not account or not container:
        raise ValueError("Azure Blob Directory needs an account and a container")
    if endpoint:
        secret = f"AccountKey={access_key}" if access_key else f"SharedAccessSignature={sas_token.lstrip('?')}"
        scheme = endpoint.split("://", 1)[0]
        fs = adlfs.AzureBlobFileSystem(connection_string=f"DefaultEndpointsProtocol={scheme};AccountName={account};"
                                                         f"{secret};BlobEndpoint={endpoint};",
                                       skip_instance_cache=True)
    else:
        fs = adlfs.AzureBlobFileSystem(account_name=account, account_key=access_key or None,
                                       sas_token=sas_token or None, anon=not (access_key or sas_token),
                                       skip_instance_cache=True)
    identity = hashlib.sha256(repr((account, container, endpoint, bool(access_key))).encode()).hexdigest()
    name = f"azure-{account}-{container}-{identity[:12]}"
    ctx.cache[(STORE, name)] = fs
    return FlowPath(path=f"abfs://{container}/{prefix.strip('/')}".rstrip("/"), store=name)


@node(friendly_name="GCP Storage Directory", category=EXTERNAL, exec_pins=True, capabilities=["network"])
def external_gcp_storage_store(
    ctx: Context,
    bucket: str,
    service_account_key: Annotated[str, Pin(sensitive=True, description="The service account's JSON key; empty: "
                                                                        "anonymous (public buckets, emulators)")
                                   ] = "",
    prefix: str = "",
    endpoint: Annotated[str, Pin(description="For emulators, e.g. http://127.0.0.1:9023; empty for Google")] = "",
) -> Annotated[FlowPath, Pin(name="path")]:
    """A folder in a Google Cloud Storage bucket, opened with a service account key for this run (it never
    enters the path)."""
    import json

    from gcsfs.core import GCSFileSystem

    if not bucket:
        raise ValueError("GCP Storage Directory needs a bucket name")
    try:
        token = json.loads(service_account_key) if service_account_key else "anon"
    except ValueError:
        raise ValueError("the service account key is not JSON: paste the whole key file") from None
    fs = GCSFileSystem(token=token, endpoint_url=endpoint or None, skip_instance_cache=True)
    identity = hashlib.sha256(repr((bucket, endpoint, service_account_key)).encode()).hexdigest()
    name = f"gcs-{bucket}-{identity[:12]}"
    ctx.cache[(STORE, name)] = fs
    return FlowPath(path=f"gs://{bucket}/{prefix.strip('/')}".rstrip("/"), store=name)
