# Deployment: the snapshot check that registry-roll runs on each node, the
# roll command itself, the nginx front and systemd units (tools/deploy/),
# the Debian package (tools/debian/, `make deb`) and their tests
# (tests/deploy/).  Included by the top Makefile after the registry's
# fragments.

LIBEXECDIR ?= $(PREFIX)/lib/qualification-registry
DEPLOY_LIBEXEC = $(B)/snapshot-check
DEPLOY_SCRIPTS = tools/deploy/registry-roll
DEPLOY_MANPAGES = tools/deploy/registry-roll.1

MANPAGES    += $(DEPLOY_MANPAGES)
SHELL_TESTS += $(sort $(wildcard tests/deploy/*.sh))

all: $(DEPLOY_LIBEXEC)
DEPLOY_CHECK_OBJS = $(sort $(REGISTRY_READER_OBJS) $(REGISTRY_LOG_OBJS))
$(B)/snapshot-check: $(B)/obj/tools/deploy/snapshot-check.o \
		$(DEPLOY_CHECK_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS) $(REGISTRY_LOG_LIBS)

# The tests' checkpoint signer (not installed).
test-programs: $(B)/tests/sign-checkpoint
$(B)/tests/sign-checkpoint: $(B)/obj/tests/deploy/sign_checkpoint.o \
		$(DEPLOY_CHECK_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS) $(REGISTRY_LOG_LIBS)

# registry-roll finds snapshot-check in LIBEXECDIR; the copy in the
# checkout finds it in the build folder (REGISTRY_LIBEXEC).
install: install-deploy
.PHONY: install-deploy deb
install-deploy: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(DEPLOY_LIBEXEC) $(DESTDIR)$(LIBEXECDIR)/
	sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|' tools/deploy/registry-roll \
		>$(DESTDIR)$(PREFIX)/bin/registry-roll
	chmod 755 $(DESTDIR)$(PREFIX)/bin/registry-roll

# The Debian package, from the files git tracks (as they are in the
# worktree), built without the network: tools/debian/build.sh.
deb:
	@tools/deps.sh build deb
	@tools/debian/build.sh "$(B)/deb" "$(VERSION)"
