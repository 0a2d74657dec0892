"""The privacy pass: JSON copies of the files about to be written, reduced to the level.

Runs once per sync over every output file and the run state together, just before they
are written, so the privacy zones are the same in all of them and a field added to any
model by any part of the code is covered by its name in :mod:`section11.privacy.fields`.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel

from section11.privacy import fields as F
from section11.privacy.geo import (
    LatLon,
    PrivacyZones,
    already_rounded,
    as_latlon,
    decode_polyline,
    rounded,
    trim_polyline,
)
from section11.privacy.levels import PrivacyLevel

__all__ = ["collect_zones", "protect_documents"]

K = TypeVar("K")

_YEAR = re.compile(r"^(\d{4})")
_QUOTED = re.compile(r"\s*\"[^\"]*\"")
_NEUTRAL_FILENAME = re.compile(r"^route-[A-Za-z0-9_-]+\.[a-z0-9]+$")
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")
# Shorter originals are not replaced elsewhere in the files: too likely to be ordinary words.
_MIN_REPLACED_LENGTH = 6
# The instructions block explains fields by name; it holds no athlete data to replace.
_NOT_SCANNED_FOR_COPIES = frozenset({"READ_THIS_FIRST"})
# Generic names the mirror itself writes (anonymized activities) are not personal.
_GENERIC_NAMES = frozenset({"Training Session"})


# Every key the pass reads or reduces. A document none of whose keys is one of these (the
# history state: thousands of rows of dates, types and numbers) holds nothing to reduce and
# no course to take a privacy zone from, so it is not walked (see ``_has_private_keys``).
_PRIVATE_KEYS = frozenset(
    {
        *F.ORIGIN_FIELDS,
        *F.POINT_FIELDS,
        *F.TRACK_FIELDS,
        *F.POLYLINE_FIELDS,
        *(key for pair in F.LAT_LON_PAIRS for key in pair),
        *F.ATHLETE_ID_FIELDS,
        *F.IDENTITY_FIELDS,
        *F.DOB_FIELDS,
        *F.FILENAME_FIELDS,
        *F.FREE_TEXT_FIELDS,
        *F.NAME_FIELDS,
        *F.STRUCTURED_TEXT_FIELDS,
        *F.PLACE_FIELDS,
        *F.CITY_FIELDS,
        *F.COUNTRY_FIELDS,
    }
)
# In compact JSON text a key, and only a key, is a string followed by ':'.
_PRIVATE_KEY_IN_TEXT = re.compile(
    "|".join(re.escape(f'"{key}":') for key in sorted(_PRIVATE_KEYS, key=len, reverse=True))
)


def protect_documents(documents: Mapping[K, Any], level: PrivacyLevel) -> dict[K, Any]:
    """JSON data of each document (a pydantic model or JSON data) with ``level`` applied.

    ``full`` returns the documents unchanged (as JSON data). The input is never modified:
    a document given as JSON data is copied before the pass changes anything in it, and
    returned as the same object when there is nothing to change (the history state: a
    megabyte of rows on a busy account, so copying it for nothing costs).
    """
    data = {name: _as_json(doc) for name, doc in documents.items()}
    if level is PrivacyLevel.FULL:
        return data
    texts = {name: _compact_text(doc) for name, doc in data.items()}
    walked = [name for name in data if _PRIVATE_KEY_IN_TEXT.search(texts[name])]
    for name in walked:
        if not isinstance(documents[name], BaseModel):
            data[name] = copy.deepcopy(data[name])  # the walk below changes it in place
    zones = collect_zones(data[name] for name in walked)
    reducer = _Reducer(level, zones)
    for name in walked:
        reducer.walk(data[name], in_segment=False, depth=0)
    if reducer.replacements:
        # A copy of removed text may sit in any document (an alert quoting a race name);
        # one that holds none (checked on its text, escaped forms included) is left as is.
        holds_copy = reducer.copies_pattern(escaped=True)
        data = {
            name: reducer.replace_copies(doc)
            if name in walked or holds_copy.search(texts[name])
            else doc
            for name, doc in data.items()
        }
    return data


def _compact_text(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str)


def collect_zones(documents: Iterable[Any]) -> PrivacyZones:
    """Privacy zones from every course start/finish in ``documents`` (see ``geo``)."""
    places: list[LatLon] = []
    starts: list[LatLon] = []
    for doc in documents:
        _collect(doc, False, places, starts)
    return PrivacyZones.around(places, starts)


def _as_json(doc: Any) -> Any:
    if isinstance(doc, BaseModel):
        return doc.model_dump(mode="json", by_alias=True)
    return doc


def _collect(node: Any, in_segment: bool, places: list[LatLon], starts: list[LatLon]) -> None:
    if isinstance(node, list):
        for item in node:
            _collect(item, in_segment, places, starts)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in F.ORIGIN_FIELDS and not in_segment:
            point = as_latlon(value)
            if point is not None:
                places.append(point)
                if key.startswith("start"):
                    starts.append(point)
        elif key in F.POLYLINE_FIELDS and isinstance(value, str):
            points = decode_polyline(value)
            if points and not already_rounded(points):
                places.extend((points[0], points[-1]))
                starts.append(points[0])
        elif key in F.TRACK_FIELDS or key in F.POINT_FIELDS:
            track = _track(value)  # None for a single point
            if track and not already_rounded(track):
                places.extend((track[0], track[-1]))
                starts.append(track[0])
        else:
            _collect(value, in_segment or key in F.SEGMENT_CONTAINERS, places, starts)


def _track(value: Any) -> list[LatLon] | None:
    if not isinstance(value, list) or not value:
        return None
    points = [as_latlon(item) for item in value]
    if any(p is None for p in points):
        return None
    return [p for p in points if p is not None]


def _format_km(km: float) -> str:
    return f"{round(km, 1):g} km"


def _kind_and_distance(entry: Mapping[str, Any]) -> str | None:
    """'RACE_B TrailRun 21 km': what a name is reduced to (no free text left)."""
    parts: list[str] = []
    for key in F.CATEGORY_FIELDS:
        value = entry.get(key)
        if isinstance(value, str) and value.strip() and value not in parts:
            parts.append(value.strip())
    km: float | None = None
    for key in F.DISTANCE_KM_FIELDS:
        value = entry.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            km = float(value)
            break
    if km is None:
        for key in F.DISTANCE_M_FIELDS:
            value = entry.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                km = float(value) / 1000.0
                break
    if km is None:
        terrain = entry.get("terrain_summary")
        if isinstance(terrain, dict):
            value = terrain.get("total_distance_km")
            if isinstance(value, int | float) and not isinstance(value, bool):
                km = float(value)
    if km is not None and km > 0:
        parts.append(_format_km(km))
    return " ".join(parts) or None


class _Reducer:
    def __init__(self, level: PrivacyLevel, zones: PrivacyZones) -> None:
        self.level = level
        self.zones = zones
        self.strict = level.at_least(PrivacyLevel.STRICT)
        self.metrics = level is PrivacyLevel.METRICS
        self.replacements: dict[str, str] = {}

    # -- the walk ----------------------------------------------------------------------

    def walk(self, node: Any, *, in_segment: bool, depth: int) -> None:
        if isinstance(node, list):
            for item in node:
                if isinstance(item, dict | list):  # numbers and text need no visit
                    self.walk(item, in_segment=in_segment, depth=depth + 1)
            return
        if not isinstance(node, dict):
            return
        self._reduce(node, in_segment=in_segment, depth=depth)
        for key, value in node.items():
            if isinstance(value, dict | list):
                self.walk(
                    value, in_segment=in_segment or key in F.SEGMENT_CONTAINERS, depth=depth + 1
                )

    def _reduce(self, entry: dict[str, Any], *, in_segment: bool, depth: int) -> None:
        # Names first: their reduced form reads the category and distance of the entry.
        for key in list(entry):
            self._reduce_field(entry, key, in_segment=in_segment, depth=depth)
        for lat_key, lon_key in F.LAT_LON_PAIRS:
            if lat_key in entry and lon_key in entry:
                point = as_latlon([entry[lat_key], entry[lon_key]])
                if point is None:
                    continue
                if self.strict or self.zones.contains(point):
                    entry[lat_key] = entry[lon_key] = None
                else:
                    entry[lat_key], entry[lon_key] = rounded(point)

    def _reduce_field(
        self, entry: dict[str, Any], key: str, *, in_segment: bool, depth: int
    ) -> None:
        value = entry[key]
        if value is None:
            return
        if key in F.ATHLETE_ID_FIELDS:
            entry[key] = F.REDACTED
        elif key in F.IDENTITY_FIELDS:
            entry[key] = None
        elif key in F.POINT_FIELDS and as_latlon(value) is not None:
            self._point(entry, key, origin=key in F.ORIGIN_FIELDS and not in_segment)
        elif key in F.TRACK_FIELDS or key in F.POINT_FIELDS:  # a list of points
            track = _track(value)
            if track is not None:
                kept = (
                    [] if self.strict else [rounded(p) for p in track if not self.zones.contains(p)]
                )
                entry[key] = kept or None
        elif key in F.POLYLINE_FIELDS and isinstance(value, str):
            self._polyline(entry, key, value)
        elif key in F.DOB_FIELDS and isinstance(value, str):
            year = _YEAR.match(value)
            entry[key] = None if self.strict or year is None else year.group(1)
        elif key in F.FILENAME_FIELDS and isinstance(value, str):
            neutral = self._neutral_filename(entry, value)
            entry[key] = neutral
            self._remember(value, neutral)
        elif not self.strict:
            return
        elif key in F.FREE_TEXT_FIELDS and not (depth == 0 and key in F.OWN_ROOT_FIELDS):
            entry[key] = None
        elif key in F.NAME_FIELDS and isinstance(value, str):
            reduced = None if self.metrics else _kind_and_distance(entry)
            entry[key] = reduced
            self._remember(value, reduced or "(name removed)")
        elif key in F.STRUCTURED_TEXT_FIELDS and isinstance(value, str):
            entry[key] = None if self.metrics else (_QUOTED.sub("", value).strip() or None)
        elif key in F.PLACE_FIELDS and isinstance(value, str):
            country = value.rsplit(",", 1)[-1].strip()
            entry[key] = None if self.metrics else (country or None)
        elif key in F.CITY_FIELDS or (self.metrics and key in F.COUNTRY_FIELDS):
            entry[key] = None

    def _outside_zones(self, track: list[LatLon]) -> list[list[float]]:
        return [rounded(p) for p in track if not self.zones.contains(p)]

    def _point(self, entry: dict[str, Any], key: str, *, origin: bool) -> None:
        point = as_latlon(entry[key])
        if point is None:
            return
        if self.strict or origin or self.zones.contains(point):
            entry[key] = None
        else:
            entry[key] = rounded(point)

    def _polyline(self, entry: dict[str, Any], key: str, value: str) -> None:
        count_key = F.POLYLINE_COUNT_FIELDS.get(key)
        encoded: str | None = None
        count: int | None = None
        if not self.strict:
            encoded, kept = trim_polyline(value, self.zones)
            count = kept if encoded is not None else None
        entry[key] = encoded
        if count_key is not None and count_key in entry:
            entry[count_key] = count

    def _neutral_filename(self, entry: Mapping[str, Any], value: str) -> str:
        if _NEUTRAL_FILENAME.match(value):
            return value
        ext = value.rsplit(".", 1)[-1].lower() if "." in value else ""
        if not ext.isalnum() or len(ext) > 5:
            ext = "dat"
        ident = _UNSAFE_ID.sub("-", str(entry.get("attachment_id") or "")).strip("-")
        return f"route-{ident or len(self.replacements) + 1}.{ext}"

    # -- copies of removed text elsewhere (an alert quoting a race name) ---------------

    def _remember(self, original: str, replacement: str) -> None:
        original = original.strip()
        if len(original) < _MIN_REPLACED_LENGTH or original in _GENERIC_NAMES:
            return
        if original == replacement:
            return
        self.replacements[original] = replacement
        encoded = quote(original)
        if encoded != original:
            self.replacements[encoded] = replacement

    def copies_pattern(self, *, escaped: bool = False) -> re.Pattern[str]:
        """Every original (and replacement), longest first; with ``escaped`` also as it
        reads inside a JSON string (quotes, backslashes and control characters escaped)."""
        texts = set(self._mapping())
        if escaped:
            texts |= {json.dumps(t, ensure_ascii=False)[1:-1] for t in texts}
        return re.compile("|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)))

    def _mapping(self) -> dict[str, str]:
        return {r: r for r in self.replacements.values()} | self.replacements

    def replace_copies(self, node: Any) -> Any:
        # Longest first, so a name that contains another one is replaced as a whole. A
        # replacement already in the text (data reduced by an earlier run, e.g. a cached
        # error naming "route-x.gpx") matches as itself and stays: the pass is idempotent.
        return self._replace_in(node, self.copies_pattern(), None, self._mapping())

    def _replace_in(
        self, node: Any, pattern: re.Pattern[str], key: str | None, mapping: dict[str, str]
    ) -> Any:
        if key in _NOT_SCANNED_FOR_COPIES:
            return node
        if isinstance(node, dict):
            return {k: self._replace_in(v, pattern, k, mapping) for k, v in node.items()}
        if isinstance(node, list):
            return [
                self._replace_in(item, pattern, key, mapping)
                if isinstance(item, str | dict | list)
                else item
                for item in node
            ]
        if isinstance(node, str):
            return pattern.sub(lambda m: mapping[m.group(0)], node)
        return node
