#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Abusive clients of ecmpd's metrics listener and control socket, and a
watch on the probe stream (issue 11, item 5).

  metricsabuse.py ctfill SRC N --seconds S
      from a LAN host: UDP to 198.51.100.1-64:8000 from N source ports of
      SRC (raw socket), again every 10 s until S seconds pass, so the
      router's conntrack table holds about N entries that every full dump
      must walk.
  metricsabuse.py abuse HOST PORT --idle N --slow N --rapid N --seconds S
                        [--out JSON]
      idle: connect and say nothing; slow: a request head one byte at a
      time, 0.5 s apart, never its blank line (slowloris); rapid: GET
      /metrics again and again, as fast as answers come. A client the
      server closes connects again. OUT: {"rapid_answers", "connects",
      "refused"}.
  metricsabuse.py ctlspam SOCK N --seconds S [--out JSON]
      N control clients asking "status" as fast as answers come.
  metricsabuse.py fetch HOST PORT TIMEOUT
      one well-behaved GET /metrics; exit 0 when a 200 with ecmpd's
      metrics came within TIMEOUT seconds; prints the time it took (ms).
  metricsabuse.py gaps GATEWAY SECONDS OUT
      inside an ISP's namespace: the arrival times of the router's echo
      requests to GATEWAY (raw ICMP socket, incoming only) for SECONDS;
      OUT: {"count", "max_gap_ms", "gaps_over_300"}. A probe stream the
      daemon's loop delays shows as a gap longer than the interval.
"""
import argparse
import asyncio
import json
import os
import socket
import struct
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ctfill(a):
    src = socket.inet_aton(a.src)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    per_dst = a.n // 64 + 1
    frames = []
    for d in range(1, 65):
        dst = socket.inet_aton("198.51.100.%d" % d)
        for p in range(per_dst):
            sport = 20000 + p
            udp = struct.pack("!HHHH", sport, 8000, 8 + 4, 0) + b"fill"
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0,
                             0x4000, 64, 17, 0, src, dst)
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
            frames.append((ip + udp, socket.inet_ntoa(dst)))
    end = time.monotonic() + a.seconds
    while True:
        t0 = time.monotonic()
        for f, d in frames:
            try:
                s.sendto(f, (d, 0))
            except OSError:
                time.sleep(0.001)
        print("ctfill: %d sent in %.1f s" % (len(frames), time.monotonic() - t0),
              flush=True)
        if time.monotonic() + 10 > end:
            return 0
        time.sleep(10)


async def http_client(host, port, kind, stats, end):
    while time.monotonic() < end:
        try:
            r, w = await asyncio.wait_for(
                asyncio.open_connection(host, port), 5)
        except (OSError, asyncio.TimeoutError):
            stats["refused"] += 1
            await asyncio.sleep(0.05)
            continue
        stats["connects"] += 1
        try:
            if kind == "rapid":
                w.write(b"GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n")
                data = await asyncio.wait_for(r.read(), 10)
                if data.startswith(b"HTTP/1.0 200"):
                    stats["rapid_answers"] += 1
            elif kind == "idle":
                await asyncio.wait_for(r.read(), max(0.1, end - time.monotonic()))
            else:
                head = b"GET /metrics HTTP/1.0\r\nX-Slow: " + b"a" * 10000
                for i in range(len(head)):
                    w.write(head[i:i + 1])
                    await w.drain()
                    try:
                        if await asyncio.wait_for(r.read(1), 0.5) == b"":
                            break  # closed by the server
                    except asyncio.TimeoutError:
                        pass
                    if time.monotonic() >= end:
                        break
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            w.close()
        if kind != "rapid":
            await asyncio.sleep(0.05)


async def abuse_main(a):
    stats = {"rapid_answers": 0, "connects": 0, "refused": 0}
    end = time.monotonic() + a.seconds
    tasks = []
    for kind, n in (("idle", a.idle), ("slow", a.slow), ("rapid", a.rapid)):
        tasks += [http_client(a.host, a.port, kind, stats, end)
                  for _ in range(n)]
    await asyncio.gather(*tasks)
    return stats


def abuse(a):
    stats = asyncio.run(abuse_main(a))
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(stats, fh)
    return 0


async def ctl_client(path, stats, end):
    while time.monotonic() < end:
        try:
            r, w = await asyncio.open_unix_connection(path)
            w.write(b"status\n")
            data = await asyncio.wait_for(r.read(), 10)
            w.close()
            if data.startswith(b"ok"):
                stats["answers"] += 1
        except (OSError, asyncio.TimeoutError):
            stats["errors"] += 1
            await asyncio.sleep(0.05)


def ctlspam(a):
    stats = {"answers": 0, "errors": 0}
    end = time.monotonic() + a.seconds

    async def run():
        await asyncio.gather(*[ctl_client(a.sock, stats, end)
                               for _ in range(a.n)])
    asyncio.run(run())
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(stats, fh)
    return 0


def fetch(a):
    t0 = time.monotonic()
    try:
        s = socket.create_connection((a.host, a.port), timeout=a.timeout)
        s.settimeout(max(0.1, a.timeout - (time.monotonic() - t0)))
        s.sendall(b"GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
    except OSError as e:
        print("fetch: %s after %d ms" % (e, (time.monotonic() - t0) * 1000))
        return 1
    ms = int((time.monotonic() - t0) * 1000)
    print(ms)
    ok = data.startswith(b"HTTP/1.0 200") and b"ecmpd_uplink_up{" in data
    return 0 if ok else 1


def gaps(a):
    gw = socket.inet_aton(a.gateway)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.setsockopt(255, 1, struct.pack("I", ~(1 << 8) & 0xFFFFFFFF))
    s.settimeout(0.5)
    times = []
    end = time.monotonic() + a.seconds
    open(a.out + ".ready", "w").close()
    while time.monotonic() < end:
        try:
            ip = s.recv(2048)
        except socket.timeout:
            continue
        ihl = (ip[0] & 0x0F) * 4
        if ip[16:20] == gw and ip[ihl] == 8:
            times.append(time.monotonic())
    g = [b - a_ for a_, b in zip(times, times[1:])]
    with open(a.out, "w") as fh:
        json.dump({"count": len(times),
                   "max_gap_ms": int(max(g) * 1000) if g else None,
                   "gaps_over_300": sum(1 for x in g if x > 0.3)}, fh)
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ctfill")
    p.add_argument("src")
    p.add_argument("n", type=int)
    p.add_argument("--seconds", type=float, required=True)
    p = sub.add_parser("abuse")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--idle", type=int, default=0)
    p.add_argument("--slow", type=int, default=0)
    p.add_argument("--rapid", type=int, default=0)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--out")
    p = sub.add_parser("ctlspam")
    p.add_argument("sock")
    p.add_argument("n", type=int)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--out")
    p = sub.add_parser("fetch")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("timeout", type=float)
    p = sub.add_parser("gaps")
    p.add_argument("gateway")
    p.add_argument("seconds", type=float)
    p.add_argument("out")
    a = ap.parse_args()
    return {"ctfill": ctfill, "abuse": abuse, "ctlspam": ctlspam,
            "fetch": fetch, "gaps": gaps}[a.cmd](a)


if __name__ == "__main__":
    raise SystemExit(main())
