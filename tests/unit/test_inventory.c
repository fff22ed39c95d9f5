// SPDX-License-Identifier: Apache-2.0
/*
 * test_inventory.c — the device table (src/dev/inventory.c): devices are
 * keyed by MAC (else IP), DHCP leases move addresses to the MAC's device,
 * an IP-only device is merged into the MAC device that takes its address,
 * randomised MACs get no vendor, limits drop and count, the gateway
 * heuristic stops binding, risk flags follow signals, and classes combine
 * evidence by noisy-or.  Runs without fingerprint rules (rules = NULL), so
 * it does not depend on the rule file's content.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dev/inventory.h"

#include <stdio.h>
#include <string.h>

static const uint8_t CAM[6] = {0x44, 0x19, 0xb6, 0x12, 0x34, 0x56};
static const uint8_t CAM2[6] = {0x44, 0x19, 0xb6, 0x12, 0x34, 0x57};
static const uint8_t PHONE[6] = {0xda, 0xa1, 0x19, 0x00, 0x00, 0x07};

static vg_ip_t ip(const char *s)
{
	vg_ip_t a;
	assert_int_equal(vg_ip_parse(s, strlen(s), &a), 0);
	return a;
}

static vg_inv_t *mk(uint32_t max_devices, uint32_t max_dests)
{
	vg_inv_limits_t l;
	vg_inv_limits_default(&l);
	assert_int_equal(l.max_devices, 4096);
	assert_int_equal(l.max_dests, 256);
	if (max_devices)
		l.max_devices = max_devices;
	if (max_dests)
		l.max_dests = max_dests;
	vg_inv_t *inv;
	assert_int_equal(vg_inv_new(&inv, &l, NULL, NULL), 0);
	return inv;
}

static void sig(vg_inv_t *inv, int kind, const uint8_t *mac, const char *addr, const char *value,
		uint64_t ts)
{
	vg_dev_sig_t s;
	memset(&s, 0, sizeof s);
	s.kind = kind;
	s.mac = mac;
	if (addr)
		s.ip = ip(addr);
	s.value = value;
	s.len = strlen(value);
	s.ts_us = ts;
	if (kind == VG_SIG_SERVICE || kind == VG_SIG_TELNET) {
		s.port = 23;
		s.proto = 6;
	}
	vg_inv_on_signal(inv, &s);
}

static void text_ip(const vg_ip_t *a, char *buf)
{
	vg_ip_format(a, buf, 64);
}

/* Rule: a signal with a MAC and a local address makes one device keyed by
 * the MAC; the address finds it; a randomised MAC is flagged, no vendor. */
static void test_mac_key_and_randomised(void **st)
{
	vg_inv_t *inv = mk(0, 0);
	sig(inv, VG_SIG_DHCP_HOSTNAME, CAM, "192.168.1.64", "HIKVISION-CAM", 1000);
	sig(inv, VG_SIG_DHCP_HOSTNAME, PHONE, "192.168.1.77", "Galaxy-S21", 2000);
	assert_int_equal(vg_inv_count(inv), 2);
	vg_inv_dev_t *d = vg_inv_get(inv, 0);
	char key[48];
	assert_string_equal(vg_inv_key(d, key, sizeof key), "44:19:b6:12:34:56");
	assert_int_equal(d->id, 1);
	assert_false(d->randomised);
	assert_string_equal(d->vendor, "Hangzhou Hikvision Digital Technology"); /* IEEE MA-L */
	assert_string_equal(d->hostname, "HIKVISION-CAM");
	vg_ip_t a = ip("192.168.1.64");
	assert_ptr_equal(vg_inv_by_ip(inv, &a), d);
	vg_inv_dev_t *p = vg_inv_get(inv, 1);
	assert_true(p->randomised);
	assert_string_equal(p->vendor, "");
	assert_ptr_equal(vg_inv_find(inv, "da:a1:19:00:00:07"), p);
	assert_ptr_equal(vg_inv_find(inv, "192.168.1.77"), p);
	assert_ptr_equal(vg_inv_find(inv, "#2"), p);
	assert_ptr_equal(vg_inv_find(inv, "2"), p);
	assert_null(vg_inv_find(inv, "10.0.0.1"));
	vg_inv_free(inv);
}

/* Rule: a DHCP lease (chaddr -> yiaddr) renumbers the same device; the new
 * address is current, the old one is kept as former. */
static void test_dhcp_renumbering(void **st)
{
	vg_inv_t *inv = mk(0, 0);
	sig(inv, VG_SIG_DHCP_LEASE, CAM, "192.168.1.64", "192.168.1.64", 1000);
	sig(inv, VG_SIG_DHCP_LEASE, CAM, "192.168.1.99", "192.168.1.99", 2000);
	assert_int_equal(vg_inv_count(inv), 1);
	vg_inv_dev_t *d = vg_inv_get(inv, 0);
	char b[64];
	assert_int_equal(d->n_ips, 2);
	text_ip(&d->ips[0], b);
	assert_string_equal(b, "192.168.1.99");
	text_ip(&d->ips[1], b);
	assert_string_equal(b, "192.168.1.64");
	vg_ip_t a = ip("192.168.1.99");
	assert_ptr_equal(vg_inv_by_ip(inv, &a), d);
	vg_inv_stats_t s;
	vg_inv_get_stats(inv, &s);
	assert_int_equal(s.leases, 2);
	/* the old address leased to another MAC leaves the first device */
	sig(inv, VG_SIG_DHCP_LEASE, CAM2, "192.168.1.64", "192.168.1.64", 3000);
	assert_int_equal(vg_inv_count(inv), 2);
	assert_int_equal(d->n_ips, 1);
	a = ip("192.168.1.64");
	assert_ptr_equal(vg_inv_by_ip(inv, &a), vg_inv_get(inv, 1));
	vg_inv_free(inv);
}

/* Rule: traffic without a MAC makes an IP-keyed device; when a MAC device
 * takes that address, the IP device is merged into it (destinations kept)
 * and its id is reported deleted. */
static void test_merge_ip_device(void **st)
{
	vg_inv_t *inv = mk(0, 0);
	vg_ip_t cli = ip("192.168.1.64"), srv = ip("203.0.113.10");
	vg_inv_dest_t *x;
	bool is_new;
	vg_inv_dev_t *d = vg_inv_flow(inv, NULL, &cli, &srv, 443, 6, 1000, "cloud.example", "US",
				      &x, &is_new);
	assert_non_null(d);
	assert_true(is_new);
	assert_false(d->has_mac);
	char key[48];
	assert_string_equal(vg_inv_key(d, key, sizeof key), "192.168.1.64");
	assert_string_equal(x->name, "cloud.example");
	assert_string_equal(x->cc, "US");
	/* the same destination again: not new, two flows */
	vg_inv_flow(inv, NULL, &cli, &srv, 443, 6, 1500, NULL, NULL, &x, &is_new);
	assert_false(is_new);
	assert_int_equal(x->flows, 2);
	sig(inv, VG_SIG_DHCP_LEASE, CAM, "192.168.1.64", "192.168.1.64", 2000);
	assert_int_equal(vg_inv_count(inv), 1);
	vg_inv_dev_t *m = vg_inv_get(inv, 0);
	assert_true(m->has_mac);
	assert_int_equal(m->id, 2);
	assert_int_equal(m->n_dests, 1);
	assert_int_equal(m->dests[0].flows, 2);
	assert_int_equal(m->first_us, 1000);
	uint32_t ids[4];
	assert_int_equal(vg_inv_take_deleted(inv, ids, 4), 1);
	assert_int_equal(ids[0], 1);
	vg_inv_free(inv);
}

/* Rule: only local clients get devices; multicast/broadcast servers and
 * local servers are not remote destinations. */
static void test_local_only(void **st)
{
	vg_inv_t *inv = mk(0, 0);
	vg_ip_t pub = ip("198.51.100.1"), srv = ip("203.0.113.10"), mc = ip("239.255.255.250"),
		lan = ip("192.168.1.1"), cli = ip("10.1.2.3");
	vg_inv_dest_t *x;
	bool is_new;
	assert_null(vg_inv_flow(inv, CAM, &pub, &srv, 443, 6, 1, NULL, NULL, &x, &is_new));
	assert_non_null(vg_inv_flow(inv, CAM, &cli, &mc, 1900, 17, 1, NULL, NULL, &x, &is_new));
	assert_null(x);
	assert_non_null(vg_inv_flow(inv, CAM, &cli, &lan, 53, 17, 1, NULL, NULL, &x, &is_new));
	assert_null(x);
	assert_int_equal(vg_inv_count(inv), 1);
	/* a --watch-net makes a public range local */
	vg_ip_t net = ip("198.51.100.0");
	uint8_t pfx = 96 + 24;
	vg_inv_set_local(inv, &net, &pfx, 1);
	assert_true(vg_inv_is_local(inv, &pub));
	vg_inv_free(inv);
}

/* Rule: --max-devices and --max-device-dests drop beyond and count. */
static void test_limits(void **st)
{
	vg_inv_t *inv = mk(2, 2);
	sig(inv, VG_SIG_DHCP_LEASE, CAM, "192.168.1.64", "x", 1);
	sig(inv, VG_SIG_DHCP_LEASE, CAM2, "192.168.1.65", "x", 1);
	sig(inv, VG_SIG_DHCP_LEASE, PHONE, "192.168.1.66", "x", 1);
	assert_int_equal(vg_inv_count(inv), 2);
	vg_ip_t cli = ip("192.168.1.64");
	vg_inv_dest_t *x;
	bool is_new;
	for (int i = 0; i < 3; i++) {
		vg_ip_t srv;
		vg_ip_set4(&srv, 0xcb007100u + (uint32_t)i); /* 203.0.113.x */
		vg_inv_flow(inv, CAM, &cli, &srv, 443, 6, 2, NULL, NULL, &x, &is_new);
	}
	assert_int_equal(vg_inv_get(inv, 0)->n_dests, 2);
	vg_inv_stats_t s;
	vg_inv_get_stats(inv, &s);
	assert_int_equal(s.devices_dropped, 1);
	assert_int_equal(s.dests_dropped, 1);
	vg_inv_free(inv);
}

/* Rule: a MAC seen behind more than VG_INV_ROUTER_IPS local addresses is a
 * gateway: further addresses get their own IP-keyed devices. */
static void test_gateway(void **st)
{
	vg_inv_t *inv = mk(0, 0);
	char a[32];
	for (int i = 1; i <= VG_INV_ROUTER_IPS + 2; i++) {
		snprintf(a, sizeof a, "10.9.0.%d", i);
		sig(inv, VG_SIG_SERVICE, CAM, a, "tcp/23", (uint64_t)i);
	}
	vg_inv_dev_t *g = vg_inv_by_mac(inv, CAM);
	assert_non_null(g);
	assert_true(g->gateway);
	assert_int_equal(vg_inv_count(inv), 3); /* the gateway + 2 IP devices */
	vg_ip_t last = ip("10.9.0.18");
	assert_false(vg_inv_by_ip(inv, &last)->has_mac);
	vg_inv_free(inv);
}

/* Rule: risk flags follow their signals; telnet also records the service. */
static void test_risks(void **st)
{
	vg_inv_t *inv = mk(0, 0);
	sig(inv, VG_SIG_TELNET, CAM, "192.168.1.70", "tcp/23", 1);
	sig(inv, VG_SIG_RTSP_NOAUTH, CAM, "192.168.1.70", "DESCRIBE", 2);
	sig(inv, VG_SIG_HTTP_BASIC_AUTH, CAM, "192.168.1.70", "admin", 3);
	sig(inv, VG_SIG_UPNP_FROM_DEVICE, CAM, "192.168.1.70", "NOTIFY", 4);
	sig(inv, VG_SIG_FTP_LOGIN, CAM, "192.168.1.70", "USER", 5);
	vg_inv_dev_t *d = vg_inv_get(inv, 0);
	assert_int_equal(d->risk, VG_RISK_TELNET | VG_RISK_RTSP_NOAUTH | VG_RISK_HTTP_BASIC |
					  VG_RISK_UPNP | VG_RISK_FTP_LOGIN);
	assert_int_equal(d->n_svc, 1);
	assert_int_equal(d->svc[0].port, 23);
	assert_string_equal(vg_inv_risk_name(3), "rtsp-no-auth");
	assert_int_equal(vg_inv_risk_parse("listed-indicator"), VG_RISK_INDICATOR);
	vg_inv_alert(inv, d, "listed domain evil.example", true, 10);
	vg_inv_alert(inv, d, "policy violation", false, 11);
	assert_int_equal(d->alerts, 2);
	assert_true(d->risk & VG_RISK_INDICATOR);
	assert_string_equal(d->last_alerts[0], "policy violation");
	assert_string_equal(d->last_alerts[1], "listed domain evil.example");
	vg_inv_free(inv);
}

/* Rule: evidence combines per class by noisy-or; the best class wins and
 * ties go to the lower class number, independent of order. */
static void test_classify(void **st)
{
	vg_inv_dev_t d;
	vg_inv_ev_t ev[3];
	memset(&d, 0, sizeof d);
	memset(ev, 0, sizeof ev);
	d.ev = ev;
	d.ev[0].cls = VG_CLASS_CAMERA;
	d.ev[0].confidence = 60;
	d.ev[1].cls = VG_CLASS_DVR;
	d.ev[1].confidence = 80;
	d.ev[2].cls = VG_CLASS_CAMERA;
	d.ev[2].confidence = 60;
	d.n_ev = 2;
	vg_inv_reclassify(&d);
	assert_int_equal(d.cls, VG_CLASS_DVR);
	assert_int_equal(d.confidence, 80);
	d.n_ev = 3; /* camera: 1 - 0.4 * 0.4 = 0.84 beats 0.80 */
	vg_inv_reclassify(&d);
	assert_int_equal(d.cls, VG_CLASS_CAMERA);
	assert_int_equal(d.confidence, 84);
	d.n_ev = 0;
	vg_inv_reclassify(&d);
	assert_int_equal(d.cls, VG_CLASS_UNKNOWN);
	assert_int_equal(d.confidence, 0);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_mac_key_and_randomised),
		cmocka_unit_test(test_dhcp_renumbering),
		cmocka_unit_test(test_merge_ip_device),
		cmocka_unit_test(test_local_only),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_gateway),
		cmocka_unit_test(test_risks),
		cmocka_unit_test(test_classify),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
