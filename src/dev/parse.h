/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dev/parse.h — internal interface of the device-signal parsers (dhcp.c,
 * mdns.c, ssdp.c, wsd.c, sadp.c, banner.c) and of the emitter that
 * vg_dev_observe() (observe.c) hands them.
 *
 * An emitter carries the signal template (device MAC/IP, port, protocol,
 * time), the callback, and the caller's scratch: vg_dev_emit() sanitises a
 * raw byte string into the scratch (printable, valid UTF-8, whitespace
 * collapsed and trimmed, bounded, NUL-terminated), drops empty values and
 * values already emitted for this packet, and calls the callback.  The
 * value is valid during the callback only (the next emit reuses the area).
 * Parsers read their untrusted input only through lib/rd.h, allocate
 * nothing and keep no state: they may be called directly (tests, fuzzing).
 */
#ifndef VG_DEV_PARSE_H
#define VG_DEV_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dev/dev.h"

#define VG_DEV_VALUE_MAX 1024 /* bytes of one emitted value, NUL included */
#define VG_DEV_DEDUP 32       /* values remembered per packet for de-duplication */
#define VG_DEV_MAX_SIGS 128   /* signals emitted per packet at most */

/* vg_dev_emit_t.s is the template copied into each signal: parsers may set
 * mac/ip/port/proto before emitting. */
typedef struct vg_dev_emit {
	vg_dev_sig_fn cb;
	void *ctx;
	char *val;   /* VG_DEV_VALUE_MAX bytes in the scratch */
	uint8_t *tmp; /* VG_DEV_TMP_MAX bytes in the scratch for parsers */
	vg_dev_sig_t s;
	int n;       /* signals emitted */
	int ndedup;
	uint64_t dedup[VG_DEV_DEDUP];
} vg_dev_emit_t;

#define VG_DEV_TMP_MAX 4096

/* Sanitiser flags */
#define VG_SAN_XML 0x01 /* decode &amp; &lt; &gt; &quot; &apos; &#N; &#xN; */

/* vg_dev_emit_init: an emitter over scratch (whose memory it uses) that
 * reports to cb(ctx, ...); the template is zeroed except ts_us. */
void vg_dev_emit_init(vg_dev_emit_t *e, vg_dev_scratch_t *scratch, vg_dev_sig_fn cb, void *ctx,
		      uint64_t ts_us);

/* vg_dev_emit: sanitise s[0..n) (flags VG_SAN_*) and emit it as kind.
 * Returns true when a signal was emitted (false: empty after sanitising,
 * duplicate within this packet, or VG_DEV_MAX_SIGS reached). */
bool vg_dev_emit(vg_dev_emit_t *e, int kind, const uint8_t *s, size_t n, unsigned flags);
/* vg_dev_emit_str: vg_dev_emit of a C string. */
bool vg_dev_emit_str(vg_dev_emit_t *e, int kind, const char *s);

/* vg_dev_sanitize: write s[0..n) into out (cap bytes incl. the NUL) as
 * printable text: valid UTF-8 sequences kept, other bytes and controls as
 * '?', whitespace runs collapsed to one space, leading/trailing whitespace
 * removed, never a split UTF-8 sequence at the cut.  Returns the length. */
size_t vg_dev_sanitize(char *out, size_t cap, const uint8_t *s, size_t n, unsigned flags);

/* vg_dev_ip_is_local: RFC 1918, 100.64/10, 169.254/16, fe80::/10, fc00::/7:
 * the addresses for which a frame's MAC is taken as the device's MAC. */
bool vg_dev_ip_is_local(const vg_ip_t *ip);

/* ---- protocol parsers: each returns the number of signals emitted ----- */

/* vg_dev_dhcp: one BOOTP/DHCP message (UDP 67/68 payload).  Client
 * messages (op 1) give hostname (12), PRL (55, order kept), vendor class
 * (60), client id (61), FQDN (81) and requested IP (50), with mac = chaddr
 * and ip = ciaddr (zero when unset); a server DHCPACK (op 2, type 5) gives
 * the lease (ip = yiaddr, mac = chaddr).  e->s.mac/ip are overwritten. */
int vg_dev_dhcp(vg_dev_emit_t *e, const uint8_t *p, size_t n);

/* vg_dev_mdns: one mDNS message; responses only (QR set).  PTR, SRV, TXT,
 * A/AAAA records of every section give services, instance names, TXT
 * strings and host names.  Names are decoded with compression (at most
 * 16 pointers per name, 255 bytes, a step budget per message). */
int vg_dev_mdns(vg_dev_emit_t *e, const uint8_t *p, size_t n);

/* vg_dev_ssdp: one SSDP datagram: NOTIFY or an HTTP/1.x 200 response gives
 * SERVER, USN, NT/ST, LOCATION and upnp.from_device; M-SEARCH nothing. */
int vg_dev_ssdp(vg_dev_emit_t *e, const uint8_t *p, size_t n);

/* vg_dev_wsd: one WS-Discovery SOAP datagram: when it is a ProbeMatch,
 * ResolveMatch or Hello, its Types, each Scopes URI, and XAddrs. */
int vg_dev_wsd(vg_dev_emit_t *e, const uint8_t *p, size_t n);

/* vg_dev_sadp: one Hikvision SADP XML datagram (UDP 37020): for a
 * ProbeMatch (device answer/announce), model (DeviceDescription, and
 * DeviceType when not a number), firmware (SoftwareVersion), serial
 * (DeviceSN), MAC (normalised aa:bb:cc:dd:ee:ff); ip = IPv4Address when
 * it parses, else as set by the caller. */
int vg_dev_sadp(vg_dev_emit_t *e, const uint8_t *p, size_t n);

/* Per-flow state bits (in the caller's *flow_bits) used by banner.c and
 * observe.c. */
#define VG_DEVF_SVC 0x0001       /* SERVICE emitted */
#define VG_DEVF_SRV 0x0002       /* first server data parsed */
#define VG_DEVF_CLI 0x0004       /* client side needs no more watching */
#define VG_DEVF_RTSP 0x0008      /* RTSP flow */
#define VG_DEVF_DESC 0x0010      /* DESCRIBE seen, answer pending */
#define VG_DEVF_DESC_AUTH 0x0020 /* that DESCRIBE carried Authorization */
#define VG_DEVF_FTP 0x0040       /* FTP control flow */
#define VG_DEVF_HTTP 0x0080      /* HTTP flow */
#define VG_DEVF_DONE VG_DEV_FLOW_DONE /* nothing more to do on this flow (dev.h) */
#define VG_DEVF_CNT_SHIFT 12     /* 4-bit count of client packets examined */
#define VG_DEVF_CNT_MASK 0xf000
#define VG_DEVF_CLI_MAX 8        /* client payload packets examined per flow */

/* vg_dev_banner_server: first server->client bytes of a TCP flow (HTTP and
 * RTSP responses, SSH identification, FTP 220); also the answer to a
 * pending RTSP DESCRIBE.  e->s holds the server as device.  sport is the
 * server port.  Updates *bits. */
int vg_dev_banner_server(vg_dev_emit_t *e, const uint8_t *p, size_t n, uint16_t sport,
			 uint32_t *bits);

/* vg_dev_banner_client: client->server bytes: HTTP Authorization: Basic
 * (value: the user name, never the password), FTP USER (value: the user
 * name), RTSP DESCRIBE with or without Authorization.  e->s holds the
 * server as device.  Updates *bits (VG_DEVF_CLI when done watching). */
int vg_dev_banner_client(vg_dev_emit_t *e, const uint8_t *p, size_t n, uint16_t dport,
			 uint32_t *bits);

/* ---- small text helpers shared by the parsers (observe.c) -------------- */

/* vg_dev_memcasemem: first case-insensitive (ASCII) occurrence of nd[0..nn)
 * in h[0..hn), or NULL. */
const uint8_t *vg_dev_memcasemem(const uint8_t *h, size_t hn, const char *nd, size_t nn);
/* vg_dev_casepfx: h[0..hn) starts with s (ASCII case-insensitive). */
bool vg_dev_casepfx(const uint8_t *h, size_t hn, const char *s);

/* vg_dev_line: the next line of r (CR LF or LF ended; the last line may
 * lack its end) without its terminator; false when r is exhausted. */
struct vg_rd;
bool vg_dev_line(struct vg_rd *r, const uint8_t **s, size_t *n);
/* vg_dev_hdr_next: the next "Name: value" line of an HTTP-style head,
 * value trimmed; lines without ':' are skipped; false at the blank line
 * ending the head or at the end of r. */
bool vg_dev_hdr_next(struct vg_rd *r, const uint8_t **name, size_t *nlen, const uint8_t **val,
		     size_t *vlen);
/* vg_dev_hdr_is: name[0..nlen) equals h (ASCII case-insensitive). */
bool vg_dev_hdr_is(const uint8_t *name, size_t nlen, const char *h);

#endif
