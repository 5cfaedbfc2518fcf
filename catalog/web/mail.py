"""What email nodes pass around: connection handles (the live sessions sit in the run's cache), mailboxes,
message references and parsed messages; and composing a message from pins.

imaplib and smtplib block, so each session call runs in a worker thread under the session's own lock
(parallel branches may share a connection).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from flowlike_core import Context
from flowlike_core.policy import allowed_path

T = TypeVar("T")
ENCRYPTIONS = ("Tls", "StartTls", "Plain")


def check_encryption(encryption: str) -> None:
    if encryption not in ENCRYPTIONS:
        raise ValueError(f"encryption must be one of {', '.join(ENCRYPTIONS)}, got {encryption!r}")


def mail_client(kind: str, tls: Callable[..., Any], plain: Callable[..., Any], host: str, port: int, encryption: str,
                timeout: float, errors: tuple[type[Exception], ...] = (OSError,)) -> Any:
    """An imaplib or smtplib client of the server: `tls` (its SSL class) for Tls, else `plain`, upgraded for
    StartTls; ConnectionError, naming the `kind` of server, when it cannot be reached (one of `errors`), when it
    does not speak TLS on that port, or when it refuses StartTls."""
    import ssl

    where = f"{kind} server {host}:{port}"
    try:
        client = tls(host, port, timeout=timeout) if encryption == "Tls" else plain(host, port, timeout=timeout)
    except ssl.SSLError as exc:
        raise ConnectionError(f"{where} answered, but no TLS connection came about ({exc.reason or exc}): does it "
                              f"take Tls on this port, or StartTls or Plain?") from None
    except errors as exc:
        raise ConnectionError(f"cannot reach {where}: {exc}") from None
    if encryption == "StartTls":
        try:
            client.starttls()
        except Exception as exc:  # imaplib and smtplib each raise their own kinds when the server has no STARTTLS
            client.sock.close()
            raise ConnectionError(f"StartTls with {where} failed ({text(exc)}): use Tls (on its TLS port) or "
                                  f"Plain (local servers only)") from None
    return client


def text(exc: Exception) -> str:
    """An imaplib or smtplib error's message: imaplib's carry the server's answer as bytes."""
    detail = exc.args[0] if len(exc.args) == 1 else exc
    return detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)


class ImapConnection(BaseModel):
    """Names an open IMAP session of the run."""

    model_config = ConfigDict(frozen=True)
    id: str


class SmtpConnection(BaseModel):
    """Names an open SMTP session of the run."""

    model_config = ConfigDict(frozen=True)
    id: str


class ImapInbox(BaseModel):
    model_config = ConfigDict(frozen=True)
    connection: ImapConnection
    name: str


class EmailRef(BaseModel):
    """One message of a mailbox, by its UID."""

    model_config = ConfigDict(frozen=True)
    connection: ImapConnection
    inbox: ImapInbox
    uid: int


class MailAddress(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str | None = None
    email: str


class Attachment(BaseModel):
    model_config = ConfigDict(frozen=True)
    filename: str | None = None
    content_type: str
    data: bytes


class Email(BaseModel):
    """A fetched message, parsed."""

    model_config = ConfigDict(frozen=True)
    connection: ImapConnection
    inbox: ImapInbox
    uid: int
    message_id: str = ""
    from_: list[MailAddress] = Field(default_factory=list, alias="from")
    sender: list[MailAddress] = Field(default_factory=list)
    to: list[MailAddress] = Field(default_factory=list)
    cc: list[MailAddress] = Field(default_factory=list)
    bcc: list[MailAddress] = Field(default_factory=list)
    subject: str = ""
    date: str = ""
    plain: str = ""
    html: str = ""
    flags: list[str] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)


def schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(by_alias=True)


class Session:
    """A blocking client (imaplib/smtplib) and the lock that serialises calls on it."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.lock = threading.Lock()

    async def call(self, work: Callable[[Any], T]) -> T:
        def locked() -> T:
            with self.lock:
                return work(self.client)

        return await asyncio.to_thread(locked)


def session(ctx: Context, kind: str, connection: Any) -> Session:
    """The live session a connection handle names, with a clear error when the run has none."""
    handle_id = connection.id if isinstance(connection, BaseModel) else (connection or {}).get("id")
    found = ctx.cache.get((kind, handle_id))
    if found is None:
        raise LookupError(f"no open {kind.upper()} connection {handle_id!r} in this run: connect first "
                          f"(connections live for one run)")
    return found


def mailboxes(text: str, field: str) -> list[tuple[str, str]]:
    """(display name, address) of each comma-separated address of a field (`from`, `to`...), empty items dropped.
    Text that holds something else fails naming the field: the lenient parser mangled it and the mail went on
    ("not an address" went to <not>, a forgotten comma dropped an address, a display name with a comma became
    one)."""
    from email.errors import InvalidHeaderDefect
    from email.headerregistry import HeaderRegistry

    if not (text or "").strip():
        return []
    try:
        header = HeaderRegistry()("To", text)
        broken = any(isinstance(defect, InvalidHeaderDefect) for defect in header.defects)
    except (IndexError, ValueError):  # the parser's own failures on text such as "ann@"
        broken = True
    if broken:
        raise ValueError(f"{field!r} {text!r} holds something that is not an email address: write name@domain (or "
                         f"Name <name@domain>), several separated by commas")
    return [(address.display_name, address.addr_spec) for address in header.addresses]


def compose(sender: str, to: str, cc: str, bcc: str, subject: str, body_text: str, body_html: str,
            attachments: list[Any], include_bcc_header: bool) -> Any:
    """An EmailMessage: text and/or HTML alternatives, files attached by path (or a struct with a 'path')."""
    import mimetypes
    from email.message import EmailMessage
    from email.utils import formataddr, make_msgid

    senders = mailboxes(sender, "from")
    if not senders:
        raise ValueError("'from' address is empty")
    found = {"To": mailboxes(to, "to"), "Cc": mailboxes(cc, "cc"), "Bcc": mailboxes(bcc, "bcc")}
    if not any(found.values()):
        raise ValueError("no recipient: 'to', 'cc' and 'bcc' are all empty")
    if "\r" in subject or "\n" in subject:  # (the email package's refusal names no header)
        raise ValueError(f"'subject' holds a line break, which a mail header cannot: {subject!r}")
    message = EmailMessage()
    message["From"] = sender
    for header, people in found.items():
        if people and (header != "Bcc" or include_bcc_header):
            message[header] = ", ".join(formataddr(person) for person in people)
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=senders[0][1].rpartition("@")[2] or None)
    message.set_content(body_text or "")
    if body_html:
        message.add_alternative(body_html, subtype="html")
    for item in attachments or []:
        path = Path(allowed_path(item.get("path", "") if isinstance(item, dict) else item, "attachment"))
        if not path.is_file():
            raise FileNotFoundError(f"attachment not found: {path}")
        maintype, _, subtype = (mimetypes.guess_type(path.name)[0] or "application/octet-stream").partition("/")
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


def parse(raw: bytes, ref: EmailRef, flags: list[str]) -> Email:
    """A fetched RFC 822 message as an Email struct."""
    from email import policy
    from email.parser import BytesParser
    from email.utils import getaddresses

    message = BytesParser(policy=policy.default).parsebytes(raw)

    def people(header: str) -> list[MailAddress]:
        return [MailAddress(name=name or None, email=addr) for name, addr in
                getaddresses([str(v) for v in message.get_all(header, [])]) if addr]

    def text(part: Any) -> str:
        """A text part's content with the wire's CRLF line ends as plain newlines."""
        return part.get_content().replace("\r\n", "\n") if part is not None else ""

    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    attachments = [Attachment(filename=part.get_filename(), content_type=part.get_content_type(),
                              data=part.get_payload(decode=True) or b"") for part in message.iter_attachments()]
    return Email.model_validate({
        "connection": ref.connection, "inbox": ref.inbox, "uid": ref.uid,
        "message_id": str(message.get("Message-ID", "")), "from": people("From"), "sender": people("Sender"),
        "to": people("To"), "cc": people("Cc"), "bcc": people("Bcc"), "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")), "plain": text(plain), "html": text(html), "flags": flags,
        "attachments": attachments})
