"""Real servers on 127.0.0.1 for the web pack's tests, and a board builder over the web and std packs."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from flowlike_catalog.std import PACK as STD_PACK
from flowlike_catalog.web import PACK as WEB_PACK
from local_ports import free_port
from web_support import PAGE, wait_for

from flowlike_core import Board, Node, Registry, Run, commands


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Builder:
    """`b.add(key, **defaults)`, `b.wire(a, out, c, in)`, `b.chain(...)`, `b.value(node, output)`."""

    def __init__(self) -> None:
        self.registry = Registry([WEB_PACK, STD_PACK])
        self.board = Board(name="web-test")

    def add(self, key: str, /, **defaults: Any) -> Node:
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def wire(self, source: Node, out: str, target: Node, inp: str) -> None:
        self.board.apply(commands.Connect(source.id, out, target.id, inp))

    def chain(self, *nodes: Node, out: str = "exec_out") -> None:
        for source, target in zip(nodes, nodes[1:], strict=False):
            self.wire(source, out, target, "exec_in")

    def run(self, **options: Any) -> Run:
        return self.board.run(registry=self.registry, **options)

    def result_of(self, last: Node, node: Node, output: str, out: str = "exec_out") -> Any:
        """Wire Return Result after `last` (through its `out` exec pin), taking `node`'s `output`; run; the result."""
        back = self.add("events_generic_return_result")
        self.wire(last, out, back, "exec_in")
        self.wire(node, output, back, "response")
        run = self.run()
        run.raise_for_status()
        return run.result


@pytest.fixture
def b() -> Builder:
    return Builder()


def http_app() -> Any:
    """Endpoints that show what arrived (echo), misbehave on purpose (flaky, slow) and stream."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
    from starlette.routing import Route

    calls: dict[str, int] = {}

    async def echo(request: Request) -> JSONResponse:
        body = await request.body()
        seen: dict[str, Any] = {"method": request.method, "path": request.url.path,
                                "query": dict(request.query_params), "headers": dict(request.headers),
                                "body": body.decode("latin-1")}
        kind = request.headers.get("content-type", "")
        if kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            form = await request.form()
            seen["form"] = {k: v for k, v in form.items() if isinstance(v, str)}
            seen["files"] = {k: {"filename": v.filename, "content": (await v.read()).decode(),
                                 "content_type": v.content_type} for k, v in form.items() if not isinstance(v, str)}
            await form.close()
        return JSONResponse(seen)

    async def status(request: Request) -> PlainTextResponse:
        code = int(request.path_params["code"])
        return PlainTextResponse(f"status {code}", status_code=code)

    async def redirect(request: Request) -> RedirectResponse:
        return RedirectResponse("/echo?from=redirect", status_code=302)

    async def flaky(request: Request) -> PlainTextResponse:
        key, failures = request.path_params["key"], int(request.path_params["n"])
        calls[key] = calls.get(key, 0) + 1
        if calls[key] <= failures:
            return PlainTextResponse("try again", status_code=503)
        return PlainTextResponse(f"ok after {calls[key]} calls")

    async def slow(request: Request) -> PlainTextResponse:
        await asyncio.sleep(30)
        return PlainTextResponse("late")

    async def stream(request: Request) -> StreamingResponse:
        count = int(request.path_params["n"])

        async def chunks() -> Any:
            for i in range(count):
                yield f"chunk {i}\n".encode()
                await asyncio.sleep(0)

        return StreamingResponse(chunks(), media_type="text/plain")

    async def data(request: Request) -> Response:
        size = int(request.path_params["n"])
        return Response(bytes(i % 251 for i in range(size)), media_type="application/octet-stream")

    async def latin1(request: Request) -> Response:
        return Response("café".encode("latin-1"), media_type="text/plain; charset=latin-1")

    async def page(request: Request) -> Response:
        return Response(PAGE, media_type="text/html; charset=utf-8")

    async def snapshot(request: Request) -> Response:
        import io

        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (4, 3), (200, 10, 10)).save(out, "PNG")
        return Response(out.getvalue(), media_type="image/png")

    async def feed(request: Request) -> Response:
        return Response(FEED, media_type="text/calendar")

    async def site(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in SITE or name == "missing":
            return PlainTextResponse("no such page", status_code=404)
        links = "".join(f'<a href="{target if "//" in target else "/site/" + target}">{target}</a>'
                        for target in SITE[name])
        return Response(f"<html><body><h1>{name}</h1>{links}</body></html>", media_type="text/html")

    routes = [Route("/echo", echo, methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
              Route("/status/{code}", status), Route("/redirect", redirect),
              Route("/flaky/{key}/{n}", flaky, methods=["GET", "POST"]),
              Route("/slow", slow), Route("/stream/{n}", stream), Route("/bytes/{n}", data),
              Route("/latin1", latin1), Route("/page", page), Route("/site/{name}", site),
              Route("/calendar.ics", feed), Route("/snapshot.png", snapshot)]
    return Starlette(routes=routes)


FEED = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//feed//EN\r
X-WR-CALNAME:Team\r
BEGIN:VEVENT\r
UID:standup-1\r
SUMMARY:Standup\r
DTSTART:20260302T090000Z\r
DTEND:20260302T091500Z\r
ORGANIZER:mailto:lead@example.org\r
ATTENDEE:mailto:ada@example.org\r
ATTENDEE:mailto:bob@example.org\r
STATUS:CONFIRMED\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:offsite-1\r
SUMMARY:Offsite\r
DTSTART;VALUE=DATE:20260410\r
DTEND;VALUE=DATE:20260412\r
LOCATION:Lake house\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:review-1\r
SUMMARY:Review\r
DTSTART;TZID=Europe/Berlin:20260303T140000\r
DTEND;TZID=Europe/Berlin:20260303T150000\r
END:VEVENT\r
END:VCALENDAR\r
"""
"""An iCalendar feed: a UTC event, an all-day event, an event in a named zone."""

SITE = {"index": ["a", "b"], "a": ["b", "c", "missing"], "b": ["index", "https://elsewhere.example/x"], "c": [],
        "missing": []}
"""A little site to crawl: page name → its links ('missing' is linked but answers 404)."""

@pytest.fixture(scope="session")
def http_server() -> Iterator[str]:
    from fake_server import serve

    with serve(http_app()) as url:  # forced to stop: it does not wait for /slow's sleepers
        yield url


ACCOUNTS = 200


class Dovecot:
    """A real Dovecot IMAP server (plain text, 127.0.0.1) with a passwd file that tests add users to."""

    def __init__(self, root: Any) -> None:
        import os
        import shutil

        self.root, self.port = root, free_port()
        self.users = root / "users"  # written once: Dovecot may not notice a rewrite within the same second
        self.users.write_text("".join(f"user{n}:{{PLAIN}}pw-{n}::::::\n" for n in range(1, ACCOUNTS + 1)))
        (root / "mail").mkdir()
        shutil.chown(root / "mail", "nobody", "nogroup")
        os.chmod(root, 0o755)
        (root / "dovecot.conf").write_text(f"""
base_dir = {root}/run
state_dir = {root}/run/state
log_path = /dev/stderr
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.users}
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""")
        self.count = 0

    def start(self) -> Dovecot:
        import subprocess

        self.log = (self.root / "log").open("wb")
        self.process = subprocess.Popen(["dovecot", "-F", "-c", str(self.root / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=self.log)
        wait_for(lambda: self.process.poll() is not None or port_open(self.port), "dovecot to listen")
        if self.process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {(self.root / 'log').read_text()}")
        return self

    def stop(self) -> None:
        import subprocess

        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def new_user(self) -> tuple[str, str]:
        """A fresh account (so tests never see each other's mail): (user, password)."""
        self.count += 1
        if self.count > ACCOUNTS:
            raise RuntimeError(f"only {ACCOUNTS} test accounts: raise ACCOUNTS")
        return f"user{self.count}", f"pw-{self.count}"

    def deliver(self, user: str, password: str, message: bytes, mailbox: str = "INBOX", flags: str = "") -> None:
        """Put a message straight into a mailbox (IMAP APPEND), as a mail server would deliver it."""
        import imaplib

        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            client.login(user, password)
            if mailbox != "INBOX":
                client.create(mailbox)
            status, detail = client.append(mailbox, flags or None, None, message)
            assert status == "OK", detail
        finally:
            client.logout()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    import shutil
    import tempfile
    from pathlib import Path

    if shutil.which("dovecot") is None:
        pytest.skip("dovecot-imapd is not installed (scripts/setup.sh installs it)")
    # not under pytest's basetemp: that is 0700, and Dovecot's auth process (user dovecot) must read the users file
    root = Path(tempfile.mkdtemp(prefix="flowlike-dovecot-"))
    try:
        server = Dovecot(root).start()
        yield server
        server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


class SmtpSink:
    """aiosmtpd on 127.0.0.1 keeping every envelope; logins checked against one account."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Any]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = auth_data.login == b"mailer" and auth_data.password == b"mail-secret"
        return AuthResult(success=ok, handled=False)

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), authenticator=authenticate,
                            auth_require_tls=False, auth_required=False)
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


@pytest.fixture
def smtp(smtp_server: Any) -> Any:
    smtp_server.envelopes.clear()
    return smtp_server


@pytest.fixture
def git_repo(tmp_path: Any) -> Any:
    """A bare repository `hello.git` (two commits on main, a tag v1) ready for git's dumb HTTP protocol."""
    import subprocess

    def git(*args: str, cwd: Any) -> None:
        subprocess.run(["git", "-c", "user.name=Ada", "-c", "user.email=ada@example.org", *args], cwd=cwd,
                       check=True, capture_output=True)

    work = tmp_path / "work"
    work.mkdir()
    git("init", "-q", "-b", "main", cwd=work)
    (work / "README.md").write_text("# Hello\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", "first", cwd=work)
    git("tag", "v1", cwd=work)
    (work / "app.py").write_text("print('hi')\n")
    git("add", ".", cwd=work)
    git("commit", "-q", "-m", "second", cwd=work)
    served = tmp_path / "served"
    served.mkdir()
    git("clone", "-q", "--bare", str(work), "hello.git", cwd=served)
    git("update-server-info", cwd=served / "hello.git")
    return served


@pytest.fixture
def github() -> Iterator[Any]:
    """A fresh fake GitHub API per test: `.url`, `.state` (repositories, issues, requests seen)."""
    from fake_github import github_app
    from fake_server import serve

    app = github_app()
    with serve(app) as url:
        yield SimpleNamespace(url=url, state=app.state.github)


class LoopThread:
    """An asyncio loop on its own thread, for servers the tests talk to."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def call(self, coroutine: Any, timeout: float = 20.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="session")
def websocket_server() -> Iterator[str]:
    """Echoes each message back as 'echo: <text>' (binary messages reversed); 'bye' makes it close."""
    from websockets.asyncio.server import serve

    async def echo(socket: Any) -> None:
        async for message in socket:
            if message == "bye":
                await socket.close()
                return
            await socket.send(message[::-1] if isinstance(message, bytes) else f"echo: {message}")

    async def start() -> Any:
        return await serve(echo, "127.0.0.1", 0)

    loop = LoopThread()
    server = loop.call(start())
    port = server.sockets[0].getsockname()[1]
    yield f"ws://127.0.0.1:{port}"
    server.close()
    loop.call(server.wait_closed())
    loop.stop()


@pytest.fixture(scope="session")
def tcp_server() -> Iterator[int]:
    """Answers each line with the line in upper case; closes on 'QUIT'."""
    loop = LoopThread()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            if line.strip() == b"QUIT":
                break
            writer.write(line.upper())
            await writer.drain()
        writer.close()

    server = loop.call(asyncio.start_server(serve, "127.0.0.1", 0))
    yield server.sockets[0].getsockname()[1]
    server.close()
    loop.stop()


@pytest.fixture(scope="session")
def mqtt_broker() -> Iterator[int]:
    """amqtt's broker in-process on 127.0.0.1 (anonymous clients allowed)."""
    from amqtt.broker import Broker

    port = free_port()
    config = {"listeners": {"default": {"type": "tcp", "bind": f"127.0.0.1:{port}"}},
              "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}}}
    loop = LoopThread()
    broker = loop.call(make_broker(Broker, config))
    loop.call(broker.start())
    wait_for(lambda: port_open(port), "the MQTT broker to listen")
    yield port
    loop.call(broker.shutdown())
    loop.stop()


async def make_broker(broker_class: Any, config: dict[str, Any]) -> Any:
    """amqtt's Broker wants a running loop when it is made."""
    return broker_class(config)


@pytest.fixture(scope="module")
def telegram_server() -> Iterator[tuple[str, Any]]:
    from fake_server import serve
    from fake_telegram import telegram_app

    app = telegram_app()
    with serve(app) as url:
        yield url, app.state.telegram


@pytest.fixture
def api(telegram_server: tuple[str, Any]) -> tuple[str, Any]:
    """The fake Telegram Bot API with fresh data for one test: (its URL, its state)."""
    url, state = telegram_server
    state.__init__()
    return url, state


@pytest.fixture(scope="module")
def discord_server() -> Iterator[tuple[str, Any]]:
    from fake_discord import discord_app
    from fake_server import serve

    app = discord_app()
    with serve(app) as url:
        yield url + "/api/v10", app.state.discord
