#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns the raw results of bench/run.sh into the table.

usage: report.py RESULTS_DIR OUT.md

Prints the table and writes it, with the date, kernel, CPU model and the
raw per-run numbers, to OUT.md. Every row names its baseline (measured in
the same run unless it says "published") and the goal; "MISSED" where the
measured value misses it, "n/a" where the part did not run or failed.
"""
import json
import os
import statistics
import sys

RES, OUT = sys.argv[1], sys.argv[2]


def load_json(name):
    try:
        with open(os.path.join(RES, name)) as f:
            return json.load(f)
    except Exception:
        return None


def lines(name):
    try:
        with open(os.path.join(RES, name)) as f:
            return [l.split() for l in f if l.strip()]
    except Exception:
        return []


meta = {}
for f in lines("meta.txt"):
    pass
try:
    for l in open(os.path.join(RES, "meta.txt")):
        if "=" in l:
            k, v = l.rstrip("\n").split("=", 1)
            meta[k] = v
except Exception:
    pass

rows = []  # (measurement, ecmpd, baseline, goal, verdict)
notes = []


def ms(v):
    if v is None:
        return "n/a"
    return "%.0f ms" % v if v >= 10 else "%.1f ms" % v


def verdict(ok):
    if ok is None:
        return "n/a"
    return "met" if ok else "**MISSED**"


# ---------------------------------------------------------------- 1. failover
PEERS = "published defaults, not measured: RouterOS check-gateway 11–21 s, pfSense ≈ 14 s, VyOS ≤ 10 s, mwan3 70–130 s"
for name, label, goal in (("default", "default probes (100 ms, timeout 300 ms, 5 lost)", 1000),
                          ("tuned", "tuned probes (30 ms, timeout 100 ms, 3 lost)", 300)):
    d = load_json("failover-%s.json" % name)
    if not d or "failover" not in d:
        rows.append(("1. Failover, %s" % label, "n/a (%s)" % (d or {}).get("error", "not run"),
                     PEERS, "median ≤ %d ms" % goal, "n/a"))
        continue
    f, r = d["failover"], d["recovery"]
    val = "median %s, p95 %s, max %s (%d blackouts" % (ms(f["median"]), ms(f["p95"]), ms(f["max"]), d["cycles"])
    if f["censored"]:
        val += "; **%d never converged within the window**" % f["censored"]
    if f["zero"]:
        val += "; %d with no failed connection" % f["zero"]
    val += ")"
    ok = f["median"] is not None and f["median"] <= goal and f["censored"] == 0
    rows.append(("1. Failover, %s: blackout → every new connection succeeds" % label, val, PEERS,
                 "median ≤ %d ms" % goal, verdict(ok)))
    rv = "median %s, p95 %s, max %s" % (ms(r["median"]), ms(r["p95"]), ms(r["max"]))
    if r["censored"]:
        rv += "; **%d not back within the window**" % r["censored"]
    rows.append(("1. Recovery, %s: restore → new connections use ISP1 again" % name, rv,
                 "published: pfSense ≈ 57 s back, mwan3 ≥ 50 s (up 5 × 10 s), RouterOS ≤ 10 s", "—", "—"))
    if d.get("in_flight_at_blackout"):
        notes.append("Failover (%s): %d probe connections that began less than 0.5 s before a blackout "
                     "failed (in flight when it hit; not counted against recovery)."
                     % (name, d["in_flight_at_blackout"]))
    if d.get("failed_outside_blackouts"):
        notes.append("Failover (%s): %d probe connections failed outside the blackout windows "
                     "(after a restore or before the first blackout) out of %d attempts."
                     % (name, d["failed_outside_blackouts"], d["attempts"]))

# ---------------------------------------------------------------- 2. kept
kept = {}
for f in lines("kept.txt"):
    if len(f) >= 5:
        kept[(f[0], f[1])] = (int(f[2]), int(f[3]), int(f[4]), f[5] if len(f) > 5 else "")
LABELS = {"reversed": "gateway order reversed", "weights": "weights 1:1 → 1:5",
          "added": "a gateway added", "reload": "config reload (unchanged)",
          "restart": "daemon restart (SIGTERM, start; plain: the same route re-applied)"}
for ch, label in LABELS.items():
    e, p = kept.get(("ecmpd", ch)), kept.get(("plain", ch))

    def fmt(x):
        if not x:
            return "n/a"
        conn, died, drops, rc = x
        s = "%d/40 kept" % (conn - died if conn else 0)
        if conn != 40:
            s += " (only %d connected)" % conn
        if drops:
            s += ", ISPs dropped %d spoofed packets" % drops
        if rc and rc != "rc:0":
            s += " (change failed: %s)" % rc
        return s
    ok = None if not e else (e[0] == 40 and e[1] == 0 and e[3] in ("", "rc:0"))
    rows.append(("2. Connections kept: " + label, fmt(e), "plain Linux: " + fmt(p), "40/40", verdict(ok)))

# ---------------------------------------------------------------- 3. data path
data = {}
for f in lines("data.txt"):
    if len(f) >= 5:
        try:
            data.setdefault(f[1], {})[int(f[0])] = (float(f[2]), f[3], float(f[4]),
                                                    f[5] if len(f) > 5 else "?",
                                                    int(f[6]) if len(f) > 6 else 0)
        except ValueError:
            pass


def ratios(c, idx):
    out = []
    for r, va in data.get("a", {}).items():
        vc = data.get(c, {}).get(r)
        if vc and va[idx] > 0:
            out.append(vc[idx] / va[idx])
    return out


def rfmt(v):
    if not v:
        return "n/a"
    return "%.3f× (%.3f–%.3f, %d rounds)" % (statistics.median(v), min(v), max(v), len(v))


for idx, label, unit, goal in ((0, "new TCP connections/s (nginx + wrk, Connection: close)", "conn/s", 0.95),
                               (2, "bulk throughput (iperf3, 1 stream)", "Gbit/s", 0.97)):
    a = [v[idx] for v in data.get("a", {}).values()]
    if not a:
        rows.append(("3. Data path: " + label, "n/a", "n/a", "≥ %.2f× of (a)" % goal, "n/a"))
        continue
    scale = 1e9 if idx == 2 else 1
    amed = statistics.median(a) / scale
    rc, rb = ratios("c", idx), ratios("b", idx)
    cabs = [v[idx] / scale for v in data.get("c", {}).values()]
    val = "(c) ecmpd, examples/seed.rsc: %s" % rfmt(rc)
    if cabs:
        val += "; median %s %s" % (("%.0f" if idx == 0 else "%.2f") % statistics.median(cabs), unit)
    base = "(a) one uplink + masquerade = 1.00: median %s %s; (b) plain translation of the seed: %s" % (
        ("%.0f" if idx == 0 else "%.2f") % amed, unit, rfmt(rb))
    ok = None if not rc else statistics.median(rc) >= goal
    v = verdict(ok)
    if rc and (max(rc) - min(rc) > 0.2 or max(rb or [1]) - min(rb or [1]) > 0.2):
        # the rounds disagree by more than the margin being judged
        v = "inconclusive: rounds spread %.2f–%.2f (machine noise)" % (min(rc), max(rc))
    rows.append(("3. Data path: " + label, val, base, "≥ %.2f× of (a)" % goal, v))
loads = [float(v[3]) for d in data.values() for v in d.values() if v[3] != "?"]
if loads:
    notes.append("Data path: 1-minute load average at the start of each run %.2f–%.2f on %s; the "
                 "rounds' spread shows how much of the ratio is the machine's noise (other work "
                 "on the same cores), not the configuration." % (min(loads), max(loads), meta.get("cpu", "?")))
ticks = [v[4] for v in data.get("c", {}).values()]
if ticks:
    notes.append("Data path (c): ecmpd itself used %s clock ticks (1/100 s) of CPU during each round's "
                 "wrk + iperf3 (%d s of traffic)." % (", ".join(map(str, ticks)), 2 * int(meta.get("dur", "0") or 0)))
errs = [(r, c, v[1]) for c, d in data.items() for r, v in d.items() if v[1] not in ("0", "0.0")]
if errs:
    notes.append("wrk reported errors (socket errors + non-2xx) in: " +
                 ", ".join("round %d (%s): %s" % e for e in sorted(errs)))

# ---------------------------------------------------------------- 4. flush
fl = {"ecmpd": [], "conntrack-D": []}
untouched = {"ecmpd": True, "conntrack-D": True}
flushed = {"ecmpd": True, "conntrack-D": True}
inside = []
for f in lines("flush.txt"):
    if len(f) < 10:
        continue
    r, m, ext, matched, ims, b1, b2, a1, a2, bad = f[:10]
    fl[m].append(float(ext))
    if ims != "-":
        inside.append(float(ims))
    if b2 != a2 or int(b2) != 50000:
        untouched[m] = False
    if a1 != "0" or int(b1) != 50000:
        flushed[m] = False
if fl["ecmpd"]:
    e, c = fl["ecmpd"], fl["conntrack-D"]
    val = "median %s wall (%s inside the call, count + delete as the daemon does it; %d rounds); " % (
        ms(statistics.median(e)), ms(statistics.median(inside)) if inside else "n/a", len(e))
    val += "50 000 of 0x100 deleted: %s; 50 000 of 0x200 untouched: %s" % (
        "yes" if flushed["ecmpd"] else "**NO**", "yes" if untouched["ecmpd"] else "**NO**")
    base = "`conntrack -D -m 0x100/0xff00`: median %s; deleted all: %s; other uplink untouched: %s" % (
        ms(statistics.median(c)) if c else "n/a", "yes" if flushed["conntrack-D"] else "no",
        "yes" if untouched["conntrack-D"] else "no")
    ok = statistics.median(e) <= 500 and flushed["ecmpd"] and untouched["ecmpd"]
    rows.append(("4. Flush one uplink's connections, 100 000 entries (50 000 per uplink)", val, base,
                 "≤ 500 ms, other uplink untouched", verdict(ok)))
else:
    rows.append(("4. Flush one uplink's connections, 100 000 entries", "n/a", "n/a", "≤ 500 ms", "n/a"))

# ---------------------------------------------------------------- 5. control plane
for n in (2, 16, 64):
    d, p = load_json("ctl-apply-%d.json" % n), load_json("ctl-plain-%d.json" % n)
    if not d:
        rows.append(("5. Apply, %d uplinks" % n, "n/a", "n/a", "≤ 100 ms (64 uplinks)", "n/a"))
        continue
    val = "start → control socket answers: median %s (%s)" % (
        ms(d.get("apply_median_ms")), ", ".join("%.0f" % x for x in d["apply_ms"]))
    if d.get("errors"):
        val += "; errors: %s" % "; ".join(d["errors"][:2])
    base = "by hand (`ip -batch` + `nft -f`, no probing): median %s" % ms((p or {}).get("apply_median_ms"))
    ok = None
    if n == 64:
        ok = d.get("apply_median_ms") is not None and d["apply_median_ms"] <= 100 and not d["apply_ms"] == []
    rows.append(("5. Apply, %d uplinks" % n, val, base, "≤ 100 ms" if n == 64 else "—",
                 verdict(ok) if n == 64 else "—"))
    rv = "`ecmpctl reload`, unchanged config: median %s (%d reloads)" % (ms(d.get("reload_median_ms")),
                                                                          len(d["reload_ms"]))
    rows.append(("5. Reload, %d uplinks" % n, rv,
                 "for comparison, `ecmpctl status` (one conntrack dump counts every uplink): median %s"
                 % ms(d.get("status_median_ms")),
                 "—", "—"))
idle = load_json("ctl-idle.json")
if idle and "cpu_pct" in idle:
    # The goal is the resident memory while probing; VmHWM also holds the
    # start-up peak (parsing and applying the first ruleset), shown beside.
    rss = idle["rss_kib_max"]
    rows.append(("5. Memory, 16 uplinks probed at 10 Hz", "VmRSS max %.2f MiB while probing (VmHWM, with the "
                 "start-up peak: %.2f MiB)" % (rss / 1024, (idle["hwm_kib"] or 0) / 1024), "—", "≤ 4 MiB",
                 verdict(rss <= 4096)))
    rows.append(("5. CPU, 16 uplinks probed at 10 Hz", "%.2f %% of one core (utime+stime over %.0f s)" % (
        idle["cpu_pct"], idle["seconds"]), "—", "≤ 1 %", verdict(idle["cpu_pct"] <= 1.0)))
    for name, n, hz in (("ctl-idle.json", 16, 10), ("ctl-idle-64x10.json", 64, 10), ("ctl-idle-16x50.json", 16, 50)):
        d = load_json(name)
        if not d or "cpu_pct" not in d:
            rows.append(("5. Per probe, %d uplinks at %d Hz" % (n, hz), "n/a", "—", "—", "n/a"))
            continue
        us = 1e6 * d["cpu_ticks"] / d["hz"] / (n * hz * d["seconds"])
        rows.append(("5. Per probe, %d uplinks at %d Hz" % (n, hz),
                     "%.0f µs of CPU per probe (request, reply, timers); %.2f %% of one core; %s wake-ups/s for "
                     "%d probes/s" % (us, d["cpu_pct"], d.get("wakeups_per_s"), n * hz), "—",
                     "≤ 1 % (16 at 10 Hz)" if (n, hz) == (16, 10) else "—",
                     verdict(d["cpu_pct"] <= 1.0) if (n, hz) == (16, 10) else "—"))
else:
    rows.append(("5. Memory and CPU, 16 uplinks at 10 Hz", "n/a (%s)" % (idle or {}).get("error", "not run"),
                 "—", "≤ 4 MiB, ≤ 1 %", "n/a"))

# ---------------------------------------------------------------- 6. scale
# plan_scale.sh writes its rows in the table's format already.
try:
    with open(os.path.join(RES, "scale.txt")) as f:
        for l in f:
            cells = [c.strip() for c in l.strip().strip("|").split(" | ")]
            if len(cells) == 5:
                rows.append(tuple(cells))
except OSError:
    rows.append(("6. Config and plan, 100 000 routes", "n/a (not run)", "—", "--plan < 1000 ms", "n/a"))
for f in lines("apply.txt"):
    if len(f) < 4:
        continue
    n = int(f[0])
    rows.append(("6. Apply, %s routes in the config" % format(n, ",").replace(",", " "),
                 "start → control socket answers: %s ms (%s routes written); `ecmpctl reload`, unchanged: "
                 "median %s ms" % (f[1], f[3], f[2]), "—", "linear in routes", "—"))

# ---------------------------------------------------------------- 7. routes
rl = lines("routes.txt")
for f in rl:
    if len(f) < 5:
        continue
    n, reload_ms, dump_ms, cpu, changes = int(f[0]), float(f[1]), float(f[2]), float(f[3]), f[4]
    rows.append(("7. Resync beside %s routes in main (not ecmpd's)" % format(n, ",").replace(",", " "),
                 "`ecmpctl reload` (reads ecmpd's own tables and rules): median %s; %.3f× the full dump" % (
                     ms(reload_ms), reload_ms / dump_ms if dump_ms else 0),
                 "a full dump of every table (`ip -o route show table all`, what a resync read before): "
                 "median %s" % ms(dump_ms), "independent of main's size", "—"))
    rows.append(("7. CPU while main (%s routes) changes %s times/s" % (format(n, ",").replace(",", " "),
                                                                         os.environ.get("CHURN_RATE", "1000")),
                 "%.2f %% of one core (%s changes)" % (cpu, changes), "—", "≤ 2 %", verdict(cpu <= 2.0)))
if not rl:
    rows.append(("7. Routes ecmpd does not own", "n/a", "n/a", "≤ 2 %", "n/a"))
fc, fd = load_json("failover-churn.json"), load_json("failover-default.json")
if fc and "failover" in fc:
    base = "empty main, part 1: median %s" % ms(fd["failover"].get("median")) if fd and "failover" in fd \
        else "empty main: part 1 not run"
    ok = None
    if fd and "failover" in fd and fc["failover"].get("median") is not None:
        ok = fc["failover"]["median"] <= 1.1 * fd["failover"]["median"] + 50
    rows.append(("7. Failover with the largest main churning",
                 "median %s, max %s (%d blackouts)" % (ms(fc["failover"].get("median")),
                                                      ms(fc["failover"].get("max")), fc["failover"].get("n", 0)),
                 base, "as fast as on an empty table", verdict(ok)))

# ---------------------------------------------------------------- 8. conntrack scale
def num(v):
    try:
        return float(v)
    except ValueError:
        return None


cs = [f for f in lines("ctscale.txt") if len(f) >= 11]
for f in cs:
    n, capped = int(f[0]), f[1] == "yes"
    st, js, me, pr, tf, fl, lat = (num(x) for x in f[2:9])
    b2, a2 = int(f[9]), int(f[10])
    size = format(n, ",").replace(",", " ")
    cap = " (capped: the host's nf_conntrack_max)" if capped else ""
    worst = max(x for x in (st, js, me, pr) if x is not None) if any(
        x is not None for x in (st, js, me, pr)) else None
    rows.append(("8. Status, -j status, metrics, print /ip route at %s entries%s" % (size, cap),
                 "median %s, %s, %s, %s (ecmpctl or a bash /dev/tcp GET; process start included)" % (
                     ms(st), ms(js), ms(me), ms(pr)), "—", "≤ 20 ms", verdict(worst is not None and worst <= 20)))
    rows.append(("8. Flush one uplink at %s entries (%d on it)%s" % (size, n // 2, cap),
                 "%s in ecmpd's worker (%s deleted); slowest control-socket answer meanwhile %s; other uplink's %d "
                 "entries after: %d" % (ms(tf), f[7], ms(lat), b2, a2),
                 "part 4: the same request by `conntrack -D`", "≤ 1 s, loop answering, others untouched",
                 verdict(tf is not None and tf <= 1000 and a2 == b2 and lat is not None and 0 <= lat <= 100)))
if not cs:
    rows.append(("8. Conntrack scale", "n/a", "n/a", "≤ 20 ms; flush ≤ 1 s", "n/a"))

# ---------------------------------------------------------------- 9. HA pair
ha = {}
for f in lines("ha.txt"):
    if len(f) >= 9 and f[0] == "ha":
        ha.setdefault(f[1], []).append(f[2:])
    elif len(f) >= 3 and f[2] == "error":
        ha.setdefault(f[1], [])
HA_BASE = "protocol bound, not measured: VRRP declares the master down after 3 × advert_int + skew (RFC 5798; ≈ 3.6 s at 1 s, ≈ 0.7 s at 0.2 s for priority 100)"
ha_fast = next((a for a in ha if a != "1"), "0.2")
for adv, label, goal in (("1", "keepalived defaults (advert_int 1)", 3500),
                         (ha_fast, "sub-second adverts (advert_int %s, VRRP v3)" % ha_fast, 1000)):
    rs = ha.get(adv)
    if not rs:
        rows.append(("9. HA failover, %s" % label, "n/a (%s)" % ("failed" if adv in ha else "not run"),
                     HA_BASE, "median ≤ %d ms; 40/40 kept on the same uplink" % goal, "n/a"))
        continue
    fo = [float(r[1]) for r in rs if r[1] != "nan"]
    never = sum(1 for r in rs if r[1] == "nan")
    mst = [float(r[2]) for r in rs]
    kept = [int(r[3]) for r in rs]
    same = [int(r[4]) for r in rs]
    tot = int(rs[0][5])
    back = [int(r[6]) for r in rs]
    med = statistics.median(fo) if fo else None
    val = ("router 1's links cut → new connections work: median %s, max %s (%d rounds%s); backup master after "
           "median %s; kept %s of %d, on the same uplink %s; after failback %s"
           % (ms(med), ms(max(fo)) if fo else "n/a", len(rs),
              "; **%d never worked again in 20 s**" % never if never else "",
              ms(statistics.median(mst)), "/".join(map(str, kept)), tot, "/".join(map(str, same)),
              "/".join(map(str, back))))
    ok = med is not None and med <= goal and not never and min(same) == tot and min(kept) == tot
    rows.append(("9. HA failover, %s: master's links cut → new connections work; long-lived kept" % label,
                 val, HA_BASE, "median ≤ %d ms; %d/%d kept on the same uplink" % (goal, tot, tot), verdict(ok)))

# ---------------------------------------------------------------- output
hdr = ("Measurement", "ecmpd", "Baseline (same run unless marked)", "Goal", "Goal met")


def md_table():
    out = ["| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)]
    for r in rows:
        out.append("| " + " | ".join(x.replace("|", "\\|") for x in r) + " |")
    return "\n".join(out)


table = md_table()
head = ["# ecmpd benchmarks (`make bench`)", "",
        "- date: %s" % meta.get("date", "?"),
        "- kernel: %s" % meta.get("kernel", "?"),
        "- CPU: %s" % meta.get("cpu", "?"),
        "- ecmpd commit: %s" % meta.get("commit", "?"),
        "- run time: %s s; %s blackouts per setting, %s data-path rounds of %s s" % (
            meta.get("seconds", "?"), meta.get("cycles", "?"), meta.get("reps", "?"), meta.get("dur", "?")),
        "", "How each number is measured: bench/README.md.", "", ""]
text = "\n".join(head) + table + "\n"
if notes:
    text += "\nNotes from this run:\n\n" + "\n".join("- " + n for n in notes) + "\n"
missed = [r[0] for r in rows if "MISSED" in r[4]]
text += "\nGoals missed in this run: %s\n" % ("; ".join(missed) if missed else "none")
unsure = [r[0] for r in rows if r[4].startswith("inconclusive")]
if unsure:
    text += "\nInconclusive in this run (the alternating rounds disagree by more than the goal's margin): %s\n" % "; ".join(unsure)
why = {
    "HA failover, keepalived defaults": "the backup (priority 100) declares the master down 3 × 1 s + "
    "(256 − 100)/256 s = 3.61 s after the last advert it heard (RFC 5798); from the cut that is 2.6 to 3.6 s "
    "(the cut falls anywhere in the 1 s advert interval), then the notify script and conntrackd's commit. The "
    "3.5 s goal leaves about 0.4 s on average for the takeover and is met or missed by the cut's phase over a "
    "few rounds. Sub-second adverts (the other row) fix it; so would a backup priority closer to the master's "
    "(skew 0.4 s at 149).",
    "daemon restart": "SIGTERM removes everything ecmpd installed, including the addresses it added; the "
    "kernel deletes the connections masqueraded to an address that goes (kernel-facts 14). The bench lets the "
    "OS own the uplink addresses, as a real router does; if this row is missed, that is not the cause.",
    "Memory": "the resident set is mostly shared libraries (libc, libnftables, libgmp: about 3 MiB shared "
    "clean); ecmpd's own heap is about 0.3 MiB once each libnftables context is freed after use and the heap "
    "trimmed (src/kernel/fw.c).",
    "CPU": "16 uplinks × 10 probes/s = 160 probes/s; 1.7 % of a core is ≈ 110 µs per probe round trip. strace -c of the daemon: sendto ≈ 44 % of its system time — on veth the peer namespace's echo reply is processed in the sender's softirq and billed to ecmpd, which a real NIC would not do — then epoll_wait (≈ 300 wake-ups/s: one per send, one per reply), recvmsg, timerfd. Already done: the timer is re-armed only when the deadline changes, the ICMP error queue is read only after POLLERR (1.95 % → 1.7 %). Next: coalesce the probes due within a few ms into one wake-up, and measure on real NICs.",
    "new TCP connections/s": "ecmpd's table adds a few rules per packet (pin restore per uplink, the "
    "postrouting pin, `ct state invalid drop`); the rounds' spread (see the row) is as wide as the miss, so "
    "more rounds on a quiet machine are needed to tell. A verdict map instead of one rule per uplink would "
    "keep the per-packet cost flat as uplinks are added.",
}
notes_why = [(k, v) for k, v in why.items() if any(k in m for m in missed)]
if notes_why:
    text += "\nWhy, and what would fix it:\n\n" + "\n".join("- %s: %s" % kv for kv in notes_why) + "\n"
print(text)
with open(OUT, "w") as f:
    f.write(text)
    f.write("\n## Raw numbers\n\n```\n")
    for name in ("kept.txt", "data.txt", "flush.txt", "routes.txt", "ctscale.txt", "ha.txt"):
        for l in lines(name):
            f.write("%s: %s\n" % (name, " ".join(l)))
    for name in sorted(os.listdir(RES)):
        if name.startswith(("ctl-", "failover-")) and name.endswith(".json"):
            d = load_json(name)
            if isinstance(d, dict):
                d.pop("per_cycle", None) if name.startswith("failover-") else None
                if name.startswith("failover-"):
                    pc = load_json(name).get("per_cycle", [])
                    d["failover_ms_each"] = [c["failover_ms"] for c in pc]
                    d["recovery_ms_each"] = [c["recovery_ms"] for c in pc]
            f.write("%s: %s\n" % (name, json.dumps(d)))
    f.write("```\n")
