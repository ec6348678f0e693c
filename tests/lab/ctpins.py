#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reads `conntrack -L` output on stdin, prints a JSON list of entries:
{"proto", "state", "src", "dst", "sport", "dport", "reply_src",
 "reply_dst", "mark", "pin"}; pin = (mark & 0xff00) >> 8 (ecmpd's uplink id).
"""
import json
import sys

out = []
for line in sys.stdin:
    f = line.split()
    if not f or f[0] not in ("tcp", "udp", "icmp"):
        continue
    e = {"proto": f[0], "state": None, "mark": 0}
    kv = []
    for w in f[3:]:
        if "=" in w:
            k, v = w.split("=", 1)
            kv.append((k, v))
        elif w.isupper() and not w.startswith("[") and e["state"] is None:
            e["state"] = w
    seen = {}
    for k, v in kv:
        if k in ("src", "dst", "sport", "dport", "type", "code", "id"):
            key = k if k not in seen else "reply_" + k
            seen[k] = True
            e[key] = int(v) if k in ("sport", "dport", "type", "code", "id") else v
        elif k == "mark":
            e["mark"] = int(v, 0)
    e["pin"] = (e["mark"] & 0xff00) >> 8
    out.append(e)
json.dump(out, sys.stdout)
