#!/usr/bin/env bash
# Set up everything the tests need, then run all of them: lint, engine, catalog, storage (with a local
# SeaweedFS S3 server), kernel API, every example notebook (papermill), and the real-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
exec .venv/bin/python -m pytest --durations=30 "$@"  # (the slowest tests, for keeping the suite fast)
