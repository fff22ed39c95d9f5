// SPDX-License-Identifier: Apache-2.0
/*
 * feed_clamav.c — ClamAV hash signature files as a feed: .hdb lines are
 * "MD5:size:name", .hsb lines "SHA1-or-SHA256:size:name" ('*' as size
 * means any size; ClamAV's optional trailing ":flevel[:maxflevel]" fields
 * are accepted and ignored).  The hash type comes from the length of the
 * first field (32, 40 or 64 hex digits), not from the file extension, so
 * one reader serves both.  Each line's name becomes the meta description
 * "NAME (size N)" / "NAME (any size)", category "clamav", source
 * opts->source or the base name; the builder interns identical metas.
 * Empty lines and '#' comments are skipped; every bad line is reported as
 * file:line through feed_error like the other readers.  The size is kept
 * only in the description: the store matches on the digest alone.
 * No allocation per line beyond the builder's own: the description is
 * formatted into a stack buffer (names are cut at 200 bytes).
 */
#include "intel/feed_int.h"

#include <stdio.h>

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
			return false;
	}
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

#define CUT(n) ((int)((n) > 200 ? 200 : (n)))

int feed_read_clamav(feed_ctx_t *c, const char *data, size_t len)
{
	feed_lines_t L = {data, len, 0, 0};
	const char *s;
	size_t n;
	int r;
	while (feed_next_line(&L, &s, &n)) {
		feed_consumed(c, s);
		c->rep->lines++;
		feed_trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		/* split into hash, size, name[, ignored...] */
		const char *c1 = memchr(s, ':', n);
		const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - s)) : NULL;
		if (!c2) {
			r = feed_error(c, L.no, "expected 'hash:size:name', got '%.*s'", CUT(n), s);
			if (r)
				return r;
			continue;
		}
		const char *h = s;
		size_t hn = (size_t)(c1 - s);
		const char *sz = c1 + 1;
		size_t szn = (size_t)(c2 - sz);
		const char *nm = c2 + 1;
		size_t nmn = n - (size_t)(nm - s);
		const char *c3 = memchr(nm, ':', nmn);
		if (c3)
			nmn = (size_t)(c3 - nm);
		vg_ind_type_t t = hn == 32 ? VG_IND_MD5 : hn == 40 ? VG_IND_SHA1
						: hn == 64 ? VG_IND_SHA256 : VG_IND_NONE;
		if (t == VG_IND_NONE || !all_hex(h, hn)) {
			r = feed_error(c, L.no, "invalid hash '%.*s' (32, 40 or 64 hex digits)",
				       CUT(hn), h);
			if (r)
				return r;
			continue;
		}
		bool any = szn == 1 && sz[0] == '*';
		if (!any && (!all_digits(sz, szn) || szn > 19)) {
			r = feed_error(c, L.no, "invalid size '%.*s' (digits or '*')", CUT(szn), sz);
			if (r)
				return r;
			continue;
		}
		if (nmn == 0) {
			r = feed_error(c, L.no, "empty signature name");
			if (r)
				return r;
			continue;
		}
		char desc[256];
		if (any)
			snprintf(desc, sizeof desc, "%.*s (any size)", CUT(nmn), nm);
		else
			snprintf(desc, sizeof desc, "%.*s (size %.*s)", CUT(nmn), nm, (int)szn, sz);
		vg_meta_t m = {.source = c->source, .category = "clamav", .description = desc,
			       .confidence = -1};
		uint32_t mid;
		r = feed_meta(c, &m, &mid);
		if (r)
			return r;
		r = feed_add_tok(c, L.no, h, hn, t, 0, mid);
		if (r)
			return r;
	}
	return 0;
}

/* feed_clamav_line: s/n looks like a ClamAV hash signature line. */
bool feed_clamav_line(const char *s, size_t n)
{
	const char *c1 = memchr(s, ':', n);
	if (!c1)
		return false;
	size_t hn = (size_t)(c1 - s);
	if ((hn != 32 && hn != 40 && hn != 64) || !all_hex(s, hn))
		return false;
	const char *sz = c1 + 1;
	const char *c2 = memchr(sz, ':', n - hn - 1);
	if (!c2)
		return false;
	size_t szn = (size_t)(c2 - sz);
	if (!(szn == 1 && sz[0] == '*') && !all_digits(sz, szn))
		return false;
	return (size_t)(c2 + 1 - s) < n; /* a name follows */
}
