/*
 * editions: reads the content's list of published editions (editions.yaml)
 * and merges the tagged ones into it.  The list is checked strictly: an
 * unknown key, a short or malformed commit id, an impossible date or a
 * name given twice fails the build with the entry named, because a typo
 * here would publish the wrong text under an edition's fixed address.
 */
#include "site/editions.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "site/frontmatter.h"
#include "registry/rules/date.h"

#define CST_OFFSET_MINUTES 480 /* China Standard Time, UTC+8 */

int
editions_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 64 || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		        (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
		        c == '-'))
			return 0;
	}
	return 1;
}

static int
commit_id_ok(const char *id)
{
	if (strlen(id) != 40)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static int
compare_editions(const void *a, const void *b)
{
	const struct edition *ea = a, *eb = b;
	if (ea->time != eb->time)
		return ea->time < eb->time ? -1 : 1;
	return strcmp(ea->name, eb->name);
}

/* Reads one entry of the list into e; on error says which and why. */
static int
read_entry(const char *path, size_t index, json_t *entry, struct edition *e,
    struct buf *err)
{
	const char *key;
	json_t *value;
	const char *name = json_string_value(json_object_get(entry, "name"));
	const char *date = json_string_value(json_object_get(entry, "date"));
	const char *commit =
	    json_string_value(json_object_get(entry, "commit"));
	int day;

	buf_printf(err, "%s: editions[%zu]", path, index);
	if (name != NULL)
		buf_printf(err, " (%s)", name);
	if (!json_is_object(entry)) {
		buf_puts(err,
		    ": each edition is a mapping with name, date and commit");
		return -1;
	}
	json_object_foreach (entry, key, value) {
		if (strcmp(key, "name") != 0 && strcmp(key, "date") != 0 &&
		    strcmp(key, "commit") != 0) {
			buf_printf(err,
			    ": unknown key '%s' (an edition has name, date "
			    "and commit)",
			    key);
			return -1;
		}
	}
	if (name == NULL || !editions_name_ok(name)) {
		buf_puts(err,
		    ": 'name' must be quoted text of letters, digits, '.', "
		    "'_' or '-', such as \"2017-10\"");
		return -1;
	}
	if (date == NULL || date_parse(date, &day) != 0) {
		buf_puts(
		    err, ": 'date' must be the day of publication, YYYY-MM-DD");
		return -1;
	}
	if (commit == NULL || !commit_id_ok(commit)) {
		buf_puts(err,
		    ": 'commit' must be a full commit id, 40 lowercase hex "
		    "digits (git rev-parse COMMIT)");
		return -1;
	}
	buf_reset(err); /* nothing to report after all */
	e->name = mem_strdup(name);
	memcpy(e->commit_id, commit, sizeof e->commit_id);
	e->time = (long long)day * 86400 - CST_OFFSET_MINUTES * 60;
	e->offset = CST_OFFSET_MINUTES;
	return 0;
}

int
editions_parse(const char *path, const char *data, size_t len,
    struct edition **out, size_t *count, struct buf *err)
{
	json_t *doc = NULL, *list, *entry;
	const char *key;
	json_t *value;
	struct buf why = BUF_INIT;
	size_t index;

	*out = NULL;
	*count = 0;
	if (frontmatter_yaml(path, 1, data, len, "editions list", &doc, err) !=
	    0)
		return -1;
	json_object_foreach (doc, key, value) {
		if (strcmp(key, "editions") != 0) {
			buf_printf(err,
			    "%s: unknown key '%s' (the file holds one list, "
			    "'editions')",
			    path, key);
			goto fail;
		}
	}
	list = json_object_get(doc, "editions");
	if (list != NULL && !json_is_array(list)) {
		buf_printf(
		    err, "%s: 'editions' must be a list of editions", path);
		goto fail;
	}
	*out = mem_calloc(json_array_size(list) + 1, sizeof **out);
	json_array_foreach (list, index, entry) {
		if (read_entry(path, index, entry, &(*out)[*count], &why) !=
		    0) {
			buf_puts(err, buf_str(&why));
			goto fail;
		}
		for (size_t j = 0; j < *count; j++)
			if (strcmp((*out)[j].name, (*out)[*count].name) == 0) {
				buf_printf(err,
				    "%s: editions[%zu] (%s): the name is "
				    "listed "
				    "twice (also editions[%zu])",
				    path, index, (*out)[*count].name, j);
				(*count)++;
				goto fail;
			}
		(*count)++;
	}
	if (*count > 1)
		qsort(*out, *count, sizeof **out, compare_editions);
	json_decref(doc);
	buf_free(&why);
	return 0;
fail:
	editions_free(*out, *count);
	*out = NULL;
	*count = 0;
	json_decref(doc);
	buf_free(&why);
	return -1;
}

int
editions_merge(struct edition **list, size_t *count, struct edition *tags,
    size_t ntags, const char *path, struct buf *err)
{
	int rc = 0;
	size_t listed = *count;
	for (size_t i = 0; i < ntags; i++) {
		struct edition *t = &tags[i];
		size_t j = 0;
		while (j < listed && strcmp((*list)[j].name, t->name) != 0)
			j++;
		if (j < listed) {
			if (rc == 0 &&
			    strcmp((*list)[j].commit_id, t->commit_id) != 0) {
				buf_printf(err,
				    "%s: edition %s is commit %.12s, but the "
				    "tag "
				    "edition/%s points at %.12s; correct the "
				    "list or the "
				    "tag",
				    path, t->name, (*list)[j].commit_id,
				    t->name, t->commit_id);
				rc = -1;
			}
			free(t->name);
			continue;
		}
		*list = mem_realloc(*list, (*count + 1) * sizeof **list);
		(*list)[(*count)++] = *t;
	}
	free(tags);
	if (*count > 1)
		qsort(*list, *count, sizeof **list, compare_editions);
	return rc;
}

void
editions_free(struct edition *editions, size_t count)
{
	for (size_t i = 0; editions != NULL && i < count; i++)
		free(editions[i].name);
	free(editions);
}
