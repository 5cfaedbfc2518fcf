#!/usr/bin/env bash
# Build the editor's front end from the lockfile into flowlike_nb/widgets/static/ (editor.js + editor.css),
# and the chat panel's (chat.js; its chat.css is plain CSS kept there).
# The built files are committed, so the Python package works without Node; run this after changing js/src.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
# the chat panel of board.chat(): its own entry point and bundle
npx esbuild src/chat.js --bundle --format=esm --minify --target=es2020 --outfile=../flowlike_nb/widgets/static/chat.js
