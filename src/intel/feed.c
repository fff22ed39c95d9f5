// SPDX-License-Identifier: Apache-2.0
/*
 * feed.c — entry points of the feed readers: read a file into memory,
 * refuse empty and binary input, detect the format from the first bytes,
 * and hand the buffer to one reader (feed_<fmt>.c).  Also the helpers every
 * reader uses: diagnostics, error counting with strict mode, and adding one
 * token to the builder with reserved-address and duplicate accounting.
 *
 * Sits between `vigil feed` / `vigil watch --intel` and the builder
 * (store.c).  A file is read whole into one malloc'd buffer that is freed
 * before returning, except big plain/ipsum lists: those are mapped and
 * their pages released behind the reader (the builder copies everything it
 * keeps), so the text never sits in memory whole.  Per-load state lives on the stack; nothing
 * is global, so different builders may be loaded from different threads.
 * Duplicates of (value, meta) within one file are counted without a side
 * table: domains and URLs are found on insert by the builder's string
 * table, the other types by sorting the records the file added once it is
 * read (vg_builder_dedup_since), so a load needs no memory per entry
 * beyond the builder's own.
 */
#include "intel/feed_int.h"
#include "lib/file.h"
#include "intel/store_int.h"

#include "lib/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

bool feed_ieq(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	if (n != k)
		return false;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != w[i])
			return false;
	}
	return true;
}

void feed_diag(feed_ctx_t *c, unsigned long line, int sev, const char *fmt, ...)
{
	if (!c->opts->diag)
		return;
	va_list ap;
	va_start(ap, fmt);
	vg_buf_reset(&c->msg);
	vg_buf_vaddf(&c->msg, fmt, ap);
	va_end(ap);
	c->opts->diag(c->opts->diag_ctx, c->name, line, sev, c->msg.p ? c->msg.p : "");
}

int feed_error(feed_ctx_t *c, unsigned long line, const char *fmt, ...)
{
	c->rep->errors++;
	if (c->opts->diag) {
		va_list ap;
		va_start(ap, fmt);
		vg_buf_reset(&c->msg);
		vg_buf_vaddf(&c->msg, fmt, ap);
		va_end(ap);
		c->opts->diag(c->opts->diag_ctx, c->name, line, VG_SEV_ERROR,
			      c->msg.p ? c->msg.p : "");
	}
	return c->opts->strict ? VG_EFORMAT : 0;
}

int feed_add_ind(feed_ctx_t *c, unsigned long line, const vg_ind_t *ind, uint32_t meta)
{
	bool dup;
	int r = vg_builder_add_dup(c->b, ind, meta, &dup);
	if (r == 0 && dup) {
		c->rep->duplicates++;
		return 0;
	}
	if (r == VG_ERESERVED) {
		char txt[VG_URL_MAX + 64];
		vg_ind_format(ind, txt, sizeof txt);
		c->rep->reserved++;
		c->rep->warnings++;
		feed_diag(c, line, VG_SEV_WARN, "reserved address '%s' ignored (use --allow-reserved)",
			  txt);
		return 0;
	}
	if (r != 0)
		return r;
	c->rep->added[ind->type]++;
	return 0;
}

/* show: a token as it may appear in a message (bounded, no controls). */
static void show(vg_buf_t *b, const char *s, size_t n)
{
	size_t lim = n > 200 ? 200 : n;
	for (size_t i = 0; i < lim; i++) {
		unsigned char ch = (unsigned char)s[i];
		vg_buf_addc(b, ch < 0x20 || ch == 0x7f ? '?' : (char)ch);
	}
	if (lim < n)
		vg_buf_adds(b, "...");
}

int feed_add_tok(feed_ctx_t *c, unsigned long line, const char *s, size_t n, vg_ind_type_t hint,
		 uint16_t port, uint32_t meta)
{
	const char *why = NULL;
	int r = vg_ind_parse(s, n, hint, &c->ind, &why);
	if (r == 0 && port) {
		if (c->ind.type == VG_IND_IPV4)
			c->ind.type = VG_IND_IPPORT4;
		else if (c->ind.type == VG_IND_IPV6)
			c->ind.type = VG_IND_IPPORT6;
		if (c->ind.type == VG_IND_IPPORT4 || c->ind.type == VG_IND_IPPORT6)
			c->ind.port = port;
	}
	if (r != 0) {
		vg_buf_t t = VG_BUF_INIT;
		show(&t, s, n);
		r = feed_error(c, line, "%s '%s'", why ? why : "invalid value", t.p ? t.p : "");
		vg_buf_release(&t);
		return r;
	}
	return feed_add_ind(c, line, &c->ind, meta);
}

int feed_meta(feed_ctx_t *c, vg_meta_t *m, uint32_t *id)
{
	if (!m->source || !*m->source)
		m->source = c->source;
	return vg_builder_meta(c->b, m, id);
}

/* ---- detection --------------------------------------------------------------- */

static const char *const csv_cols[] = {
	"dst_ip", "ip", "ip_address", "indicator", "value", "ioc", "domain", "url", "md5_hash",
	"sha1_hash", "sha256_hash", "md5", "sha1", "sha256", "ipaddress", "src_ip", "host",
	"hostname", NULL};

/* has_csv_col: line has a comma-separated field naming a known value column. */
static bool has_csv_col(const char *s, size_t n)
{
	if (!memchr(s, ',', n))
		return false;
	size_t i = 0;
	while (i <= n) {
		size_t st = i;
		while (i < n && s[i] != ',')
			i++;
		const char *f = s + st;
		size_t fl = i - st;
		feed_trim(&f, &fl);
		if (fl >= 2 && f[0] == '"' && f[fl - 1] == '"') {
			f++;
			fl -= 2;
		}
		for (int k = 0; csv_cols[k]; k++)
			if (feed_ieq(f, fl, csv_cols[k]))
				return true;
		i++;
	}
	return false;
}

static bool is_ipish(const char *s, size_t n)
{
	vg_ind_t ind;
	const char *why;
	/* cheap pre-check keeps the 2 KiB parse off obviously other tokens */
	if (n == 0 || n > 64)
		return false;
	if (vg_ind_parse(s, n, VG_IND_NONE, &ind, &why) != 0)
		return false;
	return ind.type >= VG_IND_IPV4 && ind.type <= VG_IND_CIDR6;
}

static bool digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* has_ext: base name of path ends in ext (ASCII case ignored). */
static bool has_ext(const char *path, const char *ext)
{
	if (!path)
		return false;
	size_t n = strlen(path), e = strlen(ext);
	return n > e && feed_ieq(path + n - e, e, ext);
}

vg_feed_fmt_t vg_feed_detect(const char *name, const char *data, size_t len)
{
	if (has_ext(name, ".hdb") || has_ext(name, ".hsb"))
		return VG_FMT_CLAMAV;
	if (len > 4096)
		len = 4096;
	size_t i = 0;
	if (len >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
	    (unsigned char)data[2] == 0xbf)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i < len && (data[i] == '{' || data[i] == '['))
		return VG_FMT_STIX;
	feed_lines_t L = {data + i, len - i, 0, 0};
	const char *s;
	size_t n;
	bool comment_hdr = false;
	while (feed_next_line(&L, &s, &n)) {
		feed_trim(&s, &n);
		if (n == 0)
			continue;
		if (s[0] == '#') {
			if (n >= 7 && memcmp(s, "#fields", 7) == 0)
				return VG_FMT_ZEEK;
			if (n >= 10 && memcmp(s, "#separator", 10) == 0)
				return VG_FMT_ZEEK;
			const char *h = s + 1;
			size_t hn = n - 1;
			feed_trim(&h, &hn);
			if (has_csv_col(h, hn))
				comment_hdr = true;
			continue;
		}
		if (!comment_hdr && feed_clamav_line(s, n))
			return VG_FMT_CLAMAV;
		if (comment_hdr || has_csv_col(s, n))
			return VG_FMT_CSV;
		const char *c1 = memchr(s, ',', n);
		if (c1) {
			const char *c2 = memchr(c1 + 1, ',', n - (size_t)(c1 + 1 - s));
			if (c2 && is_ipish(s, (size_t)(c1 - s)) &&
			    digits(c1 + 1, (size_t)(c2 - c1 - 1)) &&
			    digits(c2 + 1, n - (size_t)(c2 + 1 - s)))
				return VG_FMT_SURICATA;
			return VG_FMT_CSV;
		}
		const char *t = memchr(s, '\t', n);
		if (t && is_ipish(s, (size_t)(t - s))) {
			const char *d = t;
			size_t dn = n - (size_t)(t - s);
			feed_trim(&d, &dn);
			if (digits(d, dn))
				return VG_FMT_IPSUM;
		}
		return VG_FMT_PLAIN;
	}
	return comment_hdr ? VG_FMT_CSV : VG_FMT_PLAIN;
}

/* ---- loading ---------------------------------------------------------------- */

int feed_read_file(const char *path, char **out, size_t *len)
{
	return vg_file_read(path, SIZE_MAX - 1, out, len);
}

/* is_binary: NUL bytes, or more than 10% control bytes, in the first 4 KiB. */
static bool is_binary(const char *d, size_t len)
{
	size_t n = len > 4096 ? 4096 : len, bad = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)d[i];
		if (c == 0)
			return true;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f)
			bad++;
	}
	return bad * 10 > n;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

void feed_drop(feed_ctx_t *c, const char *upto)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t at = (size_t)(upto - c->map) / pg * pg;
	if (at > c->map_dropped) {
		/* a private read-only file mapping: dropped pages are read again
		 * from the file if touched */
		madvise((void *)(uintptr_t)(c->map + c->map_dropped), at - c->map_dropped, MADV_DONTNEED);
		c->map_dropped = at;
	}
}

static int load_mem(vg_builder_t *b, const char *name, const char *data, size_t len,
		    const vg_load_opts_t *opts, vg_load_report_t *rep, bool mapped)
{
	static const vg_load_opts_t defopts;
	vg_load_report_t dummy;
	if (!opts)
		opts = &defopts;
	if (!rep)
		rep = &dummy;
	memset(rep, 0, sizeof *rep);
	if (!name)
		name = "-";
	if (len == 0)
		return VG_EEMPTY;
	if (is_binary(data, len))
		return VG_EBINARY;
	feed_ctx_t *c = calloc(1, sizeof *c);
	if (!c)
		return VG_ENOMEM;
	c->b = b;
	c->name = name;
	c->opts = opts;
	c->rep = rep;
	if (mapped) {
		c->map = data;
		c->map_len = len;
	}
	c->source = opts->source && *opts->source ? opts->source : base_name(name);
	const char *bn = base_name(name);
	size_t sl = strlen(bn);
	const char *dot = strrchr(bn, '.');
	if (dot && dot != bn)
		sl = (size_t)(dot - bn);
	if (sl >= sizeof c->stem)
		sl = sizeof c->stem - 1;
	memcpy(c->stem, bn, sl);
	c->stem[sl] = 0;

	vg_feed_fmt_t f = opts->format;
	if (f == VG_FMT_AUTO)
		f = vg_feed_detect(name, data, len);
	rep->format = f;
	int r;
	vg_builder_mark_t mark;
	vg_builder_mark(b, &mark);
	switch (f) {
	case VG_FMT_PLAIN: r = feed_read_plain(c, data, len); break;
	case VG_FMT_IPSUM: r = feed_read_ipsum(c, data, len); break;
	case VG_FMT_CSV: r = feed_read_csv(c, data, len); break;
	case VG_FMT_SURICATA: r = feed_read_suricata(c, data, len); break;
	case VG_FMT_ZEEK: r = feed_read_zeek(c, data, len); break;
	case VG_FMT_STIX: r = feed_read_stix(c, data, len); break;
	case VG_FMT_CLAMAV: r = feed_read_clamav(c, data, len); break;
	default: r = VG_ENOTSUP; break;
	}
	/* IP, CIDR and hash duplicates within this file are found here, by
	 * sorting what the file added (strings were checked on insert) */
	uint64_t dups[VG_IND__COUNT] = {0};
	vg_builder_dedup_since(b, &mark, dups);
	for (int k = 0; k < VG_IND__COUNT; k++) {
		rep->added[k] -= dups[k] < rep->added[k] ? dups[k] : rep->added[k];
		rep->duplicates += dups[k];
	}
	vg_buf_release(&c->msg);
	free(c);
	return r;
}

int vg_feed_load_mem(vg_builder_t *b, const char *name, const char *data, size_t len,
		     const vg_load_opts_t *opts, vg_load_report_t *rep)
{
	return load_mem(b, name, data, len, opts, rep, false);
}

/* Big plain, ipsum and ClamAV hash lists are read through a read-only mapping whose
 * pages are released behind the reader (feed_consumed), so loading needs
 * no memory for the text.  Returns 1 when the file is not such a list. */
static int load_mapped(vg_builder_t *b, const char *path, const vg_load_opts_t *opts,
		       vg_load_report_t *rep)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)FEED_DROP_STEP) {
		close(fd);
		return 1;
	}
	size_t len = (size_t)st.st_size;
	void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 1;
	vg_feed_fmt_t f = opts && opts->format != VG_FMT_AUTO ? opts->format
							   : vg_feed_detect(path, m, len);
	int r = 1;
	if (f == VG_FMT_PLAIN || f == VG_FMT_IPSUM || f == VG_FMT_CLAMAV) {
		madvise(m, len, MADV_SEQUENTIAL);
		r = load_mem(b, path, m, len, opts, rep, true);
	}
	munmap(m, len);
	return r;
}

int vg_feed_load(vg_builder_t *b, const char *path, const vg_load_opts_t *opts,
		 vg_load_report_t *rep)
{
	char *data;
	size_t len;
	if (rep)
		memset(rep, 0, sizeof *rep);
	int r = load_mapped(b, path, opts, rep);
	if (r != 1)
		return r;
	r = feed_read_file(path, &data, &len);
	if (r != 0)
		return r;
	r = vg_feed_load_mem(b, path, data, len, opts, rep);
	free(data);
	return r;
}
