/* SPDX-License-Identifier: Apache-2.0 */
/*
 * history.h — the observation history of `vigil watch --history DIR` and
 * its reader for `vigil hunt`.
 *
 *   vg_hist_t *h; vg_hist_open(&h, dir, &opts);
 *   vg_hist_add(h, &obs);         // buffered; flushed about once a second
 *   vg_hist_close(h);             // flush and close
 *
 *   vg_hist_seg_t *s; vg_hist_seg_open(&s, path);
 *   while ((r = vg_hist_seg_next(s, &obs)) == 1) ...;   // r < 0: damaged
 *   vg_hist_seg_close(s);
 *
 * On disk: one segment file per UTC hour, DIR/YYYYMMDDHH.vgh:
 *   header  "VGHIST1\n" (8)  hour start (u64 le, unix seconds)
 *   blocks  (one per flush), each self-describing:
 *     "VGHB" | flags u32 | n_addr u32 | n_str u32 | str_bytes u32 | n_rec u32
 *     | check u32 (low 32 bits of vg_hash64 of the body, seed 0x7667)
 *     body: n_addr x 16-byte addresses (IPs, and MACs as 00..00 ff fe + 6),
 *           str_bytes of n_str NUL-terminated names,
 *           n_rec x VG_HIST_REC_SIZE records (little endian):
 *             us offset in the hour u32, client u32, remote u32, aux u32,
 *             name u32, mac u32 (table ids, 0xffffffff = none),
 *             client port u16, remote port u16, proto u8, kind u8.
 *   Table ids count the addresses and names of all earlier blocks of the
 *   file since the last block with flag VG_HIST_F_RESET (set by the first
 *   block of every writer session, so a re-opened segment starts new
 *   tables): each address and name is stored once per segment and session.
 */
#ifndef VG_WATCH_HISTORY_H
#define VG_WATCH_HISTORY_H

#include "net/decode.h"
#include "net/flow.h"
#include "vigil/common.h"
#include "vigil/intel.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VG_HIST_REC_SIZE 30
#define VG_HIST_NONE 0xffffffffu
#define VG_HIST_F_RESET 1u

/* What an observation is. */
enum vg_hist_kind {
	VG_HIST_FLOW = 1,       /* a flow: client -> remote:port */
	VG_HIST_DNS_QUERY = 2,  /* a DNS question name (remote = the resolver) */
	VG_HIST_DNS_ANSWER = 3, /* an answer address (aux) of the name */
	VG_HIST_TLS_SNI = 4,
	VG_HIST_HTTP_HOST = 5,
	VG_HIST_QUIC_SNI = 6,
	VG_HIST__KIND_MAX = 6
};

/* One observation.  The reader fills the *_id fields (VG_HIST_NONE when
 * absent) and epoch, which changes whenever the ids restart. */
typedef struct vg_hist_obs {
	uint64_t ts_us;
	vg_ip_t cli, rem, aux;
	uint8_t mac[6];
	bool has_mac, has_aux;
	uint16_t cport, rport;
	uint8_t proto, kind;
	const char *name; /* NULL = none; borrowed */
	size_t name_len;
	uint32_t cli_id, rem_id, aux_id, name_id, mac_id;
	uint32_t epoch;
} vg_hist_obs_t;

typedef struct vg_hist_opts {
	uint32_t days;      /* keep segments this many days (0 = 30) */
	uint64_t max_bytes; /* total size bound (0 = 1 GiB) */
} vg_hist_opts_t;

typedef struct vg_hist_stats {
	uint64_t records, dedup, blocks, bytes; /* written */
	uint64_t segments_deleted, errors;
} vg_hist_stats_t;

typedef struct vg_hist vg_hist_t;

/* vg_hist_open: create dir if needed (mode 0750), prune it, and prepare to
 * write.  Returns 0, VG_EIO (errno kept), VG_ENOMEM. */
int vg_hist_open(vg_hist_t **out, const char *dir, const vg_hist_opts_t *o);

/* vg_hist_add: buffer one observation (no I/O unless a flush is due: a
 * second has passed since the last flush by the monotonic clock, the buffer
 * is large, or the hour changed).  Returns 0 or a VG_E* code of a failed
 * write (the data of that flush is lost; later adds keep trying). */
int vg_hist_add(vg_hist_t *h, const vg_hist_obs_t *o);

/* vg_hist_note: the engine's hook.  Builds an observation of flow f (client
 * side from the flow, client MAC from the packet p seen in direction dir)
 * and adds it unless the same (flow, kind, name, aux) was added recently
 * (a 4096-entry direct-mapped memory: dedup within a flow).  h NULL: no-op. */
void vg_hist_note(vg_hist_t *h, const vg_flow_t *f, const vg_pkt_t *p, int dir, uint64_t ts_us,
		  int kind, const char *name, size_t name_len, const vg_ip_t *aux);

/* vg_hist_tick: flush when due (idle live capture).  h NULL: no-op. */
void vg_hist_tick(vg_hist_t *h);

/* vg_hist_flush: write what is buffered now. */
int vg_hist_flush(vg_hist_t *h);

/* vg_hist_close: flush, close, free (NULL ok).  Returns the flush status. */
int vg_hist_close(vg_hist_t *h);

void vg_hist_get_stats(const vg_hist_t *h, vg_hist_stats_t *st);
/* vg_hist_error: text of the last write error ("" if none). */
const char *vg_hist_error(const vg_hist_t *h);

/* vg_hist_prune: delete segments of dir older than days before now_s (by
 * their hour) and then the oldest until the total is at most max_bytes,
 * never the segment named keep (may be NULL).  Returns segments deleted, or
 * VG_EIO. */
int vg_hist_prune(const char *dir, uint32_t days, uint64_t max_bytes, int64_t now_s,
		  const char *keep);

/* vg_hist_list: the segment file names of dir (no directory part) in time
 * order, as a malloc'd array of malloc'd strings (free with
 * vg_hist_list_free).  Returns 0, VG_EIO, VG_ENOMEM. */
int vg_hist_list(const char *dir, char ***names, size_t *n);
void vg_hist_list_free(char **names, size_t n);
/* vg_hist_seg_hour: the hour start (unix seconds) a segment name encodes,
 * or -1 when name is not a segment name. */
int64_t vg_hist_seg_hour(const char *name);

/* ---- reading ---- */
typedef struct vg_hist_seg vg_hist_seg_t;

/* vg_hist_seg_open: map a segment.  VG_EIO, VG_EFORMAT (not a segment),
 * VG_ENOMEM. */
int vg_hist_seg_open(vg_hist_seg_t **out, const char *path);
/* vg_hist_seg_next: the next observation: 1, 0 at the end, VG_ECORRUPT at
 * damage (a truncated or corrupt block; everything before it was
 * returned; vg_hist_seg_error says where).  o's strings point into the
 * mapping (valid until close). */
int vg_hist_seg_next(vg_hist_seg_t *s, vg_hist_obs_t *o);
/* vg_hist_seg_next_ids: the same, filling only the time, ids, ports,
 * proto, kind, has_aux/has_mac and epoch (no table access: the caller can
 * skip ids it knows); vg_hist_seg_resolve then fills the addresses, MAC and
 * name of that observation (before the next call to a _next function). */
int vg_hist_seg_next_ids(vg_hist_seg_t *s, vg_hist_obs_t *o);
void vg_hist_seg_resolve(const vg_hist_seg_t *s, vg_hist_obs_t *o);
const char *vg_hist_seg_error(const vg_hist_seg_t *s);
int64_t vg_hist_seg_start(const vg_hist_seg_t *s);
/* Table sizes of the current epoch (for per-id caches). */
uint32_t vg_hist_seg_n_addr(const vg_hist_seg_t *s);
uint32_t vg_hist_seg_n_str(const vg_hist_seg_t *s);
size_t vg_hist_seg_size(const vg_hist_seg_t *s);
void vg_hist_seg_close(vg_hist_seg_t *s);

#endif
