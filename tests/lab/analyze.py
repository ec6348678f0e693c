#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Summaries of shortconn.py / longflow.py results, for the lab's tests.

  analyze.py conns RESULTS CT --uplink ID=ADDR [--uplink ID=ADDR ...]
  analyze.py merge OUT LIST...   concatenates shortconn.py lists into OUT
  analyze.py count LIST          "total ok" (failures by error on stderr)
  analyze.py batch LIST          "total ok via-wlan1 via-wlan2" (the same)
  analyze.py sources LIST        how many distinct sources got through

conns joins RESULTS with the router's conntrack table (ctpins.py), as JSON
on stdout.

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


WLAN1, WLAN2 = "10.111.0.2", "10.112.0.2"


def load(path):
    with open(path) as f:
        return json.load(f)


def failures(res):
    errs = collections.Counter(r["err"] for r in res if not r["ok"])
    if errs:
        print("  failures: %s" % dict(errs), file=sys.stderr)


def merge(out, *paths):
    allr = []
    for p in paths:
        try:
            allr += load(p)
        except Exception as e:
            print("merge: cannot read %s: %s" % (p, e), file=sys.stderr)
    with open(out, "w") as f:
        json.dump(allr, f)


def count(path):
    res = load(path)
    print(len(res), sum(1 for r in res if r["ok"]))
    failures(res)


def batch(path):
    res = load(path)
    ok = [r for r in res if r["ok"]]
    print(len(res), len(ok), sum(1 for r in ok if r["seen"] == WLAN1),
          sum(1 for r in ok if r["seen"] == WLAN2))
    failures(res)


def sources(path):
    print(len({r["src"] for r in load(path) if r["ok"]}))


def main():
    small = {"merge": merge, "count": count, "batch": batch,
             "sources": sources}
    if len(sys.argv) > 2 and sys.argv[1] in small:
        small[sys.argv[1]](*sys.argv[2:])
        return
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
            if len(out["examples"]) < 5:
                out["examples"].append({"ct_missing": r})
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
