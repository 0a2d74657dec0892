"""The "Today" panel: readiness decision, phase, next race, race week, alerts, freshness.

Blocks are read by the names latest.json uses (the reference's names for the blocks this
version does not write yet). A block that is absent says so: "not available" is shown,
never an empty or invented value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from section11.outputs.dashboard import _json as j
from section11.outputs.dashboard.days import Day

NOT_AVAILABLE = "not available"
_SIGNAL_LABELS = {
    "hrv": "HRV",
    "rhr": "Resting HR",
    "sleep": "Sleep",
    "acwr": "ACWR",
    "ri": "Recovery index",
    "tsb": "Form (TSB)",
}


def _na(what: str) -> str:
    return f'<p class="na" data-missing="{escape(what)}">{escape(what)}: {NOT_AVAILABLE}</p>'


def _fmt(value: float | None, digits: int = 1, unit: str = "") -> str:
    if value is None:
        return "—"
    shown = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return f"{shown}{unit}"


def _card(title: str, body: str, section: str) -> str:
    return (
        f'<section class="card" data-section="{section}"><h3>{escape(title)}</h3>{body}</section>'
    )


# ------------------------------------------------------------------------------ decision


def decision_card(latest: j.JSON) -> str:
    decision = j.obj(latest, "readiness_decision")
    if decision is None:
        return _card("Readiness decision", _na("Readiness decision"), "decision")
    recommendation = j.text(decision, "recommendation") or "unknown"
    priority = j.num(decision, "priority")
    parts = [
        f'<p class="decision rec-{escape(recommendation.lower())}">'
        f'<span class="rec" data-recommendation="{escape(recommendation)}">'
        f"{escape(recommendation.upper())}</span>"
        + (f' <span class="prio">P{priority:.0f}</span>' if priority is not None else "")
        + "</p>"
    ]
    reason = j.text(decision, "reason")
    if reason:
        parts.append(f'<p class="reason">{escape(reason)}</p>')
    modification = j.get(decision, "modification")
    if isinstance(modification, str) and modification:
        parts.append(f"<p>Modification: {escape(modification)}</p>")
    elif isinstance(modification, dict):
        text = ", ".join(f"{k}: {v}" for k, v in modification.items() if v is not None)
        parts.append(f"<p>Modification: {escape(text)}</p>")
    signals = j.obj(decision, "signals")
    if signals:
        rows = []
        for key, signal in signals.items():
            if not isinstance(signal, dict):
                continue
            status = j.text(signal, "status") or "unavailable"
            rows.append(
                f'<tr data-signal="{escape(key)}"><th>{escape(_SIGNAL_LABELS.get(key, key))}</th>'
                f'<td><span class="chip s-{escape(status)}">{escape(status)}</span></td>'
                f"<td>{escape(_signal_value(key, signal))}</td></tr>"
            )
        parts.append('<table class="signals">' + "".join(rows) + "</table>")
    else:
        parts.append(_na("Signals"))
    summary = j.obj(decision, "signal_summary")
    if summary:
        counts = ", ".join(
            f"{_fmt(j.num(summary, k), 0)} {k}"
            for k in ("green", "amber", "red", "unavailable")
            if j.num(summary, k) is not None
        )
        parts.append(f'<p class="muted">{escape(counts)}</p>')
    return _card("Readiness decision", "".join(parts), "decision")


def _signal_value(key: str, signal: j.JSON) -> str:
    if key == "sleep":
        hours = j.num(signal, "hours")
        quality = j.num(signal, "quality")
        return _fmt(hours, 2, " h") + (f", quality {quality:.0f}" if quality is not None else "")
    value = j.num(signal, "value")
    text = _fmt(value, 2)
    baseline = j.num(signal, "baseline_7d")
    if baseline is not None:
        text += f" (7-day {_fmt(baseline, 1)})"
    return text


# ------------------------------------------------------------------------------ phase


def phase_card(latest: j.JSON) -> str:
    detection = j.obj(latest, "derived_metrics", "phase_detection")
    phase = j.text(detection, "phase_detected") or j.text(detection, "phase")
    if phase is None:
        phase = j.text(latest, "derived_metrics", "phase_detected")
    if phase is None:
        return _card("Training phase", _na("Phase"), "phase")
    parts = [f'<p class="big" data-phase="{escape(phase)}">{escape(phase)}</p>']
    details = []
    confidence = j.text(detection, "confidence")
    if confidence:
        details.append(f"confidence {confidence}")
    weeks = j.num(detection, "phase_duration_weeks")
    if weeks is not None:
        details.append(f"{weeks:.0f} week{'s' if weeks != 1 else ''}")
    previous = j.text(detection, "previous_phase")
    if previous:
        details.append(f"after {previous}")
    codes = j.strings(detection, "reason_codes")
    if codes:
        details.append(", ".join(codes))
    if details:
        parts.append(f'<p class="muted">{escape("; ".join(details))}</p>')
    return _card("Training phase", "".join(parts), "phase")


# ------------------------------------------------------------------------------ races


def race_card(latest: j.JSON) -> str:
    race = j.obj(latest, "race_calendar", "next_race")
    parts: list[str] = []
    if race is None:
        parts.append('<p class="none">No race in the calendar.</p>')
    else:
        name = j.text(race, "name") or "Race"
        days_until = j.num(race, "days_until")
        distance = j.num(race, "display", "distance", "value")
        unit = j.text(race, "display", "distance", "unit") or ""
        facts = [
            j.text(race, "date") or "",
            (j.text(race, "category") or "").removeprefix("RACE_") + " race",
            j.text(race, "type") or "",
            f"{_fmt(distance, 1)} {unit}" if distance is not None else "",
        ]
        parts.append(
            f'<p class="big" data-next-race="{escape(name)}">{escape(name)}'
            + (f" <span>in {days_until:.0f} days</span>" if days_until is not None else "")
            + "</p>"
            f'<p class="muted">{escape(" · ".join(f for f in facts if f.strip()))}</p>'
        )
    taper = j.obj(latest, "race_calendar", "taper_alert")
    if taper and j.text(taper, "message"):
        parts.append(f'<p class="taper">{escape(j.text(taper, "message") or "")}</p>')
    parts.append(_race_week(latest))
    return _card("Next race", "".join(parts), "race")


def _race_week(latest: j.JSON) -> str:
    calendar = j.obj(latest, "race_calendar")
    if calendar is None or "race_week" not in calendar:
        return _na("Race-week plan")
    week = j.obj(calendar, "race_week")
    if week is None or j.get(week, "active") is not True:
        return '<p class="none" data-race-week="inactive">Not in race week.</p>'
    rows: list[tuple[str, str]] = []
    current = j.text(week, "current_day")
    if current:
        rows.append(("Day", f"{current} of {j.text(week, 'event_name') or 'the race'}"))
    today = j.obj(week, "today")
    if today:
        label = j.text(today, "label") or ""
        target = _range(j.obj(today, "load_target_tss"))
        rows.append(("Today", f"{label}{f', {target} TSS' if target else ''}"))
        for key, title in (("zones", "Zones"), ("purpose", "Purpose")):
            value = j.text(today, key)
            if value:
                rows.append((title, value))
    budget = _range(j.obj(week, "race_week_tss_budget"))
    if budget:
        spent = j.num(week, "race_week_tss_spent")
        rows.append(("Week budget", f"{budget} TSS, {_fmt(spent, 0)} spent"))
    projected = j.num(week, "projected_race_day_tsb")
    if projected is not None:
        target = _range(j.obj(week, "tsb_target_range"))
        rows.append(
            ("Race-day TSB", f"{_fmt(projected, 1)}" + (f" (target {target})" if target else ""))
        )
    opener = j.obj(week, "opener")
    if opener and j.text(opener, "day"):
        rows.append(("Opener", f"{j.text(opener, 'day')} ({j.text(opener, 'date') or ''})"))
    carbs = j.obj(week, "carb_loading")
    if carbs and j.get(carbs, "applicable") is True:
        rows.append(("Carb loading", f"from {j.text(carbs, 'starts') or '?'}"))
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f'<h4>Race week</h4><table class="kv" data-race-week="active">{body}</table>'


def _range(value: j.JSON | None) -> str:
    low, high = j.num(value, "min"), j.num(value, "max")
    if low is None or high is None:
        return ""
    return f"{low:.0f}–{high:.0f}"


# ------------------------------------------------------------------------------ alerts


def alerts_card(latest: j.JSON) -> str:
    if not isinstance(j.get(latest, "alerts"), list):
        return _card("Alerts", _na("Alerts"), "alerts")
    alerts = j.items(latest, "alerts")
    if not alerts:
        return _card("Alerts", '<p class="none">No alerts.</p>', "alerts")
    rows = []
    for alert in alerts:
        severity = j.text(alert, "severity") or "info"
        metric = j.text(alert, "metric") or "alert"
        context = j.text(alert, "context") or ""
        rows.append(
            f'<li class="alert sev-{escape(severity)}" data-alert="{escape(metric)}">'
            f'<span class="chip sev-{escape(severity)}">{escape(severity)}</span> '
            f"<b>{escape(metric)}</b> {escape(context)}</li>"
        )
    return _card("Alerts", '<ul class="alerts">' + "".join(rows) + "</ul>", "alerts")


# ------------------------------------------------------------------------------ freshness


def freshness_card(latest: j.JSON, history: j.JSON | None, days: Sequence[Day], today: date) -> str:
    rows: list[tuple[str, str]] = []
    synced = j.text(latest, "metadata", "last_updated")
    newest = _newest_activity(latest, days)
    rows.append(
        (
            "Newest activity",
            f"{newest.isoformat()} ({_days_ago((today - newest).days)})"
            if newest
            else "none in the last 90 days",
        )
    )
    wellness_today = any(
        j.day(row, "date") == today for row in j.items(latest, "wellness_data")
    ) and any(d.date == today and d.wellness for d in days)
    rows.append(("Wellness today", "received" if wellness_today else "not received yet"))
    missing: list[str] = []
    quality = j.obj(latest, "derived_metrics", "data_quality") or {}
    gaps = j.num(quality, "wellness_days_missing_7d")
    if gaps:
        missing.append(f"{gaps:.0f} of the last 7 days without wellness")
    stubs = j.num(quality, "strava_stub_activities")
    if stubs:
        missing.append(f"{stubs:.0f} Strava activities (28 days) Intervals.icu cannot share")
    no_load = j.num(quality, "activities_missing_load_7d")
    if no_load:
        missing.append(f"{no_load:.0f} activities of the last 7 days without a load")
    no_data = sum(1 for d in days if d.state == "no-data")
    if no_data:
        missing.append(f"{no_data} no-data days in the run log")
    if history is None:
        missing.append("history.json is not available (run log and charts limited)")
    for warning in j.strings(quality, "warnings"):
        missing.append(warning)
    # The run time changes on every sync; the publisher ignores it when comparing files.
    body = (
        '<tr><th>Last sync</th><td><time data-volatile="last_updated">'
        f"{escape(synced or NOT_AVAILABLE)}</time></td></tr>"
    )
    body += "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    body = f'<table class="kv">{body}</table>'
    if missing:
        body += '<ul class="missing">' + "".join(f"<li>{escape(m)}</li>" for m in missing) + "</ul>"
    else:
        body += '<p class="none">Nothing missing.</p>'
    return _card("Data freshness", body, "freshness")


def _days_ago(days: int) -> str:
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def _newest_activity(latest: j.JSON, days: Sequence[Day]) -> date | None:
    dated = [d for a in j.items(latest, "recent_activities") if (d := j.day(a, "date"))]
    dated += [d.date for d in days if d.state == "trained"]
    return max(dated, default=None)


def health_line(latest: j.JSON, anonymize: bool) -> str:
    """Current or recent illness/injury markers: context the athlete should confirm."""
    context = j.obj(latest, "health_context")
    if context is None:
        return ""
    notes = []
    for group, label in (("current", "now"), ("recent", "recently")):
        for marker in j.items(context, group):
            category = (j.text(marker, "category") or "").lower() or "marker"
            name = j.text(marker, "name")
            shown = f" ({name})" if name and not anonymize else ""
            end = j.text(marker, "end_date") or "?"
            notes.append(f"{category} {label}{shown}, marked until {end}")
    if not notes:
        return ""
    return f'<p class="health">Health: {escape("; ".join(notes))}</p>'
