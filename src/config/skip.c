// SPDX-License-Identifier: MIT
/*
 * skip.c - the menus of an export that ecmpd does not read, and what on
 * Linux does their job.
 *
 * A RouterOS export configures the whole router: DHCP, DNS, wireless,
 * users, the clock. ecmpd makes a Linux box route like the config says and
 * leaves the rest to the programs that do those jobs on Linux, so each
 * skipped menu gets one warning that names them (docs/config.md, "What is
 * skipped", has the same table). A path is looked up by its longest listed
 * prefix of whole words: "/ip dhcp-server network" finds "ip dhcp-server",
 * "/system identity" finds itself, "/system routerboard settings" finds
 * "system". A menu not listed at all gets "no Linux counterpart known to
 * ecmpd: check its name". A file of which every line was skipped is an
 * error (config_check_all_skipped()).
 */
#include <string.h>

#include "config/skip.h"

static const struct skipped_menu skipped_menus[] = {
	{ "caps-man", "hostapd on each access point" },
	{ "certificate", "the certificates in /etc/ssl (certbot, openssl)" },
	{ "container", "podman or docker" },
	{ "delay", "no counterpart needed (a script's pause)" },
	{ "disk", "/etc/fstab and the mount units" },
	{ "file", "the file system" },
	{ "interface bonding", "a bond device (ip link add type bond)" },
	{ "interface bridge",
	  "the bridge's own settings (ip link, bridge vlan, "
	  "systemd-networkd)" },
	{ "interface detect-internet", "ecmpd's check-gateway= probes" },
	{ "interface eoip", "a gretap device (ip link add type gretap)" },
	{ "interface gre", "a GRE tunnel (ip link add type gre)" },
	{ "interface ipip", "an IPIP tunnel (ip link add type ipip)" },
	{ "interface l2tp-client", "xl2tpd with pppd" },
	{ "interface l2tp-server", "xl2tpd or accel-ppp" },
	{ "interface lte", "ModemManager" },
	{ "interface ovpn-client", "openvpn" },
	{ "interface ovpn-server", "openvpn" },
	{ "interface pppoe-server", "accel-ppp or rp-pppoe's pppoe-server" },
	{ "interface pptp-client", "pptp-linux with pppd" },
	{ "interface sstp-client", "sstp-client with pppd" },
	{ "interface vxlan", "a VXLAN device (ip link add type vxlan)" },
	{ "interface wifi",
	  "hostapd (access point) or wpa_supplicant (client)" },
	{ "interface wifiwave2",
	  "hostapd (access point) or wpa_supplicant (client)" },
	{ "interface wireguard", "WireGuard (wg-quick, systemd-networkd)" },
	{ "interface wireless",
	  "hostapd (access point) or wpa_supplicant (client)" },
	{ "interface", "the links' own settings (ip link, systemd-networkd)" },
	{ "ip arp", "the neighbour table (ip neigh)" },
	{ "ip cloud", "a dynamic DNS client (ddclient)" },
	{ "ip dhcp-relay", "a DHCP relay (dhcrelay, dnsmasq)" },
	{ "ip dhcp-server", "a DHCP server (dnsmasq, Kea, systemd-networkd)" },
	{ "ip dns", "a DNS resolver (systemd-resolved, dnsmasq, unbound)" },
	{ "ip firewall connection",
	  "the conntrack sysctls (net.netfilter.nf_conntrack_*)" },
	{ "ip firewall filter",
	  "a filter table of your own in nftables (ecmpd's table only marks "
	  "and translates)" },
	{ "ip firewall layer7-protocol",
	  "no counterpart (nftables does not match layer 7)" },
	{ "ip firewall raw", "a table of your own in nftables (notrack)" },
	{ "ip firewall service-port",
	  "the conntrack helpers (nf_conntrack_ftp, nf_conntrack_sip, ...)" },
	{ "ip hotspot", "a captive portal (e.g. nodogsplash)" },
	{ "ip ipsec", "strongSwan or libreswan" },
	{ "ip neighbor", "lldpd" },
	{ "ip pool", "the DHCP server's address ranges" },
	{ "ip proxy", "a web proxy (squid)" },
	{ "ip route rule", "policy routing rules (ip rule)" },
	{ "ip service", "the services' own settings (sshd_config, systemctl)" },
	{ "ip smb", "Samba" },
	{ "ip socks", "a SOCKS proxy (dante)" },
	{ "ip ssh", "sshd_config" },
	{ "ip tftp", "a TFTP server (tftpd-hpa, dnsmasq)" },
	{ "ip traffic-flow", "a flow exporter (softflowd, pmacct)" },
	{ "ip upnp", "miniupnpd" },
	{ "ip vrf", "VRF devices (ip link add type vrf)" },
	{ "ipv6", "the box's IPv6 settings (ecmpd routes IPv4 only)" },
	{ "log", "no counterpart needed (a script's log message)" },
	{ "mpls", "the kernel's MPLS (ip -f mpls) or FRR" },
	{ "port", "the serial consoles (agetty)" },
	{ "ppp", "pppd's peers, secrets and options (/etc/ppp)" },
	{ "queue", "traffic control (tc: HTB, CAKE, fq_codel)" },
	{ "radius", "a RADIUS client (pam_radius, freeradius-utils)" },
	{ "routing bfd", "a routing daemon (FRR's bfdd)" },
	{ "routing bgp", "a routing daemon (FRR, BIRD)" },
	{ "routing filter", "a routing daemon's filters (FRR, BIRD)" },
	{ "routing id", "a routing daemon (FRR, BIRD)" },
	{ "routing ospf", "a routing daemon (FRR, BIRD)" },
	{ "routing rip", "a routing daemon (FRR, BIRD)" },
	{ "routing rule", "policy routing rules (ip rule)" },
	{ "snmp", "snmpd" },
	{ "system clock", "timedatectl" },
	{ "system identity", "hostnamectl" },
	{ "system logging", "journald or rsyslog" },
	{ "system note", "/etc/motd" },
	{ "system ntp", "chrony or systemd-timesyncd" },
	{ "system package", "the package manager (apt)" },
	{ "system routerboard", "the board's firmware (nothing on a PC)" },
	{ "system scheduler", "systemd timers or cron" },
	{ "system script", "shell scripts (ecmpd's hooks for gateway events)" },
	{ "system watchdog", "systemd's watchdog" },
	{ "system", "the host's system settings (systemd)" },
	{ "tool bandwidth-server", "iperf3" },
	{ "tool e-mail", "a mail transfer agent" },
	{ "tool graphing", "Prometheus (ecmpd --metrics-listen)" },
	{ "tool mac-server",
	  "ssh (MAC-level access has no Linux counterpart)" },
	{ "tool romon", "no counterpart (MikroTik's own remote management)" },
	{ "tool sniffer", "tcpdump" },
	{ "tool", "the host's own tools" },
	{ "user", "the host's users (useradd, sudo)" },
	{ "zerotier", "zerotier-one" },
};

const struct skipped_menu *skipped_menu_find(const char *path)
{
	const struct skipped_menu *best = NULL;
	size_t i, len, best_len = 0;

	for (i = 0; i < sizeof(skipped_menus) / sizeof(skipped_menus[0]); i++) {
		len = strlen(skipped_menus[i].path);
		if (len <= best_len ||
		    strncmp(path, skipped_menus[i].path, len))
			continue;
		if (path[len] != '\0' && path[len] != ' ')
			continue;
		best = &skipped_menus[i];
		best_len = len;
	}
	return best;
}

const char *skipped_menu_job(const char *path)
{
	const struct skipped_menu *m = skipped_menu_find(path);

	return m ? m->linux_job : NULL;
}

/*
 * A file of which every line was skipped configures nothing ecmpd does:
 * accepting it would run a gateway that means nothing.
 */
void config_check_all_skipped(const struct config *cfg, struct diag *d)
{
	const struct config_line *first = NULL;
	size_t i;

	for (i = 0; i < cfg->n_lines; i++) {
		const struct config_line *l = &cfg->lines[i];

		if (l->fate == LINE_ENTRY || l->fate == LINE_SETTINGS ||
		    l->fate == LINE_ERROR)
			return;
		if (!first && l->fate != LINE_MENU)
			first = l;
	}
	if (first)
		diag_error(d, (struct loc){ first->line, 1 },
			   "every line of the file was skipped: it configures "
			   "nothing ecmpd does");
}
