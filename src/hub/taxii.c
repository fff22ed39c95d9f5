// SPDX-License-Identifier: Apache-2.0
/*
 * taxii.c — TAXII 2.1 over the hub's store: discovery (/taxii2/), one API
 * root (/taxii2/vigil/), collections, objects (GET, POST), manifest,
 * objects/{id}, objects/{id}/versions and status/{id}.
 *
 * Media type application/taxii+json;version=2.1: a request whose Accept
 * does not allow it gets 406, a POST whose Content-Type is not it gets 415
 * (TAXII error messages: {"title","description","http_status"}).
 * Filters: added_after (exclusive, microseconds), limit (1..1000, default
 * 100), next (opaque cursor: the last seq returned), match[id|type|version|
 * spec_version] (comma-separated).  Every read goes through
 * vg_hub_db_objects_query, which applies the access function in SQL.
 *
 * POST takes an envelope {"objects":[...]} (or a STIX bundle).  Each
 * object is validated alone: type, id "<type>--<uuid>", spec_version
 * "2.1", created/modified timestamps, and for indicators pattern,
 * pattern_type, valid_from and — for pattern_type stix — the pattern
 * through vigil's own STIX reader (src/intel/feed_stix.c, via
 * vg_feed_load_mem), which also yields the indicator values stored for
 * feeds and search.  TLP comes from object_marking_refs (TLP 2.0 and 1.0
 * marking-definition ids; none: AMBER); recipients from the custom
 * property x_vigil_recipients ["org:NAME" | "group:NAME", ...].  Rejects
 * are listed per object in the status resource; the POST answers 202 with
 * it.  The poster's org owns what it posts.
 */
#include "hub/routes.h"

#include "hub/db.h"
#include "lib/buf.h"
#include "lib/timefmt.h"
#include "vigil/intel.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAXII_CT "application/taxii+json;version=2.1"
#define STIX_CT "application/stix+json;version=2.1"
#define ROOT "/taxii2/vigil/"
#define MAX_LIMIT 1000
#define DEFAULT_LIMIT 100
#define MAX_POST_OBJECTS 10000

/* TLP marking-definition ids (TLP 2.0 extension; TLP 1.0 of STIX 2.1 §7.2.1.4). */
static const struct {
	const char *id;
	vg_tlp_t tlp;
} tlp_ids[] = {
	{"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", VG_TLP_CLEAR},
	{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", VG_TLP_GREEN},
	{"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", VG_TLP_AMBER},
	{"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", VG_TLP_AMBER_STRICT},
	{"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", VG_TLP_RED},
	{"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", VG_TLP_CLEAR},
	{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", VG_TLP_GREEN},
	{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", VG_TLP_AMBER},
	{"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", VG_TLP_RED},
};

/* ---- helpers ---- */

static int taxii_error(vg_hub_resp_t *resp, int status, const char *title, const char *desc)
{
	char st[8];
	snprintf(st, sizeof st, "%d", status);
	json_t *j = json_pack("{s:s, s:s*, s:s}", "title", title, "description", desc,
			      "http_status", st);
	return vg_hub_resp_json_ct(resp, status, TAXII_CT, j);
}

/* media_ok: does the header value h name the TAXII 2.1 media type
 * (optionally without version; parameters and spaces tolerated)? */
static bool media_is_taxii(const char *h, size_t n)
{
	while (n && (*h == ' ' || *h == '\t'))
		h++, n--;
	const char *mt = "application/taxii+json";
	size_t ml = strlen(mt);
	if (n < ml || strncasecmp(h, mt, ml) != 0)
		return false;
	const char *p = h + ml;
	size_t rest = n - ml;
	while (rest && (*p == ' ' || *p == '\t'))
		p++, rest--;
	if (!rest)
		return true;
	if (*p != ';')
		return false;
	p++, rest--;
	while (rest && (*p == ' ' || *p == '\t'))
		p++, rest--;
	while (rest && (p[rest - 1] == ' ' || p[rest - 1] == '\t'))
		rest--;
	return rest == 11 && strncasecmp(p, "version=2.1", 11) == 0;
}

static bool accept_ok(vg_hub_req_t *req)
{
	const char *a = vg_hub_req_header(req, "Accept");
	if (!a || !*a)
		return true;
	/* any element of the list that allows the type */
	while (*a) {
		size_t n = strcspn(a, ",");
		const char *e = a;
		size_t k = n;
		while (k && (*e == ' '))
			e++, k--;
		/* strip a q= parameter */
		const char *q = memmem(e, k, ";q=", 3);
		if (!q)
			q = memmem(e, k, "; q=", 4);
		size_t kk = q ? (size_t)(q - e) : k;
		if ((kk >= 3 && strncmp(e, "*/*", 3) == 0) ||
		    (kk >= 13 && strncasecmp(e, "application/*", 13) == 0) || media_is_taxii(e, kk))
			return true;
		a += n;
		if (*a)
			a++;
	}
	return false;
}

static size_t fmt_us(int64_t us, char *b, size_t n)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t k = strftime(b, n, "%Y-%m-%dT%H:%M:%S", &tm);
	k += (size_t)snprintf(b + k, n - k, ".%06lldZ", (long long)(us % 1000000));
	return k;
}

/* parse_us: a STIX/RFC 3339 timestamp to microseconds. */
static int parse_us(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	int64_t sec;
	if (n < 10 || n > 64 || vg_time_parse(s, n, &sec))
		return VG_EINVAL;
	int64_t frac = 0;
	const char *dot = strchr(s, '.');
	if (dot) {
		int digits = 0;
		for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++) {
			if (digits < 6) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
		}
		if (digits == 0)
			return VG_EINVAL;
		while (digits++ < 6)
			frac *= 10;
	}
	*out = sec * 1000000 + frac;
	return 0;
}

/* split: comma-separated values of query parameter name into v (at most
 * max); returns the count, or -1 when too many.  buf keeps the copies. */
static int split(const char *val, char *buf, size_t bn, const char **v, int max)
{
	if (!val)
		return 0;
	if (strlen(val) >= bn)
		return -1;
	memcpy(buf, val, strlen(val) + 1);
	int n = 0;
	char *s = buf;
	while (*s) {
		if (n == max)
			return -1;
		v[n++] = s;
		char *c = strchr(s, ',');
		if (!c)
			break;
		*c = 0;
		s = c + 1;
	}
	return n;
}

/* ---- discovery, API root, collections ---- */

static int discovery(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	if (!accept_ok(req))
		return taxii_error(resp, 406, "not acceptable", "use Accept: " TAXII_CT);
	json_t *j = json_pack("{s:s, s:s, s:s, s:[s]}", "title", "vigil hub", "description",
			      "threat sharing between authorities, provinces and providers",
			      "default", ROOT, "api_roots", ROOT);
	return vg_hub_resp_json_ct(resp, 200, TAXII_CT, j);
}

static int api_root(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	if (!accept_ok(req))
		return taxii_error(resp, 406, "not acceptable", "use Accept: " TAXII_CT);
	json_t *j = json_pack("{s:s, s:s, s:[s], s:I}", "title", "vigil", "description",
			      "the vigil hub's API root", "versions", TAXII_CT,
			      "max_content_length",
			      (json_int_t)vg_hub_max_body(vg_hub_req_hub(req)));
	return vg_hub_resp_json_ct(resp, 200, TAXII_CT, j);
}

static void coll_decorate(json_t *c, const vg_hub_principal_t *who)
{
	bool w = who && (who->role & (VG_HUB_ROLE_ADMIN | VG_HUB_ROLE_PUBLISHER));
	json_object_set_new(c, "can_read", json_true());
	json_object_set_new(c, "can_write", json_boolean(w));
	json_object_set_new(c, "media_types", json_pack("[s]", STIX_CT));
}

static int collections(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	if (!accept_ok(req))
		return taxii_error(resp, 406, "not acceptable", "use Accept: " TAXII_CT);
	json_t *a = NULL;
	int rc = vg_hub_db_collection_list(vg_hub_req_db(req), &a);
	if (rc)
		return rc;
	size_t i;
	json_t *c;
	json_array_foreach(a, i, c) coll_decorate(c, vg_hub_req_principal(req));
	json_t *j = json_array_size(a) ? json_pack("{s:o}", "collections", a) : json_object();
	if (!json_array_size(a))
		json_decref(a);
	return vg_hub_resp_json_ct(resp, 200, TAXII_CT, j);
}

/* ---- object queries ---- */

typedef struct page {
	vg_buf_t b;
	int kind; /* 0 objects, 1 manifest, 2 versions */
	int n;
	int64_t first_us, last_us, last_seq;
} page_t;

static int page_row(void *ctx, const vg_hub_obj_row_t *r)
{
	page_t *p = ctx;
	if (p->n)
		vg_buf_addc(&p->b, ',');
	if (!p->n)
		p->first_us = r->date_added_us;
	p->last_us = r->date_added_us;
	p->last_seq = r->seq;
	p->n++;
	if (p->kind == 0) {
		vg_buf_adds(&p->b, r->json);
	} else if (p->kind == 2) {
		json_t *s = json_string(r->version);
		char *t = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
		json_decref(s);
		vg_buf_adds(&p->b, t ? t : "\"\"");
		free(t);
	} else {
		char d[40];
		fmt_us(r->date_added_us, d, sizeof d);
		json_t *m = json_pack("{s:s, s:s, s:s, s:s}", "id", r->stix_id, "date_added", d,
				      "version", r->version, "media_type", STIX_CT);
		char *t = m ? json_dumps(m, JSON_COMPACT) : NULL;
		json_decref(m);
		vg_buf_adds(&p->b, t ? t : "{}");
		free(t);
	}
	return p->b.oom ? VG_ENOMEM : 0;
}

/* run_query: parse the filters, run, write the envelope.  id: the object
 * of objects/{id}[/versions] or NULL. */
static int run_query(vg_hub_req_t *req, vg_hub_resp_t *resp, int64_t coll, int kind,
		     const char *id)
{
	vg_hub_obj_query_t q = {.coll = coll, .limit = DEFAULT_LIMIT};
	const char *v;
	if ((v = vg_hub_req_query(req, "limit"))) {
		char *end;
		long long l = strtoll(v, &end, 10);
		if (!*v || *end || l < 1)
			return taxii_error(resp, 400, "bad limit", "limit must be a positive integer");
		q.limit = l > MAX_LIMIT ? MAX_LIMIT : l;
	}
	if ((v = vg_hub_req_query(req, "added_after")) && parse_us(v, &q.added_after_us))
		return taxii_error(resp, 400, "bad added_after", "want an RFC 3339 timestamp");
	if ((v = vg_hub_req_query(req, "next"))) {
		char *end;
		if (strncmp(v, "n", 1) != 0 || !v[1])
			return taxii_error(resp, 400, "bad next", "unknown cursor");
		long long s = strtoll(v + 1, &end, 16);
		if (*end || s < 0)
			return taxii_error(resp, 400, "bad next", "unknown cursor");
		q.after_seq = s;
	}
	char b1[1024], b2[1024], b3[1024], b4[1024];
	const char *ids[16], *types[16], *vers[16], *specs[16];
	int n1 = split(vg_hub_req_query(req, "match[id]"), b1, sizeof b1, ids, 16);
	int n2 = split(vg_hub_req_query(req, "match[type]"), b2, sizeof b2, types, 16);
	int n3 = split(vg_hub_req_query(req, "match[version]"), b3, sizeof b3, vers, 16);
	int n4 = split(vg_hub_req_query(req, "match[spec_version]"), b4, sizeof b4, specs, 16);
	if (n1 < 0 || n2 < 0 || n3 < 0 || n4 < 0)
		return taxii_error(resp, 400, "bad match", "at most 16 values per match filter");
	for (int i = 0; i < n3; i++) {
		int64_t t;
		if (strcmp(vers[i], "last") && strcmp(vers[i], "first") && strcmp(vers[i], "all") &&
		    parse_us(vers[i], &t))
			return taxii_error(resp, 400, "bad match[version]",
					   "want last, first, all or timestamps");
	}
	if (id) {
		ids[0] = id;
		n1 = 1;
	}
	if (kind == 2 && n3 == 0) {
		vers[0] = "all";
		n3 = 1;
	}
	q.match_id = ids;
	q.n_match_id = (size_t)n1;
	q.match_type = types;
	q.n_match_type = (size_t)n2;
	q.match_version = vers;
	q.n_match_version = (size_t)n3;
	q.match_spec = specs;
	q.n_match_spec = (size_t)n4;
	page_t p = {VG_BUF_INIT, kind, 0, 0, 0, 0};
	bool more = false;
	int rc = vg_hub_db_objects_query(vg_hub_req_db(req), vg_hub_req_principal(req), &q,
					 page_row, &p, &more);
	if (rc) {
		vg_buf_release(&p.b);
		return rc;
	}
	if (id && p.n == 0) {
		vg_buf_release(&p.b);
		return taxii_error(resp, 404, "not found", "no such object visible to you");
	}
	vg_buf_t out = VG_BUF_INIT;
	vg_buf_addf(&out, "{\"more\":%s", more ? "true" : "false");
	if (more)
		vg_buf_addf(&out, ",\"next\":\"n%llx\"", (unsigned long long)p.last_seq);
	if (p.n) {
		vg_buf_adds(&out, kind == 2 ? ",\"versions\":[" : ",\"objects\":[");
		vg_buf_add(&out, p.b.p, p.b.len);
		vg_buf_addc(&out, ']');
		char d[40];
		fmt_us(p.first_us, d, sizeof d);
		vg_hub_resp_header(resp, "X-TAXII-Date-Added-First", d);
		fmt_us(p.last_us, d, sizeof d);
		vg_hub_resp_header(resp, "X-TAXII-Date-Added-Last", d);
	}
	vg_buf_addc(&out, '}');
	vg_buf_release(&p.b);
	if (out.oom) {
		vg_buf_release(&out);
		return VG_ENOMEM;
	}
	return vg_hub_resp_body_take(resp, 200, TAXII_CT, out.p, out.len);
}

/* ---- POST objects ---- */

typedef struct diagcap {
	char first[256];
	unsigned errors, warnings;
} diagcap_t;

static void diag_cb(void *ctx, const char *file, unsigned long line, int sev, const char *msg)
{
	diagcap_t *d = ctx;
	if (sev == VG_SEV_ERROR) {
		if (!d->errors)
			snprintf(d->first, sizeof d->first, "%s", msg);
		d->errors++;
	} else {
		if (!d->errors && !d->warnings)
			snprintf(d->first, sizeof d->first, "%s", msg);
		d->warnings++;
	}
}

typedef struct valctx {
	char **v;
	size_t n, cap;
} valctx_t;

static int value_cb(void *ctx, const vg_match_t *m)
{
	valctx_t *c = ctx;
	char buf[2200];
	size_t k = vg_match_format(m, buf, sizeof buf);
	if (k >= sizeof buf)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		char **nv = realloc(c->v, cap * sizeof *nv);
		if (!nv)
			return VG_ENOMEM;
		c->v = nv;
		c->cap = cap;
	}
	char *s = NULL;
	if (asprintf(&s, "%s\t%s", vg_ind_type_name(m->type), buf) < 0)
		return VG_ENOMEM;
	c->v[c->n++] = s;
	return 0;
}

static bool id_ok(const char *id, const char *type)
{
	size_t tn = strlen(type);
	if (strncmp(id, type, tn) != 0 || strncmp(id + tn, "--", 2) != 0)
		return false;
	const char *u = id + tn + 2;
	if (strlen(u) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = u[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					 (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

typedef struct one {
	vg_hub_obj_in_t in;
	char *json;
	valctx_t vals;
	vg_hub_recipient_t rc[VG_HUB_MAX_REL];
	const char *id, *version;
	char msg[300];
	bool ok;
} one_t;

static void one_free(one_t *o)
{
	free(o->json);
	for (size_t i = 0; i < o->vals.n; i++)
		free(o->vals.v[i]);
	free(o->vals.v);
}

/* validate: check one object; fill o->in or o->msg. */
static void validate(vg_hub_db_t *db, json_t *obj, one_t *o)
{
	o->ok = false;
	if (!json_is_object(obj)) {
		snprintf(o->msg, sizeof o->msg, "not a JSON object");
		return;
	}
	const char *type = json_string_value(json_object_get(obj, "type"));
	const char *id = json_string_value(json_object_get(obj, "id"));
	const char *spec = json_string_value(json_object_get(obj, "spec_version"));
	const char *created = json_string_value(json_object_get(obj, "created"));
	const char *modified = json_string_value(json_object_get(obj, "modified"));
	o->id = id;
	o->version = modified ? modified : created;
	int64_t t;
	if (!type || !*type || strlen(type) > 250) {
		snprintf(o->msg, sizeof o->msg, "type: missing");
		return;
	}
	if (!id || !id_ok(id, type)) {
		snprintf(o->msg, sizeof o->msg, "id: want %s--<uuid>", type);
		return;
	}
	if (!spec || strcmp(spec, "2.1") != 0) {
		snprintf(o->msg, sizeof o->msg, "spec_version: want \"2.1\"");
		return;
	}
	if (!created || parse_us(created, &t)) {
		snprintf(o->msg, sizeof o->msg, "created: missing or not a timestamp");
		return;
	}
	if (strcmp(type, "marking-definition") != 0 && (!modified || parse_us(modified, &t))) {
		snprintf(o->msg, sizeof o->msg, "modified: missing or not a timestamp");
		return;
	}
	/* TLP */
	vg_tlp_t tlp = VG_TLP_UNSET;
	json_t *refs = json_object_get(obj, "object_marking_refs");
	if (refs && !json_is_array(refs)) {
		snprintf(o->msg, sizeof o->msg, "object_marking_refs: want an array");
		return;
	}
	size_t i;
	json_t *r;
	json_array_foreach(refs, i, r)
	{
		const char *s = json_string_value(r);
		for (size_t k = 0; s && k < sizeof tlp_ids / sizeof tlp_ids[0]; k++)
			if (strcmp(s, tlp_ids[k].id) == 0 && tlp_ids[k].tlp > tlp)
				tlp = tlp_ids[k].tlp;
	}
	if (tlp == VG_TLP_UNSET)
		tlp = VG_TLP_AMBER;
	/* recipients */
	size_t nr = 0;
	json_t *rl = json_object_get(obj, "x_vigil_recipients");
	if (rl && (!json_is_array(rl) || json_array_size(rl) > VG_HUB_MAX_REL)) {
		snprintf(o->msg, sizeof o->msg, "x_vigil_recipients: want at most %d strings",
			 VG_HUB_MAX_REL);
		return;
	}
	json_array_foreach(rl, i, r)
	{
		const char *s = json_string_value(r);
		int64_t rid = 0;
		int e = VG_EINVAL;
		bool grp = false;
		if (s && strncmp(s, "org:", 4) == 0)
			e = vg_hub_db_org_id(db, s + 4, &rid);
		else if (s && strncmp(s, "group:", 6) == 0)
			grp = true, e = vg_hub_db_group_id(db, s + 6, &rid);
		if (e) {
			snprintf(o->msg, sizeof o->msg,
				 "x_vigil_recipients[%zu]: want \"org:NAME\" or \"group:NAME\" of a "
				 "known org or group",
				 i);
			return;
		}
		o->rc[nr].group = grp;
		o->rc[nr++].id = rid;
	}
	/* indicators: the pattern through vigil's STIX reader */
	if (strcmp(type, "indicator") == 0) {
		const char *pat = json_string_value(json_object_get(obj, "pattern"));
		const char *pt = json_string_value(json_object_get(obj, "pattern_type"));
		const char *vf = json_string_value(json_object_get(obj, "valid_from"));
		if (!pat || !*pat) {
			snprintf(o->msg, sizeof o->msg, "pattern: missing");
			return;
		}
		if (!pt || !*pt) {
			snprintf(o->msg, sizeof o->msg, "pattern_type: missing");
			return;
		}
		if (!vf || parse_us(vf, &t)) {
			snprintf(o->msg, sizeof o->msg, "valid_from: missing or not a timestamp");
			return;
		}
		if (strcmp(pt, "stix") == 0) {
			char *one = json_dumps(obj, JSON_COMPACT);
			vg_builder_opts_t bo = {.allow_reserved = true};
			vg_builder_t *b = vg_builder_new(&bo);
			diagcap_t d;
			memset(&d, 0, sizeof d);
			vg_load_opts_t lo = {.format = VG_FMT_STIX, .diag = diag_cb, .diag_ctx = &d};
			vg_load_report_t rep;
			memset(&rep, 0, sizeof rep);
			int e = one && b ? vg_feed_load_mem(b, "object", one, strlen(one), &lo, &rep)
					 : VG_ENOMEM;
			free(one);
			vg_store_t *st = NULL;
			if (!e && !d.errors && !rep.errors)
				e = vg_builder_build(b, &st);
			vg_builder_free(b);
			if (!e && st)
				e = vg_store_foreach(st, value_cb, &o->vals);
			vg_store_free(st);
			if (d.errors || rep.errors || e) {
				const char *m = d.first;
				const char *c = strstr(m, ": ");
				snprintf(o->msg, sizeof o->msg, "pattern: %s",
					 d.first[0] ? (c && strncmp(m, id, strlen(id)) == 0 ? c + 2 : m)
						    : "cannot be read");
				return;
			}
		}
	}
	o->json = json_dumps(obj, JSON_COMPACT);
	if (!o->json) {
		snprintf(o->msg, sizeof o->msg, "out of memory");
		return;
	}
	o->in.stix_id = id;
	o->in.type = type;
	o->in.version = o->version;
	o->in.spec_version = spec;
	o->in.json = o->json;
	o->in.tlp = tlp;
	o->in.recipients = o->rc;
	o->in.n_recipients = nr;
	o->in.values = (const char *const *)o->vals.v;
	o->in.n_values = o->vals.n;
	o->ok = true;
}

static int post_objects(vg_hub_req_t *req, vg_hub_resp_t *resp, int64_t coll)
{
	if (vg_hub_require(req, VG_HUB_ROLE_PUBLISHER))
		return 0;
	if (!accept_ok(req))
		return taxii_error(resp, 406, "not acceptable", "use Accept: " TAXII_CT);
	const char *ct = vg_hub_req_header(req, "Content-Type");
	if (!ct || !media_is_taxii(ct, strlen(ct)))
		return taxii_error(resp, 415, "unsupported media type",
				   "use Content-Type: " TAXII_CT);
	json_t *env = vg_hub_req_json(req);
	if (!env)
		return 0;
	json_t *objs = json_object_get(env, "objects");
	if (!json_is_array(objs)) {
		json_decref(env);
		return taxii_error(resp, 400, "bad envelope", "want {\"objects\":[...]}");
	}
	size_t n = json_array_size(objs);
	if (n > MAX_POST_OBJECTS) {
		json_decref(env);
		return taxii_error(resp, 413, "too many objects", "at most 10000 per request");
	}
	vg_hub_db_t *db = vg_hub_req_db(req);
	one_t *v = calloc(n ? n : 1, sizeof *v);
	vg_hub_obj_in_t *in = calloc(n ? n : 1, sizeof *in);
	int *res = calloc(n ? n : 1, sizeof *res);
	size_t *map = calloc(n ? n : 1, sizeof *map);
	int rc = v && in && res && map ? 0 : VG_ENOMEM;
	size_t ok = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		validate(db, json_array_get(objs, i), &v[i]);
		if (v[i].ok) {
			in[ok] = v[i].in;
			map[ok++] = i;
		}
	}
	if (!rc && ok)
		rc = vg_hub_db_objects_add(db, vg_hub_req_principal(req), coll, in, ok, res);
	json_t *st = NULL;
	if (!rc) {
		char sid[40];
		uint8_t u[16];
		randombytes_buf(u, sizeof u);
		u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
		u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
		snprintf(sid, sizeof sid,
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
			 u[12], u[13], u[14], u[15]);
		char ts[40];
		fmt_us(vg_hub_req_now(req), ts, sizeof ts);
		json_t *succ = json_array(), *fail = json_array();
		for (size_t i = 0; i < n; i++) {
			one_t *o = &v[i];
			json_t *e = json_pack("{s:s?, s:s?}", "id", o->id, "version", o->version);
			if (o->ok) {
				if (o->vals.n == 0 && strcmp(o->in.type, "indicator") == 0)
					json_object_set_new(e, "message",
							    json_string("stored; no values vigil "
									"can match"));
				json_array_append_new(succ, e);
			} else {
				json_object_set_new(e, "message", json_string(o->msg));
				json_array_append_new(fail, e);
			}
		}
		st = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:I, s:o, s:I, s:[]}", "id", sid,
			       "status", "complete", "request_timestamp", ts, "total_count",
			       (json_int_t)n, "success_count", (json_int_t)ok, "successes", succ,
			       "failure_count", (json_int_t)(n - ok), "failures", fail,
			       "pending_count", (json_int_t)0, "pendings");
		char *s = st ? json_dumps(st, JSON_COMPACT) : NULL;
		rc = s ? vg_hub_db_status_put(db, vg_hub_req_principal(req), sid, s) : VG_ENOMEM;
		free(s);
	}
	for (size_t i = 0; v && i < n; i++)
		one_free(&v[i]);
	free(v);
	free(in);
	free(res);
	free(map);
	json_decref(env);
	if (rc) {
		json_decref(st);
		return rc;
	}
	return vg_hub_resp_json_ct(resp, 202, TAXII_CT, st);
}

/* ---- the collection dispatcher ---- */

static int coll_dispatch(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	const char *tail = vg_hub_req_tail(req);
	char part[4][200];
	int np = 0;
	while (*tail && np < 4) {
		size_t n = strcspn(tail, "/");
		if (n == 0 || n >= sizeof part[0])
			return taxii_error(resp, 404, "not found", NULL);
		memcpy(part[np], tail, n);
		part[np++][n] = 0;
		tail += n;
		if (*tail == '/')
			tail++;
	}
	if (*tail || np == 0)
		return taxii_error(resp, 404, "not found", NULL);
	bool get = strcmp(vg_hub_req_method(req), "GET") == 0 ||
		   strcmp(vg_hub_req_method(req), "HEAD") == 0;
	bool post = strcmp(vg_hub_req_method(req), "POST") == 0;
	json_t *c = NULL;
	int64_t num = 0;
	int rc = vg_hub_db_collection_get(vg_hub_req_db(req), part[0], &c, &num);
	if (rc == VG_ENOTFOUND)
		return taxii_error(resp, 404, "not found", "no such collection");
	if (rc)
		return rc;
	if (np == 1 && get) {
		if (!accept_ok(req)) {
			json_decref(c);
			return taxii_error(resp, 406, "not acceptable", "use Accept: " TAXII_CT);
		}
		coll_decorate(c, vg_hub_req_principal(req));
		return vg_hub_resp_json_ct(resp, 200, TAXII_CT, c);
	}
	json_decref(c);
	if (np == 2 && strcmp(part[1], "objects") == 0) {
		if (post)
			return post_objects(req, resp, num);
		if (!get)
			return taxii_error(resp, 405, "method not allowed", NULL);
		if (!accept_ok(req))
			return taxii_error(resp, 406, "not acceptable", "use Accept: " TAXII_CT);
		return run_query(req, resp, num, 0, NULL);
	}
	if (!get)
		return taxii_error(resp, 405, "method not allowed", NULL);
	if (!accept_ok(req))
		return taxii_error(resp, 406, "not acceptable", "use Accept: " TAXII_CT);
	if (np == 2 && strcmp(part[1], "manifest") == 0)
		return run_query(req, resp, num, 1, NULL);
	if (np == 3 && strcmp(part[1], "objects") == 0)
		return run_query(req, resp, num, 0, part[2]);
	if (np == 4 && strcmp(part[1], "objects") == 0 && strcmp(part[3], "versions") == 0)
		return run_query(req, resp, num, 2, part[2]);
	return taxii_error(resp, 404, "not found", NULL);
}

static int status(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	if (!accept_ok(req))
		return taxii_error(resp, 406, "not acceptable", "use Accept: " TAXII_CT);
	char id[64];
	const char *t = vg_hub_req_tail(req);
	size_t n = strcspn(t, "/");
	if (n == 0 || n >= sizeof id || (t[n] && strcmp(t + n, "/") != 0))
		return taxii_error(resp, 404, "not found", NULL);
	memcpy(id, t, n);
	id[n] = 0;
	char *js = NULL;
	int rc = vg_hub_db_status_get(vg_hub_req_db(req), vg_hub_req_principal(req), id, &js);
	if (rc == VG_ENOTFOUND)
		return taxii_error(resp, 404, "not found", "no such status");
	if (rc)
		return rc;
	return vg_hub_resp_body_take(resp, 200, TAXII_CT, js, strlen(js));
}

void vg_hub_routes_taxii(vg_hub_t *hub)
{
	vg_hub_route_add(hub, "GET", "/taxii2/", discovery, VG_HUB_ROUTE_EXACT);
	vg_hub_route_add(hub, "GET", ROOT, api_root, VG_HUB_ROUTE_EXACT);
	vg_hub_route_add(hub, "GET", ROOT "collections/", collections, VG_HUB_ROUTE_EXACT);
	vg_hub_route_add(hub, "*", ROOT "collections/", coll_dispatch, 0);
	vg_hub_route_add(hub, "GET", ROOT "status/", status, 0);
}
