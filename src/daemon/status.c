// SPDX-License-Identifier: MIT
/*
 * status.c - the snapshot and `ecmpctl status`. Counting connections costs
 * one conntrack dump, split by the pin field of the mark, however many
 * uplinks there are; rendering costs nothing more.
 *
 * A dump walks the whole table: 60000 entries take a second in the lab's
 * sanitizer build. In the event loop, which also probes, that held up
 * probing and failover for as long as anyone kept asking. So the dump runs
 * in a worker thread, only while someone asks, and at most once per
 * STATUS_COUNTS_MAX_AGE_MS or per STATUS_COUNTS_DUTY times the last dump's
 * duration, whichever is longer (so counting takes at most a tenth of a
 * core, however large the table); every snapshot (`status`, `print`,
 * `metrics`, the HTTP listener) takes the last counts it made: no rate of
 * requests makes the loop wait for conntrack longer than
 * STATUS_COUNTS_WAIT_MS once per interval. The request that finds the
 * counts due waits that long for the dump it asks for (a small table's is
 * done by then: fresh counts); otherwise it, and every request while the
 * dump runs, shows the counts of the dump before, at most one interval
 * plus one dump old. Everything else in a snapshot (health, usable, the
 * counters) is read fresh.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"

#include "base/json.h"
#include "daemon/netwatch.h"
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

/*
 * The counts, kept by a worker thread: the loop only reads the last ones
 * and asks for new ones; the dump runs beside it (conntrack_stats_split()
 * opens its own netlink socket and touches nothing shared).
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t want, done;
	bool started, wanted, busy;
	bool taken; /* a dump has finished */
	uint64_t at_ms; /* when it finished (monotonic) */
	uint64_t took_ms; /* how long it took */
	bool counted, traffic;
	struct conntrack_stats pins[PLAN_ID_MAX + 1];
} counts = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.want = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};

/* One dump into counts; called without the lock held. */
static void dump_counts(void)
{
	static struct conntrack_stats pins[PLAN_ID_MAX + 1];
	uint64_t start = now_ms();
	bool counted, traffic;

	counted = conntrack_stats_split(PLAN_PIN_MASK, PLAN_PIN_SHIFT, pins,
					PLAN_ID_MAX + 1) == 0;
	traffic = counted && accounting_on();
	pthread_mutex_lock(&counts.lock);
	memcpy(counts.pins, pins, sizeof(pins));
	counts.counted = counted;
	counts.traffic = traffic;
	counts.taken = true;
	counts.at_ms = now_ms();
	counts.took_ms = counts.at_ms - start;
	counts.busy = false;
	pthread_cond_broadcast(&counts.done);
	pthread_mutex_unlock(&counts.lock);
}

static void *counter_main(void *arg)
{
	for (;;) {
		pthread_mutex_lock(&counts.lock);
		while (!counts.wanted)
			pthread_cond_wait(&counts.want, &counts.lock);
		counts.wanted = false;
		pthread_mutex_unlock(&counts.lock);
		dump_counts();
	}
	return NULL;
}

/* Starts the worker with every signal blocked (they are the loop's). */
static bool start_counter(void)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t t;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&t, &attr, counter_main, NULL);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		log_warn("status: no thread to count connections (%s); "
			 "counting in the loop",
			 strerror(err));
	return err == 0;
}

/*
 * How old the counts may grow before the next dump: STATUS_COUNTS_MAX_AGE_MS,
 * or STATUS_COUNTS_DUTY times what the last dump took, whichever is longer,
 * so that counting costs at most 1/STATUS_COUNTS_DUTY of a core however
 * large the table and however many ask.
 */
static uint64_t max_age_ms(void)
{
	uint64_t duty = counts.took_ms * STATUS_COUNTS_DUTY;

	return duty > STATUS_COUNTS_MAX_AGE_MS ? duty :
						 STATUS_COUNTS_MAX_AGE_MS;
}

/*
 * Brings counts up to date as far as that costs the loop little: when the
 * last dump is max_age_ms() old, asks the worker for one and waits for it
 * at most STATUS_COUNTS_WAIT_MS - a small table's dump is done by then, so
 * the request sees fresh counts; a large one's goes on beside the loop and
 * this request, and those that come while it runs, see the previous
 * counts. Only the request that asks waits: the loop waits at most that
 * once per max_age_ms(). Called with the lock held.
 */
static void refresh_counts(uint64_t now)
{
	struct timespec until;

	if (!counts.started) {
		counts.started = true;
		if (!start_counter())
			counts.started = false;
	}
	/* A dump may have finished after the caller read its clock. */
	if (counts.busy ||
	    (counts.taken &&
	     (counts.at_ms >= now || now - counts.at_ms < max_age_ms())))
		return;
	if (!counts.started) {
		/* No worker: count here, as seldom as the worker would. */
		pthread_mutex_unlock(&counts.lock);
		dump_counts();
		pthread_mutex_lock(&counts.lock);
		return;
	}
	counts.busy = counts.wanted = true;
	pthread_cond_signal(&counts.want);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += STATUS_COUNTS_WAIT_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (counts.busy &&
	       pthread_cond_timedwait(&counts.done, &counts.lock, &until) == 0)
		;
}

void status_counts_forget(void)
{
	pthread_mutex_lock(&counts.lock);
	/* Due now: the next request asks for a dump. */
	if (counts.taken)
		counts.at_ms =
			now_ms() > max_age_ms() ? now_ms() - max_age_ms() : 0;
	pthread_mutex_unlock(&counts.lock);
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
	pthread_mutex_lock(&counts.lock);
	refresh_counts(now_ms);
	s->counted = counts.counted;
	s->traffic = counts.traffic;
	memcpy(pins, counts.pins, sizeof(pins));
	pthread_mutex_unlock(&counts.lock);
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
		su->source = u->source;
		su->health = u->health;
		su->holddown_left_ms =
			health_holddown_left_ms(&u->health, now_ms);
		health_reason(&u->health, su->reason, sizeof(su->reason));
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
	free(s->clients);
	s->clients = NULL;
	s->n_clients = 0;
	s->n_uplinks = 0;
}

/* The client on an uplink's interface, or NULL. */
static const struct status_client *client_of(const struct status *s,
					     const char *interface)
{
	for (size_t i = 0; i < s->n_clients; i++)
		if (!strcmp(s->clients[i].interface, interface))
			return &s->clients[i];
	return NULL;
}

static void client_text(FILE *out, const struct status_client *c)
{
	if (c->running)
		fprintf(out, "%s client on %s: running, pid %d", c->kind,
			c->interface, c->pid);
	else
		fprintf(out, "%s client on %s: restarting in %.1fs", c->kind,
			c->interface, c->restart_in_s);
	if (c->failures)
		fprintf(out, " (%u exit%s in a row)", c->failures,
			c->failures == 1 ? "" : "s");
	fputc('\n', out);
}

static void client_json(FILE *out, const struct status_client *c)
{
	fprintf(out, "{\"kind\":\"%s\",\"interface\":", c->kind);
	json_string(out, c->interface);
	fprintf(out,
		",\"state\":\"%s\",\"pid\":%d,\"failures\":%u,"
		"\"restart_in_s\":%.1f}",
		c->running ? "running" : "restarting", c->pid, c->failures,
		c->restart_in_s);
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
	if (s->role.role) {
		fprintf(out, "role %s for %.0fs, config hash %s", s->role.role,
			s->role.role_s, s->role.hash);
		if (s->role.mismatch)
			fprintf(out,
				", CONFIG MISMATCH: the other router's "
				"is %s",
				s->role.peer_hash);
		else if (s->role.peer_hash[0])
			fputs(", the other router's matches", out);
		fputc('\n', out);
	}
	fprintf(out, "%-15s %-10s %-5s %-7s %8s %9s %6s %11s %10s %12s %s\n",
		"gateway", "interface", "check", "state", "since", "rtt",
		"loss", "connections", "packets", "bytes", "source");
	for (size_t i = 0; i < s->n_uplinks; i++) {
		const struct status_uplink *u = &s->uplinks[i];

		fprintf(out,
			"%-15s %-10s %-5s %-7s %7.1fs %6.2f ms %5.1f%% %11u "
			"%10llu %12llu %s\n",
			u->has_gateway ? u->gateway_text : "-", u->interface,
			check_text(u->check),
			health_state_name(u->health.state), since_s(s, u),
			health_rtt_ms(&u->health), health_loss_pct(&u->health),
			u->connections, (unsigned long long)u->packets,
			(unsigned long long)u->bytes,
			plan_source_name(u->source));
	}
	/* Why each uplink that is out is out, and how long it still waits. */
	for (size_t i = 0; i < s->n_uplinks; i++) {
		const struct status_uplink *u = &s->uplinks[i];

		if (u->health.state != HEALTH_DOWN)
			continue;
		fprintf(out, "uplink %s down: %s", u->interface, u->reason);
		if (u->health.holddown_ms)
			fprintf(out, "; %.1f s left",
				u->holddown_left_ms / 1000.0);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->n_clients; i++)
		client_text(out, &s->clients[i]);
}

void status_json(FILE *out, const struct status *s)
{
	fprintf(out, "{\"config\":");
	json_string(out, s->config_path);
	fprintf(out, ",\"uptime_s\":%.1f,", s->uptime_s);
	if (s->role.role) {
		fprintf(out, "\"role\":\"%s\",\"role_s\":%.1f,\"config_hash\":",
			s->role.role, s->role.role_s);
		json_string(out, s->role.hash);
		fputs(",\"peer_config_hash\":", out);
		json_string(out, s->role.peer_hash);
		fprintf(out, ",\"config_mismatch\":%s,",
			s->role.mismatch ? "true" : "false");
	}
	fputs("\"uplinks\":[", out);
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
			"\"mark\":\"0x%x\",\"table\":%u,\"source\":\"%s\","
			"\"holddown_s\":%.3f,\"holddown_left_s\":%.3f,"
			"\"failures\":%u,\"reason\":",
			check_text(u->check),
			health_state_name(u->health.state),
			u->usable ? "true" : "false",
			u->link_up ? "up" : "down", since_s(s, u),
			health_rtt_ms(&u->health), health_loss_pct(&u->health),
			u->connections, (unsigned long long)u->packets,
			(unsigned long long)u->bytes,
			(unsigned long long)u->health.sent,
			(unsigned long long)u->health.lost, u->mark, u->table,
			plan_source_name(u->source),
			u->health.holddown_ms / 1000.0,
			u->holddown_left_ms / 1000.0, u->health.failures);
		json_string(out, u->reason);
		if (client_of(s, u->interface)) {
			fputs(",\"client\":", out);
			client_json(out, client_of(s, u->interface));
		}
		fputc('}', out);
	}
	fputs("],\"clients\":[", out);
	for (size_t i = 0; i < s->n_clients; i++) {
		fputs(i ? "," : "", out);
		client_json(out, &s->clients[i]);
	}
	fputc(']', out);
	if (s->netwatches) {
		fputs(",\"netwatches\":", out);
		netwatches_json(out, s->netwatches, s->now_ms);
	}
	fprintf(out,
		",\"reloads_ok\":%lu,\"reloads_failed\":%lu,"
		"\"state_changes\":%lu,\"failovers\":%lu,"
		"\"connections_flushed\":%lu,\"kernel_errors\":%lu,"
		"\"loop_busy_max_ms\":%llu}\n",
		s->counters.reloads_ok, s->counters.reloads_failed,
		s->counters.state_changes, s->counters.failovers,
		s->counters.flushed, s->counters.kernel_errors,
		(unsigned long long)s->counters.loop_busy_max_ms);
}
