"""Misbehaving attachment downloads for tests: how real file hosts go wrong.

``FakeIntervalsServer.attachment_faults`` maps an attachment id to one of these modes; the
server then answers that attachment's URL in that way instead of plainly:

- ``gzip``          the file gzip-compressed, ``Content-Encoding: gzip`` (a well-behaved host);
- ``gzip_bomb``     64 MB of zeros gzip-compressed to about 64 KB;
- ``bad_gzip``      ``Content-Encoding: gzip`` over bytes that are not gzip;
- ``truncated``     a ``Content-Length`` of the whole file, half of it sent, then closed;
- ``trickle``       one byte every ``TRICKLE_INTERVAL_S`` seconds, for ever;
- ``redirect_loop`` 302 back to the same URL;
- ``oversized``     25 MB of bytes with no ``Content-Length``, then closed.
"""

from __future__ import annotations

import gzip
import time
from functools import cache
from typing import Literal, Protocol

AttachmentFault = Literal[
    "gzip", "gzip_bomb", "bad_gzip", "truncated", "trickle", "redirect_loop", "oversized"
]
TRICKLE_INTERVAL_S = 0.5
TRICKLE_MAX_S = 60.0  # the fake gives up after this, so a broken client cannot hang a test
_BOMB_BYTES = 64 * 1024 * 1024
_OVERSIZED_BYTES = 25 * 1024 * 1024


class _Handler(Protocol):
    path: str
    close_connection: bool

    def send_response(self, code: int, message: str | None = None) -> None: ...
    def send_header(self, keyword: str, value: str) -> None: ...
    def end_headers(self) -> None: ...

    @property
    def wfile(self) -> _Writer: ...


class _Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...
    def flush(self) -> None: ...


@cache
def _bomb() -> bytes:
    return gzip.compress(b"\x00" * _BOMB_BYTES, compresslevel=9)


def serve_attachment_fault(handler: _Handler, fault: AttachmentFault, data: bytes) -> int:
    """Answer one request in the way ``fault`` describes; returns the status sent."""
    try:
        return _serve(handler, fault, data)
    except (BrokenPipeError, ConnectionResetError):
        handler.close_connection = True  # the client hung up, as it should
        return 200


def _serve(handler: _Handler, fault: AttachmentFault, data: bytes) -> int:
    if fault == "redirect_loop":
        handler.send_response(302)
        handler.send_header("Location", handler.path)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return 302
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Content-Type", "application/octet-stream")
    handler.send_header("Connection", "close")
    if fault in ("gzip", "gzip_bomb", "bad_gzip"):
        if fault == "gzip":
            body = gzip.compress(data)
        elif fault == "gzip_bomb":
            body = _bomb()
        else:
            body = b"this is not gzip at all " * 8
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    elif fault == "truncated":
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data[: len(data) // 2])
    elif fault == "trickle":
        handler.send_header("Content-Length", str(max(len(data), 1_000_000)))
        handler.end_headers()
        started = time.monotonic()
        while time.monotonic() - started < TRICKLE_MAX_S:
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(TRICKLE_INTERVAL_S)
    else:  # oversized
        handler.end_headers()
        block = b"\x20" * (1024 * 1024)
        for _ in range(_OVERSIZED_BYTES // len(block)):
            handler.wfile.write(block)
    return 200
