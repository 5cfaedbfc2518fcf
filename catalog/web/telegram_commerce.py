"""Money and business on Telegram: invoices and payments (Telegram Stars or a payment provider), gifts,
messages sent on behalf of a Telegram Business account, and that account's stories.

Business nodes take the business_connection_id from the business_connection update Telegram sends when a
business account connects the bot; chats there are the account's chats, so they take chat_id explicitly.
"""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.telegram import SessionIn, Success, bot_api, chat_ref, parse_json, read_file
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "Telegram/Payments"
CAPABILITIES = ("network",)
UPLOADS = ("network", "files")  # the nodes that read a file to upload it


class LabeledPrice(BaseModel):
    """One line of an invoice: a label and an amount in the currency's smallest unit (Stars: whole stars)."""

    label: str
    amount: int


class InvoiceLink(BaseModel):
    url: str


PricesIn = Annotated[list[LabeledPrice], Pin(description="The invoice's lines (one for Telegram Stars)")]


def prices_of(prices: list[Any]) -> list[dict[str, Any]]:
    lines = [LabeledPrice.model_validate(p if isinstance(p, dict) else p.model_dump()).model_dump()
             for p in prices or ()]
    if not lines:
        raise ValueError("prices needs at least one LabeledPrice (label, amount)")
    return lines


def invoice(title: str, description: str, payload: str, provider_token: str, currency: str,
            prices: list[Any]) -> dict[str, Any]:
    """The fields every invoice has; Stars (XTR) take no provider token."""
    if currency.upper() != "XTR" and not provider_token:
        raise ValueError(f"a {currency} invoice needs the payment provider's token (XTR, Telegram Stars, needs none)")
    return {"title": title, "description": description, "payload": payload, "provider_token": provider_token or None,
            "currency": currency.upper(), "prices": prices_of(prices)}


class Link(NamedTuple):
    invoice_link: InvoiceLink
    url: str
    success: bool


@node(exec_pins=True, friendly_name="Create Invoice Link")
async def telegram_create_invoice_link(ctx: Context, session: SessionIn, title: str, description: str,
                                       payload: Annotated[str, Pin(description="Your reference, 1-128 bytes, not "
                                                                   "shown to the user")],
                                       provider_token: Annotated[str, Pin(sensitive=True)] = "",
                                       currency: str = "XTR", prices: PricesIn = None) -> Link:
    """A link that opens a payment form anywhere it is shared."""
    url = await bot_api(ctx, session, "createInvoiceLink", invoice(title, description, payload, provider_token,
                                                                   currency, prices))
    return Link(InvoiceLink(url=url), url, True)


class InvoiceSent(NamedTuple):
    message_id: int
    success: bool


@node(exec_pins=True, friendly_name="Send Invoice")
async def telegram_send_invoice(
        ctx: Context, session: SessionIn, title: str, description: str, payload: str,
        provider_token: Annotated[str, Pin(sensitive=True)] = "", currency: str = "XTR", prices: PricesIn = None,
        max_tip_amount: int = 0, suggested_tip_amounts: Annotated[str, Pin(description="A JSON array of up to 4 "
                                                                          "amounts")] = "[]",
        start_parameter: str = "", provider_data: Annotated[str, Pin(description="JSON for the provider")] = "",
        photo_url: str = "", photo_size: int = 0, photo_width: int = 0, photo_height: int = 0,
        need_name: bool = False, need_phone_number: bool = False, need_email: bool = False,
        need_shipping_address: bool = False, send_phone_number_to_provider: bool = False,
        send_email_to_provider: bool = False, is_flexible: bool = False) -> InvoiceSent:
    """Sends an invoice message with a Pay button to the session's chat."""
    tips = parse_json(suggested_tip_amounts or "[]", "suggested_tip_amounts")
    message = await bot_api(ctx, session, "sendInvoice", {
        "chat_id": chat_ref(session.chat_id), **invoice(title, description, payload, provider_token, currency, prices),
        "max_tip_amount": max_tip_amount or None, "suggested_tip_amounts": tips or None,
        "start_parameter": start_parameter or None, "provider_data": provider_data or None,
        "photo_url": photo_url or None, "photo_size": photo_size or None, "photo_width": photo_width or None,
        "photo_height": photo_height or None, "need_name": need_name or None,
        "need_phone_number": need_phone_number or None, "need_email": need_email or None,
        "need_shipping_address": need_shipping_address or None,
        "send_phone_number_to_provider": send_phone_number_to_provider or None,
        "send_email_to_provider": send_email_to_provider or None, "is_flexible": is_flexible or None})
    return InvoiceSent(message["message_id"], True)


@node(exec_pins=True, friendly_name="Answer Pre-Checkout Query")
async def telegram_answer_pre_checkout_query(ctx: Context, session: SessionIn, pre_checkout_query_id: str,
                                             ok: bool = True,
                                             error_message: Annotated[str, Pin(description="Shown to the user when "
                                                                               "ok is off")] = "") -> Success:
    """Confirms (or refuses) an order before payment; Telegram waits 10 seconds for it."""
    if not ok and not error_message:
        raise ValueError("refusing a pre-checkout query needs an error_message for the user")
    return await bot_api(ctx, session, "answerPreCheckoutQuery", {
        "pre_checkout_query_id": pre_checkout_query_id, "ok": ok, "error_message": None if ok else error_message})


@node(exec_pins=True, friendly_name="Answer Shipping Query")
async def telegram_answer_shipping_query(ctx: Context, session: SessionIn, shipping_query_id: str, ok: bool = True,
                                         shipping_options: Annotated[str, Pin(description="A JSON array of "
                                                                              "ShippingOption objects")] = "[]",
                                         error_message: str = "") -> Success:
    """Offers shipping options for an address (or says it cannot be delivered to)."""
    options = parse_json(shipping_options or "[]", "shipping_options")
    if ok and not options:
        raise ValueError("answering a shipping query with ok needs shipping_options")
    if not ok and not error_message:
        raise ValueError("refusing a shipping query needs an error_message for the user")
    return await bot_api(ctx, session, "answerShippingQuery", {
        "shipping_query_id": shipping_query_id, "ok": ok, "shipping_options": options if ok else None,
        "error_message": None if ok else error_message})


class Transactions(NamedTuple):
    transactions: Annotated[list[dict], Pin(description="Telegram's StarTransaction objects")]
    count: int
    success: bool


@node(exec_pins=True, friendly_name="Get Star Transactions")
async def telegram_get_star_transactions(ctx: Context, session: SessionIn, offset: int = 0,
                                         limit: int = 100) -> Transactions:
    """The bot's Telegram Star transactions, newest first (limit 1 to 100)."""
    found = await bot_api(ctx, session, "getStarTransactions", {"offset": offset or None,
                                                                "limit": max(1, min(100, limit))})
    items = found.get("transactions", [])
    return Transactions(items, len(items), True)


@node(exec_pins=True, friendly_name="Refund Star Payment")
async def telegram_refund_star_payment(ctx: Context, session: SessionIn, user_id: int,
                                       telegram_payment_charge_id: str) -> Success:
    """Gives a user back the Stars of a payment."""
    return await bot_api(ctx, session, "refundStarPayment", {"user_id": user_id,
                                                             "telegram_payment_charge_id": telegram_payment_charge_id})


# ---- gifts ---------------------------------------------------------------------------------------------


class Gifts(NamedTuple):
    gifts: Annotated[list[dict], Pin(description="Telegram's Gift objects (id, sticker, star_count...)")]
    count: int


@node(exec_pins=True, friendly_name="Get Available Gifts", category="Telegram/Gifts")
async def telegram_get_available_gifts(ctx: Context, session: SessionIn) -> Gifts:
    """The gifts the bot can send."""
    found = (await bot_api(ctx, session, "getAvailableGifts")).get("gifts", [])
    return Gifts(found, len(found))


def gift_text(text: str, text_parse_mode: str, text_entities: str) -> dict[str, Any]:
    """The optional text of a gift: with entities (JSON) or a parse mode."""
    if not text:
        return {}
    if text_entities.strip():
        return {"text": text, "text_entities": parse_json(text_entities, "text_entities")}
    return {"text": text, "text_parse_mode": text_parse_mode or None}


@node(exec_pins=True, friendly_name="Send Gift", category="Telegram/Gifts")
async def telegram_send_gift(ctx: Context, session: SessionIn, user_id: int, gift_id: str, text: str = "",
                             text_parse_mode: str = "MarkdownV2", text_entities: str = "") -> Success:
    """Sends a gift to a user, paid from the bot's Stars."""
    return await bot_api(ctx, session, "sendGift", {"user_id": user_id, "gift_id": gift_id,
                                                    **gift_text(text, text_parse_mode, text_entities)})


@node(exec_pins=True, friendly_name="Send Gift To Chat", category="Telegram/Gifts")
async def telegram_send_gift_chat(ctx: Context, session: SessionIn, gift_id: str, text: str = "",
                                  text_parse_mode: str = "MarkdownV2", text_entities: str = "") -> Success:
    """Sends a gift to the session's channel, paid from the bot's Stars."""
    return await bot_api(ctx, session, "sendGift", {"chat_id": chat_ref(session.chat_id), "gift_id": gift_id,
                                                    **gift_text(text, text_parse_mode, text_entities)})


@node(exec_pins=True, friendly_name="Gift Premium", category="Telegram/Gifts")
async def telegram_gift_premium_subscription(ctx: Context, session: SessionIn, user_id: int,
                                             month_count: Annotated[int, Pin(description="3, 6 or 12")] = 1,
                                             star_count: Annotated[int, Pin(description="1000, 1500 or 2500 for "
                                                                            "3, 6 or 12 months")] = 0,
                                             text: str = "") -> Success:
    """Gives a user Telegram Premium, paid in Stars."""
    return await bot_api(ctx, session, "giftPremiumSubscription", {"user_id": user_id, "month_count": month_count,
                                                                   "star_count": star_count, "text": text or None})


@node(exec_pins=True, friendly_name="Convert Gift To Stars", category="Telegram/Gifts")
async def telegram_convert_gift_to_stars(ctx: Context, session: SessionIn, business_connection_id: str,
                                         owned_gift_id: str) -> Success:
    """Turns a regular gift a business account received into Stars."""
    return await bot_api(ctx, session, "convertGiftToStars", {"business_connection_id": business_connection_id,
                                                              "owned_gift_id": owned_gift_id})


@node(exec_pins=True, friendly_name="Upgrade Gift", category="Telegram/Gifts")
async def telegram_upgrade_gift(ctx: Context, session: SessionIn, business_connection_id: str, owned_gift_id: str,
                                keep_original_details: bool = False,
                                star_count: Annotated[int, Pin(description="Stars to pay; 0 when the upgrade is "
                                                               "free")] = 0) -> Success:
    """Upgrades a business account's regular gift to a unique one."""
    return await bot_api(ctx, session, "upgradeGift", {
        "business_connection_id": business_connection_id, "owned_gift_id": owned_gift_id,
        "keep_original_details": keep_original_details or None, "star_count": star_count or None})


@node(exec_pins=True, friendly_name="Transfer Gift", category="Telegram/Gifts")
async def telegram_transfer_gift(ctx: Context, session: SessionIn, business_connection_id: str, owned_gift_id: str,
                                 new_owner_chat_id: int, star_count: int = 0) -> Success:
    """Gives a business account's unique gift to another user or channel."""
    return await bot_api(ctx, session, "transferGift", {
        "business_connection_id": business_connection_id, "owned_gift_id": owned_gift_id,
        "new_owner_chat_id": new_owner_chat_id, "star_count": star_count or None})


# ---- business accounts ---------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Get Business Connection", category="Telegram/Business")
async def telegram_get_business_connection(ctx: Context, session: SessionIn, business_connection_id: str
                                           ) -> Annotated[dict, Pin(name="connection", description=(
                                               "Telegram's BusinessConnection (user, rights, is_enabled...)"))]:
    """The business account behind a connection and what the bot may do for it."""
    return await bot_api(ctx, session, "getBusinessConnection", {"business_connection_id": business_connection_id})


class BusinessSent(NamedTuple):
    message_id: int
    success: bool


@node(exec_pins=True, friendly_name="Send Business Message", category="Telegram/Business")
async def telegram_send_business_message(ctx: Context, session: SessionIn, business_connection_id: str, chat_id: int,
                                         text: str) -> BusinessSent:
    """Sends a text message on behalf of a business account."""
    message = await bot_api(ctx, session, "sendMessage", {"business_connection_id": business_connection_id,
                                                          "chat_id": chat_id, "text": text})
    return BusinessSent(message["message_id"], True)


@node(exec_pins=True, friendly_name="Send Business Photo", category="Telegram/Business")
async def telegram_send_business_photo(ctx: Context, session: SessionIn, business_connection_id: str, chat_id: int,
                                       photo: Annotated[str, Pin(description="A URL or file_id")],
                                       caption: str = "") -> BusinessSent:
    """Sends a photo on behalf of a business account."""
    message = await bot_api(ctx, session, "sendPhoto", {"business_connection_id": business_connection_id,
                                                        "chat_id": chat_id, "photo": photo,
                                                        "caption": caption or None})
    return BusinessSent(message["message_id"], True)


@node(exec_pins=True, friendly_name="Send Business Document", category="Telegram/Business")
async def telegram_send_business_document(ctx: Context, session: SessionIn, business_connection_id: str,
                                          chat_id: int, document: Annotated[str, Pin(description="A URL or file_id")],
                                          caption: str = "") -> BusinessSent:
    """Sends a file on behalf of a business account."""
    message = await bot_api(ctx, session, "sendDocument", {"business_connection_id": business_connection_id,
                                                           "chat_id": chat_id, "document": document,
                                                           "caption": caption or None})
    return BusinessSent(message["message_id"], True)


class Forwarded(NamedTuple):
    new_message_id: int
    success: bool


@node(exec_pins=True, friendly_name="Forward Business Message", category="Telegram/Business")
async def telegram_forward_business_message(ctx: Context, session: SessionIn, business_connection_id: str,
                                            chat_id: int, from_chat_id: int, message_id: int) -> Forwarded:
    """Forwards a message into a chat once the business connection is checked to be enabled (the Bot API
    forwards as the bot: it has no forwarding on behalf of the account)."""
    connection = await bot_api(ctx, session, "getBusinessConnection",
                               {"business_connection_id": business_connection_id})
    if not connection.get("is_enabled", False):
        raise PermissionError(f"business connection {business_connection_id} is not enabled")
    message = await bot_api(ctx, session, "forwardMessage", {"chat_id": chat_id, "from_chat_id": from_chat_id,
                                                             "message_id": message_id})
    return Forwarded(message["message_id"], True)


@node(exec_pins=True, friendly_name="Edit Business Message", category="Telegram/Business")
async def telegram_edit_business_message_text(ctx: Context, session: SessionIn, business_connection_id: str,
                                              chat_id: int, message_id: int, text: str) -> Success:
    """Edits the text of a message sent on behalf of a business account."""
    await bot_api(ctx, session, "editMessageText", {"business_connection_id": business_connection_id,
                                                    "chat_id": chat_id, "message_id": message_id, "text": text})
    return True


@node(exec_pins=True, friendly_name="Stop Business Poll", category="Telegram/Business")
async def telegram_stop_business_poll(ctx: Context, session: SessionIn, business_connection_id: str, chat_id: int,
                                      message_id: int) -> Success:
    """Closes a poll sent on behalf of a business account."""
    await bot_api(ctx, session, "stopPoll", {"business_connection_id": business_connection_id, "chat_id": chat_id,
                                             "message_id": message_id})
    return True


@node(exec_pins=True, friendly_name="Delete Business Message", category="Telegram/Business")
async def telegram_delete_business_message(ctx: Context, session: SessionIn, chat_id: int, message_id: int) -> Success:
    """Deletes a message in a chat the bot is in."""
    return await bot_api(ctx, session, "deleteMessage", {"chat_id": chat_id, "message_id": message_id})


# ---- stories -------------------------------------------------------------------------------------------


STORY_MEDIA = "story_media"
ContentIn = Annotated[dict, Pin(description='{"type": "photo", "photo": a path} or {"type": "video", "video": a '
                                            'path, "duration": ...}: the file is uploaded')]
AreasIn = Annotated[dict, Pin(description='{"areas": [StoryArea...]} (optional)')]


def story_content(ctx: Context, content: dict[str, Any]) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """An InputStoryContent with its photo or video file attached (stories take only new uploads)."""
    kind = (content or {}).get("type")
    if kind not in ("photo", "video") or not content.get(kind):
        raise ValueError('content must be {"type": "photo", "photo": path} or {"type": "video", "video": path}')
    return {**content, kind: f"attach://{STORY_MEDIA}"}, {STORY_MEDIA: read_file(ctx, content[kind])}


def areas_of(areas: Any) -> list[Any] | None:
    if isinstance(areas, dict):
        areas = areas.get("areas")
    return list(areas) if areas else None


@node(exec_pins=True, friendly_name="Post Story", category="Telegram/Stories", capabilities=UPLOADS)
async def telegram_post_story(ctx: Context, session: SessionIn, business_connection_id: str, content: ContentIn,
                              active_period: Annotated[int, Pin(description="6, 12, 24 or 48 hours, in seconds")]
                              = 86400, caption: str = "", parse_mode: str = "", protect_content: bool = False,
                              areas: AreasIn = None) -> Annotated[dict, Pin(name="story", description=(
                                  "Telegram's Story (chat, id)"))]:
    """Posts a story on behalf of a business account."""
    story, files = story_content(ctx, content)
    return await bot_api(ctx, session, "postStory", {
        "business_connection_id": business_connection_id, "content": story, "active_period": active_period,
        "caption": caption or None, "parse_mode": parse_mode or None, "protect_content": protect_content or None,
        "areas": areas_of(areas)}, files=files)


@node(exec_pins=True, friendly_name="Edit Story", category="Telegram/Stories", capabilities=UPLOADS)
async def telegram_edit_story(ctx: Context, session: SessionIn, business_connection_id: str, story_id: int,
                              content: ContentIn, caption: str = "", parse_mode: str = "", areas: AreasIn = None
                              ) -> Annotated[dict, Pin(name="story")]:
    """Replaces the media, caption or areas of a story the bot posted."""
    story, files = story_content(ctx, content)
    return await bot_api(ctx, session, "editStory", {
        "business_connection_id": business_connection_id, "story_id": story_id, "content": story,
        "caption": caption or None, "parse_mode": parse_mode or None, "areas": areas_of(areas)}, files=files)


@node(exec_pins=True, friendly_name="Delete Story", category="Telegram/Stories")
async def telegram_delete_story(ctx: Context, session: SessionIn, business_connection_id: str,
                                story_id: int) -> Success:
    """Deletes a story the bot posted for a business account."""
    return await bot_api(ctx, session, "deleteStory", {"business_connection_id": business_connection_id,
                                                       "story_id": story_id})
