"""Shared constants of the privacy and hardening tests."""

from __future__ import annotations

from datetime import UTC, datetime

#: The demo athlete's "today" in tests is 2026-11-21 (tests/conftest.py).
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
