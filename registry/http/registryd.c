/*
 * registryd: serves a published registry snapshot as the public read-only
 * API (and, with --site, the static website) over HTTP.  Only the command
 * line is here; the API is registry/api.c and the transport
 * registry/http.c.  See registryd(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/api/api.h"
#include "registry/api/db.h"
#include "registry/rules/date.h"
#include "registry/http/http.h"

extern const char REGISTRYD_OPENAPI[];
extern const size_t REGISTRYD_OPENAPI_SIZE;

static const char USAGE[] =
    "usage: registryd --db SNAPSHOT [--listen ADDRESS:PORT] [--site DIR]\n"
    "                 [--threads N] [--today DATE] [--access-log FILE] [-q]\n"
    "                 [--scan-limit ROWS] [--query-timeout MS]\n";

static const char HELP[] =
    "Serves a registry snapshot (registryctl publish) as the public read-only\n"
    "JSON API under /v1/, and with --site the static website at /.\n"
    "\n"
    "  --db SNAPSHOT        the snapshot; a new one renamed into place is\n"
    "                       picked up without a restart\n"
    "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080)\n"
    "  --site DIR           also serve the website built in DIR (sitegen)\n"
    "  --threads N          worker threads, i.e. connections served at once\n"
    "                       (default 16, at most 512)\n"
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
    "  --help, --version\n"
    "\n"
    "Routes: /v1/certificates, /v1/certificates/{number}[/history],\n"
    "/v1/organisations[/{id}], /v1/changes, /v1/changes.atom,\n"
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

int
main(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"listen", required_argument, NULL, 'l'},
	    {"site", required_argument, NULL, 's'},
	    {"threads", required_argument, NULL, 't'},
	    {"today", required_argument, NULL, 'T'},
	    {"access-log", required_argument, NULL, 'a'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"scan-limit", required_argument, NULL, 'S'},
	    {"query-timeout", required_argument, NULL, 'Q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct api_config config;
	struct http_options http = {
	    .listen = "127.0.0.1:8080",
	    .threads = 16,
	    .request_timeout_ms = 10000,
	    .keep_alive_ms = 2000,
	    .check_ms = 100,
	    .access_log_fd = STDOUT_FILENO,
	};
	const char *snapshot = NULL, *today = getenv("REGISTRYD_TODAY");
	const char *access_log = NULL;
	struct api_server *api;
	struct http_server *server;
	struct api_db *db;
	struct stat st;
	sigset_t stop;
	char why[600];
	long n;
	int opt, quiet = 0, sig;

	api_config_defaults(&config);
	while ((opt = getopt_long(argc, argv, "q", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			snapshot = optarg;
			break;
		case 'l':
			http.listen = optarg;
			break;
		case 's':
			config.site_dir = optarg;
			break;
		case 'T':
			today = optarg;
			break;
		case 'a':
			access_log = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 't':
			if ((n = parse_number(optarg, 1, 512)) < 0)
				return usage_error("--threads takes a number "
				                   "from 1 to 512");
			http.threads = (int)n;
			break;
		case 'S':
			if ((n = parse_number(optarg, 1, 100000000)) < 0)
				return usage_error("--scan-limit takes a "
				                   "positive number");
			config.scan_limit = (int)n;
			break;
		case 'Q':
			if ((n = parse_number(optarg, 1, 3600000)) < 0)
				return usage_error("--query-timeout takes "
				                   "milliseconds, 1 or more");
			config.query_ms = (int)n;
			break;
		case 'h':
			printf("%s\n%s", USAGE, HELP);
			return 0;
		case 'V':
			printf("registryd %s (Civetweb, SQLite %s)\n", VERSION,
			    sqlite3_libversion());
			return 0;
		default:
			fprintf(stderr, "%s", USAGE);
			return 2;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument");
	if (snapshot == NULL)
		return usage_error("--db SNAPSHOT is required");
	if (!listen_ok(http.listen))
		return usage_error("--listen takes ADDRESS:PORT, e.g. "
		                   "127.0.0.1:8080");
	if (today && *today && date_parse(today, &config.today) != 0)
		return usage_error("--today (or REGISTRYD_TODAY) takes a date "
		                   "YYYY-MM-DD");
	if (config.site_dir &&
	    (stat(config.site_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		fprintf(
		    stderr, "registryd: %s: not a folder\n", config.site_dir);
		return 1;
	}
	config.openapi = REGISTRYD_OPENAPI;
	config.openapi_size = REGISTRYD_OPENAPI_SIZE;
	/* Each worker uses its own connection: no SQLite mutexes, no
	 * global memory statistics. */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);

	/* Refuse a bad snapshot now rather than answer 503 later. */
	db = api_db_new(snapshot);
	if (api_db_refresh(db, why, sizeof why) != 0) {
		fprintf(stderr, "registryd: %s\n", why);
		api_db_free(db);
		return 1;
	}
	if (quiet) {
		http.access_log_fd = -1;
	} else if (access_log && strcmp(access_log, "-") != 0) {
		http.access_log_fd = open(access_log,
		    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (http.access_log_fd < 0) {
			fprintf(stderr, "registryd: %s: %s\n", access_log,
			    strerror(errno));
			api_db_free(db);
			return 1;
		}
	}
	http.snapshot = snapshot;

	/* Workers inherit this mask: only main sees SIGTERM and SIGINT. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	api = api_server_new(&config);
	server = http_start(api, &http, why, sizeof why);
	if (server == NULL) {
		fprintf(stderr, "registryd: %s\n", why);
		api_server_free(api);
		api_db_free(db);
		return 1;
	}
	fprintf(stderr,
	    "registryd: serving %s (published %s, %lld "
	    "certificates)%s%s at http://%s/\n",
	    snapshot, api_db_meta(db)->published_at,
	    api_db_meta(db)->certificates, config.site_dir ? " and " : "",
	    config.site_dir ? config.site_dir : "", http.listen);
	api_db_free(db);
	sigwait(&stop, &sig);
	fprintf(stderr, "registryd: %s: stopping\n",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT");
	api_server_stopping(api);
	http_stop(server);
	api_server_free(api);
	if (http.access_log_fd > STDOUT_FILENO)
		close(http.access_log_fd);
	return 0;
}
