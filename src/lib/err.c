// SPDX-License-Identifier: Apache-2.0
/*
 * err.c — names of libvigil's error codes, and IP address text conversions
 * that every module shares (inet_pton/inet_ntop on exact-length input).
 */
#include "vigil/common.h"

#include <arpa/inet.h>
#include <string.h>

const char *vg_strerror(int err)
{
	switch (err) {
	case VG_OK: return "success";
	case VG_ENOMEM: return "out of memory";
	case VG_EINVAL: return "invalid value";
	case VG_EIO: return "input/output error";
	case VG_EFORMAT: return "unrecognised format";
	case VG_ENOTFOUND: return "not found";
	case VG_ERANGE: return "value out of range";
	case VG_ECORRUPT: return "corrupt data";
	case VG_EVERSION: return "unsupported version";
	case VG_ELIMIT: return "limit reached";
	case VG_ENOTSUP: return "not supported";
	case VG_EAGAIN: return "need more data";
	case VG_EEMPTY: return "empty input";
	case VG_EBINARY: return "not a text file";
	case VG_ERESERVED: return "reserved address";
	}
	return "unknown error";
}

int vg_ip_parse(const char *s, size_t n, vg_ip_t *out)
{
	char tmp[64];
	memset(out, 0, sizeof *out);
	if (n == 0 || n >= sizeof tmp)
		return VG_EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	struct in_addr a4;
	if (memchr(tmp, ':', n) == NULL) {
		/* inet_pton accepts only dotted-quad decimal, which is what we want */
		if (inet_pton(AF_INET, tmp, &a4) != 1)
			return VG_EINVAL;
		vg_ip_set4(out, ntohl(a4.s_addr));
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, out->a) != 1)
		return VG_EINVAL;
	return 0;
}

size_t vg_ip_format(const vg_ip_t *ip, char *buf, size_t n)
{
	if (n < 46) {
		if (n)
			buf[0] = 0;
		return 0;
	}
	if (vg_ip_is4(ip))
		inet_ntop(AF_INET, ip->a + 12, buf, (socklen_t)n);
	else
		inet_ntop(AF_INET6, ip->a, buf, (socklen_t)n);
	return strlen(buf);
}
