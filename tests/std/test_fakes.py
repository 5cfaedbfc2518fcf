"""Fake data: every Faker node on a board, reproducible with a seed, fresh without one."""

from __future__ import annotations

import ipaddress
import re

import pytest
from flowlike_catalog.std import fakes

from flowlike_core import NodeFailed, RunStatus

KEYS = sorted(t.name for t in vars(fakes).values() if getattr(t, "name", "").startswith("faker_"))
OUTPUT = {key: next(spec.name for spec in getattr(fakes, key).pins
                    if spec.direction.value == "Output" and spec.data_type.value != "Execution") for key in KEYS}


def draw_all(b, seed: int) -> dict[str, object]:
    """One run with every fake node chained, each with the seed; their values by key."""
    nodes = {key: b.add(key, seed=seed) for key in KEYS}
    start = b.start()
    b.chain(start, *nodes.values())
    run = b.run()
    assert run.status is RunStatus.SUCCESS, run.error
    return {key: run.output(node.id, OUTPUT[key]) for key, node in nodes.items()}


def test_all_37_fake_nodes_exist_and_a_seed_reproduces_every_value(b):
    assert len(KEYS) == 37
    first, again, other = draw_all(b, 42), draw_all(type(b)(), 42), draw_all(type(b)(), 7)
    assert first == again
    assert sum(first[key] != other[key] for key in KEYS) >= 30


def test_fake_values_have_their_shapes(b):
    values = draw_all(b, 3)
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", values["faker_email"])
    ipaddress.IPv4Address(values["faker_ipv4"])
    ipaddress.IPv6Address(values["faker_ipv6"])
    assert -90 <= values["faker_latitude"] <= 90 and -180 <= values["faker_longitude"] <= 180
    assert re.fullmatch(r"\d{5}", values["faker_post_code"])
    assert re.fullmatch(r"[A-Z]{2}", values["faker_country_code"])
    assert values["faker_industry"] in fakes.INDUSTRIES
    assert 0 <= values["faker_digit"] <= 9 and 0 <= values["faker_integer"] <= 100
    assert 0.0 <= values["faker_float"] <= 100.0
    assert 8 <= len(values["faker_password"]) <= 16
    assert 3 <= len(values["faker_words"]) <= 6 and all(isinstance(w, str) and w for w in values["faker_words"])
    assert 2 <= len(values["faker_sentences"]) <= 5 and 2 <= len(values["faker_paragraphs"]) <= 4
    assert 4 <= len(values["faker_sentence"].split()) <= 10
    assert len(re.sub(r"\D", "", values["faker_cell_number"])) == 10
    assert values["faker_full_name"] and values["faker_user_agent"].startswith(("Mozilla", "Opera"))


def test_ranges_are_respected_and_checked(b):
    start = b.start()
    integer, boolean = b.add("faker_integer", min=5, max=5), b.add("faker_boolean", probability=1.0)
    words = b.add("faker_words", min_count=2, max_count=2)
    b.chain(start, integer, boolean, words)
    run = b.run()
    assert (run.output(integer.id, "number"), run.output(boolean.id, "value"), len(run.output(words.id, "words"))) \
        == (5, True, 2)
    with pytest.raises(NodeFailed, match="fake integer: min 3 is greater than max 1"):
        b.compute("faker_integer", "number", min=3, max=1)
    with pytest.raises(NodeFailed, match="word count: need 0 <= min <= max, got min 4 and max 2"):
        b.compute("faker_words", "words", min_count=4, max_count=2)


def test_a_seeded_node_in_a_loop_draws_a_new_value_each_time(b):
    name, show = b.add("faker_first_name", seed=1), b.log()
    b.loop("control_for_each", name, array=[1, 2, 3])
    b.chain(name, show)
    b.wire(name, "name", show, "message")
    names = b.messages(b.run())
    assert len(names) == 3 and len(set(names)) > 1
    other = type(b)()
    start, loop, name, show = other.start(), other.add("control_for_each", array=[1, 2, 3]), \
        other.add("faker_first_name", seed=1), other.log()
    other.chain(start, loop)
    other.wire(loop, "exec_out", name, "exec_in")
    other.chain(name, show)
    other.wire(name, "name", show, "message")
    assert other.messages(other.run()) == names
