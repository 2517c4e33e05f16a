"""Entry point of `python -m hqd`."""

import sys

from hqd.cli import main

sys.exit(main())
