"""Extract Tables AI on a real workbook: the scripted chat server plays the model; the node cuts the tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from data_boards import Flow
from flowlike_catalog.llm.testing import ChatServer, Reply


@pytest.fixture(scope="module")
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A sheet with a merged title, a header on row 2, a subtotal inside the data and a note table beside it."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet["A1"] = "Quarterly sales"
    sheet.merge_cells("A1:C1")
    rows = [["Region", "Q1", "Q2"], ["North", 10, 12.5], ["South", 7, 9], ["Subtotal", 17, 21.5], ["East", 3, 4]]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c, value)
    sheet["E2"], sheet["E3"] = "Note", "provisional"
    path = tmp_path / "report.xlsx"
    book.save(path)
    return path


STRATEGY = {"tables": [
    {"table_name": "Regions", "header_row": 1, "data_start_row": 2, "start_column": 0, "end_column": 3,
     "skip_rows": [4]},
    {"header_row": 1, "data_start_row": 2, "start_column": 4, "end_column": 5, "skip_rows": [],
     "header_names": ["Remark"]},
], "reasoning": "A region table with a subtotal row, and a note beside it."}


def extract(chat: ChatServer, path: Path, **inputs: object) -> tuple[Flow, object]:
    flow = Flow()
    model = {"provider": "openai", "endpoint": chat.url + "/v1", "api_key": "k", "model_id": "m"}
    return flow, flow.step("data_excel_extract_tables_ai", model=model, file={"path": str(path)}, **inputs)


def test_the_models_strategy_cuts_the_tables_from_the_sheet(chat: ChatServer, report: Path) -> None:
    chat.reset()
    chat.expect(Reply(tool_calls=[("submit_extraction_strategy", STRATEGY)]))
    flow, node = extract(chat, report, user_hint="Skip subtotals")
    run = flow.run()
    regions, notes = run.output(node.id, "tables")
    assert regions.to_pydict() == {"Region": ["North", "South", "East"], "Q1": ["10", "7", "3"],
                                   "Q2": ["12.5", "9", "4"]}
    assert regions.schema.metadata[b"name"] == b"Sales_Regions"
    assert notes.to_pydict() == {"Remark": ["provisional"]}
    assert notes.schema.metadata[b"name"] == b"Sales_2"
    assert run.output(node.id, "reasoning") == "Sheet 'Sales': " + STRATEGY["reasoning"]
    body = chat.requests[0].body
    assert body["tool_choice"] == "required" and body["tools"][0]["function"]["name"] == "submit_extraction_strategy"
    assert "User guidance: Skip subtotals" in body["messages"][0]["content"]
    prompt = body["messages"][1]["content"]
    assert "row 1: Region | Q1 | Q2 |  | Note" in prompt and "Merged ranges: A1:C1" in prompt
    assert "6 rows and 5 columns" in prompt


def test_a_model_that_does_not_call_the_tool_is_named(chat: ChatServer, report: Path) -> None:
    chat.reset()
    chat.expect(Reply("I think there is one table."))
    flow, _ = extract(chat, report, sheet="Sales")
    assert "did not call submit_extraction_strategy for sheet 'Sales'" in flow.failure()
    chat.expect(Reply(tool_calls=[("submit_extraction_strategy", {"tables": [{"header_row": "x"}]})]))
    flow, _ = extract(chat, report)
    assert "the model's strategy is not valid" in flow.failure()
