"""Headless Chromium for the dashboard tests: the OS package, driven from the stdlib.

``dump_dom`` loads a page and returns its DOM after load, plus every console message the
page produced (Chromium logs them to stderr with ``--enable-logging=stderr``). The page is
loaded with networking features that phone home turned off, in a throw-away profile.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
_CONSOLE = re.compile(r":CONSOLE(?::\d+|\(\d+\))\] (.*)")
BASE_FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)


@dataclass(frozen=True)
class Loaded:
    dom: str
    console: list[str]


def _run(url: str, profile: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [CHROMIUM, *BASE_FLAGS, f"--user-data-dir={profile}", *flags, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


def dump_dom(page: Path, profile: Path) -> Loaded:
    done = _run(page.resolve().as_uri(), profile, "--dump-dom")
    return Loaded(dom=done.stdout, console=_CONSOLE.findall(done.stderr))


def screenshot(page: Path, profile: Path, target: Path, width: int, height: int) -> None:
    _run(
        page.resolve().as_uri(),
        profile,
        f"--window-size={width},{height}",
        f"--screenshot={target}",
    )
