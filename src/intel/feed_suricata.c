// SPDX-License-Identifier: Apache-2.0
/*
 * feed_suricata.c — Suricata IP reputation lists: "ip-or-cidr,category,score"
 * per line ('#' comments), with an optional categories file
 * ("id,shortname,description", opts->categories) naming the category ids.
 * Category ids are 1..255 (Suricata's limit is 60, we are lenient); score
 * is 0..127 and becomes confidence round(score*100/127).  One meta per
 * (category, score) pair, cached for runs of equal pairs.
 */
#include "intel/feed_int.h"

#include <stdlib.h>

typedef struct {
	char *names[256]; /* owned, NULL when the id is unnamed */
} cats_t;

static bool uint_of(const char *s, size_t n, unsigned max, unsigned *out)
{
	unsigned v = 0;
	if (n == 0 || n > 6)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static int load_cats(feed_ctx_t *c, cats_t *ct)
{
	char *data;
	size_t len;
	int r = feed_read_file(c->opts->categories, &data, &len);
	if (r) {
		feed_diag(c, 0, VG_SEV_ERROR, "cannot read categories file '%s'", c->opts->categories);
		c->rep->errors++;
		return r;
	}
	feed_lines_t L = {data, len, 0, 0};
	const char *s;
	size_t n;
	while (feed_next_line(&L, &s, &n)) {
		feed_trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		const char *c1 = memchr(s, ',', n);
		unsigned id;
		if (!c1 || !uint_of(s, (size_t)(c1 - s), 255, &id)) {
			c->rep->warnings++;
			if (c->opts->diag)
				c->opts->diag(c->opts->diag_ctx, c->opts->categories, L.no, VG_SEV_WARN,
					      "invalid category line ignored");
			continue;
		}
		const char *nm = c1 + 1;
		const char *c2 = memchr(nm, ',', n - (size_t)(nm - s));
		size_t nl = c2 ? (size_t)(c2 - nm) : n - (size_t)(nm - s);
		feed_trim(&nm, &nl);
		free(ct->names[id]);
		ct->names[id] = strndup(nm, nl);
		if (!ct->names[id]) {
			free(data);
			return VG_ENOMEM;
		}
	}
	free(data);
	return 0;
}

int feed_read_suricata(feed_ctx_t *c, const char *data, size_t len)
{
	cats_t *ct = calloc(1, sizeof *ct);
	if (!ct)
		return VG_ENOMEM;
	int r = 0;
	if (c->opts->categories && (r = load_cats(c, ct)) != 0)
		goto out;
	feed_lines_t L = {data, len, 0, 0};
	const char *s;
	size_t n;
	unsigned last_cat = 0, last_score = 0;
	uint32_t last_meta = 0;
	bool have_last = false;
	while (feed_next_line(&L, &s, &n)) {
		c->rep->lines++;
		feed_trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		const char *c1 = memchr(s, ',', n);
		const char *c2 = c1 ? memchr(c1 + 1, ',', n - (size_t)(c1 + 1 - s)) : NULL;
		if (!c2) {
			r = feed_error(c, L.no, "expected 'ip,category,score'");
			if (r)
				goto out;
			continue;
		}
		const char *ip = s, *cs = c1 + 1, *ss = c2 + 1;
		size_t ipl = (size_t)(c1 - s), csl = (size_t)(c2 - cs), ssl = n - (size_t)(ss - s);
		feed_trim(&ip, &ipl);
		feed_trim(&cs, &csl);
		feed_trim(&ss, &ssl);
		unsigned cat, score;
		if (!uint_of(cs, csl, 255, &cat)) {
			r = feed_error(c, L.no, "invalid category '%.*s'", (int)(csl > 64 ? 64 : csl), cs);
			if (r)
				goto out;
			continue;
		}
		if (!uint_of(ss, ssl, 127, &score)) {
			r = feed_error(c, L.no, "invalid score '%.*s' (0..127)", (int)(ssl > 64 ? 64 : ssl),
				       ss);
			if (r)
				goto out;
			continue;
		}
		if (!have_last || cat != last_cat || score != last_score) {
			char idbuf[8];
			int k = 0;
			unsigned v = cat;
			char tmp[8];
			do {
				tmp[k++] = (char)('0' + v % 10);
				v /= 10;
			} while (v);
			for (int j = 0; j < k; j++)
				idbuf[j] = tmp[k - 1 - j];
			idbuf[k] = 0;
			vg_meta_t m = {.category = ct->names[cat] ? ct->names[cat] : idbuf,
				       .confidence = (int)((score * 100 + 63) / 127)};
			r = feed_meta(c, &m, &last_meta);
			if (r)
				goto out;
			last_cat = cat;
			last_score = score;
			have_last = true;
		}
		r = feed_add_tok(c, L.no, ip, ipl, VG_IND_CIDR4, 0, last_meta);
		if (r)
			goto out;
	}
out:
	for (int i = 0; i < 256; i++)
		free(ct->names[i]);
	free(ct);
	return r;
}
