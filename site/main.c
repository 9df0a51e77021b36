/*
 * sitegen: builds the guide's static website from Markdown in git.
 * This file only reads the command line and reports (errors, warnings,
 * progress, the summary); the build is site_build (site.c) and the
 * modules its phases call.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "site/gitutil.h"
#include "site/pool.h"
#include "site/serve.h"
#include "site/site.h"

static const char USAGE[] =
    "usage: sitegen build [--repo DIR] [--content PATH] [--rev REV] "
    "[--worktree]\n"
    "                     [--out DIR] [--registry SNAPSHOT] [--base-url URL]\n"
    "                     [--api-doc OPENAPI.json] [--theme DIR] [--jobs N]\n"
    "                     [--timings] [-q]\n"
    "       sitegen serve [--repo DIR] [--content PATH] [--out DIR] "
    "[--listen ADDR:PORT]\n"
    "                     [--registry SNAPSHOT] [--api-doc OPENAPI.json] "
    "[--theme DIR]\n"
    "                     [--jobs N] [-q]\n"
    "       sitegen --help | --version\n";

static const char HELP[] =
    "Builds the static website of the application guide from Markdown pages.\n"
    "\n"
    "  --repo DIR      git repository to read (default: .)\n"
    "  --content PATH  folder of pages inside the repository (default: "
    "content);\n"
    "                  with --worktree an absolute PATH is read as it is\n"
    "  --rev REV       revision to build (default: HEAD)\n"
    "  --worktree      build the files on disk, committed or not (previews)\n"
    "  --out DIR       where to put the site (default: build/public); it is\n"
    "                  replaced whole, and only when the build succeeds\n"
    "  --registry SNAPSHOT  a registry snapshot (registryctl publish) to "
    "render\n"
    "                  at /registry/: the list, certificates and "
    "organisations\n"
    "  --api-doc FILE  the API's OpenAPI document, rendered at /api/\n"
    "  --base-url URL  absolute address of the site's root, for sitemap.xml\n"
    "                  and canonical links (default: http://127.0.0.1:8080/)\n"
    "  --theme DIR     templates/ and static/ to use instead of the built-in "
    "ones\n"
    "  --jobs N        threads to render and compress pages on (1 to 8;\n"
    "                  default: one a processor); the site is the same\n"
    "  --timings       where the time went, on standard error\n"
    "  --listen ADDR:PORT  serve: the loopback address to serve the preview "
    "on\n"
    "                  (default: 127.0.0.1:1313; port 0: any free port)\n"
    "  -q, --quiet     no progress and no summary line\n"
    "\n"
    "serve builds the working tree into --out (default: build/preview), "
    "serves it,\n"
    "builds again on every save and reloads the pages open in a browser; "
    "a failed\n"
    "build shows its errors on every page and keeps the last good site.\n"
    "\n"
    "Exit status: 0 built, 1 the content has errors (listed as file:line),\n"
    "2 bad usage.\n";

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "sitegen: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", USAGE);
	return 2;
}

/* Prints text line by line, each prefixed with the program's name and
 * kind ("" or "warning: "). */
static void
report(const char *kind, const char *text)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > 0)
			fprintf(stderr, "sitegen: %s%.*s\n", kind, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* The progress line of a long step, on a terminal. */
static void
show_progress(const char *doing, size_t done, size_t total)
{
	fprintf(stderr, "\rsitegen: %zu/%zu %-20s%s", done, total, doing,
	    done == total ? "\n" : "");
}

struct command_line {
	struct build_options opt;
	int quiet, timings;
	int serve;          /* the command is serve */
	const char *listen; /* serve: where */
	int rev_given, out_given, base_url_given;
	char *base_url; /* opt.base_url with its '/' added, when it lacked it */
};

/* Reads the command line into cl.  Returns -1 to go on, else the exit
 * status (--help, --version, bad usage). */
static int
parse_command_line(int argc, char **argv, struct command_line *cl)
{
	static const struct option options[] = {
	    {"repo", required_argument, NULL, 'r'},
	    {"content", required_argument, NULL, 'c'},
	    {"rev", required_argument, NULL, 'R'},
	    {"worktree", no_argument, NULL, 'w'},
	    {"out", required_argument, NULL, 'o'},
	    {"base-url", required_argument, NULL, 'b'},
	    {"theme", required_argument, NULL, 't'},
	    {"registry", required_argument, NULL, 'g'},
	    {"api-doc", required_argument, NULL, 'a'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"timings", no_argument, NULL, 'T'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"listen", required_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct build_options *opt = &cl->opt;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qhV", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt->repo = optarg;
			break;
		case 'c':
			opt->content = optarg;
			break;
		case 'R':
			opt->rev = optarg;
			cl->rev_given = 1;
			break;
		case 'w':
			opt->worktree = 1;
			break;
		case 'o':
			opt->out = optarg;
			cl->out_given = 1;
			break;
		case 'b':
			opt->base_url = optarg;
			cl->base_url_given = 1;
			break;
		case 'L':
			cl->listen = optarg;
			break;
		case 't':
			opt->theme = optarg;
			break;
		case 'g':
			opt->registry = optarg;
			break;
		case 'a':
			opt->api_doc = optarg;
			break;
		case 'q':
			cl->quiet = 1;
			break;
		case 'T':
			cl->timings = 1;
			break;
		case 'j': {
			char *end;
			long jobs = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || jobs < 1 ||
			    jobs > POOL_MAX_THREADS)
				return usage_error(
				    "--jobs '%s' must be a number from 1 to "
				    "8",
				    optarg);
			opt->jobs = (int)jobs;
			break;
		}
		case 'h':
			printf("%s\n%s", USAGE, HELP);
			return 0;
		case 'V':
			printf("sitegen %s\n", VERSION);
			return 0;
		case ':':
			return usage_error(
			    "option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error(
			    "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("no command given%s", "");
	cl->serve = strcmp(argv[optind], "serve") == 0;
	if (strcmp(argv[optind], "build") != 0 && !cl->serve)
		return usage_error("unknown command '%s'", argv[optind]);
	if (cl->serve && cl->rev_given)
		return usage_error(
		    "serve builds the working tree, not --rev%s", "");
	if (!cl->serve && cl->listen)
		return usage_error("--listen is for serve%s", "");
	if (optind + 1 < argc)
		return usage_error(
		    "unexpected argument '%s'", argv[optind + 1]);
	return -1;
}

/* Checks --base-url and gives it its final '/'.  Returns -1 to go on,
 * else the exit status. */
static int
check_base_url(struct command_line *cl)
{
	const char *url = cl->opt.base_url;
	size_t n = strlen(url);
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return usage_error(
		    "--base-url '%s' must start with http:// or https://", url);
	if (n == 0 || url[n - 1] != '/') {
		cl->base_url = malloc(n + 2);
		if (cl->base_url == NULL)
			return 1;
		memcpy(cl->base_url, url, n);
		memcpy(cl->base_url + n, "/", 2);
		cl->opt.base_url = cl->base_url;
	}
	return -1;
}

static void
print_summary(const struct command_line *cl, const struct site_stats *stats)
{
	printf("sitegen: built %zu pages", stats->pages);
	if (cl->opt.registry)
		printf(", %zu certificates and %zu organisations",
		    stats->certificates, stats->organisations);
	printf(" (%zu files, search index %.1f KB) from %s into %s in %.2f s\n",
	    stats->written, (double)stats->search_bytes / 1024, stats->origin,
	    cl->opt.out, stats->timings.total);
}

static void
print_timings(const struct site_timings *t)
{
	fprintf(stderr,
	    "sitegen: timings: content %.3f s, history walk %.3f s, pages "
	    "read %.3f s, pages written %.3f s, history pages %.3f s, search "
	    "and registry %.3f s, editions %.3f s, swap %.3f s\n",
	    t->content, t->history_walk, t->pages_read, t->pages_write,
	    t->history_pages, t->search_registry, t->editions, t->swap);
}

int
main(int argc, char **argv)
{
	struct command_line cl = {.opt = {
	                              .repo = ".",
	                              .content = "content",
	                              .rev = "HEAD",
	                              .out = "build/public",
	                              .base_url = "http://127.0.0.1:8080/",
	                          }};
	int status = parse_command_line(argc, argv, &cl);
	if (status < 0)
		status = check_base_url(&cl);
	if (status >= 0) {
		free(cl.base_url);
		return status;
	}
	if (!cl.quiet && isatty(STDERR_FILENO) && !cl.serve)
		cl.opt.progress = show_progress;
	if (gitutil_init() != 0) {
		fprintf(stderr, "sitegen: libgit2 could not start\n");
		free(cl.base_url);
		return 1;
	}
	if (cl.serve) {
		cl.opt.worktree = 1;
		if (!cl.out_given)
			cl.opt.out = "build/preview";
		if (!cl.base_url_given)
			cl.opt.base_url = NULL; /* the address served */
		status = serve_run(&cl.opt,
		    cl.listen ? cl.listen : "127.0.0.1:1313", cl.quiet);
		gitutil_shutdown();
		free(cl.base_url);
		return status;
	}

	struct site_stats stats;
	struct buf warnings = BUF_INIT, err = BUF_INIT;
	int rc = site_build(&cl.opt, &stats, &warnings, &err);
	report("warning: ", buf_str(&warnings));
	if (rc != 0) {
		report("", buf_str(&err));
		fprintf(stderr,
		    "sitegen: build failed; %s was left as it was\n",
		    cl.opt.out);
	} else if (!cl.quiet) {
		print_summary(&cl, &stats);
	}
	if (rc == 0 && cl.timings)
		print_timings(&stats.timings);
	gitutil_shutdown();
	free(stats.origin);
	buf_free(&warnings);
	buf_free(&err);
	free(cl.base_url);
	return rc == 0 ? 0 : 1;
}
