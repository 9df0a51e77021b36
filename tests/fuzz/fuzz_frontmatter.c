/*
 * libFuzzer target: a page's source through front matter parsing and
 * Markdown rendering (with link rewriting, the fee-table check and the
 * blocks a redline compares), the path every content file takes in a
 * build.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site/fees.h"
#include "site/frontmatter.h"
#include "site/links.h"
#include "site/markdown.h"
#include "site/redline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
resolve(void *ctx, const char *url, int line, int is_image)
{
	(void)ctx;
	(void)line;
	(void)is_image;
	struct buf target = BUF_INIT, anchor = BUF_INIT, out = BUF_INIT;
	if (links_resolve("a/page.md", url, &target, &anchor) == LINK_PAGE)
		links_page_dir(buf_str(&target), &out);
	buf_free(&target);
	buf_free(&anchor);
	return out.len ? buf_detach(&out) : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frontmatter fm;
	struct buf err = BUF_INIT;
	const char *src = (const char *)data;
	if (frontmatter_parse("fuzz.md", src, size, &fm, &err) == 0) {
		struct md_options opt = {.path = "fuzz.md",
		    .first_line = fm.body_line,
		    .link = resolve,
		    .want_blocks = 1};
		struct md_result md;
		markdown_render(src + fm.body_offset, size - fm.body_offset,
		    &opt, &md, &err);
		fees_check(md.tables, md.ntables, "fuzz.md", &err);
		struct buf html = BUF_INIT; /* the page against itself */
		redline_page(
		    md.blocks, md.nblocks, md.blocks, md.nblocks, &html, NULL);
		buf_free(&html);
		md_result_free(&md);
		json_decref(fm.meta);
	}
	buf_free(&err);
	return 0;
}
