# sitegen: the static site generator (included by the top Makefile).

SITE_LIB_SRCS = site/mustache.c site/mustache_render.c site/mustache_memo.c site/frontmatter.c \
	site/markdown.c site/content.c site/links.c site/fees.c site/strmap.c site/history.c site/redline.c site/gitutil.c site/search.c site/regpages.c site/regfeed.c site/apidoc.c \
	site/fs.c site/theme.c site/tree.c site/build.c site/editions.c \
	site/pool.c site/site.c site/changes.c site/feed.c site/sitemap.c site/pages.c site/edpages.c site/reglog.c \
	site/gzip.c site/assets.c site/memo.c site/lang.c site/reglang.c
# The API's document writers (no HTTP in them) give each registry page its
# JSON twin: one writer for both.
SITE_LIB_OBJS = $(SITE_LIB_SRCS:%.c=$(B)/obj/%.o) $(REGISTRY_READER_OBJS) \
	$(REGISTRY_LOG_OBJS) $(REGISTRY_SNAPSHOT_LOG_OBJS) \
	$(addprefix $(B)/obj/registry/api/,doc.o cert.o json.o)
THEME_FILES   = $(sort $(wildcard site/templates/*.mustache site/static/*))
SITE_LIBS     = -lcmark-gfm-extensions -lcmark-gfm -lgit2 -ljansson -lyaml \
	-lqrencode $(REGISTRY_LIBS) -lpthread -ldeflate -lz

PROGRAMS   += $(B)/sitegen
MANPAGES   += site/sitegen.1
UNIT_TESTS += $(B)/tests/unit_mustache_spec $(B)/tests/unit_site
SHELL_TESTS += $(sort $(wildcard tests/site/*.sh)) tests/browser/browser.sh \
	tests/browser/receipt.sh tests/browser/preview.sh
FUZZERS    += $(B)/fuzz_frontmatter $(B)/fuzz_mustache $(B)/fuzz_note

# The preview server (sitegen serve) is the program's alone: the library
# and its tests do not link Civetweb.
$(B)/sitegen: $(B)/obj/site/main.o $(B)/obj/site/serve.o $(B)/obj/theme_data.o $(SITE_LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SITE_LIBS) -lcivetweb

# The templates and style sheet are compiled into sitegen.
$(B)/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -o $@ $<

$(B)/gen/theme_data.c: $(B)/embed $(THEME_FILES)
	@mkdir -p $(@D)
	$(B)/embed $@ site $(THEME_FILES)

$(B)/obj/theme_data.o: $(B)/gen/theme_data.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/tests/unit_mustache_spec: $(B)/obj/tests/unit/mustache_spec.o $(B)/obj/theme_data.o $(SITE_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SITE_LIBS)

$(B)/tests/unit_site: $(B)/obj/tests/unit/test_site.o $(B)/obj/theme_data.o $(SITE_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SITE_LIBS) -lcmocka

$(B)/fuzz_%: $(B)/obj/tests/fuzz/fuzz_%.o $(B)/obj/theme_data.o $(SITE_LIB_OBJS)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(SITE_LIBS)

# The synthetic site generator for benchmarks (not installed).
all: $(B)/gen_pages
$(B)/gen_pages: $(B)/obj/tools/gen_pages.o
	$(CC) $(LDFLAGS) -o $@ $^
