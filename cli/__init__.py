"""Command-line front end (``ptce …``), a peer of ``ui``: both call the same core operations."""
