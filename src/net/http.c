// SPDX-License-Identifier: Apache-2.0
/*
 * http.c — HTTP/1.x head parsers: the watch engine runs them on the first
 * bytes of a reassembled TCP stream (reasm.c) to get method, URI, Host, URL
 * and User-Agent (requests) or status and Server (responses).
 *
 * Design: find_end() scans for the empty line that ends the head, bounded by
 * the limit; then lines are cut out one by one with sub-readers and copied
 * into the fixed-size fields of the caller's struct (cut and flagged when too
 * long).  Only the request/status line and complete header lines are used.
 * Invariants: no allocation, all reads through vg_rd_*, all output strings
 * NUL-terminated within their arrays.  Thread-safety: reentrant.
 */
#include "net/http.h"

#include <string.h>

#include "lib/rd.h"

/* Offset just past the head's empty line within r's bytes, or 0. */
static size_t find_end(vg_rd_t r)
{
	int nl = 0; /* consecutive newlines, '\r' ignored */
	while (vg_rd_left(&r) > 0) {
		uint8_t c = vg_rd_u8(&r);
		if (c == '\n') {
			if (++nl == 2)
				return r.off;
		} else if (c != '\r') {
			nl = 0;
		}
	}
	return 0;
}

/* Next line from r (without "\r\n"); false at the end or on an unterminated
 * line (an incomplete line is never used). */
static bool next_line(vg_rd_t *r, vg_rd_t *line)
{
	vg_rd_t s = *r;
	size_t n = 0;
	while (vg_rd_left(&s) > 0) {
		if (vg_rd_u8(&s) == '\n') {
			*line = vg_rd_sub(r, n);
			vg_rd_skip(r, 1);
			if (n > 0 && line->p[n - 1] == '\r')
				line->len = n - 1;
			return true;
		}
		n++;
	}
	return false;
}

static bool is_tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Copy r's remaining bytes into dst[cap+1]; returns true when cut. */
static bool copy_str(char *dst, size_t cap, vg_rd_t *r, bool lower)
{
	size_t k = 0;
	while (vg_rd_left(r) > 0 && k < cap) {
		uint8_t c = vg_rd_u8(r);
		if (c < 0x20 || c == 0x7f)
			c = '?';
		else if (lower && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		dst[k++] = (char)c;
	}
	dst[k] = 0;
	return vg_rd_left(r) > 0;
}

static void trim(vg_rd_t *r)
{
	while (vg_rd_left(r) > 0 && (vg_rd_ptr(r)[0] == ' ' || vg_rd_ptr(r)[0] == '\t'))
		vg_rd_skip(r, 1);
	while (vg_rd_left(r) > 0 && (r->p[r->len - 1] == ' ' || r->p[r->len - 1] == '\t'))
		r->len--;
}

/* Bytes up to the next space (consumed); false when no space follows. */
static bool token(vg_rd_t *r, vg_rd_t *tok)
{
	vg_rd_t s = *r;
	size_t n = 0;
	while (vg_rd_left(&s) > 0) {
		if (vg_rd_u8(&s) == ' ') {
			*tok = vg_rd_sub(r, n);
			vg_rd_skip(r, 1);
			return true;
		}
		n++;
	}
	return false;
}

/* "HTTP/d.d" */
static bool version(vg_rd_t *r, uint8_t *maj, uint8_t *min)
{
	uint8_t v[8];
	if (vg_rd_left(r) < 8 || !vg_rd_bytes(r, v, 8))
		return false;
	if (memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' || v[6] != '.' || v[7] < '0' ||
	    v[7] > '9')
		return false;
	*maj = (uint8_t)(v[5] - '0');
	*min = (uint8_t)(v[7] - '0');
	return true;
}

/* Case-insensitive header-name match; on match r is positioned at the value. */
static bool header_is(vg_rd_t line, const char *name, vg_rd_t *val)
{
	size_t n = strlen(name);
	if (vg_rd_left(&line) < n + 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = vg_rd_u8(&line);
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		if (c != (uint8_t)name[i])
			return false;
	}
	if (vg_rd_u8(&line) != ':')
		return false;
	*val = line;
	trim(val);
	return true;
}

int vg_http_split_host(const char *s, size_t n, char host[VG_HTTP_HOST_MAX + 1], uint16_t *port,
		       bool *has_port, bool *bad_port, bool *trunc)
{
	vg_rd_t r = vg_rd_make(s, n);
	*port = 0;
	*has_port = *bad_port = *trunc = false;
	host[0] = 0;
	trim(&r);
	size_t hl = vg_rd_left(&r), pstart = 0;
	const uint8_t *p = vg_rd_ptr(&r);
	bool colon = false;
	if (hl == 0)
		return VG_EFORMAT;
	if (p[0] == '[') {
		size_t i = 1;
		while (i < hl && p[i] != ']')
			i++;
		if (i < hl) { /* keep "[...]" */
			if (i + 1 < hl && p[i + 1] == ':') {
				colon = true;
				pstart = i + 2;
			}
			hl = i + 1;
		}
	} else {
		for (size_t i = hl; i-- > 0;)
			if (p[i] == ':') {
				colon = true;
				pstart = i + 1;
				hl = i;
				break;
			}
	}
	if (colon) {
		size_t plen = vg_rd_left(&r) - pstart;
		uint32_t v = 0;
		bool ok = plen > 0 && plen <= 5;
		for (size_t i = 0; ok && i < plen; i++) {
			uint8_t c = p[pstart + i];
			ok = c >= '0' && c <= '9';
			v = v * 10 + (uint32_t)(c - '0');
		}
		if (ok && v <= 65535) {
			*port = (uint16_t)v;
			*has_port = true;
		} else if (plen > 0) {
			*bad_port = true;
		}
	}
	vg_rd_t h = vg_rd_sub(&r, hl);
	*trunc = copy_str(host, VG_HTTP_HOST_MAX, &h, true);
	return host[0] ? 0 : VG_EFORMAT;
}

static void put(char *dst, size_t cap, size_t *k, const char *s, size_t n, bool *trunc)
{
	for (size_t i = 0; i < n; i++) {
		if (*k >= cap) {
			*trunc = true;
			break;
		}
		dst[(*k)++] = s[i];
	}
	dst[*k] = 0;
}

static void build_url(vg_http_req_t *o, const char *path, size_t plen)
{
	size_t k = 0;
	bool t = false;
	o->url[0] = 0;
	if (!o->has_host)
		return;
	put(o->url, VG_HTTP_URL_MAX, &k, "http://", 7, &t);
	put(o->url, VG_HTTP_URL_MAX, &k, o->host, strlen(o->host), &t);
	if (o->has_port && o->port != 80) {
		char d[6];
		int n = 0;
		unsigned v = o->port;
		do {
			d[5 - n++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		put(o->url, VG_HTTP_URL_MAX, &k, ":", 1, &t);
		put(o->url, VG_HTTP_URL_MAX, &k, d + 6 - n, (size_t)n, &t);
	}
	if (plen == 0 || path[0] != '/')
		put(o->url, VG_HTTP_URL_MAX, &k, "/", 1, &t);
	put(o->url, VG_HTTP_URL_MAX, &k, path, plen, &t);
}

/* Common head framing: returns the block to parse in *blk. */
static int frame(const uint8_t *buf, size_t len, size_t limit, vg_rd_t *blk, bool *truncated,
		 size_t *head_len)
{
	if (limit == 0)
		limit = VG_HTTP_LIMIT;
	size_t avail = len < limit ? len : limit;
	vg_rd_t r = vg_rd_make(buf, avail);
	size_t end = find_end(r);
	*truncated = false;
	*head_len = end;
	if (end) {
		*blk = vg_rd_make(buf, end);
		return 0;
	}
	if (len < limit)
		return VG_EAGAIN;
	*truncated = true;
	*blk = r;
	return 0;
}

int vg_http_parse_request(const uint8_t *buf, size_t len, size_t limit, vg_http_req_t *out)
{
	if (!out || (!buf && len))
		return VG_EINVAL;
	memset(out, 0, sizeof(*out));

	/* early rejection: the bytes so far must be a method token + space */
	{
		vg_rd_t e = vg_rd_make(buf, len);
		size_t n = 0;
		while (vg_rd_left(&e) > 0) {
			uint8_t c = vg_rd_u8(&e);
			if (c == ' ')
				break;
			if (!is_tchar(c) || ++n > VG_HTTP_METHOD_MAX)
				return VG_EFORMAT;
		}
		if (n == 0 && len > 0)
			return VG_EFORMAT;
	}

	vg_rd_t blk, line, tok;
	int rc = frame(buf, len, limit, &blk, &out->truncated, &out->head_len);
	if (rc)
		return rc;
	if (!next_line(&blk, &line))
		return out->truncated ? VG_EFORMAT : VG_EAGAIN;
	if (!token(&line, &tok))
		return VG_EFORMAT;
	copy_str(out->method, VG_HTTP_METHOD_MAX, &tok, false);
	if (!token(&line, &tok) || vg_rd_left(&tok) == 0)
		return VG_EFORMAT;
	vg_rd_t target = tok;
	out->uri_trunc = copy_str(out->uri, VG_HTTP_URI_MAX, &tok, false);
	if (!version(&line, &out->ver_major, &out->ver_minor) || vg_rd_left(&line) != 0)
		return VG_EFORMAT;

	/* absolute-form: scheme "://" authority [path] */
	const char *path = out->uri;
	size_t plen = strlen(out->uri);
	{
		const uint8_t *t = vg_rd_ptr(&target);
		size_t tl = vg_rd_left(&target), i = 0;
		while (i < tl && i < 16 && t[i] != ':' && t[i] != '/')
			i++;
		if (i > 0 && i + 2 < tl && t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/') {
			size_t a = i + 3, b = a;
			while (b < tl && t[b] != '/' && t[b] != '?')
				b++;
			out->absolute_uri = true;
			if (b > a &&
			    vg_http_split_host((const char *)t + a, b - a, out->host, &out->port,
					       &out->has_port, &out->bad_port, &out->host_trunc) == 0)
				out->has_host = true;
			if (b < plen) { /* path within the copied (maybe cut) URI */
				path = out->uri + b;
				plen -= b;
			} else {
				path = "/";
				plen = 1;
			}
		}
	}

	while (next_line(&blk, &line)) {
		vg_rd_t val;
		if (vg_rd_left(&line) == 0)
			break;
		if (!out->has_host && header_is(line, "host", &val)) {
			if (vg_http_split_host((const char *)vg_rd_ptr(&val), vg_rd_left(&val),
					       out->host, &out->port, &out->has_port,
					       &out->bad_port, &out->host_trunc) == 0)
				out->has_host = true;
		} else if (!out->has_ua && header_is(line, "user-agent", &val)) {
			out->has_ua = true;
			out->ua_trunc = copy_str(out->ua, VG_HTTP_UA_MAX, &val, false);
		}
	}
	build_url(out, path, plen);
	return 0;
}

int vg_http_parse_response(const uint8_t *buf, size_t len, size_t limit, vg_http_resp_t *out)
{
	if (!out || (!buf && len))
		return VG_EINVAL;
	memset(out, 0, sizeof(*out));
	{
		size_t k = len < 5 ? len : 5;
		if (memcmp(buf ? (const void *)buf : "", "HTTP/", k) != 0)
			return VG_EFORMAT;
	}
	vg_rd_t blk, line, tok;
	int rc = frame(buf, len, limit, &blk, &out->truncated, &out->head_len);
	if (rc)
		return rc;
	if (!next_line(&blk, &line))
		return out->truncated ? VG_EFORMAT : VG_EAGAIN;
	if (!version(&line, &out->ver_major, &out->ver_minor) || vg_rd_u8(&line) != ' ')
		return VG_EFORMAT;
	uint8_t d[3];
	if (!vg_rd_bytes(&line, d, 3))
		return VG_EFORMAT;
	for (int i = 0; i < 3; i++) {
		if (d[i] < '0' || d[i] > '9')
			return VG_EFORMAT;
		out->status = (uint16_t)(out->status * 10 + (d[i] - '0'));
	}
	if (vg_rd_left(&line) > 0 && vg_rd_u8(&line) != ' ')
		return VG_EFORMAT;
	tok = line;
	copy_str(out->reason, sizeof(out->reason) - 1, &tok, false);
	while (next_line(&blk, &line)) {
		vg_rd_t val;
		if (vg_rd_left(&line) == 0)
			break;
		if (!out->has_server && header_is(line, "server", &val)) {
			out->has_server = true;
			copy_str(out->server, sizeof(out->server) - 1, &val, false);
		}
	}
	return 0;
}
