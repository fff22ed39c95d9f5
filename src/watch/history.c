// SPDX-License-Identifier: Apache-2.0
/*
 * history.c — the bounded observation store behind `watch --history` and
 * `vigil hunt` (format in history.h).
 *
 * Writer: observations are encoded into a memory block (records, plus the
 * addresses and names not yet in this segment's intern tables) and written
 * with one write() per flush: at most once a second (monotonic clock), when
 * the block reaches 1 MiB, on an hour change and at close.  A crash loses at
 * most the unflushed block; a torn block at the end of a file is detected
 * by the reader (length and check word) and everything before it is kept.
 * A failed write drops that block and restarts the intern tables (the next
 * block carries VG_HIST_F_RESET), so later blocks never refer to lost ids.
 * Segments are pruned by age relative to the newest observation hour (a
 * replayed old capture is not deleted as it is written) and by total size,
 * oldest first, at every rotation and once a minute.
 *
 * Reader: maps a segment read-only and walks it block by block through the
 * bounds-checked reader; every id in a record is checked against the
 * tables.  Not thread-safe; one writer per directory.
 */
#include "watch/history.h"
#include "lib/buf.h"
#include "lib/hash.h"
#include "lib/rd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HDR_MAGIC "VGHIST1\n"
#define HDR_SIZE 16
#define BLK_HDR 28
#define BLK_MAX (1u << 20)
#define DD_BITS 12
#define HOUR_US 3600000000ull

struct vg_hist {
	char *dir;
	uint32_t days;
	uint64_t max_bytes;
	int fd;
	int64_t seg_hour; /* -1: none open */
	int64_t newest_hour;
	char seg_name[24];
	bool reset;
	/* intern tables of the open segment */
	uint8_t *addrs;
	uint32_t n_addr, cap_addr;
	uint32_t *ah, ah_cap; /* id + 1 */
	vg_buf_t strs;        /* NUL-terminated names */
	uint32_t *soff, n_str, cap_str;
	uint32_t *sh, sh_cap;
	uint32_t blk_addr0, blk_str0;
	size_t blk_stroff0;
	vg_buf_t rec;
	uint32_t n_rec;
	vg_buf_t out;
	uint64_t dd[1u << DD_BITS];
	uint64_t last_flush_ns;
	unsigned flushes;
	vg_hist_stats_t st;
	char err[256];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* ---- segment names ---------------------------------------------------------------- */

int64_t vg_hist_seg_hour(const char *name)
{
	if (strlen(name) != 14 || strcmp(name + 10, ".vgh"))
		return -1;
	int v[10];
	for (int i = 0; i < 10; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v[i] = name[i] - '0';
	}
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3] - 1900;
	tm.tm_mon = v[4] * 10 + v[5] - 1;
	tm.tm_mday = v[6] * 10 + v[7];
	tm.tm_hour = v[8] * 10 + v[9];
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23)
		return -1;
	return (int64_t)timegm(&tm);
}

static void seg_name(int64_t hour, char out[24])
{
	time_t t = (time_t)hour;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y%m%d%H.vgh", &tm);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void vg_hist_list_free(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int vg_hist_list(const char *dir, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return VG_EIO;
	char **v = NULL;
	size_t k = 0, cap = 0;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (vg_hist_seg_hour(e->d_name) < 0)
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 64;
			char **nv = realloc(v, cap * sizeof *v);
			if (!nv) {
				rc = VG_ENOMEM;
				break;
			}
			v = nv;
		}
		if (!(v[k] = strdup(e->d_name))) {
			rc = VG_ENOMEM;
			break;
		}
		k++;
	}
	closedir(d);
	if (rc) {
		vg_hist_list_free(v, k);
		return rc;
	}
	if (k)
		qsort(v, k, sizeof *v, cmp_str);
	*names = v;
	*n = k;
	return 0;
}

int vg_hist_prune(const char *dir, uint32_t days, uint64_t max_bytes, int64_t now_s,
		  const char *keep)
{
	char **v;
	size_t n;
	int rc = vg_hist_list(dir, &v, &n);
	if (rc)
		return rc;
	uint64_t *sz = calloc(n ? n : 1, sizeof *sz);
	if (!sz) {
		vg_hist_list_free(v, n);
		return VG_ENOMEM;
	}
	char path[4096];
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, v[i]);
		if (stat(path, &sb) == 0)
			sz[i] = (uint64_t)sb.st_size;
		total += sz[i];
	}
	int deleted = 0;
	int64_t cutoff = now_s - (int64_t)days * 86400;
	for (size_t i = 0; i < n; i++) {
		if (keep && !strcmp(v[i], keep))
			continue;
		bool old = vg_hist_seg_hour(v[i]) + 3600 <= cutoff;
		if (!old && total <= max_bytes)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, v[i]);
		if (unlink(path) == 0) {
			deleted++;
			total -= sz[i];
		}
	}
	free(sz);
	vg_hist_list_free(v, n);
	return deleted;
}

/* ---- writer ---------------------------------------------------------------------------- */

static void tables_clear(vg_hist_t *h)
{
	h->n_addr = h->n_str = 0;
	h->blk_addr0 = h->blk_str0 = 0;
	h->blk_stroff0 = 0;
	vg_buf_reset(&h->strs);
	if (h->ah)
		memset(h->ah, 0, h->ah_cap * sizeof *h->ah);
	if (h->sh)
		memset(h->sh, 0, h->sh_cap * sizeof *h->sh);
	h->reset = true;
}

int vg_hist_open(vg_hist_t **out, const char *dir, const vg_hist_opts_t *o)
{
	*out = NULL;
	vg_hist_t *h = calloc(1, sizeof *h);
	if (!h)
		return VG_ENOMEM;
	h->fd = -1;
	h->seg_hour = -1;
	h->newest_hour = -1;
	h->days = o && o->days ? o->days : 30;
	h->max_bytes = o && o->max_bytes ? o->max_bytes : (1ull << 30);
	h->reset = true;
	h->dir = strdup(dir);
	if (!h->dir) {
		free(h);
		return VG_ENOMEM;
	}
	if (mkdir(dir, 0750) && errno != EEXIST) {
		vg_hist_close(h);
		return VG_EIO;
	}
	char **v;
	size_t n;
	if (vg_hist_list(dir, &v, &n)) {
		vg_hist_close(h);
		return VG_EIO;
	}
	if (n)
		h->newest_hour = vg_hist_seg_hour(v[n - 1]);
	vg_hist_list_free(v, n);
	if (h->newest_hour >= 0) {
		int d = vg_hist_prune(dir, h->days, h->max_bytes, h->newest_hour + 3600, NULL);
		if (d > 0)
			h->st.segments_deleted += (uint64_t)d;
	}
	h->last_flush_ns = mono_ns();
	*out = h;
	return 0;
}

static void set_err(vg_hist_t *h, const char *what, int e)
{
	snprintf(h->err, sizeof h->err, "%s %s/%s: %s", what, h->dir, h->seg_name, strerror(e));
	h->st.errors++;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int vg_hist_flush(vg_hist_t *h)
{
	if (!h)
		return 0;
	h->last_flush_ns = mono_ns();
	if (h->fd < 0 || (!h->n_rec && h->n_addr == h->blk_addr0 && h->n_str == h->blk_str0))
		return 0;
	uint32_t na = h->n_addr - h->blk_addr0, ns = h->n_str - h->blk_str0;
	size_t sb = h->strs.len - h->blk_stroff0;
	vg_buf_t *b = &h->out;
	vg_buf_reset(b);
	uint8_t hdr[BLK_HDR];
	vg_buf_add(b, hdr, sizeof hdr);
	vg_buf_add(b, h->addrs + (size_t)h->blk_addr0 * 16, (size_t)na * 16);
	vg_buf_add(b, h->strs.p + h->blk_stroff0, sb);
	vg_buf_add(b, h->rec.p, h->rec.len);
	int rc = 0;
	if (b->oom || h->rec.oom || h->strs.oom) {
		rc = VG_ENOMEM;
		snprintf(h->err, sizeof h->err, "out of memory writing %s/%s", h->dir, h->seg_name);
		h->st.errors++;
	} else {
		uint8_t *p = (uint8_t *)b->p;
		memcpy(p, "VGHB", 4);
		put32(p + 4, h->reset ? VG_HIST_F_RESET : 0);
		put32(p + 8, na);
		put32(p + 12, ns);
		put32(p + 16, (uint32_t)sb);
		put32(p + 20, h->n_rec);
		put32(p + 24, (uint32_t)vg_hash64(p + BLK_HDR, b->len - BLK_HDR, 0x7667));
		if (write_all(h->fd, b->p, b->len)) {
			set_err(h, "cannot write", errno);
			rc = VG_EIO;
		} else {
			h->st.blocks++;
			h->st.bytes += b->len;
			h->st.records += h->n_rec;
			h->reset = false;
		}
	}
	vg_buf_reset(&h->rec);
	h->rec.oom = false;
	h->n_rec = 0;
	if (rc) {
		tables_clear(h); /* the lost block held ids later blocks would use */
		h->strs.oom = false;
	} else {
		h->blk_addr0 = h->n_addr;
		h->blk_str0 = h->n_str;
		h->blk_stroff0 = h->strs.len;
	}
	if (++h->flushes % 60 == 0 && h->newest_hour >= 0) {
		int d = vg_hist_prune(h->dir, h->days, h->max_bytes, h->newest_hour + 3600, h->seg_name);
		if (d > 0)
			h->st.segments_deleted += (uint64_t)d;
	}
	return rc;
}

static int rotate(vg_hist_t *h, int64_t hour)
{
	int rc = vg_hist_flush(h);
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	tables_clear(h);
	h->seg_hour = hour;
	if (hour > h->newest_hour)
		h->newest_hour = hour;
	seg_name(hour, h->seg_name);
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", h->dir, h->seg_name);
	h->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (h->fd < 0) {
		set_err(h, "cannot open", errno);
		return VG_EIO;
	}
	struct stat sb;
	if (fstat(h->fd, &sb) == 0 && sb.st_size == 0) {
		uint8_t hdr[HDR_SIZE];
		memcpy(hdr, HDR_MAGIC, 8);
		put32(hdr + 8, (uint32_t)(uint64_t)hour);
		put32(hdr + 12, (uint32_t)((uint64_t)hour >> 32));
		if (write_all(h->fd, hdr, sizeof hdr)) {
			set_err(h, "cannot write", errno);
			close(h->fd);
			h->fd = -1;
			return VG_EIO;
		}
	}
	int d = vg_hist_prune(h->dir, h->days, h->max_bytes, h->newest_hour + 3600, h->seg_name);
	if (d > 0)
		h->st.segments_deleted += (uint64_t)d;
	return rc;
}

/* 0: room enough; 1: grown and cleared (the caller rehashes); -1: no memory. */
static int grow_hash(uint32_t **tab, uint32_t *cap, uint32_t n)
{
	if ((uint64_t)(n + 1) * 2 <= *cap)
		return 0;
	uint32_t nc = *cap ? *cap * 2 : 1024;
	uint32_t *nt = calloc(nc, sizeof *nt);
	if (!nt)
		return -1;
	free(*tab);
	*tab = nt;
	*cap = nc;
	return 1;
}

static uint32_t intern_addr(vg_hist_t *h, const uint8_t a[16])
{
	int g = grow_hash(&h->ah, &h->ah_cap, h->n_addr);
	if (g < 0)
		return VG_HIST_NONE;
	if (g) {
		for (uint32_t i = 0; i < h->n_addr; i++) {
			uint32_t s = (uint32_t)vg_hash64(h->addrs + (size_t)i * 16, 16, 0) & (h->ah_cap - 1);
			while (h->ah[s])
				s = (s + 1) & (h->ah_cap - 1);
			h->ah[s] = i + 1;
		}
	}
	uint32_t s = (uint32_t)vg_hash64(a, 16, 0) & (h->ah_cap - 1);
	while (h->ah[s]) {
		if (!memcmp(h->addrs + (size_t)(h->ah[s] - 1) * 16, a, 16))
			return h->ah[s] - 1;
		s = (s + 1) & (h->ah_cap - 1);
	}
	if (h->n_addr == h->cap_addr) {
		uint32_t nc = h->cap_addr ? h->cap_addr * 2 : 1024;
		uint8_t *na = realloc(h->addrs, (size_t)nc * 16);
		if (!na)
			return VG_HIST_NONE;
		h->addrs = na;
		h->cap_addr = nc;
	}
	memcpy(h->addrs + (size_t)h->n_addr * 16, a, 16);
	h->ah[s] = ++h->n_addr;
	return h->n_addr - 1;
}

static uint32_t intern_str(vg_hist_t *h, const char *p, size_t n)
{
	if (n > VG_DOMAIN_MAX + 64)
		n = VG_DOMAIN_MAX + 64;
	if (memchr(p, 0, n))
		n = strnlen(p, n);
	int g = grow_hash(&h->sh, &h->sh_cap, h->n_str);
	if (g < 0)
		return VG_HIST_NONE;
	if (g) {
		for (uint32_t i = 0; i < h->n_str; i++) {
			const char *q = h->strs.p + h->soff[i];
			uint32_t s = (uint32_t)vg_hash64(q, strlen(q), 1) & (h->sh_cap - 1);
			while (h->sh[s])
				s = (s + 1) & (h->sh_cap - 1);
			h->sh[s] = i + 1;
		}
	}
	uint32_t s = (uint32_t)vg_hash64(p, n, 1) & (h->sh_cap - 1);
	while (h->sh[s]) {
		const char *q = h->strs.p + h->soff[h->sh[s] - 1];
		if (!strncmp(q, p, n) && q[n] == 0)
			return h->sh[s] - 1;
		s = (s + 1) & (h->sh_cap - 1);
	}
	if (h->n_str == h->cap_str) {
		uint32_t nc = h->cap_str ? h->cap_str * 2 : 1024;
		uint32_t *no = realloc(h->soff, (size_t)nc * sizeof *no);
		if (!no)
			return VG_HIST_NONE;
		h->soff = no;
		h->cap_str = nc;
	}
	size_t off = h->strs.len;
	vg_buf_add(&h->strs, p, n);
	vg_buf_addc(&h->strs, 0);
	if (h->strs.oom)
		return VG_HIST_NONE;
	h->soff[h->n_str] = (uint32_t)off;
	h->sh[s] = ++h->n_str;
	return h->n_str - 1;
}

int vg_hist_add(vg_hist_t *h, const vg_hist_obs_t *o)
{
	int rc = 0;
	int64_t hour = (int64_t)(o->ts_us / HOUR_US) * 3600;
	uint64_t ts = o->ts_us;
	if (hour != h->seg_hour) {
		/* a packet slightly before the open hour (reordered capture) stays
		 * in it, at the hour's first microsecond */
		if (h->seg_hour >= 0 && hour < h->seg_hour &&
		    (uint64_t)h->seg_hour * 1000000 - ts < 300000000ull) {
			ts = (uint64_t)h->seg_hour * 1000000;
		} else if ((rc = rotate(h, hour)) && h->fd < 0) {
			return rc;
		}
	}
	if (h->fd < 0)
		return VG_EIO;
	uint8_t mac16[16] = {0};
	mac16[8] = 0xff;
	mac16[9] = 0xfe;
	memcpy(mac16 + 10, o->mac, 6);
	uint8_t r[VG_HIST_REC_SIZE];
	put32(r, (uint32_t)(ts - (uint64_t)h->seg_hour * 1000000));
	put32(r + 4, intern_addr(h, o->cli.a));
	put32(r + 8, intern_addr(h, o->rem.a));
	put32(r + 12, o->has_aux ? intern_addr(h, o->aux.a) : VG_HIST_NONE);
	put32(r + 16, o->name && o->name_len ? intern_str(h, o->name, o->name_len) : VG_HIST_NONE);
	put32(r + 20, o->has_mac ? intern_addr(h, mac16) : VG_HIST_NONE);
	put16(r + 24, o->cport);
	put16(r + 26, o->rport);
	r[28] = o->proto;
	r[29] = o->kind;
	vg_buf_add(&h->rec, r, sizeof r);
	h->n_rec++;
	if (h->rec.len + h->strs.len - h->blk_stroff0 >= BLK_MAX ||
	    mono_ns() - h->last_flush_ns >= 1000000000ull)
		rc = vg_hist_flush(h);
	return rc;
}

void vg_hist_note(vg_hist_t *h, const vg_flow_t *f, const vg_pkt_t *p, int dir, uint64_t ts_us,
		  int kind, const char *name, size_t name_len, const vg_ip_t *aux)
{
	if (!h || !f)
		return;
	uint64_t k = vg_hash64(name ? name : "", name ? name_len : 0, f->flow_id * 8 + (uint64_t)kind);
	if (aux)
		k = vg_hash64(aux->a, 16, k);
	k |= 1;
	uint64_t *slot = &h->dd[k & ((1u << DD_BITS) - 1)];
	if (*slot == k) {
		h->st.dedup++;
		return;
	}
	*slot = k;
	vg_hist_obs_t o;
	memset(&o, 0, sizeof o);
	o.ts_us = ts_us;
	o.cli = *vg_flow_client(f);
	o.rem = *vg_flow_server(f);
	o.cport = f->cport;
	o.rport = f->sport;
	o.proto = f->key.proto;
	o.kind = (uint8_t)kind;
	o.name = name;
	o.name_len = name ? name_len : 0;
	if (aux) {
		o.aux = *aux;
		o.has_aux = true;
	}
	if (p && (p->flags & VG_PKT_F_MAC)) {
		memcpy(o.mac, dir == VG_DIR_TOSERVER ? p->src_mac : p->dst_mac, 6);
		o.has_mac = true;
	}
	vg_hist_add(h, &o);
}

void vg_hist_tick(vg_hist_t *h)
{
	if (h && mono_ns() - h->last_flush_ns >= 1000000000ull)
		vg_hist_flush(h);
}

int vg_hist_close(vg_hist_t *h)
{
	if (!h)
		return 0;
	int rc = vg_hist_flush(h);
	if (h->fd >= 0 && close(h->fd) && !rc) {
		set_err(h, "cannot close", errno);
		rc = VG_EIO;
	}
	free(h->dir);
	free(h->addrs);
	free(h->ah);
	free(h->soff);
	free(h->sh);
	vg_buf_release(&h->strs);
	vg_buf_release(&h->rec);
	vg_buf_release(&h->out);
	free(h);
	return rc;
}

void vg_hist_get_stats(const vg_hist_t *h, vg_hist_stats_t *st) { *st = h->st; }
const char *vg_hist_error(const vg_hist_t *h) { return h->err; }

/* ---- reader ------------------------------------------------------------------------------ */

struct vg_hist_seg {
	const uint8_t *map;
	size_t size;
	int64_t start;
	size_t off;           /* next block */
	const uint8_t *rec;   /* next record of the current block */
	uint32_t rec_left;
	size_t *aoff;         /* address table: file offsets */
	uint32_t n_addr, cap_addr;
	size_t *soff;         /* name table: offsets and lengths */
	uint32_t *slen;
	uint32_t n_str, cap_str;
	uint32_t epoch;
	bool damaged;
	char err[160];
};

int vg_hist_seg_open(vg_hist_seg_t **out, const char *path)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return VG_EIO;
	struct stat sb;
	if (fstat(fd, &sb)) {
		close(fd);
		return VG_EIO;
	}
	vg_hist_seg_t *s = calloc(1, sizeof *s);
	if (!s) {
		close(fd);
		return VG_ENOMEM;
	}
	s->size = (size_t)sb.st_size;
	if (s->size < HDR_SIZE) {
		close(fd);
		free(s);
		return VG_EFORMAT;
	}
	void *m = mmap(NULL, s->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		free(s);
		return VG_EIO;
	}
	madvise(m, s->size, MADV_SEQUENTIAL);
	s->map = m;
	vg_rd_t r = vg_rd_make(s->map, s->size);
	uint8_t magic[8];
	vg_rd_bytes(&r, magic, 8);
	uint32_t lo = vg_rd_le32(&r), hi = vg_rd_le32(&r);
	if (!vg_rd_ok(&r) || memcmp(magic, HDR_MAGIC, 8)) {
		vg_hist_seg_close(s);
		return VG_EFORMAT;
	}
	s->start = (int64_t)((uint64_t)hi << 32 | lo);
	s->off = HDR_SIZE;
	*out = s;
	return 0;
}

static int damage(vg_hist_seg_t *s, const char *why)
{
	s->damaged = true;
	snprintf(s->err, sizeof s->err, "%s at byte %zu", why, s->off);
	return VG_ECORRUPT;
}

static int next_block(vg_hist_seg_t *s)
{
	vg_rd_t r = vg_rd_make(s->map, s->size);
	vg_rd_seek(&r, s->off);
	uint8_t magic[4];
	vg_rd_bytes(&r, magic, 4);
	uint32_t flags = vg_rd_le32(&r), na = vg_rd_le32(&r), ns = vg_rd_le32(&r);
	uint32_t sb = vg_rd_le32(&r), nr = vg_rd_le32(&r), chk = vg_rd_le32(&r);
	if (!vg_rd_ok(&r))
		return damage(s, "truncated block header");
	if (memcmp(magic, "VGHB", 4))
		return damage(s, "bad block magic");
	uint64_t body = (uint64_t)na * 16 + sb + (uint64_t)nr * VG_HIST_REC_SIZE;
	if (body > vg_rd_left(&r))
		return damage(s, "truncated block");
	const uint8_t *bp = vg_rd_ptr(&r);
	if ((uint32_t)vg_hash64(bp, (size_t)body, 0x7667) != chk)
		return damage(s, "block check mismatch");
	if (flags & VG_HIST_F_RESET) {
		s->n_addr = s->n_str = 0;
		s->epoch++;
	}
	if (s->n_addr + (uint64_t)na > UINT32_MAX - 1 || s->n_str + (uint64_t)ns > UINT32_MAX - 1)
		return damage(s, "table too large");
	if (s->n_addr + na > s->cap_addr) {
		uint32_t nc = (s->n_addr + na) * 2 + 64;
		size_t *n = realloc(s->aoff, (size_t)nc * sizeof *n);
		if (!n)
			return VG_ENOMEM;
		s->aoff = n;
		s->cap_addr = nc;
	}
	for (uint32_t i = 0; i < na; i++)
		s->aoff[s->n_addr++] = (size_t)(bp - s->map) + (size_t)i * 16;
	if (s->n_str + ns > s->cap_str) {
		uint32_t nc = (s->n_str + ns) * 2 + 64;
		size_t *no = realloc(s->soff, (size_t)nc * sizeof *no);
		if (!no)
			return VG_ENOMEM;
		s->soff = no;
		uint32_t *nl = realloc(s->slen, (size_t)nc * sizeof *nl);
		if (!nl)
			return VG_ENOMEM;
		s->slen = nl;
		s->cap_str = nc;
	}
	const uint8_t *sp = bp + (size_t)na * 16, *se = sp + sb;
	for (uint32_t i = 0; i < ns; i++) {
		const uint8_t *z = memchr(sp, 0, (size_t)(se - sp));
		if (!z)
			return damage(s, "bad name table");
		s->soff[s->n_str] = (size_t)(sp - s->map);
		s->slen[s->n_str++] = (uint32_t)(z - sp);
		sp = z + 1;
	}
	if (sp != se)
		return damage(s, "bad name table");
	s->rec = se;
	s->rec_left = nr;
	s->off = (size_t)(bp - s->map) + (size_t)body;
	return 1;
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int vg_hist_seg_next(vg_hist_seg_t *s, vg_hist_obs_t *o)
{
	int r = vg_hist_seg_next_ids(s, o);
	if (r == 1)
		vg_hist_seg_resolve(s, o);
	return r;
}

int vg_hist_seg_next_ids(vg_hist_seg_t *s, vg_hist_obs_t *o)
{
	while (!s->rec_left) {
		if (s->damaged)
			return VG_ECORRUPT;
		if (s->off >= s->size)
			return 0;
		int r = next_block(s);
		if (r < 0)
			return r;
	}
	/* the block's extent was checked in next_block: records lie inside the map */
	const uint8_t *p = s->rec;
	uint32_t cli = get32(p + 4), rem = get32(p + 8), aux = get32(p + 12), name = get32(p + 16),
		 mac = get32(p + 20);
	uint8_t kind = p[29];
	if (cli >= s->n_addr || rem >= s->n_addr || (aux != VG_HIST_NONE && aux >= s->n_addr) ||
	    (mac != VG_HIST_NONE && mac >= s->n_addr) || (name != VG_HIST_NONE && name >= s->n_str) ||
	    kind < 1 || kind > VG_HIST__KIND_MAX) {
		s->rec_left = 0;
		s->off = (size_t)(p - s->map);
		return damage(s, "bad record");
	}
	s->rec += VG_HIST_REC_SIZE;
	s->rec_left--;
	o->ts_us = (uint64_t)s->start * 1000000 + get32(p);
	o->has_aux = aux != VG_HIST_NONE;
	o->has_mac = mac != VG_HIST_NONE;
	o->mac_id = mac;
	o->cport = (uint16_t)(p[24] | p[25] << 8);
	o->rport = (uint16_t)(p[26] | p[27] << 8);
	o->proto = p[28];
	o->kind = kind;
	o->cli_id = cli;
	o->rem_id = rem;
	o->aux_id = aux;
	o->name_id = name;
	o->epoch = s->epoch;
	return 1;
}

void vg_hist_seg_resolve(const vg_hist_seg_t *s, vg_hist_obs_t *o)
{
	memcpy(o->cli.a, s->map + s->aoff[o->cli_id], 16);
	memcpy(o->rem.a, s->map + s->aoff[o->rem_id], 16);
	if (o->has_aux)
		memcpy(o->aux.a, s->map + s->aoff[o->aux_id], 16);
	if (o->has_mac)
		memcpy(o->mac, s->map + s->aoff[o->mac_id] + 10, 6);
	if (o->name_id != VG_HIST_NONE) {
		o->name = (const char *)s->map + s->soff[o->name_id];
		o->name_len = s->slen[o->name_id];
	} else {
		o->name = NULL;
		o->name_len = 0;
	}
}

const char *vg_hist_seg_error(const vg_hist_seg_t *s) { return s->err; }
int64_t vg_hist_seg_start(const vg_hist_seg_t *s) { return s->start; }
uint32_t vg_hist_seg_n_addr(const vg_hist_seg_t *s) { return s->n_addr; }
uint32_t vg_hist_seg_n_str(const vg_hist_seg_t *s) { return s->n_str; }
size_t vg_hist_seg_size(const vg_hist_seg_t *s) { return s->size; }

void vg_hist_seg_close(vg_hist_seg_t *s)
{
	if (!s)
		return;
	if (s->map)
		munmap((void *)s->map, s->size);
	free(s->aoff);
	free(s->soff);
	free(s->slen);
	free(s);
}
