"""Headless Chromium for the dashboard tests: the OS package, driven from the stdlib.

``dump_dom`` loads a page and returns its DOM after load, plus every console message the
page produced (Chromium logs them to stderr with ``--enable-logging=stderr``). The page is
loaded with networking features that phone home turned off, in a throw-away profile.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class DevTools:
    """A headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4).

    Only the stdlib: JSON messages separated by NUL bytes, no websocket. Console calls,
    uncaught exceptions and log entries (blocked resources, CSP) are collected in
    ``console``.
    """

    def __init__(self, profile: Path, width: int, height: int, *, mobile: bool) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_pipes() -> None:  # in the child: the protocol wants fds 3 and 4
            # Copy both out of the way first: either may already be numbered 3 or 4.
            reader, writer = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(reader, 3)
            os.dup2(writer, 4)

        command = [
            CHROMIUM,
            *BASE_FLAGS[:-2],
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes,
            close_fds=False,  # keep fds 3 and 4 (Python's own fds are close-on-exec)
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.console: list[str] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})
        self._session = attached["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(domain)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._send({"id": 10**6, "method": "Browser.close"})
            self._process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait(timeout=30)
        finally:
            os.close(self._to_chrome)
            os.close(self._from_chrome)

    # -- protocol ---------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_chrome], [], [], 1.0)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 16)
                if not chunk:
                    raise ConnectionError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        self._note(message)
        return message

    def _note(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params") or {}
        if method == "Runtime.consoleAPICalled":
            args = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            self.console.append(f"console.{params.get('type')}: {args}")
        elif method == "Runtime.exceptionThrown":
            self.console.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded":
            entry = params["entry"]
            self.console.append(f"{entry.get('level')}: {entry.get('text')} {entry.get('url', '')}")
        if method:
            self._events.append(message)

    def _call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(message)
        deadline = time.monotonic() + 60
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result") or {}
                return result

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._call(method, params, self._session)

    # -- page ------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Navigate and wait for the load event (or the jump, for a link within the page)."""
        self._events.clear()
        self.call("Page.navigate", {"url": url})
        done = {"Page.loadEventFired", "Page.navigatedWithinDocument"}
        deadline = time.monotonic() + 60
        while not any(e.get("method") in done for e in self._events):
            self._read(deadline)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )
