"""Fingerprints on boards: create, compare, hash, record matches, update, JSON both ways (Flow-Like's shape too)."""

from __future__ import annotations

import json

import pytest
from flowlike_catalog.automation import PACK
from flowlike_catalog.automation.fingerprint import (
    ElementFingerprint,
    FingerprintMatchOptions,
    fingerprint_compare,
    fingerprint_compute_hash,
    fingerprint_create,
    fingerprint_match_options,
)
from flowlike_catalog.automation.selector import Selector, SelectorSet
from flowlike_catalog.media.image import BoundingBox
from pack_builder import Builder

LOGIN = SelectorSet().add(Selector(kind="TestId", value="login", confidence=1.0)).add(
    Selector(kind="Css", value="form button.primary", confidence=0.8))
FLOWLIKE_JSON = json.dumps({
    "id": "fp-login", "selectors": {"selectors": [{"kind": "TestId", "value": "login", "confidence": 1.0,
                                                    "scope": None}], "fallback_order": [0]},
    "role": "button", "name": "Sign in", "text": None,
    "bounding_box": {"x1": 10.0, "y1": 20.0, "x2": 110.0, "y2": 60.0, "score": 1.0, "class_idx": 0,
                     "class_name": None},
    "nearby_text": ["Password"], "template_ref": None, "dom_path": "html>body>form>button", "ax_path": None,
    "attributes": {"type": "submit"}, "tag_name": "button", "inner_text": "Sign in", "computed_styles": None,
    "created_at": "2025-01-02T03:04:05.123456Z", "last_matched_at": None, "match_count": 4,
})


@pytest.fixture
def b() -> Builder:
    return Builder(PACK)


def test_create_record_update_and_extract_on_a_board(b):
    create = b.add("fingerprint_create", id="fp-1", role="button", name="Sign in", text="")
    record, update, extract = b.add("fingerprint_record_match"), b.add("fingerprint_update", text="Log in"), \
        b.add("fingerprint_extract_data")
    b.feed(create, selectors=LOGIN.model_dump(), bounding_box={"x1": 0, "y1": 0, "x2": 0, "y2": 0})
    b.wire(create, "fingerprint", record, "fingerprint")
    b.wire(record, "updated_fingerprint", update, "fingerprint")
    b.wire(update, "updated_fingerprint", extract, "fingerprint")
    run = b.steps(create, record, update, extract)

    created = ElementFingerprint.model_validate(run.output(create.id, "fingerprint"))
    assert (created.text, created.bounding_box, created.match_count) == (None, None, 0)  # empty ones stay unset
    recorded = ElementFingerprint.model_validate(run.output(record.id, "updated_fingerprint"))
    assert recorded.match_count == run.output(record.id, "match_count") == 1
    assert recorded.last_matched_at is not None and recorded.last_matched_at >= created.created_at
    outputs = {pin: run.output(extract.id, pin) for pin in ("id", "role", "name", "text", "tag_name",
                                                            "selector_count", "match_count")}
    assert outputs == {"id": "fp-1", "role": "button", "name": "Sign in", "text": "Log in", "tag_name": "",
                       "selector_count": 2, "match_count": 1}


def test_create_without_id_makes_a_new_one_and_keeps_a_real_box():
    box = BoundingBox(x1=5, y1=5, x2=25, y2=15)
    first, second = fingerprint_create.func(bounding_box=box), fingerprint_create.func()
    assert first.id and second.id and first.id != second.id
    assert first.bounding_box.x2 == 25


def test_compare_weighs_shared_fields():
    a = ElementFingerprint(id="a", selectors=LOGIN, role="button", name="Sign in", text="Sign in", tag_name="button")
    same = a.model_copy(update={"id": "b", "text": "Sign in now"})  # 3+2+1+2 of 10 agree
    assert fingerprint_compare.func(a, same) == pytest.approx((0.8, True))
    renamed = a.model_copy(update={"name": "Register", "selectors": SelectorSet().add(LOGIN.selectors[0])})
    score, is_match = fingerprint_compare.func(a, renamed)
    assert score == pytest.approx((2 + 2 + 1 + 1) / 10) and not is_match  # one of two selectors shared
    assert fingerprint_compare.func(ElementFingerprint(id="x"), ElementFingerprint(id="y")) == (0.0, False)


def test_hash_follows_identity_not_bookkeeping():
    a = ElementFingerprint(id="a", selectors=LOGIN, role="button", name="Sign in")
    counted = a.model_copy(update={"id": "other", "match_count": 9})
    assert fingerprint_compute_hash.func(a) == fingerprint_compute_hash.func(counted)
    assert len(fingerprint_compute_hash.func(a)) == 16
    assert fingerprint_compute_hash.func(a) != fingerprint_compute_hash.func(a.model_copy(update={"name": "Sign"}))
    assert fingerprint_compute_hash.func(a) != fingerprint_compute_hash.func(a.model_copy(update={"role": None,
                                                                                                  "name": "button"}))


def test_flowlike_json_reads_back_and_round_trips_on_a_board(b):
    parse, to_json, again = b.add("fingerprint_from_json", json=FLOWLIKE_JSON), \
        b.add("fingerprint_to_json", pretty=True), b.add("fingerprint_from_json")
    b.wire(parse, "fingerprint", to_json, "fingerprint")
    b.wire(to_json, "json", again, "json")
    run = b.steps(parse, to_json, again)
    parsed = ElementFingerprint.model_validate(run.output(parse.id, "fingerprint"))
    assert (parsed.id, parsed.bounding_box.x2, parsed.match_count, parsed.created_at.year) == \
        ("fp-login", 110.0, 4, 2025)
    text = run.output(to_json.id, "json")
    assert text.startswith("{\n") and json.loads(text)["selectors"]["selectors"][0]["kind"] == "TestId"
    assert ElementFingerprint.model_validate(run.output(again.id, "fingerprint")) == parsed


@pytest.mark.parametrize(("text", "reason"), [("{}", "id: Field required"), ("[1", "Invalid JSON"),
                                              ('{"id": "x", "match_count": "many"}', "match_count")])
def test_bad_json_fires_error_with_the_reason(b, text, reason):
    parse, log = b.add("fingerprint_from_json", json=text), b.add("log_info")
    b.wire(parse, "exec_error", log, "exec_in")
    b.wire(parse, "error_message", log, "message")
    run = b.steps(parse)
    message = run.output(parse.id, "error_message")
    assert message.startswith("not an element fingerprint") and reason in message
    assert [line.message for line in run.logs()] == [message]


def test_match_options(b):
    run, node = b.one("fingerprint_match_options", strategy="Dom", min_confidence=0.9, timeout_ms=500)
    options = FingerprintMatchOptions.model_validate(run.output(node.id, "options"))
    assert options.model_dump() == {"strategy": "Dom", "min_confidence": 0.9, "max_fallback_attempts": 3,
                                    "timeout_ms": 500, "search_region": None}
    with pytest.raises(ValueError, match="unknown strategy 'Magic'"):
        fingerprint_match_options.func(strategy="Magic")
