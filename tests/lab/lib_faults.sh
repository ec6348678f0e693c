# SPDX-License-Identifier: MIT
# tests/lab/lib_faults.sh - helpers for the lab's failure tests
# (t_ping_failover, t_arp_failover, t_link_events, t_inbound, t_all_dead,
# t_control). Source it after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/lib_faults.sh"
#
# Gateways are named by address (10.111.0.1 = ISP1 on wlan1, 10.112.0.1 =
# ISP2 on wlan2), states by ecmpd's JSON status ("up", "down", "unknown").
# Times are measured in the router's namespace by one python loop that runs
# ecmpctl every 10 ms, so a measurement is off by at most ~20 ms.

GW1=10.111.0.1
GW2=10.112.0.1
WAN1=10.111.0.2
WAN2=10.112.0.2
# PLAN_TABLE_MAIN in src/plan/plan.h: the table with the multipath route
ECMPD_TABLE_MAIN=1000

# lf_t0: the current time, seconds since the epoch with microseconds; pass
# it to lf_wait_state right after causing an event.
lf_t0() { echo "$EPOCHREALTIME"; }

_LF_WAIT_STATE='
import json, subprocess, sys, time
ctl, sock, want_s, timeout, t0 = sys.argv[1:6]
want = dict(w.split("=") for w in want_s.split(","))
deadline = time.time() + float(timeout)
last = {}
while True:
    try:
        out = subprocess.run([ctl, "-s", sock, "-j", "status"],
                             capture_output=True, timeout=2).stdout
        last = {u.get("gateway"): u.get("state")
                for u in json.loads(out)["uplinks"]}
    except Exception as e:
        last = {"error": str(e)}
    now = time.time()
    if all(last.get(g) == s for g, s in want.items()):
        print("%.0f" % ((now - float(t0)) * 1000))
        sys.exit(0)
    if now > deadline:
        print("lf_wait_state: timeout, last states %s" % last, file=sys.stderr)
        print("timeout")
        sys.exit(1)
    time.sleep(0.01)
'

# lf_wait_state GW=STATE[,GW=STATE...] TIMEOUT [T0]: polls ecmpd's JSON
# status until every named gateway has its state; prints the milliseconds
# from T0 (default: now) to the moment it saw them, or "timeout" (status 1).
lf_wait_state() {
	local t0=${3:-$EPOCHREALTIME}
	rt "$PYTHON" -c "$_LF_WAIT_STATE" "$ECMPCTL" "$ECMPD_SOCK" "$1" "$2" "$t0"
}

_LF_WATCH='
import json, os, subprocess, sys, time
ctl, sock, want_s, timeout, out = sys.argv[1:6]
want = dict(w.split("=") for w in want_s.split(","))
deadline = None
last = {}
while True:
    try:
        o = subprocess.run([ctl, "-s", sock, "-j", "status"],
                           capture_output=True, timeout=2).stdout
        last = {u.get("gateway"): u.get("state")
                for u in json.loads(o)["uplinks"]}
    except Exception as e:
        last = {"error": str(e)}
    now = time.time()
    if deadline is None:
        deadline = now + float(timeout)
        open(out + ".ready", "w").close()
    elif all(last.get(g) == s for g, s in want.items()):
        open(out, "w").write("%.6f\n" % now)
        sys.exit(0)
    if now > deadline:
        print("lf_timed: timeout, last states %s" % last, file=sys.stderr)
        open(out, "w").write("timeout\n")
        sys.exit(1)
    time.sleep(0.005)
'

# lf_timed GW=STATE[,...] TIMEOUT CMD...: starts watching ecmpd's status
# (polling every ~5 ms plus ecmpctl's own time), then runs CMD, and prints
# the milliseconds from just before CMD to the first poll that saw every
# named gateway in its state, or "timeout" (status 1). The watcher is
# running before the event, so its start-up does not count.
lf_timed() {
	local spec=$1 timeout=$2
	shift 2
	local out="$LAB_TMP/watch.$RANDOM"
	rt "$PYTHON" -c "$_LF_WATCH" "$ECMPCTL" "$ECMPD_SOCK" "$spec" "$timeout" "$out" &
	local pid=$!
	if ! wait_for 5 test -e "$out.ready"; then
		kill "$pid" 2>/dev/null
		echo timeout
		return 1
	fi
	local t0=$EPOCHREALTIME
	"$@"
	wait "$pid"
	local r
	r=$(cat "$out" 2>/dev/null)
	case $r in
	"" | timeout) echo timeout; return 1 ;;
	esac
	awk -v a="$t0" -v b="$r" 'BEGIN { d = (b - a) * 1000; if (d < 0) d = 0; printf "%d\n", d }'
}

# lf_ms_since T0: milliseconds from T0 (lf_t0) to now
lf_ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d\n", (b - a) * 1000 }'; }

# lf_state GW: the gateway's state now
lf_state() { ecmpd_uplink_field "$1" state; }

_LF_CT='
import json, sys
out = []
for line in sys.stdin:
    f = line.split()
    if not f or f[0] not in ("tcp", "udp", "icmp"):
        continue
    e = {"proto": f[0], "mark": 0, "id": None}
    seen = set()
    for w in f[3:]:
        if "=" not in w:
            continue
        k, v = w.split("=", 1)
        if k in ("src", "dst", "sport", "dport"):
            key = k if k not in seen else "reply_" + k
            seen.add(k)
            e[key] = int(v) if "port" in k else v
        elif k == "mark":
            e["mark"] = int(v, 0)
        elif k == "id" and f[0] != "icmp":
            e["id"] = v
    if f[0] == "icmp":
        e["id"] = f[-1].split("=", 1)[1] if f[-1].startswith("id=") else None
    e["pin"] = (e["mark"] & 0xff00) >> 8
    out.append(e)
json.dump(out, sys.stdout)
'

# lf_ct FILE: the router's conntrack table as a JSON list of {proto, src,
# dst, sport, dport, reply_*, mark, pin, id}; id is the kernel's entry id,
# which changes when an entry is deleted and created again.
lf_ct() {
	rt conntrack -L -o id 2>/dev/null | "$PYTHON" -c "$_LF_CT" >"$1"
}

# lf_ct_lan_pinned ID: how many conntrack entries of LAN clients
# (192.168.0.0/24) are pinned to uplink ID (ecmpd's own probes excluded)
lf_ct_lan_pinned() {
	rt conntrack -L -m "$(($1 << 8))/0xff00" 2>/dev/null | grep -c '^[a-z].* src=192\.168\.0\.'
}

_LF_BATCH='
import json, sys
r = json.load(open(sys.argv[1]))
ok = [x for x in r if x["ok"]]
n1 = sum(1 for x in ok if x["seen"] == "10.111.0.2")
n2 = sum(1 for x in ok if x["seen"] == "10.112.0.2")
errs = {}
for x in r:
    if not x["ok"]:
        errs[x["err"]] = errs.get(x["err"], 0) + 1
print(len(r), len(ok), n1, n2)
if errs:
    print("  failures: %s" % errs, file=sys.stderr)
'

# lf_batch LIMIT [shortconn options]: new TCP connections from every LAN
# host (LIMIT (source, destination) pairs each, see short_conns); sets
# B_TOTAL, B_OK, B_UP1, B_UP2 (successful ones that left by wlan1/wlan2)
# and prints them.
lf_batch() {
	local limit=$1
	shift
	local f="$LAB_TMP/batch.$RANDOM"
	short_conns "$f" --limit "$limit" --timeout 3 "$@"
	read -r B_TOTAL B_OK B_UP1 B_UP2 < <("$PYTHON" -c "$_LF_BATCH" "$f")
	log "batch: $B_TOTAL connections, $B_OK ok, $B_UP1 via wlan1, $B_UP2 via wlan2"
}

# lf_batch_ok LIMIT: true when one batch of new connections all succeed
lf_batch_ok() {
	lf_batch "$@" >/dev/null 2>&1
	[ "${B_TOTAL:-0}" -gt 0 ] && [ "$B_OK" -eq "$B_TOTAL" ]
}

_LF_FLOWS='
import json, sys
s = json.load(open(sys.argv[1]))
cmd = sys.argv[2]
conns = s["conns"]
def sel(up):
    return [c for c in conns if up == "all" or c["seen"] == up]
if cmd == "count":      # count UPLINK-ADDR [alive]
    cs = sel(sys.argv[3])
    if len(sys.argv) > 4:
        cs = [c for c in cs if c["alive"]]
    print(len(cs))
elif cmd == "sports":   # sports UPLINK-ADDR: "src:sport" of each
    print(" ".join("%s:%s" % (c["src"] or "", c["sport"]) for c in sel(sys.argv[3])))
elif cmd == "deaths":   # deaths UPLINK-ADDR T: max seconds from T to a death, reasons
    cs = sel(sys.argv[3])
    t = float(sys.argv[4])
    dead = [c for c in cs if c["died_at"] is not None]
    late = max([c["died_at"] - t for c in dead], default=0)
    reasons = {}
    for c in dead:
        r = (c["reason"] or "").split(":")[0]
        reasons[r] = reasons.get(r, 0) + 1
    print(len(cs), len(dead), "%.2f" % late, json.dumps(reasons).replace(" ", ""))
'

# lf_flows NAME CMD ARGS: questions about a longflow status file
# (UPLINK-ADDR "all" selects every flow)
#   count UPLINK-ADDR [alive]   flows that left by that uplink (alive ones)
#   sports UPLINK-ADDR          their "src:sport"
#   deaths UPLINK-ADDR T        "n dead latest-death-after-T reasons-json"
lf_flows() {
	local name=$1
	shift
	"$PYTHON" -c "$_LF_FLOWS" "$(longflow_file "$name")" "$@"
}

_LF_PINS_OF='
import json, sys
ct = json.load(open(sys.argv[1]))
want = set(sys.argv[2].split())
out = []
for e in ct:
    if e["proto"] != "tcp":
        continue
    k = "%s:%s" % (e.get("src"), e.get("sport"))
    if k in want:
        out.append("%s=%s/%s" % (k, e["pin"], e["id"]))
print(" ".join(sorted(out)))
'

# lf_pins_of "SRC:SPORT ..." : "src:sport=pin/ct-id" of the router's TCP
# entries for those LAN ends, sorted (compare two snapshots as strings)
lf_pins_of() {
	local f="$LAB_TMP/ct.$RANDOM"
	lf_ct "$f"
	"$PYTHON" -c "$_LF_PINS_OF" "$f" "$1"
}

# lf_median N...: the median of integers
lf_median() {
	[ $# -gt 0 ] || { echo nan; return; }
	printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# lf_multipath_has GW...: ecmpd's main table's default route has a nexthop
# via each GW
lf_multipath_has() {
	local r gw
	r=$(rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0)
	for gw in "$@"; do
		case $r in *"via $gw "*) ;; *) return 1 ;; esac
	done
}

# lf_multipath_lacks GW: the default route in ecmpd's main table has no
# nexthop via GW
lf_multipath_lacks() {
	local r
	r=$(rt ip route show table "$ECMPD_TABLE_MAIN" 0.0.0.0/0)
	case $r in *"via $1 "*) return 1 ;; esac
	return 0
}

# lf_rsc_variant SRC DST SED-SCRIPT: a config derived from SRC
lf_rsc_variant() {
	sed -e "$3" "$1" >"$2"
}

# lf_state_dump FILE: lab_dump_state without what legitimately changes when
# an interface is re-created (link lines: ifindex, MAC; nexthop object ids
# and routes' nhid): addresses, routes, rules, nft ruleset, sysctls.
lf_state_dump() {
	local raw="$1.raw"
	lab_dump_state "$raw"
	grep -v -e '^link ' -e '^nexthop ' "$raw" | sed -e 's/"nhid": [0-9]*, //g' -e 's/, "nhid": [0-9]*//g' >"$1"
}

# lf_same_state BASELINE: the router's state equals BASELINE (lf_state_dump)
lf_same_state() {
	local now="$LAB_TMP/state.now"
	lf_state_dump "$now"
	cmp -s "$1" "$now"
}

# lf_state_diff BASELINE: prints how the state differs from BASELINE
lf_state_diff() {
	local now="$LAB_TMP/state.now"
	lf_state_dump "$now"
	diff "$1" "$now" | head -n 40
}

# lf_ecmpd_alive: ecmpd is still the process start_ecmpd started
lf_ecmpd_alive() { [ -n "$ECMPD_PID" ] && kill -0 "$ECMPD_PID" 2>/dev/null; }

# lf_connect_err HOST DST PORT TIMEOUT: one TCP connect from LAN host HOST;
# prints "ERRNAME MS" (OK when it connected)
lf_connect_err() {
	host "$1" "$PYTHON" -c '
import errno, socket, sys, time
dst, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket()
s.settimeout(timeout)
t0 = time.monotonic()
try:
    s.connect((dst, port))
    r = "OK"
except socket.timeout:
    r = "TIMEOUT"
except OSError as e:
    r = errno.errorcode.get(e.errno, str(e.errno))
print(r, int((time.monotonic() - t0) * 1000))' "$2" "$3" "$4"
}

_LF_OKCOUNT='
import json, sys
r = json.load(open(sys.argv[1]))
ok = sum(1 for x in r if x["ok"])
errs = {}
for x in r:
    if not x["ok"]:
        errs[x["err"]] = errs.get(x["err"], 0) + 1
print(len(r), ok)
if errs:
    print("  failures: %s" % errs, file=sys.stderr)
'

# lf_inet_conns DST PORT N [shortconn options]: TCP connections from the
# internet host to DST:PORT, from N of its addresses, two each; prints
# "total ok"
lf_inet_conns() {
	local dst=$1 port=$2 n=$3
	shift 3
	local f="$LAB_TMP/inet.$RANDOM"
	nsx "$NS_INET" "$PYTHON" "$LAB_DIR_SELF/shortconn.py" --src "$(inet_addrs "$n")" \
		--dst "$dst" --port "$port" --per-pair 2 --timeout 3 "$@" >"$f" 2>/dev/null
	"$PYTHON" -c "$_LF_OKCOUNT" "$f"
}

# lf_inet_pings DST N: one echo request from each of N of the internet
# host's addresses to DST; prints how many were answered
lf_inet_pings() {
	local dst=$1 n=$2 i pids=() ok=0
	for i in $(seq 1 "$n"); do
		nsx "$NS_INET" ping -n -q -c 1 -W 2 -I "198.51.100.$i" "$dst" >/dev/null 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" && ok=$((ok + 1))
	done
	echo "$ok"
}
