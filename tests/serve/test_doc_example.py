"""docs/apps.md's `flowlike serve` and `curl` lines, sent as written (but to a free port, with the test's token)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from serve_boards import flowlike_serve

ROOT = Path(__file__).resolve().parents[2]


def test_the_http_guide_runs_a_board_and_answers_its_result() -> None:
    guide = (ROOT / "docs" / "apps.md").read_text(encoding="utf-8")
    block = re.findall(r"```bash\n(.*?)```", guide, re.S)[-1].replace("\\\n", " ")
    serve, curl = (shlex.split(line.split("  #", 1)[0].removesuffix("&")) for line in block.splitlines())
    assert serve[:2] == ["flowlike", "serve"] and curl[0] == "curl"
    url = next(word for word in curl if word.startswith("http://"))
    body = json.loads(curl[curl.index("-d") + 1])
    with flowlike_serve(ROOT / serve[2]) as (client, _):
        answer = client.post(url.split("8765", 1)[1], json=body)  # curl -d: a POST
    record = answer.json()
    assert answer.status_code == 200 and record["status"] == "Success", record
    assert block.splitlines()[-1].endswith(f"result {record['result']}")
