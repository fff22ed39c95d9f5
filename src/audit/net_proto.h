/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/net_proto.h — parsers and builders for the bytes a live device
 * sends to `vigil audit device`: telnet option negotiation, HTTP and RTSP
 * response heads, WWW-Authenticate challenges, HTTP Digest (RFC 7616),
 * UPnP/ONVIF XML fields, SSH identification and KEXINIT, banner
 * classification.  Pure functions over (pointer, length): no I/O, no
 * allocation, no global state, so they are thread-safe and fuzzable.
 * Every read of device bytes is bounds-checked (vg_rd_t or explicit
 * length checks); outputs are truncated to the caller's buffers.
 */
#ifndef VG_AUDIT_NET_PROTO_H
#define VG_AUDIT_NET_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- telnet ----------------------------------------------------------- */

/* Negotiation state kept across reads of one connection. */
typedef struct vg_telnet {
	int state; /* internal */
	uint8_t cmd;
} vg_telnet_t;

/*
 * vg_telnet_filter — strip telnet commands from in (n bytes): data bytes go
 * to out (cap outcap, *outn set), the answers to option requests go to
 * reply (cap replycap, *replyn set): DO x -> WONT x, WILL x -> DONT x,
 * except WILL ECHO and WILL SUPPRESS-GO-AHEAD -> DO (what a login needs).
 * Sub-negotiations are skipped.  A command split across calls is
 * continued from t.  Output beyond a cap is dropped (never overflows).
 */
void vg_telnet_filter(vg_telnet_t *t, const uint8_t *in, size_t n, uint8_t *out, size_t outcap,
		      size_t *outn, uint8_t *reply, size_t replycap, size_t *replyn);

/* Prompt classification of the text a telnet/login service printed. */
enum vg_prompt {
	VG_PR_NONE = 0,
	VG_PR_LOGIN,    /* "login:", "username:", "user name:" */
	VG_PR_PASSWORD, /* "password:" */
	VG_PR_SHELL,    /* ends with "# ", "$ ", "> " or "#"/"$" */
	VG_PR_FAILED,   /* "incorrect", "failed", "invalid", "denied" */
	VG_PR_LOCKED,   /* "locked", "too many", "try again later" */
};
/* vg_prompt_classify: look at the tail of text (n bytes, as filtered by
 * vg_telnet_filter); case-insensitive.  LOCKED and FAILED win over
 * prompts that follow them in the same text. */
int vg_prompt_classify(const uint8_t *text, size_t n);

/* ---- HTTP / RTSP responses --------------------------------------------- */

#define VG_RESP_MAX_AUTH 4

typedef struct vg_span {
	const char *p; /* borrowed from the response buffer; NULL if absent */
	size_t n;
} vg_span_t;

typedef struct vg_resp {
	bool rtsp;          /* "RTSP/1.0" status line (else "HTTP/1.x") */
	int status;         /* 100..999 */
	size_t head_len;    /* bytes up to and including the blank line */
	long long content_length; /* -1 when absent */
	vg_span_t server, content_type, location, cseq, retry_after;
	vg_span_t auth[VG_RESP_MAX_AUTH]; /* WWW-Authenticate values, in order */
	int nauth;
} vg_resp_t;

/*
 * vg_resp_parse — parse a response head from buf (n bytes).  0 when the
 * head is complete; VG_EAGAIN when more bytes are needed (no blank line
 * yet); VG_EFORMAT when it is not an HTTP/RTSP response or a header line is
 * malformed.  Spans point into buf.  Header names are case-insensitive;
 * obs-fold lines are rejected.
 */
int vg_resp_parse(const uint8_t *buf, size_t n, vg_resp_t *r);

/* ---- WWW-Authenticate --------------------------------------------------- */

enum { VG_AUTH_NONE = 0, VG_AUTH_BASIC, VG_AUTH_DIGEST, VG_AUTH_OTHER };
enum { VG_DIG_MD5 = 0, VG_DIG_MD5_SESS, VG_DIG_SHA256, VG_DIG_SHA256_SESS, VG_DIG_UNKNOWN };

typedef struct vg_www_auth {
	int scheme;        /* VG_AUTH_* */
	int algorithm;     /* VG_DIG_* (MD5 when absent) */
	bool qop_auth;     /* qop list contains "auth" */
	bool qop_other;    /* a qop list without "auth" (e.g. only auth-int) */
	bool stale;
	bool userhash;
	char realm[128];
	char nonce[256];
	char opaque[256];
} vg_www_auth_t;

/* vg_www_auth_parse: one challenge value (after "WWW-Authenticate:").
 * 0, or VG_EFORMAT (bad syntax, a value too long for the fields above). */
int vg_www_auth_parse(const char *v, size_t n, vg_www_auth_t *a);

/*
 * vg_digest_response — the Digest "response" value (lower-case hex; 32
 * chars for MD5, 64 for SHA-256) per RFC 7616 section 3.4.1, with qop=auth
 * when qop is true, else the RFC 2069 form.  out >= 65 bytes.  0 or
 * VG_EINVAL (unknown algorithm).
 */
int vg_digest_response(int algorithm, const char *user, const char *realm, const char *pass,
		       const char *method, const char *uri, const char *nonce, const char *nc,
		       const char *cnonce, bool qop, char *out, size_t outn);

/*
 * vg_auth_header — the value of an Authorization header answering a (Basic
 * or Digest) for user/pass on method+uri; cnonce is the client nonce to use
 * (Digest).  Writes a NUL-terminated string; 0, VG_ERANGE (too small) or
 * VG_EINVAL (scheme not supported).
 */
int vg_auth_header(const vg_www_auth_t *a, const char *user, const char *pass, const char *method,
		   const char *uri, const char *cnonce, char *out, size_t outn);

/* ---- XML fields (UPnP description, ONVIF responses) -------------------- */

/* vg_xml_field: text of the first element named tag (local name; any
 * namespace prefix), whitespace-trimmed, entities &lt; &gt; &amp; &quot;
 * &apos; decoded, control bytes replaced by '?'; truncated to outn-1.
 * Returns 1 found (non-empty), 0 not. */
int vg_xml_field(const char *xml, size_t n, const char *tag, char *out, size_t outn);

/* ---- SSH ---------------------------------------------------------------- */

typedef struct vg_ssh_algs {
	char kex[1024];
	char hostkey[512];
	char enc[1024]; /* client to server */
	char mac[1024]; /* client to server */
} vg_ssh_algs_t;

/* vg_ssh_kexinit_parse: an SSH binary packet (uint32 length, padding
 * length, payload...) whose payload is SSH_MSG_KEXINIT (20), unencrypted.
 * 0, VG_EAGAIN (incomplete), VG_EFORMAT.  *used receives the packet size. */
int vg_ssh_kexinit_parse(const uint8_t *p, size_t n, vg_ssh_algs_t *a, size_t *used);

/* vg_ssh_weak: the weak names of a comma-separated list (kind: 'k' kex,
 * 'h' host key, 'e' cipher, 'm' MAC) appended to out as "a,b"; returns the
 * number found. */
int vg_ssh_weak(const char *list, char kind, char *out, size_t outn);

/* ---- banners ------------------------------------------------------------ */

enum vg_svc {
	VG_SVC_UNKNOWN = 0, VG_SVC_TELNET, VG_SVC_FTP, VG_SVC_SSH, VG_SVC_HTTP, VG_SVC_RTSP,
	VG_SVC_DVRIP, /* Xiongmai DVRIP/NetSurveillance (34567), Dahua (37777): binary */
};
/* "unknown", "telnet", "ftp", "ssh", "http", "rtsp", "dvrip" */
const char *vg_svc_name(int svc);

/* vg_banner_classify: the service a first server message belongs to
 * (SSH-..., 220 ..., HTTP/..., RTSP/..., telnet IAC or a login prompt). */
int vg_banner_classify(const uint8_t *p, size_t n);

/* vg_printable: copy at most outn-1 bytes of p as one printable line
 * (control bytes and non-ASCII -> '.', CR/LF -> ' ', trimmed). */
size_t vg_printable(const uint8_t *p, size_t n, char *out, size_t outn);

/* vg_ci_find: case-insensitive search of needle in p (n bytes); index or -1. */
long vg_ci_find(const uint8_t *p, size_t n, const char *needle);

#endif
