"""SMTP: connect (TLS, STARTTLS or plain, optional login) and send messages with text, HTML and files."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from flowlike_catalog.web.mail import (
    ENCRYPTIONS,
    Session,
    SmtpConnection,
    check_encryption,
    compose,
    mail_client,
    mailboxes,
    schema,
    session,
)

from flowlike_core import Context, Pin, node
from flowlike_core.wording import counted

CATEGORY = "Email/SMTP"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)


@node(friendly_name="SMTP Connect", exec_pins=True)
async def email_smtp_connect(
    ctx: Context,
    host: str = "smtp.example.com",
    port: int = 587,
    username: Annotated[str, Pin(description="Empty for a server that needs no login")] = "",
    password: Annotated[str, Pin(sensitive=True)] = "",
    encryption: Annotated[str, Pin(valid_values=ENCRYPTIONS, description="Tls (port 465), StartTls (port 587) "
                                   "or Plain (unencrypted, local servers only)")] = "StartTls",
    timeout_seconds: float = 30.0,
) -> Annotated[SmtpConnection, Pin(name="connection", schema=schema(SmtpConnection))]:
    """Opens (and logs in) an SMTP session for this run; the password is never logged."""
    import asyncio
    import smtplib

    check_encryption(encryption)

    def open_session() -> Any:
        client = mail_client("SMTP", smtplib.SMTP_SSL, smtplib.SMTP, host, port, encryption, timeout_seconds,
                             (OSError, smtplib.SMTPException))
        if username:
            try:
                client.login(username, password)
            except smtplib.SMTPException as exc:
                client.close()
                raise PermissionError(f"SMTP login as {username!r} at {host}:{port} failed: {exc}") from None
        return client

    connection = SmtpConnection(id=uuid.uuid4().hex)
    live = ctx.cache[("smtp", connection.id)] = Session(await asyncio.to_thread(open_session))
    ctx.close_at_end(lambda: live.call(lambda client: client.quit()))
    ctx.info(f"SMTP connected to {host}:{port}" + (f" as {username}" if username else ""))
    return connection


@node(friendly_name="Send Mail", exec_pins=True, capabilities=["files", "network"])
async def email_smtp_send(
    ctx: Context,
    connection: Annotated[SmtpConnection, Pin(schema=schema(SmtpConnection), description="From SMTP Connect")],
    sender: Annotated[str, Pin(name="from", required=True)] = "",
    to: Annotated[str, Pin(description="Comma-separated addresses")] = "",
    cc: str = "",
    bcc: Annotated[str, Pin(description="Receive the mail without being named in it (unless include_bcc_header)")]
    = "",
    subject: str = "(no subject)",
    body_text: str = "",
    body_html: str = "",
    attachments: Annotated[list[Any], Pin(description="Local files: paths or structs with a 'path'")] = None,
    include_bcc_header: bool = False,
) -> Annotated[str, Pin(name="message_id")]:
    """Sends one message to every To, Cc and Bcc address; its Message-ID. Refused recipients are an error."""
    message = compose(sender, to, cc, bcc, subject, body_text, body_html, attachments or [], include_bcc_header)
    recipients = [address for field, text in (("to", to), ("cc", cc), ("bcc", bcc))
                  for _, address in mailboxes(text, field)]

    def deliver(client: Any) -> dict[str, Any]:
        import smtplib
        from email import policy

        sender_address = mailboxes(sender, "from")[0][1]
        try:  # sendmail, not send_message: send_message always strips Bcc, even when asked to keep it
            return client.sendmail(sender_address, recipients, message.as_bytes(policy=policy.SMTP))
        except smtplib.SMTPRecipientsRefused as exc:  # every one refused: the same as some, nothing sent
            return exc.recipients
        except smtplib.SMTPResponseException as exc:  # (smtplib's text is a tuple of code, bytes and address)
            what = f"mail from {sender_address}" if isinstance(exc, smtplib.SMTPSenderRefused) else "the message"
            raise RuntimeError(f"the server refused {what}: {exc.smtp_code} "
                               f"{exc.smtp_error.decode('utf-8', 'replace')}") from None

    refused = await session(ctx, "smtp", connection).call(deliver)
    if refused:
        which = "every recipient" if len(refused) == len(set(recipients)) else "some recipients"
        reasons = ", ".join(f"{address} ({code} {text.decode('utf-8', 'replace')})"
                            for address, (code, text) in sorted(refused.items()))
        sent = "" if which == "every recipient" else "; the message went to the others"
        raise RuntimeError(f"the server refused {which}: {reasons}{sent}")
    ctx.info(f"sent {message['Message-ID']} to {counted(len(recipients), 'recipient')}")
    return str(message["Message-ID"])
