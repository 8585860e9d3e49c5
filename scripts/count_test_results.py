#!/usr/bin/env python3
"""Count the test results of one `meson test` run from its testlog.json.

A Boost.Test executable counts its test cases, read from the
`--report_level=short` report ("N test cases out of M passed", "... failed",
"... aborted"). Every other meson test (compile-fail, header check,
consumer) counts as one. A Boost.Test executable that reports no failed case
but still exits with a failure (a sanitizer report at exit, a crash after
the report) adds one failure, so the counts never hide a failed run.

Prints one line per test to stderr and "PASSED FAILED" to stdout.
"""

import json
import re
import sys

REPORT_LINE = re.compile(r"^\s*(\d+) test cases? out of (\d+) (passed|failed|aborted|skipped)\b", re.MULTILINE)
GOOD_RESULTS = {"OK", "EXPECTEDFAIL"}


def count_entry(entry):
    """Return (passed, failed, description) for one test of the log."""
    output = (entry.get("stdout") or "") + "\n" + (entry.get("stderr") or "")
    result = entry.get("result", "ERROR")
    reports = REPORT_LINE.findall(output)

    if not reports:
        if result == "SKIP":
            return 0, 0, "skipped"
        if result in GOOD_RESULTS:
            return 1, 0, "passed"
        return 0, 1, f"failed ({result})"

    passed = sum(int(count) for count, _, kind in reports if kind == "passed")
    failed = sum(int(count) for count, _, kind in reports if kind in ("failed", "aborted"))
    description = f"{passed} test cases passed, {failed} failed"
    if result not in GOOD_RESULTS and failed == 0:
        failed = 1
        description += f", and the executable failed after its report ({result})"
    return passed, failed, description


def main():
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} BUILD_DIR/meson-logs/testlog.json", file=sys.stderr)
        return 2

    total_passed = 0
    total_failed = 0
    try:
        with open(sys.argv[1], encoding="utf-8") as log:
            entries = [json.loads(line) for line in log if line.strip()]
    except FileNotFoundError:
        print(f"  no test log at {sys.argv[1]}: meson test did not run", file=sys.stderr)
        entries = []

    for entry in entries:
        passed, failed, description = count_entry(entry)
        print(f"  {entry.get('name', '?')}: {description}", file=sys.stderr)
        total_passed += passed
        total_failed += failed

    print(total_passed, total_failed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
