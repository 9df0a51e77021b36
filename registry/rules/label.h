/*
 * The words people read: Chinese labels of levels, statuses, flags,
 * annual and renewal window states and event kinds, and English ones of
 * levels, statuses, flags and event kinds.  Every program shows these through
 * here, so a label is written once.  The stable machine names (valid,
 * annual-check...) are the rules' own (status.h, event.h).
 */
#ifndef REGISTRY_RULES_LABEL_H
#define REGISTRY_RULES_LABEL_H

#include "registry/rules/event.h"
#include "registry/rules/status.h"

#define LABEL_LEVEL_MAX 5 /* levels are 1 to LABEL_LEVEL_MAX */

/* "基本执行级" for level 1, ... "持续改进级" for 5; "" for others. */
const char *label_level_zh(int level);

/* "Basic execution" for level 1, ...; "" for others. */
const char *label_level_en(int level);

/* "有效", "暂停", "已取消", "已过期", "已换发", "未颁发" ("未知" for a
 * status out of range); never NULL. */
const char *label_status_zh(enum cert_status status);
/* The same in English: "valid", "suspended", "revoked", "expired",
 * "superseded", "not issued" ("unknown"). */
const char *label_status_en(enum cert_status status);

/* "警告（12 个月内）", "限期整改中", "年检逾期", "整改逾期" for one flag
 * bit; "" for others. */
const char *label_flag_zh(unsigned flag);
/* The same in English: "warning (within 12 months)", "rectification
 * ordered", "annual check overdue", "rectification overdue"; "". */
const char *label_flag_en(unsigned flag);

/* "未到期", "进行中", "已完成", "逾期未完成", "已结束", "不再办理";
 * never NULL. */
const char *label_window_zh(enum window_state state);

#define LABEL_DATE_BUFSIZE 32 /* "2026年12月2日" and its NUL */
#define LABEL_TIME_BUFSIZE 40 /* "2026年12月2日 11:04" and its NUL */
#define LABEL_VALIDITY_BUFSIZE 160

/* A date as people write it: "2026年1月1日" ("" for DATE_NONE). */
char *label_date_zh(int date, char buf[LABEL_DATE_BUFSIZE]);

/* A Unix time in China Standard Time, to the minute: "2026年12月2日 11:04". */
char *label_time_zh(long long seconds, char buf[LABEL_TIME_BUFSIZE]);

/*
 * What a certificate's validity means given its status `st` (as from
 * status_on(), with st->valid_until): "有效期至 2027年3月6日" while it is
 * valid or suspended; "原有效期至 2027年3月6日，已于 2025年8月1日取消"
 * once revoked, "…已于 2026年12月1日换发" once superseded, "有效期至
 * 2026年2月28日，已届满" once expired, "尚未颁发" before issue.
 */
char *label_validity_zh(
    const struct status *st, char buf[LABEL_VALIDITY_BUFSIZE]);

/* "年检" for EVENT_ANNUAL_CHECK, ...; "未知" for a kind out of range. */
const char *label_event_zh(enum event_kind kind);
/* The same in English ("certificate suspended"), for the change feed. */
const char *label_event_en(enum event_kind kind);

#endif
