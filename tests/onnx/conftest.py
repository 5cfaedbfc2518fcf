"""Boards of onnx, media and std nodes; ONNX models built here with onnx.helper (weights chosen so the answers
are known), never downloaded."""

from __future__ import annotations

import pytest
from flowlike_catalog.media import PACK as MEDIA
from flowlike_catalog.onnx import PACK
from pack_builder import Builder


@pytest.fixture
def board() -> Builder:
    return Builder(PACK, MEDIA)
