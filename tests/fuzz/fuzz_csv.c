/*
 * libFuzzer target for CSV import.  Each input is (1) read as CSV; every
 * record read is written back with csv_write_field() and read again, and
 * must come back the same; (2) imported into a fresh in-memory registry,
 * which must either accept it or refuse it with a message, never crash
 * or leak, and must hold nothing after a refusal.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/record/bulk.h"
#include "registry/record/csv.h"
#include "registry/record/db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
round_trip(const uint8_t *data, size_t size)
{
	FILE *in = fmemopen((void *)data, size, "r");
	struct csv_reader *r;
	struct csv_record rec;

	if (in == NULL)
		return;
	r = csv_reader_new(in);
	while (csv_read(r, &rec) == 1) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		for (size_t i = 0; i < rec.count; i++)
			csv_write_field(out, rec.fields[i], i + 1 == rec.count);
		fclose(out);
		FILE *again = fmemopen(buf, len, "r");
		struct csv_reader *r2 = csv_reader_new(again);
		struct csv_record rec2;
		if (csv_read(r2, &rec2) != 1 || rec2.count != rec.count)
			abort();
		for (size_t i = 0; i < rec.count; i++)
			if (strcmp(rec.fields[i], rec2.fields[i]) != 0)
				abort();
		csv_reader_free(r2);
		fclose(again);
		free(buf);
	}
	csv_reader_free(r);
	fclose(in);
}

static void
import(const uint8_t *data, size_t size)
{
	char why[256];
	struct db *db = db_open(":memory:", 1, why, sizeof why);
	struct bulk_summary summary;
	FILE *in;

	if (db == NULL)
		abort();
	db_set_now(db, 1767225600);
	if (db_init(db) != 0)
		abort();
	in = fmemopen((void *)data, size ? size : 1, "r");
	if (in != NULL) {
		if (size == 0)
			fgetc(in);
		if (bulk_import_stream(db, in, "fuzz.csv", NULL, &summary) !=
		    0) {
			long long events = -1, certificates = -1;
			if (strlen(db_error(db)) == 0)
				abort();
			if (db_count(db, DB_EVENTS, &events) != 0 ||
			    db_count(db, DB_CERTIFICATES, &certificates) != 0 ||
			    events + certificates != 0)
				abort();
		}
		fclose(in);
	}
	db_close(db);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	round_trip(data, size);
	import(data, size);
	return 0;
}
