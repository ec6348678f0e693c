// SPDX-License-Identifier: MIT
/*
 * lexer.c - RouterOS script text to tokens, one logical line at a time.
 *
 * RouterOS exports break long lines with a '\' before the newline and
 * indent the continuation, sometimes in the middle of a word
 * ("interface=\" then "    bridge"). The lexer therefore hides a
 * continuation (the backslash, the newline and the next line's leading
 * blanks) below the character level: peek() never sees one, so a token may
 * span physical lines while its place stays that of its first byte.
 *
 * Handing the parser a whole logical line at a time keeps error recovery
 * trivial (drop the line) and gives the parser free lookahead. The lexer
 * knows nothing about menus: words are runs of anything but blanks,
 * quotes, '=', brackets and ';', so addresses, lists, "!" negations and
 * "[ find ... ]" scripting all lex without complaint and the parser
 * decides what they mean.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/lexer.h"

#define LEX_EOF (-1)

/* A growing byte buffer for one token's text. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

static int sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap) {
		size_t cap = sb->cap ? sb->cap * 2 : 32;
		char *p = realloc(sb->buf, cap);

		if (!p)
			return -ENOMEM;
		sb->buf = p;
		sb->cap = cap;
	}
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
	return 0;
}

/* Drops a byte order mark and turns CRLF and lone CRs into LF, in place. */
size_t text_normalize(char *text, size_t len)
{
	size_t i = 0, o = 0;

	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < len; i++) {
		if (text[i] == '\r') {
			text[o++] = '\n';
			if (i + 1 < len && text[i + 1] == '\n')
				i++;
			continue;
		}
		text[o++] = text[i];
	}
	return o;
}

/* Starts lexing text[0..len) at line 1, column 1. */
void lexer_init(struct lexer *lx, const char *text, size_t len)
{
	lx->text = text;
	lx->len = len;
	lx->pos = 0;
	lx->line = 1;
	lx->col = 1;
}

static void advance(struct lexer *lx)
{
	if (lx->pos >= lx->len)
		return;
	if (lx->text[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

/* Is there a line continuation at pos: '\', blanks, then a newline or EOF? */
static bool at_continuation(const struct lexer *lx)
{
	size_t i = lx->pos;

	if (i >= lx->len || lx->text[i] != '\\')
		return false;
	for (i++; i < lx->len; i++) {
		if (lx->text[i] == '\n')
			return true;
		if (lx->text[i] != ' ' && lx->text[i] != '\t' &&
		    lx->text[i] != '\r')
			return false;
	}
	/* A backslash at the very end continues into nothing. */
	return true;
}

/* Skips continuations and the indentation of each continued line. */
static void skip_continuations(struct lexer *lx)
{
	while (at_continuation(lx)) {
		while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
			advance(lx);
		advance(lx);
		while (lx->pos < lx->len &&
		       (lx->text[lx->pos] == ' ' || lx->text[lx->pos] == '\t'))
			advance(lx);
	}
}

/* The next character with continuations hidden, or LEX_EOF. */
static int peek(struct lexer *lx)
{
	skip_continuations(lx);
	if (lx->pos >= lx->len)
		return LEX_EOF;
	return (unsigned char)lx->text[lx->pos];
}

/* The next raw character, continuations not hidden, or LEX_EOF. */
static int peek_raw(const struct lexer *lx, size_t ahead)
{
	if (lx->pos + ahead >= lx->len)
		return LEX_EOF;
	return (unsigned char)lx->text[lx->pos + ahead];
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_punct(int c)
{
	return c != LEX_EOF && c != 0 && strchr("[](){}", c);
}

static bool is_word_char(int c)
{
	return c != LEX_EOF && c != 0 && !is_blank(c) && c != '\n' &&
	       c != '"' && c != '=' && c != ';' && !is_punct(c);
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int push_token(struct token_line *line, enum tok_kind kind, char *text,
		      struct loc loc, bool spaced)
{
	struct token *t;

	if (!text)
		return -ENOMEM;
	if (line->n == line->cap) {
		size_t cap = line->cap ? line->cap * 2 : 16;

		t = realloc(line->toks, cap * sizeof(*t));
		if (!t) {
			free(text);
			return -ENOMEM;
		}
		line->toks = t;
		line->cap = cap;
	}
	t = &line->toks[line->n++];
	t->kind = kind;
	t->text = text;
	t->loc = loc;
	t->spaced = spaced;
	return 0;
}

/*
 * Decodes one escape after a backslash inside a string into sb. Returns 0,
 * -ENOMEM, or -EINVAL with *msg set and the escape left unconsumed.
 */
static int lex_escape(struct lexer *lx, struct strbuf *sb, const char **msg)
{
	int c = peek_raw(lx, 0), h1, h2;
	char out;

	h1 = hex_value(c);
	h2 = hex_value(peek_raw(lx, 1));
	/* RouterOS reads two hex digits as a byte before the letter escapes. */
	if (h1 >= 0 && h2 >= 0) {
		if (h1 == 0 && h2 == 0) {
			*msg = "a NUL byte (\\00) is not allowed in a string";
			return -EINVAL;
		}
		advance(lx);
		advance(lx);
		return sb_putc(sb, (char)(h1 * 16 + h2));
	}
	switch (c) {
	case '"':
	case '\\':
	case '$':
	case '?':
		out = (char)c;
		break;
	case '_':
		out = ' ';
		break;
	case 'n':
		out = '\n';
		break;
	case 't':
		out = '\t';
		break;
	case 'r':
		out = '\r';
		break;
	case 'a':
		out = '\a';
		break;
	case 'b':
		out = '\b';
		break;
	case 'f':
		out = '\f';
		break;
	case 'v':
		out = '\v';
		break;
	default:
		*msg = "invalid escape sequence in string";
		return -EINVAL;
	}
	advance(lx);
	return sb_putc(sb, out);
}

/*
 * Lexes a quoted string starting at its opening quote. Errors become a
 * TOK_ERROR token; the rest of the physical line is then left to the
 * caller.
 */
static int lex_string(struct lexer *lx, struct token_line *line, bool spaced)
{
	struct loc loc = { lx->line, lx->col }, err_loc;
	struct strbuf sb = { 0 };
	const char *msg = NULL;
	int c, rc;

	advance(lx); /* the opening quote */
	if (sb_putc(&sb, '\0') < 0)
		return -ENOMEM;
	sb.len = 0;
	for (;;) {
		c = peek_raw(lx, 0);
		if (c == LEX_EOF || c == '\n') {
			msg = "unterminated string";
			err_loc = loc;
			break;
		}
		if (c == '"') {
			advance(lx);
			return push_token(line, TOK_STRING, sb.buf, loc,
					  spaced);
		}
		if (c == '\\') {
			if (at_continuation(lx)) {
				skip_continuations(lx);
				continue;
			}
			err_loc = (struct loc){ lx->line, lx->col };
			advance(lx);
			rc = lex_escape(lx, &sb, &msg);
			if (rc == -ENOMEM)
				goto out_nomem;
			if (rc < 0)
				break;
			continue;
		}
		if (c == 0) {
			msg = "a NUL byte is not allowed in a string";
			err_loc = (struct loc){ lx->line, lx->col };
			break;
		}
		advance(lx);
		if (sb_putc(&sb, (char)c) < 0)
			goto out_nomem;
	}
	free(sb.buf);
	/* Resynchronise at the end of the physical line. */
	while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
		advance(lx);
	return push_token(line, TOK_ERROR, strdup(msg), err_loc, spaced);

out_nomem:
	free(sb.buf);
	return -ENOMEM;
}

static int lex_word(struct lexer *lx, struct token_line *line, bool spaced)
{
	struct loc loc = { lx->line, lx->col };
	struct strbuf sb = { 0 };
	int c;

	while (is_word_char(c = peek(lx))) {
		advance(lx);
		if (sb_putc(&sb, (char)c) < 0) {
			free(sb.buf);
			return -ENOMEM;
		}
	}
	return push_token(line, TOK_WORD, sb.buf, loc, spaced);
}

static int lex_single(struct lexer *lx, struct token_line *line,
		      enum tok_kind kind, bool spaced)
{
	struct loc loc = { lx->line, lx->col };
	char text[2] = { lx->text[lx->pos], '\0' };

	advance(lx);
	return push_token(line, kind, strdup(text), loc, spaced);
}

/* Frees the tokens of a line and leaves it empty and reusable. */
void token_line_clear(struct token_line *line)
{
	size_t i;

	for (i = 0; i < line->n; i++)
		free(line->toks[i].text);
	line->n = 0;
}

static bool after_equals(const struct token_line *line, bool spaced)
{
	return !spaced && line->n > 0 &&
	       line->toks[line->n - 1].kind == TOK_EQUALS;
}

/*
 * Reads the next non-empty logical line. Returns 1 when a line was read,
 * 0 at the end of the text, -ENOMEM.
 *
 * depth counts the open braces of a value (do={ ... }), inside which
 * newlines and ';' do not end the line; a brace anywhere else opens or
 * closes a block and ends the line.
 */
int lexer_next_line(struct lexer *lx, struct token_line *line)
{
	struct loc open = { 0, 0 };
	int depth = 0, c, rc = 0;
	bool spaced = true;

	token_line_clear(line);
	for (;;) {
		c = peek(lx);
		if (c == LEX_EOF) {
			if (depth > 0)
				return push_token(line, TOK_FATAL,
						  strdup("unterminated '{': it "
							 "runs to the end of "
							 "the file"),
						  open, true) < 0 ?
					       -ENOMEM :
					       1;
			return line->n > 0;
		}
		if (is_blank(c)) {
			advance(lx);
			spaced = true;
			continue;
		}
		if (c == '\n' || c == ';') {
			advance(lx);
			spaced = true;
			/* Inside a value's "{ }" a script continues. */
			if (depth == 0 && line->n > 0)
				return 1;
			continue;
		}
		if (c == '#' && spaced) {
			/* A comment ends at the physical line, '\\' or not. */
			while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
				advance(lx);
			continue;
		}
		if (c == '{' && depth == 0 && !after_equals(line, spaced)) {
			rc = lex_single(lx, line, TOK_OPEN, spaced);
			return rc < 0 ? rc : 1;
		}
		if (c == '}' && depth == 0) {
			if (line->n > 0)
				return 1;
			rc = lex_single(lx, line, TOK_CLOSE, spaced);
			return rc < 0 ? rc : 1;
		}
		if (c == '"') {
			rc = lex_string(lx, line, spaced);
		} else if (c == '=') {
			rc = lex_single(lx, line, TOK_EQUALS, spaced);
		} else if (is_punct(c)) {
			if (c == '{' && depth++ == 0)
				open = (struct loc){ lx->line, lx->col };
			else if (c == '}')
				depth--;
			rc = lex_single(lx, line, TOK_PUNCT, spaced);
		} else if (c == 0) {
			struct loc loc = { lx->line, lx->col };

			advance(lx);
			rc = push_token(line, TOK_ERROR,
					strdup("a NUL byte is not allowed"),
					loc, spaced);
		} else {
			rc = lex_word(lx, line, spaced);
		}
		if (rc < 0)
			return rc;
		spaced = false;
	}
}

static int sb_puts_quoted(struct strbuf *sb, const char *s)
{
	int rc = sb_putc(sb, '"');

	for (; rc == 0 && *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '$')
			rc = sb_putc(sb, '\\');
		if (rc == 0)
			rc = sb_putc(sb, *s == '\n' ? ' ' : *s);
	}
	return rc ? rc : sb_putc(sb, '"');
}

char *token_block_text(const struct token_line *line, size_t *i)
{
	struct strbuf sb = { 0 };
	struct loc at = line->toks[*i].loc;
	int depth = 0, rc = sb_putc(&sb, ' ');

	for (at.col++; rc == 0 && *i < line->n; (*i)++) {
		const struct token *t = &line->toks[*i];

		if (t->kind == TOK_PUNCT && !strcmp(t->text, "{") &&
		    depth++ == 0)
			continue;
		if (t->kind == TOK_PUNCT && !strcmp(t->text, "}") &&
		    --depth == 0) {
			(*i)++;
			break;
		}
		while (rc == 0 && at.line < t->loc.line) {
			rc = sb_putc(&sb, '\n');
			at = (struct loc){ at.line + 1, 1 };
		}
		while (rc == 0 && at.col < t->loc.col) {
			rc = sb_putc(&sb, ' ');
			at.col++;
		}
		if (rc == 0 && t->spaced && sb.len &&
		    sb.buf[sb.len - 1] != ' ' && sb.buf[sb.len - 1] != '\n')
			rc = sb_putc(&sb, ' ');
		if (rc == 0 && t->kind == TOK_STRING)
			rc = sb_puts_quoted(&sb, t->text);
		else
			for (const char *c = t->text; rc == 0 && *c; c++)
				rc = sb_putc(&sb, *c);
		at.col = t->loc.col + (int)strlen(t->text) +
			 (t->kind == TOK_STRING ? 2 : 0);
	}
	if (rc < 0) {
		free(sb.buf);
		errno = ENOMEM;
		return NULL;
	}
	return sb.buf;
}

char *token_value(const struct token_line *line, size_t *i)
{
	size_t len = 0, j;
	char *v;

	if (*i < line->n && line->toks[*i].kind == TOK_PUNCT &&
	    !strcmp(line->toks[*i].text, "{"))
		return token_block_text(line, i); /* up-script={ ... } */
	for (j = *i; j < line->n && !line->toks[j].spaced &&
		     (line->toks[j].kind == TOK_WORD ||
		      line->toks[j].kind == TOK_STRING);
	     j++)
		len += strlen(line->toks[j].text);
	v = malloc(len + 1);
	if (!v)
		return NULL;
	v[0] = '\0';
	for (; *i < j; (*i)++)
		strcat(v, line->toks[*i].text);
	return v;
}
