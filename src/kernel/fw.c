// SPDX-License-Identifier: MIT
/*
 * fw.c - ecmpd's nft table through libnftables.
 *
 * The table is never edited rule by rule: every change is one buffer
 * "table ip ecmpd / delete table ip ecmpd / table ip ecmpd { ... }" given
 * to one nft_run_cmd_from_buffer() call, which libnftables sends as one
 * kernel transaction (kernel-facts 5). The empty "table" line makes the
 * delete valid when the table doesn't exist yet (1.0.6 has no "destroy"),
 * and if anything in the new ruleset is refused, the kernel aborts the
 * whole batch: the old table stays as it was, never half replaced.
 * Output and errors are buffered so nothing reaches stdout; on failure the
 * whole error buffer is logged, since 1.0.6's caret positions can point at
 * the wrong line of a batch, and handed to the caller in its
 * struct kernel_error.
 *
 * The counters the ruleset declares by name ("counter mangle_4 { }") are
 * read back with "list counters table ip ecmpd" in nft's own text: one
 * "counter NAME {" line and one "packets P bytes B" line each. The text
 * rather than the JSON output, because 1.0.6's JSON prints a counter past
 * 2^63 as a negative number.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/log.h"
#include "kernel/error.h"
#include "kernel/fw.h"
#include "plan/plan.h"

#define FW_TABLE PLAN_NFT_FAMILY " " PLAN_NFT_TABLE

/*
 * A libnftables context holds caches worth more than a megabyte of heap;
 * ecmpd changes its table rarely (start, failover, reload), so each call
 * makes a context and frees it, and the daemon stays small in between.
 */
struct fw {
	struct nft_ctx *nft; /* only during a call */
};

struct fw *fw_open(void)
{
	return calloc(1, sizeof(struct fw));
}

void fw_close(struct fw *fw)
{
	free(fw);
}

static int ctx_open(struct fw *fw)
{
	fw->nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!fw->nft)
		return -ENOMEM;
	if (nft_ctx_buffer_output(fw->nft) || nft_ctx_buffer_error(fw->nft)) {
		nft_ctx_free(fw->nft);
		fw->nft = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void ctx_close(struct fw *fw)
{
	nft_ctx_free(fw->nft);
	fw->nft = NULL;
	/* glibc keeps freed heap otherwise: give the context's back. */
	malloc_trim(0);
}

/*
 * Logs libnftables' error text errs line by line, each prefixed with what
 * we did, and keeps it in why.
 */
static void log_refusal(const char *what, const char *errs,
			struct kernel_error *why)
{
	const char *line = errs;

	kernel_error_set(why, "%s: %s", what, errs && *errs ? errs : "refused");
	if (!errs || !*errs) {
		log_error("%s: refused (libnftables gave no text)", what);
		return;
	}
	log_error("%s: refused:", what);
	while (*line) {
		const char *end = strchr(line, '\n');
		int len = end ? (int)(end - line) : (int)strlen(line);

		log_error("  %.*s", len, line);
		if (!end)
			break;
		line = end + 1;
	}
}

/* Opens the context for what: a failure is logged and kept in why. */
static int open_for(struct fw *fw, const char *what, struct kernel_error *why)
{
	int err = ctx_open(fw);

	if (err) {
		log_error("%s: cannot create a libnftables context", what);
		kernel_error_set(why, "%s: cannot create a libnftables context",
				 what);
	}
	return err;
}

/*
 * Runs buf as one transaction, in a context of its own. quiet: a refusal
 * is only returned.
 */
static int run(struct fw *fw, const char *buf, const char *what, bool quiet,
	       bool dry, struct kernel_error *why)
{
	int err;

	kernel_error_clear(why);
	err = open_for(fw, what, why);
	if (err)
		return err;
	nft_ctx_set_dry_run(fw->nft, dry);
	if (nft_run_cmd_from_buffer(fw->nft, buf) != 0) {
		if (!quiet)
			log_refusal(what, nft_ctx_get_error_buffer(fw->nft),
				    why);
		err = -EINVAL;
	}
	ctx_close(fw);
	return err;
}

static int replace(struct fw *fw, const char *ruleset, bool dry,
		   struct kernel_error *why)
{
	static const char head[] = "table " FW_TABLE "\n"
				   "delete table " FW_TABLE "\n";
	size_t len = strlen(ruleset);
	char *buf;
	int err;

	kernel_error_clear(why);
	buf = malloc(sizeof(head) + len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, head, sizeof(head) - 1);
	memcpy(buf + sizeof(head) - 1, ruleset, len);
	buf[sizeof(head) - 1 + len] = '\n';
	buf[sizeof(head) + len] = '\0';
	err = run(fw, buf,
		  dry ? "checking nft table " FW_TABLE :
			"replacing nft table " FW_TABLE,
		  false, dry, why);
	free(buf);
	return err;
}

int fw_apply(struct fw *fw, const char *ruleset, struct kernel_error *why)
{
	return replace(fw, ruleset, false, why);
}

int fw_check(struct fw *fw, const char *ruleset, struct kernel_error *why)
{
	return replace(fw, ruleset, true, why);
}

int fw_remove(struct fw *fw, struct kernel_error *why)
{
	/* Same trick as replace(): never fails for a missing table. */
	return run(fw,
		   "table " FW_TABLE "\n"
		   "delete table " FW_TABLE "\n",
		   "deleting nft table " FW_TABLE, false, false, why);
}

bool fw_present(struct fw *fw)
{
	/* "list table" of a missing table fails with ENOENT. */
	return run(fw, "list table " FW_TABLE "\n", "", true, false, NULL) == 0;
}

/* Adds a counter named name[0..len) to *out; NULL on -ENOMEM. */
static struct fw_counter *counter_push(struct fw_counter **out, size_t *n,
				       size_t *cap, const char *name,
				       size_t len)
{
	struct fw_counter *c;

	if (array_grow(out, cap, *n, sizeof(**out)))
		return NULL;
	c = &(*out)[(*n)++];
	memset(c, 0, sizeof(*c));
	memcpy(c->name, name, len);
	return c;
}

/*
 * Reads the text of "list counters table ip ecmpd" (see the top of this
 * file) into *out and *n. Returns 0, -EBADMSG or -ENOMEM.
 */
static int parse_counters(const char *text, struct fw_counter **out, size_t *n)
{
	struct fw_counter *cur = NULL;
	size_t cap = 0;

	for (const char *line = text; *line;) {
		const char *end = strchrnul(line, '\n');
		const char *p = line, *q = end;

		line = *end ? end + 1 : end;
		while (p < q && isspace((unsigned char)*p))
			p++;
		while (q > p && isspace((unsigned char)q[-1]))
			q--;
		if (q - p == 1 && *p == '}') {
			cur = NULL;
		} else if (q - p > 10 && !strncmp(p, "counter ", 8) &&
			   q[-1] == '{') {
			/* "counter NAME {", the name maybe in quotes */
			p += 8;
			for (q--; q > p && q[-1] == ' '; q--)
				;
			if (q - p >= 2 && *p == '"' && q[-1] == '"') {
				p++;
				q--;
			}
			if (q == p || q - p >= FW_COUNTER_NAME_MAX)
				return -EBADMSG;
			cur = counter_push(out, n, &cap, p, (size_t)(q - p));
			if (!cur)
				return -ENOMEM;
		} else if (cur && !strncmp(p, "packets ", 8)) {
			if (sscanf(p, "packets %" SCNu64 " bytes %" SCNu64,
				   &cur->packets, &cur->bytes) != 2)
				return -EBADMSG;
		}
	}
	return 0;
}

int fw_read_counters(struct fw *fw, struct fw_counter **out, size_t *n)
{
	static const char what[] =
		"listing the counters of nft table " FW_TABLE;
	char *refusal = NULL;
	int err;

	*out = NULL;
	*n = 0;
	err = open_for(fw, what, NULL);
	if (err)
		return err;
	if (nft_run_cmd_from_buffer(fw->nft, "list counters table " FW_TABLE
					     "\n") == 0) {
		const char *listing = nft_ctx_get_output_buffer(fw->nft);

		err = parse_counters(listing ? listing : "", out, n);
	} else {
		const char *errs = nft_ctx_get_error_buffer(fw->nft);

		refusal = strdup(errs ? errs : "");
		if (!refusal)
			err = -ENOMEM;
	}
	ctx_close(fw);
	/* A missing table has no counters; anything else is an error. */
	if (refusal && fw_present(fw)) {
		log_refusal(what, refusal, NULL);
		err = -EINVAL;
	}
	if (err == -EBADMSG)
		log_error("%s: cannot read libnftables' output", what);
	if (err) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	free(refusal);
	return err;
}
