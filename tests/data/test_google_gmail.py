"""Gmail nodes against a local server speaking Gmail v1's wire format (RFC 2822 messages, base64url `raw`)."""

from __future__ import annotations

from data_boards import one
from fake_google import google_flow


def test_send_and_draft(gs) -> None:
    sent = one(google_flow(gs.url), "data_google_gmail_send", to="bo@example.org", subject="Grüße",
               body="Line one\nLine two", cc="cy@example.org")
    assert (sent["message_id"], sent["thread_id"]) == ("m1", "t1")
    message = gs.state.sent[0]
    assert (message["To"], message["Cc"], message["Subject"]) == ("bo@example.org", "cy@example.org", "Grüße")
    assert message.get_content() == "Line one\nLine two\n" and message.get_content_type() == "text/plain"
    assert "=" not in gs.state.requests[-1]["json"]["raw"]

    draft = one(google_flow(gs.url), "data_google_gmail_create_draft", to="bo@example.org", subject="Later",
                body="Draft", bcc="dd@example.org")
    assert draft == {"draft": {"id": "r-1", "message_id": "dm1", "thread_id": "dt1"}, "draft_id": "r-1"}
    assert gs.state.drafts[0]["message"]["Bcc"] == "dd@example.org"

    board = google_flow(gs.url)
    board.step("data_google_gmail_send", to="", subject="x", body="y")
    assert "to is required" in board.flow.failure()


def test_labels(gs) -> None:
    labels = one(google_flow(gs.url), "data_google_gmail_list_labels")["labels"]
    assert labels == [{"id": "INBOX", "name": "INBOX", "label_type": "system"},
                      {"id": "Label_1", "name": "Receipts", "label_type": "user"}]
    assert gs.state.requests[-1]["path"] == "/gmail/v1/users/me/labels"
