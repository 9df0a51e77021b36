# The qualification site and registry.  `make` builds the programs into
# build/; `make run` and `make test` first install whatever Debian packages
# are missing (tools/deps.sh).  Each part adds its programs, tests, fuzzers
# and benchmarks to the lists below from its own fragment (site/site.mk,
# registry/registry.mk).

VERSION    = 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
B         ?= build
CC        ?= cc
CFLAGS    ?= -O2 -g
LDFLAGS   ?=
FUZZ_SECONDS ?= 60

CSTD     = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# -ffile-prefix-map keeps the checkout's path out of the binaries, so the
# same commit builds the same bytes wherever it is cloned.
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -ffile-prefix-map=$(CURDIR)/= \
	-DVERSION='"$(VERSION)"' -I. -MMD -MP
SANITIZE = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined

PROGRAMS    =
MANPAGES    =
UNIT_TESTS  =
SHELL_TESTS = tests/harness.sh tests/format.sh
FUZZERS     =
OBJS        =

.PHONY: all test-programs deps run test test-only check fuzz bench install format clean
all:

include registry/registry.mk
include registry/registryd.mk
include site/site.mk
include tools/deploy/deploy.mk

# `make` builds the programs (and the benchmark generators); the unit-test
# binaries need the test packages (cmocka), so only the test targets build
# them.
all: $(PROGRAMS)
test-programs: all $(UNIT_TESTS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

deps:
	@tools/deps.sh build test

run:
	@tools/deps.sh build run
	@$(MAKE) --no-print-directory all
	@tools/run.sh "$(B)"

test:
	@tools/deps.sh build test browser
	@$(MAKE) --no-print-directory test-programs
	@$(MAKE) --no-print-directory test-only

test-only:
	@tests/run.sh "$(B)" $(UNIT_TESTS) $(SHELL_TESTS)

# The same tests with AddressSanitizer and UndefinedBehaviorSanitizer, in a
# build folder of their own so the normal binaries stay as they are.
check:
	@tools/deps.sh build test browser
	@$(MAKE) --no-print-directory B=$(B)/sanitize CFLAGS="$(SANITIZE)" \
		LDFLAGS="-fsanitize=address,undefined" test-programs
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 $(MAKE) --no-print-directory B=$(B)/sanitize test-only

fuzz:
	@tools/deps.sh build fuzz
	@$(MAKE) --no-print-directory CC=clang B=$(B)/fuzz \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" fuzzers
	@tools/fuzz.sh "$(B)/fuzz" $(FUZZ_SECONDS) $(notdir $(FUZZERS))

bench:
	@tools/deps.sh build bench
	@$(MAKE) --no-print-directory all
	@tools/bench.sh "$(B)"

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MANPAGES) $(DESTDIR)$(PREFIX)/share/man/man1/

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(B)

fuzzers: $(FUZZERS)
