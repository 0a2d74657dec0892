"""``section11 set-threshold``: change FTP, LTHR, max HR or threshold pace of one sport."""

from __future__ import annotations

from typing import Any

from section11.commands._common import JSON, Context, Parser, emit, new_parser
from section11.errors import ConfigError
from section11.workouts.model import parse_pace

#: Sport words the command takes, and the Intervals.icu activity type of their settings.
SPORT_TYPES = {
    "run": "Run",
    "ride": "Ride",
    "cycling": "Ride",
    "swim": "Swim",
    "walk": "Walk",
    "ski": "NordicSki",
    "rowing": "Rowing",
}
#: Plausible ranges: a value outside is a typo, not a threshold.
_RANGES = {
    "ftp": (30, 700),
    "indoor_ftp": (30, 700),
    "lthr": (60, 230),
    "max_hr": (80, 240),
}


def build_parser() -> Parser:
    parser = new_parser(
        "set-threshold",
        "Change thresholds in the sport settings (after a test, not from an estimate). "
        "Previews the change unless --confirm.",
        confirm=True,
    )
    parser.add_argument("--sport", required=True, help=", ".join(SPORT_TYPES))
    parser.add_argument("--ftp", type=int, help="FTP, watts")
    parser.add_argument("--indoor-ftp", type=int, help="indoor FTP, watts")
    parser.add_argument("--lthr", type=int, help="threshold heart rate, bpm")
    parser.add_argument("--max-hr", type=int, help="maximum heart rate, bpm")
    parser.add_argument("--threshold-pace", metavar="M:SS", help="per km (run) or per 100 m (swim)")
    return parser


def run(ctx: Context) -> int:
    args = ctx.args
    activity_type = SPORT_TYPES.get(str(args.sport).strip().lower())
    if activity_type is None:
        raise ConfigError(f"--sport {args.sport!r}: use one of {', '.join(SPORT_TYPES)}")
    wanted: JSON = {}
    for field in ("ftp", "indoor_ftp", "lthr", "max_hr"):
        value = getattr(args, field)
        if value is None:
            continue
        low, high = _RANGES[field]
        if not low <= value <= high:
            flag = "--" + field.replace("_", "-")
            raise ConfigError(f"{flag} {value} is outside {low}-{high}; check the number")
        wanted[field] = value
    if args.threshold_pace is not None:
        try:
            seconds = parse_pace(args.threshold_pace)
        except ValueError as exc:
            raise ConfigError(f"--threshold-pace: {exc}") from None
        per = 100.0 if activity_type == "Swim" else 1000.0
        # Intervals.icu keeps threshold pace as a speed in metres per second.
        wanted["threshold_pace"] = round(per / float(seconds or 1), 4)
    if not wanted:
        raise ConfigError(
            "nothing to change: give --ftp, --indoor-ftp, --lthr, --max-hr or --threshold-pace"
        )
    api = ctx.api()
    current = api.sport_settings(activity_type)
    changes = {k: {"from": current.get(k), "to": v} for k, v in wanted.items()}
    changed = {k: v for k, v in wanted.items() if not _same(current.get(k), v)}
    result: JSON = {
        "success": True,
        "command": "set-threshold",
        "preview": not args.confirm,
        "sport": activity_type,
        "changes": changes,
    }
    if args.confirm and changed:
        recalc = "lthr" in changed or "max_hr" in changed
        api.update_sport_settings(activity_type, changed, recalc_hr=recalc)
    elif not args.confirm:
        result["message"] = "preview only: nothing was changed; add --confirm to save"
    if not changed:
        result["message"] = "the settings already hold these values; nothing to change"
    emit(result)
    return 0


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(current, int | float) and isinstance(wanted, int | float):
        return abs(float(current) - float(wanted)) < 1e-9
    return bool(current == wanted)
