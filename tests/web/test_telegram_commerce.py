"""Telegram payments, gifts, business-account and story nodes against a local Bot API server."""

from __future__ import annotations

from typing import Any

import pytest
from fake_telegram import CHAT, DATE, State, check_case, failure, run_node

PRICES = [{"label": "Pro plan", "amount": 250}]
BIZ = "biz-1"
STORY = {"chat": {"id": 5}, "id": 9}

CASES = [
    ("telegram_create_invoice_link", {"title": "Pro", "description": "A month", "payload": "order-1",
                                      "prices": PRICES}, "createInvoiceLink",
     {"title": "Pro", "payload": "order-1", "currency": "XTR", "prices": PRICES, "provider_token": None},
     "https://t.me/$abc", {"url": "https://t.me/$abc", "invoice_link": {"url": "https://t.me/$abc"},
                           "success": True}),
    ("telegram_send_invoice", {"title": "Pro", "description": "A month", "payload": "order-1", "prices": PRICES,
                               "currency": "eur", "provider_token": "prov", "need_email": True,
                               "suggested_tip_amounts": "[100, 200]", "max_tip_amount": 500}, "sendInvoice",
     {"chat_id": CHAT, "currency": "EUR", "provider_token": "prov", "need_email": True,
      "suggested_tip_amounts": [100, 200], "max_tip_amount": 500, "need_name": None}, None,
     {"message_id": 101, "success": True}),
    ("telegram_answer_pre_checkout_query", {"pre_checkout_query_id": "pc1", "ok": False,
                                            "error_message": "Sold out"}, "answerPreCheckoutQuery",
     {"pre_checkout_query_id": "pc1", "ok": False, "error_message": "Sold out"}, None, {"success": True}),
    ("telegram_answer_shipping_query", {"shipping_query_id": "sq1",
                                        "shipping_options": '[{"id": "post", "title": "Post", "prices": []}]'},
     "answerShippingQuery", {"ok": True, "shipping_options": [{"id": "post", "title": "Post", "prices": []}]}, None,
     {"success": True}),
    ("telegram_get_star_transactions", {"limit": 2}, "getStarTransactions", {"limit": 2},
     {"transactions": [{"id": "t1", "amount": 5, "date": DATE}]}, {"count": 1, "success": True}),
    ("telegram_refund_star_payment", {"user_id": 8, "telegram_payment_charge_id": "ch1"}, "refundStarPayment",
     {"user_id": 8, "telegram_payment_charge_id": "ch1"}, None, {"success": True}),
    # gifts
    ("telegram_get_available_gifts", {}, "getAvailableGifts", {}, {"gifts": [{"id": "g1", "star_count": 15}]},
     {"gifts": [{"id": "g1", "star_count": 15}], "count": 1}),
    ("telegram_send_gift", {"user_id": 8, "gift_id": "g1", "text": "*Thanks*"}, "sendGift",
     {"user_id": 8, "gift_id": "g1", "text": "*Thanks*", "text_parse_mode": "MarkdownV2"}, True, {"success": True}),
    ("telegram_send_gift_chat", {"gift_id": "g1", "text": "Hi", "text_entities": '[{"type": "bold", "offset": 0, '
                                                                                 '"length": 2}]'}, "sendGift",
     {"chat_id": CHAT, "text_entities": [{"type": "bold", "offset": 0, "length": 2}], "text_parse_mode": None}, True,
     {"success": True}),
    ("telegram_gift_premium_subscription", {"user_id": 8, "month_count": 3, "star_count": 1000},
     "giftPremiumSubscription", {"user_id": 8, "month_count": 3, "star_count": 1000}, None, {"success": True}),
    ("telegram_convert_gift_to_stars", {"business_connection_id": BIZ, "owned_gift_id": "o1"}, "convertGiftToStars",
     {"business_connection_id": BIZ, "owned_gift_id": "o1"}, None, {"success": True}),
    ("telegram_upgrade_gift", {"business_connection_id": BIZ, "owned_gift_id": "o1", "star_count": 25},
     "upgradeGift", {"owned_gift_id": "o1", "star_count": 25}, None, {"success": True}),
    ("telegram_transfer_gift", {"business_connection_id": BIZ, "owned_gift_id": "o1", "new_owner_chat_id": 77},
     "transferGift", {"new_owner_chat_id": 77, "star_count": None}, None, {"success": True}),
    # business accounts
    ("telegram_get_business_connection", {"business_connection_id": BIZ}, "getBusinessConnection",
     {"business_connection_id": BIZ}, {"id": BIZ, "is_enabled": True}, {"connection": {"id": BIZ,
                                                                                       "is_enabled": True}}),
    ("telegram_send_business_message", {"business_connection_id": BIZ, "chat_id": 66, "text": "Hello"},
     "sendMessage", {"business_connection_id": BIZ, "chat_id": 66, "text": "Hello"}, None,
     {"message_id": 101, "success": True}),
    ("telegram_send_business_photo", {"business_connection_id": BIZ, "chat_id": 66, "photo": "p.jpg",
                                      "caption": "c"}, "sendPhoto",
     {"business_connection_id": BIZ, "photo": "p.jpg", "caption": "c"}, None, {"message_id": 101}),
    ("telegram_send_business_document", {"business_connection_id": BIZ, "chat_id": 66, "document": "d.pdf"},
     "sendDocument", {"business_connection_id": BIZ, "document": "d.pdf"}, None, {"message_id": 101}),
    ("telegram_edit_business_message_text", {"business_connection_id": BIZ, "chat_id": 66, "message_id": 3,
                                             "text": "Fixed"}, "editMessageText",
     {"business_connection_id": BIZ, "chat_id": 66, "message_id": 3, "text": "Fixed"}, None, {"success": True}),
    ("telegram_stop_business_poll", {"business_connection_id": BIZ, "chat_id": 66, "message_id": 3}, "stopPoll",
     {"business_connection_id": BIZ, "message_id": 3}, {"id": "p"}, {"success": True}),
    ("telegram_delete_business_message", {"chat_id": 66, "message_id": 3}, "deleteMessage",
     {"chat_id": 66, "message_id": 3}, None, {"success": True}),
    ("telegram_delete_story", {"business_connection_id": BIZ, "story_id": 9}, "deleteStory",
     {"business_connection_id": BIZ, "story_id": 9}, None, {"success": True}),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_node_sends_the_documented_call_and_outputs_the_answer(b: Any, api: tuple[str, State], case: tuple) -> None:
    check_case(b, api, case)


def test_forward_business_message_checks_the_connection_first(b: Any, api: tuple[str, State]) -> None:
    api[1].results["getBusinessConnection"] = {"id": BIZ, "is_enabled": True}
    api[1].results["forwardMessage"] = {"message_id": 44, "date": DATE, "chat": {"id": 66}}
    out = run_node(b, api, "telegram_forward_business_message", business_connection_id=BIZ, chat_id=66,
                   from_chat_id=55, message_id=3)
    assert out == {"new_message_id": 44, "success": True}
    assert api[1].call("forwardMessage")["params"] == {"chat_id": 66, "from_chat_id": 55, "message_id": 3}
    api[1].results["getBusinessConnection"] = {"id": BIZ, "is_enabled": False}
    assert "business connection biz-1 is not enabled" in failure(
        type(b)(), api, "telegram_forward_business_message", business_connection_id=BIZ, chat_id=66,
        from_chat_id=55, message_id=3)


def test_stories_upload_their_media_as_an_attachment(b: Any, api: tuple[str, State], tmp_path: Any) -> None:
    (tmp_path / "story.jpg").write_bytes(b"jpeg bytes")
    api[1].results["postStory"] = api[1].results["editStory"] = STORY
    out = run_node(b, api, "telegram_post_story", business_connection_id=BIZ,
                   content={"type": "photo", "photo": {"path": str(tmp_path / "story.jpg")}}, caption="Hi",
                   areas={"areas": [{"type": {"type": "link", "url": "https://x"}}]})
    call = api[1].call("postStory")
    assert out["story"] == STORY
    assert call["params"]["content"] == {"type": "photo", "photo": "attach://story_media"}
    assert call["params"]["active_period"] == "86400" and call["params"]["areas"][0]["type"]["type"] == "link"
    assert call["files"] == {"story_media": {"filename": "story.jpg", "content": b"jpeg bytes"}}
    run_node(type(b)(), api, "telegram_edit_story", business_connection_id=BIZ, story_id=9,
             content={"type": "video", "video": str(tmp_path / "story.jpg"), "duration": 5})
    assert api[1].call("editStory")["params"]["content"] == {"type": "video", "video": "attach://story_media",
                                                             "duration": 5}


def test_payment_inputs_are_checked(b: Any, api: tuple[str, State]) -> None:
    assert "needs the payment provider's token" in failure(b, api, "telegram_send_invoice", title="t",
                                                           description="d", payload="p", currency="EUR",
                                                           prices=PRICES)
    assert "at least one LabeledPrice" in failure(type(b)(), api, "telegram_create_invoice_link", title="t",
                                                  description="d", payload="p")
    assert "needs an error_message" in failure(type(b)(), api, "telegram_answer_pre_checkout_query",
                                               pre_checkout_query_id="q", ok=False)
    assert "content must be" in failure(type(b)(), api, "telegram_post_story", business_connection_id=BIZ,
                                        content={"type": "text"})
    assert api[1].calls == []
