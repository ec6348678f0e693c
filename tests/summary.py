#!/usr/bin/env python3
"""Prints the closing lines of `make check` from the meson test logs given.

  summary.py BUILD_DIR...

One line for the tests (passed, failed, skipped), one for the checks they
counted: a shell test's summary line ("NAME: N passed, N failed", from
tests/lib.sh) or cmocka's "[  PASSED  ] N test(s)." lines (on stdout or
stderr). Exit 1 when a
test failed, when a test was skipped although this runs as root (the only
reason to skip is the lack of root), or when a test that should count its
checks printed no count.
"""
import json
import os
import re
import sys

SHELL = re.compile(r"^(\S+): (\d+) passed, (\d+) failed$", re.M)
CMOCKA = re.compile(r"^\[  (PASSED|FAILED)  \] (\d+) test", re.M)


def checks_of(test):
    """(passed, failed) counted by the test's output, or None."""
    out = (test.get("stdout") or "") + "\n" + (test.get("stderr") or "")
    m = SHELL.findall(out)
    if m:
        return int(m[-1][1]), int(m[-1][2])
    c = CMOCKA.findall(out)
    if c:
        return (sum(int(n) for r, n in c if r == "PASSED"),
                sum(int(n) for r, n in c if r == "FAILED"))
    return None


def main():
    tests = {"passed": 0, "failed": 0, "skipped": 0}
    checks = [0, 0]
    problems = []
    for build in sys.argv[1:]:
        try:
            with open(f"{build}/meson-logs/testlog.json") as f:
                log = [json.loads(line) for line in f]
        except FileNotFoundError:
            problems.append(f"no test log in {build}")
            continue
        for t in log:
            result = t.get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                tests["passed"] += 1
            elif result == "SKIP":
                tests["skipped"] += 1
                if os.geteuid() == 0:
                    problems.append(f"{t['name']} skipped although root")
            else:
                tests["failed"] += 1
            # "project:suite / name"; the fuzzers count no checks
            suite = t["name"].split(" / ")[0].split(":")[-1]
            if suite == "fuzz" or result == "SKIP":
                continue
            n = checks_of(t)
            if n is None:
                problems.append(f"{t['name']} printed no count of checks")
                continue
            checks[0] += n[0]
            checks[1] += n[1]
    for p in problems:
        print(f"summary: {p}")
    print(f"{tests['passed']} passed, {tests['failed']} failed, "
          f"{tests['skipped']} skipped")
    print(f"checks: {checks[0]} passed, {checks[1]} failed")
    sys.exit(1 if tests["failed"] or problems else 0)


if __name__ == "__main__":
    main()
