/*
 * regpages: reads the snapshot's tables (registry/snapshot.h) and renders
 * them through the theme.  Pages are rendered by the build's worker
 * threads, each with its own read-only connection, since an SQLite handle
 * and its statements belong to one thread at a time.
 */
#include "site/regpages.h"

#include <pthread.h>
#include <qrencode.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "registry/rules/event.h"
#include "registry/snapshot/snapshot.h"

#define POOL_SIZE 16

static const struct {
	const char *name, *label, *class_name;
} STATUSES[] = {
    {"valid", "有效", "valid"},
    {"suspended", "暂停", "suspended"},
    {"revoked", "已取消", "revoked"},
    {"expired", "已过期", "expired"},
    {"superseded", "已换发", "superseded"},
    {"not_issued", "未颁发", "expired"},
};

static const char *const LEVELS[] = {
    "",
    "基本执行级",
    "计划跟踪级",
    "充分定义级",
    "量化控制级",
    "持续改进级",
};

static const struct {
	const char *name, *label;
} FLAGS[] = {
    {"warning", "警告（12 个月内）"},
    {"rectification", "限期整改中"},
    {"annual_check_overdue", "年检逾期"},
};

static const struct {
	const char *name, *label;
} WINDOW_STATES[] = {
    {"upcoming", "未到期"},
    {"open", "进行中"},
    {"passed", "已完成"},
    {"overdue", "逾期未完成"},
    {"closed", "已结束"},
};

static const char *
status_label(const char *name)
{
	for (size_t i = 0; i < sizeof STATUSES / sizeof *STATUSES; i++)
		if (strcmp(STATUSES[i].name, name) == 0)
			return STATUSES[i].label;
	return name;
}

static const char *
window_label(const char *state)
{
	for (size_t i = 0;
	     state && i < sizeof WINDOW_STATES / sizeof *WINDOW_STATES; i++)
		if (strcmp(WINDOW_STATES[i].name, state) == 0)
			return WINDOW_STATES[i].label;
	return state ? state : "";
}

static const char *
level_name(int level)
{
	return level >= 1 && level <= 5 ? LEVELS[level] : "";
}

static const char *
text_column(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : NULL;
}

static json_t *
flags_json(const char *flags)
{
	json_t *list = json_array();
	for (size_t i = 0; flags && i < sizeof FLAGS / sizeof *FLAGS; i++) {
		const char *hit = strstr(flags, FLAGS[i].name);
		size_t n = strlen(FLAGS[i].name);
		if (hit && (hit == flags || hit[-1] == ',') &&
		    (hit[n] == '\0' || hit[n] == ','))
			json_array_append_new(
			    list, json_pack("{s:s, s:s}", "name", FLAGS[i].name,
			              "label", FLAGS[i].label));
	}
	return list;
}

int
regpages_qr_svg(const char *text, struct buf *svg)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return -1;
	int w = qr->width, quiet = 4, size = w + 2 * quiet;
	buf_printf(svg,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" "
	    "role=\"img\" "
	    "aria-label=\"二维码：",
	    size, size, size * 4, size * 4);
	buf_puts_html(svg, text);
	buf_printf(svg,
	    "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path "
	    "fill=\"#000\" d=\"",
	    size, size);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w; x++) {
			if (!(qr->data[y * w + x] & 1))
				continue;
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			buf_printf(svg, "M%d %dh%dv1h-%dz", x + quiet,
			    y + quiet, run, run);
			x += run - 1;
		}
	}
	buf_puts(svg, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}

/* The columns every list row needs. */
#define ROW_COLUMNS                                                            \
	"number, organisation_id, organisation_name, level, category, "        \
	"status, flags, valid_until, issued_on"

static json_t *
row_json(sqlite3_stmt *st, json_t *categories)
{
	const char *status = text_column(st, 5);
	const char *category = text_column(st, 4);
	json_t *cat = json_object_get(categories, category);
	return json_pack(
	    "{s:s, s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "number",
	    text_column(st, 0), "organisation_id",
	    (json_int_t)sqlite3_column_int64(st, 1), "organisation_name",
	    text_column(st, 2), "level", sqlite3_column_int(st, 3),
	    "level_name", level_name(sqlite3_column_int(st, 3)), "category",
	    category, "category_name", cat ? json_string_value(cat) : category,
	    "status", status, "status_label", status_label(status),
	    "valid_until", text_column(st, 7), "flags",
	    flags_json(text_column(st, 6)));
}

struct registry {
	struct build *build;
	const struct tree *tree;
	const char *path;
	json_t *meta;       /* as_of, published_at, sample */
	json_t *categories; /* code -> Chinese name */
	json_t *numbers;    /* every certificate number, for the workers */
	json_t *orgs;       /* every organisation id */
	pthread_mutex_t lock;
	sqlite3 *pool[POOL_SIZE];
	int npool;
};

static json_t *
base_context(const struct registry *r, const char *dir, const char *title)
{
	json_t *ctx = tree_base_context(r->tree, dir);
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "nav", tree_nav(r->tree, NULL));
	json_object_set(ctx, "registry", r->meta);
	return ctx;
}

static int
fail_sql(struct build *b, sqlite3 *db, const char *what)
{
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "registry snapshot: %s: %s", what, sqlite3_errmsg(db));
	build_error(b, msg.data);
	buf_free(&msg);
	return -1;
}

/* A list page: rows of the query (bound to `value` when not NULL). */
static int
write_list(struct registry *r, sqlite3 *db, const char *dir, const char *title,
    const char *where, const char *value, json_t *filters)
{
	struct buf sql = BUF_INIT;
	buf_printf(&sql,
	    "SELECT " ROW_COLUMNS " FROM certificates %s ORDER BY number",
	    where ? where : "");
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		buf_free(&sql);
		return fail_sql(r->build, db, "listing certificates");
	}
	buf_free(&sql);
	if (value)
		sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
	json_t *rows = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(rows, row_json(st, r->categories));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(rows);
		return fail_sql(r->build, db, "listing certificates");
	}
	json_t *ctx = base_context(r, dir, title);
	json_object_set_new(
	    ctx, "count", json_integer((json_int_t)json_array_size(rows)));
	json_object_set_new(ctx, "rows", rows);
	json_object_set(ctx, "filters", filters);
	json_object_set_new(ctx, "is_all", json_boolean(where == NULL));
	json_object_set_new(ctx, "scripts", json_pack("[s]", "registry.js"));
	struct buf path = BUF_INIT;
	buf_printf(&path, "%sindex.html", dir);
	int w = build_render_to(r->build, "registry", ctx, path.data);
	buf_free(&path);
	json_decref(ctx);
	return w;
}

static json_t *
filter_links(struct registry *r, sqlite3 *db)
{
	json_t *filters = json_object();
	json_t *statuses = json_array(), *levels = json_array(),
	       *cats = json_array();
	sqlite3_stmt *st = NULL;
	for (size_t i = 0; i + 1 < sizeof STATUSES / sizeof *STATUSES; i++)
		json_array_append_new(
		    statuses, json_pack("{s:s, s:s}", "value", STATUSES[i].name,
		                  "label", STATUSES[i].label));
	for (int l = 1; l <= 5; l++)
		json_array_append_new(levels,
		    json_pack("{s:i, s:s}", "value", l, "label", LEVELS[l]));
	if (sqlite3_prepare_v2(db,
	        "SELECT code, name_zh FROM categories ORDER BY position", -1,
	        &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			json_array_append_new(cats,
			    json_pack("{s:s, s:s}", "value", text_column(st, 0),
			        "label", text_column(st, 1)));
			json_object_set_new(r->categories, text_column(st, 0),
			    json_string(text_column(st, 1)));
		}
	}
	sqlite3_finalize(st);
	json_object_set_new(filters, "statuses", statuses);
	json_object_set_new(filters, "levels", levels);
	json_object_set_new(filters, "categories", cats);
	return filters;
}

static json_t *
events_json(sqlite3 *db, const char *number)
{
	json_t *list = json_array();
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	        "SELECT e.seq, e.kind, e.effective_on, e.reason, "
	        "e.reference, e.deadline, e.voided_by, e.target_seq, o.name "
	        "FROM events e LEFT JOIN organisations o ON o.id = "
	        "e.other_organisation_id "
	        "WHERE e.number = ?1 ORDER BY e.effective_on, e.seq",
	        -1, &st, NULL) != SQLITE_OK)
		return list;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int kind = event_kind_parse(text_column(st, 1));
		json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s}", "seq",
		    (json_int_t)sqlite3_column_int64(st, 0), "kind",
		    text_column(st, 1), "label",
		    kind >= 0 ? event_kind_label_zh((enum event_kind)kind)
		              : text_column(st, 1),
		    "date", text_column(st, 2), "reason",
		    text_column(st, 3) ? text_column(st, 3) : "");
		if (text_column(st, 4) && *text_column(st, 4))
			json_object_set_new(
			    e, "reference", json_string(text_column(st, 4)));
		if (text_column(st, 5))
			json_object_set_new(
			    e, "deadline", json_string(text_column(st, 5)));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(e, "voided_by",
			    json_integer(sqlite3_column_int64(st, 6)));
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(e, "target",
			    json_integer(sqlite3_column_int64(st, 7)));
		if (text_column(st, 8))
			json_object_set_new(
			    e, "other", json_string(text_column(st, 8)));
		json_array_append_new(list, e);
	}
	sqlite3_finalize(st);
	return list;
}

static json_t *
former_names_json(sqlite3 *db, long long org)
{
	json_t *list = json_array();
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	        "SELECT name, until FROM former_names "
	        "WHERE organisation_id = ?1 ORDER BY until, event_id",
	        -1, &st, NULL) != SQLITE_OK)
		return list;
	sqlite3_bind_int64(st, 1, org);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
		    list, json_pack("{s:s, s:s}", "name", text_column(st, 0),
		              "until", text_column(st, 1)));
	sqlite3_finalize(st);
	return list;
}

static json_t *
window_json(sqlite3_stmt *st, int col, const char *title)
{
	if (text_column(st, col) == NULL)
		return NULL;
	json_t *w = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", title,
	    "start", text_column(st, col), "end", text_column(st, col + 1),
	    "state", text_column(st, col + 2) ? text_column(st, col + 2) : "",
	    "state_label", window_label(text_column(st, col + 2)));
	if (text_column(st, col + 3))
		json_object_set_new(
		    w, "done_on", json_string(text_column(st, col + 3)));
	return w;
}

/*
 * Read-only connections for the worker threads: an item takes one from the
 * pool (opening a new one when none is free) and gives it back after.
 */
static sqlite3 *
db_take(struct registry *r)
{
	sqlite3 *db = NULL;
	pthread_mutex_lock(&r->lock);
	if (r->npool > 0)
		db = r->pool[--r->npool];
	pthread_mutex_unlock(&r->lock);
	if (db == NULL && sqlite3_open_v2(r->path, &db,
	                      SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	                      NULL) != SQLITE_OK) {
		sqlite3_close(db);
		db = NULL;
	}
	return db;
}

static void
db_give(struct registry *r, sqlite3 *db)
{
	if (db == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	if (r->npool < POOL_SIZE) {
		r->pool[r->npool++] = db;
		db = NULL;
	}
	pthread_mutex_unlock(&r->lock);
	sqlite3_close(db);
}

static void
write_certificate(struct build *b, struct registry *r, sqlite3 *db, size_t i)
{
	const char *number = json_string_value(json_array_get(r->numbers, i));
	sqlite3_stmt *st = NULL;
	if (db == NULL ||
	    sqlite3_prepare_v2(db,
	        "SELECT " ROW_COLUMNS ", "
	        "c.credit_code, predecessor, successor, status_since, "
	        "warning_until, "
	        "rectification_deadline, annual1_start, annual1_end, "
	        "annual1_state, "
	        "annual1_done_on, annual2_start, annual2_end, annual2_state, "
	        "annual2_done_on, renewal_start, renewal_end, renewal_state, "
	        "renewal_done_on, o.address FROM certificates c "
	        "JOIN organisations o ON o.id = c.organisation_id WHERE number "
	        "= ?1",
	        -1, &st, NULL) != SQLITE_OK) {
		fail_sql(b, db, number);
		sqlite3_finalize(st);
		return;
	}
	sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW) {
		fail_sql(b, db, number);
		sqlite3_finalize(st);
		return;
	}
	struct buf dir = BUF_INIT, title = BUF_INIT, url = BUF_INIT,
	           qr = BUF_INIT;
	buf_printf(&dir, "registry/certificates/%s/", number);
	buf_printf(&title, "证书 %s", number);
	buf_printf(&url, "%s%s", b->opt->base_url, dir.data);
	json_t *ctx = base_context(r, dir.data, title.data);
	json_object_set_new(ctx, "cert", row_json(st, r->categories));
	json_t *cert = json_object_get(ctx, "cert");
	json_object_set_new(cert, "issued_on", json_string(text_column(st, 8)));
	if (text_column(st, 9))
		json_object_set_new(
		    cert, "credit_code", json_string(text_column(st, 9)));
	if (text_column(st, 10))
		json_object_set_new(
		    cert, "predecessor", json_string(text_column(st, 10)));
	if (text_column(st, 11))
		json_object_set_new(
		    cert, "successor", json_string(text_column(st, 11)));
	if (text_column(st, 12))
		json_object_set_new(
		    cert, "status_since", json_string(text_column(st, 12)));
	if (text_column(st, 13))
		json_object_set_new(
		    cert, "warning_until", json_string(text_column(st, 13)));
	if (text_column(st, 14))
		json_object_set_new(cert, "rectification_deadline",
		    json_string(text_column(st, 14)));
	json_t *windows = json_array(), *w;
	if ((w = window_json(st, 15, "第 1 年年检")) != NULL)
		json_array_append_new(windows, w);
	if ((w = window_json(st, 19, "第 2 年年检")) != NULL)
		json_array_append_new(windows, w);
	if ((w = window_json(st, 23, "维持换证申请")) != NULL)
		json_array_append_new(windows, w);
	json_object_set_new(cert, "windows", windows);
	json_object_set_new(cert, "address",
	    json_string(text_column(st, 27) ? text_column(st, 27) : ""));
	long long org = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	json_object_set_new(cert, "former_names", former_names_json(db, org));
	json_object_set_new(cert, "events", events_json(db, number));
	json_object_set_new(ctx, "page_url", json_string(url.data));
	if (regpages_qr_svg(url.data, &qr) == 0)
		json_object_set_new(ctx, "qr_svg", json_string(qr.data));
	buf_puts(&dir, "index.html");
	build_render_to(b, "certificate", ctx, dir.data);
	json_decref(ctx);
	buf_free(&dir);
	buf_free(&title);
	buf_free(&url);
	buf_free(&qr);
}

static void
write_organisation(struct build *b, struct registry *r, sqlite3 *db, size_t i)
{
	long long id = json_integer_value(json_array_get(r->orgs, i));
	sqlite3_stmt *st = NULL;
	if (db == NULL || sqlite3_prepare_v2(db,
	                      "SELECT name, credit_code, address "
	                      "FROM organisations WHERE id = ?1",
	                      -1, &st, NULL) != SQLITE_OK) {
		fail_sql(b, db, "organisation");
		sqlite3_finalize(st);
		return;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		fail_sql(b, db, "organisation");
		sqlite3_finalize(st);
		return;
	}
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "registry/organisations/%lld/", id);
	json_t *ctx = base_context(r, dir.data, text_column(st, 0));
	json_t *org = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name",
	    text_column(st, 0), "address",
	    text_column(st, 2) ? text_column(st, 2) : "");
	if (text_column(st, 1))
		json_object_set_new(
		    org, "credit_code", json_string(text_column(st, 1)));
	sqlite3_finalize(st);
	json_object_set_new(org, "former_names", former_names_json(db, id));
	json_t *rows = json_array();
	if (sqlite3_prepare_v2(db,
	        "SELECT " ROW_COLUMNS " FROM certificates "
	        "WHERE organisation_id = ?1 ORDER BY issued_on, number",
	        -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(
			    rows, row_json(st, r->categories));
	}
	sqlite3_finalize(st);
	json_object_set_new(org, "certificates", rows);
	json_object_set_new(ctx, "org", org);
	buf_puts(&dir, "index.html");
	build_render_to(b, "organisation", ctx, dir.data);
	json_decref(ctx);
	buf_free(&dir);
}

/* A page per item on the worker threads, each with a pooled connection. */
struct page_job {
	struct registry *r;
	void (*fn)(struct build *, struct registry *, sqlite3 *, size_t);
};

static void
with_db(struct build *b, size_t i, void *arg)
{
	struct page_job *job = arg;
	sqlite3 *db = db_take(job->r);
	if (db == NULL) {
		build_error(
		    b, "registry snapshot: cannot open another connection");
		return;
	}
	job->fn(b, job->r, db, i);
	db_give(job->r, db);
}

int
regpages_write(struct build *b, const struct tree *tree, const char *path,
    struct search_index *index, struct regpages_stats *stats)
{
	char why[256];
	struct snapshot *snap = snapshot_open(path, why, sizeof why);
	if (snap == NULL) {
		build_error(b, why); /* it names the file */
		return -1;
	}
	sqlite3 *db = snapshot_db(snap);
	struct registry r = {.build = b, .tree = tree, .path = path};
	pthread_mutex_init(&r.lock, NULL);
	char *as_of = snapshot_meta(snap, "as_of");
	char *published = snapshot_meta(snap, "published_at");
	char *sample = snapshot_meta(snap, "sample");
	r.meta = json_pack("{s:s, s:s, s:b}", "as_of", as_of ? as_of : "",
	    "published_at", published ? published : "", "sample",
	    sample && strcmp(sample, "1") == 0);
	free(as_of);
	free(published);
	free(sample);
	r.categories = json_object();
	r.numbers = json_array();
	r.orgs = json_array();
	json_t *filters = filter_links(&r, db);

	int rc = write_list(
	    &r, db, "registry/", "获证组织名录", NULL, NULL, filters);
	json_t *f;
	size_t k;
	json_array_foreach (json_object_get(filters, "statuses"), k, f) {
		if (rc != 0)
			break;
		struct buf dir = BUF_INIT, title = BUF_INIT;
		buf_printf(&dir, "registry/status/%s/",
		    json_string_value(json_object_get(f, "value")));
		buf_printf(&title, "获证组织名录：%s",
		    json_string_value(json_object_get(f, "label")));
		rc = write_list(&r, db, dir.data, title.data,
		    "WHERE status = ?1",
		    json_string_value(json_object_get(f, "value")), filters);
		buf_free(&dir);
		buf_free(&title);
	}
	json_array_foreach (json_object_get(filters, "levels"), k, f) {
		if (rc != 0)
			break;
		struct buf dir = BUF_INIT, title = BUF_INIT, value = BUF_INIT;
		buf_printf(&value, "%lld",
		    (long long)json_integer_value(json_object_get(f, "value")));
		buf_printf(&dir, "registry/level/%s/", value.data);
		buf_printf(&title, "获证组织名录：%s（%s级）",
		    json_string_value(json_object_get(f, "label")), value.data);
		rc = write_list(&r, db, dir.data, title.data,
		    "WHERE level = ?1", value.data, filters);
		buf_free(&dir);
		buf_free(&title);
		buf_free(&value);
	}
	json_array_foreach (json_object_get(filters, "categories"), k, f) {
		if (rc != 0)
			break;
		struct buf dir = BUF_INIT, title = BUF_INIT;
		buf_printf(&dir, "registry/category/%s/",
		    json_string_value(json_object_get(f, "value")));
		buf_printf(&title, "获证组织名录：%s",
		    json_string_value(json_object_get(f, "label")));
		rc = write_list(&r, db, dir.data, title.data,
		    "WHERE category = ?1",
		    json_string_value(json_object_get(f, "value")), filters);
		buf_free(&dir);
		buf_free(&title);
	}

	sqlite3_stmt *st = NULL;
	if (rc == 0 && sqlite3_prepare_v2(db,
	                   "SELECT number FROM certificates ORDER BY number",
	                   -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(
			    r.numbers, json_string(text_column(st, 0)));
	}
	sqlite3_finalize(st);
	/* organisations, also into the search index: names old and new */
	if (rc == 0 && sqlite3_prepare_v2(db,
	                   "SELECT o.id, o.name, o.credit_code, "
	                   "(SELECT group_concat(name, ' ') FROM former_names "
	                   "f WHERE f.organisation_id = o.id), "
	                   "(SELECT group_concat(number, ' ') FROM "
	                   "certificates c WHERE c.organisation_id = o.id) "
	                   "FROM organisations o ORDER BY o.id",
	                   -1, &st, NULL) == SQLITE_OK) {
		struct buf url = BUF_INIT, text = BUF_INIT;
		while (sqlite3_step(st) == SQLITE_ROW) {
			long long id = sqlite3_column_int64(st, 0);
			json_array_append_new(r.orgs, json_integer(id));
			buf_reset(&url);
			buf_printf(&url, "registry/organisations/%lld/", id);
			buf_reset(&text);
			if (text_column(st, 3))
				buf_printf(
				    &text, "曾用名：%s ", text_column(st, 3));
			if (text_column(st, 4))
				buf_printf(
				    &text, "证书：%s", text_column(st, 4));
			if (index)
				search_index_add(index, url.data,
				    text_column(st, 1),
				    text_column(st, 2) ? text_column(st, 2)
				                       : "获证组织",
				    text.data ? text.data : "");
		}
		buf_free(&url);
		buf_free(&text);
	}
	sqlite3_finalize(st);
	b->doing = "certificates";
	if (rc == 0)
		rc = build_each(b, json_array_size(r.numbers), with_db,
		    &(struct page_job){&r, write_certificate});
	b->doing = "organisations";
	if (rc == 0)
		rc = build_each(b, json_array_size(r.orgs), with_db,
		    &(struct page_job){&r, write_organisation});
	for (int k2 = 0; k2 < r.npool; k2++)
		sqlite3_close(r.pool[k2]);
	pthread_mutex_destroy(&r.lock);
	stats->certificates = json_array_size(r.numbers);
	stats->organisations = json_array_size(r.orgs);
	json_decref(filters);
	json_decref(r.meta);
	json_decref(r.categories);
	json_decref(r.numbers);
	json_decref(r.orgs);
	snapshot_close(snap);
	return rc;
}
