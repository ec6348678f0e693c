// SPDX-License-Identifier: MIT
/*
 * services.c - what the daemon offers outside its loop: the answers to
 * control requests (status, reload, metrics, print, the pair's role
 * requests), the metrics listener, the hooks, and the instance lock that
 * guards the kernel state of this network namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "daemon/control.h"
#include "daemon/hooks.h"
#include "daemon/internal.h"
#include "daemon/metrics.h"
#include "daemon/print.h"

/* A status snapshot with the pair's part. */
static int take_status(struct daemon *d, struct status *s)
{
	uint64_t now = now_ms();

	if (status_take(s, d->opt->config_path, d->uplinks, d->n_uplinks,
			&d->counters, d->started_ms, now) < 0)
		return -1;
	role_status_take(&d->role, &s->role, now);
	s->n_clients = 0;
	s->clients = calloc(clients_count(d->clients) + 1, sizeof(*s->clients));
	for (size_t i = 0; s->clients && i < clients_count(d->clients); i++) {
		struct status_client *sc = &s->clients[s->n_clients++];
		struct client_view v;

		clients_view(d->clients, i, &v);
		sc->kind = v.kind;
		snprintf(sc->interface, sizeof(sc->interface), "%s", v.ifname);
		sc->running = v.state == CLIENT_RUNNING;
		sc->pid = (int)v.pid;
		sc->failures = v.failures;
		if (!sc->running && v.restart_at > now)
			sc->restart_in_s =
				(double)(v.restart_at - now) / 1000.0;
	}
	return 0;
}

/* The metrics body, for `ecmpctl metrics` and the HTTP listener. */
static void metrics_fill(void *ctx, FILE *out)
{
	struct daemon *d = ctx;
	struct status s;

	if (take_status(d, &s) < 0)
		return;
	metrics_write(out, &s);
	status_free(&s);
	netwatches_metrics(out, &d->netwatches);
}

static int on_request(void *ctx, const char *request, FILE *reply)
{
	struct daemon *d = ctx;
	struct status s;
	int rc;

	rc = role_request(&d->role, request, reply,
			  &(struct role_env){ d->uplinks, d->n_uplinks,
					      d->hooks, d->opt->config_path,
					      daemon_flush_uplink, d });
	if (rc >= 0)
		return rc;
	rc = 0;
	if (!strcmp(request, "reload")) {
		if (daemon_reload(d, reply) < 0)
			return 1;
		fprintf(reply, "reloaded %s\n", d->opt->config_path);
		return 0;
	}
	if (take_status(d, &s) < 0) {
		fprintf(reply, "out of memory\n");
		return 1;
	}
	if (!strcmp(request, "metrics")) {
		metrics_write(reply, &s);
		netwatches_metrics(reply, &d->netwatches);
	} else if (!strncmp(request, "print", 5) &&
		   (request[5] == ' ' || request[5] == '\0')) {
		struct print_context pc = {
			.cfg = d->cfg,
			.plan = d->plan,
			.status = &s,
			.fw = d->fw,
		};

		rc = print_request(reply, request + 5, &pc) ? 1 : 0;
	} else if (!strcmp(request, "status")) {
		status_text(reply, &s);
		netwatches_status(reply, &d->netwatches);
	} else if (!strcmp(request, "status json")) {
		s.netwatches = &d->netwatches;
		status_json(reply, &s);
	} else {
		fprintf(reply,
			"unknown request \"%.64s\" (try status, status json, "
			"reload, metrics, print /ip route, role, check, "
			"hash, peer-hash)\n",
			request);
		rc = 1;
	}
	status_free(&s);
	return rc;
}

int daemon_open_services(struct daemon *d)
{
	const struct daemon_options *opt = d->opt;

	d->ctl = control_open(d->loop, opt->socket_path, on_request, d);
	if (!d->ctl && errno == EADDRINUSE) {
		log_error("another ecmpd answers on the control socket %s; "
			  "not starting",
			  opt->socket_path);
		return -1;
	}
	if (!d->ctl) {
		log_error("opening the control socket %s: %s", opt->socket_path,
			  strerror(errno));
		return -1;
	}
	d->hooks = hooks_new(
		d->loop, opt->hooks_dir ? opt->hooks_dir : HOOKS_DEFAULT_DIR,
		opt->hook_timeout_ms);
	if (!d->hooks) {
		log_error("setting up hooks: %s", strerror(errno));
		return -1;
	}
	if (opt->metrics_listen) {
		d->metrics = metrics_server_open(d->loop, opt->metrics_listen,
						 metrics_fill, d);
		if (!d->metrics) {
			log_error("metrics listener on %s: %s",
				  opt->metrics_listen, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * The instance lock (state.h): without it, nothing here may read the
 * state file or touch the kernel, which belong to the ecmpd that holds it.
 */
int daemon_lock_instance(struct daemon *d)
{
	pid_t holder;
	int err = state_lock(&d->state, DAEMON_RUNTIME_DIR, &holder);

	if (err == -EAGAIN && holder)
		log_error("another ecmpd (pid %d) runs in this network "
			  "namespace (it holds %s); not starting: it owns the "
			  "routes, rules and nft table here",
			  (int)holder, d->state.lock_path);
	else if (err == -EAGAIN)
		log_error("another ecmpd runs in this network namespace (it "
			  "holds %s); not starting",
			  d->state.lock_path);
	else if (err)
		log_error("taking the instance lock in %s: %s",
			  DAEMON_RUNTIME_DIR, strerror(-err));
	return err;
}
