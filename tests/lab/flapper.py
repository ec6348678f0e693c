#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A square wave of blackouts, on time whatever else the machine does.

  flapper.py --ruleset FILE --table "FAMILY NAME" --dark S --light S
             --cycles N --out JSON

Run inside an ISP's namespace: CYCLES times, loads the nft RULESET (which
creates TABLE: the blackout), DARK seconds later deletes TABLE, LIGHT
seconds later starts the next cycle. The schedule is absolute (no drift);
the process runs under SCHED_FIFO and talks to the kernel through
libnftables in-process (no nft process to start per toggle), so that busy
cores stretch neither phase. OUT gets what was achieved, for the test to
check that its fault was the one it meant: {"sched": "fifo" or why not,
"dark": [[shortest, longest] seconds per cycle], "light": [[shortest,
longest] per gap]}; a phase's shortest length runs from the return of the
call that began it to the start of the call that ended it, its longest
from start to return.
"""
import argparse
import ctypes
import json
import os
import time


class Nft:
    """libnftables (the library nft is built on), one context."""

    def __init__(self):
        lib = ctypes.CDLL("libnftables.so.1")
        lib.nft_ctx_new.restype = ctypes.c_void_p
        lib.nft_ctx_new.argtypes = [ctypes.c_uint32]
        lib.nft_run_cmd_from_buffer.restype = ctypes.c_int
        lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p,
                                                ctypes.c_char_p]
        self.lib = lib
        self.ctx = lib.nft_ctx_new(0)
        if not self.ctx:
            raise OSError("nft_ctx_new failed")

    def run(self, cmd):
        """Runs CMD; returns (start, end) monotonic times of the call."""
        t0 = time.monotonic()
        if self.lib.nft_run_cmd_from_buffer(self.ctx, cmd.encode()) != 0:
            raise OSError("nft refused: %s" % cmd[:60])
        return t0, time.monotonic()


def realtime():
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
        return "fifo"
    except OSError as e:
        return "not fifo: %s" % e


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ruleset", required=True)
    ap.add_argument("--table", required=True)
    ap.add_argument("--dark", type=float, default=0.5)
    ap.add_argument("--light", type=float, default=0.5)
    ap.add_argument("--cycles", type=int, default=30)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    with open(a.ruleset) as f:
        on = f.read()
    off = "delete table %s" % a.table
    nft = Nft()
    sched = realtime()
    period = a.dark + a.light
    start = time.monotonic() + 0.05
    calls = []
    for i in range(a.cycles):
        for at, cmd in ((start + i * period, on),
                        (start + i * period + a.dark, off)):
            rest = at - time.monotonic()
            if rest > 0:
                time.sleep(rest)
            calls.append(nft.run(cmd))

    def spans(first):
        return [[round(calls[k + 1][0] - calls[k][1], 4),
                 round(calls[k + 1][1] - calls[k][0], 4)]
                for k in range(first, len(calls) - 1, 2)]

    with open(a.out + ".tmp", "w") as f:
        json.dump({"sched": sched, "dark": spans(0), "light": spans(1)}, f)
    os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    main()
