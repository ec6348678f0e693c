#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Short connections from this host to the lab's internet servers.

For every (source, destination) pair, --per-pair connections (each from a
new source port): TCP connects, reads the server's "<ip> <port>" line,
sends a message and checks its echo, closes; UDP sends a datagram and
checks the answer. Prints a JSON list on stdout, one object per
connection: {"proto","src","sport","dst","dport","ok","seen","seen_port",
"err","ms"}; "seen" is the source address the server saw (10.111.0.2 means
the connection left by wlan1).
"""
import argparse
import asyncio
import json
import socket
import sys
import time


def addrs(s):
    return [x for x in s.split(",") if x]


async def one_tcp(src, dst, port, timeout, sport=0):
    r = {"proto": "tcp", "src": src, "dst": dst, "dport": port,
         "ok": False, "seen": None, "seen_port": None, "err": None}
    t0 = time.monotonic()
    w = None
    try:
        reader, w = await asyncio.wait_for(
            asyncio.open_connection(dst, port, local_addr=(src, sport)),
            timeout)
        r["sport"] = w.get_extra_info("sockname")[1]
        line = await asyncio.wait_for(reader.readline(), timeout)
        ip, p = line.decode().split()
        r["seen"], r["seen_port"] = ip, int(p)
        msg = b"hello %s\n" % src.encode()
        w.write(msg)
        got = await asyncio.wait_for(reader.readexactly(len(msg)), timeout)
        r["ok"] = got == msg
        if not r["ok"]:
            r["err"] = "bad echo"
    except Exception as e:
        r["err"] = "%s: %s" % (type(e).__name__, e)
    finally:
        if w is not None:
            w.close()
            try:
                await w.wait_closed()
            except Exception:
                pass
    r["ms"] = round((time.monotonic() - t0) * 1000, 1)
    return r


async def one_udp(src, dst, port, timeout, retries=3):
    r = {"proto": "udp", "src": src, "dst": dst, "dport": port,
         "ok": False, "seen": None, "seen_port": None, "err": None}
    t0 = time.monotonic()
    loop = asyncio.get_running_loop()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    try:
        s.bind((src, 0))
        r["sport"] = s.getsockname()[1]
        s.connect((dst, port))
        msg = b"hello %s" % src.encode()
        for attempt in range(retries):
            await loop.sock_sendall(s, msg)
            try:
                data = await asyncio.wait_for(loop.sock_recv(s, 2048),
                                              timeout / retries)
            except asyncio.TimeoutError:
                continue
            ip, p, rest = data.split(b" ", 2)
            r["seen"], r["seen_port"] = ip.decode(), int(p)
            r["ok"] = rest == msg
            r["err"] = None if r["ok"] else "bad echo"
            break
        else:
            r["err"] = "timeout"
    except Exception as e:
        r["err"] = "%s: %s" % (type(e).__name__, e)
    finally:
        s.close()
    r["ms"] = round((time.monotonic() - t0) * 1000, 1)
    return r


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True, help="source addresses, a,b,c")
    ap.add_argument("--dst", required=True, help="destinations, a,b,c")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--proto", choices=["tcp", "udp", "both"], default="tcp")
    ap.add_argument("--per-pair", type=int, default=1,
                    help="connections per (src, dst) pair, new source port each")
    ap.add_argument("--parallel", type=int, default=64)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--limit", type=int, default=0,
                    help="at most this many pairs (0: all)")
    a = ap.parse_args()
    pairs = [(s, d) for s in addrs(a.src) for d in addrs(a.dst)]
    if a.limit:
        pairs = pairs[:a.limit]
    protos = ["tcp", "udp"] if a.proto == "both" else [a.proto]
    sem = asyncio.Semaphore(a.parallel)

    async def run(proto, s, d):
        async with sem:
            if proto == "tcp":
                return await one_tcp(s, d, a.port, a.timeout)
            return await one_udp(s, d, a.port, a.timeout)

    jobs = [run(p, s, d) for p in protos for (s, d) in pairs
            for _ in range(a.per_pair)]
    res = await asyncio.gather(*jobs)
    json.dump(res, sys.stdout)
    bad = sum(1 for r in res if not r["ok"])
    print("shortconn: %d connections, %d failed" % (len(res), bad),
          file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
