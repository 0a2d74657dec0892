#!/usr/bin/env python3
"""Entry point for the data repository's workflow: ``python sync.py --publish``.

Same flags as the ``section11`` command. Runs from a checkout without installing the
package (the workflow installs only requirements.txt).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from section11.cli import main

if __name__ == "__main__":
    sys.exit(main())
