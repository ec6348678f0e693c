// SPDX-License-Identifier: MIT
/*
 * arp.c - the ARP packets of an arp probe: requests, recognising the
 * gateway's reply, and the kernel-side filter of the probe's packet
 * socket.
 *
 * ARP carries no sequence number and no secret, so an ARP reply proves
 * less than a signed echo reply (icmp.c): anyone on the link can send one.
 * What can be checked is checked: the frame was addressed to this host
 * (PACKET_HOST - not a broadcast, not another host's frame seen in
 * promiscuous mode), it is a reply, its sender is the gateway and its
 * target is our address at our hardware address. A reply answers the
 * oldest outstanding request (probe.c).
 */
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <string.h>

#include "health/probe.h"
#include "health/wire.h"

size_t probe_build_arp(uint8_t *buf, const uint8_t sender_mac[6],
		       uint32_t sender_ip, uint32_t target_ip)
{
	put16(buf, ARPHRD_ETHER);
	put16(buf + 2, ETHERTYPE_IP);
	buf[4] = 6;
	buf[5] = 4;
	put16(buf + 6, ARPOP_REQUEST);
	memcpy(buf + 8, sender_mac, 6);
	put32(buf + 14, sender_ip);
	memset(buf + 18, 0, 6);
	put32(buf + 24, target_ip);
	return PROBE_ARP_LEN;
}

bool probe_match_arp_reply(const uint8_t *pkt, size_t len, unsigned pkttype,
			   uint32_t gateway, uint32_t our_ip,
			   const uint8_t our_mac[6])
{
	if (pkttype != PACKET_HOST || len < PROBE_ARP_LEN)
		return false;
	if (get16(pkt) != ARPHRD_ETHER || get16(pkt + 2) != ETHERTYPE_IP ||
	    pkt[4] != 6 || pkt[5] != 4 || get16(pkt + 6) != ARPOP_REPLY)
		return false;
	return get32(pkt + 14) == gateway && get32(pkt + 24) == our_ip &&
	       memcmp(pkt + 18, our_mac, 6) == 0;
}

/*
 * A SOCK_DGRAM packet socket's filter sees the ARP body from its start;
 * the frame's type is an ancillary load.
 */
size_t probe_arp_filter(struct sock_filter *prog, uint32_t gateway,
			uint32_t our_ip)
{
	const struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_HOST, 0, 7),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARPOP_REPLY, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 14),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, gateway, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, our_ip, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};

	memcpy(prog, f, sizeof(f));
	return sizeof(f) / sizeof(f[0]);
}
