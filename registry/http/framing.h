/*
 * What RFC 9112 says a server must refuse in a request head, which
 * Civetweb lets through: Content-Length with Transfer-Encoding (a request
 * smuggling attempt), Content-Length values that disagree or are not
 * numbers, an HTTP/1.1 request without Host, or with more than one, or
 * with a Host that is not a host.  Each is a 400 after which the
 * connection must close.  No I/O and no Civetweb here, so the fuzzer
 * reaches it.
 */
#ifndef REGISTRY_HTTP_FRAMING_H
#define REGISTRY_HTTP_FRAMING_H

/* A header line as parsed: its name and value (NULL taken as ""). */
struct http_field {
	const char *name, *value;
};

/*
 * Checks the `count` header fields of a request of HTTP version
 * `version` ("1.1", "1.0"; NULL is taken as 1.1).  0 when the head is
 * sound, else the status to answer (400) with what is wrong in *detail
 * ("Content-Length and Transfer-Encoding together"), a static string.
 */
int http_framing_check(const struct http_field *fields, int count,
    const char *version, const char **detail);

#endif
