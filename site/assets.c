/*
 * Fingerprinted names (see assets.h).
 */
#include "site/assets.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/base/mem.h"

static int
fingerprinted_kind(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && strcmp(name + n - 4, ".css") == 0) ||
	       (n > 3 && strcmp(name + n - 3, ".js") == 0);
}

void
assets_load(struct assets *a, const struct theme *theme)
{
	a->names =
	    mem_calloc(theme->count ? theme->count : 1, sizeof *a->names);
	a->count = 0;
	for (size_t i = 0; i < theme->count; i++) {
		const struct theme_file *f = &theme->files[i];
		const char *name = f->name + 7, *dot;
		uint8_t digest[SHA256_DIGEST_SIZE];
		struct sha256_ctx ctx;
		struct buf fp = BUF_INIT;

		if (strncmp(f->name, "static/", 7) != 0 ||
		    strchr(name, '/') != NULL || !fingerprinted_kind(name))
			continue;
		sha256_init(&ctx);
		sha256_update(&ctx, f->len, (const uint8_t *)f->data);
		sha256_digest(&ctx, sizeof digest, digest);
		dot = strrchr(name, '.');
		buf_printf(&fp, "%.*s.", (int)(dot - name), name);
		for (int k = 0; k < ASSETS_HASH_HEX / 2; k++)
			buf_printf(&fp, "%02x", digest[k]);
		buf_puts(&fp, dot);
		a->names[a->count].plain = mem_strdup(name);
		a->names[a->count].fingerprint = buf_detach(&fp);
		a->count++;
	}
}

void
assets_free(struct assets *a)
{
	for (size_t i = 0; i < a->count; i++) {
		free(a->names[i].plain);
		free(a->names[i].fingerprint);
	}
	free(a->names);
	a->names = NULL;
	a->count = 0;
}

const char *
assets_fingerprint(const struct assets *a, const char *plain)
{
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->names[i].plain, plain) == 0)
			return a->names[i].fingerprint;
	return NULL;
}

void
assets_rewrite(const struct assets *a, struct buf *html, struct buf *spare)
{
	struct buf *out = spare;
	const char *p, *at, *end;
	int changed = 0;

	if (a->count == 0 || html->len == 0)
		return;
	buf_reset(out);
	p = html->data;
	end = html->data + html->len;
	while ((at = strstr(p, "assets/")) != NULL && at < end) {
		const char *name = at + 7, *stop = name;
		const char *fp = NULL;
		while (stop < end && *stop != '"' && *stop != '\'' &&
		       *stop != '<' && *stop != ' ' && *stop != '\n')
			stop++;
		if (stop < end && (*stop == '"' || *stop == '\'')) {
			for (size_t i = 0; i < a->count && !fp; i++)
				if (strlen(a->names[i].plain) ==
				        (size_t)(stop - name) &&
				    memcmp(a->names[i].plain, name,
				        (size_t)(stop - name)) == 0)
					fp = a->names[i].fingerprint;
		}
		buf_put(out, p, (size_t)(name - p));
		if (fp) {
			buf_puts(out, fp);
			changed = 1;
			p = stop;
		} else {
			p = name;
		}
	}
	if (!changed)
		return;
	buf_put(out, p, (size_t)(end - p));
	struct buf was = *html;
	*html = *out;
	*out = was;
}
