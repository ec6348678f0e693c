/* SPDX-License-Identifier: MIT */
/*
 * lexer.h - RouterOS script text to tokens, one logical line at a time.
 *
 * A logical line ends at a newline or ';' that is not escaped by a '\'
 * line continuation and not inside a value's '{ }' (do={ ... }). A block
 * brace (one not directly after '=') ends a line too: "/ip firewall {"
 * is a line ending in TOK_OPEN, and each "}" is a line of one TOK_CLOSE.
 * Comments ('#' where a token would start) run to the end of the physical
 * line. Quoted strings are unescaped. Every token carries the place of its
 * first byte.
 */
#ifndef ECMPD_LEXER_H
#define ECMPD_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"

enum tok_kind {
	TOK_WORD, /* a bare run of characters: add, dst-address, 10.0.0.0/8 */
	TOK_STRING, /* a quoted string, unescaped */
	TOK_EQUALS, /* '=' */
	TOK_PUNCT, /* one of [ ] { } ( ) */
	TOK_ERROR, /* a lexical error; text is the message */
	TOK_OPEN, /* '{' opening a block; always the last token of a line */
	TOK_CLOSE, /* '}' closing a block; always alone on its line */
	TOK_FATAL, /* a value's '{' never closed: it swallowed the rest */
};

struct token {
	enum tok_kind kind;
	char *text; /* NUL-terminated, owned by the token_line */
	struct loc loc;
	bool spaced; /* whitespace (or the line start) comes before it */
};

/* The tokens of one logical line. */
struct token_line {
	struct token *toks;
	size_t n;
	size_t cap;
};

struct lexer {
	const char *text;
	size_t len;
	size_t pos;
	int line, col; /* of text[pos] */
};

/*
 * Rewrites text[0..len) in place as a text editor reads it: a UTF-8 byte
 * order mark at the start is dropped, CRLF and a lone CR become LF.
 * Returns the new length.
 */
size_t text_normalize(char *text, size_t len);

/* Starts lexing text[0..len); the lexer keeps a pointer, not a copy. */
void lexer_init(struct lexer *lx, const char *text, size_t len);

/*
 * Reads the next logical line that has at least one token into line (its
 * old tokens are freed first). Returns 1 when a line was read, 0 at the
 * end of the text, -ENOMEM.
 */
int lexer_next_line(struct lexer *lx, struct token_line *line)
	__attribute__((warn_unused_result));

/*
 * The text of a value's "{ ... }" that starts at line->toks[*i] (a
 * TOK_PUNCT "{"), laid out as written: the '{' becomes a blank, each
 * token keeps its line and column relative to it, quoted strings are
 * quoted again. Lexing the text again gives tokens whose places, shifted
 * by the brace's, are those in the file. Advances *i past the closing
 * brace. NULL with errno ENOMEM.
 */
char *token_block_text(const struct token_line *line, size_t *i);

/*
 * An attribute's value from line->toks[*i]: the adjacent word and string
 * tokens concatenated (a"b"c), or a { } block's text (token_block_text());
 * advances *i past it. NULL with errno ENOMEM.
 */
char *token_value(const struct token_line *line, size_t *i);

/* Frees the tokens of a line and leaves it empty and reusable. */
void token_line_clear(struct token_line *line);

#endif
