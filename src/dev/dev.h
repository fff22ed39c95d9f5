/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dev/dev.h — passive device fingerprinting: the contract between the
 * protocol parsers (dev/observe.c, dhcp.c, mdns.c, ssdp.c, wsd.c, sadp.c,
 * banner.c, oui.c, rules.c) and the inventory (dev/inventory.c, the watch
 * integration, `vigil devices`).
 *
 * The packet path calls vg_dev_observe() for every decoded IP packet (with
 * its flow and direction when tracked).  It filters by port/protocol with a
 * few compares (cost when nothing matches: no call beyond that), parses the
 * discovery protocols and first server bytes it knows, and reports each
 * fact as a vg_dev_sig_t through a callback.  Signals borrow the packet's
 * bytes or a caller-provided scratch: valid during the callback only.  No
 * allocation, no locks; thread-safe (no shared state) given its own scratch.
 *
 * The inventory turns signals into devices (keyed by MAC when seen, else IP),
 * runs the fingerprint rules (vg_dev_rules_*) on them, and keeps evidence.
 */
#ifndef VG_DEV_DEV_H
#define VG_DEV_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/decode.h"
#include "net/flow.h"
#include "vigil/common.h"

/* What a signal says.  Names (vg_dev_sig_name) are the "signal" field of
 * evidence and of fingerprint rules: "dhcp.hostname", "ssdp.server", ... */
enum vg_dev_sig_kind {
	VG_SIG_NONE = 0,
	/* DHCP (client messages; the device is the client, mac = chaddr) */
	VG_SIG_DHCP_HOSTNAME,     /* option 12 */
	VG_SIG_DHCP_PRL,          /* option 55, as "1,3,6,15,..." (order kept) */
	VG_SIG_DHCP_VENDOR_CLASS, /* option 60 */
	VG_SIG_DHCP_CLIENT_ID,    /* option 61, hex "01:aa:bb:.." */
	VG_SIG_DHCP_FQDN,         /* option 81 domain name */
	VG_SIG_DHCP_LEASE,        /* server ACK: value = yiaddr text; ip = yiaddr, mac = chaddr */
	/* mDNS / DNS-SD (responses; the device is the sender) */
	VG_SIG_MDNS_SERVICE,      /* service type "_rtsp._tcp" (PTR owner/target) */
	VG_SIG_MDNS_INSTANCE,     /* instance name "HIKVISION DS-2CD2042WD" */
	VG_SIG_MDNS_HOSTNAME,     /* A/AAAA owner "cam-1.local" */
	VG_SIG_MDNS_TXT,          /* one TXT string "model=DS-2CD2042WD" */
	/* SSDP / UPnP (NOTIFY and M-SEARCH responses; device = sender) */
	VG_SIG_SSDP_SERVER,
	VG_SIG_SSDP_USN,
	VG_SIG_SSDP_NT,           /* NT or ST */
	VG_SIG_SSDP_LOCATION,
	/* WS-Discovery / ONVIF (ProbeMatch / Hello; device = sender) */
	VG_SIG_WSD_TYPES,         /* "dn:NetworkVideoTransmitter tds:Device" */
	VG_SIG_WSD_SCOPE,         /* one scope URI "onvif://www.onvif.org/hardware/DS-2CD" */
	VG_SIG_WSD_XADDRS,
	/* Hikvision SADP (UDP 37020 XML; device = sender) */
	VG_SIG_SADP_MODEL,        /* <DeviceType> / <DeviceDescription> */
	VG_SIG_SADP_FIRMWARE,     /* <SoftwareVersion> */
	VG_SIG_SADP_SERIAL,       /* <DeviceSN> */
	VG_SIG_SADP_MAC,          /* <MAC> */
	/* Banners in passing (server -> client bytes; device = server) */
	VG_SIG_HTTP_SERVER,       /* HTTP response Server: */
	VG_SIG_HTTP_BASIC_AUTH,   /* client sent Authorization: Basic in clear; device = server */
	VG_SIG_HTTP_AUTH_REQ,     /* WWW-Authenticate scheme: "Basic" / "Digest" */
	VG_SIG_RTSP_SERVER,       /* RTSP response Server: */
	VG_SIG_RTSP_NOAUTH,       /* RTSP DESCRIBE answered 200 without Authorization */
	VG_SIG_SSH_BANNER,        /* "SSH-2.0-dropbear_2014.63" */
	VG_SIG_FTP_BANNER,        /* "220 ..." first line */
	VG_SIG_FTP_LOGIN,         /* client sent USER/PASS in clear; device = server */
	VG_SIG_TELNET,            /* telnet (23/2323) in use; device = server */
	VG_SIG_SERVICE,           /* a server port answered (SYN-ACK or first server
				   * data): value "tcp/554", port/proto set; device = server */
	VG_SIG_UPNP_FROM_DEVICE,  /* the device itself sent SSDP NOTIFY (UPnP on):
				   * value "notify", or "response" for an answer
				   * to M-SEARCH */
	/* added by the parser branch (after the original kinds: numbers above
	 * are unchanged) */
	VG_SIG_DHCP_REQUESTED_IP, /* option 50 in a client message: value = IP text,
				   * ip = that address; mac = chaddr */
	VG_SIG__COUNT
};

/* vg_dev_sig_name: "dhcp.hostname", ...; "" for out-of-range. */
const char *vg_dev_sig_name(int kind);
/* vg_dev_sig_kind: inverse of vg_dev_sig_name; VG_SIG_NONE if unknown. */
int vg_dev_sig_kind(const char *name);

typedef struct vg_dev_sig {
	int kind;              /* enum vg_dev_sig_kind */
	const uint8_t *mac;    /* device MAC (6 bytes) or NULL when not known:
				* DHCP chaddr; the frame's source MAC for the
				* link-local discovery protocols (mDNS, SSDP,
				* WSD, SADP); for banners/SERVICE/logins the
				* frame's MAC only when the device IP is local
				* (RFC 1918, 100.64/10, link-local, ULA): for a
				* public address it would be the router's */
	vg_ip_t ip;            /* device IP (all zero when not known) */
	uint16_t port;         /* server port for SERVICE/banners, else 0 */
	uint8_t proto;         /* IP protocol for SERVICE/banners, else 0 */
	const char *value;     /* printable UTF-8-safe text, NUL-terminated */
	size_t len;            /* strlen(value) */
	uint64_t ts_us;        /* packet time */
} vg_dev_sig_t;

typedef void (*vg_dev_sig_fn)(void *ctx, const vg_dev_sig_t *s);

/* Repeated-announcement memory of a scratch (see vg_dev_scratch_t). */
#define VG_DEV_REPEAT_SLOTS 4096

/* Scratch for one observer (one per packet thread): text buffers the
 * signals point into, and a memory of discovery datagrams already parsed.
 * Zero-initialise it (static or memset); callers may embed it.
 *
 * repeat_s: when non-zero, a discovery datagram (mDNS, SSDP, WS-Discovery,
 * SADP, DHCP from a client) whose sender (MAC, IP, ports) and payload
 * bytes equal one parsed less than repeat_s seconds before is not parsed
 * again: devices re-announce the same text every few minutes, and it says
 * nothing new (the flow still updates the device's last-seen time).  DHCP
 * server replies are always parsed (a lease may move an address back).
 * Direct-mapped by a 64-bit hash of those bytes: a colliding datagram is
 * parsed (it just replaces the slot). */
typedef struct vg_dev_scratch {
	_Alignas(8) uint8_t mem[8192];
	uint32_t repeat_s;                       /* 0 = parse every datagram */
	uint64_t repeat_seen;                    /* datagrams skipped (stats) */
	uint64_t rep_key[VG_DEV_REPEAT_SLOTS];   /* payload+sender hash */
	uint32_t rep_sec[VG_DEV_REPEAT_SLOTS];   /* packet second when parsed */
} vg_dev_scratch_t;

/*
 * vg_dev_observe — inspect one decoded packet p (vg_decode() == VG_DEC_OK)
 * captured at ts_us.  f is its flow or NULL; dir is VG_DIR_TOSERVER or
 * VG_DIR_TOCLIENT when f != NULL.  Emits 0..n signals through cb.  Returns
 * the number of signals emitted.  Never allocates; never reads past the
 * captured bytes.  Per-flow "already seen" state lives in flow_bits (a
 * caller-owned per-flow uint32_t, zero at flow creation; may be NULL) so a
 * banner is parsed once per flow.
 */
int vg_dev_observe(const vg_pkt_t *p, const vg_flow_t *f, int dir, uint32_t *flow_bits,
		   uint64_t ts_us, vg_dev_scratch_t *scratch, vg_dev_sig_fn cb, void *ctx);

/* vg_dev_flow_ignore: nothing on this flow is a device fact (its server is
 * not a local device): vg_dev_observe skips it from now on, except
 * discovery datagrams.  flow_bits as given to vg_dev_observe. */
#define VG_DEV_FLOW_DONE 0x0100u
static inline void vg_dev_flow_ignore(uint32_t *flow_bits)
{
	if (flow_bits)
		*flow_bits |= VG_DEV_FLOW_DONE;
}

/* ---- MAC vendors (dev/oui.c, data from Debian's ieee-data) -------------- */

/* vg_mac_is_local: locally administered (randomised) address (bit 1 of the
 * first octet); such MACs get no vendor. */
static inline bool vg_mac_is_local(const uint8_t mac[6]) { return (mac[0] & 0x02) != 0; }

/* vg_oui_vendor: the registered organisation of mac (MA-S 36-bit, then
 * MA-M 28-bit, then MA-L 24-bit prefix: longest wins), or NULL when not
 * registered, multicast, or locally administered.  The table is built into
 * the binary at build time from ieee-data; thread-safe. */
const char *vg_oui_vendor(const uint8_t mac[6]);

/* OUI tables from text in the oui.tsv format (scripts/gen-oui):
 * "ORGANISATION<TAB>PREFIX[,PREFIX...]" with 6/7/9-hex-digit prefixes.
 * (Addition of the parser branch: tests and user-supplied tables.) */
typedef struct vg_oui_tab vg_oui_tab_t;
/* vg_oui_tab_new: parse text[0..len) (copied).  0 or VG_ENOMEM. */
int vg_oui_tab_new(vg_oui_tab_t **out, const char *text, size_t len);
void vg_oui_tab_free(vg_oui_tab_t *t);
/* vg_oui_tab_find: as vg_oui_vendor, in table t (NULL t: NULL). */
const char *vg_oui_tab_find(const vg_oui_tab_t *t, const uint8_t mac[6]);
/* vg_oui_tab_size: number of prefixes. */
size_t vg_oui_tab_size(const vg_oui_tab_t *t);
/* vg_oui_builtin: the embedded table (built on first use; NULL when the
 * build had no ieee-data or memory ran out).  Never freed. */
const vg_oui_tab_t *vg_oui_builtin(void);

/* ---- fingerprint rules (dev/rules.c, data/fingerprints.rules) ----------- */

enum vg_dev_class {
	VG_CLASS_UNKNOWN = 0,
	VG_CLASS_CAMERA,
	VG_CLASS_DVR,      /* DVR / NVR */
	VG_CLASS_ROUTER,
	VG_CLASS_PRINTER,
	VG_CLASS_PC,
	VG_CLASS_PHONE,
	VG_CLASS__COUNT
};
/* "unknown", "camera", "dvr", "router", "printer", "pc", "phone" */
const char *vg_dev_class_name(int cls);
int vg_dev_class_parse(const char *name); /* -1 if unknown */

typedef struct vg_dev_rules vg_dev_rules_t;

/* What one rule concluded from one signal. */
typedef struct vg_dev_fp {
	const char *rule_id;   /* e.g. "hik-sadp-model" (borrowed from the rules) */
	int cls;               /* enum vg_dev_class, UNKNOWN = no class claim */
	uint8_t confidence;    /* 0..100 */
	const char *vendor;    /* NULL or borrowed */
	char model[64];        /* from the rule or a capture group; "" = none */
	char firmware[64];     /* "" = none */
} vg_dev_fp_t;

/* vg_dev_rules_load: parse a rules file (format in data/fingerprints.rules
 * header); errors name file:line in err.  0, VG_EFORMAT (a syntax error:
 * err holds "FILE:LINE: problem"), VG_EIO, VG_ELIMIT (file over 4 MiB),
 * VG_ENOMEM.  A file loads wholly or not at all. */
int vg_dev_rules_load(vg_dev_rules_t **out, const char *path, char *err, size_t errlen);
/* vg_dev_rules_builtin: the rules compiled into the binary (same file). */
int vg_dev_rules_builtin(vg_dev_rules_t **out);
/* vg_dev_rules_add: add the rules of another file (user extensions) */
int vg_dev_rules_add(vg_dev_rules_t *r, const char *path, char *err, size_t errlen);
/* vg_dev_rules_load_text: like vg_dev_rules_load on text[0..len) (name is
 * used in messages).  (Addition of the parser branch.) */
int vg_dev_rules_load_text(vg_dev_rules_t **out, const char *name, const char *text, size_t len,
			   char *err, size_t errlen);
/* vg_dev_rules_version: the "# version:" of the first file that had one, or "". */
const char *vg_dev_rules_version(const vg_dev_rules_t *r);
void vg_dev_rules_free(vg_dev_rules_t *r);
/* vg_dev_rules_match: every rule matching signal (kind, value); fills up to
 * max results, returns how many.  Thread-safe (rules are immutable). */
int vg_dev_rules_match(const vg_dev_rules_t *r, int kind, const char *value, size_t len,
		       vg_dev_fp_t *out, int max);

#endif
