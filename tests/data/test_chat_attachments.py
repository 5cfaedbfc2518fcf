"""Chat attachment nodes: a local file and an S3 object (SeaweedFS) become links the chat opens."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from data_boards import Flow, output
from flowlike_catalog.data.chat_attachments import (
    events_chat_attachment_from_signed_url,
    events_chat_attachment_to_signed_url,
)


def test_a_local_file_becomes_a_file_link_with_its_name_and_type(flow: Flow, tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    node = flow.step("events_chat_attachment_from_path", path={"path": str(tmp_path / "report.pdf")}, page=3,
                     anchor="results", preview_text="The results")
    assert flow.run().output(node.id, "attachment") == {
        "url": (tmp_path / "report.pdf").as_uri(), "name": "report.pdf", "type": "application/pdf",
        "preview_text": "The results", "page": 3, "anchor": "results"}


def test_a_given_name_wins_and_bad_input_says_what(flow: Flow, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x")
    attachment = output("events_chat_attachment_from_path", "attachment", path={"path": str(tmp_path / "a.csv")},
                        name="Numbers")
    assert (attachment["name"], attachment["type"]) == ("Numbers", "text/csv")
    assert "page" not in attachment and "anchor" not in attachment
    flow.step("events_chat_attachment_from_path", path={"path": str(tmp_path / "a.csv")}, expiration=0)
    assert "expiration must be positive" in flow.failure()


@pytest.mark.s3
def test_an_s3_object_becomes_a_presigned_link_that_reads_it(seaweedfs: dict) -> None:
    keys = {"access_key_id": seaweedfs["options"]["key"], "secret_access_key": seaweedfs["options"]["secret"]}
    flow = Flow()
    store = flow.step("external_s3_store", bucket=seaweedfs["bucket"], endpoint=seaweedfs["endpoint"],
                      path_style=True, prefix=f"chat-{uuid.uuid4().hex[:8]}", **keys)
    child = flow.add("child", child_name="notes.md", parent_path=(store, "path"))
    flow.step("write_string", content="# shared", path=(child, "path"))
    attach = flow.step("events_chat_attachment_from_path", path=(child, "path"), expiration=60)
    link = flow.add("events_chat_attachment_to_signed_url", attachment=(attach, "attachment"))
    flow.step("events_generic_return_result", response=(link, "signed_url"))
    run = flow.run()
    attachment = run.output(attach.id, "attachment")
    assert (attachment["name"], attachment["type"]) == ("notes.md", "text/markdown")
    assert "Signature=" in attachment["url"]
    assert httpx.get(attachment["url"]).text == "# shared"
    assert run.result == attachment["url"]


def test_signed_urls_go_in_and_out_of_attachments() -> None:
    url = "https://bucket.s3.amazonaws.com/f.png?X-Amz-Signature=abc"
    assert events_chat_attachment_from_signed_url.func(url) == {"url": url}
    assert tuple(events_chat_attachment_to_signed_url.func({"url": url})) == (url, True)
    assert tuple(events_chat_attachment_to_signed_url.func(url)) == (url, True)
    assert tuple(events_chat_attachment_to_signed_url.func({"name": "no link"})) == ("", False)
    with pytest.raises(ValueError, match="is not a URL"):
        events_chat_attachment_from_signed_url.func("not a link")
