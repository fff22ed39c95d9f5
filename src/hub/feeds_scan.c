// SPDX-License-Identifier: Apache-2.0
/*
 * feeds_scan.c — the few top-level fields of a stored STIX indicator that
 * a feed's CSV row carries (name, description, confidence, valid_from,
 * valid_until, the first external reference's url), read by one forward
 * scan of the JSON text instead of a full jansson tree: rendering a feed of
 * a million indicators was two thirds jansson (allocating a tree per row).
 *
 * The scan walks the top-level object member by member through the
 * bounds-checked reader (lib/rd.h); values of other members are skipped
 * (strings, numbers, literals, nested arrays/objects up to 64 deep).
 * Wanted strings are unescaped (\uXXXX with surrogate pairs to UTF-8) and
 * cut at a character boundary to the field's size.  Anything malformed is
 * VG_EFORMAT, and the caller falls back to jansson: the scan never decides
 * differently from jansson on valid JSON (tests/unit/test_hub_client_feeds.c
 * compares them).  Pure, thread-safe.
 */
#include "hub/routes_cli.h"
#include "lib/rd.h"
#include "vigil/common.h"

#include <string.h>

#define DEPTH_MAX 64

static int peek(const vg_rd_t *r) { return vg_rd_left(r) ? *vg_rd_ptr(r) : -1; }

static void ws(vg_rd_t *r)
{
	int c;
	while ((c = peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		vg_rd_skip(r, 1);
}

static int hex4(vg_rd_t *r, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int c = vg_rd_u8(r);
		if (!vg_rd_ok(r))
			return -1;
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16u;
		if (d > 15)
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/* append one code point as UTF-8 if it fits whole */
static void put_cp(char *out, size_t cap, size_t *n, unsigned cp)
{
	char u[4];
	size_t k;
	if (cp < 0x80) {
		u[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	if (out && *n + k < cap) {
		memcpy(out + *n, u, k);
		*n += k;
	} else if (out) {
		*n = cap; /* full: nothing more is appended */
	}
}

/* a JSON string at r (starting with '"'); its unescaped text into out
 * (cap bytes with the NUL; cut at a character boundary) unless out is NULL */
static int str(vg_rd_t *r, char *out, size_t cap)
{
	size_t n = 0;
	if (vg_rd_u8(r) != '"' || !vg_rd_ok(r))
		return -1;
	for (;;) {
		int c = vg_rd_u8(r);
		if (!vg_rd_ok(r) || (c >= 0 && c < 0x20))
			return -1;
		if (c == '"')
			break;
		if (c != '\\') {
			/* raw UTF-8 bytes: copy a whole sequence or stop */
			if (out && n < cap) {
				size_t k = (c & 0x80) == 0 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
				if (n + k < cap && (k == 1 || vg_rd_left(r) >= k - 1)) {
					out[n++] = (char)c;
					for (size_t i = 1; i < k; i++)
						out[n++] = (char)vg_rd_ptr(r)[i - 1];
					vg_rd_skip(r, k - 1);
				} else {
					n = cap;
				}
			}
			continue;
		}
		int e = vg_rd_u8(r);
		if (!vg_rd_ok(r))
			return -1;
		unsigned cp;
		switch (e) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (hex4(r, &cp))
				return -1;
			if (cp >= 0xd800 && cp < 0xdc00) { /* high surrogate: a low one must follow */
				unsigned lo;
				if (vg_rd_u8(r) != '\\' || vg_rd_u8(r) != 'u' || hex4(r, &lo) || lo < 0xdc00 ||
				    lo > 0xdfff)
					return -1;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				return -1;
			}
			if (cp == 0)
				return -1; /* jansson refuses \u0000 by default */
			break;
		default: return -1;
		}
		put_cp(out, cap, &n, cp);
	}
	if (out) {
		if (n >= cap)
			n = cap - 1;
		/* never end inside a UTF-8 sequence */
		size_t k = n;
		while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && ((unsigned char)out[k - 1] & 0x80)) {
			unsigned char lead = (unsigned char)out[k - 1];
			size_t need = (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : 4;
			if (n - (k - 1) < need)
				n = k - 1;
		}
		out[n] = 0;
	}
	return 0;
}

static int skip_value(vg_rd_t *r, int depth);

static int skip_container(vg_rd_t *r, int depth, int open)
{
	int close = open == '{' ? '}' : ']';
	if (depth > DEPTH_MAX)
		return -1;
	vg_rd_skip(r, 1);
	ws(r);
	if (peek(r) == close) {
		vg_rd_skip(r, 1);
		return 0;
	}
	for (;;) {
		ws(r);
		if (open == '{') {
			if (peek(r) != '"' || str(r, NULL, 0))
				return -1;
			ws(r);
			if (vg_rd_u8(r) != ':' || !vg_rd_ok(r))
				return -1;
		}
		if (skip_value(r, depth + 1))
			return -1;
		ws(r);
		int c = vg_rd_u8(r);
		if (!vg_rd_ok(r))
			return -1;
		if (c == close)
			return 0;
		if (c != ',')
			return -1;
	}
}

static int skip_value(vg_rd_t *r, int depth)
{
	ws(r);
	int c = peek(r);
	if (c == '"')
		return str(r, NULL, 0);
	if (c == '{' || c == '[')
		return skip_container(r, depth, c);
	size_t n = 0;
	while ((c = peek(r)) != -1 && c != ',' && c != '}' && c != ']' && c != ' ' && c != '\t' &&
	       c != '\n' && c != '\r') {
		vg_rd_skip(r, 1);
		n++;
	}
	return n ? 0 : -1;
}

/* a number that jansson would read as an integer (no fraction/exponent) */
static int integer(vg_rd_t *r, long long *v, bool *is_int)
{
	const uint8_t *p = vg_rd_ptr(r);
	size_t left = vg_rd_left(r), n = 0;
	bool neg = false;
	*is_int = true;
	*v = 0;
	if (n < left && p[n] == '-') {
		neg = true;
		n++;
	}
	size_t d0 = n;
	while (n < left && p[n] >= '0' && p[n] <= '9') {
		if (*v < 1000000000000LL)
			*v = *v * 10 + (p[n] - '0');
		n++;
	}
	if (n == d0)
		return -1;
	while (n < left && (p[n] == '.' || p[n] == 'e' || p[n] == 'E' || p[n] == '+' || p[n] == '-' ||
			    (p[n] >= '0' && p[n] <= '9'))) {
		*is_int = false;
		n++;
	}
	if (neg)
		*v = -*v;
	vg_rd_skip(r, n);
	return 0;
}

/* external_references: the first element object having a string "url" */
static int refs(vg_rd_t *r, char *url, size_t cap)
{
	ws(r);
	if (peek(r) != '[')
		return skip_value(r, 1);
	vg_rd_skip(r, 1);
	ws(r);
	if (peek(r) == ']') {
		vg_rd_skip(r, 1);
		return 0;
	}
	for (;;) {
		ws(r);
		if (peek(r) == '{' && !url[0]) {
			vg_rd_skip(r, 1);
			ws(r);
			if (peek(r) == '}') {
				vg_rd_skip(r, 1);
			} else {
				for (;;) {
					char key[8];
					ws(r);
					if (peek(r) != '"' || str(r, key, sizeof key))
						return -1;
					ws(r);
					if (vg_rd_u8(r) != ':' || !vg_rd_ok(r))
						return -1;
					ws(r);
					if (!strcmp(key, "url") && peek(r) == '"' && !url[0]) {
						if (str(r, url, cap))
							return -1;
					} else if (skip_value(r, 3)) {
						return -1;
					}
					ws(r);
					int c = vg_rd_u8(r);
					if (!vg_rd_ok(r))
						return -1;
					if (c == '}')
						break;
					if (c != ',')
						return -1;
				}
			}
		} else if (skip_value(r, 2)) {
			return -1;
		}
		ws(r);
		int c = vg_rd_u8(r);
		if (!vg_rd_ok(r))
			return -1;
		if (c == ']')
			return 0;
		if (c != ',')
			return -1;
	}
}

int vg_hub_stix_fields(const char *json, size_t len, vg_hub_stix_fields_t *f)
{
	memset(f, 0, sizeof *f);
	f->confidence = -1;
	vg_rd_t r = vg_rd_make(json, len);
	ws(&r);
	if (vg_rd_u8(&r) != '{' || !vg_rd_ok(&r))
		return VG_EFORMAT;
	ws(&r);
	if (peek(&r) == '}') {
		vg_rd_skip(&r, 1);
		goto end;
	}
	/* jansson keeps the last of duplicate keys: so do we (fields are reset) */
	for (;;) {
		char key[24];
		ws(&r);
		if (peek(&r) != '"' || str(&r, key, sizeof key))
			return VG_EFORMAT;
		ws(&r);
		if (vg_rd_u8(&r) != ':' || !vg_rd_ok(&r))
			return VG_EFORMAT;
		ws(&r);
		int c = peek(&r);
		char *dst = NULL;
		size_t cap = 0;
		if (!strcmp(key, "name")) {
			dst = f->name;
			cap = sizeof f->name;
		} else if (!strcmp(key, "description")) {
			dst = f->description;
			cap = sizeof f->description;
		} else if (!strcmp(key, "valid_from")) {
			dst = f->valid_from;
			cap = sizeof f->valid_from;
		} else if (!strcmp(key, "valid_until")) {
			dst = f->valid_until;
			cap = sizeof f->valid_until;
		}
		int rc;
		if (dst) {
			dst[0] = 0;
			rc = c == '"' ? str(&r, dst, cap) : skip_value(&r, 1);
		} else if (!strcmp(key, "confidence")) {
			f->confidence = -1;
			if (c == '-' || (c >= '0' && c <= '9')) {
				long long v;
				bool is_int;
				rc = integer(&r, &v, &is_int);
				if (!rc && is_int)
					f->confidence = v >= 0 && v <= 100 ? (int)v : -1;
			} else {
				rc = skip_value(&r, 1);
			}
		} else if (!strcmp(key, "external_references")) {
			f->reference[0] = 0;
			rc = refs(&r, f->reference, sizeof f->reference);
		} else {
			rc = skip_value(&r, 1);
		}
		if (rc)
			return VG_EFORMAT;
		ws(&r);
		c = vg_rd_u8(&r);
		if (!vg_rd_ok(&r))
			return VG_EFORMAT;
		if (c == '}')
			break;
		if (c != ',')
			return VG_EFORMAT;
	}
end:
	ws(&r);
	return vg_rd_left(&r) ? VG_EFORMAT : 0;
}
