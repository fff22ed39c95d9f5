// SPDX-License-Identifier: Apache-2.0
/*
 * feed_zeek.c — Zeek Intel framework files: tab-separated, a "#fields"
 * line names the columns (indicator, indicator_type, meta.source,
 * meta.desc, meta.url, optionally meta.cif_confidence / meta.cif_tags),
 * "-" is an empty field, "#separator \x09" and other '#' lines are
 * tolerated.  Types Intel::ADDR, SUBNET, DOMAIN, URL, FILE_HASH are read;
 * other Intel types (SOFTWARE, EMAIL, USER_NAME, CERT_HASH, ...) are
 * counted as skipped, with one summary warning per file.
 * Source: opts->source, else meta.source, else the base name.
 */
#include "intel/feed_int.h"

#define MAXF 32

enum { Z_IND, Z_TYPE, Z_SRC, Z_DESC, Z_URL, Z_CONF, Z_TAGS, Z__N };

static size_t cpy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n == 1 && s[0] == '-')
		n = 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
	return n;
}

int feed_read_zeek(feed_ctx_t *c, const char *data, size_t len)
{
	int col[Z__N];
	for (int i = 0; i < Z__N; i++)
		col[i] = -1;
	bool have_fields = false;
	char sep = '\t';
	feed_lines_t L = {data, len, 0, 0};
	const char *s;
	size_t n;
	int r = 0;
	uint64_t other = 0;
	unsigned long first_other = 0;
	const char *fs[MAXF];
	size_t fl[MAXF];
	char src[256], desc[1024], url[1024], tags[256];
	while (feed_next_line(&L, &s, &n)) {
		c->rep->lines++;
		if (n == 0)
			continue;
		if (s[0] == '#') {
			if (n > 11 && memcmp(s, "#separator", 10) == 0) {
				const char *v = s + 11;
				size_t vl = n - 11;
				if (vl == 4 && v[0] == '\\' && v[1] == 'x') {
					int hi = v[2], lo = v[3];
					hi = hi <= '9' ? hi - '0' : (hi | 32) - 'a' + 10;
					lo = lo <= '9' ? lo - '0' : (lo | 32) - 'a' + 10;
					if (hi >= 0 && hi < 16 && lo >= 0 && lo < 16)
						sep = (char)(hi << 4 | lo);
				} else if (vl == 1) {
					sep = v[0];
				}
			} else if (n >= 7 && memcmp(s, "#fields", 7) == 0) {
				/* "#fields" then sep-separated names */
				size_t i = 7, k = 0;
				for (int z = 0; z < Z__N; z++)
					col[z] = -1;
				while (i < n) {
					while (i < n && (s[i] == sep || s[i] == ' ' || s[i] == '\t'))
						i++;
					size_t st = i;
					while (i < n && s[i] != sep && s[i] != '\t')
						i++;
					if (i == st)
						break;
					const char *nm = s + st;
					size_t nl = i - st;
					if (feed_ieq(nm, nl, "indicator"))
						col[Z_IND] = (int)k;
					else if (feed_ieq(nm, nl, "indicator_type"))
						col[Z_TYPE] = (int)k;
					else if (feed_ieq(nm, nl, "meta.source"))
						col[Z_SRC] = (int)k;
					else if (feed_ieq(nm, nl, "meta.desc"))
						col[Z_DESC] = (int)k;
					else if (feed_ieq(nm, nl, "meta.url"))
						col[Z_URL] = (int)k;
					else if (feed_ieq(nm, nl, "meta.cif_confidence"))
						col[Z_CONF] = (int)k;
					else if (feed_ieq(nm, nl, "meta.cif_tags"))
						col[Z_TAGS] = (int)k;
					k++;
				}
				if (col[Z_IND] < 0 || col[Z_TYPE] < 0) {
					feed_error(c, L.no, "#fields lacks indicator or indicator_type");
					return VG_EFORMAT;
				}
				have_fields = true;
			}
			continue;
		}
		if (!have_fields) {
			feed_error(c, L.no, "data before the #fields header");
			return VG_EFORMAT;
		}
		int nf = 0;
		size_t i = 0;
		for (;;) {
			size_t st = i;
			while (i < n && s[i] != sep)
				i++;
			if (nf < MAXF) {
				fs[nf] = s + st;
				fl[nf] = i - st;
				nf++;
			}
			if (i >= n)
				break;
			i++;
		}
		if (nf <= col[Z_IND] || nf <= col[Z_TYPE]) {
			r = feed_error(c, L.no, "too few fields (%d)", nf);
			if (r)
				return r;
			continue;
		}
		const char *ty = fs[col[Z_TYPE]];
		size_t tl = fl[col[Z_TYPE]];
		vg_ind_type_t hint;
		if (feed_ieq(ty, tl, "intel::addr"))
			hint = VG_IND_IPV4;
		else if (feed_ieq(ty, tl, "intel::subnet"))
			hint = VG_IND_CIDR4;
		else if (feed_ieq(ty, tl, "intel::domain"))
			hint = VG_IND_DOMAIN;
		else if (feed_ieq(ty, tl, "intel::url"))
			hint = VG_IND_URL;
		else if (feed_ieq(ty, tl, "intel::file_hash"))
			hint = VG_IND_NONE; /* by length */
		else if (tl > 7 && feed_ieq(ty, 7, "intel::")) {
			if (!other++)
				first_other = L.no;
			c->rep->skipped++;
			continue;
		} else {
			r = feed_error(c, L.no, "unknown indicator type '%.*s'", (int)(tl > 64 ? 64 : tl),
				       ty);
			if (r)
				return r;
			continue;
		}
		vg_meta_t m = {.confidence = -1};
		if (col[Z_SRC] >= 0 && col[Z_SRC] < nf && cpy(src, sizeof src, fs[col[Z_SRC]], fl[col[Z_SRC]]))
			m.source = src;
		if (c->opts->source && *c->opts->source)
			m.source = c->opts->source;
		if (col[Z_DESC] >= 0 && col[Z_DESC] < nf &&
		    cpy(desc, sizeof desc, fs[col[Z_DESC]], fl[col[Z_DESC]]))
			m.description = desc;
		if (col[Z_URL] >= 0 && col[Z_URL] < nf && cpy(url, sizeof url, fs[col[Z_URL]], fl[col[Z_URL]]))
			m.reference = url;
		if (col[Z_TAGS] >= 0 && col[Z_TAGS] < nf &&
		    cpy(tags, sizeof tags, fs[col[Z_TAGS]], fl[col[Z_TAGS]]))
			m.category = tags;
		if (col[Z_CONF] >= 0 && col[Z_CONF] < nf) {
			const char *v = fs[col[Z_CONF]];
			size_t vl = fl[col[Z_CONF]];
			unsigned cv = 0;
			size_t k = 0;
			while (k < vl && k < 4 && v[k] >= '0' && v[k] <= '9')
				cv = cv * 10 + (unsigned)(v[k++] - '0');
			if (k > 0) /* CIF confidence is 0..10 in Zeek exports */
				m.confidence = cv <= 10 ? (int)cv * 10 : cv > 100 ? 100 : (int)cv;
		}
		uint32_t meta;
		r = feed_meta(c, &m, &meta);
		if (r)
			return r;
		const char *v = fs[col[Z_IND]];
		size_t vl = fl[col[Z_IND]];
		feed_trim(&v, &vl);
		if (hint == VG_IND_NONE) /* FILE_HASH: the length names the digest */
			hint = vl == 32 ? VG_IND_MD5 : vl == 40 ? VG_IND_SHA1 : VG_IND_SHA256;
		r = feed_add_tok(c, L.no, v, vl, hint, 0, meta);
		if (r)
			return r;
	}
	if (other) {
		c->rep->warnings++;
		feed_diag(c, first_other, VG_SEV_WARN,
			  "%llu entries of unsupported Intel types skipped, first here",
			  (unsigned long long)other);
	}
	if (!have_fields) {
		feed_error(c, 0, "no #fields header");
		return VG_EFORMAT;
	}
	return 0;
}
