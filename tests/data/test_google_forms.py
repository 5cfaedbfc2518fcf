"""Google Forms nodes against a local server speaking Forms v1 (forms, batchUpdate, paged responses)."""

from __future__ import annotations

from data_boards import one
from fake_google import google_flow


def test_a_form_and_its_questions(gs) -> None:
    got = one(google_flow(gs.url), "data_google_forms_get", form_id="survey")
    assert got["form"] == {"form_id": "survey", "title": "Lunch survey", "document_title": "Lunch",
                           "description": "Be honest", "responder_uri":
                               "https://docs.google.com/forms/d/e/survey/viewform", "revision_id": "00000007"}
    assert got["questions"] == [
        {"question_id": "q1", "title": "Favourite dish?", "description": None, "required": True,
         "question_type": "text"},
        {"question_id": "q2", "title": "Rating", "description": "1 to 5", "required": False,
         "question_type": "scale"}]


def test_responses_page_by_page(gs) -> None:
    first = one(google_flow(gs.url), "data_google_forms_list_responses", form_id="survey")
    assert [r["response_id"] for r in first["responses"]] == ["resp1", "resp2"] and first["next_page_token"] == "2"
    assert first["responses"][0]["answers"] == [
        {"question_id": "q1", "text_answers": ["Pasta"], "file_upload_answers": None},
        {"question_id": "q2", "text_answers": ["3"], "file_upload_answers": None}]
    rest = one(google_flow(gs.url), "data_google_forms_list_responses", form_id="survey", page_token="2")
    assert [r["response_id"] for r in rest["responses"]] == ["resp3"] and rest["next_page_token"] == ""
    assert gs.state.requests[-1]["query"] == {"pageToken": "2"}
    single = one(google_flow(gs.url), "data_google_forms_get_response", form_id="survey", response_id="resp2")
    assert single["response"]["respondent_email"] == "r2@example.org" and single["response"]["form_id"] == "survey"
    missing = google_flow(gs.url)
    missing.step("data_google_forms_get_response", form_id="survey", response_id="nope")
    assert "Google Forms answered 404" in missing.flow.failure()


def test_create_and_update_a_form(gs) -> None:
    board = google_flow(gs.url)
    created = board.step("data_google_forms_create", title="Feedback")
    updated = board.step("data_google_forms_update_info", description="Tell us")
    board.flow.wire(created, "form_id", updated, "form_id")
    run = board.run()
    assert gs.state.requests[0]["json"] == {"info": {"title": "Feedback", "documentTitle": "Feedback"}}
    assert gs.state.requests[1]["json"] == {"requests": [{"updateFormInfo": {"info": {"description": "Tell us"},
                                                                             "updateMask": "description"}}]}
    form = board.outputs(run, updated)["form"]
    assert (form["title"], form["description"]) == ("Feedback", "Tell us")
    nothing = google_flow(gs.url)
    nothing.step("data_google_forms_update_info", form_id=board.outputs(run, created)["form_id"])
    assert "nothing to update" in nothing.flow.failure()
