"""The local database nodes (LanceDB) under Flow-Like's keys, on a store in a temp folder."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from data_boards import Flow

from flowlike_core import storage

DOCS = [
    {"id": 1, "text": "cats purr and sleep all day", "category": "pets", "vector": [1.0, 0.0, 0.0]},
    {"id": 2, "text": "dogs bark at the mail carrier", "category": "pets", "vector": [0.9, 0.1, 0.0]},
    {"id": 3, "text": "stock markets fell sharply", "category": "news", "vector": [0.0, 1.0, 0.0]},
    {"id": 4, "text": "cats and dogs in the news", "category": "news", "vector": [0.5, 0.5, 0.0]},
    {"id": 5, "text": "a recipe for lemon cake", "category": "food", "vector": [0.0, 0.0, 1.0]},
    {"id": 6, "text": "cats prefer fish cake", "category": "food", "vector": [0.3, 0.0, 0.9]},
]


@pytest.fixture(autouse=True)
def store(tmp_path: Path) -> storage.Storage:
    return storage.configure(str(tmp_path / "store"), record_runs=False)


def ids(rows: list[dict]) -> list[int]:
    return [row["id"] for row in rows]


def opened(flow: Flow, name: str = "docs", **options: object) -> None:
    flow.step("open_local_db", name=name, **options)


def test_insert_search_filter_list_count_schema(flow: Flow) -> None:
    opened(flow)
    flow.step("insert_local_db", value=DOCS[0])
    batch = flow.step("batch_insert_local_db", value=DOCS[1:])
    count = flow.step("count_local_db")
    pets = flow.step("count_local_db", filter="category = 'pets'")
    near = flow.step("vector_search_local_db", vector=[1.0, 0.05, 0.0], limit=3)
    paged = flow.step("vector_search_local_db", vector=[1.0, 0.05, 0.0], limit=2, offset=1)
    food = flow.step("filter_local_db", filter="category = 'food'")
    page = flow.step("list_local_db", limit=2, offset=2)
    schema = flow.step("schema_local_db")
    tables = flow.step("list_tables_db")
    run = flow.run()
    assert run.output(batch.id, "inserted") == 5
    assert (run.output(count.id, "count"), run.output(pets.id, "count")) == (6, 2)
    assert ids(run.output(near.id, "values")) == [1, 2, 4]
    assert ids(run.output(paged.id, "values")) == [2, 4]
    assert ids(run.output(food.id, "values")) == [5, 6]
    assert ids(run.output(page.id, "values")) == [3, 4]
    assert run.output(schema.id, "schema") == {"id": "int64", "text": "string", "category": "string",
                                               "vector": "fixed_size_list<item: float>[3]"}
    assert run.output(tables.id, "tables") == ["docs"]


def test_upserts_deletes_and_purge(flow: Flow) -> None:
    opened(flow)
    flow.step("batch_insert_local_db", value=DOCS[:3])
    flow.step("upsert_local_db", id_row="id", value={**DOCS[0], "text": "cats purr loudly"})
    updated = flow.step("batch_upsert_local_db", id_row="id", value=[{**DOCS[1], "category": "dogs"}, DOCS[3]])
    deleted = flow.step("filter_delete_local_db", filter="category = 'news'")
    left = flow.step("filter_local_db", limit=10)
    flow.step("purge_local_db")
    tables = flow.step("list_tables_db")
    run = flow.run()
    assert run.output(updated.id, "updated") == 1
    assert run.output(deleted.id, "deleted") == 2
    assert sorted((r["id"], r["text"], r["category"]) for r in run.output(left.id, "values")) == [
        (1, "cats purr loudly", "pets"), (2, DOCS[1]["text"], "dogs")]
    assert run.output(tables.id, "tables") == []


def test_indexes_full_text_and_hybrid(flow: Flow) -> None:
    opened(flow)
    flow.step("batch_insert_local_db", value=DOCS)
    flow.step("index_local_db", column="text")
    flow.step("index_local_db", column="category", type="BTREE")
    text = flow.step("fts_search_local_db", search="cats", limit=5)
    only_food = flow.step("fts_search_local_db", search="cats", filter="category = 'food'")
    hybrid = flow.step("hybrid_search_local_db", search="cats", vector=[0.2, 0.0, 1.0], limit=3)
    plain = flow.step("hybrid_search_local_db", search="cats", vector=[0.2, 0.0, 1.0], limit=4, rerank=False)
    flow.step("optimize_local_db")
    count = flow.step("count_local_db", filter="category = 'pets'")
    run = flow.run()
    assert sorted(ids(run.output(text.id, "values"))) == [1, 4, 6]
    assert ids(run.output(only_food.id, "values")) == [6]
    fused = run.output(hybrid.id, "values")
    assert set(ids(fused)[:2]) == {4, 6} and len(fused) == 3
    assert ids(run.output(plain.id, "values"))[:3] == [6, 5, 4]
    assert run.output(count.id, "count") == 2
    from flowlike_core.storage.lance import connect

    table = connect(storage.current().app("default").vectors_uri).open_table("docs")
    assert {(i.index_type, tuple(i.columns)) for i in table.list_indices()} == {("FTS", ("text",)),
                                                                               ("BTree", ("category",))}


def test_vector_index_auto(flow: Flow) -> None:
    rows = [{"id": i, "vector": [float(i % 10), float(i // 10), 1.0]} for i in range(300)]
    opened(flow, "many")
    flow.step("batch_insert_local_db", value=rows)
    flow.step("index_local_db")
    near = flow.step("vector_search_local_db", vector=[3.0, 4.0, 1.0], limit=1)
    assert ids(flow.run().output(near.id, "values")) == [43]


def test_csv_insert_streams_chunks_and_tables_go_in_whole(flow: Flow, tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text("id,name\n" + "".join(f"{i},n{i}\n" for i in range(25)))
    opened(flow, "csv")
    inserted = flow.step("csv_insert_local_db", csv={"path": str(tmp_path / "rows.csv")}, chunk_size=10)
    more = flow.step("batch_insert_local_db")
    flow.wire(flow.feed("extra"), "value_ref", more, "value")
    count = flow.step("count_local_db")
    run = flow.run(extra=pa.table({"id": [100], "name": ["x"]}))
    assert (run.output(inserted.id, "inserted"), run.output(more.id, "inserted")) == (25, 1)
    assert run.output(count.id, "count") == 26


def test_csv_insert_reads_a_csv_in_another_encoding(flow: Flow, tmp_path: Path) -> None:
    """A CSV saved by Excel on Windows (cp1252/latin-1) goes in with its Encoding; without it, the error names it."""
    (tmp_path / "people.csv").write_bytes("id,name\n1,José\n2,Zoë\n".encode("latin-1"))
    opened(flow, "people")
    flow.step("csv_insert_local_db", csv={"path": str(tmp_path / "people.csv")}, encoding="latin-1")
    rows = flow.step("filter_local_db")
    assert sorted(row["name"] for row in flow.run().output(rows.id, "values")) == ["José", "Zoë"]
    default = Flow()
    opened(default, "people")
    default.step("csv_insert_local_db", csv={"path": str(tmp_path / "people.csv")})
    assert "people.csv as CSV: it is not utf-8 text" in default.failure() and "give its Encoding" in default.failure()


def test_user_scoped_tables_are_separate(flow: Flow) -> None:
    opened(flow, "mine", user_scoped=True)
    flow.step("insert_local_db", value={"id": 1})
    shared = flow.step("list_tables_db")
    mine = flow.step("list_tables_db", user_scoped=True)
    run = flow.run()
    assert (run.output(shared.id, "tables"), run.output(mine.id, "tables")) == ([], ["mine"])


def test_errors_are_clear(flow: Flow) -> None:
    opened(flow, "nothing")
    flow.step("count_local_db")
    assert "table 'nothing' does not exist yet" in flow.failure()
    other = Flow()
    opened(other, "../escape")
    assert "table name '../escape' is not allowed" in other.failure()
    third = Flow()
    opened(third)
    third.step("insert_local_db", value={"id": 1})
    third.step("filter_delete_local_db")
    assert "Delete needs a filter" in third.failure()


def test_register_lance_table_in_a_sql_session(flow: Flow) -> None:
    opened(flow)
    flow.step("batch_insert_local_db", value=DOCS)
    flow.step("df_create_session")
    flow.step("df_register_lance")
    query = flow.step("df_sql_query", query="SELECT category, count(*) AS n FROM docs GROUP BY ALL ORDER BY 1")
    assert flow.run().output(query.id, "rows") == [{"category": "food", "n": 2}, {"category": "news", "n": 2},
                                                   {"category": "pets", "n": 2}]
