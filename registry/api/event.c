/*
 * Events as JSON (see api_event.h).  Empty texts and absent values are
 * null, so every event has the same keys whatever its kind.
 */
#include "registry/api/event.h"

#include "registry/api/json.h"
#include "registry/rules/event.h"

static json_t *
integer_or_null(sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(stmt, col));
}

static json_t *
text(sqlite3_stmt *stmt, int col)
{
	return api_json_text((const char *)sqlite3_column_text(stmt, col));
}

json_t *
api_event_json(sqlite3_stmt *stmt)
{
	const char *kind =
	    (const char *)sqlite3_column_text(stmt, API_EVENT_KIND);
	int k = kind ? event_kind_parse(kind) : -1;
	json_t *o = json_object();

	json_object_set_new(
	    o, "seq", json_integer(sqlite3_column_int64(stmt, API_EVENT_SEQ)));
	json_object_set_new(o, "kind", text(stmt, API_EVENT_KIND));
	json_object_set_new(o, "label",
	    api_json_text(event_kind_label_zh(
	        k < 0 ? EVENT_KIND_COUNT : (enum event_kind)k)));
	json_object_set_new(
	    o, "effective_on", text(stmt, API_EVENT_EFFECTIVE_ON));
	json_object_set_new(
	    o, "recorded_at", text(stmt, API_EVENT_RECORDED_AT));
	json_object_set_new(o, "number", text(stmt, API_EVENT_NUMBER));
	json_object_set_new(
	    o, "organisation_id", integer_or_null(stmt, API_EVENT_ORG_ID));
	json_object_set_new(o, "reason", text(stmt, API_EVENT_REASON));
	json_object_set_new(o, "reference", text(stmt, API_EVENT_REFERENCE));
	json_object_set_new(o, "deadline", text(stmt, API_EVENT_DEADLINE));
	json_object_set_new(
	    o, "target_seq", integer_or_null(stmt, API_EVENT_TARGET_SEQ));
	json_object_set_new(o, "old_value", text(stmt, API_EVENT_OLD_VALUE));
	json_object_set_new(o, "new_value", text(stmt, API_EVENT_NEW_VALUE));
	json_object_set_new(o, "other_organisation_id",
	    integer_or_null(stmt, API_EVENT_OTHER_ORG_ID));
	json_object_set_new(
	    o, "other_number", text(stmt, API_EVENT_OTHER_NUMBER));
	json_object_set_new(
	    o, "voided_by", integer_or_null(stmt, API_EVENT_VOIDED_BY));
	return o;
}
