"""Output files: one module per file, each building a pydantic model from fetched records.

Builders are pure (no I/O, no clock); the pipeline reads and writes through
``section11.store``. ftp_history.json is the exception that reads its own file, because an
unreadable history must be moved aside rather than rebuilt.
"""

from section11.outputs.ftp_history import (
    FTP_HISTORY_FILENAME,
    FtpHistory,
    load_ftp_history,
    update_ftp_history,
)
from section11.outputs.latest import ActivityExtras, LatestInputs, build_latest
from section11.outputs.latest_models import SCHEMA_VERSION as LATEST_SCHEMA_VERSION
from section11.outputs.latest_models import HistoryBlock, LatestFile

__all__ = [
    "FTP_HISTORY_FILENAME",
    "LATEST_SCHEMA_VERSION",
    "ActivityExtras",
    "FtpHistory",
    "HistoryBlock",
    "LatestFile",
    "LatestInputs",
    "build_latest",
    "load_ftp_history",
    "update_ftp_history",
]
