# SPDX-License-Identifier: MIT
# bench/gen_routes.sh - sourced by plan_scale.sh and routes.sh: the generated
# big route table (see plan_scale.sh for its shape).

# gen N FILE: a config with N routes
gen() {
	awk -v n="$1" 'BEGIN {
		print "/ip address"
		print "add address=192.168.0.1/24 interface=Local"
		print "add address=10.111.0.2/24 interface=wlan1"
		print "add address=10.112.0.2/24 interface=wlan2"
		print "/ip firewall mangle"
		print "add chain=prerouting in-interface=Local action=mark-routing new-routing-mark=to_wlan2"
		print "/ip route"
		print "add dst-address=0.0.0.0/0 gateway=10.111.0.1,10.112.0.1 check-gateway=ping"
		for (i = 1; i < n; i++) {
			h = i * 2654435761 % 4294967296   # spread, deterministic
			a = int(h / 16777216) % 223 + 1; b = int(h / 65536) % 256
			c = int(h / 256) % 256; d = h % 256
			gw = (i % 2) ? "10.111.0.1" : "10.112.0.1"
			other = (i % 2) ? "10.112.0.1" : "10.111.0.1"
			mark = (i % 50 == 0) ? " routing-mark=to_wlan2" : ""
			if (i % 3 == 0)
				dst = a "." b "." c ".0/24"
			else
				dst = a "." b "." c "." d
			print "add dst-address=" dst " gateway=" gw mark
			if (i % 10 == 0 && i + 1 < n) {
				print "add dst-address=" dst " gateway=" other " distance=2" mark
				i++
			}
		}
	}' >"$2"
}
