#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reads `conntrack -L` (or `conntrack -L -o id`) output on stdin.

  ctpins.py              prints a JSON list of entries: {"proto", "state",
                         "src", "dst", "sport", "dport", "reply_src",
                         "reply_dst", "mark", "pin", "ct_id"}; pin = (mark
                         & 0xff00) >> 8 (ecmpd's uplink id); ct_id is the
                         kernel's entry id with -o id (else null): it
                         changes when an entry is deleted and made again.
  ctpins.py ends "SRC:SPORT ..."
                         prints "src:sport=pin/ct_id" of the TCP entries
                         whose original source is one of those, sorted, on
                         one line (two snapshots compare as strings).
"""
import json
import sys

NUMERIC = ("sport", "dport", "type", "code", "id")


def parse(lines):
    out = []
    for line in lines:
        f = line.split()
        if not f or f[0] not in ("tcp", "udp", "icmp"):
            continue
        e = {"proto": f[0], "state": None, "mark": 0, "ct_id": None}
        words = f[3:]
        # -o id appends the entry's id as the last word
        if len(words) > 1 and words[-1].startswith("id=") and \
                any(w.startswith("use=") for w in words):
            e["ct_id"] = words.pop()[3:]
        seen = set()
        for w in words:
            if "=" not in w:
                if w.isupper() and not w.startswith("[") and \
                        e["state"] is None:
                    e["state"] = w
                continue
            k, v = w.split("=", 1)
            if k in ("src", "dst") + NUMERIC:
                key = k if k not in seen else "reply_" + k
                seen.add(k)
                e[key] = int(v) if k in NUMERIC else v
            elif k == "mark":
                e["mark"] = int(v, 0)
        e["pin"] = (e["mark"] & 0xff00) >> 8
        out.append(e)
    return out


def main():
    entries = parse(sys.stdin)
    if len(sys.argv) == 1:
        json.dump(entries, sys.stdout)
        return 0
    if sys.argv[1] == "ends" and len(sys.argv) == 3:
        want = set(sys.argv[2].split())
        out = ["%s:%s=%s/%s" % (e.get("src"), e.get("sport"), e["pin"],
                                e["ct_id"])
               for e in entries if e["proto"] == "tcp"
               and "%s:%s" % (e.get("src"), e.get("sport")) in want]
        print(" ".join(sorted(out)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
