"""A Telegram or Discord api_url that answers JSON without the fields the service's API gives fails naming the call,
the field and the server, where the nodes failed with a bare "KeyError: 'message_id'" or "'NoneType' object is not
subscriptable" (an answer "ok" without its result)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_server import serve

from flowlike_core import DataType, RunStatus, Variable, commands


@pytest.fixture(scope="module")
def hollow() -> Iterator[str]:
    """/ok/... answers {"ok": true}, /empty/... {"ok": true, "result": {}}, /object/... {}."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    answers = {"ok": {"ok": True}, "empty": {"ok": True, "result": {}}, "object": {}}

    async def answer(request):
        return JSONResponse(answers[request.path_params["case"]])

    app = Starlette(routes=[Route("/{case}/{rest:path}", answer, methods=["GET", "POST", "PATCH", "PUT"])])
    with serve(app) as url:
        yield url


def run_with_session(b, key: str, session: dict, **defaults):
    b.board.apply(commands.UpsertVariable(Variable(name="session", data_type=DataType.GENERIC, exposed=True)))
    node = b.add(key, **defaults)
    b.wire(b.add("variable_get", var_ref="session"), "value_ref", node, "session")
    b.chain(b.add("events_simple"), node)
    return b.run(variables={"session": session})


@pytest.mark.parametrize(("case", "why"), [("ok", "the answer has no 'result'"),
                                           ("empty", "the answer has no 'message_id'")])
def test_a_telegram_answer_without_its_fields_names_the_field(b, hollow, case, why) -> None:
    api_url = f"{hollow}/{case}"
    run = run_with_session(b, "telegram_send_message", {"bot_token": "123:secret", "chat_id": "5",
                                                        "api_url": api_url}, message="hi")
    assert run.status is RunStatus.FAILED
    assert f"Telegram sendMessage at {api_url}: {why}: is api_url the Bot API's?" in run.error, run.error
    assert "secret" not in run.error


def test_a_discord_answer_without_its_fields_names_the_field(b, hollow) -> None:
    api_url = f"{hollow}/object"
    run = run_with_session(b, "discord_send_message", {"bot_token": "t0k", "channel_id": "5", "api_url": api_url},
                           content="hi")
    assert run.status is RunStatus.FAILED
    assert f"Discord POST /channels/5/messages at {api_url}: the answer has no 'id': is api_url Discord's API?" \
        in run.error, run.error
