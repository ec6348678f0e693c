// SPDX-License-Identifier: MIT
/*
 * status.c - the snapshot and `ecmpctl status`. Taking a snapshot costs one
 * conntrack dump, split by the pin field of the mark, however many uplinks
 * there are; rendering costs nothing more.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "daemon/status.h"
#include "daemon/uplink.h"
#include "kernel/conntrack.h"
#include "kernel/sysctl.h"
#include "plan/plan.h"

static bool accounting_on(void)
{
	char acct[16] = "";

	return sysctl_read("net.netfilter.nf_conntrack_acct", acct,
			   sizeof(acct)) == 0 &&
	       acct[0] == '1';
}

int status_take(struct status *s, const char *config_path,
		const struct uplink *v, size_t n,
		const struct status_counters *counters, uint64_t started_ms,
		uint64_t now_ms)
{
	struct conntrack_stats pins[PLAN_ID_MAX + 1];

	memset(s, 0, sizeof(*s));
	s->config_path = config_path;
	s->now_ms = now_ms;
	s->uptime_s = (double)(now_ms - started_ms) / 1000.0;
	s->counters = *counters;
	s->uplinks = calloc(n + 1, sizeof(*s->uplinks));
	if (!s->uplinks)
		return -ENOMEM;
	s->n_uplinks = n;
	s->counted = conntrack_stats_split(PLAN_PIN_MASK, PLAN_PIN_SHIFT, pins,
					   PLAN_ID_MAX + 1) == 0;
	s->traffic = s->counted && accounting_on();
	for (size_t i = 0; i < n; i++) {
		const struct uplink *u = &v[i];
		struct status_uplink *su = &s->uplinks[i];
		char gw[IPV4_STR_MAX];

		su->id = u->id;
		snprintf(su->interface, sizeof(su->interface), "%s",
			 u->interface);
		su->has_gateway = u->has_gateway;
		su->gateway = u->gateway;
		snprintf(su->gateway_text, sizeof(su->gateway_text), "%s",
			 uplink_gateway_text(u, gw));
		su->check = u->check;
		su->health = u->health;
		su->usable = u->usable;
		su->link_up = u->link_up;
		su->mark = u->id << PLAN_PIN_SHIFT;
		su->table = PLAN_TABLE_UPLINK_BASE + u->id;
		if (s->counted && u->id <= PLAN_ID_MAX) {
			su->connections = pins[u->id].entries;
			su->packets = pins[u->id].packets;
			su->bytes = pins[u->id].bytes;
		}
	}
	return 0;
}

void status_free(struct status *s)
{
	free(s->uplinks);
	s->uplinks = NULL;
	s->n_uplinks = 0;
}

static const char *check_text(enum check_gateway c)
{
	return config_name_of(config_check_gateway_names, c);
}

static double since_s(const struct status *s, const struct status_uplink *u)
{
	return (double)(s->now_ms - u->health.since_ms) / 1000.0;
}

void status_text(FILE *out, const struct status *s)
{
	fprintf(out, "config %s, %zu uplinks, up %.0fs\n", s->config_path,
		s->n_uplinks, s->uptime_s);
	fprintf(out, "%-15s %-10s %-5s %-7s %8s %9s %6s %11s %10s %12s\n",
		"gateway", "interface", "check", "state", "since", "rtt",
		"loss", "connections", "packets", "bytes");
	for (size_t i = 0; i < s->n_uplinks; i++) {
		const struct status_uplink *u = &s->uplinks[i];

		fprintf(out,
			"%-15s %-10s %-5s %-7s %7.1fs %6.2f ms %5.1f%% %11u "
			"%10llu %12llu\n",
			u->has_gateway ? u->gateway_text : "-", u->interface,
			check_text(u->check),
			health_state_name(u->health.state), since_s(s, u),
			health_rtt_ms(&u->health), health_loss_pct(&u->health),
			u->connections, (unsigned long long)u->packets,
			(unsigned long long)u->bytes);
	}
}

void status_json(FILE *out, const struct status *s)
{
	fprintf(out, "{\"config\":");
	json_string(out, s->config_path);
	fprintf(out, ",\"uptime_s\":%.1f,\"uplinks\":[", s->uptime_s);
	for (size_t i = 0; i < s->n_uplinks; i++) {
		const struct status_uplink *u = &s->uplinks[i];

		fprintf(out, "%s{\"id\":%u,\"interface\":", i ? "," : "",
			u->id);
		json_string(out, u->interface);
		fprintf(out, ",\"gateway\":");
		json_string(out, u->has_gateway ? u->gateway_text : "");
		fprintf(out,
			",\"check\":\"%s\",\"state\":\"%s\",\"usable\":%s,"
			"\"link\":\"%s\",\"since_s\":%.3f,\"rtt_ms\":%.3f,"
			"\"loss_pct\":%.1f,\"connections\":%u,"
			"\"packets\":%llu,\"bytes\":%llu,"
			"\"probes_sent\":%llu,\"probes_lost\":%llu,"
			"\"mark\":\"0x%x\",\"table\":%u}",
			check_text(u->check),
			health_state_name(u->health.state),
			u->usable ? "true" : "false",
			u->link_up ? "up" : "down", since_s(s, u),
			health_rtt_ms(&u->health), health_loss_pct(&u->health),
			u->connections, (unsigned long long)u->packets,
			(unsigned long long)u->bytes,
			(unsigned long long)u->health.sent,
			(unsigned long long)u->health.lost, u->mark, u->table);
	}
	fprintf(out,
		"],\"reloads_ok\":%lu,\"reloads_failed\":%lu,"
		"\"state_changes\":%lu,\"failovers\":%lu,"
		"\"connections_flushed\":%lu,\"kernel_errors\":%lu}\n",
		s->counters.reloads_ok, s->counters.reloads_failed,
		s->counters.state_changes, s->counters.failovers,
		s->counters.flushed, s->counters.kernel_errors);
}
