/*
 * gen_pages: writes a synthetic site repository as a `git fast-import`
 * stream, for benchmarks of sitegen on sites far larger than the guide.
 *
 *   git init -q -b main repo
 *   gen_pages --pages 10000 --commits 10000 | git -C repo fast-import --quiet
 *   git -C repo reset -q --hard
 *
 * The site has a home page (content/index.md), sections (sNNN/index.md,
 * top level) and pages in them (sNNN/pNNN.md, `parent: sNNN/index`).
 * Each page is 2-4 KB of Chinese and ASCII Markdown: front matter,
 * `##`/`###` headings (some with explicit `{#id}`), paragraphs, a numbered
 * list, a table (sometimes a fee table whose sums are right), and relative
 * links to other pages and to ids that exist there, so every revision passes
 * sitegen's link and fee checks.
 *
 * The first commit adds every page; each later commit rewrites one
 * paragraph of one page, or, with --rename-every K, every K-th commit
 * renames a page and updates the pages that link to it in the same commit.
 * Everything, commit dates included, follows from the options: the same
 * options give the same stream, byte for byte.
 *
 * A page's shape (title, headings, ids, list, table, links) follows from
 * (seed, page number) alone and never changes, so any page can compute the
 * ids of any other page to link to them.  The words of paragraph j follow
 * from (seed, page number, j, how often j was rewritten).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2017-10-01 00:00:00 +0800: the first commit; later ones one hour apart. */
#define FIRST_COMMIT_TIME 1506787200LL
#define COMMIT_INTERVAL 3600LL

#define MAX_H2 6
#define MAX_H3 2
#define MAX_IDS (MAX_H2 * (1 + MAX_H3))
#define MAX_ID_LEN 48

/* ---- text and pools ---- */

struct text {
	char *data;
	size_t len, cap;
};

static void *
mem_realloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (p == NULL) {
		fprintf(stderr, "gen_pages: out of memory\n");
		exit(1);
	}
	return p;
}

static void
text_put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->data = mem_realloc(t->data, t->cap);
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

static void
text_puts(struct text *t, const char *s)
{
	text_put(t, s, strlen(s));
}

static void
text_printf(struct text *t, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		text_put(t, small, (size_t)n);
		return;
	}
	char *big = mem_realloc(NULL, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	text_put(t, big, (size_t)n);
	free(big);
}

/* A name in Chinese and the ASCII word used in ids and file names. */
struct term {
	const char *zh;
	const char *ascii;
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

static const struct term CHAPTERS[] = {
    {"资质认定总则", "general"},
    {"基本资格", "eligibility"},
    {"组织与人员", "staff"},
    {"安全管理制度", "policy"},
    {"云平台安全", "platform"},
    {"数据安全管理", "data"},
    {"身份与访问管理", "identity"},
    {"网络安全防护", "network"},
    {"安全运维", "operations"},
    {"应急响应", "incident"},
    {"业务连续性", "continuity"},
    {"供应链安全", "supply"},
    {"合规与审计", "audit"},
    {"客户服务与支持", "support"},
    {"评审与认定", "review"},
    {"监督与维持", "supervision"},
};

static const struct term TOPICS[] = {
    {"数据备份与恢复", "backup"},
    {"访问控制策略", "access"},
    {"日志审计", "logging"},
    {"漏洞管理", "vulnerability"},
    {"变更管理", "change"},
    {"密钥管理", "keys"},
    {"人员安全培训", "training"},
    {"供应商评估", "vendor"},
    {"物理环境安全", "physical"},
    {"虚拟化安全", "virtualization"},
    {"容器镜像管理", "images"},
    {"API 接口安全", "api"},
    {"身份鉴别", "authentication"},
    {"安全事件报告", "reporting"},
    {"服务级别协议", "sla"},
    {"数据分类分级", "classification"},
    {"多租户隔离", "tenancy"},
    {"配置基线", "baseline"},
    {"渗透测试", "pentest"},
    {"容量规划", "capacity"},
    {"灾难恢复演练", "drill"},
    {"个人信息保护", "privacy"},
    {"安全开发流程", "sdl"},
    {"账号生命周期", "accounts"},
    {"远程运维", "remote"},
    {"防病毒与恶意代码", "malware"},
    {"加密传输", "tls"},
    {"存储加密", "encryption"},
    {"资产清单", "assets"},
    {"风险评估", "risk"},
    {"内部审核", "internal-audit"},
    {"管理评审", "management-review"},
};

static const char *const QUALIFIERS[] = {
    "要求",
    "实施指引",
    "说明",
    "检查要点",
    "常见问题",
    "",
    "",
    "",
};

static const struct term H2S[] = {
    {"适用范围", "scope"},
    {"基本要求", "requirements"},
    {"申请材料", "materials"},
    {"办理流程", "process"},
    {"评审要点", "review"},
    {"常见问题", "faq"},
    {"时间安排", "schedule"},
    {"费用说明", "fees"},
    {"职责分工", "roles"},
    {"记录与证据", "evidence"},
    {"监督检查", "supervision"},
    {"变更处理", "changes"},
    {"术语和定义", "terms"},
    {"参考文件", "references"},
    {"技术措施", "controls"},
    {"整改要求", "remediation"},
};

static const struct term H3S[] = {
    {"注意事项", "notes"},
    {"示例", "example"},
    {"例外情况", "exceptions"},
    {"检查方法", "checks"},
    {"补充说明", "details"},
    {"判定标准", "criteria"},
};

static const char *const OPENERS[] = {
    "",
    "",
    "",
    "此外，",
    "同时，",
    "对于新建系统，",
    "在正式申请前，",
    "如有变更，",
    "一般情况下，",
    "在评审期间，",
    "根据 ISO/IEC 27001 的要求，",
    "参照 GB/T 22239 的规定，",
    "对于跨地域部署的服务，",
    "在 SaaS 模式下，",
};

static const char *const SUBJECTS[] = {
    "申请单位",
    "服务提供方",
    "评审组",
    "项目负责人",
    "云服务客户",
    "安全管理部门",
    "运维团队",
    "测评机构",
    "技术负责人",
    "审核人员",
    "系统管理员",
    "数据保护负责人",
};

static const char *const MODALS[] = {
    "应当",
    "需要",
    "可以",
    "原则上应",
    "必须",
    "宜",
};

static const char *const ACTIONS[] = {
    "建立并保持",
    "定期评审",
    "书面记录",
    "在规定期限内提交",
    "按年度更新",
    "向评审组说明",
    "在系统中登记",
    "妥善保存",
    "逐项核对",
    "组织内部审核",
    "指定专人维护",
    "每季度检查",
};

static const char *const OBJECTS[] = {
    "信息安全管理体系文件",
    "服务级别协议（SLA）",
    "访问控制策略",
    "日志审计记录",
    "备份与恢复方案",
    "应急响应预案",
    "人员培训记录",
    "供应商评估报告",
    "变更审批单",
    "漏洞扫描报告",
    "API 访问密钥的轮换记录",
    "HTTPS 证书清单",
    "数据分类分级清单",
    "业务连续性计划",
    "虚拟机镜像的完整性校验值",
    "特权账号清单",
};

static const char *const TAILS[] = {
    "",
    "",
    "，并保留不少于 3 年",
    "，确保与实际运行情况一致",
    "，作为现场评审的依据",
    "，以便事后追溯",
    "，必要时附补充说明",
    "，RPO 不超过 24 小时",
    "，RTO 不超过 4 小时",
    "，覆盖率不低于 95%",
    "，并在 30 日内完成整改",
    "，由第二人复核",
};

static const char *const CODES[] = {
    "backup.retention_days",
    "tls.min_version = 1.2",
    "GET /api/v1/status",
    "audit.log",
    "sha256sum",
    "chmod 600",
    "max_login_attempts",
    "X-Request-Id",
    "pg_dump --format=custom",
    "ssh -o PasswordAuthentication=no",
};

static const char *const ITEMS[] = {
    "提交申请书",
    "资料形式审查",
    "文档审核",
    "现场评审",
    "技术验证",
    "整改复核",
    "专家评议",
    "证书制作",
    "年度监督",
    "变更备案",
};

static const char *const DEMANDS[] = {
    "加盖公章的原件",
    "电子版 PDF，单个文件不超过 20 MB",
    "附评审记录表",
    "由项目负责人签字",
    "提供 SHA-256 校验值",
    "按模板填写",
    "双人复核",
    "上传至申请系统",
};

static const char *const PERIODS[] = {
    "5 个工作日",
    "10 个工作日",
    "15 个工作日",
    "1 个月",
    "受理后 20 个工作日内",
    "每年一次",
};

static const char *const FEE_ITEMS[] = {
    "文档审核",
    "现场评审",
    "技术验证",
    "专家评议",
    "整改复核",
};

static const long long RATES[] = {1500, 2000, 2500, 3000};

/* ---- deterministic randomness (splitmix64) ---- */

struct rng {
	uint64_t state;
};

static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* What a random stream is for, so streams of one page never overlap. */
enum stream { STREAM_SHAPE = 1, STREAM_PARAGRAPH, STREAM_COMMIT };

static struct rng
rng_for(uint64_t seed, enum stream what, uint64_t a, uint64_t b, uint64_t c)
{
	struct rng r = {mix64(
	    seed ^ mix64((uint64_t)what ^ mix64(a ^ mix64(b ^ mix64(c)))))};
	return r;
}

static uint64_t
rng_next(struct rng *r)
{
	r->state += 0x9e3779b97f4a7c15ULL;
	return mix64(r->state);
}

/* A number in [0, n). */
static size_t
rng_below(struct rng *r, size_t n)
{
	return n ? (size_t)(rng_next(r) % n) : 0;
}

/* True with probability 1/n. */
static int
rng_one_in(struct rng *r, size_t n)
{
	return rng_below(r, n) == 0;
}

#define PICK(r, pool) ((pool)[rng_below((r), COUNT(pool))])

/* ---- the site ---- */

struct page {
	int section; /* -1 for the home page */
	int slot;    /* -1 for a section's index page */
	int edits;   /* paragraphs rewritten so far */
	int renames;
	char *path;     /* relative to the content folder, as of now */
	int *backlinks; /* pages linking here, each once */
	size_t nbacklinks;
};

struct gen {
	uint64_t seed;
	int npages, nsections;
	int *section_first; /* page number of each section's index page */
	int *section_size;  /* pages in each section, index page excluded */
	int digits;         /* of section and page numbers in file names */
	struct page *pages;
};

/* Where a page's shape is decided: everything but its words and path. */
struct shape {
	int chapter;          /* CHAPTERS, for index pages */
	int topic, qualifier; /* TOPICS, QUALIFIERS */
	int nh2;
	int h2[MAX_H2];    /* H2S */
	int h2_id[MAX_H2]; /* has an explicit id */
	int nh3[MAX_H2];
	int h3[MAX_H2][MAX_H3]; /* H3S */
	int h3_id[MAX_H2][MAX_H3];
	int paragraphs[MAX_H2]; /* under the h2 itself, before its h3s */
	int list_in, table_in;  /* which h2 holds the list, the table */
	int fee_table;
	char ids[MAX_IDS][MAX_ID_LEN]; /* the explicit ids */
	int nids;
};

static void
shape_of(const struct gen *g, int id, struct shape *s)
{
	struct rng r = rng_for(g->seed, STREAM_SHAPE, (uint64_t)id, 0, 0);
	memset(s, 0, sizeof *s);
	s->chapter = (int)rng_below(&r, COUNT(CHAPTERS));
	s->topic = (int)rng_below(&r, COUNT(TOPICS));
	s->qualifier = (int)rng_below(&r, COUNT(QUALIFIERS));
	s->nh2 = 3 + (int)rng_below(&r, MAX_H2 - 3);
	int order[COUNT(H2S)];
	for (size_t i = 0; i < COUNT(H2S); i++)
		order[i] = (int)i;
	for (int i = 0; i < s->nh2; i++) {
		size_t j = (size_t)i + rng_below(&r, COUNT(H2S) - (size_t)i);
		int tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
		s->h2[i] = order[i];
		/* The first always has an id, so every page has one to link to.
		 */
		s->h2_id[i] = i == 0 || !rng_one_in(&r, 2);
		if (s->h2_id[i])
			snprintf(s->ids[s->nids++], MAX_ID_LEN, "%s",
			    H2S[s->h2[i]].ascii);
		s->paragraphs[i] = 1 + rng_one_in(&r, 4);
		s->nh3[i] =
		    rng_one_in(&r, 3) ? 1 + (int)rng_below(&r, MAX_H3) : 0;
		int first = (int)rng_below(&r, COUNT(H3S));
		for (int k = 0; k < s->nh3[i]; k++) {
			s->h3[i][k] = (first + k) % (int)COUNT(H3S);
			s->h3_id[i][k] = rng_one_in(&r, 3);
			if (s->h3_id[i][k])
				snprintf(s->ids[s->nids++], MAX_ID_LEN, "%s-%s",
				    H2S[s->h2[i]].ascii,
				    H3S[s->h3[i][k]].ascii);
		}
	}
	s->list_in = (int)rng_below(&r, (size_t)s->nh2);
	s->table_in =
	    (s->list_in + 1 + (int)rng_below(&r, (size_t)s->nh2 - 1)) % s->nh2;
	s->fee_table = rng_one_in(&r, 4);
}

static int
paragraph_count(const struct shape *s)
{
	int n = 1; /* the introduction */
	for (int i = 0; i < s->nh2; i++)
		n += s->paragraphs[i] + s->nh3[i];
	return n;
}

static void
page_title(const struct gen *g, int id, struct text *out)
{
	const struct page *p = &g->pages[id];
	struct shape s;
	shape_of(g, id, &s);
	if (p->section < 0)
		text_puts(out, "云服务安全能力指南（基准测试站点）");
	else if (p->slot < 0)
		text_printf(
		    out, "第 %d 章 %s", p->section + 1, CHAPTERS[s.chapter].zh);
	else
		text_printf(out, "%d.%d %s%s", p->section + 1, p->slot + 1,
		    TOPICS[s.topic].zh, QUALIFIERS[s.qualifier]);
}

/* A link from one page to another, maybe to one of its explicit ids. */
struct link {
	int target;
	int anchor; /* index into the target's shape ids, or -1 */
};

struct links {
	struct link *items;
	size_t count, cap;
	size_t inline_count; /* the first ones go in paragraphs, the rest in a
	                        list */
};

static void
links_add(struct links *l, int target, int anchor)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = mem_realloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->count].target = target;
	l->items[l->count].anchor = anchor;
	l->count++;
}

static void
add_anchored(const struct gen *g, struct links *l, struct rng *r, int target)
{
	struct shape t;
	shape_of(g, target, &t);
	links_add(l, target, (int)rng_below(r, (size_t)t.nids));
}

/*
 * Every link on page id, in the order they appear: a few in its paragraphs,
 * then the home page's list of chapters or a section's list of its pages.
 */
static void
links_of(const struct gen *g, int id, struct links *l)
{
	const struct page *p = &g->pages[id];
	struct rng r = rng_for(g->seed, STREAM_SHAPE, (uint64_t)id, 1, 0);
	l->count = 0;
	if (p->section < 0) {
		if (g->nsections > 0)
			add_anchored(g, l, &r, g->section_first[0]);
		l->inline_count = l->count;
		for (int s = 0; s < g->nsections; s++)
			links_add(l, g->section_first[s], -1);
		return;
	}
	int first = g->section_first[p->section];
	int size = g->section_size[p->section];
	if (p->slot < 0) {
		links_add(l, 0, -1);
		if (p->section + 1 < g->nsections)
			add_anchored(
			    g, l, &r, g->section_first[p->section + 1]);
		if (size > 0)
			add_anchored(g, l, &r,
			    first + 1 + (int)rng_below(&r, (size_t)size));
		l->inline_count = l->count;
		for (int k = 0; k < size; k++)
			links_add(l, first + 1 + k, -1);
		return;
	}
	/* the next page in reading order, then the section's index page */
	if (p->slot + 1 < size)
		links_add(l, id + 1, -1);
	else if (p->section + 1 < g->nsections)
		links_add(l, g->section_first[p->section + 1], -1);
	links_add(l, first, -1);
	if (size > 1) {
		int k = (int)rng_below(&r, (size_t)size - 1);
		if (k >= p->slot)
			k++;
		add_anchored(g, l, &r, first + 1 + k);
	}
	if (g->nsections > 1 && !rng_one_in(&r, 4)) {
		int s = (int)rng_below(&r, (size_t)g->nsections - 1);
		if (s >= p->section)
			s++;
		int k = (int)rng_below(&r, (size_t)g->section_size[s] + 1);
		add_anchored(g, l, &r, g->section_first[s] + k);
	}
	l->inline_count = l->count;
}

/* The relative link from page from to page to (each at most a folder deep). */
static void
link_url(const struct gen *g, int from, int to, struct text *out)
{
	const char *src = g->pages[from].path, *dst = g->pages[to].path;
	const char *src_slash = strchr(src, '/'), *dst_slash = strchr(dst, '/');
	size_t src_dir = src_slash ? (size_t)(src_slash - src) : 0;
	size_t dst_dir = dst_slash ? (size_t)(dst_slash - dst) : 0;
	if (src_dir == dst_dir && memcmp(src, dst, src_dir) == 0)
		text_puts(out, dst + (dst_slash ? dst_dir + 1 : 0));
	else if (src_dir == 0)
		text_puts(out, dst);
	else
		text_printf(out, "../%s", dst);
}

static void
put_link(
    const struct gen *g, int from, const struct link *link, struct text *out)
{
	text_puts(out, "[");
	page_title(g, link->target, out);
	text_puts(out, "](");
	link_url(g, from, link->target, out);
	if (link->anchor >= 0) {
		struct shape t;
		shape_of(g, link->target, &t);
		text_printf(out, "#%s", t.ids[link->anchor]);
	}
	text_puts(out, ")");
}

static void
put_sentence(struct rng *r, struct text *out)
{
	text_puts(out, PICK(r, OPENERS));
	if (rng_one_in(r, 6)) {
		text_printf(out, "%s在配置时%s检查 `%s`", PICK(r, SUBJECTS),
		    PICK(r, MODALS), PICK(r, CODES));
	} else {
		text_printf(out, "%s%s%s", PICK(r, SUBJECTS), PICK(r, MODALS),
		    PICK(r, ACTIONS));
		if (rng_one_in(r, 5))
			text_printf(out, "**%s**", PICK(r, OBJECTS));
		else
			text_puts(out, PICK(r, OBJECTS));
	}
	text_printf(out, "%s。", PICK(r, TAILS));
}

/* Paragraph j of page id, with the links that belong at its end. */
static void
put_paragraph(const struct gen *g, int id, int j, int nparagraphs,
    const struct links *l, struct text *out)
{
	const struct page *p = &g->pages[id];
	/* Rewrite k of a page goes to paragraph k % nparagraphs. */
	int version = p->edits > j ? (p->edits - 1 - j) / nparagraphs + 1 : 0;
	struct rng r = rng_for(g->seed, STREAM_PARAGRAPH, (uint64_t)id,
	    (uint64_t)j, (uint64_t)version);
	int sentences = 2 + (int)rng_below(&r, 2);
	for (int i = 0; i < sentences; i++)
		put_sentence(&r, out);
	for (size_t k = 0; k < l->inline_count; k++) {
		if ((int)(k * (size_t)nparagraphs / l->inline_count) != j)
			continue;
		const struct link *link = &l->items[k];
		text_puts(out, link->anchor >= 0 ? "具体规定见" : "另请参阅");
		put_link(g, id, link, out);
		text_puts(out, "。");
	}
	text_puts(out, "\n\n");
}

static void
put_amount(long long v, struct text *out)
{
	if (v >= 1000)
		text_printf(out, "%lld,%03lld", v / 1000, v % 1000);
	else
		text_printf(out, "%lld", v);
}

static void
put_table(struct rng *r, int fees, struct text *out)
{
	int rows = 3 + (int)rng_below(r, 3);
	if (!fees) {
		text_puts(out, "| 序号 | 事项 | 要求 | 期限 |\n| --- | --- | "
		               "--- | --- |\n");
		for (int i = 0; i < rows; i++)
			text_printf(out, "| %d | %s | %s | %s |\n", i + 1,
			    PICK(r, ITEMS), PICK(r, DEMANDS), PICK(r, PERIODS));
		text_puts(out, "\n");
		return;
	}
	long long total = 0;
	text_puts(out, "| 项目 | 人日 | 单价（元/人日） | 金额（元） |\n"
	               "| --- | ---: | ---: | ---: |\n");
	for (int i = 0; i < rows; i++) {
		long long days = 1 + (long long)rng_below(r, 6);
		long long rate = RATES[rng_below(r, COUNT(RATES))];
		text_printf(out, "| %s | %lld | ",
		    FEE_ITEMS[i % COUNT(FEE_ITEMS)], days);
		put_amount(rate, out);
		text_puts(out, " | ");
		put_amount(days * rate, out);
		text_puts(out, " |\n");
		total += days * rate;
	}
	text_puts(out, "| 证书费 | — | — | 1,000 |\n| **合计** | | | **");
	put_amount(total + 1000, out);
	text_puts(out, "** |\n\n");
}

static void
put_list(struct rng *r, struct text *out)
{
	int items = 3 + (int)rng_below(r, 4);
	for (int i = 0; i < items; i++) {
		text_printf(out, "%d. %s%s%s。\n", i + 1, PICK(r, ACTIONS),
		    PICK(r, OBJECTS), PICK(r, TAILS));
	}
	text_puts(out, "\n");
}

/* The home page's list of chapters, or a section's list of its pages. */
static void
put_contents(
    const struct gen *g, int id, const struct links *l, struct text *out)
{
	if (l->count == l->inline_count)
		return;
	text_puts(out, g->pages[id].section < 0
	                   ? "## 章节目录 {#chapters}\n\n"
	                   : "## 本章内容 {#contents}\n\n");
	for (size_t k = l->inline_count; k < l->count; k++) {
		text_printf(out, "%zu. ", k - l->inline_count + 1);
		put_link(g, id, &l->items[k], out);
		text_puts(out, "\n");
	}
	text_puts(out, "\n");
}

/* Writes the whole source of page id as it is now. */
static void
page_source(const struct gen *g, int id, struct text *out)
{
	const struct page *p = &g->pages[id];
	struct shape s;
	struct links l = {0};
	shape_of(g, id, &s);
	links_of(g, id, &l);
	struct rng r = rng_for(g->seed, STREAM_SHAPE, (uint64_t)id, 2, 0);
	int nparagraphs = paragraph_count(&s);

	text_puts(out, "---\ntitle: ");
	page_title(g, id, out);
	if (p->section < 0) {
		text_puts(out, "\nweight: 0\ndescription: 由 gen_pages 生成的"
		               "基准测试站点，结构与正式指南相同。\n");
	} else if (p->slot < 0) {
		text_printf(out,
		    "\nweight: %d\ndescription: 本章说明%s方面的"
		    "要求、材料和办理方式。\n",
		    (p->section + 1) * 10, CHAPTERS[s.chapter].zh);
	} else {
		text_printf(out,
		    "\nweight: %d\ndescription: 本节说明%s的具体"
		    "规定和检查方法。\nparent: %.*s/index\n",
		    p->slot + 1, TOPICS[s.topic].zh,
		    (int)(strchr(p->path, '/') - p->path), p->path);
	}
	text_puts(out, "---\n\n");

	int j = 0;
	put_paragraph(g, id, j++, nparagraphs, &l, out);
	for (int i = 0; i < s.nh2; i++) {
		const struct term *h2 = &H2S[s.h2[i]];
		if (s.h2_id[i])
			text_printf(out, "## %s {#%s}\n\n", h2->zh, h2->ascii);
		else
			text_printf(out, "## %s\n\n", h2->zh);
		for (int k = 0; k < s.paragraphs[i]; k++)
			put_paragraph(g, id, j++, nparagraphs, &l, out);
		if (i == s.list_in)
			put_list(&r, out);
		if (i == s.table_in)
			put_table(&r, s.fee_table, out);
		for (int k = 0; k < s.nh3[i]; k++) {
			const struct term *h3 = &H3S[s.h3[i][k]];
			if (s.h3_id[i][k])
				text_printf(out, "### %s {#%s-%s}\n\n", h3->zh,
				    h2->ascii, h3->ascii);
			else
				text_printf(out, "### %s\n\n", h3->zh);
			put_paragraph(g, id, j++, nparagraphs, &l, out);
		}
	}
	put_contents(g, id, &l, out);
	free(l.items);
}

/* ---- the site's pages and their paths ---- */

static char *
path_for(const struct gen *g, int id)
{
	const struct page *p = &g->pages[id];
	struct text t = {0};
	if (p->section < 0) {
		text_puts(&t, "index.md");
	} else if (p->slot < 0) {
		text_printf(&t, "s%0*d/index.md", g->digits, p->section);
	} else if (p->renames == 0) {
		text_printf(&t, "s%0*d/p%0*d.md", g->digits, p->section,
		    g->digits, p->slot);
	} else {
		/* a name such as an editor would give: the topic, then a number
		 */
		struct shape s;
		shape_of(g, id, &s);
		text_printf(&t, "s%0*d/%s-%0*d", g->digits, p->section,
		    TOPICS[s.topic].ascii, g->digits, p->slot);
		if (p->renames > 1)
			text_printf(&t, "-%d", p->renames);
		text_puts(&t, ".md");
	}
	return t.data;
}

static void
add_backlink(struct page *p, int from)
{
	for (size_t i = 0; i < p->nbacklinks; i++)
		if (p->backlinks[i] == from)
			return;
	p->backlinks = mem_realloc(
	    p->backlinks, (p->nbacklinks + 1) * sizeof *p->backlinks);
	p->backlinks[p->nbacklinks++] = from;
}

/* Lays out npages pages in nsections sections of nearly equal size. */
static void
gen_init(struct gen *g, uint64_t seed, int npages, int nsections)
{
	memset(g, 0, sizeof *g);
	g->seed = seed;
	g->npages = npages;
	g->nsections = nsections;
	g->pages = mem_realloc(NULL, (size_t)npages * sizeof *g->pages);
	g->section_first =
	    mem_realloc(NULL, ((size_t)nsections + 1) * sizeof(int));
	g->section_size =
	    mem_realloc(NULL, ((size_t)nsections + 1) * sizeof(int));
	int rest = npages - 1 - nsections, largest = 0;
	memset(g->pages, 0, (size_t)npages * sizeof *g->pages);
	g->pages[0].section = -1;
	g->pages[0].slot = -1;
	int id = 1;
	for (int s = 0; s < nsections; s++) {
		int size = rest / nsections + (s < rest % nsections);
		g->section_first[s] = id;
		g->section_size[s] = size;
		for (int k = -1; k < size; k++, id++) {
			g->pages[id].section = s;
			g->pages[id].slot = k;
		}
		if (size > largest)
			largest = size;
	}
	if (nsections > largest)
		largest = nsections;
	g->digits = 3;
	for (int n = 1000; n < largest; n *= 10)
		g->digits++;
	for (int i = 0; i < npages; i++)
		g->pages[i].path = path_for(g, i);
	struct links l = {0};
	for (int i = 0; i < npages; i++) {
		links_of(g, i, &l);
		for (size_t k = 0; k < l.count; k++)
			if (l.items[k].target != i)
				add_backlink(&g->pages[l.items[k].target], i);
	}
	free(l.items);
}

static void
gen_free(struct gen *g)
{
	for (int i = 0; i < g->npages; i++) {
		free(g->pages[i].path);
		free(g->pages[i].backlinks);
	}
	free(g->pages);
	free(g->section_first);
	free(g->section_size);
}

/* ---- the fast-import stream ---- */

struct author {
	const char *name;
	const char *email;
};

static const struct author AUTHORS[] = {
    {"张伟", "zhang.wei@example.org"},
    {"李娜", "li.na@example.org"},
    {"王芳", "wang.fang@example.org"},
    {"Chen Jie", "chen.jie@example.org"},
};

struct options {
	int pages, sections, commits, rename_every;
	uint64_t seed;
	const char *content, *branch;
};

static void
put_file(const struct options *opt, const char *path, const struct text *data)
{
	printf(
	    "M 100644 inline %s/%s\ndata %zu\n", opt->content, path, data->len);
	fwrite(data->data, 1, data->len, stdout);
	putchar('\n');
}

/* Commit number n (0-based): its header; the file commands follow. */
static void
put_commit(const struct options *opt, int n, const char *message)
{
	const struct author *a = &AUTHORS[n % (int)COUNT(AUTHORS)];
	long long when = FIRST_COMMIT_TIME + (long long)n * COMMIT_INTERVAL;
	printf("commit refs/heads/%s\n", opt->branch);
	printf("author %s <%s> %lld +0800\n", a->name, a->email, when);
	printf("committer %s <%s> %lld +0800\n", a->name, a->email, when);
	printf("data %zu\n%s\n", strlen(message), message);
}

static void
write_stream(struct gen *g, const struct options *opt)
{
	struct text page = {0}, message = {0};
	printf("feature done\n");
	text_printf(&message, "添加 %d 个页面", g->npages);
	put_commit(opt, 0, message.data);
	for (int i = 0; i < g->npages; i++) {
		page.len = 0;
		page_source(g, i, &page);
		put_file(opt, g->pages[i].path, &page);
	}
	for (int n = 1; n < opt->commits; n++) {
		struct rng r =
		    rng_for(g->seed, STREAM_COMMIT, (uint64_t)n, 0, 0);
		message.len = 0;
		int renaming = opt->rename_every > 0 &&
		               n % opt->rename_every == 0 &&
		               g->npages > 1 + g->nsections;
		if (renaming) {
			/* only pages in sections: nothing names them as parent
			 */
			int id;
			do
				id = 1 +
				     (int)rng_below(&r, (size_t)g->npages - 1);
			while (g->pages[id].slot < 0);
			struct page *p = &g->pages[id];
			char *old = p->path;
			p->renames++;
			p->path = path_for(g, id);
			text_printf(&message, "重命名 %s 为 %s", old, p->path);
			put_commit(opt, n, message.data);
			printf("R %s/%s %s/%s\n", opt->content, old,
			    opt->content, p->path);
			free(old);
			for (size_t k = 0; k < p->nbacklinks; k++) {
				page.len = 0;
				page_source(g, p->backlinks[k], &page);
				put_file(
				    opt, g->pages[p->backlinks[k]].path, &page);
			}
		} else {
			int id = (int)rng_below(&r, (size_t)g->npages);
			struct page *p = &g->pages[id];
			struct shape s;
			shape_of(g, id, &s);
			int j = p->edits % paragraph_count(&s);
			p->edits++;
			text_printf(
			    &message, "改写 %s 的第 %d 段", p->path, j + 1);
			put_commit(opt, n, message.data);
			page.len = 0;
			page_source(g, id, &page);
			put_file(opt, p->path, &page);
		}
	}
	printf("done\n");
	free(page.data);
	free(message.data);
}

/* ---- command line ---- */

static const char USAGE[] =
    "usage: gen_pages --pages N [--sections S] [--commits C] [--rename-every "
    "K]\n"
    "                 [--seed X] [--content DIR] [--branch NAME]\n";

static const char HELP[] =
    "Writes a synthetic site repository as a git fast-import stream on "
    "stdout:\n"
    "  git init -q -b main repo\n"
    "  gen_pages --pages 10000 | git -C repo fast-import --quiet\n"
    "  git -C repo reset -q --hard\n"
    "\n"
    "  --pages N         Markdown pages in all, the home page and the "
    "sections'\n"
    "                    index pages included\n"
    "  --sections S      sections (default: about the square root of N)\n"
    "  --commits C       commits: the first adds every page, each later one\n"
    "                    rewrites one paragraph of one page (default: 1)\n"
    "  --rename-every K  every K-th commit renames a page instead, and "
    "updates\n"
    "                    the links to it (default: 0, never)\n"
    "  --seed X          chooses the words and shapes (default: 1)\n"
    "  --content DIR     folder of the pages in the repository (default: "
    "content)\n"
    "  --branch NAME     branch to write (default: main)\n";

static int
parse_count(const char *name, const char *arg, int min, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < min || v > 10000000) {
		fprintf(stderr,
		    "gen_pages: --%s '%s' must be a whole number "
		    "from %d to 10000000\n%s",
		    name, arg, min, USAGE);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pages", required_argument, NULL, 'p'},
	    {"sections", required_argument, NULL, 's'},
	    {"commits", required_argument, NULL, 'c'},
	    {"rename-every", required_argument, NULL, 'r'},
	    {"seed", required_argument, NULL, 'x'},
	    {"content", required_argument, NULL, 'C'},
	    {"branch", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct options opt = {.pages = 0,
	    .sections = -1,
	    .commits = 1,
	    .seed = 1,
	    .content = "content",
	    .branch = "main"};
	int c, seed;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_count("pages", optarg, 1, &opt.pages) != 0)
				return 2;
			break;
		case 's':
			if (parse_count("sections", optarg, 0, &opt.sections) !=
			    0)
				return 2;
			break;
		case 'c':
			if (parse_count("commits", optarg, 1, &opt.commits) !=
			    0)
				return 2;
			break;
		case 'r':
			if (parse_count("rename-every", optarg, 0,
			        &opt.rename_every) != 0)
				return 2;
			break;
		case 'x':
			if (parse_count("seed", optarg, 0, &seed) != 0)
				return 2;
			opt.seed = (uint64_t)seed;
			break;
		case 'C':
			opt.content = optarg;
			break;
		case 'b':
			opt.branch = optarg;
			break;
		case 'h':
			printf("%s\n%s", USAGE, HELP);
			return 0;
		case ':':
			fprintf(stderr,
			    "gen_pages: option '%s' needs a value\n%s",
			    argv[optind - 1], USAGE);
			return 2;
		default:
			fprintf(stderr, "gen_pages: bad option '%s'\n%s",
			    argv[optind - 1], USAGE);
			return 2;
		}
	}
	if (optind < argc || opt.pages == 0) {
		fprintf(stderr, "gen_pages: %s\n%s",
		    optind < argc ? "unexpected argument"
		                  : "--pages is required",
		    USAGE);
		return 2;
	}
	if (opt.sections < 0) {
		opt.sections = 0;
		while ((long)opt.sections * opt.sections < opt.pages - 1)
			opt.sections++;
	}
	if (opt.sections == 0 && opt.pages > 1) {
		fprintf(stderr,
		    "gen_pages: %d pages need at least one section "
		    "(only the home page stands outside them)\n",
		    opt.pages);
		return 2;
	}
	if (opt.sections > opt.pages - 1) {
		fprintf(stderr,
		    "gen_pages: %d sections need at least %d pages "
		    "(the home page and an index page each)\n",
		    opt.sections, opt.sections + 1);
		return 2;
	}
	struct gen g;
	gen_init(&g, opt.seed, opt.pages, opt.sections);
	static char out_buffer[1 << 16];
	setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
	write_stream(&g, &opt);
	gen_free(&g);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen_pages: stdout");
		return 1;
	}
	return 0;
}
