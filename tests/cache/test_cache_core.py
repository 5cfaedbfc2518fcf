"""The result cache in the engine: what re-runs after an edit, and why (`flowlike_core.cache`)."""

from __future__ import annotations

import pytest
from cache_boards import RAN, add, registry, set_default, sum_board, wire

from flowlike_core import Board, Variable, commands
from flowlike_core.cache import ResultCache
from flowlike_core.executor import run_board
from flowlike_core.fingerprint import code_version, fingerprint
from flowlike_core.run import RunRecord


@pytest.fixture(autouse=True)
def counted() -> None:
    RAN.clear()


def ran_again(board: Board, cache: ResultCache, **options) -> object:
    RAN.clear()
    run = run_board(board, cache=cache, **options)
    assert run.ok, run.error
    return run


def test_a_second_run_serves_every_pure_node_from_the_cache() -> None:
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    first = ran_again(board, cache, registry=reg)
    assert first.result == 10 and RAN == {"c_add": 3, "c_emit": 1}
    assert "never cached" in str(first.why("total"))
    second = ran_again(board, cache, registry=reg)
    assert second.result == 10 and RAN == {"c_emit": 1}
    assert second.why("total").cached
    assert str(second.why("total")).endswith("was cached: same code and inputs as before")
    assert {t.node_id: t.cached for t in second.traces} == {"start": False, "emit": False, "left": True,
                                                             "right": True, "total": True}


def test_an_upstream_edit_reruns_only_what_it_affects_and_says_why() -> None:
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    ran_again(board, cache, registry=reg)
    set_default(board, "right", b=10)
    run = ran_again(board, cache, registry=reg)
    assert run.result == 16 and RAN == {"c_add": 2, "c_emit": 1}
    assert run.why("left").cached
    right, total = run.why("right"), run.why("total")
    assert str(right) == "'right' (right) ran: input 'b' changed (default edited)"
    assert (right.changes[0].kind, right.changes[0].name, right.changes[0].source) == ("input", "b", "default")
    assert str(total) == "'total' (total) ran: input 'b' changed (upstream node 'right' (right) changed)"
    assert total.changes[0].node_id == "right"
    assert "exec node" in str(run.why("emit")) and not run.why("emit").cached


def test_an_input_wired_from_another_node_says_so() -> None:
    """`why` said "upstream node 'other' changed" of an input now wired from 'other': nothing of 'other' changed."""
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    ran_again(board, cache, registry=reg)
    add(board, reg, "c_add", "other", a=5, b=6)
    wire(board, "other", "sum", "total", "b")
    wire(board, "other", "sum", "left", "a")
    run = ran_again(board, cache, registry=reg)
    assert run.result == (11 + 2) + 11
    assert str(run.why("total")) == ("'total' (total) ran: input 'a' changed (upstream node 'left' (left) changed); "
                                     "input 'b' changed (now wired from node 'other' (other) instead of node "
                                     "'right' (right))")
    assert run.why("total").changes[1].before == "'right' (right)"
    assert str(run.why("left")) == "'left' (left) ran: input 'a' changed (now wired from node 'other' (other))"
    set_default(board, "other", a=7)
    run = ran_again(board, cache, registry=reg)
    assert str(run.why("left")) == "'left' (left) ran: input 'a' changed (upstream node 'other' (other) changed)"


def test_an_edit_back_to_an_earlier_value_is_served_again() -> None:
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    ran_again(board, cache, registry=reg)
    set_default(board, "left", a=5)
    ran_again(board, cache, registry=reg)
    set_default(board, "left", a=1)
    run = ran_again(board, cache, registry=reg)
    assert run.result == 10 and RAN == {"c_emit": 1}


def test_a_changed_node_body_invalidates_its_results() -> None:
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    ran_again(board, cache, registry=reg)
    from flowlike_core import DataType, NodeType, data_in, data_out

    class Add(NodeType):  # the same key, another body: subtracts
        name = "c_add"
        pins = (data_in("a", DataType.INTEGER), data_in("b", DataType.INTEGER), data_out("sum", DataType.INTEGER))

        def run(self, ctx):
            RAN[self.name] += 1
            ctx.set_output("sum", ctx.get_input("a") - ctx.get_input("b"))

    assert code_version(Add) != code_version(reg.get("c_add"))
    reg.register(Add, pack="cachetest", replace=True, version="1.0")
    run = ran_again(board, cache, registry=reg)
    assert run.result == (1 - 2) - (3 - 4) and RAN == {"c_add": 3, "c_emit": 1}
    why = run.why("left")
    assert str(why) == "'left' (left) ran: its code changed (node type 'c_add' was redefined)"
    assert why.changes[0].kind == "code"


def test_a_new_catalog_version_invalidates_its_nodes() -> None:
    reg = registry("1.0")
    board = sum_board(reg)
    cache = ResultCache()
    ran_again(board, cache, registry=reg)
    newer = registry("1.1")
    run = ran_again(board, cache, registry=newer)
    assert RAN == {"c_add": 3, "c_emit": 1}
    assert str(run.why("left")) == "'left' (left) ran: catalog version changed (pack 'cachetest' 1.0 -> 1.1)"


def test_a_variable_a_node_reads_is_part_of_its_result() -> None:
    reg = registry()
    board = Board(name="shout")
    board.apply(commands.UpsertVariable(Variable(name="suffix", data_type="String", default_value="!", exposed=True)))
    add(board, reg, "c_start", "start")
    add(board, reg, "c_shout", "shout", text="hi")
    add(board, reg, "c_emit", "emit")
    wire(board, "start", "exec_out", "emit", "exec_in")
    wire(board, "shout", "loud", "emit", "value")
    cache = ResultCache()
    assert ran_again(board, cache, registry=reg).result == "HI!"
    assert ran_again(board, cache, registry=reg, variables={"suffix": "!"}).why("shout").cached
    run = ran_again(board, cache, registry=reg, variables={"suffix": "?"})
    assert run.result == "HI?" and RAN["c_shout"] == 1
    assert str(run.why("shout")) == "'shout' (shout) ran: variable 'suffix' changed"


def test_nondeterministic_and_networked_nodes_always_run() -> None:
    reg = registry()
    board = Board(name="dice")
    add(board, reg, "c_start", "start")
    add(board, reg, "c_dice", "dice")
    add(board, reg, "c_fetch", "fetch", url="http://x")
    add(board, reg, "c_add", "plus", b=0)
    add(board, reg, "c_emit", "emit")
    add(board, reg, "c_emit", "emit2")
    wire(board, "dice", "roll", "plus", "a")
    wire(board, "plus", "sum", "emit", "value")
    wire(board, "fetch", "body", "emit2", "value")
    wire(board, "start", "exec_out", "emit", "exec_in")
    wire(board, "emit", "exec_out", "emit2", "exec_in")
    cache = ResultCache()
    for _ in range(3):
        run = ran_again(board, cache, registry=reg)
        assert RAN["c_dice"] == 1 and RAN["c_fetch"] == 1
    assert "declares cacheable=False" in str(run.why("dice"))
    assert "reaches network" in str(run.why("fetch"))
    plus = run.why("plus")  # keyed on the roll's value: served when the dice repeat, else it says the dice changed
    assert plus.cached or plus.changes[0].node_id == "dice"


def test_exec_nodes_are_cached_only_when_idempotent() -> None:
    reg = registry()
    board = Board(name="exec")
    add(board, reg, "c_start", "start")
    add(board, reg, "c_double", "double", value=4)
    add(board, reg, "c_bump", "bump")
    add(board, reg, "c_emit", "emit")
    wire(board, "start", "exec_out", "double", "exec_in")
    wire(board, "double", "exec_out", "bump", "exec_in")
    wire(board, "double", "twice", "bump", "value")
    wire(board, "bump", "exec_out", "emit", "exec_in")
    wire(board, "bump", "twice", "emit", "value")
    cache = ResultCache()
    assert ran_again(board, cache, registry=reg).result == 16
    run = ran_again(board, cache, registry=reg)
    assert run.result == 16 and RAN == {"c_bump": 1, "c_emit": 1}
    assert run.why("double").cached and not run.why("bump").cached
    set_default(board, "double", value=5)
    assert ran_again(board, cache, registry=reg).result == 20 and RAN["c_double"] == 1


def test_unhashable_values_fall_back_to_identity_with_a_note() -> None:
    reg = registry()
    board = Board(name="opaque")
    add(board, reg, "c_start", "start")
    add(board, reg, "c_wrap", "wrap", value=7)
    add(board, reg, "c_unwrap", "unwrap")
    add(board, reg, "c_emit", "emit")
    wire(board, "wrap", "wrapped", "unwrap", "wrapped")
    wire(board, "unwrap", "value", "emit", "value")
    wire(board, "start", "exec_out", "emit", "exec_in")
    cache = ResultCache()
    first = ran_again(board, cache, registry=reg)
    assert first.result == 7
    assert any("compared by identity" in note for note in first.why("wrap").notes)
    assert any("compared by identity" in note for note in first.why("unwrap").notes)
    second = ran_again(board, cache, registry=reg)  # the same object comes back from the cache: served
    assert second.why("unwrap").cached and RAN == {"c_emit": 1}
    assert fingerprint(object()).identity == ("builtins.object",)


def test_lru_eviction_by_bytes() -> None:
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache(max_bytes=2 * (512 + fingerprint(10).size))  # room for two of the three results (3, 7, 10)
    ran_again(board, cache, registry=reg)
    assert len(cache) == 2 and cache.evictions == 1 and cache.bytes <= cache.max_bytes
    run = ran_again(board, cache, registry=reg)
    assert str(run.why("left")) == "'left' (left) ran: its cached result was evicted or cleared"
    cache.clear()
    assert len(cache) == 0 and cache.bytes == 0
    assert "evicted or cleared" in str(ran_again(board, cache, registry=reg).why("total"))


def test_a_cache_holding_one_result_says_so_in_the_singular() -> None:
    reg = registry()
    cache = ResultCache(max_bytes=512 + fingerprint(10).size)  # room for one of the three results
    ran_again(sum_board(reg), cache, registry=reg)
    assert len(cache) == 1 and repr(cache).startswith("<ResultCache: 1 result, "), repr(cache)


def test_results_persist_across_two_caches_over_the_same_store(tmp_path) -> None:
    from flowlike_core.storage import Bucket

    reg = registry()
    board = sum_board(reg)
    first = ResultCache(store=Bucket(str(tmp_path)))
    ran_again(board, first, registry=reg)
    assert len(list((tmp_path / "cache").rglob("*"))) >= 3
    second = ResultCache().persist(Bucket(str(tmp_path)))  # a new kernel: nothing in memory
    run = ran_again(board, second, registry=reg)
    assert run.result == 10 and RAN == {"c_emit": 1}
    assert all(run.why(n).cached for n in ("left", "right", "total"))
    set_default(board, "right", b=10)
    third = ran_again(board, ResultCache(store=Bucket(str(tmp_path))), registry=reg)  # explains, as a new kernel
    assert str(third.why("right")).endswith("ran: input 'b' changed (default edited)")
    second.clear(store=True)
    assert not [path for path in (tmp_path / "cache").rglob("*") if path.is_file()]
    ran_again(board, ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    assert RAN["c_add"] == 3


def test_the_record_keeps_cached_marks_and_reasons_and_reads_back() -> None:
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    ran_again(board, cache, registry=reg)
    run = ran_again(board, cache, registry=reg)
    record = RunRecord.model_validate_json(run.to_json())
    assert {t.node_id: t.cached for t in record.traces}["total"] is True
    reasons = {r.node_id: r for r in record.reasons}
    assert reasons["total"].cached and reasons["total"].why.endswith("same code and inputs as before")
    assert "emit" not in reasons and run.why("emit").changes[0].kind == "always"  # exec nodes: said, not stored
    old = record.model_dump(mode="json")
    for trace in old["traces"]:
        trace.pop("cached")
    old.pop("reasons")
    assert RunRecord.model_validate(old).reasons == []  # a record from before the cache still reads


def test_why_without_a_cache_and_for_a_node_that_did_not_run() -> None:
    reg = registry()
    board = sum_board(reg)
    add(board, reg, "c_add", "lonely")
    run = run_board(board, registry=reg)
    assert "had no result cache" in str(run.why("total")) and run.why("total").ran
    assert str(run.why("lonely")) == "'lonely' (lonely) did not run: it was not reached"


def test_fingerprints_are_by_content_and_tell_types_apart() -> None:
    assert fingerprint([1, {"a": 2.5}]).digest == fingerprint([1, {"a": 2.5}]).digest
    assert len({fingerprint(v).digest for v in (1, 1.0, "1", [1], (1,), True, None, b"1")}) == 8
    assert fingerprint({3, 1, 2}).digest == fingerprint({1, 2, 3}).digest
    assert fingerprint([float("nan")]).digest != fingerprint([None]).digest != fingerprint([float("inf")]).digest
    assert fingerprint(Held([1])).digest == fingerprint(Held([1])).digest != fingerprint(Held([2])).digest
    assert not fingerprint(Held([1])).identity
    np = pytest.importorskip("numpy")
    assert fingerprint(np.arange(5)).digest == fingerprint(np.arange(5)).digest != fingerprint(np.arange(6)).digest
    days = np.array(["2024-01-01", "2024-01-02"], dtype="M8[D]")  # (dates and durations: by content too)
    assert not fingerprint(days).identity and fingerprint(days).digest == fingerprint(days.copy()).digest
    assert fingerprint(days).digest != fingerprint(days + 1).digest
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"x": [1, 2, 3]})
    assert fingerprint(table).digest == fingerprint(pa.table({"x": [1, 2, 3]})).digest
    assert fingerprint(table).digest != fingerprint(pa.table({"x": [1, 2, 4]})).digest
    assert not fingerprint(table).mutable and fingerprint([1]).mutable


class Held:
    """A handle that says what stands for it."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __fingerprint__(self) -> object:
        return self.value


def test_runs_on_a_worker_process_share_results_through_the_store(tmp_path) -> None:
    from flowlike_core.backends.process import ProcessBackend
    from flowlike_core.errors import RunError
    from flowlike_core.storage import Bucket
    from flowlike_core.sweep import sweep

    reg = registry()
    board = sum_board(reg)
    board.apply(commands.UpsertVariable(Variable(name="k", data_type="Integer", default_value=0, exposed=True)))
    with pytest.raises(RunError, match="persist\\(\\) it first"):
        run_board(board, registry=reg, backend="process", cache=ResultCache())
    backend = ProcessBackend(1, timeout=60)
    try:
        stored = ResultCache(store=Bucket(str(tmp_path)))
        result = sweep(board, {"k": [1, 2, 3]}, outputs=["result"], registry=reg, backend=backend, cache=stored)
        assert result.ok and [row.outputs["result"] for row in result.rows] == [10, 10, 10]
        first, *later = [row.run for row in result.rows]
        assert "never cached" in str(first.why("total")) and not first.traces_of("total")[0].cached
        assert all(run.why("total").cached and run.traces_of("total")[0].cached for run in later)
    finally:
        backend.close()
    here = ran_again(board, ResultCache(store=Bucket(str(tmp_path))), registry=reg)  # what the worker kept
    assert RAN == {"c_emit": 1} and here.why("left").cached


def test_a_value_counts_its_memory_against_the_cache_bound() -> None:
    """What `max_bytes` bounds is memory: a frame of 10 float columns holds 8 bytes per cell, not per row (pandas
    hashes a row into 8 bytes); a table and an array count what they hold."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    numbers = np.arange(10_000, dtype=float)
    frame = pd.DataFrame({f"c{i}": numbers for i in range(10)})
    for value, held in ((frame, 800_000), (frame["c0"], 80_000), (pa.Table.from_pandas(frame), 800_000),
                        (numbers, 80_000)):
        assert fingerprint(value).size >= held, type(value)


@pytest.mark.parametrize("loop", ["", "control_for_each", "control_par_for_each"])
def test_a_node_that_changes_its_input_in_place_is_not_served(loop: str) -> None:
    """`push` appends to the list `numbers` made; `pair` reads both in the same step, so it sees the list with 99.
    Served, `push` would not append: the result would differ from a run without a cache. In a loop's body too."""
    from flowlike_core import default_registry

    reg = registry()
    board = Board(name="mutating")
    add(board, reg, "c_start", "start")
    add(board, reg, "c_numbers", "numbers", n=3)
    add(board, reg, "c_push", "push")
    add(board, reg, "c_pair", "pair")
    if loop:
        reg.register(default_registry().get(loop))
        add(board, reg, loop, "loop", array=[1, 2])
        wire(board, "start", "exec_out", "loop", "exec_in")
        wire(board, "loop", "exec_out", "pair", "exec_in")
    else:
        wire(board, "start", "exec_out", "pair", "exec_in")
    wire(board, "numbers", "items", "push", "items")
    wire(board, "push", "length", "pair", "first")
    wire(board, "numbers", "items", "pair", "second")
    expected = run_board(board, registry=reg).result
    assert expected == [4, [0, 1, 2, 99]]
    cache = ResultCache()
    runs = [run_board(board, cache=cache, registry=reg) for _ in range(3)]
    assert [run.result for run in runs] == [expected] * 3
    assert not runs[-1].why("push").cached and "in place" in runs[-1].why("push").text


@pytest.mark.parametrize("kind", ["numpy", "pandas", "dates"])
def test_an_array_or_frame_changed_in_place_after_it_was_kept_is_made_again(kind: str) -> None:
    """What a notebook does with a run's result (`result[0] = 99`) changes the kept value: the cheap check of arrays
    and frames of numbers (`quick_check`) sees it, and the node runs again."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    from flowlike_core import DataType, NodeType, data_in, data_out

    made = {"numpy": lambda n: np.arange(n), "pandas": lambda n: pd.DataFrame({"n": np.arange(n)}),
            "dates": lambda n: pd.DataFrame({"day": pd.date_range("2024-01-01", periods=n)})}[kind]

    class Make(NodeType):
        name = f"c_make_{kind}"
        pins = (data_in("n", DataType.INTEGER), data_out("value", DataType.GENERIC))

        def run(self, ctx):
            RAN[self.name] += 1
            ctx.set_output("value", made(ctx.get_input("n")))

    reg = registry()
    reg.register(Make)
    board = Board(name="in place")
    add(board, reg, "c_start", "start")
    add(board, reg, Make.name, "make", n=4)
    add(board, reg, "c_emit", "emit")
    wire(board, "start", "exec_out", "emit", "exec_in")
    wire(board, "make", "value", "emit", "value")
    cache = ResultCache()
    first = ran_again(board, cache, registry=reg)
    assert ran_again(board, cache, registry=reg).why("make").cached
    if kind == "numpy":
        first.result[0] = 99
    else:
        first.result.iloc[0, 0] = first.result.iloc[1, 0]
    again = ran_again(board, cache, registry=reg)
    assert RAN[Make.name] == 1 and "changed in place" in again.why("make").text
    assert fingerprint(again.result).digest == fingerprint(made(4)).digest
