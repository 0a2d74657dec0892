"""dashboard.html and its charts, rendered from JSON content shaped like the reference's."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from dashboard_html import cell_states, svg_cell_states

from section11.outputs.dashboard import (
    CALENDAR_SVG,
    DASHBOARD_FILE,
    FITNESS_SVG,
    LOAD_SVG,
    DashboardOptions,
    render_dashboard,
)
from section11.publish.runner import normalized_for_comparison

DATA = Path(__file__).parent / "data" / "dashboard"
SVG_NS = "http://www.w3.org/2000/svg"


def fixture(name: str) -> Any:
    return json.loads((DATA / name).read_text("utf-8"))


def render(
    latest: dict[str, Any] | None = None,
    history: dict[str, Any] | None = None,
    *,
    anonymize: bool = True,
) -> dict[str, str]:
    files = render_dashboard(
        latest if latest is not None else fixture("reference_shape_latest.json"),
        history if history is not None else fixture("reference_shape_history.json"),
        None,
        DashboardOptions(anonymize=anonymize),
    )
    return {name: payload.decode("utf-8") for name, payload in files.items()}


def section(html: str, name: str) -> str:
    match = re.search(rf'<section class="card" data-section="{name}">(.*?)</section>', html, re.S)
    assert match, f"no {name} card"
    return match.group(1)


def test_writes_the_page_and_three_charts() -> None:
    files = render()
    assert set(files) == {DASHBOARD_FILE, CALENDAR_SVG, FITNESS_SVG, LOAD_SVG}
    for name in (CALENDAR_SVG, FITNESS_SVG, LOAD_SVG):
        root = ET.fromstring(files[name])  # well-formed XML, an SVG document
        assert root.tag == f"{{{SVG_NS}}}svg"


def test_readiness_decision_with_its_signals() -> None:
    card = section(render()[DASHBOARD_FILE], "decision")
    assert 'data-recommendation="modify"' in card and "MODIFY" in card
    assert '<span class="prio">P2</span>' in card
    assert "P2 modify: HRV amber with race week tightening the amber threshold." in card
    assert "Shorten the session by a third; keep the intensity." in card
    assert re.search(r'data-signal="hrv">.*?s-amber.*?48 \(7-day 61\.2\)', card)
    assert re.search(r'data-signal="ri">.*?s-unavailable.*?—', card)  # null value: a dash
    assert re.search(r'data-signal="sleep">.*?7\.5 h, quality 2', card)
    assert "4 green, 1 amber, 0 red, 1 unavailable" in card


def test_phase_next_race_race_week_and_alerts() -> None:
    html = render()[DASHBOARD_FILE]
    phase = section(html, "phase")
    assert 'data-phase="Taper"' in phase
    assert "confidence high; 2 weeks; after Build; RACE_IMMINENT" in phase
    race = section(html, "race")
    assert 'data-next-race="Harbour 10K"' in race and "in 4 days" in race
    assert "2030-04-14 · B race · Run · 10 km" in race
    assert 'data-race-week="active"' in race
    assert "D-4 of Harbour 10K" in race
    assert "Easy aerobic, 20–30 TSS" in race
    assert "150–200 TSS, 70 spent" in race
    assert "18.5 (target 5–20)" in race
    assert "D-1 (2030-04-13)" in race
    alerts = section(html, "alerts")
    assert 'data-alert="race_week"' in alerts and 'data-alert="hrv_drop"' in alerts
    assert 'class="alert sev-warning"' in alerts
    assert "HRV is 21.5% below its 7-day baseline." in alerts


def test_absent_blocks_say_not_available() -> None:
    latest = fixture("reference_shape_latest.json")
    del latest["readiness_decision"], latest["derived_metrics"]["phase_detection"]
    del latest["race_calendar"]["race_week"], latest["alerts"]
    html = render(latest)[DASHBOARD_FILE]
    for what in ("Readiness decision", "Phase", "Race-week plan", "Alerts"):
        assert f'data-missing="{what}">{what}: not available' in html
    # A race week that is present but inactive is not "not available".
    latest["race_calendar"]["race_week"] = {"active": False}
    latest["alerts"] = []
    html = render(latest)[DASHBOARD_FILE]
    assert 'data-race-week="inactive"' in html
    assert "No alerts." in html


def test_no_next_race_and_no_projection() -> None:
    latest = fixture("reference_shape_latest.json")
    latest["race_calendar"] = {"next_race": None, "all_races": [], "taper_alert": None}
    html = render(latest)[DASHBOARD_FILE]
    assert "No race in the calendar." in html
    assert "No race in the calendar: nothing to project to." in html


def test_fitness_is_projected_to_the_race() -> None:
    files = render()
    # From CTL 50 / ATL 40 on 2030-04-10, 30 TSS planned on 04-11, rest to 04-14:
    #   04-11 CTL 50 + (30-50)*0.023528 = 49.529, ATL 40 + (30-40)*0.133122 = 38.669
    #   then three rest days: CTL 49.529*0.976472^3 = 46.115, ATL 38.669*0.866878^3 = 25.190
    #   TSB 46.115 - 25.190 = 20.92
    assert "Race day: CTL 46.1, ATL 25.2, TSB 20.9." in files[DASHBOARD_FILE]
    assert "following 1 planned session(s)" in files[DASHBOARD_FILE]
    assert 'data-series="ctl-projected"' in files[FITNESS_SVG]
    assert 'data-series="ctl"' in files[FITNESS_SVG]


def test_weekly_load_shows_each_weeks_phase() -> None:
    svg = render()[LOAD_SVG]
    # The reference names the weekly phase phase_detected.
    assert re.findall(r'data-phase="([^"]*)"', svg) == ["Build", "Peak", "Taper"]
    assert "rowing 130" in svg


def test_calendar_cells_carry_date_and_state_in_page_and_svg() -> None:
    files = render()
    page, svg = cell_states(files[DASHBOARD_FILE]), svg_cell_states(files[CALENDAR_SVG])
    assert page == svg
    assert page["2030-04-08"] == "missed"
    assert 'id="day-2030-04-08"' in files[DASHBOARD_FILE]  # the panel a cell selects
    assert all(len(re.findall(rf'data-date="{d}"', files[DASHBOARD_FILE])) == 2 for d in page)


def test_self_contained_small_and_without_script() -> None:
    html = render()[DASHBOARD_FILE]
    assert len(html.encode("utf-8")) < 2 * 1024 * 1024
    assert "<script" not in html.lower()
    assert not re.search(r"\b(src|srcset|action)=", html)
    assert "@import" not in html and "url(" not in html
    # The only address is the SVG namespace (an identifier, never loaded).
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) == {SVG_NS}
    assert re.findall(r'href="([^"#][^"]*)"', html) == []  # only in-page links
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_privacy_hides_the_athlete_and_health_notes() -> None:
    private = render(anonymize=True)[DASHBOARD_FILE]
    assert "i424242" not in private
    assert "Sore throat" not in private
    assert "(anonymized)" in private
    public = render(anonymize=False)[DASHBOARD_FILE]
    assert "athlete i424242" in public
    assert "Sore throat" in public


def test_text_from_the_data_is_escaped() -> None:
    latest = fixture("reference_shape_latest.json")
    latest["recent_activities"][0]["name"] = '<script>alert("x")</script>'
    latest["alerts"][0]["context"] = '<img src="http://evil.example/a.png">'
    html = render(latest)[DASHBOARD_FILE]
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "latest",
    [
        {"metadata": {"today": "2030-04-10"}},
        {
            "metadata": {"today": "2030-04-10"},
            "alerts": "none",
            "recent_activities": [1, None, {"date": "not a date"}],
            "readiness_decision": {"signals": {"hrv": "green"}, "priority": "high"},
            "race_calendar": {"next_race": {"date": "2030-13-45"}, "race_week": None},
            "current_status": {"fitness": {"ctl": "NaN", "atl": None}},
            "planned_workouts": [{"date": "2030-04-11", "planned_tss": "x"}],
        },
    ],
)
def test_messy_or_minimal_input_still_renders(latest: dict[str, Any]) -> None:
    html = render(latest, {"daily_90d": "x", "weekly_180d": [None]})[DASHBOARD_FILE]
    assert 'data-date="2030-04-10"' in html
    assert "Weekly load: not available" in html


def test_without_a_date_it_refuses_to_guess() -> None:
    with pytest.raises(ValueError, match=r"metadata\.today"):
        render_dashboard({"metadata": {}}, None)


def test_the_sync_time_alone_is_not_a_change_for_the_publisher() -> None:
    latest = fixture("reference_shape_latest.json")
    first = render(latest)[DASHBOARD_FILE].encode()
    latest["metadata"]["last_updated"] = "2030-04-10T09:45:00"
    second = render(latest)[DASHBOARD_FILE].encode()
    assert first != second
    assert normalized_for_comparison(first) == normalized_for_comparison(second)
    latest["alerts"] = []
    third = render(latest)[DASHBOARD_FILE].encode()
    assert normalized_for_comparison(third) != normalized_for_comparison(second)


def test_data_freshness() -> None:
    card = section(render()[DASHBOARD_FILE], "freshness")
    assert '<time data-volatile="last_updated">2030-04-10T07:30:00</time>' in card
    assert "2030-04-09 (yesterday)" in card  # the easy run, newest in recent_activities
    assert "<th>Wellness today</th><td>received</td>" in card
    # No-data days of the 90 past days 2030-01-11 … 04-09 (today is still open): history
    # rows exist only from 04-05, so 01-11 … 04-04 is 21 + 28 + 31 + 4 = 84 days, minus the
    # two SICK days 04-02/04-03 = 82, plus 04-05 (no activity, no wellness) = 83.
    assert "83 no-data days in the run log" in card
    latest = fixture("reference_shape_latest.json")
    latest["derived_metrics"]["data_quality"] |= {
        "strava_stub_activities": 2,
        "wellness_days_missing_7d": 3,
        "warnings": ["history.json was not updated: timeout"],
    }
    latest["wellness_data"] = latest["wellness_data"][1:]  # nothing for today yet
    html = render_dashboard(latest, None)[DASHBOARD_FILE].decode("utf-8")
    card = section(html, "freshness")
    assert "2 Strava activities (28 days) Intervals.icu cannot share" in card
    assert "3 of the last 7 days without wellness" in card
    assert "history.json was not updated: timeout" in card
    assert "history.json is not available" in card
    assert "<th>Wellness today</th><td>not received yet</td>" in card
