# The registry: library, registryctl, its tests, fuzzer and benchmark
# generator (included by the top Makefile).  Other programs that read
# snapshots link $(REGISTRY_LIB_OBJS) with $(REGISTRY_LIBS).

BASE_SRCS = registry/base/mem.c registry/base/buf.c registry/base/url.c
REGISTRY_LIB_SRCS = $(BASE_SRCS) registry/rules/date.c registry/rules/event.c \
	registry/rules/status.c registry/rules/creditcode.c registry/rules/text.c \
	registry/record/csv.c registry/record/db.c registry/record/ops.c \
	registry/record/show.c registry/record/bulk.c \
	registry/snapshot/snapshot.c registry/record/publish.c \
	registry/record/sample.c
REGISTRY_LIB_OBJS = $(REGISTRY_LIB_SRCS:%.c=$(B)/obj/%.o)
REGISTRY_LIBS     = -lsqlite3 -ljansson -lnettle

PROGRAMS    += $(B)/registryctl
MANPAGES    += registry/registryctl.1
UNIT_TESTS  += $(B)/tests/unit_registry
SHELL_TESTS += $(sort $(wildcard tests/registry/*.sh))

REGISTRY_UNIT_OBJS = $(B)/obj/tests/unit/test_registry.o \
	$(B)/obj/tests/unit/test_registry_rules.o \
	$(B)/obj/tests/unit/test_registry_csv.o \
	$(B)/obj/tests/unit/test_registry_db.o

$(B)/tests/unit_registry: $(REGISTRY_UNIT_OBJS) $(REGISTRY_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS) -lcmocka

$(B)/registryctl: $(B)/obj/registry/record/registryctl.o $(REGISTRY_LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS)

# The synthetic registry generator for benchmarks (not installed).
all: $(B)/gen-registry
$(B)/gen-registry: $(B)/obj/tools/gen-registry.o $(REGISTRY_LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS)

FUZZERS += $(B)/fuzz_csv
$(B)/fuzz_csv: $(B)/obj/tests/fuzz/fuzz_csv.o $(REGISTRY_LIB_OBJS)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ \
		$(REGISTRY_LIBS)
