"""Embedding texts and searching them in the local database (LanceDB) as a board does, with all-MiniLM-L6-v2 run
offline: a query vector of another length says so, a table goes in as Arrow (its column types kept), and an
empty batch inserts nothing instead of failing."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from data_boards import Flow
from flowlike_catalog.llm import PACK as LLM
from flowlike_catalog.vectors import PACK as VECTORS

from flowlike_core import Node, Registry, Run, commands, storage

TEXTS = ["Die Katze schläft auf dem Sofa", "東京の株価が下落した", "A recipe for lemon cake with sugar",
         "The cat sleeps on the couch all day"]


@pytest.fixture(autouse=True)
def store(tmp_path: Path) -> storage.Storage:
    return storage.configure(str(tmp_path / "store"), record_runs=False)


class RagFlow(Flow):
    """A data-test Flow that also knows the llm pack (Load Model, Embed Documents, Embed Query) and the vectors pack."""

    def __init__(self) -> None:
        import data_boards

        self.registry = Registry([data_boards.PACK, data_boards.STD_PACK, LLM, VECTORS])
        super().__init__()

    def add(self, key: str, /, **defaults: object) -> Node:
        wired = {name: value for name, value in defaults.items() if isinstance(value, tuple)}
        node = self.board.apply(commands.AddNode(self.registry.get(key).create(
            **{name: value for name, value in defaults.items() if name not in wired})))
        for name, (source, out) in wired.items():
            self.wire(source, out, node, name)
        return node

    def run(self, **variables: object) -> Run:
        run = self.board.run(registry=self.registry, variables=variables)
        run.raise_for_status()
        return run

    def failure(self, **variables: object) -> str:
        run = self.board.run(registry=self.registry, variables=variables)
        assert run.status.value == "Failed", run.status
        return str(run.error)


def indexed(flow: RagFlow) -> tuple[object, object]:
    model = flow.step("load_model")
    embedded = flow.step("embed_documents", texts=TEXTS, model=(model, "model"))
    flow.step("open_local_db", name="docs")
    flow.step("batch_insert_local_db", value=(embedded, "records"))
    return model, embedded


def test_embed_insert_and_search_finds_the_same_meaning_in_another_wording() -> None:
    flow = RagFlow()
    model, _ = indexed(flow)
    query = flow.step("embed_query", query_string="a cat asleep on a sofa", model=(model, "model"))
    search = flow.step("vector_search_local_db", vector=(query, "vector"), limit=2)
    hits = flow.run().output(search.id, "values")
    assert {hit["text"] for hit in hits} == {TEXTS[0], TEXTS[3]}
    assert len(hits[0]["vector"]) == 384


def test_a_query_vector_of_another_length_says_so() -> None:
    flow = RagFlow()
    indexed(flow)
    search = flow.step("vector_search_local_db", vector=[0.1, 0.2, 0.3])
    message = flow.failure()
    assert search.id in message
    assert ("the query vector has 3 values, but table 'docs' holds vectors of 384 values in 'vector': embed the query "
            "with the model that made the table's vectors") in message


def test_the_vectors_pack_search_names_a_column_without_vectors() -> None:
    flow = RagFlow()
    table = flow.step("vectors_open_table", name="notes")
    flow.step("vectors_insert", table=(table, "table"), records=[{"id": 1, "vector": [1.0, 0.0]}])
    flow.step("vectors_search", table=(table, "table"), vector=[1.0, 0.0], column="id")
    assert "column 'id' of table 'notes' holds no vectors (vector columns: vector)" in flow.failure()


def test_a_table_goes_in_as_arrow_with_its_column_types() -> None:
    rows = pa.table({"id": pa.array([1, 2, 3], pa.int32()), "score": pa.array([7, 8, 9], pa.uint8()),
                     "vector": pa.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]], pa.list_(pa.float32(), 2))})
    flow = Flow()
    flow.step("open_local_db", name="typed")
    values = flow.feed("rows")
    insert = flow.step("batch_insert_local_db")
    flow.wire(values, "value_ref", insert, "value")
    schema = flow.step("schema_local_db")
    run = flow.run(rows=rows)
    assert run.output(insert.id, "inserted") == 3
    assert "int32" in str(run.output(schema.id, "schema")) and "uint8" in str(run.output(schema.id, "schema"))


@pytest.mark.parametrize("empty", [[], pa.table({"id": pa.array([], pa.int64())})])
def test_an_empty_batch_inserts_nothing(empty: object) -> None:
    flow = Flow()
    flow.step("open_local_db", name="docs")
    values = flow.feed("rows")
    insert = flow.step("batch_insert_local_db")
    flow.wire(values, "value_ref", insert, "value")
    assert flow.run(rows=empty).output(insert.id, "inserted") == 0
