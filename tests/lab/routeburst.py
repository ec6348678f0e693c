#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A burst of route changes, as fast as the kernel takes them.

  routeburst.py add|del N DEV TABLE

Adds (or deletes) the N routes 10.200.0.0/32, 10.200.0.1/32, ... "dev DEV
table TABLE" in the current network namespace: RTM_NEWROUTE/RTM_DELROUTE
requests written to one rtnetlink socket 256 to a write, without waiting
for an acknowledgement each (`ip -batch` waits for one per route, a round
trip that on a busy machine waits for a core each time). Errors still come
back; prints "N changes, E errors" and exits 1 on any error.
"""
import errno
import socket
import struct
import sys

RTM_NEWROUTE, RTM_DELROUTE = 24, 25
NLM_F_REQUEST, NLM_F_EXCL, NLM_F_CREATE = 0x1, 0x200, 0x400
NLMSG_ERROR = 2
RTA_DST, RTA_OIF, RTA_TABLE = 1, 4, 15
RTPROT_BOOT, RT_SCOPE_LINK, RTN_UNICAST = 3, 253, 1
PER_WRITE = 256


def attr(kind, payload):
    return struct.pack("=HH", 4 + len(payload), kind) + payload


def request(kind, seq, addr, ifindex, table):
    flags = NLM_F_REQUEST
    if kind == RTM_NEWROUTE:
        flags |= NLM_F_CREATE | NLM_F_EXCL
    body = struct.pack("=BBBBBBBBI", socket.AF_INET, 32, 0, 0, 0,
                       RTPROT_BOOT, RT_SCOPE_LINK, RTN_UNICAST, 0)
    body += attr(RTA_DST, addr)
    body += attr(RTA_OIF, struct.pack("=I", ifindex))
    body += attr(RTA_TABLE, struct.pack("=I", table))
    return struct.pack("=IHHII", 16 + len(body), kind, flags, seq, 0) + body


def errors(sock):
    """Counts the error answers queued on SOCK; prints the first."""
    n = 0
    while True:
        try:
            data = sock.recv(1 << 20, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return n
        off = 0
        while off + 20 <= len(data):
            length, kind = struct.unpack_from("=IH", data, off)
            if kind == NLMSG_ERROR:
                code = struct.unpack_from("=i", data, off + 16)[0]
                if code:
                    if not n:
                        print("routeburst: %s" % errno.errorcode.get(
                            -code, code), file=sys.stderr)
                    n += 1
            off += max(length + 3 & ~3, 20)


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("add", "del"):
        print(__doc__, file=sys.stderr)
        return 2
    kind = RTM_NEWROUTE if sys.argv[1] == "add" else RTM_DELROUTE
    n, dev, table = int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    ifindex = socket.if_nametoindex(dev)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                         socket.NETLINK_ROUTE)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sock.bind((0, 0))
    bad = 0
    for start in range(0, n, PER_WRITE):
        msgs = [request(kind, i + 1, struct.pack("!I", 0x0AC80000 + i),
                        ifindex, table)
                for i in range(start, min(n, start + PER_WRITE))]
        sock.send(b"".join(msgs))
        bad += errors(sock)
    bad += errors(sock)
    print("%d changes, %d errors" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
