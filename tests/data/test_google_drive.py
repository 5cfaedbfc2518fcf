"""Google provider and Drive nodes against a local server speaking Drive v3's wire format."""

from __future__ import annotations

import json

import pytest
from data_boards import one
from fake_google import DOC, FOLDER, google_flow
from flowlike_catalog.data import google


def test_provider_keeps_the_token_secret() -> None:
    provider = google.data_google_provider.func("ya29.secret", "http://127.0.0.1:9/")
    assert provider.base_url == "http://127.0.0.1:9" and provider.provider_id == "google"
    assert "ya29.secret" not in json.dumps(provider.model_dump(mode="json")) and "ya29.secret" not in repr(provider)
    with pytest.raises(ValueError, match="Google access token is empty"):
        google.data_google_provider.func("", "")
    with pytest.raises(ValueError, match="must start with http"):
        google.data_google_provider.func("t", "ftp://x")


def test_list_read_and_download(gs) -> None:
    state = gs.state
    folder = state.add_file("Reports", FOLDER)
    state.add_file("notes.txt", "text/plain", folder["id"], "Hello Drive ✓".encode())
    doc = state.add_file("Plan", DOC, folder["id"], b"Plan text")
    state.add_file("elsewhere.txt", "text/plain", content=b"x")
    shared = state.add_file("shared.csv", "text/csv", folder["id"], b"a,b\n", drive_id="0ATeam")
    listed = one(google_flow(gs.url), "data_google_drive_list_files", folder_id=folder["id"])
    assert listed["file_count"] == 3
    assert listed["files"][0] == {"id": "f2", "name": "notes.txt", "mime_type": "text/plain", "size": 15,
                                  "path": "gdrive://f2"}
    assert listed["files"][2]["name"] == "shared.csv"
    sent = state.requests[-1]
    assert sent["path"] == "/drive/v3/files"
    assert sent["query"] == {"q": f"'{folder['id']}' in parents and trashed = false and mimeType != '{FOLDER}'",
                             "includeItemsFromAllDrives": "true", "pageSize": "100",
                             "fields": "nextPageToken,files(id,name,mimeType,size)", "supportsAllDrives": "true"}
    assert one(google_flow(gs.url), "data_google_drive_read_file", file_id=shared["id"])["content"] == "a,b\n"
    narrowed = one(google_flow(gs.url), "data_google_drive_list_files", query="name contains 'plan'",
                   folder_id=folder["id"], include_folders=True)
    assert [f["name"] for f in narrowed["files"]] == ["Plan"]

    read = one(google_flow(gs.url), "data_google_drive_read_file", file_id="f2")
    assert (read["content"], read["file_name"], read["mime_type"], read["size"]) == (
        "Hello Drive ✓", "notes.txt", "text/plain", 15)
    assert state.requests[-1]["query"] == {"alt": "media", "supportsAllDrives": "true"}
    exported = one(google_flow(gs.url), "data_google_drive_read_file", file_id=doc["id"])
    assert exported["content"] == "Plan text"
    assert state.requests[-1]["query"] == {"mimeType": "text/plain", "supportsAllDrives": "true"}
    pdf = one(google_flow(gs.url), "data_google_drive_download", file_id=doc["id"], export_mime_type="application/pdf")
    assert pdf["content"] == b"%PDF-Plan text"
    assert state.requests[-1]["path"] == f"/drive/v3/files/{doc['id']}/export"


def test_listings_follow_drives_pages_up_to_page_size(gs) -> None:
    for n in range(7):  # the fake answers at most 3 files a page, whatever pageSize asks
        gs.state.add_file(f"r{n}.txt", "text/plain", content=b"x")
    everything = one(google_flow(gs.url), "data_google_drive_list_files", page_size=0)
    assert [f["name"] for f in everything["files"]] == [f"r{n}.txt" for n in range(7)]
    assert everything["file_count"] == 7
    assert [(r["query"]["pageSize"], r["query"].get("pageToken")) for r in gs.state.requests] == [
        ("1000", None), ("1000", "3"), ("1000", "6")]
    gs.state.requests.clear()
    five = one(google_flow(gs.url), "data_google_drive_search", query="name contains 'r'", page_size=5)
    assert [f["name"] for f in five["files"]] == [f"r{n}.txt" for n in range(5)] and five["count"] == 5
    assert [(r["query"]["pageSize"], r["query"].get("pageToken")) for r in gs.state.requests] == [
        ("5", None), ("2", "3")]  # each page asks for what is still wanted
    board = google_flow(gs.url)
    node = board.step("data_google_drive_list_files", page_size=-1)
    back = board.flow.add("events_generic_return_result")
    board.flow.wire(node, "error", back, "exec_in")
    board.flow.wire(node, "error_message", back, "response")
    assert "must be 0 (all) or more, got -1" in board.run().result


def test_folders_copies_moves_and_deletes(gs) -> None:
    board = google_flow(gs.url)
    made = board.step("data_google_drive_create_folder", name="Archive")
    src = gs.state.add_file("a.txt", "text/plain", content=b"abc")
    copied = board.step("data_google_drive_copy_file", file_id=src["id"], new_name="b.txt")
    moved = board.step("data_google_drive_move_file", file_id=src["id"])
    board.flow.wire(made, "folder_id", moved, "new_parent_id")
    meta = board.step("data_google_drive_get_metadata", file_id=src["id"])
    run = board.run()
    folder = board.outputs(run, made)
    assert folder["folder"]["is_folder"] and folder["folder"]["name"] == "Archive"
    assert gs.state.requests[0]["json"] == {"name": "Archive", "mimeType": FOLDER}
    assert board.outputs(run, copied)["file"]["name"] == "b.txt"
    assert board.outputs(run, moved)["file"]["parents"] == [folder["folder_id"]]
    patch = [r for r in gs.state.requests if r["method"] == "PATCH"][0]
    assert patch["query"]["addParents"] == folder["folder_id"] and patch["query"]["removeParents"] == "root"
    info = board.outputs(run, meta)["file"]
    assert (info["size"], info["is_folder"], info["web_view_link"]) == (
        3, False, f"https://drive.google.com/file/d/{src['id']}/view")

    searched = one(google_flow(gs.url), "data_google_drive_search", query="name contains '.txt'")
    assert searched["count"] == 2 and {f["name"] for f in searched["files"]} == {"a.txt", "b.txt"}
    one(google_flow(gs.url), "data_google_drive_delete_file", file_id=src["id"])
    assert src["id"] not in gs.state.files and gs.state.requests[-1]["method"] == "DELETE"


def test_google_errors_fire_error_with_the_message(gs) -> None:
    board = google_flow(gs.url)
    node = board.step("data_google_drive_get_metadata", file_id="nope")
    after = board.flow.add("events_generic_return_result")
    board.flow.wire(node, "error", after, "exec_in")
    board.flow.wire(node, "error_message", after, "response")
    run = board.run()
    assert run.result == "Google Drive answered 404 to GET /files/nope: File not found: nope."

    unwired = google_flow(gs.url, token="wrong")
    unwired.step("data_google_drive_list_files")
    message = unwired.flow.failure()
    assert "401" in message and "invalid authentication credentials" in message


def test_a_server_that_is_down_routes_to_error() -> None:
    board = google_flow("http://127.0.0.1:9")
    node = board.step("data_google_drive_delete_file", file_id="x")
    after = board.flow.add("events_generic_return_result")
    board.flow.wire(node, "error", after, "exec_in")
    board.flow.wire(node, "error_message", after, "response")
    assert "DELETE http://127.0.0.1:9/drive/v3/files/x failed" in board.run().result
