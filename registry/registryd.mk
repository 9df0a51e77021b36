# registryd: the public read-only API server, its tests, fuzzer and
# benchmark (included by the top Makefile after registry/registry.mk).
# The API is a library of pure request handlers (REGISTRY_API_OBJS) over
# the snapshot reader, which the unit tests and the fuzzer link without
# Civetweb; registryd adds the HTTP front (registry/http/).  registryd
# links no part of the system of record and no snapshot writer.

REGISTRY_API_OBJS = $(addprefix $(B)/obj/registry/api/,api.o call.o \
	cert.o certs.o changes.o check.o cursor.o db.o doc.o event.o export.o \
	encoding.o hash.o json.o numbers.o orgs.o query.o search.o site.o proofs.o) \
	$(B)/obj/openapi_data.o $(REGISTRY_LOG_OBJS) $(REGISTRY_SNAPSHOT_LOG_OBJS)
REGISTRY_API_LIBS = -lz
REGISTRYD_LIBS = -lcivetweb -lsqlite3 -ljansson -lhogweed -lnettle -lpthread \
	$(REGISTRY_API_LIBS)

PROGRAMS    += $(B)/registryd
MANPAGES    += registry/registryd.1
UNIT_TESTS  += $(B)/tests/unit_api $(B)/tests/unit_http_cache
SHELL_TESTS += $(sort $(wildcard tests/api/*.sh))
FUZZERS     += $(B)/fuzz_query $(B)/fuzz_framing $(B)/fuzz_encoding

$(B)/registryd: $(B)/obj/registry/http/registryd.o \
		$(B)/obj/registry/http/http.o \
		$(B)/obj/registry/http/cache.o $(B)/obj/registry/http/accesslog.o \
		$(B)/obj/registry/http/framing.o $(REGISTRY_API_OBJS) \
		$(REGISTRY_READER_OBJS)
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

# The API's unit tests build their fixture with the system of record, so
# they link every layer.
API_UNIT_OBJS = $(B)/obj/tests/unit/test_api.o \
	$(B)/obj/tests/unit/test_api_query.o \
	$(B)/obj/tests/unit/test_api_search.o \
	$(B)/obj/tests/unit/test_api_check.o \
	$(B)/obj/tests/unit/test_api_routes.o

$(B)/tests/unit_api: $(API_UNIT_OBJS) $(REGISTRY_API_OBJS) \
		$(REGISTRY_ALL_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(REGISTRY_LIBS) $(REGISTRY_API_LIBS) -lcmocka

# The answer cache alone (registry/http/cache.c): no Civetweb, no snapshot.
$(B)/tests/unit_http_cache: $(B)/obj/tests/unit/test_http_cache.o \
		$(B)/obj/registry/http/cache.o $(B)/obj/registry/base/buf.o \
		$(B)/obj/registry/base/mem.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka -lpthread

$(B)/fuzz_query: $(B)/obj/tests/fuzz/fuzz_query.o $(REGISTRY_API_OBJS) \
		$(REGISTRY_ALL_OBJS)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ \
		$(REGISTRY_LIBS) $(REGISTRY_API_LIBS)

# Accept-Encoding and gzip (registry/api/encoding.c).
$(B)/fuzz_encoding: $(B)/obj/tests/fuzz/fuzz_encoding.o \
		$(B)/obj/registry/api/encoding.o $(B)/obj/registry/base/buf.o \
		$(B)/obj/registry/base/mem.o
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ -lz

# The request-head checks Civetweb does not make (registry/http/framing.c).
$(B)/fuzz_framing: $(B)/obj/tests/fuzz/fuzz_framing.o \
		$(B)/obj/registry/http/framing.o
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^
