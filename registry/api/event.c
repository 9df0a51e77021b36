/*
 * Events as JSON (see event.h).  Empty texts and absent values are null,
 * so every event has the same keys whatever its kind.
 */
#include "registry/api/event.h"

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
