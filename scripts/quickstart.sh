#!/usr/bin/env bash
# Set up on a fresh machine, then do the main job end to end: run the example board from the CLI,
# execute the quickstart notebook (papermill) into build/, and open it in JupyterLab.
# Pass --no-lab to stop before starting JupyterLab (as CI and scripted demos do).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p build

echo "== flowlike run notebooks/boards/loop_and_branch.board.json --var threshold=2"
.venv/bin/flowlike run notebooks/boards/loop_and_branch.board.json --var threshold=2

echo "== papermill notebooks/quickstart.ipynb build/quickstart.ipynb"
.venv/bin/papermill --cwd notebooks notebooks/quickstart.ipynb build/quickstart.ipynb --progress-bar
echo "executed notebook: build/quickstart.ipynb"

if [ "${1:-}" != "--no-lab" ] && [ -z "${CI:-}" ]; then
    exec .venv/bin/jupyter lab notebooks/quickstart.ipynb
fi
