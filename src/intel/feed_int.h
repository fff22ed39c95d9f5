/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feed_int.h — what the feed readers (feed_*.c) share with feed.c: the
 * per-load context, diagnostics, adding one token, and line iteration.
 */
#ifndef VG_FEED_INT_H
#define VG_FEED_INT_H

#include "vigil/intel.h"
#include "lib/buf.h"

#include <string.h>

/* Per-load state; lives on vg_feed_load_mem's stack. */
typedef struct feed_ctx {
	vg_builder_t *b;
	const char *name;          /* file name for diagnostics (borrowed) */
	const vg_load_opts_t *opts; /* never NULL */
	vg_load_report_t *rep;     /* never NULL */
	const char *source;        /* opts->source or the base name */
	char stem[128];            /* base name without extension */
	vg_buf_t msg;              /* scratch for diagnostic text */
	vg_ind_t ind;              /* scratch indicator */
	const char *map;           /* the input when it is a file mapping, else NULL */
	size_t map_len, map_dropped; /* bytes of map whose pages were released */
} feed_ctx_t;

/* feed_diag: report through opts->diag (printf-style message). */
void feed_diag(feed_ctx_t *c, unsigned long line, int sev, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* feed_error: count a bad line/object and report it as an error.
 * Returns VG_EFORMAT in strict mode (the caller stops), else 0. */
int feed_error(feed_ctx_t *c, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* feed_add_tok: parse token s/n (hint as for vg_ind_parse) and add it with
 * meta id.  Bad values go through feed_error; reserved addresses become a
 * warning.  port != 0 turns an IP into an ip:port.  Returns 0, VG_EFORMAT
 * (strict stop) or VG_ENOMEM. */
int feed_add_tok(feed_ctx_t *c, unsigned long line, const char *s, size_t n, vg_ind_type_t hint,
		 uint16_t port, uint32_t meta);

/* feed_add_ind: add an already parsed indicator (c->ind or another);
 * counting, duplicate and reserved handling as feed_add_tok. */
int feed_add_ind(feed_ctx_t *c, unsigned long line, const vg_ind_t *ind, uint32_t meta);

/* feed_meta: intern m (source filled in when NULL). */
int feed_meta(feed_ctx_t *c, vg_meta_t *m, uint32_t *id);

/* feed_drop: release the pages of a mapped input before upto (feed.c). */
void feed_drop(feed_ctx_t *c, const char *upto);

/* Released in steps of this many bytes. */
#define FEED_DROP_STEP ((size_t)4 << 20)

/* feed_consumed: the reader is done with the input before upto; when the
 * input is a file mapping, its pages are released every FEED_DROP_STEP
 * bytes so a big list never sits in memory whole.  Readers that go over
 * the input again call feed_rewind first. */
static inline void feed_consumed(feed_ctx_t *c, const char *upto)
{
	if (c->map && (size_t)(upto - c->map) >= c->map_dropped + FEED_DROP_STEP)
		feed_drop(c, upto);
}
static inline void feed_rewind(feed_ctx_t *c)
{
	c->map_dropped = 0;
}

/* A line cursor over a buffer: CRLF and LF; the last line may lack '\n'. */
typedef struct feed_lines {
	const char *p;
	size_t len, off;
	unsigned long no; /* 1-based number of the line last returned */
} feed_lines_t;

/* feed_next_line: the next line without its terminator (and '\r'); false
 * at the end. */
static inline bool feed_next_line(feed_lines_t *L, const char **s, size_t *n)
{
	if (L->off >= L->len)
		return false;
	const char *st = L->p + L->off;
	const char *nl = memchr(st, '\n', L->len - L->off);
	size_t l = nl ? (size_t)(nl - st) : L->len - L->off;
	L->off += l + (nl ? 1 : 0);
	if (l && st[l - 1] == '\r')
		l--;
	L->no++;
	*s = st;
	*n = l;
	return true;
}

/* feed_trim: strip spaces and tabs at both ends. */
static inline void feed_trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* feed_ieq: s/n equals lowercase literal w, ignoring ASCII case. */
bool feed_ieq(const char *s, size_t n, const char *w);

/* The readers.  Each returns 0, VG_EFORMAT or VG_ENOMEM. */
int feed_read_plain(feed_ctx_t *c, const char *data, size_t len);
int feed_read_ipsum(feed_ctx_t *c, const char *data, size_t len);
int feed_read_csv(feed_ctx_t *c, const char *data, size_t len);
int feed_read_suricata(feed_ctx_t *c, const char *data, size_t len);
int feed_read_zeek(feed_ctx_t *c, const char *data, size_t len);
int feed_read_stix(feed_ctx_t *c, const char *data, size_t len);
int feed_read_clamav(feed_ctx_t *c, const char *data, size_t len);

/* feed_clamav_line: s/n (trimmed, not a comment) looks like a ClamAV hash
 * signature "hex32|40|64:digits-or-*:name" (feed_clamav.c). */
bool feed_clamav_line(const char *s, size_t n);

/* feed_read_file: whole file into one malloc'd buffer (*out, freed by the
 * caller).  VG_EIO (errno kept) or VG_ENOMEM. */
int feed_read_file(const char *path, char **out, size_t *len);

#endif
