"""A fake Intervals.icu API on 127.0.0.1, serving a ``DemoAthlete`` over real HTTP.

It follows the published contract (paths, parameters, field names) and the behaviour
documented by people who use the real API:

* HTTP Basic auth, user ``API_KEY``, password = the athlete's key. Wrong or missing
  credentials give 401 ``{"status":401,"error":"Unauthorized"}``; a valid key asking for
  another athlete gives 403 ``{"status":403,"error":"Access denied"}``. Athlete id ``0``
  means "the key's athlete".
* Activities: ``oldest`` is required (422 otherwise), ``newest`` defaults to the end of
  ``today``; both take a date or a local datetime and are inclusive on
  ``start_date_local``; newest first; ``fields=`` keeps only the listed keys and drops
  nulls; ``limit``.
* Wellness: inclusive on the record id (a date), ascending, ``fields=`` as above.
  Defaults (not documented by the API): ``newest`` = today, ``oldest`` = newest - 6 days.
  ``/wellness/{date}`` for a day without a record answers 200 with an empty record:
  ``{"id": date}`` plus null fitness keys and an empty ``sportInfo``.
* Events: ``oldest`` defaults to today, ``newest`` to oldest + 6 days; selected by the
  start date, inclusive; ascending; ``category=`` filter; ``resolve=true`` adds
  ``_power``/``_hr`` to workout steps (absent otherwise). Attachment URLs point at this
  server (``/attachments/{id}/{filename}``, served without auth).
* ``/power-curves[.json]`` (``type`` required) and ``/hr-curves[.json]``: best-effort
  curves for ``curves=r.<start>.<end>,<n>d`` computed from the athlete's activities (see
  ``section11.demo.curves``); ``type`` selects the activity types of that sport's settings.
* ``/activity/{id}`` (``intervals=true`` adds ``icu_intervals``/``icu_groups``), its
  ``/intervals``, ``/messages`` (comments, ``[]`` when none) and ``/streams[.json]``
  (``types=`` filter). Strava stubs are returned as stubs; their intervals, messages and
  streams are 404.
* Calendar writes (``demo/calendar_writes.py``): create, bulk upsert by ``external_id``,
  update and delete events; read and change sport settings; activity notes and comments.
* Anything else: 404 ``{"status":404,"error":"Not Found","path":...}``.

Tests inject faults with ``server.faults.add(...)`` and inspect ``server.requests``.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hmac
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from section11.demo._calendar import ATTACHMENT_HOST_PLACEHOLDER
from section11.demo.athlete import DemoAthlete
from section11.demo.attachment_faults import AttachmentFault, serve_attachment_fault
from section11.demo.calendar_writes import CalendarWrites, WriteRejected
from section11.demo.curves import CurveSpecError, curve_set
from section11.demo.workouts import resolve_doc

JSON = dict[str, Any]
FaultKind = Literal[
    "401", "429", "500", "503", "slow", "malformed", "wrong_shape", "drop", "truncated", "bad_gzip"
]
_FAULT_KINDS = (
    "401",  # the key refused on some paths only (e.g. a key whose access was narrowed)
    "429",
    "500",
    "503",
    "slow",
    "malformed",
    "wrong_shape",
    "drop",
    "truncated",  # Content-Length of the whole body, half of it sent, connection closed
    "bad_gzip",  # Content-Encoding: gzip over bytes that are not gzip
)
_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Access denied",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
#: Keys of the empty record served by /wellness/{date} for a day without data.
_EMPTY_WELLNESS_KEYS = ("ctl", "atl", "rampRate", "ctlLoad", "atlLoad", "updated")
_MISSING_OLDEST = (
    "Required request parameter 'oldest' for method parameter type String is not present"
)


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it. ``status`` is 0 for a dropped connection;
    ``bytes_sent`` counts the response body; ``duration`` is the seconds from receiving
    the request to starting the answer (latency and faults included); ``started`` is when
    the request was received (``time.perf_counter()``), so ``started`` to ``started +
    duration`` is the time the request was in flight on the server."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    bytes_sent: int
    duration: float
    started: float = 0.0


@dataclass
class _Fault:
    pattern: re.Pattern[str]
    kind: FaultKind
    remaining: int
    retry_after: str | None
    delay: float


class FaultInjector:
    """Faults for the next requests whose path (no query) matches a regex (``re.search``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []

    def add(
        self,
        path_regex: str,
        kind: FaultKind,
        count: int = 1,
        retry_after: str | None = None,
        delay: float = 0.0,
    ) -> None:
        if kind not in _FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {_FAULT_KINDS}")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.append(_Fault(re.compile(path_regex), kind, count, retry_after, delay))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> int:
        """How many faulted responses are still to be served."""
        with self._lock:
            return sum(f.remaining for f in self._faults)

    def take(self, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.pattern.search(path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json;charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)


class _ApiError(Exception):
    def __init__(self, status: int, message: str | None = None) -> None:
        super().__init__(message or _REASONS.get(status, "Error"))
        self.status = status
        self.message = message


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Clients keep connections alive; do not wait for their threads on shutdown.
    block_on_close = False
    owner: FakeIntervalsServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    timeout = 30  # idle keep-alive connections are closed after this many seconds

    def do_GET(self) -> None:
        self.server.owner._handle(self)

    def do_POST(self) -> None:
        self.server.owner._handle(self)

    def do_PUT(self) -> None:
        self.server.owner._handle(self)

    def do_DELETE(self) -> None:
        self.server.owner._handle(self)

    def log_message(self, format: str, *args: Any) -> None:
        return  # the request log lives in FakeIntervalsServer.requests


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _bound(value: str, name: str) -> date | datetime:
    """A ``oldest``/``newest`` value: a date or a local datetime; 422 when neither."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.replace(tzinfo=None)
    except ValueError:
        raise _ApiError(422, f"Failed to convert '{name}' value '{value}' to a date") from None


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _csv(query: dict[str, list[str]], name: str) -> list[str] | None:
    if name not in query:
        return None
    return [p.strip() for v in query[name] for p in v.split(",") if p.strip()]


def _only(record: JSON, fields: list[str] | None) -> JSON:
    if fields is None:
        return record
    return {k: record[k] for k in fields if k in record and record[k] is not None}


def _flag(query: dict[str, list[str]], name: str) -> bool:
    return query.get(name, ["false"])[-1].lower() == "true"


def _limit(query: dict[str, list[str]]) -> int | None:
    if "limit" not in query:
        return None
    try:
        return int(query["limit"][-1])
    except ValueError:
        raise _ApiError(422, "Failed to convert 'limit' to int") from None


class FakeIntervalsServer:
    """The fake API. ``start()`` returns the base URL ``http://127.0.0.1:PORT/api/v1``."""

    def __init__(self, athlete: DemoAthlete, *, latency: float = 0.0) -> None:
        self.athlete = athlete
        self.latency = latency
        self.faults = FaultInjector()
        self.writes = CalendarWrites(athlete)
        # attachment id -> how its download misbehaves (see demo.attachment_faults)
        self.attachment_faults: dict[str, AttachmentFault] = {}
        self.requests: list[RequestRecord] = []
        self.base_url = ""
        self.origin = ""
        self._log_lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> str:
        if self._httpd is not None:
            return self.base_url
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        port = httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{port}"
        self.base_url = f"{self.origin}/api/v1"
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-intervals-icu",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeIntervalsServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- request log -------------------------------------------------------------------

    def reset_log(self) -> None:
        with self._log_lock:
            self.requests.clear()

    def request_count(self, path_regex: str | None = None) -> int:
        """Requests seen so far, optionally only those whose path matches (``re.search``)."""
        with self._log_lock:
            records = list(self.requests)
        if path_regex is None:
            return len(records)
        pattern = re.compile(path_regex)
        return sum(1 for r in records if pattern.search(r.path))

    def bytes_sent(self) -> int:
        with self._log_lock:
            return sum(r.bytes_sent for r in self.requests)

    def attachment_url(self, attachment_id: str, filename: str) -> str:
        return f"{self.origin}/attachments/{attachment_id}/{filename}"

    # -- request handling --------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        started = time.perf_counter()
        split = urlsplit(handler.path)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        flat_query = {k: ",".join(v) for k, v in query.items()}
        # Read the body first: an unread body would corrupt the next keep-alive request.
        length = handler.headers.get("Content-Length") or "0"
        body = handler.rfile.read(int(length) if length.isdigit() else 0)
        if self.latency > 0:
            time.sleep(self.latency)
        special = self._attachment_fault(path)
        if special is not None:
            status = serve_attachment_fault(handler, special[0], special[1])
            self._record(handler.command, path, flat_query, status, 0, started)
            return
        fault = self.faults.take(path)
        if fault is not None and fault.kind == "drop":
            handler.close_connection = True
            self._record(handler.command, path, flat_query, 0, 0, started)
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault is not None and fault.kind in ("401", "429", "500", "503"):
            status = int(fault.kind)
            resp = _Response(status, self._spring_error(status, path, None))
            if fault.retry_after is not None:
                resp.headers["Retry-After"] = fault.retry_after
        else:
            resp = self._respond(handler, path, query, body)
            if fault is not None and fault.kind == "malformed":
                resp = _Response(200, resp.body[: max(len(resp.body) // 2, 1)])
            elif fault is not None and fault.kind == "wrong_shape":
                resp = _Response(200, _dumps("unexpected shape"))
        # Log before answering: a client that got the response must find it in the log.
        self._record(handler.command, path, flat_query, resp.status, len(resp.body), started)
        body = resp.body
        if fault is not None and fault.kind == "bad_gzip":
            body = b"this is not gzip at all"
            resp.headers["Content-Encoding"] = "gzip"
        handler.send_response(resp.status)
        handler.send_header("Content-Type", resp.content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in resp.headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        if fault is not None and fault.kind == "truncated":
            body = body[: len(body) // 2]
            handler.close_connection = True
        handler.wfile.write(body)

    def _record(
        self, method: str, path: str, query: dict[str, str], status: int, size: int, t0: float
    ) -> None:
        rec = RequestRecord(method, path, query, status, size, time.perf_counter() - t0, t0)
        with self._log_lock:
            self.requests.append(rec)

    def _spring_error(self, status: int, path: str, message: str | None) -> bytes:
        body: JSON = {
            # A fixed timestamp: the fake server never reads the clock for payloads.
            "timestamp": f"{self.athlete.today.isoformat()}T12:00:00.000+00:00",
            "status": status,
            "error": _REASONS.get(status, "Error"),
        }
        if message:
            body["message"] = message
        body["path"] = path
        return _dumps(body)

    def _respond(
        self, handler: _Handler, path: str, query: dict[str, list[str]], body: bytes = b""
    ) -> _Response:
        try:
            if path.startswith("/attachments/"):
                return self._attachment(handler.command, path)
            if not self._authorized(handler.headers.get("Authorization")):
                return _Response(401, _dumps({"status": 401, "error": "Unauthorized"}))
            if self.writes.handles(handler.command, path):
                try:
                    return _Response(
                        200, _dumps(self.writes.route(handler.command, path, query, body))
                    )
                except WriteRejected as rejected:
                    raise _ApiError(rejected.status, rejected.message) from None
            return _Response(200, _dumps(self._route(path, query)))
        except _ApiError as err:
            if err.status == 404:
                body = _dumps({"status": 404, "error": "Not Found", "path": path})
            elif err.status == 403:
                body = _dumps({"status": 403, "error": "Access denied"})
            else:
                body = self._spring_error(err.status, path, err.message)
            return _Response(err.status, body)
        except Exception as exc:  # a bug in the fake must show up as a 500, not a hang
            return _Response(500, self._spring_error(500, path, type(exc).__name__))

    def _authorized(self, header: str | None) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, _, key = decoded.partition(":")
        return user == "API_KEY" and hmac.compare_digest(
            key.encode("utf-8"), self.athlete.api_key.encode("utf-8")
        )

    def _attachment_fault(self, path: str) -> tuple[AttachmentFault, bytes] | None:
        m = re.fullmatch(r"/attachments/([^/]+)/[^/]+", path)
        fault = self.attachment_faults.get(m.group(1)) if m else None
        if m is None or fault is None:
            return None
        return fault, self.athlete.attachments.get(m.group(1), b"")

    def _attachment(self, method: str, path: str) -> _Response:
        m = re.fullmatch(r"/attachments/([^/]+)/[^/]+", path)
        data = self.athlete.attachments.get(m.group(1)) if m else None
        if method != "GET" or data is None:
            return _Response(404, _dumps({"status": 404, "error": "Not Found", "path": path}))
        return _Response(200, data, content_type="application/octet-stream")

    # -- routes ------------------------------------------------------------------------

    def _route(self, path: str, query: dict[str, list[str]]) -> Any:
        m = re.fullmatch(r"/api/v1/athlete/([^/]+)(/.*)?", path)
        if m:
            if m.group(1) not in (self.athlete.athlete_id, "0"):
                raise _ApiError(403)
            return self._athlete_route(m.group(2) or "", query)
        m = re.fullmatch(
            r"/api/v1/activity/([^/]+)(/intervals|/messages|/streams(?:\.json)?)?", path
        )
        if m:
            return self._activity_route(m.group(1), m.group(2) or "", query)
        raise _ApiError(404)

    def _athlete_route(self, rest: str, query: dict[str, list[str]]) -> Any:
        if rest == "":
            return self.athlete.athlete
        if rest == "/activities":
            return self._activities(query)
        if rest in ("/wellness", "/wellness.json"):
            return self._wellness(query)
        m = re.fullmatch(r"/wellness/([^/]+)", rest)
        if m:
            return self._wellness_day(m.group(1))
        if rest in ("/events", "/events.json"):
            return self._events(query)
        m = re.fullmatch(r"/(power|hr)-curves(?:\.json)?", rest)
        if m:
            return self._curves("power" if m.group(1) == "power" else "hr", query)
        m = re.fullmatch(r"/events/([^/]+)", rest)
        if m:
            try:
                event_id = int(m.group(1))
            except ValueError:
                raise _ApiError(400, "Failed to convert 'eventId' to int") from None
            try:
                return self._serve_event(self.athlete.event(event_id), resolve=False)
            except KeyError:
                raise _ApiError(404) from None
        raise _ApiError(404)

    def _curves(self, kind: Literal["power", "hr"], query: dict[str, list[str]]) -> JSON:
        sport = query["type"][-1] if "type" in query else None
        if kind == "power" and sport is None:
            raise _ApiError(422, "Required request parameter 'type' is not present")
        types = None
        if sport is not None:
            settings = self.athlete.sport_settings(sport)
            types = frozenset((settings or {}).get("types") or [sport])
        specs = _csv(query, "curves") or ["84d"]
        try:
            return curve_set(self.athlete.activities, specs, self.athlete.today, kind, types)
        except CurveSpecError as exc:
            raise _ApiError(400, f"Invalid curve {exc}") from None

    def _activities(self, query: dict[str, list[str]]) -> list[JSON]:
        if "oldest" not in query:
            raise _ApiError(422, _MISSING_OLDEST)
        lo = _bound(query["oldest"][-1], "oldest")
        hi = _bound(query["newest"][-1], "newest") if "newest" in query else self.athlete.today
        lo_dt = lo if isinstance(lo, datetime) else datetime.combine(lo, dtime.min)
        hi_dt = hi if isinstance(hi, datetime) else datetime.combine(hi, dtime.max)
        fields = _csv(query, "fields")
        picked = []
        for act in self.athlete.activities:
            try:
                started = datetime.fromisoformat(str(act.get("start_date_local")))
            except ValueError:
                continue
            if lo_dt <= started <= hi_dt:
                picked.append((started, str(act.get("id")), act))
        picked.sort(key=lambda t: (t[0], t[1]), reverse=True)
        out = [_only(a, fields) for _, _, a in picked]
        limit = _limit(query)
        return out if limit is None else out[:limit]

    def _wellness(self, query: dict[str, list[str]]) -> list[JSON]:
        hi = _as_date(_bound(query["newest"][-1], "newest")) if "newest" in query else None
        hi = hi or self.athlete.today
        lo = _as_date(_bound(query["oldest"][-1], "oldest")) if "oldest" in query else None
        lo = lo or hi - timedelta(days=6)
        fields = _csv(query, "fields")
        lo_s, hi_s = lo.isoformat(), hi.isoformat()
        rows = [w for w in self.athlete.wellness if lo_s <= str(w.get("id")) <= hi_s]
        rows.sort(key=lambda w: str(w.get("id")))
        return [_only(w, fields) for w in rows]

    def _wellness_day(self, value: str) -> JSON:
        day = _as_date(_bound(value, "date")).isoformat()
        for rec in self.athlete.wellness:
            if rec.get("id") == day:
                return rec
        empty: JSON = {"id": day}
        empty.update(dict.fromkeys(_EMPTY_WELLNESS_KEYS))
        empty["sportInfo"] = []
        return empty

    def _events(self, query: dict[str, list[str]]) -> list[JSON]:
        lo = _as_date(_bound(query["oldest"][-1], "oldest")) if "oldest" in query else None
        lo = lo or self.athlete.today
        hi = _as_date(_bound(query["newest"][-1], "newest")) if "newest" in query else None
        hi = hi or lo + timedelta(days=6)
        categories = _csv(query, "category")
        resolve = _flag(query, "resolve")
        lo_s, hi_s = lo.isoformat(), hi.isoformat()
        rows = []
        for ev in self.athlete.events:
            start = str(ev.get("start_date_local"))[:10]
            if not lo_s <= start <= hi_s:
                continue
            if categories is not None and ev.get("category") not in categories:
                continue
            rows.append(ev)
        rows.sort(key=lambda e: (str(e.get("start_date_local")), e.get("id") or 0))
        limit = _limit(query)
        if limit is not None:
            rows = rows[:limit]
        return [self._serve_event(ev, resolve=resolve) for ev in rows]

    def _serve_event(self, ev: JSON, *, resolve: bool) -> JSON:
        out = dict(ev)
        origin = self.origin
        if ev.get("attachments"):
            out["attachments"] = [
                {**att, "url": str(att.get("url", "")).replace(ATTACHMENT_HOST_PLACEHOLDER, origin)}
                for att in ev["attachments"]
            ]
        doc = ev.get("workout_doc")
        if resolve and isinstance(doc, dict):
            settings = self.athlete.sport_settings(str(ev.get("type"))) or {}
            indoor = bool(ev.get("indoor")) or ev.get("type") == "VirtualRide"
            ftp = settings.get("indoor_ftp") if indoor else None
            ftp = ftp or settings.get("ftp")
            out["workout_doc"] = resolve_doc(doc, ftp=ftp, lthr=settings.get("lthr"))
        elif isinstance(doc, dict):
            out["workout_doc"] = copy.deepcopy(doc)
        return out

    def _activity_route(self, activity_id: str, rest: str, query: dict[str, list[str]]) -> Any:
        try:
            act = self.athlete.activity(activity_id)
        except KeyError:
            raise _ApiError(404) from None
        stub = act.get("source") == "STRAVA"
        if rest == "":
            if stub or not _flag(query, "intervals"):
                return act
            found = self.athlete.intervals.get(activity_id) or {}
            return {
                **act,
                "icu_intervals": found.get("icu_intervals") or [],
                "icu_groups": found.get("icu_groups") or [],
            }
        if stub:
            raise _ApiError(404)
        if rest == "/messages":
            return self.athlete.messages.get(activity_id, [])
        if rest == "/intervals":
            dto = self.athlete.intervals.get(activity_id)
            if dto is not None:
                return dto
            return {
                "id": activity_id,
                "analyzed": act.get("analyzed"),
                "icu_intervals": [],
                "icu_groups": [],
            }
        types = _csv(query, "types")
        return self.athlete.streams_for(activity_id, types)
