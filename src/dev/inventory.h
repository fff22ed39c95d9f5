/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dev/inventory.h — the device table: signals (dev/dev.h) and flows in,
 * devices out.
 *
 *   vg_inv_t *inv; vg_inv_new(&inv, &limits, rules, vulns);
 *   vg_dev_observe(p, f, dir, bits, ts, &scratch, vg_inv_on_signal, inv);
 *   vg_inv_flow(inv, &pkt_src_mac_or_NULL, client, server, port, proto, ts, name, &dest);
 *   ... vg_inv_dirty_*() for persistence (dev/invdb.h) ...
 *   vg_inv_free(inv);
 *
 * A device is keyed by its MAC when one was seen with a local address, else
 * by its IP.  IP changes are followed: a DHCP lease (ACK: chaddr -> yiaddr)
 * moves the address to the MAC's device, and a discovery packet (DHCP, mDNS,
 * SSDP, WS-Discovery, SADP: link-local multicast, so its source MAC really
 * is the sender's) binds its source IP to its source MAC.  Unicast traffic
 * binds a MAC to an IP only when the address is local (RFC 1918, CGNAT,
 * link-local, ULA, or a --watch-net) and the MAC is not a router's: a MAC
 * seen behind more than VG_INV_ROUTER_IPS addresses is treated as a gateway
 * and never binds again.  When a MAC device takes an address held by an
 * IP-only device, that device is merged into it.
 *
 * Bounds: max_devices devices and max_dests destinations per device
 * (configurable; extra ones are dropped and counted), max_names distinct
 * destination names (interned once, shared by all devices); fixed small arrays for
 * addresses, services, evidence and last alerts.  Memory is allocated when a
 * device or destination appears (bounded by the limits), never per packet.
 *
 * Single-threaded (the engine's thread).  rules and vulns are borrowed.
 */
#ifndef VG_DEV_INVENTORY_H
#define VG_DEV_INVENTORY_H

#include "dev/dev.h"
#include "dev/vuln.h"

#include <stdbool.h>
#include <stdint.h>

#define VG_INV_MAX_IPS 8        /* addresses per device (most recent kept) */
#define VG_INV_MAX_SERVICES 32  /* open services per device */
#define VG_INV_MAX_EVIDENCE 24  /* evidence rows per device */
#define VG_INV_MAX_VULNS 4      /* vulnerable components per device */
#define VG_INV_LAST_ALERTS 4    /* last alert signatures kept */
#define VG_INV_ROUTER_IPS 16    /* a MAC behind more local IPs is a gateway */
#define VG_INV_SEEN 16          /* (signal, value) pairs remembered per device */

/* Risk flags (vg_inv_dev_t.risk); names from vg_inv_risk_name(bit index). */
enum {
	VG_RISK_TELNET = 1u << 0,      /* "cleartext-telnet" */
	VG_RISK_FTP_LOGIN = 1u << 1,   /* "cleartext-ftp-login" */
	VG_RISK_HTTP_BASIC = 1u << 2,  /* "cleartext-http-basic" */
	VG_RISK_RTSP_NOAUTH = 1u << 3, /* "rtsp-no-auth" */
	VG_RISK_UPNP = 1u << 4,        /* "upnp" */
	VG_RISK_VULN = 1u << 5,        /* "vulnerable-version" */
	VG_RISK_INDICATOR = 1u << 6,   /* "listed-indicator" */
	VG_RISK__BITS = 7
};
/* vg_inv_risk_name: name of bit index i (0..VG_RISK__BITS-1), "" beyond. */
const char *vg_inv_risk_name(int i);
/* vg_inv_risk_parse: bit of a name, 0 when unknown. */
uint32_t vg_inv_risk_parse(const char *name);

typedef struct vg_inv_ev {
	char signal[24];  /* vg_dev_sig_name() */
	char value[96];   /* the signal value (cut) */
	char rule[40];    /* rule id */
	uint8_t cls, confidence;
} vg_inv_ev_t;

typedef struct vg_inv_svc {
	uint16_t port;
	uint8_t proto;
} vg_inv_svc_t;

typedef struct vg_inv_vuln {
	char component[32];
	char version[48];
	char cves[160];
} vg_inv_vuln_t;

typedef struct vg_inv_dest {
	vg_ip_t ip;
	uint16_t port;
	uint8_t proto;
	char cc[3];        /* country ("" unknown) */
	const char *name;  /* DNS name the address was resolved from: interned in the
			    * table (valid until vg_inv_free), "" when none, never NULL */
	uint64_t first_us, last_us;
	uint64_t flows;
	bool dirty;        /* changed since the last persistence flush */
	bool checked;      /* policy checked this run (not persisted) */
} vg_inv_dest_t;

typedef struct vg_inv_dev {
	/* hot: touched by every new flow (kept together, first) */
	uint32_t id;           /* 1.. stable across restarts (persisted) */
	bool has_mac, randomised, dirty;
	bool gateway;          /* MAC behind too many addresses: never binds */
	bool touched;          /* only last_us / destinations changed since the last flush
				* (dirty: anything else) */
	uint8_t mac[6];
	uint8_t n_ips, n_svc, n_ev, n_vulns, n_last;
	uint8_t cls, confidence; /* enum vg_dev_class, 0..100 */
	uint32_t mac_ips;      /* distinct local IPs seen behind this MAC */
	uint32_t n_dests, cap_dests;
	uint32_t dmask;
	uint64_t first_us, last_us;
	vg_inv_dest_t *dests;  /* owned; grown as destinations appear */
	uint16_t *didx;        /* owned: open-addressing index of dests (i + 1; 0 empty) */
	vg_ip_t ips[VG_INV_MAX_IPS]; /* [0] = current */
	/* cold */
	uint32_t seen[VG_INV_SEEN]; /* hashes of the last (signal, value) pairs whose
				     * rules and vulnerable versions were checked: a
				     * device repeating itself is not matched again */
	uint8_t n_seen;
	uint32_t risk;         /* VG_RISK_* */
	uint64_t alerts;
	char vendor[64];       /* OUI organisation, else a rule's vendor; "" when randomised */
	char model[64], firmware[64], hostname[64];
	vg_inv_svc_t svc[VG_INV_MAX_SERVICES];
	char last_alerts[VG_INV_LAST_ALERTS][96]; /* most recent first */
	vg_inv_vuln_t vulns[VG_INV_MAX_VULNS];
	vg_inv_ev_t *ev;       /* owned: VG_INV_MAX_EVIDENCE rows, allocated with the first
				* (most devices never match a rule); n_ev used */
} vg_inv_dev_t;

typedef struct vg_inv_limits {
	uint32_t max_devices; /* default 4096 */
	uint32_t max_dests;   /* per device, default 256, at most 32768 */
	uint32_t max_names;   /* distinct destination names kept, default 65536 */
} vg_inv_limits_t;

typedef struct vg_inv_stats {
	uint64_t signals, devices_dropped, dests_dropped, services_dropped, evidence_dropped;
	uint64_t merged, leases, names_dropped;
} vg_inv_stats_t;

typedef struct vg_inv vg_inv_t;

void vg_inv_limits_default(vg_inv_limits_t *l);

/* vg_inv_new: an empty table.  rules/vulns may be NULL (no class, no
 * vulnerable-version flag).  0, VG_EINVAL (a zero limit), VG_ENOMEM. */
int vg_inv_new(vg_inv_t **out, const vg_inv_limits_t *lim, const vg_dev_rules_t *rules,
	       const vg_vulns_t *vulns);
void vg_inv_free(vg_inv_t *inv);

/* vg_inv_set_local: extra local nets (CIDRs in the IPv6 space, v4 = 96+len)
 * besides the private/link-local ranges; copied. */
void vg_inv_set_local(vg_inv_t *inv, const vg_ip_t *nets, const uint8_t *prefix, int n);
/* vg_inv_is_local: ip is in a local range (see above). */
bool vg_inv_is_local(const vg_inv_t *inv, const vg_ip_t *ip);

/* vg_inv_on_signal: the vg_dev_sig_fn (ctx = the vg_inv_t). */
void vg_inv_on_signal(void *ctx, const vg_dev_sig_t *s);

/*
 * vg_inv_flow: account a new flow from a local client (cli, with its
 * source MAC when on the local segment, else NULL) to server srv:port/proto
 * at ts_us.  When the server is not local it becomes a destination of the
 * client's device (created if needed), with name (the DNS name the address
 * was resolved from, may be NULL) and cc (country, may be NULL).  Returns
 * the device (NULL when the client is not local or the table is full) and
 * sets *dest to the destination (NULL when local or dropped) and *is_new.
 */
vg_inv_dev_t *vg_inv_flow(vg_inv_t *inv, const uint8_t *cli_mac, const vg_ip_t *cli,
			  const vg_ip_t *srv, uint16_t port, uint8_t proto, uint64_t ts_us,
			  const char *name, const char *cc, vg_inv_dest_t **dest, bool *is_new);

/*
 * Batched flow accounting: the same as vg_inv_flow for each request, in
 * order, but the index slots, devices and destinations of all requests are
 * prefetched first, phase by phase, so their cache misses overlap instead
 * of following each other (the lookups are memory-latency bound on links
 * with many flows).  done(ctx, r) is called right after each request is
 * applied (r->dev / r->dest are valid only during that call: a later
 * request may grow the same device's destinations).  n <= VG_INV_BATCH.
 */
#define VG_INV_BATCH 32
typedef struct vg_inv_flowreq {
	vg_ip_t cli, srv;
	uint8_t mac[6];
	bool has_mac;
	uint8_t proto;
	uint16_t port;
	uint64_t ts_us;
	vg_inv_dev_t *dev;     /* out */
	vg_inv_dest_t *dest;   /* out */
	bool is_new;           /* out */
} vg_inv_flowreq_t;
void vg_inv_flow_batch(vg_inv_t *inv, vg_inv_flowreq_t *const *r, int n,
		       void (*done)(void *ctx, vg_inv_flowreq_t *r), void *ctx);

/* vg_inv_dest_name: set x's name (interned) when it has none; NULL/"" ok. */
void vg_inv_dest_name(vg_inv_t *inv, vg_inv_dest_t *x, const char *name);

/* vg_inv_by_ip: the device currently holding ip, or NULL. */
vg_inv_dev_t *vg_inv_by_ip(const vg_inv_t *inv, const vg_ip_t *ip);
/* vg_inv_by_mac: the device of mac, or NULL. */
vg_inv_dev_t *vg_inv_by_mac(const vg_inv_t *inv, const uint8_t mac[6]);
/* vg_inv_find: by "aa:bb:cc:dd:ee:ff", IP text, or "#ID"/decimal id. */
vg_inv_dev_t *vg_inv_find(const vg_inv_t *inv, const char *text);

/* vg_inv_alert: note an alert (signature text) against dev; indicator
 * sets VG_RISK_INDICATOR. */
void vg_inv_alert(vg_inv_t *inv, vg_inv_dev_t *dev, const char *signature, bool indicator,
		  uint64_t ts_us);

/* Iteration in id order: n devices, vg_inv_get(i) for i in 0..n-1 (the
 * pointer is stable until vg_inv_free; merged devices are removed, which
 * shifts later indexes). */
uint32_t vg_inv_count(const vg_inv_t *inv);
vg_inv_dev_t *vg_inv_get(const vg_inv_t *inv, uint32_t i);

/* vg_inv_key: the device key text ("aa:bb:.." or the IP) into buf (>= 48). */
const char *vg_inv_key(const vg_inv_dev_t *d, char *buf, size_t n);
/* vg_inv_mac_text: "aa:bb:cc:dd:ee:ff" into buf (>= 18). */
void vg_inv_mac_text(const uint8_t mac[6], char *buf);
/* vg_inv_mac_parse: 0 or VG_EINVAL. */
int vg_inv_mac_parse(const char *s, uint8_t mac[6]);

/* ---- persistence hooks (dev/invdb.c) ---- */

/* vg_inv_restore: add a device read back from storage (id, key fields and
 * data set by the caller; its ev rows are copied, dests are not taken).  The device
 * is not dirty; *out is the table's copy.  0, VG_ENOMEM, VG_EINVAL (key already present: ignored),
 * VG_ELIMIT (table full: counted as dropped). */
int vg_inv_restore(vg_inv_t *inv, const vg_inv_dev_t *d, vg_inv_dev_t **out);
/* vg_inv_dest_add: append a destination to a device (storage reload); its
 * name is name (interned; x->name is ignored).  0 or VG_ELIMIT/VG_ENOMEM. */
int vg_inv_dest_add(vg_inv_t *inv, vg_inv_dev_t *d, const vg_inv_dest_t *x, const char *name);

/* Deleted device ids since the last vg_inv_take_deleted (merged devices). */
uint32_t vg_inv_take_deleted(vg_inv_t *inv, uint32_t *ids, uint32_t max);
/* vg_inv_dirty: any device changed since vg_inv_clean. */
bool vg_inv_dirty(const vg_inv_t *inv);
/* vg_inv_clean: clear every dirty flag (after a successful flush). */
void vg_inv_clean(vg_inv_t *inv);

void vg_inv_get_stats(const vg_inv_t *inv, vg_inv_stats_t *st);

/* vg_inv_add_evidence: add e to d unless the same (rule, signal) is there
 * or d is full (counted); reclassifies.  1 added, 0 not. */
int vg_inv_add_evidence(vg_inv_t *inv, vg_inv_dev_t *d, const vg_inv_ev_t *e);

/* vg_inv_reclassify: recompute class and confidence from the evidence. */
void vg_inv_reclassify(vg_inv_dev_t *d);

#endif
