/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hub.h — the `vigil hub` server core as its HTTP handlers see it: the hub
 * context, the route table, the request and response of one HTTP exchange,
 * and the role check.  This is the contract with the handler modules
 * (TAXII, /indicators here; /feeds, /sightings, /stats from hub-cli's
 * routes_cli.c).  Stable: functions are added, never changed.
 *
 * Threading: handlers run on libmicrohttpd's worker threads (a pool of
 * --threads), many at once.  A request and its response belong to the one
 * thread running the handler.  vg_hub_req_db() hands out a database
 * connection that belongs to this request until its response is sent.
 *
 * Authentication happens before the handler: an `Authorization: Bearer`
 * token is checked (hash lookup, expiry, revocation, source allowlist) and
 * turned into a principal.  A route without VG_HUB_ROUTE_PUBLIC never runs
 * its handler without a valid principal (401 is written by the core).
 */
#ifndef VG_HUB_H
#define VG_HUB_H

#include "hub/access.h"
#include "intel/sign.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vg_hub vg_hub_t;
typedef struct vg_hub_req vg_hub_req_t;
typedef struct vg_hub_resp vg_hub_resp_t;
typedef struct vg_hub_db vg_hub_db_t;

/* A handler: fill resp (status, body, headers) and return 0.  A negative
 * VG_E* return without a body becomes 500 {"error":"internal error"}
 * (VG_ENOMEM 503).  Handlers never print. */
typedef int (*vg_hub_handler_fn)(vg_hub_req_t *req, vg_hub_resp_t *resp);

/* Route flags. */
enum {
	VG_HUB_ROUTE_PREFIX = 0,      /* path_prefix matches the path or path_prefix + anything */
	VG_HUB_ROUTE_EXACT = 1u << 0, /* the path must equal path_prefix (a trailing '/' ignored) */
	VG_HUB_ROUTE_PUBLIC = 1u << 1 /* no token needed (static files); principal may be NULL */
};

/* The most routes a hub holds. */
#define VG_HUB_MAX_ROUTES 64

/*
 * vg_hub_route_add — register handler for method ("GET", "POST", ...; "*"
 * for any) and path_prefix (starts with '/').  The longest matching prefix
 * wins; with equal prefixes the first registered.  A path matching a route
 * for another method only gets 405.  Strings are borrowed (use literals).
 * Returns 0, VG_EINVAL or VG_ELIMIT (VG_HUB_MAX_ROUTES).  Call before the
 * server starts (vg_hub_routes_cli is called from there).
 */
int vg_hub_route_add(vg_hub_t *hub, const char *method, const char *path_prefix,
		     vg_hub_handler_fn handler, unsigned flags);

/* vg_hub_routes_cli — registers hub-cli's handlers (/feeds, /sightings,
 * /stats, /dashboard data).  Defined in src/hub/routes_cli.c (or the stub
 * routes_cli_stub.c until it exists); called once at startup. */
void vg_hub_routes_cli(vg_hub_t *hub);

/* ---- the hub context ---------------------------------------------------- */

/* vg_hub_feed_key: the hub's feed signing key (--feed-key), or NULL when
 * none was given.  Valid for the hub's lifetime; read-only. */
const vg_sign_seckey_t *vg_hub_feed_key(const vg_hub_t *hub);
/* vg_hub_www_dir: the directory static dashboard files are served from. */
const char *vg_hub_www_dir(const vg_hub_t *hub);
/* vg_hub_max_body: the request body limit in bytes (--max-body). */
size_t vg_hub_max_body(const vg_hub_t *hub);

/* ---- the request -------------------------------------------------------- */

/* vg_hub_req_hub: the hub serving this request. */
vg_hub_t *vg_hub_req_hub(vg_hub_req_t *req);
/* vg_hub_req_method: "GET", "POST", ... */
const char *vg_hub_req_method(const vg_hub_req_t *req);
/* vg_hub_req_path: the URL path, without the query string, not decoded
 * beyond what libmicrohttpd does (%xx decoded). */
const char *vg_hub_req_path(const vg_hub_req_t *req);
/* vg_hub_req_tail: the part of the path after the matched route prefix
 * ("/feeds/" + "abc" -> "abc"; "" when nothing follows). */
const char *vg_hub_req_tail(const vg_hub_req_t *req);
/* vg_hub_req_query: the value of query parameter name (decoded), "" for a
 * key without value, NULL when absent.  With repeated keys, the first. */
const char *vg_hub_req_query(const vg_hub_req_t *req, const char *name);
/* vg_hub_req_header: the value of request header name (any case), or NULL. */
const char *vg_hub_req_header(const vg_hub_req_t *req, const char *name);
/* vg_hub_req_body: the request body (NUL-terminated after len bytes, may
 * contain NULs) and its length; never NULL ("" when none).  The core has
 * already refused bodies over --max-body with 413. */
const char *vg_hub_req_body(const vg_hub_req_t *req, size_t *len);
/* vg_hub_req_peer: the peer address as text ("127.0.0.1", "::1"). */
const char *vg_hub_req_peer(const vg_hub_req_t *req);
/* vg_hub_req_peer_ip: the peer address (IPv4 mapped). */
const vg_ip_t *vg_hub_req_peer_ip(const vg_hub_req_t *req);
/* vg_hub_req_principal: who is calling (valid token), or NULL for a public
 * route called without a token.  Valid until the response is sent. */
const vg_hub_principal_t *vg_hub_req_principal(const vg_hub_req_t *req);
/* vg_hub_req_db: the database connection of this request (taken from the
 * pool on the first call, given back after the response).  NULL when
 * none could be had (the caller returns VG_EIO -> 500). */
vg_hub_db_t *vg_hub_req_db(vg_hub_req_t *req);
/* vg_hub_req_now: the request's arrival time, microseconds since the epoch. */
int64_t vg_hub_req_now(const vg_hub_req_t *req);

/*
 * vg_hub_require — the one place a role check answers: returns 0 when the
 * caller's role is in roles (a VG_HUB_ROLE_* mask; admin always passes);
 * otherwise writes 401 (no principal) or 403 (other role) into the
 * request's response and returns -1 — the handler then returns 0.
 */
int vg_hub_require(vg_hub_req_t *req, unsigned roles);

/*
 * vg_hub_req_json — parse the body as JSON (jansson, no duplicate keys
 * check beyond jansson's).  On error writes 400 {"error":"malformed
 * JSON: ...","where":"line L column C"} and returns NULL.  The caller owns
 * the result (json_decref).
 */
json_t *vg_hub_req_json(vg_hub_req_t *req);

/* ---- the response ------------------------------------------------------- */

/* vg_hub_resp_json: status and a JSON body (Content-Type application/json
 * unless ctype is given, e.g. the TAXII media type).  Steals the reference
 * to j (also on error).  Returns 0 or VG_ENOMEM. */
int vg_hub_resp_json(vg_hub_resp_t *resp, int status, json_t *j);
int vg_hub_resp_json_ct(vg_hub_resp_t *resp, int status, const char *ctype, json_t *j);
/* vg_hub_resp_body: status, Content-Type and a copy of n bytes of p. */
int vg_hub_resp_body(vg_hub_resp_t *resp, int status, const char *ctype, const void *p,
		     size_t n);
/* vg_hub_resp_body_take: the same, taking ownership of malloc'd p. */
int vg_hub_resp_body_take(vg_hub_resp_t *resp, int status, const char *ctype, void *p, size_t n);
/* vg_hub_resp_status: status with an empty body (304, 204, ...). */
void vg_hub_resp_status(vg_hub_resp_t *resp, int status);
/* vg_hub_resp_header: add a response header (copied).  Returns 0,
 * VG_EINVAL (CR/LF in name or value) or VG_ELIMIT (more than 16). */
int vg_hub_resp_header(vg_hub_resp_t *resp, const char *name, const char *value);
/* vg_hub_resp_error: status and {"error":msg,"where":where} (where may be
 * NULL: left out). */
int vg_hub_resp_error(vg_hub_resp_t *resp, int status, const char *msg, const char *where);

#endif
