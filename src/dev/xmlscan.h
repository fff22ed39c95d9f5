/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dev/xmlscan.h — a tolerant tag scanner for the small XML datagrams of
 * WS-Discovery and Hikvision SADP (not an XML parser: no DTD, no nesting
 * checks, no namespaces beyond dropping the "prefix:").  Header-only; reads
 * only through lib/rd.h.
 *
 *   vg_rd_t r = vg_rd_make(p, n);
 *   xml_tag_t t;
 *   while (xml_next(&r, &t)) ... t.name/t.nlen is the local name, t.close
 *   for </x>, t.text/t.tlen the character data up to the next '<'.
 */
#ifndef VG_DEV_XMLSCAN_H
#define VG_DEV_XMLSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/rd.h"

typedef struct xml_tag {
	const uint8_t *name; /* local name (after the last ':') */
	size_t nlen;
	bool close;          /* </name> */
	bool empty;          /* <name/> */
	const uint8_t *text; /* character data after the tag, up to '<' */
	size_t tlen;
} xml_tag_t;

/* xml_next: the next element tag of r (comments, <?...?>, <!...> skipped);
 * false at the end of input. */
static inline bool xml_next(vg_rd_t *r, xml_tag_t *t)
{
	for (;;) {
		size_t left = vg_rd_left(r);
		if (left == 0)
			return false;
		const uint8_t *p = vg_rd_ptr(r);
		const uint8_t *lt = memchr(p, '<', left);
		if (!lt)
			return false;
		vg_rd_skip(r, (size_t)(lt - p) + 1);
		left = vg_rd_left(r);
		p = vg_rd_ptr(r);
		const uint8_t *gt = memchr(p, '>', left);
		if (!gt)
			return false;
		size_t tl = (size_t)(gt - p); /* tag body, without < > */
		vg_rd_skip(r, tl + 1);
		if (tl == 0 || p[0] == '?' || p[0] == '!')
			continue;
		size_t a = 0;
		t->close = p[0] == '/';
		if (t->close)
			a = 1;
		size_t z = a;
		while (z < tl && p[z] != ' ' && p[z] != '\t' && p[z] != '\r' && p[z] != '\n' &&
		       p[z] != '/')
			z++;
		t->empty = p[tl - 1] == '/';
		size_t c = z;
		while (c > a && p[c - 1] != ':')
			c--;
		t->name = p + c;
		t->nlen = z - c;
		left = vg_rd_left(r);
		const uint8_t *q = vg_rd_ptr(r);
		const uint8_t *nx = memchr(q, '<', left);
		t->text = q;
		t->tlen = nx ? (size_t)(nx - q) : left;
		return true;
	}
}

/* xml_is: the local name equals the string literal s (case-sensitive, as
 * XML); the length test comes first, so most names cost one compare. */
#define xml_is(t, s) ((t)->nlen == sizeof(s) - 1 && !memcmp((t)->name, s, sizeof(s) - 1))

#endif
