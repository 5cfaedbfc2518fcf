"""Selectors on boards: build, sets in fallback order, ranking, best and primary, validation with real parsers."""

from __future__ import annotations

import pytest
from flowlike_catalog.automation import PACK
from flowlike_catalog.automation.selector import Selector, SelectorSet, problem, rank, selector_build
from pack_builder import Builder

from flowlike_core import NodeStatus


@pytest.fixture
def b() -> Builder:
    return Builder(PACK)


def test_a_set_built_on_a_board_ranks_test_ids_first_and_keeps_the_order_as_fallback(b):
    create = b.add("selector_create_set")
    text = b.add("selector_build", kind="Text", value="Sign in", confidence=0.9)
    css = b.add("selector_build", kind="css", value="form > button.primary", confidence=0.7)
    test_id = b.add("selector_build", kind="TestId", value="login", confidence=0.85)
    add_text, add_css, add_id = (b.add("selector_add_to_set") for _ in range(3))
    b.wire(create, "selector_set", add_text, "selector_set")
    b.wire(text, "selector", add_text, "selector")
    b.wire(add_text, "updated_set", add_css, "selector_set")
    b.wire(css, "selector", add_css, "selector")
    b.wire(add_css, "updated_set", add_id, "selector_set")
    b.wire(test_id, "selector", add_id, "selector")
    ranked, best, primary = b.add("selector_rank"), b.add("selector_get_best"), b.add("selector_get_primary")
    back = b.add("selector_ranked_to_set")
    b.wire(add_id, "updated_set", ranked, "selector_set")
    b.wire(ranked, "ranked_set", best, "ranked_set")
    b.wire(add_id, "updated_set", primary, "selector_set")
    b.wire(ranked, "ranked_set", back, "ranked_set")
    b.chain(b.add("events_simple"), create, text, css, test_id, add_text, add_css, add_id, ranked, back)
    b.wire(back, "exec_out", best, "exec_in")
    b.wire(best, "exec_found", primary, "exec_in")
    run = b.run()

    built = SelectorSet.model_validate(run.output(add_id.id, "updated_set"))
    assert [s.kind for s in built.selectors] == ["Text", "Css", "TestId"]
    assert built.fallback_order == [0, 1, 2]
    assert Selector.model_validate(run.output(primary.id, "selector")).value == "Sign in"
    assert Selector.model_validate(run.output(best.id, "selector")).value == "login"
    assert run.output(best.id, "score") == 1.0  # 0.85 + 0.2, capped
    order = SelectorSet.model_validate(run.output(back.id, "selector_set"))
    assert [s.value for s in order.by_priority()] == ["login", "Sign in", "form > button.primary"]


def test_rank_scores_confidence_plus_specificity_and_numbers_the_ranks():
    selectors = SelectorSet().add(Selector(kind="Role", value="button")).add(Selector(kind="Xpath", value="//a",
                                                                                       confidence=0.6))
    ranked = rank(selectors).ranked
    assert [(r.selector.kind, r.rank, round(r.score, 2)) for r in ranked] == [("Xpath", 0, 0.7), ("Role", 1, 0.55)]
    assert ranked[1].reason == "Base: 0.50, Specificity: +0.05"


def test_empty_sets_fire_empty(b):
    create, primary = b.add("selector_create_set"), b.add("selector_get_primary")
    ranked, best = b.add("selector_rank"), b.add("selector_get_best")
    log_a, log_b = b.add("log_info", message="primary empty"), b.add("log_info", message="best empty")
    b.wire(create, "selector_set", primary, "selector_set")
    b.wire(create, "selector_set", ranked, "selector_set")
    b.wire(ranked, "ranked_set", best, "ranked_set")
    b.chain(b.add("events_simple"), create, ranked, primary)
    b.wire(primary, "exec_empty", best, "exec_in")
    b.wire(best, "exec_empty", log_a, "exec_in")
    b.wire(log_a, "exec_out", log_b, "exec_in")
    run = b.run()
    assert [line.message for line in run.logs()] == ["primary empty", "best empty"]


@pytest.mark.parametrize(("kind", "value", "error"), [
    ("Css", "div#main > a[href^='/docs']:not(.hidden)", ""),
    ("Css", "button:has-text('Save') >> nth=0", ""),
    ("Css", "div[", "CSS selector does not parse"),
    ("Xpath", "//div[@id='main']/a[1]", ""),
    ("Xpath", "//div[@id='main'", "XPath does not parse"),
    ("Text", "", "Selector value is empty"),
    ("Role", "{{ role }}", "template syntax"),
])
def test_validate_parses_css_and_xpath(b, kind, value, error):
    found = problem(Selector(kind=kind, value=value))
    assert error in found if error else found == ""
    run, node = b.one("selector_validate", inputs={"selector": {"kind": kind, "value": value}})
    assert run.output(node.id, "is_valid") is (not error)
    assert error in run.output(node.id, "error")


def test_selector_to_string_and_bad_kind(b):
    run, node = b.one("selector_to_string", inputs={"selector": {"kind": "AriaLabel", "value": "Close"}})
    assert (run.output(node.id, "kind"), run.output(node.id, "value"), run.output(node.id, "confidence")) == \
        ("AriaLabel", "Close", 1.0)
    with pytest.raises(ValueError, match="unknown selector kind 'Shadow'"):
        selector_build.func(kind="Shadow", value="x")
    with pytest.raises(ValueError, match="within 0..1"):
        selector_build.func(value="a", confidence=1.5)
    bad = b.fresh()
    node = bad.add("selector_build", kind="Shadow", value="x")
    bad.chain(bad.add("events_simple"), node)
    run = bad.board.run(registry=bad.registry)
    assert run.traces_of(node.id)[0].status == NodeStatus.FAILED
    assert "unknown selector kind" in run.traces_of(node.id)[0].error
