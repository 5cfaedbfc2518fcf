"""YouTube nodes against a local server speaking YouTube Data API v3 (parts, paging, playlist items)."""

from __future__ import annotations

from data_boards import one
from fake_google import google_flow


def test_search_and_videos(gs) -> None:
    found = one(google_flow(gs.url), "data_google_youtube_search", query="python", max_results=1, order="viewCount")
    assert [v["video_id"] for v in found["videos"]] == ["vid2"]
    assert (found["next_page_token"], found["total_results"]) == ("1", 2)
    assert gs.state.requests[-1]["query"] == {"part": "snippet", "type": "video", "q": "python", "order": "viewCount",
                                              "maxResults": "1"}
    video = one(google_flow(gs.url), "data_google_youtube_get_video", video_id="vid1")
    assert video["video"] == {
        "video_id": "vid1", "title": "Python tutorial", "description": "About Python tutorial", "channel_id": "UCmine",
        "channel_title": "Ada's channel", "published_at": "2026-01-05T10:00:00Z",
        "thumbnail_url": "https://i.ytimg.com/vi/vid1/hq.jpg", "view_count": 500, "like_count": 50,
        "duration": "PT4M13S"}
    assert video["raw"]["id"] == "vid1"
    mine = one(google_flow(gs.url), "data_google_youtube_list_my_videos")
    assert [v["title"] for v in mine["videos"]] == ["Python tutorial"]
    assert gs.state.requests[-1]["query"]["forMine"] == "true"
    missing = google_flow(gs.url)
    missing.step("data_google_youtube_get_video", video_id="nope")
    assert "no YouTube video with id 'nope'" in missing.flow.failure()


def test_channel_and_playlists(gs) -> None:
    channel = one(google_flow(gs.url), "data_google_youtube_get_channel")["channel"]
    assert (channel["channel_id"], channel["subscriber_count"], channel["custom_url"]) == ("UCmine", 1200, "@ada")
    assert gs.state.requests[-1]["query"] == {"part": "snippet,statistics", "mine": "true"}

    board = google_flow(gs.url)
    adds = [board.step("data_google_youtube_add_to_playlist", playlist_id="PL1", video_id=v) for v in ("vid1", "vid3")]
    first = board.step("data_google_youtube_add_to_playlist", playlist_id="PL1", video_id="vid2", position=0)
    listed = board.step("data_google_youtube_get_playlist_items", playlist_id="PL1", max_results=2)
    run = board.run()
    items = board.outputs(run, listed)
    assert [i["video_id"] for i in items["items"]] == ["vid2", "vid1"] and items["total_items"] == 3
    assert items["next_page_token"] == "2" and items["items"][1]["position"] == 1
    posted = [r for r in gs.state.requests if r["method"] == "POST"]
    assert posted[0]["query"] == {"part": "snippet"} and posted[0]["json"] == {"snippet": {
        "playlistId": "PL1", "resourceId": {"kind": "youtube#video", "videoId": "vid1"}}}
    assert posted[2]["json"]["snippet"]["position"] == 0 and adds

    playlists = one(google_flow(gs.url), "data_google_youtube_list_playlists")["playlists"]
    assert playlists == [{"playlist_id": "PL1", "title": "List PL1", "description": "", "channel_id": "UCmine",
                          "item_count": 3, "thumbnail_url": None}]
    one(google_flow(gs.url), "data_google_youtube_remove_from_playlist", item_id=board.outputs(run, first)["item_id"])
    assert gs.state.requests[-1]["method"] == "DELETE" and len(gs.state.playlist_items["PL1"]) == 2
    gone = google_flow(gs.url)
    gone.step("data_google_youtube_remove_from_playlist", item_id="PLI-missing")
    assert "Google Youtube answered 404" in gone.flow.failure()
