"""The pack index a distribution ships in its wheel: the first command after an install loads only the packs it
needs. What changes afterwards (another version, an editable install, a pack installed or uninstalled since, a pack
whose import raises, an index that is corrupt or cannot be written) gives the right catalog, never a stale node, and
a warning that says what went wrong with an index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
import warnings
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import flowlike_catalog
import pytest

from flowlike_core import pack_index
from flowlike_core.errors import UnknownNodeError
from flowlike_core.pack_index import PackIndexWarning
from flowlike_core.registry import ENTRY_POINT_GROUP, PackWarning, Registry

ROOT = Path(__file__).resolve().parents[2]
PACKS = ("alpha", "beta", "gamma")
PACK_MODULE = """
    import sys
    from flowlike_core import Pack, node

    @node
    def {key}() -> int:
        '''Answers one.'''
        return 1

    PACK = Pack("{name}", modules=[sys.modules[__name__]])
"""


class Site:
    """A folder on sys.path laid out as pip installs a wheel: the distribution acme-tools 2.0, whose package `acme`
    holds three packs (acme_alpha, acme_beta, acme_gamma: one node `acme_NAME_node` each) and the index `ship`
    made of them; third-party distributions of one pack module beside it (`third_party`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        package = folder / "acme"
        package.mkdir()
        (package / "__init__.py").write_text("")
        for name in PACKS:
            (package / f"{name}.py").write_text(textwrap.dedent(PACK_MODULE.format(key=f"acme_{name}_node",
                                                                                   name=f"acme_{name}")))
        self.info = self.dist_info("acme_tools", "2.0", {f"acme_{name}": f"acme.{name}:PACK" for name in PACKS})
        pack_index.ship(folder, [EntryPoint(f"acme_{name}", f"acme.{name}:PACK", ENTRY_POINT_GROUP)
                                 for name in PACKS], "acme-tools", "2.0")
        self.forget()

    def dist_info(self, name: str, version: str, packs: dict[str, str]) -> Path:
        info = self.folder / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: {version}\n")
        lines = "".join(f"{pack} = {value}\n" for pack, value in packs.items())
        (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{lines}")
        (info / "RECORD").write_text("")  # (pip lists the installed files there)
        return info

    def third_party(self, name: str, *keys: str) -> None:
        """A distribution NAME of one module NAME whose pack NAME has these node keys."""
        nodes = "".join(f"@node\ndef {key}() -> int:\n    'Answers two.'\n    return 2\n\n" for key in keys)
        (self.folder / f"{name}.py").write_text(f"import sys\nfrom flowlike_core import Pack, node\n\n{nodes}"
                                                f"PACK = Pack('{name}', modules=[sys.modules[__name__]])\n")
        self.dist_info(name, "1.0", {name: f"{name}:PACK"})

    def entries(self) -> list[EntryPoint]:
        """The installed entry points of the site's packs, as the registry gets them (each with its distribution)."""
        return [entry for entry in entry_points(group=ENTRY_POINT_GROUP)
                if entry.value.partition(".")[0].partition(":")[0] in self.modules()]

    def modules(self) -> set[str]:
        return {path.stem for path in self.folder.glob("*.py")} | {"acme"}

    def loaded(self) -> list[str]:
        """The site's pack modules imported so far, in the order of their names."""
        return sorted(name for name in sys.modules if name.startswith("acme.") or name in self.modules() - {"acme"})

    def forget(self) -> None:
        for name in [name for name in sys.modules if name.partition(".")[0] in self.modules()]:
            del sys.modules[name]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made = Site(folder)
    yield made
    made.forget()


def test_the_first_command_after_an_install_loads_only_the_pack_it_needs(site):
    assert not pack_index.index_path().exists()
    registry = Registry(entries=site.entries())
    assert registry.get("acme_gamma_node").pack == "acme_gamma"
    assert site.loaded() == ["acme.gamma"]
    assert registry.provider("my_new_key") is None  # what @fnb.node asks of a new key: no pack has it
    assert site.loaded() == ["acme.gamma"]
    assert len(registry) == 3


@pytest.mark.parametrize("change", ["another version", "editable install"])
def test_a_shipped_index_is_not_trusted_for_other_sources(site, change):
    if change == "another version":  # (the sources changed, the index did not: a hand-made upgrade)
        site.info.rename(site.info.with_name("acme_tools-2.1.dist-info"))
        metadata = site.info.with_name("acme_tools-2.1.dist-info") / "METADATA"
        metadata.write_text(metadata.read_text().replace("Version: 2.0", "Version: 2.1"))
    else:
        (site.info / "direct_url.json").write_text(json.dumps({"url": "file:///src", "dir_info": {"editable": True}}))
    (site.folder / "acme" / "alpha.py").write_text(textwrap.dedent(PACK_MODULE.format(key="acme_gamma_node",
                                                                                      name="acme_alpha")))
    assert Registry(entries=site.entries()).get("acme_gamma_node").pack == "acme_alpha"  # (the index: gamma's)
    assert site.loaded() == ["acme.alpha"]


def test_a_pack_installed_after_the_index_is_found_and_keeps_a_key_it_comes_first_for(site):
    len(Registry(entries=site.entries()))  # (nothing to write: the shipped index knew every pack)
    assert not pack_index.index_path().exists()
    site.forget()
    site.third_party("aardvark", "aardvark_node", "acme_beta_node")  # before acme_* in load order
    registry = Registry(entries=site.entries())
    assert registry.get("aardvark_node").pack == "aardvark"
    assert site.loaded() == ["aardvark"]  # the one pack no index knows
    assert registry.get("acme_beta_node").pack == "aardvark"
    assert site.loaded() == ["aardvark"]
    with pytest.warns(PackWarning, match="pack 'acme_beta' also defines node type 'acme_beta_node'"):
        assert sorted(t.name for t in registry) == ["aardvark_node", "acme_alpha_node", "acme_beta_node",
                                                    "acme_gamma_node"]
    assert registry.get("acme_beta_node").pack == "aardvark"
    assert json.loads(pack_index.index_path().read_text())["keys"]["aardvark"] == ["aardvark_node", "acme_beta_node"]


def test_an_uninstalled_pack_leaves_no_stale_node(site):
    site.third_party("zebra", "zebra_node")
    assert len(Registry(entries=site.entries())) == 4
    assert "zebra" in json.loads(pack_index.index_path().read_text())["keys"]
    site.forget()
    (site.folder / "zebra.py").unlink()
    for path in site.folder.glob("zebra-*.dist-info/*"):
        path.unlink()
    next(site.folder.glob("zebra-*.dist-info")).rmdir()

    registry = Registry(entries=site.entries())
    gone = r"'zebra_node': no installed pack provides it; pack 'zebra' \(distribution zebra 1.0\), which had it, is " \
           "no longer installed"
    with pytest.raises(UnknownNodeError, match=gone):
        registry.get("zebra_node")
    assert site.loaded() == []
    assert [t.name for t in registry] == ["acme_alpha_node", "acme_beta_node", "acme_gamma_node"]


def test_a_pack_whose_import_raises_is_named_and_the_others_still_load(site):
    (site.folder / "acme" / "beta.py").write_text("import acme_missing_library\n")  # (its library uninstalled)
    registry = Registry(entries=site.entries())
    failure = r"pack 'acme_beta' \(acme.beta:PACK, distribution acme-tools 2.0\) could not be loaded, so its node " \
              r"types are missing: ModuleNotFoundError: No module named 'acme_missing_library'"
    with pytest.warns(PackWarning, match=failure), pytest.raises(UnknownNodeError, match=f"acme_beta_node.*{failure}"):
        registry.get("acme_beta_node")
    assert site.loaded() == []  # (the index names it: no other pack is searched)
    assert registry.get("acme_alpha_node").pack == "acme_alpha"
    assert [t.name for t in registry] == ["acme_alpha_node", "acme_gamma_node"]


@pytest.mark.parametrize("text", ["{not json", '{"packs": [], "keys": {"acme_alpha": "acme_gamma_node"}}', "[]"])
def test_a_corrupt_user_index_is_said_and_removed(site, text):
    path = pack_index.index_path()
    path.parent.mkdir(parents=True)
    path.write_text(text)
    with pytest.warns(PackIndexWarning, match=f"the pack index {path} cannot be read .*: removed, to be made again"):
        assert Registry(entries=site.entries()).get("acme_gamma_node").pack == "acme_gamma"
    assert site.loaded() == ["acme.gamma"] and not path.exists()  # the shipped index served
    site.forget()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(Registry(entries=site.entries())) == 3


def test_a_corrupt_shipped_index_is_said_and_the_packs_are_searched(site):
    shipped = site.folder / "acme" / pack_index.SHIPPED
    shipped.write_text(shipped.read_text()[:40])
    with pytest.warns(PackIndexWarning, match=f"{shipped} cannot be read .*reinstall the distribution that ships it"):
        assert Registry(entries=site.entries()).get("acme_gamma_node").pack == "acme_gamma"
    assert site.loaded() == ["acme.alpha", "acme.beta", "acme.gamma"]


def test_a_cache_that_cannot_be_written_is_said_when_it_had_something_to_keep(site, tmp_path, monkeypatch):
    (tmp_path / "read-only-home").write_text("")  # (a file where the folder should be: refused even to root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "read-only-home"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(Registry(entries=site.entries())) == 3  # the shipped index knows every pack: nothing to keep
    site.forget()
    site.third_party("zebra", "zebra_node")
    registry = Registry(entries=site.entries())
    with pytest.warns(PackIndexWarning, match="cannot be written to .*read-only-home.*set XDG_CACHE_HOME"):
        assert registry.get("zebra_node").pack == "zebra"
    assert len(registry) == 4


def test_a_wheel_is_not_built_with_an_index_that_leaves_a_pack_out(site, tmp_path):
    (site.folder / "acme" / "beta.py").write_text("raise ImportError('beta needs acme_missing_library')\n")
    with pytest.raises(RuntimeError, match=r"pack 'acme_beta' \(acme.beta:PACK\) could not be loaded to index it: "
                                           "ImportError: beta needs acme_missing_library"):
        pack_index.ship(site.folder, [EntryPoint(f"acme_{name}", f"acme.{name}:PACK", ENTRY_POINT_GROUP)
                                      for name in PACKS], "acme-tools", "2.1")


def test_the_wheel_builds_with_what_the_packs_import():
    """setup.py loads every pack in the wheel's isolated build: the build needs what the core needs."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert set(config["project"]["dependencies"]) <= set(config["build-system"]["requires"])


INSTALLED_FROM_WHEEL = Path(flowlike_catalog.__file__).parent != ROOT / "catalog"
FIRST_COMMAND = """
import json, sys
import flowlike_core.registry as registry
built, post_init = [], registry.Pack.__post_init__
registry.Pack.__post_init__ = lambda pack: (built.append(pack.name), post_init(pack))[1]
reg = registry.default_registry()
print(json.dumps([reg.provider("my_new_key"), reg.get("http_make_request").pack, built]))
"""


@pytest.mark.skipif(not INSTALLED_FROM_WHEEL, reason="flowlike-nb is installed editable: its wheel's index is "
                                                     "tested where CI installs the wheel")
def test_the_installed_wheel_ships_the_index_of_its_packs(tmp_path):
    command = [sys.executable, "-c", FIRST_COMMAND]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp_path,
                         env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "fresh-cache")}).stdout
    assert json.loads(out) == [None, "web", ["web"]]
