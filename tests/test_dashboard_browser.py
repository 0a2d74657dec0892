"""The demo athlete's dashboard in a real browser (headless Chromium from the OS).

The expected states below are derived by hand from the demo athlete (section11/demo,
today 2026-11-21): SICK markers cover today-40 … today-37 (2026-10-12 … 10-15, no
activity on those days), an INJURED marker today-12 … today-5 (2026-11-09 … 11-16);
past planned workouts exist from today-14 (2026-11-07); the Strava stubs fall on days
with other activities, and the days without wellness (today-3, today-60 … -57) all have
activities.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from chromium import DevTools, dump_dom, screenshot
from dashboard_html import cell_states

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.demo.athlete import STRAVA_NOTE

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo


def sync_demo(fake_api: FakeIntervalsServer, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }
    assert main(["--output-dir", str(out)], env=env, clock=FixedClock(NOW)) == 0
    return out / "dashboard.html"


@pytest.fixture
def demo_page(fake_api: FakeIntervalsServer, tmp_path: Path) -> Path:
    return sync_demo(fake_api, tmp_path)


def test_known_demo_days_in_the_browser(demo_page: Path, tmp_path: Path) -> None:
    loaded = dump_dom(demo_page, tmp_path / "profile")
    states = cell_states(loaded.dom)
    assert loaded.console == []  # no error, warning or blocked resource on the page
    expected = {
        "2026-07-14": "sick",  # SICK "Cold" today-130 … today-125, no activity
        "2026-07-19": "sick",
        "2026-10-12": "sick",  # SICK "Flu" today-40 … today-37, no activity
        "2026-10-15": "sick",
        "2026-10-16": "trained",  # the marker's exclusive end: a swim that day
        "2026-11-04": "rest",  # no activity, wellness recorded, nothing planned
        "2026-11-09": "sick",  # INJURED "Calf strain", a rest day
        "2026-11-10": "trained",  # injured, but rode (cycling was allowed)
        "2026-11-13": "sick",
        "2026-11-18": "trained",  # run + swim; no wellness that day does not matter
        "2026-11-21": "trained",  # today: the 06:31 virtual ride is done
        "2026-11-22": "planned",  # "Long run to Sognsvann"
        "2026-11-23": "future",  # only a NOTE ("Course recon file from the club")
        "2026-12-12": "race",  # Nordmarka Trail 21k (RACE_B)
    }
    assert {day: states.get(day) for day in expected} == expected
    past = Counter(state for day, state in states.items() if "2026-08-24" <= day <= "2026-11-21")
    # 90 days 2026-08-24 … 11-21: history.json has 74 days with activity and 16 without;
    # 4 (Flu) + 2 (Calf strain) of the 16 are sick days, the other 10 are rest days.
    assert past == {"trained": 74, "rest": 10, "sick": 6}
    # A year of run log: 2026-11-21 - 364 days = 2025-11-22.
    assert min(states) == "2025-11-22"
    assert demo_page.stat().st_size < 2 * 1024 * 1024


def _drop_day(athlete: DemoAthlete, day: str, *, wellness: bool) -> None:
    athlete.activities[:] = [
        a for a in athlete.activities if not a["start_date_local"].startswith(day)
    ]
    if not wellness:
        athlete.wellness[:] = [w for w in athlete.wellness if w["id"] != day]


def test_no_data_and_missed_days_in_the_browser(
    demo_athlete: DemoAthlete, fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    # 2026-11-19: nothing at all (the watch never synced) although "Threshold 2x20" was
    # planned -> no data (no activity and no wellness comes before the plan).
    _drop_day(demo_athlete, "2026-11-19", wellness=False)
    # 2026-11-20: wellness arrived, "Easy run along Akerselva" was not done -> missed.
    _drop_day(demo_athlete, "2026-11-20", wellness=True)
    # 2026-11-08: the run came from Strava only -> no data (the API may not share it).
    _drop_day(demo_athlete, "2026-11-08", wellness=True)
    demo_athlete.activities.append(
        {
            "id": "i99999901",
            "icu_athlete_id": DEMO_ATHLETE_ID,
            "start_date_local": "2026-11-08T08:00:00",
            "source": "STRAVA",
            "_note": STRAVA_NOTE,
        }
    )
    page = sync_demo(fake_api, tmp_path)
    loaded = dump_dom(page, tmp_path / "profile")
    states = cell_states(loaded.dom)
    assert loaded.console == []
    assert states["2026-11-19"] == "no-data"
    assert states["2026-11-20"] == "missed"
    assert states["2026-11-08"] == "no-data"
    assert states["2026-11-07"] == "trained"  # the neighbours are untouched
    html = page.read_text("utf-8")
    assert "only a Strava activity" in html
    assert "no activity and no wellness: the watch may not have synced" in html


def test_the_console_check_catches_errors(tmp_path: Path) -> None:
    # Proof the check above can fail: a script error and a blocked remote image are seen.
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; script-src 'unsafe-inline'\">"
        '<img src="http://192.0.2.1/a.png"><script>console.error("boom")</script>'
    )
    console = dump_dom(page, tmp_path / "profile").console
    assert any('"boom"' in line for line in console)
    assert any("192.0.2.1" in line for line in console)


def test_screenshots_at_desktop_and_phone_width(demo_page: Path, tmp_path: Path) -> None:
    for name, width in (("desktop", 1280), ("phone", 390)):
        target = tmp_path / f"{name}.png"
        screenshot(demo_page, tmp_path / f"profile-{name}", target, width, 2400)
        # A PNG of the requested width (bytes 16-19 of the IHDR chunk).
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == width


def _display(devtools: DevTools, element_id: str) -> str:
    value = devtools.evaluate(f"getComputedStyle(document.getElementById('{element_id}')).display")
    assert isinstance(value, str)
    return value


def _click_cell(devtools: DevTools, day: str) -> None:
    box = devtools.evaluate(
        f"(() => {{ const cell = document.querySelector('a.cell[data-date=\"{day}\"]');"
        " cell.scrollIntoView({block: 'center'}); const r = cell.getBoundingClientRect();"
        " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    devtools.click(box[0], box[1])
    deadline = time.monotonic() + 10
    while devtools.evaluate("location.hash") != f"#day-{day}":
        assert time.monotonic() < deadline, f"clicking {day} did not select it"
        time.sleep(0.05)


@pytest.mark.parametrize(("width", "height", "mobile"), [(1280, 900, False), (390, 844, True)])
def test_selecting_a_day_shows_its_panel_without_javascript(
    demo_page: Path, tmp_path: Path, width: int, height: int, mobile: bool
) -> None:
    with DevTools(tmp_path / "profile", width, height, mobile=mobile) as devtools:
        devtools.open(demo_page.resolve().as_uri())
        assert devtools.evaluate("document.scripts.length") == 0
        # Until a day is chosen, today's panel is the one shown.
        assert _display(devtools, "day-2026-11-21") == "block"
        assert _display(devtools, "day-2026-11-04") == "none"
        _click_cell(devtools, "2026-11-04")
        assert _display(devtools, "day-2026-11-04") == "block"
        assert _display(devtools, "day-2026-11-21") == "none"
        text = devtools.evaluate("document.getElementById('day-2026-11-04').innerText")
        assert "rest day" in text and "Wellness" in text and "HRV" in text
        _click_cell(devtools, "2026-11-18")  # run + swim, the Strava stub day
        text = devtools.evaluate("document.getElementById('day-2026-11-18').innerText")
        assert "Sessions" in text and "Load:" in text and "Wellness: none recorded" in text
        assert devtools.console == []


def test_readable_on_a_phone(demo_page: Path, tmp_path: Path) -> None:
    with DevTools(tmp_path / "profile", 390, 844, mobile=True) as devtools:
        devtools.open(demo_page.resolve().as_uri())
        # No sideways scrolling: the page is exactly as wide as the phone's viewport.
        assert devtools.evaluate("document.documentElement.scrollWidth") == 390
        assert devtools.evaluate("window.innerWidth") == 390
        # Calendar cells big enough to tap (at least 32 CSS pixels square).
        smallest = devtools.evaluate(
            "Math.min(...[...document.querySelectorAll('a.cell')]"
            ".map(c => c.getBoundingClientRect()).map(r => Math.min(r.width, r.height)))"
        )
        assert smallest >= 32
        # Charts scale down to the screen instead of overflowing it.
        widths = devtools.evaluate(
            "[...document.querySelectorAll('.chart svg')].map(s => s.getBoundingClientRect().right)"
        )
        assert widths and max(widths) <= 390
        assert devtools.console == []


def test_earlier_days_unfold_and_select(demo_page: Path, tmp_path: Path) -> None:
    with DevTools(tmp_path / "profile", 1280, 900, mobile=False) as devtools:
        devtools.open(demo_page.resolve().as_uri())
        # The last 90 days start at the week of 2026-08-24 (a Monday): older days are folded.
        assert devtools.evaluate("document.querySelector('details.earlier').open") is False
        summary = devtools.evaluate(
            "(() => { const s = document.querySelector('details.earlier summary');"
            " s.scrollIntoView({block: 'center'}); const r = s.getBoundingClientRect();"
            " return [r.x + 20, r.y + r.height / 2]; })()"
        )
        devtools.click(summary[0], summary[1])
        assert devtools.evaluate("document.querySelector('details.earlier').open") is True
        _click_cell(devtools, "2026-07-14")
        assert _display(devtools, "day-2026-07-14") == "block"
        text = devtools.evaluate("document.getElementById('day-2026-07-14').innerText")
        assert "sick / injured" in text
        assert devtools.console == []
