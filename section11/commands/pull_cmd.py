"""``section11 pull trace ACTIVITY``: an activity's streams (read only)."""

from __future__ import annotations

from pathlib import Path

from section11.commands._common import JSON, Context, Parser, emit, new_parser
from section11.errors import ConfigError


def build_parser() -> Parser:
    parser = new_parser(
        "pull",
        "Read data that the sync does not mirror. 'trace ACTIVITY': the activity's "
        "streams (latlng: data = latitudes, data2 = longitudes).",
    )
    parser.add_argument("what", choices=("trace",))
    parser.add_argument("activity", metavar="ACTIVITY", help="activity id, e.g. i12345")
    parser.add_argument("--types", help="comma list, e.g. latlng,altitude,watts (default all)")
    parser.add_argument("--out", metavar="FILE", help="write the streams to FILE instead")
    return parser


def run(ctx: Context) -> int:
    args = ctx.args
    types = tuple(t.strip() for t in (args.types or "").split(",") if t.strip())
    streams = ctx.api().streams(args.activity, types)
    result: JSON = {
        "success": True,
        "command": "pull trace",
        "activity": args.activity,
        "types": [s.get("type") for s in streams if isinstance(s, dict)],
    }
    if args.out:
        from section11.store import write_json_atomic

        out = Path(args.out)
        if out.is_dir():
            raise ConfigError(f"--out {out} is a folder; name a file")
        size = write_json_atomic(out, {"activity": args.activity, "streams": streams})
        result.update(out=str(out), bytes=size)
    else:
        result["streams"] = streams
    emit(result)
    return 0
