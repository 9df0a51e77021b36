# sitegen: the static site generator (included by the top Makefile).

SITE_LIB_SRCS = site/buf.c site/mustache.c site/frontmatter.c \
	site/markdown.c site/content.c site/links.c site/fees.c \
	site/fsutil.c site/build.c
SITE_LIB_OBJS = $(SITE_LIB_SRCS:%.c=$(B)/obj/%.o)
SITE_LIBS     = -lcmark-gfm-extensions -lcmark-gfm -lgit2 -ljansson -lyaml

PROGRAMS   += $(B)/sitegen
MANPAGES   += site/sitegen.1
UNIT_TESTS += $(B)/tests/unit_mustache_spec $(B)/tests/unit_site
SHELL_TESTS += $(sort $(wildcard tests/site/*.sh))
FUZZERS    += $(B)/fuzz_frontmatter $(B)/fuzz_mustache

$(B)/sitegen: $(B)/obj/site/main.o $(SITE_LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SITE_LIBS)

$(B)/tests/unit_mustache_spec: $(B)/obj/tests/unit/mustache_spec.o $(SITE_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SITE_LIBS)

$(B)/tests/unit_site: $(B)/obj/tests/unit/test_site.o $(SITE_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SITE_LIBS) -lcmocka

$(B)/fuzz_%: $(B)/obj/tests/fuzz/fuzz_%.o $(SITE_LIB_OBJS)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(SITE_LIBS)
