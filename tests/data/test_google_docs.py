"""Google Docs and Slides nodes against a local server speaking Docs v1 and Slides v1 (batchUpdate requests,
their replies) and Drive's export."""

from __future__ import annotations

import base64

from data_boards import one
from fake_google import google_flow


def test_a_document_written_edited_read_and_exported(gs) -> None:
    board = google_flow(gs.url)
    created = board.step("data_google_docs_create", title="Minutes")
    steps = [board.step("data_google_docs_insert_text", text="Hello world\nSecond line\n"),
             board.step("data_google_docs_replace_text", search_text="WORLD", replace_text="team", match_case=False),
             board.step("data_google_docs_delete_text", start_index=1, end_index=7),
             board.step("data_google_docs_get_text"), board.step("data_google_docs_get")]
    for step in steps:
        board.flow.wire(created, "document_id", step, "document_id")
    run = board.run()
    made = board.outputs(run, created)
    assert made["document"] == {"document_id": made["document_id"], "title": "Minutes", "revision_id": "rev1"}
    assert board.outputs(run, steps[1])["occurrences"] == 1
    assert board.outputs(run, steps[3])["text"] == "team\nSecond line\n\n"
    got = board.outputs(run, steps[4])
    assert got["document"]["revision_id"] == "rev4" and got["content"]["body"]["content"][1]["paragraph"]
    sent = [r["json"] for r in gs.state.requests if r["path"].endswith(":batchUpdate")]
    assert sent == [{"requests": [{"insertText": {"text": "Hello world\nSecond line\n", "location": {"index": 1}}}]},
                    {"requests": [{"replaceAllText": {"containsText": {"text": "WORLD", "matchCase": False},
                                                      "replaceText": "team"}}]},
                    {"requests": [{"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 7}}}]}]
    text = one(google_flow(gs.url), "data_google_docs_export", document_id=made["document_id"])
    assert text["content"] == "team\nSecond line\n\n"
    pdf = one(google_flow(gs.url), "data_google_docs_export", document_id=made["document_id"],
              format="application/pdf")
    assert base64.b64decode(pdf["content"]).startswith(b"%PDF-")
    assert gs.state.requests[-1]["query"] == {"mimeType": "application/pdf", "supportsAllDrives": "true"}

    none = one(google_flow(gs.url), "data_google_docs_replace_text", document_id=made["document_id"],
               search_text="absent", replace_text="x")
    assert none["occurrences"] == 0
    bad = google_flow(gs.url)
    bad.step("data_google_docs_insert_text", document_id=made["document_id"], text="x", index=500)
    assert "Index 500 must be less than the end index" in bad.flow.failure()
    backwards = google_flow(gs.url)
    backwards.step("data_google_docs_delete_text", document_id=made["document_id"], start_index=5, end_index=2)
    assert "end_index (2) must be after start_index (5)" in backwards.flow.failure()


def test_a_presentation_with_slides_and_text(gs) -> None:
    board = google_flow(gs.url)
    created = board.step("data_google_slides_create", title="Pitch")
    added = board.step("data_google_slides_add_slide", layout="TITLE_ONLY")
    first = board.step("data_google_slides_add_slide", insert_index=0)
    text = board.step("data_google_slides_add_text", text="Why us", x=100.0, width=2000.0)
    board.flow.wire(added, "slide_id", text, "slide_id")
    got = board.step("data_google_slides_get")
    for step in (added, first, text, got):
        board.flow.wire(created, "presentation_id", step, "presentation_id")
    run = board.run()
    ident = board.outputs(run, created)["presentation_id"]
    slide, before = board.outputs(run, added)["slide_id"], board.outputs(run, first)["slide_id"]
    deck = board.outputs(run, got)
    assert deck["slide_count"] == 3 and [s["object_id"] for s in deck["slides"]] == [before, "p", slide]
    assert deck["presentation"]["title"] == "Pitch"
    shape = gs.state.presentations[ident]["slides"][2]["pageElements"][0]
    assert shape["objectId"] == board.outputs(run, text)["shape_id"] and shape["text"] == "Why us"
    assert shape["transform"] == {"scaleX": 1, "scaleY": 1, "translateX": 100.0, "translateY": 914400.0,
                                  "unit": "EMU"}
    assert shape["size"]["width"] == {"magnitude": 2000.0, "unit": "EMU"}
    create = [r["json"]["requests"][0]["createSlide"] for r in gs.state.requests
              if r["path"].endswith(":batchUpdate") and "createSlide" in r["json"]["requests"][0]]
    assert create[0]["slideLayoutReference"] == {"predefinedLayout": "TITLE_ONLY"} and "insertionIndex" not in \
        create[0]
    assert create[1]["insertionIndex"] == 0

    exported = one(google_flow(gs.url), "data_google_slides_export", presentation_id=ident, format="text/plain")
    assert exported["content"] == "Why us"
    one(google_flow(gs.url), "data_google_slides_delete_slide", presentation_id=ident, slide_id=before)
    assert len(gs.state.presentations[ident]["slides"]) == 2
    missing = google_flow(gs.url)
    missing.step("data_google_slides_delete_slide", presentation_id=ident, slide_id=before)
    assert f"The object ({before}) could not be found" in missing.flow.failure()
