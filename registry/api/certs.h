/*
 * /v1/certificates (list and search), /v1/certificates/{number} and
 * /v1/certificates/{number}/history.
 */
#ifndef REGISTRY_API_CERTS_H
#define REGISTRY_API_CERTS_H

#include "registry/api/call.h"
#include "registry/api/cert.h"

/* The list filters; zero-like values mean "any". */
struct api_cert_filter {
	int level;            /* 1..5, or 0 */
	const char *category; /* a category code, or NULL */
	int status;           /* enum cert_status, or -1 */
};

/* 1 when c passes every filter. */
int api_cert_filter_match(
    const struct api_cert_filter *f, const struct api_cert *c);

/* Reads the parameters level, category and status; 0, or -1 with a 400
 * set. */
int api_cert_filter_read(struct api_call *c, struct api_cert_filter *f);

/* The read a list of f walks, after number `after`: the most selective
 * index the filters allow on `day`. */
struct snapshot_rows *api_cert_filter_rows(struct snapshot *snap,
    const struct api_cert_filter *f, int day, const char *after);

void api_certs_list(struct api_call *c);
void api_certs_one(struct api_call *c, const char *number);
void api_certs_history(struct api_call *c, const char *number);

#endif
