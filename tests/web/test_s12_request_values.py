"""Values a request cannot carry as they are fail at the Set node naming the field, and values JSON has a form for
go in that form: a struct body with NaN or bytes failed only at API Call with json's "Out of range float values are
not JSON compliant" or "Object of type bytes is not JSON serializable" (naming no field), and one with a date, a set
or another node's struct (a pydantic model) could not be sent at all; query and header values of None and booleans
went as Python's "None" and "True"."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flowlike_catalog.geo.coordinates import GeoCoordinate
from flowlike_catalog.web import requests as rq

from flowlike_core import DataType, Variable, commands


def sent(b, server: str, setter: str, pin: str, value) -> dict:
    """What the echo endpoint received for a POST made by Make Request -> `setter` (its `pin` fed `value`)."""
    made = b.add("http_make_request", method="POST", url=f"{server}/echo")
    setting, fetch = b.add(setter), b.add("http_fetch", retries=0)
    to_json = b.add("http_response_to_json")
    b.board.apply(commands.UpsertVariable(Variable(name="value", data_type=DataType.GENERIC, exposed=True)))
    b.wire(b.add("variable_get", var_ref="value"), "value_ref", setting, pin)
    b.wire(made, "request", setting, "request")
    b.wire(setting, "request_out", fetch, "request")
    b.wire(fetch, "response", to_json, "response")
    b.chain(b.add("events_simple"), fetch)
    b.wire(fetch, "exec_success", to_json, "exec_in")
    back = b.add("events_generic_return_result")
    b.wire(to_json, "exec_out", back, "exec_in")
    b.wire(to_json, "struct", back, "response")
    run = b.run(variables={"value": value})
    run.raise_for_status()
    return run.result


@pytest.mark.parametrize(("body", "why"), [
    ({"reading": {"value": float("nan")}}, "body.reading.value is nan: JSON has no NaN or infinity"),
    ({"photo": b"\x89PNG"}, "body.photo is bytes, which JSON cannot hold: encode them (base64) or send them as the "
                            "body itself (Set Bytes Body)"),
    ([1, object()], "body[1] is a object, which JSON cannot hold"),
])
def test_a_struct_body_json_cannot_hold_is_refused_naming_the_field(body, why) -> None:
    with pytest.raises(ValueError, match=r"^cannot send the struct as JSON: " + why.replace("(", r"\(").replace(
            ")", r"\)").replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        rq.http_set_struct_body.func(rq.http_make_request.func("POST", "http://127.0.0.1:1/x"), body)


def test_dates_sets_and_structs_of_other_nodes_go_as_their_json(b, http_server) -> None:
    body = {"when": dt.datetime(2026, 3, 1, 12, 30), "day": dt.date(2026, 3, 2), "tags": {"a"},
            "where": GeoCoordinate(latitude=52.5, longitude=13.4)}
    seen = sent(b, http_server, "http_set_struct_body", "body", body)
    assert json.loads(seen["body"]) == {"when": "2026-03-01T12:30:00", "day": "2026-03-02", "tags": ["a"],
                                        "where": {"latitude": 52.5, "longitude": 13.4}}


def test_query_and_header_values_go_as_their_json_text(b, http_server) -> None:
    seen = sent(b, http_server, "http_set_query", "query", {"active": True, "page": 2, "tag": None, "q": "x y"})
    assert seen["query"] == {"active": "true", "page": "2", "tag": "null", "q": "x y"}
    seen = sent(type(b)(), http_server, "http_set_headers", "headers", {"X-Debug": False, "X-Count": 3})
    assert (seen["headers"]["x-debug"], seen["headers"]["x-count"]) == ("false", "3")


def test_set_method_names_the_methods_in_one_line() -> None:
    with pytest.raises(ValueError, match=r"^unknown HTTP method 'FETCH' \(known: GET, POST, PUT, DELETE, PATCH, "
                                         r"HEAD, OPTIONS\)$"):
        rq.http_set_method.func(rq.http_make_request.func("GET", "http://127.0.0.1:1/x"), "fetch")


def test_a_bytes_body_given_text_says_so() -> None:
    with pytest.raises(TypeError, match=r"^the body must be bytes \(a Byte Array\), got str: use Set String Body "
                                        r"for text$"):
        rq.http_set_bytes_body.func(rq.http_make_request.func("POST", "http://127.0.0.1:1/x"), "text")

