// SPDX-License-Identifier: Apache-2.0
/*
 * feed_ipsum.c — IPsum (stamparm/ipsum): "IP<TAB>count" per line, '#'
 * comments.  count is the number of blocklists naming the address; it
 * becomes the confidence min(100, count*10).  One meta record per distinct
 * count (at most 11), category "ipsum", source opts->source or base name.
 * No allocation per line.
 */
#include "intel/feed_int.h"

int feed_read_ipsum(feed_ctx_t *c, const char *data, size_t len)
{
	uint32_t metas[11];
	bool have[11] = {false};
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
		size_t k = 0;
		while (k < n && s[k] != '\t' && s[k] != ' ')
			k++;
		const char *cs = s + k;
		size_t cn = n - k;
		feed_trim(&cs, &cn);
		unsigned cnt = 0;
		bool ok = cn > 0 && cn <= 9;
		for (size_t i = 0; ok && i < cn; i++) {
			if (cs[i] < '0' || cs[i] > '9')
				ok = false;
			else
				cnt = cnt * 10 + (unsigned)(cs[i] - '0');
		}
		if (!ok) {
			r = feed_error(c, L.no, "invalid count '%.*s'", (int)(cn > 200 ? 200 : cn),
				       cs);
			if (r)
				return r;
			continue;
		}
		unsigned conf = cnt >= 10 ? 100 : cnt * 10;
		unsigned slot = conf / 10;
		if (!have[slot]) {
			vg_meta_t m = {.source = c->source, .category = "ipsum",
				       .confidence = (int)conf};
			r = feed_meta(c, &m, &metas[slot]);
			if (r)
				return r;
			have[slot] = true;
		}
		r = feed_add_tok(c, L.no, s, k, VG_IND_IPV4, 0, metas[slot]);
		if (r)
			return r;
	}
	return 0;
}
