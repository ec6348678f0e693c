#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The lab's internet servers.

TCP: on each connection, first sends "<peer-ip> <peer-port>\\n" (so the
client learns which address the connection arrived from, i.e. which uplink
it left by), then echoes everything it receives.
UDP: answers each datagram with "<peer-ip> <peer-port> " + the datagram.
Prints "listening" on stdout once both sockets are bound.
"""
import argparse
import asyncio
import socket
import struct
import sys
import threading


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.t = transport
        peer = transport.get_extra_info("peername")
        transport.write(("%s %d\n" % (peer[0], peer[1])).encode())

    def data_received(self, data):
        self.t.write(data)


IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)


def udp_loop(bind, port):
    """UDP echo that answers from the address the datagram was sent to
    (IP_PKTINFO), as the internet host has many addresses."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.bind((bind, port))
    ready.set()
    while True:
        data, anc, _flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(12))
        out_anc = []
        for level, typ, cdata in anc:
            if level == socket.IPPROTO_IP and typ == IP_PKTINFO:
                _ifindex, _spec, dst = struct.unpack("i4s4s", cdata[:12])
                out_anc = [(socket.IPPROTO_IP, IP_PKTINFO,
                            struct.pack("i4s4s", 0, dst, b"\0" * 4))]
        reply = ("%s %d " % (addr[0], addr[1])).encode() + data
        try:
            s.sendmsg([reply], out_anc, 0, addr)
        except OSError:
            pass


ready = threading.Event()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--bind", default="0.0.0.0")
    a = ap.parse_args()
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(Echo, a.bind, a.port, backlog=4096,
                                   reuse_address=True)
    threading.Thread(target=udp_loop, args=(a.bind, a.port),
                     daemon=True).start()
    ready.wait(5)
    print("listening on %s:%d" % (a.bind, a.port), flush=True)
    async with srv:
        await srv.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
