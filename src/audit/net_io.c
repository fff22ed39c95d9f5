// SPDX-License-Identifier: Apache-2.0
/*
 * net_io.c — sockets with deadlines for `vigil audit device`
 * (audit/net_io.h).
 *
 * Connections are non-blocking from the start: connect() completes under
 * poll() with the timeout, and every read/write waits with poll() first, so
 * a silent or tar-pitting device costs at most the timeout per call.  TLS
 * goes through OpenSSL on the same non-blocking socket (SSL_ERROR_WANT_*
 * loops under poll).  The TLS client verifies nothing and runs at
 * SECLEVEL 0: the point is to see what the device offers (1024-bit keys,
 * TLS 1.0), not to trust it.  No global state; one SSL_CTX per connection
 * (cheap enough at audit rates and thread-safe).
 */
#include "audit/net_io.h"

#include <vigil/common.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t vg_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void vg_sleep_ms(int64_t ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

void vg_random_word(char *out, size_t n)
{
	static const char al[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char r[64];
	if (!n)
		return;
	size_t m = n - 1 < sizeof(r) ? n - 1 : sizeof(r);
	if (getrandom(r, m, 0) != (ssize_t)m) {
		/* fall back to the clock; the word only has to differ from real passwords */
		uint64_t x = (uint64_t)vg_now_ms() * 6364136223846793005ull + 1442695040888963407ull;
		for (size_t i = 0; i < m; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			r[i] = (unsigned char)(x >> 33);
		}
	}
	for (size_t i = 0; i < m; i++)
		out[i] = al[r[i] % (sizeof(al) - 1)];
	out[m] = 0;
}

static int wait_fd(int fd, short ev, int ms)
{
	struct pollfd p = {fd, ev, 0};
	for (;;) {
		int r = poll(&p, 1, ms);
		if (r > 0)
			return 0;
		if (r == 0)
			return VG_EAGAIN;
		if (errno != EINTR)
			return VG_EIO;
	}
}

static int ssl_wait(vg_conn_t *c, int ret, int64_t deadline)
{
	int e = SSL_get_error(c->ssl, ret);
	int64_t left = deadline - vg_now_ms();
	if (left <= 0)
		return VG_EAGAIN;
	if (e == SSL_ERROR_WANT_READ)
		return wait_fd(c->fd, POLLIN, (int)left);
	if (e == SSL_ERROR_WANT_WRITE)
		return wait_fd(c->fd, POLLOUT, (int)left);
	return VG_EIO;
}

int vg_conn_open(vg_conn_t *c, uint32_t ip, uint16_t port, bool tls, int minv, int maxv,
		 int timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->timeout_ms = timeout_ms;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return VG_EIO;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(ip);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		if (errno != EINPROGRESS) {
			close(fd);
			return VG_EIO;
		}
		int w = wait_fd(fd, POLLOUT, timeout_ms);
		int err = 0;
		socklen_t el = sizeof(err);
		if (w || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err) {
			close(fd);
			return w == VG_EAGAIN ? VG_EAGAIN : VG_EIO;
		}
	}
	c->fd = fd;
	if (!tls)
		return 0;
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx) {
		vg_conn_close(c);
		return VG_EIO;
	}
	SSL_CTX_set_security_level(c->ctx, 0);
	SSL_CTX_set_cipher_list(c->ctx, "ALL:@SECLEVEL=0");
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_options(c->ctx, SSL_OP_LEGACY_SERVER_CONNECT);
	SSL_CTX_set_min_proto_version(c->ctx, minv);
	SSL_CTX_set_max_proto_version(c->ctx, maxv);
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, fd)) {
		vg_conn_close(c);
		return VG_EIO;
	}
	int64_t deadline = vg_now_ms() + timeout_ms;
	for (;;) {
		int r = SSL_connect(c->ssl);
		if (r == 1)
			return 0;
		int w = ssl_wait(c, r, deadline);
		if (w) {
			vg_conn_close(c);
			return w;
		}
	}
}

int vg_conn_send(vg_conn_t *c, const void *p, size_t n)
{
	const uint8_t *b = p;
	int64_t deadline = vg_now_ms() + c->timeout_ms;
	while (n) {
		if (c->ssl) {
			int r = SSL_write(c->ssl, b, (int)(n > 65536 ? 65536 : n));
			if (r > 0) {
				b += r;
				n -= (size_t)r;
				continue;
			}
			int w = ssl_wait(c, r, deadline);
			if (w)
				return w;
			continue;
		}
		ssize_t r = send(c->fd, b, n, MSG_NOSIGNAL);
		if (r > 0) {
			b += r;
			n -= (size_t)r;
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			int64_t left = deadline - vg_now_ms();
			if (left <= 0)
				return VG_EAGAIN;
			int w = wait_fd(c->fd, POLLOUT, (int)left);
			if (w)
				return w;
			continue;
		}
		return VG_EIO;
	}
	return 0;
}

ssize_t vg_conn_recv(vg_conn_t *c, void *p, size_t n, int wait_ms)
{
	int64_t deadline = vg_now_ms() + wait_ms;
	for (;;) {
		if (c->ssl) {
			int r = SSL_read(c->ssl, p, (int)(n > 65536 ? 65536 : n));
			if (r > 0)
				return r;
			int e = SSL_get_error(c->ssl, r);
			if (e == SSL_ERROR_ZERO_RETURN)
				return 0;
			if (e == SSL_ERROR_SYSCALL && r == 0)
				return 0;
			int w = ssl_wait(c, r, deadline);
			if (w)
				return w;
			continue;
		}
		ssize_t r = recv(c->fd, p, n, 0);
		if (r >= 0)
			return r;
		if (errno == ECONNRESET)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return VG_EIO;
		int64_t left = deadline - vg_now_ms();
		if (left <= 0)
			return VG_EAGAIN;
		int w = wait_fd(c->fd, POLLIN, (int)left);
		if (w)
			return w;
	}
}

void vg_conn_close(vg_conn_t *c)
{
	if (c->ssl) {
		SSL_set_quiet_shutdown(c->ssl, 1);
		SSL_free(c->ssl);
	}
	if (c->ctx)
		SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	c->ssl = NULL;
	c->ctx = NULL;
	c->fd = -1;
}

int vg_req_do(const vg_req_t *q, uint8_t *buf, size_t cap, size_t *len, vg_resp_t *r)
{
	vg_conn_t c;
	*len = 0;
	int rc = vg_conn_open(&c, q->ip, q->port, q->tls, 0, 0, q->timeout_ms);
	if (rc)
		return rc;
	char req[2048];
	char host[32];
	snprintf(host, sizeof(host), "%u.%u.%u.%u", q->ip >> 24, q->ip >> 16 & 255, q->ip >> 8 & 255,
		 q->ip & 255);
	size_t bl = q->body ? strlen(q->body) : 0;
	int w;
	if (q->rtsp)
		w = snprintf(req, sizeof(req),
			     "%s %s RTSP/1.0\r\nCSeq: %d\r\nUser-Agent: vigil-audit\r\n%s%s%s%s\r\n",
			     q->method, q->uri, q->cseq > 0 ? q->cseq : 1,
			     !strcmp(q->method, "DESCRIBE") ? "Accept: application/sdp\r\n" : "",
			     q->auth ? "Authorization: " : "", q->auth ? q->auth : "", q->auth ? "\r\n" : "");
	else
		w = snprintf(req, sizeof(req),
			     "%s %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: vigil-audit\r\nAccept: */*\r\n"
			     "Connection: close\r\n%s%s%s%s%s%s",
			     q->method, q->uri, host, q->port, q->auth ? "Authorization: " : "",
			     q->auth ? q->auth : "", q->auth ? "\r\n" : "",
			     q->ctype ? "Content-Type: " : "", q->ctype ? q->ctype : "", q->ctype ? "\r\n" : "");
	if (w < 0 || (size_t)w >= sizeof(req) - 64) {
		vg_conn_close(&c);
		return VG_ERANGE;
	}
	if (!q->rtsp) {
		if (q->body)
			w += snprintf(req + w, sizeof(req) - (size_t)w, "Content-Length: %zu\r\n", bl);
		w += snprintf(req + w, sizeof(req) - (size_t)w, "\r\n");
	}
	rc = vg_conn_send(&c, req, (size_t)w);
	if (!rc && bl)
		rc = vg_conn_send(&c, q->body, bl);
	if (rc) {
		vg_conn_close(&c);
		return rc;
	}
	size_t n = 0;
	int64_t deadline = vg_now_ms() + q->timeout_ms;
	bool head = false;
	rc = VG_EIO;
	while (n + 1 < cap) {
		int64_t left = deadline - vg_now_ms();
		if (left <= 0) {
			rc = VG_EAGAIN;
			break;
		}
		ssize_t g = vg_conn_recv(&c, buf + n, cap - 1 - n, (int)left);
		if (g <= 0) {
			rc = g == 0 ? 0 : (int)g;
			break;
		}
		n += (size_t)g;
		int pr = vg_resp_parse(buf, n, r);
		if (pr == VG_EFORMAT) {
			rc = VG_EFORMAT;
			break;
		}
		if (pr == 0) {
			head = true;
			if (r->content_length >= 0 &&
			    n >= r->head_len + (size_t)r->content_length) {
				rc = 0;
				break;
			}
			if (q->rtsp && r->content_length < 0) {
				rc = 0;
				break;
			}
		}
	}
	vg_conn_close(&c);
	buf[n] = 0;
	*len = n;
	if (n == 0)
		return rc ? rc : VG_EIO;
	int pr = vg_resp_parse(buf, n, r);
	if (pr == 0)
		return 0;
	if (pr == VG_EAGAIN && rc == VG_EAGAIN)
		return VG_EAGAIN;
	(void)head;
	return VG_EFORMAT;
}

ssize_t vg_udp_ask(uint32_t ip, uint16_t port, const void *p, size_t n, uint8_t *out, size_t cap,
		   int timeout_ms)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return VG_EIO;
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(ip);
	/* connect() filters answers to that address and port */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || send(fd, p, n, 0) != (ssize_t)n) {
		close(fd);
		return VG_EIO;
	}
	int64_t deadline = vg_now_ms() + timeout_ms;
	ssize_t got = VG_EAGAIN;
	for (;;) {
		int64_t left = deadline - vg_now_ms();
		if (left <= 0)
			break;
		int w = wait_fd(fd, POLLIN, (int)left);
		if (w)
			break;
		ssize_t r = recv(fd, out, cap, 0);
		if (r > 0) {
			got = r;
			break;
		}
		if (r < 0 && errno == ECONNREFUSED) { /* ICMP port unreachable */
			got = VG_EAGAIN;
			break;
		}
	}
	close(fd);
	return got;
}
