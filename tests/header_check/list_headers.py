#!/usr/bin/env python3
"""Print every public header under INCLUDE_DIR/content_client, one per line.

Each path is relative to INCLUDE_DIR (for example
``content_client/retry/no_retry.hpp``), sorted, with forward slashes.
Meson runs this when it configures the build, so a header added later is
checked only after `meson setup --reconfigure`.
"""

import pathlib
import sys


def main():
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} INCLUDE_DIR", file=sys.stderr)
        return 2

    include_dir = pathlib.Path(sys.argv[1])
    library_dir = include_dir / "content_client"
    if not library_dir.is_dir():
        print(f"list_headers.py: {library_dir} not found", file=sys.stderr)
        return 1

    for header in sorted(library_dir.rglob("*.hpp")):
        print(header.relative_to(include_dir).as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main())
