"""A run record shows as one line (in a notebook, `store.runs.get(id)` printed every field: 14,000 characters for a
13-node run)."""

from __future__ import annotations


def test_a_run_record_shows_as_one_line(build) -> None:
    start = build.add("t_start")
    previous = start
    for _ in range(13):
        node = build.add("t_add_one")
        build.chain(previous, node)
        previous = node
    record = build.run().record()
    text = repr(record)
    assert "\n" not in text and len(text) < 200, text
    assert text.startswith(f"<RunRecord {record.id} of board ") and "Success, 14 steps, 14 traces" in text


def test_a_one_node_run_record_counts_in_the_singular(build) -> None:
    build.add("t_start")
    assert "Success, 1 step, 1 trace>" in repr(build.run().record())
