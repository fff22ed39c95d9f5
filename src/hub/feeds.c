// SPDX-License-Identifier: Apache-2.0
/*
 * feeds.c — GET /feeds/{name} and /feeds/{name}.minisig: the indicator list
 * a sensor loads (`vigil watch --feed-url URL --pubkey K`), as visible to
 * the caller, in vigil's CSV export format (the header and quoting of
 * `vigil feed convert --to csv`), signed with the hub's feed key.
 *
 * What a caller sees depends only on its organisation and that org's
 * relations (parents, groups, communities): the access class, a hash of
 * those.  Rendered bytes are cached per (hub, feed, access class, seq) with
 * their ETag "<seq>-<hash of the bytes>" and signature (trusted comment
 * "feed=<name> seq=<seq> time=<published ISO 8601>", as `vigil feed sign`
 * writes it), so a poll that changed nothing costs one cheap feed-info
 * query, one hash and a header compare (-> 304).  The cache is bounded in
 * entries and bytes (least recently used out) and guarded by one mutex;
 * rendering happens outside it (two threads may render the same entry at
 * once; the second insert wins, same bytes).  A seq bump (any change of the
 * collection, hub/db.h) makes older entries of that (feed, class)
 * unreachable; they are dropped at the next insert.
 * X-Vigil-Sensor on a request records the sensor's pull (freshness): a
 * database write only when the (org, sensor, feed) pair pulls a new seq or
 * its last record is older than VG_HUB_PULL_REFRESH_S, so a polling fleet
 * does not turn the 304 path into a write per request (a small bounded
 * table remembers the last record per pair; cleared when full).
 */
#include "hub/routes_cli.h"
#include "hub/db.h"
#include "hub/hub.h"
#include "intel/sign.h"
#include "lib/buf.h"
#include "lib/hash.h"
#include "lib/timefmt.h"
#include "vigil/intel.h"

#include <jansson.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct centry {
	const vg_hub_t *hub;
	char name[VG_SIGN_FEEDNAME_MAX + 1];
	uint64_t cls;
	int64_t seq;
	char etag[64];
	char *data;   /* CSV bytes */
	size_t len;
	char *sig;    /* .minisig text, NULL without a feed key */
	size_t sig_len;
	uint64_t used; /* LRU clock */
} centry_t;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static centry_t *g_ent;
static size_t g_n, g_cap;
static uint64_t g_clock, g_bytes;
static size_t g_max_entries = VG_HUB_FEED_CACHE_ENTRIES;
static uint64_t g_max_bytes = VG_HUB_FEED_CACHE_BYTES;

void vg_hub_feeds_cache_limits(size_t entries, uint64_t bytes)
{
	pthread_mutex_lock(&g_mu);
	if (entries)
		g_max_entries = entries;
	if (bytes)
		g_max_bytes = bytes;
	pthread_mutex_unlock(&g_mu);
}

static void ent_free(centry_t *e)
{
	g_bytes -= e->len + e->sig_len;
	free(e->data);
	free(e->sig);
	*e = g_ent[--g_n];
}

void vg_hub_feeds_cache_clear(void)
{
	pthread_mutex_lock(&g_mu);
	while (g_n)
		ent_free(&g_ent[0]);
	free(g_ent);
	g_ent = NULL;
	g_cap = 0;
	pthread_mutex_unlock(&g_mu);
}

uint64_t vg_hub_access_class(const vg_hub_principal_t *p)
{
	uint64_t h = vg_hash64(&p->org_id, sizeof p->org_id, 0xfeed);
	h = vg_hash64(p->ancestors, p->n_ancestors * sizeof p->ancestors[0], h);
	h = vg_hash64(p->groups, p->n_groups * sizeof p->groups[0], h ^ 1);
	h = vg_hash64(p->anc_groups, p->n_anc_groups * sizeof p->anc_groups[0], h ^ 2);
	h = vg_hash64(p->communities, p->n_communities * sizeof p->communities[0], h ^ 3);
	return h;
}

/* ---- sensor pulls: write-behind filter ---------------------------------------------- */

#define PULLS_MAX 4096u /* power of two */

typedef struct pull {
	uint64_t key;  /* hash of (org, sensor, feed); 0 = empty */
	int64_t seq, when;
} pull_t;

static pthread_mutex_t p_mu = PTHREAD_MUTEX_INITIALIZER;
static pull_t p_tab[PULLS_MAX];
static unsigned p_n;

/* true when this pull must be written (and remembers it as written) */
static bool pull_due(int64_t org, const char *sensor, const char *feed, int64_t seq, int64_t now)
{
	uint64_t k = vg_hash64(&org, sizeof org, 0x9011);
	k = vg_hash64(sensor, strlen(sensor), k);
	k = vg_hash64(feed, strlen(feed), k ^ 0x5eed) | 1;
	bool due = true;
	pthread_mutex_lock(&p_mu);
	if (p_n >= PULLS_MAX / 2) { /* keep probes short: forget everything */
		memset(p_tab, 0, sizeof p_tab);
		p_n = 0;
	}
	unsigned i = (unsigned)k & (PULLS_MAX - 1);
	while (p_tab[i].key && p_tab[i].key != k)
		i = (i + 1) & (PULLS_MAX - 1);
	if (!p_tab[i].key) {
		p_tab[i].key = k;
		p_n++;
	} else if (p_tab[i].seq == seq && now - p_tab[i].when < VG_HUB_PULL_REFRESH_S) {
		due = false;
	}
	if (due) {
		p_tab[i].seq = seq;
		p_tab[i].when = now;
	}
	pthread_mutex_unlock(&p_mu);
	return due;
}

/* ---- rendering ----------------------------------------------------------------------- */

static void csv_field(vg_buf_t *b, const char *s, bool comma)
{
	if (comma)
		vg_buf_addc(b, ',');
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		vg_buf_adds(b, s);
		return;
	}
	vg_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			vg_buf_addc(b, '"');
		vg_buf_addc(b, *s);
	}
	vg_buf_addc(b, '"');
}

static void csv_time(vg_buf_t *b, const char *iso)
{
	vg_buf_addc(b, ',');
	int64_t t;
	if (iso && !vg_time_parse(iso, strlen(iso), &t)) {
		char tb[40];
		vg_buf_add(b, tb, vg_time_iso(t, tb, sizeof tb));
	}
}

typedef struct render {
	vg_buf_t *b;
	const char *feed;
} render_t;

static int csv_row(void *ctx, const vg_hub_feed_row_t *r)
{
	render_t *rd = ctx;
	vg_buf_t *b = rd->b;
	json_t *o = r->json ? json_loads(r->json, 0, NULL) : NULL;
	const char *desc = json_string_value(json_object_get(o, "name"));
	if (!desc)
		desc = json_string_value(json_object_get(o, "description"));
	const char *ref = NULL;
	json_t *refs = json_object_get(o, "external_references");
	for (size_t i = 0; !ref && i < json_array_size(refs); i++)
		ref = json_string_value(json_object_get(json_array_get(refs, i), "url"));
	json_t *conf = json_object_get(o, "confidence");
	csv_field(b, r->value, false);
	csv_field(b, r->type, true);
	csv_field(b, rd->feed, true);  /* source */
	csv_field(b, rd->feed, true);  /* category */
	csv_field(b, desc, true);
	csv_field(b, ref, true);
	vg_buf_addc(b, ',');
	if (json_is_integer(conf) && json_integer_value(conf) >= 0 && json_integer_value(conf) <= 100)
		vg_buf_add_i64(b, (int64_t)json_integer_value(conf));
	csv_field(b, r->tlp ? vg_tlp_name(r->tlp) : "", true);
	csv_time(b, json_string_value(json_object_get(o, "valid_from")));
	csv_time(b, json_string_value(json_object_get(o, "valid_until")));
	vg_buf_addc(b, '\n');
	json_decref(o);
	return b->oom ? VG_ENOMEM : 0;
}

/* render feed name for who into a new entry (not in the cache yet) */
static int render_entry(vg_hub_req_t *req, vg_hub_db_t *db, const char *name,
			const vg_hub_principal_t *who, centry_t *e, vg_hub_feed_info_t *info)
{
	vg_buf_t b = VG_BUF_INIT;
	render_t rd = {&b, name};
	vg_buf_adds(&b, "value,type,source,category,description,reference,confidence,tlp,"
			"valid_from,valid_until\n");
	int rc = vg_hub_db_feed_get(db, name, who, info, csv_row, &rd);
	if (!rc && b.oom)
		rc = VG_ENOMEM;
	if (rc) {
		vg_buf_release(&b);
		return rc;
	}
	e->seq = info->seq;
	e->data = b.p;
	e->len = b.len;
	snprintf(e->etag, sizeof e->etag, "\"%lld-%016llx\"", (long long)info->seq,
		 (unsigned long long)vg_hash64(b.p, b.len, (uint64_t)info->seq));
	const vg_sign_seckey_t *sk = vg_hub_feed_key(vg_hub_req_hub(req));
	if (sk) {
		char when[40], tc[160];
		vg_time_iso(info->published, when, sizeof when);
		snprintf(tc, sizeof tc, "feed=%s seq=%lld time=%s", name, (long long)info->seq, when);
		vg_buf_t s = VG_BUF_INIT;
		rc = vg_sign_sign(sk, b.p, b.len, true, tc, "signature from vigil hub feed key", &s);
		if (!rc && s.oom)
			rc = VG_ENOMEM;
		if (rc) {
			vg_buf_release(&s);
			free(e->data);
			e->data = NULL;
			return rc;
		}
		e->sig = s.p;
		e->sig_len = s.len;
	}
	return 0;
}

/* cache lookup: copies out what the response needs (under the lock) */
typedef struct got {
	char etag[64];
	char *data; /* copy, or NULL when only the etag was wanted */
	size_t len;
	bool have_sig;
} got_t;

static bool lookup(const vg_hub_t *hub, const char *name, uint64_t cls, int64_t seq, bool sig,
		   bool want_body, got_t *g)
{
	bool hit = false;
	pthread_mutex_lock(&g_mu);
	for (size_t i = 0; i < g_n; i++) {
		centry_t *e = &g_ent[i];
		if (e->hub != hub || e->cls != cls || e->seq != seq || strcmp(e->name, name))
			continue;
		e->used = ++g_clock;
		snprintf(g->etag, sizeof g->etag, "%s", e->etag);
		g->have_sig = e->sig != NULL;
		const char *src = sig ? e->sig : e->data;
		size_t n = sig ? e->sig_len : e->len;
		g->data = NULL;
		g->len = n;
		if (want_body && src && (g->data = malloc(n ? n : 1)))
			memcpy(g->data, src, n);
		hit = !want_body || !src || g->data;
		break;
	}
	pthread_mutex_unlock(&g_mu);
	return hit;
}

static void insert(const vg_hub_t *hub, const char *name, uint64_t cls, centry_t *ne)
{
	pthread_mutex_lock(&g_mu);
	for (size_t i = 0; i < g_n;) { /* same (feed, class): older seqs and a racing twin go */
		centry_t *e = &g_ent[i];
		if (e->hub == hub && e->cls == cls && !strcmp(e->name, name) && e->seq <= ne->seq)
			ent_free(e);
		else
			i++;
	}
	while (g_n && (g_n >= g_max_entries || g_bytes + ne->len + ne->sig_len > g_max_bytes)) {
		size_t old = 0;
		for (size_t i = 1; i < g_n; i++)
			if (g_ent[i].used < g_ent[old].used)
				old = i;
		ent_free(&g_ent[old]);
	}
	bool ok = ne->len + ne->sig_len <= g_max_bytes;
	if (ok && g_n == g_cap) {
		size_t nc = g_cap ? g_cap * 2 : 16;
		centry_t *nv = realloc(g_ent, nc * sizeof *nv);
		if (nv) {
			g_ent = nv;
			g_cap = nc;
		}
		ok = nv != NULL;
	}
	if (!ok) { /* too big to cache, or no memory: served once, not kept */
		free(ne->data);
		free(ne->sig);
	} else {
		ne->hub = hub;
		ne->cls = cls;
		snprintf(ne->name, sizeof ne->name, "%s", name);
		ne->used = ++g_clock;
		g_ent[g_n++] = *ne;
		g_bytes += ne->len + ne->sig_len;
	}
	pthread_mutex_unlock(&g_mu);
}

/* does If-None-Match (a list of entity tags, or "*") name etag? */
static bool etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return false;
	size_t el = strlen(etag);
	const char *p = inm;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		size_t n = strcspn(p, ",");
		size_t m = n;
		while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
			m--;
		if (m == el && !memcmp(p, etag, el))
			return true;
		p += n;
	}
	return false;
}

int vg_hub_feeds_get(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	const vg_hub_principal_t *who = vg_hub_req_principal(req);
	const char *tail = vg_hub_req_tail(req);
	char name[VG_SIGN_FEEDNAME_MAX + 1];
	size_t tl = strlen(tail);
	bool sig = tl > 8 && !strcmp(tail + tl - 8, ".minisig");
	size_t nl = sig ? tl - 8 : tl;
	if (!nl || nl > VG_SIGN_FEEDNAME_MAX || !vg_sign_feedname_ok(tail, nl))
		return vg_hub_resp_error(resp, 404, "no such feed", "path");
	memcpy(name, tail, nl);
	name[nl] = 0;
	vg_hub_db_t *db = vg_hub_req_db(req);
	if (!db)
		return VG_EIO;
	vg_hub_feed_info_t info;
	memset(&info, 0, sizeof info);
	int rc = vg_hub_db_feed_get(db, name, who, &info, NULL, NULL);
	if (rc == VG_ENOTFOUND)
		return vg_hub_resp_error(resp, 404, "no such feed", "path");
	if (rc)
		return rc;
	const char *sensor = vg_hub_req_header(req, "X-Vigil-Sensor");
	int64_t now = vg_hub_req_now(req) / 1000000;
	if (sensor && *sensor && !sig && pull_due(who->org_id, sensor, name, info.seq, now) &&
	    (rc = vg_hub_db_sensor_pull(db, who, sensor, name, info.seq, now)) && rc != VG_EINVAL)
		return rc;
	const vg_hub_t *hub = vg_hub_req_hub(req);
	uint64_t cls = vg_hub_access_class(who);
	const char *inm = vg_hub_req_header(req, "If-None-Match");
	got_t g;
	memset(&g, 0, sizeof g);
	/* cheap path: the etag alone; a hit that matches is a 304 */
	bool hit = lookup(hub, name, cls, info.seq, sig, false, &g);
	char etag[72];
	if (hit) {
		snprintf(etag, sizeof etag, "%s", g.etag);
		if (sig)
			snprintf(etag, sizeof etag, "%.*s.sig\"", (int)strlen(g.etag) - 1, g.etag);
		if (etag_matches(inm, etag)) {
			vg_hub_resp_status(resp, 304);
			vg_hub_resp_header(resp, "ETag", etag);
			return 0;
		}
		hit = lookup(hub, name, cls, info.seq, sig, true, &g);
	}
	if (!hit) {
		centry_t ne;
		memset(&ne, 0, sizeof ne);
		vg_hub_feed_info_t cur;
		memset(&cur, 0, sizeof cur);
		if ((rc = render_entry(req, db, name, who, &ne, &cur)))
			return rc == VG_ENOTFOUND ? vg_hub_resp_error(resp, 404, "no such feed", "path") : rc;
		snprintf(g.etag, sizeof g.etag, "%s", ne.etag);
		g.have_sig = ne.sig != NULL;
		const char *src = sig ? ne.sig : ne.data;
		g.len = sig ? ne.sig_len : ne.len;
		g.data = src ? malloc(g.len ? g.len : 1) : NULL;
		if (g.data)
			memcpy(g.data, src, g.len);
		bool oom = src && !g.data;
		insert(hub, name, cls, &ne); /* takes ne's buffers */
		if (oom)
			return VG_ENOMEM;
		snprintf(etag, sizeof etag, "%s", g.etag);
		if (sig)
			snprintf(etag, sizeof etag, "%.*s.sig\"", (int)strlen(g.etag) - 1, g.etag);
	}
	if (sig && !g.have_sig) {
		free(g.data);
		return vg_hub_resp_error(resp, 404, "no signature: the hub has no feed key", NULL);
	}
	if (etag_matches(inm, etag)) {
		free(g.data);
		vg_hub_resp_status(resp, 304);
		vg_hub_resp_header(resp, "ETag", etag);
		return 0;
	}
	rc = vg_hub_resp_body_take(resp, 200, sig ? "text/plain; charset=utf-8" : "text/csv; charset=utf-8",
				   g.data, g.len);
	if (rc)
		return rc;
	vg_hub_resp_header(resp, "ETag", etag);
	vg_hub_resp_header(resp, "Cache-Control", "no-cache");
	return 0;
}
