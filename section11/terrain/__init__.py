"""Course terrain: route-file and stream parsing, climb detection, encoded polyline.

Pure functions: no network, no disk, no clock.
"""

from section11.terrain.analyze import (
    ROUTE_ONLY_FIELDS,
    Climb,
    Descent,
    GradeDistribution,
    TerrainSummary,
    analyze_terrain,
    apply_display_units,
)
from section11.terrain.parse import (
    ParsedRoute,
    RouteParseError,
    TrackPoint,
    parse_route_file,
    points_from_streams,
    read_route_file,
)

__all__ = [
    "ROUTE_ONLY_FIELDS",
    "Climb",
    "Descent",
    "GradeDistribution",
    "ParsedRoute",
    "RouteParseError",
    "TerrainSummary",
    "TrackPoint",
    "analyze_terrain",
    "apply_display_units",
    "parse_route_file",
    "points_from_streams",
    "read_route_file",
]
