"""Which JSON fields carry what: the declarative lists the privacy pass is driven by.

Matching is by field name anywhere in a file, so a field added to any output model (or
to the run state) is covered by adding its name to the right list here. Values are
checked by shape before anything is done to them ([lat, lon] pairs, encoded polylines,
strings), so a same-named field of another shape is left alone.
"""

from __future__ import annotations

#: [lat, lon] where a course or an activity starts or ends. From ``standard`` on they are
#: removed; their places become privacy-zone centres.
ORIGIN_FIELDS = frozenset(
    {"start_coords", "end_coords", "start_latlng", "end_latlng", "finish_coords", "home_coords"}
)

#: Lists whose items are segments of a course (a climb starts somewhere along the route,
#: not at the athlete's door): their start/end coordinates are waypoints, not origins.
SEGMENT_CONTAINERS = frozenset({"climbs", "descents", "segments", "efforts", "laps"})

#: Other single [lat, lon] points: trimmed inside a privacy zone and rounded to ~100 m
#: (``standard``), removed from ``strict`` on.
POINT_FIELDS = (
    frozenset({"coords", "latlng", "lat_lon", "location_coords", "peak_coords", "summit_coords"})
    | ORIGIN_FIELDS
)

#: Pairs of scalar fields that together make a point (treated like POINT_FIELDS).
LAT_LON_PAIRS = (
    ("lat", "lon"),
    ("lat", "lng"),
    ("latitude", "longitude"),
    ("start_lat", "start_lon"),
    ("end_lat", "end_lon"),
)

#: Lists of [lat, lon] points (tracks): points inside a zone dropped, the rest rounded.
TRACK_FIELDS = frozenset({"track", "track_points", "route_points", "latlng_track"})

#: Google encoded polylines, and the field that counts their points.
POLYLINE_FIELDS = frozenset({"polyline", "summary_polyline", "map_polyline", "encoded_polyline"})
POLYLINE_COUNT_FIELDS = {"polyline": "polyline_points"}

#: Text written by the athlete, a coach, a plan or a chat. Removed from ``strict`` on.
FREE_TEXT_FIELDS = frozenset(
    {
        "description",
        "description_preview",
        "coach_notes",
        "athlete_notes",
        "chat_notes",
        "chat",
        "messages",
        "comments",
        "comment",
        "private_note",
        "journal",
        "label",  # interval labels can be renamed by the athlete
    }
)
#: Fields of that list the mirror itself writes at the top of a file (kept).
OWN_ROOT_FIELDS = frozenset({"description"})

#: Names of activities, events, races, illnesses: from ``strict`` on reduced to their
#: category/type and distance (``metrics``: removed). Any other copy of the original
#: name in the same files (an alert message, an error) is replaced too.
NAME_FIELDS = frozenset(
    {"name", "event_name", "race_name", "workout_name", "activity_name", "route_name"}
)
#: Where a reduced name finds its category and its distance.
CATEGORY_FIELDS = ("category", "sport_type", "type")
DISTANCE_KM_FIELDS = ("distance_km", "total_distance_km")
DISTANCE_M_FIELDS = ("distance_meters",)

#: Structured summaries that may quote free text ("3 x 15m @ 230W "Steady, seated""):
#: the quoted parts go from ``strict`` on, the whole field with ``metrics``.
STRUCTURED_TEXT_FIELDS = frozenset({"workout_summary"})

#: Names of files the athlete uploaded ("home-to-work.gpx"): neutral from ``standard`` on.
FILENAME_FIELDS = frozenset({"filename", "file_name", "route_file"})

#: Date of birth: the year from ``standard`` on (age is kept), removed from ``strict`` on.
DOB_FIELDS = frozenset({"date_of_birth", "dob", "birthday", "icu_date_of_birth"})

#: "City, region, country" in one string: the country only from ``strict`` on.
PLACE_FIELDS = frozenset({"location"})
#: City-level fields: removed from ``strict`` on.
CITY_FIELDS = frozenset({"city", "state", "region", "address", "street", "postcode"})
#: Country: removed with ``metrics``.
COUNTRY_FIELDS = frozenset({"country"})

#: Who the athlete is: removed from ``standard`` on (the API allow-list already keeps
#: them out; listed so a future field cannot bring them back).
IDENTITY_FIELDS = frozenset(
    {"firstname", "lastname", "athlete_name", "full_name", "username", "email", "phone"}
)
#: The athlete's Intervals.icu id: replaced by REDACTED from ``standard`` on.
ATHLETE_ID_FIELDS = frozenset({"athlete_id"})
REDACTED = "REDACTED"
