"""Google Forms (REST v1): forms made, read (with their questions), retitled, and their responses listed and
read."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.google import NEXT_PAGE, Google, GoogleNode, segment, struct_out
from flowlike_catalog.web.service_pins import text_in, text_out

CATEGORY = "Data/Google/Forms"
CAPABILITIES = ("network",)
QUESTION_KINDS = {"choiceQuestion": "choice", "textQuestion": "text", "scaleQuestion": "scale",
                  "dateQuestion": "date", "timeQuestion": "time", "fileUploadQuestion": "fileUpload",
                  "ratingQuestion": "rating"}


def form(found: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's GoogleForm."""
    info = found.get("info", {})
    return {"form_id": found.get("formId", ""), "title": info.get("title", ""),
            "document_title": info.get("documentTitle", ""), "description": info.get("description"),
            "responder_uri": found.get("responderUri", ""), "revision_id": found.get("revisionId")}


def questions(found: dict[str, Any]) -> list[dict[str, Any]]:
    """Flow-Like's GoogleFormQuestion for each question item (page breaks, images and texts left out)."""
    listed = []
    for item in found.get("items", []):
        question = item.get("questionItem", {}).get("question")
        if question:
            kind = next((name for key, name in QUESTION_KINDS.items() if key in question), "unknown")
            listed.append({"question_id": question.get("questionId", ""), "title": item.get("title", ""),
                           "description": item.get("description"), "required": bool(question.get("required")),
                           "question_type": kind})
    return listed


def response(found: dict[str, Any], form_id: str) -> dict[str, Any]:
    """Flow-Like's GoogleFormResponse: each answer's texts and uploaded files' ids."""
    def values(answer: dict[str, Any], kind: str, key: str) -> list[str] | None:
        given = answer.get(kind)
        return [a.get(key, "") for a in given.get("answers", [])] if given else None

    return {"response_id": found["responseId"], "form_id": form_id, "create_time": found.get("createTime", ""),
            "last_submitted_time": found.get("lastSubmittedTime", ""),
            "respondent_email": found.get("respondentEmail"),
            "answers": [{"question_id": question_id, "text_answers": values(answer, "textAnswers", "value"),
                         "file_upload_answers": values(answer, "fileUploadAnswers", "fileId")}
                        for question_id, answer in found.get("answers", {}).items()]}


FORM_ID = text_in("form_id", description="From the form's edit URL: /forms/d/<id>/edit")
FORM = struct_out("form", description="GoogleForm: form_id, title, document_title, description, responder_uri, "
                  "revision_id")
RESPONSE = "GoogleFormResponse: response_id, form_id, create_time, last_submitted_time, respondent_email, answers"


class GetForm(GoogleNode):
    name = "data_google_forms_get"
    friendly_name = "Get Form"
    description = "A form and its questions."
    inputs = (FORM_ID,)
    outputs = (FORM, struct_out("questions", array=True, description="GoogleFormQuestion: question_id, title, "
                                "description, required, question_type"))

    async def call(self, google: Google, *, form_id: str) -> dict[str, Any]:
        found = await google.call("forms", "GET", f"/forms/{segment(form_id, 'form_id')}")
        return {"form": form(found), "questions": questions(found)}


class ListResponses(GoogleNode):
    name = "data_google_forms_list_responses"
    friendly_name = "List Form Responses"
    description = "A form's responses, a page at a time."
    inputs = (FORM_ID, text_in("page_token", ""))
    outputs = (struct_out("responses", array=True, description=RESPONSE), NEXT_PAGE)

    async def call(self, google: Google, *, form_id: str, page_token: str) -> dict[str, Any]:
        found = await google.call("forms", "GET", f"/forms/{segment(form_id, 'form_id')}/responses",
                                  params={"pageToken": page_token})
        return {"responses": [response(r, form_id) for r in found.get("responses", [])],
                "next_page_token": found.get("nextPageToken", "")}


class GetResponse(GoogleNode):
    name = "data_google_forms_get_response"
    friendly_name = "Get Form Response"
    description = "One response to a form."
    inputs = (FORM_ID, text_in("response_id"))
    outputs = (struct_out("response", description=RESPONSE),)

    async def call(self, google: Google, *, form_id: str, response_id: str) -> dict[str, Any]:
        found = await google.call("forms", "GET", f"/forms/{segment(form_id, 'form_id')}/responses/"
                                                  f"{segment(response_id, 'response_id')}")
        return {"response": response(found, form_id)}


class CreateForm(GoogleNode):
    name = "data_google_forms_create"
    friendly_name = "Create Form"
    description = "A new form without questions (add them in Forms, or with the API's batchUpdate)."
    inputs = (text_in("title", description="Shown to respondents"),
              text_in("document_title", "", "The file's name in Drive; empty: the title"))
    outputs = (FORM, text_out("form_id"))

    async def call(self, google: Google, *, title: str, document_title: str) -> dict[str, Any]:
        found = await google.call("forms", "POST", "/forms",
                                  body={"info": {"title": title, "documentTitle": document_title or title}})
        return {"form": form(found), "form_id": found["formId"]}


class UpdateFormInfo(GoogleNode):
    name = "data_google_forms_update_info"
    friendly_name = "Update Form Info"
    description = "Changes a form's title or description (empty inputs leave theirs as it is)."
    inputs = (FORM_ID, text_in("title", ""), text_in("description", ""))
    outputs = (FORM,)

    async def call(self, google: Google, *, form_id: str, title: str, description: str) -> dict[str, Any]:
        info = {key: value for key, value in (("title", title), ("description", description)) if value}
        if not info:
            raise ValueError("nothing to update: give a title or a description")
        path = f"/forms/{segment(form_id, 'form_id')}"
        await google.call("forms", "POST", path + ":batchUpdate", body={"requests": [
            {"updateFormInfo": {"info": info, "updateMask": ",".join(info)}}]})
        return {"form": form(await google.call("forms", "GET", path))}
