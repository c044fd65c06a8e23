"""``python -m udl_viz``: the command-line interface."""

import sys

from udl_viz.allocator import keep_freed_memory
from udl_viz.cli import main

if __name__ == "__main__":
    keep_freed_memory()
    sys.exit(main())
