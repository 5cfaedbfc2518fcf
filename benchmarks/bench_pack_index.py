"""The first command after a fresh install of the wheel: what the pack index the wheel ships spares it.

The wheel is built as CI builds it (`pip wheel --no-deps .`, isolated: setup.py loads the packs and ships their
index), installed into a new venv that borrows the dev venv's libraries (a .pth line, as .ci/run does), and each
command runs in a fresh process with an empty cache folder (no user pack index yet: the first command after an
install), once with the wheel as built and once with its shipped index moved aside (the wheel as it was before it
shipped one: every pack a lookup might need loads in order). Commands:

1. `flowlike run notebooks/boards/loop_and_branch.board.json` (std nodes only: std is first in load order, so
   it never needed an index);
2. `flowlike validate` of a board with one web node (without an index every pack before web in load order loads);
3. the first `@fnb.node` of a notebook (it asks whether an installed pack has its key: without an index every pack
   loads to answer no);
4. `flowlike catalog --json` and 5. `flowlike catalog --search branch`, each once after a command that kept the
   packs' node descriptions (`flowlike_core.pack_descriptions`: no pack is imported) against an empty cache (every
   pack is imported, as before descriptions were kept).

Each figure is the median of --reps, wall and CPU (user + system of the child), against `python -c pass` of the
same venv in the same run. The load average is printed (the machine may be shared).

    .venv/bin/python benchmarks/bench_pack_index.py [--reps 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from flowlike_core import Board, commands, default_registry

ROOT = Path(__file__).resolve().parents[1]
LOOP = ROOT / "notebooks" / "boards" / "loop_and_branch.board.json"
FIRST_NODE = """
import flowlike_nb as fnb

@fnb.node
def my_scale(value: float) -> float:
    "Twice the value."
    return value * 2
"""


def install_wheel(folder: Path) -> Path:
    """The wheel built from the checkout, installed into a new venv under `folder`; its python."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder),
                    str(ROOT)], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    python = folder / "venv" / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "dev-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(folder.glob("flowlike_nb-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True)
    return python


def web_board(path: Path) -> Path:
    board = Board(name="one web node")
    for key in ("events_simple", "http_make_request"):
        board.apply(commands.AddNode(default_registry().get(key).create()))
    path.write_text(board.to_json())
    return path


def cost(command: list[str], reps: int, cwd: Path, kept: bool = False) -> tuple[float, float]:
    """Median wall and CPU seconds of the command, each run with an empty cache folder (`kept`: one the command
    has filled before)."""
    walls, cpus = [], []
    for _ in range(reps):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "XDG_CACHE_HOME": cache}
            if kept:
                subprocess.run(command, capture_output=True, check=False, cwd=cwd, env=env)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            began = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, cwd=cwd, env=env)
            walls.append(time.perf_counter() - began)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5)
    reps = parser.parse_args().reps
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        python = install_wheel(folder)
        flowlike = python.parent / "flowlike"
        shipped = Path(subprocess.run([str(python), "-P", "-c", "import flowlike_catalog, os; print(os.path.join("
                                       "os.path.dirname(flowlike_catalog.__file__), 'pack-index.json'))"],
                                      check=True, capture_output=True, text=True, cwd=folder).stdout.strip())
        if not shipped.is_file():
            raise SystemExit(f"the wheel ships no pack index ({shipped} is missing)")
        cases = {
            "1. flowlike run loop_and_branch": [str(flowlike), "run", "--no-history", str(LOOP)],
            "2. flowlike validate (a web node)": [str(flowlike), "validate", str(web_board(folder / "web.board.json"))],
            "3. first @fnb.node": [str(python), "-c", FIRST_NODE],
        }
        baseline = cost([str(python), "-c", "pass"], reps, folder)
        print(f"first command after a fresh install of the wheel, median of {reps}, empty cache each "
              f"(load average {os.getloadavg()[0]:.1f})")
        print(f"   python -c pass                        {baseline[0]:6.3f} s wall {baseline[1]:6.3f} s cpu")
        aside = shipped.with_name("pack-index.json.aside")
        for name, command in cases.items():
            ours = cost(command, reps, folder)
            shipped.rename(aside)
            try:
                without = cost(command, reps, folder)
            finally:
                aside.rename(shipped)
            print(f"{name}")
            for label, (wall, cpu) in (("shipped index", ours), ("no index", without)):
                print(f"   {label:14}                        {wall:6.3f} s wall {cpu:6.3f} s cpu   "
                      f"{cpu / baseline[1]:5.1f}x python (cpu)")
            print(f"   shipped / none = {ours[1] / without[1]:.2f} (cpu)")
        for name, command in {"4. flowlike catalog --json": [str(flowlike), "catalog", "--json"],
                              "5. flowlike catalog --search branch": [str(flowlike), "catalog", "--search",
                                                                      "branch"]}.items():
            kept, none = cost(command, reps, folder, kept=True), cost(command, reps, folder)
            print(f"{name}")
            for label, (wall, cpu) in (("descriptions kept", kept), ("none kept", none)):
                print(f"   {label:17}                     {wall:6.3f} s wall {cpu:6.3f} s cpu   "
                      f"{cpu / baseline[1]:5.1f}x python (cpu)")
            print(f"   kept / none = {kept[1] / none[1]:.2f} (cpu)")


if __name__ == "__main__":
    main()
