/*
 * registryctl: records what happens to certificates, and imports, exports
 * and publishes the registry.  This file only parses the command line and
 * calls the registry modules; it is the only place that exits.  Exit
 * status: 0 done, 1 refused (the message says why), 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "registry/base/buf.h"
#include "registry/log/key.h"
#include "registry/log/note.h"
#include "registry/record/bulk.h"
#include "registry/rules/date.h"
#include "registry/record/db.h"
#include "registry/record/ops.h"
#include "registry/record/logcheck.h"
#include "registry/record/publish.h"
#include "registry/record/sample.h"
#include "registry/record/show.h"

#define PROGRAM "registryctl"

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2 };

/* Options any command may be given; each command lists those it takes. */
struct options {
	const char *db_path;
	long long now; /* Unix time of "now" */
	int quiet;
	int today; /* date of now in China Standard Time */
	int date;  /* --date, else today */
	int as_of; /* --as-of, else today */
	int deadline;
	const char *reason, *ref, *credit_code, *address, *category, *number;
	const char *name_en;
	const char *org, *to, *format;
	const char *key, *log, *consistency, *snapshot;
	int level;
	long long order;
};

struct command {
	const char *name;
	int (*run)(struct options *o, int argc, char **argv);
	const char *takes; /* comma-separated long option names */
	int min_args, max_args;
	const char *usage;
	const char *help;
};

static void complain(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

static void
complain(const char *format, ...)
{
	va_list ap;

	fputs(PROGRAM ": ", stderr);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static struct db *
open_db(struct options *o, int create)
{
	char why[1200];
	struct db *db;

	if (o->db_path == NULL) {
		complain("no database: give --db FILE");
		return NULL;
	}
	db = db_open(o->db_path, create, why, sizeof why);
	if (db == NULL) {
		complain("%s", why);
		return NULL;
	}
	db_set_now(db, o->now);
	if (!create && db_check_schema(db) != 0) {
		complain("%s: %s", o->db_path, db_error(db));
		db_close(db);
		return NULL;
	}
	return db;
}

/* Records one event and prints what it made; returns an exit status. */
static int
record(struct options *o, struct ops_request *req)
{
	struct ops_result result;
	struct db *db = open_db(o, 0);
	int rc = EXIT_REFUSED;

	if (db == NULL)
		return EXIT_REFUSED;
	req->effective_on = o->date;
	req->reason = o->reason;
	req->reference = o->ref;
	if (ops_record(db, req, &result) != 0) {
		complain("%s", db_error(db));
		goto done;
	}
	if (req->kind == EVENT_ORG_ADD)
		printf("%lld\n", result.org_id);
	else if (result.number[0])
		printf("%s\n", result.number);
	else
		printf("%lld\n", result.event_id);
	rc = 0;
done:
	db_close(db);
	return rc;
}

static int
cmd_init(struct options *o, int argc, char **argv)
{
	struct db *db = open_db(o, 1);
	int rc = 0;

	(void)argc, (void)argv;
	if (db == NULL)
		return EXIT_REFUSED;
	if (db_init(db) != 0) {
		complain("%s: %s", o->db_path, db_error(db));
		rc = EXIT_REFUSED;
	} else if (!o->quiet) {
		fprintf(stderr, "%s: schema version %d\n", o->db_path,
		    DB_SCHEMA_VERSION);
	}
	db_close(db);
	return rc;
}

static int
cmd_org(struct options *o, int argc, char **argv)
{
	struct ops_request req;
	const char *verb = argv[0];

	if (strcmp(verb, "add") == 0 && argc == 2) {
		ops_request_init(&req, EVENT_ORG_ADD);
		req.name = argv[1];
		req.credit_code = o->credit_code;
		req.address = o->address;
		req.name_en = o->name_en;
		return record(o, &req);
	}
	if (strcmp(verb, "rename") == 0 && argc == 3) {
		ops_request_init(&req, EVENT_ORG_RENAME);
		req.org = argv[1];
		req.name = argv[2];
		return record(o, &req);
	}
	if (strcmp(verb, "name-en") == 0 && argc == 3) {
		ops_request_init(&req, EVENT_ORG_NAME_EN);
		req.org = argv[1];
		req.name_en = argv[2];
		return record(o, &req);
	}
	if (strcmp(verb, "address") == 0 && argc == 3) {
		ops_request_init(&req, EVENT_ORG_ADDRESS);
		req.org = argv[1];
		req.address = argv[2];
		return record(o, &req);
	}
	if (strcmp(verb, "show") == 0 && argc == 2) {
		struct db *db = open_db(o, 0);
		int rc = 0;
		if (db == NULL)
			return EXIT_REFUSED;
		if (show_org(db, argv[1], o->as_of, stdout) != 0) {
			complain("%s", db_error(db));
			rc = EXIT_REFUSED;
		}
		db_close(db);
		return rc;
	}
	complain("org: expected `org add NAME`, `org rename ORG NAME`, "
	         "`org name-en ORG NAME`, `org address ORG ADDRESS` or "
	         "`org show ORG`");
	return EXIT_USAGE;
}

static int
cmd_issue(struct options *o, int argc, char **argv)
{
	struct ops_request req;

	(void)argc, (void)argv;
	ops_request_init(&req, EVENT_ISSUE);
	req.org = o->org;
	req.category = o->category;
	req.level = o->level;
	req.number = o->number;
	if (o->org == NULL) {
		complain("issue: give the holder with --org ORG");
		return EXIT_USAGE;
	}
	return record(o, &req);
}

/* The certificate events that take CERT and the common options. */
static int
cmd_cert_event(struct options *o, int argc, char **argv, enum event_kind kind)
{
	struct ops_request req;

	(void)argc;
	ops_request_init(&req, kind);
	req.cert = argv[0];
	req.deadline = o->deadline;
	req.target = o->order;
	req.to_org = o->to;
	req.level = o->level;
	req.number = o->number;
	return record(o, &req);
}

#define CERT_EVENT(fn, kind)                                                   \
	static int fn(struct options *o, int argc, char **argv)                \
	{                                                                      \
		return cmd_cert_event(o, argc, argv, kind);                    \
	}
CERT_EVENT(cmd_annual_check, EVENT_ANNUAL_CHECK)
CERT_EVENT(cmd_warn, EVENT_WARN)
CERT_EVENT(cmd_rectify_close, EVENT_RECTIFY_CLOSE)
CERT_EVENT(cmd_suspend, EVENT_SUSPEND)
CERT_EVENT(cmd_reinstate, EVENT_REINSTATE)
CERT_EVENT(cmd_revoke, EVENT_REVOKE)
CERT_EVENT(cmd_renew, EVENT_RENEW)

static int
cmd_rectify(struct options *o, int argc, char **argv)
{
	if (o->deadline == DATE_NONE) {
		complain("rectify: give the deadline with --deadline "
		         "YYYY-MM-DD");
		return EXIT_USAGE;
	}
	return cmd_cert_event(o, argc, argv, EVENT_RECTIFY);
}

static int
cmd_transfer(struct options *o, int argc, char **argv)
{
	if (o->to == NULL) {
		complain("transfer: give the new holder with --to ORG");
		return EXIT_USAGE;
	}
	return cmd_cert_event(o, argc, argv, EVENT_TRANSFER);
}

static int
cmd_upgrade(struct options *o, int argc, char **argv)
{
	if (o->level == 0) {
		complain("upgrade: give the new level with --level N");
		return EXIT_USAGE;
	}
	return cmd_cert_event(o, argc, argv, EVENT_UPGRADE);
}

static int
cmd_void(struct options *o, int argc, char **argv)
{
	struct ops_request req;
	char *end;

	(void)argc;
	ops_request_init(&req, EVENT_VOID);
	req.target = strtoll(argv[0], &end, 10);
	if (*argv[0] == '\0' || *end != '\0' || req.target <= 0) {
		complain(
		    "void: EVENT must be an event number, not %s", argv[0]);
		return EXIT_USAGE;
	}
	return record(o, &req);
}

static int
cmd_show(struct options *o, int argc, char **argv)
{
	struct db *db = open_db(o, 0);
	int rc = 0;

	(void)argc;
	if (db == NULL)
		return EXIT_REFUSED;
	if (show_cert(db, argv[0], o->as_of, stdout) != 0) {
		complain("%s", db_error(db));
		rc = EXIT_REFUSED;
	}
	db_close(db);
	return rc;
}

/* The running count of an import on a terminal. */
static void
show_progress(void *arg, long long certificates, double seconds)
{
	*(int *)arg = 1;
	fprintf(stderr, "\rimporting: %lld certificates, %.0f s", certificates,
	    seconds);
}

static int
cmd_import(struct options *o, int argc, char **argv)
{
	struct db *db = open_db(o, 0);
	struct bulk_summary summary;
	int shown = 0;
	struct bulk_progress progress = {show_progress, &shown};
	int rc = 0, failed;

	(void)argc;
	if (db == NULL)
		return EXIT_REFUSED;
	failed = bulk_import(db, argv[0],
	    !o->quiet && isatty(STDERR_FILENO) ? &progress : NULL, &summary);
	if (shown)
		fputs("\r\033[K", stderr);
	if (failed) {
		complain("%s", db_error(db));
		rc = EXIT_REFUSED;
	} else if (!o->quiet) {
		fprintf(stderr,
		    "%s: imported %lld certificates, %lld new "
		    "organisations in %.1f s\n",
		    argv[0], summary.certificates, summary.organisations,
		    summary.seconds);
	}
	db_close(db);
	return rc;
}

static int
cmd_export(struct options *o, int argc, char **argv)
{
	struct db *db;
	FILE *out = stdout;
	int csv, rc = 0;

	if (o->format == NULL || strcmp(o->format, "csv") == 0)
		csv = 1;
	else if (strcmp(o->format, "ndjson") == 0)
		csv = 0;
	else {
		complain(
		    "export: --format is csv or ndjson, not %s", o->format);
		return EXIT_USAGE;
	}
	if ((db = open_db(o, 0)) == NULL)
		return EXIT_REFUSED;
	if (argc == 1 && strcmp(argv[0], "-") != 0 &&
	    (out = fopen(argv[0], "w")) == NULL) {
		complain("%s: cannot write: %s", argv[0], strerror(errno));
		db_close(db);
		return EXIT_REFUSED;
	}
	if ((csv ? bulk_export_csv(db, out)
	         : bulk_export_ndjson(db, o->as_of, out)) != 0) {
		complain("%s", db_error(db));
		rc = EXIT_REFUSED;
	}
	if (fflush(out) != 0 || ferror(out)) {
		complain("%s: write failed: %s", argc ? argv[0] : "stdout",
		    strerror(errno));
		rc = EXIT_REFUSED;
	}
	if (out != stdout && fclose(out) != 0 && rc == 0) {
		complain("%s: write failed: %s", argv[0], strerror(errno));
		rc = EXIT_REFUSED;
	}
	db_close(db);
	return rc;
}

static int
cmd_publish(struct options *o, int argc, char **argv)
{
	struct db *db;
	struct publish_summary summary;
	struct publish_signing signing = {o->key, o->log};
	char *log_dir = NULL;
	int rc = 0;

	(void)argc;
	if (o->log != NULL && o->key == NULL) {
		complain("publish: --log needs --key (the log is signed)");
		return EXIT_USAGE;
	}
	if ((db = open_db(o, 0)) == NULL)
		return EXIT_REFUSED;
	if (o->key != NULL && o->log == NULL)
		signing.log_dir = log_dir = logpub_default_dir(argv[0]);
	rc = publish_snapshot_signed(
	    db, argv[0], o->now, o->key ? &signing : NULL, &summary);
	/* Said even with -q, and whether or not the publish then worked:
	 * files were deleted. */
	if (summary.leftovers > 0)
		fprintf(stderr,
		    "registryctl: removed %d temporary file%s (%.1f MB) left "
		    "by a publish that did not finish: %s\n",
		    summary.leftovers, summary.leftovers == 1 ? "" : "s",
		    (double)summary.leftover_bytes / 1e6,
		    summary.leftover_names);
	if (rc != 0) {
		complain("%s", db_error(db));
		rc = EXIT_REFUSED;
	} else if (!o->quiet) {
		fprintf(stderr,
		    "%s: published %lld certificates, %lld organisations, "
		    "%lld events as of %s in %.1f s (sha256 %s)\n",
		    argv[0], summary.certificates, summary.organisations,
		    summary.events, summary.as_of, summary.seconds,
		    summary.sha256);
		if (o->key != NULL)
			fprintf(stderr,
			    "%s: signed the checkpoint of %llu entries (the "
			    "last one had %llu) with %s\n",
			    signing.log_dir, summary.log.size,
			    summary.log.old_size, summary.log.verifier);
	}
	free(log_dir);
	db_close(db);
	return rc;
}

static int
cmd_keygen(struct options *o, int argc, char **argv)
{
	struct log_note_signer key;
	struct log_note_verifier verifier;
	struct buf line = BUF_INIT;
	char why[1024];

	(void)o, (void)argc;
	if (log_key_generate(argv[0], &key, why, sizeof why) != 0) {
		complain("keygen: %s", why);
		return EXIT_REFUSED;
	}
	if (log_key_save(argv[1], &key, why, sizeof why) != 0) {
		log_note_signer_clear(&key);
		complain("keygen: %s", why);
		return EXIT_REFUSED;
	}
	log_note_verifier_of(&key, &verifier);
	log_note_signer_clear(&key);
	log_note_verifier_format(&verifier, &line);
	printf("%s\n", buf_str(&line));
	buf_free(&line);
	return 0;
}

static int
cmd_verify(struct options *o, int argc, char **argv)
{
	struct logcheck_request req = {
	    .receipt = argc > 0 ? argv[0] : NULL,
	    .key = o->key,
	    .consistency = o->consistency,
	    .snapshot = o->snapshot,
	    .log_dir = o->log,
	};
	struct log_receipt_checks checks = {0};
	const struct log_receipt_check *failed;
	char why[1024];
	int rc;

	if ((req.receipt == NULL) == (req.snapshot == NULL)) {
		complain("verify: give a RECEIPT, or --snapshot SNAPSHOT");
		return EXIT_USAGE;
	}
	if (req.snapshot == NULL && o->log != NULL) {
		complain("verify: --log goes with --snapshot");
		return EXIT_USAGE;
	}
	rc = logcheck_run(&req, &checks, why, sizeof why);
	if (rc < 0) {
		complain("verify: %s", why);
		return EXIT_REFUSED;
	}
	/* One line a check: "name subject: ok|FAILED detail". */
	for (size_t i = 0; i < checks.count; i++) {
		const struct log_receipt_check *c = &checks.items[i];

		printf("%s%s%s: %s %s\n", c->name, c->subject ? " " : "",
		    c->subject ? c->subject : "", c->ok ? "ok" : "FAILED",
		    c->detail);
	}
	failed = log_receipt_checks_failed(&checks);
	if (failed != NULL)
		printf("verify: FAILED at %s%s%s\n", failed->name,
		    failed->subject ? " " : "",
		    failed->subject ? failed->subject : "");
	else
		printf("verify: ok, %zu checks passed\n", checks.count);
	log_receipt_checks_free(&checks);
	return rc == 0 && failed == NULL ? 0 : EXIT_REFUSED;
}

static int
cmd_sample(struct options *o, int argc, char **argv)
{
	struct db *db = open_db(o, 1);
	struct sample_summary summary;
	char day[DATE_BUFSIZE];
	int rc = 0;

	(void)argc, (void)argv;
	if (db == NULL)
		return EXIT_REFUSED;
	if (db_init(db) != 0 || sample_build(db, o->today, &summary) != 0) {
		complain("%s: %s", o->db_path, db_error(db));
		rc = EXIT_REFUSED;
	} else if (!o->quiet) {
		fprintf(stderr,
		    "%s: sample registry as of %s: %lld organisations, "
		    "%lld certificates, %lld events\n",
		    o->db_path, date_format(o->today, day),
		    summary.organisations, summary.certificates,
		    summary.events);
	}
	db_close(db);
	return rc;
}

#define EVENT_OPTS "date,reason,ref"

static const struct command commands[] = {
    {"init", cmd_init, "", 0, 0, "init",
        "Creates the registry database, or migrates it to this version."},
    {"org", cmd_org, EVENT_OPTS ",credit-code,address,name-en,as-of", 2, 3,
        "org add NAME [--credit-code CODE] [--address TEXT] [--name-en "
        "NAME]\n"
        "       org rename ORG NEW_NAME\n"
        "       org name-en ORG ENGLISH_NAME\n"
        "       org address ORG NEW_ADDRESS\n"
        "       org show ORG [--as-of DATE]",
        "Adds an organisation (prints its id), records a change of name or\n"
        "address (the old one stays in its history), gives it an English\n"
        "name or changes it (the Chinese name stays its legal name), or\n"
        "shows one.  ORG is an organisation id or its unified social\n"
        "credit code."},
    {"issue", cmd_issue, EVENT_OPTS ",org,category,level,number", 0, 0,
        "issue --org ORG [--category CS] [--level 1] [--number N]",
        "Issues a certificate on --date (prints its number).  Numbers look\n"
        "like CNITSEC-CS1-2024-0001; the next free one is taken by default."},
    {"annual-check", cmd_annual_check, EVENT_OPTS, 1, 1, "annual-check CERT",
        "Records a passed annual confirmation (年检) on --date."},
    {"warn", cmd_warn, EVENT_OPTS, 1, 1, "warn CERT --reason TEXT",
        "Records a warning (警告); it shows for 12 months."},
    {"rectify", cmd_rectify, EVENT_OPTS ",deadline", 1, 1,
        "rectify CERT --deadline DATE --reason TEXT",
        "Orders rectification (限期整改) by a deadline."},
    {"rectify-close", cmd_rectify_close, EVENT_OPTS ",order", 1, 1,
        "rectify-close CERT [--order EVENT]",
        "Closes a rectification order (by default the latest open one)."},
    {"suspend", cmd_suspend, EVENT_OPTS, 1, 1, "suspend CERT --reason TEXT",
        "Suspends a certificate (暂停证书) until it is reinstated."},
    {"reinstate", cmd_reinstate, EVENT_OPTS, 1, 1, "reinstate CERT",
        "Lifts a suspension."},
    {"revoke", cmd_revoke, EVENT_OPTS, 1, 1, "revoke CERT --reason TEXT",
        "Revokes a certificate (取消证书).  Final: nothing follows it."},
    {"transfer", cmd_transfer, EVENT_OPTS ",to", 1, 1, "transfer CERT --to ORG",
        "Moves a certificate to another holder; both stay in its history."},
    {"renew", cmd_renew, EVENT_OPTS ",number", 1, 1, "renew CERT [--number N]",
        "Renews (维持换证) within 90 days before valid_until: issues a\n"
        "successor (prints its number) and supersedes CERT."},
    {"upgrade", cmd_upgrade, EVENT_OPTS ",level,number", 1, 1,
        "upgrade CERT --level N [--number N]",
        "Issues a successor at a higher level that supersedes CERT."},
    {"void", cmd_void, EVENT_OPTS, 1, 1, "void EVENT --reason TEXT",
        "Voids a mistaken certificate event: it no longer counts, and both\n"
        "stay in the history."},
    {"show", cmd_show, "as-of", 1, 1, "show CERT [--as-of DATE]",
        "Shows a certificate: facts, status, flags, windows and history."},
    {"import", cmd_import, "", 1, 1, "import FILE.csv",
        "Imports organisations and certificates in one transaction: any bad\n"
        "row rejects the whole file and nothing is written.  Reads what\n"
        "`export --format csv` writes."},
    {"export", cmd_export, "format,as-of", 0, 1,
        "export [--format csv|ndjson] [--as-of DATE] [FILE]",
        "Writes every certificate to FILE (standard output by default).\n"
        "CSV holds the facts that import reads back; NDJSON adds the status\n"
        "and flags on --as-of."},
    {"publish", cmd_publish, "key,log", 1, 1,
        "publish SNAPSHOT [--key KEYFILE [--log DIR]]",
        "Writes a read-only snapshot for registryd and sitegen: written to\n"
        "a temporary file, checked, synced and renamed over SNAPSHOT, so\n"
        "readers see the old or the new one, never a mix.  With --key, also\n"
        "appends every event to the log (DIR, default SNAPSHOT.tlog) and\n"
        "signs its checkpoint; refuses a registry whose history is not an\n"
        "extension of the last checkpoint signed."},
    {"keygen", cmd_keygen, "", 2, 2, "keygen NAME KEYFILE",
        "Makes the log's signing key named NAME (the log's origin, e.g.\n"
        "registry.example.org/log) in KEYFILE, a new file of mode 0600, and\n"
        "prints its verifier key (NAME+hash+base64), the line to publish."},
    {"verify", cmd_verify, "key,consistency,snapshot,log", 0, 1,
        "verify RECEIPT --key PUBKEY [--consistency DOC]\n"
        "       verify --snapshot SNAPSHOT --key PUBKEY [--log DIR]",
        "Checks a receipt offline, or a published snapshot against its\n"
        "signed checkpoint and tiles, printing each check and its result.\n"
        "PUBKEY is the verifier key or a file holding it.  Exit 0 when\n"
        "every check passed, 1 when one failed."},
    {"sample", cmd_sample, "today", 0, 0, "sample [--today DATE]",
        "Fills an empty registry with about 200 fictional organisations,\n"
        "every status and flag represented on --today (default 2026-01-01)."},
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void
usage(FILE *out)
{
	fprintf(out, "usage: " PROGRAM " [--db FILE] [--now TIME] [-q] "
	             "COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out,
	    "\nevents take --date DATE (default today), --reason TEXT and "
	    "--ref REFERENCE.\n"
	    "`" PROGRAM " COMMAND --help` describes one command; see " PROGRAM
	    "(1).\n");
}

static void
command_help(const struct command *c)
{
	printf("usage: " PROGRAM " --db FILE %s\n\n%s\n", c->usage, c->help);
	if (strstr(c->takes, "date"))
		printf("\n  --date DATE     effective date (default today)\n"
		       "  --reason TEXT   why\n"
		       "  --ref TEXT      announcement number or URL\n");
}

static int
takes(const struct command *c, const char *option)
{
	size_t len = strlen(option);
	const char *p = c->takes;

	while ((p = strstr(p, option)) != NULL) {
		if ((p == c->takes || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0'))
			return 1;
		p += len;
	}
	return 0;
}

static int
parse_date_option(const char *name, const char *text, int *out)
{
	if (date_parse(text, out) != 0) {
		complain("--%s: %s is not a date (YYYY-MM-DD)", name, text);
		return -1;
	}
	return 0;
}

/* The time of "now": --now, else SOURCE_DATE_EPOCH, else the clock. */
static int
resolve_now(const char *option, long long *now)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");

	if (option != NULL) {
		if (date_parse_timestamp(option, now) != 0) {
			complain("--now: %s is not a time (Unix seconds or "
			         "YYYY-MM-DDTHH:MM:SSZ)",
			    option);
			return -1;
		}
	} else if (env != NULL && *env != '\0') {
		if (date_parse_timestamp(env, now) != 0) {
			complain(
			    "SOURCE_DATE_EPOCH: %s is not a Unix time", env);
			return -1;
		}
	} else {
		*now = (long long)time(NULL);
	}
	return 0;
}

static const struct option GLOBAL_OPTIONS[] = {
    {"db", required_argument, NULL, 'd'},
    {"now", required_argument, NULL, 'n'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static const struct option COMMAND_OPTIONS[] = {
    {"date", required_argument, NULL, 1},
    {"reason", required_argument, NULL, 2},
    {"ref", required_argument, NULL, 3},
    {"credit-code", required_argument, NULL, 4},
    {"address", required_argument, NULL, 5},
    {"as-of", required_argument, NULL, 6},
    {"org", required_argument, NULL, 7},
    {"category", required_argument, NULL, 8},
    {"level", required_argument, NULL, 9},
    {"number", required_argument, NULL, 10},
    {"deadline", required_argument, NULL, 11},
    {"order", required_argument, NULL, 12},
    {"to", required_argument, NULL, 13},
    {"format", required_argument, NULL, 14},
    {"today", required_argument, NULL, 15},
    {"key", required_argument, NULL, 16},
    {"log", required_argument, NULL, 17},
    {"consistency", required_argument, NULL, 18},
    {"snapshot", required_argument, NULL, 19},
    {"name-en", required_argument, NULL, 20},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Which of the dates were given on the command line. */
struct given {
	int date, as_of, today;
};

/*
 * The options before the command, and the command.  Returns -1 to go
 * on, else the exit status (--help, --version, bad usage).
 */
static int
parse_global(int argc, char **argv, struct options *o, const char **now_text,
    const struct command **c)
{
	int ch;

	opterr = 0;
	while (
	    (ch = getopt_long(argc, argv, "+qh", GLOBAL_OPTIONS, NULL)) != -1) {
		switch (ch) {
		case 'd':
			o->db_path = optarg;
			break;
		case 'n':
			*now_text = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(PROGRAM " " VERSION "\n");
			return 0;
		default:
			complain("unknown option %s", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			*c = &commands[i];
	if (*c == NULL) {
		complain("unknown command %s", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

/* --order: an event number. */
static int
parse_order(const char *text, long long *out)
{
	char *end;

	*out = strtoll(text, &end, 10);
	if (*text == '\0' || *end != '\0' || *out <= 0) {
		complain("--order: an event number, not %s", text);
		return -1;
	}
	return 0;
}

/* One of the command's options; 0, or -1 after saying what is wrong. */
static int
set_option(int ch, const char *name, const char *arg, struct options *o,
    struct given *given)
{
	switch (ch) {
	case 1:
		given->date = 1;
		return parse_date_option(name, arg, &o->date);
	case 2:
		o->reason = arg;
		return 0;
	case 3:
		o->ref = arg;
		return 0;
	case 4:
		o->credit_code = arg;
		return 0;
	case 5:
		o->address = arg;
		return 0;
	case 6:
		given->as_of = 1;
		return parse_date_option(name, arg, &o->as_of);
	case 7:
		o->org = arg;
		return 0;
	case 8:
		o->category = arg;
		return 0;
	case 9:
		if (strlen(arg) != 1 || arg[0] < '1' || arg[0] > '5') {
			complain("--level: a level is 1 to 5, not %s", arg);
			return -1;
		}
		o->level = arg[0] - '0';
		return 0;
	case 10:
		o->number = arg;
		return 0;
	case 11:
		return parse_date_option(name, arg, &o->deadline);
	case 12:
		return parse_order(arg, &o->order);
	case 13:
		o->to = arg;
		return 0;
	case 14:
		o->format = arg;
		return 0;
	case 15:
		given->today = 1;
		return parse_date_option(name, arg, &o->today);
	case 16:
		o->key = arg;
		return 0;
	case 17:
		o->log = arg;
		return 0;
	case 18:
		o->consistency = arg;
		return 0;
	case 19:
		o->snapshot = arg;
		return 0;
	case 20:
		o->name_en = arg;
		return 0;
	}
	return 0;
}

/*
 * The command's own options, anywhere among its arguments; on return
 * *argc and *argv are the arguments left.  Returns -1 to go on, else the
 * exit status.
 */
static int
parse_command(const struct command *c, int *argc, char ***argv,
    struct options *o, struct given *given)
{
	int ch;

	optind = 0;
	while ((ch = getopt_long(*argc, *argv, "qh", COMMAND_OPTIONS, NULL)) !=
	       -1) {
		const char *name = NULL;
		if (ch == 'h') {
			command_help(c);
			return 0;
		}
		if (ch == 'q') {
			o->quiet = 1;
			continue;
		}
		if (ch == '?' || ch == ':') {
			complain(
			    "%s: bad option %s", c->name, (*argv)[optind - 1]);
			return EXIT_USAGE;
		}
		for (const struct option *opt = COMMAND_OPTIONS; opt->name;
		     opt++)
			if (opt->val == ch)
				name = opt->name;
		if (!takes(c, name)) {
			complain("%s does not take --%s", c->name, name);
			return EXIT_USAGE;
		}
		if (set_option(ch, name, optarg, o, given) != 0)
			return EXIT_USAGE;
	}
	*argc -= optind;
	*argv += optind;
	return -1;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct given given = {0, 0, 0};
	const struct command *c = NULL;
	const char *now_text = NULL;
	int rc, sub_argc;
	char **sub_argv;

	memset(&o, 0, sizeof o);
	o.deadline = DATE_NONE;
	if ((rc = parse_global(argc, argv, &o, &now_text, &c)) >= 0)
		return rc;
	if (resolve_now(now_text, &o.now) != 0)
		return EXIT_USAGE;
	o.today = date_from_epoch(o.now);
	sub_argc = argc - optind;
	sub_argv = argv + optind;
	if ((rc = parse_command(c, &sub_argc, &sub_argv, &o, &given)) >= 0)
		return rc;
	if (strcmp(c->name, "sample") == 0 && !given.today)
		date_parse(SAMPLE_DEFAULT_TODAY, &o.today);
	if (!given.date)
		o.date = o.today;
	if (!given.as_of)
		o.as_of = o.today;
	if (sub_argc < c->min_args || sub_argc > c->max_args) {
		complain("usage: %s", c->usage);
		return EXIT_USAGE;
	}
	return c->run(&o, sub_argc, sub_argv);
}
