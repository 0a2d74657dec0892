"""SVG charts: the run-log calendar, fitness/fatigue/form, weekly load by sport.

Plain SVG text with no script, font file or external reference, so the same chart works
inline in dashboard.html and as a standalone image in the data repository's README.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from section11.metrics.projection import ProjectedDay
from section11.metrics.sports import FAMILIES
from section11.outputs.dashboard.days import Day

SPORT_COLOURS: dict[str, str] = {
    "cycling": "#2f7ed8",
    "run": "#e4572e",
    "swim": "#17a2b8",
    "ski": "#8e6cc0",
    "rowing": "#8c564b",
    "walk": "#6b9a2f",
    "strength": "#d99100",
    "other": "#7a7a7a",
}
STATE_COLOURS: dict[str, str] = {
    "trained": "#ffffff",
    "rest": "#dcebd8",
    "no-data": "#c4c4c4",
    "missed": "#f6b8a8",
    "sick": "#cdb6ea",
    "race": "#ffd84d",
    "planned": "#dbe9fb",
    "future": "#ffffff",
}
STATE_LABELS: dict[str, str] = {
    "trained": "trained",
    "rest": "rest day",
    "no-data": "no data",
    "missed": "missed plan",
    "sick": "sick / injured",
    "race": "race",
    "planned": "planned",
    "future": "nothing planned",
}
_FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}" '
        f'style="{_FONT};max-width:100%;height:auto">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, value: str, size: int = 11, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(value)}</text>'


def load_radius(load: float | None, cell: float) -> float:
    """Dot radius grows with the square root of the load (area ∝ load), capped at 200 TSS."""
    if load is None or load <= 0:
        return cell * 0.12
    share = min(load, 200.0) / 200.0
    return cell * (0.14 + 0.32 * math.sqrt(share))


def _dot(cx: float, cy: float, radius: float, sports: Sequence[str]) -> str:
    """One dot per day; a multi-sport day is split into equal slices, one per sport."""
    colours = [SPORT_COLOURS.get(s, SPORT_COLOURS["other"]) for s in sports] or ["#555555"]
    if len(colours) == 1:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{colours[0]}"/>'
    parts: list[str] = []
    step = 2 * math.pi / len(colours)
    for index, colour in enumerate(colours):
        a0, a1 = index * step - math.pi / 2, (index + 1) * step - math.pi / 2
        x0, y0 = cx + radius * math.cos(a0), cy + radius * math.sin(a0)
        x1, y1 = cx + radius * math.cos(a1), cy + radius * math.sin(a1)
        large = 1 if step > math.pi else 0
        parts.append(
            f'<path d="M{cx:.1f},{cy:.1f} L{x0:.1f},{y0:.1f} '
            f'A{radius:.1f},{radius:.1f} 0 {large} 1 {x1:.1f},{y1:.1f} Z" fill="{colour}"/>'
        )
    return "".join(parts)


# ------------------------------------------------------------------------------ calendar


def calendar_svg(days: Sequence[Day], today: date, week_start: int) -> str:
    """Weeks as columns, weekdays as rows (like a contribution graph), one cell per day."""
    if not days:
        return _svg(320, 40, [_text(8, 24, "No days to show")], "Run log")
    cell, gap, left, top = 16.0, 3.0, 30.0, 18.0
    first = days[0].date - timedelta(days=(days[0].date.weekday() - week_start) % 7)
    weeks = (days[-1].date - first).days // 7 + 1
    width = max(left + weeks * (cell + gap) + 10, 380.0)
    legend_top = top + 7 * (cell + gap) + 10
    height = legend_top + 15 * _legend_rows(left, width) + 4
    body: list[str] = [f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    for row in range(7):
        if row % 2 == 0:
            label = _WEEKDAYS[(week_start + row) % 7]
            body.append(_text(2, top + row * (cell + gap) + 12, label, 9, fill="#555"))
    last_month = None
    for day in days:
        offset = (day.date - first).days
        x = left + (offset // 7) * (cell + gap)
        y = top + (offset % 7) * (cell + gap)
        if last_month is None or (day.date.month != last_month and offset % 7 == 0):
            body.append(_text(x, 11, day.date.strftime("%b"), 9, fill="#555"))
            last_month = day.date.month
        stroke = "#111" if day.date == today else "#bdbdbd"
        dash = ' stroke-dasharray="2,2"' if day.state in ("future", "planned", "race") else ""
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell:.0f}" height="{cell:.0f}" rx="3" '
            f'fill="{STATE_COLOURS[day.state]}" stroke="{stroke}"{dash} '
            f'data-date="{day.date.isoformat()}" data-state="{day.state}">'
            f"<title>{escape(_day_title(day))}</title></rect>"
        )
        if day.state == "trained":
            body.append(_dot(x + cell / 2, y + cell / 2, load_radius(day.load, cell), day.sports))
        elif day.state == "no-data":
            body.append(
                f'<line x1="{x + 3:.1f}" y1="{y + cell - 3:.1f}" x2="{x + cell - 3:.1f}" '
                f'y2="{y + 3:.1f}" stroke="#777" stroke-width="1.5"/>'
            )
    body.extend(_state_legend(left, legend_top, width))
    return _svg(width, height, body, "Run log: one cell per day")


def _day_title(day: Day) -> str:
    parts = [day.date.isoformat(), STATE_LABELS[day.state]]
    if day.load is not None and day.state == "trained":
        parts.append(f"load {day.load:.0f}")
    if day.races:
        parts.append(", ".join(day.races))
    return " — ".join(parts)


def _state_legend(x0: float, y: float, width: float) -> list[str]:
    """State swatches, then sport dots, wrapped to the chart's width."""
    body: list[str] = []
    entries = [("state", s, STATE_LABELS[s]) for s in ("rest", "no-data", "missed", "sick")]
    entries += [("state", s, STATE_LABELS[s]) for s in ("planned", "race")]
    entries += [("sport", f, f) for f in FAMILIES]
    x = x0
    for kind, key, label in entries:
        entry_width = 18 + 5.4 * len(label)
        if x + entry_width > width and x > x0:
            x, y = x0, y + 15
        if kind == "state":
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="10" height="10" rx="2" '
                f'fill="{STATE_COLOURS[key]}" stroke="#999"/>'
            )
        else:
            body.append(
                f'<circle cx="{x + 5:.1f}" cy="{y + 5:.1f}" r="5" fill="{SPORT_COLOURS[key]}"/>'
            )
        body.append(_text(x + 13, y + 9, label, 9, fill="#333"))
        x += entry_width
    return body


def _legend_rows(x0: float, width: float) -> int:
    rows, x = 1, x0
    labels = [STATE_LABELS[s] for s in ("rest", "no-data", "missed", "sick", "planned", "race")]
    for label in [*labels, *FAMILIES]:
        entry_width = 18 + 5.4 * len(label)
        if x + entry_width > width and x > x0:
            rows, x = rows + 1, x0
        x += entry_width
    return rows


# ------------------------------------------------------------------------------ fitness


@dataclass(frozen=True)
class FitnessPoint:
    date: date
    ctl: float | None
    atl: float | None
    tsb: float | None


def fitness_svg(
    past: Sequence[FitnessPoint],
    projection: Sequence[ProjectedDay],
    today: date,
    race: tuple[date, str] | None,
) -> str:
    """CTL, ATL and TSB for the last 90 days; dashed from today along the plan."""
    points = list(past)
    ahead = [FitnessPoint(p.date, p.ctl, p.atl, p.tsb) for p in projection]
    every = points + ahead
    values = [v for p in every for v in (p.ctl, p.atl, p.tsb) if v is not None]
    width, height = 720.0, 300.0
    left, right, top, bottom = 40.0, 12.0, 16.0, 46.0
    if not values:
        return _svg(
            width,
            60,
            [_text(10, 34, "Fitness: not available (no CTL/ATL values)")],
            "Fitness, fatigue and form",
        )
    low = min(min(values), 0.0)
    high = max(values)
    low, high = 10 * (low // 10), 10 * (high // 10 + 1)
    first = every[0].date
    last = max(every[-1].date, today)
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return left + (width - left - right) * (day - first).days / span

    def y_of(value: float) -> float:
        return top + (height - top - bottom) * (high - value) / (high - low)

    body: list[str] = [f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    step = 10 if high - low <= 100 else 20
    tick = low
    while tick <= high:
        y = y_of(tick)
        colour = "#999" if tick == 0 else "#e5e5e5"
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{colour}"/>'
        )
        body.append(_text(left - 6, y + 4, f"{tick:.0f}", 10, fill="#555", text_anchor="end"))
        tick += step
    month_day = first
    while month_day <= last:
        if month_day.day == 1:
            x = x_of(month_day)
            body.append(
                f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#eee"/>'
            )
            body.append(
                _text(x + 2, height - bottom + 14, month_day.strftime("%b"), 10, fill="#555")
            )
        month_day += timedelta(days=1)
    tx = x_of(today)
    body.append(
        f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{height - bottom}" stroke="#111" '
        'stroke-dasharray="3,3"/>'
    )
    body.append(_text(tx + 3, top + 10, "today", 10, fill="#111"))
    if race is not None and first <= race[0] <= last:
        rx = x_of(race[0])
        body.append(
            f'<line x1="{rx:.1f}" y1="{top}" x2="{rx:.1f}" y2="{height - bottom}" '
            'stroke="#c99a00" stroke-width="2"/>'
        )
        body.append(_text(rx - 3, top + 24, race[1], 10, fill="#8a6a00", text_anchor="end"))
    series = (("ctl", "#2f7ed8", "Fitness (CTL)"), ("atl", "#d6336c", "Fatigue (ATL)"),
              ("tsb", "#e5a100", "Form (TSB)"))  # fmt: skip
    for key, colour, _ in series:
        body.extend(_polylines(points, key, colour, x_of, y_of, dashed=False))
        if ahead:
            joined = ([points[-1]] if points else []) + ahead
            body.extend(_polylines(joined, key, colour, x_of, y_of, dashed=True))
    lx = left
    for _, colour, label in series:
        y = height - 14
        body.append(f'<line x1="{lx:.1f}" y1="{y - 4:.1f}" x2="{lx + 18:.1f}" y2="{y - 4:.1f}" '
                    f'stroke="{colour}" stroke-width="2.5"/>')  # fmt: skip
        body.append(_text(lx + 22, y, label, 11, fill="#333"))
        lx += 130
    body.append(
        f'<line x1="{lx:.1f}" y1="{height - 18:.1f}" x2="{lx + 18:.1f}" y2="{height - 18:.1f}" '
        'stroke="#555" stroke-width="2" stroke-dasharray="4,3"/>'
    )
    body.append(_text(lx + 22, height - 14, "projected along the plan", 11, fill="#333"))
    return _svg(width, height, body, "Fitness (CTL), fatigue (ATL) and form (TSB)")


def _polylines(
    points: Sequence[FitnessPoint],
    key: str,
    colour: str,
    x_of: Callable[[date], float],
    y_of: Callable[[float], float],
    *,
    dashed: bool,
) -> list[str]:
    """One polyline per run of known values: a missing day breaks the line (never 0)."""
    runs: list[list[str]] = [[]]
    for point in points:
        value = getattr(point, key)
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(f"{x_of(point.date):.1f},{y_of(value):.1f}")
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    return [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
        f'stroke-width="2"{dash} data-series="{key}{"-projected" if dashed else ""}"/>'
        for run in runs
        if len(run) > 1
    ]


# ------------------------------------------------------------------------------ weekly load


@dataclass(frozen=True)
class WeekLoad:
    week_start: date
    by_sport: dict[str, float]
    total: float | None
    phase: str | None
    complete: bool


def weekly_load_svg(weeks: Sequence[WeekLoad]) -> str:
    """Stacked weekly load by sport for 26 weeks, with each week's phase underneath."""
    width, height = 720.0, 270.0
    left, right, top, bottom = 40.0, 10.0, 14.0, 76.0
    if not weeks:
        return _svg(width, 60, [_text(10, 34, "Weekly load: not available (no history.json)")],
                    "Weekly load by sport")  # fmt: skip
    totals = [sum(w.by_sport.values()) for w in weeks]
    high = max(max(totals, default=0.0), 100.0)
    high = 100 * (high // 100 + 1)
    slot = (width - left - right) / len(weeks)
    bar = slot * 0.72

    def y_of(value: float) -> float:
        return top + (height - top - bottom) * (high - value) / high

    body: list[str] = [f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    step = 100 if high <= 800 else 200
    tick = 0.0
    while tick <= high:
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                    'stroke="#e5e5e5"/>')  # fmt: skip
        body.append(_text(left - 6, y + 4, f"{tick:.0f}", 10, fill="#555", text_anchor="end"))
        tick += step
    base_y = y_of(0)
    partial = ' opacity="0.55"'
    for index, week in enumerate(weeks):
        x = left + index * slot + (slot - bar) / 2
        running = 0.0
        faded = "" if week.complete else partial
        for family in FAMILIES:
            value = week.by_sport.get(family)
            if not value:
                continue
            y0, y1 = y_of(running), y_of(running + value)
            running += value
            body.append(
                f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar:.1f}" height="{y0 - y1:.1f}" '
                f'fill="{SPORT_COLOURS[family]}"{faded}>'
                f"<title>{escape(f'{week.week_start}: {family} {value:.0f}')}</title></rect>"
            )
        cx = x + bar / 2
        if week.total is None:
            body.append(_text(cx, base_y - 3, "?", 10, fill="#777", text_anchor="middle"))
        if index % 2 == 0 or len(weeks) <= 13:
            body.append(_text(cx, base_y + 12, week.week_start.strftime("%d %b"), 8,
                              fill="#555", text_anchor="middle"))  # fmt: skip
        phase = week.phase or "–"
        body.append(
            f'<text x="{cx:.1f}" y="{base_y + 20:.1f}" font-size="9" fill="#333" '
            f'transform="rotate(60 {cx:.1f} {base_y + 20:.1f})" '
            f'data-phase="{escape(week.phase or "")}">{escape(phase)}</text>'
        )
    lx = left
    for family in FAMILIES:
        if not any(family in w.by_sport for w in weeks):
            continue
        body.append(f'<rect x="{lx:.1f}" y="{height - 16:.1f}" width="10" height="10" '
                    f'fill="{SPORT_COLOURS[family]}"/>')  # fmt: skip
        body.append(_text(lx + 13, height - 7, family, 10, fill="#333"))
        lx += 22 + 6 * len(family)
    return _svg(width, height, body, "Weekly load (TSS) by sport, with the phase of each week")
