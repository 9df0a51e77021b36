/*
 * Names of event kinds.  The stored names are part of the database schema
 * and of the published snapshot: change them only with a migration.  The
 * labels people read are in label.c.
 */
#include "registry/rules/event.h"

#include <string.h>

static const struct {
	const char *name;
	int voidable;
} kinds[EVENT_KIND_COUNT] = {
    [EVENT_ORG_ADD] = {"org-add", 0},
    [EVENT_ORG_RENAME] = {"org-rename", 0},
    [EVENT_ORG_ADDRESS] = {"org-address", 0},
    [EVENT_ISSUE] = {"issue", 0},
    [EVENT_ANNUAL_CHECK] = {"annual-check", 1},
    [EVENT_WARN] = {"warn", 1},
    [EVENT_RECTIFY] = {"rectify", 1},
    [EVENT_RECTIFY_CLOSE] = {"rectify-close", 1},
    [EVENT_SUSPEND] = {"suspend", 1},
    [EVENT_REINSTATE] = {"reinstate", 1},
    [EVENT_REVOKE] = {"revoke", 1},
    [EVENT_TRANSFER] = {"transfer", 0},
    [EVENT_RENEW] = {"renew", 0},
    [EVENT_UPGRADE] = {"upgrade", 0},
    [EVENT_VOID] = {"void", 0},
    [EVENT_ORG_NAME_EN] = {"org-name-en", 0},
};

const char *
event_kind_name(enum event_kind kind)
{
	if ((int)kind < 0 || kind >= EVENT_KIND_COUNT)
		return "unknown";
	return kinds[kind].name;
}

int
event_kind_parse(const char *name)
{
	for (int i = 0; i < EVENT_KIND_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

enum event_kind
event_kind_of(const char *name)
{
	int kind = name ? event_kind_parse(name) : -1;

	return kind < 0 ? EVENT_KIND_COUNT : (enum event_kind)kind;
}

int
event_kind_voidable(enum event_kind kind)
{
	if ((int)kind < 0 || kind >= EVENT_KIND_COUNT)
		return 0;
	return kinds[kind].voidable;
}
