"""Say clearly which system libraries WeasyPrint needs and which are missing."""

import ctypes.util
import sys

NEEDED = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "harfbuzz-subset": "libharfbuzz-subset0 (without it WeasyPrint falls back to a 3x slower font subsetter)",
}


def main():
    warn_only = "--warn" in sys.argv
    missing = [pkg for lib, pkg in NEEDED.items() if ctypes.util.find_library(lib) is None]
    if not missing:
        return 0
    print("Missing system libraries for WeasyPrint (Debian/Ubuntu package names):", file=sys.stderr)
    for pkg in missing:
        print(f"  - {pkg}", file=sys.stderr)
    print(
        "Install them with: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0", file=sys.stderr
    )
    return 0 if warn_only else 1


if __name__ == "__main__":
    sys.exit(main())
