"""Buffered CSV Reader reads files that are not UTF-8 (a Latin-1 or UTF-16 export) when given their Encoding, and
names the file and the encoding when not."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_boards import Flow

ROWS = [{"name": "Zoë", "city": "Malmö"}, {"name": "José", "city": "São Paulo"}, {"name": "Ann", "city": "Köln"}]
TEXT = "name,city\n" + "".join(f"{row['name']},{row['city']}\n" for row in ROWS)


def read_chunks(tmp_path: Path, data: bytes, **pins: object) -> tuple[Flow, list[dict]]:
    (tmp_path / "people.csv").write_bytes(data)
    flow = Flow()
    reader = flow.step("csv_buffered_reader", csv={"path": str(tmp_path / "people.csv")}, chunk_size=2, **pins)
    flow.add("log_info", message="chunk", exec_in=(reader, "for_chunk"))
    return flow, reader


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_reads_a_csv_in_its_encoding(tmp_path: Path, encoding: str) -> None:
    flow, reader = read_chunks(tmp_path, TEXT.encode(encoding), encoding=encoding)
    run = flow.run()
    assert [line.message for line in run.logs()] == ["chunk"] * 2
    assert run.output(reader.id, "chunk") == ROWS[2:]
    assert run.output(reader.id, "chunk_index") == 1


def test_default_is_utf8(tmp_path: Path) -> None:
    flow, reader = read_chunks(tmp_path, TEXT.encode())
    assert flow.run().output(reader.id, "chunk") == ROWS[2:]


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_undecodable_text_names_file_and_encoding(tmp_path: Path, encoding: str) -> None:
    flow, _ = read_chunks(tmp_path, TEXT.encode(encoding))
    message = flow.failure()
    assert "people.csv" in message and "not utf-8 text" in message and "Encoding" in message, message


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    flow, _ = read_chunks(tmp_path, TEXT.encode(), encoding="klingon-8")
    assert "unknown encoding 'klingon-8'" in flow.failure()


def test_undecodable_text_past_the_first_block_names_file_and_encoding(tmp_path: Path) -> None:
    """The reader streams in 1 MiB blocks: a Latin-1 name after the first block fails as clearly as one in it."""
    head = "".join(f"name{i},city{i}\n" for i in range(100_000)).encode()  # about 2 MiB of ASCII
    flow, _ = read_chunks(tmp_path, b"name,city\n" + head + "Zoë,Malmö\n".encode("latin-1"))
    message = flow.failure()
    assert "people.csv" in message and "not utf-8 text" in message and "Encoding" in message, message


def test_read_csv_names_the_encoding_of_a_utf16_file(tmp_path: Path) -> None:
    from flowlike_catalog.data.tables import table_read_csv

    (tmp_path / "people.csv").write_bytes(TEXT.encode("utf-16"))
    with pytest.raises(ValueError, match=r"cannot read .*people\.csv as CSV: it is not utf-8 text .*give its Encoding"):
        table_read_csv.func(None, str(tmp_path / "people.csv"))
    assert table_read_csv.func(None, str(tmp_path / "people.csv"), encoding="utf-16").to_pylist() == ROWS
