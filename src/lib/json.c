// SPDX-License-Identifier: Apache-2.0
/*
 * json.c — streaming JSON writer; see json.h.  Depth is bounded by
 * VG_JW_DEPTH; deeper nesting is a programming error and is ignored
 * (the output then stays syntactically closed by vg_jw_end calls).
 */
#include "lib/json.h"

#include <stdio.h>
#include <string.h>

void vg_jw_init(vg_jw_t *w, vg_buf_t *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

static void sep(vg_jw_t *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (!w->first[w->depth - 1])
			vg_buf_addc(w->b, ',');
		w->first[w->depth - 1] = false;
	}
}

static void open(vg_jw_t *w, char o, char c)
{
	sep(w);
	vg_buf_addc(w->b, o);
	if (w->depth < VG_JW_DEPTH) {
		w->first[w->depth] = true;
		w->close[w->depth] = c;
		w->depth++;
	}
}

void vg_jw_obj(vg_jw_t *w) { open(w, '{', '}'); }
void vg_jw_arr(vg_jw_t *w) { open(w, '[', ']'); }

void vg_jw_end(vg_jw_t *w)
{
	if (w->depth == 0)
		return;
	w->depth--;
	vg_buf_addc(w->b, w->close[w->depth]);
}

/* Length of a valid UTF-8 sequence starting at s (max n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		need = 2;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		need = 3;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		need = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (need > n)
		return 0;
	unsigned cp = c & (0x7f >> need);
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

void vg_json_escape(vg_buf_t *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			run++;
			continue;
		}
		if (c >= 0x80) {
			size_t l = utf8_len(p + i, n - i);
			if (l) {
				i += l;
				run += l;
				continue;
			}
		}
		vg_buf_add(b, p + i - run, run);
		run = 0;
		char esc[8];
		switch (c) {
		case '"': vg_buf_add(b, "\\\"", 2); break;
		case '\\': vg_buf_add(b, "\\\\", 2); break;
		case '\n': vg_buf_add(b, "\\n", 2); break;
		case '\r': vg_buf_add(b, "\\r", 2); break;
		case '\t': vg_buf_add(b, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", c);
			vg_buf_add(b, esc, 6);
		}
		i++;
	}
	vg_buf_add(b, p + i - run, run);
}

void vg_jw_key(vg_jw_t *w, const char *k)
{
	sep(w);
	vg_buf_addc(w->b, '"');
	vg_json_escape(w->b, k, strlen(k));
	vg_buf_add(w->b, "\":", 2);
	w->after_key = true;
}

void vg_jw_strn(vg_jw_t *w, const char *s, size_t n)
{
	sep(w);
	vg_buf_addc(w->b, '"');
	vg_json_escape(w->b, s, n);
	vg_buf_addc(w->b, '"');
}
void vg_jw_str(vg_jw_t *w, const char *s) { vg_jw_strn(w, s, strlen(s)); }
void vg_jw_int(vg_jw_t *w, int64_t v)
{
	sep(w);
	vg_buf_add_i64(w->b, v);
}
void vg_jw_uint(vg_jw_t *w, uint64_t v)
{
	sep(w);
	vg_buf_add_u64(w->b, v);
}
void vg_jw_bool(vg_jw_t *w, bool v)
{
	sep(w);
	vg_buf_adds(w->b, v ? "true" : "false");
}
void vg_jw_null(vg_jw_t *w)
{
	sep(w);
	vg_buf_adds(w->b, "null");
}
void vg_jw_dbl(vg_jw_t *w, double v)
{
	sep(w);
	vg_buf_addf(w->b, "%.6g", v);
}
void vg_jw_raw(vg_jw_t *w, const char *json, size_t n)
{
	sep(w);
	vg_buf_add(w->b, json, n);
}
void vg_jw_kstr(vg_jw_t *w, const char *k, const char *s)
{
	vg_jw_key(w, k);
	vg_jw_str(w, s);
}
void vg_jw_kstrn(vg_jw_t *w, const char *k, const char *s, size_t n)
{
	vg_jw_key(w, k);
	vg_jw_strn(w, s, n);
}
void vg_jw_kint(vg_jw_t *w, const char *k, int64_t v)
{
	vg_jw_key(w, k);
	vg_jw_int(w, v);
}
void vg_jw_kuint(vg_jw_t *w, const char *k, uint64_t v)
{
	vg_jw_key(w, k);
	vg_jw_uint(w, v);
}
void vg_jw_kbool(vg_jw_t *w, const char *k, bool v)
{
	vg_jw_key(w, k);
	vg_jw_bool(w, v);
}
