/* SPDX-License-Identifier: MIT */
/*
 * clients.h - the DHCP clients ecmpd starts and supervises: one ISC
 * dhclient per enabled /ip dhcp-client entry, restarted with back-off when
 * it exits, stopped (with its process tree) on exit and when its entry
 * leaves the config (docs/design.md "Uplinks with dynamic addresses").
 */
#ifndef ECMPD_CLIENTS_H
#define ECMPD_CLIENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct config;
struct loop;

#define CLIENTS_DEFAULT_DHCLIENT "/sbin/dhclient"
#ifndef ECMPD_LIBEXECDIR
#define ECMPD_LIBEXECDIR "/usr/libexec"
#endif
#define CLIENTS_DEFAULT_DHCLIENT_HOOK ECMPD_LIBEXECDIR "/ecmpd/dhclient-hook"

/* The first restart waits this long, each next one twice as long... */
#define CLIENT_BACKOFF_MIN_MS 1000u
/* ...up to this. */
#define CLIENT_BACKOFF_MAX_MS 60000u
/* A client that ran this long before it exited starts over at the minimum. */
#define CLIENT_STABLE_MS 60000u

/* ---- pure decisions (unit-tested) ---- */

/* The wait before restart number failures (1: the first), in ms. */
uint64_t client_backoff_ms(unsigned failures);

/*
 * The failure count after a client that ran ran_ms exited: one more, or 1
 * when it had run CLIENT_STABLE_MS (a lease held for a while is not a
 * crash loop).
 */
unsigned client_failures_after(unsigned failures, uint64_t ran_ms);

/*
 * dhclient's argv for Linux interface ifname, files under dir, as a
 * NULL-terminated malloc'd array of malloc'd strings (clients_argv_free()),
 * or NULL with errno: dhclient -d -q -sf HOOK -pf DIR/dhclient-IF.pid
 * -lf DIR/dhclient-IF.leases IF.
 */
char **client_dhclient_argv(const char *dhclient, const char *hook,
			    const char *dir, const char *ifname);
void clients_argv_free(char **argv);

/*
 * pppd's options for a PPPoE client (not started yet: the builders are
 * ready for the supervisor). The whole configuration, credentials
 * included, goes in an options file, never on argv: pppd's argv is
 * pppd file PATH.
 *
 * The file's text for client c on Linux ethernet ifname (the PPP link is
 * named c->name): the rp-pppoe plugin, ifname, user and password quoted,
 * nodefaultroute (the default route is the config's), noipdefault,
 * nodetach (so it stays ecmpd's child), hide-password, usepeerdns with
 * use-peer-dns. malloc'd, or NULL with errno (EINVAL: a control character
 * or a name pppd cannot take).
 */
struct pppoe_client;
char *client_pppd_options(const struct pppoe_client *c, const char *ifname);
/* pppd's argv: { pppd, "file", options_path, NULL } (clients_argv_free). */
char **client_pppd_argv(const char *pppd, const char *options_path);
/*
 * Writes text to path, mode 0600 (also when it existed with another
 * mode), not through a symlink. 0 or -errno.
 */
int client_write_secret_file(const char *path, const char *text);

/* ---- the supervisor ---- */

struct clients_options {
	bool dhcp_external; /* --dhcp=external: start nothing */
	bool pppoe_external; /* --pppoe=external */
	const char *dhclient; /* NULL: $ECMPD_DHCLIENT or the default */
	const char *dhclient_hook; /* NULL: $ECMPD_DHCLIENT_HOOK or default */
};

enum client_state {
	CLIENT_RUNNING,
	CLIENT_RESTARTING, /* exited; started again at restart_at */
};

/* One supervised client, as status shows it. */
struct client_view {
	const char *kind; /* "dhcp" */
	const char *ifname;
	enum client_state state;
	pid_t pid; /* 0 while restarting */
	unsigned failures;
	uint64_t restart_at; /* monotonic ms, while restarting */
};

struct clients;

/*
 * A supervisor whose files go under runtime_dir/netns-INODE, this network
 * namespace's own (made 0700 if missing). NULL with errno. Starts nothing
 * before clients_sync().
 */
struct clients *clients_new(struct loop *loop,
			    const struct clients_options *opt,
			    const char *runtime_dir);

/*
 * Checks that the programs cfg's clients need are there (executable);
 * -1 with each missing one named on out, before anything is applied.
 */
int clients_check(const struct clients_options *opt, const struct config *cfg,
		  const char *config_path, FILE *out);

/*
 * Starts the clients cfg has and this does not, and stops the ones cfg
 * no longer has.
 */
void clients_sync(struct clients *c, const struct config *cfg, uint64_t now);

/* The next restart or poll, 0: none. */
uint64_t clients_next_deadline(const struct clients *c);

/* Restarts the clients whose back-off ran out; notes the ones that ended. */
void clients_tick(struct clients *c, uint64_t now);

/* How many clients; client i as status shows it. */
size_t clients_count(const struct clients *c);
void clients_view(const struct clients *c, size_t i, struct client_view *v);

/* Stops every client and its process tree, and frees c. */
void clients_free(struct clients *c);

#endif
