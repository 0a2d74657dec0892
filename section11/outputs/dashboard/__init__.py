"""dashboard.html and its SVG charts: what the AI sees, for the athlete to look at.

Rendered from the same data as latest.json and history.json; nothing is fetched and no
metric is recomputed here (the fitness projection comes from ``metrics.projection``).
"""

from section11.outputs.dashboard.days import RUN_LOG_DAYS, Day, DayState, build_days
from section11.outputs.dashboard.facts import CalendarFacts, HealthSpan, calendar_facts
from section11.outputs.dashboard.render import (
    CALENDAR_SVG,
    DASHBOARD_FILE,
    FITNESS_SVG,
    LOAD_SVG,
    DashboardOptions,
    render_dashboard,
)
from section11.outputs.dashboard.write import write_dashboard

__all__ = [
    "CALENDAR_SVG",
    "DASHBOARD_FILE",
    "FITNESS_SVG",
    "LOAD_SVG",
    "RUN_LOG_DAYS",
    "CalendarFacts",
    "DashboardOptions",
    "Day",
    "DayState",
    "HealthSpan",
    "build_days",
    "calendar_facts",
    "render_dashboard",
    "write_dashboard",
]
