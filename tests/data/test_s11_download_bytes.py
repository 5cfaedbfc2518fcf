"""Download File (Google Drive) and Download SharePoint File give a file's bytes: their `content` is a Byte Array
(Flow-Like's `Vec<u8>`, Python's bytes), which wires into the inputs that take bytes, such as Write Bytes'. Flow-Like's
catalog declares it Byte, one byte from 0 to 255: no bytes value is one, and no Byte Array input took the wire."""

from __future__ import annotations

import pytest

from flowlike_core import Board, DataType, ValueType, commands, default_registry


@pytest.mark.parametrize("key", ["data_google_drive_download", "data_microsoft_sharepoint_download_file"])
def test_the_downloaded_content_is_a_byte_array_that_wires_into_write_bytes(key: str) -> None:
    registry = default_registry()
    [content] = [pin for pin in registry.get(key).pin_specs() if pin.name == "content"]
    assert (content.data_type, content.value_type) == (DataType.BYTE, ValueType.ARRAY)
    board = Board(name="download")
    download = board.apply(commands.AddNode(registry.get(key).create()))
    write = board.apply(commands.AddNode(registry.get("write_bytes").create()))
    board.apply(commands.Connect(download.id, "content", write.id, "content"))
