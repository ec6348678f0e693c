#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Misbehaving clients of ecmpd's control socket (t_control).

  ctlsock.py send SOCK garbage|oversized|empty
      sends that request, prints the first line of the answer ("" when
      the server closed without one); what happened on stderr.
  ctlsock.py half SOCK READY HOLD
      connects, sends half a request ("sta"), creates the file READY,
      then holds the connection HOLD seconds without finishing the line.
"""
import socket
import sys
import time

REQUESTS = {"garbage": b"\x01\x02 no such command ??? \xff\xfe\n",
            "oversized": b"a" * (1 << 20) + b"\n",
            "empty": b"\n"}


def send(path, mode):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(path)
    try:
        s.sendall(REQUESTS[mode])
    except (BrokenPipeError, ConnectionResetError, socket.timeout) as e:
        print("send: %s" % e, file=sys.stderr)
    data = b""
    try:
        while b"\n" not in data:
            d = s.recv(4096)
            if not d:
                break
            data += d
    except Exception as e:
        print("recv: %s" % e, file=sys.stderr)
    print(repr(data[:200]), file=sys.stderr)
    print(data.split(b"\n")[0].decode(errors="replace"))


def half(path, ready, hold):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall(b"sta")
    open(ready, "w").close()
    time.sleep(float(hold))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "send" and \
            sys.argv[3] in REQUESTS:
        send(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "half":
        half(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
