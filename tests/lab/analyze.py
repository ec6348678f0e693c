#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Joins shortconn.py / longflow.py results with the router's conntrack
table (ctpins.py) and summarises, as JSON on stdout.

  analyze.py conns RESULTS CT --uplink ID=ADDR [--uplink ID=ADDR ...]

RESULTS is a shortconn.py list or a longflow.py status file. For every
connection: which uplink address the server saw, the conntrack entry of
its original tuple (src, sport, dst, dport), the pin of that entry and
whether pin and seen address agree (uplink ID's address is ADDR).
Output: {"total", "ok", "failed", "by_seen": {addr: n}, "share": {addr:
percent of ok}, "pairs": distinct (src, dst) pairs, "ct_missing",
"pin_mismatch", "nat_mismatch", "unknown_seen", "examples": [...],
"by_pin": {id: [idx...]}}.
"""
import argparse
import collections
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["conns"])
    ap.add_argument("results")
    ap.add_argument("ct")
    ap.add_argument("--uplink", action="append", default=[])
    a = ap.parse_args()
    up = {}
    for u in a.uplink:
        i, addr = u.split("=")
        up[addr] = int(i)
    res = json.load(open(a.results))
    if isinstance(res, dict):
        res = [dict(c, ok=c["connected"]) for c in res["conns"]]
    ct = json.load(open(a.ct))
    idx = {}
    for e in ct:
        if "sport" in e:
            idx[(e["proto"], e["src"], e["sport"], e["dst"], e["dport"])] = e
    out = {"total": len(res), "ok": 0, "failed": 0, "by_seen": {},
           "share": {}, "ct_missing": 0, "pin_mismatch": 0,
           "nat_mismatch": 0, "unknown_seen": 0, "examples": [],
           "by_pin": {}}
    by_seen = collections.Counter()
    pairs = set()
    for i, r in enumerate(res):
        if not r.get("ok"):
            out["failed"] += 1
            if len(out["examples"]) < 5:
                out["examples"].append({"failed": r})
            continue
        out["ok"] += 1
        seen = r.get("seen")
        by_seen[seen] += 1
        pairs.add((r["src"], r["dst"]))
        if seen not in up:
            out["unknown_seen"] += 1
        e = idx.get((r.get("proto", "tcp"), r["src"], r.get("sport"), r["dst"],
                     r.get("dport", 8000)))
        if e is None:
            out["ct_missing"] += 1
            continue
        out["by_pin"].setdefault(str(e["pin"]), []).append(r.get("idx", i))
        if e.get("reply_dst") != seen:
            out["nat_mismatch"] += 1
            if len(out["examples"]) < 5:
                out["examples"].append({"nat_mismatch": r, "ct": e})
        if up.get(seen) != e["pin"]:
            out["pin_mismatch"] += 1
            if len(out["examples"]) < 5:
                out["examples"].append({"pin_mismatch": r, "ct": e})
    out["by_seen"] = dict(by_seen)
    out["pairs"] = len(pairs)
    if out["ok"]:
        out["share"] = {k: round(100.0 * v / out["ok"], 2)
                        for k, v in by_seen.items()}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
