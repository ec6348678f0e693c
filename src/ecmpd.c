// SPDX-License-Identifier: MIT
/*
 * ecmpd.c - the daemon's command line.
 *
 *   ecmpd -n [-v] [--strict] [--ha] -f FILE check; print the config hash
 *                                          (with -v: the canonical text)
 *   ecmpd -n --explain -f FILE              what each line became
 *   ecmpd --plan -f FILE [--down GW]... [--address IF=A/LEN]...
 *                                           print the desired kernel state
 *   ecmpd -f FILE [-s SOCKET]               run in the foreground
 *
 * The checking and planning modes touch nothing in the kernel and need no
 * privileges: they are the config compiler. Interface maps (--map
 * wlan1=eth1) are the one place where the script's names and the box's
 * names may differ.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "daemon/daemon.h"
#include "daemon/hooks.h"
#include "daemon/role.h"
#include "base/log.h"
#include "config/parser.h"
#include "plan/explain.h"
#include "plan/plan.h"

#define MAX_ARGS 64

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ecmpd [-n] [-v] [--strict] [--ha] [--map RSC=LINUX]... -f FILE\n"
		"       ecmpd -n --explain [--map RSC=LINUX]... -f FILE\n"
		"       ecmpd --plan [--down GATEWAY]... [--address IF=A/LEN]...\n"
		"                    [--map RSC=LINUX]... -f FILE\n"
		"       ecmpd -f FILE [-s SOCKET] [-v]\n"
		"\n"
		"  -f, --file FILE     the RouterOS script (.rsc) to run\n"
		"  -n, --check         check the config, print its hash and exit\n"
		"                      (with -v: print it in canonical form)\n"
		"      --ha            one of a pair of routers (docs/ha.md): with\n"
		"                      -n, warn about masquerade (loses connections\n"
		"                      in a failover) and /ip address (on both\n"
		"                      routers); running, start as backup and\n"
		"                      flush no connection until told master\n"
		"      --on-master CMD with --ha: shell command run on becoming\n"
		"                      master, before the flush (default: %s)\n"
		"      --on-backup CMD with --ha: on becoming backup (default: %s)\n"
		"      --strict        treat warnings as errors\n"
		"      --explain       with -n: print what each line of the\n"
		"                      config became (kernel objects, a check,\n"
		"                      or skipped and why)\n"
		"      --plan          print the kernel state the config asks for\n"
		"      --down GATEWAY  with --plan: consider GATEWAY dead\n"
		"                      (10.111.0.1, 10.111.0.1%%wlan1 or wlan1)\n"
		"      --address IF=A/LEN  with --plan: the kernel has network\n"
		"                      A/LEN on Linux interface IF (a DHCP lease;\n"
		"                      a PPP link: its peer, IF=PEER/32)\n"
		"      --map RSC=LINUX the script's interface RSC is Linux's LINUX\n"
		"  -s, --socket PATH   control socket (default %s)\n"
		"  -v, --verbose       more output\n"
		"      --hooks-dir DIR run the executables in DIR on gateway\n"
		"                      changes and reloads (default %s)\n"
		"      --hook-timeout MS  kill a hook after MS ms (default %d)\n"
		"      --metrics-listen ADDR:PORT  serve /metrics over HTTP\n"
		"      --dhcp=ecmpd|external  start a dhclient per /ip\n"
		"                      dhcp-client (default), or start none and\n"
		"                      follow the box's own client\n"
		"      --pppoe=ecmpd|external  the same for pppoe-client (pppd\n"
		"                      is not started yet: external either way)\n"
		"      --dhclient PATH the DHCP client (default $ECMPD_DHCLIENT\n"
		"                      or %s); its hook: $ECMPD_DHCLIENT_HOOK\n"
		"                      or %s\n",
		ROLE_MASTER_COMMAND, ROLE_BACKUP_COMMAND, DAEMON_DEFAULT_SOCKET,
		HOOKS_DEFAULT_DIR, HOOKS_DEFAULT_TIMEOUT_MS,
		CLIENTS_DEFAULT_DHCLIENT, CLIENTS_DEFAULT_DHCLIENT_HOOK);
}

/* Parses "10.111.0.1", "10.111.0.1%wlan1" or "wlan1" into a dead entry. */
static int parse_dead(const char *spec, struct plan_dead *dead)
{
	char buf[CONFIG_NAME_MAX];
	char *pct;
	struct in_addr a;

	memset(dead, 0, sizeof(*dead));
	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, spec);
	pct = strchr(buf, '%');
	if (pct)
		*pct++ = '\0';
	if (inet_pton(AF_INET, buf, &a) == 1) {
		dead->has_gateway = true;
		dead->gateway = ntohl(a.s_addr);
		if (pct && strlen(pct) < sizeof(dead->interface))
			strcpy(dead->interface, pct);
		else if (pct)
			return -EINVAL;
		return 0;
	}
	if (pct || strlen(buf) >= sizeof(dead->interface) || !buf[0])
		return -EINVAL;
	strcpy(dead->interface, buf);
	return 0;
}

/* Parses "ether1=192.168.1.10/24" into a connected network. */
static int parse_connected(const char *spec, struct plan_connected *c)
{
	const char *eq = strchr(spec, '=');
	char buf[INET_ADDRSTRLEN + 4], *slash, *end;
	struct in_addr a;
	unsigned long len;

	memset(c, 0, sizeof(*c));
	if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof(c->interface) ||
	    strlen(eq + 1) >= sizeof(buf))
		return -EINVAL;
	memcpy(c->interface, spec, (size_t)(eq - spec));
	strcpy(buf, eq + 1);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash++ = '\0';
	errno = 0;
	len = strtoul(slash, &end, 10);
	if (errno || end == slash || *end || len > 32 ||
	    inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	c->network = ntohl(a.s_addr);
	c->len = (uint8_t)len;
	return 0;
}

static int print_plan(const struct config *cfg, const struct plan_input *in,
		      const char *explain_file)
{
	struct plan *p = plan_build(cfg, in);
	size_t len;
	char *text;

	if (!p) {
		fprintf(stderr, "ecmpd: cannot build the plan: %s\n",
			strerror(errno));
		return 1;
	}
	if (!explain_file) {
		plan_print(p, stdout);
		plan_free(p);
		return 0;
	}
	text = config_read_text(explain_file, &len);
	if (!text) {
		fprintf(stderr, "%s: %s\n", explain_file, strerror(errno));
		plan_free(p);
		return 1;
	}
	plan_explain(cfg, p, text, len, stdout);
	free(text);
	plan_free(p);
	return 0;
}

/* `ecmpd -n`: the hash the two routers of a pair compare (docs/ha.md). */
static int print_hash(const struct config *cfg)
{
	char hash[CONFIG_HASH_LEN + 1];

	if (config_hash(cfg, hash) < 0) {
		fprintf(stderr, "ecmpd: cannot hash the config: %s\n",
			strerror(errno));
		return 1;
	}
	printf("config hash %s\n", hash);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "socket", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "strict", no_argument, NULL, 'S' },
		{ "plan", no_argument, NULL, 'P' },
		{ "down", required_argument, NULL, 'D' },
		{ "map", required_argument, NULL, 'M' },
		{ "hooks-dir", required_argument, NULL, 'H' },
		{ "hook-timeout", required_argument, NULL, 'T' },
		{ "metrics-listen", required_argument, NULL, 'L' },
		{ "explain", no_argument, NULL, 'E' },
		{ "ha", no_argument, NULL, 'A' },
		{ "on-master", required_argument, NULL, 'm' },
		{ "on-backup", required_argument, NULL, 'b' },
		{ "address", required_argument, NULL, 'a' },
		{ "dhcp", required_argument, NULL, 'C' },
		{ "pppoe", required_argument, NULL, 'O' },
		{ "dhclient", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *socket_path = DAEMON_DEFAULT_SOCKET;
	const char *hooks_dir = NULL, *metrics_listen = NULL;
	const char *on_master = NULL, *on_backup = NULL;
	unsigned long hook_timeout = 0;
	char *end;
	const char *maps[MAX_ARGS];
	struct plan_dead dead[MAX_ARGS];
	struct plan_connected connected[MAX_ARGS];
	size_t n_maps = 0, n_dead = 0, n_connected = 0;
	bool check = false, verbose = false, strict = false, plan = false;
	bool explain = false, ha = false;
	struct clients_options clients = { 0 };
	struct config *cfg;
	int opt, errors, rc;

	while ((opt = getopt_long(argc, argv, "f:ns:vh", longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'f':
			file = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 's':
			socket_path = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'S':
			strict = true;
			break;
		case 'P':
			plan = true;
			break;
		case 'D':
			if (n_dead == MAX_ARGS ||
			    parse_dead(optarg, &dead[n_dead]) < 0) {
				fprintf(stderr,
					"ecmpd: --down %s: expected a gateway "
					"address, address%%interface or an "
					"interface name\n",
					optarg);
				return 2;
			}
			n_dead++;
			break;
		case 'a':
			if (n_connected == MAX_ARGS ||
			    parse_connected(optarg, &connected[n_connected]) <
				    0) {
				fprintf(stderr,
					"ecmpd: --address %s: expected "
					"INTERFACE=ADDRESS/LENGTH\n",
					optarg);
				return 2;
			}
			n_connected++;
			break;
		case 'M':
			if (n_maps == MAX_ARGS) {
				fprintf(stderr, "ecmpd: too many --map\n");
				return 2;
			}
			maps[n_maps++] = optarg;
			break;
		case 'H':
			hooks_dir = optarg;
			break;
		case 'T':
			errno = 0;
			hook_timeout = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || !hook_timeout ||
			    hook_timeout > 3600000) {
				fprintf(stderr,
					"ecmpd: --hook-timeout %s: expected "
					"milliseconds, 1..3600000\n",
					optarg);
				return 2;
			}
			break;
		case 'L':
			metrics_listen = optarg;
			break;
		case 'E':
			explain = true;
			break;
		case 'A':
			ha = true;
			break;
		case 'm':
			on_master = optarg;
			break;
		case 'b':
			on_backup = optarg;
			break;
		case 'C':
		case 'O':
			if (strcmp(optarg, "ecmpd") &&
			    strcmp(optarg, "external")) {
				fprintf(stderr,
					"ecmpd: --%s %s: expected ecmpd or "
					"external\n",
					opt == 'C' ? "dhcp" : "pppoe", optarg);
				return 2;
			}
			*(opt == 'C' ? &clients.dhcp_external :
				       &clients.pppoe_external) =
				!strcmp(optarg, "external");
			break;
		case 'c':
			clients.dhclient = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!file || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (explain && (!check || plan)) {
		fprintf(stderr, "ecmpd: --explain goes with -n\n");
		return 2;
	}
	if ((n_dead || n_connected) && !plan) {
		fprintf(stderr, "ecmpd: --down and --address go with --plan\n");
		return 2;
	}
	log_init(verbose && !check && !plan);

	if (!check && !plan) {
		struct daemon_options dopt = {
			.config_path = file,
			.socket_path = socket_path,
			.maps = maps,
			.n_maps = n_maps,
			.strict = strict,
			.hooks_dir = hooks_dir,
			.hook_timeout_ms = (unsigned)hook_timeout,
			.metrics_listen = metrics_listen,
			.ha = ha,
			.on_master = on_master,
			.on_backup = on_backup,
			.clients = clients,
		};

		return daemon_run(&dopt);
	}

	cfg = config_load(file, maps, n_maps, strict, stderr, &errors);
	if (!cfg)
		return 1;
	rc = 0;
	if (check && ha && config_check_ha(cfg, file, strict, stderr) != 0)
		rc = 1;
	if (check && verbose)
		config_print(cfg, stdout);
	else if (check && !explain && !plan)
		rc = print_hash(cfg) || rc;
	if (plan || explain) {
		struct plan_input in = {
			.dead = dead,
			.n_dead = n_dead,
			.connected = connected,
			.n_connected = n_connected,
		};

		rc = print_plan(cfg, &in, explain ? file : NULL);
	}
	config_free(cfg);
	return rc;
}
