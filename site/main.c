/*
 * sitegen: builds the guide's static website from Markdown in git.
 * This file only reads the command line and reports; the work is in
 * build.c and the modules it calls.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "site/build.h"

static const char USAGE[] =
    "usage: sitegen build [--repo DIR] [--content PATH] [--rev REV] "
    "[--worktree]\n"
    "                     [--out DIR] [--registry SNAPSHOT] [--base-url URL]\n"
    "                     [--api-doc OPENAPI.json] [--theme DIR] [--timings] "
    "[-q]\n"
    "       sitegen --help | --version\n";

static const char HELP[] =
    "Builds the static website of the application guide from Markdown pages.\n"
    "\n"
    "  --repo DIR      git repository to read (default: .)\n"
    "  --content PATH  folder of pages inside the repository (default: "
    "content)\n"
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
    "  --timings       where the time went, on standard error\n"
    "  -q, --quiet     no progress and no summary line\n"
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

/* Prints err line by line, each prefixed with the program's name. */
static void
report(const char *err)
{
	const char *p = err;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > 0)
			fprintf(stderr, "sitegen: %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

int
main(int argc, char **argv)
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
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct build_options opt = {
	    .repo = ".",
	    .content = "content",
	    .rev = "HEAD",
	    .out = "build/public",
	    .base_url = "http://127.0.0.1:8080/",
	};
	int quiet = 0, timings = 0, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qhV", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt.repo = optarg;
			break;
		case 'c':
			opt.content = optarg;
			break;
		case 'R':
			opt.rev = optarg;
			break;
		case 'w':
			opt.worktree = 1;
			break;
		case 'o':
			opt.out = optarg;
			break;
		case 'b':
			opt.base_url = optarg;
			break;
		case 't':
			opt.theme = optarg;
			break;
		case 'g':
			opt.registry = optarg;
			break;
		case 'a':
			opt.api_doc = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'T':
			timings = 1;
			break;
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
	if (strcmp(argv[optind], "build") != 0)
		return usage_error("unknown command '%s'", argv[optind]);
	if (optind + 1 < argc)
		return usage_error(
		    "unexpected argument '%s'", argv[optind + 1]);
	size_t n = strlen(opt.base_url);
	if (strncmp(opt.base_url, "http://", 7) != 0 &&
	    strncmp(opt.base_url, "https://", 8) != 0)
		return usage_error(
		    "--base-url '%s' must start with http:// or https://",
		    opt.base_url);
	char *base_url = NULL;
	if (n == 0 || opt.base_url[n - 1] != '/') {
		base_url = malloc(n + 2);
		if (base_url == NULL)
			return 1;
		memcpy(base_url, opt.base_url, n);
		memcpy(base_url + n, "/", 2);
		opt.base_url = base_url;
	}
	opt.progress = !quiet && isatty(STDERR_FILENO);

	struct build_stats stats;
	struct buf err = BUF_INIT;
	int rc = build_site(&opt, &stats, &err);
	if (rc != 0) {
		report(buf_str(&err));
		fprintf(stderr,
		    "sitegen: build failed; %s was left as it was\n", opt.out);
	} else if (!quiet) {
		printf("sitegen: built %zu pages", stats.pages);
		if (opt.registry)
			printf(", %zu certificates and %zu organisations",
			    stats.certificates, stats.organisations);
		printf(" (%zu files, search index %.1f KB) from %s into %s in "
		       "%.2f s\n",
		    stats.written, (double)stats.search_bytes / 1024,
		    stats.origin, opt.out, stats.timings.total);
	}
	if (rc == 0 && timings) {
		const struct timings *t = &stats.timings;
		fprintf(stderr,
		    "sitegen: timings: content %.3f s, history walk "
		    "%.3f s, pages read %.3f s, pages written %.3f s, history "
		    "pages %.3f s, search and registry %.3f s, editions %.3f "
		    "s, "
		    "swap %.3f s\n",
		    t->content, t->history_walk, t->pages_read, t->pages_write,
		    t->history_pages, t->search_registry, t->editions, t->swap);
	}
	free(stats.origin);
	buf_free(&err);
	free(base_url);
	return rc == 0 ? 0 : 1;
}
