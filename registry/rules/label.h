/*
 * The words people read: Chinese (and for levels English) labels of
 * levels, statuses, flags, annual and renewal window states and event
 * kinds.  Every program shows these through here, so a label is written
 * once.  The stable machine names (valid, annual-check...) are the
 * rules' own (status.h, event.h).
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

/* "有效", "暂停", "已取消", "已过期", "已换发", "未颁发"; never NULL. */
const char *label_status_zh(enum cert_status status);

/* "警告（12 个月内）", "限期整改中", "年检逾期" for one flag bit; "" for
 * others. */
const char *label_flag_zh(unsigned flag);

/* "未到期", "进行中", "已完成", "逾期未完成", "已结束"; never NULL. */
const char *label_window_zh(enum window_state state);

/* "年检" for EVENT_ANNUAL_CHECK, ...; "未知" for a kind out of range. */
const char *label_event_zh(enum event_kind kind);

#endif
