// SPDX-License-Identifier: Apache-2.0
/*
 * oui.c — MAC address -> registered organisation (IEEE MA-L / MA-M / MA-S
 * and IAB), from the table scripts/gen-oui generates out of Debian's
 * ieee-data at build time and the Makefile embeds as "oui.tsv".
 *
 * The text table ("ORGANISATION<TAB>PREFIX[,PREFIX...]", prefixes of 6, 7
 * or 9 hex digits; see scripts/gen-oui) is parsed once, lazily, on the
 * first lookup (pthread_once: thread-safe), into three sorted arrays (24-,
 * 28- and 36-bit prefixes).  vg_oui_tab_* build and query a table from any
 * text of that format (tests, user tables).  A lookup is at most three binary searches,
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

struct vg_oui_tab {
	oui_ent_t *v[3]; /* [0] 36-bit, [1] 28-bit, [2] 24-bit prefixes, sorted */
	size_t n[3];
	char *names;     /* the text, NUL-terminated per line: names point here */
};

static const unsigned BITS[3] = {36, 28, 24};
static vg_oui_tab_t *TAB;
static pthread_once_t ONCE = PTHREAD_ONCE_INIT;

static int cmp_ent(const void *a, const void *b)
{
	const oui_ent_t *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* radix_sort: LSD radix sort of v by key (keys < 2^bits), 11 bits a pass.
 * Every `vigil watch --devices` builds this table at start: qsort of the
 * ~46,000 prefixes cost ~35M instructions (callgrind, 7% of a 500-device
 * run); this costs ~2M.  Returns -1 (caller falls back to qsort) when the
 * scratch array cannot be allocated. */
static int radix_sort(oui_ent_t *v, size_t n, unsigned bits)
{
	oui_ent_t *tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return -1;
	oui_ent_t *src = v, *dst = tmp;
	for (unsigned shift = 0; shift < bits; shift += 11) {
		size_t cnt[2048] = {0};
		for (size_t i = 0; i < n; i++)
			cnt[(src[i].key >> shift) & 2047]++;
		size_t sum = 0;
		for (size_t b = 0; b < 2048; b++) {
			size_t c = cnt[b];
			cnt[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i].key >> shift) & 2047]++] = src[i];
		oui_ent_t *x = src;
		src = dst;
		dst = x;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	return 0;
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

/* Walk the table text: count (t == NULL) or fill t. */
static void walk(char *txt, size_t len, size_t cnt[3], vg_oui_tab_t *t)
{
	char *p = txt, *end = txt + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		char *tab = memchr(p, '\t', (size_t)(le - p));
		if (*p != '#' && tab && tab > p) {
			if (t)
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
					if (t)
						t->v[idx][t->n[idx]++] = (oui_ent_t){v, p};
					else
						cnt[idx]++;
				}
				while (q < le && hexv(*q) < 0)
					q++;
			}
		}
		if (t && nl)
			*nl = 0;
		p = le + 1;
	}
}

void vg_oui_tab_free(vg_oui_tab_t *t)
{
	if (!t)
		return;
	for (int i = 0; i < 3; i++)
		free(t->v[i]);
	free(t->names);
	free(t);
}

int vg_oui_tab_new(vg_oui_tab_t **out, const char *text, size_t len)
{
	*out = NULL;
	vg_oui_tab_t *t = calloc(1, sizeof(*t));
	if (!t)
		return VG_ENOMEM;
	t->names = malloc(len + 1);
	if (!t->names) {
		free(t);
		return VG_ENOMEM;
	}
	memcpy(t->names, text, len);
	t->names[len] = 0;
	size_t cnt[3] = {0, 0, 0};
	walk(t->names, len, cnt, NULL);
	for (int i = 0; i < 3; i++) {
		t->v[i] = malloc((cnt[i] ? cnt[i] : 1) * sizeof(oui_ent_t));
		if (!t->v[i]) {
			vg_oui_tab_free(t);
			return VG_ENOMEM;
		}
	}
	walk(t->names, len, NULL, t);
	for (int i = 0; i < 3; i++)
		if (t->n[i] > 1 && radix_sort(t->v[i], t->n[i], BITS[i]))
			qsort(t->v[i], t->n[i], sizeof(oui_ent_t), cmp_ent);
	*out = t;
	return 0;
}

static const char *find(const oui_ent_t *v, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].key == key ? v[lo].name : NULL;
}

const char *vg_oui_tab_find(const vg_oui_tab_t *t, const uint8_t mac[6])
{
	if (!t || !mac || (mac[0] & 0x03))
		return NULL; /* multicast or locally administered */
	uint64_t v = 0;
	for (int i = 0; i < 6; i++)
		v = v << 8 | mac[i];
	for (int i = 0; i < 3; i++) {
		const char *n = find(t->v[i], t->n[i], v >> (48 - BITS[i]));
		if (n)
			return n;
	}
	return NULL;
}

size_t vg_oui_tab_size(const vg_oui_tab_t *t) { return t ? t->n[0] + t->n[1] + t->n[2] : 0; }

static void build(void)
{
	size_t len = 0;
	const char *src = vg_data_get("oui.tsv", &len);
	if (src && len)
		vg_oui_tab_new(&TAB, src, len); /* on failure TAB stays NULL: no vendors */
}

const vg_oui_tab_t *vg_oui_builtin(void)
{
	pthread_once(&ONCE, build);
	return TAB;
}

const char *vg_oui_vendor(const uint8_t mac[6])
{
	if (!mac || (mac[0] & 0x03))
		return NULL;
	return vg_oui_tab_find(vg_oui_builtin(), mac);
}
