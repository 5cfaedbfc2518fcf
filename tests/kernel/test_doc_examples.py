"""The examples of README.md and docs/ run as written, in a notebook's shell or through `flowlike`, so the front
door cannot drift from the product (the debugging guide's block is run by test_debugging.py, the node guide's
are checked against the std pack by tests/core/test_readme_copies.py)."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import fsspec
import pytest
from IPython.core.interactiveshell import InteractiveShell
from module_examples import run_module_example

import flowlike_nb as fnb
from flowlike_core import storage
from flowlike_core.cli import main
from flowlike_nb.kernel import papermill

ROOT = Path(__file__).resolve().parents[2]


def blocks(document: str, language: str = "python") -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", (ROOT / document).read_text(encoding="utf-8"), re.S)


def run_cell(shell: InteractiveShell, code: str) -> None:
    result = shell.run_cell(code)
    assert result.success, f"{code}\n-> {result.error_before_exec or result.error_in_exec!r}"


def commands(block: str) -> list[list[str]]:
    """Each `flowlike ...` line of a shell block as arguments: comments cut, `[--option]` taken."""
    lines = [line.split("  #", 1)[0].replace("[", "").replace("]", "") for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("flowlike ")]


def test_the_readme_opening_example_logs_its_line(shell: InteractiveShell) -> None:
    run_cell(shell, blocks("README.md")[0])
    assert list(shell.user_ns["board"].last_run.log_table()["message"]) == ["hello, notebook"]


def test_the_readme_node_example_is_a_node_type() -> None:
    namespace: dict = {}
    exec(compile(blocks("README.md")[1], "README.md", "exec", dont_inherit=True), namespace)
    describe = namespace["describe"]
    assert describe.func([1.0, 2.0, 3.0]) == (2.0, pytest.approx(0.8165, abs=1e-4))
    outputs = [pin.to_pin(0) for pin in describe.pins if pin.direction == "Output"]
    assert [(pin.name, pin.friendly_name) for pin in outputs] == [("mean", "Mean"), ("spread", "Standard Deviation")]


def test_the_notebook_guide_its_magics_and_the_storage_guide_run_in_one_notebook(
        shell: InteractiveShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_cell(shell, blocks("docs/notebook.md")[0])
    assert shell.user_ns["scaled"] == [10.0, 20.0, 30.0]
    assert shell.user_ns["board"](factor=3) is None  # no Return Result node: a board's result is None
    shell.user_ns["board"].save("x.board.json")
    text = re.sub(r"\s+", " ", (ROOT / "docs" / "notebook.md").read_text(encoding="utf-8"))
    magics = re.findall(r"`(%(?:load_ext|flowlike) [^`]+)`", text)
    assert len(magics) >= 8, magics
    for line in magics:
        run_cell(shell, line)
    assert shell.user_ns["out"] == [3.0, 6.0, 9.0]
    try:
        run_cell(shell, blocks("docs/storage.md")[0])
    finally:
        storage.stop_recording()
        fsspec.filesystem("memory").rm("/nb", recursive=True)
    old, new = shell.user_ns["old"].id, shell.user_ns["new"].id
    assert [str(change) for change in shell.user_ns["store"].runs.diff(old, new)] == ["~ variable factor: 3.0 -> 4.0"]


def test_the_apps_guide_makes_an_app_and_chats(shell: InteractiveShell) -> None:
    run_cell(shell, blocks("docs/notebook.md")[0])
    block = blocks("docs/apps.md")[0]
    run_cell(shell, block)
    assert shell.user_ns["app"].board is shell.user_ns["board"]
    assert block.rstrip().endswith(f"# {shell.user_ns['chat'].history}")


def test_the_editor_guide_opens_and_runs_the_notebook_board(
        shell: InteractiveShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_cell(shell, blocks("docs/notebook.md")[0])
    run_cell(shell, blocks("docs/editor.md")[0])
    editor = shell.user_ns["editor"]
    assert editor.last_run.status.value == "Success" and editor.path == "demo.board.json"


def test_the_run_guide_listener_hears_every_node(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict = {"__name__": "runs_md"}
    exec(compile(blocks("docs/runs.md")[0], "runs.md", "exec", dont_inherit=True), namespace)
    run = namespace["run"]
    assert (run.status.value, run.result) == ("Success", 17)
    assert len(capsys.readouterr().out.splitlines()) == len(run.traces) == 31  # pure nodes too


def test_the_packs_guide_queries_the_shipped_csv(shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    block = blocks("docs/packs.md")[0]
    run_cell(shell, block)
    rows = shell.user_ns["sql"].last_run.outputs["by region"].table.num_rows
    assert block.rstrip().endswith(f"# {rows} regions")


def test_the_incremental_guide_reruns_only_what_the_edit_reaches(shell: InteractiveShell, capsys) -> None:
    run_cell(shell, blocks("docs/incremental.md")[0])
    said = capsys.readouterr().out
    assert re.search(r"'total' \(\w+\) ran: input 'b' changed \(upstream node 'right' \(\w+\) changed\)", said), said
    run = shell.user_ns["run"]
    assert run.why("left").cached and not run.why("right").cached


def test_the_command_line_guide_runs_as_written(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    board = "notebooks/boards/fails_on_purpose.board.json"
    codes = []
    for argv in commands(blocks("docs/cli.md", "bash")[0]):
        if argv[0] == "runs" and "RUN" in argv:
            capsys.readouterr()
            assert main(["runs", "--json"]) == 0
            ids = re.findall(r'^    "id": "(\w+)"', capsys.readouterr().out, re.M)
            argv = [*argv[:1], *ids[:argv.count("RUN")]]
        argv = [board if word == "BOARD" else "fails-on-purpose" if word == "NAME" else word for word in argv]
        codes.append(main(argv))
        assert capsys.readouterr().out, argv
    assert codes == [0, 1, 0, 0, 0, 0, 0, 0]


def test_the_flowlike_guide_round_trips_a_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Its one-board commands, export first (there is no Flow-Like file to start from here)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my.board.json").write_bytes((ROOT / "notebooks/boards/loop_and_branch.board.json").read_bytes())
    shown = commands(blocks("docs/flowlike.md", "bash")[0])
    export, to_ours, run = (next(argv for argv in shown if argv[0] == word and "my.board" in argv)
                            for word in ("export", "import", "run"))
    assert main(export) == 0 and (tmp_path / "my.board").stat().st_size > 0
    assert main(to_ours) == 0 and '"mapped": 13' in capsys.readouterr().out
    assert main([word.replace("NODE", "start") for word in run]) == 0
    assert "result: 17" in capsys.readouterr().out
    namespace = {"fnb": fnb}
    exec(compile(blocks("docs/flowlike.md")[0], "flowlike.md", "exec", dont_inherit=True), namespace)
    report = namespace["board"].import_report
    assert (report.nodes, report.mapped, report.placeholders) == (13, 13, [])


def test_the_benchmark_guide_lists_every_benchmark() -> None:
    listed = re.findall(r"benchmarks/(\w+\.py)", blocks("docs/benchmarks.md", "bash")[0])
    assert sorted(listed) == sorted(path.name for path in (ROOT / "benchmarks").glob("bench_*.py"))


def test_the_readme_stays_a_front_door() -> None:
    """The example, the two commands and where to read on fit on a screen or two; reference text goes to docs/."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines: move reference text into a guide in docs/"
    assert lines.index("## Two commands") < 30


def test_the_readme_names_every_extra_and_the_light_engine() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    text = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
    extras = set(re.findall(r"`\[([\w-]+)\]`", text))
    assert extras == set(project["optional-dependencies"]) - {"test", "bench"}
    light = re.search(r"gives the light engine \(([^)]*)\)", text).group(1).split(", ")
    assert light == [re.split(r"[<>=\[ ]", requirement)[0] for requirement in project["dependencies"]]


def test_the_readme_links_every_guide() -> None:
    linked = set(re.findall(r"\]\(docs/(\w+\.md)\)", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert linked == {path.name for path in (ROOT / "docs").glob("*.md")}


def test_the_readme_links_lead_to_files() -> None:
    for document in ["README.md", "catalog/README.md", *(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))]:
        text = (ROOT / document).read_text(encoding="utf-8")
        for target in re.findall(r"\]\((?!https?:)([^)#]+)\)", text):
            assert ((ROOT / document).parent / target).exists(), f"{document}: {target}"


def test_the_notebook_modules_open_with_examples_that_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_module_example("flowlike_nb")["board"].last_run.ok
    assert list(run_module_example("flowlike_nb.kernel")["board"].last_run.log_table()["message"]) == ["HI!"]
    board = run_module_example("flowlike_nb.widgets")["board"]
    assert board.core.nodes and board.editor().board is board.core
    monkeypatch.chdir(ROOT)
    shown = papermill.parameters(run_module_example("flowlike_nb.kernel.papermill")["board"])
    assert f"# {shown}: each one a" in (papermill.__doc__ or "")
