"""One process of the save race: saves the board `race` N times, each save adding one variable named after it.

    python save_racer.py CONFIG_JSON WHO COUNT [--lease]

Every save is based on a fresh load; a refused save (SaveConflict) is retried from a fresh load. Prints the
names of the variables whose save reported success, and the number of refusals, as JSON.
"""

from __future__ import annotations

import json
import sys

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


def main() -> None:
    config, who, count = StorageConfig.model_validate_json(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    storage = Storage(config)
    if "--lease" in sys.argv:
        storage.meta._conditional_writes = lambda: False  # as on a store without If-Match/If-None-Match
    saved, refused = race(storage.app("race"), who, count)
    print(json.dumps({"saved": saved, "refused": refused}))


if __name__ == "__main__":
    main()
