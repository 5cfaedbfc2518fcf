"""Telegram media, files and interactive messages: photos, videos, audio, documents, stickers (by URL or
file_id, or uploaded from a file), albums of sent messages, file lookups, contacts, locations, dice and polls.

A `*_file` node uploads the file's bytes as multipart (a path struct: local, a store or an fsspec URL); the
URL nodes let Telegram fetch the URL itself.
"""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.http import client
from flowlike_catalog.web.telegram import (
    FileIn,
    Sent,
    SentMessage,
    SessionIn,
    Success,
    as_int,
    bot_api,
    chat_ref,
    read_file,
    reply_parameters,
    sent,
)

from flowlike_core import Context, Pin, node

CATEGORY = "Telegram/Media"
CAPABILITIES = ("network",)
UPLOADS = ("network", "files")  # the nodes that read a file to upload it

DICE = {"dice": "🎲", "darts": "🎯", "basketball": "🏀", "football": "⚽", "bowling": "🎳", "slotmachine": "🎰",
        "slot_machine": "🎰"}


async def send_media(ctx: Context, session: SessionIn, method: str, field: str, media: str | tuple[str, bytes],
                     **params: Any) -> SentMessage:
    """One `send<Media>` call to the session's chat: `media` is a URL or file_id, or a file to upload."""
    if isinstance(media, str) and not media.strip():
        raise ValueError(f"{field} is empty: give a URL or a file_id")
    body = {"chat_id": chat_ref(session.chat_id), **params}
    if isinstance(media, str):
        return sent(await bot_api(ctx, session, method, {**body, field: media}))
    return sent(await bot_api(ctx, session, method, body, files={field: media}))


def caption_of(caption: str) -> str | None:
    return caption or None


@node(exec_pins=True, friendly_name="Send Photo")
async def telegram_send_photo(ctx: Context, session: SessionIn, photo_url: str, caption: str = "",
                              reply_to: str = "") -> Sent:
    """Sends a photo Telegram fetches from a URL (or a photo's file_id)."""
    return await send_media(ctx, session, "sendPhoto", "photo", photo_url, caption=caption_of(caption),
                            reply_parameters=reply_parameters(reply_to))


@node(exec_pins=True, friendly_name="Send Photo (File)", capabilities=UPLOADS)
async def telegram_send_photo_file(ctx: Context, session: SessionIn, file: FileIn, caption: str = "",
                                   reply_to: str = "") -> Sent:
    """Uploads an image file and sends it as a photo."""
    return await send_media(ctx, session, "sendPhoto", "photo", read_file(ctx, file), caption=caption_of(caption),
                            reply_parameters=reply_parameters(reply_to))


@node(exec_pins=True, friendly_name="Send Animation")
async def telegram_send_animation(ctx: Context, session: SessionIn, animation_url: str, caption: str = "") -> Sent:
    """Sends a GIF or silent MP4 animation from a URL or file_id."""
    return await send_media(ctx, session, "sendAnimation", "animation", animation_url, caption=caption_of(caption))


@node(exec_pins=True, friendly_name="Send Animation (File)", capabilities=UPLOADS)
async def telegram_send_animation_file(ctx: Context, session: SessionIn, file: FileIn, caption: str = "") -> Sent:
    """Uploads a GIF or silent MP4 file and sends it as an animation."""
    return await send_media(ctx, session, "sendAnimation", "animation", read_file(ctx, file),
                            caption=caption_of(caption))


@node(exec_pins=True, friendly_name="Send Audio")
async def telegram_send_audio(ctx: Context, session: SessionIn, audio_url: str, caption: str = "", title: str = "",
                              performer: str = "") -> Sent:
    """Sends an MP3 or M4A track from a URL or file_id, shown in the music player with title and performer."""
    return await send_media(ctx, session, "sendAudio", "audio", audio_url, caption=caption_of(caption),
                            title=title or None, performer=performer or None)


@node(exec_pins=True, friendly_name="Send Audio (File)", capabilities=UPLOADS)
async def telegram_send_audio_file(ctx: Context, session: SessionIn, file: FileIn, caption: str = "",
                                   title: str = "", performer: str = "") -> Sent:
    """Uploads an MP3 or M4A file and sends it as a music track."""
    return await send_media(ctx, session, "sendAudio", "audio", read_file(ctx, file), caption=caption_of(caption),
                            title=title or None, performer=performer or None)


@node(exec_pins=True, friendly_name="Send Document")
async def telegram_send_document(ctx: Context, session: SessionIn, document_url: str, caption: str = "",
                                 filename: Annotated[str, Pin(description="With a URL: download it here and upload "
                                                              "it under this name; empty lets Telegram fetch it")] = ""
                                 ) -> Sent:
    """Sends a file of any kind from a URL or file_id; with a filename the file is downloaded and uploaded under
    that name (Telegram keeps a URL's own name)."""
    if filename and document_url.startswith(("http://", "https://")):
        response = await client(ctx).get(document_url)
        if response.status_code >= 400:
            raise ConnectionError(f"downloading {document_url} for Send Document: HTTP {response.status_code}")
        return await send_media(ctx, session, "sendDocument", "document", (filename, response.content),
                                caption=caption_of(caption))
    return await send_media(ctx, session, "sendDocument", "document", document_url, caption=caption_of(caption))


@node(exec_pins=True, friendly_name="Send Document (File)", capabilities=UPLOADS)
async def telegram_send_document_file(ctx: Context, session: SessionIn, file: FileIn, caption: str = "",
                                      filename: Annotated[str, Pin(description="The name the chat shows; the file's "
                                                                   "own name when empty")] = "") -> Sent:
    """Uploads a file of any kind as a document."""
    name, content = read_file(ctx, file)
    return await send_media(ctx, session, "sendDocument", "document", (filename or name, content),
                            caption=caption_of(caption))


@node(exec_pins=True, friendly_name="Send Video")
async def telegram_send_video(ctx: Context, session: SessionIn, video_url: str, caption: str = "") -> Sent:
    """Sends an MP4 video from a URL or file_id."""
    return await send_media(ctx, session, "sendVideo", "video", video_url, caption=caption_of(caption))


@node(exec_pins=True, friendly_name="Send Video (File)", capabilities=UPLOADS)
async def telegram_send_video_file(ctx: Context, session: SessionIn, file: FileIn, caption: str = "") -> Sent:
    """Uploads an MP4 file and sends it as a video."""
    return await send_media(ctx, session, "sendVideo", "video", read_file(ctx, file), caption=caption_of(caption))


@node(exec_pins=True, friendly_name="Send Voice")
async def telegram_send_voice(ctx: Context, session: SessionIn, voice_url: str, caption: str = "") -> Sent:
    """Sends a voice message (OGG/Opus, MP3 or M4A) from a URL or file_id."""
    return await send_media(ctx, session, "sendVoice", "voice", voice_url, caption=caption_of(caption))


@node(exec_pins=True, friendly_name="Send Voice (File)", capabilities=UPLOADS)
async def telegram_send_voice_file(ctx: Context, session: SessionIn, file: FileIn, caption: str = "") -> Sent:
    """Uploads an audio file and sends it as a voice message."""
    return await send_media(ctx, session, "sendVoice", "voice", read_file(ctx, file), caption=caption_of(caption))


@node(exec_pins=True, friendly_name="Send Sticker", category="Telegram/Stickers")
async def telegram_send_sticker(ctx: Context, session: SessionIn,
                                sticker: Annotated[str, Pin(description="A sticker's file_id or a URL of a .WEBP")],
                                emoji: str = "", disable_notification: bool = False, protect_content: bool = False,
                                reply_to_message_id: int = 0) -> Sent:
    """Sends a sticker; `emoji` tags an uploaded one."""
    return await send_media(ctx, session, "sendSticker", "sticker", sticker, emoji=emoji or None,
                            disable_notification=disable_notification or None,
                            protect_content=protect_content or None,
                            reply_parameters=reply_parameters(reply_to_message_id))


# ---- files ---------------------------------------------------------------------------------------------


def message_ids_of(ids: list[int]) -> list[int]:
    if not ids:
        raise ValueError("message_ids is empty")
    return sorted(as_int(i, "message id") for i in ids)


@node(exec_pins=True, friendly_name="Copy Messages", category="Telegram/Files")
async def telegram_copy_messages(ctx: Context, session: SessionIn, from_chat_id: str, message_ids: list[int],
                                 disable_notification: bool = False, protect_content: bool = False,
                                 remove_caption: bool = False
                                 ) -> Annotated[list[int], Pin(name="copied_message_ids")]:
    """Copies up to 100 messages of another chat into the session's chat, without links to the originals."""
    answer = await bot_api(ctx, session, "copyMessages", {
        "chat_id": chat_ref(session.chat_id), "from_chat_id": chat_ref(from_chat_id),
        "message_ids": message_ids_of(message_ids), "disable_notification": disable_notification or None,
        "protect_content": protect_content or None, "remove_caption": remove_caption or None})
    return [item["message_id"] for item in answer]


@node(exec_pins=True, friendly_name="Forward Messages", category="Telegram/Files")
async def telegram_forward_messages(ctx: Context, session: SessionIn, from_chat_id: str, message_ids: list[int],
                                    disable_notification: bool = False, protect_content: bool = False
                                    ) -> Annotated[list[int], Pin(name="forwarded_message_ids")]:
    """Forwards up to 100 messages of another chat into the session's chat, as an album where they were one."""
    answer = await bot_api(ctx, session, "forwardMessages", {
        "chat_id": chat_ref(session.chat_id), "from_chat_id": chat_ref(from_chat_id),
        "message_ids": message_ids_of(message_ids), "disable_notification": disable_notification or None,
        "protect_content": protect_content or None})
    return [item["message_id"] for item in answer]


@node(exec_pins=True, friendly_name="Delete Messages", category="Telegram/Files")
async def telegram_delete_messages(ctx: Context, session: SessionIn, message_ids: list[int]) -> Success:
    """Deletes up to 100 messages of the session's chat at once (missing ones are skipped)."""
    return await bot_api(ctx, session, "deleteMessages", {
        "chat_id": chat_ref(session.chat_id), "message_ids": message_ids_of(message_ids)})


class FileFound(NamedTuple):
    file_info: Annotated[dict, Pin(description="Telegram's File object (file_id, file_unique_id, file_size, "
                                                "file_path)")]
    file_path: Annotated[str, Pin(description="Download it from <api_url>/file/bot<token>/<file_path> "
                                              "(kept an hour)")]


@node(exec_pins=True, friendly_name="Get File", category="Telegram/Files")
async def telegram_get_file(ctx: Context, session: SessionIn, file_id: str) -> FileFound:
    """Looks up a file someone sent (up to 20 MB) to get the path it can be downloaded from."""
    answer = await bot_api(ctx, session, "getFile", {"file_id": file_id})
    return FileFound(answer, answer.get("file_path", ""))


class ProfilePhotos(NamedTuple):
    photos: Annotated[dict, Pin(description="Telegram's UserProfilePhotos (each photo in several sizes)")]
    total_count: int


@node(exec_pins=True, friendly_name="Get User Profile Photos", category="Telegram/Files")
async def telegram_get_user_profile_photos(ctx: Context, session: SessionIn, user_id: int, offset: int = 0,
                                           limit: int = 100) -> ProfilePhotos:
    """A user's profile pictures, newest first (limit 1 to 100)."""
    answer = await bot_api(ctx, session, "getUserProfilePhotos", {"user_id": user_id, "offset": offset or None,
                                                                  "limit": max(1, min(100, limit))})
    return ProfilePhotos(answer, answer.get("total_count", 0))


# ---- interactive ---------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Send Contact", category="Telegram/Interactive")
async def telegram_send_contact(ctx: Context, session: SessionIn, phone_number: str, first_name: str,
                                last_name: str = "") -> Sent:
    """Sends a phone contact card."""
    return sent(await bot_api(ctx, session, "sendContact", {
        "chat_id": chat_ref(session.chat_id), "phone_number": phone_number, "first_name": first_name,
        "last_name": last_name or None}))


class DiceRoll(NamedTuple):
    sent_message: SentMessage
    value: Annotated[int, Pin(description="What it rolled: 1-6 (dice, darts, bowling), 1-5 (basketball, "
                                          "football), 1-64 (slot machine)")]


@node(exec_pins=True, friendly_name="Send Dice", category="Telegram/Interactive")
async def telegram_send_dice(ctx: Context, session: SessionIn,
                             emoji: Annotated[str, Pin(description="Dice, Darts, Basketball, Football, Bowling, "
                                                       "SlotMachine, or the emoji itself")] = "Dice") -> DiceRoll:
    """Sends an animated emoji with a random value: a die, darts, a ball, bowling or a slot machine."""
    answer = await bot_api(ctx, session, "sendDice", {
        "chat_id": chat_ref(session.chat_id), "emoji": DICE.get(emoji.strip().lower(), emoji.strip() or "🎲")})
    return DiceRoll(sent(answer), answer.get("dice", {}).get("value", 0))


@node(exec_pins=True, friendly_name="Send Location", category="Telegram/Interactive")
async def telegram_send_location(ctx: Context, session: SessionIn, latitude: float, longitude: float) -> Sent:
    """Sends a point on the map."""
    return sent(await bot_api(ctx, session, "sendLocation", {
        "chat_id": chat_ref(session.chat_id), "latitude": latitude, "longitude": longitude}))


@node(exec_pins=True, friendly_name="Send Venue", category="Telegram/Interactive")
async def telegram_send_venue(ctx: Context, session: SessionIn, latitude: float, longitude: float, title: str,
                              address: str) -> Sent:
    """Sends a named place with its address."""
    return sent(await bot_api(ctx, session, "sendVenue", {
        "chat_id": chat_ref(session.chat_id), "latitude": latitude, "longitude": longitude, "title": title,
        "address": address}))


def poll_options(options: list[str]) -> list[dict[str, str]]:
    texts = [str(option).strip() for option in options or () if str(option).strip()]
    if not 2 <= len(texts) <= 10:
        raise ValueError(f"a poll needs 2 to 10 non-empty options, got {len(texts)}")
    return [{"text": text} for text in texts]


@node(exec_pins=True, friendly_name="Send Poll", category="Telegram/Interactive")
async def telegram_send_poll(ctx: Context, session: SessionIn, question: str, options: list[str],
                             is_anonymous: bool = True, allows_multiple_answers: bool = False) -> Sent:
    """Sends a poll with 2 to 10 options."""
    return sent(await bot_api(ctx, session, "sendPoll", {
        "chat_id": chat_ref(session.chat_id), "question": question, "options": poll_options(options),
        "is_anonymous": is_anonymous, "allows_multiple_answers": allows_multiple_answers}))
