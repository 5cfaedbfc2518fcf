"""Gmail (REST v1): sending mail and saving drafts as the token's user, and listing labels. Messages go to
Gmail as RFC 2822 text (made by Python's email package: headers encoded as the standard says)."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from typing import Any

from flowlike_catalog.data.google import Google, GoogleNode, struct_out
from flowlike_catalog.web.service_pins import text_in, text_out

CATEGORY = "Data/Google/Gmail"
CAPABILITIES = ("network",)


def raw_message(to: str, subject: str, body: str, cc: str, bcc: str) -> str:
    """A plain-text message, base64url-encoded as Gmail's `raw` field wants it."""
    if not to:
        raise ValueError("to is required (comma-separated addresses)")
    message = EmailMessage()
    message["To"], message["Subject"] = to, subject
    for header, value in (("Cc", cc), ("Bcc", bcc)):
        if value:
            message[header] = value
    message.set_content(body)
    return base64.urlsafe_b64encode(message.as_bytes()).decode().rstrip("=")


MESSAGE = (text_in("to", description="Comma-separated addresses"), text_in("subject"), text_in("body"),
           text_in("cc", ""), text_in("bcc", ""))


class SendEmail(GoogleNode):
    name = "data_google_gmail_send"
    friendly_name = "Send Email"
    description = "Sends a plain-text email from the token's Gmail account."
    inputs = MESSAGE
    outputs = (text_out("message_id"), text_out("thread_id"))

    async def call(self, google: Google, *, to: str, subject: str, body: str, cc: str, bcc: str) -> dict[str, Any]:
        sent = await google.call("gmail", "POST", "/users/me/messages/send",
                                 body={"raw": raw_message(to, subject, body, cc, bcc)})
        return {"message_id": sent["id"], "thread_id": sent.get("threadId", "")}


class CreateDraft(GoogleNode):
    name = "data_google_gmail_create_draft"
    friendly_name = "Create Draft"
    description = "Saves a plain-text email as a draft."
    inputs = MESSAGE
    outputs = (struct_out("draft", description="GmailDraft: id, message_id, thread_id"), text_out("draft_id"))

    async def call(self, google: Google, *, to: str, subject: str, body: str, cc: str, bcc: str) -> dict[str, Any]:
        draft = await google.call("gmail", "POST", "/users/me/drafts",
                                  body={"message": {"raw": raw_message(to, subject, body, cc, bcc)}})
        message = draft.get("message", {})
        return {"draft": {"id": draft["id"], "message_id": message.get("id"), "thread_id": message.get("threadId")},
                "draft_id": draft["id"]}


class ListLabels(GoogleNode):
    name = "data_google_gmail_list_labels"
    friendly_name = "List Labels"
    description = "The mailbox's labels, system (INBOX, SENT...) and the user's own."
    outputs = (struct_out("labels", array=True, description="GmailLabel: id, name, label_type (system or user)"),)

    async def call(self, google: Google) -> dict[str, Any]:
        found = await google.call("gmail", "GET", "/users/me/labels")
        return {"labels": [{"id": label["id"], "name": label.get("name", ""), "label_type": label.get("type")}
                           for label in found.get("labels", [])]}
