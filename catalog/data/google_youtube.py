"""YouTube Data API v3: searching videos, a video's details, the token's channel and uploads, playlists and
their items (added and removed)."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.google import NEXT_PAGE, RAW, Google, GoogleNode, required, struct_out
from flowlike_catalog.web.service_pins import int_in, int_out, text_in, text_out

CATEGORY = "Data/Google/YouTube"
CAPABILITIES = ("network",)


def count(value: Any) -> int | None:
    """YouTube's counts are strings of digits."""
    return int(value) if value not in (None, "") else None


def thumbnail(snippet: dict[str, Any]) -> str | None:
    shots = snippet.get("thumbnails", {})
    return (shots.get("high") or shots.get("default") or {}).get("url")


def video(item: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's YouTubeVideo from a Video or a search result (whose id is {kind, videoId})."""
    snippet, stats = item.get("snippet", {}), item.get("statistics", {})
    ident = item["id"]["videoId"] if isinstance(item.get("id"), dict) else item.get("id", "")
    return {"video_id": ident, "title": snippet.get("title", ""), "description": snippet.get("description"),
            "channel_id": snippet.get("channelId", ""), "channel_title": snippet.get("channelTitle", ""),
            "published_at": snippet.get("publishedAt"), "thumbnail_url": thumbnail(snippet),
            "view_count": count(stats.get("viewCount")), "like_count": count(stats.get("likeCount")),
            "duration": item.get("contentDetails", {}).get("duration")}


def playlist_item(item: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's YouTubePlaylistItem."""
    snippet = item.get("snippet", {})
    video_id = item.get("contentDetails", {}).get("videoId") or snippet.get("resourceId", {}).get("videoId", "")
    return {"item_id": item["id"], "video_id": video_id, "title": snippet.get("title", ""),
            "description": snippet.get("description"), "position": snippet.get("position", 0),
            "thumbnail_url": thumbnail(snippet)}


def paging(max_results: int, page_token: str) -> dict[str, Any]:
    return {"maxResults": max(1, min(max_results, 50)), "pageToken": page_token}


VIDEOS = struct_out("videos", array=True, description="YouTubeVideo: video_id, title, description, channel_id, "
                    "channel_title, published_at, thumbnail_url, view_count, like_count, duration")
PAGE_TOKEN = text_in("page_token", "")


class SearchVideos(GoogleNode):
    name = "data_google_youtube_search"
    friendly_name = "Search Videos"
    description = "Videos matching a search, a page at a time."
    inputs = (text_in("query"), int_in("max_results", 10, "At most 50"),
              text_in("order", "relevance", "relevance, date, rating, title, videoCount or viewCount"), PAGE_TOKEN)
    outputs = (VIDEOS, NEXT_PAGE, int_out("total_results", "YouTube's estimate of all matches"))

    async def call(self, google: Google, *, query: str, max_results: int, order: str,
                   page_token: str) -> dict[str, Any]:
        found = await google.call("youtube", "GET", "/search", params={
            "part": "snippet", "type": "video", "q": query, "order": order, **paging(max_results, page_token)})
        return {"videos": [video(item) for item in found.get("items", [])],
                "next_page_token": found.get("nextPageToken", ""),
                "total_results": found.get("pageInfo", {}).get("totalResults", 0)}


class GetVideo(GoogleNode):
    name = "data_google_youtube_get_video"
    friendly_name = "Get Video"
    description = "A video's details, statistics and duration (ISO 8601, e.g. PT4M13S)."
    inputs = (text_in("video_id"),)
    outputs = (struct_out("video", description="YouTubeVideo"), RAW)

    async def call(self, google: Google, *, video_id: str) -> dict[str, Any]:
        found = await google.call("youtube", "GET", "/videos", params={
            "part": "snippet,statistics,contentDetails", "id": required(video_id, "video_id")})
        if not found.get("items"):
            raise ValueError(f"no YouTube video with id {video_id!r}")
        return {"video": video(found["items"][0]), "raw": found["items"][0]}


class ListMyVideos(GoogleNode):
    name = "data_google_youtube_list_my_videos"
    friendly_name = "List My Videos"
    description = "The videos the token's channel uploaded, a page at a time."
    inputs = (int_in("max_results", 10, "At most 50"), PAGE_TOKEN)
    outputs = (VIDEOS, NEXT_PAGE)

    async def call(self, google: Google, *, max_results: int, page_token: str) -> dict[str, Any]:
        found = await google.call("youtube", "GET", "/search", params={
            "part": "snippet", "forMine": True, "type": "video", **paging(max_results, page_token)})
        return {"videos": [video(item) for item in found.get("items", [])],
                "next_page_token": found.get("nextPageToken", "")}


class GetChannel(GoogleNode):
    name = "data_google_youtube_get_channel"
    friendly_name = "Get Channel"
    description = "A channel's details and counts; the token's own channel when channel_id is empty."
    inputs = (text_in("channel_id", ""),)
    outputs = (struct_out("channel", description="YouTubeChannel: channel_id, title, description, custom_url, "
                          "thumbnail_url, subscriber_count, video_count"),)

    async def call(self, google: Google, *, channel_id: str) -> dict[str, Any]:
        which = {"id": channel_id} if channel_id else {"mine": True}
        found = await google.call("youtube", "GET", "/channels", params={"part": "snippet,statistics", **which})
        if not found.get("items"):
            raise ValueError(f"no YouTube channel {channel_id!r}" if channel_id else "the token has no YouTube channel")
        item = found["items"][0]
        snippet, stats = item.get("snippet", {}), item.get("statistics", {})
        return {"channel": {"channel_id": item["id"], "title": snippet.get("title", ""),
                            "description": snippet.get("description"), "custom_url": snippet.get("customUrl"),
                            "thumbnail_url": thumbnail(snippet),
                            "subscriber_count": count(stats.get("subscriberCount")),
                            "video_count": count(stats.get("videoCount"))}}


class ListPlaylists(GoogleNode):
    name = "data_google_youtube_list_playlists"
    friendly_name = "List Playlists"
    description = "A channel's playlists; the token's own when channel_id is empty."
    inputs = (text_in("channel_id", ""), int_in("max_results", 25, "At most 50"), PAGE_TOKEN)
    outputs = (struct_out("playlists", array=True, description="YouTubePlaylist: playlist_id, title, description, "
                          "channel_id, item_count, thumbnail_url"), NEXT_PAGE)

    async def call(self, google: Google, *, channel_id: str, max_results: int, page_token: str) -> dict[str, Any]:
        which = {"channelId": channel_id} if channel_id else {"mine": True}
        found = await google.call("youtube", "GET", "/playlists", params={
            "part": "snippet,contentDetails", **which, **paging(max_results, page_token)})
        playlists = [{"playlist_id": p["id"], "title": p.get("snippet", {}).get("title", ""),
                      "description": p.get("snippet", {}).get("description"),
                      "channel_id": p.get("snippet", {}).get("channelId", ""),
                      "item_count": p.get("contentDetails", {}).get("itemCount"),
                      "thumbnail_url": thumbnail(p.get("snippet", {}))} for p in found.get("items", [])]
        return {"playlists": playlists, "next_page_token": found.get("nextPageToken", "")}


class GetPlaylistItems(GoogleNode):
    name = "data_google_youtube_get_playlist_items"
    friendly_name = "Get Playlist Items"
    description = "The videos of a playlist, in order, a page at a time."
    inputs = (text_in("playlist_id"), int_in("max_results", 25, "At most 50"), PAGE_TOKEN)
    outputs = (struct_out("items", array=True, description="YouTubePlaylistItem: item_id, video_id, title, "
                          "description, position, thumbnail_url"), NEXT_PAGE,
               int_out("total_items", "How many items the playlist has"))

    async def call(self, google: Google, *, playlist_id: str, max_results: int, page_token: str) -> dict[str, Any]:
        found = await google.call("youtube", "GET", "/playlistItems", params={
            "part": "snippet,contentDetails", "playlistId": required(playlist_id, "playlist_id"),
            **paging(max_results, page_token)})
        items = [playlist_item(i) for i in found.get("items", [])]
        return {"items": items, "next_page_token": found.get("nextPageToken", ""),
                "total_items": found.get("pageInfo", {}).get("totalResults", len(items))}


class AddToPlaylist(GoogleNode):
    name = "data_google_youtube_add_to_playlist"
    friendly_name = "Add to Playlist"
    description = "Adds a video to a playlist, at the end or at a position."
    inputs = (text_in("playlist_id"), text_in("video_id"), int_in("position", -1, "0 is first; -1: at the end"))
    outputs = (text_out("item_id", "The playlist item's id (what Remove from Playlist takes)"),)

    async def call(self, google: Google, *, playlist_id: str, video_id: str, position: int) -> dict[str, Any]:
        snippet: dict[str, Any] = {"playlistId": required(playlist_id, "playlist_id"),
                                   "resourceId": {"kind": "youtube#video", "videoId": required(video_id, "video_id")}}
        if position >= 0:
            snippet["position"] = position
        found = await google.call("youtube", "POST", "/playlistItems", params={"part": "snippet"},
                                  body={"snippet": snippet})
        return {"item_id": found["id"]}


class RemoveFromPlaylist(GoogleNode):
    name = "data_google_youtube_remove_from_playlist"
    friendly_name = "Remove from Playlist"
    description = "Removes an item (by its playlist item id, not the video id) from its playlist."
    inputs = (text_in("item_id"),)

    async def call(self, google: Google, *, item_id: str) -> dict[str, Any]:
        await google.call("youtube", "DELETE", "/playlistItems", params={"id": required(item_id, "item_id")})
        return {}
