"""The spool: where a run's record waits when its store cannot be reached as the run ends.

A run that ends while its store is down (an S3 server stopped, the network gone) is not lost: its record, and the
blobs and tables its large values went to, are written to a local folder in the store's own layout
(`history/pending/...`, `history/blobs/...`), one folder per store:

    $FLOWLIKE_SPOOL/<16 hex digits naming the store>/      (default ~/.flowlike/spool/...)
        STORE                                              the store's content URL, for whoever looks
        history/pending/<run>.json, history/blobs/..., history/tables/...

with a warning that names the run, the store, the reason and the folder. The next time this process, or any
other, reaches that store (a run recorded there, `flowlike runs`, a query of its history), the files go up, blobs
first and records last, so a record never names a blob that is not there yet, and a warning says how many runs
were uploaded. Uploading the same files twice (two processes at once) writes the same keys with the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from flowlike_core.files import is_temporary
from flowlike_core.storage.bucket import Bucket
from flowlike_core.storage.config import DEFAULT_ROOT

ENV_SPOOL = "FLOWLIKE_SPOOL"
"""The folder spools are kept in (default `~/.flowlike/spool`)."""
STORE_FILE = "STORE"


def spool_root() -> Path:
    return Path(os.environ.get(ENV_SPOOL) or f"{DEFAULT_ROOT}/spool").expanduser()


class Spool:
    """The local folder holding the records one store could not take (see the module docstring)."""

    def __init__(self, bucket: Bucket) -> None:
        endpoint = str(getattr(bucket.fs, "client_kwargs", {}).get("endpoint_url", ""))
        name = hashlib.sha256(f"{endpoint}\n{bucket.url}".encode()).hexdigest()[:16]
        self.store = bucket
        self.folder = spool_root() / name
        self._bucket: Bucket | None = None

    @property
    def bucket(self) -> Bucket:
        """The spool folder as a bucket, made on first use (a spool nothing was written to makes no folder)."""
        if self._bucket is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / STORE_FILE).write_text(f"{self.store.url}\n", encoding="utf-8")
            self._bucket = Bucket(str(self.folder))
        return self._bucket

    def files(self) -> list[Path]:
        """The files waiting, records last (a killed writer's temporary files are not among them)."""
        if not self.folder.is_dir():
            return []
        found = [p for p in self.folder.rglob("*") if p.is_file() and not is_temporary(p.name)
                 and p.parent != self.folder]
        return sorted(found, key=lambda p: (p.parent.name == "pending", str(p)))

    def records(self) -> int:
        """How many run records wait."""
        return sum(p.parent.name == "pending" for p in self.files())

    def upload(self) -> int:
        """Write every waiting file to the store under the same key, then remove it here; returns how many run
        records went up. A StorageError (the store is down again) leaves the rest waiting."""
        records = 0
        for path in self.files():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue  # another process uploaded it meanwhile
            self.store.write(path.relative_to(self.folder).as_posix(), data)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            records += path.parent.name == "pending"
        return records
