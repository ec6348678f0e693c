// SPDX-License-Identifier: MIT
/*
 * netwatch.c - /tool netwatch: its attributes, the one script idiom ecmpd
 * reads declaratively, its checks, and the routes that follow it.
 *
 * RouterOS runs a netwatch's up-script and down-script when the host's
 * state changes. Nearly every multi-WAN config puts one idiom there:
 * enabling or disabling routes by comment ("/ip route set [find
 * comment=ISP1] disabled=yes", "/ip route disable [find comment=ISP1]",
 * v6 and v7 spellings, several statements separated by ';' or lines).
 * ecmpd reads that idiom as a statement of fact: the routes with comment
 * ISP1 are disabled while the netwatch is down (or, for a route the
 * down-script enables, while it is up). Every other statement is skipped
 * with a warning at its own line; hooks.d receives the netwatch's events
 * for anything else. docs/config.md, "/tool netwatch", has the table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ipv4.h"
#include "config/lexer.h"
#include "config/menus.h"

#define NETWATCH(f) offsetof(struct netwatch, f)

const struct config_name config_netwatch_type_names[] = {
	{ "simple", NETWATCH_SIMPLE },
	{ "icmp", NETWATCH_ICMP },
	{ "tcp-conn", NETWATCH_TCP_CONN },
	{ "http-get", NETWATCH_HTTP_GET },
	{ "https-get", NETWATCH_HTTPS_GET },
	{ "dns", NETWATCH_DNS },
	{ NULL, 0 },
};

/* ---- scripts ---- */

/* Where the script's text starts in the file. */
struct script_place {
	struct loc base; /* the value's first character ('"', '{' or a word) */
	int shift; /* columns from base to the text's first character */
};

static struct loc script_loc(const struct script_place *at, struct loc l)
{
	if (l.line == 1)
		return (struct loc){ at->base.line,
				     at->base.col + at->shift + l.col - 1 };
	return (struct loc){ at->base.line + l.line - 1, l.col };
}

static bool tok_is(const struct token *t, enum tok_kind kind, const char *text)
{
	return t->kind == kind && !strcmp(t->text, text);
}

/*
 * The command words before the first '[' ("/ip route set",
 * "/ip/route/set", "/ ip route set") as one string "ip route set" in
 * out; *k advances past them.
 */
static void command_words(const struct token *t, size_t n, size_t *k, char *out,
			  size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (; *k < n && t[*k].kind == TOK_WORD; (*k)++) {
		if (*k + 1 < n && t[*k + 1].kind == TOK_EQUALS)
			break; /* key=value: past the command */
		for (const char *c = t[*k].text; *c; c++) {
			char ch = *c == '/' ? ' ' : *c;

			if (ch == ' ' && (len == 0 || out[len - 1] == ' '))
				continue;
			if (len + 2 >= size)
				return;
			out[len++] = ch;
			out[len] = '\0';
		}
		if (len && out[len - 1] != ' ' && len + 2 < size) {
			out[len++] = ' ';
			out[len] = '\0';
		}
	}
	while (len && out[len - 1] == ' ')
		out[--len] = '\0';
}

/*
 * One statement t[0..n): the idiom, or false. On success the comment
 * (pointing into the tokens) and whether it disables.
 */
static bool read_idiom(const struct token *t, size_t n, const char **comment,
		       bool *disable)
{
	char words[64];
	size_t k = 0;
	bool set;

	command_words(t, n, &k, words, sizeof(words));
	if (!strcmp(words, "ip route set"))
		set = true;
	else if (!strcmp(words, "ip route disable"))
		set = false, *disable = true;
	else if (!strcmp(words, "ip route enable"))
		set = false, *disable = false;
	else
		return false;
	/* [ find [where] comment=X ], or [ /ip route find comment=X ] */
	if (k >= n || !tok_is(&t[k++], TOK_PUNCT, "["))
		return false;
	command_words(t, n, &k, words, sizeof(words));
	if (strcmp(words, "find") && strcmp(words, "find where") &&
	    strcmp(words, "ip route find") &&
	    strcmp(words, "ip route find where"))
		return false;
	if (k + 4 > n || !tok_is(&t[k], TOK_WORD, "comment") ||
	    t[k + 1].kind != TOK_EQUALS ||
	    (t[k + 2].kind != TOK_WORD && t[k + 2].kind != TOK_STRING) ||
	    !tok_is(&t[k + 3], TOK_PUNCT, "]"))
		return false;
	*comment = t[k + 2].text;
	k += 4;
	if (set) {
		if (k + 3 != n || !tok_is(&t[k], TOK_WORD, "disabled") ||
		    t[k + 1].kind != TOK_EQUALS)
			return false;
		if (!strcmp(t[k + 2].text, "yes") ||
		    !strcmp(t[k + 2].text, "true"))
			*disable = true;
		else if (!strcmp(t[k + 2].text, "no") ||
			 !strcmp(t[k + 2].text, "false"))
			*disable = false;
		else
			return false;
		return true;
	}
	return k == n;
}

static int add_action(struct netwatch_script *s, const char *comment,
		      bool disable, struct loc loc)
{
	struct netwatch_action *a;
	char *c = strdup(comment);

	if (!c)
		return -ENOMEM;
	a = realloc(s->actions, (s->n + 1) * sizeof(*a));
	if (!a) {
		free(c);
		return -ENOMEM;
	}
	s->actions = a;
	a[s->n++] = (struct netwatch_action){ c, disable, loc };
	return 0;
}

static void script_release(struct netwatch_script *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->actions[i].comment);
	free(s->actions);
	s->actions = NULL;
	s->n = 0;
}

static void warn_statement(struct diag *d, struct loc loc, const char *key)
{
	diag_warning(d, loc,
		     "statement of %s skipped: ecmpd reads only '/ip route "
		     "set [find comment=X] disabled=yes|no' and '/ip route "
		     "disable|enable [find comment=X]' there (on Linux: a "
		     "hook in hooks.d receives the netwatch's events)",
		     key);
}

/*
 * One statement t[0..n) of script key: kept when it is the idiom, else
 * a warning at its place.
 */
static int read_statement(struct diag *d, const struct script_place *at,
			  const char *key, const struct token *t, size_t n,
			  struct netwatch_script *out)
{
	struct loc loc = script_loc(at, t[0].loc);
	const char *comment;
	bool disable = false;

	if (!read_idiom(t, n, &comment, &disable)) {
		warn_statement(d, loc, key);
		return 0;
	}
	return add_action(out, comment, disable, loc);
}

/*
 * Splits a logical line into statements: a '{ }' value lost its ';'
 * separators, so a command word ("/ip ...", ":log ...") at bracket depth
 * 0 starts a new one too.
 */
static int read_line(struct diag *d, const struct script_place *at,
		     const char *key, const struct token_line *line,
		     struct netwatch_script *out)
{
	size_t start = 0, k;
	int depth = 0, rc = 0;

	for (k = 1; rc == 0 && k <= line->n; k++) {
		const struct token *t = &line->toks[k - 1];

		if (t->kind == TOK_PUNCT && strchr("[({", t->text[0]))
			depth++;
		else if (t->kind == TOK_PUNCT && depth > 0)
			depth--;
		if (k < line->n) {
			t = &line->toks[k];
			if (depth > 0 || t->kind != TOK_WORD || !t->spaced ||
			    (t->text[0] != '/' && t->text[0] != ':'))
				continue;
		}
		rc = read_statement(d, at, key, &line->toks[start], k - start,
				    out);
		start = k;
	}
	return rc;
}

static int read_script(struct diag *d, const struct attr_def *def, void *value,
		       const struct attr *a)
{
	struct netwatch_script *out = value, s = { 0 };
	struct script_place at = { a->value_loc, a->quoted ? 1 : 0 };
	struct token_line line = { 0 };
	struct lexer lx;
	int rc;

	lexer_init(&lx, a->value, strlen(a->value));
	while ((rc = lexer_next_line(&lx, &line)) > 0) {
		if (line.toks[0].kind == TOK_ERROR ||
		    line.toks[0].kind == TOK_FATAL ||
		    line.toks[0].kind == TOK_OPEN ||
		    line.toks[0].kind == TOK_CLOSE) {
			warn_statement(d, script_loc(&at, line.toks[0].loc),
				       def->key);
			continue;
		}
		rc = read_line(d, &at, def->key, &line, &s);
		if (rc < 0)
			break;
	}
	token_line_clear(&line);
	free(line.toks);
	if (rc < 0) {
		script_release(&s);
		return rc;
	}
	script_release(out);
	*out = s;
	return 0;
}

/* The statements kept, in the one v6 spelling, joined by "; ". */
static void write_script(struct attr_out *o, const struct attr_def *def,
			 const void *value, const void *dflt)
{
	const struct netwatch_script *s = value;
	size_t size = 1, i;
	char *buf;

	if (!s->n)
		return;
	for (i = 0; i < s->n; i++)
		size += strlen(s->actions[i].comment) + 64;
	buf = malloc(size);
	if (!buf)
		return;
	buf[0] = '\0';
	for (i = 0; i < s->n; i++)
		sprintf(buf + strlen(buf),
			"%s/ip route set [find comment=\"%s\"] disabled=%s",
			i ? "; " : "", s->actions[i].comment,
			s->actions[i].disable ? "yes" : "no");
	attr_text(o, def->key, buf);
	free(buf);
}

int netwatch_read_test_script(struct diag *d, const struct attr_def *def,
			      void *value, const struct attr *a)
{
	if (*a->value)
		diag_warning(d, a->value_loc,
			     "test-script is not run by ecmpd; skipped (on "
			     "Linux: a hook in hooks.d receives the "
			     "netwatch's events)");
	return 0;
}

void netwatch_release(void *entry)
{
	struct netwatch *nw = entry;

	script_release(&nw->up);
	script_release(&nw->down);
}

/* ---- values ---- */

/* thr-loss-percent=10, 10% or 12.5%: tenths of a percent, 0..100%. */
static int read_percent(struct diag *d, const struct attr_def *def, void *value,
			const struct attr *a)
{
	const char *s = a->value;
	unsigned long whole, tenth = 0;

	if (!scan_uint(&s, 100, &whole))
		return attr_bad_value(d, a, "expected a percentage 0..100");
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return attr_bad_value(d, a, "expected 12.5%");
		tenth = (unsigned long)(*s++ - '0');
		while (*s == '0')
			s++;
	}
	if (*s == '%')
		s++;
	if (*s || whole * 10 + tenth > 1000)
		return attr_bad_value(d, a, "expected a percentage 0..100");
	*(unsigned *)value = (unsigned)(whole * 10 + tenth);
	return 0;
}

static void write_percent(struct attr_out *o, const struct attr_def *def,
			  const void *value, const void *dflt)
{
	unsigned v = *(const unsigned *)value;

	if (v % 10)
		attr_printf(o, def->key, "%u.%u%%", v / 10, v % 10);
	else
		attr_printf(o, def->key, "%u%%", v / 10);
}

/* host=: an IPv4 address (RouterOS v7 also takes names, for type=dns). */
static int read_host(struct diag *d, const struct attr_def *def, void *value,
		     const struct attr *a)
{
	return attr_ipv4(d, a, value);
}

// clang-format off
#define TIME(key, f, ...) \
	{ key, attr_read_time, attr_write_time, .offset = NETWATCH(f##_ms), \
	  .loc = NETWATCH(f##_loc), __VA_ARGS__ }
// clang-format on

const struct attr_def netwatch_attrs[] = {
	{ "host", read_host, attr_write_ipv4, .offset = NETWATCH(host),
	  .loc = NETWATCH(host_loc), .required = true },
	{ "type", attr_read_enum, attr_write_enum, .offset = NETWATCH(type),
	  .loc = NETWATCH(type_loc), .names = config_netwatch_type_names },
	TIME("interval", interval),
	TIME("timeout", timeout),
	{ "port", attr_read_uint, attr_write_uint, .offset = NETWATCH(port),
	  .loc = NETWATCH(port_loc), .given = NETWATCH(has_port) },
	{ "src-address", attr_read_ipv4, attr_write_ipv4,
	  .offset = NETWATCH(src_address), .loc = NETWATCH(src_address_loc),
	  .given = NETWATCH(has_src_address) },
	{ "packet-count", attr_read_uint, attr_write_uint,
	  .offset = NETWATCH(packet_count), .loc = NETWATCH(packet_count_loc),
	  .given = NETWATCH(has_packet_count) },
	TIME("packet-interval", packet_interval,
	     .given = NETWATCH(has_packet_interval)),
	TIME("thr-rtt-max", thr_rtt_max, .given = NETWATCH(has_thr_rtt_max)),
	TIME("thr-rtt-avg", thr_rtt_avg, .given = NETWATCH(has_thr_rtt_avg)),
	TIME("thr-rtt-jitter", thr_rtt_jitter,
	     .given = NETWATCH(has_thr_rtt_jitter)),
	{ "thr-loss-percent", read_percent, write_percent,
	  .offset = NETWATCH(thr_loss_permille),
	  .loc = NETWATCH(thr_loss_percent_loc),
	  .given = NETWATCH(has_thr_loss_percent) },
	{ "thr-loss-count", attr_read_uint, attr_write_uint,
	  .offset = NETWATCH(thr_loss_count),
	  .loc = NETWATCH(thr_loss_count_loc),
	  .given = NETWATCH(has_thr_loss_count) },
	/* RouterOS's own CLI names of the three, printed as the above. */
	{ "thr-max", attr_read_time, NULL, .offset = NETWATCH(thr_rtt_max_ms),
	  .loc = NETWATCH(thr_rtt_max_loc),
	  .given = NETWATCH(has_thr_rtt_max) },
	{ "thr-avg", attr_read_time, NULL, .offset = NETWATCH(thr_rtt_avg_ms),
	  .loc = NETWATCH(thr_rtt_avg_loc),
	  .given = NETWATCH(has_thr_rtt_avg) },
	{ "thr-jitter", attr_read_time, NULL,
	  .offset = NETWATCH(thr_rtt_jitter_ms),
	  .loc = NETWATCH(thr_rtt_jitter_loc),
	  .given = NETWATCH(has_thr_rtt_jitter) },
	{ "up-script", read_script, write_script, .offset = NETWATCH(up),
	  .loc = NETWATCH(up_loc) },
	{ "down-script", read_script, write_script, .offset = NETWATCH(down),
	  .loc = NETWATCH(down_loc) },
	{ .key = NULL },
};

/* ---- checks ---- */

static const char *type_name(enum netwatch_type t)
{
	return config_name_of(config_netwatch_type_names, (int)t);
}

static struct loc at_or(struct loc loc, struct loc fallback)
{
	return loc.line ? loc : fallback;
}

/* A threshold a test can never meet, or one the type does not have. */
static void check_icmp_only(struct diag *d, const struct netwatch *nw,
			    bool given, const char *key, struct loc loc)
{
	if (given && nw->type != NETWATCH_ICMP)
		diag_error(d, loc,
			   "%s applies to type=icmp only (this netwatch is "
			   "type=%s)",
			   key, type_name(nw->type));
}

static void check_rtt(struct diag *d, const struct netwatch *nw, bool given,
		      const char *key, unsigned ms, struct loc loc)
{
	if (given && ms >= nw->timeout_ms)
		diag_error(d, loc,
			   "%s %ums can never be exceeded: a reply later than "
			   "timeout %ums counts as lost",
			   key, ms, nw->timeout_ms);
}

static void check_times(struct diag *d, const struct netwatch *nw)
{
	struct loc at = nw->c.loc;

	if (nw->interval_ms < 100)
		diag_error(d, at_or(nw->interval_loc, at),
			   "interval %ums is below the minimum of 100ms",
			   nw->interval_ms);
	if (nw->timeout_ms < 10)
		diag_error(d, at_or(nw->timeout_loc, at),
			   "timeout %ums is below the minimum of 10ms",
			   nw->timeout_ms);
	if (nw->timeout_ms > nw->interval_ms)
		diag_error(d, at_or(nw->timeout_loc, at),
			   "timeout %ums is longer than interval %ums: a test "
			   "must end before the next one starts",
			   nw->timeout_ms, nw->interval_ms);
}

static void check_icmp(struct diag *d, const struct netwatch *nw)
{
	check_icmp_only(d, nw, nw->has_packet_count, "packet-count",
			nw->packet_count_loc);
	check_icmp_only(d, nw, nw->has_packet_interval, "packet-interval",
			nw->packet_interval_loc);
	check_icmp_only(d, nw, nw->has_thr_rtt_max, "thr-rtt-max",
			nw->thr_rtt_max_loc);
	check_icmp_only(d, nw, nw->has_thr_rtt_avg, "thr-rtt-avg",
			nw->thr_rtt_avg_loc);
	check_icmp_only(d, nw, nw->has_thr_rtt_jitter, "thr-rtt-jitter",
			nw->thr_rtt_jitter_loc);
	check_icmp_only(d, nw, nw->has_thr_loss_percent, "thr-loss-percent",
			nw->thr_loss_percent_loc);
	check_icmp_only(d, nw, nw->has_thr_loss_count, "thr-loss-count",
			nw->thr_loss_count_loc);
	if (nw->type != NETWATCH_ICMP)
		return;
	if (nw->packet_count < 1 || nw->packet_count > 100)
		diag_error(d, nw->packet_count_loc,
			   "packet-count %u is out of range 1..100",
			   nw->packet_count);
	if (nw->packet_interval_ms < 10)
		diag_error(d, nw->packet_interval_loc,
			   "packet-interval %ums is below the minimum of 10ms",
			   nw->packet_interval_ms);
	else if ((unsigned long long)nw->packet_count *
			 nw->packet_interval_ms >=
		 nw->interval_ms)
		diag_error(d, at_or(nw->packet_interval_loc, nw->c.loc),
			   "packet-count %u x packet-interval %ums does not "
			   "fit in interval %ums",
			   nw->packet_count, nw->packet_interval_ms,
			   nw->interval_ms);
	if (nw->has_thr_loss_count &&
	    (nw->thr_loss_count < 1 || nw->thr_loss_count > nw->packet_count))
		diag_error(d, nw->thr_loss_count_loc,
			   "thr-loss-count %u can never be met: a test sends "
			   "packet-count %u packets (1..%u)",
			   nw->thr_loss_count, nw->packet_count,
			   nw->packet_count);
	if (nw->has_thr_loss_percent && nw->thr_loss_permille == 0)
		diag_error(d, nw->thr_loss_percent_loc,
			   "thr-loss-percent 0%% fails every test");
	check_rtt(d, nw, nw->has_thr_rtt_max, "thr-rtt-max", nw->thr_rtt_max_ms,
		  nw->thr_rtt_max_loc);
	check_rtt(d, nw, nw->has_thr_rtt_avg, "thr-rtt-avg", nw->thr_rtt_avg_ms,
		  nw->thr_rtt_avg_loc);
}

/*
 * May a route with this comment be disabled while the netwatch is down
 * (+1) or while it is up (-1), by action a?
 */
static int action_mode(const struct netwatch_action *a, bool down_script)
{
	return a->disable == down_script ? 1 : -1;
}

/* How nw drives routes with comment c: 1, -1 (action_mode()), 0: not. */
static int netwatch_mode(const struct netwatch *nw, const char *c)
{
	for (size_t i = 0; i < nw->down.n; i++)
		if (!strcmp(nw->down.actions[i].comment, c))
			return action_mode(&nw->down.actions[i], true);
	for (size_t i = 0; i < nw->up.n; i++)
		if (!strcmp(nw->up.actions[i].comment, c))
			return action_mode(&nw->up.actions[i], false);
	return 0;
}

static void check_script_modes(struct diag *d, const struct netwatch *nw)
{
	const struct netwatch_script *s[2] = { &nw->down, &nw->up };

	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < s[k]->n; i++) {
			const struct netwatch_action *a = &s[k]->actions[i];

			if (action_mode(a, k == 0) !=
			    netwatch_mode(nw, a->comment))
				diag_error(
					d, a->loc,
					"this netwatch's scripts disable the "
					"routes with comment \"%s\" both "
					"while it is down and while it is "
					"up",
					a->comment);
		}
	}
}

static bool route_has_comment(const struct config *cfg, const char *c)
{
	for (size_t i = 0; i < cfg->n_routes; i++)
		if (cfg->routes[i].c.comment &&
		    !strcmp(cfg->routes[i].c.comment, c))
			return true;
	return false;
}

static bool is_own_address(const struct config *cfg, uint32_t addr)
{
	for (size_t i = 0; i < cfg->n_addresses; i++)
		if (entry_enabled(&cfg->addresses[i].c) &&
		    cfg->addresses[i].addr == addr)
			return true;
	return false;
}

/* Is host reached by some main-table route or a connected network? */
static bool host_routed(const struct config *cfg, uint32_t host)
{
	if (config_connected_interface(cfg, host))
		return true;
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct route *r = &cfg->routes[i];

		if ((entry_enabled(&r->c) ||
		     config_route_follows_netwatch(cfg, r)) &&
		    !r->blackhole && config_is_main_table(r->table) &&
		    r->dst_len <= 32 &&
		    (host & ipv4_mask(r->dst_len)) == r->dst)
			return true;
	}
	return false;
}

static void check_refs(const struct config *cfg, struct diag *d, size_t n)
{
	const struct netwatch *nw = &cfg->netwatches[n];
	const struct netwatch_script *s[2] = { &nw->down, &nw->up };
	char a[IPV4_STR_MAX];

	if (nw->has_src_address && !is_own_address(cfg, nw->src_address))
		diag_error(d, nw->src_address_loc,
			   "src-address %s is not an address of this router "
			   "in /ip address",
			   ipv4_str(nw->src_address, a));
	if (!nw->has_src_address && !host_routed(cfg, nw->host))
		diag_error(d, nw->host_loc,
			   "host %s is reached by no route of the main table "
			   "and no connected network: there is no uplink to "
			   "probe it through",
			   ipv4_str(nw->host, a));
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < s[k]->n; i++) {
			const struct netwatch_action *act = &s[k]->actions[i];

			if (!route_has_comment(cfg, act->comment)) {
				diag_error(d, act->loc,
					   "no route in /ip route has comment "
					   "\"%s\"",
					   act->comment);
				continue;
			}
			for (size_t j = 0; j < n; j++) {
				int mode = netwatch_mode(&cfg->netwatches[j],
							 act->comment);

				if (!entry_enabled(&cfg->netwatches[j].c) ||
				    !mode ||
				    mode == netwatch_mode(nw, act->comment))
					continue;
				diag_error(d, act->loc,
					   "the routes with comment \"%s\" "
					   "are disabled while the netwatch at "
					   "line %d is %s: this one cannot "
					   "disable them while it is %s",
					   act->comment,
					   cfg->netwatches[j].c.loc.line,
					   mode > 0 ? "down" : "up",
					   mode > 0 ? "up" : "down");
				break;
			}
		}
	}
}

void config_check_netwatch(const struct config *cfg, struct diag *d, bool cross)
{
	for (size_t i = 0; i < cfg->n_netwatches; i++) {
		const struct netwatch *nw = &cfg->netwatches[i];

		if (nw->type != NETWATCH_SIMPLE && nw->type != NETWATCH_ICMP &&
		    nw->type != NETWATCH_TCP_CONN)
			diag_error(d, nw->type_loc,
				   "type=%s is not probed by ecmpd yet: it "
				   "probes type=simple, icmp and tcp-conn",
				   type_name(nw->type));
		if (nw->has_port &&
		    (nw->type == NETWATCH_SIMPLE || nw->type == NETWATCH_ICMP))
			diag_error(d, nw->port_loc,
				   "port does not apply to type=%s",
				   type_name(nw->type));
		if (nw->has_port && (nw->port < 1 || nw->port > 65535))
			diag_error(d, nw->port_loc,
				   "port %u is out of range 1..65535",
				   nw->port);
		check_times(d, nw);
		check_icmp(d, nw);
		check_script_modes(d, nw);
		if (cross && entry_enabled(&nw->c))
			check_refs(cfg, d, i);
	}
}

/* ---- the routes that follow a netwatch ---- */

bool config_route_follows_netwatch(const struct config *cfg,
				   const struct route *r)
{
	if (!r->c.comment)
		return false;
	for (size_t i = 0; i < cfg->n_netwatches; i++)
		if (entry_enabled(&cfg->netwatches[i].c) &&
		    netwatch_mode(&cfg->netwatches[i], r->c.comment))
			return true;
	return false;
}

bool config_route_enabled(const struct config *cfg, const struct route *r,
			  const bool *down)
{
	size_t n = 0, n_down = 0;
	int mode = 0;

	if (!r->c.comment)
		return entry_enabled(&r->c);
	for (size_t i = 0; i < cfg->n_netwatches; i++) {
		int m;

		if (!entry_enabled(&cfg->netwatches[i].c))
			continue;
		m = netwatch_mode(&cfg->netwatches[i], r->c.comment);
		if (!m)
			continue;
		mode = m; /* validated: every netwatch of r has the same */
		n++;
		if (down && down[i])
			n_down++;
	}
	if (!n)
		return entry_enabled(&r->c);
	/* The quorum: more than half of the netwatches say down. */
	return (mode > 0) != (n_down * 2 > n);
}

unsigned config_route_netwatches(const struct config *cfg, const char *comment)
{
	unsigned n = 0;

	for (size_t i = 0; comment && i < cfg->n_netwatches; i++)
		if (entry_enabled(&cfg->netwatches[i].c) &&
		    netwatch_mode(&cfg->netwatches[i], comment))
			n++;
	return n;
}
