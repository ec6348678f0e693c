#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Failover and recovery times from the probers' logs and the event log.

usage: failover.py EVENTS PROBER_LOG...

EVENTS: lines "blackout <t>" and "restore <t>" (wall clock), alternating.
For each blackout at T0 (restored at T1):
  failover = from T0 to the start of the first successful attempt after
             the last failed attempt that started in [T0, T1) -- the moment
             after which every new connection succeeded. 0 when no attempt
             in the window failed. When no attempt succeeded after the last
             failure before T1, the blackout never converged: "censored".
  recovery = from T1 to the start of the first attempt that succeeded
             through ISP1 (the server saw 10.111.0.2), before the next
             blackout; censored when there is none.
Also counts failed attempts that started outside any blackout window
(restored gateway misbehaving, or the lab itself losing connections),
apart from those that began less than TIMEOUT before the next blackout
(in flight when it hit).
Prints JSON.
"""
import json
import sys

WAN1 = "10.111.0.2"
TIMEOUT = 0.5  # prober.py --timeout of bench/run.sh


def pct(v, p):
    if not v:
        return None
    s = sorted(v)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def main():
    ev = []
    for line in open(sys.argv[1]):
        f = line.split()
        if len(f) == 2:
            ev.append((f[0], float(f[1])))
    att = []
    for fn in sys.argv[2:]:
        for line in open(fn):
            f = line.split()
            if len(f) >= 3:
                att.append((float(f[0]), f[1] == "1", f[2]))
    att.sort()
    cycles = []
    i = 0
    while i + 1 < len(ev):
        if ev[i][0] != "blackout" or ev[i + 1][0] != "restore":
            i += 1
            continue
        t0, t1 = ev[i][1], ev[i + 1][1]
        t2 = ev[i + 2][1] if i + 2 < len(ev) else float("inf")
        win = [a for a in att if t0 <= a[0] < t1]
        fails = [a for a in win if not a[1]]
        c = {"t0": t0, "attempts": len(win), "failed": len(fails)}
        if not fails:
            c["failover_ms"] = 0.0
        else:
            lf = fails[-1][0]
            after = [a for a in win if a[0] > lf and a[1]]
            c["failover_ms"] = round((after[0][0] - t0) * 1000, 1) if after else None
        rec = [a for a in att if t1 <= a[0] < t2]
        up1 = [a for a in rec if a[1] and a[2] == WAN1]
        c["recovery_ms"] = round((up1[0][0] - t1) * 1000, 1) if up1 else None
        # attempts that began less than TIMEOUT before the next blackout
        # and failed were in flight when it hit: not a recovery problem
        c["failed_after_restore"] = sum(1 for a in rec if not a[1] and a[0] < t2 - TIMEOUT)
        c["in_flight_at_next_blackout"] = sum(1 for a in rec if not a[1] and a[0] >= t2 - TIMEOUT)
        cycles.append(c)
        i += 2
    first = ev[0][1] if ev else 0
    before = [a for a in att if a[0] < first]
    fo = [c["failover_ms"] for c in cycles if c["failover_ms"] is not None]
    rc = [c["recovery_ms"] for c in cycles if c["recovery_ms"] is not None]
    out = {
        "cycles": len(cycles),
        "attempts": len(att),
        "failover": {"median": pct(fo, 50), "p95": pct(fo, 95), "max": max(fo) if fo else None,
                     "n": len(fo), "censored": len(cycles) - len(fo),
                     "zero": sum(1 for x in fo if x == 0)},
        "recovery": {"median": pct(rc, 50), "p95": pct(rc, 95), "max": max(rc) if rc else None,
                     "n": len(rc), "censored": len(cycles) - len(rc)},
        "failed_outside_blackouts": sum(c["failed_after_restore"] for c in cycles)
        + sum(1 for a in before if not a[1]),
        "attempts_before_first_blackout": len(before),
        "in_flight_at_blackout": sum(c["in_flight_at_next_blackout"] for c in cycles),
        "per_cycle": cycles,
    }
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
