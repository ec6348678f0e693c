#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ecmpd's JSON status (`ecmpctl -j status`) for the lab's shell tests.

Loops that ask ecmpd (run them inside the router's namespace):

  status.py wait CTL SOCK WANT TIMEOUT T0
      polls until every gateway named in WANT ("10.111.0.1=down,...") has
      its state; prints the milliseconds from T0 (unix time) to the moment
      ecmpd changed the last of them, or "timeout" (exit 1) after TIMEOUT
      seconds.
  status.py watch CTL SOCK WANT TIMEOUT OUT
      the same, for an event caused after the watcher is running: touches
      OUT.ready after its first poll, then writes the unix time of that
      change (or "timeout") to OUT. The deadline counts from the first
      poll.

The moment of a change is ecmpd's own: the poll's start minus the state's
age ("since_s") in the answer. So a slow ecmpctl (a busy machine) delays
when a change is seen, not the time measured: at most it makes the change
look earlier by what ecmpctl took to ask.
  status.py poll CTL SOCK OUT INTERVAL
      asks every INTERVAL seconds until SIGTERM; keeps OUT (JSON) up to
      date: {"ok", "fail", "max_ms", "errors": [first five]}. An answer
      counts if it comes within 10 s: a hung ecmpd fails, a busy machine
      does not.

Questions about one status (JSON on stdin):

  status.py uplink GATEWAY FIELD     that uplink's field ("" if none)
  status.py top FIELD                a top-level field
  status.py signature KEY,KEY,...    the uplinks' KEYs, one JSON line
  status.py contract                 "ok", or what the status lacks of the
                                     keys and types the contract names
"""
import json
import os
import signal
import subprocess
import sys
import time

# Pause between the polls of wait and watch: a change is seen at most this
# late (plus the time ecmpctl takes); the time measured is ecmpd's own.
PERIOD = 0.1


def states(ctl, sock):
    """{gateway: (state, unix time ecmpd entered it)} now, or {"error": .}"""
    asked = time.time()
    try:
        out = subprocess.run([ctl, "-s", sock, "-t", "10000", "-j", "status"],
                             capture_output=True, timeout=15).stdout
        return {u.get("gateway"): (u.get("state"), asked - u.get("since_s", 0))
                for u in json.loads(out)["uplinks"]}
    except Exception as e:
        return {"error": ("%s: %s" % (type(e).__name__, e), asked)}


def parse_want(s):
    return dict(w.split("=", 1) for w in s.split(","))


def changed(last, want):
    """When the last of the wanted states began, or None if one is not."""
    if not all(last.get(g, (None,))[0] == s for g, s in want.items()):
        return None
    return max(last[g][1] for g in want)


def cmd_wait(ctl, sock, want, timeout, t0):
    want = parse_want(want)
    deadline = time.time() + float(timeout)
    while True:
        last = states(ctl, sock)
        now = time.time()
        at = changed(last, want)
        if at is not None:
            print("%.0f" % max(0, (at - float(t0)) * 1000))
            return 0
        if now > deadline:
            print("status wait: timeout, last states %s" % last,
                  file=sys.stderr)
            print("timeout")
            return 1
        time.sleep(PERIOD)


def cmd_watch(ctl, sock, want, timeout, out):
    want = parse_want(want)
    states(ctl, sock)
    deadline = time.time() + float(timeout)
    open(out + ".ready", "w").close()
    while True:
        last = states(ctl, sock)
        now = time.time()
        at = changed(last, want)
        if at is not None:
            with open(out, "w") as f:
                f.write("%.6f\n" % at)
            return 0
        if now > deadline:
            print("status watch: timeout, last states %s" % last,
                  file=sys.stderr)
            with open(out, "w") as f:
                f.write("timeout\n")
            return 1
        time.sleep(PERIOD)


def cmd_poll(ctl, sock, out, interval):
    interval = float(interval)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    st = {"ok": 0, "fail": 0, "max_ms": 0, "errors": []}

    def dump():
        with open(out + ".tmp", "w") as f:
            json.dump(st, f)
        os.replace(out + ".tmp", out)

    dump()
    while not stop:
        t0 = time.monotonic()
        err = None
        try:
            r = subprocess.run([ctl, "-s", sock, "-t", "10000", "-j",
                                "status"], capture_output=True, timeout=15)
            if r.returncode != 0:
                err = "rc %d: %s" % (r.returncode,
                                     r.stderr.decode()[:80].strip())
            else:
                json.loads(r.stdout)["uplinks"]
        except Exception as e:
            err = "%s: %s" % (type(e).__name__, str(e)[:80])
        ms = (time.monotonic() - t0) * 1000
        st["max_ms"] = max(st["max_ms"], round(ms))
        if err:
            st["fail"] += 1
            if len(st["errors"]) < 5:
                st["errors"].append("%.3f %s" % (time.time(), err))
        else:
            st["ok"] += 1
        dump()
        rest = interval - (time.monotonic() - t0)
        if rest > 0 and not stop:
            time.sleep(rest)
    dump()
    return 0


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        return json.dumps(v)
    return str(v)


def cmd_uplink(gateway, field):
    for u in json.load(sys.stdin)["uplinks"]:
        if u.get("gateway") == gateway:
            print(text(u.get(field)))
            return 0
    print("")
    return 1


def cmd_top(field):
    print(text(json.load(sys.stdin).get(field)))
    return 0


def cmd_signature(keys):
    keys = keys.split(",")
    ups = json.load(sys.stdin)["uplinks"]
    print(json.dumps([[u.get(k) for k in keys]
                      for u in sorted(ups, key=lambda u: u.get("id", 0))]))
    return 0


CONTRACT = {"interface": str, "gateway": str, "state": str,
            "rtt_ms": (int, float), "loss_pct": (int, float),
            "connections": int, "id": int}


def cmd_contract():
    ups = json.load(sys.stdin)["uplinks"]
    bad = []
    for u in ups:
        for k, t in CONTRACT.items():
            if k not in u:
                bad.append("%s: no %s" % (u.get("gateway"), k))
            elif not isinstance(u[k], t) or isinstance(u[k], bool):
                bad.append("%s: %s is %r" % (u.get("gateway"), k, u[k]))
    gws = sorted((u.get("interface"), u.get("gateway")) for u in ups)
    if gws != [("wlan1", "10.111.0.1"), ("wlan2", "10.112.0.1")]:
        bad.append("uplinks %s" % gws)
    print("; ".join(bad) or "ok")
    return 0


COMMANDS = {"wait": (cmd_wait, 5), "watch": (cmd_watch, 5),
            "poll": (cmd_poll, 4), "uplink": (cmd_uplink, 2),
            "top": (cmd_top, 1), "signature": (cmd_signature, 1),
            "contract": (cmd_contract, 0)}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    fn, n = COMMANDS[sys.argv[1]]
    if len(sys.argv) != n + 2:
        print("status.py %s: %d arguments expected" % (sys.argv[1], n),
              file=sys.stderr)
        return 2
    return fn(*sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
