/*
 * Key files (see key.h).  Every buffer that held the private key is
 * zeroed before it is freed or goes out of scope.
 */
#include "registry/log/key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/base/buf.h"
#include "registry/log/why.h"

#define KEY_FILE_MAX 1024

/* `len` random bytes: 0 or -1. */
static int
random_bytes(uint8_t *out, size_t len)
{
	size_t got = 0;
	int fd;

	while (got < len) {
		ssize_t n = getrandom(out + got, len - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	if (got == len)
		return 0;
	/* No getrandom(2): the device. */
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	for (got = 0; got < len;) {
		ssize_t n = read(fd, out + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got == len ? 0 : -1;
}

int
log_key_generate(
    const char *name, struct log_note_signer *out, char *why, size_t why_size)
{
	uint8_t seed[LOG_NOTE_KEY_SIZE];
	int rc;

	memset(out, 0, sizeof *out);
	if (random_bytes(seed, sizeof seed) != 0)
		return log_why(why, why_size, "no random bytes for a key: %s",
		    strerror(errno));
	rc = log_note_signer_from_seed(out, name, seed, why, why_size);
	explicit_bzero(seed, sizeof seed);
	return rc;
}

int
log_key_save(const char *path, const struct log_note_signer *key, char *why,
    size_t why_size)
{
	struct buf text = BUF_INIT;
	size_t done = 0;
	int fd, rc = -1;

	fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return log_why(why, why_size, "%s: %s", path,
		    errno == EEXIST ? "exists already; a key is never "
		                      "overwritten"
		                    : strerror(errno));
	log_note_signer_format(key, &text);
	buf_putc(&text, '\n');
	/* Whatever the umask, the owner reads and writes, no one else. */
	if (fchmod(fd, 0600) != 0)
		goto fail_io;
	while (done < text.len) {
		ssize_t n = write(fd, text.data + done, text.len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail_io;
		done += (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail_io;
	rc = 0;
	goto done;
fail_io:
	log_why(why, why_size, "%s: %s", path, strerror(errno));
	unlink(path);
done:
	if (close(fd) != 0 && rc == 0) {
		log_why(why, why_size, "%s: %s", path, strerror(errno));
		unlink(path);
		rc = -1;
	}
	explicit_bzero(text.data, text.cap);
	buf_free(&text);
	return rc;
}

int
log_key_load(
    const char *path, struct log_note_signer *out, char *why, size_t why_size)
{
	char text[KEY_FILE_MAX + 1], reason[256];
	size_t len = 0;
	struct stat st;
	int fd, rc = -1;

	memset(out, 0, sizeof *out);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return log_why(why, why_size, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		log_why(why, why_size, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		log_why(why, why_size, "%s: not a file", path);
		goto done;
	}
	if (st.st_mode & 077) {
		log_why(why, why_size,
		    "%s: others may read or write the private key (mode "
		    "%04o): chmod 600 %s",
		    path, (unsigned)(st.st_mode & 07777), path);
		goto done;
	}
	while (len < sizeof text) {
		ssize_t n = read(fd, text + len, sizeof text - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_why(why, why_size, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > KEY_FILE_MAX) {
		log_why(why, why_size, "%s: too long for a key file", path);
		goto done;
	}
	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (log_note_signer_parse(text, len, out, reason, sizeof reason) != 0) {
		log_why(why, why_size, "%s: %s", path, reason);
		goto done;
	}
	rc = 0;
done:
	explicit_bzero(text, sizeof text);
	close(fd);
	return rc;
}
