#!/usr/bin/env bash
# Build the editor's front end from the lockfile into flowlike_nb/widgets/static/ (editor.js + editor.css).
# The built files are committed, so the Python package works without Node; run this after changing js/src.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
