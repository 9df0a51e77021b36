/*
 * Events as JSON (see event.h).  Empty texts and absent values are null,
 * so every event has the same keys whatever its kind.
 */
#include "registry/api/event.h"

#include <stdio.h>

#include "registry/api/json.h"
#include "registry/rules/label.h"

static json_t *
id_or_null(long long id)
{
	return id != 0 ? json_integer(id) : json_null();
}

json_t *
api_event_json(const struct snapshot_event *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "seq", json_integer(e->seq));
	json_object_set_new(o, "kind", api_json_text(e->kind_name));
	json_object_set_new(o, "label", api_json_text(label_event_zh(e->kind)));
	json_object_set_new(
	    o, "label_en", api_json_text(label_event_en(e->kind)));
	json_object_set_new(o, "effective_on", api_json_date(e->effective_on));
	json_object_set_new(o, "recorded_at", api_json_text(e->recorded_at));
	json_object_set_new(o, "number", api_json_text(e->number));
	json_object_set_new(
	    o, "organisation_id", json_integer(e->organisation_id));
	json_object_set_new(o, "reason", api_json_text(e->reason));
	json_object_set_new(o, "reference", api_json_text(e->reference));
	json_object_set_new(o, "deadline", api_json_date(e->deadline));
	json_object_set_new(o, "target_seq", id_or_null(e->target_seq));
	json_object_set_new(o, "old_value", api_json_text(e->old_value));
	json_object_set_new(o, "new_value", api_json_text(e->new_value));
	json_object_set_new(
	    o, "other_organisation_id", id_or_null(e->other_organisation_id));
	json_object_set_new(o, "other_number", api_json_text(e->other_number));
	json_object_set_new(o, "voided_by", id_or_null(e->voided_by));
	return o;
}

int
api_event_org_name(
    struct snapshot *s, long long org, int day, char *out, size_t out_size)
{
	struct snapshot_rows *rows =
	    snapshot_former_names(s, org, SNAPSHOT_BY_DATE);
	struct snapshot_former_name former;
	struct snapshot_org row;
	int rc, found = 0;

	out[0] = '\0';
	/* The first name used until on or after the day was the name then. */
	while ((rc = snapshot_next_former_name(rows, &former)) == 1)
		if (day != DATE_NONE && former.until >= day) {
			snprintf(out, out_size, "%s", former.name);
			found = 1;
			break;
		}
	snapshot_rows_done(rows);
	if (rc < 0)
		return -1;
	if (found)
		return 0;
	rows = snapshot_org(s, org);
	rc = snapshot_next_org(rows, &row);
	if (rc == 1)
		snprintf(out, out_size, "%s", row.name ? row.name : "");
	snapshot_rows_done(rows);
	return rc < 0 ? -1 : 0;
}

void
api_event_page(struct buf *b, const char *base, const struct snapshot_event *e)
{
	buf_puts(b, base);
	if (e->number && *e->number)
		buf_printf(b, "registry/certificates/%s/#event-%lld", e->number,
		    e->seq);
	else
		buf_printf(
		    b, "registry/organisations/%lld/", e->organisation_id);
}

json_t *
api_event_json_named(
    struct snapshot *s, const char *base, const struct snapshot_event *e)
{
	char name[1024];
	struct buf url = {0};
	json_t *o;

	if (api_event_org_name(
	        s, e->organisation_id, e->effective_on, name, sizeof name) != 0)
		return NULL;
	o = api_event_json(e);
	json_object_set_new(o, "organisation_name", api_json_text(name));
	api_event_page(&url, base, e);
	json_object_set_new(o, "page", json_string(url.data));
	buf_free(&url);
	return o;
}
