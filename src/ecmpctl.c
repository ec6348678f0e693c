// SPDX-License-Identifier: MIT
/*
 * ecmpctl.c - ask a running ecmpd for its status, or to reload.
 *
 * A thin front end to control_request(): it turns the command words into
 * one request line, sends it to the control socket and prints the body of
 * the answer, to stdout for "ok" and to stderr for "error". Knowing no
 * commands beyond the shortcuts below is deliberate: the daemon's handler
 * decides what it understands, so a new daemon command needs no new ecmpctl.
 *
 * Exit status: 0 ok, 1 the daemon answered "error" (or stdout failed),
 * 2 the daemon could not be reached or answered nonsense, 64 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/client.h"

#define EXIT_ERROR_ANSWER 1
#define EXIT_UNREACHABLE 2
#define EXIT_USAGE 64
/* Long enough for a reload that re-plans everything. */
#define DEFAULT_TIMEOUT_MS 10000

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ecmpctl [-s SOCKET] [-j] [-t TIMEOUT_MS] COMMAND...\n"
		"\n"
		"commands:\n"
		"  status     show the uplinks and their state (-j: as JSON)\n"
		"  reload     re-read the configuration and apply it\n"
		"  metrics    the metrics in the Prometheus text format\n"
		"  print /ip route | /ip firewall mangle | /ip firewall nat\n"
		"             RouterOS-style listings with live state\n"
		"  role master|backup|fault\n"
		"             a pair's VRRP role, from keepalived's notify script\n"
		"  check      exit 0 with a usable uplink, 1 without (track_script)\n"
		"  hash       the config hash; peer-hash HASH: the other router's\n"
		"  WORDS...   anything else is sent to ecmpd as one line\n"
		"\n"
		"options:\n"
		"  -s SOCKET      control socket (default %s)\n"
		"  -j             JSON output (status, print)\n"
		"  -t TIMEOUT_MS  give up after this long (default %d, 0: never)\n"
		"  -h             show this help\n"
		"\n"
		"exit status: 0 ok, 1 ecmpd answered with an error,\n"
		"2 ecmpd could not be reached, 64 usage error\n",
		CONTROL_DEFAULT_PATH, DEFAULT_TIMEOUT_MS);
}

/* Parses a non-negative int; false if arg is anything else. */
static bool parse_timeout(const char *arg, int *ms)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > INT_MAX)
		return false;
	*ms = (int)v;
	return true;
}

/* The command words joined by spaces; NULL with errno on failure. */
static char *join_words(int argc, char **argv)
{
	size_t len = 0, off = 0;
	char *line;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	line = malloc(len + 1);
	if (!line)
		return NULL;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (i)
			line[off++] = ' ';
		memcpy(line + off, argv[i], n);
		off += n;
	}
	line[off] = '\0';
	return line;
}

/* Prints body on f, ending it with a newline. Returns 0 or -errno. */
static int print_body(FILE *f, const char *body)
{
	size_t len = strlen(body);

	fputs(body, f);
	if (len && body[len - 1] != '\n')
		fputc('\n', f);
	if (fflush(f) != 0 || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = CONTROL_DEFAULT_PATH;
	int timeout_ms = DEFAULT_TIMEOUT_MS;
	bool json = false, ok = false;
	char *request, *body = NULL;
	int opt, err;

	while ((opt = getopt(argc, argv, "+s:jt:h")) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 't':
			if (!parse_timeout(optarg, &timeout_ms)) {
				fprintf(stderr,
					"ecmpctl: bad timeout \"%s\": want "
					"milliseconds\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* -j: the daemon's answer as JSON, asked for with a last "json". */
	if (json) {
		char *words = join_words(argc, argv);

		request = NULL;
		if (words && asprintf(&request, "%s json", words) < 0)
			request = NULL;
		free(words);
	} else {
		request = join_words(argc, argv);
	}
	if (!request) {
		perror("ecmpctl");
		return EXIT_UNREACHABLE;
	}

	err = control_request(path, request, timeout_ms, &ok, &body);
	free(request);
	switch (-err) {
	case 0:
		break;
	case EINVAL:
		fprintf(stderr,
			"ecmpctl: a command cannot contain a newline\n");
		return EXIT_USAGE;
	case EPROTO:
	case EMSGSIZE:
		fprintf(stderr, "ecmpctl: bad answer from ecmpd at %s: %s\n",
			path, strerror(-err));
		return EXIT_UNREACHABLE;
	default:
		fprintf(stderr, "ecmpctl: cannot reach ecmpd at %s: %s\n", path,
			strerror(-err));
		return EXIT_UNREACHABLE;
	}

	err = print_body(ok ? stdout : stderr, body);
	free(body);
	if (err) {
		fprintf(stderr, "ecmpctl: cannot write the answer: %s\n",
			strerror(-err));
		return EXIT_ERROR_ANSWER;
	}
	return ok ? 0 : EXIT_ERROR_ANSWER;
}
