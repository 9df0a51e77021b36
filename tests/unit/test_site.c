/*
 * Unit tests of sitegen's modules: front matter, Markdown rendering, fee
 * tables, link resolution, the output swap, search sections and the
 * worker pool.  Each test names the rule
 * it checks; failures show the expected and the actual value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/base/buf.h"
#include "site/fees.h"
#include "site/frontmatter.h"
#include "site/fs.h"
#include "site/history.h"
#include "site/links.h"
#include "site/markdown.h"
#include "site/pool.h"
#include "site/redline.h"
#include "site/search.h"
#include "site/strmap.h"
#include "registry/rules/date.h"
#include "registry/rules/status.h"
#include "tests/unit/rows.h"

#define assert_contains(haystack, needle)                                      \
	do {                                                                   \
		if (strstr((haystack), (needle)) == NULL)                      \
			fail_msg("expected to find \"%s\" in:\n%s", (needle),  \
			    (haystack));                                       \
	} while (0)

/* ---- front matter ---- */

static int
parse_fm(const char *src, struct frontmatter *fm, struct buf *err)
{
	return frontmatter_parse("content/x.md", src, strlen(src), fm, err);
}

static void
frontmatter_types(void **state)
{
	(void)state;
	struct frontmatter fm;
	struct buf err = BUF_INIT;
	const char *src = "---\ntitle: 9 费用及周期\nweight: 100\nratio: 1.5\n"
	                  "draft: false\nquoted: \"42\"\nnothing: ~\ntags: [a, "
	                  "b]\n---\nbody\n";
	assert_int_equal(parse_fm(src, &fm, &err), 0);
	assert_string_equal(
	    json_string_value(json_object_get(fm.meta, "title")),
	    "9 费用及周期");
	assert_int_equal(
	    json_integer_value(json_object_get(fm.meta, "weight")), 100);
	assert_true(json_is_real(json_object_get(fm.meta, "ratio")));
	assert_true(json_is_false(json_object_get(fm.meta, "draft")));
	assert_string_equal(
	    json_string_value(json_object_get(fm.meta, "quoted")), "42");
	assert_true(json_is_null(json_object_get(fm.meta, "nothing")));
	assert_int_equal(json_array_size(json_object_get(fm.meta, "tags")), 2);
	assert_string_equal(src + fm.body_offset, "body\n");
	assert_int_equal(fm.body_line, 10);
	json_decref(fm.meta);
	buf_free(&err);
}

static void
frontmatter_absent(void **state)
{
	(void)state;
	struct frontmatter fm;
	struct buf err = BUF_INIT;
	assert_int_equal(parse_fm("# Title\n", &fm, &err), 0);
	assert_int_equal(json_object_size(fm.meta), 0);
	assert_int_equal(fm.body_offset, 0);
	assert_int_equal(fm.body_line, 1);
	json_decref(fm.meta);
}

static void
frontmatter_unclosed_names_line_1(void **state)
{
	(void)state;
	struct frontmatter fm;
	struct buf err = BUF_INIT;
	assert_int_equal(parse_fm("---\ntitle: x\nbody\n", &fm, &err), -1);
	assert_contains(buf_str(&err),
	    "content/x.md:1: front matter opened here is never closed");
	buf_free(&err);
}

static void
frontmatter_bad_yaml_names_its_line(void **state)
{
	(void)state;
	struct frontmatter fm;
	struct buf err = BUF_INIT;
	assert_int_equal(
	    parse_fm(
	        "---\ntitle: ok\nweight: 1\ntags: [a, b\n---\n", &fm, &err),
	    -1);
	assert_contains(buf_str(&err), "content/x.md:4:");
	buf_reset(&err);
	assert_int_equal(
	    parse_fm("---\ntitle: a\ntitle: b\n---\n", &fm, &err), -1);
	assert_contains(buf_str(&err),
	    "content/x.md:3: front matter: key 'title' appears twice");
	buf_reset(&err);
	assert_int_equal(parse_fm("---\n- a\n- b\n---\n", &fm, &err), -1);
	assert_contains(
	    buf_str(&err), "content/x.md:2: front matter must be a mapping");
	buf_reset(&err);
	assert_int_equal(parse_fm("---\na: &x 1\nb: *x\n---\n", &fm, &err), -1);
	assert_contains(buf_str(&err), "not supported");
	buf_free(&err);
}

/* ---- Markdown ---- */

static char *
render(const char *src, struct md_result *md, struct buf *err)
{
	struct md_options opt = {.path = "content/p.md", .first_line = 5};
	int rc = markdown_render(src, strlen(src), &opt, md, err);
	return rc == 0 ? md->html : NULL;
}

static void
markdown_explicit_and_made_ids(void **state)
{
	(void)state;
	struct md_result md;
	struct buf err = BUF_INIT;
	char *html = render("## 费用 {#fees}\n\n## Hello, World!\n\n## Hello "
	                    "World\n\n## 组织\n",
	    &md, &err);
	assert_non_null(html);
	assert_int_equal(md.nheadings, 4);
	assert_string_equal(md.headings[0].id, "fees");
	assert_string_equal(md.headings[0].text, "费用");
	assert_int_equal(md.headings[0].line, 5);
	assert_string_equal(md.headings[1].id, "hello-world");
	assert_string_equal(md.headings[2].id, "hello-world-2");
	assert_string_equal(md.headings[3].id, "组织");
	assert_contains(
	    html, "<h2 id=\"fees\">费用 <a class=\"anchor\" href=\"#fees\"");
	md_result_free(&md);
	buf_free(&err);
}

static void
markdown_duplicate_id_is_an_error(void **state)
{
	(void)state;
	struct md_result md;
	struct buf err = BUF_INIT;
	assert_null(render("## A {#x}\n\ntext\n\n## B {#x}\n", &md, &err));
	assert_contains(buf_str(&err),
	    "content/p.md:9: heading id 'x' is already used on line 5");
	md_result_free(&md);
	buf_reset(&err);
	assert_null(render("## A {#bad id}\n", &md, &err));
	assert_contains(buf_str(&err), "content/p.md:5: heading id 'bad id'");
	md_result_free(&md);
	buf_free(&err);
}

static void
markdown_escapes_raw_html(void **state)
{
	(void)state;
	struct md_result md;
	struct buf err = BUF_INIT;
	char *html = render("text <script>alert(1)</script> more\n\n<div "
	                    "onclick=\"x\">block</div>\n",
	    &md, &err);
	assert_non_null(html);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<div"));
	assert_contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_contains(
	    html, "&lt;div onclick=&quot;x&quot;&gt;block&lt;/div&gt;");
	md_result_free(&md);
	buf_free(&err);
}

static void
markdown_gfm_extensions(void **state)
{
	(void)state;
	struct md_result md;
	struct buf err = BUF_INIT;
	char *html =
	    render("~~old~~ www.example.org\n\n- [x] done\n- [ ] todo\n\n"
	           "| a | b |\n| - | - |\n| 1 | **2** |\n",
	        &md, &err);
	assert_non_null(html);
	assert_contains(html, "<del>old</del>");
	assert_contains(html, "<a href=\"http://www.example.org\">");
	assert_contains(html, "type=\"checkbox\"");
	assert_contains(
	    html, "<table tabindex=\"0\">"); /* reachable when it scrolls */
	assert_int_equal(md.ntables, 1);
	assert_int_equal(md.tables[0].rows, 2);
	assert_int_equal(md.tables[0].cols, 2);
	assert_int_equal(md.tables[0].line, 10);
	assert_string_equal(md.tables[0].cells[3], "2");
	md_result_free(&md);
	buf_free(&err);
}

static char *
upper_link(void *ctx, const char *url, int line, int is_image)
{
	int *calls = ctx;
	(*calls)++;
	assert_int_equal(line, 5);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", is_image ? "img" : "page", url);
	return buf_detach(&b);
}

static void
markdown_rewrites_links(void **state)
{
	(void)state;
	int calls = 0;
	struct md_options opt = {.path = "p.md",
	    .first_line = 5,
	    .link = upper_link,
	    .link_ctx = &calls};
	struct md_result md;
	struct buf err = BUF_INIT;
	const char *src = "[a](x.md#y) ![b](c.svg)\n";
	assert_int_equal(markdown_render(src, strlen(src), &opt, &md, &err), 0);
	assert_int_equal(calls, 2);
	assert_contains(md.html, "href=\"page/x.md#y\"");
	assert_contains(md.html, "src=\"img/c.svg\"");
	md_result_free(&md);
	buf_free(&err);
}

/* ---- fees ---- */

static struct md_table
table_of(const char **cells, size_t rows, size_t cols)
{
	struct md_table t = {.line = 10, .rows = rows, .cols = cols};
	t.cells = (char **)cells;
	static int lines[16];
	for (size_t i = 0; i < rows && i < 16; i++)
		lines[i] = 10 + (int)i + (i > 0);
	t.row_lines = lines;
	return t;
}

static const char *GOOD_FEES[] = {
    "项目",
    "人日",
    "单价（元/人日）",
    "金额（元）",
    "受理费",
    "1",
    "5,000",
    "5,000",
    "现场审核费",
    "3",
    "5000",
    "15,000",
    "年金",
    "",
    "5,000 元/年 × 3 年",
    "15,000",
    "证书费",
    "",
    "",
    "3,000元",
    "总计",
    "",
    "",
    "38,000",
};

static void
fees_good_table_passes(void **state)
{
	(void)state;
	struct md_table t = table_of(GOOD_FEES, 6, 4);
	struct buf err = BUF_INIT;
	assert_int_equal(fees_check(&t, 1, "content/fees.md", &err), 1);
	assert_int_equal(err.len, 0);
	buf_free(&err);
}

static void
fees_wrong_total_fails(void **state)
{
	(void)state;
	const char *cells[24];
	memcpy(cells, GOOD_FEES, sizeof cells);
	cells[23] = "58,000";
	struct md_table t = table_of(cells, 6, 4);
	struct buf err = BUF_INIT;
	assert_int_equal(fees_check(&t, 1, "content/fees.md", &err), -1);
	assert_contains(buf_str(&err),
	    "content/fees.md:16: fee table: the items "
	    "add up to 38,000, but the total row says 58,000");
	buf_free(&err);
}

static void
fees_wrong_product_fails(void **state)
{
	(void)state;
	const char *cells[24];
	memcpy(cells, GOOD_FEES, sizeof cells);
	cells[9] = "2"; /* 2 person-days at 5000 is not 15,000 */
	struct md_table t = table_of(cells, 6, 4);
	struct buf err = BUF_INIT;
	assert_int_equal(fees_check(&t, 1, "content/fees.md", &err), -1);
	assert_contains(buf_str(&err), "现场审核费: 2 person-days at 5000 is "
	                               "10,000, but the amount says 15,000");
	buf_free(&err);
}

static void
fees_missing_total_fails_and_other_tables_ignored(void **state)
{
	(void)state;
	struct md_table t = table_of(GOOD_FEES, 5, 4);
	struct buf err = BUF_INIT;
	assert_int_equal(fees_check(&t, 1, "f.md", &err), -1);
	assert_contains(buf_str(&err), "f.md:10: fee table has no total row");
	buf_reset(&err);
	const char *other[] = {"级别", "名称", "一级", "基本执行级"};
	struct md_table o = table_of(other, 2, 2);
	assert_int_equal(fees_check(&o, 1, "f.md", &err), 0);
	buf_free(&err);
}

static void
fees_amount_parsing(void **state)
{
	(void)state;
	long long v;
	assert_int_equal(fees_parse_amount("58,000", &v), 0);
	assert_int_equal(v, 58000);
	assert_int_equal(fees_parse_amount(" 3000 元", &v), 0);
	assert_int_equal(v, 3000);
	assert_int_equal(fees_parse_amount("5\xEF\xBC\x8C"
	                                   "000",
	                     &v),
	    0);
	assert_int_equal(v, 5000);
	assert_int_equal(fees_parse_amount("", &v), -1);
	assert_int_equal(fees_parse_amount("5,000 元/年 × 3 年", &v), -1);
	assert_int_equal(fees_parse_amount(",5", &v), -1);
	assert_int_equal(fees_parse_amount("99999999999999999999", &v), -1);
}

/* ---- links ---- */

static void
links_resolution(void **state)
{
	(void)state;
	struct buf t = BUF_INIT, a = BUF_INIT;
	assert_int_equal(links_resolve("a/b.md", "c.md#x", &t, &a), LINK_PAGE);
	assert_string_equal(t.data, "a/c.md");
	assert_string_equal(a.data, "x");
	assert_int_equal(
	    links_resolve("a/b.md", "../img/f.svg", &t, &a), LINK_FILE);
	assert_string_equal(t.data, "img/f.svg");
	assert_int_equal(
	    links_resolve("b.md", "../x.md", &t, &a), LINK_OUTSIDE);
	assert_int_equal(links_resolve("b.md", "#top", &t, &a), LINK_ANCHOR);
	assert_string_equal(a.data, "top");
	assert_int_equal(
	    links_resolve("b.md", "https://example.org/x.md", &t, &a),
	    LINK_EXTERNAL);
	assert_int_equal(
	    links_resolve("b.md", "mailto:a@b", &t, &a), LINK_EXTERNAL);
	assert_int_equal(
	    links_resolve("b.md", "/v1/meta", &t, &a), LINK_EXTERNAL);
	assert_int_equal(
	    links_resolve("b.md", "./c/./d.md", &t, &a), LINK_PAGE);
	assert_string_equal(t.data, "c/d.md");
	buf_free(&t);
	buf_free(&a);
}

static void
links_page_addresses(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	links_page_dir("index.md", &b);
	assert_string_equal(buf_str(&b), "");
	buf_reset(&b);
	links_page_dir("fees.md", &b);
	assert_string_equal(b.data, "fees/");
	buf_reset(&b);
	links_page_dir("a/index.md", &b);
	assert_string_equal(b.data, "a/");
	buf_reset(&b);
	links_page_dir("a/b.md", &b);
	assert_string_equal(b.data, "a/b/");
	buf_reset(&b);
	links_root_prefix("", &b);
	assert_string_equal(b.data, "./");
	buf_reset(&b);
	links_root_prefix("a/b/", &b);
	assert_string_equal(b.data, "../../");
	buf_free(&b);
}

static void
links_check_reports_each_broken_link(void **state)
{
	(void)state;
	struct links *l = links_new();
	links_add_file(l, "fees.md");
	links_add_id(l, "fees.md", "fees-table");
	links_expect(l, "content/index.md", 3, "fees.md#fees-table", "fees.md",
	    "fees-table");
	links_expect(l, "content/index.md", 4, "fees.md", "fees.md", "");
	links_expect(
	    l, "content/index.md", 5, "fees.md#nope", "fees.md", "nope");
	links_expect(l, "content/index.md", 6, "gone.md", "gone.md", "");
	links_expect(l, "content/index.md", 7, "i.svg", "i.svg", NULL);
	struct buf err = BUF_INIT;
	assert_int_equal(links_check(l, &err), 3);
	assert_contains(
	    buf_str(&err), "content/index.md:5: broken link 'fees.md#nope'");
	assert_contains(buf_str(&err), "content/index.md:6: broken link "
	                               "'gone.md': gone.md does not exist");
	assert_contains(
	    buf_str(&err), "content/index.md:7: broken link 'i.svg'");
	buf_free(&err);
	links_free(l);
}

/* ---- fs ---- */

/* fs-in-place-1: a file beside one just written is written whole;
 * fs-in-place-2: in a folder that is not there it fails, naming the
 * path, and makes no folder. */
static void
fs_write_in_place_makes_no_folder(void **state)
{
	(void)state;
	char base[] = "/tmp/site-unit.XXXXXX";
	assert_non_null(mkdtemp(base));
	struct buf path = BUF_INIT, err = BUF_INIT;
	buf_printf(&path, "%s/a/index.html", base);
	assert_int_equal(fs_write_file(path.data, "page", 4, &err), 0);
	buf_puts(&path, ".gz");
	assert_int_equal(fs_write_file_in_place(path.data, "gz", 2, &err), 0);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(fs_read_file(path.data, &data, &len, &err), 0);
	if (len != 2 || memcmp(data, "gz", 2) != 0)
		fail_msg("fs-in-place-1: expected \"gz\", read %zu bytes", len);
	free(data);
	buf_reset(&path);
	buf_printf(&path, "%s/b/index.html.gz", base);
	assert_int_equal(fs_write_file_in_place(path.data, "gz", 2, &err), -1);
	if (strstr(buf_str(&err), path.data) == NULL)
		fail_msg("fs-in-place-2: the message '%s' does not name %s",
		    buf_str(&err), path.data);
	buf_reset(&path);
	buf_printf(&path, "%s/b", base);
	if (access(path.data, F_OK) == 0)
		fail_msg("fs-in-place-2: %s was made", path.data);
	assert_int_equal(fs_remove_tree(base, &err), 0);
	buf_free(&path);
	buf_free(&err);
}

static void
fs_swap_replaces_whole_folder(void **state)
{
	(void)state;
	char base[] = "/tmp/site-unit.XXXXXX";
	assert_non_null(mkdtemp(base));
	struct buf target = BUF_INIT, file = BUF_INIT, err = BUF_INIT;
	buf_printf(&target, "%s/public", base);
	buf_printf(&file, "%s/old.html", target.data);
	assert_int_equal(fs_write_file(file.data, "old", 3, &err), 0);
	char *staged = fs_make_staging_dir(target.data, &err);
	assert_non_null(staged);
	buf_reset(&file);
	buf_printf(&file, "%s/new.html", staged);
	assert_int_equal(fs_write_file(file.data, "new", 3, &err), 0);
	assert_int_equal(fs_swap_into_place(staged, target.data, &err), 0);
	buf_reset(&file);
	buf_printf(&file, "%s/new.html", target.data);
	assert_int_equal(access(file.data, F_OK), 0);
	buf_reset(&file);
	buf_printf(&file, "%s/old.html", target.data);
	assert_int_not_equal(access(file.data, F_OK), 0);
	assert_int_not_equal(access(staged, F_OK), 0);
	assert_int_equal(fs_remove_tree(base, &err), 0);
	free(staged);
	buf_free(&target);
	buf_free(&file);
	buf_free(&err);
}

/* ---- redline ---- */

static void
redline_text_marks_only_the_difference(void **state)
{
	(void)state;
	struct buf html = BUF_INIT;
	double alike =
	    redline_text("费用为五千元。", "费用为五万八千元。", &html);
	assert_string_equal(html.data, "费用为五<ins>万八</ins>千元。");
	assert_true(alike > 0.8 && alike < 1.0);
	buf_reset(&html);
	redline_text("apply within 90 days", "apply within 30 days", &html);
	assert_string_equal(
	    html.data, "apply within <del>90</del><ins>30</ins> days");
	buf_reset(&html);
	assert_true(redline_text("a < b", "a < b", &html) == 1.0);
	assert_string_equal(html.data, "a &lt; b");
	buf_free(&html);
}

static void
redline_page_counts_added_removed_changed(void **state)
{
	(void)state;
	struct md_block old_blocks[] = {
	    {MD_HEADING, 2, "条款", NULL, 0},
	    {MD_PARAGRAPH, 0, "第一段。", NULL, 0},
	    {MD_PARAGRAPH, 0, "第二段：旧规定。", NULL, 0},
	    {MD_ITEM, 0, "费用为五千元。", NULL, 0},
	};
	struct md_block new_blocks[] = {
	    {MD_HEADING, 2, "条款", NULL, 0},
	    {MD_PARAGRAPH, 0, "第一段。", NULL, 0},
	    {MD_ITEM, 0, "费用为五万八千元。", NULL, 0},
	    {MD_PARAGRAPH, 0, "新增的一段话，与其他段落完全不同。", NULL, 0},
	};
	struct buf html = BUF_INIT;
	struct redline_counts c = {0};
	size_t n = redline_page(old_blocks, 4, new_blocks, 4, &html, &c);
	assert_int_equal(n, 3);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.removed, 1);
	assert_int_equal(c.changed, 1);
	assert_contains(html.data, "<h3 class=\"rl-same\">条款</h3>");
	assert_contains(html.data,
	    "<p class=\"rl-removed\"><del>第二段：旧规定。</del></p>");
	assert_contains(html.data,
	    "<p class=\"rl-item "
	    "rl-changed\">费用为五<ins>万八</ins>千元。</p>");
	buf_reset(&html);
	memset(&c, 0, sizeof c);
	assert_int_equal(
	    redline_page(old_blocks, 4, old_blocks, 4, &html, &c), 0);
	buf_reset(&html);
	assert_int_equal(redline_page(NULL, 0, new_blocks, 4, &html, &c), 4);
	buf_free(&html);
}

/* ---- search ---- */

static void
collect_token(void *ctx, const char *token, size_t len)
{
	json_array_append_new(ctx, json_stringn(token, len));
}

/* One case of tests/search/tokens.json, which the browser script's test
 * checks too, so index and query cut text the same way. */
static void
search_tokens_case(void **state)
{
	json_t *c = *state;
	json_t *got = json_array();
	search_tokens(
	    json_string_value(json_object_get(c, "text")), collect_token, got);
	json_t *want = json_object_get(c, "tokens");
	if (!json_equal(got, want)) {
		char *g = json_dumps(got, JSON_COMPACT),
		     *w = json_dumps(want, JSON_COMPACT);
		fail_msg("tokens of \"%s\": expected %s, got %s",
		    json_string_value(json_object_get(c, "text")), w, g);
	}
	json_decref(got);
}

static void
search_hash_is_fnv1a(void **state)
{
	(void)state;
	assert_int_equal(search_hash("", 0), 2166136261u);
	assert_int_equal(search_hash("a", 1), 0xe40c292cu);
}

/* Keeps the documents file of an index (search/docs-000.json). */
static int
keep_docs(void *ctx, const char *name, const char *data, size_t len)
{
	if (strcmp(name, "search/docs-000.json") == 0)
		*(json_t **)ctx = json_loadb(data, len, 0, NULL);
	return 0;
}

/* The documents search_index_add_page makes of a page, as compact JSON. */
static char *
page_sections(const char *markdown)
{
	struct md_options opt = {
	    .path = "x.md", .first_line = 1, .want_blocks = 1};
	struct md_result md;
	struct buf err = BUF_INIT;
	assert_int_equal(
	    markdown_render(markdown, strlen(markdown), &opt, &md, &err), 0);
	struct search_index *index = search_index_new();
	search_index_add_page(index, "x/", "页", &md);
	json_t *docs = NULL;
	size_t bytes = 0;
	assert_int_equal(
	    search_index_write(index, keep_docs, &docs, &bytes, 1), 0);
	assert_non_null(docs);
	char *text = json_dumps(docs, JSON_COMPACT);
	json_decref(docs);
	search_index_free(index);
	md_result_free(&md);
	buf_free(&err);
	return text;
}

static void
search_sections_end_at_headings_of_level_3_or_above(void **state)
{
	(void)state;
	char *got = page_sections("开头\n\n## 费用 {#fees}\n\n甲\n\n"
	                          "### 细则\n\n乙\n\n#### 小节\n\n丙\n");
	assert_string_equal(got,
	    "[[\"x/\",\"页\",\"\",\"开头\"],"
	    "[\"x/#fees\",\"页\",\"费用\",\"甲\"],"
	    "[\"x/#细则\",\"页\",\"细则\",\"乙 小节 丙\"]]");
	free(got);
}

static void
search_sections_of_a_page_without_text_or_headings(void **state)
{
	(void)state;
	char *got = page_sections("");
	assert_string_equal(got, "[[\"x/\",\"页\",\"\",\"\"]]");
	free(got);
	got = page_sections("## 只有标题\n");
	assert_string_equal(
	    got, "[[\"x/#只有标题\",\"页\",\"只有标题\",\"\"]]");
	free(got);
}

/* ---- the worker pool ---- */

struct pool_test {
	int runs[5000]; /* how often each item ran */
	int stop;
	size_t stop_at; /* the item that stops the run; SIZE_MAX: none */
};

static void
pool_test_item(void *ctx, size_t i)
{
	struct pool_test *t = ctx;
	__atomic_add_fetch(&t->runs[i], 1, __ATOMIC_RELAXED);
	if (i == t->stop_at)
		__atomic_store_n(&t->stop, 1, __ATOMIC_RELAXED);
}

static void
pool_runs_every_item_once(void **state)
{
	(void)state;
	static struct pool_test t;
	t.stop_at = SIZE_MAX;
	struct pool_run run = {5000, pool_test_item, &t, &t.stop, NULL};
	for (int threads = 1; threads <= 4; threads += 3) {
		memset(t.runs, 0, sizeof t.runs);
		assert_int_equal(pool_each(&run, threads), 5000);
		for (size_t i = 0; i < 5000; i++)
			if (t.runs[i] != 1)
				fail_msg("%d threads: item %zu ran %d times, "
				         "expected once",
				    threads, i, t.runs[i]);
	}
}

static void
pool_stops_when_told(void **state)
{
	(void)state;
	static struct pool_test t;
	t.stop_at = 10;
	struct pool_run run = {5000, pool_test_item, &t, &t.stop, NULL};
	size_t done = pool_each(&run, 4);
	if (done < 11 || done >= 5000)
		fail_msg(
		    "stopped at item 10 of 5000: expected 11 to a few more "
		    "finished, got %zu",
		    done);
}

struct aside_test {
	pthread_t ran_on;
	int runs;
};

static void
aside_test_fn(void *ctx)
{
	struct aside_test *t = ctx;
	t->ran_on = pthread_self();
	t->runs++;
}

/* pool-aside-1: with one thread the function has run when start returns,
 * on the caller's thread; pool-aside-2: with two, on a thread of its own,
 * once, and it has ended when wait returns. */
static void
pool_aside_runs_once_beside_the_caller(void **state)
{
	(void)state;
	struct aside_test t = {0};
	struct pool_aside a;
	pool_aside_start(&a, aside_test_fn, &t, 1);
	if (t.runs != 1 || !pthread_equal(t.ran_on, pthread_self()))
		fail_msg("pool-aside-1: expected 1 run on the calling thread, "
		         "got %d run(s)%s",
		    t.runs,
		    t.runs && !pthread_equal(t.ran_on, pthread_self())
		        ? " on another thread"
		        : "");
	pool_aside_wait(&a);
	assert_int_equal(t.runs, 1);

	struct aside_test u = {0};
	pool_aside_start(&a, aside_test_fn, &u, 2);
	pool_aside_wait(&a);
	if (u.runs != 1 || pthread_equal(u.ran_on, pthread_self()))
		fail_msg("pool-aside-2: expected 1 run on a thread of its own, "
		         "got %d run(s)%s",
		    u.runs,
		    u.runs && pthread_equal(u.ran_on, pthread_self())
		        ? " on the calling thread"
		        : "");
	pool_aside_wait(&a); /* a second wait is harmless */
	assert_int_equal(u.runs, 1);
}

/* ---- the certificate dates of the timeline page ---- */

/* A case file under tests/, or NULL with the reason in why. */
static json_t *
load_shared(const char *name, struct buf *why)
{
	const char *src = getenv("SRC");
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/tests/%s", src ? src : ".", name);
	json_error_t jerr;
	json_t *j = json_load_file(path.data, 0, &jerr);
	if (j == NULL)
		buf_printf(why, "%s: %s", path.data, jerr.text);
	buf_free(&path);
	return j;
}

static void
assert_date(int date, json_t *want, const char *what, const char *issued)
{
	char text[DATE_BUFSIZE];
	date_format(date, text);
	if (strcmp(text, json_string_value(want)) != 0)
		fail_msg("issued %s: %s: expected %s, got %s", issued, what,
		    json_string_value(want), text);
}

/* One case of tests/rules/windows.json: the same cases the timeline
 * script passes. */
static void
rules_windows_case(void **state)
{
	json_t *c = *state;
	const char *issued_text =
	    json_string_value(json_object_get(c, "issued_on"));
	int issued, start, end;
	assert_int_equal(date_parse(issued_text, &issued), 0);
	int valid_until = status_valid_until(issued);
	assert_date(valid_until, json_object_get(c, "valid_until"),
	    "valid_until", issued_text);
	for (int k = 1; k <= 2; k++) {
		json_t *w =
		    json_array_get(json_object_get(c, "annual"), (size_t)k - 1);
		status_annual_window(issued, k, &start, &end);
		assert_date(start, json_array_get(w, 0), "annual window start",
		    issued_text);
		assert_date(end, json_array_get(w, 1), "annual window end",
		    issued_text);
	}
	status_renewal_window(valid_until, &start, &end);
	assert_date(start, json_array_get(json_object_get(c, "renewal"), 0),
	    "renewal start", issued_text);
	assert_date(end, json_array_get(json_object_get(c, "renewal"), 1),
	    "renewal end", issued_text);
}

/* A case file that could not be read, or holds too few cases. */
static void
case_file_unreadable(void **state)
{
	fail_msg("%s", (const char *)*state);
}

/* Adds a test of fn per element of the array `key` in the case file
 * `name`, named by the element's field `label`; a file that cannot be read
 * or holds fewer than `least` cases is a failing test of its own. */
static json_t *
add_case_file(struct rows *r, const char *name, const char *key,
    const char *label, size_t least, CMUnitTestFunction fn, struct buf *why)
{
	json_t *all = load_shared(name, why), *c;
	json_t *list = json_object_get(all, key);
	size_t i;
	if (all != NULL && json_array_size(list) < least)
		buf_printf(why,
		    "tests/%s: %zu cases in '%s', expected at least %zu", name,
		    json_array_size(list), key, least);
	if (why->len != 0) {
		rows_add_row(
		    r, case_file_unreadable, buf_str(why), "%s is read", name);
		return all;
	}
	json_array_foreach (list, i, c)
		rows_add_row(r, fn, c, "%s: %s", name,
		    json_string_value(json_object_get(c, label)));
	return all;
}

/* ---- strmap ---- */

static void
strmap_put_get_remove(void **state)
{
	(void)state;
	struct strmap *m = strmap_new();
	char keys[2000][8];
	for (int i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		strmap_put(m, keys[i], keys[i]);
	}
	assert_int_equal(strmap_count(m), 2000);
	for (int i = 0; i < 2000; i += 2)
		strmap_remove(m, keys[i]);
	assert_int_equal(strmap_count(m), 1000);
	for (int i = 0; i < 2000; i++) {
		if (i % 2)
			assert_ptr_equal(strmap_get(m, keys[i]), keys[i]);
		else
			assert_false(strmap_has(m, keys[i]));
	}
	strmap_put(m, "k1", NULL);
	assert_true(strmap_has(m, "k1"));
	assert_null(strmap_get(m, "k1"));
	strmap_free(m);
}

/* A commit's note for readers (history_note): its 说明: lines. */
struct note_row {
	const char *name, *message, *note; /* note NULL: none */
};
static const struct note_row note_rows[] = {
    {"a trailer after the subject",
        "fees.md: the review fee\n\n说明: 修订第9章费用说明\n",
        "修订第9章费用说明"},
    {"a full-width colon", "x\n\n说明：全角冒号也可以", "全角冒号也可以"},
    {"spaces around the note are trimmed", "x\n\n说明:  两端的空白去掉  \r\n",
        "两端的空白去掉"},
    {"two notes are joined", "x\n\n说明: 第一条\n说明: 第二条\n",
        "第一条；第二条"},
    {"a subject alone has no note", "Sidebar: every nav key set\n", NULL},
    {"an empty note is none", "x\n\n说明:\n", NULL},
    {"indented is not a trailer", "x\n  说明: 行首不是说明\n", NULL},
    {"another word is not the key", "x\n\n说明书: 不是说明\n", NULL},
    {"the first line may be the note", "说明: 只有一行", "只有一行"},
    {"an empty message", "", NULL},
};

static void
history_note_row(void **state)
{
	const struct note_row *row = *state;
	char *note = history_note(row->message);
	if (row->note == NULL)
		assert_null(note);
	else
		assert_string_equal(note, row->note);
	free(note);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(frontmatter_types),
	    cmocka_unit_test(frontmatter_absent),
	    cmocka_unit_test(frontmatter_unclosed_names_line_1),
	    cmocka_unit_test(frontmatter_bad_yaml_names_its_line),
	    cmocka_unit_test(markdown_explicit_and_made_ids),
	    cmocka_unit_test(markdown_duplicate_id_is_an_error),
	    cmocka_unit_test(markdown_escapes_raw_html),
	    cmocka_unit_test(markdown_gfm_extensions),
	    cmocka_unit_test(markdown_rewrites_links),
	    cmocka_unit_test(fees_good_table_passes),
	    cmocka_unit_test(fees_wrong_total_fails),
	    cmocka_unit_test(fees_wrong_product_fails),
	    cmocka_unit_test(fees_missing_total_fails_and_other_tables_ignored),
	    cmocka_unit_test(fees_amount_parsing),
	    cmocka_unit_test(links_resolution),
	    cmocka_unit_test(links_page_addresses),
	    cmocka_unit_test(links_check_reports_each_broken_link),
	    cmocka_unit_test(fs_swap_replaces_whole_folder),
	    cmocka_unit_test(fs_write_in_place_makes_no_folder),
	    cmocka_unit_test(redline_text_marks_only_the_difference),
	    cmocka_unit_test(redline_page_counts_added_removed_changed),
	    cmocka_unit_test(strmap_put_get_remove),
	    cmocka_unit_test(search_hash_is_fnv1a),
	    cmocka_unit_test(
	        search_sections_end_at_headings_of_level_3_or_above),
	    cmocka_unit_test(
	        search_sections_of_a_page_without_text_or_headings),
	    cmocka_unit_test(pool_runs_every_item_once),
	    cmocka_unit_test(pool_stops_when_told),
	    cmocka_unit_test(pool_aside_runs_once_beside_the_caller),
	};
	struct rows r = {0};
	struct buf why_tokens = BUF_INIT, why_windows = BUF_INIT;

	rows_add(&r, tests, ROWS_COUNT(tests));
	ROWS_TABLE(
	    &r, note_rows, history_note_row, "history_note: %s", row->name);
	json_t *tokens = add_case_file(&r, "search/tokens.json", "tokens",
	    "text", 8, search_tokens_case, &why_tokens);
	json_t *windows = add_case_file(&r, "rules/windows.json", "cases",
	    "issued_on", 3, rules_windows_case, &why_windows);
	int failed = rows_run(&r, "site");
	json_decref(tokens);
	json_decref(windows);
	buf_free(&why_tokens);
	buf_free(&why_windows);
	return failed;
}
