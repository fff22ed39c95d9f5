// SPDX-License-Identifier: Apache-2.0
/*
 * scope.c — the audit scope file (audit/scope.h): who authorised which
 * IPv4 targets for which period.  `vigil audit device` checks every target
 * here BEFORE sending a single packet; a target outside the list or the
 * period is refused.
 *
 * Parsing is strict: unknown keys, repeated single keys, bad dates or
 * CIDRs with host bits set are errors naming FILE:LINE, because a lenient
 * parser could silently widen the scope.  Targets are kept as (network,
 * prefix) pairs and matched linearly (scope files are short).
 */
#include "audit/scope.h"
#include "lib/file.h"
#include "lib/timefmt.h"

#include <vigil/common.h>

#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCOPE_MAX_TARGETS 4096

struct vg_scope {
	char owner[256];
	char contact[256];
	int64_t from, until;
	uint32_t net[SCOPE_MAX_TARGETS];
	uint8_t plen[SCOPE_MAX_TARGETS];
	size_t n;
};

static uint32_t mask_of(int plen) { return plen == 0 ? 0 : 0xffffffffu << (32 - plen); }

int vg_cidr4_parse(const char *s, size_t n, uint32_t *net, int *plen)
{
	uint32_t v = 0;
	size_t i = 0;
	for (int oct = 0; oct < 4; oct++) {
		unsigned x = 0, digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			x = x * 10 + (unsigned)(s[i] - '0');
			i++;
			digits++;
		}
		if (!digits || digits > 3 || x > 255)
			return VG_EINVAL;
		v = v << 8 | x;
		if (oct < 3) {
			if (i >= n || s[i] != '.')
				return VG_EINVAL;
			i++;
		}
	}
	int p = 32;
	if (i < n) {
		if (s[i] != '/')
			return VG_EINVAL;
		i++;
		unsigned x = 0, digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 3) {
			x = x * 10 + (unsigned)(s[i] - '0');
			i++;
			digits++;
		}
		if (!digits || i != n || x > 32)
			return VG_EINVAL;
		p = (int)x;
	}
	if ((v & ~mask_of(p)) != 0)
		return VG_EINVAL;
	*net = v;
	*plen = p;
	return 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r'))
		s[--l] = 0;
	return s;
}

int vg_scope_parse(vg_scope_t **out, const char *name, const char *text, size_t len, char *err,
		   size_t errlen)
{
	*out = NULL;
	vg_scope_t *s = calloc(1, sizeof(*s));
	char *buf = malloc(len + 1);
	if (!s || !buf) {
		free(s);
		free(buf);
		return VG_ENOMEM;
	}
	memcpy(buf, text, len);
	buf[len] = 0;
	bool have_owner = false, have_from = false, have_until = false;
	unsigned long lineno = 0;
	int rc = 0;
	char *p = buf, *end = buf + len;
	while (p < end && rc == 0) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		*le = 0;
		lineno++;
		char *line = p;
		p = nl ? nl + 1 : end;
		if (strlen(line) != (size_t)(le - line)) {
			snprintf(err, errlen, "%s:%lu: NUL byte in line", name, lineno);
			rc = VG_EFORMAT;
			break;
		}
		line = trim(line);
		if (!line[0] || line[0] == '#')
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%lu: expected key = value", name, lineno);
			rc = VG_EFORMAT;
			break;
		}
		*eq = 0;
		char *key = trim(line), *val = trim(eq + 1);
		if (!val[0]) {
			snprintf(err, errlen, "%s:%lu: %s: empty value", name, lineno, key);
			rc = VG_EFORMAT;
			break;
		}
		if (!strcmp(key, "owner") || !strcmp(key, "contact")) {
			bool own = key[0] == 'o';
			if (own ? have_owner : s->contact[0] != 0) {
				snprintf(err, errlen, "%s:%lu: %s given twice", name, lineno, key);
				rc = VG_EFORMAT;
				break;
			}
			snprintf(own ? s->owner : s->contact, sizeof(s->owner), "%s", val);
			if (own)
				have_owner = true;
		} else if (!strcmp(key, "valid-from") || !strcmp(key, "valid-until")) {
			bool from = key[6] == 'f';
			int64_t t;
			size_t vl = strlen(val);
			if ((from ? have_from : have_until)) {
				snprintf(err, errlen, "%s:%lu: %s given twice", name, lineno, key);
				rc = VG_EFORMAT;
				break;
			}
			if (vg_time_parse(val, vl, &t) != 0) {
				snprintf(err, errlen, "%s:%lu: %s: not an ISO 8601 date or date-time: %.40s",
					 name, lineno, key, val);
				rc = VG_EFORMAT;
				break;
			}
			if (!from && vl == 10)
				t += 86399; /* a bare date: until the end of that day */
			if (from) {
				s->from = t;
				have_from = true;
			} else {
				s->until = t;
				have_until = true;
			}
		} else if (!strcmp(key, "target")) {
			uint32_t net;
			int plen;
			if (vg_cidr4_parse(val, strlen(val), &net, &plen) != 0) {
				snprintf(err, errlen, "%s:%lu: target: not an IPv4 address or CIDR (host bits must be zero): %.60s",
					 name, lineno, val);
				rc = VG_EFORMAT;
				break;
			}
			if (s->n == SCOPE_MAX_TARGETS) {
				snprintf(err, errlen, "%s:%lu: more than %d targets", name, lineno,
					 SCOPE_MAX_TARGETS);
				rc = VG_EFORMAT;
				break;
			}
			s->net[s->n] = net;
			s->plen[s->n++] = (uint8_t)plen;
		} else {
			snprintf(err, errlen, "%s:%lu: unknown key '%.40s' (owner, contact, valid-from, valid-until, target)",
				 name, lineno, key);
			rc = VG_EFORMAT;
		}
	}
	free(buf);
	if (rc == 0) {
		const char *miss = !have_owner ? "owner" : !have_from ? "valid-from"
			: !have_until ? "valid-until" : s->n == 0 ? "target" : NULL;
		if (miss) {
			snprintf(err, errlen, "%s: missing required key '%s'", name, miss);
			rc = VG_EFORMAT;
		} else if (s->until < s->from) {
			snprintf(err, errlen, "%s: valid-until is before valid-from", name);
			rc = VG_EFORMAT;
		}
	}
	if (rc) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int vg_scope_load(vg_scope_t **out, const char *path, char *err, size_t errlen)
{
	char *data;
	size_t len;
	*out = NULL;
	int rc = vg_file_read(path, 1u << 20, &data, &len);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, rc == VG_EIO ? strerror(errno) : vg_strerror(rc));
		return rc;
	}
	rc = vg_scope_parse(out, path, data, len, err, errlen);
	free(data);
	return rc;
}

void vg_scope_free(vg_scope_t *s) { free(s); }

int vg_scope_check(const vg_scope_t *s, uint32_t ip4, int64_t now, char *why, size_t n)
{
	char a[16], f[32], u[32];
	snprintf(a, sizeof(a), "%u.%u.%u.%u", ip4 >> 24, ip4 >> 16 & 255, ip4 >> 8 & 255, ip4 & 255);
	bool listed = false;
	for (size_t i = 0; i < s->n && !listed; i++)
		listed = (ip4 & mask_of(s->plen[i])) == s->net[i];
	if (!listed) {
		snprintf(why, n, "%s is not a target of the scope (owner: %s)", a, s->owner);
		return VG_ENOTFOUND;
	}
	vg_time_iso(s->from, f, sizeof(f));
	vg_time_iso(s->until, u, sizeof(u));
	if (now < s->from || now > s->until) {
		snprintf(why, n, "the scope of %s is valid from %s until %s, not now", s->owner, f, u);
		return VG_ERANGE;
	}
	snprintf(why, n, "%s in scope of %s (valid %s to %s)", a, s->owner, f, u);
	return 0;
}

const char *vg_scope_owner(const vg_scope_t *s) { return s->owner; }
const char *vg_scope_contact(const vg_scope_t *s) { return s->contact; }
int64_t vg_scope_from(const vg_scope_t *s) { return s->from; }
int64_t vg_scope_until(const vg_scope_t *s) { return s->until; }
size_t vg_scope_count(const vg_scope_t *s) { return s->n; }
