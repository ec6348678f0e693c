// SPDX-License-Identifier: MIT
/*
 * state.c - the state file: one line per thing to undo,
 *
 *   address IFNAME ADDR LEN BROADCAST
 *   sysctl KEY VALUE
 *
 * written to a temporary file and renamed over the old one, so a crash
 * never leaves half a file. The in-memory lists are the truth while the
 * daemon runs; the file is their copy for the next run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/ipv4.h"
#include "base/log.h"
#include "daemon/state.h"

void state_init(struct state *s, const char *socket_path)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s.state", socket_path);
}

void state_free(struct state *s)
{
	free(s->added);
	free(s->saved);
	s->added = NULL;
	s->saved = NULL;
	s->n_added = s->n_saved = 0;
}

void state_write(const struct state *s)
{
	char tmp[PATH_MAX + 8];
	char a[IPV4_STR_MAX], b[IPV4_STR_MAX];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", s->path);
	f = fopen(tmp, "w");
	if (!f) {
		log_warn("cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	for (size_t i = 0; i < s->n_added; i++) {
		const struct plan_address *pa = &s->added[i];

		fprintf(f, "address %s %s %u %s\n", pa->interface,
			ipv4_str(pa->addr, a), pa->len,
			ipv4_str(pa->broadcast, b));
	}
	for (size_t i = 0; i < s->n_saved; i++)
		fprintf(f, "sysctl %s %s\n", s->saved[i].key,
			s->saved[i].value);
	if (fclose(f) != 0 || rename(tmp, s->path) != 0)
		log_warn("cannot write %s: %s", s->path, strerror(errno));
}

void state_remove(const struct state *s)
{
	unlink(s->path);
}

int state_add_address(struct state *s, const struct plan_address *pa)
{
	struct plan_address *n;

	for (size_t i = 0; i < s->n_added; i++)
		if (!strcmp(s->added[i].interface, pa->interface) &&
		    s->added[i].addr == pa->addr && s->added[i].len == pa->len)
			return 0;
	n = realloc(s->added, (s->n_added + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	s->added = n;
	s->added[s->n_added++] = *pa;
	return 0;
}

bool state_has_sysctl(const struct state *s, const char *key)
{
	for (size_t i = 0; i < s->n_saved; i++)
		if (!strcmp(s->saved[i].key, key))
			return true;
	return false;
}

int state_save_sysctl(struct state *s, const char *key, const char *value)
{
	struct saved_sysctl *n =
		realloc(s->saved, (s->n_saved + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	s->saved = n;
	memset(&s->saved[s->n_saved], 0, sizeof(*n));
	snprintf(s->saved[s->n_saved].key, sizeof(n->key), "%s", key);
	snprintf(s->saved[s->n_saved].value, sizeof(n->value), "%s", value);
	s->n_saved++;
	return 0;
}

/* Parses "address IFNAME ADDR LEN BROADCAST"; false when malformed. */
static bool parse_address(const char *line, struct plan_address *pa)
{
	char ifname[96], addr[96], bcast[96];
	unsigned len;
	struct in_addr a, b;

	if (sscanf(line, "address %95s %95s %u %95s", ifname, addr, &len,
		   bcast) != 4 ||
	    strlen(ifname) >= sizeof(pa->interface) ||
	    inet_pton(AF_INET, addr, &a) != 1 ||
	    inet_pton(AF_INET, bcast, &b) != 1 || len > 32)
		return false;
	memset(pa, 0, sizeof(*pa));
	strcpy(pa->interface, ifname);
	pa->addr = ntohl(a.s_addr);
	pa->len = (uint8_t)len;
	pa->broadcast = ntohl(b.s_addr);
	return true;
}

void state_read(struct state *s)
{
	char line[256];
	FILE *f = fopen(s->path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char key[96], value[96];
		struct plan_address pa;

		if (parse_address(line, &pa)) {
			if (state_add_address(s, &pa) < 0)
				break;
		} else if (sscanf(line, "sysctl %95s %95s", key, value) == 2) {
			if (state_save_sysctl(s, key, value) < 0)
				break;
		}
	}
	fclose(f);
	if (s->n_added || s->n_saved)
		log_info("adopted state of a previous run: %zu addresses, "
			 "%zu sysctls to restore at stop",
			 s->n_added, s->n_saved);
}
