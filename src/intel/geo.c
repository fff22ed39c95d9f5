// SPDX-License-Identifier: Apache-2.0
/*
 * geo.c — country database for the foreign-server policy (vigil watch
 * --geo).  Two kinds of source, detected by content:
 *  - MMDB files, opened with libmaxminddb (memory-mapped by the library);
 *    a lookup reads country.iso_code, else registered_country.iso_code;
 *  - RIR delegated-statistics text files, parsed here into address ranges
 *    (IPv4-mapped and IPv6 in one 128-bit space, compared as big-endian
 *    bytes), sorted and made disjoint by vg_geo_build, then answered by
 *    binary search.  An IPv4 record's value is an address count, not
 *    always a power of two, so it is kept as a range, never rounded.
 * Lookups ask the sources in the order their files were given; all RIR
 * files share one index, asked at the place of the first RIR file.
 * Invariants: after build, ranges are sorted and pairwise disjoint.
 * Thread-safety: building is single-threaded; lookups only read.
 * Ownership: the vg_geo_t owns its MMDB handles and range array.
 * Never prints; errors are returned with a "FILE[:LINE]: reason" message.
 */
#include "intel/geo.h"

#include <maxminddb.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef struct range {
	uint8_t lo[16], hi[16];
	char cc[2];
} range_t;

/* A source in lookup order: an MMDB, or the shared RIR index. */
typedef struct source {
	MMDB_s *mmdb; /* NULL: the RIR index */
} source_t;

struct vg_geo {
	range_t *r;
	size_t n, cap;
	source_t *src;
	int n_src;
	int rir_src; /* index of the RIR source in src, -1 if none yet */
};

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int vg_geo_new(vg_geo_t **out)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return VG_ENOMEM;
	(*out)->rir_src = -1;
	return 0;
}

void vg_geo_free(vg_geo_t *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->n_src; i++)
		if (g->src[i].mmdb) {
			MMDB_close(g->src[i].mmdb);
			free(g->src[i].mmdb);
		}
	free(g->src);
	free(g->r);
	free(g);
}

size_t vg_geo_ranges(const vg_geo_t *g) { return g ? g->n : 0; }

static int add_source(vg_geo_t *g, MMDB_s *mmdb)
{
	source_t *s = realloc(g->src, (size_t)(g->n_src + 1) * sizeof *s);
	if (!s)
		return VG_ENOMEM;
	g->src = s;
	g->src[g->n_src].mmdb = mmdb;
	g->n_src++;
	return 0;
}

/* ---- RIR delegated statistics ------------------------------------------------------------ */

typedef struct field {
	const char *p;
	size_t n;
} field_t;

static bool feq(field_t f, const char *s) { return f.n == strlen(s) && !memcmp(f.p, s, f.n); }

/* Decimal digits only, at most max. */
static bool fnum(field_t f, uint64_t max, uint64_t *out)
{
	if (!f.n || f.n > 20)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (f.p[i] < '0' || f.p[i] > '9')
			return false;
		uint64_t d = (uint64_t)(f.p[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static int push(vg_geo_t *g, const uint8_t lo[16], const uint8_t hi[16], const char cc[2])
{
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 1024;
		range_t *r = realloc(g->r, nc * sizeof *r);
		if (!r)
			return VG_ENOMEM;
		g->r = r;
		g->cap = nc;
	}
	range_t *e = &g->r[g->n++];
	memcpy(e->lo, lo, 16);
	memcpy(e->hi, hi, 16);
	e->cc[0] = cc[0];
	e->cc[1] = cc[1];
	return 0;
}

/* One line (without its newline).  Returns 0 (used or skipped), or
 * VG_EFORMAT with *why set, or VG_ENOMEM. */
static int rir_line(vg_geo_t *g, const char *s, size_t n, const char **why)
{
	if (n && s[n - 1] == '\r')
		n--;
	size_t k = 0;
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k == n || s[k] == '#')
		return 0;
	field_t f[8];
	int nf = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '|') {
			if (nf < 8)
				f[nf] = (field_t){s + start, i - start};
			nf++;
			start = i + 1;
		}
	}
	uint64_t v;
	/* version line: 2|apnic|20240101|... (first field a number) */
	if (nf >= 1 && fnum(f[0], UINT64_MAX, &v))
		return 0;
	/* summary: apnic|*|ipv4|*|1234|summary */
	if (nf >= 6 && feq(f[5], "summary"))
		return 0;
	if (nf < 7) {
		*why = "expected registry|cc|type|start|value|date|status";
		return VG_EFORMAT;
	}
	bool v4 = feq(f[2], "ipv4"), v6 = feq(f[2], "ipv6");
	if (!v4 && !v6) {
		if (feq(f[2], "asn"))
			return 0;
		*why = "type is not asn, ipv4 or ipv6";
		return VG_EFORMAT;
	}
	field_t st = f[6];
	if (!feq(st, "allocated") && !feq(st, "assigned")) {
		if (feq(st, "available") || feq(st, "reserved"))
			return 0;
		*why = "status is not allocated, assigned, available or reserved";
		return VG_EFORMAT;
	}
	char cc[2];
	if (f[1].n != 2) {
		*why = "country code is not two letters";
		return VG_EFORMAT;
	}
	for (int i = 0; i < 2; i++) {
		char c = f[1].p[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z') {
			*why = "country code is not two letters";
			return VG_EFORMAT;
		}
		cc[i] = c;
	}
	vg_ip_t ip;
	if (f[3].n > 45 || vg_ip_parse(f[3].p, f[3].n, &ip)) {
		*why = "bad start address";
		return VG_EFORMAT;
	}
	uint8_t hi[16];
	if (v4) {
		if (!vg_ip_is4(&ip)) {
			*why = "ipv4 record with an IPv6 start address";
			return VG_EFORMAT;
		}
		uint64_t s4 = vg_ip_v4(&ip);
		if (!fnum(f[4], (uint64_t)1 << 32, &v) || v == 0 || s4 + v - 1 > UINT32_MAX) {
			*why = "ipv4 value must be an address count that fits after the start";
			return VG_EFORMAT;
		}
		vg_ip_t e;
		vg_ip_set4(&e, (uint32_t)(s4 + v - 1));
		memcpy(hi, e.a, 16);
	} else {
		if (vg_ip_is4(&ip)) {
			*why = "ipv6 record with an IPv4 start address";
			return VG_EFORMAT;
		}
		if (!fnum(f[4], 128, &v)) {
			*why = "ipv6 value must be a prefix length 0-128";
			return VG_EFORMAT;
		}
		for (int i = 0; i < 16; i++) {
			int bits = (int)v - i * 8; /* network bits in this byte */
			uint8_t m = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
			ip.a[i] &= m;
			hi[i] = ip.a[i] | (uint8_t)~m;
		}
	}
	return push(g, ip.a, hi, cc);
}

int vg_geo_add_rir(vg_geo_t *g, const char *name, const uint8_t *data, size_t len, char *err,
		   size_t errlen)
{
	if (g->rir_src < 0) {
		int r = add_source(g, NULL);
		if (r) {
			seterr(err, errlen, "%s: out of memory", name);
			return r;
		}
		g->rir_src = g->n_src - 1;
	}
	const char *s = (const char *)data;
	size_t pos = 0;
	unsigned long line = 0;
	while (pos < len) {
		line++;
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (s + pos)) : len - pos;
		if (memchr(s + pos, '\0', n)) {
			seterr(err, errlen, "%s:%lu: NUL byte (not a text file)", name, line);
			return VG_EFORMAT;
		}
		const char *why = NULL;
		int r = rir_line(g, s + pos, n, &why);
		if (r == VG_ENOMEM) {
			seterr(err, errlen, "%s: out of memory", name);
			return r;
		}
		if (r) {
			seterr(err, errlen, "%s:%lu: %s", name, line, why);
			return r;
		}
		pos += n + (nl ? 1 : 0);
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const range_t *x = a, *y = b;
	int c = memcmp(x->lo, y->lo, 16);
	if (c)
		return c;
	return -memcmp(x->hi, y->hi, 16); /* wider first */
}

static void inc128(uint8_t a[16])
{
	for (int i = 15; i >= 0; i--)
		if (++a[i])
			break;
}

int vg_geo_build(vg_geo_t *g)
{
	if (!g->n)
		return 0;
	qsort(g->r, g->n, sizeof *g->r, cmp_range);
	/* make disjoint: keep the first range; a later overlapping one keeps
	 * only its part beyond the kept range's end (in place: out <= i) */
	size_t out = 1;
	for (size_t i = 1; i < g->n; i++) {
		range_t cur = g->r[i];
		range_t *last = &g->r[out - 1];
		if (memcmp(cur.lo, last->hi, 16) <= 0) {
			if (memcmp(cur.hi, last->hi, 16) <= 0)
				continue; /* nested: dropped */
			memcpy(cur.lo, last->hi, 16);
			inc128(cur.lo);
		}
		g->r[out++] = cur;
	}
	g->n = out;
	return 0;
}

static bool rir_lookup(const vg_geo_t *g, const vg_ip_t *ip, char cc[3])
{
	size_t lo = 0, hi = g->n; /* find the last range with r.lo <= ip */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(g->r[mid].lo, ip->a, 16) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	const range_t *e = &g->r[lo - 1];
	if (memcmp(ip->a, e->hi, 16) > 0)
		return false;
	cc[0] = e->cc[0];
	cc[1] = e->cc[1];
	cc[2] = 0;
	return true;
}

/* ---- MMDB ------------------------------------------------------------------------------ */

static const uint8_t mmdb_marker[14] = "\xab\xcd\xefMaxMind.com";

static bool is_mmdb(const uint8_t *d, size_t n)
{
	/* the metadata section is in the last 128 KiB */
	size_t from = n > 131072 ? n - 131072 : 0;
	for (size_t i = n >= sizeof mmdb_marker ? n - sizeof mmdb_marker + 1 : 0; i-- > from;)
		if (d[i] == 0xab && !memcmp(d + i, mmdb_marker, sizeof mmdb_marker))
			return true;
	return false;
}

static int add_mmdb(vg_geo_t *g, const char *path, char *err, size_t errlen)
{
	MMDB_s *m = calloc(1, sizeof *m);
	if (!m) {
		seterr(err, errlen, "%s: out of memory", path);
		return VG_ENOMEM;
	}
	int s = MMDB_open(path, MMDB_MODE_MMAP, m);
	if (s != MMDB_SUCCESS) {
		seterr(err, errlen, "%s: corrupt MMDB database: %s", path, MMDB_strerror(s));
		free(m);
		return s == MMDB_IO_ERROR || s == MMDB_FILE_OPEN_ERROR ? VG_EIO : VG_ECORRUPT;
	}
	if (m->metadata.ip_version != 4 && m->metadata.ip_version != 6) {
		seterr(err, errlen, "%s: corrupt MMDB database: ip_version %u", path,
		       m->metadata.ip_version);
		MMDB_close(m);
		free(m);
		return VG_ECORRUPT;
	}
	int r = add_source(g, m);
	if (r) {
		MMDB_close(m);
		free(m);
		seterr(err, errlen, "%s: out of memory", path);
	}
	return r;
}

/* 1 found, 0 not, VG_ECORRUPT */
static int mmdb_lookup(MMDB_s *m, const vg_ip_t *ip, char cc[3])
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	if (vg_ip_is4(ip)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, ip->a + 12, 4);
	} else {
		if (m->metadata.ip_version == 4)
			return 0;
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, ip->a, 16);
	}
	int me = MMDB_SUCCESS;
	MMDB_lookup_result_s res = MMDB_lookup_sockaddr(m, (struct sockaddr *)&ss, &me);
	if (me != MMDB_SUCCESS)
		return VG_ECORRUPT;
	if (!res.found_entry)
		return 0;
	static const char *const paths[2][3] = {{"country", "iso_code", NULL},
						{"registered_country", "iso_code", NULL}};
	for (int p = 0; p < 2; p++) {
		MMDB_entry_data_s d;
		int s = MMDB_aget_value(&res.entry, &d, paths[p]);
		if (s == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR || s == MMDB_INVALID_LOOKUP_PATH_ERROR)
			continue;
		if (s != MMDB_SUCCESS)
			return VG_ECORRUPT;
		if (!d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size != 2)
			continue;
		char a = d.utf8_string[0], b = d.utf8_string[1];
		if (a >= 'a' && a <= 'z')
			a = (char)(a - 'a' + 'A');
		if (b >= 'a' && b <= 'z')
			b = (char)(b - 'a' + 'A');
		if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
			continue;
		cc[0] = a;
		cc[1] = b;
		cc[2] = 0;
		return 1;
	}
	return 0;
}

int vg_geo_country(const vg_geo_t *g, const vg_ip_t *ip, char cc[3])
{
	cc[0] = 0;
	int rc = 0;
	for (int i = 0; g && i < g->n_src; i++) {
		if (!g->src[i].mmdb) {
			if (rir_lookup(g, ip, cc))
				return 1;
			continue;
		}
		int r = mmdb_lookup(g->src[i].mmdb, ip, cc);
		if (r == 1)
			return 1;
		if (r < 0)
			rc = r; /* a later source may still know it */
	}
	cc[0] = 0;
	return rc;
}

/* ---- files ----------------------------------------------------------------------------- */

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return VG_EIO;
	size_t cap = 65536, n = 0;
	uint8_t *b = malloc(cap);
	while (b) {
		if (n == cap) {
			uint8_t *nb = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
		size_t k = fread(b + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
	}
	int e = ferror(f) ? errno : 0;
	fclose(f);
	if (!b)
		return VG_ENOMEM;
	if (e) {
		free(b);
		errno = e;
		return VG_EIO;
	}
	*out = b;
	*len = n;
	return 0;
}

int vg_geo_add_file(vg_geo_t *g, const char *path, char *err, size_t errlen)
{
	uint8_t *d = NULL;
	size_t n = 0;
	int r = read_all(path, &d, &n);
	if (r) {
		seterr(err, errlen, "%s: cannot read: %s", path,
		       r == VG_ENOMEM ? "out of memory" : strerror(errno));
		return r;
	}
	if (!n) {
		free(d);
		seterr(err, errlen, "%s: empty file", path);
		return VG_EEMPTY;
	}
	if (is_mmdb(d, n)) {
		free(d);
		return add_mmdb(g, path, err, errlen);
	}
	if (memchr(d, '\0', n)) {
		free(d);
		seterr(err, errlen, "%s: neither an MMDB database nor an RIR delegated-stats file", path);
		return VG_EFORMAT;
	}
	r = vg_geo_add_rir(g, path, d, n, err, errlen);
	free(d);
	return r;
}

int vg_geo_open(const char *const *paths, int n, vg_geo_t **out, char *err, size_t errlen)
{
	vg_geo_t *g;
	*out = NULL;
	int r = vg_geo_new(&g);
	if (r) {
		seterr(err, errlen, "out of memory");
		return r;
	}
	for (int i = 0; i < n; i++)
		if ((r = vg_geo_add_file(g, paths[i], err, errlen))) {
			vg_geo_free(g);
			return r;
		}
	if ((r = vg_geo_build(g))) {
		seterr(err, errlen, "out of memory");
		vg_geo_free(g);
		return r;
	}
	*out = g;
	return 0;
}
