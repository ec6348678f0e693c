// SPDX-License-Identifier: MIT
/*
 * metrics.c - the Prometheus text exposition format, and a tiny HTTP/1.0
 * server for it inside the event loop.
 *
 * metrics_write() is a pure formatter over the daemon's snapshot (status.h):
 * every family gets its HELP and TYPE lines even when it has no samples
 * (promtool accepts that, and a scraper then always sees the same set of
 * names), counters end in _total, times are in seconds and ratios in 0..1,
 * as Prometheus' naming conventions ask. The RTT is a gauge of the mean
 * over the health window rather than a summary: a summary's _sum and
 * _count must be cumulative, and the daemon only keeps the window.
 *
 * The listener is a protocol on stream.c, which also serves the control
 * socket: bounded client slots, a bound per peer address, a deadline per
 * client, eviction of clients that send no request, writing without
 * blocking the loop, pausing accept() when descriptors run out. What is
 * left here is HTTP/1.0 as far as a scraper speaks it: one request head,
 * GET or HEAD of /metrics, an answer with Content-Length and Connection:
 * close.
 *
 * The listener is open to every local user (and to the network, if
 * configured so), and the daemon that answers is the one that probes: a
 * scrape must never cost the loop more than a scrape interval's share.
 * So the body is rendered at most once per METRICS_CACHE_MS and served
 * from a copy in between (the connection counts in it come from a
 * conntrack dump that status.c caches likewise), whatever the rate of
 * requests; a scraper sees values at most that old.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "health/health.h"
#include "daemon/metrics.h"
#include "daemon/status.h"
#include "daemon/stream.h"

/* ---- the exposition format ---- */

/* A label value: backslash, double quote and newline are escaped. */
static void put_label_value(FILE *out, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\')
			fputs("\\\\", out);
		else if (*v == '"')
			fputs("\\\"", out);
		else if (*v == '\n')
			fputs("\\n", out);
		else
			fputc(*v, out);
	}
}

static void put_family(FILE *out, const char *name, const char *type,
		       const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A family of one sample without labels. */
static void put_counter(FILE *out, const char *name, const char *help,
			uint64_t v)
{
	put_family(out, name, "counter", help);
	fprintf(out, "%s %llu\n", name, (unsigned long long)v);
}

static void put_labels(FILE *out, const struct status_uplink *u)
{
	fputs("interface=\"", out);
	put_label_value(out, u->interface);
	fputs("\",gateway=\"", out);
	put_label_value(out, u->gateway_text);
	fputc('"', out);
}

/* A per-uplink family: its value for one uplink, and whether it exists. */
struct uplink_family {
	const char *name, *type, *help;
	double (*value)(const struct status_uplink *u);
	bool integer;
	enum { ALWAYS, COUNTED, TRAFFIC } when;
};

static double v_up(const struct status_uplink *u)
{
	return u->health.state == HEALTH_UP;
}

static double v_usable(const struct status_uplink *u)
{
	return u->usable;
}

static double v_sent(const struct status_uplink *u)
{
	return (double)u->health.sent;
}

static double v_lost(const struct status_uplink *u)
{
	return (double)u->health.lost;
}

static double v_rtt(const struct status_uplink *u)
{
	return health_rtt_ms(&u->health) / 1000.0;
}

static double v_loss(const struct status_uplink *u)
{
	return health_loss_pct(&u->health) / 100.0;
}

static double v_holddown(const struct status_uplink *u)
{
	return u->holddown_left_ms / 1000.0;
}

static double v_failures(const struct status_uplink *u)
{
	return u->health.failures;
}

static double v_connections(const struct status_uplink *u)
{
	return u->connections;
}

static double v_packets(const struct status_uplink *u)
{
	return (double)u->packets;
}

static double v_bytes(const struct status_uplink *u)
{
	return (double)u->bytes;
}

static const struct uplink_family families[] = {
	{ "ecmpd_uplink_up", "gauge",
	  "Whether the uplink is up (1) or not (0).", v_up, true, ALWAYS },
	{ "ecmpd_uplink_usable", "gauge",
	  "Whether new connections are balanced onto the uplink.", v_usable,
	  true, ALWAYS },
	{ "ecmpd_uplink_state", "gauge",
	  "The uplink's health state: 1 for the current one.", NULL, true,
	  ALWAYS },
	{ "ecmpd_probes_sent_total", "counter",
	  "Probes sent through the uplink.", v_sent, true, ALWAYS },
	{ "ecmpd_probes_lost_total", "counter",
	  "Probes through the uplink that got no answer in time.", v_lost, true,
	  ALWAYS },
	{ "ecmpd_uplink_rtt_seconds", "gauge",
	  "Mean round-trip time of the answered probes in the window.", v_rtt,
	  false, ALWAYS },
	{ "ecmpd_uplink_loss_ratio", "gauge",
	  "Share of the probes in the window that were lost (0..1).", v_loss,
	  false, ALWAYS },
	{ "ecmpd_uplink_holddown_seconds", "gauge",
	  "The hold-down a down uplink still has to pass before it returns "
	  "(0: none).",
	  v_holddown, false, ALWAYS },
	{ "ecmpd_uplink_down_cause", "gauge",
	  "Why a down uplink is down: 1 for the cause (losses or link).", NULL,
	  true, ALWAYS },
	{ "ecmpd_uplink_failures_total", "counter",
	  "Times the uplink went down.", v_failures, true, ALWAYS },
	{ "ecmpd_connections", "gauge",
	  "Conntrack entries pinned to the uplink.", v_connections, true,
	  COUNTED },
	{ "ecmpd_uplink_packets_total", "counter",
	  "Packets of the live connections pinned to the uplink, both "
	  "directions (needs nf_conntrack_acct=1).",
	  v_packets, true, TRAFFIC },
	{ "ecmpd_uplink_bytes_total", "counter",
	  "Bytes of the live connections pinned to the uplink, both "
	  "directions (needs nf_conntrack_acct=1).",
	  v_bytes, true, TRAFFIC },
};

/*
 * The pair (docs/ha.md): the role as an enum gauge (one sample per role,
 * 1 for the one in force), the config hash as an info metric, and a
 * mismatch with the other router's hash as a 0/1 gauge to alert on.
 */
static void put_role(FILE *out, const struct role_status *r)
{
	static const char *const roles[] = { "alone", "master", "backup",
					     "fault" };

	put_family(out, "ecmpd_role", "gauge",
		   "This router's VRRP role in a pair: 1 for the one in "
		   "force.");
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		fprintf(out, "ecmpd_role{role=\"%s\"} %d\n", roles[i],
			r->role && !strcmp(r->role, roles[i]));
	put_family(out, "ecmpd_config_info", "gauge",
		   "The hash of the config in force (ecmpd -n prints it).");
	fputs("ecmpd_config_info{hash=\"", out);
	put_label_value(out, r->hash ? r->hash : "");
	fputs("\"} 1\n", out);
	put_family(out, "ecmpd_config_mismatch", "gauge",
		   "1 when the other router's config hash was given and "
		   "differs.");
	fprintf(out, "ecmpd_config_mismatch %d\n", r->mismatch);
}

/* The health state family: one sample per state, 1 for the current. */
static void put_states(FILE *out, const struct status_uplink *u)
{
	static const enum health_state states[] = { HEALTH_UP, HEALTH_DOWN,
						    HEALTH_UNKNOWN };

	for (size_t k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
		fputs("ecmpd_uplink_state{", out);
		put_labels(out, u);
		fprintf(out, ",state=\"%s\"} %d\n",
			health_state_name(states[k]),
			u->health.state == states[k]);
	}
}

/* The down cause family: losses or link, 1 for the one in force. */
static void put_causes(FILE *out, const struct status_uplink *u)
{
	bool down = u->health.state == HEALTH_DOWN;
	bool link = u->health.cause == HEALTH_CAUSE_LINK_DOWN;

	fputs("ecmpd_uplink_down_cause{", out);
	put_labels(out, u);
	fprintf(out, ",cause=\"losses\"} %d\n", down && !link);
	fputs("ecmpd_uplink_down_cause{", out);
	put_labels(out, u);
	fprintf(out, ",cause=\"link\"} %d\n", down && link);
}

static void put_uplink_family(FILE *out, const struct status *s,
			      const struct uplink_family *f)
{
	put_family(out, f->name, f->type, f->help);
	if ((f->when == COUNTED && !s->counted) ||
	    (f->when == TRAFFIC && !s->traffic))
		return;
	for (size_t i = 0; i < s->n_uplinks; i++) {
		const struct status_uplink *u = &s->uplinks[i];
		double v;

		if (!f->value) {
			if (!strcmp(f->name, "ecmpd_uplink_state"))
				put_states(out, u);
			else
				put_causes(out, u);
			continue;
		}
		v = f->value(u);
		fprintf(out, "%s{", f->name);
		put_labels(out, u);
		if (f->integer)
			fprintf(out, "} %llu\n", (unsigned long long)v);
		else
			fprintf(out, "} %.9g\n", v);
	}
}

void metrics_write(FILE *out, const struct status *s)
{
	const struct status_counters *c = &s->counters;

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		put_uplink_family(out, s, &families[i]);
	put_counter(out, "ecmpd_state_changes_total",
		    "Gateway health state changes.", c->state_changes);
	put_counter(out, "ecmpd_failovers_total",
		    "Gateways taken out of the balance.", c->failovers);
	put_family(out, "ecmpd_reloads_total", "counter",
		   "Configuration reloads by result.");
	fprintf(out, "ecmpd_reloads_total{result=\"ok\"} %lu\n", c->reloads_ok);
	fprintf(out, "ecmpd_reloads_total{result=\"failed\"} %lu\n",
		c->reloads_failed);
	put_counter(
		out, "ecmpd_kernel_write_errors_total",
		"Kernel writes (routes, rules, nft, conntrack) that failed.",
		c->kernel_errors);
	put_counter(out, "ecmpd_connections_flushed_total",
		    "Connections deleted because their gateway went away.",
		    c->flushed);
	put_family(out, "ecmpd_loop_busy_max_seconds", "gauge",
		   "The longest the event loop spent on one wake-up's "
		   "callbacks.");
	fprintf(out, "ecmpd_loop_busy_max_seconds %.3f\n",
		(double)c->loop_busy_max_ms / 1000);
	put_family(out, "ecmpd_uptime_seconds", "gauge",
		   "Seconds since the daemon started.");
	fprintf(out, "ecmpd_uptime_seconds %.3f\n", s->uptime_s);
	put_role(out, &s->role);
}

/* ---- the HTTP listener ---- */

/* Room for the longest status line, the headers and a 20-digit length. */
#define HTTP_HEAD_MAX 256

struct metrics_server {
	struct stream_server *server;
	metrics_fill_fn fill;
	void *ctx;
	/* The last body rendered, and when (monotonic ms; 0: never). */
	char *body;
	size_t body_len;
	uint64_t body_at;
	unsigned long renders;
};

/*
 * Writes the metrics body to out: the cached copy while it is younger
 * than METRICS_CACHE_MS, else a fresh rendering, which becomes the copy.
 */
static void put_body(struct metrics_server *m, FILE *out)
{
	uint64_t now = now_ms();
	char *fresh = NULL;
	size_t len = 0;
	FILE *f;

	if (!m->body || now - m->body_at >= METRICS_CACHE_MS) {
		f = open_memstream(&fresh, &len);
		if (f) {
			m->fill(m->ctx, f);
			m->renders++;
			if (fclose(f) == 0) {
				free(m->body);
				m->body = fresh;
				m->body_len = len;
				m->body_at = now;
			} else {
				free(fresh);
			}
		}
	}
	if (m->body)
		fwrite(m->body, 1, m->body_len, out);
}

int metrics_parse_addr(const char *addr, struct sockaddr_storage *ss,
		       unsigned *len)
{
	char host[64];
	const char *colon, *h = addr;
	size_t hlen;
	char *end;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (addr[0] == '[') {
		const char *rb = strchr(addr, ']');

		if (!rb || rb[1] != ':')
			return -EINVAL;
		h = addr + 1;
		hlen = (size_t)(rb - h);
		colon = rb + 1;
	} else {
		colon = strrchr(addr, ':');
		if (!colon)
			return -EINVAL;
		hlen = (size_t)(colon - addr);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port < 1 || port > 65535)
		return -EINVAL;
	if (addr[0] != '[') {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -EINVAL;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -EINVAL;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
	}
	return 0;
}

/*
 * Answers the request head in (NUL-terminated): the metrics for GET and
 * HEAD of /metrics, a one-line body with the status otherwise. The body is
 * written first, so that its length can go into the head.
 */
static void metrics_answer(struct metrics_server *m, struct stream_client *cl,
			   const char *in)
{
	char method[16] = "", target[256] = "", head[HTTP_HEAD_MAX];
	const char *status = "200 OK";
	ssize_t len;
	FILE *body;

	if (sscanf(in, "%15s %255s", method, target) != 2)
		status = "400 Bad Request";
	else if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		status = "405 Method Not Allowed";
	else if (strcmp(target, "/metrics") && strncmp(target, "/metrics?", 9))
		status = "404 Not Found";

	body = stream_reply_begin(cl, HTTP_HEAD_MAX);
	if (!body)
		return;
	if (!strcmp(status, "200 OK"))
		put_body(m, body);
	else
		fprintf(body, "%s\n", status);
	len = stream_reply_end(cl, body);
	if (len < 0)
		return;
	snprintf(head, sizeof(head),
		 "HTTP/1.0 %s\r\n"
		 "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		 "Content-Length: %zu\r\n"
		 "Connection: close\r\n\r\n",
		 status, (size_t)len);
	stream_reply_send(cl, head, strcmp(method, "HEAD") != 0);
}

/* Waits for the blank line that ends the request head. */
static void metrics_input(void *ctx, struct stream_client *cl, char *in,
			  size_t len, size_t fresh)
{
	if (memmem(in, len, "\r\n\r\n", 4) || memmem(in, len, "\n\n", 2))
		metrics_answer(ctx, cl, in);
}

/*
 * A scraper that finds no slot, times out or sends a head too large gets
 * the connection closed: it retries at its next interval.
 */
static const struct stream_params metrics_params = {
	.name = "metrics",
	.input = metrics_input,
	.limits = { .clients = METRICS_MAX_CLIENTS,
		    .backlog = METRICS_MAX_CLIENTS,
		    .request_bytes = METRICS_REQUEST_MAX,
		    .request_ms = METRICS_HEAD_TIMEOUT_MS,
		    .progress_ms = METRICS_TIMEOUT_MS,
		    .per_peer = METRICS_MAX_PER_PEER,
		    .evict_ms = METRICS_EVICT_MS },
};

struct metrics_server *metrics_server_open(struct loop *loop, const char *addr,
					   metrics_fill_fn fill, void *ctx)
{
	struct sockaddr_storage ss;
	struct metrics_server *m;
	unsigned len = 0;
	int one = 1, fd, err;

	err = metrics_parse_addr(addr, &ss, &len);
	if (err) {
		errno = -err;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->fill = fill;
	m->ctx = ctx;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		err = -errno;
		goto out_free;
	}
	/* A restart must not wait for TIME_WAIT of the last scrape. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0) {
		err = -errno;
		goto out_close;
	}
	m->server = stream_server_open(loop, fd, &metrics_params, m);
	if (!m->server) {
		err = -errno;
		goto out_close;
	}
	return m;

out_close:
	close(fd);
out_free:
	free(m);
	errno = -err;
	return NULL;
}

void metrics_server_close(struct metrics_server *m)
{
	if (!m)
		return;
	stream_server_close(m->server);
	free(m->body);
	free(m);
}

uint64_t metrics_server_next_deadline(const struct metrics_server *m)
{
	return m ? stream_server_next_deadline(m->server) : 0;
}

void metrics_server_tick(struct metrics_server *m, uint64_t now)
{
	if (m)
		stream_server_tick(m->server, now);
}

unsigned long metrics_server_renders(const struct metrics_server *m)
{
	return m ? m->renders : 0;
}
