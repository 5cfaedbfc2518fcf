"""LinkedIn nodes against a local server speaking LinkedIn's userinfo and UGC Posts wire format."""

from __future__ import annotations

import json

import pytest
from data_boards import ServiceFlow, one
from fake_linkedin import MEMBER, TOKEN
from flowlike_catalog.data import linkedin


def board(url: str, token: str = TOKEN) -> ServiceFlow:
    return ServiceFlow("data_linkedin_provider_oauth", access_token=token, base_url=url)


def test_provider_keeps_the_token_secret() -> None:
    made = linkedin.data_linkedin_provider_oauth.func("AQV_secret", "https://api.linkedin.com/")
    assert made.base_url == "https://api.linkedin.com" and made.provider_id == "linkedin"
    assert "AQV_secret" not in json.dumps(made.model_dump(mode="json")) and "AQV_secret" not in repr(made)
    with pytest.raises(ValueError, match="LinkedIn access token is empty"):
        linkedin.data_linkedin_provider_oauth.func("", "https://api.linkedin.com")


def test_get_me(li) -> None:
    me = one(board(li.url), "data_linkedin_get_me")
    assert (me["sub"], me["email"], me["name"]) == (MEMBER, "ada@example.org", "Ada Lovelace")
    assert me["me"]["locale"] == "en_GB" and me["me"]["email_verified"] is True
    assert li.state.requests[-1]["path"] == "/v2/userinfo"


def test_share_text_and_article(li) -> None:
    flow = board(li.url)
    me = flow.step("data_linkedin_get_me")
    text = flow.step("data_linkedin_share_text", text="Hello network", visibility="CONNECTIONS")
    flow.flow.wire(me, "sub", text, "author_id")
    run = flow.run()
    assert flow.outputs(run, text)["post_id"] == "urn:li:share:6800000000000000001"
    posted = li.state.requests[-1]
    assert posted["headers"]["x-restli-protocol-version"] == "2.0.0"
    assert posted["json"] == {
        "author": f"urn:li:person:{MEMBER}", "lifecycleState": "PUBLISHED",
        "specificContent": {"com.linkedin.ugc.ShareContent": {"shareCommentary": {"text": "Hello network"},
                                                              "shareMediaCategory": "NONE"}},
        "visibility": {"com.linkedin.ugc.MemberNetworkVisibility": "CONNECTIONS"}}

    article = one(board(li.url), "data_linkedin_share_article", author_id=f"urn:li:person:{MEMBER}", text="Read",
                  url="https://example.org/post", title="A post")
    assert article["post_id"] == "urn:li:share:6800000000000000002"
    content = li.state.posts[-1]["specificContent"]["com.linkedin.ugc.ShareContent"]
    assert content["shareMediaCategory"] == "ARTICLE"
    assert content["media"] == [{"status": "READY", "originalUrl": "https://example.org/post",
                                 "title": {"text": "A post"}}]


def test_linkedin_errors_fire_exec_error(li) -> None:
    flow = board(li.url)
    node = flow.step("data_linkedin_share_text", author_id="someone-else", text="Hi")
    back = flow.flow.add("events_generic_return_result")
    flow.flow.wire(node, "exec_error", back, "exec_in")
    flow.flow.wire(node, "error_message", back, "response")
    assert flow.run().result.startswith("LinkedIn answered 403 to POST /ugcPosts: Unpermitted fields present")

    wrong = board(li.url, token="nope")
    wrong.step("data_linkedin_get_me")
    assert "LinkedIn answered 401 to GET /userinfo: Invalid access token" in wrong.flow.failure()
    bad = board(li.url)
    bad.step("data_linkedin_share_text", author_id=MEMBER, text="Hi", visibility="EVERYONE")
    assert "visibility must be PUBLIC or CONNECTIONS" in bad.flow.failure()
