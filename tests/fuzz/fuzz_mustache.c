/*
 * fuzz_mustache: libFuzzer target for site/mustache.c.  The input is
 * parsed as a template named "t" (so "{{>t}}" recurses into itself) beside
 * a fixed partial "p", then rendered against a small fixed context with
 * every kind of JSON value.  Tight render limits keep nested loops from
 * turning a short input into a timeout; hitting a limit is a normal -1.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "registry/base/buf.h"
#include "site/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context_json[] =
    "{\"title\": \"<Tom & \\\"Jerry's\\\">\", \"empty\": \"\", \"n\": 42,"
    " \"r\": 1.21, \"yes\": true, \"no\": false, \"nil\": null,"
    " \"list\": [\"a\", 2, {\"name\": \"x\", \"list\": []}],"
    " \"none\": [], \"page\": {\"name\": \"Home\", \"tags\": [\"t1\"],"
    " \"page\": {\"name\": \"Inner\"}}, \"a.b\": \"dotted key\"}";

static const char partial[] =
    "[{{title}}]\n  {{#list}}\n{{.}}{{name}}\n  {{/list}}\n{{>t}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT, again = BUF_INIT, err = BUF_INIT;
	json_t *context = json_loads(context_json, 0, NULL);

	if (context == NULL)
		abort();
	mustache_set_limits(set, (size_t)1 << 20, 100000);
	if (mustache_set_add(set, "p", partial, sizeof(partial) - 1, &err) ==
	    -1)
		abort();
	if (mustache_set_add(set, "t", (const char *)data, size, &err) == 0) {
		/* Twice: a render must leave nothing behind in the set. */
		int rc = mustache_render(set, "t", context, &out, &err);
		if (mustache_render(set, "t", context, &again, &err) != rc ||
		    again.len != out.len ||
		    memcmp(buf_str(&again), buf_str(&out), out.len) != 0)
			abort();
	}
	json_decref(context);
	buf_free(&out);
	buf_free(&again);
	buf_free(&err);
	mustache_set_free(set);
	return 0;
}
