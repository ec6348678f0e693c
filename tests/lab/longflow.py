#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Long-lived TCP connections with traffic flowing, for the lab.

Opens --count connections from this host to the lab's TCP echo server
(destinations round-robin over --dst, sources round-robin over --src if
given), then on each sends a small message every --interval seconds and
waits for its echo. A connection dies on an error, on EOF, or when an echo
is more than --stall seconds late. Every ~200 ms it writes (atomically)
the JSON status file:

  {"t": <unix time>, "updates": n, "connected": n, "alive": n, "died": n,
   "finished": bool, "dead": [idx, ...],
   "conns": [{"idx", "src", "sport", "dst", "seen", "seen_port", "alive",
              "sent", "echoed", "last_echo", "died_at", "reason"}, ...]}

"seen" and "seen_port" are the source address and port the server saw
(the uplink's address, the port masquerade chose).
Stops by itself after --duration seconds (or on SIGTERM), finished=true.

--pause-file PATH: while PATH exists no connection sends its next
message (the stall clock runs only while an echo is due), so a test can
let the traffic fall quiet and resume it.

--keepalive S turns on TCP keepalive probes after S seconds without news
from the server, every S seconds. A connection waiting for an echo whose
message the server has acknowledged sends nothing on its own; with the
probes it still sends something every S seconds, so it learns of a reset
(e.g. its conntrack entry was flushed and the server knows no such
connection) within S seconds instead of at its stall.
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import time


class Conn:
    def __init__(self, idx, src, dst):
        self.d = {"idx": idx, "src": src, "sport": None, "dst": dst,
                  "seen": None, "seen_port": None, "alive": False, "sent": 0, "echoed": 0,
                  "last_echo": 0.0, "died_at": None, "reason": None,
                  "connected": False}

    def die(self, reason):
        if self.d["alive"]:
            self.d["alive"] = False
            self.d["died_at"] = time.time()
            self.d["reason"] = reason


def keepalive(sock, seconds):
    s = max(1, int(seconds))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, s)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, s)
    # never the probes' verdict: a dead connection is the stall's to call
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 127)


async def run_conn(c, a, stop):
    d = c.d
    w = None
    try:
        local = (d["src"], 0) if d["src"] else None
        reader, w = await asyncio.wait_for(
            asyncio.open_connection(d["dst"], a.port, local_addr=local), 30)
        d["src"], d["sport"] = w.get_extra_info("sockname")[:2]
        if a.keepalive:
            keepalive(w.get_extra_info("socket"), a.keepalive)
        line = await asyncio.wait_for(reader.readline(), 30)
        d["seen"], port = line.decode().split()[:2]
        d["seen_port"] = int(port)
        d["alive"] = True
        d["connected"] = True
        d["last_echo"] = time.time()
        seq = 0
        while not stop.is_set():
            while a.pause_file and os.path.exists(a.pause_file) and \
                    not stop.is_set():
                await asyncio.sleep(0.05)
            t0 = time.monotonic()
            msg = b"%08d\n" % seq
            w.write(msg)
            d["sent"] += 1
            try:
                got = await asyncio.wait_for(reader.readexactly(len(msg)),
                                             a.stall)
            except asyncio.TimeoutError:
                c.die("stall")
                return
            except asyncio.IncompleteReadError:
                c.die("eof")
                return
            if got != msg:
                c.die("bad echo")
                return
            d["echoed"] += 1
            d["last_echo"] = time.time()
            seq += 1
            rest = a.interval - (time.monotonic() - t0)
            if rest > 0:
                try:
                    await asyncio.wait_for(stop.wait(), rest)
                except asyncio.TimeoutError:
                    pass
    except Exception as e:
        if d["alive"]:
            c.die("%s: %s" % (type(e).__name__, e))
        else:
            d["reason"] = "connect: %s: %s" % (type(e).__name__, e)
            d["died_at"] = time.time()
    finally:
        if w is not None:
            w.close()


def write_status(path, conns, updates, finished):
    ds = [c.d for c in conns]
    st = {"t": time.time(), "updates": updates,
          "connected": sum(1 for d in ds if d["connected"]),
          "alive": sum(1 for d in ds if d["alive"]),
          "died": sum(1 for d in ds if d["died_at"] is not None),
          "finished": finished,
          "dead": [d["idx"] for d in ds if d["died_at"] is not None],
          "conns": ds}
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(st, f)
    os.replace(tmp, path)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--dst", required=True, help="destinations, a,b,c")
    ap.add_argument("--src", default="", help="sources, a,b,c (optional)")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--interval", type=float, default=0.1)
    ap.add_argument("--stall", type=float, default=3.0)
    ap.add_argument("--keepalive", type=float, default=0)
    ap.add_argument("--pause-file", default="")
    ap.add_argument("--duration", type=float, default=150.0)
    ap.add_argument("--status", required=True)
    a = ap.parse_args()
    dsts = [x for x in a.dst.split(",") if x]
    srcs = [x for x in a.src.split(",") if x] or [None]
    conns = [Conn(i, srcs[i % len(srcs)], dsts[i % len(dsts)])
             for i in range(a.count)]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    loop.call_later(a.duration, stop.set)
    tasks = [asyncio.create_task(run_conn(c, a, stop)) for c in conns]
    updates = 0
    while not stop.is_set():
        write_status(a.status, conns, updates, False)
        updates += 1
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except asyncio.TimeoutError:
            pass
    await asyncio.gather(*tasks, return_exceptions=True)
    write_status(a.status, conns, updates, True)


if __name__ == "__main__":
    asyncio.run(main())
