// SPDX-License-Identifier: Apache-2.0
/*
 * export.c — write a store as plain, CSV, STIX 2.1, Zeek Intel, Suricata
 * (IP reputation + datasets) or an nftables script (vigil/export.h).
 *
 * Sits after the builder: `vigil feed convert` and `merge` load feeds into a
 * store and hand it here.  Every format walks vg_store_foreach, so output
 * order is the store's deterministic order and the same store always gives
 * the same bytes (STIX ids are UUIDv5 of the value and its source and
 * category under a fixed vigil namespace).  Values come out canonical
 * (vg_match_format): URLs have no scheme, except in STIX, whose url:value
 * needs one ("http://" is written; vigil matches http and https alike).
 * nftables interval sets refuse overlapping elements, so an address or
 * network inside another listed network is left out (counted in covered).
 * Library code: never prints; all output goes to the caller's vg_buf_t.
 * Reentrant; temporary memory is freed before returning.
 */
#include "vigil/export.h"

#include "intel/store_int.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/timefmt.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define VAL_MAX (VG_URL_MAX + 64)

static const char *const fmt_names[VG_EXPORT__COUNT] = {
	"plain", "csv", "stix2", "zeek-intel", "suricata", "nftables",
};

const char *vg_export_fmt_name(vg_export_fmt_t f)
{
	return (unsigned)f < VG_EXPORT__COUNT ? fmt_names[f] : "?";
}

int vg_export_fmt_parse(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < VG_EXPORT__COUNT; i++)
		if (!strcmp(s, fmt_names[i]))
			return i;
	if (!strcmp(s, "stix"))
		return VG_EXPORT_STIX2;
	if (!strcmp(s, "zeek"))
		return VG_EXPORT_ZEEK;
	if (!strcmp(s, "nft"))
		return VG_EXPORT_NFTABLES;
	return -1;
}

typedef struct ex {
	const vg_store_t *s;
	vg_buf_t *out;
	vg_export_report_t *rep;
	const char *producer;
	char identity[64];
	char prev[VAL_MAX]; /* plain: last value written */
	size_t prev_len;
	bool have_prev;
	unsigned tlp_used; /* bit per vg_tlp_t */
} ex_t;

static size_t value_of(const vg_match_t *m, char *buf)
{
	size_t n = vg_match_format(m, buf, VAL_MAX);
	if (n >= VAL_MAX)
		n = VAL_MAX - 1;
	buf[n] = 0;
	return n;
}

static void meta_of(const ex_t *e, const vg_match_t *m, vg_meta_t *mt)
{
	if (vg_store_meta(e->s, m->meta, mt)) {
		memset(mt, 0, sizeof *mt);
		mt->source = mt->category = mt->description = mt->reference = "";
		mt->confidence = -1;
	}
}

/* ---- plain ------------------------------------------------------------------- */

static int plain_row(void *ctx, const vg_match_t *m)
{
	ex_t *e = ctx;
	char v[VAL_MAX];
	size_t n = value_of(m, v);
	if (e->have_prev && n == e->prev_len && !memcmp(v, e->prev, n))
		return 0;
	memcpy(e->prev, v, n);
	e->prev_len = n;
	e->have_prev = true;
	vg_buf_add(e->out, v, n);
	vg_buf_addc(e->out, '\n');
	e->rep->written++;
	return 0;
}

/* ---- csv ------------------------------------------------------------------------- */

static void csv_field(vg_buf_t *b, const char *s, bool comma)
{
	if (comma)
		vg_buf_addc(b, ',');
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

static void csv_time(vg_buf_t *b, int64_t t)
{
	vg_buf_addc(b, ',');
	if (t) {
		char tb[40];
		vg_buf_add(b, tb, vg_time_iso(t, tb, sizeof tb));
	}
}

static int csv_row(void *ctx, const vg_match_t *m)
{
	ex_t *e = ctx;
	char v[VAL_MAX];
	vg_meta_t mt;
	value_of(m, v);
	meta_of(e, m, &mt);
	vg_buf_t *b = e->out;
	csv_field(b, v, false);
	csv_field(b, vg_ind_type_name(m->type), true);
	csv_field(b, mt.source, true);
	csv_field(b, mt.category, true);
	csv_field(b, mt.description, true);
	csv_field(b, mt.reference, true);
	vg_buf_addc(b, ',');
	if (mt.confidence >= 0)
		vg_buf_add_i64(b, mt.confidence);
	csv_field(b, vg_tlp_name(mt.tlp), true);
	csv_time(b, mt.valid_from);
	csv_time(b, mt.valid_until);
	vg_buf_addc(b, '\n');
	e->rep->written++;
	return 0;
}

/* ---- STIX 2.1 -------------------------------------------------------------------- */

/* A fixed namespace for vigil's UUIDv5 ids. */
static const uint8_t vigil_ns[16] = {0x3c, 0x1d, 0x8e, 0x52, 0x6b, 0x0f, 0x4a, 0x77,
				     0x9d, 0x2e, 0x51, 0xa4, 0xc8, 0x06, 0xf3, 0x19};

/* uuid5: "<prefix>--<uuid>" of name (RFC 9562 §5.5) into out (>= 64 bytes). */
static int uuid5(const char *prefix, const char *name, size_t n, char *out, size_t outn)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdl = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c)
		return VG_ENOMEM;
	int ok = EVP_DigestInit_ex(c, EVP_sha1(), NULL) && EVP_DigestUpdate(c, vigil_ns, 16) &&
		 EVP_DigestUpdate(c, name, n) && EVP_DigestFinal_ex(c, md, &mdl);
	EVP_MD_CTX_free(c);
	if (!ok || mdl < 16)
		return VG_ENOMEM;
	md[6] = (uint8_t)((md[6] & 0x0f) | 0x50);
	md[8] = (uint8_t)((md[8] & 0x3f) | 0x80);
	static const char hx[] = "0123456789abcdef";
	char u[37];
	size_t k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			u[k++] = '-';
		u[k++] = hx[md[i] >> 4];
		u[k++] = hx[md[i] & 15];
	}
	u[k] = 0;
	snprintf(out, outn, "%s--%s", prefix, u);
	return 0;
}

static const struct {
	const char *id, *name, *value;
} tlp2[] = {
	[VG_TLP_CLEAR] = {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR",
			  "clear"},
	[VG_TLP_GREEN] = {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN",
			  "green"},
	[VG_TLP_AMBER] = {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER",
			  "amber"},
	[VG_TLP_AMBER_STRICT] = {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
				 "TLP:AMBER+STRICT", "amber+strict"},
	[VG_TLP_RED] = {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED",
			"red"},
};
#define TLP2_EXT "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

static int tlp_scan(void *ctx, const vg_match_t *m)
{
	ex_t *e = ctx;
	vg_meta_t mt;
	meta_of(e, m, &mt);
	if (mt.tlp > VG_TLP_UNSET && mt.tlp <= VG_TLP_RED)
		e->tlp_used |= 1u << mt.tlp;
	return 0;
}

/* STIX pattern string literal: ' and \ escaped. */
static void pat_str(vg_buf_t *b, const char *s, size_t n)
{
	vg_buf_addc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'' || s[i] == '\\')
			vg_buf_addc(b, '\\');
		vg_buf_addc(b, s[i]);
	}
	vg_buf_addc(b, '\'');
}

static void pattern_of(const vg_match_t *m, const char *v, size_t vn, vg_buf_t *p)
{
	switch (m->type) {
	case VG_IND_IPV4:
	case VG_IND_CIDR4:
		vg_buf_adds(p, "[ipv4-addr:value = ");
		pat_str(p, v, vn);
		break;
	case VG_IND_IPV6:
	case VG_IND_CIDR6:
		vg_buf_adds(p, "[ipv6-addr:value = ");
		pat_str(p, v, vn);
		break;
	case VG_IND_IPPORT4:
	case VG_IND_IPPORT6: {
		char ip[64];
		size_t il = vg_ip_format(&m->ip, ip, sizeof ip);
		bool v4 = m->type == VG_IND_IPPORT4;
		vg_buf_adds(p, v4 ? "[network-traffic:dst_ref.type = 'ipv4-addr'"
				  : "[network-traffic:dst_ref.type = 'ipv6-addr'");
		vg_buf_adds(p, " AND network-traffic:dst_ref.value = ");
		pat_str(p, ip, il);
		vg_buf_addf(p, " AND network-traffic:dst_port = %u", (unsigned)m->port);
		break;
	}
	case VG_IND_DOMAIN:
		vg_buf_adds(p, "[domain-name:value = ");
		pat_str(p, v, vn);
		break;
	case VG_IND_URL: {
		vg_buf_adds(p, "[url:value = ");
		vg_buf_t u = VG_BUF_INIT;
		vg_buf_adds(&u, "http://");
		vg_buf_add(&u, v, vn);
		pat_str(p, u.p ? u.p : "", u.len);
		vg_buf_release(&u);
		break;
	}
	case VG_IND_MD5: vg_buf_adds(p, "[file:hashes.MD5 = "); pat_str(p, v, vn); break;
	case VG_IND_SHA1: vg_buf_adds(p, "[file:hashes.'SHA-1' = "); pat_str(p, v, vn); break;
	case VG_IND_SHA256: vg_buf_adds(p, "[file:hashes.'SHA-256' = "); pat_str(p, v, vn); break;
	default: break;
	}
	vg_buf_addc(p, ']');
}

/* STIX timestamps: RFC 3339 UTC with milliseconds ("...T00:00:00.000Z"). */
static void stix_time(vg_jw_t *w, const char *k, int64_t t)
{
	char tb[48];
	size_t n = vg_time_iso(t, tb, sizeof tb - 4);
	if (n && tb[n - 1] == 'Z')
		memcpy(tb + n - 1, ".000Z", 6);
	vg_jw_kstr(w, k, tb);
}

static int stix_row(void *ctx, const vg_match_t *m)
{
	ex_t *e = ctx;
	char v[VAL_MAX];
	size_t vn = value_of(m, v);
	vg_meta_t mt;
	meta_of(e, m, &mt);
	vg_buf_t pat = VG_BUF_INIT, name = VG_BUF_INIT;
	pattern_of(m, v, vn, &pat);
	/* the id names the value and the meta's source and category */
	vg_buf_addf(&name, "%s|%s|%s|%s", vg_ind_type_name(m->type), v, mt.source, mt.category);
	char id[96];
	int rc = pat.p && name.p ? uuid5("indicator", name.p, name.len, id, sizeof id) : VG_ENOMEM;
	if (!rc) {
		vg_buf_adds(e->out, ",\n");
		vg_jw_t w;
		vg_jw_init(&w, e->out);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "type", "indicator");
		vg_jw_kstr(&w, "spec_version", "2.1");
		vg_jw_kstr(&w, "id", id);
		vg_jw_kstr(&w, "created_by_ref", e->identity);
		stix_time(&w, "created", mt.valid_from);
		stix_time(&w, "modified", mt.valid_from);
		if (*mt.description)
			vg_jw_kstr(&w, "description", mt.description);
		if (*mt.category) {
			vg_jw_key(&w, "indicator_types");
			vg_jw_arr(&w);
			vg_jw_str(&w, mt.category);
			vg_jw_end(&w);
		}
		vg_jw_kstrn(&w, "pattern", pat.p, pat.len);
		vg_jw_kstr(&w, "pattern_type", "stix");
		stix_time(&w, "valid_from", mt.valid_from);
		if (mt.valid_until)
			stix_time(&w, "valid_until", mt.valid_until);
		if (mt.confidence >= 0)
			vg_jw_kint(&w, "confidence", mt.confidence);
		if (*mt.source || *mt.reference) {
			vg_jw_key(&w, "external_references");
			vg_jw_arr(&w);
			vg_jw_obj(&w);
			vg_jw_kstr(&w, "source_name", *mt.source ? mt.source : "reference");
			if (*mt.reference)
				vg_jw_kstr(&w, "url", mt.reference);
			vg_jw_end(&w);
			vg_jw_end(&w);
		}
		if (mt.tlp > VG_TLP_UNSET && mt.tlp <= VG_TLP_RED) {
			vg_jw_key(&w, "object_marking_refs");
			vg_jw_arr(&w);
			vg_jw_str(&w, tlp2[mt.tlp].id);
			vg_jw_end(&w);
		}
		vg_jw_end(&w);
		e->rep->written++;
	}
	vg_buf_release(&pat);
	vg_buf_release(&name);
	return rc;
}

static int export_stix(ex_t *e)
{
	const char *prod = e->producer && *e->producer ? e->producer : "vigil";
	char bundle[96];
	int rc = uuid5("identity", prod, strlen(prod), e->identity, sizeof e->identity);
	if (!rc) {
		vg_buf_t n = VG_BUF_INIT;
		vg_buf_addf(&n, "bundle|%s", prod);
		rc = n.p ? uuid5("bundle", n.p, n.len, bundle, sizeof bundle) : VG_ENOMEM;
		vg_buf_release(&n);
	}
	if (!rc)
		rc = vg_store_foreach(e->s, tlp_scan, e);
	if (rc)
		return rc;
	vg_buf_t *b = e->out;
	vg_buf_addf(b, "{\"type\":\"bundle\",\"id\":\"%s\",\"objects\":[\n", bundle);
	vg_jw_t w;
	vg_jw_init(&w, b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "type", "identity");
	vg_jw_kstr(&w, "spec_version", "2.1");
	vg_jw_kstr(&w, "id", e->identity);
	stix_time(&w, "created", 0);
	stix_time(&w, "modified", 0);
	vg_jw_kstr(&w, "name", prod);
	vg_jw_kstr(&w, "identity_class", "organization");
	vg_jw_end(&w);
	for (int t = VG_TLP_CLEAR; t <= VG_TLP_RED; t++) {
		if (!(e->tlp_used & 1u << t))
			continue;
		vg_buf_adds(b, ",\n");
		vg_jw_init(&w, b);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "type", "marking-definition");
		vg_jw_kstr(&w, "spec_version", "2.1");
		vg_jw_kstr(&w, "id", tlp2[t].id);
		vg_jw_kstr(&w, "created", "2022-10-01T00:00:00.000Z");
		vg_jw_kstr(&w, "name", tlp2[t].name);
		vg_jw_key(&w, "extensions");
		vg_jw_obj(&w);
		vg_jw_key(&w, TLP2_EXT);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "extension_type", "property-extension");
		vg_jw_kstr(&w, "tlp_2_0", tlp2[t].value);
		vg_jw_end(&w);
		vg_jw_end(&w);
		vg_jw_end(&w);
	}
	rc = vg_store_foreach(e->s, stix_row, e);
	vg_buf_adds(b, "\n]}\n");
	return rc;
}

/* ---- Zeek Intel ------------------------------------------------------------------- */

static void zeek_field(vg_buf_t *b, const char *s)
{
	vg_buf_addc(b, '\t');
	if (!s || !*s) {
		vg_buf_addc(b, '-');
		return;
	}
	for (; *s; s++)
		vg_buf_addc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static int zeek_row(void *ctx, const vg_match_t *m)
{
	ex_t *e = ctx;
	const char *t;
	switch (m->type) {
	case VG_IND_IPV4:
	case VG_IND_IPV6: t = "Intel::ADDR"; break;
	case VG_IND_CIDR4:
	case VG_IND_CIDR6: t = "Intel::SUBNET"; break;
	case VG_IND_DOMAIN: t = "Intel::DOMAIN"; break;
	case VG_IND_URL: t = "Intel::URL"; break;
	case VG_IND_MD5:
	case VG_IND_SHA1:
	case VG_IND_SHA256: t = "Intel::FILE_HASH"; break;
	default: e->rep->skipped[m->type]++; return 0;
	}
	char v[VAL_MAX];
	value_of(m, v);
	vg_meta_t mt;
	meta_of(e, m, &mt);
	vg_buf_adds(e->out, v);
	vg_buf_addc(e->out, '\t');
	vg_buf_adds(e->out, t);
	zeek_field(e->out, mt.source);
	zeek_field(e->out, *mt.description ? mt.description : mt.category);
	zeek_field(e->out, mt.reference);
	vg_buf_addc(e->out, '\n');
	e->rep->written++;
	return 0;
}

/* ---- nftables ------------------------------------------------------------------------ */

typedef struct range {
	vg_u128 lo, hi;
	uint8_t prefix; /* in the v6 space */
	vg_ip_t ip;
} range_t;

typedef struct ipport {
	vg_ip_t ip;
	uint16_t port;
} ipport_t;

typedef struct nft {
	ex_t *e;
	range_t *r[2];
	size_t n[2], cap[2];
	ipport_t *p[2];
	size_t pn[2], pcap[2];
	bool oom;
} nft_t;

static int nft_row(void *ctx, const vg_match_t *m)
{
	nft_t *x = ctx;
	int fam;
	switch (m->type) {
	case VG_IND_IPV4:
	case VG_IND_CIDR4: fam = 0; break;
	case VG_IND_IPV6:
	case VG_IND_CIDR6: fam = 1; break;
	case VG_IND_IPPORT4:
	case VG_IND_IPPORT6: {
		int f = m->type == VG_IND_IPPORT6;
		if (x->pn[f] && !memcmp(&x->p[f][x->pn[f] - 1].ip, &m->ip, sizeof m->ip) &&
		    x->p[f][x->pn[f] - 1].port == m->port)
			return 0; /* same value, another meta */
		if (x->pn[f] == x->pcap[f]) {
			size_t nc = x->pcap[f] ? 2 * x->pcap[f] : 64;
			ipport_t *np = realloc(x->p[f], nc * sizeof *np);
			if (!np)
				return VG_ENOMEM;
			x->p[f] = np;
			x->pcap[f] = nc;
		}
		x->p[f][x->pn[f]++] = (ipport_t){m->ip, m->port};
		return 0;
	}
	default: x->e->rep->skipped[m->type]++; return 0;
	}
	if (x->n[fam] == x->cap[fam]) {
		size_t nc = x->cap[fam] ? 2 * x->cap[fam] : 64;
		range_t *nr = realloc(x->r[fam], nc * sizeof *nr);
		if (!nr)
			return VG_ENOMEM;
		x->r[fam] = nr;
		x->cap[fam] = nc;
	}
	range_t *r = &x->r[fam][x->n[fam]++];
	r->lo = vg_u128_of(m->ip.a);
	vg_u128 host = m->prefix >= 128 ? 0 : (((vg_u128)1) << (128 - m->prefix)) - 1;
	r->hi = r->lo | host;
	r->prefix = m->prefix;
	r->ip = m->ip;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const range_t *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi > y->hi ? -1 : 1; /* the wider first */
	return 0;
}

static void nft_set(nft_t *x, int fam)
{
	vg_buf_t *b = x->e->out;
	vg_buf_addf(b, "\tset vigil_v%c {\n\t\ttype %s\n\t\tflags interval\n", fam ? '6' : '4',
		    fam ? "ipv6_addr" : "ipv4_addr");
	range_t *r = x->r[fam];
	size_t n = x->n[fam];
	if (n > 1)
		qsort(r, n, sizeof *r, cmp_range);
	bool any = false, have_end = false;
	vg_u128 end = 0;
	for (size_t i = 0; i < n; i++) {
		if (have_end && r[i].lo <= end) {
			/* a duplicate (several metas) or inside an element already written */
			if (!(i && r[i].lo == r[i - 1].lo && r[i].hi == r[i - 1].hi))
				x->e->rep->covered++;
			continue;
		}
		vg_buf_adds(b, any ? ",\n\t\t\t" : "\t\telements = {\n\t\t\t");
		any = true;
		char ip[64];
		vg_buf_add(b, ip, vg_ip_format(&r[i].ip, ip, sizeof ip));
		if (r[i].prefix < 128)
			vg_buf_addf(b, "/%u", fam ? (unsigned)r[i].prefix : (unsigned)r[i].prefix - 96);
		x->e->rep->written++;
		end = r[i].hi;
		have_end = true;
	}
	if (any)
		vg_buf_adds(b, "\n\t\t}\n");
	vg_buf_adds(b, "\t}\n");
}

static void nft_pset(nft_t *x, int fam)
{
	vg_buf_t *b = x->e->out;
	vg_buf_addf(b, "\tset vigil_v%c_port {\n\t\ttype %s . inet_service\n", fam ? '6' : '4',
		    fam ? "ipv6_addr" : "ipv4_addr");
	for (size_t i = 0; i < x->pn[fam]; i++) {
		vg_buf_adds(b, i ? ",\n\t\t\t" : "\t\telements = {\n\t\t\t");
		char ip[64];
		vg_buf_add(b, ip, vg_ip_format(&x->p[fam][i].ip, ip, sizeof ip));
		vg_buf_addf(b, " . %u", (unsigned)x->p[fam][i].port);
		x->e->rep->written++;
	}
	if (x->pn[fam])
		vg_buf_adds(b, "\n\t\t}\n");
	vg_buf_adds(b, "\t}\n");
}

static int export_nft(ex_t *e)
{
	nft_t x = {.e = e};
	int rc = vg_store_foreach(e->s, nft_row, &x);
	if (!rc) {
		vg_buf_t *b = e->out;
		vg_buf_adds(b, "#!/usr/sbin/nft -f\n"
			       "# vigil blocklist: replaces table inet vigil (load with nft -f)\n"
			       "table inet vigil\n"
			       "delete table inet vigil\n"
			       "table inet vigil {\n");
		nft_set(&x, 0);
		nft_set(&x, 1);
		nft_pset(&x, 0);
		nft_pset(&x, 1);
		vg_buf_adds(b, "\tchain block {\n"
			       "\t\tip daddr @vigil_v4 drop\n"
			       "\t\tip saddr @vigil_v4 drop\n"
			       "\t\tip6 daddr @vigil_v6 drop\n"
			       "\t\tip6 saddr @vigil_v6 drop\n"
			       "\t\tip daddr . th dport @vigil_v4_port drop\n"
			       "\t\tip6 daddr . th dport @vigil_v6_port drop\n"
			       "\t}\n");
		static const char *const hooks[] = {"input", "forward", "output"};
		for (int i = 0; i < 3; i++)
			vg_buf_addf(b,
				    "\tchain %s {\n"
				    "\t\ttype filter hook %s priority filter; policy accept;\n"
				    "\t\tjump block\n"
				    "\t}\n",
				    hooks[i], hooks[i]);
		vg_buf_adds(b, "}\n");
	}
	for (int f = 0; f < 2; f++) {
		free(x.r[f]);
		free(x.p[f]);
	}
	return rc;
}

/* ---- Suricata ---------------------------------------------------------------------- */

static const char *const suri_files[VG_SURI__COUNT] = {
	"iprep.list", "categories.txt", "domains.lst", "md5.lst", "sha256.lst",
};

const char *vg_export_suricata_file(int i)
{
	return i >= 0 && i < VG_SURI__COUNT ? suri_files[i] : NULL;
}

#define SURI_MAX_CATS 59

typedef struct suri {
	ex_t *e;
	vg_buf_t **out;
	char cats[SURI_MAX_CATS][32];
	int ncats;
	bool collect; /* first pass: gather the category names */
	/* the current IP value's best score per category */
	vg_match_t cur;
	bool have_cur;
	int score[SURI_MAX_CATS + 1];
	/* datasets: the last value written and its file */
	char last[VAL_MAX];
	size_t lastn;
	int lastf;
} suri_t;

static void shortname(const char *cat, char *out)
{
	size_t k = 0;
	for (; *cat && k < 31; cat++) {
		char c = *cat;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '-';
		out[k++] = ok ? c : '_';
	}
	out[k] = 0;
	if (!k)
		strcpy(out, "vigil");
}

static int cat_id(suri_t *x, const char *cat)
{
	char sn[32];
	shortname(cat, sn);
	for (int i = 0; i < x->ncats; i++)
		if (!strcmp(x->cats[i], sn))
			return i + 1;
	return 0;
}

static void suri_flush(suri_t *x)
{
	if (!x->have_cur)
		return;
	char v[VAL_MAX];
	value_of(&x->cur, v);
	for (int c = 1; c <= x->ncats; c++) {
		if (x->score[c] < 0)
			continue;
		vg_buf_addf(x->out[VG_SURI_IPREP], "%s,%d,%d\n", v, c, x->score[c]);
		x->e->rep->written++;
	}
	x->have_cur = false;
}

static bool same_value(const vg_match_t *a, const vg_match_t *b)
{
	return a->type == b->type && a->prefix == b->prefix && a->port == b->port &&
	       !memcmp(&a->ip, &b->ip, sizeof a->ip);
}

static int suri_row(void *ctx, const vg_match_t *m)
{
	suri_t *x = ctx;
	vg_meta_t mt;
	meta_of(x->e, m, &mt);
	if (x->collect) {
		char sn[32];
		shortname(mt.category, sn);
		for (int i = 0; i < x->ncats; i++)
			if (!strcmp(x->cats[i], sn))
				return 0;
		if (x->ncats == SURI_MAX_CATS) {
			return VG_ELIMIT;
		}
		strcpy(x->cats[x->ncats++], sn);
		return 0;
	}
	switch (m->type) {
	case VG_IND_IPV4:
	case VG_IND_IPV6:
	case VG_IND_CIDR4:
	case VG_IND_CIDR6: {
		if (!x->have_cur || !same_value(&x->cur, m)) {
			suri_flush(x);
			x->cur = *m;
			x->have_cur = true;
			for (int i = 0; i <= SURI_MAX_CATS; i++)
				x->score[i] = -1;
		}
		int sc = mt.confidence < 0 ? 100 : mt.confidence > 127 ? 127 : mt.confidence;
		int c = cat_id(x, mt.category);
		if (sc > x->score[c])
			x->score[c] = sc;
		return 0;
	}
	default: break;
	}
	suri_flush(x);
	char v[VAL_MAX];
	size_t vn = value_of(m, v);
	int f;
	switch (m->type) {
	case VG_IND_DOMAIN: f = VG_SURI_DOMAINS; break;
	case VG_IND_MD5: f = VG_SURI_MD5; break;
	case VG_IND_SHA256: f = VG_SURI_SHA256; break;
	default: x->e->rep->skipped[m->type]++; return 0;
	}
	vg_buf_t *b = x->out[f];
	/* the same value under several metas is one dataset entry (the walk
	 * visits a value's metas consecutively) */
	if (x->lastf == f && x->lastn == vn && !memcmp(x->last, v, vn))
		return 0;
	x->lastf = f;
	x->lastn = vn;
	memcpy(x->last, v, vn);
	if (f == VG_SURI_DOMAINS) {
		static const char b64[] =
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		char enc[VAL_MAX * 4 / 3 + 8];
		size_t k = 0;
		const uint8_t *s = (const uint8_t *)v;
		for (size_t i = 0; i < vn; i += 3) {
			uint32_t w = (uint32_t)s[i] << 16;
			if (i + 1 < vn)
				w |= (uint32_t)s[i + 1] << 8;
			if (i + 2 < vn)
				w |= s[i + 2];
			enc[k++] = b64[w >> 18 & 63];
			enc[k++] = b64[w >> 12 & 63];
			enc[k++] = i + 1 < vn ? b64[w >> 6 & 63] : '=';
			enc[k++] = i + 2 < vn ? b64[w & 63] : '=';
		}
		memcpy(v, enc, k);
		vn = k;
	}
	vg_buf_add(b, v, vn);
	vg_buf_addc(b, '\n');
	x->e->rep->written++;
	return 0;
}

static int cmp_cat(const void *a, const void *b)
{
	return strcmp(a, b);
}

int vg_export_suricata(const vg_store_t *s, const vg_export_opts_t *o,
		       struct vg_buf *out[VG_SURI__COUNT], vg_export_report_t *rep)
{
	vg_export_report_t dummy;
	if (!rep)
		rep = &dummy;
	memset(rep, 0, sizeof *rep);
	ex_t *e = calloc(1, sizeof *e);
	suri_t *x = calloc(1, sizeof *x);
	int rc = VG_ENOMEM;
	if (!e || !x)
		goto out;
	e->s = s;
	e->rep = rep;
	x->e = e;
	x->out = out;
	x->collect = true;
	x->lastf = -1;
	rc = vg_store_foreach(s, suri_row, x);
	if (rc)
		goto out;
	qsort(x->cats, (size_t)x->ncats, sizeof x->cats[0], cmp_cat);
	for (int i = 0; i < x->ncats; i++)
		vg_buf_addf(out[VG_SURI_CATEGORIES], "%d,%s,%s\n", i + 1, x->cats[i], x->cats[i]);
	x->collect = false;
	rc = vg_store_foreach(s, suri_row, x);
	suri_flush(x);
out:
	free(x);
	free(e);
	(void)o;
	return rc;
}

/* ---- entry points ---------------------------------------------------------------------- */

int vg_export(const vg_store_t *s, vg_export_fmt_t f, const vg_export_opts_t *o, vg_buf_t *out,
	      vg_export_report_t *rep)
{
	vg_export_report_t dummy;
	if (!rep)
		rep = &dummy;
	memset(rep, 0, sizeof *rep);
	if (!s || !out)
		return VG_EINVAL;
	ex_t *e = calloc(1, sizeof *e);
	if (!e)
		return VG_ENOMEM;
	e->s = s;
	e->out = out;
	e->rep = rep;
	e->producer = o ? o->producer : NULL;
	int rc;
	switch (f) {
	case VG_EXPORT_PLAIN: rc = vg_store_foreach(s, plain_row, e); break;
	case VG_EXPORT_CSV:
		vg_buf_adds(out, "value,type,source,category,description,reference,confidence,tlp,"
				 "valid_from,valid_until\n");
		rc = vg_store_foreach(s, csv_row, e);
		break;
	case VG_EXPORT_STIX2: rc = export_stix(e); break;
	case VG_EXPORT_ZEEK:
		vg_buf_adds(out, "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n");
		rc = vg_store_foreach(s, zeek_row, e);
		break;
	case VG_EXPORT_NFTABLES: rc = export_nft(e); break;
	default: rc = VG_EINVAL; break;
	}
	free(e);
	return rc;
}

int vg_export_file(const vg_store_t *s, vg_export_fmt_t f, const vg_export_opts_t *o, FILE *fp,
		   vg_export_report_t *rep)
{
	vg_buf_t b = VG_BUF_INIT;
	int rc = vg_export(s, f, o, &b, rep);
	if (!rc && b.len && fwrite(b.p, 1, b.len, fp) != b.len)
		rc = VG_EIO;
	vg_buf_release(&b);
	return rc;
}
