"""Calendar events of the demo athlete (``GET /athlete/{id}/events``) and their route files."""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta
from typing import Any

from section11.demo._activities import Session
from section11.demo.routes import (
    corrupt_gpx,
    gpx_route,
    gpx_track,
    hilly_points,
    tcx_course,
)
from section11.demo.workouts import flatten, normalized_pct, workout_doc

JSON = dict[str, Any]

#: Attachment URLs are stored with this origin; the fake server swaps in its own address.
ATTACHMENT_HOST_PLACEHOLDER = "http://attachments.demo.invalid"


def _dt(day: date) -> str:
    return f"{day.isoformat()}T00:00:00"


def _steps_text(steps: list[JSON], indent: str = "") -> list[str]:
    lines: list[str] = []
    for step in steps:
        if "reps" in step:
            lines.append(f"{indent}{step['reps']}x")
            lines.extend(_steps_text(step["steps"], indent + "  "))
            continue
        mins = step["duration"] / 60
        dur = f"{mins:g}m" if step["duration"] % 60 == 0 else f"{step['duration']}s"
        if "power" in step:
            tgt = step["power"]
            what = (
                f"{tgt['value']:g}%" if "value" in tgt else f"ramp {tgt['start']:g}-{tgt['end']:g}%"
            )
        else:
            what = f"{step['hr']['value']:g}% LTHR"
        text = f" {step['text']}" if "text" in step else ""
        lines.append(f"{indent}- {dur} {what}{text}")
    return lines


def _base_event(event_id: int, athlete_id: str, category: str, start: date, end: date) -> JSON:
    return {
        "id": event_id,
        "uid": f"demo-{event_id}",
        "athlete_id": athlete_id,
        "category": category,
        "start_date_local": _dt(start),
        "end_date_local": _dt(end),
        "name": None,
        "description": None,
        "type": None,
        "indoor": False,
        "color": None,
        "moving_time": None,
        "distance": None,
        "icu_training_load": None,
        "icu_intensity": None,
        "workout_doc": None,
        "attachments": [],
        "tags": None,
        "not_on_fitness_chart": False,
        "show_as_note": False,
        "updated": f"{(start - timedelta(days=20)).isoformat()}T19:04:11.412+00:00",
    }


def workout_event(event_id: int, athlete_id: str, day: date, sess: Session) -> JSON:
    """A planned WORKOUT; structured sessions carry a ``workout_doc``, others text only."""
    ev = _base_event(event_id, athlete_id, "WORKOUT", day, day + timedelta(days=1))
    steps = sess.steps()
    bike = sess.type not in ("Run", "TrailRun")
    if steps is not None:
        doc = workout_doc(copy.deepcopy(steps))
        duration = int(doc["duration"])
        if_ = normalized_pct(flatten(steps)) / 100
        description = "\n".join(_steps_text(steps))
        ev["workout_doc"] = doc
        ev["target"] = "POWER" if bike else "HR"
    else:
        duration = sess.duration
        if_ = 0.68 if bike else 0.8
        description = (
            "Endurance, keep it in Z2. Fuel 60 g carbs/h."
            if bike
            else "Easy aerobic run, conversational pace."
        )
    speed = None if sess.indoor else (7.6 if bike else 3.2)
    ev.update(
        name=sess.workout or sess.name,
        description=description,
        type=sess.type,
        indoor=sess.indoor,
        moving_time=duration,
        distance=None if speed is None else round(speed * duration, -2),
        icu_training_load=round(duration / 3600 * if_**2 * 100),
        icu_intensity=round(if_ * 100, 1),
    )
    return ev


def _attachment(att_id: str, filename: str, mimetype: str) -> JSON:
    return {
        "id": att_id,
        "filename": filename,
        "mimetype": mimetype,
        "url": f"{ATTACHMENT_HOST_PLACEHOLDER}/attachments/{att_id}/{filename}",
    }


def fixed_events(
    rng: random.Random, *, first_id: int, athlete_id: str, today: date
) -> tuple[list[JSON], dict[str, bytes]]:
    """Races, notes, holidays, health markers and the route attachments they carry."""
    files: dict[str, bytes] = {}
    events: list[JSON] = []
    next_id = first_id

    def add(category: str, start: int, end: int, **fields: Any) -> JSON:
        nonlocal next_id
        ev = _base_event(
            next_id, athlete_id, category, today + timedelta(start), today + timedelta(end)
        )
        ev.update(fields)
        events.append(ev)
        next_id += 1
        return ev

    # Route files: hilly tracks around Oslo (each has 100 m+ climbs).
    race_a_pts = hilly_points(rng, distance_m=12_000, n_points=240, climb_m=180, climbs=2)
    race_b_pts = hilly_points(rng, distance_m=8_000, n_points=160, climb_m=130, climbs=2)
    for i in range(0, len(race_b_pts), 7):  # a watch that lost the barometer now and then
        lat, lon, _ = race_b_pts[i]
        race_b_pts[i] = (lat, lon, None)
    race_c_pts = hilly_points(rng, distance_m=6_000, n_points=120, climb_m=110, climbs=1)
    route_pts = hilly_points(rng, distance_m=10_000, n_points=60, climb_m=150, climbs=2)
    files["att-9001"] = gpx_track(race_a_pts, "Spring Gran Fondo - key climbs")
    files["att-9002"] = b"%PDF-1.4\n% demo race information\n%%EOF\n"
    files["att-9003"] = gpx_track(race_b_pts, "Nordmarka Trail 21k")
    files["att-9004"] = tcx_course(race_c_pts, "Club hill climb TT", xml_declaration=True)
    files["att-9005"] = gpx_route(route_pts, "Tryvann hill loop")
    files["att-9006"] = corrupt_gpx()

    add(
        "RACE_A", 70, 71, name="Spring Gran Fondo", type="Ride",
        description="A race. Goal: sub 5:30, pace the two long climbs.",
        moving_time=5 * 3600 + 30 * 60, distance=160_000.0, icu_training_load=290,
        attachments=[
            _attachment("att-9001", "gran-fondo.gpx", "application/gpx+xml"),
            _attachment("att-9002", "race-info.pdf", "application/pdf"),
        ],
    )  # fmt: skip
    add(
        "RACE_B", 21, 22, name="Nordmarka Trail 21k", type="TrailRun",
        description="B race, run by feel.", moving_time=2 * 3600, distance=21_000.0,
        icu_training_load=150,
        attachments=[_attachment("att-9003", "nordmarka-trail.gpx", "application/gpx+xml")],
    )  # fmt: skip
    add(
        "RACE_C", 35, 36, name="Club hill climb TT", type="Ride",
        description="C race, training effort.", moving_time=25 * 60, distance=6_000.0,
        icu_training_load=40,
        attachments=[
            _attachment("att-9004", "hill-climb.tcx", "application/vnd.garmin.tcx+xml")
        ],
    )  # fmt: skip
    add(
        "WORKOUT", 6, 7, name="Hilly endurance ride (route attached)", type="Ride",
        description="Endurance on the attached loop; climbs at tempo.", moving_time=2 * 3600,
        distance=60_000.0, icu_training_load=95, icu_intensity=69.0,
        attachments=[_attachment("att-9005", "tryvann-loop.gpx", "application/gpx+xml")],
    )  # fmt: skip
    add(
        "NOTE", 2, 3, name="Course recon file from the club",
        description="Recon track for the Bergen trip (the file looks broken).",
        show_as_note=True,
        attachments=[_attachment("att-9006", "bergen-recon.gpx", "application/gpx+xml")],
    )  # fmt: skip
    add("NOTE", -1, 0, name="Bike fit", description="Saddle up 3 mm, cleats moved back.")
    add("HOLIDAY", 25, 29, name="Family holiday", description="Limited time.")
    add("SICK", -40, -36, name="Flu", description="Fever two days, then a cough.")
    add("SICK", -130, -124, name="Cold", description="Head cold, stayed off the bike.")
    add("INJURED", -12, -4, name="Calf strain", description="No running; cycling OK.")
    add("INJURED", 50, 57, name="Planned knee arthroscopy", description="Rest week.")
    return events, files
