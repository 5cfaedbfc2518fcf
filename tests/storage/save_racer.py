"""One process of the save race: saves the board `race` N times, each save adding one variable named after it.

    python save_racer.py CONFIG_JSON WHO COUNT BARRIER_DIR [--lease] [--slow-writes]

Every save is based on a fresh load; a refused save (SaveConflict) is retried from a fresh load. Prints the
names of the variables whose save reported success, and the number of refusals, as JSON. The racers start
together: each marks itself ready in BARRIER_DIR and waits for the other's mark. `--slow-writes` delays every
object write by 0-150 ms, as a far or busy store would: a lock whose safety rests on timing fails then.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from flowlike_core.board import Variable
from flowlike_core.errors import SaveConflict
from flowlike_core.storage import App, Storage, StorageConfig


def race(app: App, who: str, count: int) -> tuple[list[str], int]:
    saved, refused = [], 0
    while len(saved) < count:
        board = app.load("race")
        name = f"{who}_{len(saved)}"
        board.variables[name] = Variable(id=name, name=name)
        try:
            app.save(board)
        except SaveConflict:
            refused += 1
            continue
        saved.append(name)
    return saved, refused


def wait_for_the_other(barrier: Path, who: str) -> None:
    (barrier / who).touch()
    deadline = time.monotonic() + 120
    while len(list(barrier.iterdir())) < 2:
        if time.monotonic() > deadline:
            raise TimeoutError("the other racer never became ready")
        time.sleep(0.01)


def main() -> None:
    config, who, count = StorageConfig.model_validate_json(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    storage = Storage(config)
    if "--lease" in sys.argv:
        storage.meta._conditional_writes = lambda: False  # as on a store without If-Match/If-None-Match
    if "--slow-writes" in sys.argv:
        fs = storage.meta.fs
        write = fs.pipe_file

        def slow_write(*args: object, **kwargs: object) -> object:
            time.sleep(random.uniform(0, 0.15))
            return write(*args, **kwargs)

        fs.pipe_file = slow_write
    wait_for_the_other(Path(sys.argv[4]), who)
    saved, refused = race(storage.app("race"), who, count)
    print(json.dumps({"saved": saved, "refused": refused}))


if __name__ == "__main__":
    main()
