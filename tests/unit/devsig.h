/* SPDX-License-Identifier: Apache-2.0 */
/*
 * devsig.h — helpers for the dev/ unit tests (header-only): a signal
 * collector that renders every signal as one line
 *   name=value [ip=A] [mac=M] [svc=proto/port]
 * so a test compares the whole output of a parser with one string, and
 * packet builders for vg_dev_observe.
 */
#ifndef VG_TEST_DEVSIG_H
#define VG_TEST_DEVSIG_H

#include <stdio.h>
#include <string.h>

#include "dev/dev.h"
#include "dev/parse.h"

typedef struct sigs {
	char out[16384];
	size_t len;
	int n;
} sigs_t;

static void sigs_cb(void *ctx, const vg_dev_sig_t *s)
{
	sigs_t *c = ctx;
	char ip[64] = "", mac[32] = "", svc[24] = "";
	static const vg_ip_t zero;
	if (memcmp(&s->ip, &zero, sizeof(zero))) {
		char b[48];
		vg_ip_format(&s->ip, b, sizeof(b));
		snprintf(ip, sizeof(ip), " ip=%s", b);
	}
	if (s->mac)
		snprintf(mac, sizeof(mac), " mac=%02x:%02x:%02x:%02x:%02x:%02x", s->mac[0], s->mac[1],
			 s->mac[2], s->mac[3], s->mac[4], s->mac[5]);
	if (s->port)
		snprintf(svc, sizeof(svc), " svc=%u/%u", s->proto, s->port);
	/* the value is exactly len bytes and NUL-terminated */
	if (strlen(s->value) != s->len)
		snprintf(svc, sizeof(svc), " BADLEN");
	int k = snprintf(c->out + c->len, sizeof(c->out) - c->len, "%s=%s%s%s%s\n",
			 vg_dev_sig_name(s->kind), s->value, ip, mac, svc);
	if (k > 0 && (size_t)k < sizeof(c->out) - c->len)
		c->len += (size_t)k;
	c->n++;
}

static inline void sigs_reset(sigs_t *c)
{
	c->len = 0;
	c->out[0] = 0;
	c->n = 0;
}

static vg_dev_scratch_t SCR;

/* run a parser fn over p[0..n) with a fresh emitter; device template ip/mac */
static inline int run_parser(sigs_t *c, int (*fn)(vg_dev_emit_t *, const uint8_t *, size_t),
			     const void *p, size_t n)
{
	vg_dev_emit_t e;
	sigs_reset(c);
	vg_dev_emit_init(&e, &SCR, sigs_cb, c, 1);
	return fn(&e, (const uint8_t *)p, n);
}

#endif
