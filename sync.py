#!/usr/bin/env python3
"""Entry point for the data repository's workflow: ``python sync.py --publish``.

Same flags as the ``section11`` command. Runs from a checkout without installing the
package (the workflow installs only requirements.txt). Kept to syntax that old Python
versions can read, so that they reach the version check below instead of a traceback.
"""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - the point: old versions run this file
    version = str(sys.version_info[0]) + "." + str(sys.version_info[1])
    sys.stderr.write(
        "section11: error: Python 3.11 or newer is needed; this is Python "
        + version
        + " ("
        + sys.executable
        + "). Install a newer Python (python.org) and run sync.py with it\n"
    )
    sys.exit(2)

from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from section11.cli import main

if __name__ == "__main__":
    sys.exit(main())
