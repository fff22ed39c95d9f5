/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_inventory.c — the device table (src/dev/inventory.c) driven by an
 * arbitrary sequence of operations: signals (leases, banners, services,
 * risks) and flows from a small set of MACs (registered, randomised,
 * multicast) and addresses (local, public, multicast), with tiny limits so
 * drops, merges, address moves and the gateway heuristic all happen.  After
 * each operation the indexes must agree with the devices: every device is
 * found by its MAC and by its current address.  Any disagreement aborts.
 */
#include "dev/inventory.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t macs[6][6] = {
	{0x44, 0x19, 0xb6, 0, 0, 1}, {0x44, 0x19, 0xb6, 0, 0, 2}, {0xda, 0xa1, 0x19, 0, 0, 7},
	{0x00, 0x1a, 0x2b, 0, 0, 1}, {0x01, 0x00, 0x5e, 0, 0, 0xfb}, {0x3c, 0xef, 0x8c, 0, 0, 8},
};

static void check(const vg_inv_t *inv)
{
	for (uint32_t i = 0; i < vg_inv_count(inv); i++) {
		const vg_inv_dev_t *d = vg_inv_get(inv, i);
		if (d->has_mac && vg_inv_by_mac(inv, d->mac) != d)
			abort();
		if (d->n_ips && vg_inv_by_ip(inv, &d->ips[0]) != d)
			abort();
		if (d->n_ips > VG_INV_MAX_IPS || d->n_dests > 3)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_inv_limits_t l = {.max_devices = 6, .max_dests = 3};
	vg_inv_t *inv;
	if (vg_inv_new(&inv, &l, NULL, NULL))
		return 0;
	static const int kinds[] = {VG_SIG_DHCP_LEASE, VG_SIG_DHCP_HOSTNAME, VG_SIG_SERVICE,
				    VG_SIG_TELNET, VG_SIG_SADP_MODEL, VG_SIG_HTTP_SERVER,
				    VG_SIG_UPNP_FROM_DEVICE, VG_SIG_RTSP_NOAUTH};
	for (size_t i = 0; i + 4 <= size; i += 4) {
		const uint8_t *o = data + i;
		const uint8_t *mac = (o[1] & 7) < 6 ? macs[o[1] & 7] : NULL;
		vg_ip_t ip, srv;
		uint32_t v4 = (o[2] & 0xc0) == 0xc0 ? 0xcb007100u : (o[2] & 0xc0) == 0x80 ? 0xeffffffau
			      : 0xc0a80100u;
		vg_ip_set4(&ip, v4 | (o[2] & 0x1f));
		vg_ip_set4(&srv, 0xc6336400u | o[3]);
		if (o[0] & 0x80) {
			vg_inv_dest_t *x;
			bool is_new;
			vg_inv_flow(inv, mac, &ip, &srv, (uint16_t)(o[3] << 2), 6, i, "n.example",
				    NULL, &x, &is_new);
		} else if ((o[0] & 0x70) == 0x70) {
			vg_inv_dev_t *d = vg_inv_find(inv, "#1");
			if (d)
				vg_inv_alert(inv, d, "sig", o[3] & 1, i);
		} else {
			vg_dev_sig_t s;
			memset(&s, 0, sizeof s);
			s.kind = kinds[o[0] & 7];
			s.mac = mac;
			if (o[3] & 1)
				s.ip = ip;
			s.value = "uc-httpd 1.0.0";
			s.len = strlen(s.value);
			s.port = o[3];
			s.proto = 6;
			s.ts_us = i;
			vg_inv_on_signal(inv, &s);
		}
		check(inv);
		if (o[0] == 0x7f) {
			uint32_t ids[4];
			while (vg_inv_take_deleted(inv, ids, 4))
				;
			vg_inv_clean(inv);
		}
	}
	vg_inv_free(inv);
	return 0;
}
