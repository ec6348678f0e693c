// SPDX-License-Identifier: MIT
/*
 * parser.c - RouterOS script (.rsc) to config: the command driver.
 *
 * The parser walks the lexer's logical lines. A line starting with '/'
 * names a menu: its path is collected from the words that follow ("/ip
 * route", "/ ip route" and "/ip/route" all give "ip route") until a
 * command word, so "/ip/route/add dst-address=..." is a menu line and a
 * command at once. Other lines are commands in the current menu. A menu
 * ecmpd does not support is skipped, with one warning on its menu line,
 * until the next menu line; whatever scripting it contains ("[ find ]",
 * "{ }") is never looked at.
 *
 * A command is read in two steps: first the line becomes a list of
 * attributes (key, value, places), then each attribute goes to the reader
 * its menu's table names (menus.h). Readers only judge one value: is it
 * well-formed and representable in the model. Everything that needs more
 * than one value (ranges the model can hold, cross-references, required
 * combinations) is config_validate()'s business, so a config built by
 * hand gets the same checks as one parsed from text. Nothing here knows a
 * particular menu: "add" builds an entry from the menu's defaults in its
 * array in struct config and keeps it only when every attribute was good,
 * "set" changes a copy of the settings object and keeps it likewise. So
 * one run reports every syntax error in the file, and a bad line changes
 * nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "config/lexer.h"
#include "config/menus.h"
#include "config/parser.h"
#include "config/skip.h"

/* RouterOS's commands: a path word that is one of these ends the path. */
static const char *const commands[] = {
	"add",	  "set",     "remove",	"print", "export",
	"enable", "disable", "comment", "move",	 "find",
	"edit",	  "unset",   "reset",	"get",	 "monitor",
};

enum parser_state {
	BEFORE_MENU, /* at the root: before any menu line, or after "/" */
	IN_MENU, /* in a menu ecmpd reads */
	IN_DIR, /* in a directory above such menus: "/ip firewall {" */
	SKIPPING, /* in a menu ecmpd does not support */
	SCRIPT, /* in the block of a scripting command: ":do { ... }" */
};

/* What a '{' saves and its '}' restores. */
struct context {
	const struct menu *menu;
	const char *menu_path;
	enum parser_state state;
	char path[256];
	struct loc open; /* the '{' */
};

#define BLOCK_DEPTH_MAX 32

struct parser {
	struct config *cfg;
	struct diag *d;
	enum parser_state state;
	const struct menu *menu; /* IN_MENU only */
	const char *menu_path; /* for messages: "ip route" */
	char path[256]; /* the current menu path, "" at the root */
	size_t cap[CONFIG_MENUS]; /* the capacity of each entry array */
	struct context stack[BLOCK_DEPTH_MAX]; /* the open blocks */
	size_t depth;
	int script_closed; /* the line of the '}' that ended a script block */
	struct config_line fate; /* what the current line became */
	size_t cap_lines;
	char **skipped; /* the skipped menus warned about */
	size_t n_skipped, cap_skipped;
};

struct command {
	const char *verb;
	struct loc loc;
	struct attr *attrs;
	size_t n, cap;
};

/*
 * Runs every attribute of cmd through the readers of the current menu
 * into obj (an entry or the settings object). Returns the number of
 * errors, or -ENOMEM.
 */
static int apply_attrs(struct parser *p, const struct command *cmd, void *obj)
{
	const struct menu *m = p->menu;
	int errors = 0;
	size_t i;

	for (i = 0; i < cmd->n; i++) {
		const struct attr *a = &cmd->attrs[i];
		const struct attr_def *def;
		char *base;
		size_t off;
		int rc;

		def = menu_find_attr(m, a->key, &off);
		if (!def && (def = menu_find_noop_attr(m, a->key))) {
			/* Checked for its form, kept nowhere. */
			union {
				bool b;
				unsigned u;
				char name[CONFIG_NAME_MAX];
			} scratch = { 0 };

			rc = def->read(p->d, def, &scratch, a);
			if (rc == -ENOMEM)
				return rc;
			if (rc < 0)
				errors++;
			continue;
		}
		if (!def && m->lenient) {
			char key[96];

			/* A port's mtu, speed, ...: the box's business. */
			snprintf(key, sizeof(key), "%s %s", m->name, a->key);
			if (diag_first(p->d, key))
				diag_warning(p->d, a->key_loc,
					     "attribute %s of %s is not "
					     "applied by ecmpd; ignored (on "
					     "Linux: %s)",
					     a->key, m->name, m->lenient);
			continue;
		}
		if (!def && m->settings) {
			/* Real exports set many knobs ecmpd has no use for. */
			diag_warning(p->d, a->key_loc,
				     "attribute %s of /%s is not supported by "
				     "ecmpd; ignored",
				     a->key, p->menu_path);
			continue;
		}
		if (!def) {
			diag_error(p->d, a->key_loc,
				   "unknown attribute '%s' in /%s", a->key,
				   p->menu_path);
			errors++;
			continue;
		}
		if (!a->has_value && !def->flag) {
			diag_error(p->d, a->key_loc,
				   "attribute %s needs a value (%s=...)",
				   a->key, a->key);
			errors++;
			continue;
		}
		base = (char *)obj + off;
		if (def->loc)
			*(struct loc *)(base + def->loc) = a->value_loc;
		if (def->given)
			*(bool *)(base + def->given) = true;
		rc = def->read(p->d, def, base + def->offset, a);
		if (rc == -ENOMEM)
			return rc;
		if (rc < 0)
			errors++;
	}
	return errors;
}

static bool has_attr(const struct command *cmd, const char *key)
{
	size_t i;

	for (i = 0; i < cmd->n; i++)
		if (!strcmp(cmd->attrs[i].key, key))
			return true;
	return false;
}

/*
 * "add" in a list menu: the entry is built in place at the end of its
 * array and counted only when it has no error.
 */
static int add_entry(struct parser *p, const struct command *cmd)
{
	const struct menu *m = p->menu;
	void **array = (void **)((char *)p->cfg + m->at);
	size_t *n = (size_t *)((char *)p->cfg + m->count);
	const struct attr_def *def;
	size_t i, base;
	char *entry;
	int errors;

	errors = array_grow(array, &p->cap[m - config_menus], *n, m->size);
	if (errors < 0)
		return errors;
	entry = (char *)*array + *n * m->size;
	memcpy(entry, m->defaults, m->size);
	((struct entry_common *)entry)->loc = cmd->loc;
	errors = apply_attrs(p, cmd, entry);
	for (i = 0; errors >= 0 && (def = menu_attr(m, i, &base)); i++) {
		if (def->required && !has_attr(cmd, def->key)) {
			diag_error(p->d, cmd->loc, "%s= is required in /%s",
				   def->key, p->menu_path);
			errors++;
		}
	}
	if (errors == 0) {
		p->fate.fate = LINE_ENTRY;
		p->fate.menu = (enum config_menu)(m - config_menus);
		p->fate.index = (*n)++;
		return 0;
	}
	menu_release(m, entry);
	return errors < 0 ? errors : 0;
}

/* "set" in a settings menu: applied to a copy, kept when all was good. */
static int set_settings(struct parser *p, const struct command *cmd)
{
	const struct menu *m = p->menu;
	void *settings = menu_entry(m, p->cfg, 0), *copy;
	int errors;

	copy = malloc(m->size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, settings, m->size);
	errors = apply_attrs(p, cmd, copy);
	if (errors == 0) {
		p->fate.fate = LINE_SETTINGS;
		p->fate.menu = (enum config_menu)(m - config_menus);
	}
	if (errors == 0 && cmd->n > 0) {
		memcpy(settings, copy, m->size);
		if (m->set_loc)
			*(struct loc *)((char *)p->cfg + m->set_loc) = cmd->loc;
	}
	free(copy);
	return errors < 0 ? errors : 0;
}

static bool is_command(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(word, commands[i]))
			return true;
	return false;
}

static void free_command(struct command *cmd)
{
	size_t i;

	for (i = 0; i < cmd->n; i++)
		free(cmd->attrs[i].value);
	free(cmd->attrs);
	cmd->attrs = NULL;
	cmd->n = 0;
}

/*
 * Splits the tokens from start into attributes. Returns 0, -EINVAL after
 * reporting, -ENOMEM.
 */
static int read_attrs(struct parser *p, const struct token_line *line,
		      size_t start, struct command *cmd)
{
	size_t i = start, j;

	while (i < line->n) {
		const struct token *t = &line->toks[i];
		struct attr *a;
		int rc;

		if (t->kind == TOK_EQUALS) {
			diag_error(p->d, t->loc,
				   "expected an attribute name before '=' "
				   "(no blanks around '=')");
			return -EINVAL;
		}
		if (t->kind == TOK_PUNCT) {
			diag_error(p->d, t->loc,
				   "unexpected '%s': scripting is not "
				   "supported in /%s",
				   t->text, p->menu_path);
			return -EINVAL;
		}
		if (t->kind != TOK_WORD) {
			diag_error(p->d, t->loc,
				   "expected an attribute name, not a quoted "
				   "string");
			return -EINVAL;
		}
		rc = array_grow(&cmd->attrs, &cmd->cap, cmd->n,
				sizeof(*cmd->attrs));
		if (rc < 0)
			return rc;
		a = &cmd->attrs[cmd->n];
		memset(a, 0, sizeof(*a));
		a->key = t->text;
		a->key_loc = t->loc;
		i++;
		if (i < line->n && line->toks[i].kind == TOK_EQUALS &&
		    !line->toks[i].spaced) {
			struct loc eq = line->toks[i].loc;

			i++;
			a->has_value = true;
			a->value_loc = (struct loc){ eq.line, eq.col + 1 };
			if (i < line->n && !line->toks[i].spaced) {
				a->value_loc = line->toks[i].loc;
				a->quoted = line->toks[i].kind == TOK_STRING;
			}
			a->value = token_value(line, &i);
		} else {
			a->value = strdup("");
		}
		if (!a->value)
			return -ENOMEM;
		cmd->n++;
		if (i < line->n && !line->toks[i].spaced &&
		    line->toks[i].kind != TOK_ERROR) {
			diag_error(p->d, line->toks[i].loc,
				   "unexpected '%s' after %s",
				   line->toks[i].text, a->key);
			return -EINVAL;
		}
		for (j = 0; j + 1 < cmd->n; j++) {
			if (!strcmp(cmd->attrs[j].key, a->key)) {
				diag_error(p->d, a->key_loc,
					   "attribute %s given twice", a->key);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* "set [ find default-name=X ] ..." in a find_set menu: 0 or -ENOMEM. */
static int set_found(struct parser *p, struct loc loc,
		     const struct token_line *line, size_t start)
{
	struct command cmd = { .verb = "set", .loc = loc };
	const struct token *t = &line->toks[start];
	size_t i = start;
	struct attr *a;
	int rc;

	if (line->n < start + 6 || t[0].kind != TOK_PUNCT ||
	    strcmp(t[0].text, "[") || strcmp(t[1].text, "find") ||
	    strcmp(t[2].text, "default-name") || t[3].kind != TOK_EQUALS ||
	    (t[4].kind != TOK_WORD && t[4].kind != TOK_STRING) ||
	    t[5].kind != TOK_PUNCT || strcmp(t[5].text, "]")) {
		diag_error(p->d, i < line->n ? t->loc : loc,
			   "expected set [ find default-name=NAME ] in /%s",
			   p->menu_path);
		return 0;
	}
	rc = array_grow(&cmd.attrs, &cmd.cap, 0, sizeof(*cmd.attrs));
	if (rc < 0)
		return rc;
	a = &cmd.attrs[cmd.n++];
	memset(a, 0, sizeof(*a));
	a->key = t[2].text;
	a->key_loc = t[2].loc;
	a->has_value = true;
	a->value_loc = t[4].loc;
	a->quoted = t[4].kind == TOK_STRING; /* as the printer may write it */
	a->value = strdup(t[4].text);
	rc = a->value ? read_attrs(p, line, start + 6, &cmd) : -ENOMEM;
	if (rc == 0)
		rc = add_entry(p, &cmd);
	free_command(&cmd);
	return rc == -ENOMEM ? rc : 0;
}

/* Runs the command verb (at loc) with the attributes from start. */
static int run_command(struct parser *p, const char *verb, struct loc loc,
		       const struct token_line *line, size_t start)
{
	struct command cmd = { .verb = verb, .loc = loc };
	bool settings = p->menu->settings;
	int rc;

	if (!strcmp(verb, "set") && p->menu->find_set)
		return set_found(p, loc, line, start);

	if (!strcmp(verb, "add") && settings) {
		diag_error(p->d, loc, "/%s has no add; use set", p->menu_path);
		return 0;
	}
	if (!strcmp(verb, "set") && !settings) {
		diag_error(p->d, loc,
			   "set is not supported in /%s; write each entry "
			   "with add",
			   p->menu_path);
		return 0;
	}
	if (strcmp(verb, "add") && strcmp(verb, "set")) {
		if (is_command(verb))
			diag_error(p->d, loc,
				   "command %s is not supported in /%s", verb,
				   p->menu_path);
		else
			diag_error(p->d, loc,
				   "expected a command (%s), not '%s'",
				   settings ? "set" : "add", verb);
		return 0;
	}
	rc = read_attrs(p, line, start, &cmd);
	if (rc == 0)
		rc = settings ? set_settings(p, &cmd) : add_entry(p, &cmd);
	free_command(&cmd);
	return rc == -ENOMEM ? rc : 0;
}

/* Reports the line's first lexical error; true when there was one. */
static bool lex_error(struct parser *p, const struct token_line *line,
		      size_t start)
{
	size_t i;

	for (i = start; i < line->n; i++) {
		if (line->toks[i].kind == TOK_ERROR) {
			diag_error(p->d, line->toks[i].loc, "%s",
				   line->toks[i].text);
			return true;
		}
	}
	return false;
}

#define PATH_MAX_WORDS 8
#define PATH_LEN 256

/* The current line is in the skipped menu at path. */
static int skip_line(struct parser *p, const char *path)
{
	p->fate.fate = LINE_SKIPPED;
	free(p->fate.path);
	p->fate.path = strdup(path);
	return p->fate.path ? 0 : -ENOMEM;
}

/*
 * Warns that the menu at path is skipped, once per menu in a file (an
 * export writes "/interface bridge port add ..." once per port), saying
 * what on Linux does its job (skip.c).
 */
static int warn_skipped_menu(struct parser *p, struct loc loc, const char *path)
{
	const char *job = skipped_menu_job(path);
	size_t i;
	char *copy;

	if (skip_line(p, path) < 0)
		return -ENOMEM;
	for (i = 0; i < p->n_skipped; i++)
		if (!strcmp(p->skipped[i], path))
			return 0;
	if (array_grow(&p->skipped, &p->cap_skipped, p->n_skipped,
		       sizeof(*p->skipped)) < 0)
		return -ENOMEM;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	p->skipped[p->n_skipped++] = copy;
	if (job)
		diag_warning(p->d, loc,
			     "menu /%s is not supported by ecmpd; skipped (on "
			     "Linux: %s)",
			     path, job);
	else
		diag_warning(p->d, loc,
			     "menu /%s is not supported by ecmpd; skipped (it "
			     "has no Linux counterpart known to ecmpd: check "
			     "its name)",
			     path);
	return 0;
}

/*
 * A command RouterOS runs in a directory on behalf of a menu below it:
 * "/interface set [ find default-name=ether1 ] name=WAN1" renames a port
 * as /interface ethernet does. NULL when there is none.
 */
static const struct menu *dir_command_menu(const char *path, const char *verb)
{
	if (!strcmp(path, "interface") && !strcmp(verb, "set"))
		return &config_menus[CONFIG_MENU_INTERFACE_ETHERNET];
	return NULL;
}

/* Runs verb in menu m, the current menu staying as it is. */
static int run_in_menu(struct parser *p, const struct menu *m, const char *verb,
		       struct loc loc, const struct token_line *line,
		       size_t start)
{
	const struct menu *saved = p->menu;
	const char *saved_path = p->menu_path;
	int rc;

	p->menu = m;
	p->menu_path = m->name + 1;
	rc = run_command(p, verb, loc, line, start);
	p->menu = saved;
	p->menu_path = saved_path;
	return rc;
}

/* Makes path (a menu, a directory or neither) the current menu. */
static int enter_path(struct parser *p, const char *path, struct loc loc)
{
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->menu = menu_by_path(path);
	p->menu_path = p->menu ? p->menu->name + 1 : NULL;
	if (p->menu) {
		p->state = IN_MENU;
		return 0;
	}
	if (!path[0]) {
		p->state = BEFORE_MENU;
		return 0;
	}
	if (menu_is_dir(path)) {
		p->state = IN_DIR;
		return 0;
	}
	p->state = SKIPPING;
	return warn_skipped_menu(p, loc, path);
}

/*
 * A menu path, absolute (the line starts with '/') or relative to the
 * current menu (a line in "/ip firewall { ... }" such as "nat add ..."),
 * and maybe a command after it. "/ip route", "/ ip route", "/ip/route",
 * "/ip/route/add ..." all work. An absolute path makes its menu the
 * current one, as an export's menu lines do; a relative path with a
 * command runs the command there and leaves the current menu alone; a
 * path alone changes the menu. With block, the line opened a '{' and may
 * hold only the path.
 */
static int path_line(struct parser *p, const struct token_line *line,
		     bool block)
{
	char path[PATH_LEN] = "", verb_buf[16];
	const char *verb = NULL;
	struct loc verb_loc = { 0, 0 };
	size_t i, args, words = 0, n = line->n - (block ? 1 : 0);
	bool trailing = false, absolute = line->toks[0].text[0] == '/';
	const struct menu *menu;
	int rc;

	if (!absolute)
		snprintf(path, sizeof(path), "%s", p->path);
	for (i = 0; i < n && !verb; i++) {
		const struct token *t = &line->toks[i];
		const char *s = t->text, *seg;

		if (t->kind != TOK_WORD || (i > 0 && !t->spaced) ||
		    (i > 0 && strchr(":[$", s[0])))
			break;
		if (i + 1 < line->n && line->toks[i + 1].kind == TOK_EQUALS &&
		    !line->toks[i + 1].spaced)
			break;
		for (seg = s; *seg;) {
			size_t len = strcspn(seg, "/");

			if (len > 0 && len < sizeof(verb_buf)) {
				memcpy(verb_buf, seg, len);
				verb_buf[len] = '\0';
			} else {
				verb_buf[0] = '\0';
			}
			if (is_command(verb_buf)) {
				verb_loc = t->loc;
				verb_loc.col += (int)(seg - s);
				verb = verb_buf;
				trailing = seg[len] != '\0';
				break;
			}
			if (len > 0 && words < PATH_MAX_WORDS) {
				size_t used = strlen(path);

				snprintf(path + used, sizeof(path) - used,
					 "%s%.*s", used ? " " : "", (int)len,
					 seg);
				words++;
			}
			seg += len;
			if (*seg == '/' && seg++ > s) /* "/ip/route": v7 */
				p->cfg->slash_paths = true;
		}
	}
	args = i;
	if (block && (verb || args < n)) {
		diag_error(p->d, verb ? verb_loc : line->toks[args].loc,
			   "expected only a menu path before '{'");
		return 0;
	}
	if (!verb && args == n) {
		/* In a menu, only a known submenu is a path ("rule"). */
		if (!absolute && p->state == IN_MENU && !menu_by_path(path) &&
		    !menu_is_dir(path))
			return 1;
		return enter_path(p, path, line->toks[0].loc);
	}
	if (!verb && !absolute) {
		/* Not a path after all; the caller reports the line. */
		return 1;
	}
	menu = menu_by_path(path);
	if (!menu && verb)
		menu = dir_command_menu(path, verb);
	if (absolute) {
		rc = enter_path(p, path, line->toks[0].loc);
		if (rc < 0)
			return rc;
		if (!menu && p->state == IN_DIR) {
			diag_error(p->d, verb_loc,
				   "/%s has no command %s; expected a menu",
				   path, verb);
			return 0;
		}
		if (!menu)
			return 0;
	} else if (!menu) {
		return menu_is_dir(path) ?
			       1 :
			       warn_skipped_menu(p, line->toks[0].loc, path);
	}
	if (lex_error(p, line, args))
		return 0;
	if (!verb) {
		diag_error(p->d, line->toks[args].loc,
			   "expected a command (%s) after /%s",
			   menu->settings ? "set" : "add", menu->name + 1);
		return 0;
	}
	if (trailing) {
		diag_error(p->d, verb_loc, "unexpected text after command");
		return 0;
	}
	/* A relative command (or a directory's) runs there; the menu stays. */
	if (!absolute || p->menu != menu)
		return run_in_menu(p, menu, verb, verb_loc, line, args);
	return run_command(p, verb, verb_loc, line, args);
}

/* Is the line's first word a relative menu path ("nat add ...")? */
static bool starts_relative_path(const struct token_line *line)
{
	const struct token *t = &line->toks[0];

	if (t->kind != TOK_WORD || strchr("/:[$", t->text[0]) ||
	    is_command(t->text))
		return false;
	return line->n < 2 || line->toks[1].kind != TOK_EQUALS ||
	       line->toks[1].spaced;
}

/* A line ending in a block's '{': push the context, enter the block. */
static int open_block(struct parser *p, const struct token_line *line)
{
	const struct token *t = &line->toks[0];
	struct context *c;

	if (p->depth == BLOCK_DEPTH_MAX) {
		diag_error(p->d, line->toks[line->n - 1].loc,
			   "blocks nested more than %d deep", BLOCK_DEPTH_MAX);
		return 0;
	}
	c = &p->stack[p->depth++];
	c->menu = p->menu;
	c->menu_path = p->menu_path;
	c->state = p->state;
	c->open = line->toks[line->n - 1].loc;
	snprintf(c->path, sizeof(c->path), "%s", p->path);
	if (p->state == SCRIPT) {
		p->fate.fate = LINE_SCRIPT;
		return 0;
	}
	/* An absolute menu leaves a skipped one; anything else stays in it. */
	if (p->state == SKIPPING &&
	    (line->n == 1 || t->kind != TOK_WORD || t->text[0] != '/'))
		return skip_line(p, p->path);
	if (line->n == 1)
		return 0;
	if (t->kind == TOK_WORD && t->text[0] == ':') {
		diag_warning(p->d, t->loc,
			     "scripting command %s is not supported by ecmpd; "
			     "skipped",
			     t->text);
		p->state = SCRIPT;
		p->fate.fate = LINE_SCRIPT;
		return 0;
	}
	if (t->kind == TOK_WORD &&
	    (t->text[0] == '/' ||
	     (p->state != BEFORE_MENU && starts_relative_path(line)))) {
		int rc = path_line(p, line, true);

		if (rc <= 0)
			return rc;
	}
	diag_error(p->d, t->loc, "expected a menu path before '{'");
	return 0;
}

/* A line of one '}': back to the context before the block. */
static void close_block(struct parser *p, const struct token_line *line)
{
	const struct context *c;

	if (p->depth == 0) {
		diag_error(p->d, line->toks[0].loc,
			   "'}' without a matching '{'");
		return;
	}
	c = &p->stack[--p->depth];
	/* ":do { ... } on-error={ ... }": the rest belongs to the script. */
	if (p->state == SCRIPT && c->state != SCRIPT)
		p->script_closed = line->toks[0].loc.line;
	p->menu = c->menu;
	p->menu_path = c->menu_path;
	p->state = c->state;
	snprintf(p->path, sizeof(p->path), "%s", c->path);
}

static int parse_line(struct parser *p, const struct token_line *line)
{
	const struct token *t = &line->toks[0];
	int rc;

	if (line->toks[line->n - 1].kind == TOK_FATAL) {
		diag_error(p->d, line->toks[line->n - 1].loc, "%s",
			   line->toks[line->n - 1].text);
		return 0;
	}
	if (t->kind == TOK_CLOSE) {
		close_block(p, line);
		return 0;
	}
	if (p->script_closed && t->loc.line == p->script_closed &&
	    t->text[0] != '/') {
		p->script_closed = 0;
		p->fate.fate = LINE_SCRIPT;
		return 0;
	}
	p->script_closed = 0;
	if (line->toks[line->n - 1].kind == TOK_OPEN)
		return open_block(p, line);
	if (p->state == SCRIPT) {
		p->fate.fate = LINE_SCRIPT;
		return 0;
	}
	if (t->kind == TOK_WORD && t->text[0] == '/')
		return path_line(p, line, false);
	if (p->state == SKIPPING)
		return skip_line(p, p->path);
	if (t->kind == TOK_WORD && t->text[0] == ':') {
		diag_warning(p->d, t->loc,
			     "scripting command %s is not supported by ecmpd; "
			     "skipped",
			     t->text);
		p->fate.fate = LINE_SCRIPT;
		return 0;
	}
	if (p->state == BEFORE_MENU) {
		diag_warning(p->d, t->loc,
			     "line outside any menu; skipped (start with a "
			     "menu such as /ip route)");
		p->fate.fate = LINE_OUTSIDE;
		return 0;
	}
	if (starts_relative_path(line)) {
		rc = path_line(p, line, false);
		if (rc <= 0)
			return rc;
	}
	if (p->state == IN_DIR) {
		const struct menu *m =
			t->kind == TOK_WORD ?
				dir_command_menu(p->path, t->text) :
				NULL;

		if (m)
			return run_in_menu(p, m, t->text, t->loc, line, 1);
		diag_error(p->d, t->loc, "/%s has no commands; expected a menu",
			   p->path);
		return 0;
	}
	if (lex_error(p, line, 0))
		return 0;
	if (t->kind != TOK_WORD) {
		diag_error(p->d, t->loc, "expected a command (%s)",
			   p->menu->settings ? "set" : "add");
		return 0;
	}
	return run_command(p, t->text, t->loc, line, 1);
}

/* Appends what the line became to cfg->lines; the path moves there. */
static int record_line(struct parser *p, const struct token_line *line,
		       bool error)
{
	struct config *cfg = p->cfg;
	struct config_line *l;

	if (array_grow(&cfg->lines, &p->cap_lines, cfg->n_lines,
		       sizeof(*cfg->lines)) < 0)
		return -ENOMEM;
	l = &cfg->lines[cfg->n_lines++];
	*l = p->fate;
	p->fate.path = NULL;
	if (error)
		l->fate = LINE_ERROR;
	l->line = line->toks[0].loc.line;
	l->end_line = line->toks[line->n - 1].loc.line;
	return 0;
}

/*
 * Parses text[0..len) named name into a new config, reporting through
 * diag. Returns the config, partial when there were errors, or NULL with
 * errno on allocation failure.
 */
struct config *parse_buffer(const char *name, const char *text, size_t len,
			    struct diag *diag)
{
	struct parser p = { .d = diag, .state = BEFORE_MENU };
	struct token_line line = { 0 };
	struct lexer lx;
	size_t i;
	int rc;

	p.cfg = config_new(name);
	if (!p.cfg)
		return NULL;
	lexer_init(&lx, text, len);
	while ((rc = lexer_next_line(&lx, &line)) > 0) {
		int errors = diag_errors(diag);

		memset(&p.fate, 0, sizeof(p.fate));
		rc = parse_line(&p, &line);
		if (rc < 0)
			break;
		if (p.fate.fate == LINE_MENU && !p.fate.path &&
		    !(p.fate.path = strdup(p.path))) {
			rc = -ENOMEM;
			break;
		}
		rc = record_line(&p, &line, diag_errors(diag) > errors);
		if (rc < 0)
			break;
	}
	free(p.fate.path);
	if (rc == 0 && p.depth > 0)
		diag_error(diag, p.stack[p.depth - 1].open,
			   "unterminated '{': the block runs to the end of "
			   "the file");
	if (rc == 0)
		config_check_all_skipped(p.cfg, diag);
	token_line_clear(&line);
	free(line.toks);
	for (i = 0; i < p.n_skipped; i++)
		free(p.skipped[i]);
	free(p.skipped);
	if (rc < 0) {
		config_free(p.cfg);
		errno = -rc;
		return NULL;
	}
	return p.cfg;
}
