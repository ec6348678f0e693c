#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Control-plane timings of ecmpd, run inside the router's namespace.

  ctlplane.py apply ECMPD ECMPCTL CONFIG SOCK LOG REPS RELOADS
      REPS times: start ecmpd, time until its control socket accepts a
      connection (ecmpd opens it only after the first plan is applied),
      then RELOADS times `ecmpctl reload` with the config unchanged, and
      `ecmpctl status` as the client's own cost; then SIGTERM and time the
      exit (everything removed). Prints JSON.
  ctlplane.py plain UP_BATCH NFT_FILE DOWN_BATCH REPS
      The baseline: the same uplinks set up by hand with one `ip -batch`
      and one `nft -f` (addresses, multipath route, masquerade), timed;
      removed again after each repetition. Prints JSON.
  ctlplane.py idle ECMPD CONFIG SOCK LOG SETTLE SECONDS
      Starts ecmpd, waits SETTLE seconds, then samples utime+stime from
      /proc/PID/stat over SECONDS; reports CPU share of one core, VmRSS and
      VmHWM. Prints JSON.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time


def median(v):
    s = sorted(v)
    return s[len(s) // 2] if s else None


def reset_signals():
    for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(s, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def start(ecmpd, config, sock, log, timeout=20.0):
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    lf = open(log, "a")
    lf.write("=== start %s -f %s\n" % (ecmpd, config))
    lf.flush()
    t0 = time.monotonic()
    p = subprocess.Popen([ecmpd, "-f", config, "-s", sock], stdout=lf, stderr=lf,
                         preexec_fn=reset_signals)
    deadline = t0 + timeout
    while time.monotonic() < deadline:
        if p.poll() is not None:
            return p, None
        if os.path.exists(sock):
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                c.connect(sock)
                c.close()
                return p, (time.monotonic() - t0) * 1000
            except OSError:
                c.close()
        time.sleep(0.0005)
    return p, None


def stop(p):
    t0 = time.monotonic()
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(15)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        rc = "killed"
    return (time.monotonic() - t0) * 1000, rc


def timed(cmd):
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True)
    return (time.monotonic() - t0) * 1000, r.returncode, r.stdout.decode() + r.stderr.decode()


def do_apply(a):
    ecmpd, ctl, config, sock, log, reps, reloads = a[0], a[1], a[2], a[3], a[4], int(a[5]), int(a[6])
    out = {"apply_ms": [], "reload_ms": [], "status_ms": [], "stop_ms": [], "errors": []}
    for _ in range(reps):
        p, ms = start(ecmpd, config, sock, log)
        if ms is None:
            out["errors"].append("ecmpd did not answer (rc %s)" % p.poll())
            if p.poll() is None:
                stop(p)
            continue
        out["apply_ms"].append(round(ms, 2))
        time.sleep(0.3)
        for _ in range(reloads):
            ms, rc, txt = timed([ctl, "-s", sock, "reload"])
            if rc != 0:
                out["errors"].append("reload rc %d: %s" % (rc, txt.strip()[:200]))
            else:
                out["reload_ms"].append(round(ms, 2))
            ms, rc, _ = timed([ctl, "-s", sock, "status"])
            if rc == 0:
                out["status_ms"].append(round(ms, 2))
        ms, rc = stop(p)
        out["stop_ms"].append(round(ms, 2))
        if rc != 0:
            out["errors"].append("exit status %s" % rc)
    for k in ("apply_ms", "reload_ms", "status_ms", "stop_ms"):
        out[k.replace("_ms", "_median_ms")] = median(out[k])
    print(json.dumps(out))


def do_plain(a):
    up, nft, down, reps = a[0], a[1], a[2], int(a[3])
    v = []
    errors = []
    for _ in range(reps):
        t0 = time.monotonic()
        r1 = subprocess.run(["ip", "-batch", up], capture_output=True)
        r2 = subprocess.run(["nft", "-f", nft], capture_output=True)
        v.append(round((time.monotonic() - t0) * 1000, 2))
        if r1.returncode or r2.returncode:
            errors.append((r1.stderr + r2.stderr).decode()[:200])
        subprocess.run(["ip", "-force", "-batch", down], capture_output=True)
        subprocess.run(["nft", "delete", "table", "ip", "plainbench"], capture_output=True)
    print(json.dumps({"apply_ms": v, "apply_median_ms": median(v), "errors": errors}))


def proc_stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    f = s[s.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])  # utime + stime (fields 14, 15)


def proc_status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def do_idle(a):
    ecmpd, config, sock, log, settle, secs = a[0], a[1], a[2], a[3], float(a[4]), float(a[5])
    p, ms = start(ecmpd, config, sock, log)
    if ms is None:
        print(json.dumps({"error": "ecmpd did not answer (rc %s)" % p.poll()}))
        return
    time.sleep(settle)
    hz = os.sysconf("SC_CLK_TCK")
    c0, t0 = proc_stat(p.pid), time.monotonic()
    w0 = proc_status(p.pid, "voluntary_ctxt_switches")
    rss = []
    end = t0 + secs
    while time.monotonic() < end and p.poll() is None:
        rss.append(proc_status(p.pid, "VmRSS"))
        time.sleep(1)
    alive = p.poll() is None
    c1, t1 = (proc_stat(p.pid), time.monotonic()) if alive else (c0, time.monotonic())
    hwm = proc_status(p.pid, "VmHWM") if alive else None
    w1 = proc_status(p.pid, "voluntary_ctxt_switches") if alive else None
    out = {"seconds": round(t1 - t0, 2), "cpu_ticks": c1 - c0, "hz": hz,
           # each wait in epoll_wait that slept is one voluntary switch
           "wakeups_per_s": round((w1 - w0) / (t1 - t0), 1) if w0 is not None and w1 is not None else None,
           "cpu_pct": round(100.0 * (c1 - c0) / hz / (t1 - t0), 3),
           "rss_kib_max": max(r for r in rss if r is not None) if rss else None,
           "rss_kib_last": rss[-1] if rss else None, "hwm_kib": hwm, "alive": alive}
    stop(p)
    print(json.dumps(out))


if __name__ == "__main__":
    mode = sys.argv[1]
    {"apply": do_apply, "plain": do_plain, "idle": do_idle}[mode](sys.argv[2:])
