#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fills this namespace's conntrack table through ctnetlink.

usage: ctfill.py COUNT MARK [SALT]

Creates COUNT UDP entries 192.168.<salt>.x:port -> 198.51.100.y:53 (no NAT,
timeout 3600 s, ct mark MARK), many IPCTNL_MSG_CT_NEW requests packed in
each send (the kernel handles every message of a buffer in turn), so
100 000 entries take about a second instead of minutes of `conntrack -I`.
SALT (0..255) keeps the tuples of different calls apart. Prints the number
of entries the kernel refused (0 when all were created).
"""
import socket
import struct
import sys

NETLINK_NETFILTER = 12
NFNL_SUBSYS_CTNETLINK = 1
IPCTNL_MSG_CT_NEW = 0
NLM_F_REQUEST, NLM_F_CREATE, NLM_F_EXCL = 1, 0x400, 0x200
NLA_F_NESTED = 0x8000
CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_TIMEOUT, CTA_MARK = 1, 2, 7, 8
CTA_TUPLE_IP, CTA_TUPLE_PROTO = 1, 2
CTA_IP_V4_SRC, CTA_IP_V4_DST = 1, 2
CTA_PROTO_NUM, CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT = 1, 2, 3


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def tuple_attr(t, src, dst, sport, dport):
    ip = nla(CTA_TUPLE_IP | NLA_F_NESTED,
             nla(CTA_IP_V4_SRC, src) + nla(CTA_IP_V4_DST, dst))
    proto = nla(CTA_TUPLE_PROTO | NLA_F_NESTED,
                nla(CTA_PROTO_NUM, b"\x11") +
                nla(CTA_PROTO_SRC_PORT, struct.pack("!H", sport)) +
                nla(CTA_PROTO_DST_PORT, struct.pack("!H", dport)))
    return nla(t | NLA_F_NESTED, ip + proto)


def main():
    count = int(sys.argv[1])
    mark = int(sys.argv[2], 0)
    salt = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((0, 0))
    typ = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW
    flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL
    tail = (nla(CTA_TIMEOUT, struct.pack("!I", 3600)) +
            nla(CTA_MARK, struct.pack("!I", mark)))
    dst_port = 53
    batch = []
    errors = 0
    seq = 0
    for i in range(count):
        # 254 sources x 64 destinations x 1000 ports per salt
        src = bytes((192, 168, salt, 1 + i % 254))
        dst = bytes((198, 51, 100, 1 + (i // 254) % 64))
        sport = 1024 + i // (254 * 64)
        body = struct.pack("=BBH", socket.AF_INET, 0, 0)
        body += tuple_attr(CTA_TUPLE_ORIG, src, dst, sport, dst_port)
        body += tuple_attr(CTA_TUPLE_REPLY, dst, src, dst_port, sport)
        body += tail
        seq += 1
        batch.append(struct.pack("=IHHII", 16 + len(body), typ, flags, seq, 0) + body)
        if len(batch) == 256 or i == count - 1:
            s.send(b"".join(batch))
            batch = []
            errors += drain(s)
    errors += drain(s)
    print(errors)


def drain(s):
    """Counts the error messages the kernel sent (only failures answer)."""
    n = 0
    while True:
        try:
            data = s.recv(1 << 20, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return n
        off = 0
        while off + 16 <= len(data):
            ln, typ = struct.unpack_from("=IH", data, off)
            if typ == 2:  # NLMSG_ERROR
                err = struct.unpack_from("=i", data, off + 16)[0]
                if err:
                    n += 1
            if ln < 16:
                break
            off += (ln + 3) & ~3


if __name__ == "__main__":
    main()
