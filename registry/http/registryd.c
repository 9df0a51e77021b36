/*
 * registryd: serves a published registry snapshot as the public read-only
 * API (and, with --site, the static website) over HTTP.  Only the command
 * line is here; the API is registry/api/ and the transport
 * registry/http/http.c.  See registryd(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/api/api.h"
#include "registry/api/db.h"
#include "registry/snapshot/snapshot.h"
#include "registry/rules/date.h"
#include "registry/http/http.h"

extern const char REGISTRYD_OPENAPI[];
extern const size_t REGISTRYD_OPENAPI_SIZE;

static const char USAGE[] =
    "usage: registryd --db SNAPSHOT [--listen ADDRESS:PORT] [--site DIR]\n"
    "                 [--threads N] [--today DATE] [--access-log FILE] [-q]\n"
    "                 [--scan-limit ROWS] [--query-timeout MS]\n"
    "                 [--check quick|digest] [--cursor-secret FILE]\n"
    "                 [--request-timeout MS] [--keep-alive MS]\n"
    "                 [--export-stall MS] [--log DIR] [--base-url URL]\n"
    "                 [--cache-size MIB]\n";

static const char HELP[] =
    "Serves a registry snapshot (registryctl publish) as the public read-only\n"
    "JSON API under /v1/, and with --site the static website at /.\n"
    "\n"
    "  --db SNAPSHOT        the snapshot; a new one renamed into place is\n"
    "                       picked up without a restart\n"
    "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080)\n"
    "  --site DIR           also serve the website built in DIR (sitegen)\n"
    "  --log DIR            the signed log publish --key writes beside the\n"
    "                       snapshot (default SNAPSHOT.tlog when it exists):\n"
    "                       /v1/checkpoint, receipts, consistency proofs\n"
    "  --threads N          worker threads, i.e. connections served at once\n"
    "                       (default 1024, at most 8192)\n"
    "  --today DATE         the date answered for when a request gives no\n"
    "                       as_of (default: today in China Standard Time, or "
    "a\n"
    "                       sample snapshot's own date); also REGISTRYD_TODAY\n"
    "  --access-log FILE    append the combined-format access log to FILE\n"
    "                       (default: standard output)\n"
    "  -q, --quiet          no access log\n"
    "  --scan-limit ROWS    rows one page may examine before it returns what\n"
    "                       it has and a cursor (default 20000)\n"
    "  --query-timeout MS   time limit of one request's queries (default "
    "2000)\n"
    "  --check quick|digest how a snapshot is checked before it is used, at\n"
    "                       start and on every swap: quick_check (default),\n"
    "                       or that and its SHA-256 recomputed\n"
    "  --cursor-secret FILE the key of the cursors' HMAC is made from FILE\n"
    "                       (16 bytes or more), so that cursors outlive a\n"
    "                       restart and servers behind one name share them\n"
    "                       (default: a random key of the process)\n"
    "  --request-timeout MS the whole request head must arrive within MS,\n"
    "                       and a write that makes no progress for MS fails\n"
    "                       (default 2000)\n"
    "  --keep-alive MS      an idle connection closes after MS (default "
    "15000),\n"
    "                       as every answer's Keep-Alive header says\n"
    "  --export-stall MS    an export whose client takes longer than MS to\n"
    "                       read a mebibyte is cut off (default 15000)\n"
    "  --cache-size MIB     memory for answers kept and sent again while the\n"
    "                       snapshot lasts (default 32; 0: none)\n"
    "  --base-url URL       the public address of the site and the API\n"
    "                       (default http://ADDR:PORT/ of --listen), for\n"
    "                       the absolute links of the feeds\n"
    "  --help, --version\n"
    "\n"
    "Routes: /v1/certificates, /v1/certificates/{number}[/history],\n"
    "/v1/organisations[/{id}], /v1/changes, /v1/changes.atom and .csv,\n"
    "/v1/export/certificates.csv and .ndjson, /v1/meta, /v1/openapi.json,\n"
    "/healthz.  SIGTERM or SIGINT stops it cleanly.  See registryd(1).\n";

static int
usage_error(const char *message)
{
	fprintf(stderr, "registryd: %s\n%s", message, USAGE);
	return 2;
}

/* A whole number from min to max, or -1. */
static long
parse_number(const char *text, long min, long max)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno || end == text || *end || value < min || value > max)
		return -1;
	return value;
}

/* "ADDRESS:PORT" with an explicit address: Civetweb takes a bare port
 * as every interface, which must never happen by accident. */
static int
listen_ok(const char *text)
{
	const char *colon = strrchr(text, ':');

	if (colon == NULL || colon == text ||
	    parse_number(colon + 1, 1, 65535) < 0)
		return 0;
	for (const char *p = text; p < colon; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		        (*p >= 'A' && *p <= 'F') || *p == '.' || *p == ':' ||
		        *p == '[' || *p == ']'))
			return 0;
	return 1;
}

/* What the command line asks for. */
struct settings {
	struct api_config config;
	struct http_options http;
	const char *snapshot, *today, *access_log, *cursor_secret, *base_url;
	char base_buf[512];        /* base_url ending in '/' */
	enum snapshot_check check; /* how a snapshot is checked */
	int check_ms;              /* how often the path is looked at */
	int cache_mib;             /* the answer cache, MiB */
	int quiet;
};

static const struct option OPTIONS[] = {
    {"db", required_argument, NULL, 'd'},
    {"listen", required_argument, NULL, 'l'},
    {"site", required_argument, NULL, 's'},
    {"log", required_argument, NULL, 'L'},
    {"threads", required_argument, NULL, 't'},
    {"today", required_argument, NULL, 'T'},
    {"access-log", required_argument, NULL, 'a'},
    {"quiet", no_argument, NULL, 'q'},
    {"scan-limit", required_argument, NULL, 'S'},
    {"query-timeout", required_argument, NULL, 'Q'},
    {"check", required_argument, NULL, 'C'},
    {"cursor-secret", required_argument, NULL, 'K'},
    {"request-timeout", required_argument, NULL, 'R'},
    {"keep-alive", required_argument, NULL, 'A'},
    {"export-stall", required_argument, NULL, 'E'},
    {"base-url", required_argument, NULL, 'U'},
    {"cache-size", required_argument, NULL, 'Z'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* A numeric option from min to max into *out; 0, or the exit status. */
static int
number_option(
    const char *text, long min, long max, int *out, const char *complaint)
{
	long n = parse_number(text, min, max);

	if (n < 0)
		return usage_error(complaint);
	*out = (int)n;
	return 0;
}

/* The options; -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv, struct settings *set)
{
	int opt, rc = 0;

	while (rc == 0 &&
	       (opt = getopt_long(argc, argv, "q", OPTIONS, NULL)) != -1) {
		switch (opt) {
		case 'd':
			set->snapshot = optarg;
			break;
		case 'l':
			set->http.listen = optarg;
			break;
		case 's':
			set->config.site_dir = optarg;
			break;
		case 'L':
			set->config.log_dir = optarg;
			break;
		case 'T':
			set->today = optarg;
			break;
		case 'a':
			set->access_log = optarg;
			break;
		case 'q':
			set->quiet = 1;
			break;
		case 't':
			rc = number_option(optarg, 1, 8192, &set->http.threads,
			    "--threads takes a number from 1 to 8192");
			break;
		case 'S':
			rc = number_option(optarg, 1, 100000000,
			    &set->config.scan_limit,
			    "--scan-limit takes a positive number");
			break;
		case 'Q':
			rc = number_option(optarg, 1, 3600000,
			    &set->config.query_ms,
			    "--query-timeout takes milliseconds, 1 or more");
			break;
		case 'C':
			if (strcmp(optarg, "quick") == 0)
				set->check = SNAPSHOT_CHECK_QUICK;
			else if (strcmp(optarg, "digest") == 0)
				set->check = SNAPSHOT_CHECK_DIGEST;
			else
				rc = usage_error(
				    "--check takes quick or digest");
			break;
		case 'K':
			set->cursor_secret = optarg;
			break;
		case 'R':
			rc = number_option(optarg, 100, 600000,
			    &set->http.request_timeout_ms,
			    "--request-timeout takes milliseconds, 100 or "
			    "more");
			break;
		case 'A':
			rc = number_option(optarg, 0, 600000,
			    &set->http.keep_alive_ms,
			    "--keep-alive takes milliseconds, 0 or more");
			break;
		case 'E':
			rc = number_option(optarg, 0, 3600000,
			    &set->http.export_stall_ms,
			    "--export-stall takes milliseconds (0: no limit)");
			break;
		case 'U':
			set->base_url = optarg;
			break;
		case 'Z':
			rc = number_option(optarg, 0, 65536, &set->cache_mib,
			    "--cache-size takes MiB, from 0 (none) to 65536");
			break;
		case 'h':
			printf("%s\n%s", USAGE, HELP);
			return 0;
		case 'V':
			printf("registryd %s (Civetweb, SQLite %s)\n", VERSION,
			    snapshot_library_version());
			return 0;
		default:
			fprintf(stderr, "%s", USAGE);
			return 2;
		}
	}
	return rc != 0 ? rc : -1;
}

_Static_assert(API_CURSOR_SECRET_SIZE == SHA256_DIGEST_SIZE,
    "the cursor secret is a SHA-256 digest");

/* The cursors' key: SHA-256 of the file's bytes.  0, or the exit status
 * with a message. */
static int
read_cursor_secret(const char *path, unsigned char *secret)
{
	struct sha256_ctx ctx;
	unsigned char chunk[4096];
	size_t n, total = 0;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		fprintf(stderr, "registryd: %s: %s\n", path, strerror(errno));
		return 1;
	}
	sha256_init(&ctx);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		sha256_update(&ctx, n, chunk);
		total += n;
	}
	if (ferror(f) || total < 16) {
		fprintf(stderr, "registryd: %s: %s\n", path,
		    ferror(f) ? strerror(errno)
		              : "a cursor secret needs 16 bytes or more");
		fclose(f);
		return 1;
	}
	fclose(f);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, secret);
	return 0;
}

/* The base URL, checked and ending in '/', or made from --listen. */
static int
base_url_set(struct settings *set)
{
	const char *url = set->base_url;
	size_t len;

	if (url == NULL) {
		snprintf(set->base_buf, sizeof set->base_buf, "http://%s/",
		    set->http.listen);
		set->config.base_url = set->base_buf;
		return 0;
	}
	len = strlen(url);
	if ((strncmp(url, "http://", 7) != 0 &&
	        strncmp(url, "https://", 8) != 0) ||
	    len + 2 > sizeof set->base_buf ||
	    url[strncmp(url, "https", 5) == 0 ? 8 : 7] == '\0' ||
	    url[strncmp(url, "https", 5) == 0 ? 8 : 7] == '/' ||
	    strpbrk(url, "?#\"'<> \t\\") != NULL)
		return -1;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return -1;
	snprintf(set->base_buf, sizeof set->base_buf, "%s%s", url,
	    url[len - 1] == '/' ? "" : "/");
	set->config.base_url = set->base_buf;
	return 0;
}

/* What the options say, checked; -1 to go on, else the exit status. */
static int
check_settings(int argc, struct settings *set)
{
	struct stat st;

	if (optind < argc)
		return usage_error("unexpected argument");
	if (set->snapshot == NULL)
		return usage_error("--db SNAPSHOT is required");
	if (!listen_ok(set->http.listen))
		return usage_error("--listen takes ADDRESS:PORT, e.g. "
		                   "127.0.0.1:8080");
	if (set->today && *set->today &&
	    date_parse(set->today, &set->config.today) != 0)
		return usage_error("--today (or REGISTRYD_TODAY) takes a date "
		                   "YYYY-MM-DD");
	if (set->config.site_dir &&
	    (stat(set->config.site_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "registryd: %s: not a folder\n",
		    set->config.site_dir);
		return 1;
	}
	if (base_url_set(set) != 0)
		return usage_error(
		    "--base-url takes an absolute http or https "
		    "URL without query, fragment, quotes or "
		    "spaces, e.g. https://registry.example.org/");
	if (set->cursor_secret &&
	    read_cursor_secret(set->cursor_secret, set->config.cursor_secret))
		return 1;
	if (set->config.log_dir &&
	    (stat(set->config.log_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "registryd: %s: not a folder\n",
		    set->config.log_dir);
		return 1;
	}
	if (set->config.log_dir == NULL) {
		/* The log publish --key writes beside the snapshot. */
		static char beside[4096];

		snprintf(beside, sizeof beside, "%s.tlog", set->snapshot);
		if (stat(beside, &st) == 0 && S_ISDIR(st.st_mode))
			set->config.log_dir = beside;
	}
	return -1;
}

/* Warnings of the running server (a snapshot that cannot be read,
 * Civetweb's complaints). */
static void
warn(void *arg, const char *message)
{
	(void)arg;
	fprintf(stderr, "registryd: %s\n", message);
}

/* How many snapshot connections: enough for every core to be busy and
 * the exports to stream besides; never more than the workers. */
static int
connections_for(const struct settings *set)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int n = (int)(cores < 1    ? 1
	              : cores > 64 ? 64
	                           : cores) *
	            4 +
	        set->config.max_exports;

	return n < set->http.threads ? n : set->http.threads;
}

/* Serves until SIGTERM or SIGINT; the exit status. */
static int
serve(struct settings *set)
{
	struct api_server *api = NULL;
	struct http_server *server = NULL;
	struct api_db_pool *pool;
	struct api_db *db;
	sigset_t stop;
	char why[1200];
	int sig, rc = 1;

	/* A snapshot is checked before it is used: refuse a bad one now
	 * rather than answer 503 later. */
	pool = api_db_pool_open(
	    set->snapshot, connections_for(set), set->check, why, sizeof why);
	if (pool == NULL) {
		warn(NULL, why);
		goto done;
	}
	if (set->quiet) {
		set->http.access_log_fd = -1;
	} else if (set->access_log && strcmp(set->access_log, "-") != 0) {
		set->http.access_log_fd = open(set->access_log,
		    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (set->http.access_log_fd < 0) {
			fprintf(stderr, "registryd: %s: %s\n", set->access_log,
			    strerror(errno));
			goto done;
		}
	}
	set->http.pool = pool;
	set->http.cache_bytes = (size_t)set->cache_mib * 1024 * 1024;
	set->http.cache_max_ms = set->config.scan_ms;

	/* Workers inherit this mask: only main sees SIGTERM and SIGINT. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	if (api_db_pool_watch(pool, set->check_ms, warn, NULL) != 0) {
		warn(NULL, "cannot start the thread that watches the snapshot");
		goto done;
	}
	api = api_server_new(&set->config);
	if ((server = http_start(api, &set->http, why, sizeof why)) == NULL) {
		warn(NULL, why);
		goto done;
	}
	db = api_db_acquire(pool);
	fprintf(stderr,
	    "registryd: serving %s (published %s, %lld "
	    "certificates)%s%s at http://%s/\n",
	    set->snapshot, api_db_meta(db)->published_at,
	    api_db_meta(db)->certificates, set->config.site_dir ? " and " : "",
	    set->config.site_dir ? set->config.site_dir : "", set->http.listen);
	api_db_release(db);
	sigwait(&stop, &sig);
	fprintf(stderr, "registryd: %s: stopping\n",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT");
	api_server_stopping(api);
	rc = 0;
done:
	http_stop(server);
	api_server_free(api);
	api_db_pool_free(pool);
	if (set->http.access_log_fd > STDOUT_FILENO)
		close(set->http.access_log_fd);
	return rc;
}

int
main(int argc, char **argv)
{
	struct settings set = {
	    .http =
	        {
	            .listen = "127.0.0.1:8080",
	            .threads = 1024,
	            .request_timeout_ms = 2000,
	            .listen_backlog = 4096,
	            .export_stall_ms = 15000,
	            .keep_alive_ms = 15000,
	            .access_log_fd = STDOUT_FILENO,
	            .warn = warn,
	        },
	    .today = getenv("REGISTRYD_TODAY"),
	    .check = SNAPSHOT_CHECK_QUICK,
	    .check_ms = 100,
	    .cache_mib = 32,
	};
	int rc;

	api_config_defaults(&set.config);
	if ((rc = parse_options(argc, argv, &set)) >= 0 ||
	    (rc = check_settings(argc, &set)) >= 0)
		return rc;
	set.config.openapi = REGISTRYD_OPENAPI;
	set.config.openapi_size = REGISTRYD_OPENAPI_SIZE;
	/* Each worker uses its own snapshot: no SQLite mutexes, no global
	 * memory statistics. */
	snapshot_library_init();
	return serve(&set);
}
