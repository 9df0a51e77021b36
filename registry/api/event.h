/*
 * Events of the registry's log as the API shows them, in a certificate's
 * history and in the change feed.
 */
#ifndef REGISTRY_API_EVENT_H
#define REGISTRY_API_EVENT_H

#include <jansson.h>
#include <sqlite3.h>

#define API_EVENT_COLUMNS                                                      \
	"seq, kind, number, organisation_id, effective_on, recorded_at, "      \
	"reason, reference, deadline, target_seq, old_value, new_value, "      \
	"other_organisation_id, other_number, voided_by"

enum api_event_column {
	API_EVENT_SEQ,
	API_EVENT_KIND,
	API_EVENT_NUMBER,
	API_EVENT_ORG_ID,
	API_EVENT_EFFECTIVE_ON,
	API_EVENT_RECORDED_AT,
	API_EVENT_REASON,
	API_EVENT_REFERENCE,
	API_EVENT_DEADLINE,
	API_EVENT_TARGET_SEQ,
	API_EVENT_OLD_VALUE,
	API_EVENT_NEW_VALUE,
	API_EVENT_OTHER_ORG_ID,
	API_EVENT_OTHER_NUMBER,
	API_EVENT_VOIDED_BY,
	API_EVENT_COLUMN_COUNT
};

/* The current row of `stmt` (API_EVENT_COLUMNS) as a new JSON object
 * (the API's Event schema). */
json_t *api_event_json(sqlite3_stmt *stmt);

#endif
