"""Helpers the web tests import (a module of its own: `conftest` is a name every test folder has)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise TimeoutError(f"timed out waiting for {what}")


PAGE = """<!doctype html>
<html lang="en"><head><title>River Notes</title>
<meta name="author" content="Ada Lovelace"><meta name="description" content="Notes on rivers.">
<meta property="og:site_name" content="Notes"></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>River Notes</h1>
<p>The river rises in the hills and runs two hundred kilometres to the sea, through farmland and three towns.</p>
<p>In spring the snowmelt doubles its flow; the old mill at the second town still turns its wheel every May.</p>
<p>Read the <a href="https://example.org/flood-report">flood report</a> or the
<a href="/maps/river.html#north">map</a>.</p>
<table><tr><th>Town</th><th>Bridges</th></tr><tr><td>Ashford</td><td>3</td></tr>
<tr><td>Brook</td><td>1</td></tr></table>
</article><footer><a href="mailto:ada@example.org">mail</a> Copyright 2026</footer></body></html>"""
