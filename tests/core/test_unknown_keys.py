"""A node key no pack provides says what may have been meant: a key spelled alike, or where node types come from."""

from __future__ import annotations

import pytest

from flowlike_core import UnknownNodeError, start_run


def test_a_typo_names_the_keys_spelled_alike(registry):
    with pytest.raises(UnknownNodeError, match=r"unknown node type 't_add_onr'.*did you mean 't_add_one'\?"):
        registry.get("t_add_onr")


def test_a_key_like_none_says_where_node_types_come_from(registry):
    with pytest.raises(UnknownNodeError, match=r"'scale_by'.*a type defined in code \(@node, @fnb.node\) exists once"):
        registry.get("scale_by")


def test_validate_and_a_refused_run_pass_the_hint_on(build):
    start, add = build.add("t_start"), build.add("t_add_one")
    build.chain(start, add)
    build.board.nodes[add.id].name = "t_add_onr"
    [problem] = build.board.validate(build.registry)
    assert "(missing: t_add_onr, unknown pack; did you mean 't_add_one'?)" in problem.message
    with pytest.raises(Exception, match=r"missing t_add_onr \(unknown pack; did you mean 't_add_one'\?\)"):
        start_run(build.board, registry=build.registry)


def test_a_flowlike_key_names_its_flowlike_pack_alone(build):
    build.board.nodes[build.add("t_add_one").id].name = "copilot_abort"
    [problem] = build.board.validate(build.registry)
    assert problem.message.endswith("(missing: copilot_abort, Flow-Like pack 'llm')")
