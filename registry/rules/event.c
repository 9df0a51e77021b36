/*
 * Names of event kinds.  The stored names are part of the database schema
 * and of the published snapshot: change them only with a migration.
 */
#include "registry/rules/event.h"

#include <string.h>

static const struct {
	const char *name;
	const char *label_zh;
	int voidable;
} kinds[EVENT_KIND_COUNT] = {
    [EVENT_ORG_ADD] = {"org-add", "登记组织", 0},
    [EVENT_ORG_RENAME] = {"org-rename", "名称变更", 0},
    [EVENT_ORG_ADDRESS] = {"org-address", "地址变更", 0},
    [EVENT_ISSUE] = {"issue", "颁发证书", 0},
    [EVENT_ANNUAL_CHECK] = {"annual-check", "年检", 1},
    [EVENT_WARN] = {"warn", "警告", 1},
    [EVENT_RECTIFY] = {"rectify", "限期整改", 1},
    [EVENT_RECTIFY_CLOSE] = {"rectify-close", "整改完成", 1},
    [EVENT_SUSPEND] = {"suspend", "暂停证书", 1},
    [EVENT_REINSTATE] = {"reinstate", "恢复证书", 1},
    [EVENT_REVOKE] = {"revoke", "取消证书", 1},
    [EVENT_TRANSFER] = {"transfer", "证书转移", 0},
    [EVENT_RENEW] = {"renew", "维持换证", 0},
    [EVENT_UPGRADE] = {"upgrade", "升级", 0},
    [EVENT_VOID] = {"void", "更正", 0},
};

const char *
event_kind_name(enum event_kind kind)
{
	if ((int)kind < 0 || kind >= EVENT_KIND_COUNT)
		return "unknown";
	return kinds[kind].name;
}

const char *
event_kind_label_zh(enum event_kind kind)
{
	if ((int)kind < 0 || kind >= EVENT_KIND_COUNT)
		return "未知";
	return kinds[kind].label_zh;
}

int
event_kind_parse(const char *name)
{
	for (int i = 0; i < EVENT_KIND_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

int
event_kind_voidable(enum event_kind kind)
{
	if ((int)kind < 0 || kind >= EVENT_KIND_COUNT)
		return 0;
	return kinds[kind].voidable;
}
