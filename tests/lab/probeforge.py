#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""An attacker on the WAN path of a ping probe (issue 11, item 4).

  probeforge.py sniff IFACE GATEWAY OUT [--count N] [--timeout S]
  probeforge.py forge IFACE CAPTURE MODE --seconds S [--pps N] [--out JSON]
  probeforge.py slowgw IFACE CAPTURE --delay S --seconds S [--out JSON]
  probeforge.py stall PID --stop S --run S --seconds S

Run inside an ISP's namespace, on its customer-side interface, with an
AF_PACKET socket (which sees frames before the ISP's own nft rules and
sends past them, so it works during a blackout).

sniff: records the router's echo requests to GATEWAY and the gateway's
replies until it has N requests each answered: the router's and the
gateway's hardware addresses, the router's address, the echo id, the last
seq and the replies' ICMP messages. Writes them as JSON to OUT.

forge: sends echo replies "from" the gateway to the router, built from
CAPTURE only (never from a request seen now: a forger who sees each
request can answer it, as the gateway would), until S seconds pass:
  replay  the captured replies, as they were and with their seq moved to
          every seq the router may have sent since (checksum fixed): what
          a fixed cookie let through;
  forged  the captured id with a guessed (random) payload, for those seqs;
  flood   junk at PPS packets per second: random ids and 1 KB payloads,
          one in a hundred with the captured id, all from the gateway's
          address.
OUT gets {"sent": packets, "seconds": s, "pps": achieved rate}.

slowgw: the gateway with a WAN's round-trip time: answers every echo
request to the captured gateway DELAY seconds later, by IFACE, with the
request's own payload (the real gateway's replies are dropped by the
test). OUT gets {"answered": n, "late_max_ms": worst lateness}.

stall: the daemon descheduled now and then, as on a busy machine: SIGSTOP
to PID for STOP seconds, SIGCONT for RUN seconds, until SECONDS pass; it
always ends with SIGCONT.
"""
import argparse
import json
import os
import random
import select
import signal
import socket
import struct
import time

ETH_P_IP = 0x0800


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_header(src, dst, payload_len):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len,
                    random.getrandbits(16), 0x4000, 64, 1, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:]


def icmp_reply(ident, seq, payload):
    m = struct.pack("!BBHHH", 0, 0, 0, ident, seq) + payload
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def sniff(a):
    gw = socket.inet_aton(a.gateway)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((a.iface, 0))
    s.settimeout(0.5)
    reqs, replies = {}, {}
    cap = None
    end = time.monotonic() + a.timeout
    while time.monotonic() < end:
        try:
            f = s.recv(2048)
        except socket.timeout:
            continue
        if len(f) < 14 + 20 + 8 or struct.unpack("!H", f[12:14])[0] != ETH_P_IP:
            continue
        ip = f[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[9] != 1:
            continue
        icmp = ip[ihl:struct.unpack("!H", ip[2:4])[0]]
        typ, ident, seq = icmp[0], *struct.unpack("!HH", icmp[4:8])
        if typ == 8 and ip[16:20] == gw:
            reqs[seq] = icmp.hex()
            cap = {"router_mac": f[6:12].hex(), "gateway_mac": f[0:6].hex(),
                   "router_ip": socket.inet_ntoa(ip[12:16]),
                   "gateway_ip": a.gateway, "id": ident, "last_seq": seq}
        elif typ == 0 and ip[12:16] == gw:
            replies[seq] = icmp.hex()
        done = [q for q in reqs if q in replies]
        if cap and len(done) >= a.count:
            cap["replies"] = [replies[q] for q in done]
            cap["requests"] = [reqs[q] for q in done]
            cap["captured_at"] = time.time()
            with open(a.out + ".tmp", "w") as fh:
                json.dump(cap, fh)
            os.rename(a.out + ".tmp", a.out)
            return 0
    raise SystemExit("sniff: %d requests, %d replies, not enough"
                     % (len(reqs), len(replies)))


def frames_for(cap, a):
    """A generator of frames to send, round after round."""
    eth = (bytes.fromhex(cap["router_mac"]) + bytes.fromhex(cap["gateway_mac"])
           + struct.pack("!H", ETH_P_IP))
    src = socket.inet_aton(cap["gateway_ip"])
    dst = socket.inet_aton(cap["router_ip"])
    ident = cap["id"]

    def frame(icmp):
        return eth + ip_header(src, dst, len(icmp)) + icmp

    # The router sends about 10 requests a second (100 ms interval, the
    # seed's default): cover every seq it may have used since the capture,
    # and some to come.
    def seqs():
        ahead = int((time.time() - cap["captured_at"]) * 12) + 40
        return [(cap["last_seq"] + i) & 0xFFFF for i in range(1, ahead)]

    replies = [bytes.fromhex(r) for r in cap["replies"]]
    if a.mode == "replay":
        while True:
            yield [frame(r) for r in replies]
            yield [frame(icmp_reply(ident, q, replies[q % len(replies)][8:]))
                   for q in seqs()]
    elif a.mode == "forged":
        plen = len(replies[0]) - 8
        while True:
            yield [frame(icmp_reply(ident, q, os.urandom(plen)))
                   for q in seqs()]
    else:
        pool = []
        for i in range(512):
            i_d = ident if i % 100 == 0 else random.randrange(65536)
            if i % 100 and i_d == ident:
                i_d ^= 1
            pool.append(frame(icmp_reply(i_d, random.getrandbits(16),
                                         os.urandom(1000))))
        while True:
            yield pool


def forge(a):
    with open(a.capture) as fh:
        cap = json.load(fh)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    sent = 0
    t0 = time.monotonic()
    end = t0 + a.seconds
    gen = frames_for(cap, a)
    # forge: a round of replies every 50 ms (well within the probe's
    # 300 ms timeout); flood: PPS packets a second in 10 ms slices.
    slice_s = 0.01 if a.mode == "flood" else 0.05
    per_slice = max(1, int(a.pps * slice_s))
    next_t = t0
    while time.monotonic() < end:
        batch = next(gen)
        if a.mode == "flood":
            for i in range(per_slice):
                try:
                    s.send(batch[(sent + i) % len(batch)])
                except OSError:
                    pass
            sent += per_slice
        else:
            for f in batch:
                try:
                    s.send(f)
                    sent += 1
                except OSError:
                    pass
        next_t += slice_s
        d = next_t - time.monotonic()
        if d > 0:
            time.sleep(d)
        elif d < -1:
            next_t = time.monotonic()  # behind: no catch-up burst
    secs = time.monotonic() - t0
    if a.out:
        with open(a.out, "w") as fh:
            json.dump({"sent": sent, "seconds": secs,
                       "pps": sent / secs if secs else 0}, fh)
    return 0


def slowgw(a):
    """Requests come from a raw ICMP socket (incoming and local only: not
    the flood this namespace sends); replies leave by AF_PACKET, past the
    test's rule that drops the kernel's own."""
    with open(a.capture) as fh:
        cap = json.load(fh)
    eth = (bytes.fromhex(cap["router_mac"]) + bytes.fromhex(cap["gateway_mac"])
           + struct.pack("!H", ETH_P_IP))
    gw = socket.inet_aton(cap["gateway_ip"])
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    # ICMP_FILTER (SOL_RAW 255, option 1): echo requests only
    s.setsockopt(255, 1, struct.pack("I", ~(1 << 8) & 0xFFFFFFFF))
    out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    out.bind((a.iface, 0))
    pending = []  # (due, frame)
    answered, late_max = 0, 0.0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            due, f = pending.pop(0)
            out.send(f)
            answered += 1
            late_max = max(late_max, now - due)
        wait = pending[0][0] - now if pending else 0.05
        r, _, _ = select.select([s], [], [], max(0.0, wait))
        if not r:
            continue
        ip = s.recv(2048)
        ihl = (ip[0] & 0x0F) * 4
        if len(ip) < ihl + 8 or ip[16:20] != gw or ip[ihl] != 8:
            continue
        icmp = ip[ihl:struct.unpack("!H", ip[2:4])[0]]
        ident, seq = struct.unpack("!HH", icmp[4:8])
        rep = icmp_reply(ident, seq, icmp[8:])
        frame = eth + ip_header(gw, ip[12:16], len(rep)) + rep
        pending.append((time.monotonic() + a.delay, frame))
    if a.out:
        with open(a.out, "w") as fh:
            json.dump({"answered": answered,
                       "late_max_ms": round(late_max * 1000, 1)}, fh)
    return 0


def stall(a):
    end = time.monotonic() + a.seconds
    try:
        while time.monotonic() < end:
            os.kill(a.pid, signal.SIGSTOP)
            time.sleep(a.stop)
            os.kill(a.pid, signal.SIGCONT)
            time.sleep(a.run)
    finally:
        os.kill(a.pid, signal.SIGCONT)
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sniff")
    p.add_argument("iface")
    p.add_argument("gateway")
    p.add_argument("out")
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--timeout", type=float, default=30)
    p = sub.add_parser("forge")
    p.add_argument("iface")
    p.add_argument("capture")
    p.add_argument("mode", choices=["replay", "forged", "flood"])
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--pps", type=int, default=50000)
    p.add_argument("--out")
    p = sub.add_parser("slowgw")
    p.add_argument("iface")
    p.add_argument("capture")
    p.add_argument("--delay", type=float, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--out")
    p = sub.add_parser("stall")
    p.add_argument("pid", type=int)
    p.add_argument("--stop", type=float, required=True)
    p.add_argument("--run", type=float, required=True)
    p.add_argument("--seconds", type=float, required=True)
    a = ap.parse_args()
    return {"sniff": sniff, "forge": forge, "slowgw": slowgw,
            "stall": stall}[a.cmd](a)


if __name__ == "__main__":
    raise SystemExit(main())
