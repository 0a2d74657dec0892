"""section11: mirror Intervals.icu training data into static JSON files for AI coaches."""

import sys

# Checked before any module that needs 3.11 is imported, so that `python -m section11` on
# an older Python ends with one line instead of a traceback (sync.py checks on its own).
if sys.version_info < (3, 11):  # noqa: UP036 - older versions must reach this line
    sys.stderr.write(
        "section11: error: Python 3.11 or newer is needed; this is Python "
        + str(sys.version_info[0])
        + "."
        + str(sys.version_info[1])
        + ". Install a newer Python (python.org) and run section11 with it\n"
    )
    raise SystemExit(2)

__version__ = "1.0.0"
