// SPDX-License-Identifier: Apache-2.0
/*
 * feed_csv.c — CSV with a header line, columns mapped by name (any case).
 *
 * Value columns (each non-empty one in a row is an indicator): dst_ip, ip,
 * ip_address, ipaddress, src_ip, indicator, value, ioc, domain, host,
 * hostname, url, md5(_hash), sha1(_hash), sha256(_hash).  A port column
 * (dst_port, port) turns an IP into ip:port.  Meta columns: category from
 * malware / category / threat / tags (first present, in that order),
 * description, reference, confidence / score, first_seen* / valid_from,
 * valid_until / expires, tlp.  Quoted fields with "" escapes (one record
 * per line: quoted newlines are not supported).  '#' lines are comments,
 * except that a '#' line naming known columns before any data is taken as
 * the header (abuse.ch exports: "# first_seen_utc,dst_ip,...").
 * One scratch buffer per load; no allocation per line beyond meta interning
 * done by the builder.
 */
#include "intel/feed_int.h"

#include "lib/timefmt.h"

#include <stdlib.h>

#define MAXF 64

typedef struct {
	size_t off, len;
} fld_t;

enum role {
	R_NONE, R_VAL, R_PORT, R_CAT, R_DESC, R_REF, R_CONF, R_FROM, R_UNTIL, R_TLP
};

typedef struct {
	enum role role;
	vg_ind_type_t hint;
	int catprio; /* lower wins */
} col_t;

static const struct {
	const char *name;
	enum role role;
	vg_ind_type_t hint;
	int prio;
} names[] = {
	{"dst_ip", R_VAL, VG_IND_IPV4, 0},      {"ip", R_VAL, VG_IND_IPV4, 0},
	{"ip_address", R_VAL, VG_IND_IPV4, 0},  {"ipaddress", R_VAL, VG_IND_IPV4, 0},
	{"src_ip", R_VAL, VG_IND_IPV4, 0},      {"indicator", R_VAL, VG_IND_NONE, 0},
	{"value", R_VAL, VG_IND_NONE, 0},       {"ioc", R_VAL, VG_IND_NONE, 0},
	{"domain", R_VAL, VG_IND_DOMAIN, 0},    {"host", R_VAL, VG_IND_DOMAIN, 0},
	{"hostname", R_VAL, VG_IND_DOMAIN, 0},  {"url", R_VAL, VG_IND_URL, 0},
	{"md5_hash", R_VAL, VG_IND_MD5, 0},     {"md5", R_VAL, VG_IND_MD5, 0},
	{"sha1_hash", R_VAL, VG_IND_SHA1, 0},   {"sha1", R_VAL, VG_IND_SHA1, 0},
	{"sha256_hash", R_VAL, VG_IND_SHA256, 0}, {"sha256", R_VAL, VG_IND_SHA256, 0},
	{"dst_port", R_PORT, 0, 0},             {"port", R_PORT, 0, 0},
	{"malware", R_CAT, 0, 0},               {"category", R_CAT, 0, 1},
	{"threat", R_CAT, 0, 2},                {"tags", R_CAT, 0, 3},
	{"description", R_DESC, 0, 0},          {"desc", R_DESC, 0, 0},
	{"comment", R_DESC, 0, 0},              {"reference", R_REF, 0, 0},
	{"confidence", R_CONF, 0, 0},           {"score", R_CONF, 0, 0},
	{"valid_from", R_FROM, 0, 0},           {"valid_until", R_UNTIL, 0, 0},
	{"expires", R_UNTIL, 0, 0},             {"expiration", R_UNTIL, 0, 0},
	{"tlp", R_TLP, 0, 0},
};

/* split: fields of one CSV line, unescaped into sc (reserved by caller). */
static int split(const char *s, size_t n, char *sc, fld_t *f, int max, bool *bad)
{
	int nf = 0;
	size_t i = 0, o = 0;
	*bad = false;
	for (;;) {
		if (nf == max) {
			*bad = true;
			return nf;
		}
		f[nf].off = o;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '"') {
			i++;
			for (;;) {
				if (i >= n) {
					*bad = true; /* unterminated quote */
					return nf;
				}
				if (s[i] == '"') {
					if (i + 1 < n && s[i + 1] == '"') {
						sc[o++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				sc[o++] = s[i++];
			}
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (i < n && s[i] != ',') {
				*bad = true;
				return nf;
			}
		} else {
			while (i < n && s[i] != ',')
				sc[o++] = s[i++];
			while (o > f[nf].off && (sc[o - 1] == ' ' || sc[o - 1] == '\t'))
				o--;
		}
		f[nf].len = o - f[nf].off;
		nf++;
		if (i >= n)
			return nf;
		i++; /* ',' */
	}
}

static bool map_header(const char *sc, const fld_t *f, int nf, col_t *cols)
{
	bool any = false;
	for (int k = 0; k < nf; k++) {
		const char *h = sc + f[k].off;
		size_t hl = f[k].len;
		cols[k].role = R_NONE;
		cols[k].hint = VG_IND_NONE;
		cols[k].catprio = 99;
		for (size_t j = 0; j < sizeof names / sizeof names[0]; j++) {
			if (feed_ieq(h, hl, names[j].name)) {
				cols[k].role = names[j].role;
				cols[k].hint = names[j].hint;
				cols[k].catprio = names[j].prio;
				break;
			}
		}
		if (cols[k].role == R_NONE && hl >= 10 && feed_ieq(h, 10, "first_seen"))
			cols[k].role = R_FROM;
		if (cols[k].role == R_VAL)
			any = true;
	}
	return any;
}

static bool parse_int(const char *s, size_t n, long *out)
{
	long v = 0;
	size_t i = 0;
	if (n == 0)
		return false;
	while (i < n && s[i] >= '0' && s[i] <= '9' && v < 100000000)
		v = v * 10 + (s[i++] - '0');
	if (i < n && s[i] == '.') { /* "85.0" */
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != n || (n && s[0] == '.'))
		return false;
	*out = v;
	return true;
}

int feed_read_csv(feed_ctx_t *c, const char *data, size_t len)
{
	col_t cols[MAXF];
	fld_t f[MAXF];
	int ncols = 0;
	bool have_hdr = false;
	char *sc = NULL;
	size_t sccap = 0;
	int r = 0;
	feed_lines_t L = {data, len, 0, 0};
	const char *s;
	size_t n;
	char cat[256], desc[1024], ref[1024];
	while (feed_next_line(&L, &s, &n)) {
		c->rep->lines++;
		feed_trim(&s, &n);
		if (n == 0)
			continue;
		bool comment = s[0] == '#';
		if (comment) {
			if (have_hdr)
				continue;
			s++;
			n--;
			feed_trim(&s, &n);
		}
		if (n + 1 > sccap) {
			free(sc);
			sccap = n + 1 > 4096 ? n + 1 : 4096;
			sc = malloc(sccap);
			if (!sc)
				return VG_ENOMEM;
		}
		bool bad;
		int nf = split(s, n, sc, f, MAXF, &bad);
		if (!have_hdr) {
			if (!bad && map_header(sc, f, nf, cols)) {
				have_hdr = true;
				ncols = nf;
				continue;
			}
			if (comment)
				continue;
			r = feed_error(c, L.no, "CSV header names no indicator column");
			free(sc);
			return VG_EFORMAT;
		}
		if (bad) {
			r = feed_error(c, L.no, "malformed CSV line (unterminated quote or too many fields)");
			if (r)
				break;
			continue;
		}
		/* meta */
		vg_meta_t m = {.confidence = -1};
		int catprio = 99;
		long port = 0;
		bool meta_bad = false;
		for (int k = 0; k < nf && k < ncols; k++) {
			const char *v = sc + f[k].off;
			size_t vl = f[k].len;
			if (vl == 0)
				continue;
			switch (cols[k].role) {
			case R_CAT:
				if (cols[k].catprio < catprio && vl < sizeof cat) {
					memcpy(cat, v, vl);
					cat[vl] = 0;
					m.category = cat;
					catprio = cols[k].catprio;
				}
				break;
			case R_DESC:
				if (vl < sizeof desc) {
					memcpy(desc, v, vl);
					desc[vl] = 0;
					m.description = desc;
				}
				break;
			case R_REF:
				if (vl < sizeof ref) {
					memcpy(ref, v, vl);
					ref[vl] = 0;
					m.reference = ref;
				}
				break;
			case R_CONF: {
				long cv;
				if (!parse_int(v, vl, &cv)) {
					r = feed_error(c, L.no, "invalid confidence '%.*s'", (int)(vl > 64 ? 64 : vl), v);
					meta_bad = true;
				} else
					m.confidence = cv > 100 ? 100 : (int)cv;
				break;
			}
			case R_FROM:
			case R_UNTIL: {
				int64_t t;
				if (vg_time_parse(v, vl, &t) != 0) {
					r = feed_error(c, L.no, "invalid time '%.*s'", (int)(vl > 64 ? 64 : vl), v);
					meta_bad = true;
				} else if (cols[k].role == R_FROM)
					m.valid_from = t;
				else
					m.valid_until = t;
				break;
			}
			case R_TLP:
				m.tlp = vg_tlp_parse(v, vl);
				break;
			case R_PORT: {
				long pv;
				if (!parse_int(v, vl, &pv) || pv < 1 || pv > 65535) {
					r = feed_error(c, L.no, "invalid port '%.*s'", (int)(vl > 64 ? 64 : vl), v);
					meta_bad = true;
				} else
					port = pv;
				break;
			}
			default:
				break;
			}
			if (meta_bad)
				break;
		}
		if (meta_bad) {
			if (r)
				break;
			continue;
		}
		uint32_t meta;
		r = feed_meta(c, &m, &meta);
		if (r)
			break;
		bool any = false;
		for (int k = 0; k < nf && k < ncols; k++) {
			if (cols[k].role != R_VAL || f[k].len == 0)
				continue;
			any = true;
			vg_ind_type_t hint = cols[k].hint;
			if (hint == VG_IND_DOMAIN || hint == VG_IND_IPV4)
				hint = hint == VG_IND_IPV4 ? VG_IND_IPV4 : VG_IND_DOMAIN;
			r = feed_add_tok(c, L.no, sc + f[k].off, f[k].len, hint, (uint16_t)port, meta);
			if (r)
				break;
		}
		if (r)
			break;
		if (!any) {
			r = feed_error(c, L.no, "no indicator value in CSV line");
			if (r)
				break;
		}
	}
	free(sc);
	return r;
}
