// SPDX-License-Identifier: MIT
/*
 * boxload.c - loads the config and checks it against the box's links: one
 * RTM_GETLINK dump (src/kernel/link.c) turned into the pure check's
 * system_link rows, with a VLAN's parent and a port's bridge by name.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>

#include "config/parser.h"
#include "daemon/boxload.h"
#include "kernel/link.h"

/* The links of the moment as rows for config_check_links(); NULL on error. */
static struct system_link *read_links(size_t *n)
{
	struct link_table t = { 0 };
	struct system_link *rows = NULL;
	const struct kernel_link *v;
	struct netlink *nl;
	int err;

	nl = netlink_open(NETLINK_ROUTE, 0);
	if (!nl)
		return NULL;
	err = link_table_read(nl, &t, NULL);
	netlink_close(nl);
	if (err) {
		errno = -err;
		return NULL;
	}
	v = t.records.v;
	*n = t.records.n;
	rows = calloc(*n ? *n : 1, sizeof(*rows));
	for (size_t i = 0; rows && i < *n; i++) {
		snprintf(rows[i].name, sizeof(rows[i].name), "%s", v[i].name);
		snprintf(rows[i].kind, sizeof(rows[i].kind), "%s", v[i].kind);
		rows[i].vlan_id = v[i].vlan_id;
		if (v[i].parent)
			snprintf(rows[i].parent, sizeof(rows[i].parent), "%s",
				 link_name(&t, v[i].parent));
		if (v[i].master)
			snprintf(rows[i].master, sizeof(rows[i].master), "%s",
				 link_name(&t, v[i].master));
	}
	link_table_free(&t);
	return rows;
}

struct config *boxload_config(const struct daemon_options *opt, FILE *out,
			      int *errors)
{
	struct system_link *links;
	struct config *cfg;
	size_t n = 0;

	links = read_links(&n);
	if (!links) {
		fprintf(out,
			"%s: the links could not be read (%s); the config's "
			"bridges, VLANs and ports are not checked\n",
			opt->config_path, strerror(errno));
		return config_load(opt->config_path, opt->maps, opt->n_maps,
				   opt->strict, out, errors);
	}
	cfg = config_load_on(opt->config_path, opt->maps, opt->n_maps,
			     opt->strict, out, errors, links, n);
	free(links);
	return cfg;
}
