# registryd: the public read-only API server, its tests, fuzzer and
# benchmark (included by the top Makefile after registry/registry.mk).
# The API is a library of pure request handlers (API_LIB_OBJS) that the
# unit tests and the fuzzer link without Civetweb; registryd adds the HTTP
# transport (registry/http.c) and main.

API_LIB_SRCS = $(addprefix registry/api/,api.c call.c cert.c certs.c \
	changes.c cursor.c db.c event.c export.c hash.c json.c orgs.c query.c \
	search.c site.c)
API_LIB_OBJS   = $(API_LIB_SRCS:%.c=$(B)/obj/%.o) $(B)/obj/openapi_data.o
REGISTRYD_LIBS = -lcivetweb $(REGISTRY_LIBS) -lpthread

PROGRAMS    += $(B)/registryd
MANPAGES    += registry/registryd.1
UNIT_TESTS  += $(B)/tests/unit_api
SHELL_TESTS += $(sort $(wildcard tests/api/*.sh))
FUZZERS     += $(B)/fuzz_query

$(B)/registryd: $(B)/obj/registry/http/registryd.o $(B)/obj/registry/http/http.o \
		$(API_LIB_OBJS) $(REGISTRY_LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRYD_LIBS)

# The OpenAPI document is compiled in: /v1/openapi.json serves it.
$(B)/embed_file: tools/embed_file.c
	@mkdir -p $(@D)
	$(CC) -O2 -o $@ $<

$(B)/gen/openapi_data.c: $(B)/embed_file registry/openapi.json
	@mkdir -p $(@D)
	$(B)/embed_file $@ REGISTRYD_OPENAPI registry/openapi.json

$(B)/obj/openapi_data.o: $(B)/gen/openapi_data.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

API_UNIT_OBJS = $(B)/obj/tests/unit/test_api.o \
	$(B)/obj/tests/unit/test_api_query.o \
	$(B)/obj/tests/unit/test_api_routes.o

$(B)/tests/unit_api: $(API_UNIT_OBJS) $(API_LIB_OBJS) $(REGISTRY_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS) -lcmocka

# Checks JSON documents against the OpenAPI document's schemas
# (tests/api/openapi.sh).
all: $(B)/tests/api_schema_check
$(B)/tests/api_schema_check: $(B)/obj/tests/api/schema_check.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson

$(B)/fuzz_query: $(B)/obj/tests/fuzz/fuzz_query.o $(API_LIB_OBJS) \
		$(REGISTRY_LIB_OBJS)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ \
		$(REGISTRY_LIBS)
