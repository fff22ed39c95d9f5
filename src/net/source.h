/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net/source.h — packet sources over libpcap: capture files and live capture.
 *
 * Files: a list of pcap/pcapng files (a directory stands for all regular
 * files in it, sorted by name) is read as one stream in timestamp order:
 * each call delivers the earliest pending packet of all files, ties going
 * to the file listed first.  All files are open at once.  A read error in
 * one file (truncated or corrupt) is reported once with the file name,
 * that file is closed, packets already delivered stay delivered, and the
 * stream goes on with the other files.
 *
 * Live: one interface with snaplen, kernel buffer size, promiscuous and
 * immediate mode, optional BPF filter; vg_src_next() waits at most
 * timeout_ms and then returns VG_EAGAIN so the caller can check its own
 * stop flag and expire flows on a silent interface.
 *
 * Packet data returned by vg_src_next() is owned by libpcap and valid until
 * the next vg_src_next() or vg_src_close() call.  One thread per source;
 * only vg_src_break() may be called from elsewhere (signal handler).
 */
#ifndef VG_NET_SOURCE_H
#define VG_NET_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"

typedef struct vg_src vg_src_t;

/* One captured frame. */
typedef struct vg_raw_pkt {
	const uint8_t *data; /* borrowed from libpcap, caplen bytes */
	uint32_t caplen;     /* bytes captured */
	uint32_t len;        /* bytes on the wire */
	uint64_t ts_us;      /* capture time, µs since the epoch */
	int linktype;        /* pcap LINKTYPE/DLT of the file or interface */
	int file_idx;        /* index in the path list (0 for live) */
	const char *file;    /* file path or interface name (borrowed, valid
			      * until vg_src_close) */
	uint64_t pcap_cnt;   /* 1-based number of the packet in this run */
} vg_raw_pkt_t;

/* Live capture options; zero means the default noted. */
typedef struct vg_live_opts {
	int snaplen;        /* default 262144 */
	int buffer_size;    /* kernel buffer bytes, default 16 MiB */
	int promisc;        /* 1 = promiscuous (default 0: off) */
	int immediate;      /* 1 = deliver packets immediately (no batching) */
	int timeout_ms;     /* longest wait in vg_src_next, default 500 */
	const char *bpf;    /* filter expression or NULL */
} vg_live_opts_t;

/* Counters; for live sources the pcap_stats() values, for files zero. */
typedef struct vg_src_stats {
	uint64_t pkts;        /* packets delivered */
	uint64_t kernel_recv; /* ps_recv */
	uint64_t kernel_drop; /* ps_drop: dropped for lack of buffer space */
	uint64_t if_drop;     /* ps_ifdrop: dropped by the interface/driver */
	uint32_t files;       /* files opened */
	uint32_t file_errors; /* files that ended with a read error */
} vg_src_stats_t;

/*
 * vg_src_open_files: open the n capture files at paths (a directory
 * expands to its regular files not starting with '.', sorted by name) for
 * a merged read, applying BPF filter bpf (NULL = none) to each.  A file
 * found in a directory that is not a readable capture file does not fail
 * the open: it is reported by vg_src_next as VG_ECORRUPT and skipped; a
 * file named directly in paths does fail it.  On failure returns a negative
 * VG_E* (VG_EIO cannot open, VG_EFORMAT not a capture file or bad filter,
 * VG_EEMPTY no files, VG_ENOMEM) and writes a message naming the file into
 * err (errlen bytes).
 */
int vg_src_open_files(vg_src_t **out, char **paths, int n, const char *bpf, char *err,
		      size_t errlen);

/*
 * vg_src_open_live: open interface ifname for live capture with opts (NULL
 * = defaults).  Returns 0 or a negative VG_E* with a message in err
 * (VG_EIO: no such device or no permission; VG_EFORMAT: bad filter).
 */
int vg_src_open_live(vg_src_t **out, const char *ifname, const vg_live_opts_t *opts, char *err,
		     size_t errlen);

/*
 * vg_src_next: the next packet into *p.  Returns
 *   1           a packet;
 *   0           end of input (all files read, or vg_src_break was called);
 *   VG_EAGAIN   live only: nothing arrived within timeout_ms;
 *   VG_ECORRUPT a file could not be read further (message in
 *               vg_src_error()); not fatal: call again to continue with
 *               the other files;
 *   VG_EIO      live capture failed (message in vg_src_error()); fatal.
 */
int vg_src_next(vg_src_t *s, vg_raw_pkt_t *p);

/* vg_src_error: the message of the last error ("" if none); valid until
 * the next call on s. */
const char *vg_src_error(const vg_src_t *s);

/* vg_src_break: make vg_src_next return 0 as soon as possible.
 * Async-signal-safe: only sets a flag and calls pcap_breakloop. */
void vg_src_break(vg_src_t *s);

/* vg_src_get_stats: fill st (pcap_stats for live sources). Returns 0 or
 * VG_EIO when pcap_stats fails (st then holds the other counters). */
int vg_src_get_stats(vg_src_t *s, vg_src_stats_t *st);

/* vg_src_is_live: 1 for a live source, 0 for files. */
int vg_src_is_live(const vg_src_t *s);

/* vg_src_close: close all handles and free s (NULL ok). */
void vg_src_close(vg_src_t *s);

#endif
