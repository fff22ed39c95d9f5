// SPDX-License-Identifier: Apache-2.0
/*
 * value.c — classify and normalise one indicator token (vg_ind_parse), its
 * canonical text (vg_ind_format), the reserved-address test, and the small
 * name tables of the intel API (indicator types, TLP levels, feed formats).
 *
 * Every feed reader funnels its values through vg_ind_parse, and the watch
 * engine normalises observed URLs with it too, so one set of rules decides
 * what "the same indicator" means: domains lower-cased without trailing dot,
 * CIDRs stored as their network, URLs keyed as "host[:port]/path?query"
 * without scheme (http and https forms match) and with unreserved %XX
 * decoded.  The plain reader calls this for every line of feeds with
 * hundreds of thousands of lines, so the common cases (dotted IPv4, domain)
 * are hand-parsed without allocation or libc address parsers.
 *
 * Pure functions over caller memory; thread-safe; no allocation.
 */
#include "vigil/intel.h"

#include <string.h>

const char *vg_ind_type_name(vg_ind_type_t t)
{
	switch (t) {
	case VG_IND_IPV4: return "ipv4";
	case VG_IND_IPV6: return "ipv6";
	case VG_IND_CIDR4: return "cidr4";
	case VG_IND_CIDR6: return "cidr6";
	case VG_IND_IPPORT4: return "ip:port4";
	case VG_IND_IPPORT6: return "ip:port6";
	case VG_IND_DOMAIN: return "domain";
	case VG_IND_URL: return "url";
	case VG_IND_MD5: return "md5";
	case VG_IND_SHA1: return "sha1";
	case VG_IND_SHA256: return "sha256";
	default: return "none";
	}
}

const char *vg_tlp_name(vg_tlp_t t)
{
	switch (t) {
	case VG_TLP_CLEAR: return "clear";
	case VG_TLP_GREEN: return "green";
	case VG_TLP_AMBER: return "amber";
	case VG_TLP_AMBER_STRICT: return "amber+strict";
	case VG_TLP_RED: return "red";
	default: return "";
	}
}

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* ieq: s (n bytes) equals the lowercase literal w, ignoring case. */
static bool ieq(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	if (n != k)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lc((unsigned char)s[i]) != w[i])
			return false;
	return true;
}

vg_tlp_t vg_tlp_parse(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 4 && ieq(s, 4, "tlp:")) {
		s += 4;
		n -= 4;
	}
	if (ieq(s, n, "clear") || ieq(s, n, "white"))
		return VG_TLP_CLEAR;
	if (ieq(s, n, "green"))
		return VG_TLP_GREEN;
	if (ieq(s, n, "amber"))
		return VG_TLP_AMBER;
	if (ieq(s, n, "amber+strict"))
		return VG_TLP_AMBER_STRICT;
	if (ieq(s, n, "red"))
		return VG_TLP_RED;
	return VG_TLP_UNSET;
}

static const char *const fmt_names[] = {"auto", "plain", "ipsum",    "csv",
					"suricata", "zeek", "stix", "compiled",
					"clamav"};

const char *vg_feed_fmt_name(vg_feed_fmt_t f)
{
	if ((unsigned)f < sizeof fmt_names / sizeof fmt_names[0])
		return fmt_names[f];
	return "unknown";
}

int vg_feed_fmt_parse(const char *s)
{
	if (!s)
		return -1;
	for (unsigned i = 0; i < sizeof fmt_names / sizeof fmt_names[0]; i++)
		if (ieq(s, strlen(s), fmt_names[i]))
			return (int)i;
	return -1;
}

/* ---- small parsers ------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lc(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * parse_v4 — strict dotted-quad decimal (no leading zeros, which some
 * parsers read as octal).  Hand-rolled because it runs once per line of
 * feeds with 100k+ lines and inet_pton needs a NUL-terminated copy.
 */
static bool parse_v4(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
		size_t st = i;
		unsigned o = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 4)
			o = o * 10 + (unsigned)(s[i++] - '0');
		size_t d = i - st;
		if (d == 0 || d > 3 || o > 255 || (d > 1 && s[st] == '0'))
			return false;
		v = v << 8 | o;
	}
	if (i != n)
		return false;
	*out = v;
	return true;
}

/* parse_ip: IPv4 fast path, then IPv6 via vg_ip_parse. */
static bool parse_ip(const char *s, size_t n, vg_ip_t *ip)
{
	uint32_t v4;
	if (memchr(s, ':', n) == NULL) {
		if (!parse_v4(s, n, &v4))
			return false;
		vg_ip_set4(ip, v4);
		return true;
	}
	return vg_ip_parse(s, n, ip) == 0;
}

/* parse_uint: decimal digits only, at most max. */
static bool parse_uint(const char *s, size_t n, unsigned max, unsigned *out)
{
	if (n == 0 || n > 10)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (unsigned)v;
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

static void set_single(vg_ind_t *o, const vg_ip_t *ip)
{
	o->ip = *ip;
	o->prefix = 128;
	o->type = vg_ip_is4(ip) ? VG_IND_IPV4 : VG_IND_IPV6;
}

static void clear_host_bits(vg_ip_t *ip, unsigned prefix)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bit = i * 8;
		if (bit >= prefix)
			ip->a[i] = 0;
		else if (prefix - bit < 8)
			ip->a[i] &= (uint8_t)(0xff << (8 - (prefix - bit)));
	}
}

/*
 * norm_domain — validate a host name and write it lower-cased, without
 * trailing dot, to dst (capacity >= n + 1).  Returns the length, or 0 with
 * *why set.  Rejects single-label names: as an indicator with parent-domain
 * matching, "com" would flag a whole top-level domain.
 */
static size_t norm_domain(const char *s, size_t n, char *dst, const char **why)
{
	if (n && s[n - 1] == '.')
		n--;
	if (n == 0) {
		*why = "empty domain name";
		return 0;
	}
	if (n > VG_DOMAIN_MAX) {
		*why = "domain name longer than 253 characters";
		return 0;
	}
	size_t lab = 0, dots = 0;
	bool lastnum = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (lab == 0) {
				*why = "empty label in domain name";
				return 0;
			}
			dots++;
			lab = 0;
			lastnum = true;
			dst[i] = '.';
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
			*why = "invalid character in domain name";
			return 0;
		}
		if (c < '0' || c > '9')
			lastnum = false;
		if (++lab > 63) {
			*why = "domain label longer than 63 characters";
			return 0;
		}
		dst[i] = (char)c;
	}
	if (lab == 0) {
		*why = "empty label in domain name";
		return 0;
	}
	if (dots == 0) {
		*why = "single-label domain name";
		return 0;
	}
	if (lastnum) {
		*why = "invalid IPv4 address";
		return 0;
	}
	dst[n] = 0;
	return n;
}

static bool is_unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static const char HEXU[] = "0123456789ABCDEF";

/*
 * parse_url — s is a URL with or without "scheme://".  Writes the key
 * "host[:port]/path?query" to o->str.
 */
static int parse_url(const char *s, size_t n, vg_ind_t *o, const char **why)
{
	size_t i = 0;
	int defport = 0; /* 0: no scheme, drop both 80 and 443 */
	const char *ss = NULL;
	for (size_t k = 0; k + 2 < n && k < 16; k++) {
		if (s[k] == ':' && s[k + 1] == '/' && s[k + 2] == '/') {
			ss = s + k;
			break;
		}
	}
	if (ss) {
		size_t sl = (size_t)(ss - s);
		if (ieq(s, sl, "http"))
			defport = 80;
		else if (ieq(s, sl, "https"))
			defport = 443;
		else {
			*why = "unsupported URL scheme";
			return VG_EINVAL;
		}
		i = sl + 3;
	}
	/* authority */
	size_t as = i;
	while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
		i++;
	size_t ae = i;
	for (size_t k = ae; k > as; k--)
		if (s[k - 1] == '@') { /* userinfo is not part of the key */
			as = k;
			break;
		}
	if (as == ae) {
		*why = "URL without host";
		return VG_EINVAL;
	}
	const char *h = s + as;
	size_t hn = ae - as, pn = 0;
	const char *pp = NULL;
	char *d = o->str;
	size_t dl = 0;
	if (h[0] == '[') {
		const char *rb = memchr(h, ']', hn);
		if (!rb) {
			*why = "invalid IPv6 literal in URL";
			return VG_EINVAL;
		}
		vg_ip_t ip;
		if (vg_ip_parse(h + 1, (size_t)(rb - h - 1), &ip) != 0) {
			*why = "invalid IPv6 literal in URL";
			return VG_EINVAL;
		}
		size_t rest = hn - (size_t)(rb + 1 - h);
		if (rest) {
			if (rb[1] != ':') {
				*why = "invalid URL host";
				return VG_EINVAL;
			}
			pp = rb + 2;
			pn = rest - 1;
		}
		char tmp[64];
		size_t tl = vg_ip_format(&ip, tmp, sizeof tmp);
		if (vg_ip_is4(&ip)) {
			memcpy(d, tmp, tl);
			dl = tl;
		} else {
			d[0] = '[';
			memcpy(d + 1, tmp, tl);
			d[tl + 1] = ']';
			dl = tl + 2;
		}
	} else {
		const char *c = memchr(h, ':', hn);
		size_t hl = hn;
		if (c) {
			hl = (size_t)(c - h);
			pp = c + 1;
			pn = hn - hl - 1;
		}
		vg_ip_t ip;
		uint32_t v4;
		if (parse_v4(h, hl, &v4)) {
			vg_ip_set4(&ip, v4);
			dl = vg_ip_format(&ip, d, 64);
		} else {
			const char *w = NULL;
			dl = norm_domain(h, hl, d, &w);
			if (!dl) {
				*why = w;
				return VG_EINVAL;
			}
		}
	}
	if (pp) {
		unsigned port;
		if (pn == 0) {
			/* "host:/" — empty port means the default */
		} else if (!parse_uint(pp, pn, 65535, &port) || port == 0) {
			*why = "invalid port";
			return VG_ERANGE;
		} else if (!((defport == 80 || defport == 0) && port == 80) &&
			   !((defport == 443 || defport == 0) && port == 443)) {
			d[dl++] = ':';
			char nb[8];
			int k = 0;
			while (port) {
				nb[k++] = (char)('0' + port % 10);
				port /= 10;
			}
			while (k)
				d[dl++] = nb[--k];
		}
	}
	/* path and query; fragment dropped */
	size_t end = i;
	while (end < n && s[end] != '#')
		end++;
	if (i == end || s[i] != '/')
		d[dl++] = '/';
	for (; i < end; i++) {
		unsigned char c = (unsigned char)s[i];
		if (dl + 3 > VG_URL_MAX) {
			*why = "URL longer than 2048 characters";
			return VG_EINVAL;
		}
		if (c <= 0x20 || c == 0x7f) {
			*why = "invalid character in URL";
			return VG_EINVAL;
		}
		if (c == '%' && i + 2 < end && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			int v = hexval(s[i + 1]) << 4 | hexval(s[i + 2]);
			if (is_unreserved(v)) {
				d[dl++] = (char)v;
			} else {
				d[dl++] = '%';
				d[dl++] = HEXU[v >> 4];
				d[dl++] = HEXU[v & 15];
			}
			i += 2;
		} else if (c >= 0x80) {
			d[dl++] = '%';
			d[dl++] = HEXU[c >> 4];
			d[dl++] = HEXU[c & 15];
		} else {
			d[dl++] = (char)c;
		}
	}
	if (dl > VG_URL_MAX) {
		*why = "URL longer than 2048 characters";
		return VG_EINVAL;
	}
	d[dl] = 0;
	o->len = (uint16_t)dl;
	o->type = VG_IND_URL;
	o->prefix = 0;
	return 0;
}

static int parse_hash(const char *s, size_t n, vg_ind_t *o)
{
	for (size_t i = 0; i < n; i += 2) {
		int a = hexval(s[i]), b = hexval(s[i + 1]);
		if (a < 0 || b < 0)
			return VG_EINVAL;
		o->hash[i / 2] = (uint8_t)(a << 4 | b);
	}
	o->type = n == 32 ? VG_IND_MD5 : n == 40 ? VG_IND_SHA1 : VG_IND_SHA256;
	return 0;
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hexval((unsigned char)s[i]) < 0)
			return false;
	return true;
}

static bool is_hash_type(vg_ind_type_t t)
{
	return t == VG_IND_MD5 || t == VG_IND_SHA1 || t == VG_IND_SHA256;
}

static bool is_ip_type(vg_ind_type_t t)
{
	return t >= VG_IND_IPV4 && t <= VG_IND_IPPORT6;
}

/* detect: the classification without hint checks. */
static int detect(const char *s, size_t n, vg_ind_type_t hint, vg_ind_t *o, const char **why)
{
	vg_ip_t ip;
	unsigned v;
	if (hint == VG_IND_URL)
		return parse_url(s, n, o, why);
	const char *col = memchr(s, ':', n);
	if (col && (size_t)(col - s) + 2 < n && col[1] == '/' && col[2] == '/')
		return parse_url(s, n, o, why);
	if ((n == 32 || n == 40 || n == 64) && all_hex(s, n))
		return parse_hash(s, n, o);
	if (is_hash_type(hint)) {
		*why = "invalid hash (expected 32, 40 or 64 hex digits)";
		return VG_EINVAL;
	}
	/* fast path: plain IPv4 */
	uint32_t v4;
	if (n <= 15 && parse_v4(s, n, &v4)) {
		vg_ip_set4(&o->ip, v4);
		o->prefix = 128;
		o->type = VG_IND_IPV4;
		return 0;
	}
	if (s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		if (!rb || vg_ip_parse(s + 1, (size_t)(rb - s - 1), &ip) != 0) {
			*why = "invalid IPv6 address";
			return VG_EINVAL;
		}
		size_t rest = n - (size_t)(rb + 1 - s);
		if (rest == 0) {
			set_single(o, &ip);
			return 0;
		}
		if (rb[1] == '/') /* "[v6]/path": a URL */
			return parse_url(s, n, o, why);
		if (rb[1] != ':') {
			*why = "invalid IPv6 address";
			return VG_EINVAL;
		}
		if (rest >= 2 && memchr(rb + 2, '/', rest - 1))
			return parse_url(s, n, o, why);
		if (!parse_uint(rb + 2, rest - 1, 65535, &v) || v == 0) {
			*why = "invalid port";
			return VG_ERANGE;
		}
		set_single(o, &ip);
		o->type = vg_ip_is4(&ip) ? VG_IND_IPPORT4 : VG_IND_IPPORT6;
		o->port = (uint16_t)v;
		return 0;
	}
	const char *sl = memchr(s, '/', n);
	if (sl) {
		size_t hl = (size_t)(sl - s);
		if (hl == 0) {
			*why = "path without host";
			return VG_EINVAL;
		}
		if (parse_ip(s, hl, &ip) && all_digits(sl + 1, n - hl - 1) && n - hl - 1 <= 3) {
			bool is4 = vg_ip_is4(&ip) && memchr(s, ':', hl) == NULL;
			unsigned max = is4 ? 32 : 128;
			if (!parse_uint(sl + 1, n - hl - 1, max, &v)) {
				*why = "invalid CIDR";
				return VG_ERANGE;
			}
			unsigned pfx = is4 ? 96 + v : v;
			clear_host_bits(&ip, pfx);
			o->ip = ip;
			o->prefix = (uint8_t)pfx;
			if (pfx == 128)
				o->type = vg_ip_is4(&ip) ? VG_IND_IPV4 : VG_IND_IPV6;
			else
				o->type = (vg_ip_is4(&ip) && pfx >= 96) ? VG_IND_CIDR4 : VG_IND_CIDR6;
			return 0;
		}
		if (parse_ip(s, hl, &ip) && n - hl - 1 > 0 && all_digits(sl + 1, n - hl - 1)) {
			*why = "invalid CIDR";
			return VG_ERANGE;
		}
		return parse_url(s, n, o, why);
	}
	const char *c = memchr(s, ':', n);
	if (c) {
		if (memchr(c + 1, ':', n - (size_t)(c - s) - 1)) { /* IPv6 */
			if (vg_ip_parse(s, n, &ip) != 0) {
				*why = "invalid IPv6 address";
				return VG_EINVAL;
			}
			set_single(o, &ip);
			return 0;
		}
		size_t hl = (size_t)(c - s);
		if (parse_v4(s, hl, &v4)) {
			if (!parse_uint(c + 1, n - hl - 1, 65535, &v) || v == 0) {
				*why = "invalid port";
				return VG_ERANGE;
			}
			vg_ip_set4(&o->ip, v4);
			o->prefix = 128;
			o->port = (uint16_t)v;
			o->type = VG_IND_IPPORT4;
			return 0;
		}
		*why = "port on a domain name is not supported";
		if (norm_domain(s, hl, o->str, &(const char *){NULL}) == 0)
			*why = "invalid value";
		return VG_EINVAL;
	}
	size_t dl = norm_domain(s, n, o->str, why);
	if (!dl)
		return VG_EINVAL;
	o->len = (uint16_t)dl;
	o->type = VG_IND_DOMAIN;
	o->prefix = 0;
	return 0;
}

int vg_ind_parse(const char *s, size_t n, vg_ind_type_t hint, vg_ind_t *out, const char **why)
{
	static const char *dummy;
	if (!why)
		why = &dummy;
	*why = NULL;
	out->type = VG_IND_NONE;
	out->prefix = 0;
	out->port = 0;
	out->len = 0;
	out->str[0] = 0;
	if (n == 0) {
		*why = "empty value";
		return VG_EINVAL;
	}
	int r = detect(s, n, hint, out, why);
	if (r != 0) {
		out->type = VG_IND_NONE;
		if (!*why)
			*why = "invalid value";
		/* an IP-typed column: name the expectation, not the domain rule */
		if (r == VG_EINVAL && is_ip_type(hint) && !memchr(s, '/', n))
			*why = "invalid IP address";
		return r;
	}
	if (is_ip_type(out->type))
		out->len = 0;
	/* hint compatibility */
	if (is_hash_type(hint) && out->type != hint) {
		*why = hint == VG_IND_MD5	? "invalid MD5 hash"
		       : hint == VG_IND_SHA1 ? "invalid SHA-1 hash"
					     : "invalid SHA-256 hash";
		out->type = VG_IND_NONE;
		return VG_EINVAL;
	}
	if (is_ip_type(hint) && !is_ip_type(out->type)) {
		*why = "invalid IP address";
		out->type = VG_IND_NONE;
		return VG_EINVAL;
	}
	if ((hint == VG_IND_CIDR4 || hint == VG_IND_CIDR6) &&
	    !(out->type >= VG_IND_IPV4 && out->type <= VG_IND_CIDR6)) {
		*why = "invalid CIDR";
		out->type = VG_IND_NONE;
		return VG_EINVAL;
	}
	if (hint == VG_IND_DOMAIN && out->type != VG_IND_DOMAIN && out->type != VG_IND_IPV4 &&
	    out->type != VG_IND_IPV6) {
		*why = "invalid domain name";
		out->type = VG_IND_NONE;
		return VG_EINVAL;
	}
	return 0;
}

size_t vg_ind_format(const vg_ind_t *ind, char *buf, size_t n)
{
	char tmp[VG_URL_MAX + 64];
	size_t l = 0;
	switch (ind->type) {
	case VG_IND_IPV4:
	case VG_IND_IPV6:
		l = vg_ip_format(&ind->ip, tmp, sizeof tmp);
		break;
	case VG_IND_CIDR4:
	case VG_IND_CIDR6: {
		l = vg_ip_format(&ind->ip, tmp, sizeof tmp);
		unsigned p = ind->type == VG_IND_CIDR4 ? ind->prefix - 96u : ind->prefix;
		tmp[l++] = '/';
		if (p >= 100)
			tmp[l++] = (char)('0' + p / 100);
		if (p >= 10)
			tmp[l++] = (char)('0' + p / 10 % 10);
		tmp[l++] = (char)('0' + p % 10);
		break;
	}
	case VG_IND_IPPORT4:
	case VG_IND_IPPORT6: {
		if (ind->type == VG_IND_IPPORT6)
			tmp[l++] = '[';
		l += vg_ip_format(&ind->ip, tmp + l, sizeof tmp - l);
		if (ind->type == VG_IND_IPPORT6)
			tmp[l++] = ']';
		tmp[l++] = ':';
		char nb[8];
		int k = 0;
		unsigned p = ind->port;
		do {
			nb[k++] = (char)('0' + p % 10);
			p /= 10;
		} while (p);
		while (k)
			tmp[l++] = nb[--k];
		break;
	}
	case VG_IND_DOMAIN:
	case VG_IND_URL:
		l = ind->len;
		memcpy(tmp, ind->str, l);
		break;
	case VG_IND_MD5:
	case VG_IND_SHA1:
	case VG_IND_SHA256: {
		size_t hl = ind->type == VG_IND_MD5 ? 16 : ind->type == VG_IND_SHA1 ? 20 : 32;
		static const char hx[] = "0123456789abcdef";
		for (size_t i = 0; i < hl; i++) {
			tmp[l++] = hx[ind->hash[i] >> 4];
			tmp[l++] = hx[ind->hash[i] & 15];
		}
		break;
	}
	default:
		break;
	}
	if (n == 0)
		return 0;
	if (l >= n)
		l = n - 1;
	memcpy(buf, tmp, l);
	buf[l] = 0;
	return l;
}

/* ---- reserved ranges, in the 128-bit space --------------------------------- */

typedef struct {
	uint8_t a[16];
	uint8_t len;
} net_t;

#define V4(a, b, c, d, l)                                                                  \
	{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d}, 96 + l}

static const net_t reserved[] = {
	V4(0, 0, 0, 0, 8),       V4(127, 0, 0, 0, 8),	  V4(10, 0, 0, 0, 8),
	V4(172, 16, 0, 0, 12),   V4(192, 168, 0, 0, 16), V4(100, 64, 0, 0, 10),
	V4(169, 254, 0, 0, 16),  V4(224, 0, 0, 0, 4),	  V4(240, 0, 0, 0, 4),
	{{0}, 128},                                      /* :: */
	{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128}, /* ::1 */
	{{0xfc}, 7},
	{{0xfe, 0x80}, 10},
	{{0xff}, 8},
};

static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned full = len / 8, rem = len % 8;
	if (memcmp(a, b, full) != 0)
		return false;
	if (rem) {
		uint8_t m = (uint8_t)(0xff << (8 - rem));
		if ((a[full] & m) != (b[full] & m))
			return false;
	}
	return true;
}

bool vg_reserved_range(size_t i, vg_ip_t *net, unsigned *prefix)
{
	if (i >= sizeof reserved / sizeof reserved[0])
		return false;
	memcpy(net->a, reserved[i].a, 16);
	*prefix = reserved[i].len;
	return true;
}

/* Fast path for a single IPv4 address (the packet path asks for every flow
 * endpoint): the same ranges as reserved[], tested on the integer. */
static bool v4_reserved(uint32_t a)
{
	switch (a >> 24) {
	case 0: case 10: case 127: return true;
	case 100: return (a & 0xffc00000u) == 0x64400000u; /* 100.64/10 */
	case 169: return (a & 0xffff0000u) == 0xa9fe0000u; /* 169.254/16 */
	case 172: return (a & 0xfff00000u) == 0xac100000u; /* 172.16/12 */
	case 192: return (a & 0xffff0000u) == 0xc0a80000u; /* 192.168/16 */
	default: return a >= 0xe0000000u;                  /* 224/4, 240/4 */
	}
}

bool vg_ip_reserved(const vg_ip_t *ip, unsigned prefix)
{
	if (prefix >= 128 && vg_ip_is4(ip))
		return v4_reserved(vg_ip_v4(ip));
	if (prefix > 128)
		prefix = 128;
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
		unsigned m = prefix < reserved[i].len ? prefix : reserved[i].len;
		if (prefix_eq(ip->a, reserved[i].a, m))
			return true;
	}
	/* 255.255.255.255 is inside 240/4 */
	return false;
}
