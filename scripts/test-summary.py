#!/usr/bin/env python3
"""Counts test cases over meson test logs: each doctest executable reports its own count; an
executable that died before reporting (crash, timeout, sanitizer abort) counts as one failure.
Prints a per-run breakdown, then one last line: `N passed, M failed`."""
import json, re, sys

SUMMARY = re.compile(r"\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
passed = failed = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        print(f"{path}: missing (that run did not happen)")
        failed += 1
        continue
    run_pass = run_fail = 0
    for line in lines:
        entry = json.loads(line)
        out = entry.get("stdout", "") or ""
        m = SUMMARY.findall(out)
        if m:
            _, p, f = map(int, m[-1])
            run_pass += p
            run_fail += f
            if entry.get("result") != "OK" and f == 0:
                run_fail += 1  # passed cases but the process still failed (leak, crash at exit)
                print(f"  {entry['name']}: exited {entry.get('returncode')} after its cases passed")
        elif entry.get("result") == "OK":
            run_pass += 1  # a non-doctest test executable
        else:
            run_fail += 1
            print(f"  {entry['name']}: {entry.get('result')} without a test summary")
    print(f"{path}: {run_pass} passed, {run_fail} failed")
    passed += run_pass
    failed += run_fail
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
