"""A kernel whose environment names a store keeps its runs there, as `flowlike run` does.

`$FLOWLIKE_STORE` (or `$FLOWLIKE_META_URL`/`$FLOWLIKE_CONTENT_URL`) set for a notebook server, a papermill run or
`flowlike notebook` makes every run of the kernel (cells, editor) a record of that store's run history from
`import flowlike_nb` on, so runs with different parameters can be compared there (`flowlike runs`,
`storage.current().runs.query(...)`). Without them nothing is recorded until a cell calls `storage.configure()`.
"""

from __future__ import annotations

import warnings

from flowlike_core.errors import StorageError


def keep_runs_from_environment() -> None:
    """Record the kernel's runs in the store the environment names, if it names one (a configuration that cannot
    be read is a warning: importing the package never fails on it)."""
    from flowlike_core.storage.config import StorageConfig

    try:
        config = StorageConfig.from_env()
        if config is not None:
            from flowlike_core import storage

            storage.configure(config)
    except StorageError as exc:
        warnings.warn(f"the kernel's runs are not kept in a run history: {exc}", RuntimeWarning, stacklevel=2)
