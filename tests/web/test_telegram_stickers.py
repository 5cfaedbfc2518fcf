"""Telegram sticker-set nodes against a local Bot API server."""

from __future__ import annotations

from typing import Any

import pytest
from fake_telegram import State, check_case, failure, run_node

STICKER = '{"sticker": "file-1", "emoji_list": ["🙂"]}'
FULL = {"sticker": "file-1", "emoji_list": ["🙂"], "format": "static"}

CASES = [
    ("telegram_create_new_sticker_set", {"user_id": 8, "name": "cats_by_bot", "title": "Cats",
                                         "stickers": f"[{STICKER}]", "sticker_type": "custom_emoji",
                                         "needs_repainting": True}, "createNewStickerSet",
     {"user_id": 8, "name": "cats_by_bot", "title": "Cats", "sticker_type": "custom_emoji", "stickers": [FULL],
      "needs_repainting": True}, True, {"success": True}),
    ("telegram_add_sticker_to_set", {"user_id": 8, "name": "cats_by_bot", "sticker": STICKER}, "addStickerToSet",
     {"user_id": 8, "name": "cats_by_bot", "sticker": FULL}, None, {"success": True}),
    ("telegram_replace_sticker_in_set", {"user_id": 8, "name": "cats_by_bot", "old_sticker": "old",
                                         "sticker": STICKER}, "replaceStickerInSet",
     {"old_sticker": "old", "sticker": FULL}, None, {"success": True}),
    ("telegram_delete_sticker_from_set", {"sticker": "file-1"}, "deleteStickerFromSet", {"sticker": "file-1"}, None,
     {"success": True}),
    ("telegram_delete_sticker_set", {"name": "cats_by_bot"}, "deleteStickerSet", {"name": "cats_by_bot"}, None,
     {"success": True}),
    ("telegram_get_sticker_set", {"name": "cats_by_bot"}, "getStickerSet", {"name": "cats_by_bot"},
     {"name": "cats_by_bot", "title": "Cats", "stickers": []}, {"sticker_set": {"name": "cats_by_bot",
                                                                                "title": "Cats", "stickers": []}}),
    ("telegram_get_custom_emoji_stickers", {"custom_emoji_ids": ["e1", "e2"]}, "getCustomEmojiStickers",
     {"custom_emoji_ids": ["e1", "e2"]}, [{"file_id": "s1"}], {"stickers": [{"file_id": "s1"}]}),
    ("telegram_set_sticker_emoji_list", {"sticker": "file-1", "emoji_list": ["😺", "🐱"]}, "setStickerEmojiList",
     {"sticker": "file-1", "emoji_list": ["😺", "🐱"]}, None, {"success": True}),
    ("telegram_set_sticker_keywords", {"sticker": "file-1", "keywords": ["cat"]}, "setStickerKeywords",
     {"keywords": ["cat"]}, None, {"success": True}),
    ("telegram_set_sticker_mask_position", {"sticker": "file-1", "mask_position": {"point": "eyes", "scale": 2.0}},
     "setStickerMaskPosition", {"mask_position": {"point": "eyes", "x_shift": 0.0, "y_shift": 0.0, "scale": 2.0}},
     None, {"success": True}),
    ("telegram_set_sticker_position_in_set", {"sticker": "file-1", "position": 3}, "setStickerPositionInSet",
     {"position": 3}, None, {"success": True}),
    ("telegram_set_sticker_set_title", {"name": "cats_by_bot", "title": "Kittens"}, "setStickerSetTitle",
     {"title": "Kittens"}, None, {"success": True}),
    ("telegram_set_sticker_set_thumbnail", {"name": "cats_by_bot", "user_id": 8, "thumbnail": "t1",
                                            "format": "video"}, "setStickerSetThumbnail",
     {"user_id": 8, "thumbnail": "t1", "format": "video"}, None, {"success": True}),
    ("telegram_set_custom_emoji_sticker_set_thumbnail", {"name": "emoji_by_bot", "custom_emoji_id": "e1"},
     "setCustomEmojiStickerSetThumbnail", {"name": "emoji_by_bot", "custom_emoji_id": "e1"}, None,
     {"success": True}),
    ("telegram_upload_sticker_file", {"user_id": 8, "sticker": "https://x/s.webp"}, "uploadStickerFile",
     {"user_id": 8, "sticker": "https://x/s.webp", "sticker_format": "static"}, {"file_id": "up-1"},
     {"file_id": "up-1"}),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_node_sends_the_documented_call_and_outputs_the_answer(b: Any, api: tuple[str, State], case: tuple) -> None:
    check_case(b, api, case)


def test_upload_sticker_file_uploads_a_local_file(b: Any, api: tuple[str, State], tmp_path: Any) -> None:
    (tmp_path / "cat.webp").write_bytes(b"RIFF webp")
    api[1].results["uploadStickerFile"] = {"file_id": "up-2"}
    out = run_node(b, api, "telegram_upload_sticker_file", user_id=8, sticker=str(tmp_path / "cat.webp"),
                   sticker_format="static")
    call = api[1].call("uploadStickerFile")
    assert out["file_id"] == "up-2" and call["files"]["sticker"] == {"filename": "cat.webp", "content": b"RIFF webp"}
    assert call["params"] == {"user_id": "8", "sticker_format": "static"}


def test_stickers_are_checked_before_sending(b: Any, api: tuple[str, State]) -> None:
    assert "emoji_list needs 1 to 20 emoji" in failure(b, api, "telegram_add_sticker_to_set", user_id=8, name="n",
                                                       sticker='{"sticker": "f"}')
    assert "format must be static, animated or video" in failure(
        type(b)(), api, "telegram_set_sticker_set_thumbnail", name="n", user_id=8, format="gif")
    assert "1 to 50 InputSticker" in failure(type(b)(), api, "telegram_create_new_sticker_set", user_id=8, name="n",
                                             title="t", stickers="[]")
    assert api[1].calls == []
