"""Table nodes on the mistakes a data scientist makes: a misspelt key or sort column, an empty condition, two
tables sharing a column name, records whose column mixes types. Each error names what and where."""

from __future__ import annotations

import pyarrow as pa
import pytest
from data_boards import Flow
from flowlike_catalog.data.tables import table_filter, table_from_records, table_join, table_sort

ORDERS = pa.table({"id": [1, 2, 3], "city": ["Oslo", "Zürich", None], "amount": [1.0, None, 3.0]})
CUSTOMERS = pa.table({"id": [1, 2], "city": ["Oslo", "東京"], "name": ["Åsa", "Bob"]})


def test_join_names_a_missing_key_and_the_side_lacking_it() -> None:
    with pytest.raises(KeyError, match=r"no column 'ID' in the left table \(columns: id, city, amount\)"):
        table_join.func(None, ORDERS, CUSTOMERS, ["ID"])
    with pytest.raises(KeyError, match=r"no column 'amount' in the right table \(columns: id, city, name\)"):
        table_join.func(None, ORDERS, CUSTOMERS, ["amount"])
    with pytest.raises(ValueError, match="at least one key"):
        table_join.func(None, ORDERS, CUSTOMERS, [])


def test_join_keeps_both_columns_of_a_shared_name() -> None:
    joined = table_join.func(None, ORDERS, CUSTOMERS, ["id"], "left").sort_by("id")
    assert joined.column_names == ["id", "city", "amount", "city_right", "name"]
    assert joined.select(["city_right"]).to_pylist() == [{"city_right": "Oslo"}, {"city_right": "東京"},
                                                          {"city_right": None}]


def test_sort_names_a_missing_column_without_dumping_the_table() -> None:
    with pytest.raises(KeyError) as error:
        table_sort.func(ORDERS, ["amt"])
    assert str(error.value) == "\"no column 'amt' in the table (columns: id, city, amount)\""


def test_an_empty_filter_condition_says_so() -> None:
    with pytest.raises(ValueError, match="the condition is empty"):
        table_filter.func(None, ORDERS, "  ")


def test_records_with_a_mixed_column_name_it() -> None:
    with pytest.raises(TypeError, match=r"column 'code' of the records holds values of mixed types \(int, str\)"):
        table_from_records.func([{"code": 1}, {"code": "B2"}])


def test_mixed_records_fail_the_board_naming_node_and_column(tmp_path) -> None:
    flow = Flow()
    rows = flow.feed("rows")
    write = flow.step("table_write_parquet", path={"path": str(tmp_path / "out.parquet")})
    flow.wire(rows, "value_ref", write, "table")
    message = flow.failure(rows=[{"id": 1, "code": 7}, {"id": 2, "code": "x"}])
    assert write.id in message and "column 'code' of the table holds values of mixed types (int, str)" in message
