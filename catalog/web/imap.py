"""IMAP: connect, mailboxes, list and search messages, fetch, flags, copy, move, delete, drafts (imaplib).

Messages are addressed by UID (stable across sessions). Fetching peeks: it does not mark a message seen.
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.mail import (
    ENCRYPTIONS,
    Email,
    EmailRef,
    ImapConnection,
    ImapInbox,
    Session,
    check_encryption,
    compose,
    mail_client,
    parse,
    schema,
    session,
    text,
)

from flowlike_core import Context, Pin, node

CATEGORY = "Email/IMAP"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)

Connection = Annotated[ImapConnection, Pin(schema=schema(ImapConnection), description="From IMAP Connect")]
Inbox = Annotated[ImapInbox, Pin(schema=schema(ImapInbox), description="From IMAP Inbox")]
Ref = Annotated[EmailRef, Pin(schema=schema(EmailRef), description="A message, from List Mails")]
RefOut = Annotated[EmailRef, Pin(schema=schema(EmailRef))]
Refs = Annotated[list[EmailRef], Pin(name="emails", schema=schema(EmailRef))]
NewRef = Annotated[EmailRef, Pin(name="new_message_ref", schema=schema(EmailRef))]
ExpungeMode = Annotated[str, Pin(valid_values=("uid_expunge", "expunge", "none"),
                                 description="uid_expunge removes just this message, expunge every message "
                                             "flagged deleted in the mailbox, none only flags it")]
FILTERS = ("ALL", "NEW", "UNSEEN", "SEEN", "FLAGGED", "UNFLAGGED", "ANSWERED", "UNANSWERED", "DRAFT", "DELETED",
           "RECENT")
"""IMAP SEARCH keys that filter by flags."""
_LIST_LINE = re.compile(rb'\((?P<flags>[^)]*)\) (?P<delimiter>"[^"]*"|NIL) (?P<name>.+)')
_COPYUID = re.compile(rb"\d+ \S+ (\d+)")
"""The answer code of a copy (UIDPLUS): uid validity, source UIDs, destination UIDs."""


class Mailboxes(NamedTuple):
    names: list[str]
    inboxes: Annotated[list[ImapInbox], Pin(schema=schema(ImapInbox))]


class CreatedMailbox(NamedTuple):
    created: Annotated[bool, Pin(description="False when it existed already")]
    inbox_struct: Annotated[ImapInbox, Pin("Mailbox", schema=schema(ImapInbox))]


def quoted(text: str) -> str:
    """An IMAP quoted string (mailbox names and search terms may hold spaces). A line break cannot be in one (RFC
    3501's QUOTED-CHAR): it would end the command there, and the rest would reach the server as a command."""
    if "\r" in text or "\n" in text:
        raise ValueError(f"{text!r} holds a line break, which an IMAP quoted string cannot")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quotable(text: str) -> bool:
    """Whether search text can go as a quoted string: ASCII without a line break (else as a literal)."""
    return text.isascii() and "\r" not in text and "\n" not in text


def unquoted(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def mailbox_arg(name: str) -> str:
    """A mailbox name as a command argument: quoted, in IMAP's modified UTF-7 (RFC 3501 section 5.1.3), so names
    like 'Entwürfe' or '北京' reach the server (imaplib sends ASCII only)."""
    return quoted(re.sub(r"&|[^\x20-\x7e]+", _utf7_run, name))


def _utf7_run(found: re.Match[str]) -> str:
    if found[0] == "&":
        return "&-"
    return "&" + base64.b64encode(found[0].encode("utf-16-be")).decode("ascii").rstrip("=").replace("/", ",") + "-"


def mailbox_name(raw: str) -> str:
    """A mailbox name from the server, modified UTF-7 decoded."""
    def decoded(found: re.Match[str]) -> str:
        if not found[1]:
            return "&"
        data = found[1].replace(",", "/")
        return base64.b64decode(data + "=" * (-len(data) % 4)).decode("utf-16-be")

    return re.sub(r"&([A-Za-z0-9+,]*)-", decoded, raw)


def checked(result: tuple[str, list[Any]], what: str) -> list[Any]:
    status, data = result
    if status != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise RuntimeError(f"IMAP {what} failed: {detail}")
    return data


def as_model(model: type[Any], value: Any, what: str) -> Any:
    if isinstance(value, model):
        return value
    if not isinstance(value, dict) or not value:
        raise TypeError(f"expected {what}, got {type(value).__name__}")
    return model.model_validate(value)


def select(client: Any, mailbox: str) -> None:
    checked(client.select(mailbox_arg(mailbox)), f"select of mailbox {mailbox!r}")


def mailbox_names(client: Any) -> list[str]:
    names = []
    for line in checked(client.list(), "list of mailboxes"):
        found = _LIST_LINE.match(line) if isinstance(line, bytes) else None
        if found and b"\\Noselect" not in found["flags"]:
            names.append(mailbox_name(unquoted(found["name"])))
    return names


def ensure_mailbox(client: Any, name: str) -> bool:
    """Create the mailbox if it is missing; whether it was created."""
    if name in mailbox_names(client):
        return False
    checked(client.create(mailbox_arg(name)), f"create of mailbox {name!r}")
    client.subscribe(mailbox_arg(name))
    return True


Term = str | tuple[str, str]
"""A search key alone ("UNSEEN", "SINCE 01-Mar-2026") or a key and its text ("SUBJECT", "Grüße")."""


class Literals:
    """The pieces of a command after each of its literals (RFC 3501 section 4.3), handed to imaplib one per
    continuation request of the server: imaplib sends at most one literal by itself."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = iter(pieces)

    def next(self, _continuation: bytes) -> bytes:
        return next(self.pieces)


def uids(client: Any, mailbox: str, terms: list[Term]) -> list[int]:
    """The UIDs of the mailbox's messages matching every term (ALL without terms). Text that is not ASCII goes as
    UTF-8 literals with CHARSET UTF-8; quoted strings may hold ASCII only."""
    select(client, mailbox)
    texts = [term[1] for term in terms if isinstance(term, tuple)]
    if all(quotable(text) for text in texts):
        line = " ".join(term if isinstance(term, str) else f"{term[0]} {quoted(term[1])}" for term in terms)
        data = client.uid("SEARCH", None, f"({line})" if terms else "ALL")
    else:
        head, pieces = "CHARSET UTF-8", []
        for term in terms:
            if isinstance(term, str):
                head += f" {term}"
                continue
            text = term[1].encode("utf-8")
            head += f" {term[0]} {{{len(text)}}}"
            pieces.append(head)
            head = text.decode("utf-8")
        pieces.append(head)
        client.literal = Literals([piece.encode("utf-8") for piece in pieces[1:]]).next
        data = client.uid("SEARCH", pieces[0])
    described = " ".join(term if isinstance(term, str) else f"{term[0]} {term[1]!r}" for term in terms) or "ALL"
    found = checked(data, f"search {described} in {mailbox!r}")
    return [int(uid) for uid in (found[0] or b"").split()]


def refs(inbox: ImapInbox, found: list[int]) -> list[EmailRef]:
    return [EmailRef(connection=inbox.connection, inbox=inbox, uid=uid) for uid in found]


def copy_to(client: Any, ref: EmailRef, destination: str, create_if_missing: bool) -> EmailRef:
    """Copy one message; the copy's reference from the server's COPYUID answer (UIDPLUS)."""
    select(client, ref.inbox.name)
    if create_if_missing:
        ensure_mailbox(client, destination)
    elif destination not in mailbox_names(client):
        raise LookupError(f"mailbox {destination!r} does not exist (set create_if_missing to make it)")
    client.response("COPYUID")  # drop a stale answer code; imaplib keeps the tagged one under its name
    checked(client.uid("COPY", str(ref.uid), mailbox_arg(destination)), f"copy of UID {ref.uid}")
    answer = client.response("COPYUID")[1][-1]
    found = _COPYUID.match(answer) if isinstance(answer, bytes) else None
    if found is None:
        raise RuntimeError("the IMAP server did not report the copy's UID (it lacks the UIDPLUS extension)")
    inbox = ImapInbox(connection=ref.connection, name=destination)
    return EmailRef(connection=ref.connection, inbox=inbox, uid=int(found.group(1)))


def remove(client: Any, ref: EmailRef, expunge_mode: str) -> None:
    select(client, ref.inbox.name)
    checked(client.uid("STORE", str(ref.uid), "+FLAGS", "(\\Deleted)"), f"delete of UID {ref.uid}")
    if expunge_mode == "uid_expunge":
        checked(client.uid("EXPUNGE", str(ref.uid)), f"expunge of UID {ref.uid}")
    elif expunge_mode == "expunge":
        checked(client.expunge(), f"expunge of {ref.inbox.name!r}")
    elif expunge_mode != "none":
        raise ValueError(f"expunge_mode must be uid_expunge, expunge or none, got {expunge_mode!r}")


@node(friendly_name="IMAP Connect", exec_pins=True)
async def email_imap_connect(
    ctx: Context,
    host: str = "imap.example.com",
    port: int = 993,
    username: Annotated[str, Pin(required=True)] = "",
    password: Annotated[str, Pin(sensitive=True, required=True)] = "",
    encryption: Annotated[str, Pin(valid_values=ENCRYPTIONS, description="Tls (port 993), StartTls (upgrade a "
                                   "plain connection, port 143) or Plain (unencrypted, local servers only)")] = "Tls",
    timeout_seconds: float = 30.0,
) -> Annotated[ImapConnection, Pin(name="connection", schema=schema(ImapConnection))]:
    """Opens and logs in an IMAP session for this run; the password is never logged."""
    import asyncio
    import imaplib

    check_encryption(encryption)

    def open_session() -> Any:
        client = mail_client("IMAP", imaplib.IMAP4_SSL, imaplib.IMAP4, host, port, encryption, timeout_seconds)
        try:
            client.login(username, password)
        except imaplib.IMAP4.error as exc:
            client.shutdown()
            raise PermissionError(f"IMAP login as {username!r} at {host}:{port} failed: {text(exc)}") from None
        return client

    connection = ImapConnection(id=uuid.uuid4().hex)
    live = ctx.cache[("imap", connection.id)] = Session(await asyncio.to_thread(open_session))
    ctx.close_at_end(lambda: live.call(lambda client: client.logout()))
    ctx.info(f"IMAP connected to {host}:{port} as {username}")
    return connection


@node(friendly_name="IMAP Inbox", exec_pins=True)
async def mail_imap_inbox(ctx: Context, connection: Connection, inbox: str = "INBOX") -> Annotated[
        ImapInbox, Pin("Mailbox", name="inbox_struct", schema=schema(ImapInbox))]:
    """A mailbox of the connection (checked to exist)."""
    await session(ctx, "imap", connection).call(lambda client: select(client, inbox))
    return ImapInbox(connection=connection, name=inbox)


@node(friendly_name="IMAP List Inboxes", exec_pins=True)
async def mail_imap_list_inboxes(ctx: Context, connection: Connection) -> Mailboxes:
    """Every selectable mailbox of the account."""
    names = await session(ctx, "imap", connection).call(mailbox_names)
    return Mailboxes(names, [ImapInbox(connection=connection, name=name) for name in names])


@node(friendly_name="IMAP Create Mailbox (If Missing)", exec_pins=True)
async def mail_imap_create_mailbox(ctx: Context, connection: Connection,
                                   name: str = "NewMailbox") -> CreatedMailbox:
    """Creates (and subscribes to) a mailbox unless it exists."""
    created = await session(ctx, "imap", connection).call(lambda client: ensure_mailbox(client, name))
    return CreatedMailbox(created, ImapInbox(connection=connection, name=name))


@node(friendly_name="List Mails", exec_pins=True)
async def mail_imap_list(ctx: Context, inbox: Inbox,
                         filter: Annotated[str, Pin(valid_values=FILTERS)] = "NEW") -> Refs:
    """The messages of a mailbox that match a flag filter (NEW is recent and unseen), oldest first."""
    if filter.upper() not in FILTERS:
        raise ValueError(f"filter must be one of {', '.join(FILTERS)}, got {filter!r}")
    found = await session(ctx, "imap", inbox.connection).call(
        lambda client: uids(client, inbox.name, [filter.upper()]))
    return refs(inbox, found)


@node(friendly_name="Search Mails", exec_pins=True)
async def mail_imap_search(ctx: Context, inbox: Inbox, from_address: str = "", to_address: str = "",
                           subject: str = "", body: str = "",
                           since: Annotated[str, Pin(description="YYYY-MM-DD")] = "",
                           before: Annotated[str, Pin(description="YYYY-MM-DD")] = "",
                           unseen_only: bool = False) -> Refs:
    """The messages matching every given criterion (empty ones are ignored; text matches are substrings,
    case-insensitive, ASCII)."""
    import datetime as dt

    terms: list[Term] = [(key, value) for key, value in (("FROM", from_address), ("TO", to_address),
                                                         ("SUBJECT", subject), ("BODY", body)) if value]
    for key, day in (("SINCE", since), ("BEFORE", before)):
        if day:
            try:
                terms.append(f"{key} {dt.date.fromisoformat(day).strftime('%d-%b-%Y')}")
            except ValueError as exc:
                raise ValueError(f"{key.lower()} must be a date YYYY-MM-DD, got {day!r} ({exc})") from None
    if unseen_only:
        terms.append("UNSEEN")
    found = await session(ctx, "imap", inbox.connection).call(lambda client: uids(client, inbox.name, terms))
    return refs(inbox, found)


@node(friendly_name="Fetch Mail", exec_pins=True)
async def email_imap_inbox_fetch_mail(ctx: Context, email_ref: Ref) -> Annotated[
        Email, Pin(name="email", schema=schema(Email))]:
    """The whole message, parsed: addresses, subject, date, text and HTML bodies, attachments, flags."""
    import imaplib


    def fetch(client: Any) -> tuple[bytes, list[str]]:
        select(client, email_ref.inbox.name)
        data = checked(client.uid("FETCH", str(email_ref.uid), "(FLAGS BODY.PEEK[])"), f"fetch of UID {email_ref.uid}")
        for item in data:
            if isinstance(item, tuple):
                return item[1], [flag.decode() for flag in imaplib.ParseFlags(item[0])]
        raise LookupError(f"no message with UID {email_ref.uid} in mailbox {email_ref.inbox.name!r}")

    raw, flags = await session(ctx, "imap", email_ref.connection).call(fetch)
    return parse(raw, email_ref, flags)


FLAG = re.compile(r'\\?[^\x00-\x20()\{%*"\\\]\x7f]+')
"""An IMAP flag (RFC 3501): a system flag (a backslash and an atom) or a keyword (an atom: no space, bracket,
quote, wildcard or control character)."""


def checked_flags(flags: list[str]) -> list[str]:
    """The flags as given; one that is no IMAP flag fails naming it (sent inside the command's parentheses, a space
    made two flags and a line break ended the command, the rest reaching the server as a command of its own)."""
    for flag in flags:
        if not isinstance(flag, str) or not FLAG.fullmatch(flag):
            raise ValueError(f"flag {flag!r} is not an IMAP flag: a system flag (\\Seen, \\Flagged...) or a keyword "
                             f"without spaces, brackets, quotes or line breaks")
    return flags


async def set_flags(ctx: Context, ref: EmailRef, flags: list[str], add: bool) -> list[str]:
    import imaplib

    def store(client: Any) -> list[str]:
        select(client, ref.inbox.name)
        data = checked(client.uid("STORE", str(ref.uid), "+FLAGS" if add else "-FLAGS", f"({' '.join(flags)})"),
                       f"flag change of UID {ref.uid}")
        if not data or data[0] is None:
            raise LookupError(f"no message with UID {ref.uid} in mailbox {ref.inbox.name!r}")
        found = checked(client.uid("FETCH", str(ref.uid), "(FLAGS)"), f"flags of UID {ref.uid}")
        return [flag.decode() for flag in imaplib.ParseFlags(found[0])]

    return await session(ctx, "imap", ref.connection).call(store)


@node(friendly_name="Mark Mail as Seen", exec_pins=True)
async def email_imap_mark_seen(ctx: Context, email: Ref, mark_as_seen: bool = True) -> Annotated[
        EmailRef, Pin(name="email_ref", schema=schema(EmailRef))]:
    """Sets (or clears) the message's \\Seen flag."""
    await set_flags(ctx, email, ["\\Seen"], mark_as_seen)
    return email


class FlagsChanged(NamedTuple):
    email_ref: RefOut
    flags: Annotated[list[str], Pin(description="The message's flags afterwards")]


@node(friendly_name="Set Mail Flags", exec_pins=True)
async def email_imap_set_flags(ctx: Context, email: Ref, flags: list[str] = None, add: bool = True) -> FlagsChanged:
    """Adds (or removes) flags: system ones like \\Flagged, \\Answered, \\Seen, or keywords like $Important."""
    if not flags:
        raise ValueError("no flags given")
    return FlagsChanged(email, await set_flags(ctx, email, checked_flags(list(flags)), add))


@node(friendly_name="Copy Mail to Mailbox", exec_pins=True)
async def email_imap_copy_message(ctx: Context, email: Ref, destination: str = "Archive",
                                  create_if_missing: bool = False) -> NewRef:
    """Copies the message into another mailbox; the reference of the copy."""
    return await session(ctx, "imap", email.connection).call(
        lambda client: copy_to(client, email, destination, create_if_missing))


@node(friendly_name="Move Mail to Mailbox", exec_pins=True)
async def email_imap_move_message(ctx: Context, email: Ref, destination: str = "Archive",
                                  create_if_missing: bool = False,
                                  expunge_mode: ExpungeMode = "uid_expunge") -> NewRef:
    """Copies the message into another mailbox, then deletes the original (see expunge_mode)."""

    def move(client: Any) -> EmailRef:
        moved = copy_to(client, email, destination, create_if_missing)
        remove(client, email, expunge_mode)
        return moved

    return await session(ctx, "imap", email.connection).call(move)


@node(friendly_name="Delete Mail", exec_pins=True)
async def email_imap_delete_message(ctx: Context, email: Ref, expunge_mode: ExpungeMode = "uid_expunge") -> None:
    """Flags the message deleted and expunges it (see expunge_mode)."""
    await session(ctx, "imap", email.connection).call(lambda client: remove(client, email, expunge_mode))


@node(friendly_name="Create Draft", exec_pins=True, capabilities=["files", "network"])
async def email_imap_create_draft(
    ctx: Context,
    connection: Connection,
    mailbox: str = "Drafts",
    create_if_missing: bool = True,
    sender: Annotated[str, Pin(name="from", required=True)] = "",
    to: Annotated[str, Pin(required=True, description="Comma-separated addresses")] = "",
    cc: str = "",
    bcc: str = "",
    subject: str = "(no subject)",
    body_text: str = "",
    body_html: str = "",
    attachments: Annotated[list[Any], Pin(description="Local files: paths or structs with a 'path'")] = None,
    mark_seen: bool = False,
) -> Annotated[str, Pin(name="message_id")]:
    """Stores a new message flagged \\Draft in a mailbox (Bcc kept in the draft); its Message-ID."""
    import imaplib

    message = compose(sender, to, cc, bcc, subject, body_text, body_html, attachments or [], True)

    def append(client: Any) -> None:
        if create_if_missing:
            ensure_mailbox(client, mailbox)
        flags = "(\\Draft \\Seen)" if mark_seen else "(\\Draft)"
        checked(client.append(mailbox_arg(mailbox), flags, imaplib.Time2Internaldate(time.time()), message.as_bytes()),
                f"append to {mailbox!r}")

    await session(ctx, "imap", connection).call(append)
    return str(message["Message-ID"])
