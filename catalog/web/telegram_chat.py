"""Running a Telegram group, supergroup or channel from a bot: the chat's settings and pins, its members and
admins, invite links and forum topics. All act on the session's chat; the bot needs the matching admin right.

Telegram's own objects (Chat, ChatMember, ChatInviteLink, ForumTopic) are handed on as the API documents them.
"""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.telegram import FileIn, SessionIn, Success, as_int, bot_api, chat_ref, read_file
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "Telegram/Chat"
CAPABILITIES = ("network",)
UPLOADS = ("network", "files")  # the nodes that read a file to upload it


async def on_chat(ctx: Context, session: SessionIn, method: str, **params: Any) -> Any:
    """A Bot API call about the session's chat."""
    return await bot_api(ctx, session, method, {"chat_id": chat_ref(session.chat_id), **params})


class ChatInfo(BaseModel):
    """The essentials of a chat, its member count included."""

    id: str
    title: str | None = None
    chat_type: str = ""
    description: str | None = None
    member_count: int | None = None
    invite_link: str | None = None


class ChatPermissionsInput(BaseModel):
    """What ordinary members may do (Flow-Like's grouping; media stands for every media kind)."""

    can_send_messages: bool = True
    can_send_media_messages: bool = True
    can_send_polls: bool = True
    can_send_other_messages: bool = True
    can_add_web_page_previews: bool = True
    can_change_info: bool = False
    can_invite_users: bool = True
    can_pin_messages: bool = False


MEDIA = ("can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos", "can_send_video_notes",
         "can_send_voice_notes")


def chat_permissions(messages: bool, media: bool, polls: bool, other: bool, previews: bool, **rest: bool) -> dict:
    """Telegram's ChatPermissions from Flow-Like's coarser switches."""
    return {"can_send_messages": messages, **dict.fromkeys(MEDIA, media), "can_send_polls": polls,
            "can_send_other_messages": other, "can_add_web_page_previews": previews, **rest}


# ---- the chat ------------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Get Chat")
async def telegram_get_chat(ctx: Context, session: SessionIn) -> Annotated[dict, Pin(name="chat", description=(
        "Telegram's ChatFullInfo: id, type, title, username, description, invite_link, permissions..."))]:
    """Everything Telegram tells a bot about the session's chat."""
    return await on_chat(ctx, session, "getChat")


@node(exec_pins=True, friendly_name="Get Chat Info")
async def telegram_get_chat_info(ctx: Context, session: SessionIn) -> Annotated[ChatInfo, Pin(name="chat_info")]:
    """The session chat's title, type, description, invite link and member count (two calls)."""
    chat = await on_chat(ctx, session, "getChat")
    count = await on_chat(ctx, session, "getChatMemberCount")
    title = chat.get("title") or " ".join(filter(None, (chat.get("first_name"), chat.get("last_name")))) or None
    return ChatInfo(id=str(chat["id"]), title=title, chat_type=chat.get("type", ""),
                    description=chat.get("description"), member_count=count, invite_link=chat.get("invite_link"))


@node(exec_pins=True, friendly_name="Get Member Count")
async def telegram_get_member_count(ctx: Context, session: SessionIn) -> Annotated[int, Pin(name="count")]:
    """How many members the session's chat has."""
    return await on_chat(ctx, session, "getChatMemberCount")


@node(exec_pins=True, friendly_name="Leave Chat")
async def telegram_leave_chat(ctx: Context, session: SessionIn) -> Success:
    """Makes the bot leave the session's group, supergroup or channel."""
    return await on_chat(ctx, session, "leaveChat")


@node(exec_pins=True, friendly_name="Send Chat Action")
async def telegram_send_chat_action(ctx: Context, session: SessionIn,
                                    action: Annotated[str, Pin(description="typing, upload_photo, record_video, "
                                                               "upload_video, record_voice, upload_voice, "
                                                               "upload_document, choose_sticker, find_location, "
                                                               "record_video_note, upload_video_note")] = "typing"
                                    ) -> None:
    """Shows "typing…" (or another action) in the chat for up to five seconds while the flow works."""
    await on_chat(ctx, session, "sendChatAction", action=action)


@node(exec_pins=True, friendly_name="Pin Message")
async def telegram_pin_message(ctx: Context, session: SessionIn, message_id: str,
                               disable_notification: bool = False) -> Success:
    """Pins a message in the session's chat (notifying members unless told not to)."""
    return await on_chat(ctx, session, "pinChatMessage", message_id=as_int(message_id, "message_id"),
                         disable_notification=disable_notification or None)


@node(exec_pins=True, friendly_name="Unpin Message")
async def telegram_unpin_message(ctx: Context, session: SessionIn, message_id: str = "") -> Success:
    """Unpins one message (the most recent pin when message_id is empty)."""
    return await on_chat(ctx, session, "unpinChatMessage",
                         message_id=as_int(message_id, "message_id") if message_id else None)


@node(exec_pins=True, friendly_name="Unpin All Messages")
async def telegram_unpin_all_messages(ctx: Context, session: SessionIn) -> Success:
    """Clears every pinned message of the session's chat."""
    return await on_chat(ctx, session, "unpinAllChatMessages")


@node(exec_pins=True, friendly_name="Set Chat Title")
async def telegram_set_chat_title(ctx: Context, session: SessionIn, title: str) -> Success:
    """Renames the chat (1-128 characters)."""
    return await on_chat(ctx, session, "setChatTitle", title=title)


@node(exec_pins=True, friendly_name="Set Chat Description")
async def telegram_set_chat_description(ctx: Context, session: SessionIn, description: str = "") -> Success:
    """Sets the chat's description (0-255 characters; empty clears it)."""
    return await on_chat(ctx, session, "setChatDescription", description=description)


@node(exec_pins=True, friendly_name="Set Chat Photo", capabilities=UPLOADS)
async def telegram_set_chat_photo(ctx: Context, session: SessionIn, photo: FileIn) -> Success:
    """Uploads a new photo for the chat."""
    return await bot_api(ctx, session, "setChatPhoto", {"chat_id": chat_ref(session.chat_id)},
                         files={"photo": read_file(ctx, photo)})


@node(exec_pins=True, friendly_name="Delete Chat Photo")
async def telegram_delete_chat_photo(ctx: Context, session: SessionIn) -> Success:
    """Removes the chat's photo."""
    return await on_chat(ctx, session, "deleteChatPhoto")


@node(exec_pins=True, friendly_name="Set Chat Permissions")
async def telegram_set_chat_permissions(ctx: Context, session: SessionIn,
                                        permissions: ChatPermissionsInput) -> Success:
    """Sets what ordinary members of a group or supergroup may do."""
    p = permissions
    return await on_chat(ctx, session, "setChatPermissions", permissions=chat_permissions(
        p.can_send_messages, p.can_send_media_messages, p.can_send_polls, p.can_send_other_messages,
        p.can_add_web_page_previews, can_change_info=p.can_change_info, can_invite_users=p.can_invite_users,
        can_pin_messages=p.can_pin_messages))


@node(exec_pins=True, friendly_name="Set Chat Sticker Set")
async def telegram_set_chat_sticker_set(ctx: Context, session: SessionIn, sticker_set_name: str) -> Success:
    """Sets the supergroup's sticker set (when getChat says the bot can)."""
    return await on_chat(ctx, session, "setChatStickerSet", sticker_set_name=sticker_set_name)


@node(exec_pins=True, friendly_name="Delete Chat Sticker Set")
async def telegram_delete_chat_sticker_set(ctx: Context, session: SessionIn) -> Success:
    """Removes the supergroup's sticker set."""
    return await on_chat(ctx, session, "deleteChatStickerSet")


@node(exec_pins=True, friendly_name="Ban Sender Chat")
async def telegram_ban_chat_sender_chat(ctx: Context, session: SessionIn, sender_chat_id: int) -> Success:
    """Stops a channel from posting in the session's chat on its own behalf (until unbanned)."""
    return await on_chat(ctx, session, "banChatSenderChat", sender_chat_id=sender_chat_id)


@node(exec_pins=True, friendly_name="Unban Sender Chat")
async def telegram_unban_chat_sender_chat(ctx: Context, session: SessionIn, sender_chat_id: int) -> Success:
    """Lets a banned channel post in the session's chat again."""
    return await on_chat(ctx, session, "unbanChatSenderChat", sender_chat_id=sender_chat_id)


# ---- members -------------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Approve Join Request", category="Telegram/Members")
async def telegram_approve_chat_join_request(ctx: Context, session: SessionIn, user_id: int) -> Success:
    """Lets a user who asked to join in."""
    return await on_chat(ctx, session, "approveChatJoinRequest", user_id=user_id)


@node(exec_pins=True, friendly_name="Decline Join Request", category="Telegram/Members")
async def telegram_decline_chat_join_request(ctx: Context, session: SessionIn, user_id: int) -> Success:
    """Turns down a user's request to join."""
    return await on_chat(ctx, session, "declineChatJoinRequest", user_id=user_id)


@node(exec_pins=True, friendly_name="Ban Member", category="Telegram/Members")
async def telegram_ban_chat_member(ctx: Context, session: SessionIn, user_id: int,
                                   until_date: Annotated[int, Pin(description="Unix time the ban ends; 0 = forever")
                                                         ] = 0, revoke_messages: bool = False) -> Success:
    """Removes a user from the chat and keeps them out until the date (and deletes their messages if asked)."""
    return await on_chat(ctx, session, "banChatMember", user_id=user_id, until_date=until_date or None,
                         revoke_messages=revoke_messages or None)


@node(exec_pins=True, friendly_name="Unban Member", category="Telegram/Members")
async def telegram_unban_chat_member(ctx: Context, session: SessionIn, user_id: int,
                                     only_if_banned: bool = True) -> Success:
    """Lifts a ban (with only_if_banned off, it also removes a current member)."""
    return await on_chat(ctx, session, "unbanChatMember", user_id=user_id, only_if_banned=only_if_banned)


class Admins(NamedTuple):
    administrators: Annotated[list[dict], Pin(description="Telegram's ChatMember objects (status creator or "
                                                          "administrator, user, rights)")]
    count: int


@node(exec_pins=True, friendly_name="Get Administrators", category="Telegram/Members")
async def telegram_get_chat_administrators(ctx: Context, session: SessionIn) -> Admins:
    """The chat's owner and administrators (bots other than this one left out by Telegram)."""
    admins = await on_chat(ctx, session, "getChatAdministrators")
    return Admins(admins, len(admins))


class Member(NamedTuple):
    member: Annotated[dict, Pin(description="Telegram's ChatMember object")]
    status: Annotated[str, Pin(description="creator, administrator, member, restricted, left or kicked")]


@node(exec_pins=True, friendly_name="Get Chat Member", category="Telegram/Members")
async def telegram_get_chat_member(ctx: Context, session: SessionIn, user_id: int) -> Member:
    """A user's membership of the session's chat."""
    member = await on_chat(ctx, session, "getChatMember", user_id=user_id)
    return Member(member, member.get("status", ""))


@node(exec_pins=True, friendly_name="Promote Member", category="Telegram/Members")
async def telegram_promote_chat_member(ctx: Context, session: SessionIn, user_id: int, can_manage_chat: bool = False,
                                       can_delete_messages: bool = False, can_restrict_members: bool = False,
                                       can_promote_members: bool = False, can_change_info: bool = False,
                                       can_invite_users: bool = False, can_pin_messages: bool = False) -> Success:
    """Makes a member an administrator with these rights (all off demotes them)."""
    return await on_chat(ctx, session, "promoteChatMember", user_id=user_id, can_manage_chat=can_manage_chat,
                         can_delete_messages=can_delete_messages, can_restrict_members=can_restrict_members,
                         can_promote_members=can_promote_members, can_change_info=can_change_info,
                         can_invite_users=can_invite_users, can_pin_messages=can_pin_messages)


@node(exec_pins=True, friendly_name="Restrict Member", category="Telegram/Members")
async def telegram_restrict_chat_member(ctx: Context, session: SessionIn, user_id: int, can_send_messages: bool = True,
                                        can_send_media: bool = True, can_send_other: bool = True,
                                        can_add_previews: bool = True,
                                        until_date: Annotated[int, Pin(description="Unix time the restriction "
                                                                       "ends; 0 = forever")] = 0) -> Success:
    """Limits what one member of a supergroup may send, until the date."""
    return await on_chat(ctx, session, "restrictChatMember", user_id=user_id, until_date=until_date or None,
                         permissions=chat_permissions(can_send_messages, can_send_media, can_send_other, can_send_other,
                                                 can_add_previews))


@node(exec_pins=True, friendly_name="Set Admin Title", category="Telegram/Members")
async def telegram_set_chat_admin_custom_title(ctx: Context, session: SessionIn, user_id: int,
                                               custom_title: str) -> Success:
    """Sets the title shown next to an administrator the bot promoted (0-16 characters)."""
    return await on_chat(ctx, session, "setChatAdministratorCustomTitle", user_id=user_id, custom_title=custom_title)


# ---- invite links --------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Create Invite Link", category="Telegram/Invite")
async def telegram_create_chat_invite_link(ctx: Context, session: SessionIn, name: str = "",
                                           expire_date: Annotated[int, Pin(description="Unix time; 0 = never")] = 0,
                                           member_limit: Annotated[int, Pin(description="1-99999; 0 = no limit")] = 0,
                                           creates_join_request: bool = False
                                           ) -> Annotated[dict, Pin(name="link_info", description=(
                                               "Telegram's ChatInviteLink"))]:
    """A new invite link to the chat (with join requests, a member limit cannot be set)."""
    return await on_chat(ctx, session, "createChatInviteLink", name=name or None, expire_date=expire_date or None,
                         member_limit=None if creates_join_request else member_limit or None,
                         creates_join_request=creates_join_request or None)


@node(exec_pins=True, friendly_name="Edit Invite Link", category="Telegram/Invite")
async def telegram_edit_chat_invite_link(ctx: Context, session: SessionIn, invite_link: str, name: str = "",
                                         expire_date: int = 0, member_limit: int = 0,
                                         creates_join_request: bool = False
                                         ) -> Annotated[str, Pin(name="edited_link")]:
    """Changes a link the bot created: name, expiry, member limit or join requests."""
    edited = await on_chat(ctx, session, "editChatInviteLink", invite_link=invite_link, name=name or None,
                           expire_date=expire_date or None,
                           member_limit=None if creates_join_request else member_limit or None,
                           creates_join_request=creates_join_request)
    return edited["invite_link"]


class SubscriptionLink(NamedTuple):
    link_info: Annotated[dict, Pin(description="Telegram's ChatInviteLink with subscription period and price")]
    invite_link: str


@node(exec_pins=True, friendly_name="Create Subscription Link", category="Telegram/Invite")
async def telegram_create_chat_subscription_invite_link(
        ctx: Context, session: SessionIn, name: str = "",
        subscription_period: Annotated[int, Pin(description="Seconds; Telegram takes 2592000 (30 days)")] = 2592000,
        subscription_price: Annotated[int, Pin(description="Telegram Stars per period (1-10000)")] = 1
) -> SubscriptionLink:
    """An invite link to a channel that members pay for in Telegram Stars."""
    link = await on_chat(ctx, session, "createChatSubscriptionInviteLink", name=name or None,
                         subscription_period=subscription_period, subscription_price=subscription_price)
    return SubscriptionLink(link, link["invite_link"])


@node(exec_pins=True, friendly_name="Edit Subscription Link", category="Telegram/Invite")
async def telegram_edit_chat_subscription_invite_link(ctx: Context, session: SessionIn, invite_link: str,
                                                      name: str = "") -> Annotated[str, Pin(name="edited_link")]:
    """Renames a subscription invite link (its price and period are fixed)."""
    edited = await on_chat(ctx, session, "editChatSubscriptionInviteLink", invite_link=invite_link, name=name)
    return edited["invite_link"]


@node(exec_pins=True, friendly_name="Export Invite Link", category="Telegram/Invite")
async def telegram_export_chat_invite_link(ctx: Context, session: SessionIn) -> Annotated[str, Pin(
        name="invite_link")]:
    """Makes a new primary invite link (the old one stops working)."""
    return await on_chat(ctx, session, "exportChatInviteLink")


@node(exec_pins=True, friendly_name="Revoke Invite Link", category="Telegram/Invite")
async def telegram_revoke_chat_invite_link(ctx: Context, session: SessionIn, invite_link: str
                                           ) -> Annotated[str, Pin(name="revoked_link")]:
    """Disables an invite link the bot created."""
    revoked = await on_chat(ctx, session, "revokeChatInviteLink", invite_link=invite_link)
    return revoked["invite_link"]


# ---- forum topics --------------------------------------------------------------------------------------


class Topic(NamedTuple):
    topic: Annotated[dict, Pin(description="Telegram's ForumTopic (message_thread_id, name, icon_color...)")]
    message_thread_id: int


@node(exec_pins=True, friendly_name="Create Forum Topic", category="Telegram/Forum")
async def telegram_create_forum_topic(ctx: Context, session: SessionIn, name: str,
                                      icon_color: Annotated[int, Pin(description="RGB: 7322096, 16766590, 13338331, "
                                                                     "9367192, 16749490 or 16478047")] = 7322096,
                                      icon_custom_emoji_id: str = "") -> Topic:
    """Opens a new topic in a forum supergroup."""
    topic = await on_chat(ctx, session, "createForumTopic", name=name, icon_color=icon_color,
                          icon_custom_emoji_id=icon_custom_emoji_id or None)
    return Topic(topic, topic["message_thread_id"])


@node(exec_pins=True, friendly_name="Edit Forum Topic", category="Telegram/Forum")
async def telegram_edit_forum_topic(ctx: Context, session: SessionIn, message_thread_id: int, name: str = "",
                                    icon_custom_emoji_id: str = "") -> Success:
    """Renames a topic or changes its icon (an empty field stays as it is)."""
    return await on_chat(ctx, session, "editForumTopic", message_thread_id=message_thread_id, name=name or None,
                         icon_custom_emoji_id=icon_custom_emoji_id or None)


@node(exec_pins=True, friendly_name="Close Forum Topic", category="Telegram/Forum")
async def telegram_close_forum_topic(ctx: Context, session: SessionIn, message_thread_id: int) -> Success:
    """Closes a topic to new messages."""
    return await on_chat(ctx, session, "closeForumTopic", message_thread_id=message_thread_id)


@node(exec_pins=True, friendly_name="Reopen Forum Topic", category="Telegram/Forum")
async def telegram_reopen_forum_topic(ctx: Context, session: SessionIn, message_thread_id: int) -> Success:
    """Reopens a closed topic."""
    return await on_chat(ctx, session, "reopenForumTopic", message_thread_id=message_thread_id)


@node(exec_pins=True, friendly_name="Delete Forum Topic", category="Telegram/Forum")
async def telegram_delete_forum_topic(ctx: Context, session: SessionIn, message_thread_id: int) -> Success:
    """Deletes a topic with all its messages."""
    return await on_chat(ctx, session, "deleteForumTopic", message_thread_id=message_thread_id)


@node(exec_pins=True, friendly_name="Unpin All Topic Messages", category="Telegram/Forum")
async def telegram_unpin_all_forum_topic_messages(ctx: Context, session: SessionIn,
                                                  message_thread_id: int) -> Success:
    """Clears the pinned messages of one topic."""
    return await on_chat(ctx, session, "unpinAllForumTopicMessages", message_thread_id=message_thread_id)


@node(exec_pins=True, friendly_name="Edit General Topic", category="Telegram/Forum")
async def telegram_edit_general_forum_topic(ctx: Context, session: SessionIn, name: str) -> Success:
    """Renames the forum's General topic."""
    return await on_chat(ctx, session, "editGeneralForumTopic", name=name)


@node(exec_pins=True, friendly_name="Close General Topic", category="Telegram/Forum")
async def telegram_close_general_forum_topic(ctx: Context, session: SessionIn) -> Success:
    """Closes the General topic to new messages."""
    return await on_chat(ctx, session, "closeGeneralForumTopic")


@node(exec_pins=True, friendly_name="Reopen General Topic", category="Telegram/Forum")
async def telegram_reopen_general_forum_topic(ctx: Context, session: SessionIn) -> Success:
    """Reopens the General topic (and unhides it)."""
    return await on_chat(ctx, session, "reopenGeneralForumTopic")


@node(exec_pins=True, friendly_name="Hide General Topic", category="Telegram/Forum")
async def telegram_hide_general_forum_topic(ctx: Context, session: SessionIn) -> Success:
    """Hides the General topic (closing it)."""
    return await on_chat(ctx, session, "hideGeneralForumTopic")


@node(exec_pins=True, friendly_name="Unhide General Topic", category="Telegram/Forum")
async def telegram_unhide_general_forum_topic(ctx: Context, session: SessionIn) -> Success:
    """Shows the General topic again."""
    return await on_chat(ctx, session, "unhideGeneralForumTopic")


@node(exec_pins=True, friendly_name="Unpin All General Messages", category="Telegram/Forum")
async def telegram_unpin_all_general_forum_topic_messages(ctx: Context, session: SessionIn) -> Success:
    """Clears the pinned messages of the General topic."""
    return await on_chat(ctx, session, "unpinAllGeneralForumTopicMessages")


class IconStickers(NamedTuple):
    stickers: Annotated[list[dict], Pin(description="Telegram's Sticker objects usable as topic icons")]
    count: int


@node(exec_pins=True, friendly_name="Get Topic Icon Stickers", category="Telegram/Forum")
async def telegram_get_forum_topic_icon_stickers(ctx: Context, session: SessionIn) -> IconStickers:
    """The custom emoji any user may pick as a forum topic icon."""
    stickers = await bot_api(ctx, session, "getForumTopicIconStickers")
    return IconStickers(stickers, len(stickers))
