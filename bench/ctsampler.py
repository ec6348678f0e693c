#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Times ecmpd's answers while something else happens.

  ctsampler.py SOCK INTERVAL_MS OUT STOPFILE

Every INTERVAL_MS sends ecmpd's control socket a request it answers at
once without any kernel work (an unknown one, "latency-probe": the
answer is an error line) and appends "START_MS LATENCY_MS" to OUT (the
monotonic clock of the start, the time to the whole answer), until the
file STOPFILE exists. An answer that takes long means the event loop was
busy: the probes of every uplink waited as long.
"""
import os
import socket
import sys
import time


def ask(path):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    s.connect(path)
    s.sendall(b"latency-probe\n")
    while s.recv(65536):
        pass
    s.close()


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    path, every, out, stop = sys.argv[1], float(sys.argv[2]) / 1000, \
        sys.argv[3], sys.argv[4]
    with open(out, "w") as f:
        while not os.path.exists(stop):
            t0 = time.monotonic()
            try:
                ask(path)
                lat = (time.monotonic() - t0) * 1000
            except OSError:
                lat = -1
            f.write("%.1f %.2f\n" % (t0 * 1000, lat))
            f.flush()
            left = every - (time.monotonic() - t0)
            if left > 0:
                time.sleep(left)
    return 0


if __name__ == "__main__":
    sys.exit(main())
