// SPDX-License-Identifier: Apache-2.0
/*
 * oui.c — MAC address -> registered organisation (IEEE MA-L / MA-M / MA-S
 * and IAB), from the table scripts/gen-oui generates out of Debian's
 * ieee-data at build time and the Makefile embeds as "oui.tsv".
 *
 * The text table ("ORGANISATION<TAB>PREFIX[,PREFIX...]", prefixes of 6, 7
 * or 9 hex digits; see scripts/gen-oui) is parsed once, lazily, on the
 * first lookup (pthread_once: thread-safe), into three sorted arrays (24-,
 * 28- and 36-bit prefixes).  A lookup is at most three binary searches,
 * longest prefix first.  Organisation names are kept in one heap copy of
 * the text for the life of the process (never freed: the table is
 * immutable and shared).  Multicast and locally administered (randomised)
 * addresses get no vendor.  A build without ieee-data embeds an empty
 * table: every lookup then returns NULL.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dev/dev.h"
#include "lib/data.h"

typedef struct oui_ent {
	uint64_t key;
	const char *name;
} oui_ent_t;

typedef struct oui_tab {
	oui_ent_t *v;
	size_t n;
} oui_tab_t;

static oui_tab_t T[3]; /* [0] 36-bit, [1] 28-bit, [2] 24-bit */
static const unsigned BITS[3] = {36, 28, 24};
static char *NAMES;
static pthread_once_t ONCE = PTHREAD_ONCE_INIT;

static int cmp_ent(const void *a, const void *b)
{
	const oui_ent_t *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Walk the table text; when out is set, fill it (counts first pass). */
static void walk(char *txt, size_t len, size_t cnt[3], oui_tab_t *out)
{
	char *p = txt, *end = txt + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		char *tab = memchr(p, '\t', (size_t)(le - p));
		if (*p != '#' && tab && tab > p) {
			if (out)
				*tab = 0; /* the name becomes a C string */
			char *q = tab + 1;
			while (q < le) {
				uint64_t v = 0;
				int d = 0;
				while (q < le && hexv(*q) >= 0) {
					v = v << 4 | (uint64_t)hexv(*q);
					q++;
					d++;
				}
				int idx = d == 9 ? 0 : d == 7 ? 1 : d == 6 ? 2 : -1;
				if (idx >= 0) {
					if (out)
						out[idx].v[out[idx].n++] = (oui_ent_t){v, p};
					else
						cnt[idx]++;
				}
				while (q < le && hexv(*q) < 0)
					q++;
			}
		}
		if (out && nl)
			*nl = 0;
		p = le + 1;
	}
}

static void build(void)
{
	size_t len = 0;
	const char *src = vg_data_get("oui.tsv", &len);
	if (!src || !len)
		return;
	NAMES = malloc(len + 1);
	if (!NAMES)
		return;
	memcpy(NAMES, src, len);
	NAMES[len] = 0;
	size_t cnt[3] = {0, 0, 0};
	walk(NAMES, len, cnt, NULL);
	oui_tab_t tmp[3];
	for (int i = 0; i < 3; i++) {
		tmp[i].n = 0;
		tmp[i].v = cnt[i] ? malloc(cnt[i] * sizeof(oui_ent_t)) : NULL;
		if (cnt[i] && !tmp[i].v) {
			for (int j = 0; j < i; j++)
				free(tmp[j].v);
			free(NAMES);
			NAMES = NULL;
			return;
		}
	}
	walk(NAMES, len, NULL, tmp);
	for (int i = 0; i < 3; i++) {
		if (tmp[i].n)
			qsort(tmp[i].v, tmp[i].n, sizeof(oui_ent_t), cmp_ent);
		T[i] = tmp[i];
	}
}

static const char *find(const oui_tab_t *t, uint64_t key)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->v[lo].key == key ? t->v[lo].name : NULL;
}

const char *vg_oui_vendor(const uint8_t mac[6])
{
	if (!mac || (mac[0] & 0x03))
		return NULL; /* multicast or locally administered */
	pthread_once(&ONCE, build);
	uint64_t v = 0;
	for (int i = 0; i < 6; i++)
		v = v << 8 | mac[i];
	for (int i = 0; i < 3; i++) {
		const char *n = find(&T[i], v >> (48 - BITS[i]));
		if (n)
			return n;
	}
	return NULL;
}
