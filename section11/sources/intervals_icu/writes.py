"""Calendar and settings writes to Intervals.icu, over the shared ``IntervalsClient``.

Reads that a write needs (the event before a move, the settings before a change) live here
too, so the commands speak to one small surface. Each method makes exactly one request.
"""

from __future__ import annotations

from typing import Any

from section11.sources.intervals_icu.client import IntervalsClient

JSON = dict[str, Any]


class CalendarApi:
    def __init__(self, client: IntervalsClient) -> None:
        self.client = client
        self._athlete = f"/athlete/{client.athlete_id}"

    # -- events ------------------------------------------------------------------------

    def list_events(self, oldest: str, newest: str, categories: tuple[str, ...] = ()) -> list[Any]:
        return self.client.events(oldest, newest, categories=categories, resolve=False)

    def event(self, event_id: int) -> JSON:
        data = self.client.get_json(f"{self._athlete}/events/{event_id}")
        return data if isinstance(data, dict) else {}

    def create_event(self, event: JSON) -> JSON:
        """POST one event (not idempotent: never retried once it may have arrived)."""
        data = self.client.send_json(
            "POST", f"{self._athlete}/events", body=event, idempotent=False
        )
        return data if isinstance(data, dict) else {}

    def upsert_events(self, events: list[JSON]) -> list[Any]:
        """Create or update by ``external_id`` (safe to repeat: the same id updates)."""
        data = self.client.send_json(
            "POST", f"{self._athlete}/events/bulk", {"upsert": "true"}, events
        )
        return data if isinstance(data, list) else []

    def update_event(self, event_id: int, fields: JSON) -> JSON:
        data = self.client.send_json("PUT", f"{self._athlete}/events/{event_id}", body=fields)
        return data if isinstance(data, dict) else {}

    def delete_event(self, event_id: int) -> None:
        self.client.send_json("DELETE", f"{self._athlete}/events/{event_id}")

    # -- sport settings ----------------------------------------------------------------

    def sport_settings(self, activity_type: str) -> JSON:
        data = self.client.get_json(f"{self._athlete}/sport-settings/{activity_type}")
        return data if isinstance(data, dict) else {}

    def update_sport_settings(self, activity_type: str, fields: JSON, *, recalc_hr: bool) -> JSON:
        data = self.client.send_json(
            "PUT",
            f"{self._athlete}/sport-settings/{activity_type}",
            {"recalcHrZones": "true" if recalc_hr else "false"},
            fields,
        )
        return data if isinstance(data, dict) else {}

    # -- activities --------------------------------------------------------------------

    def activity(self, activity_id: str) -> JSON:
        data = self.client.get_json(f"/activity/{activity_id}")
        return data if isinstance(data, dict) else {}

    def update_activity(self, activity_id: str, fields: JSON) -> JSON:
        data = self.client.send_json("PUT", f"/activity/{activity_id}", body=fields)
        return data if isinstance(data, dict) else {}

    def add_activity_message(self, activity_id: str, content: str) -> JSON:
        data = self.client.send_json(
            "POST", f"/activity/{activity_id}/messages", body={"content": content}, idempotent=False
        )
        return data if isinstance(data, dict) else {}

    def streams(self, activity_id: str, types: tuple[str, ...]) -> list[Any]:
        if types:
            return self.client.activity_streams(activity_id, types)
        data = self.client.get_json(f"/activity/{activity_id}/streams.json")
        return data if isinstance(data, list) else []
