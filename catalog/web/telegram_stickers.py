"""Telegram sticker sets a bot owns: create them, add, replace, reorder and delete stickers, set emoji,
keywords, masks, titles and thumbnails, and look sets and custom emoji up.

Stickers going into a set are Telegram's InputSticker objects as JSON: `{"sticker": file_id or URL,
"format": "static" | "animated" | "video", "emoji_list": [...]}`; Upload Sticker File gives a file_id for
a local file.
"""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.web.telegram import SessionIn, Success, bot_api, parse_json, read_file
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "Telegram/Stickers"
CAPABILITIES = ("network",)
UPLOADS = ("network", "files")  # the nodes that read a file to upload it
FORMATS = ("static", "animated", "video")

InputStickerJson = Annotated[str, Pin(description='An InputSticker as JSON: {"sticker": file_id or URL, '
                                                  '"format": "static", "emoji_list": ["🙂"]}')]


def input_sticker(value: Any, what: str) -> dict[str, Any]:
    """An InputSticker checked for what Telegram requires (sticker, a known format, 1-20 emoji)."""
    sticker = parse_json(value, what) if isinstance(value, str) else value
    if not isinstance(sticker, dict) or not sticker.get("sticker"):
        raise ValueError(f"{what} must be an InputSticker object with a sticker (file_id or URL)")
    if sticker.get("format", "static") not in FORMATS:
        raise ValueError(f"{what}: format must be static, animated or video, got {sticker.get('format')!r}")
    emoji = sticker.get("emoji_list") or []
    if not 1 <= len(emoji) <= 20:
        raise ValueError(f"{what}: emoji_list needs 1 to 20 emoji")
    return {"format": "static", **sticker}


class MaskPositionInfo(BaseModel):
    """Where a mask sticker sits on a face."""

    point: str = "forehead"
    x_shift: float = 0.0
    y_shift: float = 0.0
    scale: float = 1.0


@node(exec_pins=True, friendly_name="Create Sticker Set")
async def telegram_create_new_sticker_set(ctx: Context, session: SessionIn, user_id: int,
                                          name: Annotated[str, Pin(description="Must end in _by_<bot username>")],
                                          title: str,
                                          stickers: Annotated[str, Pin(description="A JSON array of 1-50 "
                                                                       "InputSticker objects")],
                                          sticker_type: Annotated[str, Pin(description="regular, mask or "
                                                                           "custom_emoji")] = "regular",
                                          needs_repainting: bool = False) -> Success:
    """Creates a sticker set owned by a user, with its first stickers."""
    items = parse_json(stickers, "stickers")
    if not isinstance(items, list) or not 1 <= len(items) <= 50:
        raise ValueError("stickers must be a JSON array of 1 to 50 InputSticker objects")
    return await bot_api(ctx, session, "createNewStickerSet", {
        "user_id": user_id, "name": name, "title": title, "sticker_type": sticker_type,
        "stickers": [input_sticker(item, f"stickers[{n}]") for n, item in enumerate(items)],
        "needs_repainting": needs_repainting or None})


@node(exec_pins=True, friendly_name="Add Sticker To Set")
async def telegram_add_sticker_to_set(ctx: Context, session: SessionIn, user_id: int, name: str,
                                      sticker: InputStickerJson) -> Success:
    """Adds a sticker to a set the bot created (up to 120 stickers, 200 for custom emoji)."""
    return await bot_api(ctx, session, "addStickerToSet", {"user_id": user_id, "name": name,
                                                           "sticker": input_sticker(sticker, "sticker")})


@node(exec_pins=True, friendly_name="Replace Sticker In Set")
async def telegram_replace_sticker_in_set(ctx: Context, session: SessionIn, user_id: int, name: str,
                                          old_sticker: Annotated[str, Pin(description="file_id of the sticker to "
                                                                          "replace")],
                                          sticker: InputStickerJson) -> Success:
    """Swaps one sticker of a set for another, keeping its place."""
    return await bot_api(ctx, session, "replaceStickerInSet", {"user_id": user_id, "name": name,
                                                               "old_sticker": old_sticker,
                                                               "sticker": input_sticker(sticker, "sticker")})


@node(exec_pins=True, friendly_name="Delete Sticker From Set")
async def telegram_delete_sticker_from_set(ctx: Context, session: SessionIn, sticker: str) -> Success:
    """Removes a sticker (by file_id) from the set the bot created."""
    return await bot_api(ctx, session, "deleteStickerFromSet", {"sticker": sticker})


@node(exec_pins=True, friendly_name="Delete Sticker Set")
async def telegram_delete_sticker_set(ctx: Context, session: SessionIn, name: str) -> Success:
    """Deletes a sticker set the bot created."""
    return await bot_api(ctx, session, "deleteStickerSet", {"name": name})


@node(exec_pins=True, friendly_name="Get Sticker Set")
async def telegram_get_sticker_set(ctx: Context, session: SessionIn, name: str
                                   ) -> Annotated[dict, Pin(name="sticker_set", description=(
                                       "Telegram's StickerSet (name, title, sticker_type, stickers, thumbnail)"))]:
    """A sticker set with all its stickers."""
    return await bot_api(ctx, session, "getStickerSet", {"name": name})


@node(exec_pins=True, friendly_name="Get Custom Emoji Stickers")
async def telegram_get_custom_emoji_stickers(ctx: Context, session: SessionIn,
                                             custom_emoji_ids: Annotated[list[str], Pin(description="Up to 200")]
                                             ) -> Annotated[list[dict], Pin(name="stickers")]:
    """The stickers behind custom emoji ids (as they appear in message entities)."""
    if not 1 <= len(custom_emoji_ids or ()) <= 200:
        raise ValueError("custom_emoji_ids needs 1 to 200 ids")
    return await bot_api(ctx, session, "getCustomEmojiStickers", {"custom_emoji_ids": list(custom_emoji_ids)})


@node(exec_pins=True, friendly_name="Set Sticker Emoji List")
async def telegram_set_sticker_emoji_list(ctx: Context, session: SessionIn, sticker: str,
                                          emoji_list: list[str]) -> Success:
    """Sets the 1-20 emoji a sticker of the bot's set stands for."""
    if not 1 <= len(emoji_list or ()) <= 20:
        raise ValueError("emoji_list needs 1 to 20 emoji")
    return await bot_api(ctx, session, "setStickerEmojiList", {"sticker": sticker, "emoji_list": list(emoji_list)})


@node(exec_pins=True, friendly_name="Set Sticker Keywords")
async def telegram_set_sticker_keywords(ctx: Context, session: SessionIn, sticker: str,
                                        keywords: Annotated[list[str], Pin(description="0-20; empty clears them")]
                                        = None) -> Success:
    """Sets the search keywords of a sticker of the bot's set."""
    return await bot_api(ctx, session, "setStickerKeywords", {"sticker": sticker, "keywords": list(keywords or [])})


@node(exec_pins=True, friendly_name="Set Sticker Mask Position")
async def telegram_set_sticker_mask_position(ctx: Context, session: SessionIn, sticker: str,
                                             mask_position: Annotated[dict, Pin(description=(
                                                 "point (forehead, eyes, mouth, chin), x_shift, y_shift, scale; "
                                                 "empty removes it"))] = None) -> Success:
    """Sets where a mask sticker sits on faces."""
    position = MaskPositionInfo.model_validate(mask_position).model_dump() if mask_position else None
    return await bot_api(ctx, session, "setStickerMaskPosition", {"sticker": sticker, "mask_position": position})


@node(exec_pins=True, friendly_name="Set Sticker Position")
async def telegram_set_sticker_position_in_set(ctx: Context, session: SessionIn, sticker: str,
                                               position: Annotated[int, Pin(description="From 0")] = 0) -> Success:
    """Moves a sticker of the bot's set to another place."""
    return await bot_api(ctx, session, "setStickerPositionInSet", {"sticker": sticker, "position": position})


@node(exec_pins=True, friendly_name="Set Sticker Set Title")
async def telegram_set_sticker_set_title(ctx: Context, session: SessionIn, name: str, title: str) -> Success:
    """Renames a sticker set the bot created (1-64 characters)."""
    return await bot_api(ctx, session, "setStickerSetTitle", {"name": name, "title": title})


@node(exec_pins=True, friendly_name="Set Sticker Set Thumbnail")
async def telegram_set_sticker_set_thumbnail(ctx: Context, session: SessionIn, name: str, user_id: int,
                                             thumbnail: Annotated[str, Pin(description="file_id or URL; empty "
                                                                           "uses the first sticker")] = "",
                                             format: Annotated[str, Pin(description="static, animated or video")]
                                             = "static") -> Success:
    """Sets the thumbnail of a regular or mask sticker set."""
    if format not in FORMATS:
        raise ValueError(f"format must be static, animated or video, got {format!r}")
    return await bot_api(ctx, session, "setStickerSetThumbnail", {"name": name, "user_id": user_id,
                                                                  "thumbnail": thumbnail or None, "format": format})


@node(exec_pins=True, friendly_name="Set Custom Emoji Set Thumbnail")
async def telegram_set_custom_emoji_sticker_set_thumbnail(ctx: Context, session: SessionIn, name: str,
                                                          custom_emoji_id: Annotated[str, Pin(
                                                              description="Empty uses the first sticker")] = ""
                                                          ) -> Success:
    """Sets the thumbnail of a custom emoji set to one of its emoji."""
    return await bot_api(ctx, session, "setCustomEmojiStickerSetThumbnail", {
        "name": name, "custom_emoji_id": custom_emoji_id})


@node(exec_pins=True, friendly_name="Upload Sticker File", capabilities=UPLOADS)
async def telegram_upload_sticker_file(ctx: Context, session: SessionIn, user_id: int,
                                       sticker: Annotated[str, Pin(description="A local file path, or a URL")],
                                       sticker_format: Annotated[str, Pin(description="static, animated or video")]
                                       = "static") -> Annotated[str, Pin(name="file_id")]:
    """Uploads a .WEBP/.PNG, .TGS or .WEBM file once, to use its file_id in several sticker sets."""
    if sticker_format not in FORMATS:
        raise ValueError(f"sticker_format must be static, animated or video, got {sticker_format!r}")
    params = {"user_id": user_id, "sticker_format": sticker_format}
    if sticker.startswith(("http://", "https://")):
        uploaded = await bot_api(ctx, session, "uploadStickerFile", {**params, "sticker": sticker})
    else:
        uploaded = await bot_api(ctx, session, "uploadStickerFile", params,
                                 files={"sticker": read_file(ctx, {"path": sticker})})
    return uploaded["file_id"]
