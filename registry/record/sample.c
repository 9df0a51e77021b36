/*
 * The sample registry (see sample.h).  Organisation i follows scenario
 * i % SCENARIO_COUNT, with dates jittered by a fixed pseudo-random
 * sequence; every change goes through ops_record(), so the sample obeys
 * the same rules as real data (a scenario that broke one would make
 * `sample` fail, and the tests with it).
 */
#include "registry/record/sample.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "registry/rules/creditcode.h"
#include "registry/rules/date.h"
#include "registry/record/ops.h"

enum scenario {
	S_VALID,       /* checks done */
	S_WINDOW_OPEN, /* an annual window open today */
	S_OVERDUE,     /* a window closed without a check */
	S_WARNING,
	S_RECTIFICATION, /* an open order */
	S_SUSPENDED,
	S_REINSTATED,
	S_REVOKED, /* after a suspension */
	S_EXPIRED,
	S_RENEWED,        /* superseded by a renewal */
	S_UPGRADED,       /* superseded by a level 2 certificate */
	S_TRANSFERRED,    /* moved to the previous organisation */
	S_RENEWAL_DUE,    /* renewal window open */
	S_VOIDED_WARNING, /* a warning recorded by mistake, voided */
	S_RENAMED,        /* former names and a new address */
	S_RECTIFIED,      /* an order closed */
	SCENARIO_COUNT
};

static const char *const PLACES[20] = {
    "青岚",
    "云溪",
    "星河",
    "北辰",
    "南屿",
    "望川",
    "听涛",
    "栖霞",
    "临风",
    "远山",
    "清源",
    "瀚海",
    "紫岫",
    "碧落",
    "松涧",
    "鹿鸣",
    "白鹭",
    "长庚",
    "明湖",
    "晴川",
};
static const char *const TRADES[10] = {
    "云安全科技",
    "信息技术",
    "网络安全服务",
    "数据科技",
    "智能科技",
    "数字科技",
    "安全技术",
    "云计算",
    "信息安全",
    "计算机系统",
};
static const char *const FOREIGN[8] = {
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Wingtip",
    "Litware",
    "Adatum",
    "Proseware",
};
static const char *const CITIES[6][2] = {
    {"110108", "北京市海淀区"},
    {"310115", "上海市浦东新区"},
    {"440305", "深圳市南山区"},
    {"330106", "杭州市西湖区"},
    {"510107", "成都市武侯区"},
    {"420111", "武汉市洪山区"},
};
static const char *const OTHER_CATEGORIES[6] = {
    "SI", "SO", "ER", "RA", "SD", "DR"};
static const char CODE_CHARS[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

struct sample {
	struct db *db;
	uint64_t state; /* pseudo-random sequence */
	int today;
	struct sample_summary *summary;
};

/* splitmix64: the same sequence on every platform. */
static unsigned
next(struct sample *s, unsigned bound)
{
	uint64_t z = (s->state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (unsigned)(z % bound);
}

static int
day(const struct sample *s, int offset)
{
	return s->today + offset;
}

/* Records one event as of its effective date (recorded the next morning,
 * Beijing time). */
static int
rec(struct sample *s, struct ops_request *req, struct ops_result *result)
{
	struct ops_result ignored;

	db_set_now(s->db, (long long)(req->effective_on + 1) * 86400 + 3600);
	if (ops_record(s->db, req, result ? result : &ignored) != 0)
		return -1;
	s->summary->events++;
	return 0;
}

#define ORG_REF_SIZE 24 /* an organisation's id as text, and its NUL */

/* Starts req as an event of `kind` on organisation `org`: its id is written
 * into ref, which req->org points to (so ref must outlive req). */
static void
org_request(struct ops_request *req, enum event_kind kind, long long org,
    char ref[ORG_REF_SIZE])
{
	snprintf(ref, ORG_REF_SIZE, "%lld", org);
	ops_request_init(req, kind);
	req->org = ref;
}

static int
cert_event(struct sample *s, enum event_kind kind, const char *number, int date,
    const char *reason)
{
	struct ops_request req;

	ops_request_init(&req, kind);
	req.cert = number;
	req.effective_on = date;
	req.reason = reason;
	return rec(s, &req, NULL);
}

/* Records the annual checks whose windows have opened by today, checked
 * a few days into the window; skips year `skip` (0: none). */
static int
annual_checks(struct sample *s, const char *number, int issued_on, int skip)
{
	for (int k = 1; k <= 2; k++) {
		int start, end, date;
		status_annual_window(issued_on, k, &start, &end);
		date = start + (int)next(s, 20);
		if (k == skip || date > s->today ||
		    date > status_valid_until(issued_on))
			continue;
		if (cert_event(s, EVENT_ANNUAL_CHECK, number, date, NULL) != 0)
			return -1;
	}
	return 0;
}

static int
add_org(struct sample *s, int i, long long *id)
{
	struct ops_request req;
	struct ops_result result;
	char name[160], code[CREDITCODE_LENGTH + 1], address[200];
	int foreign = i % 10 == 9;

	ops_request_init(&req, EVENT_ORG_ADD);
	if (foreign) {
		snprintf(name, sizeof name, "%s %s Security Ltd (Sample)",
		    FOREIGN[(i / 10) % 8], (i / 80) % 2 ? "Cloud" : "Data");
		snprintf(address, sizeof address,
		    "%d Example Street, Sample City", 10 + i);
	} else {
		const char *const *city = CITIES[next(s, 6)];
		snprintf(name, sizeof name, "示例%s%s有限公司", PLACES[i % 20],
		    TRADES[(i / 20) % 10]);
		memcpy(code, "91", 2);
		memcpy(code + 2, city[0], 6);
		for (int k = 8; k < 17; k++)
			code[k] = CODE_CHARS[next(s, 31)];
		code[17] = creditcode_check_char(code);
		code[18] = '\0';
		req.credit_code = code;
		snprintf(address, sizeof address, "%s示例路%d号", city[1],
		    1 + (int)next(s, 300));
	}
	req.name = name;
	req.address = address;
	req.effective_on = day(s, -(4 * 365 + 30));
	if (rec(s, &req, &result) != 0)
		return -1;
	*id = result.org_id;
	s->summary->organisations++;
	return 0;
}

static int
issue(struct sample *s, long long org, const char *category, int level,
    int issued_on, char number[NUMBER_MAX])
{
	struct ops_request req;
	struct ops_result result;
	char ref[ORG_REF_SIZE];

	org_request(&req, EVENT_ISSUE, org, ref);
	req.category = category;
	req.level = level;
	req.effective_on = issued_on;
	req.reference = "示例公告";
	if (rec(s, &req, &result) != 0)
		return -1;
	memcpy(number, result.number, NUMBER_MAX);
	s->summary->certificates++;
	return 0;
}

/* The date certificate i is issued on for its scenario, and in *skip the
 * annual check year to leave out (0: none). */
static int
issue_date(struct sample *s, int i, enum scenario scenario, int *skip)
{
	int issued_on = day(s, -(400 + (int)next(s, 300)));

	*skip = 0;
	switch (scenario) {
	case S_WINDOW_OPEN:
		*skip = i % 2 ? 1 : 2;
		return date_add_years(
		    day(s, 10 + (int)next(s, 15)), i % 2 ? -1 : -2);
	case S_OVERDUE:
		*skip = 1;
		return date_add_years(day(s, -(40 + (int)next(s, 200))), -1);
	case S_EXPIRED:
		return day(s, -(3 * 365 + 30 + (int)next(s, 300)));
	case S_RENEWED:
		return date_add_years(day(s, 40 + (int)next(s, 40)), -3);
	case S_RENEWAL_DUE:
		return date_add_years(day(s, 30 + (int)next(s, 50)), -3);
	default:
		return issued_on;
	}
}

/* A rectification order made some weeks ago, still open. */
static int
open_order(struct sample *s, const char *number)
{
	struct ops_request req;
	int ordered = day(s, -(5 + (int)next(s, 60)));

	ops_request_init(&req, EVENT_RECTIFY);
	req.cert = number;
	req.effective_on = ordered;
	req.deadline = ordered + 30 + (int)next(s, 60);
	req.reason = "年检发现不符合项，限期整改（示例）";
	return rec(s, &req, NULL);
}

/* A renewal or an upgrade to level 2: a successor certificate. */
static int
supersede(struct sample *s, const char *number, enum event_kind kind)
{
	struct ops_request req;
	struct ops_result result;

	ops_request_init(&req, kind);
	req.cert = number;
	if (kind == EVENT_UPGRADE) {
		req.level = 2;
		req.effective_on = day(s, -(5 + (int)next(s, 25)));
	} else {
		req.effective_on = day(s, -(int)next(s, 10));
		req.reference = "示例换证公告";
	}
	if (rec(s, &req, &result) != 0)
		return -1;
	s->summary->certificates++;
	return 0;
}

static int
transfer(struct sample *s, const char *number, long long to_org)
{
	struct ops_request req;
	char to[ORG_REF_SIZE];

	snprintf(to, sizeof to, "%lld", to_org);
	ops_request_init(&req, EVENT_TRANSFER);
	req.cert = number;
	req.to_org = to;
	req.effective_on = day(s, -(10 + (int)next(s, 20)));
	req.reason = "组织合并，资质转移（示例）";
	return rec(s, &req, NULL);
}

/* A warning recorded by mistake, then voided. */
static int
voided_warning(struct sample *s, const char *number)
{
	struct ops_request req;
	struct ops_result warned;

	ops_request_init(&req, EVENT_WARN);
	req.cert = number;
	req.effective_on = day(s, -50);
	req.reason = "误录（示例）";
	if (rec(s, &req, &warned) != 0)
		return -1;
	ops_request_init(&req, EVENT_VOID);
	req.target = warned.event_id;
	req.effective_on = day(s, -40);
	req.reason = "录入错误，予以更正（示例）";
	return rec(s, &req, NULL);
}

/* A new name and then a new address for organisation `org`. */
static int
rename_org(struct sample *s, long long org)
{
	struct ops_request req;
	struct org current = {0};
	char org_ref[ORG_REF_SIZE], name[200];

	if (db_org_get(s->db, org, &current) != 0)
		return -1;
	snprintf(name, sizeof name, "%s（更名示例）", current.name);
	org_clear(&current);
	org_request(&req, EVENT_ORG_RENAME, org, org_ref);
	req.name = name;
	req.effective_on = day(s, -(100 + (int)next(s, 200)));
	if (rec(s, &req, NULL) != 0)
		return -1;
	org_request(&req, EVENT_ORG_ADDRESS, org, org_ref);
	req.address = "示例新区示例大道1号";
	req.effective_on = day(s, -(20 + (int)next(s, 60)));
	return rec(s, &req, NULL);
}

/* An order made and closed before its deadline. */
static int
rectified(struct sample *s, const char *number)
{
	struct ops_request req;

	ops_request_init(&req, EVENT_RECTIFY);
	req.cert = number;
	req.effective_on = day(s, -120);
	req.deadline = day(s, -60);
	req.reason = "限期整改（示例）";
	if (rec(s, &req, NULL) != 0)
		return -1;
	ops_request_init(&req, EVENT_RECTIFY_CLOSE);
	req.cert = number;
	req.effective_on = day(s, -70);
	return rec(s, &req, NULL);
}

/* What happens to certificate `number` after its issue and checks. */
static int
follow(struct sample *s, enum scenario scenario, const char *number,
    long long org, long long previous_org)
{
	switch (scenario) {
	case S_WARNING:
		return cert_event(s, EVENT_WARN, number,
		    day(s, -(10 + (int)next(s, 300))),
		    "未按要求报送年度调查表（示例）");
	case S_RECTIFICATION:
		return open_order(s, number);
	case S_SUSPENDED:
		return cert_event(s, EVENT_SUSPEND, number,
		    day(s, -(5 + (int)next(s, 25))), "整改后仍不合格（示例）");
	case S_REINSTATED:
		if (cert_event(s, EVENT_SUSPEND, number, day(s, -30 - 120),
		        "整改后仍不合格（示例）") != 0)
			return -1;
		return cert_event(s, EVENT_REINSTATE, number,
		    day(s, -(20 + (int)next(s, 100))), NULL);
	case S_REVOKED:
		if (cert_event(s, EVENT_SUSPEND, number, day(s, -30),
		        "整改后仍不合格（示例）") != 0)
			return -1;
		return cert_event(s, EVENT_REVOKE, number,
		    day(s, -(1 + (int)next(s, 25))),
		    "严重违规，取消证书（示例）");
	case S_RENEWED:
		return supersede(s, number, EVENT_RENEW);
	case S_UPGRADED:
		return supersede(s, number, EVENT_UPGRADE);
	case S_TRANSFERRED:
		return transfer(s, number, previous_org);
	case S_VOIDED_WARNING:
		return voided_warning(s, number);
	case S_RENAMED:
		return rename_org(s, org);
	case S_RECTIFIED:
		return rectified(s, number);
	default:
		return 0;
	}
}

/* Organisation i's certificate and its history, by its scenario. */
static int
play(struct sample *s, int i, long long org, long long previous_org)
{
	enum scenario scenario = (enum scenario)(i % SCENARIO_COUNT);
	const char *category =
	    i % 9 == 4 ? OTHER_CATEGORIES[(i / 9) % 6] : "CS";
	int level =
	    i % 11 == 0 && scenario != S_UPGRADED ? 2 + (i / 11) % 4 : 1;
	int skip, issued_on = issue_date(s, i, scenario, &skip);
	char number[NUMBER_MAX];

	if (issue(s, org, category, level, issued_on, number) != 0 ||
	    annual_checks(s, number, issued_on, skip) != 0)
		return -1;
	return follow(s, scenario, number, org, previous_org);
}

/* The English names the first organisations are given, after all else
 * (so that the events before keep their numbers): "示例青岚云安全科技有限
 * 公司" and the next two. */
static const char *const NAMES_EN[] = {
    "Qinglan Cloud Security Technology Co., Ltd. (Sample)",
    "Yunxi Cloud Security Technology Co., Ltd. (Sample)",
    "Xinghe Cloud Security Technology Co., Ltd. (Sample)",
};
#define NAMES_EN_COUNT (sizeof NAMES_EN / sizeof NAMES_EN[0])

static int
name_en(struct sample *s, long long org, const char *name)
{
	struct ops_request req;
	char org_ref[ORG_REF_SIZE];

	org_request(&req, EVENT_ORG_NAME_EN, org, org_ref);
	req.name_en = name;
	req.effective_on = day(s, -10);
	return rec(s, &req, NULL);
}

int
sample_build(struct db *db, int today, struct sample_summary *summary)
{
	struct sample s = {db, 20260101, today, summary};
	long long count = -1, previous = 0, named[NAMES_EN_COUNT] = {0};
	char date[DATE_BUFSIZE];
	int ok = 0;

	memset(summary, 0, sizeof *summary);
	if (db_count(db, DB_ORGANISATIONS, &count) != 0)
		return -1;
	if (count != 0)
		return db_fail(db,
		    "sample needs an empty registry (this one "
		    "has %lld organisations)",
		    count);
	if (db_begin(db) != 0)
		return -1;
	for (int i = 0; i < SAMPLE_ORGANISATIONS; i++) {
		long long org;
		if (add_org(&s, i, &org) != 0 ||
		    play(&s, i, org, previous) != 0)
			goto end;
		/* A few hold a second certificate in another category. */
		if (i % 25 == 7) {
			char number[NUMBER_MAX];
			int issued_on = day(&s, -(30 + (int)next(&s, 200)));
			if (issue(&s, org, "SO", 1, issued_on, number) != 0)
				goto end;
		}
		previous = org;
		if ((size_t)i < NAMES_EN_COUNT)
			named[i] = org;
	}
	for (size_t i = 0; i < NAMES_EN_COUNT; i++)
		if (name_en(&s, named[i], NAMES_EN[i]) != 0)
			goto end;
	if (db_meta_set(db, "sample", "1") != 0 ||
	    db_meta_set(db, "sample_today", date_format(today, date)) != 0)
		goto end;
	if (db_count(db, DB_EVENTS, &summary->events) != 0)
		goto end;
	ok = 1;
end:
	if (!ok) {
		char why[1100];
		snprintf(why, sizeof why, "sample: %s", db_error(db));
		db_fail(db, "%s", why);
	}
	return db_end(db, ok);
}
