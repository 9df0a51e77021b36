/*
 * libFuzzer target for the API's handling of what a client sends: the
 * query-string parser, cursors, path decoding and routing, all through
 * api_handle() on the sample registry's snapshot, signed (the log's
 * routes: the checkpoint, receipts, consistency sizes).  Input: one byte
 * choosing the method, then "PATH\nQUERY\nIF-NONE-MATCH".  Checked: the
 * parser's promises (UTF-8, no control characters, bounded, no duplicate
 * names), cursors read back as written, and no answer is a 5xx (but 503)
 * or a JSON body that does not parse.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/api/api.h"
#include "registry/api/cursor.h"
#include "registry/api/db.h"
#include "registry/api/query.h"
#include "registry/record/db.h"
#include "registry/log/key.h"
#include "registry/record/publish.h"
#include "registry/record/sample.h"
#include "registry/rules/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const char REGISTRYD_OPENAPI[];
extern const size_t REGISTRYD_OPENAPI_SIZE;

static const char *const METHODS[] = {
    "GET", "HEAD", "OPTIONS", "POST", "DELETE", "PUT", "get"};

static char dir[64], site[96];
static struct api_server *server;
static struct api_db_pool *pool;
static struct api_db *db;

static void
cleanup(void)
{
	char command[128];

	api_db_release(db);
	api_db_pool_free(pool);
	api_server_free(server);
	snprintf(command, sizeof command, "rm -rf '%s'", dir);
	if (system(command) != 0)
		fprintf(stderr, "fuzz_query: could not remove %s\n", dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sample_summary sample;
	struct publish_summary published;
	struct api_config config;
	struct log_note_signer key;
	struct publish_signing signing;
	char path[128], why[300], key_path[128];
	static char log_dir[160];
	struct db *registry;
	int today;
	FILE *f;

	(void)argc;
	(void)argv;
	strcpy(dir, "/tmp/fuzz-query.XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof path, "%s/registry.db", dir);
	registry = db_open(path, 1, why, sizeof why);
	date_parse("2026-01-01", &today);
	if (registry == NULL || db_init(registry) != 0)
		abort();
	db_set_now(registry, 1767225600);
	snprintf(path, sizeof path, "%s/snapshot.db", dir);
	snprintf(key_path, sizeof key_path, "%s/log.key", dir);
	snprintf(log_dir, sizeof log_dir, "%s/snapshot.db.tlog", dir);
	signing.key_path = key_path;
	signing.log_dir = log_dir;
	if (log_key_generate(
	        "registry.example.org/log", &key, why, sizeof why) != 0 ||
	    log_key_save(key_path, &key, why, sizeof why) != 0)
		abort();
	log_note_signer_clear(&key);
	if (sample_build(registry, today, &sample) != 0 ||
	    publish_snapshot_signed(
	        registry, path, 1767225600, &signing, &published) != 0)
		abort();
	db_close(registry);
	pool = api_db_pool_open(path, 1, SNAPSHOT_CHECK_QUICK, why, sizeof why);
	if (pool == NULL)
		abort();
	db = api_db_acquire(pool);
	snprintf(path, sizeof path, "%s/site", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/site/index.html", dir);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs("<!doctype html><title>x</title>\n", f);
	fclose(f);
	api_config_defaults(&config);
	snprintf(site, sizeof site, "%s/site", dir);
	config.site_dir = site;
	config.log_dir = log_dir;
	config.openapi = REGISTRYD_OPENAPI;
	config.openapi_size = REGISTRYD_OPENAPI_SIZE;
	server = api_server_new(&config);
	atexit(cleanup);
	return 0;
}

/* The parser's promises about what it accepts. */
static void
check_query(const char *raw)
{
	struct api_query q;
	char why[200], param[64];

	if (api_query_parse(raw, &q, why, sizeof why, param, sizeof param) ==
	    0) {
		if (q.count > API_QUERY_MAX_PARAMS)
			abort();
		for (int i = 0; i < q.count; i++) {
			const char *v = q.params[i].value;
			if (strlen(v) > API_QUERY_VALUE_MAX ||
			    !text_valid_utf8(v, strlen(v), NULL) ||
			    text_has_control(v))
				abort();
			for (int j = 0; j < i; j++)
				if (strcmp(q.params[i].name,
				        q.params[j].name) == 0)
					abort();
		}
	} else if (param[0] == '\0' || why[0] == '\0') {
		abort(); /* a refusal always says what and where */
	}
	api_query_clear(&q);
}

/* A cursor that reads is written back to the same text. */
static void
check_cursor(const char *text)
{
	struct api_cursor c, again;
	char out[API_CURSOR_TEXT_MAX];

	static const unsigned char secret[API_CURSOR_SECRET_SIZE] = {1, 2, 3};

	if (api_cursor_decode(text, secret, &c) != 0)
		return;
	api_cursor_encode(&c, secret, out);
	if (strcmp(out, text) != 0 ||
	    api_cursor_decode(out, secret, &again) != 0 ||
	    memcmp(&c, &again, sizeof c) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_request req = {0};
	struct api_response resp = {0};
	char *text, *query = NULL, *inm = NULL, *nl;
	const char *type;

	if (size < 1 || size > 8192)
		return 0;
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if ((nl = strchr(text, '\n')) != NULL) {
		*nl = '\0';
		query = nl + 1;
		if ((nl = strchr(query, '\n')) != NULL) {
			*nl = '\0';
			inm = nl + 1;
		}
	}
	check_query(query);
	check_cursor(query ? query : text);

	req.method = METHODS[data[0] % (sizeof METHODS / sizeof METHODS[0])];
	req.path = text;
	req.query = query;
	req.if_none_match = inm;
	api_handle(server, db, &req, &resp);
	/* Never a 500 for what a client sends; 503 (a query past its time
	 * limit under the fuzzer's instrumentation) is "try again". */
	if (resp.status < 200 || (resp.status >= 500 && resp.status != 503))
		abort();
	type = strstr(buf_str(&resp.headers), "Content-Type: ");
	if (type &&
	    (strncmp(type + 14, "application/json", 16) == 0 ||
	        strncmp(type + 14, "application/problem+json", 24) == 0) &&
	    resp.stream == NULL) {
		json_t *body =
		    json_loadb(resp.body.data, resp.body.len, 0, NULL);
		if (body == NULL)
			abort();
		json_decref(body);
	}
	api_response_clear(&resp);
	free(text);
	return 0;
}
