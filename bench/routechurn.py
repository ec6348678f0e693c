#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Route changes at a steady rate, as a BGP feed makes them.

  routechurn.py RATE SECONDS DEV TABLE N

For SECONDS, RATE times a second (in batches of RATE/50 every 20 ms),
deletes one of the N routes 10.200.0.0/32 ... "dev DEV table TABLE" that
tests/lab/routeburst.py added and adds it back at once (so RATE counts
changes: half deletes, half adds, and the table keeps N routes). Prints
"C changes in S s, E errors".
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "lab"))
import routeburst  # noqa: E402


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    rate, secs = int(sys.argv[1]), float(sys.argv[2])
    dev, table, n = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    ifindex = socket.if_nametoindex(dev)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                         socket.NETLINK_ROUTE)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sock.bind((0, 0))
    per_tick = max(2, rate // 50) // 2  # pairs of del + add
    t0 = time.monotonic()
    tick, i, changes, bad = 0, 0, 0, 0
    while time.monotonic() - t0 < secs:
        msgs = []
        for _ in range(per_tick):
            addr = struct.pack("!I", 0x0AC80000 + i % n)
            for kind in (routeburst.RTM_DELROUTE, routeburst.RTM_NEWROUTE):
                msgs.append(routeburst.request(kind, changes + 1, addr,
                                               ifindex, table))
                changes += 1
            i += 1
        sock.send(b"".join(msgs))
        bad += routeburst.errors(sock)
        tick += 1
        delay = t0 + tick * 0.02 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    bad += routeburst.errors(sock)
    print("%d changes in %.1f s, %d errors" %
          (changes, time.monotonic() - t0, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
