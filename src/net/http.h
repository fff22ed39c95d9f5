/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.h — HTTP/1.x request-head and response-head parsers for the watch
 * engine (Host / URL indicator matching, EVE "http" records, device
 * fingerprinting from the Server header).
 *
 * Input: the first bytes of the client (or server) TCP stream, reassembled by
 * src/net/reasm.h.  The parsers return VG_EAGAIN until the end of the header
 * block (an empty line: "\r\n\r\n" or "\n\n") is seen; once `limit` bytes are
 * available without it, they parse what they have (request line and the
 * complete header lines) and set ->truncated.
 *
 * Host normalisation follows Suricata/libhtp's http.hostname: lowercased, port
 * split off, an IPv6 literal KEEPS its brackets ("Host: [::1]:8000" gives host
 * "[::1]" port 8000; suricata-verify http-ipv6 expects http.hostname "[::1]").
 * An absolute-form request target ("GET http://h:8080/p HTTP/1.1") supplies
 * host, port and path and takes precedence over the Host header.
 * Strings are NUL-terminated; bytes < 0x20 and 0x7f are replaced by '?'.
 */
#ifndef VG_NET_HTTP_H
#define VG_NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"

#define VG_HTTP_LIMIT 16384 /* default header-block limit */
#define VG_HTTP_METHOD_MAX 15
#define VG_HTTP_URI_MAX 2047
#define VG_HTTP_HOST_MAX 255
#define VG_HTTP_UA_MAX 255
#define VG_HTTP_URL_MAX (7 + VG_HTTP_HOST_MAX + 6 + VG_HTTP_URI_MAX) /* http://h:p/uri */

typedef struct vg_http_req {
	char method[VG_HTTP_METHOD_MAX + 1];
	char uri[VG_HTTP_URI_MAX + 1]; /* request target exactly as sent */
	uint8_t ver_major, ver_minor;
	bool absolute_uri; /* request target was absolute-form */
	bool has_host;     /* host known (Host header or absolute URI) */
	bool has_port;     /* an explicit, valid port was given */
	bool bad_port;     /* a ':' port part that was not 0..65535 */
	uint16_t port;     /* explicit port, else 0 */
	char host[VG_HTTP_HOST_MAX + 1]; /* lowercased; "[v6]" keeps brackets */
	bool has_ua;
	char ua[VG_HTTP_UA_MAX + 1];
	/* "http://host[:port]path"; port omitted when absent or 80; path is the
	 * URI for origin-form, the path part of an absolute URI (or "/").
	 * Empty when !has_host. */
	char url[VG_HTTP_URL_MAX + 1];
	bool uri_trunc, host_trunc, ua_trunc;
	bool truncated;  /* header end not seen within the limit */
	size_t head_len; /* bytes of the head incl. the empty line (0 if truncated) */
} vg_http_req_t;

typedef struct vg_http_resp {
	uint8_t ver_major, ver_minor;
	uint16_t status;
	char reason[64];
	bool has_server;
	char server[256];
	bool truncated;
	size_t head_len;
} vg_http_resp_t;

/*
 * vg_http_parse_request: parse the request line and headers at the start of
 * buf.  limit: header-block cap in bytes (0 = VG_HTTP_LIMIT).
 * Returns 0 (possibly with out->truncated), VG_EAGAIN (need more bytes),
 * VG_EFORMAT (not an HTTP/1.x request: bad method token, no "HTTP/" version,
 * or no complete request line within the limit), VG_EINVAL (NULL args).
 */
int vg_http_parse_request(const uint8_t *buf, size_t len, size_t limit, vg_http_req_t *out);

/*
 * vg_http_parse_response: status line ("HTTP/1.1 200 OK") and Server header.
 * Returns as vg_http_parse_request().
 */
int vg_http_parse_response(const uint8_t *buf, size_t len, size_t limit, vg_http_resp_t *out);

/*
 * vg_http_split_host: split a Host value (n bytes) into a lowercased host
 * (brackets kept for IPv6 literals) and port.  Returns 0, or VG_EFORMAT when
 * empty.  *port = 0 and *has_port false without a valid port; *bad_port set
 * when a port part exists but is not a number in 0..65535.
 */
int vg_http_split_host(const char *s, size_t n, char host[VG_HTTP_HOST_MAX + 1], uint16_t *port,
		       bool *has_port, bool *bad_port, bool *trunc);

#endif
