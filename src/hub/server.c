// SPDX-License-Identifier: Apache-2.0
/*
 * server.c — the hub's HTTP core on libmicrohttpd: a thread pool
 * (MHD_USE_INTERNAL_POLLING_THREAD + MHD_OPTION_THREAD_POOL_SIZE), optional
 * TLS (GnuTLS inside MHD), the route table, body and time limits,
 * authentication (Bearer token -> principal, before any handler), the
 * request/response objects of hub.h, static files for /dashboard/, and a
 * graceful stop (quiesce, wait for in-flight requests, close).
 *
 * Per request: a vg_hub_req_t lives in MHD's connection-class pointer from
 * the first access-handler call to the completion callback; the body is
 * gathered up to --max-body (Content-Length beyond it is refused at once
 * with 413; a chunked body growing beyond it is drained and answered 413);
 * a body taking longer than --timeout is answered 408.  A database
 * connection is taken from the pool (mutex + condition variable) when the
 * request first needs one and given back at completion, so a worker never
 * holds two.  Every non-GET request made with a token is recorded in the
 * audit log as "token.use" (method, path, status).
 */
#include "hub/server.h"

#include "hub/db.h"
#include "hub/routes.h"
#include "lib/file.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct route {
	const char *method, *prefix;
	size_t plen;
	vg_hub_handler_fn fn;
	unsigned flags;
} route_t;

struct vg_hub {
	vg_hub_cfg_t cfg;
	vg_hub_log_fn log;
	void *log_ctx;
	route_t routes[VG_HUB_MAX_ROUTES];
	size_t n_routes;
	/* the connection pool */
	vg_hub_db_t **pool;
	bool *busy;
	size_t n_pool;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* the server */
	struct MHD_Daemon *d;
	char *tls_cert, *tls_key;
	atomic_long in_flight;
	bool stopped;
};

#define MAX_RESP_HEADERS 16

struct vg_hub_resp {
	int status;
	char *body;
	size_t len;
	const char *ctype;
	char ctype_buf[96];
	char *hname[MAX_RESP_HEADERS], *hval[MAX_RESP_HEADERS];
	size_t n_headers;
	bool set;
};

struct vg_hub_req {
	vg_hub_t *hub;
	struct MHD_Connection *c;
	const char *method;
	char *path;
	const char *tail;
	char *body;
	size_t len, cap;
	bool too_big, timed_out;
	int64_t start_us;
	vg_hub_principal_t who;
	bool has_who;
	vg_hub_db_t *db;
	size_t db_slot;
	char peer[64];
	vg_ip_t peer_ip;
	vg_hub_resp_t resp;
};

static void logf_(vg_hub_t *h, int sev, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void logf_(vg_hub_t *h, int sev, const char *fmt, ...)
{
	if (!h->log)
		return;
	char m[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	h->log(h->log_ctx, sev, m);
}

static int64_t now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* ---- routes ---- */

int vg_hub_route_add(vg_hub_t *hub, const char *method, const char *path_prefix,
		     vg_hub_handler_fn handler, unsigned flags)
{
	if (!hub || !method || !path_prefix || path_prefix[0] != '/' || !handler)
		return VG_EINVAL;
	if (hub->n_routes >= VG_HUB_MAX_ROUTES)
		return VG_ELIMIT;
	route_t *r = &hub->routes[hub->n_routes++];
	r->method = method;
	r->prefix = path_prefix;
	r->plen = strlen(path_prefix);
	r->fn = handler;
	r->flags = flags;
	return 0;
}

static bool route_matches(const route_t *r, const char *path)
{
	size_t n = strlen(path);
	if (r->flags & VG_HUB_ROUTE_EXACT) {
		size_t pl = r->plen;
		if (pl > 1 && r->prefix[pl - 1] == '/')
			pl--;
		size_t ql = n;
		if (ql > 1 && path[ql - 1] == '/')
			ql--;
		return pl == ql && strncmp(r->prefix, path, pl) == 0;
	}
	if (n < r->plen)
		/* "/feeds" matches the route "/feeds/" */
		return n + 1 == r->plen && r->prefix[n] == '/' && strncmp(r->prefix, path, n) == 0;
	return strncmp(r->prefix, path, r->plen) == 0;
}

/* find_route: the best route for path and method; *wrong_method when only
 * another method's route matches. */
static const route_t *find_route(vg_hub_t *h, const char *method, const char *path,
				 bool *wrong_method)
{
	const route_t *best = NULL;
	*wrong_method = false;
	for (size_t i = 0; i < h->n_routes; i++) {
		const route_t *r = &h->routes[i];
		if (!route_matches(r, path))
			continue;
		bool m = strcmp(r->method, "*") == 0 || strcmp(r->method, method) == 0 ||
			 (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0);
		if (!m) {
			*wrong_method = true;
			continue;
		}
		if (!best || r->plen > best->plen)
			best = r;
	}
	if (best)
		*wrong_method = false;
	return best;
}

/* ---- pool ---- */

static vg_hub_db_t *pool_get(vg_hub_t *h, size_t *slot)
{
	pthread_mutex_lock(&h->mu);
	for (;;) {
		for (size_t i = 0; i < h->n_pool; i++) {
			if (!h->busy[i]) {
				h->busy[i] = true;
				pthread_mutex_unlock(&h->mu);
				*slot = i;
				return h->pool[i];
			}
		}
		pthread_cond_wait(&h->cv, &h->mu);
	}
}

static void pool_put(vg_hub_t *h, size_t slot)
{
	pthread_mutex_lock(&h->mu);
	h->busy[slot] = false;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

/* ---- request accessors ---- */

vg_hub_t *vg_hub_req_hub(vg_hub_req_t *req)
{
	return req->hub;
}
const char *vg_hub_req_method(const vg_hub_req_t *req)
{
	return req->method;
}
const char *vg_hub_req_path(const vg_hub_req_t *req)
{
	return req->path;
}
const char *vg_hub_req_tail(const vg_hub_req_t *req)
{
	return req->tail ? req->tail : "";
}
const char *vg_hub_req_query(const vg_hub_req_t *req, const char *name)
{
	const char *v = MHD_lookup_connection_value(req->c, MHD_GET_ARGUMENT_KIND, name);
	if (!v) {
		/* a key without value is stored with a NULL value: tell it apart */
		bool present = MHD_lookup_connection_value_n(req->c, MHD_GET_ARGUMENT_KIND, name,
							     strlen(name), NULL, NULL) == MHD_YES;
		return present ? "" : NULL;
	}
	return v;
}
const char *vg_hub_req_header(const vg_hub_req_t *req, const char *name)
{
	return MHD_lookup_connection_value(req->c, MHD_HEADER_KIND, name);
}
const char *vg_hub_req_body(const vg_hub_req_t *req, size_t *len)
{
	if (len)
		*len = req->len;
	return req->body ? req->body : "";
}
const char *vg_hub_req_peer(const vg_hub_req_t *req)
{
	return req->peer;
}
const vg_ip_t *vg_hub_req_peer_ip(const vg_hub_req_t *req)
{
	return &req->peer_ip;
}
const vg_hub_principal_t *vg_hub_req_principal(const vg_hub_req_t *req)
{
	return req->has_who ? &req->who : NULL;
}
vg_hub_db_t *vg_hub_req_db(vg_hub_req_t *req)
{
	if (!req->db)
		req->db = pool_get(req->hub, &req->db_slot);
	return req->db;
}
int64_t vg_hub_req_now(const vg_hub_req_t *req)
{
	return req->start_us;
}

const vg_sign_seckey_t *vg_hub_feed_key(const vg_hub_t *hub)
{
	return hub->cfg.feed_key;
}
const char *vg_hub_www_dir(const vg_hub_t *hub)
{
	return hub->cfg.www;
}
size_t vg_hub_max_body(const vg_hub_t *hub)
{
	return hub->cfg.max_body;
}

int vg_hub_require(vg_hub_req_t *req, unsigned roles)
{
	if (!req->has_who) {
		vg_hub_resp_header(&req->resp, "WWW-Authenticate", "Bearer");
		vg_hub_resp_error(&req->resp, 401, "authentication required", NULL);
		return -1;
	}
	if (req->who.role == VG_HUB_ROLE_ADMIN || (req->who.role & roles))
		return 0;
	vg_hub_resp_error(&req->resp, 403, "this token's role may not do this", NULL);
	return -1;
}

json_t *vg_hub_req_json(vg_hub_req_t *req)
{
	json_error_t e;
	json_t *j = json_loadb(req->body ? req->body : "", req->len, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		char msg[256], where[64];
		snprintf(msg, sizeof msg, "malformed JSON: %s", e.text);
		snprintf(where, sizeof where, "line %d column %d", e.line, e.column);
		vg_hub_resp_error(&req->resp, 400, msg, where);
	}
	return j;
}

/* ---- responses ---- */

static void resp_clear_body(vg_hub_resp_t *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}

int vg_hub_resp_body_take(vg_hub_resp_t *resp, int status, const char *ctype, void *p, size_t n)
{
	resp_clear_body(resp);
	resp->status = status;
	resp->body = p;
	resp->len = n;
	snprintf(resp->ctype_buf, sizeof resp->ctype_buf, "%s", ctype ? ctype : "");
	resp->ctype = resp->ctype_buf[0] ? resp->ctype_buf : NULL;
	resp->set = true;
	return 0;
}

int vg_hub_resp_body(vg_hub_resp_t *resp, int status, const char *ctype, const void *p,
		     size_t n)
{
	char *b = malloc(n ? n : 1);
	if (!b)
		return VG_ENOMEM;
	if (n)
		memcpy(b, p, n);
	return vg_hub_resp_body_take(resp, status, ctype, b, n);
}

int vg_hub_resp_json_ct(vg_hub_resp_t *resp, int status, const char *ctype, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!s) {
		vg_hub_resp_status(resp, 503);
		return VG_ENOMEM;
	}
	return vg_hub_resp_body_take(resp, status, ctype ? ctype : "application/json", s,
				     strlen(s));
}

int vg_hub_resp_json(vg_hub_resp_t *resp, int status, json_t *j)
{
	return vg_hub_resp_json_ct(resp, status, NULL, j);
}

void vg_hub_resp_status(vg_hub_resp_t *resp, int status)
{
	resp_clear_body(resp);
	resp->status = status;
	resp->ctype = NULL;
	resp->set = true;
}

int vg_hub_resp_header(vg_hub_resp_t *resp, const char *name, const char *value)
{
	if (!name || !value || strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
		return VG_EINVAL;
	if (resp->n_headers >= MAX_RESP_HEADERS)
		return VG_ELIMIT;
	char *n = strdup(name), *v = strdup(value);
	if (!n || !v) {
		free(n);
		free(v);
		return VG_ENOMEM;
	}
	resp->hname[resp->n_headers] = n;
	resp->hval[resp->n_headers++] = v;
	return 0;
}

int vg_hub_resp_error(vg_hub_resp_t *resp, int status, const char *msg, const char *where)
{
	json_t *j = json_pack("{s:s, s:s*}", "error", msg ? msg : "", "where", where);
	return vg_hub_resp_json(resp, status, j);
}

static void resp_release(vg_hub_resp_t *r)
{
	resp_clear_body(r);
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->hname[i]);
		free(r->hval[i]);
	}
	r->n_headers = 0;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, vg_hub_resp_t *r)
{
	struct MHD_Response *mr =
		MHD_create_response_from_buffer(r->len, r->body ? r->body : (void *)"",
						r->body ? MHD_RESPMEM_MUST_FREE
							: MHD_RESPMEM_PERSISTENT);
	if (!mr)
		return MHD_NO;
	r->body = NULL; /* MHD owns it now */
	r->len = 0;
	if (r->ctype)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	for (size_t i = 0; i < r->n_headers; i++)
		MHD_add_response_header(mr, r->hname[i], r->hval[i]);
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)(r->status ? r->status : 500), mr);
	MHD_destroy_response(mr);
	return ok;
}

static enum MHD_Result quick(struct MHD_Connection *c, int status, const char *msg)
{
	vg_hub_resp_t r;
	memset(&r, 0, sizeof r);
	vg_hub_resp_error(&r, status, msg, NULL);
	if (status == 401)
		vg_hub_resp_header(&r, "WWW-Authenticate", "Bearer");
	enum MHD_Result ok = send_resp(c, &r);
	resp_release(&r);
	return ok;
}

/* ---- static files ---- */

static const char *mime_of(const char *p)
{
	const char *e = strrchr(p, '.');
	static const char *const map[][2] = {
		{".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
		{".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
		{".txt", "text/plain; charset=utf-8"}};
	for (size_t i = 0; e && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(e, map[i][0]) == 0)
			return map[i][1];
	return "application/octet-stream";
}

static int static_handler(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	const char *tail = vg_hub_req_tail(req);
	const char *www = req->hub->cfg.www;
	if (!www)
		return vg_hub_resp_error(resp, 404, "no --www directory", NULL);
	if (*tail == '/')
		tail++;
	if (!*tail)
		tail = "index.html";
	/* no "..", no hidden files, no backslashes */
	for (const char *s = tail; *s; s++)
		if ((*s == '.' && (s == tail || s[-1] == '/')) || *s == '\\')
			return vg_hub_resp_error(resp, 404, "not found", NULL);
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", www, tail) >= sizeof path)
		return vg_hub_resp_error(resp, 404, "not found", NULL);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return vg_hub_resp_error(resp, 404, "not found", NULL);
	char *data = NULL;
	size_t len = 0;
	if (vg_file_read(path, (size_t)16 << 20, &data, &len) != 0)
		return vg_hub_resp_error(resp, 404, "not found", NULL);
	vg_hub_resp_header(resp, "Cache-Control", "no-cache");
	vg_hub_resp_header(resp, "Content-Security-Policy",
			   "default-src 'self'; script-src 'self'; style-src 'self'; "
			   "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
	return vg_hub_resp_body_take(resp, 200, mime_of(path), data, len);
}

/* ---- the access handler ---- */

static void set_peer(vg_hub_req_t *req)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(req->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(req->peer, sizeof req->peer, "unknown");
	memset(&req->peer_ip, 0, sizeof req->peer_ip);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;
		vg_ip_set4(&req->peer_ip, ntohl(s4->sin_addr.s_addr));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;
		memcpy(req->peer_ip.a, &s6->sin6_addr, 16);
	} else {
		return;
	}
	vg_ip_format(&req->peer_ip, req->peer, sizeof req->peer);
}

/* authenticate: fill req->who from the Authorization header.  Returns 0
 * (no header, or valid), else the HTTP status to answer (401). */
static int authenticate(vg_hub_req_t *req, const char **why)
{
	const char *a = MHD_lookup_connection_value(req->c, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_AUTHORIZATION);
	if (!a)
		return 0;
	if (strncasecmp(a, "Bearer ", 7) != 0) {
		*why = "authorization must be Bearer";
		return 401;
	}
	const char *t = a + 7;
	while (*t == ' ')
		t++;
	vg_hub_db_t *db = vg_hub_req_db(req);
	int rc = vg_hub_db_auth(db, t, &req->peer_ip, req->start_us / 1000000, &req->who);
	switch (rc) {
	case 0:
		snprintf(req->who.peer, sizeof req->who.peer, "%s", req->peer);
		req->has_who = true;
		return 0;
	case VG_ERANGE:
		*why = "token expired";
		return 401;
	case VG_EINVAL:
		*why = "invalid token or source address not allowed for it";
		return 401;
	case VG_EIO:
		*why = "database error";
		return 500;
	default:
		*why = "invalid token";
		return 401;
	}
}

static enum MHD_Result finish(vg_hub_t *h, vg_hub_req_t *req)
{
	struct MHD_Connection *c = req->c;
	if (req->too_big)
		return quick(c, 413, "request body too large");
	if (req->timed_out)
		return quick(c, 408, "request took too long");
	bool wrong = false;
	const route_t *r = find_route(h, req->method, req->path, &wrong);
	if (!r)
		return quick(c, wrong ? 405 : 404, wrong ? "method not allowed" : "not found");
	req->tail = req->path + (strlen(req->path) >= r->plen ? r->plen : strlen(req->path));
	const char *why = NULL;
	int st = authenticate(req, &why);
	if (st)
		return quick(c, st, why);
	if (!req->has_who && !(r->flags & VG_HUB_ROUTE_PUBLIC))
		return quick(c, 401, "authentication required");
	int rc = r->fn(req, &req->resp);
	if (!req->resp.set || (rc < 0 && !req->resp.set)) {
		vg_hub_resp_error(&req->resp, rc == VG_ENOMEM ? 503 : 500,
				  rc == VG_ENOMEM ? "out of memory" : "internal error", NULL);
	}
	if (req->has_who && strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		char obj[300], det[32];
		snprintf(obj, sizeof obj, "%s %.280s", req->method, req->path);
		snprintf(det, sizeof det, "{\"status\":%d}", req->resp.status);
		vg_hub_db_audit(vg_hub_req_db(req), &req->who, "token.use", obj, det);
	}
	if (strcmp(req->method, "HEAD") == 0)
		resp_clear_body(&req->resp);
	return send_resp(c, &req->resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	vg_hub_t *h = cls;
	vg_hub_req_t *req = *con_cls;
	if (!req) {
		req = calloc(1, sizeof *req);
		if (!req)
			return MHD_NO;
		req->hub = h;
		req->c = c;
		req->method = method;
		req->path = strdup(url ? url : "/");
		req->start_us = now_us();
		if (!req->path) {
			free(req);
			return MHD_NO;
		}
		set_peer(req);
		*con_cls = req;
		atomic_fetch_add(&h->in_flight, 1);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl) {
			unsigned long long v = 0;
			bool num = *cl != 0;
			for (const char *s = cl; *s; s++) {
				if (*s < '0' || *s > '9' || v > (1ull << 50)) {
					num = false;
					break;
				}
				v = v * 10 + (unsigned)(*s - '0');
			}
			if (num && v > h->cfg.max_body)
				return quick(c, 413, "request body too large");
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (now_us() - req->start_us > (int64_t)h->cfg.timeout * 1000000)
			req->timed_out = true;
		if (req->too_big || req->timed_out)
			return MHD_YES;
		if (req->len + n > h->cfg.max_body) {
			req->too_big = true;
			free(req->body);
			req->body = NULL;
			req->len = req->cap = 0;
			return MHD_YES;
		}
		if (req->len + n + 1 > req->cap) {
			size_t cap = req->cap ? req->cap : 4096;
			while (cap < req->len + n + 1)
				cap *= 2;
			char *b = realloc(req->body, cap);
			if (!b)
				return MHD_NO;
			req->body = b;
			req->cap = cap;
		}
		memcpy(req->body + req->len, upload_data, n);
		req->len += n;
		req->body[req->len] = 0;
		return MHD_YES;
	}
	return finish(h, req);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	vg_hub_t *h = cls;
	vg_hub_req_t *req = *con_cls;
	if (!req)
		return;
	if (req->db)
		pool_put(h, req->db_slot);
	resp_release(&req->resp);
	free(req->body);
	free(req->path);
	free(req);
	*con_cls = NULL;
	atomic_fetch_sub(&h->in_flight, 1);
}

/* ---- lifecycle ---- */

int vg_hub_new(const vg_hub_cfg_t *cfg, vg_hub_log_fn log, void *log_ctx, vg_hub_t **out,
	       char *err, size_t errn)
{
	*out = NULL;
	vg_hub_t *h = calloc(1, sizeof *h);
	if (!h)
		return VG_ENOMEM;
	h->cfg = *cfg;
	if (!h->cfg.threads)
		h->cfg.threads = 4;
	if (!h->cfg.max_body)
		h->cfg.max_body = (size_t)16 << 20;
	if (!h->cfg.timeout)
		h->cfg.timeout = 30;
	if (!h->cfg.max_conns)
		h->cfg.max_conns = 256;
	h->log = log;
	h->log_ctx = log_ctx;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->n_pool = h->cfg.threads + 2;
	h->pool = calloc(h->n_pool, sizeof *h->pool);
	h->busy = calloc(h->n_pool, sizeof *h->busy);
	if (!h->pool || !h->busy) {
		vg_hub_free(h);
		return VG_ENOMEM;
	}
	for (size_t i = 0; i < h->n_pool; i++) {
		int rc = vg_hub_db_open(cfg->db_url, &h->pool[i], err, errn);
		if (rc) {
			vg_hub_free(h);
			return rc;
		}
	}
	vg_hub_routes_srv(h);
	vg_hub_route_add(h, "GET", "/dashboard/", static_handler, VG_HUB_ROUTE_PUBLIC);
	vg_hub_routes_cli(h);
	*out = h;
	return 0;
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, bool *v6, bool *loopback)
{
	memset(ss, 0, sizeof *ss);
	const char *colon = strrchr(s, ':');
	if (!colon || !colon[1])
		return VG_EINVAL;
	unsigned long port = 0;
	for (const char *p = colon + 1; *p; p++) {
		if (*p < '0' || *p > '9' || port > 65535)
			return VG_EINVAL;
		port = port * 10 + (unsigned)(*p - '0');
	}
	if (port > 65535)
		return VG_EINVAL;
	const char *a = s;
	size_t an = (size_t)(colon - s);
	if (an >= 2 && a[0] == '[' && a[an - 1] == ']') {
		a++;
		an -= 2;
	}
	vg_ip_t ip;
	if (an == 0 || vg_ip_parse(a, an, &ip))
		return VG_EINVAL;
	if (vg_ip_is4(&ip)) {
		struct sockaddr_in *s4 = (void *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		s4->sin_addr.s_addr = htonl(vg_ip_v4(&ip));
		*v6 = false;
		*loopback = (vg_ip_v4(&ip) >> 24) == 127;
	} else {
		struct sockaddr_in6 *s6 = (void *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		memcpy(&s6->sin6_addr, ip.a, 16);
		*v6 = true;
		*loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
	}
	return 0;
}

int vg_hub_start(vg_hub_t *h, unsigned *port, char *err, size_t errn)
{
	struct sockaddr_storage ss;
	bool v6 = false, loopback = false;
	if (!h->cfg.listen || parse_listen(h->cfg.listen, &ss, &v6, &loopback)) {
		snprintf(err, errn, "--listen: want ADDR:PORT or [ADDR6]:PORT, got '%s'",
			 h->cfg.listen ? h->cfg.listen : "");
		return VG_EINVAL;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO;
	bool tls = h->cfg.cert || h->cfg.key;
	if (tls) {
		if (!h->cfg.cert || !h->cfg.key) {
			snprintf(err, errn, "--cert and --key go together");
			return VG_EINVAL;
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(err, errn, "this libmicrohttpd has no TLS support");
			return VG_EINVAL;
		}
		size_t n;
		if (vg_file_read(h->cfg.cert, (size_t)1 << 20, &h->tls_cert, &n) ||
		    vg_file_read(h->cfg.key, (size_t)1 << 20, &h->tls_key, &n)) {
			snprintf(err, errn, "cannot read --cert/--key: %s", strerror(errno));
			return VG_EINVAL;
		}
		flags |= MHD_USE_TLS;
	} else if (!loopback) {
		logf_(h, 1, "serving plain HTTP on %s beyond loopback: tokens and data travel "
			    "unencrypted; use --cert/--key",
		      h->cfg.listen);
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	struct MHD_OptionItem opts[16];
	size_t k = 0;
	opts[k++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &ss};
	opts[k++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, h->cfg.threads, NULL};
	opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, h->cfg.max_conns, NULL};
	opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, h->cfg.timeout, NULL};
	opts[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed,
					    h};
	if (tls) {
		opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, h->tls_cert};
		opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls_key};
	}
	opts[k++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_ARRAY, opts,
				MHD_OPTION_END);
	if (!h->d) {
		snprintf(err, errn, "cannot listen on %s (address in use, or bad TLS files)",
			 h->cfg.listen);
		return VG_EIO;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	if (port)
		*port = di ? di->port : 0;
	return 0;
}

void vg_hub_stop(vg_hub_t *h)
{
	if (!h || !h->d || h->stopped)
		return;
	h->stopped = true;
	MHD_socket s = MHD_quiesce_daemon(h->d);
	int64_t deadline = now_us() + (int64_t)(h->cfg.shutdown_wait ? h->cfg.shutdown_wait : 10) *
						1000000;
	while (atomic_load(&h->in_flight) > 0 && now_us() < deadline)
		usleep(10000);
	MHD_stop_daemon(h->d);
	h->d = NULL;
	if (s != MHD_INVALID_SOCKET)
		close(s);
}

void vg_hub_free(vg_hub_t *h)
{
	if (!h)
		return;
	vg_hub_stop(h);
	for (size_t i = 0; h->pool && i < h->n_pool; i++)
		vg_hub_db_close(h->pool[i]);
	free(h->pool);
	free(h->busy);
	free(h->tls_cert);
	free(h->tls_key);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	free(h);
}
