"""FIT activity and course files read with fitdecode: positions, altitude, distance.

Positions are stored as semicircles (2^31 semicircles = 180 degrees). ``enhanced_altitude``
is preferred over ``altitude`` (same metres, wider range). The file's own distance comes from
the session totals, or else from the records' cumulative ``distance``. Any decoding error
(bad header, bad CRC, truncated data) becomes FitRouteError with a short reason.
"""

from __future__ import annotations

import io
import math
import warnings
from datetime import datetime
from typing import Any

from section11.terrain.raw import RawPoint, RawRoute

_SEMICIRCLE_TO_DEG = 180.0 / 2**31
MAX_RECORDS = 2_000_000  # about 23 days at 1 Hz; more is not a route


class FitRouteError(ValueError):
    """The FIT file cannot be decoded; the message says why in a few words."""


def read_fit_route(data: bytes) -> RawRoute:
    import fitdecode  # only when a FIT route is read: most runs read none

    try:
        # fitdecode warns about odd definitions it can skip; the result is what matters.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(data)
    except fitdecode.FitCRCError:
        raise FitRouteError("is a damaged FIT file (checksum mismatch)") from None
    except fitdecode.FitEOFError:
        raise FitRouteError("is a truncated FIT file") from None
    except fitdecode.FitError as exc:
        raise FitRouteError(f"is not a readable FIT file ({_short(exc)})") from None
    except FitRouteError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise FitRouteError(f"is not a readable FIT file ({type(exc).__name__})") from None


def _read(data: bytes) -> RawRoute:
    import fitdecode

    points: list[RawPoint] = []
    session_total = 0.0
    with fitdecode.FitReader(
        io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE, keep_raw_chunks=False
    ) as reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "record":
                points.append(_point(frame))
                if len(points) > MAX_RECORDS:
                    raise FitRouteError(f"has more than {MAX_RECORDS} records")
            elif frame.name == "session":
                total = _value(frame, "total_distance")
                if total is not None and total > 0:
                    session_total += total
    return RawRoute(points, session_total or None)


def _point(frame: Any) -> RawPoint:
    lat = _value(frame, "position_lat")
    lon = _value(frame, "position_long")
    ele = _value(frame, "enhanced_altitude")
    if ele is None:
        ele = _value(frame, "altitude")
    stamp = _raw(frame, "timestamp")
    return RawPoint(
        lat=None if lat is None else lat * _SEMICIRCLE_TO_DEG,
        lon=None if lon is None else lon * _SEMICIRCLE_TO_DEG,
        ele=ele,
        time=stamp.timestamp() if isinstance(stamp, datetime) else None,
        distance=_value(frame, "distance"),
    )


def _raw(frame: Any, name: str) -> Any:
    if not frame.has_field(name):
        return None
    return frame.get_value(name, fallback=None)


def _value(frame: Any, name: str) -> float | None:
    value = _raw(frame, name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__
