/*
 * mustache_spec: runs the Mustache specification's test files (comments,
 * delimiters, interpolation, inverted, partials, sections) against
 * site/mustache.c, then cases of our own for syntax errors, runaway
 * partials and the choices the specification leaves open.  Prints one TAP
 * line per case ("ok - sections: Context Misses"), with the template, the
 * expected and the actual output under a failure; exits 1 if any failed.
 *
 * The specification's files are kept in the checkout, in
 * $SRC/tests/unit/mustache-spec (origin and licence in its README); SRC
 * defaults to ".".  A missing file is a failure, never a skip.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "registry/base/buf.h"
#include "site/mustache.h"

#define MAIN_TEMPLATE "(template)"

static const char *const spec_files[] = {
    "comments",
    "delimiters",
    "interpolation",
    "inverted",
    "partials",
    "sections",
};

static int failures;

/*
 * Prints "#   label: VALUE" with the value quoted and escaped as a JSON
 * string, so that it fits on one line; bytes above 0x7f pass through.
 */
static void
show(const char *label, const char *s, size_t len)
{
	printf("#   %s: \"", label);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				printf("\\u%04x", c);
			else
				putchar(c);
		}
	}
	printf("\"\n");
}

static void
report(const char *group, const char *name, int passed)
{
	printf("%s - %s: %s\n", passed ? "ok" : "not ok", group, name);
	if (!passed)
		failures++;
}

/* Declares every object and array in v unchanging (mustache_set_keep). */
static void
keep_all(struct mustache_set *set, json_t *v)
{
	const char *key;
	json_t *member;
	size_t i;

	if (json_is_object(v)) {
		mustache_set_keep(set, v);
		json_object_foreach (v, key, member)
			keep_all(set, member);
	} else if (json_is_array(v)) {
		mustache_set_keep(set, v);
		json_array_foreach (v, i, member)
			keep_all(set, member);
	}
}

/* The case again through a memo with all its data kept: the first render
 * records, the second copies; both must give the expected bytes. */
static void
run_memo_case(const char *group, const char *name, struct mustache_set *set,
    json_t *data, json_t *expected)
{
	struct mustache_memo *memo = mustache_memo_new();
	struct buf out = BUF_INIT, err = BUF_INIT, label = BUF_INIT;
	keep_all(set, data);
	for (int pass = 1; pass <= 2; pass++) {
		buf_reset(&out);
		buf_reset(&err);
		mustache_render_memo(
		    set, MAIN_TEMPLATE, data, memo, &out, &err);
		int ok = err.len == 0 &&
		         out.len == json_string_length(expected) &&
		         memcmp(buf_str(&out), json_string_value(expected),
		             out.len) == 0;
		buf_reset(&label);
		buf_printf(&label, "%s (memo, render %d)", name, pass);
		report(group, buf_str(&label), ok);
		if (!ok)
			show("actual  ", buf_str(&out), out.len);
	}
	buf_free(&out);
	buf_free(&err);
	buf_free(&label);
	mustache_memo_free(memo);
}

/* Runs one case of a spec file; returns 1 if it passed. */
static void
run_spec_case(const char *group, json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	json_t *template = json_object_get(test, "template");
	json_t *expected = json_object_get(test, "expected");
	json_t *partials = json_object_get(test, "partials");
	json_t *data = json_object_get(test, "data");
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *pname;
	json_t *psrc;
	int ok;

	if (name == NULL || !json_is_string(template) ||
	    !json_is_string(expected)) {
		report(group, name ? name : "(unnamed case)", 0);
		printf("#   malformed test case\n");
		goto done;
	}
	json_object_foreach (partials, pname, psrc) {
		if (mustache_set_add(set, pname, json_string_value(psrc),
		        json_string_length(psrc), &err) == -1)
			buf_putc(&err, '\n');
	}
	if (mustache_set_add(set, MAIN_TEMPLATE, json_string_value(template),
	        json_string_length(template), &err) == 0)
		mustache_render(set, MAIN_TEMPLATE, data, &out, &err);
	ok = err.len == 0 && out.len == json_string_length(expected) &&
	     memcmp(buf_str(&out), json_string_value(expected), out.len) == 0;
	report(group, name, ok);
	if (!ok) {
		show("template", json_string_value(template),
		    json_string_length(template));
		show("expected", json_string_value(expected),
		    json_string_length(expected));
		show("actual  ", buf_str(&out), out.len);
		if (err.len > 0)
			show("error   ", buf_str(&err), err.len);
	}
	if (err.len == 0)
		run_memo_case(group, name, set, data, expected);
done:
	buf_free(&out);
	buf_free(&err);
	mustache_set_free(set);
}

static void
run_spec_file(const char *dir, const char *group)
{
	struct buf path = BUF_INIT;
	json_error_t jerr;
	json_t *root, *tests, *test;
	size_t i;

	buf_printf(&path, "%s/%s.json", dir, group);
	root = json_load_file(buf_str(&path), 0, &jerr);
	if (root == NULL) {
		printf(
		    "not ok - mustache spec file %s missing\n", buf_str(&path));
		printf("#   %s\n", jerr.text);
		failures++;
		goto done;
	}
	tests = json_object_get(root, "tests");
	if (json_array_size(tests) == 0) {
		printf("not ok - mustache spec file %s has no tests\n",
		    buf_str(&path));
		failures++;
	}
	json_array_foreach (tests, i, test)
		run_spec_case(group, test);
done:
	json_decref(root);
	buf_free(&path);
}

/*
 * Our own cases.  check_error: adding src as template `name` fails with
 * exactly the message want.
 */
static void
check_error(
    const char *title, const char *name, const char *src, const char *want)
{
	struct mustache_set *set = mustache_set_new();
	struct buf err = BUF_INIT;
	int rc = mustache_set_add(set, name, src, strlen(src), &err);
	int ok = rc == -1 && strcmp(buf_str(&err), want) == 0 &&
	         !mustache_set_has(set, name);

	report("errors", title, ok);
	if (!ok) {
		show("template", src, strlen(src));
		printf("#   expected: return -1 and %s\n", want);
		printf("#   actual:   return %d and %s\n", rc, buf_str(&err));
	}
	buf_free(&err);
	mustache_set_free(set);
}

/*
 * Renders `main` from a set of templates given as name, source pairs
 * (NULL-terminated) against context (JSON text); checks the return code
 * and that out equals want_out (unless that is NULL) and err starts with
 * want_err ("" means no error).
 */
static void
check_render(const char *group, const char *title, const char *context,
    int want_rc, const char *want_out, const char *want_err, ...)
{
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT, err = BUF_INIT;
	json_error_t jerr;
	json_t *data = json_loads(context, JSON_DECODE_ANY, &jerr);
	const char *name, *src;
	va_list ap;
	int rc = -2;

	va_start(ap, want_err);
	while ((name = va_arg(ap, const char *)) != NULL) {
		src = va_arg(ap, const char *);
		if (mustache_set_add(set, name, src, strlen(src), &err) == -1)
			goto done;
	}
	if (data == NULL) {
		buf_printf(&err, "bad test context: %s", jerr.text);
		goto done;
	}
	rc = mustache_render(set, "main", data, &out, &err);
done:
	va_end(ap);
	int ok = rc == want_rc &&
	         (want_out == NULL || strcmp(buf_str(&out), want_out) == 0) &&
	         strncmp(buf_str(&err), want_err, strlen(want_err)) == 0 &&
	         (want_err[0] != '\0' || err.len == 0);
	report(group, title, ok);
	if (!ok) {
		printf("#   expected: return %d, error starting with '%s'\n",
		    want_rc, want_err);
		if (want_out != NULL)
			show("expected output", want_out, strlen(want_out));
		printf(
		    "#   actual:   return %d, error '%s'\n", rc, buf_str(&err));
		show("actual output  ", buf_str(&out), out.len);
	}
	json_decref(data);
	buf_free(&out);
	buf_free(&err);
	mustache_set_free(set);
}

static void
run_error_cases(void)
{
	check_error("unclosed section", "layout.mustache",
	    "<ul>\n{{#pages}}\n<li>{{title}}</li>\n",
	    "layout.mustache:3: section 'pages' opened on line 2 is never "
	    "closed");
	check_error("innermost unclosed section is named", "t",
	    "{{#a}}\n{{^b}}\nx",
	    "t:3: section 'b' opened on line 2 is never closed");
	check_error("mismatched close tag", "page.mustache",
	    "{{#a}}\n  {{#b}}\n  {{/a}}\n{{/b}}\n",
	    "page.mustache:3: closing tag 'a' does not match section 'b' "
	    "opened on line 2");
	check_error("close tag without section", "t", "x\ny{{/a}}",
	    "t:2: closing tag 'a' has no open section");
	check_error("unclosed tag", "t", "one\ntwo {{name\nthree",
	    "t:2: tag '{{' is never closed (no '}}' follows)");
	check_error("unclosed triple mustache", "t", "{{{name}}",
	    "t:1: tag '{{{' is never closed (no '}}}' follows)");
	check_error("unclosed tag after delimiter change", "t",
	    "{{=<% %>=}}\n\n<% name }}",
	    "t:3: tag '<%' is never closed (no '%>' follows)");
	check_error("bad delimiter change", "t", "a\n{{=<%=}}",
	    "t:2: bad delimiter change '<%': want two delimiters separated "
	    "by a space, as in {{=<% %>=}}");
	check_error("three delimiters", "t", "{{= a b c =}}",
	    "t:1: bad delimiter change 'a b c': want two delimiters "
	    "separated by a space, as in {{=<% %>=}}");
	check_error("empty tag name", "t", "x {{ }}", "t:1: empty tag name");
	check_error("space inside a name", "t", "{{page title}}",
	    "t:1: bad tag name 'page title'");
	check_error("empty dotted segment", "t", "\n\n{{#a..b}}{{/a..b}}",
	    "t:3: bad tag name 'a..b'");

	/* A failed add leaves the earlier template of that name in place. */
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT, err = BUF_INIT;
	int ok = mustache_set_add(set, "t", "old", 3, &err) == 0 &&
	         mustache_set_add(set, "t", "{{#x}}", 6, &err) == -1 &&
	         mustache_render(set, "t", NULL, &out, &err) == 0 &&
	         strcmp(buf_str(&out), "old") == 0;
	report("errors", "failed add keeps the earlier template", ok);
	if (!ok)
		printf("#   output '%s', error '%s'\n", buf_str(&out),
		    buf_str(&err));
	buf_reset(&err);
	ok = mustache_render(set, "nope", NULL, &out, &err) == -1 &&
	     strcmp(buf_str(&err), "nope: no such template") == 0;
	report("errors", "rendering an unknown template", ok);
	if (!ok)
		printf("#   error '%s'\n", buf_str(&err));
	buf_free(&out);
	buf_free(&err);
	mustache_set_free(set);

	check_render("errors", "self-recursive partial", "{}", -1, NULL,
	    "self:1: partial 'self' nested more than 100 deep", "main",
	    "{{>self}}", "self", "{{>self}}", NULL);
	check_render("errors", "mutually recursive partials", "{\"x\": 1}", -1,
	    NULL, "b:2: partial 'a' nested more than 100 deep", "main",
	    "{{>a}}", "a", "{{x}}{{>b}}", "b", "\n{{>a}}", NULL);
	check_render("errors", "doubly self-recursive partial stops at once",
	    "{}", -1, NULL, "main:1: partial 'main' nested more than 100 deep",
	    "main", "{{>main}}{{>main}}{{>main}}", NULL);
	check_render("errors", "sections nested too deep", "{\"a\": [1]}", -1,
	    NULL, "r:1: sections nested more than 500 deep", "main", "{{>r}}",
	    "r",
	    "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
	    "{{>r}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}",
	    NULL);
}

/* Renders template "main" of set against the JSON text ctx with memo and
 * checks the output is expected. */
static void
check_memo(const char *name, struct mustache_set *set,
    struct mustache_memo *memo, json_t *ctx, const char *expected)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	int rc = mustache_render_memo(set, "main", ctx, memo, &out, &err);
	int ok = rc == 0 && strcmp(buf_str(&out), expected) == 0;
	report("memo", name, ok);
	if (!ok) {
		show("expected", expected, strlen(expected));
		show("actual  ", buf_str(&out), out.len);
		show("error   ", buf_str(&err), err.len);
	}
	buf_free(&out);
	buf_free(&err);
}

/* The memo's own cases: kept entries shared by pages whose outside values
 * (a root, a flag, an object) differ. */
static void
run_memo_extras(void)
{
	struct mustache_set *set = mustache_set_new();
	struct mustache_memo *memo = mustache_memo_new();
	static const char item[] =
	    "{{#nav}}<a href=\"{{root}}{{url}}\">{{title}}</a>"
	    "{{#more}}+{{/more}}{{#o.k}}!{{/o.k}}{{/nav}}";
	mustache_set_add(set, "main", item, sizeof item - 1, NULL);
	json_t *shared = json_pack("{s:s, s:s}", "url", "a/", "title", "A&B");
	mustache_set_keep(set, shared);
	json_t *one = json_pack("{s:s, s:[O]}", "root", "../", "nav", shared);
	json_t *two =
	    json_pack("{s:s, s:[O]}", "root", "../../", "nav", shared);
	json_t *more = json_pack(
	    "{s:s, s:b, s:[O]}", "root", "../", "more", 1, "nav", shared);
	json_t *obj = json_pack(
	    "{s:s, s:{s:b}, s:[O]}", "root", "../", "o", "k", 1, "nav", shared);
	for (int pass = 1; pass <= 2; pass++) {
		check_memo("an entry recorded", set, memo, one,
		    "<a href=\"../a/\">A&amp;B</a>");
		check_memo("another root renders again", set, memo, two,
		    "<a href=\"../../a/\">A&amp;B</a>");
		check_memo("a name missing before is set now", set, memo, more,
		    "<a href=\"../a/\">A&amp;B</a>+");
		check_memo("a dotted name through an outside object", set, memo,
		    obj, "<a href=\"../a/\">A&amp;B</a>!");
	}
	/* the templates change: what was recorded is not used */
	static const char other[] = "{{#nav}}[{{title}}]{{/nav}}";
	mustache_set_add(set, "main", other, sizeof other - 1, NULL);
	check_memo(
	    "new templates, new renderings", set, memo, one, "[A&amp;B]");
	json_decref(one);
	json_decref(two);
	json_decref(more);
	json_decref(obj);
	json_decref(shared);
	mustache_memo_free(memo);
	mustache_set_free(set);
}

static void
run_extra_cases(void)
{
	check_render("extras", "empty string is falsy", "{\"s\": \"\"}", 0,
	    "[no][]", "", "main", "[{{^s}}no{{/s}}][{{#s}}yes{{/s}}]", NULL);
	check_render("extras", "zero and empty object are truthy",
	    "{\"z\": 0, \"o\": {}}", 0, "0yes", "", "main",
	    "{{#z}}{{.}}{{/z}}{{#o}}yes{{/o}}", NULL);
	check_render("extras", "booleans interpolate as words",
	    "{\"t\": true, \"f\": false}", 0, "true false", "", "main",
	    "{{t}} {{f}}", NULL);
	check_render("extras", "arrays and objects interpolate as nothing",
	    "{\"a\": [1], \"o\": {\"k\": 1}}", 0, "[][]", "", "main",
	    "[{{a}}][{{o}}]", NULL);
	check_render("extras", "reals print in shortest round-trip form",
	    "[0.1, 1.0, 1e300, -2.5e-7, 0.30000000000000004]", 0,
	    "0.1 1 1e+300 -2.5e-07 0.30000000000000004 ", "", "main",
	    "{{#.}}{{.}} {{/.}}", NULL);
	check_render("extras", "large integers print exactly",
	    "[9007199254740993, -9223372036854775807]", 0,
	    "9007199254740993,-9223372036854775807,", "", "main",
	    "{{#.}}{{.}},{{/.}}", NULL);
	check_render("extras", "apostrophe is escaped", "{\"q\": \"it's\"}", 0,
	    "it&#39;s it's", "", "main", "{{q}} {{{q}}}", NULL);
	check_render("extras", "null context renders", "null", 0, "[]", "",
	    "main", "[{{x}}{{.}}{{#.}}y{{/.}}]", NULL);
	check_render("extras", "custom delimiters with triple braces",
	    "{\"h\": \"<b>\"}", 0, "<b>&lt;b&gt;", "", "main",
	    "{{=<% %>=}}<%{h}%><%h%>", NULL);
	check_render("extras", "nested standalone partials add indentation",
	    "{\"v\": \"x\\ny\"}", 0, "  a\n    b\n    x\ny\n  c\n", "", "main",
	    "  {{>outer}}\n", "outer", "a\n  {{>inner}}\nc\n", "inner",
	    "b\n{{{v}}}\n", NULL);
	check_render("extras",
	    "inline partial inside an indented one is "
	    "not indented",
	    "{}", 0, "  a <\n>\n  b\n", "", "main", "  {{>outer}}\n", "outer",
	    "a {{>inner}}\nb\n", "inner", "<\n>", NULL);
	check_render("extras", "indented partial with standalone sections",
	    "{\"l\": [1, 2]}", 0, "  <\n  1\n  2\n  >\n", "", "main",
	    "  {{>p}}\n", "p", "<\n{{#l}}\n{{.}}\n{{/l}}\n>\n", NULL);
	check_render("extras", "indentation before an inline closing tag",
	    "{\"l\": [1, 2]}", 0, "  1\n  2\n  .", "", "main", "  {{>p}}\n",
	    "p", "{{#l}}{{.}}\n{{/l}}.", NULL);

	run_memo_extras();

	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT, err = BUF_INIT;
	static const char loop[] =
	    "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}xxxxxxxxxx"
	    "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}";
	json_t *data =
	    json_pack("{s:[iiiiiiiiii]}", "l", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	mustache_set_limits(set, 1000, 0);
	int rc = mustache_set_add(set, "main", loop, sizeof(loop) - 1, &err);
	rc = rc == 0 ? mustache_render(set, "main", data, &out, &err) : -2;
	int ok = rc == -1 && out.len < 2000 &&
	         strstr(buf_str(&err), "too large") != NULL;
	report("errors", "output limit stops a runaway loop", ok);
	if (!ok)
		printf("#   return %d, %zu bytes, error '%s'\n", rc, out.len,
		    buf_str(&err));
	buf_reset(&out);
	buf_reset(&err);
	mustache_set_limits(set, 0, 10000);
	rc = mustache_render(set, "main", data, &out, &err);
	ok = rc == -1 && strstr(buf_str(&err), "too many steps") != NULL;
	report("errors", "step limit stops a runaway loop", ok);
	if (!ok)
		printf("#   return %d, error '%s'\n", rc, buf_str(&err));
	json_decref(data);
	buf_free(&out);
	buf_free(&err);
	mustache_set_free(set);
}

int
main(void)
{
	const char *src = getenv("SRC");
	struct buf dir = BUF_INIT;

	if (src == NULL || src[0] == '\0')
		src = ".";
	buf_printf(&dir, "%s/tests/unit/mustache-spec", src);
	for (size_t i = 0; i < sizeof(spec_files) / sizeof(spec_files[0]); i++)
		run_spec_file(buf_str(&dir), spec_files[i]);
	run_error_cases();
	run_extra_cases();
	buf_free(&dir);
	return failures ? 1 : 0;
}
