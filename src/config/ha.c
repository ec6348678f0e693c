// SPDX-License-Identifier: MIT
/*
 * ha.c - what `ecmpd -n --ha` can tell from the config alone about
 * running it on a pair of routers (docs/ha.md).
 *
 * A connection survives a failover only if the standby sends its packets
 * from the same public address: the ISP, and the far end, know no other.
 * In a pair the WAN address that NAT uses is a virtual address that
 * keepalived moves to the master; each router also has an address of its
 * own on the WAN. masquerade takes whatever address the kernel picks on
 * the out-interface (its primary address in the gateway's network), which
 * is the router's own whenever the virtual address sits in the same
 * network as a secondary address - the usual layout. A src-nat to the
 * virtual address names it and keeps connections across a failover. The
 * config cannot say which address the kernel will pick, so every enabled
 * masquerade is a warning under --ha, naming the address to use when the
 * config has one on that interface.
 *
 * And the two routers run the same config, so an address in /ip address,
 * which ecmpd adds to the interface, would be on both: every enabled one
 * is a warning too.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "config/parser.h"

/* The first enabled /ip address on interface, or NULL. */
static const struct ip_address *address_on(const struct config *cfg,
					   const char *interface)
{
	for (size_t i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];

		if (!a->c.disabled && !strcmp(a->interface, interface))
			return a;
	}
	return NULL;
}

unsigned config_ha_masquerades(const struct config *cfg, struct diag *d)
{
	unsigned n = 0;

	for (size_t i = 0; i < cfg->n_nat; i++) {
		const struct nat_rule *r = &cfg->nat[i];
		const struct name_match *out = &r->match.out_interface;
		const struct ip_address *a;
		char addr[IPV4_STR_MAX];

		if (r->c.disabled || r->action != NAT_MASQUERADE)
			continue;
		n++;
		a = out->name[0] && !out->negate ? address_on(cfg, out->name) :
						   NULL;
		if (a) {
			ipv4_str(a->addr, addr);
			diag_warning(
				d, r->action_loc,
				"--ha: masquerade takes this router's own "
				"address on %s, which the other router "
				"does not have: its connections are lost "
				"in a failover; use action=src-nat "
				"to-addresses= a virtual address that "
				"keepalived moves, and leave it out of /ip "
				"address (%s there would be added on both "
				"routers; docs/ha.md)",
				out->name, addr);
		} else {
			diag_warning(d, r->action_loc,
				     "--ha: masquerade takes this router's own "
				     "WAN address, which the other router does "
				     "not have: its connections are lost in a "
				     "failover; use action=src-nat "
				     "to-addresses= the virtual WAN address "
				     "(docs/ha.md)");
		}
	}
	return n;
}

unsigned config_ha_addresses(const struct config *cfg, struct diag *d)
{
	unsigned n = 0;

	for (size_t i = 0; i < cfg->n_addresses; i++) {
		const struct ip_address *a = &cfg->addresses[i];
		char addr[IPV4_STR_MAX];

		if (a->c.disabled)
			continue;
		n++;
		diag_warning(d, a->addr_loc,
			     "--ha: ecmpd adds %s to %s, and so does the other "
			     "router with the same config: an address "
			     "conflict; leave a router's own addresses to the "
			     "system and the shared ones to keepalived "
			     "(docs/ha.md)",
			     ipv4_str(a->addr, addr), a->interface);
	}
	return n;
}

int config_check_ha(const struct config *cfg, const char *path, bool strict,
		    FILE *out)
{
	struct diag *d;
	size_t len;
	char *text = config_read_text(path, &len);
	int errors;

	if (!text)
		return -1;
	d = diag_new(path, text, len, out, strict);
	free(text);
	if (!d)
		return -1;
	config_ha_masquerades(cfg, d);
	config_ha_addresses(cfg, d);
	errors = diag_errors(d);
	diag_free(d);
	return errors;
}
