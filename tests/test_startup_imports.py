"""A sync imports only what it needs: Garmin and FIT modules load only when used."""

from __future__ import annotations

import subprocess
import sys

# Loaded only by a run with Garmin as a source, or when a FIT route file is read.
NOT_AT_START = (
    "section11.sources.garmin.signals",
    "section11.sources.garmin.wellness",
    "section11.sources.garmin.models",
    "section11.outputs.garmin_signals",
    "fitdecode",
)


def test_starting_a_sync_leaves_garmin_and_fit_modules_unloaded() -> None:
    code = (
        "import sys, section11.cli, section11.pipeline\n"
        f"print(','.join(m for m in {NOT_AT_START!r} if m in sys.modules))"
    )
    # A fresh interpreter: this test process may have imported them already.
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_the_garmin_path_still_imports() -> None:
    code = "import section11.outputs.garmin_signals, section11.sources.garmin.signals"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
