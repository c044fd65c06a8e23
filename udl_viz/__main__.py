"""``python -m udl_viz``: the command-line interface."""

import sys

from udl_viz.cli import main

if __name__ == "__main__":
    sys.exit(main())
