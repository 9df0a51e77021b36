/*
 * The label tables (see label.h), indexed by the rules' enums.
 */
#include "registry/rules/label.h"

#include <stdio.h>

#include "registry/rules/date.h"

static const char *const LEVELS_ZH[LABEL_LEVEL_MAX + 1] = {
    "",
    "基本执行级",
    "计划跟踪级",
    "充分定义级",
    "量化控制级",
    "持续改进级",
};

static const char *const LEVELS_EN[LABEL_LEVEL_MAX + 1] = {
    "",
    "Basic execution",
    "Planned and tracked",
    "Well defined",
    "Quantitatively controlled",
    "Continuously improving",
};

static const char *const EVENTS_ZH[EVENT_KIND_COUNT] = {
    [EVENT_ORG_ADD] = "登记组织",
    [EVENT_ORG_RENAME] = "名称变更",
    [EVENT_ORG_ADDRESS] = "地址变更",
    [EVENT_ISSUE] = "颁发证书",
    [EVENT_ANNUAL_CHECK] = "年检",
    [EVENT_WARN] = "警告",
    [EVENT_RECTIFY] = "限期整改",
    [EVENT_RECTIFY_CLOSE] = "整改完成",
    [EVENT_SUSPEND] = "暂停证书",
    [EVENT_REINSTATE] = "恢复证书",
    [EVENT_REVOKE] = "取消证书",
    [EVENT_TRANSFER] = "证书转移",
    [EVENT_RENEW] = "维持换证",
    [EVENT_UPGRADE] = "升级",
    [EVENT_VOID] = "更正",
    [EVENT_ORG_NAME_EN] = "英文名称登记",
};

const char *
label_level_zh(int level)
{
	return level >= 1 && level <= LABEL_LEVEL_MAX ? LEVELS_ZH[level] : "";
}

const char *
label_level_en(int level)
{
	return level >= 1 && level <= LABEL_LEVEL_MAX ? LEVELS_EN[level] : "";
}

/* A status's and a flag's words, in both languages. */
struct label_words {
	const char *zh, *en;
};

static const struct label_words STATUSES[] = {
    [STATUS_NOT_ISSUED] = {"未颁发", "not issued"},
    [STATUS_VALID] = {"有效", "valid"},
    [STATUS_SUSPENDED] = {"暂停", "suspended"},
    [STATUS_REVOKED] = {"已取消", "revoked"},
    [STATUS_EXPIRED] = {"已过期", "expired"},
    [STATUS_SUPERSEDED] = {"已换发", "superseded"},
};

static const struct {
	unsigned flag;
	struct label_words words;
} FLAGS[] = {
    {STATUS_FLAG_WARNING, {"警告（12 个月内）", "warning (within 12 months)"}},
    {STATUS_FLAG_RECTIFICATION, {"限期整改中", "rectification ordered"}},
    {STATUS_FLAG_ANNUAL_CHECK_OVERDUE, {"年检逾期", "annual check overdue"}},
    {STATUS_FLAG_RECTIFICATION_OVERDUE, {"整改逾期", "rectification overdue"}},
};

static const struct label_words UNKNOWN = {"未知", "unknown"};
static const struct label_words NONE = {"", ""};

static const struct label_words *
status_words(enum cert_status status)
{
	return (unsigned)status < sizeof STATUSES / sizeof *STATUSES
	           ? &STATUSES[status]
	           : &UNKNOWN;
}

static const struct label_words *
flag_words(unsigned flag)
{
	for (unsigned i = 0; i < sizeof FLAGS / sizeof *FLAGS; i++)
		if (FLAGS[i].flag == flag)
			return &FLAGS[i].words;
	return &NONE;
}

const char *
label_status_zh(enum cert_status status)
{
	return status_words(status)->zh;
}

const char *
label_status_en(enum cert_status status)
{
	return status_words(status)->en;
}

const char *
label_flag_zh(unsigned flag)
{
	return flag_words(flag)->zh;
}

const char *
label_flag_en(unsigned flag)
{
	return flag_words(flag)->en;
}

const char *
label_window_zh(enum window_state state)
{
	switch (state) {
	case WINDOW_UPCOMING:
		return "未到期";
	case WINDOW_OPEN:
		return "进行中";
	case WINDOW_PASSED:
		return "已完成";
	case WINDOW_OVERDUE:
		return "逾期未完成";
	case WINDOW_CLOSED:
		return "已结束";
	case WINDOW_ENDED:
		return "不再办理";
	}
	return "";
}

const char *
label_event_zh(enum event_kind kind)
{
	if ((int)kind < 0 || kind >= EVENT_KIND_COUNT)
		return "未知";
	return EVENTS_ZH[kind];
}

static const char *const EVENTS_EN[EVENT_KIND_COUNT] = {
    [EVENT_ORG_ADD] = "organisation registered",
    [EVENT_ORG_RENAME] = "organisation renamed",
    [EVENT_ORG_ADDRESS] = "address changed",
    [EVENT_ISSUE] = "certificate issued",
    [EVENT_ANNUAL_CHECK] = "annual check passed",
    [EVENT_WARN] = "warning",
    [EVENT_RECTIFY] = "rectification ordered",
    [EVENT_RECTIFY_CLOSE] = "rectification completed",
    [EVENT_SUSPEND] = "certificate suspended",
    [EVENT_REINSTATE] = "certificate reinstated",
    [EVENT_REVOKE] = "certificate revoked",
    [EVENT_TRANSFER] = "certificate transferred",
    [EVENT_RENEW] = "certificate renewed",
    [EVENT_UPGRADE] = "certificate upgraded",
    [EVENT_VOID] = "correction",
    [EVENT_ORG_NAME_EN] = "English name recorded",
};

const char *
label_event_en(enum event_kind kind)
{
	if ((int)kind < 0 || kind >= EVENT_KIND_COUNT)
		return "unknown";
	return EVENTS_EN[kind];
}

char *
label_date_zh(int date, char buf[LABEL_DATE_BUFSIZE])
{
	int y, m, d;

	if (date == DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	date_to_civil(date, &y, &m, &d);
	snprintf(buf, LABEL_DATE_BUFSIZE, "%d年%d月%d日", y, m, d);
	return buf;
}

char *
label_time_zh(long long seconds, char buf[LABEL_TIME_BUFSIZE])
{
	char day[LABEL_DATE_BUFSIZE];
	long long local = seconds + 8 * 3600, in_day = local % 86400;

	if (in_day < 0)
		in_day += 86400;
	snprintf(buf, LABEL_TIME_BUFSIZE, "%s %02lld:%02lld",
	    label_date_zh(date_from_epoch(seconds), day), in_day / 3600,
	    in_day % 3600 / 60);
	return buf;
}

char *
label_validity_zh(const struct status *st, char buf[LABEL_VALIDITY_BUFSIZE])
{
	char until[LABEL_DATE_BUFSIZE], since[LABEL_DATE_BUFSIZE];

	label_date_zh(st->valid_until, until);
	label_date_zh(st->since, since);
	switch (st->status) {
	case STATUS_NOT_ISSUED:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE, "尚未颁发");
		break;
	case STATUS_REVOKED:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE,
		    "原有效期至 %s，已于 %s取消", until, since);
		break;
	case STATUS_SUPERSEDED:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE,
		    "原有效期至 %s，已于 %s换发", until, since);
		break;
	case STATUS_EXPIRED:
		snprintf(
		    buf, LABEL_VALIDITY_BUFSIZE, "有效期至 %s，已届满", until);
		break;
	default:
		snprintf(buf, LABEL_VALIDITY_BUFSIZE, "有效期至 %s", until);
		break;
	}
	return buf;
}
