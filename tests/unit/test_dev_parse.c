// SPDX-License-Identifier: Apache-2.0
/*
 * test_dev_parse.c — the device-signal parsers of src/dev/ (dhcp.c, mdns.c,
 * ssdp.c, wsd.c, sadp.c, banner.c) and the dispatcher vg_dev_observe
 * (observe.c): crafted messages with the exact signals expected, a real
 * DHCP exchange (tcpdump's tests/dhcp-mud.pcap, BSD licence, bytes copied
 * below), and truncated and hostile inputs (compression loops, options past
 * the end, missing terminators, binary junk).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "devsig.h"

static sigs_t C;

/* ---- DHCP -------------------------------------------------------------------- */

/* Real DHCPREQUEST relayed to a server (tcpdump tests/dhcp-mud.pcap, frame 1,
 * UDP payload): a Raspberry Pi b8:27:eb:b8:53:c8, ciaddr 62.12.173.123,
 * options 53 Request, 61 client id, 57, 161 MUD URL, 60, 12, 145, 55 (16). */
static const uint8_t MUD_REQ[] = {
	0x01, 0x01, 0x06, 0x01, 0x06, 0x8c, 0x48, 0x47, 0x00, 0x00, 0x00, 0x00, 0x3e, 0x0c, 0xad, 0x7b,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3e, 0x0c, 0xad, 0x79, 0xb8, 0x27, 0xeb, 0xb8,
	0x53, 0xc8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x63, 0x82, 0x53, 0x63,
	0x35, 0x01, 0x03, 0x3d, 0x07, 0x01, 0xb8, 0x27, 0xeb, 0xb8, 0x53, 0xc8, 0x39, 0x02, 0x05, 0xc0,
	0xa1, 0x36, 0x68, 0x74, 0x74, 0x70, 0x73, 0x3a, 0x2f, 0x2f, 0x6d, 0x75, 0x64, 0x63, 0x74, 0x6c,
	0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f, 0x6d, 0x2f, 0x2e, 0x77, 0x65,
	0x6c, 0x6c, 0x2d, 0x6b, 0x6e, 0x6f, 0x77, 0x6e, 0x2f, 0x6d, 0x75, 0x64, 0x2f, 0x76, 0x31, 0x2f,
	0x72, 0x61, 0x73, 0x62, 0x70, 0x31, 0x30, 0x31, 0x3c, 0x2d, 0x64, 0x68, 0x63, 0x70, 0x63, 0x64,
	0x2d, 0x36, 0x2e, 0x31, 0x31, 0x2e, 0x35, 0x3a, 0x4c, 0x69, 0x6e, 0x75, 0x78, 0x2d, 0x34, 0x2e,
	0x31, 0x2e, 0x31, 0x38, 0x2d, 0x76, 0x37, 0x2b, 0x3a, 0x61, 0x72, 0x6d, 0x76, 0x37, 0x6c, 0x3a,
	0x42, 0x43, 0x4d, 0x32, 0x37, 0x30, 0x39, 0x0c, 0x0b, 0x72, 0x61, 0x73, 0x70, 0x62, 0x65, 0x72,
	0x72, 0x79, 0x70, 0x69, 0x91, 0x01, 0x01, 0x37, 0x10, 0x01, 0x79, 0x21, 0x03, 0x06, 0x0c, 0x0f,
	0x1c, 0x2a, 0x33, 0x36, 0x3a, 0x3b, 0x64, 0x65, 0x77, 0xff,
};
/* ... and the server's DHCPACK (frame 2). */
static const uint8_t MUD_ACK[] = {
	0x02, 0x01, 0x06, 0x01, 0x06, 0x8c, 0x48, 0x47, 0x00, 0x00, 0x00, 0x00, 0x3e, 0x0c, 0xad, 0x7b,
	0x3e, 0x0c, 0xad, 0x7b, 0x3e, 0x0c, 0xad, 0x72, 0x3e, 0x0c, 0xad, 0x79, 0xb8, 0x27, 0xeb, 0xb8,
	0x53, 0xc8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x63, 0x82, 0x53, 0x63,
	0x35, 0x01, 0x05, 0x36, 0x04, 0x3e, 0x0c, 0xad, 0x72, 0x33, 0x04, 0x00, 0x00, 0x02, 0x58, 0x01,
	0x04, 0xff, 0xff, 0xff, 0xf8, 0x03, 0x04, 0x3e, 0x0c, 0xad, 0x79, 0x06, 0x04, 0x3e, 0x0c, 0xad,
	0x72, 0x0f, 0x13, 0x6f, 0x66, 0x63, 0x6f, 0x75, 0x72, 0x73, 0x65, 0x69, 0x6d, 0x72, 0x69, 0x67,
	0x68, 0x74, 0x2e, 0x63, 0x6f, 0x6d, 0x65, 0x0d, 0x45, 0x75, 0x72, 0x6f, 0x70, 0x65, 0x2f, 0x42,
	0x65, 0x72, 0x6c, 0x69, 0x6e, 0xff,
};

/* A BOOTP message: op, chaddr, ciaddr/yiaddr, then the options bytes. */
static size_t bootp(uint8_t *b, uint8_t op, const uint8_t mac[6], uint32_t ciaddr, uint32_t yiaddr,
		    const uint8_t *opts, size_t nopts)
{
	memset(b, 0, 240);
	b[0] = op;
	b[1] = 1;
	b[2] = 6;
	for (int i = 0; i < 4; i++) {
		b[12 + i] = (uint8_t)(ciaddr >> (24 - 8 * i));
		b[16 + i] = (uint8_t)(yiaddr >> (24 - 8 * i));
	}
	memcpy(b + 28, mac, 6);
	b[236] = 0x63;
	b[237] = 0x82;
	b[238] = 0x53;
	b[239] = 0x63;
	memcpy(b + 240, opts, nopts);
	return 240 + nopts;
}

static const uint8_t CAM_MAC[6] = {0xc0, 0x56, 0xe3, 0x11, 0x22, 0x33};

/* Rule: a client DISCOVER gives hostname, PRL in the client's order,
 * vendor class, client id as hex, FQDN (wire format when flag E), and the
 * requested IP; device = chaddr, ip unknown (ciaddr 0). */
static void t_dhcp_discover(void **st)
{
	(void)st;
	static const uint8_t o[] = {
		53, 1, 1,                                   /* DISCOVER */
		0, 0,                                       /* pads */
		12, 7, 'c', 'a', 'm', '-', 'h', 'i', 'k',   /* hostname */
		55, 6, 1, 3, 6, 15, 119, 252,               /* PRL */
		60, 8, 'M', 'S', 'F', 'T', ' ', '5', '.', '0',
		61, 7, 1, 0xc0, 0x56, 0xe3, 0x11, 0x22, 0x33,
		81, 12, 0x04, 0, 0, 3, 'c', 'a', 'm', 3, 'l', 'a', 'n', 0,
		50, 4, 192, 168, 1, 64,
		255};
	uint8_t b[512];
	size_t n = bootp(b, 1, CAM_MAC, 0, 0, o, sizeof(o));
	assert_int_equal(run_parser(&C, vg_dev_dhcp, b, n), 6);
	assert_string_equal(C.out, "dhcp.hostname=cam-hik mac=c0:56:e3:11:22:33\n"
				   "dhcp.prl=1,3,6,15,119,252 mac=c0:56:e3:11:22:33\n"
				   "dhcp.vendor_class=MSFT 5.0 mac=c0:56:e3:11:22:33\n"
				   "dhcp.client_id=01:c0:56:e3:11:22:33 mac=c0:56:e3:11:22:33\n"
				   "dhcp.fqdn=cam.lan mac=c0:56:e3:11:22:33\n"
				   "dhcp.requested_ip=192.168.1.64 ip=192.168.1.64 mac=c0:56:e3:11:22:33\n");
}

/* Rule: a server DHCPACK gives the lease yiaddr for chaddr; an OFFER (type
 * 2) does not (the client has not taken it yet); nor do server replies give
 * client options. */
static void t_dhcp_ack(void **st)
{
	(void)st;
	static const uint8_t ack[] = {53, 1, 5, 12, 3, 'x', 'y', 'z', 255};
	static const uint8_t offer[] = {53, 1, 2, 255};
	uint8_t b[512];
	size_t n = bootp(b, 2, CAM_MAC, 0, 0xc0a80141, ack, sizeof(ack));
	assert_int_equal(run_parser(&C, vg_dev_dhcp, b, n), 1);
	assert_string_equal(C.out, "dhcp.lease=192.168.1.65 ip=192.168.1.65 mac=c0:56:e3:11:22:33\n");
	n = bootp(b, 2, CAM_MAC, 0, 0xc0a80141, offer, sizeof(offer));
	assert_int_equal(run_parser(&C, vg_dev_dhcp, b, n), 0);
}

/* Real capture (dhcp-mud.pcap): the relayed REQUEST and its ACK. */
static void t_dhcp_real(void **st)
{
	(void)st;
	assert_int_equal(run_parser(&C, vg_dev_dhcp, MUD_REQ, sizeof(MUD_REQ)), 4);
	assert_string_equal(
		C.out,
		"dhcp.hostname=raspberrypi ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n"
		"dhcp.prl=1,121,33,3,6,12,15,28,42,51,54,58,59,100,101,119 ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n"
		"dhcp.vendor_class=dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709 ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n"
		"dhcp.client_id=01:b8:27:eb:b8:53:c8 ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n");
	assert_int_equal(run_parser(&C, vg_dev_dhcp, MUD_ACK, sizeof(MUD_ACK)), 1);
	assert_string_equal(C.out, "dhcp.lease=62.12.173.123 ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n");
}

/* Rule: hostile DHCP — an option whose length runs past the end stops the
 * walk but keeps what came before; no magic cookie, short header, wrong op:
 * nothing; binary hostname is sanitised; a missing end option is fine. */
static void t_dhcp_hostile(void **st)
{
	(void)st;
	uint8_t b[600];
	static const uint8_t cut[] = {12, 2, 'o', 'k', 60, 200, 'x', 'y'};
	size_t n = bootp(b, 1, CAM_MAC, 0, 0, cut, sizeof(cut));
	assert_int_equal(run_parser(&C, vg_dev_dhcp, b, n), 1);
	assert_string_equal(C.out, "dhcp.hostname=ok mac=c0:56:e3:11:22:33\n");
	static const uint8_t bin[] = {12, 6, 'a', 0, '\n', 0xff, 0xc3, 0xa9};
	n = bootp(b, 1, CAM_MAC, 0, 0, bin, sizeof(bin));
	assert_int_equal(run_parser(&C, vg_dev_dhcp, b, n), 1);
	assert_string_equal(C.out, "dhcp.hostname=a? ?\xc3\xa9 mac=c0:56:e3:11:22:33\n");
	for (size_t k = 0; k < 240; k++)
		assert_int_equal(run_parser(&C, vg_dev_dhcp, b, k), 0);
	b[236] = 0;
	assert_int_equal(run_parser(&C, vg_dev_dhcp, b, n), 0);
	b[236] = 0x63;
	b[0] = 3;
	assert_int_equal(run_parser(&C, vg_dev_dhcp, b, n), 0);
	/* overlong option lengths everywhere: never reads past n */
	b[0] = 1;
	memset(b + 240, 0xfe, 300);
	assert_int_equal(run_parser(&C, vg_dev_dhcp, b, 540), 0);
	/* zero chaddr: no MAC */
	static const uint8_t z6[6];
	n = bootp(b, 1, z6, 0, 0, cut, sizeof(cut));
	run_parser(&C, vg_dev_dhcp, b, n);
	assert_string_equal(C.out, "dhcp.hostname=ok\n");
}

/* ---- mDNS ----------------------------------------------------------------------- */

typedef struct mb {
	uint8_t b[2048];
	size_t n;
} mb_t;

static void mb_u16(mb_t *m, uint16_t v)
{
	m->b[m->n++] = (uint8_t)(v >> 8);
	m->b[m->n++] = (uint8_t)v;
}
static void mb_bytes(mb_t *m, const void *p, size_t k)
{
	memcpy(m->b + m->n, p, k);
	m->n += k;
}
/* labels separated by '|' (so a label may hold '.'), then the root */
static void mb_name(mb_t *m, const char *s)
{
	while (*s) {
		const char *e = strchr(s, '|');
		size_t l = e ? (size_t)(e - s) : strlen(s);
		m->b[m->n++] = (uint8_t)l;
		mb_bytes(m, s, l);
		s += l + (e ? 1 : 0);
	}
	m->b[m->n++] = 0;
}
static void mb_txt(mb_t *m, const char *s)
{
	m->b[m->n++] = (uint8_t)strlen(s);
	mb_bytes(m, s, strlen(s));
}
static void mb_hdr(mb_t *m, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	m->n = 0;
	mb_u16(m, 0);
	mb_u16(m, flags);
	mb_u16(m, qd);
	mb_u16(m, an);
	mb_u16(m, ns);
	mb_u16(m, ar);
}
/* record header after the owner name; returns the rdlength position */
static size_t mb_rr(mb_t *m, uint16_t type)
{
	mb_u16(m, type);
	mb_u16(m, 0x8001);
	mb_u16(m, 0);
	mb_u16(m, 120);
	size_t at = m->n;
	mb_u16(m, 0);
	return at;
}
static void mb_end(mb_t *m, size_t at)
{
	size_t l = m->n - at - 2;
	m->b[at] = (uint8_t)(l >> 8);
	m->b[at + 1] = (uint8_t)l;
}

/* Rule: a DNS-SD announcement of a camera: PTR service -> instance (a label
 * with a dot and UTF-8 kept as one label), SRV -> host, TXT strings each,
 * A owner as host name, services enumeration PTR; duplicates within the
 * packet are reported once; the A record uses a compression pointer. */
static void t_mdns_announce(void **st)
{
	(void)st;
	mb_t m;
	mb_hdr(&m, 0x8400, 0, 5, 0, 0);
	size_t svc_at = m.n;
	mb_name(&m, "_rtsp|_tcp|local");
	size_t at = mb_rr(&m, 12);
	mb_name(&m, "HIKVISION DS-2CD2042WD v5.4 \xe2\x80\x94 hall|_rtsp|_tcp|local");
	mb_end(&m, at);
	mb_name(&m, "HIKVISION DS-2CD2042WD v5.4 \xe2\x80\x94 hall|_rtsp|_tcp|local");
	at = mb_rr(&m, 33);
	mb_u16(&m, 0);
	mb_u16(&m, 0);
	mb_u16(&m, 554);
	size_t host_at = m.n;
	mb_name(&m, "cam-1|local");
	mb_end(&m, at);
	mb_name(&m, "HIKVISION DS-2CD2042WD v5.4 \xe2\x80\x94 hall|_rtsp|_tcp|local");
	at = mb_rr(&m, 16);
	mb_txt(&m, "model=DS-2CD2042WD");
	mb_txt(&m, ""); /* empty strings are skipped */
	mb_txt(&m, "fw=V5.4.5");
	mb_end(&m, at);
	/* A record: owner is a pointer to "cam-1.local" */
	m.b[m.n++] = (uint8_t)(0xc0 | host_at >> 8);
	m.b[m.n++] = (uint8_t)host_at;
	at = mb_rr(&m, 1);
	mb_bytes(&m, "\xc0\xa8\x01\x40", 4);
	mb_end(&m, at);
	mb_name(&m, "_services|_dns-sd|_udp|local");
	at = mb_rr(&m, 12);
	m.b[m.n++] = (uint8_t)(0xc0 | svc_at >> 8);
	m.b[m.n++] = (uint8_t)svc_at;
	mb_end(&m, at);
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 5);
	assert_string_equal(C.out, "mdns.service=_rtsp._tcp\n"
				   "mdns.instance=HIKVISION DS-2CD2042WD v5.4 \xe2\x80\x94 hall\n"
				   "mdns.hostname=cam-1.local\n"
				   "mdns.txt=model=DS-2CD2042WD\n"
				   "mdns.txt=fw=V5.4.5\n");
}

/* Rule: a printer's services via a subtype PTR, a reverse-lookup PTR
 * naming its host, AAAA owner; queries (QR clear) say nothing. */
static void t_mdns_printer(void **st)
{
	(void)st;
	mb_t m;
	mb_hdr(&m, 0x8400, 1, 2, 0, 1);
	mb_name(&m, "_ipp|_tcp|local"); /* a question inside a response: skipped */
	mb_u16(&m, 12);
	mb_u16(&m, 1);
	mb_name(&m, "_printer|_sub|_http|_tcp|local");
	size_t at = mb_rr(&m, 12);
	mb_name(&m, "Brother HL-L2350DW series|_http|_tcp|local");
	mb_end(&m, at);
	mb_name(&m, "64|1|168|192|in-addr|arpa");
	at = mb_rr(&m, 12);
	mb_name(&m, "BRW0080927AFBCE|local");
	mb_end(&m, at);
	mb_name(&m, "BRW0080927AFBCE|local");
	at = mb_rr(&m, 28);
	mb_bytes(&m, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
	mb_end(&m, at);
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 3);
	assert_string_equal(C.out, "mdns.service=_http._tcp\n"
				   "mdns.instance=Brother HL-L2350DW series\n"
				   "mdns.hostname=BRW0080927AFBCE.local\n");
	m.b[2] = 0; /* QR clear: a query */
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 0);
}

/* Rule: hostile mDNS never reads out of bounds, never loops: a pointer to
 * itself, two pointers to each other, a pointer past the end, reserved
 * label types, record lengths past the end, counts far above the records
 * present, and every truncation of a valid message. */
static void t_mdns_hostile(void **st)
{
	(void)st;
	mb_t m;
	/* owner is a pointer to itself */
	mb_hdr(&m, 0x8400, 0, 1, 0, 0);
	m.b[m.n++] = 0xc0;
	m.b[m.n++] = 12;
	mb_rr(&m, 1);
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 0);
	/* label then a pointer back to the label: loop through two hops */
	mb_hdr(&m, 0x8400, 0, 1, 0, 0);
	m.b[m.n++] = 1;
	m.b[m.n++] = 'a';
	m.b[m.n++] = 0xc0;
	m.b[m.n++] = 12;
	mb_rr(&m, 1);
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 0);
	/* pointer past the end, reserved 0x40 label type */
	mb_hdr(&m, 0x8400, 0, 2, 0, 0);
	m.b[m.n++] = 0xc7;
	m.b[m.n++] = 0xff;
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 0);
	mb_hdr(&m, 0x8400, 0, 1, 0, 0);
	m.b[m.n++] = 0x41;
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 0);
	/* rdlength past the end; huge counts */
	mb_hdr(&m, 0x8400, 0xffff, 0xffff, 0xffff, 0xffff);
	mb_name(&m, "x|local");
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 0);
	mb_hdr(&m, 0x8400, 0, 1, 0, 0);
	mb_name(&m, "_ipp|_tcp|local");
	mb_u16(&m, 16);
	mb_u16(&m, 1);
	mb_u16(&m, 0);
	mb_u16(&m, 0);
	mb_u16(&m, 500);
	mb_txt(&m, "ty=x");
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 0);
	/* TXT string longer than its record: stops inside the record */
	mb_hdr(&m, 0x8400, 0, 1, 0, 0);
	mb_name(&m, "p|_ipp|_tcp|local");
	size_t at = mb_rr(&m, 16);
	mb_txt(&m, "ty=ok");
	m.b[m.n++] = 50;
	m.b[m.n++] = 'x';
	mb_end(&m, at);
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 1);
	assert_string_equal(C.out, "mdns.txt=ty=ok\n");
	/* every prefix of a valid announcement parses without harm */
	mb_hdr(&m, 0x8400, 0, 2, 0, 0);
	mb_name(&m, "_rtsp|_tcp|local");
	at = mb_rr(&m, 12);
	mb_name(&m, "cam|_rtsp|_tcp|local");
	mb_end(&m, at);
	m.b[m.n++] = 0xc0;
	m.b[m.n++] = 12;
	at = mb_rr(&m, 16);
	mb_txt(&m, "a=b");
	mb_end(&m, at);
	for (size_t k = 0; k < m.n; k++)
		assert_true(run_parser(&C, vg_dev_mdns, m.b, k) <= 3);
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 3);
	/* a name longer than 255 bytes through pointers is cut, not overrun */
	mb_hdr(&m, 0x8400, 0, 1, 0, 0);
	size_t first = m.n;
	for (int i = 0; i < 5; i++) {
		m.b[m.n++] = 63;
		memset(m.b + m.n, 'a' + i, 63);
		m.n += 63;
	}
	m.b[m.n++] = 0;
	(void)first;
	at = mb_rr(&m, 1);
	mb_bytes(&m, "\1\2\3\4", 4);
	mb_end(&m, at);
	assert_int_equal(run_parser(&C, vg_dev_mdns, m.b, m.n), 1);
	assert_int_equal(strlen(C.out), strlen("mdns.hostname=\n") + 63 * 3 + 3 + 63);
}

/* ---- SSDP ------------------------------------------------------------------------ */

/* Rule: a NOTIFY gives upnp.from_device "notify", SERVER, USN, NT, LOCATION
 * (header names case-insensitive, values trimmed); a 200 answer to
 * M-SEARCH gives "response" and ST as ssdp.nt; an M-SEARCH nothing. */
static void t_ssdp(void **st)
{
	(void)st;
	const char *notify = "NOTIFY * HTTP/1.1\r\n"
			     "HOST: 239.255.255.250:1900\r\n"
			     "CACHE-CONTROL: max-age=1800\r\n"
			     "location:   http://192.168.1.1:1900/igd.xml  \r\n"
			     "NT: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
			     "NTS: ssdp:alive\r\n"
			     "Server: Linux/2.6.36, UPnP/1.0, Portable SDK for UPnP devices/1.6.18\r\n"
			     "USN: uuid:7ad1a5f0-0000-1000-8000-ec086b123456::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
			     "\r\n";
	assert_int_equal(run_parser(&C, vg_dev_ssdp, notify, strlen(notify)), 5);
	assert_string_equal(
		C.out,
		"upnp.from_device=notify\n"
		"ssdp.server=Linux/2.6.36, UPnP/1.0, Portable SDK for UPnP devices/1.6.18\n"
		"ssdp.usn=uuid:7ad1a5f0-0000-1000-8000-ec086b123456::urn:schemas-upnp-org:device:InternetGatewayDevice:1\n"
		"ssdp.nt=urn:schemas-upnp-org:device:InternetGatewayDevice:1\n"
		"ssdp.location=http://192.168.1.1:1900/igd.xml\n");
	const char *resp = "HTTP/1.1 200 OK\nST: upnp:rootdevice\nUSN: uuid:abc::upnp:rootdevice\n"
			   "SERVER: Hikvision-Webs\nLOCATION: http://192.168.1.64:8000/d.xml";
	assert_int_equal(run_parser(&C, vg_dev_ssdp, resp, strlen(resp)), 5);
	assert_string_equal(C.out, "upnp.from_device=response\n"
				   "ssdp.server=Hikvision-Webs\n"
				   "ssdp.usn=uuid:abc::upnp:rootdevice\n"
				   "ssdp.nt=upnp:rootdevice\n"
				   "ssdp.location=http://192.168.1.64:8000/d.xml\n");
	const char *ms = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			 "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: urn:dial-multiscreen-org:service:dial:1\r\n\r\n";
	assert_int_equal(run_parser(&C, vg_dev_ssdp, ms, strlen(ms)), 0);
	/* an HTTP 200 on UDP without USN/ST is not SSDP */
	const char *other = "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n";
	assert_int_equal(run_parser(&C, vg_dev_ssdp, other, strlen(other)), 0);
	for (size_t k = 0; k < strlen(notify); k++)
		assert_true(run_parser(&C, vg_dev_ssdp, notify, k) <= 5);
}

/* ---- WS-Discovery ------------------------------------------------------------------ */

static const char WSD_MATCH[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\" "
	"xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" "
	"xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">"
	"<env:Header><wsadis:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches"
	"</wsadis:Action></env:Header><env:Body><d:ProbeMatches><d:ProbeMatch>"
	"<wsadis:EndpointReference><wsadis:Address>urn:uuid:54575a42-1d3c-11b2-8163-bcad28a1b2c3"
	"</wsadis:Address></wsadis:EndpointReference>"
	"<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>"
	"<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming\n"
	"  onvif://www.onvif.org/hardware/DS-2CD2142FWD-I onvif://www.onvif.org/name/HIKVISION%20DS-2CD2142FWD-I "
	"onvif://www.onvif.org/location/city/hangzhou?a=1&amp;b=2</d:Scopes>"
	"<d:XAddrs>http://192.168.1.64/onvif/device_service</d:XAddrs>"
	"<d:MetadataVersion>10</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>";

/* Rule: a ProbeMatch gives its Types (whole), each scope URI (entities
 * decoded), XAddrs; a Probe (a client's question) gives nothing. */
static void t_wsd(void **st)
{
	(void)st;
	assert_int_equal(run_parser(&C, vg_dev_wsd, WSD_MATCH, strlen(WSD_MATCH)), 7);
	assert_string_equal(C.out,
			    "wsd.types=dn:NetworkVideoTransmitter tds:Device\n"
			    "wsd.scope=onvif://www.onvif.org/type/video_encoder\n"
			    "wsd.scope=onvif://www.onvif.org/Profile/Streaming\n"
			    "wsd.scope=onvif://www.onvif.org/hardware/DS-2CD2142FWD-I\n"
			    "wsd.scope=onvif://www.onvif.org/name/HIKVISION%20DS-2CD2142FWD-I\n"
			    "wsd.scope=onvif://www.onvif.org/location/city/hangzhou?a=1&b=2\n"
			    "wsd.xaddrs=http://192.168.1.64/onvif/device_service\n");
	const char *probe = "<?xml version=\"1.0\"?><s:Envelope><s:Body><d:Probe>"
			    "<d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>";
	assert_int_equal(run_parser(&C, vg_dev_wsd, probe, strlen(probe)), 0);
	/* truncations and junk: no crash, at most what the full message gives */
	for (size_t k = 0; k < sizeof(WSD_MATCH) - 1; k++)
		assert_true(run_parser(&C, vg_dev_wsd, WSD_MATCH, k) <= 7);
	/* tolerant, not validating: "<<<<d:Hello>" still reads as a Hello tag;
	 * empty scopes and an unterminated tag give nothing */
	const char *junk = "<<<<d:Hello><d:Types>><</d:Types><d:Scopes>   </d:Scopes><d:XAddrs";
	assert_int_equal(run_parser(&C, vg_dev_wsd, junk, strlen(junk)), 1);
	assert_string_equal(C.out, "wsd.types=>\n");
}

/* ---- SADP ------------------------------------------------------------------------- */

static const char SADP_MATCH[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><ProbeMatch>"
	"<Uuid>8B3A3E2C-1D1E-4B7C-8A3B-1F1E2D3C4B5A</Uuid><Types>inquiry</Types>"
	"<DeviceType>138</DeviceType><DeviceDescription>DS-2CD2142FWD-I</DeviceDescription>"
	"<DeviceSN>DS-2CD2142FWD-I20170312AACH123456789</DeviceSN><CommandPort>8000</CommandPort>"
	"<HttpPort>80</HttpPort><MAC>c0-56-e3-aa-bb-cc</MAC><IPv4Address>192.168.1.64</IPv4Address>"
	"<IPv4SubnetMask>255.255.255.0</IPv4SubnetMask><IPv4Gateway>192.168.1.1</IPv4Gateway>"
	"<DHCP>false</DHCP><AnalogChannelNum>0</AnalogChannelNum><DigitalChannelNum>1</DigitalChannelNum>"
	"<SoftwareVersion>V5.4.5build 170124</SoftwareVersion><DSPVersion>V7.3 build 170105</DSPVersion>"
	"<BootTime>2017-06-01 10:00:00</BootTime><Activated>true</Activated></ProbeMatch>";

/* Rule: a ProbeMatch gives model (DeviceDescription; numeric DeviceType is
 * skipped), firmware, serial, MAC normalised; ip = IPv4Address.  A Probe
 * gives nothing. */
static void t_sadp(void **st)
{
	(void)st;
	assert_int_equal(run_parser(&C, vg_dev_sadp, SADP_MATCH, strlen(SADP_MATCH)), 4);
	assert_string_equal(C.out, "sadp.model=DS-2CD2142FWD-I ip=192.168.1.64\n"
				   "sadp.firmware=V5.4.5build 170124 ip=192.168.1.64\n"
				   "sadp.serial=DS-2CD2142FWD-I20170312AACH123456789 ip=192.168.1.64\n"
				   "sadp.mac=c0:56:e3:aa:bb:cc ip=192.168.1.64\n");
	const char *probe = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Probe><Uuid>13A888A9-F1B1-4020-AE9F-"
			    "05607682D23B</Uuid><Types>inquiry</Types></Probe>";
	assert_int_equal(run_parser(&C, vg_dev_sadp, probe, strlen(probe)), 0);
	const char *bad = "<ProbeMatch><DeviceType>NVR</DeviceType><MAC>zz-00</MAC>"
			  "<IPv4Address>999.1.1.1</IPv4Address><DeviceSN>";
	assert_int_equal(run_parser(&C, vg_dev_sadp, bad, strlen(bad)), 1);
	assert_string_equal(C.out, "sadp.model=NVR\n");
	for (size_t k = 0; k < sizeof(SADP_MATCH) - 1; k++)
		assert_true(run_parser(&C, vg_dev_sadp, SADP_MATCH, k) <= 4);
}

/* ---- banners and the dispatcher ------------------------------------------------------- */

static vg_pkt_t pkt(uint8_t proto, const char *src, uint16_t sp, const char *dst, uint16_t dp,
		    uint8_t flags, const void *pl, size_t n)
{
	vg_pkt_t p;
	memset(&p, 0, sizeof(p));
	vg_ip_parse(src, strlen(src), &p.src);
	vg_ip_parse(dst, strlen(dst), &p.dst);
	p.ipver = 4;
	p.proto = proto;
	p.sport = sp;
	p.dport = dp;
	p.tcp_flags = flags;
	p.payload = pl;
	p.payload_len = (uint32_t)n;
	p.flags = VG_PKT_F_L4 | VG_PKT_F_MAC;
	static const uint8_t a[6] = {0x02, 0, 0, 0, 0, 0x0a}; /* src */
	static const uint8_t b[6] = {0xc0, 0x56, 0xe3, 0, 0, 0x0b};
	memcpy(p.src_mac, a, 6);
	memcpy(p.dst_mac, b, 6);
	return p;
}

static int obs(const vg_pkt_t *p, const vg_flow_t *f, int dir, uint32_t *bits)
{
	return vg_dev_observe(p, f, dir, bits, 1, &SCR, sigs_cb, &C);
}

static vg_flow_t FLOW; /* non-NULL flow; observe reads nothing from it */

/* Rule: a camera's HTTP flow: SYN-ACK gives SERVICE (server = sender, MAC
 * kept because the address is private), the client's Basic credentials
 * give http.basic_auth with the user name only, the server's response
 * gives Server: and the auth scheme; once done the flow costs nothing
 * (VG_DEVF_DONE) and later responses are not parsed again. */
static void t_http_flow(void **st)
{
	(void)st;
	uint32_t bits = 0;
	sigs_reset(&C);
	vg_pkt_t p = pkt(6, "192.168.1.64", 80, "192.168.1.10", 50000, VG_TCP_SYN | VG_TCP_ACK, NULL, 0);
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits), 1);
	const char *req = "GET /ISAPI/System/deviceInfo HTTP/1.1\r\nHost: 192.168.1.64\r\n"
			  "Authorization: Basic YWRtaW46MTIzNDU=\r\n\r\n";
	p = pkt(6, "192.168.1.10", 50000, "192.168.1.64", 80, VG_TCP_ACK | VG_TCP_PSH, req, strlen(req));
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOSERVER, &bits), 1);
	const char *resp = "HTTP/1.1 401 Unauthorized\r\nDate: Thu, 01 Jun 2017 10:00:00 GMT\r\n"
			   "Server: App-webs/\r\nWWW-Authenticate: Digest qop=\"auth\", realm=\"IP Camera\"\r\n"
			   "Content-Length: 0\r\n\r\n";
	p = pkt(6, "192.168.1.64", 80, "192.168.1.10", 50000, VG_TCP_ACK, resp, strlen(resp));
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits), 2);
	assert_string_equal(C.out, "service=tcp/80 ip=192.168.1.64 mac=02:00:00:00:00:0a svc=6/80\n"
				   "http.basic_auth=admin ip=192.168.1.64 mac=c0:56:e3:00:00:0b svc=6/80\n"
				   "http.server=App-webs/ ip=192.168.1.64 mac=02:00:00:00:00:0a svc=6/80\n"
				   "http.auth_req=Digest ip=192.168.1.64 mac=02:00:00:00:00:0a svc=6/80\n");
	assert_true(bits & VG_DEVF_DONE);
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits), 0);
	/* a public server: no MAC (the frame's MAC is the router's) */
	bits = 0;
	sigs_reset(&C);
	p = pkt(6, "93.184.216.34", 443, "192.168.1.10", 50001, VG_TCP_SYN | VG_TCP_ACK, NULL, 0);
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits), 1);
	assert_string_equal(C.out, "service=tcp/443 ip=93.184.216.34 svc=6/443\n");
}

/* Rule: RTSP — the OPTIONS answer gives rtsp.server; a DESCRIBE without
 * Authorization answered 200 gives rtsp.noauth; with Authorization, or
 * answered 401, nothing. */
static void t_rtsp(void **st)
{
	(void)st;
	for (int variant = 0; variant < 3; variant++) {
		uint32_t bits = 0;
		sigs_reset(&C);
		const char *opt = "OPTIONS rtsp://192.168.1.108:554/ RTSP/1.0\r\nCSeq: 1\r\n\r\n";
		const char *opt_r = "RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Rtsp Server/3.0\r\n"
				    "Public: OPTIONS, DESCRIBE, SETUP, PLAY\r\n\r\n";
		const char *desc = variant == 1 ? "DESCRIBE rtsp://192.168.1.108:554/cam/realmonitor RTSP/1.0\r\n"
						  "CSeq: 2\r\nAuthorization: Digest username=\"admin\"\r\n\r\n"
						: "DESCRIBE rtsp://192.168.1.108:554/cam/realmonitor RTSP/1.0\r\n"
						  "CSeq: 2\r\nAccept: application/sdp\r\n\r\n";
		const char *desc_r = variant == 2 ? "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n\r\n"
						  : "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\n\r\n";
		vg_pkt_t p = pkt(6, "10.0.0.5", 50000, "192.168.1.108", 554, VG_TCP_ACK, opt, strlen(opt));
		obs(&p, &FLOW, VG_DIR_TOSERVER, &bits);
		p = pkt(6, "192.168.1.108", 554, "10.0.0.5", 50000, VG_TCP_ACK, opt_r, strlen(opt_r));
		obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits);
		p = pkt(6, "10.0.0.5", 50000, "192.168.1.108", 554, VG_TCP_ACK, desc, strlen(desc));
		obs(&p, &FLOW, VG_DIR_TOSERVER, &bits);
		p = pkt(6, "192.168.1.108", 554, "10.0.0.5", 50000, VG_TCP_ACK, desc_r, strlen(desc_r));
		obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits);
		const char *want =
			variant == 0
				? "service=tcp/554 ip=192.168.1.108 mac=02:00:00:00:00:0a svc=6/554\n"
				  "rtsp.server=Rtsp Server/3.0 ip=192.168.1.108 mac=02:00:00:00:00:0a svc=6/554\n"
				  "rtsp.noauth=DESCRIBE answered 200 without Authorization ip=192.168.1.108 mac=02:00:00:00:00:0a svc=6/554\n"
				: "service=tcp/554 ip=192.168.1.108 mac=02:00:00:00:00:0a svc=6/554\n"
				  "rtsp.server=Rtsp Server/3.0 ip=192.168.1.108 mac=02:00:00:00:00:0a svc=6/554\n";
		assert_string_equal(C.out, want);
		assert_true(bits & VG_DEVF_DONE);
	}
}

/* Rule: SSH identification line, FTP 220 greeting with USER (the password
 * is never reported), SMTP's 220 is not FTP, telnet port in use. */
static void t_ssh_ftp_telnet(void **st)
{
	(void)st;
	uint32_t bits = 0;
	sigs_reset(&C);
	const char *ssh = "SSH-2.0-dropbear_2014.63\r\n";
	vg_pkt_t p = pkt(6, "192.168.1.1", 22, "192.168.1.10", 40000, VG_TCP_ACK, ssh, strlen(ssh));
	obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits);
	assert_string_equal(C.out, "service=tcp/22 ip=192.168.1.1 mac=02:00:00:00:00:0a svc=6/22\n"
				   "ssh.banner=SSH-2.0-dropbear_2014.63 ip=192.168.1.1 mac=02:00:00:00:00:0a svc=6/22\n");
	bits = 0;
	sigs_reset(&C);
	const char *g = "220 MikroTik FTP server (MikroTik 6.40.5) ready\r\n";
	p = pkt(6, "192.168.88.1", 21, "192.168.88.10", 40001, VG_TCP_ACK, g, strlen(g));
	obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits);
	p = pkt(6, "192.168.88.10", 40001, "192.168.88.1", 21, VG_TCP_ACK, "USER admin\r\n", 12);
	obs(&p, &FLOW, VG_DIR_TOSERVER, &bits);
	p = pkt(6, "192.168.88.10", 40001, "192.168.88.1", 21, VG_TCP_ACK, "PASS secret\r\n", 13);
	obs(&p, &FLOW, VG_DIR_TOSERVER, &bits);
	assert_string_equal(C.out,
			    "service=tcp/21 ip=192.168.88.1 mac=02:00:00:00:00:0a svc=6/21\n"
			    "ftp.banner=220 MikroTik FTP server (MikroTik 6.40.5) ready ip=192.168.88.1 mac=02:00:00:00:00:0a svc=6/21\n"
			    "ftp.login=admin ip=192.168.88.1 mac=c0:56:e3:00:00:0b svc=6/21\n");
	assert_null(strstr(C.out, "secret"));
	bits = 0;
	sigs_reset(&C);
	const char *smtp = "220 mail.example.org ESMTP Postfix\r\n";
	p = pkt(6, "192.168.1.2", 25, "192.168.1.10", 40002, VG_TCP_ACK, smtp, strlen(smtp));
	obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits);
	assert_string_equal(C.out, "service=tcp/25 ip=192.168.1.2 mac=02:00:00:00:00:0a svc=6/25\n");
	bits = 0;
	sigs_reset(&C);
	p = pkt(6, "192.168.1.50", 23, "192.168.1.10", 40003, VG_TCP_SYN | VG_TCP_ACK, NULL, 0);
	obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits);
	p = pkt(6, "192.168.1.50", 2323, "192.168.1.10", 40004, VG_TCP_SYN | VG_TCP_ACK, NULL, 0);
	obs(&p, NULL, VG_DIR_TOCLIENT, NULL); /* untracked: SYN-ACK still counts */
	assert_string_equal(C.out, "service=tcp/23 ip=192.168.1.50 mac=02:00:00:00:00:0a svc=6/23\n"
				   "telnet=tcp/23 ip=192.168.1.50 mac=02:00:00:00:00:0a svc=6/23\n"
				   "service=tcp/2323 ip=192.168.1.50 mac=02:00:00:00:00:0a svc=6/2323\n"
				   "telnet=tcp/2323 ip=192.168.1.50 mac=02:00:00:00:00:0a svc=6/2323\n");
}

/* Rule: camera-specific service ports (XiongMai 34567, Dahua 37777) are
 * SERVICE signals; the dispatcher routes UDP by port (mDNS/SSDP/WSD/SADP/
 * DHCP), an HTTP 200 SSDP answer from any port, and a UDP flow's first
 * answer gives SERVICE once; plain UDP/TCP data costs no signal. */
static void t_dispatch(void **st)
{
	(void)st;
	uint32_t bits = 0;
	sigs_reset(&C);
	vg_pkt_t p = pkt(6, "192.168.1.20", 34567, "192.168.1.10", 40010, VG_TCP_SYN | VG_TCP_ACK, NULL, 0);
	obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits);
	bits = 0;
	p = pkt(6, "192.168.1.21", 37777, "192.168.1.10", 40011, VG_TCP_SYN | VG_TCP_ACK, NULL, 0);
	obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits);
	assert_string_equal(C.out, "service=tcp/34567 ip=192.168.1.20 mac=02:00:00:00:00:0a svc=6/34567\n"
				   "service=tcp/37777 ip=192.168.1.21 mac=02:00:00:00:00:0a svc=6/37777\n");

	sigs_reset(&C);
	bits = 0;
	p = pkt(17, "192.168.1.64", 37020, "239.255.255.250", 37020, 0, SADP_MATCH, strlen(SADP_MATCH));
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOSERVER, &bits), 4);
	sigs_reset(&C);
	p = pkt(17, "192.168.1.64", 3702, "192.168.1.10", 3702, 0, WSD_MATCH, strlen(WSD_MATCH));
	assert_int_equal(obs(&p, NULL, 0, NULL), 7);
	sigs_reset(&C);
	const char *resp = "HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nUSN: uuid:1::upnp:rootdevice\r\n\r\n";
	p = pkt(17, "192.168.1.1", 49152, "192.168.1.10", 50123, 0, resp, strlen(resp));
	assert_int_equal(obs(&p, NULL, 0, NULL), 3);
	assert_string_equal(C.out, "upnp.from_device=response ip=192.168.1.1 mac=02:00:00:00:00:0a\n"
				   "ssdp.usn=uuid:1::upnp:rootdevice ip=192.168.1.1 mac=02:00:00:00:00:0a\n"
				   "ssdp.nt=upnp:rootdevice ip=192.168.1.1 mac=02:00:00:00:00:0a\n");
	/* UDP flow: the first answer gives SERVICE, later ones nothing */
	sigs_reset(&C);
	bits = 0;
	p = pkt(17, "192.168.1.10", 40000, "192.168.1.1", 53, 0, "\1\2\3\4", 4);
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOSERVER, &bits), 0);
	p = pkt(17, "192.168.1.1", 53, "192.168.1.10", 40000, 0, "\1\2\3\4", 4);
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits), 1);
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits), 0);
	assert_string_equal(C.out, "service=udp/53 ip=192.168.1.1 mac=02:00:00:00:00:0a svc=17/53\n");
	/* DHCP through observe: chaddr, not the frame's MAC */
	static const uint8_t o[] = {53, 1, 3, 12, 3, 'c', 'a', 'm', 255};
	uint8_t b[512];
	size_t n = bootp(b, 1, CAM_MAC, 0, 0, o, sizeof(o));
	sigs_reset(&C);
	p = pkt(17, "0.0.0.0", 68, "255.255.255.255", 67, 0, b, n);
	assert_int_equal(obs(&p, NULL, 0, NULL), 1);
	assert_string_equal(C.out, "dhcp.hostname=cam mac=c0:56:e3:11:22:33\n");
	/* no L4 / later fragment / ICMP: nothing */
	p.flags = 0;
	assert_int_equal(obs(&p, NULL, 0, NULL), 0);
	p = pkt(1, "192.168.1.1", 8, "192.168.1.2", 0, 0, "xx", 2);
	assert_int_equal(obs(&p, NULL, 0, NULL), 0);
	/* TCP data on a done flow: nothing */
	bits = VG_DEVF_DONE;
	p = pkt(6, "192.168.1.1", 80, "192.168.1.2", 4000, VG_TCP_ACK, "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", 30);
	assert_int_equal(obs(&p, &FLOW, VG_DIR_TOCLIENT, &bits), 0);
}

/* Rule: the sanitiser keeps valid UTF-8, turns controls and invalid bytes
 * into '?', collapses whitespace, trims, never splits a sequence at the
 * cut, decodes XML entities only when asked; names round-trip. */
static void t_sanitize(void **st)
{
	(void)st;
	char o[16];
	assert_int_equal(vg_dev_sanitize(o, sizeof(o), (const uint8_t *)"  a \t\r\n b  ", 11, 0), 3);
	assert_string_equal(o, "a b");
	vg_dev_sanitize(o, sizeof(o), (const uint8_t *)"\xc0\xaf\xed\xa0\x80x\x7f", 7, 0);
	assert_string_equal(o, "?????x?");
	vg_dev_sanitize(o, 6, (const uint8_t *)"abcd\xe2\x82\xac", 7, 0);
	assert_string_equal(o, "abcd"); /* the euro sign does not fit whole */
	vg_dev_sanitize(o, sizeof(o), (const uint8_t *)"a&amp;b&#65;&x", 14, VG_SAN_XML);
	assert_string_equal(o, "a&bA&x");
	vg_dev_sanitize(o, sizeof(o), (const uint8_t *)"a&amp;b", 7, 0);
	assert_string_equal(o, "a&amp;b");
	for (int k = 1; k < VG_SIG__COUNT; k++)
		assert_int_equal(vg_dev_sig_kind(vg_dev_sig_name(k)), k);
	assert_int_equal(vg_dev_sig_kind("nope"), VG_SIG_NONE);
	assert_string_equal(vg_dev_sig_name(999), "");
	for (int c = 0; c < VG_CLASS__COUNT; c++)
		assert_int_equal(vg_dev_class_parse(vg_dev_class_name(c)), c);
	assert_int_equal(vg_dev_class_parse("nvr"), VG_CLASS_DVR);
	assert_int_equal(vg_dev_class_parse("toaster"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_dhcp_discover), cmocka_unit_test(t_dhcp_ack),
		cmocka_unit_test(t_dhcp_real),     cmocka_unit_test(t_dhcp_hostile),
		cmocka_unit_test(t_mdns_announce), cmocka_unit_test(t_mdns_printer),
		cmocka_unit_test(t_mdns_hostile),  cmocka_unit_test(t_ssdp),
		cmocka_unit_test(t_wsd),           cmocka_unit_test(t_sadp),
		cmocka_unit_test(t_http_flow),     cmocka_unit_test(t_rtsp),
		cmocka_unit_test(t_ssh_ftp_telnet), cmocka_unit_test(t_dispatch),
		cmocka_unit_test(t_sanitize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
