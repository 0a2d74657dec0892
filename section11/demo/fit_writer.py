"""A minimal FIT file writer for demo and test route files (file_id, record, session).

Written from the FIT protocol description, independently of the decoder under test: a
14-byte header with its own CRC, one definition message per message type, data messages,
and the file CRC. Positions are semicircles (2^31 = 180 degrees); altitude is stored with
scale 5 and offset 500 (uint16), distance with scale 100 (uint32, metres).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds
_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
_SINT32_INVALID = 0x7FFFFFFF
_UINT16_INVALID = 0xFFFF
_UINT32_INVALID = 0xFFFFFFFF


def fit_crc(data: bytes, crc: int = 0) -> int:
    for byte in data:
        for nibble in (byte & 0x0F, byte >> 4):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ _CRC_TABLE[nibble]
    return crc


@dataclass(frozen=True)
class FitRecord:
    unix_time: int
    lat: float | None
    lon: float | None
    altitude: float | None = None
    distance: float | None = None


def _definition(local: int, global_num: int, fields: Sequence[tuple[int, int, int]]) -> bytes:
    head = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    return head + b"".join(struct.pack("<BBB", *f) for f in fields)


def _semicircles(deg: float | None) -> int:
    return _SINT32_INVALID if deg is None else round(deg * 2**31 / 180.0)


def fit_activity(
    records: Sequence[FitRecord],
    *,
    total_distance: float | None = None,
    total_ascent: int | None = None,
) -> bytes:
    body = bytearray()
    # file_id: type (enum) = 4 (activity), manufacturer (uint16) = 255 (development)
    body += _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84)])
    body += struct.pack("<BBH", 0, 4, 255)
    # record: timestamp, position_lat, position_long, altitude, distance
    body += _definition(
        1, 20, [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (2, 2, 0x84), (5, 4, 0x86)]
    )
    for r in records:
        alt = _UINT16_INVALID if r.altitude is None else round((r.altitude + 500.0) * 5)
        dist = _UINT32_INVALID if r.distance is None else round(r.distance * 100)
        body += struct.pack(
            "<BIiiHI",
            1,
            r.unix_time - FIT_EPOCH,
            _semicircles(r.lat),
            _semicircles(r.lon),
            alt,
            dist,
        )
    # session: timestamp, total_distance (scale 100), total_ascent (m)
    body += _definition(2, 18, [(253, 4, 0x86), (9, 4, 0x86), (22, 2, 0x84)])
    last = records[-1].unix_time if records else FIT_EPOCH
    body += struct.pack(
        "<BIIH",
        2,
        last - FIT_EPOCH,
        _UINT32_INVALID if total_distance is None else round(total_distance * 100),
        _UINT16_INVALID if total_ascent is None else total_ascent,
    )
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    data = header + bytes(body)
    return data + struct.pack("<H", fit_crc(data))
