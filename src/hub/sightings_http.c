// SPDX-License-Identifier: Apache-2.0
/*
 * sightings_http.c — POST /sightings: batches of sightings from sensors
 * (`vigil watch --hub`), HUB_API.md's wire format.
 *
 * The body is parsed by jansson (vg_hub_req_json: 400 with line/column on
 * malformed JSON) and validated completely before anything is stored; the
 * first problem is answered 400 {"error":..,"where":"sightings[3].count"}.
 * Indicators are parsed with vg_ind_parse and stored in canonical form
 * (vg_ind_format) under vigil's type name, so they join the hub's indicator
 * values.  The batch is then stored in ONE transaction by
 * vg_hub_db_sightings_add, idempotent by (org, batch_id): a retry of a
 * batch the hub already committed (the reply was lost) answers 200 with
 * "duplicate":true and counts nothing again.  Runs on any worker thread;
 * everything it allocates is freed before it returns.
 */
#include "hub/routes_cli.h"
#include "hub/db.h"
#include "hub/hub.h"
#include "lib/buf.h"
#include "lib/timefmt.h"
#include "vigil/intel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SENSOR_MAX 255
#define BATCH_ID_MAX 128
#define CLASS_MAX 32
#define COUNT_MAX 1000000000LL

typedef struct verr {
	char msg[192];
	char where[64];
	int status;
} verr_t;

__attribute__((format(printf, 3, 4))) static int fail(verr_t *e, const char *where,
						       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	snprintf(e->where, sizeof e->where, "%s", where);
	if (!e->status)
		e->status = 400;
	return -1;
}

static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool id_chars(const char *s)
{
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ':'))
			return false;
	}
	return true;
}

/* the wire type names: vigil's, plus the family names cidr and ip:port */
static bool type_ok(const char *t, vg_ind_type_t got)
{
	if (!strcmp(t, "cidr"))
		return got == VG_IND_CIDR4 || got == VG_IND_CIDR6;
	if (!strcmp(t, "ip:port"))
		return got == VG_IND_IPPORT4 || got == VG_IND_IPPORT6;
	if (!strcmp(t, "ip"))
		return got == VG_IND_IPV4 || got == VG_IND_IPV6;
	return !strcmp(t, vg_ind_type_name(got));
}

static bool type_known(const char *t)
{
	static const char *const fam[] = {"cidr", "ip:port", "ip"};
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(t, fam[i]))
			return true;
	for (int i = 1; i < VG_IND__COUNT; i++)
		if (!strcmp(t, vg_ind_type_name((vg_ind_type_t)i)))
			return true;
	return false;
}

static bool class_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > CLASS_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

static vg_tlp_t tlp_of(const char *s)
{
	static const char *const names[] = {"clear", "green", "amber", "amber+strict", "red"};
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, names[i]))
			return (vg_tlp_t)(VG_TLP_CLEAR + i);
	return VG_TLP_UNSET;
}

/* a string member: required, a JSON string; *out borrowed from j */
static int get_str(json_t *obj, const char *key, const char *where, const char **out,
		   size_t *len, verr_t *e)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return fail(e, where, "missing \"%s\"", key);
	if (!json_is_string(v))
		return fail(e, where, "\"%s\" must be a string", key);
	*out = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

/* validate one sighting i into s (canonical indicator appended to arena at
 * *off) */
static int one(json_t *it, size_t i, vg_hub_sighting_t *s, vg_buf_t *arena, size_t *off,
	       vg_ind_t *ind, verr_t *e)
{
	char w[64];
	snprintf(w, sizeof w, "sightings[%zu]", i);
	if (!json_is_object(it))
		return fail(e, w, "a sighting must be an object");
	const char *v = NULL, *t = NULL, *fs = NULL, *ls = NULL, *dc = NULL, *tl = NULL;
	size_t vn = 0, tn = 0, fsn = 0, lsn = 0, dcn = 0, tln = 0;
#define FIELD(k, p, n)                                                  \
	do {                                                            \
		snprintf(w, sizeof w, "sightings[%zu].%s", i, k);       \
		if (get_str(it, k, w, &p, &n, e))                       \
			return -1;                                      \
	} while (0)
	FIELD("indicator", v, vn);
	if (!vn || vn > VG_URL_MAX + 16 || !printable(v, vn))
		return fail(e, w, "indicator must be 1-%d printable characters", VG_URL_MAX);
	FIELD("type", t, tn);
	if (!type_known(t))
		return fail(e, w, "unknown indicator type");
	const char *why = NULL;
	int r = vg_ind_parse(v, vn, VG_IND_NONE, ind, &why);
	if (r || !type_ok(t, ind->type)) {
		snprintf(w, sizeof w, "sightings[%zu].indicator", i);
		if (r)
			return fail(e, w, "not a valid indicator: %s", why ? why : "out of range");
		return fail(e, w, "indicator is a %s; type says %s", vg_ind_type_name(ind->type), t);
	}
	FIELD("first_seen", fs, fsn);
	int64_t t0, t1;
	if (vg_time_parse(fs, fsn, &t0))
		return fail(e, w, "not an ISO 8601 time");
	FIELD("last_seen", ls, lsn);
	if (vg_time_parse(ls, lsn, &t1))
		return fail(e, w, "not an ISO 8601 time");
	if (t1 < t0)
		return fail(e, w, "last_seen is before first_seen");
	snprintf(w, sizeof w, "sightings[%zu].count", i);
	json_t *c = json_object_get(it, "count");
	if (!c)
		return fail(e, w, "missing \"count\"");
	if (!json_is_integer(c))
		return fail(e, w, "\"count\" must be an integer");
	json_int_t cn = json_integer_value(c);
	if (cn < 1 || cn > COUNT_MAX)
		return fail(e, w, "count must be 1-%lld", COUNT_MAX);
	FIELD("device_class", dc, dcn);
	if (!class_ok(dc))
		return fail(e, w, "device_class must be 1-%d of [a-z0-9_-]", CLASS_MAX);
	FIELD("tlp", tl, tln);
	vg_tlp_t tlp = tlp_of(tl);
	if (!tlp)
		return fail(e, w, "tlp must be clear, green, amber, amber+strict or red");
#undef FIELD
	char canon[VG_URL_MAX + 64];
	size_t cl = vg_ind_format(ind, canon, sizeof canon);
	*off = arena->len;
	vg_buf_add(arena, canon, cl);
	vg_buf_addc(arena, 0);
	s->indicator = NULL; /* fixed up once the arena stops moving */
	s->type = vg_ind_type_name(ind->type);
	s->first_seen = t0;
	s->last_seen = t1;
	s->count = (int64_t)cn;
	s->device_class = dc;
	s->tlp = tlp;
	(void)tn;
	(void)dcn;
	(void)tln;
	return 0;
}

static int validate(json_t *j, const char *hdr_sensor, vg_hub_sighting_batch_t *b,
		    vg_hub_sighting_t **vout, vg_buf_t *arena, verr_t *e)
{
	if (!json_is_object(j))
		return fail(e, "", "the body must be a JSON object");
	const char *id = NULL, *sensor = hdr_sensor ? hdr_sensor : "";
	size_t idn = 0, sn = 0;
	if (get_str(j, "batch_id", "batch_id", &id, &idn, e))
		return -1;
	if (!idn || idn > BATCH_ID_MAX || !id_chars(id))
		return fail(e, "batch_id", "batch_id must be 1-%d of [A-Za-z0-9._:-]", BATCH_ID_MAX);
	if (json_object_get(j, "sensor")) {
		if (get_str(j, "sensor", "sensor", &sensor, &sn, e))
			return -1;
		if (sn > SENSOR_MAX || !printable(sensor, sn))
			return fail(e, "sensor", "sensor must be at most %d printable characters",
				    SENSOR_MAX);
	}
	json_t *arr = json_object_get(j, "sightings");
	if (!arr)
		return fail(e, "sightings", "missing \"sightings\"");
	if (!json_is_array(arr))
		return fail(e, "sightings", "\"sightings\" must be an array");
	size_t n = json_array_size(arr);
	if (!n)
		return fail(e, "sightings", "\"sightings\" is empty");
	if (n > VG_HUB_SIGHTINGS_MAX) {
		e->status = 413;
		return fail(e, "sightings", "more than %u sightings in one batch",
			    (unsigned)VG_HUB_SIGHTINGS_MAX);
	}
	vg_hub_sighting_t *v = calloc(n, sizeof *v);
	size_t *offs = calloc(n, sizeof *offs);
	vg_ind_t *ind = malloc(sizeof *ind);
	int rc = 0;
	if (!v || !offs || !ind) {
		e->status = 503;
		rc = fail(e, "", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = one(json_array_get(arr, i), i, &v[i], arena, &offs[i], ind, e);
	if (!rc && arena->oom) {
		e->status = 503;
		rc = fail(e, "", "out of memory");
	}
	if (!rc) {
		for (size_t i = 0; i < n; i++)
			v[i].indicator = arena->p + offs[i];
		b->batch_id = id;
		b->sensor = sensor;
		b->v = v;
		b->n = n;
		*vout = v;
		v = NULL;
	}
out:
	free(v);
	free(offs);
	free(ind);
	return rc;
}

static bool json_ctype(const char *ct)
{
	if (!ct)
		return false;
	size_t n = strcspn(ct, ";");
	while (n && ct[n - 1] == ' ')
		n--;
	return n == 16 && !strncasecmp(ct, "application/json", 16);
}

int vg_hub_sightings_post(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_SENSOR | VG_HUB_ROLE_PUBLISHER))
		return 0;
	if (!json_ctype(vg_hub_req_header(req, "Content-Type")))
		return vg_hub_resp_error(resp, 415, "Content-Type must be application/json", NULL);
	json_t *j = vg_hub_req_json(req);
	if (!j)
		return 0; /* 400 written */
	vg_hub_sighting_batch_t b;
	memset(&b, 0, sizeof b);
	vg_hub_sighting_t *v = NULL;
	vg_buf_t arena = VG_BUF_INIT;
	verr_t e;
	memset(&e, 0, sizeof e);
	int rc;
	if (validate(j, vg_hub_req_header(req, "X-Vigil-Sensor"), &b, &v, &arena, &e)) {
		rc = vg_hub_resp_error(resp, e.status, e.msg, e.where[0] ? e.where : NULL);
		goto out;
	}
	vg_hub_db_t *db = vg_hub_req_db(req);
	if (!db) {
		rc = VG_EIO;
		goto out;
	}
	vg_hub_sighting_result_t res;
	memset(&res, 0, sizeof res);
	rc = vg_hub_db_sightings_add(db, vg_hub_req_principal(req), &b, &res);
	if (rc)
		goto out;
	json_t *o = json_object();
	json_object_set_new(o, "batch_id", json_string(b.batch_id));
	json_object_set_new(o, "accepted", json_integer((json_int_t)res.accepted));
	json_object_set_new(o, "duplicate", json_boolean(res.duplicate));
	rc = vg_hub_resp_json(resp, 200, o);
out:
	free(v);
	vg_buf_release(&arena);
	json_decref(j);
	return rc;
}
