// SPDX-License-Identifier: MIT
/*
 * test_lexer.c - the RouterOS script lexer: tokens, places, continuation,
 * quoting, escapes, comments and logical lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/lexer.h"

/* Lexes text and returns the lines as one string: "kind:text@line:col". */
static char *dump(const char *text)
{
	struct token_line line = { 0 };
	struct lexer lx;
	char *buf = calloc(1, 8192);
	size_t used = 0, i;
	int rc;

	assert_non_null(buf);
	lexer_init(&lx, text, strlen(text));
	while ((rc = lexer_next_line(&lx, &line)) > 0) {
		for (i = 0; i < line.n; i++) {
			static const char kinds[] = "WS=PE{}F";
			const struct token *t = &line.toks[i];

			used += (size_t)snprintf(buf + used, 8192 - used,
						 "%s%c%s:%s@%d:%d",
						 i ? " " : "", kinds[t->kind],
						 t->spaced ? "" : "+", t->text,
						 t->loc.line, t->loc.col);
		}
		used += (size_t)snprintf(buf + used, 8192 - used, "\n");
	}
	assert_int_equal(rc, 0);
	token_line_clear(&line);
	free(line.toks);
	return buf;
}

static void check(const char *text, const char *expected)
{
	char *got = dump(text);

	assert_string_equal(got, expected);
	free(got);
}

static void test_words_and_places(void **state)
{
	check("add dst-address=0.0.0.0/0 gateway=10.1.1.1,10.2.2.2\n",
	      "W:add@1:1 W:dst-address@1:5 =+:=@1:16 W+:0.0.0.0/0@1:17 "
	      "W:gateway@1:27 =+:=@1:34 W+:10.1.1.1,10.2.2.2@1:35\n");
}

static void test_menu_spellings(void **state)
{
	check("/ ip route\n/ip/route/add x=y\n",
	      "W:/@1:1 W:ip@1:3 W:route@1:6\n"
	      "W:/ip/route/add@2:1 W:x@2:15 =+:=@2:16 W+:y@2:17\n");
}

static void test_continuation(void **state)
{
	/* Between words, and in the middle of a value as exports do. */
	check("add a=b \\\n    c=d\n",
	      "W:add@1:1 W:a@1:5 =+:=@1:6 W+:b@1:7 W:c@2:5 =+:=@2:6 "
	      "W+:d@2:7\n");
	check("add interface=\\\n    bridge x=1\n",
	      "W:add@1:1 W:interface@1:5 =+:=@1:14 W+:bridge@2:5 W:x@2:12 "
	      "=+:=@2:13 W+:1@2:14\n");
	/* Blanks after the backslash still continue the line. */
	check("add \\  \nx\n", "W:add@1:1 W:x@2:1\n");
}

static void test_strings_and_escapes(void **state)
{
	check("c=\"a b\"\n", "W:c@1:1 =+:=@1:2 S+:a b@1:3\n");
	check("c=\"\\\"\\\\\\_\\$\\?\\41\\4a\"\n",
	      "W:c@1:1 =+:=@1:2 S+:\"\\ $?AJ@1:3\n");
	check("c=\"x\\ny\\tz\"\n", "W:c@1:1 =+:=@1:2 S+:x\ny\tz@1:3\n");
	check("c=\"\"\n", "W:c@1:1 =+:=@1:2 S+:@1:3\n");
	/* A continuation inside a string joins the parts. */
	check("c=\"ab\\\n    cd\"\n", "W:c@1:1 =+:=@1:2 S+:abcd@1:3\n");
	/* Word and string glue together only through the parser. */
	check("c=a\"b\"\n", "W:c@1:1 =+:=@1:2 W+:a@1:3 S+:b@1:4\n");
}

static void test_string_errors(void **state)
{
	check("c=\"abc\nadd\n",
	      "W:c@1:1 =+:=@1:2 E+:unterminated string@1:3\nW:add@2:1\n");
	check("c=\"a\\qb\" x\n",
	      "W:c@1:1 =+:=@1:2 E+:invalid escape sequence in string@1:5\n");
	check("c=\"a\\00\"\n", "W:c@1:1 =+:=@1:2 E+:a NUL byte (\\00) is not "
			       "allowed in a string@1:5\n");
}

static void test_comments(void **state)
{
	check("# nov/27/2026 12:00:00 by RouterOS 6.48.6\n"
	      "# software id = ABCD-1234\n"
	      "/ip route # trailing\n"
	      "add comment=a#b\n",
	      "W:/ip@3:1 W:route@3:5\nW:add@4:1 W:comment@4:5 =+:=@4:12 "
	      "W+:a#b@4:13\n");
	/* A comment ending in a backslash does not swallow the next line. */
	check("# x \\\nadd\n", "W:add@2:1\n");
}

static void test_logical_lines(void **state)
{
	check("\n\n  \nadd\r\n\r\nset\r\n", "W:add@4:1\nW:set@6:1\n");
	check("add; set\n", "W:add@1:1\nW:set@1:6\n");
	/* A value's braces stay one line; brackets lex as punctuation. */
	check(":if (1) do={\n  :put x\n}\nset [ find default=yes ] a=b\n",
	      "W::if@1:1 P:(@1:5 W+:1@1:6 P+:)@1:7 W:do@1:9 =+:=@1:11 "
	      "P+:{@1:12 W::put@2:3 W:x@2:8 P:}@3:1\n"
	      "W:set@4:1 P:[@4:5 W:find@4:7 W:default@4:12 =+:=@4:19 "
	      "W+:yes@4:20 P:]@4:24 W:a@4:26 =+:=@4:27 W+:b@4:28\n");
	check("", "");
	check("add \\", "W:add@1:1\n");
}

/* A brace not after '=' opens or closes a block and ends the line. */
static void test_blocks(void **state)
{
	check("/ip firewall {\n nat { add a=b }\n}\n",
	      "W:/ip@1:1 W:firewall@1:5 {:{@1:14\n"
	      "W:nat@2:2 {:{@2:6\n"
	      "W:add@2:8 W:a@2:12 =+:=@2:13 W+:b@2:14\n"
	      "}:}@2:16\n}:}@3:1\n");
	check("{}", "{:{@1:1\n}:}@1:2\n");
	/* A value's braces do not; one never closed swallows the rest. */
	check(":do {\n:put 1 } on-error={ :put 2 }\n",
	      "W::do@1:1 {:{@1:5\nW::put@2:1 W:1@2:6\n}:}@2:8\n"
	      "W:on-error@2:10 =+:=@2:18 P+:{@2:19 W::put@2:21 W:2@2:26 "
	      "P:}@2:28\n");
	check("add s={\n/ip route\nadd\n",
	      "W:add@1:1 W:s@1:5 =+:=@1:6 P+:{@1:7 W:/ip@2:1 W:route@2:5 "
	      "W:add@3:1 F:unterminated '{': it runs to the end of the "
	      "file@1:7\n");
}

/* A BOM goes, CRLF and lone CRs become LF, nothing else changes. */
static void test_normalize(void **state)
{
	char text[] = "\xEF\xBB\xBF/ip\r\nadd\radd\n\r\r\nx \xEF\xBB\xBF";
	size_t len = text_normalize(text, sizeof(text) - 1);

	assert_int_equal(len, 19);
	assert_memory_equal(text, "/ip\nadd\nadd\n\n\nx \xEF\xBB\xBF", len);
	assert_int_equal(text_normalize(text, 0), 0);
}

static void test_nul_byte(void **state)
{
	struct token_line line = { 0 };
	struct lexer lx;

	lexer_init(&lx, "ad\0d", 4);
	assert_int_equal(lexer_next_line(&lx, &line), 1);
	assert_int_equal(line.n, 3);
	assert_int_equal(line.toks[1].kind, TOK_ERROR);
	assert_int_equal(line.toks[1].loc.col, 3);
	token_line_clear(&line);
	free(line.toks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_places),
		cmocka_unit_test(test_menu_spellings),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_strings_and_escapes),
		cmocka_unit_test(test_string_errors),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_logical_lines),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_nul_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
