"""The run API refuses None for a typed variable with a 422 naming it (it started the run, which failed inside the
node that read the variable)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from serve_boards import make_boards

from flowlike_core.serve import create_app
from flowlike_core.service import RunManager


def test_none_for_a_typed_variable_is_a_422_naming_it(tmp_path: Path) -> None:
    make_boards(tmp_path)
    app = create_app(tmp_path, None, RunManager(tmp_path))

    async def post() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
            return await client.post("/flowlike/runs", params={"wait": "1"}, json={
                "board": "hooks/echo.board.json", "payload": 1, "variables": {"offset": None}})

    answer = asyncio.run(post())
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == ("value None for variable 'offset' does not fit its type Integer; leave it out "
                                      "to use its default")
