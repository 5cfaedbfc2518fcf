"""Where flowlike-nb keeps things: a meta URL (boards, versions) and a content URL (blobs, run history, vectors).

Any fsspec URL works: a local directory (the default, `~/.flowlike`), `memory://`, `s3://`, `gs://`, `abfs://`.
Pick them in one of three ways, first match wins:

    StorageConfig.load("flowlike.toml")   # a TOML or JSON file with meta_url, content_url and options
    FLOWLIKE_META_URL=s3://b/meta FLOWLIKE_CONTENT_URL=s3://b/content flowlike runs
    StorageConfig.at("memory://nb")       # one root: <root>/meta and <root>/content
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flowlike_core.errors import StorageError

DEFAULT_ROOT = "~/.flowlike"
ENV_META = "FLOWLIKE_META_URL"
ENV_CONTENT = "FLOWLIKE_CONTENT_URL"
ENV_STORE = "FLOWLIKE_STORE"


class StorageConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    meta_url: str = f"{DEFAULT_ROOT}/meta"
    """Small, frequently written documents: board working copies and versions."""
    content_url: str = f"{DEFAULT_ROOT}/content"
    """Large objects: content-addressed blobs, the run history and per-app vector databases."""
    options: dict[str, Any] = Field(default_factory=dict)
    """fsspec storage options for both URLs, e.g. `{"endpoint_url": ..., "key": ..., "secret": ...}` for S3."""

    @classmethod
    def at(cls, root: str, **options: Any) -> StorageConfig:
        """Both buckets under one root URL or directory."""
        root = root.rstrip("/")
        return cls(meta_url=f"{root}/meta", content_url=f"{root}/content", options=options)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> StorageConfig:
        """Read a `.toml` or `.json` file holding `meta_url`, `content_url` and optionally `options`."""
        path = Path(path).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
            return cls.model_validate(data)
        except ValidationError as exc:
            raise StorageError(f"{path}: not a usable storage configuration: {cls._problems(exc)}") from None
        except (OSError, ValueError) as exc:
            raise StorageError(f"{path}: not a usable storage configuration: {exc}") from exc

    @classmethod
    def _problems(cls, exc: ValidationError) -> str:
        """Each wrong field in one line, as a user edits the file (pydantic's report is several lines and a URL)."""
        problems, unknown = [], []
        for error in exc.errors():
            where = ".".join(map(str, error["loc"]))
            if error["type"] == "extra_forbidden":
                unknown.append(repr(where))
            else:
                problems.append(f"{where or 'the file'}: {error['msg']}")
        if unknown:  # once, however many (a board file given as a config has eleven)
            problems.insert(0, f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (fields: "
                               f"{', '.join(cls.model_fields)})")
        return "; ".join(problems)

    @classmethod
    def from_env(cls) -> StorageConfig | None:
        """The configuration the environment names, if it names one."""
        if store := os.environ.get(ENV_STORE):
            return cls.load(store)
        meta, content = os.environ.get(ENV_META), os.environ.get(ENV_CONTENT)
        if meta is None and content is None:
            return None
        default = cls()
        return cls(meta_url=meta or default.meta_url, content_url=content or default.content_url)

    @classmethod
    def load(cls, store: str | None = None, **options: Any) -> StorageConfig:
        """`store` is a config file or a root URL (`options` added to the file's or the root's); without it, the
        environment, else `~/.flowlike`. Whatever names a store (`--store`, `--cache-store`, `configure`) reads
        it here."""
        if store is None:
            return cls.from_env() or cls()
        if not store.endswith((".toml", ".json")):
            return cls.at(store, **options)
        config = cls.from_file(store)
        return config.model_copy(update={"options": {**config.options, **options}}) if options else config
