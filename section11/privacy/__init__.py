"""Privacy levels and the pass that applies them to every file the mirror writes.

Other packages use: :class:`PrivacyLevel` (and ``parse_privacy_level``), and
:func:`protect_documents`, called once per sync on all documents just before they are
written. The field lists that drive it are in :mod:`section11.privacy.fields`.
"""

from section11.privacy.apply import collect_zones, protect_documents
from section11.privacy.geo import ZONE_RADIUS_M, PrivacyZones, trim_polyline
from section11.privacy.levels import (
    DEFAULT_LEVEL,
    LEVEL_NAMES,
    PrivacyLevel,
    parse_flag,
    parse_privacy_level,
    privacy_relaxed,
)

__all__ = [
    "DEFAULT_LEVEL",
    "LEVEL_NAMES",
    "ZONE_RADIUS_M",
    "PrivacyLevel",
    "PrivacyZones",
    "collect_zones",
    "parse_flag",
    "parse_privacy_level",
    "privacy_relaxed",
    "protect_documents",
    "trim_polyline",
]
