"""Entry script of the bundled ``ptce`` command (see ptce-toolkit.spec)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # Consolidation may start worker processes: in a frozen app they re-run this
    # executable, and freeze_support() turns them into workers instead of a new CLI.
    multiprocessing.freeze_support()
    from cli.main import main

    sys.exit(main())
