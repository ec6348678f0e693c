#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Questions about longflow.py status files, for the lab's shell tests.

An UPLINK is the address the server saw ("10.111.0.2" = wlan1); "all"
selects every connection.

  flows.py get FILE FIELD          a top-level field ("" when unreadable)
  flows.py settled FILE T          exit 0 when every live connection got
                                   an echo after unix time T
  flows.py quiet FILE              exit 0 when every live connection got
                                   the echo of every message it sent
  flows.py peers FILE              "addr:port" of each live connection as
                                   the server sees it, space separated
  flows.py count FILE UPLINK [alive]   connections that left by UPLINK
  flows.py sports FILE UPLINK      their "src:sport", space separated
  flows.py deaths FILE UPLINK T    "n dead latest reasons": of UPLINK's
                                   connections, how many died, the latest
                                   death in seconds after T, and the
                                   reasons counted (JSON, no spaces)
  flows.py lost "UPLINK..." FILE...    "n examples": connections that died
                                   although they did not leave by one of
                                   the (failed) UPLINKs
  flows.py dead FILE               "idx(dst,seen,reason) ..." of the dead
  flows.py per-uplink FILE         "n1 n2": connections via wlan1, wlan2
  flows.py died-except FILE IDX,...    indexes of the dead not listed
                                   (a JSON list [IDX, ...] will do)
"""
import collections
import json
import sys

WLAN1, WLAN2 = "10.111.0.2", "10.112.0.2"


def load(path):
    with open(path) as f:
        return json.load(f)


def select(conns, uplink):
    return [c for c in conns if uplink == "all" or c["seen"] == uplink]


def cmd_get(path, field):
    try:
        v = load(path)[field]
    except Exception:
        v = ""
    print("true" if v is True else "false" if v is False else v)
    return 0


def cmd_settled(path, t):
    try:
        s = load(path)
    except Exception:
        return 1
    t = float(t)
    return 0 if all(c["last_echo"] > t for c in s["conns"]
                    if c["alive"]) else 1


def cmd_quiet(path):
    try:
        s = load(path)
    except Exception:
        return 1
    return 0 if all(c["echoed"] == c["sent"] for c in s["conns"]
                    if c["alive"]) else 1


def cmd_peers(path):
    print(" ".join("%s:%s" % (c["seen"], c["seen_port"])
                   for c in load(path)["conns"] if c["alive"]))
    return 0


def cmd_count(path, uplink, alive=None):
    cs = select(load(path)["conns"], uplink)
    if alive is not None:
        cs = [c for c in cs if c["alive"]]
    print(len(cs))
    return 0


def cmd_sports(path, uplink):
    print(" ".join("%s:%s" % (c["src"] or "", c["sport"])
                   for c in select(load(path)["conns"], uplink)))
    return 0


def cmd_deaths(path, uplink, t):
    cs = select(load(path)["conns"], uplink)
    t = float(t)
    dead = [c for c in cs if c["died_at"] is not None]
    late = max([c["died_at"] - t for c in dead], default=0)
    reasons = collections.Counter((c["reason"] or "").split(":")[0]
                                  for c in dead)
    print(len(cs), len(dead), "%.2f" % late,
          json.dumps(dict(reasons)).replace(" ", ""))
    return 0


def cmd_lost(failed, *paths):
    failed = set(failed.split())
    out = []
    for p in paths:
        for c in load(p)["conns"]:
            if c["died_at"] is not None and c["seen"] not in failed:
                out.append("%s:%s->%s(%s,%s)" % (
                    c["src"], c["sport"], c["dst"], c["seen"],
                    (c["reason"] or "")[:30]))
    print(len(out), " ".join(out[:6]))
    return 0


def cmd_dead(path):
    d = [c for c in load(path)["conns"] if c["died_at"] is not None]
    out = " ".join("%d(%s,%s,%s)" % (c["idx"], c["dst"], c["seen"],
                                     (c["reason"] or "")[:40])
                   for c in d[:4])
    print(out + (" +%d more" % (len(d) - 4) if len(d) > 4 else ""))
    return 0


def cmd_per_uplink(path):
    n = collections.Counter(c["seen"] for c in load(path)["conns"])
    print(n.get(WLAN1, 0), n.get(WLAN2, 0))
    return 0


def cmd_died_except(path, allowed):
    allowed = {int(x) for x in allowed.strip("[] ").split(",") if x.strip()}
    print(" ".join(str(c["idx"]) for c in load(path)["conns"]
                   if c["died_at"] is not None and c["idx"] not in allowed))
    return 0


COMMANDS = {"get": cmd_get, "settled": cmd_settled, "quiet": cmd_quiet,
            "peers": cmd_peers, "count": cmd_count,
            "sports": cmd_sports, "deaths": cmd_deaths, "lost": cmd_lost,
            "dead": cmd_dead, "per-uplink": cmd_per_uplink,
            "died-except": cmd_died_except}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return COMMANDS[sys.argv[1]](*sys.argv[2:])
    except TypeError as e:
        print("flows.py %s: %s" % (sys.argv[1], e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
