/*
 * theme: gives the build one list of theme files, whether compiled in or
 * read from a folder (through the same loader as a content working tree).
 */
#include "site/theme.h"

#include <stdlib.h>
#include <string.h>

#include "site/content.h"

int
theme_load(const char *dir, struct theme *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	if (dir == NULL) {
		out->count = THEME_BUILTIN_COUNT;
		out->files = mem_calloc(out->count + 1, sizeof *out->files);
		memcpy(
		    out->files, THEME_BUILTIN, out->count * sizeof *out->files);
		return 0;
	}
	struct content_tree *tree = mem_calloc(1, sizeof *tree);
	if (content_load_worktree(dir, tree, err) != 0) {
		free(tree);
		return -1;
	}
	out->count = tree->count;
	out->files = mem_calloc(out->count + 1, sizeof *out->files);
	for (size_t i = 0; i < tree->count; i++) {
		out->files[i].name = tree->files[i].path;
		out->files[i].data = tree->files[i].data;
		out->files[i].len = tree->files[i].len;
	}
	out->storage = tree;
	return 0;
}

void
theme_free(struct theme *theme)
{
	if (theme == NULL)
		return;
	if (theme->storage) {
		content_tree_free(theme->storage);
		free(theme->storage);
	}
	free(theme->files);
	memset(theme, 0, sizeof *theme);
}
