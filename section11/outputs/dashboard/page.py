"""dashboard.html: one self-contained page (inline CSS and SVG, no script, no remote file).

Selecting a day works without JavaScript: each calendar cell links to ``#day-<date>`` and
the CSS ``:target`` rule shows that day's panel (today's panel shows until one is chosen).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from section11.metrics.weeks import week_start_of
from section11.outputs.dashboard import _json as j
from section11.outputs.dashboard.charts import SPORT_COLOURS, STATE_COLOURS, STATE_LABELS
from section11.outputs.dashboard.days import PAST_DAYS, Day, Session

_CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;
 color:#1d1d1f;background:#f4f5f7}
header,main,footer{max-width:1100px;margin:0 auto;padding:12px 16px}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .4rem}h4{margin:.8rem 0 .3rem;font-size:.95rem}
.muted,.na,.none{color:#666}.na{font-style:italic}
.cards{display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
.card{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 2px #0002;
 overflow-wrap:anywhere}
.big{font-size:1.25rem;font-weight:600;margin:.2rem 0}
.decision .rec{font-size:1.5rem;font-weight:700;padding:2px 10px;border-radius:6px;
 background:#e8e8e8}
.rec-go .rec{background:#c9f0cf}.rec-modify .rec{background:#ffe7a8}
.rec-skip .rec{background:#ffc9c2}.prio{color:#555;font-weight:600}
table{border-collapse:collapse;width:100%}th{text-align:left;font-weight:500;color:#444;
 padding:2px 8px 2px 0;vertical-align:top}td{padding:2px 0}
.chip{display:inline-block;padding:0 7px;border-radius:9px;font-size:.8rem;background:#ddd;
 white-space:nowrap}
.s-green{background:#bfe8c5}.s-amber{background:#ffe19a}.s-red{background:#ffb8ae}
.sev-warning{background:#ffe19a}.sev-alarm{background:#ffb8ae}.sev-info{background:#d4e6fb}
ul{padding-left:1.1rem;margin:.3rem 0}li{margin:.2rem 0}
.alerts{list-style:none;padding:0}
.cal{display:grid;grid-template-columns:repeat(7,minmax(0,1fr));gap:3px;max-width:560px}
.wd{font-size:.75rem;color:#666;text-align:center}
.cell{position:relative;display:block;aspect-ratio:1;border-radius:6px;border:1px solid #ccc;
 text-decoration:none;color:#333;font-size:.7rem;min-height:34px}
.cell .n{position:absolute;top:2px;left:4px}
.cell .m{position:absolute;bottom:1px;right:4px;font-size:.6rem;color:#555}
.cell .dot{position:absolute;left:50%;top:55%;transform:translate(-50%,-50%);border-radius:50%}
.cell.today{outline:2px solid #111;outline-offset:1px}
.cell.st-planned,.cell.st-future,.cell.st-race{border-style:dashed}
.cell.st-no-data{background-image:repeating-linear-gradient(135deg,#0000 0 5px,#0002 5px 7px)}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:.8rem;margin:.5rem 0}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:4px;
 vertical-align:-2px;border:1px solid #999}
.legend i.sport{border-radius:50%;border:0}
.day{display:none;background:#fff;border-radius:10px;padding:12px 14px;margin-top:10px;
 box-shadow:0 1px 2px #0002;max-width:560px;scroll-margin-top:10px}
.day:target{display:block}
.days:not(:has(.day:target)) .day.is-today{display:block}
.state{font-weight:600}
.earlier{margin-bottom:8px}.earlier summary{cursor:pointer;color:#333;margin:.3rem 0}
.chart{background:#fff;border-radius:10px;padding:8px;box-shadow:0 1px 2px #0002;overflow-x:auto}
.chart svg{width:100%;height:auto;display:block}
.health,.taper{background:#fff4d6;border-radius:6px;padding:6px 8px}
.logwrap{display:grid;gap:12px;grid-template-columns:minmax(0,560px) minmax(0,1fr)}
@media (min-width:801px){.days{position:sticky;top:8px;align-self:start}}
@media (max-width:800px){.logwrap{grid-template-columns:minmax(0,1fr)}
 body{font-size:14px}header,main,footer{padding:8px 10px}}
"""


def page_html(
    *,
    title: str,
    subtitle: str,
    today_cards: Sequence[str],
    health: str,
    days: Sequence[Day],
    today: date,
    week_start: int,
    fitness_svg: str,
    fitness_note: str,
    load_svg: str,
    footer: str,
    anonymize: bool,
) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        # Nothing may load from elsewhere, even if a value in the data looked like markup.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<style>{_CSS}</style></head><body>",
        f'<header><h1>{escape(title)}</h1><p class="muted">{escape(subtitle)}</p></header>',
        "<main>",
        '<h2 id="today">Today</h2>',
        health,
        '<div class="cards">' + "".join(today_cards) + "</div>",
        '<h2 id="log">Run log</h2>',
        _legend(),
        '<div class="logwrap"><div>',
        _calendar(days, today, week_start),
        '</div><div class="days">',
        '<p class="muted">Select a day to see its sessions, load and wellness.</p>',
        "".join(_day_panel(day, today, anonymize) for day in days),
        "</div></div>",
        '<h2 id="fitness">Fitness, fatigue and form</h2>',
        f'<div class="chart">{fitness_svg}</div>',
        f'<p class="muted">{escape(fitness_note)}</p>',
        '<h2 id="load">Weekly load by sport (26 weeks)</h2>',
        f'<div class="chart">{load_svg}</div>',
        '<p class="muted">The label under each week is its training phase (– when none was '
        "detected); the current, unfinished week is drawn lighter.</p>",
        "</main>",
        f'<footer class="muted">{escape(footer)}</footer>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _legend() -> str:
    states = "".join(
        f'<span><i style="background:{STATE_COLOURS[s]}"></i>{escape(STATE_LABELS[s])}</span>'
        for s in ("rest", "no-data", "missed", "sick", "planned", "race")
    )
    sports = "".join(
        f'<span><i class="sport" style="background:{c}"></i>{escape(f)}</span>'
        for f, c in SPORT_COLOURS.items()
    )
    return (
        f'<div class="legend">{states}</div><div class="legend">{sports} '
        "<span>(trained days: dot size grows with the day's load)</span></div>"
    )


def _calendar(days: Sequence[Day], today: date, week_start: int) -> str:
    """The last 90 days and the days ahead; older days (up to a year) folded above them."""
    if not days:
        return '<p class="na">Run log: not available</p>'
    recent_from = week_start_of(today - timedelta(days=PAST_DAYS - 1), week_start)
    older = [d for d in days if d.date < recent_from]
    recent = [d for d in days if d.date >= recent_from]
    html = ""
    if older:
        html = (
            f'<details class="earlier"><summary>Earlier: {older[0].date.isoformat()} to '
            f"{older[-1].date.isoformat()} ({len(older)} days)</summary>"
            f"{_grid(older, today, week_start, 'Run log, earlier days')}</details>"
        )
    return html + _grid(recent, today, week_start, "Run log")


def _grid(days: Sequence[Day], today: date, week_start: int, label: str) -> str:
    cells = [
        f'<div class="wd">{name}</div>'
        for name in _rotate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), week_start)
    ]
    lead = (days[0].date.weekday() - week_start) % 7
    cells.extend('<div class="pad"></div>' for _ in range(lead))
    for index, day in enumerate(days):
        cells.append(_cell(day, today, first=index == 0))
    return f'<nav class="cal" aria-label="{label}">{"".join(cells)}</nav>'


def _rotate(names: tuple[str, ...], start: int) -> list[str]:
    return list(names[start:] + names[:start])


def _cell(day: Day, today: date, *, first: bool) -> str:
    iso = day.date.isoformat()
    classes = f"cell st-{day.state}" + (" today" if day.date == today else "")
    background = STATE_COLOURS[day.state]
    inner = f'<span class="n">{day.date.day}</span>'
    if day.date.day == 1 or first:
        inner += f'<span class="m">{day.date.strftime("%b")}</span>'
    if day.state == "trained":
        inner += _dot_html(day)
    elif day.state == "race":
        inner += '<span class="m">race</span>'
    label = f"{iso}: {STATE_LABELS[day.state]}"
    return (
        f'<a class="{classes}" href="#day-{iso}" data-date="{iso}" data-state="{day.state}" '
        f'style="background-color:{background}" title="{escape(label)}" '
        f'aria-label="{escape(label)}">{inner}</a>'
    )


def _dot_html(day: Day) -> str:
    # Diameter as a share of the cell: area grows with load (square root), capped at 200.
    load = day.load if day.load is not None and day.load > 0 else 0.0
    size = 22 + 58 * (min(load, 200.0) / 200.0) ** 0.5
    colours = [SPORT_COLOURS.get(s, SPORT_COLOURS["other"]) for s in day.sports] or ["#555"]
    if len(colours) == 1:
        fill = colours[0]
    else:
        share = 100 / len(colours)
        stops = ",".join(
            f"{c} {i * share:.0f}% {(i + 1) * share:.0f}%" for i, c in enumerate(colours)
        )
        fill = f"conic-gradient({stops})"
    return (
        f'<span class="dot" style="width:{size:.0f}%;height:{size:.0f}%;background:{fill}"></span>'
    )


def _day_panel(day: Day, today: date, anonymize: bool) -> str:
    iso = day.date.isoformat()
    heading = day.date.strftime("%A %d %B %Y")
    rows: list[str] = [
        f'<h3>{escape(heading)}</h3><p><span class="state">{escape(STATE_LABELS[day.state])}'
        f"</span> — {escape(day.reason)}</p>"
    ]
    if day.health:
        name = "" if anonymize or not day.health_name else f": {day.health_name}"
        rows.append(f'<p class="health">{escape(day.health + name)}</p>')
    if day.races:
        rows.append(f"<p><b>Race:</b> {escape(', '.join(day.races))}</p>")
    if day.sessions:
        rows.append("<h4>Sessions</h4>" + _sessions(day.sessions))
    if day.load is not None or day.hours is not None:
        load = f"{day.load:.0f}" if day.load is not None else "—"
        hours = f"{day.hours:.2f} h" if day.hours is not None else "—"
        rows.append(f"<p><b>Load:</b> {load} TSS · <b>Time:</b> {hours}</p>")
    ctl, atl, tsb = day.fitness
    if ctl is not None or atl is not None:
        rows.append(f'<p class="muted">CTL {_num(ctl)} · ATL {_num(atl)} · TSB {_num(tsb)}</p>')
    if day.planned:
        rows.append("<h4>Planned</h4>" + _sessions(day.planned))
    if day.date <= today:
        if day.wellness:
            body = "".join(
                f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in day.wellness
            )
            rows.append(f'<h4>Wellness</h4><table class="kv">{body}</table>')
        else:
            rows.append('<p class="na">Wellness: none recorded</p>')
    classes = "day is-today" if day.date == today else "day"
    return (
        f'<section class="{classes}" id="day-{iso}" data-date="{iso}" '
        f'data-state="{day.state}">{"".join(rows)}<p><a href="#log">back to the run log</a></p>'
        "</section>"
    )


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _sessions(sessions: Sequence[Session]) -> str:
    items = []
    for s in sessions:
        bits = [s.sport or "", s.duration or ""]
        if s.distance_km is not None:
            bits.append(f"{s.distance_km:g} km")
        if s.load is not None:
            bits.append(f"{s.load:.0f} TSS")
        detail = " · ".join(b for b in bits if b)
        items.append(f"<li><b>{escape(s.name or 'Session')}</b> {escape(detail)}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def week_start_index(latest: j.JSON, history: j.JSON | None) -> int:
    """The athlete's WEEK_START as a weekday number (Monday 0), Monday when unknown."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for value in (j.text(history, "week_start"), j.text(latest, "weekly_summary", "week_start")):
        if value and value[:3].lower() in names:
            return names.index(value[:3].lower())
    return 0
