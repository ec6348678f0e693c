#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One TCP connect, timed.

  tcpconnect.py DST PORT TIMEOUT

Prints "RESULT MS": OK when it connected, TIMEOUT, or the errno's name
(ENETUNREACH, EHOSTUNREACH, ECONNREFUSED, ...), and the milliseconds the
connect took.
"""
import errno
import socket
import sys
import time

if len(sys.argv) != 4:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
dst, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket()
s.settimeout(timeout)
t0 = time.monotonic()
try:
    s.connect((dst, port))
    r = "OK"
except socket.timeout:
    r = "TIMEOUT"
except OSError as e:
    r = errno.errorcode.get(e.errno, str(e.errno))
print(r, int((time.monotonic() - t0) * 1000))
