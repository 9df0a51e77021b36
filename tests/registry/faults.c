/*
 * Fault injection for registryctl, linked only into the test program
 * build/tests/registryctl-faults (registryctl's own objects plus this
 * file); nothing here is in the installed registryctl.
 *
 * A read error: with REGISTRY_FAULT_FILE=NAME and REGISTRY_FAULT_READ=N,
 * an SQLite VFS wrapped around the default one fails the Nth read (and
 * only that one) of the database file whose path ends with NAME, with
 * SQLITE_IOERR_READ, as a failing disk would; with REGISTRY_FAULT_GARBLE
 * set (not empty), that read succeeds but brings back garbage, as a disk that
 * fails silently would (SQLite then finds the page malformed, an error it
 * reports for that statement alone).  REGISTRY_FAULT_COUNT=1
 * prints at exit how many reads of that file there were, so a test can
 * aim at the middle of a command's work.
 *
 * A pause: with REGISTRY_FAULT_PAUSE=STAGE, publishing stops for 30
 * seconds at that stage, saying "paused at STAGE" on standard error, so
 * a test can kill it there.  The stages are calls publish makes:
 * "schema" after snapshot_write_begin() created the tables, "written"
 * when snapshot_write_commit() is called with every row in, and
 * "before-rename" when the finished file is about to be renamed into
 * place.  They are reached through the linker's --wrap, which sends
 * these calls here first.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/snapshot/write.h"

/* ---- read errors ---- */

struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* the wrapped VFS's file, right after this */
	int watched;        /* a read of this file counts */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static const char *watched_name;
static long fail_at;    /* the read to fail, 1-based; 0: none */
static int garble;      /* 1: the read succeeds with wrong bytes */
static long reads_seen; /* reads of the watched file so far */

static struct fault_file *
fault(sqlite3_file *f)
{
	return (struct fault_file *)f;
}

static int
f_close(sqlite3_file *f)
{
	return fault(f)->real->pMethods->xClose(fault(f)->real);
}

static int
f_read(sqlite3_file *f, void *buf, int amount, sqlite3_int64 offset)
{
	int rc = fault(f)->real->pMethods->xRead(
	    fault(f)->real, buf, amount, offset);

	if (!fault(f)->watched || ++reads_seen != fail_at)
		return rc;
	if (!garble)
		return SQLITE_IOERR_READ;
	memset(buf, 0xA5, (size_t)amount);
	return rc;
}

static int
f_write(sqlite3_file *f, const void *buf, int amount, sqlite3_int64 offset)
{
	return fault(f)->real->pMethods->xWrite(
	    fault(f)->real, buf, amount, offset);
}

static int
f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return fault(f)->real->pMethods->xTruncate(fault(f)->real, size);
}

static int
f_sync(sqlite3_file *f, int flags)
{
	return fault(f)->real->pMethods->xSync(fault(f)->real, flags);
}

static int
f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return fault(f)->real->pMethods->xFileSize(fault(f)->real, size);
}

static int
f_lock(sqlite3_file *f, int level)
{
	return fault(f)->real->pMethods->xLock(fault(f)->real, level);
}

static int
f_unlock(sqlite3_file *f, int level)
{
	return fault(f)->real->pMethods->xUnlock(fault(f)->real, level);
}

static int
f_check_lock(sqlite3_file *f, int *out)
{
	return fault(f)->real->pMethods->xCheckReservedLock(
	    fault(f)->real, out);
}

static int
f_control(sqlite3_file *f, int op, void *arg)
{
	return fault(f)->real->pMethods->xFileControl(fault(f)->real, op, arg);
}

static int
f_sector(sqlite3_file *f)
{
	return fault(f)->real->pMethods->xSectorSize(fault(f)->real);
}

static int
f_device(sqlite3_file *f)
{
	return fault(f)->real->pMethods->xDeviceCharacteristics(fault(f)->real);
}

static int
f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **p)
{
	return fault(f)->real->pMethods->xShmMap(
	    fault(f)->real, page, size, extend, p);
}

static int
f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return fault(f)->real->pMethods->xShmLock(
	    fault(f)->real, offset, n, flags);
}

static void
f_shm_barrier(sqlite3_file *f)
{
	fault(f)->real->pMethods->xShmBarrier(fault(f)->real);
}

static int
f_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return fault(f)->real->pMethods->xShmUnmap(fault(f)->real, delete_flag);
}

/* No memory-mapped pages: every page is read through f_read. */
static int
f_fetch(sqlite3_file *f, sqlite3_int64 offset, int amount, void **p)
{
	(void)f, (void)offset, (void)amount;
	*p = NULL;
	return SQLITE_OK;
}

static int
f_unfetch(sqlite3_file *f, sqlite3_int64 offset, void *p)
{
	(void)f, (void)offset, (void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods fault_methods = {
    3,
    f_close,
    f_read,
    f_write,
    f_truncate,
    f_sync,
    f_size,
    f_lock,
    f_unlock,
    f_check_lock,
    f_control,
    f_sector,
    f_device,
    f_shm_map,
    f_shm_lock,
    f_shm_barrier,
    f_shm_unmap,
    f_fetch,
    f_unfetch,
};

static int
ends_with(const char *text, const char *suffix)
{
	size_t a = strlen(text), b = strlen(suffix);
	return a >= b && strcmp(text + a - b, suffix) == 0;
}

static int
v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct fault_file *ff = fault(f);
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	ff->watched = name != NULL && (flags & SQLITE_OPEN_MAIN_DB) &&
	              ends_with(name, watched_name);
	rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	ff->base.pMethods = ff->real->pMethods ? &fault_methods : NULL;
	return rc;
}

static int
v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int
v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int
v_full_path(sqlite3_vfs *vfs, const char *name, int size, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, size, out);
}

static void *
v_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void
v_dl_error(sqlite3_vfs *vfs, int size, char *out)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, size, out);
}

static void (*v_dl_sym(sqlite3_vfs *vfs, void *handle, const char *name))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, handle, name);
}

static void
v_dl_close(sqlite3_vfs *vfs, void *handle)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, handle);
}

static int
v_random(sqlite3_vfs *vfs, int size, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, size, out);
}

static int
v_sleep(sqlite3_vfs *vfs, int microseconds)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, microseconds);
}

static int
v_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int
v_last_error(sqlite3_vfs *vfs, int size, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, size, out);
}

static int
v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static void
report_reads(void)
{
	fprintf(stderr, "faults: %ld reads of %s\n", reads_seen, watched_name);
}

/* Before main: put the VFS in front of the default one when asked. */
__attribute__((constructor)) static void
install(void)
{
	const char *at = getenv("REGISTRY_FAULT_READ");
	const char *count = getenv("REGISTRY_FAULT_COUNT");

	watched_name = getenv("REGISTRY_FAULT_FILE");
	if (watched_name == NULL || *watched_name == '\0')
		return;
	fail_at = at ? atol(at) : 0;
	garble = getenv("REGISTRY_FAULT_GARBLE") != NULL &&
	         *getenv("REGISTRY_FAULT_GARBLE") != '\0';
	real_vfs = sqlite3_vfs_find(NULL);
	if (real_vfs == NULL)
		return;
	fault_vfs = (sqlite3_vfs){
	    .iVersion = 2,
	    .szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile,
	    .mxPathname = real_vfs->mxPathname,
	    .zName = "registry-faults",
	    .xOpen = v_open,
	    .xDelete = v_delete,
	    .xAccess = v_access,
	    .xFullPathname = v_full_path,
	    .xDlOpen = v_dl_open,
	    .xDlError = v_dl_error,
	    .xDlSym = v_dl_sym,
	    .xDlClose = v_dl_close,
	    .xRandomness = v_random,
	    .xSleep = v_sleep,
	    .xCurrentTime = v_time,
	    .xGetLastError = v_last_error,
	    .xCurrentTimeInt64 = v_time64,
	};
	sqlite3_vfs_register(&fault_vfs, 1);
	if (count && strcmp(count, "1") == 0)
		atexit(report_reads);
}

/* ---- pauses ---- */

struct snapshot_writer *__real_snapshot_write_begin(
    const char *target, char *why, size_t why_size);
struct snapshot_writer *__wrap_snapshot_write_begin(
    const char *target, char *why, size_t why_size);
int __real_snapshot_write_commit(struct snapshot_writer *w,
    const struct snapshot_write_meta *meta,
    struct snapshot_write_summary *summary);
int __wrap_snapshot_write_commit(struct snapshot_writer *w,
    const struct snapshot_write_meta *meta,
    struct snapshot_write_summary *summary);
int __real_rename(const char *from, const char *to);
int __wrap_rename(const char *from, const char *to);

static void
pause_at(const char *stage)
{
	const char *want = getenv("REGISTRY_FAULT_PAUSE");

	if (want != NULL && strcmp(want, stage) == 0) {
		fprintf(stderr, "faults: paused at %s\n", stage);
		sleep(30);
	}
}

struct snapshot_writer *
__wrap_snapshot_write_begin(const char *target, char *why, size_t why_size)
{
	struct snapshot_writer *w =
	    __real_snapshot_write_begin(target, why, why_size);

	if (w != NULL)
		pause_at("schema");
	return w;
}

int
__wrap_snapshot_write_commit(struct snapshot_writer *w,
    const struct snapshot_write_meta *meta,
    struct snapshot_write_summary *summary)
{
	pause_at("written");
	return __real_snapshot_write_commit(w, meta, summary);
}

int
__wrap_rename(const char *from, const char *to)
{
	pause_at("before-rename");
	return __real_rename(from, to);
}
