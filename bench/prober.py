#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Failover prober: a new short TCP connection every --interval seconds.

Run in a LAN host. Each attempt picks the next (source, destination) pair
(sources x destinations, shuffled), connects to the lab's echo server on
--port, reads its "<peer-ip> <peer-port>" line (the address the server
saw: which uplink the connection left by) and closes. An attempt fails
when it does not complete within --timeout seconds or on any error.

One line per attempt on --out, written as attempts finish:
    <t_start> <ok 0|1> <seen-ip or -> <ms>
t_start is the wall clock (time.time()) when the attempt began, so it can
be compared with the event times the bench records. Stops on SIGTERM or
after --duration seconds.
"""
import argparse
import asyncio
import random
import signal
import time


async def attempt(src, dst, port, timeout, out):
    t0 = time.time()
    m0 = time.monotonic()
    ok, seen, w = 0, "-", None
    try:
        reader, w = await asyncio.wait_for(
            asyncio.open_connection(dst, port, local_addr=(src, 0)), timeout)
        left = timeout - (time.monotonic() - m0)
        line = await asyncio.wait_for(reader.readline(), max(left, 0.001))
        seen = line.decode().split()[0]
        ok = 1
    except Exception:
        pass
    finally:
        if w is not None:
            w.close()
    out.append("%.6f %d %s %.1f\n" % (t0, ok, seen, (time.monotonic() - m0) * 1000))


async def main(a):
    srcs = [x for x in a.src.split(",") if x]
    dsts = [x for x in a.dst.split(",") if x]
    pairs = [(s, d) for s in srcs for d in dsts]
    random.seed(a.seed)
    random.shuffle(pairs)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    buf = []
    f = open(a.out, "w")
    tasks = set()
    end = time.monotonic() + a.duration
    nxt = time.monotonic()
    i = 0
    last_flush = time.monotonic()
    while not stop.is_set() and time.monotonic() < end:
        s, d = pairs[i % len(pairs)]
        i += 1
        t = asyncio.ensure_future(attempt(s, d, a.port, a.timeout, buf))
        tasks.add(t)
        t.add_done_callback(tasks.discard)
        nxt += a.interval
        now = time.monotonic()
        if now - last_flush > 0.2:
            f.write("".join(buf))
            buf.clear()
            f.flush()
            last_flush = now
        if nxt > now:
            try:
                await asyncio.wait_for(stop.wait(), nxt - now)
            except asyncio.TimeoutError:
                pass
        else:
            nxt = now  # fell behind: do not burst
    if tasks:
        await asyncio.wait(tasks, timeout=a.timeout + 1)
    f.write("".join(buf))
    f.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--dst", required=True)
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--interval", type=float, default=0.02)
    ap.add_argument("--timeout", type=float, default=0.5)
    ap.add_argument("--duration", type=float, default=900)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    asyncio.run(main(ap.parse_args()))
