"""OneDrive, Excel and SharePoint nodes against a local server speaking Microsoft Graph's wire format."""

from __future__ import annotations

import base64

from fake_graph import failing, one, sent


def test_list_get_and_search(graph) -> None:
    root = one(graph, "data_microsoft_onedrive_list_items")
    assert [i["name"] for i in root["items"]] == ["Documents", "Reports"] and root["count"] == 2
    docs = one(graph, "data_microsoft_onedrive_list_items", folder_path="/Documents/")
    assert [i["name"] for i in docs["items"]] == ["notes.txt", "plan notes.txt", "budget.xlsx"]
    assert [r["path"] for r in graph.state.requests[-2:]] == ["/v1.0/me/drive/root:/Documents:/children"] * 2
    item = one(graph, "data_microsoft_onedrive_get_item", item_path="/Documents/plan notes.txt")["item"]
    assert (item["name"], item["size"], item["parentReference"]["path"]) == ("plan notes.txt", 4,
                                                                             "/drive/root:/Documents")
    assert sent(graph)["raw_path"] == "/v1.0/me/drive/root:/Documents/plan%20notes.txt"
    found = one(graph, "data_microsoft_onedrive_search", query="plan's")
    assert found["count"] == 0 and sent(graph)["raw_path"] == "/v1.0/me/drive/root/search(q='plan''s')"
    assert [i["name"] for i in one(graph, "data_microsoft_onedrive_search", query="NOTES")["items"]] == [
        "notes.txt", "plan notes.txt"]


def test_upload_download_and_conflicts(graph) -> None:
    data = "Grüße ✓".encode()
    uploaded = one(graph, "data_microsoft_onedrive_upload", file_path="/Reports/q1.txt",
                   content=base64.b64encode(data).decode())["item"]
    put = sent(graph)
    assert (put["method"], put["path"], put["body"]) == ("PUT", "/v1.0/me/drive/root:/Reports/q1.txt:/content", data)
    assert put["query"] == {"@microsoft.graph.conflictBehavior": "rename"}
    assert put["headers"]["content-type"] == "application/octet-stream"
    assert (uploaded["name"], uploaded["size"]) == ("q1.txt", len(data))
    got = one(graph, "data_microsoft_onedrive_download", item_path="/Reports/q1.txt")["content"]
    assert base64.b64decode(got) == data
    again = one(graph, "data_microsoft_onedrive_upload", file_path="/Reports/q1.txt", content="eA==")["item"]
    assert again["name"] == "q1 1.txt"
    refused = failing(graph, "data_microsoft_onedrive_upload", file_path="/Reports/q1.txt", content="eA==",
                      conflict_behavior="fail")
    assert "409" in refused and "nameAlreadyExists" in refused


def test_upload_rejects_bad_input_before_sending(graph) -> None:
    from fake_graph import graph_flow

    flow = graph_flow(graph)
    flow.call("data_microsoft_onedrive_upload", file_path="/a.txt", content="not base64!")
    assert "content is not base64 text" in flow.failure()
    flow = graph_flow(graph)
    flow.call("data_microsoft_onedrive_upload", file_path="/a.txt", content="eA==", conflict_behavior="skip")
    assert "conflict_behavior must be one of fail, replace, rename" in flow.failure()
    assert graph.state.requests == []


def test_folders_move_copy_delete(graph) -> None:
    made = one(graph, "data_microsoft_onedrive_create_folder", parent_path="/Reports", folder_name="2026")["item"]
    assert sent(graph)["json"] == {"name": "2026", "folder": {}, "@microsoft.graph.conflictBehavior": "rename"}
    assert made["folder"] == {"childCount": 0}
    moved = one(graph, "data_microsoft_onedrive_move", item_path="/Documents/notes.txt",
                destination_path="/Reports/2026", new_name="moved.txt")["item"]
    assert moved["parentReference"]["id"] == made["id"] and moved["name"] == "moved.txt"
    assert sent(graph)["json"] == {"parentReference": {"id": made["id"]}, "name": "moved.txt"}
    one(graph, "data_microsoft_onedrive_copy", item_path="/Reports/2026/moved.txt", destination_path="/Documents")
    copy = sent(graph)
    assert copy["path"] == "/v1.0/me/drive/root:/Reports/2026/moved.txt:/copy"
    assert copy["json"] == {"parentReference": {"id": graph.state.drive.find("/Documents")["id"],
                                                "driveId": "me-drive"}}
    assert graph.state.drive.find("/Documents/moved.txt") is not None
    one(graph, "data_microsoft_onedrive_delete", item_path="/Reports/2026/moved.txt")
    assert sent(graph)["method"] == "DELETE" and graph.state.drive.find("/Reports/2026/moved.txt") is None
    assert "is not a folder" in failing(graph, "data_microsoft_onedrive_move", item_path="/Reports",
                                        destination_path="/Documents/moved.txt")


BOOK = "/Documents/budget.xlsx"


def test_excel_worksheets_and_ranges(graph) -> None:
    sheets = one(graph, "data_microsoft_excel_list_worksheets", file_path=BOOK)["worksheets"]
    assert [s["name"] for s in sheets] == ["Sheet1", "Summary"]
    read = one(graph, "data_microsoft_excel_read_range", file_path=BOOK, worksheet="Sheet1", range="A2:C3")
    assert read == {"values": [["Apple", 3, 0.5], ["Pear", 5, 0.75]], "row_count": 2}
    assert sent(graph)["raw_path"] == ("/v1.0/me/drive/root:/Documents/budget.xlsx:/workbook/worksheets/Sheet1/"
                                       "range(address='A2:C3')")
    one(graph, "data_microsoft_excel_write_range", file_path=BOOK, worksheet="Sheet1", range="A4:C4",
        values=[["Plum", 7, 1.25]])
    assert (sent(graph)["method"], sent(graph)["json"]) == ("PATCH", {"values": [["Plum", 7, 1.25]]})
    used = one(graph, "data_microsoft_excel_used_range", file_path=BOOK, worksheet="Sheet1")
    assert (used["address"], used["row_count"], used["values"][-1]) == ("Sheet1!A1:C4", 4, ["Plum", 7, 1.25])
    wrong = failing(graph, "data_microsoft_excel_write_range", file_path=BOOK, worksheet="Sheet1", range="A1:B1",
                    values=[["one"]])
    assert "400" in wrong and "InvalidArgument" in wrong
    assert "404" in failing(graph, "data_microsoft_excel_read_range", file_path=BOOK, worksheet="Nope", range="A1")


def test_excel_tables(graph) -> None:
    table = one(graph, "data_microsoft_excel_get_table", file_path=BOOK, table_name="Sales")
    assert table == {"rows": [{"Region": "North", "Amount": 10}, {"Region": "South", "Amount": 20}],
                     "headers": ["Region", "Amount"], "row_count": 2}
    added = one(graph, "data_microsoft_excel_add_table_row", file_path=BOOK, table_name="Sales", values=["East", 5])
    assert added == {"row_index": 2} and sent(graph)["json"] == {"values": [["East", 5]]}
    assert sent(graph)["path"].endswith("/workbook/tables/Sales/rows/add")
    assert one(graph, "data_microsoft_excel_get_table", file_path=BOOK, table_name="Sales")["row_count"] == 3


SITE = "contoso.sharepoint.com,site-1,web-1"


def test_sharepoint_sites_drives_and_files(graph) -> None:
    sites = one(graph, "data_microsoft_sharepoint_search_sites", query="market")
    assert sites["count"] == 1 and sent(graph)["query"] == {"search": "market"}
    by_path = one(graph, "data_microsoft_sharepoint_get_site", hostname="contoso.sharepoint.com",
                  site_path="/sites/marketing")
    assert by_path["site_id"] == SITE and sent(graph)["path"] == "/v1.0/sites/contoso.sharepoint.com:/sites/marketing"
    assert one(graph, "data_microsoft_sharepoint_get_site", site_id=SITE)["site"]["displayName"] == "Marketing"
    root = one(graph, "data_microsoft_sharepoint_get_site", hostname="contoso.sharepoint.com")["site_id"]
    assert root == "contoso.sharepoint.com,root-site,root-web"
    drives = one(graph, "data_microsoft_sharepoint_list_drives", site_id=SITE)["drives"]
    drive_id = drives[0]["id"]
    shared = one(graph, "data_microsoft_sharepoint_list_drive_items", drive_id=drive_id)["items"]
    assert [i["name"] for i in shared] == ["Shared"]
    by_folder_path = one(graph, "data_microsoft_sharepoint_list_drive_items", drive_id=drive_id, folder_path="Shared")
    by_folder_id = one(graph, "data_microsoft_sharepoint_list_drive_items", drive_id=drive_id,
                       folder_id=shared[0]["id"])
    assert by_folder_path["items"] == by_folder_id["items"] and by_folder_id["items"][0]["name"] == "spec.pdf"
    assert sent(graph)["path"] == f"/v1.0/drives/{drive_id}/items/{shared[0]['id']}/children"
    pdf = by_folder_id["items"][0]["id"]
    got = one(graph, "data_microsoft_sharepoint_download_file", drive_id=drive_id, item_id=pdf)
    assert got["content"] == b"%PDF-1.7 spec" and got["download_url"].endswith(f"/download/{drive_id}/{pdf}")
    no_url = failing(graph, "data_microsoft_sharepoint_download_file", drive_id=drive_id, item_id=shared[0]["id"])
    assert "has no download URL" in no_url


def test_sharepoint_lists(graph) -> None:
    lists = one(graph, "data_microsoft_sharepoint_list_lists", site_id=SITE)
    assert lists["count"] == 1 and lists["lists"][0]["name"] == "Contacts"
    bare = one(graph, "data_microsoft_sharepoint_get_list_items", site_id=SITE, list_id="Contacts",
               expand_fields=False)
    assert bare["items"] == [{"id": "1"}, {"id": "2"}, {"id": "3"}] and "$expand" not in sent(graph)["query"]
