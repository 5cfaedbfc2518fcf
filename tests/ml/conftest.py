"""Boards of ml and std nodes built through commands; tables come in as the run's payload."""

from __future__ import annotations

import pyarrow as pa
import pytest
from flowlike_catalog.ml import PACK
from pack_builder import Builder


@pytest.fixture
def board() -> Builder:
    return Builder(PACK)


@pytest.fixture(scope="session")
def iris() -> pa.Table:
    from sklearn.datasets import load_iris

    data = load_iris(as_frame=True).frame
    return pa.Table.from_pandas(data, preserve_index=False)
