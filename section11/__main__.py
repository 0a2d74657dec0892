"""``python -m section11`` runs the command line."""

import sys

from section11.cli import main

sys.exit(main())
