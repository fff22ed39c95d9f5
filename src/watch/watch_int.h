/* SPDX-License-Identifier: Apache-2.0 */
/*
 * watch_int.h — the engine's internal state, shared by engine.c (packet
 * path and app dispatch), match.c (observations -> store -> alerts),
 * eve.c (event formatting) and dnscache.c.
 */
#ifndef VG_WATCH_INT_H
#define VG_WATCH_INT_H

#include "lib/buf.h"
#include "lib/json.h"
#include "net/decode.h"
#include "net/dns.h"
#include "net/http.h"
#include "net/quic.h"
#include "net/reasm.h"
#include "net/tls.h"
#include "watch/engine.h"

/* Per-flow engine state, inside vg_flow_t.app (96 bytes). */
enum { APP_NONE = 0, APP_DNS, APP_TLS, APP_HTTP, APP_QUIC, APP_FAILED };
enum {
	FS_IPCHECKED = 1,   /* IP indicators checked for this flow */
	FS_ISN = 2,         /* client ISN known (SYN seen) */
	FS_DONE = 4,        /* no more app-layer parsing on this flow */
	FS_HTTP_FIRST = 8,  /* first HTTP request parsed */
	FS_ALERTED = 16,    /* at least one alert */
	FS_IPALERT = 32,    /* an IP indicator alerted (re-alert on interval) */
	FS_DNS_LISTED = 64, /* a DNS question of this flow is listed */
};
#define FS_MAX_ALERTED 14

typedef struct fstate {
	uint32_t reasm;      /* pool index + 1, 0 = none */
	uint32_t cli_isn;
	uint8_t flags;
	uint8_t app;
	uint8_t n_alerted;
	uint8_t pad;
	uint32_t alerted[FS_MAX_ALERTED]; /* hashes of alerted indicators */
	uint64_t last_alert_us;
	uint32_t hook_bits; /* owned by cfg.on_packet */
	uint32_t pad2;
} fstate_t;
_Static_assert(sizeof(fstate_t) <= VG_FLOW_APP_SIZE, "fstate must fit vg_flow_t.app");

static inline fstate_t *FS(vg_flow_t *f) { return (fstate_t *)(void *)f->app; }

/* Reassembly pool entry. */
typedef struct reasm_slot {
	vg_reasm_t r;
	uint32_t next_free; /* index + 1 */
	uint8_t *buf;
} reasm_slot_t;

/* DNS cache: IP -> listed name it resolved from. */
typedef struct dnsc_ent {
	vg_ip_t ip;
	uint64_t expire_us;
	uint64_t used_us;
	uint8_t in_use;
	char name[VG_DOMAIN_MAX + 1];
} dnsc_ent_t;

/* What an alert is about: the app object to include. */
enum { CTX_NONE = 0, CTX_DNS, CTX_TLS, CTX_HTTP, CTX_QUIC };

/* The current packet's context while it is processed. */
typedef struct pctx {
	const vg_raw_pkt_t *raw;
	const vg_pkt_t *pkt;
	vg_flow_t *flow; /* may be NULL (untracked) */
	int dir;         /* VG_DIR_* */
	int ctx;         /* CTX_* */
	const void *obj; /* vg_dns_msg_t / vg_tls_hello_t / vg_http_req_t */
} pctx_t;

struct vg_watch {
	vg_watch_cfg_t cfg;
	const vg_store_t *store;
	bool skip_reserved; /* the store lists no reserved address: skip their lookups */
	vg_watch_write_fn write;
	void *wctx;
	vg_flow_table_t *flows;
	vg_watch_stats_t st;
	vg_decode_stats_t dec;
	vg_pkt_t pkt;
	vg_buf_t out;
	/* parser scratch: one of each, reused for every packet */
	vg_dns_msg_t dns;
	vg_tls_hello_t tls;
	vg_http_req_t http;
	vg_quic_state_t quic;
	bool quic_ok;
	/* reassembly pool */
	reasm_slot_t *rs;
	uint8_t *rs_mem;
	uint32_t rs_free; /* index + 1 of the first free slot */
	/* DNS cache (open addressing, linear probing, LRU-ish replacement) */
	dnsc_ent_t *dc;
	uint32_t dc_cap;
	uint64_t dc_seed;
	const vg_raw_pkt_t *cur_raw; /* for flow events emitted by the table */
	/* match results */
	vg_match_t m[64];
	/* negative cache: hashes of recently looked-up values that are not
	 * listed in the current store (see match.c) */
	uint64_t *nc;
	uint64_t nc_seed;
	uint64_t nc_hits;
};

/* match.c */
#define VG_NC_BITS 14 /* 16384 entries, 128 KiB */
int vg_w_nc_init(vg_watch_t *w);
void vg_w_nc_clear(vg_watch_t *w);
void vg_w_check_flow_ips(vg_watch_t *w, pctx_t *pc);
void vg_w_match_domain(vg_watch_t *w, pctx_t *pc, int on, const char *name, size_t n);
void vg_w_match_ip(vg_watch_t *w, pctx_t *pc, int on, const vg_ip_t *ip, uint16_t port);
void vg_w_match_url(vg_watch_t *w, pctx_t *pc, const char *url, size_t n);
void vg_w_dns_observe(vg_watch_t *w, pctx_t *pc, const vg_dns_msg_t *m);

/* matched_on values */
enum {
	ON_IP_SRC,
	ON_IP_DST,
	ON_IP_DST_PORT,
	ON_DNS_QUERY,
	ON_DNS_ANSWER,
	ON_DNS_ANSWER_IP,
	ON_DNS_RESOLVED,
	ON_TLS_SNI,
	ON_QUIC_SNI,
	ON_HTTP_HOST,
	ON_HTTP_URL,
	ON__COUNT
};
const char *vg_w_on_name(int on);
uint32_t vg_w_on_sid(int on);

/* eve.c */
void vg_w_eve_alert(vg_watch_t *w, const pctx_t *pc, int on, const vg_match_t *m, int n,
		    const char *resolved_name);
void vg_w_eve_app(vg_watch_t *w, const pctx_t *pc);
void vg_w_eve_flow(vg_watch_t *w, const vg_flow_t *f, int reason);
void vg_w_eve_stats(vg_watch_t *w, const vg_src_stats_t *cap);
const char *vg_w_app_name(int app);

/* dnscache.c */
int vg_w_dnsc_init(vg_watch_t *w);
void vg_w_dnsc_put(vg_watch_t *w, const vg_ip_t *ip, const char *name, uint32_t ttl, uint64_t now);
const char *vg_w_dnsc_get(vg_watch_t *w, const vg_ip_t *ip, uint64_t now);

#endif
