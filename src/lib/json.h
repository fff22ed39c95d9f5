/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h — a small streaming JSON writer for event output (EVE lines).
 *
 * jansson builds trees, which costs allocations per event; alerts are
 * written straight into a vg_buf_t instead.  The writer tracks whether a
 * comma is needed; keys and strings are escaped (control bytes as \u00XX,
 * invalid UTF-8 bytes as \u00XX of the byte, so output is always valid JSON).
 *
 *   vg_jw_t w; vg_jw_init(&w, &buf);
 *   vg_jw_obj(&w); vg_jw_key(&w, "x"); vg_jw_int(&w, 1); vg_jw_end(&w);
 */
#ifndef VG_JSON_H
#define VG_JSON_H

#include "lib/buf.h"

#include <stdbool.h>
#include <stdint.h>

#define VG_JW_DEPTH 16

typedef struct vg_jw {
	vg_buf_t *b; /* borrowed */
	int depth;
	bool first[VG_JW_DEPTH];
	char close[VG_JW_DEPTH];
	bool after_key;
} vg_jw_t;

void vg_jw_init(vg_jw_t *w, vg_buf_t *b);
void vg_jw_obj(vg_jw_t *w);
void vg_jw_arr(vg_jw_t *w);
void vg_jw_end(vg_jw_t *w);
void vg_jw_key(vg_jw_t *w, const char *k);
void vg_jw_str(vg_jw_t *w, const char *s);
void vg_jw_strn(vg_jw_t *w, const char *s, size_t n);
void vg_jw_int(vg_jw_t *w, int64_t v);
void vg_jw_uint(vg_jw_t *w, uint64_t v);
void vg_jw_bool(vg_jw_t *w, bool v);
void vg_jw_null(vg_jw_t *w);
void vg_jw_dbl(vg_jw_t *w, double v);
/* vg_jw_raw: append already-valid JSON as one value. */
void vg_jw_raw(vg_jw_t *w, const char *json, size_t n);
/* Shorthands: key then value. */
void vg_jw_kstr(vg_jw_t *w, const char *k, const char *s);
void vg_jw_kstrn(vg_jw_t *w, const char *k, const char *s, size_t n);
void vg_jw_kint(vg_jw_t *w, const char *k, int64_t v);
void vg_jw_kuint(vg_jw_t *w, const char *k, uint64_t v);
void vg_jw_kbool(vg_jw_t *w, const char *k, bool v);

/* vg_json_escape: append s (n bytes) escaped, without quotes. */
void vg_json_escape(vg_buf_t *b, const char *s, size_t n);

#endif
