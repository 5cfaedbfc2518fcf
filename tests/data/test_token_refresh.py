"""Renewing a refused OAuth access token in the web pack's HTTP layer, through the Google and Microsoft Graph
providers, against the fake services' token endpoints (RFC 6749 section 6's form-encoded refresh_token grant)."""

from __future__ import annotations

import json

import pytest
from data_boards import Flow, ServiceFlow
from fake_google import TOKEN as GOOGLE_TOKEN
from fake_google import google_flow
from fake_graph import TOKEN as GRAPH_TOKEN
from fake_graph import graph_flow
from fake_server import TokenEndpoint
from flowlike_catalog.data import google, microsoft

from flowlike_core import Node

CLIENT = {"client_id": TokenEndpoint.CLIENT_ID, "client_secret": TokenEndpoint.CLIENT_SECRET}


def expired_google(url: str, refresh_token: str = TokenEndpoint.REFRESH_TOKEN, **client: str) -> ServiceFlow:
    """A Google board whose access token the fake refuses, with what renewing it takes."""
    return google_flow(url, "ya29.expired", refresh_token=refresh_token, token_url=f"{url}/token", **(client or CLIENT))


def error_of(board: ServiceFlow | Flow, node: Node) -> str:
    """Run `board` with `node`'s Error wired to a Return Result of its error_message; that message."""
    flow = board.flow if isinstance(board, ServiceFlow) else board
    back = flow.add("events_generic_return_result")
    flow.wire(node, "error", back, "exec_in")
    flow.wire(node, "error_message", back, "response")
    result = flow.run().result
    assert isinstance(result, str) and result, f"Error did not fire (result {result!r})"
    return result


def test_refresh_settings_stay_secret_and_need_the_client() -> None:
    provider = google.data_google_provider.func("ya29.a", "", "1//refresh-secret", "client.apps", "GOCSPX-secret")
    assert provider.refresh.token_url == "https://oauth2.googleapis.com/token"
    dumped = json.dumps(provider.model_dump(mode="json")) + repr(provider)
    assert "1//refresh-secret" not in dumped and "GOCSPX-secret" not in dumped and "client.apps" in dumped
    assert google.data_google_provider.func("ya29.a").refresh is None
    with pytest.raises(ValueError, match="needs the client_id"):
        google.data_google_provider.func("ya29.a", "", "1//refresh-secret")
    with pytest.raises(ValueError, match="token_url must start with http"):
        google.data_google_provider.func("ya29.a", "", "1//refresh-secret", "client.apps", "", "oauth2.googleapis.com")
    graph = microsoft.data_microsoft_provider_token.func("eyJ.a", microsoft.GRAPH_URL, "0.AR-refresh", "app-id")
    assert graph.refresh.token_url == "https://login.microsoftonline.com/common/oauth2/v2.0/token"
    assert graph.refresh.scope == "https://graph.microsoft.com/.default offline_access"
    assert "0.AR-refresh" not in json.dumps(graph.model_dump(mode="json"))


def test_a_refused_token_is_renewed_once_and_kept_for_the_run(gs) -> None:
    gs.state.add_file("a.txt", "text/plain", content=b"abc")
    board = expired_google(gs.url)
    listed = board.step("data_google_drive_list_files")
    searched = board.step("data_google_drive_search", query="name contains 'a'")
    run = board.run()
    assert board.outputs(run, listed)["file_count"] == 1 and board.outputs(run, searched)["count"] == 1
    assert gs.state.oauth.calls == [{"grant_type": "refresh_token", "refresh_token": TokenEndpoint.REFRESH_TOKEN,
                                     **CLIENT}]
    # the list was refused once and sent again; the search went out with the renewed token at once
    assert [r["path"] for r in gs.state.requests] == ["/drive/v3/files"] * 3
    logs = [line.message for line in run.logs()]
    assert sum("renewed the access token" in line for line in logs) == 1 and GOOGLE_TOKEN not in str(logs)


def test_a_refused_refresh_fires_error_with_the_token_endpoints_message(gs) -> None:
    board = expired_google(gs.url, "1//revoked")
    message = error_of(board, board.step("data_google_drive_list_files"))
    assert message == (f"the access token was refused and renewing it at {gs.url}/token failed (status 400): "
                       "invalid_grant: Token has been expired or revoked.")
    board = expired_google(gs.url, client_id=TokenEndpoint.CLIENT_ID, client_secret="wrong")
    message = error_of(board, board.step("data_google_drive_list_files"))
    assert message.endswith("(status 401): invalid_client: The OAuth client was not found.")


def test_without_refresh_settings_the_401_is_the_error_as_before(gs) -> None:
    board = google_flow(gs.url, "ya29.expired")
    message = error_of(board, board.step("data_google_drive_list_files"))
    assert message.startswith("Google Drive answered 401 to GET /files: Request had invalid authentication")
    assert gs.state.oauth.calls == []


def test_graph_renews_with_its_scope_and_keeps_the_rotated_refresh_token(graph) -> None:
    flow = graph_flow(graph, "expired", refresh_token=TokenEndpoint.REFRESH_TOKEN,
                      token_url=f"{graph.base}/contoso.onmicrosoft.com/oauth2/v2.0/token", **CLIENT)
    lists = flow.call("data_microsoft_todo_list_lists")
    teams = flow.call("data_microsoft_teams_list_joined")
    run = flow.run()
    assert run.output(lists.id, "count") == 1 and run.output(teams.id, "count") >= 1
    assert graph.state.oauth.calls == [{"grant_type": "refresh_token", "refresh_token": TokenEndpoint.REFRESH_TOKEN,
                                        "scope": microsoft.GRAPH_SCOPE, **CLIENT}]
    assert graph.state.oauth.refresh_token == "local-refresh-token-2"  # rotated: the run would renew with it next
    assert sum(r["headers"]["authorization"] != f"Bearer {GRAPH_TOKEN}" for r in graph.state.requests) == 1


def test_graph_refresh_refused_and_graph_without_refresh(graph) -> None:
    flow = graph_flow(graph, "expired", refresh_token="0.AR-stale",
                      token_url=f"{graph.base}/common/oauth2/v2.0/token", **CLIENT)
    message = error_of(flow, flow.call("data_microsoft_todo_list_lists"))
    assert message.endswith("failed (status 400): invalid_grant: Token has been expired or revoked.")
    flow = graph_flow(graph, "expired")
    assert "InvalidAuthenticationToken" in error_of(flow, flow.call("data_microsoft_todo_list_lists"))


def test_atlassian_renews_through_json_and_keeps_the_rotated_refresh_token(site) -> None:
    from fake_atlassian import CLOUD_ID, OAUTH

    board = ServiceFlow("data_atlassian_provider_oauth", base_url=site.url, access_token="oauth-expired",
                        api_url=site.url, refresh_token=TokenEndpoint.REFRESH_TOKEN,
                        token_url=f"{site.url}/oauth/token", **CLIENT)
    issue = board.step("data_atlassian_jira_get_issue", issue_key="PROJ-1")
    me = board.step("data_atlassian_get_me")
    run = board.run()
    assert board.outputs(run, issue)["issue"]["key"] == "PROJ-1" and board.outputs(run, me)["name"] == "Ada Lovelace"
    assert site.oauth.calls == [{"grant_type": "refresh_token", "refresh_token": TokenEndpoint.REFRESH_TOKEN,
                                 **CLIENT}]
    # the cloud id lookup was refused and renewed; every later call went with the new token at once
    assert [r["headers"]["authorization"] for r in site.requests] == (
        ["Bearer oauth-expired"] + [f"Bearer {OAUTH}"] * 3)
    assert site.requests[2]["path"] == f"/ex/jira/{CLOUD_ID}/rest/api/3/issue/PROJ-1"


def test_databricks_oauth_renews_at_the_workspace(workspace) -> None:
    from fake_databricks import USER_TOKEN

    board = ServiceFlow("data_databricks_provider_oauth", workspace_url=workspace.url, access_token="u2m-expired",
                        refresh_token=TokenEndpoint.REFRESH_TOKEN, **CLIENT)
    jobs = board.step("data_databricks_list_jobs")
    assert board.outputs(board.run(), jobs)["count"] == 3
    assert len(workspace.oauth.calls) == 1 and workspace.requests[-1]["headers"]["authorization"] == (
        f"Bearer {USER_TOKEN}")
    board = ServiceFlow("data_databricks_provider_oauth", workspace_url=workspace.url, access_token="u2m-expired",
                        refresh_token="stale", **CLIENT)
    message = error_of(board, board.step("data_databricks_list_jobs"))
    assert message == (f"the access token was refused and renewing it at {workspace.url}/oidc/v1/token failed "
                       "(status 400): invalid_grant: Token has been expired or revoked.")


def test_notion_renews_with_json_and_basic_auth(ns) -> None:
    board = ServiceFlow("data_notion_provider_oauth", access_token="ntn_expired", base_url=ns.url,
                        refresh_token=TokenEndpoint.REFRESH_TOKEN, **CLIENT)
    found = board.step("data_notion_search", query="ship")
    assert board.outputs(board.run(), found)["count"] >= 1
    assert ns.state.oauth.calls == [{"grant_type": "refresh_token", "refresh_token": TokenEndpoint.REFRESH_TOKEN,
                                     "basic": f"{TokenEndpoint.CLIENT_ID}:{TokenEndpoint.CLIENT_SECRET}"}]


def test_linkedin_renews_and_a_refused_refresh_fires_error(li) -> None:
    from fake_linkedin import MEMBER

    def linkedin(refresh_token: str) -> ServiceFlow:
        return ServiceFlow("data_linkedin_provider_oauth", access_token="AQV_expired", base_url=li.url,
                           refresh_token=refresh_token, token_url=f"{li.url}/oauth/v2/accessToken", **CLIENT)

    board = linkedin(TokenEndpoint.REFRESH_TOKEN)
    me = board.step("data_linkedin_get_me")
    assert board.outputs(board.run(), me)["sub"] == MEMBER and len(li.state.oauth.calls) == 1
    board = linkedin("stale")
    assert error_of(board, board.step("data_linkedin_get_me")).endswith(
        "(status 400): invalid_grant: Token has been expired or revoked.")


def test_parallel_branches_refused_at_once_renew_once(gs) -> None:
    board = expired_google(gs.url)
    each = board.flow.step("control_par_for_each", array=[1, 2, 3, 4])
    listed = board.flow.add("data_google_drive_list_files", provider=(board.provider, "provider"))
    board.flow.wire(each, "exec_out", listed, "exec_in")
    run = board.run()
    assert run.executions(listed.id) == 4
    assert len(gs.state.oauth.calls) == 1  # the other three branches took the renewed token
