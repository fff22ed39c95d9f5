// SPDX-License-Identifier: Apache-2.0
/*
 * feed_plain.c — one indicator per line (Maltrail trails, most blocklists).
 *
 * '#' starts a comment line; "value  # note" carries an inline comment (the
 * value is the first whitespace-delimited word, so a '#' inside a URL is
 * kept).  CRLF is tolerated, the type is detected per line.  All lines of a
 * file share one meta record: source = opts->source or the base name,
 * category = the file stem ("apt_oceanlotus"), reference = the first
 * "# Reference: URL" comment.  Maltrail's bare-path trails ("/izuku.sh")
 * have no host to match on: they are counted as skipped and summarised in
 * one warning rather than reported line by line.
 *
 * Hot loop: no allocation per line; the per-line cost is one memchr for the
 * line end plus vg_ind_parse (hand-rolled IPv4/domain parsing).
 */
#include "intel/feed_int.h"

/* first_reference: the URL of the first "# Reference:" line, or NULL. */
static const char *first_reference(feed_ctx_t *c, const char *data, size_t len, size_t *rn)
{
	feed_lines_t L = {data, len, 0, 0};
	const char *s;
	size_t n;
	while (feed_next_line(&L, &s, &n)) {
		feed_consumed(c, s);
		feed_trim(&s, &n);
		if (n < 12 || s[0] != '#')
			continue;
		const char *t = s + 1;
		size_t tn = n - 1;
		feed_trim(&t, &tn);
		if (tn > 10 && feed_ieq(t, 10, "reference:")) {
			t += 10;
			tn -= 10;
			feed_trim(&t, &tn);
			size_t k = 0;
			while (k < tn && t[k] != ' ' && t[k] != '\t')
				k++;
			if (k == 0)
				continue;
			*rn = k;
			return t;
		}
	}
	return NULL;
}

int feed_read_plain(feed_ctx_t *c, const char *data, size_t len)
{
	char ref[VG_URL_MAX + 1];
	size_t rn = 0;
	const char *rp = first_reference(c, data, len, &rn);
	feed_rewind(c);
	if (rp) {
		if (rn > VG_URL_MAX)
			rn = VG_URL_MAX;
		memcpy(ref, rp, rn);
	}
	ref[rn] = 0;
	vg_meta_t m = {.source = c->source, .category = c->stem, .reference = ref,
		       .confidence = -1};
	uint32_t meta;
	int r = feed_meta(c, &m, &meta);
	if (r != 0)
		return r;

	feed_lines_t L = {data, len, 0, 0};
	const char *s;
	size_t n;
	uint64_t paths = 0;
	unsigned long first_path = 0;
	while (feed_next_line(&L, &s, &n)) {
		feed_consumed(c, s);
		c->rep->lines++;
		feed_trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		size_t k = 0;
		while (k < n && s[k] != ' ' && s[k] != '\t')
			k++;
		if (k < n) {
			const char *rest = s + k;
			size_t rl = n - k;
			feed_trim(&rest, &rl);
			if (rl && rest[0] != '#') {
				r = feed_error(c, L.no, "unexpected text after value '%.*s'",
					       (int)(k > 200 ? 200 : k), s);
				if (r)
					return r;
				continue;
			}
		}
		if (s[0] == '/') {
			if (!paths++)
				first_path = L.no;
			c->rep->skipped++;
			continue;
		}
		r = feed_add_tok(c, L.no, s, k, VG_IND_NONE, 0, meta);
		if (r)
			return r;
	}
	if (paths) {
		c->rep->warnings++;
		feed_diag(c, first_path, VG_SEV_WARN,
			  "%llu path-only entries skipped (no host to match), first here",
			  (unsigned long long)paths);
	}
	return 0;
}
