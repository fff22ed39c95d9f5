// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_snapshot.c — libFuzzer target: the compiled-store loader
 * (vg_store_open_mem) on arbitrary bytes; when a store opens, a few lookups
 * of every kind and a stats/meta walk run on it, then it is freed.  Checks
 * that a corrupt or hostile snapshot is rejected (never a crash, leak or
 * out-of-bounds read), including after validation accepted it.
 * Each input is tried twice: as is (mostly rejected by the header/body
 * checksums), and with file_len and both checksums recomputed so mutations
 * reach the section validation (vg_store_validate) and the lookups.  The
 * fix-up mirrors the header layout of src/intel/snapshot.c (update both
 * together).  Seed corpus: `vigil feed compile -o seed.vgs FILE`.
 */
#include "vigil/intel.h"
#include "intel/store_int.h"
#include "lib/hash.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Mirror of snapshot.c's header. */
typedef struct fz_hdr {
	char magic[8];
	uint32_t version, bom, nsec, reserved;
	uint64_t entries, expired, file_len, body_hash;
	struct {
		uint64_t off, len;
	} sec[SEC__COUNT];
	uint64_t header_hash;
} fz_hdr_t;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const uint8_t *data, size_t size)
{
	vg_store_t *s = NULL;
	if (vg_store_open_mem(data, size, &s) != 0)
		return;
	vg_match_t m[8];
	vg_ip_t ip;
	static const char *const ips[] = {"1.2.3.4", "8.8.8.8", "10.0.0.1", "2001:db8::1",
					  "5.6.7.8"};
	for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++) {
		if (vg_ip_parse(ips[i], strlen(ips[i]), &ip) == 0) {
			vg_store_lookup_ip(s, &ip, 0, 0, m, 8);
			vg_store_lookup_ip(s, &ip, 8080, 1700000000, m, 8);
		}
	}
	vg_store_lookup_domain(s, "a.b.evil.com", 12, 0, m, 8);
	vg_store_lookup_domain(s, "example.org", 11, 1700000000, m, 8);
	vg_store_lookup_url(s, "http://bad.example/gate.php", 27, 0, m, 8);
	static const uint8_t dg[32] = {0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00, 0xb2, 0x04};
	vg_store_lookup_hash(s, dg, 16, 0, m, 8);
	vg_store_lookup_hash(s, dg, 20, 0, m, 8);
	int k = vg_store_lookup_hash(s, dg, 32, 0, m, 8);
	char txt[VG_URL_MAX + 64];
	vg_meta_t me;
	for (int i = 0; i < k; i++) {
		vg_match_format(&m[i], txt, sizeof txt);
		vg_store_meta(s, m[i].meta, &me);
	}
	vg_store_stats_t st;
	vg_store_stats(s, &st);
	for (uint32_t id = 0; id < 4 && id < st.metas; id++)
		if (vg_store_meta(s, id, &me) == 0)
			(void)strlen(me.source);
	vg_store_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	exercise(data, size);
	size_t body0 = (sizeof(fz_hdr_t) + 63) / 64 * 64;
	if (size < body0 || memcmp(data, "VIGILSNP", 8) != 0)
		return 0;
	uint8_t *p = malloc(size);
	if (!p)
		return 0;
	memcpy(p, data, size);
	fz_hdr_t h;
	memcpy(&h, p, sizeof h);
	h.file_len = size;
	uint64_t bh = 0x76696769ull;
	for (uint64_t off = 0; off < size - body0; off += 1u << 20) {
		uint64_t k = size - body0 - off < (1u << 20) ? size - body0 - off : (1u << 20);
		bh = vg_hash64(p + body0 + off, k, bh);
	}
	h.body_hash = bh;
	h.header_hash = vg_hash64(&h, offsetof(fz_hdr_t, header_hash), 3);
	memcpy(p, &h, sizeof h);
	exercise(p, size);
	free(p);
	return 0;
}
