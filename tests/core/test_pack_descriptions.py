"""The packs' node descriptions kept beside the pack index: `flowlike catalog` and the palette read them instead of
importing every pack, and what they show is what importing the packs shows, whatever changed since (a pack edited
on disk, the engine, a corrupt or unwritable cache)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import flowlike_catalog
import pytest

import flowlike_core
from flowlike_core import pack_descriptions
from flowlike_core.pack_index import PackIndexWarning
from flowlike_core.registry import ENTRY_POINT_GROUP, Registry
from flowlike_core.search import as_json

PACKS = ("dx_alpha", "dx_beta", "dx_gamma")
MODULE = """
    import sys
    from typing import Annotated
    from flowlike_core import Pack, Pin, node

    @node(synonyms=("{name} word",))
    def {name}_node(times: Annotated[int, Pin(description="How often.")] = 2) -> int:
        '''{text}'''
        return times

    @node
    def dx_shared() -> int:
        '''Defined by every pack: the first in load order keeps it.'''
        return 1

    PACK = Pack("{name}", modules=[sys.modules[__name__]])
"""
BETA_LOADED = ["dx_alpha", "dx_beta"]
"""What loading beta imports: alpha too, which comes first in load order and has beta's `dx_shared`."""


@pytest.fixture
def entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[EntryPoint]:
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pack_descriptions, "STARTED", 2**62)  # (sources written by the test itself count as old)
    for name in PACKS:
        write(tmp_path, name, "Answers.")
    yield [EntryPoint(name, f"{name}:PACK", ENTRY_POINT_GROUP) for name in PACKS]
    forget()


def write(folder: Path, name: str, text: str, pins: str = "") -> None:
    module = folder / f"{name}.py"
    source = textwrap.dedent(MODULE.format(name=name, text=text))
    module.write_text(source.replace("= 2)", f"= 2{pins})") if pins else source)
    later = module.stat().st_mtime_ns + 10**9  # (seen even where file times are coarse)
    os.utime(module, ns=(later, later))


def loaded() -> list[str]:
    return [name for name in PACKS if name in sys.modules]


def forget() -> None:
    for name in PACKS:
        sys.modules.pop(name, None)


def catalog_json(registry: Registry, text: str = "") -> str:
    """What `flowlike catalog --json` prints, from the cached descriptions where they hold."""
    return as_json(registry.described(text))


def imported_json(entries: list[EntryPoint], text: str = "") -> str:
    """The same, from the imported packs' types."""
    return json.dumps([node_type.describe() for node_type in Registry(entries=entries).search(text)], indent=2)


def test_the_catalog_read_from_the_cache_is_the_one_the_imported_packs_give(entries):
    expected, searched = imported_json(entries), imported_json(entries, "alpha word")
    forget()
    assert catalog_json(Registry(entries=entries)) == expected  # no cache yet: the packs load, and are kept
    assert loaded() == list(PACKS)
    forget()
    registry = Registry(entries=entries)
    assert catalog_json(registry) == expected
    assert catalog_json(registry, "alpha word") == searched
    assert catalog_json(registry, "no such word") == "[]"
    assert loaded() == [], "every pack unchanged: none is imported"
    shared = [entry.description for entry in registry.described("shared")]
    assert [entry["pack"] for entry in shared] == ["dx_alpha"]
    assert registry.get("dx_beta_node").pack == "dx_beta" and "dx_gamma" not in loaded()  # a board gets its types


def test_the_real_packs_catalog_is_the_same_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pack_descriptions, "STARTED", 2**62)
    installed = list(entry_points(group=ENTRY_POINT_GROUP))
    expected = imported_json(installed)
    first = Registry(entries=installed)
    assert catalog_json(first) == expected
    again = Registry(entries=installed)
    assert catalog_json(again) == expected
    assert catalog_json(again, "branch") == imported_json(installed, "branch")


def test_a_pack_edited_on_disk_shows_the_change_at_once(entries, tmp_path):
    catalog_json(Registry(entries=entries))
    write(tmp_path, "dx_beta", "Answers, edited.")
    forget()
    registry = Registry(entries=entries)
    (beta,) = [entry.description for entry in registry.described("dx_beta_node")]
    assert beta["description"] == "Answers, edited." and loaded() == BETA_LOADED
    write(tmp_path, "dx_gamma", "Answers.", pins=", more: str = ''")
    forget()
    assert catalog_json(Registry(entries=entries)) == imported_json(entries)
    (gamma,) = [entry.description for entry in Registry(entries=entries).described("dx_gamma_node")]
    assert "more" in [pin["name"] for pin in gamma["pins"]]


@pytest.mark.parametrize("corrupt", [lambda document: '{"key": [',
                                     lambda document: json.dumps({**document, "types": [[1, "x"]]})])
def test_a_corrupt_cache_is_said_and_the_catalog_is_right(entries, corrupt):
    expected = imported_json(entries)
    forget()
    catalog_json(Registry(entries=entries))
    path = pack_descriptions.path_of("dx_beta")
    path.write_text(corrupt(json.loads(path.read_text())))
    forget()
    with pytest.warns(PackIndexWarning, match="dx_beta.*cannot be read"):
        assert catalog_json(Registry(entries=entries)) == expected
    assert loaded() == BETA_LOADED
    forget()
    assert catalog_json(Registry(entries=entries)) == expected and loaded() == [], "made again"


def test_an_unwritable_cache_is_said_and_the_catalog_is_right(entries, tmp_path, monkeypatch):
    expected = imported_json(entries)
    forget()
    (tmp_path / "not-a-dir").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-dir"))
    with pytest.warns(PackIndexWarning, match="descriptions cannot be written .*not-a-dir"):
        assert catalog_json(Registry(entries=entries)) == expected


def test_a_change_of_the_engine_makes_every_pack_load_again(entries, monkeypatch):
    catalog_json(Registry(entries=entries))
    forget()
    monkeypatch.setattr(pack_descriptions, "engine", lambda: ["another engine"])
    assert catalog_json(Registry(entries=entries)) == imported_json(entries)
    assert loaded() == list(PACKS)


def test_the_engine_changes_with_its_source(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    package = tmp_path / "dx_engine"
    package.mkdir()
    (package / "__init__.py").write_text("")
    before = pack_descriptions.engine(packages=("dx_engine",))
    later = (package / "__init__.py").stat().st_mtime_ns + 10**9
    os.utime(package / "__init__.py", ns=(later, later))
    assert pack_descriptions.engine(packages=("dx_engine",)) != before
    assert pack_descriptions.engine() == pack_descriptions.engine()


def test_a_source_changed_since_the_process_started_is_not_kept(entries, monkeypatch):
    monkeypatch.setattr(pack_descriptions, "STARTED", 0)  # the code in memory may predate the edit
    assert catalog_json(Registry(entries=entries)) == imported_json(entries)
    assert not pack_descriptions.path_of("dx_alpha").exists()


def test_a_type_defined_in_code_is_listed_and_a_pack_keeps_its_key(entries):
    catalog_json(Registry(entries=entries))
    forget()
    from flowlike_core import node

    @node
    def dx_mine() -> int:
        """Mine."""
        return 3

    @node(name="dx_alpha_node")
    def not_alphas() -> int:
        """Loses to the pack's."""
        return 4

    registry = Registry(entries=entries)
    registry.register(dx_mine)
    registry.register(not_alphas)
    found = {entry.description["name"]: entry.description for entry in registry.described()}
    assert found["dx_mine"]["description"] == "Mine."
    assert found["dx_alpha_node"]["description"] == "Answers."


ROOT = Path(__file__).resolve().parents[2]
INSTALLED_FROM_WHEEL = Path(flowlike_catalog.__file__).parent != ROOT / "catalog"
LIST_THE_CATALOG = """
import json, sys
from flowlike_core.cli import main
status = main(["catalog", "--json"])
print(json.dumps(sorted(name for name in sys.modules if name.startswith("flowlike_catalog."))), file=sys.stderr)
sys.exit(status)
"""


@pytest.mark.skipif(not INSTALLED_FROM_WHEEL, reason="flowlike-nb is installed editable: its wheel's descriptions "
                                                     "are tested where CI installs the wheel")
def test_the_installed_wheel_lists_its_catalog_without_importing_a_pack(tmp_path):
    """The first `flowlike catalog` after an install (or after any pip install, which a kept description's key
    holds) reads the descriptions the wheel ships: no pack module is imported (their package's `__init__` is, to
    find where the packs are), and what it prints is what importing them gives."""
    listed = subprocess.run([sys.executable, "-c", LIST_THE_CATALOG], capture_output=True, text=True, check=True,
                            cwd=tmp_path, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "fresh-cache")})
    assert json.loads(listed.stderr.splitlines()[-1]) == []
    assert listed.stdout.rstrip("\n") == imported_json(list(entry_points(group=ENTRY_POINT_GROUP)))


class ShippedSite:
    """A folder on sys.path laid out as pip installs two wheels: dx-tools 1.0, whose package `dx_shipped` holds the
    packs dx_alpha, dx_beta, dx_gamma and the descriptions `pack_descriptions.ship` made of them, and the engine's
    distribution (dx-engine 3.0, standing for flowlike-nb, which is editable here), whose flowlike_core is the one
    imported."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        package = folder / "dx_shipped"
        package.mkdir()
        (package / "__init__.py").write_text("")
        for name in PACKS:
            (package / f"{name}.py").write_text(textwrap.dedent(MODULE.format(name=name, text="Answers.")))
        self.tools = self.dist_info("dx_tools", "1.0", "".join(f"{name} = dx_shipped.{name}:PACK\n"
                                                                for name in PACKS))
        self.engine = self.dist_info("dx_engine", "3.0", "")
        (folder / "flowlike_core").symlink_to(Path(flowlike_core.__file__).parent)  # (the engine it installed)
        self.paths = pack_descriptions.ship(folder, self.entries(), "dx-tools", "1.0")
        self.forget()

    def dist_info(self, name: str, version: str, packs: str) -> Path:
        info = self.folder / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{packs}")
        (info / "RECORD").write_text("")  # (pip lists the installed files there)
        return info

    def entries(self) -> list[EntryPoint]:
        return [entry for entry in entry_points(group=ENTRY_POINT_GROUP) if entry.value.startswith("dx_shipped.")]

    def loaded(self) -> list[str]:
        return sorted(name for name in sys.modules if name.startswith("dx_shipped."))

    def forget(self) -> None:
        for name in [name for name in sys.modules if name.partition(".")[0] == "dx_shipped"]:
            del sys.modules[name]

    def imported_json(self) -> str:
        expected = imported_json(self.entries())
        self.forget()
        return expected


@pytest.fixture
def shipped_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pack_descriptions, "ENGINE_DISTRIBUTION", "dx-engine")
    made = ShippedSite(folder)
    yield made
    made.forget()


def test_the_descriptions_a_wheel_ships_list_its_packs_without_importing_them(shipped_site):
    expected = shipped_site.imported_json()
    assert catalog_json(Registry(entries=shipped_site.entries())) == expected
    assert shipped_site.loaded() == []
    registry = Registry(entries=shipped_site.entries())
    assert catalog_json(registry, "alpha word") == imported_json(shipped_site.entries(), "alpha word")
    assert [entry.description["pack"] for entry in registry.described("shared")] == ["dx_alpha"]


def set_version(info: Path, version: str) -> None:
    """Another version of a distribution over the same files (a hand-made upgrade: the shipped files are stale)."""
    metadata = info / "METADATA"
    metadata.write_text(metadata.read_text().replace("Version: ", f"Version: {version}\nOld-Version: "))


@pytest.mark.parametrize("change", ["packs upgraded", "packs editable", "engine upgraded", "engine editable",
                                    "engine not installed", "engine shadowed", "built with another Python"])
def test_shipped_descriptions_are_not_trusted_for_other_sources(shipped_site, change, monkeypatch):
    edited = textwrap.dedent(MODULE.format(name="dx_beta", text="Answers, edited."))
    (shipped_site.folder / "dx_shipped" / "dx_beta.py").write_text(edited)  # (what was shipped is stale)
    editable = json.dumps({"url": "file:///src", "dir_info": {"editable": True}})
    if change == "packs upgraded":
        set_version(shipped_site.tools, "1.1")
    elif change == "packs editable":
        (shipped_site.tools / "direct_url.json").write_text(editable)
    elif change == "engine upgraded":
        set_version(shipped_site.engine, "3.1")
    elif change == "engine editable":
        (shipped_site.engine / "direct_url.json").write_text(editable)
    elif change == "engine not installed":
        monkeypatch.setattr(pack_descriptions, "ENGINE_DISTRIBUTION", "dx-no-such-engine")
    elif change == "engine shadowed":  # (a checkout on sys.path: the engine imported is not the one installed)
        (shipped_site.folder / "flowlike_core").unlink()
        (shipped_site.folder / "flowlike_core").mkdir()
        (shipped_site.folder / "flowlike_core" / "__init__.py").write_text("")
    else:  # (a wheel built with another Python)
        (path,) = shipped_site.paths
        document = json.loads(gzip.decompress(path.read_bytes()))
        document["engine"][1] = "3.99"
        path.write_bytes(gzip.compress(json.dumps(document).encode()))
    (beta,) = [entry.description for entry in Registry(entries=shipped_site.entries()).described("dx_beta_node")]
    assert beta["description"] == "Answers, edited."
    assert "dx_shipped.dx_beta" in shipped_site.loaded()


def test_corrupt_shipped_descriptions_are_said_and_the_catalog_is_right(shipped_site):
    expected = shipped_site.imported_json()
    (path,) = shipped_site.paths
    path.write_bytes(path.read_bytes()[:100])
    with pytest.warns(PackIndexWarning, match=f"shipped in {path} cannot be read .*reinstall the distribution"):
        assert catalog_json(Registry(entries=shipped_site.entries())) == expected
    assert shipped_site.loaded() == [f"dx_shipped.{name}" for name in PACKS]


def test_shipped_descriptions_are_reproducible(shipped_site, tmp_path):
    """Two builds of one source ship the same bytes (no time in the compressed file's header)."""
    (again,) = pack_descriptions.ship(tmp_path / "site", shipped_site.entries(), "dx-tools", "1.0")
    assert again.read_bytes() == shipped_site.paths[0].read_bytes()


def shipped_under_another_pydantic(site: ShippedSite, stale: str = "") -> None:
    """The shipped descriptions as a wheel built under another pydantic ships them (its pins' JSON Schemas are
    pydantic's), `stale` the text of dx_beta's node there (what that pydantic would not make here)."""
    (path,) = site.paths
    document = json.loads(gzip.decompress(path.read_bytes()))
    document["engine"][2] = "2.0.0"
    for row in document["types"]["dx_beta"] if stale else ():
        if row[2] == "dx_beta_node":
            row[-1] = row[-1].replace('"Answers."', json.dumps(stale))
    path.write_bytes(gzip.compress(json.dumps(document).encode(), mtime=0))


def pip_installed() -> None:
    """What a pip install does to the descriptions the user's cache keeps: their key changes (it holds the time of
    the folder of installed libraries)."""
    for kept in pack_descriptions.folder().glob("*.json"):
        kept.unlink()


def test_shipped_descriptions_found_to_hold_under_another_pydantic_are_trusted_under_it(shipped_site, monkeypatch):
    """Made under another pydantic, they cannot be trusted as they are: the packs are imported, once. What importing
    gives is what they say, so they are trusted under this pydantic from then on: after the next pip install, no
    pack is imported again."""
    monkeypatch.setattr(pack_descriptions, "STARTED", 2**62)  # (sources written by the test itself count as old)
    expected = shipped_site.imported_json()
    shipped_under_another_pydantic(shipped_site)
    assert catalog_json(Registry(entries=shipped_site.entries())) == expected
    assert shipped_site.loaded() == [f"dx_shipped.{name}" for name in PACKS]
    shipped_site.forget()
    pip_installed()
    assert catalog_json(Registry(entries=shipped_site.entries())) == expected
    assert shipped_site.loaded() == []


def test_shipped_descriptions_another_pydantic_makes_otherwise_are_never_trusted_under_this_one(shipped_site,
                                                                                                 monkeypatch):
    monkeypatch.setattr(pack_descriptions, "STARTED", 2**62)
    expected = shipped_site.imported_json()
    shipped_under_another_pydantic(shipped_site, stale="Answers, as another pydantic made it.")
    assert catalog_json(Registry(entries=shipped_site.entries())) == expected
    shipped_site.forget()
    pip_installed()
    assert catalog_json(Registry(entries=shipped_site.entries())) == expected, "beta's shipped text is not shown"
    assert "dx_shipped.dx_beta" in shipped_site.loaded() and "dx_shipped.dx_gamma" not in shipped_site.loaded()


def test_a_corrupt_record_of_shipped_descriptions_found_to_hold_is_said_and_removed(shipped_site, monkeypatch):
    monkeypatch.setattr(pack_descriptions, "STARTED", 2**62)
    expected = shipped_site.imported_json()
    shipped_under_another_pydantic(shipped_site)
    record = pack_descriptions.verified_path()
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("{nope")
    with pytest.warns(PackIndexWarning, match=f"{record}, cannot be read .*: removed"):
        assert catalog_json(Registry(entries=shipped_site.entries())) == expected
    shipped_site.forget()
    pip_installed()
    assert catalog_json(Registry(entries=shipped_site.entries())) == expected
    assert shipped_site.loaded() == []
