// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_fwconf.c — libFuzzer target for the firmware text parsers of
 * `vigil audit firmware`: passwd/shadow join (the input split at the first
 * NUL), inittab / script / inetd.conf scanning, plaintext-secret scanning,
 * component version strings and the credential-list parser; the first
 * byte picks the parser.  Every string handed to a callback is read whole
 * so a bad length shows up under ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "audit/fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void init_cb(void *ctx, int kind, unsigned long line, const char *w, size_t wl)
{
	(void)ctx;
	for (size_t i = 0; i < wl; i++)
		sink += (unsigned char)w[i];
	sink += (size_t)kind + line;
}

static void sec_cb(void *ctx, unsigned long line, const char *k, size_t kl, const char *v, size_t vl)
{
	(void)ctx;
	for (size_t i = 0; i < kl; i++)
		sink += (unsigned char)k[i];
	for (size_t i = 0; i < vl; i++)
		sink += (unsigned char)v[i];
	sink += line;
}

static void comp_cb(void *ctx, const char *c, const char *v, const char *t, size_t tl)
{
	(void)ctx;
	sink += strlen(c) + strlen(v);
	for (size_t i = 0; i < tl; i++)
		sink += (unsigned char)t[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t sel = data[0] % 6;
	const char *t = (const char *)data + 1;
	size_t n = size - 1;
	switch (sel) {
	case 0: {
		const char *z = memchr(t, 0, n);
		size_t pl = z ? (size_t)(z - t) : n;
		vg_fw_acct_t a[16];
		size_t k = vg_fw_accounts(t, pl, z ? z + 1 : NULL, z ? n - pl - 1 : 0, a, 16);
		for (size_t i = 0; i < k; i++) {
			sink += strlen(a[i].user) + strlen(a[i].hash) + strlen(a[i].from);
			const char *kind = vg_fw_hash_kind(a[i].hash);
			sink += kind ? strlen(kind) : 0;
		}
		break;
	}
	case 1: vg_fw_init_scan(t, n, VG_FW_INITTAB, init_cb, NULL); break;
	case 2: vg_fw_init_scan(t, n, data[size / 2] & 1 ? VG_FW_INETD : VG_FW_SCRIPT, init_cb, NULL); break;
	case 3: vg_fw_secrets_scan(t, n, sec_cb, NULL); break;
	case 4: vg_fw_components((const uint8_t *)t, n, comp_cb, NULL); break;
	default: {
		vg_fw_creds_t cr = {0};
		char err[128];
		if (vg_fw_creds_parse(&cr, "f", t, n, err, sizeof err) == 0)
			for (size_t i = 0; i < cr.n; i++)
				sink += strlen(cr.c[i].user) + strlen(cr.c[i].pass) + strlen(cr.c[i].source);
		vg_fw_creds_release(&cr);
	}
	}
	return 0;
}
