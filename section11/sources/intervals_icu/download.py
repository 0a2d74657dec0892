"""Attachment downloads with hard limits: a byte cap and an overall deadline.

A route attachment comes from a URL in the athlete's calendar, so it may point anywhere and
the server may misbehave. One download therefore:

- refuses any URL that is not absolute ``http``/``https`` with a host (``file:``, ``ftp:``,
  ``data:``, empty, relative, malformed) before a request is made;
- follows at most ``MAX_REDIRECTS`` redirects (a loop ends as an error);
- streams the body and stops as soon as it passes ``max_bytes``, counting both the bytes on
  the wire and the bytes after gzip/deflate decoding (so a gzip bomb is refused early);
- stops when ``deadline`` seconds have passed since the start, however slowly bytes trickle.

Errors are typed for the caller's classification: ``DownloadRefused`` (an ``ApiError``) will
not get better by retrying; ``ApiUnavailableError`` (timeouts, connection problems, a body
cut short, 429/5xx) may. Messages name the host and path only, never a query string.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
import urllib3

from section11.errors import ApiError, ApiUnavailableError, NotFoundError

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # a 5 MB GPX is already a very long ride
DOWNLOAD_DEADLINE_S = 60.0
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


class DownloadRefused(ApiError):
    """A download that failed for good: a bad URL, too big, a bad body, a redirect loop."""


class DeadlineExceeded(ApiUnavailableError):
    """The whole download took longer than its deadline: worth a try on a later run, but
    not again within this one (it would cost another full deadline)."""


@dataclass(frozen=True, slots=True)
class DownloadLimits:
    max_bytes: int = MAX_DOWNLOAD_BYTES
    deadline: float = DOWNLOAD_DEADLINE_S
    connect_timeout: float = 10.0
    read_timeout: float = 30.0


def check_url(url: str) -> str:
    """A short label (host and path) for a usable attachment URL; DownloadRefused if not."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError:
        raise DownloadRefused("the attachment URL is malformed") from None
    if not url.strip():
        raise DownloadRefused("the attachment has an empty URL")
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme.lower()[:10]
        if not shown:
            raise DownloadRefused("the attachment URL is relative (no scheme and host)")
        raise DownloadRefused(f"the attachment URL uses the unsupported scheme {shown!r}")
    if not host:
        raise DownloadRefused("the attachment URL has no host")
    return f"{parts.netloc}{parts.path}"[:200]


def download(
    session: requests.Session,
    url: str,
    *,
    auth: tuple[str, str] | None,
    limits: DownloadLimits,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """One attempt at downloading ``url`` within ``limits`` (see the module docstring)."""
    label = check_url(url)
    started = clock()
    session.max_redirects = MAX_REDIRECTS
    try:
        response = session.get(
            url.strip(),
            auth=auth,
            stream=True,
            timeout=(limits.connect_timeout, min(limits.read_timeout, limits.deadline)),
            headers={"Accept": "*/*", "Accept-Encoding": "gzip, deflate"},
        )
    except requests.TooManyRedirects:
        raise DownloadRefused(f"{label}: too many redirects (a redirect loop?)") from None
    except (requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL):
        raise DownloadRefused(f"{label}: redirected to an unusable URL") from None
    except requests.Timeout:
        raise ApiUnavailableError(f"{label}: the download timed out") from None
    except requests.RequestException:
        raise ApiUnavailableError(f"{label}: could not connect") from None
    with response:
        _check_status(response.status_code, label)
        try:
            return read_body(response, limits, started, clock)
        except BodyError as exc:
            message = f"{label}: the download {exc.reason}"
            if exc.deadline:
                raise DeadlineExceeded(message) from None
            if exc.transient:
                raise ApiUnavailableError(message) from None
            raise DownloadRefused(message) from None


def _check_status(status: int, label: str) -> None:
    if status < 400:
        return
    if status in (404, 410):
        raise NotFoundError(f"{label}: the attachment is gone (HTTP {status})")
    if status in _RETRYABLE_STATUS:
        raise ApiUnavailableError(f"{label}: HTTP {status}")
    raise DownloadRefused(f"{label}: the server refused the download (HTTP {status})")


class BodyError(Exception):
    """Reading a response body failed; ``reason`` says why in a few words (no URL)."""

    def __init__(self, reason: str, *, transient: bool, deadline: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.deadline = deadline


def read_body(
    response: requests.Response,
    limits: DownloadLimits,
    started: float,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """The decoded body of a ``stream=True`` response, within ``limits``; BodyError if not.

    gzip and deflate are decoded here (a chunk at a time, so the cap applies to the output
    as it grows); the deadline counts from ``started``.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limits.max_bytes:
        raise _too_big(limits)
    decoder = _decoder(response.headers.get("Content-Encoding", ""))
    wire = 0
    parts: list[bytes] = []
    size = 0
    raw = response.raw
    try:
        while True:
            if clock() - started > limits.deadline:
                raise BodyError(
                    f"took longer than {limits.deadline:.0f} s", transient=True, deadline=True
                )
            chunk = raw.read1(_CHUNK, decode_content=False)
            if not chunk:
                break
            wire += len(chunk)
            if wire > limits.max_bytes:
                raise _too_big(limits)
            data = chunk if decoder is None else decoder.feed(chunk, limits.max_bytes - size)
            size += len(data)
            if size > limits.max_bytes:
                raise _too_big(limits)
            parts.append(data)
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
        raise BodyError("timed out", transient=True) from None
    except (urllib3.exceptions.HTTPError, OSError):
        raise BodyError("was cut short", transient=True) from None
    if decoder is not None and not decoder.finished:
        raise BodyError("has an incomplete or damaged compressed body", transient=False)
    return b"".join(parts)


class _Decoder:
    """gzip or deflate, decoded a chunk at a time with at most ``limit + 1`` bytes out."""

    def __init__(self, wbits: int) -> None:
        self._inflate = zlib.decompressobj(wbits)

    @property
    def finished(self) -> bool:
        return self._inflate.eof

    def feed(self, chunk: bytes, limit: int) -> bytes:
        out: list[bytes] = []
        produced = 0
        data = chunk
        try:
            while data and not self._inflate.eof:
                piece = self._inflate.decompress(data, max(limit - produced, 0) + 1)
                out.append(piece)
                produced += len(piece)
                if produced > limit:
                    break  # the caller sees more than the cap and stops
                data = self._inflate.unconsumed_tail
        except zlib.error:
            raise BodyError("has a damaged compressed body", transient=False) from None
        return b"".join(out)


def _decoder(encoding: str) -> _Decoder | None:
    name = encoding.strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip"):
        return _Decoder(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return _Decoder(zlib.MAX_WBITS)
    raise BodyError(f"has an unsupported content encoding {name[:20]!r}", transient=False)


def _too_big(limits: DownloadLimits) -> BodyError:
    mb = limits.max_bytes / (1024 * 1024)
    return BodyError(f"is larger than {mb:.0f} MB and was not read", transient=False)
