"""What a JSON client reads in the run API's answers: a request body with a number JSON does not have (NaN,
Infinity, one too big for a float) is refused rather than run as null, and `?wait` takes the values it says."""

from __future__ import annotations

from pathlib import Path

import pytest
from serve_boards import Served, make_boards

from flowlike_core.service import Refused, parse_body


@pytest.mark.parametrize(("number", "why"), [("NaN", "NaN is not a JSON number"),
                                             ("-Infinity", "-Infinity is not a JSON number"),
                                             ("1e999", "1e999 is a number too big for a float"),
                                             ("-2.5e400", "-2.5e400 is a number too big for a float")])
def test_a_number_json_does_not_have_is_refused(number: str, why: str) -> None:
    with pytest.raises(Refused, match=f"^the request body is not JSON: {why}$") as refused:
        parse_body(b'{"board": "hooks/echo.board.json", "payload": [1, ' + number.encode() + b"]}")
    assert refused.value.status == 400


def test_numbers_json_has_still_parse() -> None:
    assert parse_body(b'{"payload": [1, -2.5, 1e300, 99999999999999999999999, 0.1]}') == {
        "payload": [1, -2.5, 1e300, 99999999999999999999999, 0.1]}


def test_a_nan_payload_over_http_is_a_400_not_a_null_result(served: Served) -> None:
    answer = served.client.post("/flowlike/runs", params={"wait": "1"},
                                content=b'{"board": "hooks/echo.board.json", "payload": NaN}')
    assert answer.status_code == 400 and "NaN is not a JSON number" in answer.json()["error"], answer.text


def test_wait_as_a_bare_flag_waits_and_a_value_it_does_not_know_is_refused(served: Served) -> None:
    """`?wait` (no value) answered 201 at once, as `?wait=maybe` did: the client thought it had waited."""
    bare = served.client.post("/flowlike/runs?wait", json={"board": "hooks/echo.board.json", "payload": 4})
    assert (bare.status_code, bare.json()["result"]) == (200, 104), bare.text
    for value, waits in [("on", True), ("TRUE", True), ("off", False), ("no", False), ("0", False)]:
        answer = served.client.post("/flowlike/runs", params={"wait": value},
                                    json={"board": "hooks/echo.board.json", "payload": 1})
        assert answer.status_code == (200 if waits else 201), (value, answer.text)
    wrong = served.client.post("/flowlike/runs", params={"wait": "maybe"}, json={"board": "hooks/echo.board.json"})
    assert wrong.status_code == 400 and wrong.json()["error"].startswith("?wait=maybe: "), wrong.text


def test_a_delete_whose_run_has_not_ended_yet_says_so_with_a_202(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A run may take a while to end once cancelled (a node's cleanup: up to 30 s): the DELETE answered 200 with
    status Running after its wait, which read as a cancel that did nothing."""
    import asyncio

    import httpx

    import flowlike_core.service
    from flowlike_core.serve import create_app
    from flowlike_core.service import RunManager

    make_boards(tmp_path)
    monkeypatch.setattr(flowlike_core.service, "CANCEL_WAIT", 0)
    runs = RunManager(tmp_path)
    monkeypatch.setattr(runs, "cancel", runs.get)  # a run slow to end: its cancel not carried out yet
    app = create_app(tmp_path, None, runs)

    async def delete() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
            run_id = (await client.post("/flowlike/runs", json={"board": "slow.board.json"})).json()["id"]
            return await client.delete(f"/flowlike/runs/{run_id}")

    try:
        answer = asyncio.run(delete())
    finally:
        monkeypatch.undo()  # the cancel carried out again: the run ends now
        runs.close()
    assert (answer.status_code, answer.json()["status"]) == (202, "Running"), answer.text
