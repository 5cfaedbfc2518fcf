"""One Chromium for the whole session (boards reach it through its DevTools endpoint: each run opens its own
browser context there), a site on 127.0.0.1 to drive, and a builder of boards that pass an automation session
from step to step."""

from __future__ import annotations

import base64
import contextlib
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flowlike_catalog.automation import PACK as AUTOMATION
from pack_builder import Builder

from flowlike_core import LogLevel, Node, Pack, Run
from flowlike_core.policy import Policy

CHROMIUM = "/usr/bin/chromium"
DEADLINE = 60.0


def until(condition: Callable[[], Any], what: str, timeout: float = DEADLINE) -> Any:
    """Poll `condition` until it gives something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


@pytest.fixture(scope="session")
def chromium_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A headless Chromium with its DevTools endpoint on 127.0.0.1 (the port it writes once it listens)."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
         "--disable-background-networking", "--disable-component-update", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"

    def port() -> str:
        assert proc.poll() is None, f"chromium exited with {proc.returncode}"
        lines = port_file.read_text().splitlines() if port_file.exists() else []
        return lines[0] if len(lines) == 2 else ""  # the port, then the browser's path: written whole

    try:
        yield f"http://127.0.0.1:{until(port, 'chromium to listen')}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


PAGES = {
    "/": """<!doctype html><title>Home</title><link rel="stylesheet" href="/style.css"><h1 id="title">Welcome</h1>
<p id="intro" data-kind="greeting">Hello <b>there</b></p><p id="hidden" style="display:none">secret</p>
<a id="next" href="/form">Form</a>
<button id="counter" aria-label="Count" onclick="this.textContent = +this.textContent + 1">0</button>
<nav aria-label="Main"><ul><li><a href="/">Home</a></li></ul></nav>""",
    "/form": """<!doctype html><title>Form</title>
<input id="name" value="old"><script>const field = document.getElementById('name');</script>
<select id="color"><option value="r">Red</option><option value="g">Green</option></select>
<div id="keys"></div><div id="out"></div><div id="hovered">no</div><div id="clicks">0</div>
<button id="send" onclick="out.textContent = 'sent ' + field.value + ' ' + color.value">Send</button>
<button id="twice" ondblclick="clicks.textContent = 'double'">Twice</button>
<span id="spot" onmouseenter="hovered.textContent = 'yes'">spot</span>
<div style="height: 4000px"></div><p id="bottom">the end</p>
<script>field.addEventListener('keydown', e => keys.textContent += e.key + ',');
document.addEventListener('keydown', e => { if (e.target === document.body) keys.textContent += 'body:' + e.key; });
</script>""",
    "/late": """<!doctype html><title>Late</title><script>
setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<p id="late">here</p>'), 300);</script>""",
    "/console": """<!doctype html><title>Console</title><script>
console.log('plain', 1); console.warn('careful'); console.error('broken');</script>
<button id="more" onclick="console.info('clicked')">More</button>
<button id="throw" onclick="null.boom()">Throw</button>""",
    "/network": """<!doctype html><title>Network</title><div id="got"></div>
<button id="fetch" onclick="fetch('/api/data?x=1').then(r => r.text()).then(t => got.textContent = t)">Fetch</button>
<button id="slow" onclick="fetch('/api/slow').then(r => r.text()).then(t => got.textContent = t)">Slow</button>
<button id="other" onclick="fetch('/other')">Other</button>
<button id="hang" onclick="fetch('/api/hang')">Hang</button>""",
    "/files": """<!doctype html><title>Files</title><a id="dl" href="/download/report.csv">report</a>
<a id="late" href="/download/late.txt">late</a>
<input type="file" id="one"><input type="file" id="many" multiple><div id="names"></div>
<script>for (const input of [one, many]) input.addEventListener('change', async () => {
  const parts = [];
  for (const f of input.files) parts.push(f.name + '=' + await f.text());
  names.textContent = parts.join(';');
});</script>""",
    "/login": """<!doctype html><title>Log in</title><form method="post" action="/login">
<input name="user" id="user"><input name="password" id="password" type="password">
<button id="log-in" type="submit">Log in</button></form>""",
    "/dialogs": """<!doctype html><title>Dialogs</title><div id="answer"></div>
<button id="confirm" onclick="answer.textContent = confirm('Delete all?') ? 'deleted' : 'kept'">Delete</button>
<button id="prompt" onclick="answer.textContent = prompt('Your name?', 'nobody')">Name</button>
<button id="alert" onclick="alert('Saved'); answer.textContent = 'after alert'">Save</button>""",
}
ACCOUNT = """<!doctype html><title>Account</title><p id="who">{user}</p><a id="orders" href="/orders">Orders</a>"""
ORDERS = """<!doctype html><title>Orders</title><table id="orders"><thead><tr><th>id</th><th>item</th><th>qty</th></tr>
</thead><tbody><tr><td>1</td><td>apple</td><td>3</td></tr><tr><td>2</td><td>pear</td><td>5</td></tr></tbody></table>
<a id="export" href="/download/report.csv">Export</a>"""
LOGIN = {"user": ["ada"], "password": ["lovelace"]}
BASIC_AUTH = "Basic " + base64.b64encode(b"ada:lovelace").decode()
SLOW_SECONDS = 0.4
HANG_SECONDS = 5.0
LATE_DOWNLOAD_WAIT = 120.0


class Site(BaseHTTPRequestHandler):
    """The pages above, and the endpoints they use: cookies, a download, a slow API, basic auth."""

    late_download = threading.Event()
    """`/download/late.txt` answers once this is set (`late_download` fixture): after a wait for it began."""
    stalled = threading.Event()
    """Set when `/stalled` was asked for: a page that never loads (it answers at the session's end)."""
    unstall = threading.Event()

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook's name
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        if self.path == "/login" and form == LOGIN:
            self.reply(303, "", [("Location", "/account"), ("Set-Cookie", "user=ada; Path=/")])
        else:
            self.reply(401, "<title>Denied</title><p id='error'>wrong user or password</p>")

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook's name
        path = self.path.split("?")[0]
        if path in PAGES:
            self.reply(200, PAGES[path])
        elif path in ("/account", "/orders"):
            user = self.headers.get("Cookie", "").removeprefix("user=")
            if user:
                self.reply(200, ACCOUNT.format(user=user) if path == "/account" else ORDERS)
            else:
                self.reply(303, "", [("Location", "/login")])
        elif path == "/stalled":
            self.stalled.set()
            self.unstall.wait(HANG_SECONDS * 12)
            self.reply(200, "<title>Stalled</title>at last")
        elif path == "/set-cookie":
            self.reply(200, "<title>Cookie</title>set", [("Set-Cookie", "flavour=oat; Path=/")])
        elif path == "/cookies":
            self.reply(200, f"<title>Cookies</title><pre id='sent'>{self.headers.get('Cookie', '')}</pre>")
        elif path == "/download/report.csv":
            self.reply(200, "a,b\n1,2\n", [("Content-Type", "text/csv"),
                                          ("Content-Disposition", 'attachment; filename="report.csv"')])
        elif path == "/download/late.txt":
            with contextlib.suppress(ConnectionError):  # the browser knows a download begins; the body waits
                self.send_response(200)
                for name, value in (("Content-Type", "application/octet-stream"), ("Content-Length", "5"),
                                    ("X-Content-Type-Options", "nosniff"),
                                    ("Content-Disposition", 'attachment; filename="late.txt"')):
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.flush()
                if self.late_download.wait(LATE_DOWNLOAD_WAIT):
                    self.wfile.write(b"late\n")
        elif path == "/api/data":
            self.reply(200, "data!", [("Content-Type", "text/plain"), ("X-Answer", "42")])
        elif path == "/favicon.ico":
            self.reply(200, "", [("Content-Type", "image/x-icon")])  # else its 404 would be a console error
        elif path == "/style.css":
            self.reply(200, "h1 { color: rgb(1, 2, 3); }", [("Content-Type", "text/css")])
        elif path == "/api/slow":
            time.sleep(SLOW_SECONDS)  # the request a network-idle wait has to outlast
            self.reply(200, "slow!", [("Content-Type", "text/plain")])
        elif path == "/api/hang":
            time.sleep(HANG_SECONDS)  # a request still in flight when a network-idle wait gives up
            self.reply(200, "late", [("Content-Type", "text/plain")])
        elif path == "/private":
            if self.headers.get("Authorization") == BASIC_AUTH:
                self.reply(200, "<title>Private</title><p id='who'>welcome ada</p>")
            else:
                self.reply(401, "no", [("WWW-Authenticate", 'Basic realm="test"')])
        else:
            self.reply(404, "<title>Missing</title>not here")

    def reply(self, status: int, body: str, headers: list[tuple[str, str]] = ()) -> None:
        with contextlib.suppress(ConnectionError):  # the browser went away first (a hanging request's context closed)
            self.send(status, body.encode(), headers)

    def send(self, status: int, data: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        names = {name.lower() for name, _ in headers}
        if "content-type" not in names:
            self.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        Site.unstall.set()
        server.shutdown()
        server.server_close()


class Steps(Builder):
    """A board: Start -> Start Automation Session -> Open Browser (on the shared Chromium) -> the steps added,
    each taking the session the step before handed on (`packs`: more packs than automation and std)."""

    def __init__(self, endpoint: str, session: dict[str, Any] | None = None, packs: tuple[Pack, ...] = (),
                 **open_defaults: Any) -> None:
        super().__init__(AUTOMATION, *packs)
        self.start = self.add("automation_start_session", **(session or {}))
        self.chain(self.add("events_simple"), self.start)
        self.last, self.session = self.start, (self.start, "session")
        self.opened = self.step("browser_open", **{"webdriver_url": endpoint, **open_defaults})

    def step(self, key: str, /, **defaults: Any) -> Node:
        node = self.add(key, **defaults)
        self.chain(self.last, node)
        self.wire(*self.session, node, "session")
        self.last = node
        if any(pin.name == "session_out" for pin in node.pins.values()):
            self.session = (node, "session_out")
        return node

    def on(self, node: Node, exec_output: str, message: str) -> Node:
        """A Log Info node that logs `message` when `node` fires `exec_output` (see `said`)."""
        log = self.add("log_info", message=message)
        self.wire(node, exec_output, log, "exec_in")
        return log

    def run(self, policy: Policy | None = None) -> Run:
        return self.board.run(registry=self.registry, variables=self.values, policy=policy)

    @staticmethod
    def said(run: Run) -> list[str]:
        """The messages logged at info level and above, in order."""
        return [line.message for line in run.logs(LogLevel.INFO)]

    def ok(self) -> Run:
        run = self.run()
        run.raise_for_status()
        return run


@pytest.fixture
def late_download() -> Iterator[threading.Event]:
    """Set it to let `/download/late.txt` answer (a download that starts only when the test says so)."""
    Site.late_download.clear()
    yield Site.late_download
    Site.late_download.set()  # (nothing stays blocked after the test)
    Site.late_download.clear()


@pytest.fixture
def steps(chromium_endpoint: str) -> Callable[..., Steps]:
    """`steps(session={...}, packs=(...), **open_defaults)`: a new board on the shared Chromium, with these defaults
    on Start Automation Session and Open Browser."""
    return lambda session=None, packs=(), **open_defaults: Steps(chromium_endpoint, session, packs, **open_defaults)


@pytest.fixture
def stalled_page(site: str) -> tuple[str, threading.Event]:
    """`/stalled`'s URL, a page that does not load during the test, and an event set once a browser asked for it."""
    Site.stalled.clear()
    return f"{site}/stalled", Site.stalled
