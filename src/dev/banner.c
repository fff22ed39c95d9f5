// SPDX-License-Identifier: Apache-2.0
/*
 * banner.c — banners and clear-text logins seen in passing on TCP flows.
 *
 * Server side (first server->client bytes of a flow, once per flow):
 *   "HTTP/1.x ..." : Server: -> http.server, WWW-Authenticate scheme ->
 *                    http.auth_req ("Basic", "Digest");
 *   "RTSP/1.0 ..." : Server: -> rtsp.server;
 *   "SSH-..."      : the identification line -> ssh.banner;
 *   "220 ..."      : FTP greeting (server port 21/2121, or "FTP" in the
 *                    line; other 220s are SMTP and are ignored) -> ftp.banner.
 * Client side (at most VG_DEVF_CLI_MAX payload packets per flow, only while
 * something is still expected):
 *   HTTP request with "Authorization: Basic" -> http.basic_auth (value: the
 *   user name decoded from base64, or "basic"; the password is never kept);
 *   RTSP DESCRIBE: remembered with whether it carried Authorization; the
 *   server's next "RTSP/1.0 200" to an unauthenticated DESCRIBE ->
 *   rtsp.noauth (the stream is open to anyone);
 *   FTP "USER name" on an FTP control flow -> ftp.login (value: the name).
 * The device of every signal is the server (set by the caller in e->s).
 * State between packets is only the flow bits (VG_DEVF_*).
 */
#include <string.h>

#include "dev/parse.h"
#include "lib/rd.h"

#define HDR_MAX_LINES 64

static bool first_line(const uint8_t *p, size_t n, const uint8_t **s, size_t *k)
{
	vg_rd_t r = vg_rd_make(p, n);
	return vg_dev_line(&r, s, k);
}

/* Status code of "PROTO/1.x NNN ...", or 0. */
static int status_code(const uint8_t *p, size_t n)
{
	const uint8_t *sp = memchr(p, ' ', n < 16 ? n : 16);
	if (!sp || (size_t)(sp - p) + 4 > n)
		return 0;
	int v = 0;
	for (int i = 1; i <= 3; i++) {
		uint8_t c = sp[i];
		if (c < '0' || c > '9')
			return 0;
		v = v * 10 + (c - '0');
	}
	return v;
}

static void head_fields(vg_dev_emit_t *e, const uint8_t *p, size_t n, int server_kind,
			bool auth_req)
{
	vg_rd_t r = vg_rd_make(p, n);
	const uint8_t *s, *name, *val;
	size_t k, nl, vl;
	vg_dev_line(&r, &s, &k); /* status line */
	for (int i = 0; i < HDR_MAX_LINES && vg_dev_hdr_next(&r, &name, &nl, &val, &vl); i++) {
		if (vg_dev_hdr_is(name, nl, "Server"))
			vg_dev_emit(e, server_kind, val, vl, 0);
		else if (auth_req && vg_dev_hdr_is(name, nl, "WWW-Authenticate")) {
			size_t w = 0;
			while (w < vl && val[w] != ' ' && val[w] != ',')
				w++;
			vg_dev_emit(e, VG_SIG_HTTP_AUTH_REQ, val, w, 0);
		}
	}
}

int vg_dev_banner_server(vg_dev_emit_t *e, const uint8_t *p, size_t n, uint16_t sport,
			 uint32_t *bits)
{
	int n0 = e->n;
	if (!p || !n)
		return 0;
	if ((*bits & VG_DEVF_DESC) && vg_dev_casepfx(p, n, "RTSP/1.")) {
		if (status_code(p, n) == 200 && !(*bits & VG_DEVF_DESC_AUTH))
			vg_dev_emit_str(e, VG_SIG_RTSP_NOAUTH, "DESCRIBE answered 200 without Authorization");
		*bits &= ~(uint32_t)(VG_DEVF_DESC | VG_DEVF_DESC_AUTH);
	}
	if (*bits & VG_DEVF_SRV)
		return e->n - n0;
	*bits |= VG_DEVF_SRV;
	const uint8_t *s;
	size_t k;
	if (vg_dev_casepfx(p, n, "HTTP/1.")) {
		*bits |= VG_DEVF_HTTP;
		head_fields(e, p, n, VG_SIG_HTTP_SERVER, true);
	} else if (vg_dev_casepfx(p, n, "RTSP/1.")) {
		*bits |= VG_DEVF_RTSP;
		head_fields(e, p, n, VG_SIG_RTSP_SERVER, false);
	} else if (n >= 4 && !memcmp(p, "SSH-", 4)) {
		first_line(p, n, &s, &k);
		vg_dev_emit(e, VG_SIG_SSH_BANNER, s, k < 255 ? k : 255, 0);
	} else if (n >= 4 && !memcmp(p, "220", 3) && (p[3] == ' ' || p[3] == '-')) {
		first_line(p, n, &s, &k);
		if (sport == 21 || sport == 2121 || vg_dev_memcasemem(s, k, "ftp", 3)) {
			*bits |= VG_DEVF_FTP;
			vg_dev_emit(e, VG_SIG_FTP_BANNER, s, k < 255 ? k : 255, 0);
		}
	}
	return e->n - n0;
}

static int b64v(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* The user name of a Basic credential "dXNlcjpwYXNz" (up to the ':'). */
static size_t basic_user(const uint8_t *v, size_t n, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bitsn = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int d = b64v(v[i]);
		if (d < 0)
			break;
		acc = acc << 6 | (uint32_t)d;
		bitsn += 6;
		if (bitsn >= 8) {
			bitsn -= 8;
			uint8_t c = (uint8_t)(acc >> bitsn);
			if (c == ':')
				return o;
			if (o >= cap)
				return o;
			out[o++] = c;
		}
	}
	return 0; /* no ':' : not a user:password pair */
}

/* A request method of HTTP or RTSP at s[0..k) followed by a space.  The
 * first byte rejects most non-requests (TLS, SSH, binary) at once. */
static bool is_method(const uint8_t *s, size_t k)
{
	static const struct {
		const char *m;
		uint8_t n;
	} M[] = {{"GET ", 4},	  {"POST ", 5},	     {"HEAD ", 5},    {"PUT ", 4},
		 {"DELETE ", 7},  {"OPTIONS ", 8},   {"PATCH ", 6},   {"DESCRIBE ", 9},
		 {"SETUP ", 6},	  {"PLAY ", 5},	     {"TEARDOWN ", 9}, {"ANNOUNCE ", 9},
		 {"GET_PARAMETER ", 14}, {"SET_PARAMETER ", 14}, {"PAUSE ", 6}, {"RECORD ", 7}};
	if (k < 4 || s[0] < 'A' || s[0] > 'T')
		return false;
	for (size_t i = 0; i < sizeof(M) / sizeof(M[0]); i++)
		if (s[0] == (uint8_t)M[i].m[0] && k >= M[i].n && !memcmp(s, M[i].m, M[i].n))
			return true;
	return false;
}

int vg_dev_banner_client(vg_dev_emit_t *e, const uint8_t *p, size_t n, uint16_t dport,
			 uint32_t *bits)
{
	int n0 = e->n;
	if (!p || !n)
		return 0;
	unsigned cnt = (*bits & VG_DEVF_CNT_MASK) >> VG_DEVF_CNT_SHIFT;
	cnt++;
	*bits = (*bits & ~(uint32_t)VG_DEVF_CNT_MASK) | (uint32_t)cnt << VG_DEVF_CNT_SHIFT;
	bool done = cnt >= VG_DEVF_CLI_MAX;
	const uint8_t *s = p;
	size_t k = n;
	bool ftp = (*bits & VG_DEVF_FTP) || dport == 21;
	if (is_method(p, n)) {
		first_line(p, n, &s, &k);
		bool rtsp = vg_dev_memcasemem(s, k, " RTSP/1.", 8) != NULL;
		vg_rd_t r = vg_rd_make(p, n);
		const uint8_t *name, *val;
		size_t nl, vl;
		bool auth = false;
		vg_dev_line(&r, &s, &k);
		for (int i = 0; i < HDR_MAX_LINES && vg_dev_hdr_next(&r, &name, &nl, &val, &vl); i++) {
			if (!vg_dev_hdr_is(name, nl, "Authorization"))
				continue;
			auth = true;
			if (!rtsp && vg_dev_casepfx(val, vl, "Basic ")) {
				size_t a = 6;
				while (a < vl && val[a] == ' ')
					a++;
				size_t u = basic_user(val + a, vl - a, e->tmp, 128);
				if (u)
					vg_dev_emit(e, VG_SIG_HTTP_BASIC_AUTH, e->tmp, u, 0);
				else
					vg_dev_emit_str(e, VG_SIG_HTTP_BASIC_AUTH, "basic");
				done = true;
			}
		}
		if (rtsp) {
			*bits |= VG_DEVF_RTSP;
			if (k >= 9 && !memcmp(s, "DESCRIBE ", 9)) {
				*bits |= VG_DEVF_DESC;
				if (auth)
					*bits |= VG_DEVF_DESC_AUTH;
				done = true;
			}
		}
	} else if (ftp) {
		first_line(p, n, &s, &k);
		if (k > 5 && vg_dev_casepfx(s, k, "USER ")) {
			vg_dev_emit(e, VG_SIG_FTP_LOGIN, s + 5, k - 5 < 128 ? k - 5 : 128, 0);
			done = true;
		}
	} else if (cnt == 1 && !(*bits & (VG_DEVF_HTTP | VG_DEVF_RTSP))) {
		done = true; /* neither HTTP, RTSP nor FTP: nothing to watch */
	}
	if (done)
		*bits |= VG_DEVF_CLI;
	return e->n - n0;
}
