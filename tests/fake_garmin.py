"""A Garmin Connect API on 127.0.0.1: the endpoints the Garmin source calls, plus the
token endpoint that refreshes a session. Payloads are shaped like Garmin's own answers
(as garminconnect's documentation and the Connect app show them).

Bearer tokens are checked; the refresh endpoint trades a known refresh token for a new
access token. Faults (status, headers, count) can be injected per path pattern. Every
request is recorded for assertions.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACCESS = "fake-access-token-0123456789"
REFRESH = "fake-refresh-token-9876543210"
CLIENT_ID = "GARMIN_CONNECT_MOBILE_ANDROID_DI"
TOKEN_PATH = "/di-oauth2-service/oauth/token"


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # None: every matching request


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None


class FakeGarmin:
    """``with FakeGarmin() as garmin:``; ``garmin.url`` is the API base URL."""

    def __init__(self) -> None:
        self.display_name = "runner-abc"
        self.valid_access: set[str] = {ACCESS}
        self.valid_refresh: set[str] = {REFRESH}
        self.summaries: dict[str, dict[str, Any]] = {}
        self.readiness: dict[str, list[dict[str, Any]]] = {}
        self.status: dict[str, dict[str, Any]] = {}
        self.sleep: dict[str, dict[str, Any]] = {}
        self.activities: list[dict[str, Any]] = []
        self.split_summaries: dict[str, list[dict[str, Any]]] = {}
        self.laps: dict[str, list[dict[str, Any]]] = {}
        self.user_settings: dict[str, Any] = {
            "userData": {
                "weight": 70000.0,
                "lactateThresholdHeartRate": 170,
                "measurementSystem": "metric",
            }
        }
        self.requests: list[Recorded] = []
        self._faults: list[tuple[re.Pattern[str], Fault]] = []
        self._issued = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def token_url(self) -> str:
        return self.url + TOKEN_PATH

    def __enter__(self) -> FakeGarmin:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, pattern: str, fault: Fault) -> None:
        self._faults.append((re.compile(pattern), fault))

    def paths(self, prefix: str = "/") -> list[str]:
        return [r.path for r in self.requests if r.path.startswith(prefix)]

    # ------------------------------------------------------------------ answering

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], auth: str | None, body: str
    ) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.requests.append(Recorded(method, path, query, auth))
            for pattern, fault in self._faults:
                if pattern.search(path) and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault.status, fault.headers, {"message": "fault"}
            if method == "POST" and path == TOKEN_PATH:
                return self._refresh(parse_qs(body))
            if auth is None or auth.removeprefix("Bearer ") not in self.valid_access:
                return 401, {}, {"message": "Unauthorized"}
            return self._get(path, query)

    def _refresh(self, form: dict[str, list[str]]) -> tuple[int, dict[str, str], Any]:
        token = (form.get("refresh_token") or [""])[0]
        if form.get("grant_type") != ["refresh_token"] or token not in self.valid_refresh:
            return 400, {}, {"error": "invalid_grant"}
        self._issued += 1
        access = f"fake-access-refreshed-{self._issued}-abcdef"
        self.valid_access.add(access)
        return 200, {}, {"access_token": access, "refresh_token": token, "expires_in": 3600}

    def _get(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], Any]:
        def q(name: str) -> str:
            return (query.get(name) or [""])[0]

        if path == "/userprofile-service/socialProfile":
            return 200, {}, {"displayName": self.display_name, "fullName": "Fake Runner"}
        if path == "/userprofile-service/userprofile/user-settings":
            return 200, {}, self.user_settings
        if path == f"/usersummary-service/usersummary/daily/{self.display_name}":
            day = self.summaries.get(q("calendarDate"))
            return (200, {}, day) if day is not None else (204, {}, None)
        if m := re.fullmatch(r"/metrics-service/metrics/trainingreadiness/([\d-]+)", path):
            return 200, {}, self.readiness.get(m.group(1), [])
        if m := re.fullmatch(r"/metrics-service/metrics/trainingstatus/aggregated/([\d-]+)", path):
            status = self.status.get(m.group(1))
            return (200, {}, status) if status is not None else (204, {}, None)
        if path == f"/wellness-service/wellness/dailySleepData/{self.display_name}":
            return 200, {}, self.sleep.get(q("date"), {})
        if m := re.fullmatch(r"/activity-service/activity/(\d+)/split_summaries", path):
            summaries = self.split_summaries.get(m.group(1), [])
            return 200, {}, {"activityId": int(m.group(1)), "splitSummaries": summaries}
        if m := re.fullmatch(r"/activity-service/activity/(\d+)/splits", path):
            laps = self.laps.get(m.group(1), [])
            return 200, {}, {"activityId": int(m.group(1)), "lapDTOs": laps}
        if path == "/activitylist-service/activities/search/activities":
            start, end = q("startDate"), q("endDate")
            found = [
                a for a in self.activities if start <= str(a.get("startTimeLocal", ""))[:10] <= end
            ]
            offset, limit = int(q("start") or 0), int(q("limit") or 20)
            return 200, {}, found[offset : offset + limit]
        return 404, {}, {"message": "Not Found"}


def _handler_for(fake: FakeGarmin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _respond(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            status, headers, payload = fake.answer(
                method, parts.path, parse_qs(parts.query), self.headers.get("Authorization"), body
            )
            data = b"" if status == 204 or payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._respond("GET")

        def do_POST(self) -> None:
            self._respond("POST")

    return Handler


def summary(
    day: str, *, bb_high: int = 80, bb_low: int = 25, stress: int = 30, rhr: int = 48
) -> dict[str, Any]:
    """A daily summary shaped like usersummary-service's answer."""
    return {
        "calendarDate": day,
        "totalSteps": 9000,
        "restingHeartRate": rhr,
        "averageStressLevel": stress,
        "maxStressLevel": 90,
        "bodyBatteryHighestValue": bb_high,
        "bodyBatteryLowestValue": bb_low,
        "bodyBatteryChargedValue": 50,
        "bodyBatteryDrainedValue": 55,
        "averageSpo2": 96.0,
        "avgWakingRespirationValue": 14.0,
    }


def readiness(day: str, score: int, level: str = "MODERATE") -> list[dict[str, Any]]:
    """Two readings: the one on waking and a later one after an activity."""
    return [
        {
            "calendarDate": day,
            "timestamp": f"{day}T14:00:00.0",
            "score": score - 20,
            "level": "LOW",
        },
        {"calendarDate": day, "timestamp": f"{day}T06:30:00.0", "score": score, "level": level},
    ]


def training_status(day: str, phrase: str = "PRODUCTIVE_2") -> dict[str, Any]:
    return {
        "mostRecentTrainingStatus": {
            "latestTrainingStatusData": {
                "3333": {
                    "calendarDate": day,
                    "trainingStatus": 7,
                    "trainingStatusFeedbackPhrase": "MAINTAINING_1",
                    "primaryTrainingDevice": False,
                },
                "1234": {
                    "calendarDate": day,
                    "trainingStatus": 4,
                    "trainingStatusFeedbackPhrase": phrase,
                    "primaryTrainingDevice": True,
                },
            }
        }
    }


def activity(
    activity_id: int,
    start_local: str,
    *,
    offset_hours: int = 1,
    type_key: str = "running",
    moving_s: float = 3600.0,
    distance_m: float = 12000.0,
    avg_hr: float | None = 153.0,
) -> dict[str, Any]:
    """An entry of the activity list, shaped like activitylist-service's answer."""
    local = datetime.fromisoformat(start_local)
    gmt = local - timedelta(hours=offset_hours)
    return {
        "activityId": activity_id,
        "activityName": "Morning Run",
        "startTimeLocal": local.strftime("%Y-%m-%d %H:%M:%S"),
        "startTimeGMT": gmt.strftime("%Y-%m-%d %H:%M:%S"),
        "activityType": {"typeId": 1, "typeKey": type_key},
        "distance": distance_m,
        "duration": moving_s + 60,
        "elapsedDuration": moving_s + 60,
        "movingDuration": moving_s,
        "elevationGain": 85.0,
        "averageSpeed": distance_m / moving_s,
        "maxSpeed": 4.6,
        "averageHR": avg_hr,
        "maxHR": 176.0,
        "calories": 780.0,
        "averageRunningCadenceInStepsPerMinute": 172.0,
        "aerobicTrainingEffect": 3.1,
        "anaerobicTrainingEffect": 0.8,
        "activityTrainingLoad": 118.0,
        "avgGroundContactTime": 241.0,
        "avgVerticalOscillation": 8.4,
        "differenceBodyBattery": -14,
        "lapCount": 12,
    }


def split_summary(
    split_type: str, count: int, secs: float, metres: float, hr: float
) -> dict[str, Any]:
    """An entry of split_summaries' splitSummaries."""
    return {
        "splitType": split_type,
        "noOfSplits": count,
        "duration": secs,
        "movingDuration": secs,
        "distance": metres,
        "averageSpeed": metres / secs,
        "averageHR": hr,
        "maxHR": hr + 10,
    }


def lap(index: int, intensity: str, secs: float, metres: float, hr: float) -> dict[str, Any]:
    """An entry of splits' lapDTOs."""
    return {
        "lapIndex": index,
        "intensityType": intensity,
        "duration": secs,
        "distance": metres,
        "averageSpeed": metres / secs,
        "averageHR": hr,
        "maxHR": hr + 8,
        "averageRunCadence": 176.0,
    }


def sync_garmin_alone(
    garmin: FakeGarmin, tmp_path: Path, now: datetime, extra: dict[str, str] | None = None
) -> int:
    """One sync with Garmin as the only source, against ``garmin`` (pacing lifted)."""
    from section11.clock import FixedClock
    from section11.config import resolve_settings
    from section11.pipeline import run
    from section11.sources.garmin.tokens import GarminTokens

    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "SECTION11_SOURCE": "garmin",
        "GARMIN_TOKENS": GarminTokens(ACCESS, REFRESH, CLIENT_ID).to_blob(),
        "SECTION11_GARMIN_API_BASE": garmin.url,
        "SECTION11_GARMIN_TOKEN_URL": garmin.token_url,
        **(extra or {}),
    }
    settings = resolve_settings({"output_dir": str(tmp_path / "out")}, env)
    fast = dataclasses.replace(settings.garmin, max_per_second=1000.0)
    return run(dataclasses.replace(settings, garmin=fast), clock=FixedClock(now), env=env)
