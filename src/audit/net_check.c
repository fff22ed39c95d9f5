// SPDX-License-Identifier: Apache-2.0
/*
 * net_check.c — the network checks of `vigil audit device` (audit/net.h):
 * discovery and identification, then per-service checks, then the
 * device-level verdicts.
 *
 * Credential tests share one loop (cred_loop): rows of the credential list
 * that apply to the protocol and the device identity are tried in file
 * order, each distinct user/password once, spaced by 1/rate seconds, at
 * most max_attempts per service.  A success is confirmed only by a negative
 * control: the same user with a random password must fail on the same
 * service; if it succeeds too the service "accepts any password" and the
 * verdict is INCONCLUSIVE, never a default-credential FAIL.  A lockout
 * signal (HTTP 423/429, "locked"/"too many" text, FTP 421, repeated
 * refusals) stops the loop and becomes evidence for net.bruteforce.
 *
 * Each service runs on its own thread in phase 2: fields of vg_device_t
 * written then (known credentials, lockout evidence, auth URIs) are taken
 * under d->lock.  Results go to the caller's vg_audit_t.
 */
#include "audit/net.h"
#include "audit/net_io.h"

#include <vigil/common.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libssh/libssh.h>
#include <netinet/in.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static atomic_ulong g_attempts;

unsigned long vg_net_attempts(void) { return atomic_load(&g_attempts); }

const char *const *vg_net_check_ids(void)
{
	static const char *const ids[] = {"net.ports", "net.cred.telnet", "net.cred.ftp",
		"net.cred.ssh", "net.cred.http", "net.cred.rtsp", "net.cleartext.telnet",
		"net.cleartext.ftp", "net.cleartext.http-basic", "net.cleartext.rtsp-basic",
		"net.unauth.rtsp", "net.unauth.snapshot", "net.unauth.config", "net.upnp.exposed",
		"net.onvif.exposed", "net.upnp.disclosure", "net.onvif.disclosure", "net.sadp.exposed",
		"net.tls.version", "net.tls.key", "net.tls.expiry", "net.tls.selfsigned",
		"net.ssh.algorithms", "net.bruteforce", "net.vuln.version", NULL};
	return ids;
}

static const uint16_t iot_tcp[] = {21, 22, 23, 2323, 80, 443, 554, 8000, 8080, 8443, 34567, 37777};
static const uint16_t iot_udp[] = {1900, 3702, 37020};

void vg_netopt_default(vg_netopt_t *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_ms = 2000;
	o->rate = 5;
	o->max_attempts = 200;
	for (size_t i = 0; i < sizeof(iot_tcp) / sizeof(*iot_tcp); i++)
		o->tcp[o->ntcp++] = iot_tcp[i];
	for (size_t i = 0; i < sizeof(iot_udp) / sizeof(*iot_udp); i++)
		o->udp[o->nudp++] = iot_udp[i];
}

static int parse_u16(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

int vg_netopt_ports(vg_netopt_t *o, const char *s, char *err, size_t errlen)
{
	o->ntcp = o->nudp = 0;
	const char *p = s;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		bool udp = false;
		size_t nl = l;
		if (l > 4 && !memcmp(p + l - 4, "/udp", 4)) {
			udp = true;
			nl = l - 4;
		} else if (l > 4 && !memcmp(p + l - 4, "/tcp", 4)) {
			nl = l - 4;
		}
		const char *dash = memchr(p, '-', nl);
		unsigned a, b;
		if (dash ? (parse_u16(p, (size_t)(dash - p), &a) || parse_u16(dash + 1, nl - (size_t)(dash - p) - 1, &b) || b < a)
			 : parse_u16(p, nl, &a)) {
			snprintf(err, errlen, "--ports: bad port or range '%.*s'", (int)(l > 40 ? 40 : l), p);
			return VG_EINVAL;
		}
		if (!dash)
			b = a;
		for (unsigned x = a; x <= b; x++) {
			if (udp ? o->nudp == 16 : o->ntcp == VG_NET_MAX_PORTS) {
				snprintf(err, errlen, "--ports: at most %d TCP and 16 UDP ports", VG_NET_MAX_PORTS);
				return VG_EINVAL;
			}
			if (udp)
				o->udp[o->nudp++] = (uint16_t)x;
			else
				o->tcp[o->ntcp++] = (uint16_t)x;
		}
		p += l;
		if (*p == ',')
			p++;
	}
	if (!o->ntcp && !o->nudp) {
		snprintf(err, errlen, "--ports: empty list");
		return VG_EINVAL;
	}
	return 0;
}

void vg_device_init(vg_device_t *d, uint32_t ip)
{
	memset(d, 0, sizeof(*d));
	d->ip = ip;
	snprintf(d->addr, sizeof(d->addr), "%u.%u.%u.%u", ip >> 24, ip >> 16 & 255, ip >> 8 & 255,
		 ip & 255);
	pthread_mutex_init(&d->lock, NULL);
}

void vg_device_release(vg_device_t *d) { pthread_mutex_destroy(&d->lock); }

static void target_of(const vg_device_t *d, const vg_service_t *s, char *t, size_t n)
{
	snprintf(t, n, "%s:%u/tcp", d->addr, s->port);
}

static void append(char *dst, size_t cap, const char *s)
{
	size_t l = strlen(dst);
	if (l + 2 >= cap || !s[0])
		return;
	snprintf(dst + l, cap - l, "%s%s", l ? " | " : "", s);
}

/* ======================= phase 1: discovery ============================ */

static bool rtsp_port(uint16_t p) { return p == 554 || p == 8554 || p == 10554; }

static int identify_by_request(vg_device_t *d, vg_service_t *s, const vg_netopt_t *o, bool tls,
			       bool rtsp)
{
	uint8_t buf[4096];
	size_t n;
	vg_resp_t r;
	char uri[64];
	snprintf(uri, sizeof(uri), "rtsp://%s:%u/", d->addr, s->port);
	vg_req_t q = {.ip = d->ip, .port = s->port, .tls = tls, .rtsp = rtsp,
		      .method = rtsp ? "OPTIONS" : "GET", .uri = rtsp ? uri : "/", .cseq = 1,
		      .timeout_ms = o->timeout_ms};
	if (vg_req_do(&q, buf, sizeof(buf), &n, &r) != 0)
		return -1;
	s->svc = r.rtsp ? VG_SVC_RTSP : VG_SVC_HTTP;
	s->tls = tls;
	if (r.server.p)
		vg_printable((const uint8_t *)r.server.p, r.server.n, s->server, sizeof(s->server));
	size_t l = 0;
	while (l < n && buf[l] != '\n')
		l++;
	vg_printable(buf, l, s->banner, sizeof(s->banner));
	return 0;
}

static void identify(vg_device_t *d, vg_service_t *s, const uint8_t *ban, size_t bn,
		     const vg_netopt_t *o)
{
	if (bn) {
		s->svc = vg_banner_classify(ban, bn);
		if (s->svc == VG_SVC_TELNET) {
			vg_telnet_t t = {0};
			uint8_t txt[512], rep[64];
			size_t tn, rn;
			vg_telnet_filter(&t, ban, bn, txt, sizeof(txt), &tn, rep, sizeof(rep), &rn);
			vg_printable(txt, tn, s->banner, sizeof(s->banner));
		} else {
			size_t l = 0;
			while (l < bn && ban[l] != '\n')
				l++;
			vg_printable(ban, l, s->banner, sizeof(s->banner));
		}
		if (s->svc != VG_SVC_UNKNOWN)
			return;
	}
	if (s->port == 34567 || s->port == 37777) {
		s->svc = VG_SVC_DVRIP;
		return;
	}
	bool r1 = rtsp_port(s->port);
	if (identify_by_request(d, s, o, false, r1) == 0 ||
	    identify_by_request(d, s, o, false, !r1) == 0)
		return;
	/* TLS? */
	vg_conn_t c;
	if (vg_conn_open(&c, d->ip, s->port, true, 0, 0, o->timeout_ms) == 0) {
		vg_conn_close(&c);
		s->tls = true;
		if (identify_by_request(d, s, o, true, false) == 0 ||
		    identify_by_request(d, s, o, true, true) == 0)
			return;
		s->svc = VG_SVC_UNKNOWN;
		s->tls = true;
	}
}

static const char ssdp_probe[] =
	"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
	"ST: ssdp:all\r\n\r\n";
static const char wsd_probe[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\" "
	"xmlns:w=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
	"xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" "
	"xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\"><e:Header>"
	"<w:MessageID>uuid:6a4f0b1e-7e55-4c3a-9a40-0a1e0f5e7c11</w:MessageID>"
	"<w:To e:mustUnderstand=\"true\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>"
	"<w:Action e:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action>"
	"</e:Header><e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body></e:Envelope>";
static const char sadp_probe[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><Probe><Uuid>6A4F0B1E-7E55-4C3A-9A40-0A1E0F5E7C11</Uuid>"
	"<Types>inquiry</Types></Probe>";

/* parse "http://A.B.C.D[:port]/path": only addresses (no names) */
static int parse_url(const char *u, uint32_t *ip, uint16_t *port, char *path, size_t pn)
{
	if (strncmp(u, "http://", 7))
		return -1;
	const char *h = u + 7, *e = h;
	while (*e && *e != ':' && *e != '/')
		e++;
	struct in_addr ia;
	char host[32];
	if ((size_t)(e - h) >= sizeof(host))
		return -1;
	memcpy(host, h, (size_t)(e - h));
	host[e - h] = 0;
	if (inet_pton(AF_INET, host, &ia) != 1)
		return -1;
	*ip = ntohl(ia.s_addr);
	unsigned pt = 80;
	if (*e == ':') {
		const char *ps = ++e;
		while (*e >= '0' && *e <= '9')
			e++;
		if (parse_u16(ps, (size_t)(e - ps), &pt))
			return -1;
	}
	*port = (uint16_t)pt;
	snprintf(path, pn, "%s", *e ? e : "/");
	return 0;
}

static void fetch_upnp(vg_device_t *d, const vg_netopt_t *o)
{
	uint32_t ip;
	uint16_t port;
	char path[200];
	if (parse_url(d->location, &ip, &port, path, sizeof(path)) || ip != d->ip)
		return; /* only the device itself (the scope) is contacted */
	static __thread uint8_t buf[32768];
	size_t n;
	vg_resp_t r;
	vg_req_t q = {.ip = ip, .port = port, .method = "GET", .uri = path, .timeout_ms = o->timeout_ms};
	if (vg_req_do(&q, buf, sizeof(buf), &n, &r) || r.status != 200)
		return;
	d->upnp_fetched = true;
	const char *body = (const char *)buf + r.head_len;
	size_t bl = n - r.head_len;
	static const char *const f[][2] = {{"manufacturer", "manufacturer"}, {"modelName", "model"},
		{"modelNumber", "model number"}, {"serialNumber", "serial"},
		{"firmwareVersion", "firmware"}, {"softwareVersion", "firmware"}};
	for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++) {
		char v[96], kv[128];
		if (vg_xml_field(body, bl, f[i][0], v, sizeof(v))) {
			snprintf(kv, sizeof(kv), "%s=%s", f[i][1], v);
			size_t l = strlen(d->upnp);
			snprintf(d->upnp + l, sizeof(d->upnp) - l, "%s%s", l ? ", " : "", kv);
			if (i < 2)
				append(d->identity, sizeof(d->identity), v);
		}
	}
}

static void probe_udp(vg_device_t *d, uint16_t port, const vg_netopt_t *o)
{
	const char *probes[3] = {ssdp_probe, wsd_probe, sadp_probe};
	int only = port == 1900 ? 0 : port == 3702 ? 1 : port == 37020 ? 2 : -1;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(d->ip);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return;
	}
	int sent = 0;
	for (int i = 0; i < 3; i++) {
		if (only >= 0 && i != only)
			continue;
		d->udp_probed[i] = true;
		if (send(fd, probes[i], strlen(probes[i]), 0) > 0)
			sent++;
	}
	int64_t deadline = vg_now_ms() + o->timeout_ms;
	int got = 0;
	static __thread uint8_t buf[8192];
	while (got < sent) {
		int64_t left = deadline - vg_now_ms();
		if (left <= 0)
			break;
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0) {
			if (n < 0 && errno == ECONNREFUSED)
				break;
			continue;
		}
		got++;
		buf[n] = 0;
		vg_resp_t r;
		if (vg_resp_parse(buf, (size_t)n, &r) == 0 && r.status == 200) {
			d->ssdp = true;
			/* LOCATION and SERVER: re-scan the head (vg_resp_t keeps location) */
			if (r.location.p)
				vg_printable((const uint8_t *)r.location.p, r.location.n, d->location,
					     sizeof(d->location));
			if (r.server.p)
				vg_printable((const uint8_t *)r.server.p, r.server.n, d->ssdp_server,
					     sizeof(d->ssdp_server));
			continue;
		}
		if (vg_ci_find(buf, (size_t)n, "ProbeMatch") >= 0 && vg_ci_find(buf, (size_t)n, "Envelope") >= 0) {
			d->wsd = true;
			vg_xml_field((const char *)buf, (size_t)n, "XAddrs", d->wsd_xaddrs, sizeof(d->wsd_xaddrs));
			continue;
		}
		if (vg_ci_find(buf, (size_t)n, "DeviceSN") >= 0 || vg_ci_find(buf, (size_t)n, "<ProbeMatch>") >= 0) {
			d->sadp = true;
			static const char *const f[][2] = {{"DeviceType", "model"}, {"DeviceDescription", "model"},
				{"DeviceSN", "serial"}, {"SoftwareVersion", "firmware"}, {"MAC", "mac"}};
			for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++) {
				char v[96];
				if (vg_xml_field((const char *)buf, (size_t)n, f[i][0], v, sizeof(v))) {
					size_t l = strlen(d->sadp_info);
					snprintf(d->sadp_info + l, sizeof(d->sadp_info) - l, "%s%s=%s",
						 l ? ", " : "", f[i][1], v);
					if (i < 2)
						append(d->identity, sizeof(d->identity), v);
				}
			}
			append(d->identity, sizeof(d->identity), "hikvision");
		}
	}
	close(fd);
}

int vg_net_discover(vg_device_t *d, const vg_netopt_t *o, vg_audit_t *a)
{
	(void)a;
	int fds[VG_NET_MAX_PORTS];
	struct pollfd pf[VG_NET_MAX_PORTS];
	bool open_[VG_NET_MAX_PORTS] = {0};
	int n = o->ntcp;
	for (int i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		struct sockaddr_in sa = {0};
		sa.sin_family = AF_INET;
		sa.sin_port = htons(o->tcp[i]);
		sa.sin_addr.s_addr = htonl(d->ip);
		if (fds[i] >= 0 && connect(fds[i], (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
		    errno != EINPROGRESS) {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	/* wait for the connects, all in parallel */
	int64_t deadline = vg_now_ms() + o->timeout_ms;
	for (;;) {
		int m = 0;
		for (int i = 0; i < n; i++)
			if (fds[i] >= 0 && !open_[i]) {
				pf[m].fd = fds[i];
				pf[m].events = POLLOUT;
				pf[m].revents = 0;
				m++;
			}
		int64_t left = deadline - vg_now_ms();
		if (!m || left <= 0)
			break;
		if (poll(pf, (nfds_t)m, (int)left) <= 0)
			break;
		for (int k = 0; k < m; k++) {
			if (!pf[k].revents)
				continue;
			for (int i = 0; i < n; i++) {
				if (fds[i] != pf[k].fd)
					continue;
				int err = 0;
				socklen_t el = sizeof(err);
				if (getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &el) == 0 && !err) {
					open_[i] = true;
				} else {
					close(fds[i]);
					fds[i] = -1;
				}
			}
		}
	}
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0 && !open_[i]) {
			close(fds[i]);
			fds[i] = -1;
		}
	/* banners, in parallel: servers that speak first (telnet, FTP, SSH) */
	static __thread uint8_t ban[VG_NET_MAX_PORTS][512];
	size_t bn[VG_NET_MAX_PORTS] = {0};
	int wait = o->timeout_ms / 2 < 700 ? o->timeout_ms / 2 : 700;
	deadline = vg_now_ms() + wait;
	for (;;) {
		int m = 0;
		for (int i = 0; i < n; i++)
			if (fds[i] >= 0 && bn[i] < 64) {
				pf[m].fd = fds[i];
				pf[m].events = POLLIN;
				pf[m].revents = 0;
				m++;
			}
		int64_t left = deadline - vg_now_ms();
		if (!m || left <= 0)
			break;
		if (poll(pf, (nfds_t)m, (int)left) <= 0)
			break;
		for (int k = 0; k < m; k++) {
			if (!pf[k].revents)
				continue;
			for (int i = 0; i < n; i++) {
				if (fds[i] != pf[k].fd)
					continue;
				ssize_t g = recv(fds[i], ban[i] + bn[i], sizeof(ban[i]) - bn[i], 0);
				if (g > 0)
					bn[i] += (size_t)g;
				else {
					close(fds[i]);
					fds[i] = -1;
				}
			}
		}
	}
	for (int i = 0; i < n; i++) {
		if (!open_[i])
			continue;
		if (fds[i] >= 0)
			close(fds[i]);
		vg_service_t *s = &d->svc[d->nsvc++];
		memset(s, 0, sizeof(*s));
		s->port = o->tcp[i];
		identify(d, s, ban[i], bn[i], o);
		append(d->identity, sizeof(d->identity), s->banner);
		append(d->identity, sizeof(d->identity), s->server);
	}
	for (int i = 0; i < o->nudp; i++)
		probe_udp(d, o->udp[i], o);
	if (d->ssdp) {
		append(d->identity, sizeof(d->identity), d->ssdp_server);
		fetch_upnp(d, o);
	}
	return 0;
}

/* ======================= phase 2: credentials ========================== */

enum { LR_OK = 0, LR_FAIL, LR_LOCKED, LR_ERROR, LR_NOAUTH };

typedef struct cctx {
	vg_device_t *d;
	int idx;
	vg_service_t *s;
	const vg_netopt_t *o;
	vg_audit_t *a;
	const char *proto, *check;
	int (*try_)(struct cctx *c, const char *user, const char *pass, char *why, size_t wn);
	int64_t next_at;
	int attempts;
	/* HTTP/RTSP */
	vg_www_auth_t ch;
	char uri[192];
	int cseq;
} cctx_t;

static void pace(cctx_t *c)
{
	int64_t iv = c->o->rate > 0 ? (int64_t)(1000.0 / c->o->rate) : 0;
	int64_t now = vg_now_ms();
	if (now < c->next_at)
		vg_sleep_ms(c->next_at - now);
	c->next_at = vg_now_ms() + iv;
	c->attempts++;
	atomic_fetch_add(&g_attempts, 1);
}

static int attempt(cctx_t *c, const char *user, const char *pass, char *why, size_t wn)
{
	pace(c);
	why[0] = 0;
	return c->try_(c, user, pass, why, wn);
}

static void note_lock(cctx_t *c, const char *why)
{
	char t[64];
	target_of(c->d, c->s, t, sizeof(t));
	pthread_mutex_lock(&c->d->lock);
	if (!c->d->lock_evidence[c->idx][0])
		snprintf(c->d->lock_evidence[c->idx], sizeof(c->d->lock_evidence[c->idx]),
			 "%s %s locked out after %d login attempts (%s)", c->proto, t, c->attempts, why);
	pthread_mutex_unlock(&c->d->lock);
}

static void add_auth_svc(cctx_t *c, const char *user, const char *pass)
{
	pthread_mutex_lock(&c->d->lock);
	bool have = false;
	for (int i = 0; i < c->d->nauth_svc; i++)
		have |= c->d->auth_svc[i] == c->idx;
	if (!have && c->d->nauth_svc < 8)
		c->d->auth_svc[c->d->nauth_svc++] = c->idx;
	if (user && c->d->nknown < VG_NET_MAX_KNOWN) {
		int k = c->d->nknown++;
		c->d->known[k].svc = c->idx;
		snprintf(c->d->known[k].user, sizeof(c->d->known[k].user), "%s", user);
		snprintf(c->d->known[k].pass, sizeof(c->d->known[k].pass), "%s", pass);
	}
	snprintf(c->d->auth_uri[c->idx], sizeof(c->d->auth_uri[c->idx]), "%s", c->uri);
	pthread_mutex_unlock(&c->d->lock);
}

static void cred_loop(cctx_t *c)
{
	char t[64], why[160];
	target_of(c->d, c->s, t, sizeof(t));
	const vg_creds_t *cl = c->o->creds;
	size_t total = vg_creds_count(cl);
	int tried = 0, errors = 0, fails = 0;
	/* distinct (user, pass) pairs only */
	const vg_cred_t **seen = calloc(total ? total : 1, sizeof(*seen));
	size_t nseen = 0;
	add_auth_svc(c, NULL, NULL);
	for (size_t i = 0; i < total; i++) {
		const vg_cred_t *cr = vg_creds_get(cl, i);
		if (!vg_cred_applies(cr, c->proto, c->d->identity))
			continue;
		bool dup = false;
		for (size_t k = 0; seen && k < nseen && !dup; k++)
			dup = !strcmp(seen[k]->user, cr->user) && !strcmp(seen[k]->pass, cr->pass);
		if (dup)
			continue;
		if (seen)
			seen[nseen++] = cr;
		if (c->attempts + 1 >= c->o->max_attempts) {
			vg_audit_add(c->a, c->check, t, VG_V_INCONCLUSIVE,
				     "stopped at --max-attempts %d: %d pairs refused, more left untried",
				     c->o->max_attempts, fails);
			free(seen);
			return;
		}
		int r = attempt(c, cr->user, cr->pass, why, sizeof(why));
		tried++;
		if (r == LR_NOAUTH) {
			vg_audit_add(c->a, c->check, t, VG_V_FAIL, "%s gives access without any login (%s)",
				     c->proto, why);
			free(seen);
			return;
		}
		if (r == LR_LOCKED) {
			note_lock(c, why);
			vg_audit_add(c->a, c->check, t, VG_V_INCONCLUSIVE,
				     "stopped: the service locked out after %d attempts (%s); %d pairs refused before",
				     c->attempts, why, fails);
			free(seen);
			return;
		}
		if (r == LR_ERROR) {
			if (++errors >= 3) {
				char w2[200];
				snprintf(w2, sizeof(w2), "stopped answering: %s", why);
				if (fails > 0)
					note_lock(c, w2);
				vg_audit_add(c->a, c->check, t, VG_V_INCONCLUSIVE,
					     "stopped after 3 failed exchanges in a row (%s); %d pairs refused before",
					     why, fails);
				free(seen);
				return;
			}
			continue;
		}
		errors = 0;
		if (r == LR_FAIL) {
			fails++;
			continue;
		}
		/* LR_OK: negative control with a random password for the same user */
		char rnd[17], why2[160];
		vg_random_word(rnd, sizeof(rnd));
		int rc2 = attempt(c, cr->user, rnd, why2, sizeof(why2));
		if (rc2 == LR_OK) {
			vg_audit_add(c->a, c->check, t, VG_V_INCONCLUSIVE,
				     "accepts any password: %s/%s worked but so did a random password for %s (negative control failed); not a default-credential finding",
				     cr->user, cr->pass[0] ? cr->pass : "<empty>", cr->user);
		} else if (rc2 == LR_FAIL) {
			add_auth_svc(c, cr->user, cr->pass);
			vg_audit_add(c->a, c->check, t, VG_V_FAIL,
				     "default credentials accepted: user '%s' password '%s' (%s; source: %s); a random password for '%s' was refused",
				     cr->user, cr->pass[0] ? cr->pass : "<empty>", why, cr->source, cr->user);
		} else {
			if (rc2 == LR_LOCKED)
				note_lock(c, why2);
			vg_audit_add(c->a, c->check, t, VG_V_INCONCLUSIVE,
				     "%s/%s seemed to work but the negative control could not run (%s)",
				     cr->user, cr->pass[0] ? cr->pass : "<empty>", why2[0] ? why2 : "no answer");
		}
		free(seen);
		return;
	}
	free(seen);
	if (tried == 0)
		vg_audit_add(c->a, c->check, t, VG_V_NOT_TESTED, "no credential rows apply to %s", c->proto);
	else if (fails == 0)
		vg_audit_add(c->a, c->check, t, VG_V_INCONCLUSIVE, "no login attempt got an answer (%s)", why);
	else
		vg_audit_add(c->a, c->check, t, VG_V_PASS,
			     "%d default/weak pairs refused (credential list %s, rate %.3g/s)", fails,
			     vg_creds_version(cl), c->o->rate);
}

/* ---- telnet ---- */

/* read until a prompt class other than NONE, or close/timeout; text is
 * appended to tx (tail kept). */
static int telnet_wait(vg_conn_t *cn, vg_telnet_t *tn, uint8_t *tx, size_t *tl, size_t cap,
		       int timeout_ms, bool *closed)
{
	int64_t deadline = vg_now_ms() + timeout_ms;
	*closed = false;
	for (;;) {
		int pc = vg_prompt_classify(tx, *tl);
		if (pc != VG_PR_NONE) {
			/* a shell prompt may be followed by more output (motd): give it a moment */
			return pc;
		}
		int64_t left = deadline - vg_now_ms();
		if (left <= 0)
			return VG_PR_NONE;
		uint8_t raw[1024], out[1024], rep[256];
		ssize_t g = vg_conn_recv(cn, raw, sizeof(raw), (int)left);
		if (g == 0 || g == VG_EIO) {
			*closed = true;
			return vg_prompt_classify(tx, *tl);
		}
		if (g < 0)
			return VG_PR_NONE;
		size_t on, rn;
		vg_telnet_filter(tn, raw, (size_t)g, out, sizeof(out), &on, rep, sizeof(rep), &rn);
		if (rn)
			vg_conn_send(cn, rep, rn);
		if (*tl + on > cap) {
			size_t drop = *tl + on - cap;
			if (drop > *tl)
				drop = *tl;
			memmove(tx, tx + drop, *tl - drop);
			*tl -= drop;
		}
		if (on > cap)
			on = cap;
		memcpy(tx + *tl, out, on);
		*tl += on;
	}
}

static int try_telnet(cctx_t *c, const char *user, const char *pass, char *why, size_t wn)
{
	vg_conn_t cn;
	int rc = vg_conn_open(&cn, c->d->ip, c->s->port, false, 0, 0, c->o->timeout_ms);
	if (rc) {
		snprintf(why, wn, "%s", rc == VG_EAGAIN ? "connect timed out" : "connection refused");
		return LR_ERROR;
	}
	vg_telnet_t tn = {0};
	uint8_t tx[2048];
	size_t tl = 0;
	bool closed;
	int res = LR_ERROR;
	int pc = telnet_wait(&cn, &tn, tx, &tl, sizeof(tx), c->o->timeout_ms, &closed);
	char tail[80];
	if (pc == VG_PR_SHELL) {
		vg_printable(tx + (tl > 60 ? tl - 60 : 0), tl > 60 ? 60 : tl, tail, sizeof(tail));
		snprintf(why, wn, "shell prompt before any login: \"%s\"", tail);
		res = LR_NOAUTH;
		goto out;
	}
	if (pc == VG_PR_LOCKED) {
		snprintf(why, wn, "lockout message before login");
		res = LR_LOCKED;
		goto out;
	}
	if (pc == VG_PR_LOGIN) {
		char line[160];
		snprintf(line, sizeof(line), "%s\r\n", user);
		vg_conn_send(&cn, line, strlen(line));
		tl = 0;
		pc = telnet_wait(&cn, &tn, tx, &tl, sizeof(tx), c->o->timeout_ms, &closed);
	}
	if (pc == VG_PR_LOCKED || pc == VG_PR_FAILED) {
		vg_printable(tx + (tl > 60 ? tl - 60 : 0), tl > 60 ? 60 : tl, tail, sizeof(tail));
		snprintf(why, wn, "after the user name: \"%s\"", tail);
		res = pc == VG_PR_LOCKED ? LR_LOCKED : LR_FAIL;
		goto out;
	}
	if (pc == VG_PR_PASSWORD) {
		char line[160];
		snprintf(line, sizeof(line), "%s\r\n", pass);
		vg_conn_send(&cn, line, strlen(line));
		tl = 0;
		pc = telnet_wait(&cn, &tn, tx, &tl, sizeof(tx), c->o->timeout_ms, &closed);
	} else if (pc != VG_PR_SHELL) {
		snprintf(why, wn, "no login/password prompt (%s)", closed ? "closed" : "timeout");
		res = closed ? LR_ERROR : LR_ERROR;
		goto out;
	}
	vg_printable(tx + (tl > 60 ? tl - 60 : 0), tl > 60 ? 60 : tl, tail, sizeof(tail));
	if (pc == VG_PR_SHELL) {
		snprintf(why, wn, "shell prompt \"%s\"", tail);
		vg_conn_send(&cn, "exit\r\n", 6);
		res = LR_OK;
	} else if (pc == VG_PR_LOCKED) {
		snprintf(why, wn, "\"%s\"", tail);
		res = LR_LOCKED;
	} else if (pc == VG_PR_FAILED || pc == VG_PR_LOGIN || closed) {
		snprintf(why, wn, "refused: \"%s\"", tail);
		res = LR_FAIL;
	} else {
		snprintf(why, wn, "no recognisable answer after the password: \"%s\"", tail);
		res = LR_ERROR;
	}
out:
	vg_conn_close(&cn);
	return res;
}

/* ---- FTP ---- */

static int ftp_reply(vg_conn_t *cn, char *line, size_t ln, int timeout_ms)
{
	char buf[1024];
	size_t n = 0;
	int64_t deadline = vg_now_ms() + timeout_ms;
	line[0] = 0;
	for (;;) {
		/* a complete final line: "NNN text\r\n" (not "NNN-") */
		size_t s = 0;
		for (size_t i = 0; i < n; i++) {
			if (buf[i] != '\n')
				continue;
			if (i - s >= 4 && buf[s] >= '1' && buf[s] <= '5' && buf[s + 3] == ' ') {
				vg_printable((const uint8_t *)buf + s, i - s, line, ln);
				return (buf[s] - '0') * 100 + (buf[s + 1] - '0') * 10 + (buf[s + 2] - '0');
			}
			s = i + 1;
		}
		int64_t left = deadline - vg_now_ms();
		if (left <= 0 || n + 1 >= sizeof(buf))
			return -1;
		ssize_t g = vg_conn_recv(cn, buf + n, sizeof(buf) - 1 - n, (int)left);
		if (g <= 0)
			return g == 0 ? 0 : -1;
		n += (size_t)g;
	}
}

static int try_ftp(cctx_t *c, const char *user, const char *pass, char *why, size_t wn)
{
	vg_conn_t cn;
	char line[256], cmd[200];
	if (vg_conn_open(&cn, c->d->ip, c->s->port, false, 0, 0, c->o->timeout_ms)) {
		snprintf(why, wn, "connect failed");
		return LR_ERROR;
	}
	int res = LR_ERROR;
	int code = ftp_reply(&cn, line, sizeof(line), c->o->timeout_ms);
	if (code != 220) {
		snprintf(why, wn, "greeting %d \"%s\"", code, line);
		res = (code == 421 || vg_ci_find((const uint8_t *)line, strlen(line), "lock") >= 0) ? LR_LOCKED : LR_ERROR;
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "USER %s\r\n", user);
	vg_conn_send(&cn, cmd, strlen(cmd));
	code = ftp_reply(&cn, line, sizeof(line), c->o->timeout_ms);
	if (code == 331) {
		snprintf(cmd, sizeof(cmd), "PASS %s\r\n", pass);
		vg_conn_send(&cn, cmd, strlen(cmd));
		code = ftp_reply(&cn, line, sizeof(line), c->o->timeout_ms);
	}
	snprintf(why, wn, "%d \"%.100s\"", code, line);
	if (code == 230)
		res = LR_OK;
	else if (code == 421 || vg_ci_find((const uint8_t *)line, strlen(line), "lock") >= 0 ||
		 vg_ci_find((const uint8_t *)line, strlen(line), "too many") >= 0)
		res = LR_LOCKED;
	else if (code == 530 || code == 430 || code == 332)
		res = LR_FAIL;
	if (res == LR_OK)
		vg_conn_send(&cn, "QUIT\r\n", 6);
out:
	vg_conn_close(&cn);
	return res;
}

/* ---- SSH ---- */

static int try_ssh(cctx_t *c, const char *user, const char *pass, char *why, size_t wn)
{
	ssh_session s = ssh_new();
	if (!s) {
		snprintf(why, wn, "libssh: out of memory");
		return LR_ERROR;
	}
	long tmo = c->o->timeout_ms / 1000 > 0 ? c->o->timeout_ms / 1000 : 1;
	unsigned port = c->s->port;
	int verb = SSH_LOG_NOLOG;
	bool no = false;
	ssh_options_set(s, SSH_OPTIONS_HOST, c->d->addr);
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, user);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &tmo);
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verb);
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	int res = LR_ERROR;
	if (ssh_connect(s) != SSH_OK) {
		snprintf(why, wn, "ssh connect: %.100s", ssh_get_error(s));
		const char *e = ssh_get_error(s);
		if (vg_ci_find((const uint8_t *)e, strlen(e), "too many") >= 0)
			res = LR_LOCKED;
	} else {
		int r = ssh_userauth_password(s, NULL, pass);
		if (r == SSH_AUTH_SUCCESS) {
			snprintf(why, wn, "password authentication succeeded");
			res = LR_OK;
		} else if (r == SSH_AUTH_DENIED || r == SSH_AUTH_PARTIAL) {
			snprintf(why, wn, "password authentication denied");
			res = LR_FAIL;
		} else {
			snprintf(why, wn, "ssh auth: %.100s", ssh_get_error(s));
		}
		ssh_disconnect(s);
	}
	ssh_free(s);
	return res;
}

/* ---- HTTP and RTSP ---- */

static uint8_t *xbuf(void)
{
	static __thread uint8_t b[65536];
	return b;
}
#define XCAP 65536

static int req(cctx_t *c, const char *method, const char *uri, const char *auth, size_t *n,
	       vg_resp_t *r)
{
	vg_req_t q = {.ip = c->d->ip, .port = c->s->port, .tls = c->s->tls,
		      .rtsp = c->s->svc == VG_SVC_RTSP, .method = method, .uri = uri, .auth = auth,
		      .cseq = ++c->cseq, .timeout_ms = c->o->timeout_ms};
	return vg_req_do(&q, xbuf(), XCAP, n, r);
}

static bool pick_challenge(const vg_resp_t *r, vg_www_auth_t *out, bool *basic, bool *digest)
{
	bool got = false;
	*basic = *digest = false;
	for (int i = 0; i < r->nauth; i++) {
		vg_www_auth_t w;
		if (vg_www_auth_parse(r->auth[i].p, r->auth[i].n, &w))
			continue;
		if (w.scheme == VG_AUTH_BASIC)
			*basic = true;
		if (w.scheme == VG_AUTH_DIGEST && w.algorithm != VG_DIG_UNKNOWN) {
			*digest = true;
			if (!got || out->scheme != VG_AUTH_DIGEST)
				*out = w;
			got = true;
		} else if (w.scheme == VG_AUTH_BASIC && !got) {
			*out = w;
			got = true;
		}
	}
	return got;
}

static bool body_has(const vg_resp_t *r, size_t n, const char *needle)
{
	const uint8_t *b = xbuf();
	return n > r->head_len && vg_ci_find(b + r->head_len, n - r->head_len, needle) >= 0;
}

static int try_web(cctx_t *c, const char *user, const char *pass, char *why, size_t wn)
{
	char hdr[1024], cn[33];
	vg_random_word(cn, sizeof(cn));
	const char *method = c->s->svc == VG_SVC_RTSP ? "DESCRIBE" : "GET";
	for (int round = 0; round < 2; round++) {
		if (vg_auth_header(&c->ch, user, pass, method, c->uri, cn, hdr, sizeof(hdr))) {
			snprintf(why, wn, "cannot build the Authorization header");
			return LR_ERROR;
		}
		size_t n;
		vg_resp_t r;
		int rc = req(c, method, c->uri, hdr, &n, &r);
		if (rc) {
			snprintf(why, wn, "%s", rc == VG_EAGAIN ? "timeout" : rc == VG_EFORMAT ? "not an HTTP/RTSP answer" : "connection failed or closed");
			return LR_ERROR;
		}
		snprintf(why, wn, "%s %d for %s", method, r.status, c->uri);
		if (r.status == 423 || r.status == 429 || ((r.status == 403 || r.status == 401 || r.status == 503) &&
		    (body_has(&r, n, "lock") || body_has(&r, n, "too many"))))
			return LR_LOCKED;
		if (r.status >= 200 && r.status < 300)
			return LR_OK;
		if (r.status == 401) {
			vg_www_auth_t w;
			bool b, d;
			if (round == 0 && pick_challenge(&r, &w, &b, &d) && w.scheme == VG_AUTH_DIGEST &&
			    w.stale && c->ch.scheme == VG_AUTH_DIGEST) {
				c->ch = w; /* a fresh nonce; retry once */
				continue;
			}
			return LR_FAIL;
		}
		if (r.status == 403)
			return LR_FAIL;
		return LR_ERROR;
	}
	return LR_FAIL;
}

static const char *const snap_paths[] = {"/ISAPI/Streaming/channels/101/picture",
	"/cgi-bin/snapshot.cgi", "/snapshot.jpg", "/onvif-http/snapshot", "/tmpfs/auto.jpg", NULL};
static const struct { const char *path, *marker; } cfg_paths[] = {
	{"/ISAPI/System/deviceInfo", "<DeviceInfo"},
	{"/cgi-bin/configManager.cgi?action=getConfig&name=General", "table."},
	{"/cgi-bin/magicBox.cgi?action=getSystemInfo", "serialNumber="},
	{"/System/configurationFile", NULL},
	{NULL, NULL}};

static const char onvif_body[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">"
	"<s:Body xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><tds:GetDeviceInformation/></s:Body>"
	"</s:Envelope>";

static void http_checks(cctx_t *c)
{
	char t[64];
	target_of(c->d, c->s, t, sizeof(t));
	vg_audit_t *a = c->a;
	size_t n;
	vg_resp_t r;
	bool have_ch = false, basic = false, digest = false;
	char ch_uri[128] = "";
	/* 1. the root page */
	if (req(c, "GET", "/", NULL, &n, &r) == 0 && r.status == 401) {
		have_ch = pick_challenge(&r, &c->ch, &basic, &digest);
		if (have_ch)
			snprintf(ch_uri, sizeof(ch_uri), "/");
	}
	/* 2. snapshots */
	int snap_fail = 0, snap_seen = 0;
	char snap_ev[256] = "";
	for (int i = 0; snap_paths[i]; i++) {
		if (req(c, "GET", snap_paths[i], NULL, &n, &r))
			continue;
		if (r.status == 401) {
			bool b = false, d = false;
			vg_www_auth_t w;
			if (!have_ch && pick_challenge(&r, &w, &b, &d)) {
				c->ch = w;
				basic = b;
				digest = d;
				have_ch = true;
				snprintf(ch_uri, sizeof(ch_uri), "%s", snap_paths[i]);
			}
			basic |= b;
			snap_seen++;
			continue;
		}
		if (r.status == 403)
			snap_seen++;
		if (r.status != 200)
			continue;
		const uint8_t *body = xbuf() + r.head_len;
		size_t bl = n - r.head_len;
		bool img = (r.content_type.p && vg_ci_find((const uint8_t *)r.content_type.p, r.content_type.n, "image/") >= 0) ||
			(bl >= 3 && body[0] == 0xff && body[1] == 0xd8 && body[2] == 0xff);
		if (img) {
			snap_fail++;
			if (!snap_ev[0])
				snprintf(snap_ev, sizeof(snap_ev), "GET %s answered 200 with an image (%zu bytes) without credentials",
					 snap_paths[i], bl);
		}
	}
	if (snap_fail)
		vg_audit_add(a, "net.unauth.snapshot", t, VG_V_FAIL, "%s", snap_ev);
	else
		vg_audit_add(a, "net.unauth.snapshot", t, VG_V_PASS,
			     "no snapshot URL answered an image without credentials (%d of the known URLs asked for credentials)",
			     snap_seen);
	/* 3. configuration pages */
	char cfg_ev[256] = "";
	int cfg_prot = 0;
	for (int i = 0; cfg_paths[i].path; i++) {
		if (req(c, "GET", cfg_paths[i].path, NULL, &n, &r))
			continue;
		if (r.status == 401) {
			cfg_prot++;
			bool b = false, d = false;
			vg_www_auth_t w;
			if (!have_ch && pick_challenge(&r, &w, &b, &d)) {
				c->ch = w;
				basic = b;
				digest = d;
				have_ch = true;
				snprintf(ch_uri, sizeof(ch_uri), "%s", cfg_paths[i].path);
			}
			continue;
		}
		if (r.status != 200 || cfg_ev[0])
			continue;
		if (cfg_paths[i].marker ? body_has(&r, n, cfg_paths[i].marker)
					: (r.content_type.p && vg_ci_find((const uint8_t *)r.content_type.p, r.content_type.n, "octet-stream") >= 0))
			snprintf(cfg_ev, sizeof(cfg_ev), "GET %s answered 200 with configuration/device data without credentials",
				 cfg_paths[i].path);
	}
	if (cfg_ev[0])
		vg_audit_add(a, "net.unauth.config", t, VG_V_FAIL, "%s", cfg_ev);
	else
		vg_audit_add(a, "net.unauth.config", t, VG_V_PASS,
			     "no known configuration URL answered without credentials (%d asked for credentials)", cfg_prot);
	/* 4. ONVIF device information */
	{
		vg_req_t q = {.ip = c->d->ip, .port = c->s->port, .tls = c->s->tls, .method = "POST",
			      .uri = "/onvif/device_service", .ctype = "application/soap+xml; charset=utf-8",
			      .body = onvif_body, .timeout_ms = c->o->timeout_ms};
		if (vg_req_do(&q, xbuf(), XCAP, &n, &r) == 0) {
			const char *b = (const char *)xbuf() + r.head_len;
			size_t bl = n - r.head_len;
			char info[384] = "";
			static const char *const f[][2] = {{"Manufacturer", "manufacturer"}, {"Model", "model"},
				{"FirmwareVersion", "firmware"}, {"SerialNumber", "serial"}, {"HardwareId", "hardware"}};
			for (size_t i = 0; r.status == 200 && i < sizeof(f) / sizeof(*f); i++) {
				char v[96];
				if (vg_xml_field(b, bl, f[i][0], v, sizeof(v))) {
					size_t l = strlen(info);
					snprintf(info + l, sizeof(info) - l, "%s%s=%s", l ? ", " : "", f[i][1], v);
				}
			}
			if (info[0]) {
				vg_audit_add(a, "net.onvif.disclosure", t, VG_V_FAIL,
					     "ONVIF GetDeviceInformation without credentials disclosed %s", info);
				pthread_mutex_lock(&c->d->lock);
				append(c->d->identity, sizeof(c->d->identity), info);
				pthread_mutex_unlock(&c->d->lock);
			} else if (r.status == 401 || r.status == 400 || r.status == 403 || r.status == 500) {
				if (r.status != 500 || vg_ci_find(xbuf(), n, "NotAuthorized") >= 0)
					vg_audit_add(a, "net.onvif.disclosure", t, VG_V_PASS,
						     "ONVIF GetDeviceInformation refused without credentials (%d)", r.status);
			}
		}
	}
	/* 5. clear-text authentication */
	if (have_ch) {
		if (basic && !c->s->tls)
			vg_audit_add(a, "net.cleartext.http-basic", t, VG_V_FAIL,
				     "HTTP Basic authentication offered over plain HTTP (realm \"%s\", %s)",
				     c->ch.realm, ch_uri);
		else
			vg_audit_add(a, "net.cleartext.http-basic", t, VG_V_PASS, "%s",
				     c->s->tls ? "authentication runs inside TLS" : "only Digest authentication offered");
	} else {
		vg_audit_add(a, "net.cleartext.http-basic", t, VG_V_NOT_TESTED,
			     "no HTTP authentication challenge found on the known URLs (form logins are not tested)");
	}
	/* 6. default credentials */
	if (!have_ch) {
		vg_audit_add(a, "net.cred.http", t, VG_V_NOT_TESTED,
			     "no HTTP Basic/Digest challenge found on the known URLs (form logins are not tested)");
		return;
	}
	snprintf(c->uri, sizeof(c->uri), "%s", ch_uri);
	c->proto = "http";
	c->check = "net.cred.http";
	c->try_ = try_web;
	cred_loop(c);
}

static const char *const rtsp_paths[] = {"/", "/Streaming/Channels/101",
	"/cam/realmonitor?channel=1&subtype=0", "/live", "/h264", NULL};

static void rtsp_checks(cctx_t *c)
{
	char t[64], uri[192];
	target_of(c->d, c->s, t, sizeof(t));
	size_t n;
	vg_resp_t r;
	bool have_ch = false, basic = false, digest = false, open_ = false;
	char seen[256] = "";
	for (int i = 0; rtsp_paths[i] && !have_ch && !open_; i++) {
		snprintf(uri, sizeof(uri), "rtsp://%s:%u%s", c->d->addr, c->s->port, rtsp_paths[i]);
		if (req(c, "DESCRIBE", uri, NULL, &n, &r))
			continue;
		size_t l = strlen(seen);
		snprintf(seen + l, sizeof(seen) - l, "%s%s=%d", l ? ", " : "", rtsp_paths[i], r.status);
		if (r.status == 200) {
			open_ = true;
			vg_audit_add(c->a, "net.unauth.rtsp", t, VG_V_FAIL,
				     "DESCRIBE %s answered 200 without credentials (%s)", uri,
				     body_has(&r, n, "m=video") ? "SDP with a video stream" : "SDP");
		} else if (r.status == 401) {
			have_ch = pick_challenge(&r, &c->ch, &basic, &digest);
			snprintf(c->uri, sizeof(c->uri), "%s", uri);
		}
	}
	if (!open_)
		vg_audit_add(c->a, "net.unauth.rtsp", t, have_ch ? VG_V_PASS : VG_V_INCONCLUSIVE,
			     have_ch ? "DESCRIBE without credentials refused (401): %s" : "no stream URL found to test: %s",
			     seen[0] ? seen : "no answer");
	if (have_ch)
		vg_audit_add(c->a, "net.cleartext.rtsp-basic", t, basic ? VG_V_FAIL : VG_V_PASS,
			     basic ? "RTSP Basic authentication offered (realm \"%s\"): credentials travel in clear text"
				   : "only Digest authentication offered (realm \"%s\")", c->ch.realm);
	else
		vg_audit_add(c->a, "net.cleartext.rtsp-basic", t, VG_V_NOT_TESTED, "no RTSP authentication challenge seen");
	if (!have_ch) {
		vg_audit_add(c->a, "net.cred.rtsp", t, VG_V_NOT_TESTED,
			     open_ ? "the stream needs no credentials at all (see net.unauth.rtsp)" : "no RTSP authentication challenge seen");
		return;
	}
	c->proto = "rtsp";
	c->check = "net.cred.rtsp";
	c->try_ = try_web;
	cred_loop(c);
}

/* ---- TLS ---- */

static void tls_checks(cctx_t *c)
{
	char t[64];
	target_of(c->d, c->s, t, sizeof(t));
	static const struct { int v; const char *name; } old[] = {{TLS1_VERSION, "TLS 1.0"}, {TLS1_1_VERSION, "TLS 1.1"}};
	char acc[64] = "";
	for (size_t i = 0; i < 2; i++) {
		vg_conn_t cn;
		if (vg_conn_open(&cn, c->d->ip, c->s->port, true, old[i].v, old[i].v, c->o->timeout_ms) == 0) {
			size_t l = strlen(acc);
			snprintf(acc + l, sizeof(acc) - l, "%s%s", l ? ", " : "", old[i].name);
			vg_conn_close(&cn);
		}
	}
	vg_conn_t cn;
	if (vg_conn_open(&cn, c->d->ip, c->s->port, true, 0, 0, c->o->timeout_ms)) {
		vg_audit_add(c->a, "net.tls.version", t, VG_V_INCONCLUSIVE, "TLS handshake failed on re-test");
		return;
	}
	const char *best = SSL_get_version(cn.ssl);
	if (acc[0])
		vg_audit_add(c->a, "net.tls.version", t, VG_V_FAIL, "accepts obsolete %s (best: %s)", acc, best);
	else
		vg_audit_add(c->a, "net.tls.version", t, VG_V_PASS, "TLS 1.0 and 1.1 refused (negotiated %s)", best);
	X509 *x = SSL_get1_peer_certificate(cn.ssl);
	if (!x) {
		vg_audit_add(c->a, "net.tls.key", t, VG_V_INCONCLUSIVE, "no server certificate");
		vg_conn_close(&cn);
		return;
	}
	EVP_PKEY *pk = X509_get0_pubkey(x);
	int bits = pk ? EVP_PKEY_get_bits(pk) : 0;
	int id = pk ? EVP_PKEY_get_base_id(pk) : 0;
	const char *kt = id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : id == EVP_PKEY_ED25519 ? "Ed25519"
		: id == EVP_PKEY_DSA ? "DSA" : "other";
	int minbits = id == EVP_PKEY_EC || id == EVP_PKEY_ED25519 ? 250 : 2048;
	vg_audit_add(c->a, "net.tls.key", t, bits >= minbits ? VG_V_PASS : VG_V_FAIL,
		     "certificate key %s %d bits (minimum %d)", kt, bits, minbits);
	time_t now = time(NULL);
	const ASN1_TIME *nb = X509_get0_notBefore(x), *na = X509_get0_notAfter(x);
	struct tm tb, ta;
	char sb[32] = "?", sa_[32] = "?";
	if (ASN1_TIME_to_tm(nb, &tb))
		strftime(sb, sizeof(sb), "%Y-%m-%dT%H:%M:%SZ", &tb);
	if (ASN1_TIME_to_tm(na, &ta))
		strftime(sa_, sizeof(sa_), "%Y-%m-%dT%H:%M:%SZ", &ta);
	if (X509_cmp_time(na, &now) < 0)
		vg_audit_add(c->a, "net.tls.expiry", t, VG_V_FAIL, "certificate expired on %s", sa_);
	else if (X509_cmp_time(nb, &now) > 0)
		vg_audit_add(c->a, "net.tls.expiry", t, VG_V_FAIL, "certificate not valid before %s", sb);
	else
		vg_audit_add(c->a, "net.tls.expiry", t, VG_V_PASS, "certificate valid %s to %s", sb, sa_);
	char subj[160];
	X509_NAME_oneline(X509_get_subject_name(x), subj, sizeof(subj));
	bool self = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 &&
		    X509_check_issued(x, x) == X509_V_OK;
	vg_audit_add(c->a, "net.tls.selfsigned", t, self ? VG_V_FAIL : VG_V_PASS,
		     self ? "self-signed certificate %s: clients cannot authenticate the device"
			  : "certificate %s is issued by another authority", subj);
	X509_free(x);
	vg_conn_close(&cn);
}

/* ---- SSH algorithms ---- */

static void ssh_algos(cctx_t *c)
{
	char t[64];
	target_of(c->d, c->s, t, sizeof(t));
	vg_conn_t cn;
	if (vg_conn_open(&cn, c->d->ip, c->s->port, false, 0, 0, c->o->timeout_ms)) {
		vg_audit_add(c->a, "net.ssh.algorithms", t, VG_V_INCONCLUSIVE, "cannot connect");
		return;
	}
	static const char hello[] = "SSH-2.0-vigil_audit\r\n";
	vg_conn_send(&cn, hello, sizeof(hello) - 1);
	static __thread uint8_t buf[40000];
	size_t n = 0, idl = 0;
	int64_t deadline = vg_now_ms() + c->o->timeout_ms;
	vg_ssh_algs_t al;
	int rc = VG_EAGAIN;
	while (n < sizeof(buf)) {
		int64_t left = deadline - vg_now_ms();
		if (left <= 0)
			break;
		ssize_t g = vg_conn_recv(&cn, buf + n, sizeof(buf) - n, (int)left);
		if (g <= 0)
			break;
		n += (size_t)g;
		/* skip the identification line (and any lines before it) */
		if (!idl) {
			for (size_t i = 0; i < n; i++)
				if (buf[i] == '\n') {
					size_t ls = 0;
					for (size_t k = i; k > 0; k--)
						if (buf[k - 1] == '\n') {
							ls = k;
							break;
						}
					if (i - ls >= 4 && !memcmp(buf + ls, "SSH-", 4)) {
						idl = i + 1;
						break;
					}
				}
			if (!idl)
				continue;
		}
		size_t used;
		rc = vg_ssh_kexinit_parse(buf + idl, n - idl, &al, &used);
		if (rc != VG_EAGAIN)
			break;
	}
	vg_conn_close(&cn);
	if (rc) {
		vg_audit_add(c->a, "net.ssh.algorithms", t, VG_V_INCONCLUSIVE, "no readable KEXINIT from the server");
		return;
	}
	char weak[512] = "";
	int w = vg_ssh_weak(al.kex, 'k', weak, sizeof(weak)) + vg_ssh_weak(al.hostkey, 'h', weak, sizeof(weak)) +
		vg_ssh_weak(al.enc, 'e', weak, sizeof(weak)) + vg_ssh_weak(al.mac, 'm', weak, sizeof(weak));
	if (w)
		vg_audit_add(c->a, "net.ssh.algorithms", t, VG_V_FAIL, "weak algorithms offered: %s", weak);
	else
		vg_audit_add(c->a, "net.ssh.algorithms", t, VG_V_PASS,
			     "no weak algorithm offered (kex %.60s...; host keys %.60s)", al.kex, al.hostkey);
}

int vg_net_check_service(vg_device_t *d, int idx, const vg_netopt_t *o, vg_audit_t *a)
{
	cctx_t c = {.d = d, .idx = idx, .s = &d->svc[idx], .o = o, .a = a};
	char t[64];
	target_of(d, c.s, t, sizeof(t));
	switch (c.s->svc) {
	case VG_SVC_TELNET:
		vg_audit_add(a, "net.cleartext.telnet", t, VG_V_FAIL,
			     "telnet (clear-text protocol) open (banner \"%.80s\")", c.s->banner);
		c.proto = "telnet";
		c.check = "net.cred.telnet";
		c.try_ = try_telnet;
		cred_loop(&c);
		break;
	case VG_SVC_FTP:
		vg_audit_add(a, "net.cleartext.ftp", t, VG_V_FAIL,
			     "FTP login in clear text (banner \"%.80s\")", c.s->banner);
		c.proto = "ftp";
		c.check = "net.cred.ftp";
		c.try_ = try_ftp;
		cred_loop(&c);
		break;
	case VG_SVC_SSH:
		ssh_algos(&c);
		c.proto = "ssh";
		c.check = "net.cred.ssh";
		c.try_ = try_ssh;
		cred_loop(&c);
		break;
	case VG_SVC_HTTP:
		if (c.s->tls)
			tls_checks(&c);
		http_checks(&c);
		break;
	case VG_SVC_RTSP:
		if (c.s->tls)
			tls_checks(&c);
		rtsp_checks(&c);
		break;
	default:
		if (c.s->tls)
			tls_checks(&c);
		break;
	}
	return 0;
}

/* ======================= phase 3: device verdicts ======================= */

static bool has_svc(const vg_device_t *d, int svc)
{
	for (int i = 0; i < d->nsvc; i++)
		if (d->svc[i].svc == svc)
			return true;
	return false;
}

static void bruteforce_svc(vg_device_t *d, int idx, const vg_netopt_t *o, vg_audit_t *a)
{
	vg_service_t *s = &d->svc[idx];
	char t[64], why[160], rnd[17];
	target_of(d, s, t, sizeof(t));
	if (d->lock_evidence[idx][0]) {
		vg_audit_add(a, "net.bruteforce", t, VG_V_PASS, "%s", d->lock_evidence[idx]);
		return;
	}
	if (!o->lockout_test) {
		vg_audit_add(a, "net.bruteforce", t, VG_V_NOT_TESTED,
			     "no lockout seen; the lockout test runs only with --allow-lockout-test (it may lock the owner out)");
		return;
	}
	/* a locked service refuses even correct credentials: use them when known */
	const char *user = "admin", *pass = NULL;
	for (int k = 0; k < d->nknown; k++)
		if (d->known[k].svc == idx) {
			user = d->known[k].user;
			pass = d->known[k].pass;
			break;
		}
	cctx_t c = {.d = d, .idx = idx, .s = s, .o = o, .a = a};
	switch (s->svc) {
	case VG_SVC_TELNET: c.try_ = try_telnet; c.proto = "telnet"; break;
	case VG_SVC_FTP: c.try_ = try_ftp; c.proto = "ftp"; break;
	case VG_SVC_SSH: c.try_ = try_ssh; c.proto = "ssh"; break;
	default: {
		size_t n;
		vg_resp_t r;
		bool b, dg;
		c.try_ = try_web;
		c.proto = s->svc == VG_SVC_RTSP ? "rtsp" : "http";
		snprintf(c.uri, sizeof(c.uri), "%s", d->auth_uri[idx]);
		if (req(&c, s->svc == VG_SVC_RTSP ? "DESCRIBE" : "GET", c.uri, NULL, &n, &r) ||
		    r.status != 401 || !pick_challenge(&r, &c.ch, &b, &dg)) {
			vg_audit_add(a, "net.bruteforce", t, VG_V_INCONCLUSIVE,
				     "no authentication challenge for the lockout test");
			return;
		}
	}
	}
	int64_t t0 = vg_now_ms();
	for (int i = 0; i < 5; i++) {
		vg_random_word(rnd, sizeof(rnd));
		int r = attempt(&c, user, rnd, why, sizeof(why));
		if (r == LR_LOCKED) {
			vg_audit_add(a, "net.bruteforce", t, VG_V_PASS,
				     "%s locked after %d failed logins in %.1f s (%s)", c.proto, i,
				     (double)(vg_now_ms() - t0) / 1000, why);
			return;
		}
	}
	double secs = (double)(vg_now_ms() - t0) / 1000;
	if (secs > 30) {
		vg_audit_add(a, "net.bruteforce", t, VG_V_INCONCLUSIVE,
			     "5 failed logins took %.1f s (> 30 s): raise --rate to test Decision 724's 5 in 30 s", secs);
		return;
	}
	if (pass) {
		int r = attempt(&c, user, pass, why, sizeof(why));
		if (r == LR_OK)
			vg_audit_add(a, "net.bruteforce", t, VG_V_FAIL,
				     "not locked: after 5 failed logins in %.1f s the correct password of '%s' still works", secs, user);
		else
			vg_audit_add(a, "net.bruteforce", t, VG_V_PASS,
				     "locked: after 5 failed logins in %.1f s the correct password of '%s' is refused (%s); lock duration not measured",
				     secs, user, why);
		return;
	}
	vg_random_word(rnd, sizeof(rnd));
	int r = attempt(&c, user, rnd, why, sizeof(why));
	if (r == LR_LOCKED)
		vg_audit_add(a, "net.bruteforce", t, VG_V_PASS,
			     "%s locked after 5 failed logins in %.1f s (%s); lock duration not measured", c.proto, secs, why);
	else
		vg_audit_add(a, "net.bruteforce", t, VG_V_FAIL,
			     "no lockout: a 6th login after 5 failures in %.1f s got the usual refusal (%s)", secs, why);
}

static void bruteforce(vg_device_t *d, const vg_netopt_t *o, vg_audit_t *a)
{
	if (!d->nauth_svc) {
		vg_audit_add(a, "net.bruteforce", d->addr, VG_V_NOT_TESTED, "no service with a login to test");
		return;
	}
	for (int i = 0; i < d->nauth_svc; i++)
		bruteforce_svc(d, d->auth_svc[i], o, a);
}

int vg_net_check_device(vg_device_t *d, const vg_netopt_t *o, vg_audit_t *a)
{
	char list[1024] = "", tmp[200];
	bool telnet = false;
	for (int i = 0; i < d->nsvc; i++) {
		const vg_service_t *s = &d->svc[i];
		snprintf(tmp, sizeof(tmp), "%u/tcp %s%s%s%.60s%s", s->port, vg_svc_name(s->svc),
			 s->tls ? "+tls" : "", s->server[0] || s->banner[0] ? " (" : "",
			 s->server[0] ? s->server : s->banner, s->server[0] || s->banner[0] ? ")" : "");
		size_t l = strlen(list);
		snprintf(list + l, sizeof(list) - l, "%s%s", l ? ", " : "", tmp);
		telnet |= s->svc == VG_SVC_TELNET;
	}
	for (int i = 0; i < 3; i++) {
		static const char *const nm[] = {"ssdp", "ws-discovery", "sadp"};
		bool on = i == 0 ? d->ssdp : i == 1 ? d->wsd : d->sadp;
		if (on) {
			size_t l = strlen(list);
			snprintf(list + l, sizeof(list) - l, "%s%s/udp", l ? ", " : "", nm[i]);
		}
	}
	if (telnet)
		vg_audit_add(a, "net.ports", d->addr, VG_V_FAIL,
			     "telnet (a debug/legacy interface) is open; open: %s", list);
	else
		vg_audit_add(a, "net.ports", d->addr, VG_V_PASS, "open: %s", list[0] ? list : "none of the scanned ports");
	/* known-vulnerable versions from banners */
	if (!o->vulns || !o->vuln_text) {
		vg_audit_add(a, "net.vuln.version", d->addr, VG_V_NOT_TESTED, "no vulnerable-version table loaded");
	} else {
		int hits = 0, looked = 0;
		for (int i = 0; i < d->nsvc; i++) {
			const vg_service_t *s = &d->svc[i];
			const char *txt[2] = {s->banner, s->server};
			for (int k = 0; k < 2; k++) {
				if (!txt[k][0])
					continue;
				looked++;
				vg_vuln_hit_t h[4];
				int m = o->vuln_text(o->vulns, txt[k], strlen(txt[k]), h, 4);
				for (int j = 0; j < m; j++) {
					char t[64];
					target_of(d, s, t, sizeof(t));
					vg_audit_add(a, "net.vuln.version", t, VG_V_FAIL, "%s %s in \"%.80s\": %s (%s)",
						     h[j].component, h[j].version, txt[k], h[j].cves, h[j].summary);
					hits++;
				}
			}
		}
		if (!hits)
			vg_audit_add(a, "net.vuln.version", d->addr, looked ? VG_V_PASS : VG_V_NOT_TESTED,
				     looked ? "no known-vulnerable component version in %d banners" : "no banners to check (%d)", looked);
	}
	/* services that are absent */
	if (!has_svc(d, VG_SVC_TELNET)) {
		vg_audit_add(a, "net.cleartext.telnet", d->addr, VG_V_PASS, "no telnet service on the scanned ports");
		vg_audit_add(a, "net.cred.telnet", d->addr, VG_V_NOT_TESTED, "no telnet service");
	}
	if (!has_svc(d, VG_SVC_FTP)) {
		vg_audit_add(a, "net.cleartext.ftp", d->addr, VG_V_PASS, "no FTP service on the scanned ports");
		vg_audit_add(a, "net.cred.ftp", d->addr, VG_V_NOT_TESTED, "no FTP service");
	}
	if (!has_svc(d, VG_SVC_SSH)) {
		vg_audit_add(a, "net.cred.ssh", d->addr, VG_V_NOT_TESTED, "no SSH service");
		vg_audit_add(a, "net.ssh.algorithms", d->addr, VG_V_NOT_TESTED, "no SSH service");
	}
	if (!has_svc(d, VG_SVC_HTTP)) {
		vg_audit_add(a, "net.cred.http", d->addr, VG_V_NOT_TESTED, "no HTTP service");
		vg_audit_add(a, "net.cleartext.http-basic", d->addr, VG_V_PASS, "no HTTP service on the scanned ports");
	}
	if (!has_svc(d, VG_SVC_RTSP)) {
		vg_audit_add(a, "net.cred.rtsp", d->addr, VG_V_NOT_TESTED, "no RTSP service");
		vg_audit_add(a, "net.unauth.rtsp", d->addr, VG_V_NOT_TESTED, "no RTSP service");
		vg_audit_add(a, "net.cleartext.rtsp-basic", d->addr, VG_V_PASS, "no RTSP service on the scanned ports");
	}
	bool tls = false;
	for (int i = 0; i < d->nsvc; i++)
		tls |= d->svc[i].tls;
	if (!tls)
		vg_audit_add(a, "net.tls.version", d->addr, VG_V_NOT_TESTED, "no TLS service on the scanned ports");
	/* discovery protocols */
	if (d->udp_probed[0]) {
		if (d->ssdp) {
			vg_audit_add(a, "net.upnp.exposed", d->addr, VG_V_FAIL,
				     "answers SSDP M-SEARCH (server \"%s\", location %s)", d->ssdp_server,
				     d->location[0] ? d->location : "none");
			bool disclose = strstr(d->upnp, "serial=") || strstr(d->upnp, "firmware=") || strstr(d->upnp, "model number=");
			if (d->upnp_fetched)
				vg_audit_add(a, "net.upnp.disclosure", d->addr, disclose ? VG_V_FAIL : VG_V_PASS,
					     disclose ? "UPnP description (%s) discloses without credentials: %s"
						      : "UPnP description (%s) shows no serial, firmware or model number: %s",
					     d->location, d->upnp[0] ? d->upnp : "no device fields");
			else
				vg_audit_add(a, "net.upnp.disclosure", d->addr, VG_V_INCONCLUSIVE,
					     "UPnP description at \"%s\" not fetched (not an http:// URL on the device itself, or no answer)",
					     d->location);
		} else {
			vg_audit_add(a, "net.upnp.exposed", d->addr, VG_V_PASS, "no answer to SSDP M-SEARCH");
			vg_audit_add(a, "net.upnp.disclosure", d->addr, VG_V_PASS, "no UPnP");
		}
	} else {
		vg_audit_add(a, "net.upnp.exposed", d->addr, VG_V_NOT_TESTED, "UDP 1900 not in the port list");
	}
	if (d->udp_probed[1])
		vg_audit_add(a, "net.onvif.exposed", d->addr, d->wsd ? VG_V_FAIL : VG_V_PASS,
			     d->wsd ? "answers WS-Discovery Probe (ONVIF NetworkVideoTransmitter; XAddrs %s)"
				    : "no answer to WS-Discovery Probe%s", d->wsd ? d->wsd_xaddrs : "");
	else
		vg_audit_add(a, "net.onvif.exposed", d->addr, VG_V_NOT_TESTED, "UDP 3702 not in the port list");
	if (d->udp_probed[2])
		vg_audit_add(a, "net.sadp.exposed", d->addr, d->sadp ? VG_V_FAIL : VG_V_PASS,
			     d->sadp ? "answers a SADP inquiry without credentials: %s" : "no answer to a SADP inquiry%s",
			     d->sadp ? d->sadp_info : "");
	bruteforce(d, o, a);
	return 0;
}
