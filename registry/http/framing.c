/*
 * The checks of a request head that RFC 9112 asks of a server and that
 * Civetweb does not make (see framing.h).
 */
#include "registry/http/framing.h"

#include <string.h>
#include <strings.h>

int
http_framing_check(const struct http_field *fields, int count,
    const char *version, const char **detail)
{
	const char *length = NULL, *host = NULL;
	int hosts = 0, lengths = 0, chunked = 0;

	for (int i = 0; i < count; i++) {
		const char *name = fields[i].name ? fields[i].name : "";
		const char *value = fields[i].value;
		if (value == NULL)
			value = "";
		if (strcasecmp(name, "Host") == 0) {
			hosts++;
			host = value;
		} else if (strcasecmp(name, "Transfer-Encoding") == 0) {
			chunked = 1;
		} else if (strcasecmp(name, "Content-Length") == 0) {
			/* Every value of every Content-Length line must be
			 * the same number ("5, 5" is one value twice). */
			for (const char *p = value; *p;) {
				size_t len;
				while (*p == ' ' || *p == '\t' || *p == ',')
					p++;
				len = strcspn(p, ", \t");
				if (len == 0)
					break;
				if (strspn(p, "0123456789") != len) {
					*detail =
					    "Content-Length is not a number";
					return 400;
				}
				if (lengths++ &&
				    (strlen(length) < len ||
				        strncmp(length, p, len) != 0 ||
				        (length[len] &&
				            !strchr(", \t", length[len])))) {
					*detail = "Content-Length is given "
					          "twice with different values";
					return 400;
				}
				if (lengths == 1)
					length = p;
				p += len;
			}
		}
	}
	if (chunked && lengths) {
		*detail = "Content-Length and Transfer-Encoding together";
		return 400;
	}
	if (hosts > 1) {
		*detail = "more than one Host header";
		return 400;
	}
	if (hosts == 0 && (version == NULL || strcmp(version, "1.0") != 0)) {
		*detail = "an HTTP/1.1 request needs a Host header";
		return 400;
	}
	if (host && strpbrk(host, " \t/\\@?#") != NULL) {
		*detail = "Host is not a host";
		return 400;
	}
	return 0;
}
