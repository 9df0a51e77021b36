# The registry, layer by layer (registry/README.md), with registryctl, its
# tests, fault-injection test program, fuzzer and benchmark generator
# (included by the top Makefile; registry/registryd.mk adds the API and
# registryd).  Each program links the layers it uses and no more:
#
#   REGISTRY_BASE_OBJS      registry/base/: memory, buffers, URLs, clock
#   REGISTRY_RULES_OBJS     registry/rules/: dates, events, statuses,
#                           labels, numbers, credit codes (no I/O)
#   REGISTRY_READ_OBJS      registry/snapshot/, read side: opening a
#                           snapshot and its typed reads
#   REGISTRY_WRITE_OBJS     registry/snapshot/, write side: the writer
#   REGISTRY_SNAPSHOT_LOG_OBJS  registry/snapshot/log.c: a snapshot's
#                           events as the log's tree (with the reader
#                           and the log)
#   REGISTRY_RECORD_OBJS    registry/record/: the system of record
#   REGISTRY_LOG_OBJS       registry/log/: the verifiable log (Merkle tree,
#                           entries, signed notes, checkpoints, tiles,
#                           receipts, key files), on base and rules, with
#                           $(REGISTRY_LOG_LIBS)
#
# with $(REGISTRY_LIBS).  A reader of snapshots (sitegen) links base,
# rules and read; registryctl links base, rules, write and record.

REGISTRY_BASE_OBJS = $(addprefix $(B)/obj/registry/base/,mem.o buf.o url.o \
	clock.o queue.o)
REGISTRY_RULES_OBJS = $(addprefix $(B)/obj/registry/rules/,date.o event.o \
	status.o label.o number.o creditcode.o text.o lookup.o)
REGISTRY_READ_OBJS = $(addprefix $(B)/obj/registry/snapshot/,snapshot.o read.o \
	schema.o grams.o runs.o)
REGISTRY_WRITE_OBJS = $(addprefix $(B)/obj/registry/snapshot/,write.o \
	schema.o grams.o runs.o)
REGISTRY_SNAPSHOT_LOG_OBJS = $(B)/obj/registry/snapshot/log.o
REGISTRY_RECORD_OBJS = $(addprefix $(B)/obj/registry/record/,db_stmt.o \
	db_schema.o db.o db_scan.o ops.o csv.o csv_ahead.o bulk.o show.o sample.o \
	publish.o logpub.o logcheck.o)
REGISTRY_LIBS = -lsqlite3 -ljansson -lhogweed -lnettle -lpthread
REGISTRY_LOG_OBJS = $(addprefix $(B)/obj/registry/log/,base64.o merkle.o \
	tree.o entry.o note.o checkpoint.o tiles.o receipt.o key.o why.o)
# Ed25519 is in nettle's public-key half, libhogweed.
REGISTRY_LOG_LIBS = -ljansson -lhogweed -lnettle

# What a snapshot reader links; what registryctl links; everything.
REGISTRY_READER_OBJS = $(REGISTRY_BASE_OBJS) $(REGISTRY_RULES_OBJS) \
	$(REGISTRY_READ_OBJS)
# (registryctl verify --snapshot reads a snapshot and its log.)
REGISTRY_WRITER_OBJS = $(sort $(REGISTRY_BASE_OBJS) $(REGISTRY_RULES_OBJS) \
	$(REGISTRY_RECORD_OBJS) $(REGISTRY_WRITE_OBJS) $(REGISTRY_LOG_OBJS) \
	$(REGISTRY_READ_OBJS) $(REGISTRY_SNAPSHOT_LOG_OBJS))
REGISTRY_ALL_OBJS = $(sort $(REGISTRY_READER_OBJS) $(REGISTRY_WRITER_OBJS))

PROGRAMS    += $(B)/registryctl
MANPAGES    += registry/registryctl.1
UNIT_TESTS  += $(B)/tests/unit_registry
SHELL_TESTS += $(sort $(wildcard tests/registry/*.sh))

REGISTRY_UNIT_OBJS = $(B)/obj/tests/unit/test_registry.o \
	$(B)/obj/tests/unit/test_registry_rules.o \
	$(B)/obj/tests/unit/test_registry_csv.o \
	$(B)/obj/tests/unit/test_registry_db.o \
	$(B)/obj/tests/unit/test_registry_runs.o \
	$(B)/obj/tests/unit/test_registry_grams.o \
	$(B)/obj/tests/unit/test_registry_queue.o

$(B)/tests/unit_registry: $(REGISTRY_UNIT_OBJS) $(REGISTRY_ALL_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS) -lcmocka

$(B)/registryctl: $(B)/obj/registry/record/registryctl.o \
		$(REGISTRY_WRITER_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS)

# registryctl with the fault injection of tests/registry/faults.c: a read
# error at the Nth read, or a pause at a stage of publishing, sent through
# the linker's --wrap.  Only the tests run it; it is never installed.
REGISTRYCTL_WRAPS = -Wl,--wrap=snapshot_write_begin \
	-Wl,--wrap=snapshot_write_commit -Wl,--wrap=rename
all: $(B)/tests/registryctl-faults
$(B)/tests/registryctl-faults: $(B)/obj/registry/record/registryctl.o \
		$(B)/obj/tests/registry/faults.o $(REGISTRY_WRITER_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(REGISTRYCTL_WRAPS) -o $@ $^ $(REGISTRY_LIBS)

# The synthetic registry generator for benchmarks (not installed).
all: $(B)/gen-registry
$(B)/gen-registry: $(B)/obj/tools/gen-registry.o $(REGISTRY_BASE_OBJS) \
		$(REGISTRY_RULES_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^

# The log's unit tests: its layer with base and rules, nothing else.
UNIT_TESTS += $(B)/tests/unit_log
LOG_UNIT_OBJS = $(B)/obj/tests/unit/test_log.o \
	$(B)/obj/tests/unit/test_log_note.o \
	$(B)/obj/tests/unit/test_log_receipt.o
LOG_LAYER_OBJS = $(REGISTRY_LOG_OBJS) $(REGISTRY_BASE_OBJS) \
	$(REGISTRY_RULES_OBJS)

$(B)/tests/unit_log: $(LOG_UNIT_OBJS) $(LOG_LAYER_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LOG_LIBS) -lcmocka

# The log's benchmark (tools/bench-log.sh): proof sizes, hashing and tiles
# of a million entries (not installed).
all: $(B)/bench-log
$(B)/bench-log: $(B)/obj/tools/bench_log.o $(LOG_LAYER_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LOG_LIBS)

FUZZERS += $(B)/fuzz_log
$(B)/fuzz_log: $(B)/obj/tests/fuzz/fuzz_log.o $(LOG_LAYER_OBJS)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ \
		$(REGISTRY_LOG_LIBS)

FUZZERS += $(B)/fuzz_csv
$(B)/fuzz_csv: $(B)/obj/tests/fuzz/fuzz_csv.o $(REGISTRY_WRITER_OBJS)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ \
		$(REGISTRY_LIBS)
