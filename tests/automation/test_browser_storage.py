"""Cookies (to a file and back), basic auth, and local and session storage."""

from __future__ import annotations

import json

from flowlike_core.policy import Policy


def test_cookies_saved_cleared_and_loaded_again(steps, site, tmp_path) -> None:
    jar = tmp_path / "jar" / "cookies.json"
    s = steps()
    s.step("browser_goto", url=f"{site}/set-cookie")
    saved = s.step("browser_save_cookies", file_path={"path": str(jar)})
    s.step("browser_clear_cookies")
    s.step("browser_goto", url=f"{site}/cookies")
    cleared = s.step("browser_get_text", selector="#sent")
    loaded = s.step("browser_load_cookies", file_path={"path": str(jar)})
    s.step("browser_reload")
    sent = s.step("browser_get_text", selector="#sent")
    run = s.ok()
    assert run.output(saved.id, "cookie_count") == 1
    [cookie] = json.loads(jar.read_text())
    assert (cookie["name"], cookie["value"], cookie["domain"], cookie["path"]) == ("flavour", "oat", "127.0.0.1", "/")
    assert cookie["expiry"] is None  # a session cookie
    assert run.output(cleared.id, "text") == ""
    assert run.output(loaded.id, "cookie_count") == 1
    assert run.output(sent.id, "text") == "flavour=oat"


def test_cookies_without_domain_go_to_the_page_and_a_bad_file_fires_error(steps, site, tmp_path) -> None:
    jar = tmp_path / "cookies.json"
    jar.write_text(json.dumps([{"name": "a", "value": "1"}, {"name": "b", "value": "2", "path": "/"}]))
    (tmp_path / "broken.json").write_text("{not json")
    s = steps()
    s.step("browser_goto", url=f"{site}/cookies")
    loaded = s.step("browser_load_cookies", file_path={"path": str(jar)})
    s.step("browser_reload")
    sent = s.step("browser_get_text", selector="#sent")
    missing = s.step("browser_load_cookies", file_path={"path": str(tmp_path / "none.json")})
    said = s.on(missing, "exec_error", "missing file")
    broken = s.add("browser_load_cookies", file_path={"path": str(tmp_path / "broken.json")})
    s.wire(missing, "session_out", broken, "session")
    s.chain(said, broken)  # an exec output leads to one place
    s.on(broken, "exec_error", "broken file")
    run = s.ok()
    assert run.output(loaded.id, "cookie_count") == 2
    assert run.output(sent.id, "text") == "a=1; b=2"
    assert run.output(missing.id, "cookie_count") == 0
    assert [m for m in s.said(run) if m.endswith(" file")] == ["missing file", "broken file"]
    messages = [line.message for line in run.logs()]
    assert any("cannot load cookies from" in m and "none.json" in m for m in messages)


def test_basic_auth_answers_the_server(steps, site) -> None:
    s = steps()
    refused = s.step("browser_goto", url=f"{site}/private")
    auth = s.add("browser_set_basic_auth", username="ada", password="lovelace")
    s.wire(refused, "auto_handle_error", auth, "exec_in")  # headless Chromium gives up on a challenge it cannot answer
    s.wire(s.opened, "session_out", auth, "session")  # a failed step hands on no session
    s.last, s.session = auth, (auth, "session_out")
    s.step("browser_goto", url=f"{site}/private")
    welcome = s.step("browser_get_text", selector="#who")
    s.step("browser_set_basic_auth", username="")
    again = s.step("browser_reload")
    s.on(again, "auto_handle_error", "refused again")
    run = s.ok()
    assert "ERR_INVALID_AUTH_CREDENTIALS" in run.output(refused.id, "auto_handle_error_string")
    assert run.output(welcome.id, "text") == "welcome ada"
    assert "refused again" in s.said(run)


def test_local_and_session_storage(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/")
    s.step("browser_set_local_storage", key="k", value="it's \"quoted\"")
    s.step("browser_set_local_storage", key="n", value="2")
    s.step("browser_set_session_storage", key="s", value="1")
    got = s.step("browser_get_local_storage", key="k")
    absent = s.step("browser_get_local_storage", key="nope")
    in_session = s.step("browser_get_session_storage", key="s")
    local = s.step("browser_get_all_storage")
    session = s.step("browser_get_all_storage", storage_type="session")
    s.step("browser_clear_storage", clear_session=False)
    local_after = s.step("browser_get_all_storage")
    session_after = s.step("browser_get_all_storage", storage_type="session")
    s.step("browser_clear_storage")
    emptied = s.step("browser_get_all_storage", storage_type="session")
    run = s.ok()
    assert (run.output(got.id, "value"), run.output(got.id, "exists")) == ("it's \"quoted\"", True)
    assert (run.output(absent.id, "value"), run.output(absent.id, "exists")) == ("", False)
    assert (run.output(in_session.id, "value"), run.output(in_session.id, "exists")) == ("1", True)
    assert (run.output(local.id, "data"), run.output(local.id, "count")) == ({"k": "it's \"quoted\"", "n": "2"}, 2)
    assert run.output(session.id, "data") == {"s": "1"}
    assert (run.output(local_after.id, "count"), run.output(session_after.id, "count")) == (0, 1)
    assert run.output(emptied.id, "count") == 0


def test_a_run_policy_keeps_cookie_files_and_browsers_in_bounds(steps, site, tmp_path) -> None:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    s = steps()
    s.step("browser_goto", url=f"{site}/set-cookie")
    inside = s.step("browser_save_cookies", file_path={"path": str(allowed / "jar.json")})
    outside = s.step("browser_save_cookies", file_path={"path": str(tmp_path / "jar.json")})
    run = s.run(Policy.of(["network", "processes"], paths=[allowed]))
    assert run.output(inside.id, "cookie_count") == 1 and (allowed / "jar.json").exists()
    assert run.error_node == outside.id and "outside the store and the allowed paths" in run.error
    assert not (tmp_path / "jar.json").exists()
    run = steps().run(Policy.of(["network"]))
    assert "processes" in run.error
