"""Every vectors node, through real boards, on each store kind (small made-up vectors, no models)."""

from __future__ import annotations

from typing import Any

import pytest
from storage_nodes import Start

from flowlike_core import Board, Registry, RunStatus, commands
from flowlike_core.storage import Storage

DOCS = [
    {"id": 1, "text": "cats purr and sleep all day", "category": "pets", "vector": [1.0, 0.0, 0.0]},
    {"id": 2, "text": "dogs bark at the mail carrier", "category": "pets", "vector": [0.9, 0.1, 0.0]},
    {"id": 3, "text": "stock markets fell sharply", "category": "news", "vector": [0.0, 1.0, 0.0]},
    {"id": 4, "text": "cats and dogs in the news", "category": "news", "vector": [0.5, 0.5, 0.0]},
    {"id": 5, "text": "a recipe for lemon cake", "category": "food", "vector": [0.0, 0.0, 1.0]},
    {"id": 6, "text": "cats prefer fish cake", "category": "food", "vector": [0.3, 0.0, 0.9]},
]


class Flow:
    """A straight line of exec nodes after an Open Table node, each reading the table from it."""

    def __init__(self, registry: Registry, table: str = "docs") -> None:
        self.registry = registry
        self.board = Board(name="vectors")
        self.last = self.board.apply(commands.AddNode(Start.create(node_id="start"))).id
        self.open = self.add("vectors_open_table", "open", name=table, app="demo")

    def add(self, key: str, node_id: str, **defaults: Any) -> str:
        node = self.board.apply(commands.AddNode(self.registry.get(key).create(node_id=node_id, **defaults)))
        self.board.apply(commands.Connect(self.last, "exec_out", node.id, "exec_in"))
        if key != "vectors_open_table":
            self.board.apply(commands.Connect("open", "table", node.id, "table"))
        self.last = node.id
        return node.id

    def run(self) -> Any:
        run = self.board.run(registry=self.registry)
        run.raise_for_status()
        return run


def ids(rows: list[dict]) -> list[int]:
    return [row["id"] for row in rows]


def test_insert_count_filter_and_vector_search(store: Storage, registry: Registry) -> None:
    flow = Flow(registry)
    flow.add("vectors_insert", "insert", records=DOCS)
    flow.add("vectors_count", "all")
    flow.add("vectors_count", "pets", filter="category = 'pets'")
    flow.add("vectors_filter", "news", filter="category = 'news' AND id > 3", columns=["id", "text"])
    flow.add("vectors_search", "near", vector=[1.0, 0.05, 0.0], limit=3)
    flow.add("vectors_search", "near_food", vector=[1.0, 0.0, 0.0], limit=2, filter="category = 'food'")
    flow.add("vectors_search", "cosine", vector=[2.0, 2.0, 0.0], limit=1, metric="cosine")
    run = flow.run()
    assert run.output("open", "exists") is False
    assert run.output("insert", "inserted") == 6
    assert (run.output("all", "count"), run.output("pets", "count")) == (6, 2)
    assert run.output("news", "results") == [{"id": 4, "text": "cats and dogs in the news"}]
    near = run.output("near", "results")
    assert ids(near) == [1, 2, 4]
    assert near[0]["_distance"] < near[1]["_distance"] < near[2]["_distance"]
    assert ids(run.output("near_food", "results")) == [6, 5]
    assert ids(run.output("cosine", "results")) == [4]
    again = Flow(registry)
    assert again.run().output("open", "exists") is True


def test_upsert_and_delete(store: Storage, registry: Registry) -> None:
    flow = Flow(registry)
    flow.add("vectors_insert", "insert", records=DOCS[:3])
    flow.add("vectors_upsert", "upsert", records=[
        {**DOCS[0], "text": "cats purr loudly"}, DOCS[3]])
    flow.add("vectors_delete", "delete", filter="category = 'news'")
    flow.add("vectors_filter", "left", limit=10)
    run = flow.run()
    assert (run.output("upsert", "updated"), run.output("upsert", "inserted")) == (1, 1)
    assert run.output("delete", "deleted") == 2
    left = sorted(run.output("left", "results"), key=lambda r: r["id"])
    assert [(r["id"], r["text"]) for r in left] == [(1, "cats purr loudly"), (2, DOCS[1]["text"])]


def test_full_text_and_hybrid_search_with_reciprocal_rank_fusion(store: Storage, registry: Registry) -> None:
    flow = Flow(registry)
    flow.add("vectors_insert", "insert", records=DOCS)
    flow.add("vectors_create_index", "fts", column="text", kind="fts")
    flow.add("vectors_fts_search", "text", query="cats", limit=3)
    flow.add("vectors_search", "vec", vector=[0.2, 0.0, 1.0], limit=3)
    flow.add("vectors_hybrid_search", "hybrid", vector=[0.2, 0.0, 1.0], query="cats", limit=3, k=60)
    flow.add("vectors_fts_search", "filtered", query="cats", filter="category = 'food'")
    run = flow.run()
    text_hits = ids(run.output("text", "results"))
    assert sorted(text_hits) == [1, 4, 6]
    vector_hits = ids(run.output("vec", "results"))
    assert vector_hits == [6, 5, 4]
    fused: dict[int, float] = {}
    for ranking in (text_hits, vector_hits):  # each sub-search is cut at the same limit, ranks count from 1
        for rank, doc in enumerate(ranking, start=1):
            fused[doc] = fused.get(doc, 0.0) + 1.0 / (60 + rank)
    hybrid = run.output("hybrid", "results")
    scores = [row["_relevance_score"] for row in hybrid]
    assert scores == pytest.approx([fused[doc] for doc in ids(hybrid)], rel=1e-5)
    assert scores == sorted(scores, reverse=True) and len(hybrid) == 3
    assert min(scores) >= max((fused[d] for d in fused if d not in ids(hybrid)), default=0) - 1e-9
    assert set(ids(hybrid)[:2]) == {4, 6}, "the docs found by both searches win"
    assert ids(run.output("filtered", "results")) == [6]


def test_vector_and_scalar_indexes(store: Storage, registry: Registry) -> None:
    rows = [{"id": i, "group": i % 7, "vector": [float(i % 10), float(i // 10), 1.0]} for i in range(300)]
    flow = Flow(registry, "many")
    flow.add("vectors_insert", "insert", records=rows)
    flow.add("vectors_create_index", "ivf", column="vector", kind="vector")
    flow.add("vectors_create_index", "btree", column="group", kind="scalar")
    flow.add("vectors_search", "near", vector=[3.0, 4.0, 1.0], limit=1)
    flow.add("vectors_count", "grouped", filter="\"group\" = 3")
    run = flow.run()
    assert ids(run.output("near", "results")) == [43]
    assert run.output("grouped", "count") == len([r for r in rows if r["group"] == 3])
    from flowlike_core.storage.lance import connect

    table = connect(store.app("demo").vectors_uri, store.config.options).open_table("many")
    assert {(i.index_type, tuple(i.columns)) for i in table.list_indices()} == {("IvfFlat", ("vector",)),
                                                                               ("BTree", ("group",))}


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_missing_table_and_bad_kind_fail_clearly(store: Storage, registry: Registry) -> None:
    flow = Flow(registry, "nothing")
    flow.add("vectors_count", "count")
    run = flow.board.run(registry=registry)
    assert run.status is RunStatus.FAILED
    assert "table 'nothing' does not exist yet" in run.error and "insert rows first" in run.error

    flow = Flow(registry, "../escape")
    run = flow.board.run(registry=registry)
    assert run.status is RunStatus.FAILED and "table name '../escape' is not allowed" in run.error


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_one_connection_per_run_from_the_run_cache(store: Storage, registry: Registry,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from flowlike_core.storage import lance

    opened = []
    real_connect = lance.connect
    monkeypatch.setattr(lance, "connect", lambda uri, options=None: opened.append(uri) or real_connect(uri, options))
    flow = Flow(registry)
    flow.add("vectors_insert", "insert", records=DOCS)
    for n in range(3):
        flow.add("vectors_count", f"count{n}")
    flow.run()
    assert opened == [store.app("demo").vectors_uri]
    flow.run()
    assert len(opened) == 2, "a new run opens its own connection"


def test_the_handle_is_a_small_json_struct(store: Storage, registry: Registry) -> None:
    flow = Flow(registry)
    handle = flow.run().output("open", "table")
    assert handle == {"database": store.app("demo").vectors_uri, "table": "docs"}
    assert "secret" not in str(handle)
