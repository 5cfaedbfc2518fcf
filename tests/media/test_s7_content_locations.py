"""The content locations of the ml, onnx and media nodes: a folder where a file is expected says so, and where."""

from __future__ import annotations

from pathlib import Path

import pytest
from flowlike_catalog.content import read_bytes, write_bytes


def test_reading_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    with pytest.raises(IsADirectoryError, match=r"image '.*/photos' is a folder, not a file"):
        read_bytes(tmp_path / "photos", what="image")


def test_reading_a_missing_file_still_says_it_is_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"ONNX model '.*/model\.onnx' does not exist"):
        read_bytes(str(tmp_path / "model.onnx"), what="ONNX model")


def test_writing_onto_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError, match=r"cannot write '.*/out': it is a folder; give a file path"):
        write_bytes(b"x", tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_writing_below_a_file_names_the_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("keep me")
    with pytest.raises(NotADirectoryError, match=r"cannot write '.*/report\.txt/chart\.png': '.*/report\.txt' is "
                                                 r"a file, not a folder"):
        write_bytes(b"x", tmp_path / "report.txt" / "chart.png")
    assert (tmp_path / "report.txt").read_text() == "keep me"


def test_a_file_is_written_and_read_back(tmp_path: Path) -> None:
    assert write_bytes(b"data", tmp_path / "a" / "b.bin") is None
    assert read_bytes(tmp_path / "a" / "b.bin") == b"data"
