"""Route-file and stream parsing: format detection by content, GPX/TCX shapes, bad input."""

from __future__ import annotations

import pytest

from section11.terrain import RouteParseError, TrackPoint, parse_route_file, points_from_streams

GPX_NS = "http://www.topografix.com/GPX/1/1"
TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Three points used throughout: the third lacks elevation.
PTS: list[tuple[float, float, float | None]] = [
    (46.1, 7.1, 400.0),
    (46.101, 7.101, 410.5),
    (46.102, 7.102, None),
]
EXPECTED = [
    TrackPoint(46.1, 7.1, 400.0),
    TrackPoint(46.101, 7.101, 410.5),
    TrackPoint(46.102, 7.102, None),
]


def _gpx_pt(tag: str, lat: float, lon: float, ele: float | None) -> str:
    inner = "" if ele is None else f"<ele>{ele}</ele>"
    return f'<{tag} lat="{lat}" lon="{lon}">{inner}</{tag}>'


def gpx_track(points: list[tuple[float, float, float | None]], decl: bool = True) -> bytes:
    body = "".join(_gpx_pt("trkpt", *p) for p in points)
    xml = (
        f'<gpx version="1.1" creator="t" xmlns="{GPX_NS}"><trk><trkseg>{body}</trkseg></trk></gpx>'
    )
    return ((DECL if decl else "") + xml).encode()


def gpx_route(points: list[tuple[float, float, float | None]]) -> bytes:
    body = "".join(_gpx_pt("rtept", *p) for p in points)
    return (
        DECL + f'<gpx version="1.1" creator="t" xmlns="{GPX_NS}"><rte>{body}</rte></gpx>'
    ).encode()


def _tcx_pt(lat: float | None, lon: float | None, ele: float | None) -> str:
    pos = (
        ""
        if lat is None or lon is None
        else f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees>"
        f"<LongitudeDegrees>{lon}</LongitudeDegrees></Position>"
    )
    alt = "" if ele is None else f"<AltitudeMeters>{ele}</AltitudeMeters>"
    return f"<Trackpoint><Time>2026-01-01T00:00:00Z</Time>{pos}{alt}</Trackpoint>"


def tcx_activity(points: list[tuple[float, float, float | None]], decl: bool) -> bytes:
    body = "".join(_tcx_pt(*p) for p in points)
    xml = (
        f'<TrainingCenterDatabase xmlns="{TCX_NS}"><Activities><Activity Sport="Biking">'
        f"<Id>2026-01-01T00:00:00Z</Id><Lap><Track>{body}</Track></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>"
    )
    return ((DECL if decl else "") + xml).encode()


def tcx_course(points: list[tuple[float | None, float | None, float | None]]) -> bytes:
    body = "".join(_tcx_pt(*p) for p in points)
    return (
        DECL + f'<TrainingCenterDatabase xmlns="{TCX_NS}"><Courses><Course><Name>c</Name>'
        f"<Track>{body}</Track></Course></Courses></TrainingCenterDatabase>"
    ).encode()


# --- GPX --------------------------------------------------------------------------------


def test_gpx_track_points_with_and_without_elevation() -> None:
    assert parse_route_file(gpx_track(PTS), "ride.gpx") == EXPECTED


def test_gpx_route_points_are_a_course() -> None:
    # No <trk> at all: the <rte> is the course (the reference ignored it).
    assert parse_route_file(gpx_route(PTS), "course.gpx") == EXPECTED


def test_gpx_track_wins_over_route_and_waypoints_are_not_a_course() -> None:
    xml = gpx_track(PTS).decode().replace("</gpx>", _gpx_pt("rtept", 1.0, 1.0, 1.0) + "</gpx>")
    assert parse_route_file(xml.encode(), "x.gpx") == EXPECTED
    waypoints = (
        f'<gpx version="1.1" creator="t" xmlns="{GPX_NS}">'
        + "".join(_gpx_pt("wpt", *p) for p in PTS)
        + "</gpx>"
    ).encode()
    with pytest.raises(RouteParseError, match="fewer than 2 track points"):
        parse_route_file(waypoints, "pois.gpx")


def test_gpx_with_utf8_bom_and_no_declaration() -> None:
    assert parse_route_file(b"\xef\xbb\xbf" + gpx_track(PTS, decl=False), "a.gpx") == EXPECTED


# --- TCX --------------------------------------------------------------------------------


@pytest.mark.parametrize("decl", [True, False])
def test_tcx_activity_with_and_without_xml_declaration(decl: bool) -> None:
    # With a declaration the reference sent this to the GPX parser and failed.
    assert parse_route_file(tcx_activity(PTS, decl), "recon.tcx") == EXPECTED


def test_tcx_course_skips_trackpoints_without_position() -> None:
    data = tcx_course([(46.1, 7.1, 400.0), (None, None, 405.0), (46.101, 7.101, None)])
    assert parse_route_file(data, "course.tcx") == [
        TrackPoint(46.1, 7.1, 400.0),
        TrackPoint(46.101, 7.101, None),
    ]


def test_format_comes_from_content_not_extension() -> None:
    assert parse_route_file(tcx_activity(PTS, True), "mislabelled.gpx") == EXPECTED
    assert parse_route_file(gpx_track(PTS), "mislabelled.tcx") == EXPECTED
    assert parse_route_file(gpx_track(PTS), "no_extension") == EXPECTED


# --- FIT and bad input ------------------------------------------------------------------


def _fit_header() -> bytes:
    # 14-byte FIT header: size, protocol, profile (2), data size (4), ".FIT", crc (2).
    return bytes([14, 0x20, 0x08, 0x08, 0, 0, 0, 0]) + b".FIT" + b"\x00\x00"


def test_fit_is_detected_by_signature_at_offset_8() -> None:
    # A FIT header followed by zeros is a FIT file whatever its name, and a damaged one.
    for name in ("ride.fit", "ride.gpx", "ride"):
        with pytest.raises(RouteParseError, match=r"damaged FIT file|truncated FIT file"):
            parse_route_file(_fit_header() + b"\x00" * 32, name)


def test_fit_extension_without_fit_header() -> None:
    with pytest.raises(RouteParseError, match="no FIT header"):
        parse_route_file(b".F not really a fit file", "ride.fit")


@pytest.mark.parametrize("data", [b"", b"   \n\t "])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(RouteParseError, match="is empty"):
        parse_route_file(data, "x.gpx")


def test_garbage_and_truncated_files_give_one_line_errors() -> None:
    full = gpx_track(PTS)
    cases = [
        (b"\x00\x01\x02 binary junk \xff\xfe\x80", "x.gpx"),
        (b"hello world", "notes.txt"),
        (b"<html><body>404</body></html>", "x.gpx"),
        (full[: len(full) // 2], "x.gpx"),
        (tcx_activity(PTS, True)[:-60], "x.tcx"),
    ]
    for data, name in cases:
        with pytest.raises(RouteParseError) as info:
            parse_route_file(data, name)
        assert "\n" not in str(info.value)
        assert str(info.value)


def test_unknown_content_and_extension() -> None:
    with pytest.raises(RouteParseError, match="not a GPX, TCX or FIT route file"):
        parse_route_file(b"lat,lon\n1,2\n3,4\n", "route.csv")


def test_doctype_and_entity_declarations_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<gpx version="1.1" creator="t" xmlns="{GPX_NS}"><trk><trkseg>'
        '<trkpt lat="1" lon="1"><name>&b;</name></trkpt><trkpt lat="2" lon="2"/>'
        "</trkseg></trk></gpx>"
    ).encode()
    with pytest.raises(RouteParseError, match="DOCTYPE or ENTITY"):
        parse_route_file(bomb, "bomb.gpx")
    with pytest.raises(RouteParseError, match="DOCTYPE or ENTITY"):
        parse_route_file(b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>', "bomb.tcx")


def test_single_point_course() -> None:
    with pytest.raises(RouteParseError, match="fewer than 2 track points"):
        parse_route_file(gpx_track(PTS[:1]), "dot.gpx")


def test_out_of_range_coordinates_are_dropped() -> None:
    # lat 91 is impossible; that leaves 1 valid point, so the file is rejected.
    with pytest.raises(RouteParseError, match="fewer than 2"):
        parse_route_file(gpx_track([(91.0, 7.0, 1.0), (46.0, 7.0, 1.0)]), "x.gpx")


# --- streams ----------------------------------------------------------------------------


def test_points_from_streams_skips_missing_positions_keeps_missing_altitude() -> None:
    lat = [46.0, None, 46.002, 46.003, 46.004]
    lon = [7.0, 7.001, 7.002, None, 7.004]
    alt = [500.0, 501.0, None, 503.0]  # one shorter than the positions
    assert points_from_streams(lat, lon, alt) == [
        TrackPoint(46.0, 7.0, 500.0),
        TrackPoint(46.002, 7.002, None),  # altitude missing: None, not 0
        TrackPoint(46.004, 7.004, None),  # beyond the altitude stream
    ]


def test_points_from_streams_without_altitude_stream() -> None:
    assert points_from_streams([1.0, 2.0], [3.0, 4.0], None) == [
        TrackPoint(1.0, 3.0, None),
        TrackPoint(2.0, 4.0, None),
    ]


def test_xml_with_another_root_element_is_named_in_the_error() -> None:
    # An HTML error page saved under a .gpx name.
    with pytest.raises(
        RouteParseError, match=r"not a GPX or TCX file \(its root element is <html>\)"
    ):
        parse_route_file(b"<!-- x --><html><body>Not found</body></html>", "route.gpx")
