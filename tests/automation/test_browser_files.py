"""Downloads into folders (waited for, named as Chrome names them) and uploads through file inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_a_download_waits_for_the_folder_a_wait_names(steps, site, tmp_path) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/files")
    s.step("browser_trigger_download", selector="#dl")
    got = s.step("browser_wait_for_download", download_dir={"path": str(tmp_path / "in")}, file_pattern="*.csv",
                 timeout_ms=20000)
    run = s.ok()
    path = Path(run.output(got.id, "downloaded_file").path)
    assert path == tmp_path / "in" / "report.csv"
    assert path.read_text() == "a,b\n1,2\n"


def test_downloads_go_to_the_download_dir_with_free_names(steps, site, tmp_path) -> None:
    folder = tmp_path / "downloads"
    (tmp_path / "elsewhere").mkdir()
    s = steps()
    s.step("browser_set_download_dir", download_path={"path": str(folder)})
    s.step("browser_goto", url=f"{site}/files")
    s.step("browser_trigger_download", selector="#dl")
    first = s.step("browser_wait_for_download", download_dir={"path": str(folder)}, file_pattern="report",
                   timeout_ms=20000)
    s.step("browser_trigger_download", selector="#dl")
    second = s.step("browser_wait_for_download", download_dir={"path": str(folder)}, timeout_ms=20000)
    none = s.step("browser_wait_for_download", download_dir={"path": str(tmp_path / "elsewhere")}, timeout_ms=100)
    s.on(none, "exec_timeout", "no download")
    run = s.ok()
    assert Path(run.output(first.id, "downloaded_file").path) == folder / "report.csv"
    assert Path(run.output(second.id, "downloaded_file").path) == folder / "report (1).csv"
    assert sorted(p.name for p in folder.iterdir()) == ["report (1).csv", "report.csv"]
    assert s.said(run) == ["no download"]


def test_a_wait_sees_new_files_from_elsewhere(steps, site, tmp_path, chromium_endpoint, late_download,
                                              monkeypatch) -> None:
    from flowlike_catalog.automation.browser_files import WaitForDownload

    looked = WaitForDownload.arrived

    async def first_look_lets_the_download_go(*args: Any) -> Any:
        late_download.set()  # the file is sent once the wait has seen the folder without it
        return await looked(*args)

    monkeypatch.setattr(WaitForDownload, "arrived", staticmethod(first_look_lets_the_download_go))
    folder = tmp_path / "shared"
    s = steps()
    other = s.add("automation_start_session")  # a second session with a browser of its own
    s.chain(s.last, other)
    s.last, s.session = other, (other, "session")
    watcher = s.step("browser_open", webdriver_url=chromium_endpoint)
    s.session = (s.opened, "session_out")
    s.step("browser_set_download_dir", download_path={"path": str(folder)})
    s.step("browser_goto", url=f"{site}/files")
    s.step("browser_trigger_download", selector="#late")
    s.session = (watcher, "session_out")
    got = s.step("browser_wait_for_download", download_dir={"path": str(folder)}, timeout_ms=20000)
    run = s.ok()
    assert Path(run.output(got.id, "downloaded_file").path) == folder / "late.txt"
    assert (folder / "late.txt").read_text() == "late\n"


def test_a_failed_trigger_fires_error(steps, site) -> None:
    s = steps(page_load_timeout=3)  # the page loads within it on a busy machine (0.5 s seen); #nowhere waits it out
    s.step("browser_goto", url=f"{site}/files")
    trigger = s.step("browser_trigger_download", selector="#nowhere")
    s.on(trigger, "exec_error", "no link")
    run = s.ok()
    assert s.said(run)[-1] == "no link"


def test_uploads_set_files_on_inputs(steps, site, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("alpha")
    (tmp_path / "b.txt").write_text("beta")
    s = steps()
    s.step("browser_goto", url=f"{site}/files")
    s.step("browser_upload_file", selector="#one", file_path=str(tmp_path / "a.txt"))
    one = s.step("browser_wait_for", selector="#names:has-text('a.txt=alpha')", timeout_ms=20000)
    many = s.step("browser_upload_multiple_files", selector="#many")
    s.feed(many, file_paths=[str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    both = s.step("browser_wait_for", selector="#names:has-text('a.txt=alpha;b.txt=beta')", timeout_ms=20000)
    missing = s.step("browser_upload_file", selector="#one", file_path=str(tmp_path / "none.txt"))
    s.on(missing, "exec_error", "no such file")
    run = s.ok()
    assert (run.output(one.id, "found"), run.output(both.id, "found")) == (True, True)
    assert run.output(many.id, "uploaded_count") == 2
    assert s.said(run)[-1] == "no such file"
    assert any("no file at" in line.message and "none.txt" in line.message for line in run.logs())


def test_debug_mode_counts_the_files_an_upload_sets(steps, site, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("alpha")
    s = steps(session={"debug_mode": True})
    s.step("browser_goto", url=f"{site}/files")
    s.step("browser_upload_file", selector="#one", file_path=str(tmp_path / "a.txt"))
    run = s.ok()
    assert f"browser: upload 1 file to #one on {site}/files" in [line.message for line in run.logs()]
