#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Normalises a dump of the router's state (run inside its namespace).

argv[1] is a directory with addr, route, rule, nexthop (ip -j output) and
nft (nft list ruleset). Prints sorted, comparable text: volatile fields
(lifetimes, counters, cache/expiry data) are dropped; the net.ipv4 and
net.netfilter sysctls (read from /proc/sys of this namespace) are added.
"""
import json
import os
import re
import sys

d = sys.argv[1]
VOLATILE = {"valid_life_time", "preferred_life_time", "expires", "used",
            "stats", "stats64", "cacheinfo", "age", "lastused"}


def load(name):
    try:
        with open(os.path.join(d, name)) as f:
            txt = f.read().strip()
        return json.loads(txt) if txt else []
    except Exception as e:
        return ["unreadable: %s" % e]


def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items() if k not in VOLATILE}
    if isinstance(o, list):
        return [clean(x) for x in o]
    return o


def lines(section, objs):
    out = []
    for o in objs:
        out.append("%s %s" % (section, json.dumps(clean(o), sort_keys=True)))
    return sorted(out)


out = []
for a in load("addr"):
    # one line per link (without addresses) and one per address
    a = clean(a)
    info = a.pop("addr_info", [])
    out.append("link %s" % json.dumps(a, sort_keys=True))
    for i in info:
        out.append("addr %s %s" % (a.get("ifname"), json.dumps(i, sort_keys=True)))
out.sort()
out += lines("route", load("route"))
out += lines("rule", load("rule"))
out += lines("nexthop", load("nexthop"))

try:
    nft = open(os.path.join(d, "nft")).read()
except Exception:
    nft = ""
nft = re.sub(r"counter packets \d+ bytes \d+", "counter", nft)
nft = re.sub(r"packets \d+ bytes \d+", "", nft)
# set elements with timeouts/expiry
nft = re.sub(r" expires [0-9hms.]+", "", nft)
for l in nft.splitlines():
    out.append("nft " + l.rstrip())

SKIP = re.compile(r"(nf_conntrack_count|nf_conntrack_buckets$|"
                  r"tcp_.*_seq|ip_local_reserved|route/gc_|neigh/.*/(base_reachable|reachable)|"
                  r"ipv4/tcp_fastopen_key)")
sysctls = []
for base in ("/proc/sys/net/ipv4", "/proc/sys/net/netfilter"):
    for root, dirs, files in os.walk(base):
        for fn in files:
            p = os.path.join(root, fn)
            rel = p[len("/proc/sys/"):]
            if SKIP.search(rel):
                continue
            try:
                with open(p) as f:
                    v = " ".join(f.read().split())
            except Exception:
                continue
            sysctls.append("sysctl %s=%s" % (rel.replace("/", "."), v))
out += sorted(sysctls)
print("\n".join(out))
