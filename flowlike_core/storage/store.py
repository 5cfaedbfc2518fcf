"""The storage root: a meta bucket and a content bucket, the apps in them and the run history."""

from __future__ import annotations

import threading
from typing import Any

from flowlike_core.events import Listener
from flowlike_core.run import Run, RunRecord
from flowlike_core.storage.apps import App
from flowlike_core.storage.bucket import Bucket
from flowlike_core.storage.config import StorageConfig
from flowlike_core.storage.history import RunHistory
from flowlike_core.storage.paths import check_name


class Storage:
    def __init__(self, config: StorageConfig | None = None) -> None:
        self.config = config or StorageConfig.load()
        self.meta = Bucket(self.config.meta_url, self.config.options)
        self.content = Bucket(self.config.content_url, self.config.options)
        self.runs = RunHistory(self.content, "history", self.config.options)
        self._apps: dict[str, App] = {}

    def app(self, name: str) -> App:
        """An app by name (created by its first save). The same App object each time, so it keeps
        track of which revision of each board this process has seen."""
        check_name(name, "app name")
        if name not in self._apps:
            self._apps[name] = App(name, self.meta, self.content)
        return self._apps[name]

    def apps(self) -> list[str]:
        return self.meta.dirs("apps")

    def record(self, run: Run | RunRecord, app: str = "") -> RunRecord:
        """Keep a run in the run history (secret values redacted)."""
        return self.runs.append(run, app)

    def __repr__(self) -> str:
        return f"<Storage meta={self.config.meta_url!r} content={self.config.content_url!r}>"


_current: Storage | None = None
_lock = threading.Lock()


def configure(root: str | StorageConfig | None = None, *, meta_url: str | None = None,
              content_url: str | None = None, record_runs: bool = True, **options: Any) -> Storage:
    """Point this process at a store, e.g. `configure("memory://nb")`, `configure("s3://bucket/flowlike",
    endpoint_url=...)` or `configure("flowlike.toml")` (a config file); with no argument, the environment's or the
    default one. Returns the Storage.

    From then on every run of this process (cells, editor, CLI) is kept in the store's run history,
    unless `record_runs=False`."""
    global _current
    if isinstance(root, StorageConfig):
        config = root
    elif root is not None:
        config = StorageConfig.load(root, **options)
    elif meta_url or content_url:
        default = StorageConfig()
        config = StorageConfig(meta_url=meta_url or default.meta_url, content_url=content_url or default.content_url,
                               options=options)
    else:
        config = StorageConfig.load()
    with _lock:
        _current = Storage(config)
    if not record_runs:
        stop_recording()
    else:
        _recorder.register()
    return _current


def stop_recording() -> None:
    """Runs are no longer kept in the run history (until the next `configure`)."""
    _recorder.unregister()


class _Recorder(Listener):
    """Keeps every run that ends in the configured store's run history."""

    def finished(self, run: Run) -> None:
        store = _current
        if store is None:
            return
        try:
            store.record(run)
        except Exception as exc:  # noqa: BLE001 - whatever the store's client raises: the run waits in the spool
            store.runs.keep_in_spool(run, exc)


_recorder = _Recorder()


def current() -> Storage:
    """The configured Storage (configured from the environment, or `~/.flowlike`, on first use)."""
    global _current
    with _lock:
        if _current is None:
            _current = Storage(StorageConfig.load())
        return _current
