/*
 * pages: each page is its base context (tree_base_context), a title and
 * the fields its template reads, rendered with the sidebar (tree_render).
 */
#include "site/pages.h"

#include "registry/rules/date.h"
#include "registry/rules/status.h"
#include "site/apidoc.h"
#include "site/lang.h"

#include <stdlib.h>

int
pages_write_checklist(const struct tree *tree)
{
	json_t *ctx = tree_base_context(tree, "checklist/");
	json_t *pages = json_array();
	size_t total = 0;
	for (size_t i = 0; i < tree->nreading; i++) {
		const struct page *p = tree->reading[i];
		if (p->md.nanchors == 0)
			continue;
		json_t *items = json_array();
		for (size_t k = 0; k < p->md.nanchors; k++)
			json_array_append_new(items,
			    json_pack("{s:s, s:s}", "id", p->md.anchors[k].id,
			        "text", p->md.anchors[k].text));
		total += p->md.nanchors;
		json_array_append_new(
		    pages, json_pack("{s:s, s:s, s:o}", "title",
		               p->title ? p->title : "", "url", p->dir, "items",
		               items));
	}
	json_object_update_new(
	    ctx, json_pack("{s:s, s:o, s:I, s:[s]}", "title",
	             lang_pick(tree, "自评清单", "Self-assessment checklist"),
	             "pages", pages, "total", (json_int_t)total, "scripts",
	             "checklist.js"));
	char *out = lang_out(tree, "checklist/index.html");
	int rc = tree_render(tree, "checklist", ctx, out);
	free(out);
	return rc;
}

/* The example's issue date: the day of the revision built (see pages.h). */
static int
example_issued_on(const struct build *b)
{
	struct buf day = BUF_INIT;
	history_format_date(
	    b->history.revision_time, b->history.revision_offset, &day);
	int issued;
	if (date_parse(buf_str(&day), &issued) != 0)
		issued = date_from_civil(1970, 1, 1);
	buf_free(&day);
	return issued;
}

static void
set_date(json_t *obj, const char *key, int date)
{
	char text[DATE_BUFSIZE];
	json_object_set_new(obj, key, json_string(date_format(date, text)));
}

/* The dates of a certificate issued on `issued`, as the template names
 * them. */
static json_t *
timeline_example(int issued)
{
	int start, end, valid_until = status_valid_until(issued);
	json_t *example = json_object();
	set_date(example, "issued_on", issued);
	status_annual_window(issued, 1, &start, &end);
	set_date(example, "annual1_start", start);
	set_date(example, "annual1_end", end);
	status_annual_window(issued, 2, &start, &end);
	set_date(example, "annual2_start", start);
	set_date(example, "annual2_end", end);
	status_renewal_window(valid_until, &start, &end);
	set_date(example, "renewal_start", start);
	set_date(example, "valid_until", valid_until);
	return example;
}

int
pages_write_timeline(const struct tree *tree)
{
	json_t *ctx = tree_base_context(tree, "timeline/");
	json_object_update_new(
	    ctx, json_pack("{s:s, s:[s], s:o}", "title",
	             lang_pick(tree, "证书时间表", "Certificate timeline"),
	             "scripts", "timeline.js", "example",
	             timeline_example(example_issued_on(tree->build))));
	char *out = lang_out(tree, "timeline/index.html");
	int rc = tree_render(tree, "timeline", ctx, out);
	free(out);
	return rc;
}

int
pages_write_search(const struct tree *tree)
{
	json_t *ctx = tree_base_context(tree, "search/");
	json_object_update_new(ctx,
	    json_pack("{s:s, s:[s]}", "title",
	        lang_pick(tree, "搜索", "Search"), "scripts", "search.js"));
	char *out = lang_out(tree, "search/index.html");
	int rc = tree_render(tree, "search", ctx, out);
	free(out);
	return rc;
}

int
pages_write_api(const struct tree *tree)
{
	struct build *b = tree->build;
	struct buf err = BUF_INIT;
	json_t *api = apidoc_context(
	    b->opt->api_doc, b->opt->base_url, tree->lang == &LANG_EN, &err);
	if (api == NULL) {
		build_error(b, err.data);
		buf_free(&err);
		return -1;
	}
	json_t *ctx = tree_base_context(tree, "api/");
	json_object_update_new(ctx, api);
	json_object_set_new(ctx, "title",
	    json_string(
	        lang_pick(tree, "数据接口（API）", "Data interface (API)")));
	char *out = lang_out(tree, "api/index.html");
	int rc = tree_render(tree, "api", ctx, out);
	free(out);
	return rc;
}

int
pages_write_404(const struct tree *tree)
{
	const struct build *b = tree->build;
	json_t *ctx = tree_base_context(tree, "");
	/* served for any missing address: every link from the site's root */
	struct buf root = BUF_INIT;
	buf_printf(&root, "%s%s", b->base_path, tree->prefix);
	json_object_update_new(ctx,
	    json_pack("{s:s, s:s, s:s, s:s}", "title",
	        lang_pick(tree, "页面不存在", "Page not found"), "root",
	        root.data, "site_root", b->base_path, "lang_root", root.data));
	json_t *sw = json_object_get(ctx, "switch");
	if (sw != NULL)
		json_object_set_new(sw, "url",
		    json_sprintf("%s%s404.html", b->base_path,
		        tree->lang == &LANG_EN ? "" : LANG_EN_DIR));
	json_object_del(ctx, "alternates");
	buf_free(&root);
	char *out = lang_out(tree, "404.html");
	int rc = tree_render(tree, "404", ctx, out);
	free(out);
	return rc;
}
