/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/net_io.h — the sockets of `vigil audit device`: one TCP (or TLS)
 * connection with deadlines, a request/response helper for HTTP and RTSP,
 * and one UDP exchange.  Every call is bounded by a timeout; no call
 * blocks longer.  Thread-safe (no shared state besides OpenSSL's).
 */
#ifndef VG_AUDIT_NET_IO_H
#define VG_AUDIT_NET_IO_H

#include "audit/net_proto.h"

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct vg_conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	int timeout_ms;
} vg_conn_t;

/* vg_conn_open: connect to ip:port (host order) within timeout_ms; with
 * tls, complete a TLS handshake (no verification, SECLEVEL 0 so weak
 * devices can still be inspected; min/max = 0 for any version, else e.g.
 * TLS1_VERSION).  0, VG_EIO (refused, reset, handshake failed), VG_EAGAIN
 * (timeout). */
int vg_conn_open(vg_conn_t *c, uint32_t ip, uint16_t port, bool tls, int minv, int maxv,
		 int timeout_ms);
int vg_conn_send(vg_conn_t *c, const void *p, size_t n);
/* vg_conn_recv: up to n bytes within wait_ms: >0 bytes, 0 peer closed,
 * VG_EAGAIN nothing in time, VG_EIO error. */
ssize_t vg_conn_recv(vg_conn_t *c, void *p, size_t n, int wait_ms);
void vg_conn_close(vg_conn_t *c);

/*
 * vg_req — one HTTP/1.1 or RTSP/1.0 request on a fresh connection and its
 * response (head + body up to cap bytes; the body is cut at
 * Content-Length or cap).  auth: an Authorization value or NULL; ctype and
 * body for POST.  0 with *r filled (spans into buf); VG_EFORMAT (not an
 * HTTP/RTSP answer), VG_EIO, VG_EAGAIN.  *closed_early: the peer closed
 * or reset without any answer.
 */
typedef struct vg_req {
	uint32_t ip;
	uint16_t port;
	bool tls, rtsp;
	const char *method, *uri, *auth, *ctype, *body;
	int cseq;
	int timeout_ms;
} vg_req_t;
int vg_req_do(const vg_req_t *q, uint8_t *buf, size_t cap, size_t *len, vg_resp_t *r);

/* vg_udp_ask: send p to ip:port/udp and wait for one answer from that
 * address within timeout_ms.  >0 bytes, VG_EAGAIN none, VG_EIO. */
ssize_t vg_udp_ask(uint32_t ip, uint16_t port, const void *p, size_t n, uint8_t *out, size_t cap,
		   int timeout_ms);

/* vg_now_ms: CLOCK_MONOTONIC in milliseconds. */
int64_t vg_now_ms(void);
/* vg_sleep_ms: sleep (restarts on EINTR). */
void vg_sleep_ms(int64_t ms);
/* vg_random_word: n-1 random alphanumerics + NUL (getrandom). */
void vg_random_word(char *out, size_t n);

#endif
