"""A third party's pack, as catalog/README.md tells one to write and ship it: a distribution on the path whose
`flowlike.packs` entry point names a `Pack`. Its mistakes fail where they are made, naming what and where; a pack
that cannot load, or that reuses another pack's key, never breaks the other packs or the boards that use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import warnings
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from flowlike_core import pack_index
from flowlike_core.errors import UnknownNodeError
from flowlike_core.registry import ENTRY_POINT_GROUP, PackWarning, Registry

MADE: list[str] = []


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`site(name, source)`: installs a distribution `NAME` (module NAME, entry point NAME = "NAME:PACK") into a
    folder on sys.path, as pip would lay it out; returns the installed entry points of those packs."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def install(name: str, source: str) -> None:
        (folder / f"{name}.py").write_text(textwrap.dedent(source))
        info = folder / f"{name}-0.1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n")
        (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{name} = {name}:PACK\n")
        MADE.append(name)

    yield install
    for name in MADE:
        sys.modules.pop(name, None)
    MADE.clear()


def installed(*names: str) -> list[EntryPoint]:
    return [entry for entry in entry_points(group=ENTRY_POINT_GROUP) if entry.name in names]


def one_node(key: str, body: str = "return 1", own: str = "") -> str:
    """A pack module with a node `key` and, given `own`, a second node of that key."""
    second = f"@node\ndef {own}() -> int:\n    'Its own.'\n    return 0\n" if own else ""
    return textwrap.dedent(f"""
        import sys
        from flowlike_core import Pack, node

        @node
        def {key}() -> int:
            "One node."
            {body}

    """) + second + "\nPACK = Pack(__name__, modules=[sys.modules[__name__]])\n"


def test_a_pack_that_fails_to_load_is_left_out_and_named(site):
    site("tp_good", one_node("tp_good_node"))
    site("tp_broken", """
        from flowlike_core import Pack
        import json
        json.loads("{not json")
        PACK = Pack("tp_broken")
    """)
    registry = Registry(entries=installed("tp_good", "tp_broken"))
    with pytest.warns(PackWarning) as caught:
        assert registry.get("tp_good_node").pack == "tp_good"  # tp_broken loads first (name order) and fails
    message = str(caught[0].message)
    assert "pack 'tp_broken' (tp_broken:PACK, distribution tp_broken 0.1.0) could not be loaded" in message
    assert "JSONDecodeError: Expecting property name" in message and "tp_broken.py:4" in message
    assert (Path(caught[0].filename).name, caught[0].lineno) == ("tp_broken.py", 4)  # shown at the pack's line
    with pytest.raises(UnknownNodeError, match="unknown node type 'tp_broken_node'.*pack 'tp_broken'.*JSONDecode"):
        registry.get("tp_broken_node")
    assert [t.name for t in registry] == ["tp_good_node"]
    assert not pack_index.index_path().exists()  # the index is made of every pack, once every pack loads


def test_a_pack_with_a_syntax_error_is_named_at_its_line(site):
    site("tp_typo", "import sys\nfrom flowlike_core import Pack\nPACK = Pack('tp_typo', modules=[]")
    with pytest.warns(PackWarning, match=r"pack 'tp_typo' .* SyntaxError: .* at .*tp_typo.py:3") as caught:
        assert len(Registry(entries=installed("tp_typo"))) == 0
    assert (Path(caught[0].filename).name, caught[0].lineno) == ("tp_typo.py", 3)


def test_a_key_two_packs_define_is_the_first_packs_whichever_board_asks_first(site):
    shared = "tp_shared"
    site("tp_first", one_node(shared, "return 1", own="tp_first_only"))
    site("tp_second", one_node(shared, "return 2", own="tp_second_only"))
    entries = installed("tp_first", "tp_second")
    with pytest.warns(PackWarning, match=r"pack 'tp_second' also defines node type 'tp_shared' \(.*tp_second.py:5\)"
                                         r", which pack 'tp_first' provides: boards get 'tp_first''s"):
        registry = Registry(entries=entries)
        assert [t.name for t in registry] == ["tp_first_only", shared, "tp_second_only"]
    assert registry.get(shared).func() == 1
    index = {"tp_first": ["tp_first_only", shared], "tp_second": ["tp_second_only"]}
    assert json.loads(pack_index.index_path().read_text())["keys"] == index

    for name in ("tp_first", "tp_second"):
        sys.modules.pop(name)
    registry = Registry(entries=entries)
    with pytest.warns(PackWarning, match="also defines node type 'tp_shared'"):
        registry.get("tp_second_only")  # the index names tp_second: the pack holding its other key loads first
    assert registry.get(shared).func() == 1 and registry.get(shared).pack == "tp_first"
    assert json.loads(pack_index.index_path().read_text())["keys"] == index  # not remade while tp_second loaded


def test_a_key_a_changed_pack_now_shares_is_still_the_first_packs(site, tmp_path):
    """An edit gives tp_first a key the index names tp_second for: tp_first, first in load order, still gets it."""
    site("tp_first", one_node("tp_first_only"))
    site("tp_second", one_node("tp_shared", "return 2", own="tp_second_only"))
    entries = installed("tp_first", "tp_second")
    assert len(Registry(entries=entries)) == 3  # the index: tp_shared is tp_second's
    module = tmp_path / "site" / "tp_first.py"
    module.write_text(textwrap.dedent(one_node("tp_shared", "return 1", own="tp_first_only")))
    later = module.stat().st_mtime_ns + 10**9
    os.utime(module, ns=(later, later))  # an editable install: same version, newer source
    for name in ("tp_first", "tp_second"):
        sys.modules.pop(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PackWarning)  # (tp_second's tp_shared is left out, as always)
        assert Registry(entries=entries).get("tp_shared").pack == "tp_first"


def test_std_keeps_its_keys(site):
    site("tp_clamp", one_node("int_clamp", "return -1"))
    registry = Registry(entries=installed("std", "tp_clamp"))
    with pytest.warns(PackWarning, match="pack 'tp_clamp' also defines node type 'int_clamp'.*pack 'std' provides"):
        assert registry.get("int_clamp").pack == "std" and len(registry)
    assert registry.get("int_clamp").func(5, 0, 3) == 3


def test_a_node_without_a_docstring_loads_with_a_warning_that_names_it(site):
    site("tp_terse", """
        import sys
        from flowlike_core import Pack, node

        @node
        def tp_terse_node(x: int = 1) -> int:
            return x

        PACK = Pack("tp_terse", modules=[sys.modules[__name__]])
    """)
    with pytest.warns(PackWarning, match=r"node type 'tp_terse_node' of pack 'tp_terse' \(.*tp_terse.py:5\) has no "
                                         r"description.*give the function a docstring"):
        assert Registry(entries=installed("tp_terse")).get("tp_terse_node").func() == 1


def test_a_clean_pack_loads_without_a_warning(site):
    site("tp_clean", one_node("tp_clean_node"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(Registry(entries=installed("tp_clean"))) == 1


LABTOOLS = {
    "__init__.py": """
        from flowlike_core import Pack

        from labtools import control, stats

        PACK = Pack("labtools", modules=[stats, control], description="Small lab helpers")
    """,
    "stats.py": """
        from pathlib import Path
        from typing import Annotated, NamedTuple

        from pydantic import BaseModel

        from flowlike_core import Pin, node

        CATEGORY = "Lab"


        class Measurement(BaseModel):
            sample: str
            grams: float


        class Summary(NamedTuple):
            mean: float
            count: Annotated[int, Pin(description="How many values")]


        @node
        def lab_summary(values: list[float], scale: Annotated[float, Pin(range=(0, 10))] = 1.0) -> Summary:
            "Mean and count of the values."
            return Summary(scale * sum(values) / len(values), len(values))


        @node(exec_pins=True)
        def lab_read_numbers(path: Path) -> list[float]:
            "Reads one number per line."
            return [float(line) for line in path.read_text().split()]


        @node
        def lab_heavier(first: Measurement, second: Measurement) -> Annotated[str, Pin(name="sample")]:
            "The sample that weighs more."
            return max(first, second, key=lambda m: m.grams).sample
    """,
    "control.py": """
        from flowlike_core import Context, DataType, NodeType, data_in, exec_in, exec_out

        CATEGORY = "Lab"


        class OverLimit(NodeType):
            name = "lab_over_limit"
            friendly_name = "Over Limit"
            description = "Follows Over when the value exceeds the limit, else Under."
            pins = (exec_in(), data_in("value", DataType.FLOAT, default=0.0),
                    data_in("limit", DataType.FLOAT, default=1.0), exec_out("over", "Over"),
                    exec_out("under", "Under"))

            def run(self, ctx: Context, *, value: float, limit: float) -> None:
                ctx.activate("over" if value > limit else "under")
    """,
}


def test_an_installed_third_party_pack_runs_its_board_from_the_command_line(tmp_path: Path, monkeypatch):
    """The guide's whole path: a package with the entry point, a board saved with its nodes, `flowlike run`."""
    from flowlike_core import Board, commands

    folder = tmp_path / "site"
    (folder / "labtools").mkdir(parents=True)
    for name, source in LABTOOLS.items():
        (folder / "labtools" / name).write_text(textwrap.dedent(source))
    info = folder / "flowlike_labtools-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: flowlike-labtools\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nlabtools = labtools:PACK\n")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("1.5\n2.5\n4.0\n")
    registry = Registry(entries=installed("std", "labtools"))

    board = Board(name="lab")
    nodes = {
        "start": ("events_simple", {}),
        "read": ("lab_read_numbers", {"path": str(numbers)}),
        "summary": ("lab_summary", {"scale": 2.0}),
        "limit": ("lab_over_limit", {"limit": 5.0}),
        "over": ("log_info", {}),
        "under": ("log_info", {"message": "under"}),
        "failed": ("log_error", {}),
        "heavier": ("lab_heavier", {"first": {"sample": "a", "grams": 1.0}, "second": {"sample": "b", "grams": 3.0}}),
        "show": ("log_info", {}),
    }
    added = {label: board.apply(commands.AddNode(registry.get(key).create(friendly_name=label, **defaults)))
             for label, (key, defaults) in nodes.items()}
    wires = ["start.exec_out read.exec_in", "read.result summary.values", "read.exec_out limit.exec_in",
             "summary.mean limit.value", "limit.over over.exec_in", "limit.under under.exec_in",
             "summary.count over.message", "over.exec_out show.exec_in", "heavier.sample show.message",
             "read.auto_handle_error failed.exec_in", "read.auto_handle_error_string failed.message"]
    for wire in wires:
        (source, out), (target, inp) = (end.split(".") for end in wire.split())
        board.apply(commands.Connect(added[source].id, out, added[target].id, inp))
    path = board.save(tmp_path / "lab.board.json")

    label = {node.id: node.friendly_name for node in board.nodes.values()}

    def flowlike_run() -> tuple[int, list[tuple[str, str]]]:
        """Exit status and the (node, message) log lines of `flowlike run --json`."""
        command = [sys.executable, "-m", "flowlike_core.cli", "run", str(path), "--json", "--no-history"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(folder)})
        assert "PackWarning" not in done.stderr
        traces = json.loads(done.stdout)["traces"]
        return done.returncode, [(label[line["node_id"]], line["message"]) for t in traces for line in t["logs"]]

    assert flowlike_run() == (0, [("over", "3"), ("show", "b")])  # mean 2 * 8 / 3 = 5.33 > 5: Over
    numbers.unlink()
    code, logs = flowlike_run()
    assert code == 0 and [node for node, _ in logs] == ["failed"]
    assert "FileNotFoundError" in logs[0][1] and str(numbers) in logs[0][1]
