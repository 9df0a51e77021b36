/*
 * The kinds of event in the registry's append-only log, and their names as
 * stored in the database and written in exports (the labels shown to
 * people are label.h's).  An event either concerns an organisation
 * (org-*) or a certificate.
 */
#ifndef REGISTRY_EVENT_H
#define REGISTRY_EVENT_H

enum event_kind {
	EVENT_ORG_ADD,       /* an organisation enters the registry */
	EVENT_ORG_RENAME,    /* its name changes; the old one is kept */
	EVENT_ORG_ADDRESS,   /* its address changes */
	EVENT_ISSUE,         /* a certificate is issued */
	EVENT_ANNUAL_CHECK,  /* a passed annual confirmation (年检) */
	EVENT_WARN,          /* 警告 */
	EVENT_RECTIFY,       /* 限期整改: an order with a deadline */
	EVENT_RECTIFY_CLOSE, /* an order is closed */
	EVENT_SUSPEND,       /* 暂停证书 */
	EVENT_REINSTATE,     /* a suspension is lifted */
	EVENT_REVOKE,        /* 取消证书: final */
	EVENT_TRANSFER,      /* the certificate moves to another holder */
	EVENT_RENEW,         /* 维持换证: a successor replaces it */
	EVENT_UPGRADE,       /* a successor at a higher level replaces it */
	EVENT_VOID,          /* corrects a mistaken event */
	EVENT_ORG_NAME_EN,   /* its English name is set or changes (the
	                        recorded Chinese name stays the legal one) */
	EVENT_KIND_COUNT
};

/* The stored name of a kind ("annual-check"); never NULL. */
const char *event_kind_name(enum event_kind kind);

/* The kind named `name`, or -1. */
int event_kind_parse(const char *name);

/* The same for stored names: EVENT_KIND_COUNT (a kind this program does
 * not know) when `name` is NULL or names none. */
enum event_kind event_kind_of(const char *name);

/* 1 for kinds that an EVENT_VOID may void, else 0. */
int event_kind_voidable(enum event_kind kind);

#endif
