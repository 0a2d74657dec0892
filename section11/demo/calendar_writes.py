"""Calendar and settings writes for the fake Intervals.icu server.

Follows the API contract: ``POST /athlete/{id}/events`` creates, ``POST .../events/bulk``
with ``upsert=true`` creates or updates by ``external_id``, ``PUT``/``DELETE
.../events/{eventId}`` update and delete, ``GET``/``PUT .../sport-settings/{id}`` (an id or
an activity type), ``PUT /activity/{id}`` and ``POST /activity/{id}/messages``. Like the
real server, an event's ``workout_doc`` is derived from its ``description``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from section11.demo.athlete import DemoAthlete

JSON = dict[str, Any]
_SPORT_OF_TYPE = {"Run": "run", "Ride": "ride", "VirtualRide": "ride", "Swim": "swim"}


class WriteRejected(Exception):
    def __init__(self, status: int, message: str | None = None) -> None:
        super().__init__(message or str(status))
        self.status = status
        self.message = message


class CalendarWrites:
    """The write side of the fake API over one ``DemoAthlete``."""

    def __init__(self, athlete: DemoAthlete) -> None:
        self.athlete = athlete
        self.messages: dict[str, list[JSON]] = {}

    def handles(self, method: str, path: str) -> bool:
        if method != "GET":
            return True
        return re.search(r"/sport-settings/[^/]+$", path) is not None

    def route(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> Any:
        payload = _json(body) if method in ("POST", "PUT") else None
        m = re.fullmatch(r"/api/v1/athlete/([^/]+)(/.*)", path)
        if m:
            if m.group(1) not in (self.athlete.athlete_id, "0"):
                raise WriteRejected(403)
            return self._athlete_route(method, m.group(2), query, payload)
        m = re.fullmatch(r"/api/v1/activity/([^/]+)(/messages)?", path)
        if m:
            return self._activity_route(method, m.group(1), bool(m.group(2)), payload)
        raise WriteRejected(404)

    # -- events ------------------------------------------------------------------------

    def _athlete_route(
        self, method: str, rest: str, query: dict[str, list[str]], payload: Any
    ) -> Any:
        if rest == "/events" and method == "POST":
            return self._create(_object(payload))
        if rest == "/events/bulk" and method == "POST":
            if not isinstance(payload, list):
                raise WriteRejected(400, "expected a JSON array of events")
            upsert = query.get("upsert", ["false"])[-1].lower() == "true"
            return [self._upsert(_object(item), upsert) for item in payload]
        m = re.fullmatch(r"/events/([^/]+)", rest)
        if m and method in ("PUT", "DELETE"):
            event = self._event(m.group(1))
            if method == "DELETE":
                self.athlete.events.remove(event)
                return {}
            return self._apply(event, _object(payload))
        m = re.fullmatch(r"/sport-settings/([^/]+)", rest)
        if m:
            settings = self._settings(m.group(1))
            if method == "GET":
                return dict(settings)
            if method == "PUT":
                for key, value in _object(payload).items():
                    if key not in ("id", "types"):
                        settings[key] = value
                return dict(settings)
        raise WriteRejected(405 if rest.startswith("/events") else 404)

    def _event(self, raw_id: str) -> JSON:
        try:
            return self.athlete.event(int(raw_id))
        except ValueError:
            raise WriteRejected(400, "Failed to convert 'eventId' to int") from None
        except KeyError:
            raise WriteRejected(404) from None

    def _create(self, fields: JSON) -> JSON:
        if not fields.get("start_date_local") or not fields.get("category"):
            raise WriteRejected(422, "start_date_local and category are required")
        ids = [e["id"] for e in self.athlete.events if isinstance(e.get("id"), int)]
        event: JSON = {"id": max(ids, default=0) + 1, "athlete_id": self.athlete.athlete_id}
        self.athlete.events.append(event)
        return self._apply(event, fields)

    def _upsert(self, fields: JSON, upsert: bool) -> JSON:
        key = fields.get("external_id")
        if upsert and key:
            for event in self.athlete.events:
                if event.get("external_id") == key:
                    return self._apply(event, fields)
        return self._create(fields)

    def _apply(self, event: JSON, fields: JSON) -> JSON:
        for key, value in fields.items():
            if key not in ("id", "athlete_id"):
                event[key] = value
        if "description" in fields and "workout_doc" not in fields:
            event["workout_doc"] = _doc_from_text(event)
        return dict(event)

    def _settings(self, key: str) -> JSON:
        for entry in self.athlete.athlete.get("sportSettings") or []:
            if str(entry.get("id")) == key or key in (entry.get("types") or []):
                settings: JSON = entry
                return settings
        raise WriteRejected(404)

    # -- activities --------------------------------------------------------------------

    def _activity_route(self, method: str, activity_id: str, messages: bool, payload: Any) -> Any:
        try:
            activity = self.athlete.activity(activity_id)
        except KeyError:
            raise WriteRejected(404) from None
        if messages and method == "POST":
            content = _object(payload).get("content")
            if not isinstance(content, str) or not content.strip():
                raise WriteRejected(422, "content is required")
            thread = self.messages.setdefault(activity_id, [])
            message = {"id": len(thread) + 1, "activity_id": activity_id, "content": content}
            thread.append(message)
            return message
        if not messages and method == "PUT":
            for key, value in _object(payload).items():
                if key != "id":
                    activity[key] = value
            return dict(activity)
        raise WriteRejected(405)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except ValueError:
        raise WriteRejected(400, "malformed JSON body") from None


def _object(payload: Any) -> JSON:
    if not isinstance(payload, dict):
        raise WriteRejected(400, "expected a JSON object")
    return payload


def _doc_from_text(event: JSON) -> JSON | None:
    from section11.workouts import from_text, to_doc

    sport = _SPORT_OF_TYPE.get(str(event.get("type")), "strength")
    try:
        items, _ = from_text(str(event.get("description") or ""), sport)  # type: ignore[arg-type]
    except ValueError:
        return None
    return to_doc(items) if items else None
