// SPDX-License-Identifier: Apache-2.0
/*
 * fw_version.c — component version strings in firmware files: "BusyBox
 * v1.19.4", "OpenSSL 1.0.1e", "dropbear_2014.63" / "Dropbear sshd v…",
 * "GoAhead-Webs/2.5.0", "Linux version 3.10.14", "uc-httpd 1.0.0".
 * They are matched against the vulnerable-version table (dev/vuln.h) by
 * fw.c for 5.3-8.
 *
 * Each marker is searched with memmem over the whole buffer (binaries
 * included); the version is the run of [0-9A-Za-z.] after it, which must
 * start with a digit (so the format string "OpenSSL %s" is not a version).
 * GoAhead and uc-httpd are also reported version-less when only the name
 * is present.  Each (component, version) is reported once per buffer.
 * Pure function; reentrant.
 */
#include "audit/fw.h"

#include <string.h>

static const struct mk {
	const char *m, *comp;
	bool bare; /* report the name alone when no version follows */
} marks[] = {
	{"BusyBox v", "busybox", false},
	{"OpenSSL ", "openssl", false},
	{"dropbear_", "dropbear", false},
	{"Dropbear sshd v", "dropbear", false},
	{"Dropbear v", "dropbear", false},
	{"GoAhead-Webs/", "goahead", false},
	{"GoAhead/", "goahead", false},
	{"GoAhead-Webs", "goahead", true},
	{"Linux version ", "linux", false},
	{"uc-httpd ", "uc-httpd", false},
	{"uc-httpd/", "uc-httpd", false},
	{"uc-httpd", "uc-httpd", true},
};

static bool verch(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '.';
}

#define SEEN_MAX 16

int vg_fw_components(const uint8_t *p, size_t n, vg_fw_comp_cb cb, void *ctx)
{
	char seen[SEEN_MAX][80];
	int ns = 0, found = 0;
	bool have[sizeof(marks) / sizeof(marks[0])] = {false};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const struct mk *m = &marks[i];
		size_t ml = strlen(m->m);
		const uint8_t *s = p, *e = p + n;
		while ((size_t)(e - s) >= ml && (s = memmem(s, (size_t)(e - s), m->m, ml))) {
			const uint8_t *v = s + ml, *ve = v;
			while (ve < e && ve - v < 40 && verch(*ve))
				ve++;
			while (ve > v && ve[-1] == '.')
				ve--;
			char ver[48] = "";
			if (ve > v && *v >= '0' && *v <= '9') {
				memcpy(ver, v, (size_t)(ve - v));
				ver[ve - v] = 0;
			} else if (!m->bare) {
				s = v;
				continue;
			} else {
				/* a bare name counts only when no versioned marker of
				 * the same component was found */
				bool other = false;
				for (size_t j = 0; j < i; j++)
					other |= have[j] && !strcmp(marks[j].comp, m->comp);
				if (other)
					break;
				ve = v;
			}
			char key[80];
			size_t kl = strlen(m->comp);
			memcpy(key, m->comp, kl);
			key[kl] = '/';
			memcpy(key + kl + 1, ver, strlen(ver) + 1);
			bool dup = false;
			for (int j = 0; j < ns && !dup; j++)
				dup = !strcmp(seen[j], key);
			if (!dup && ns < SEEN_MAX) {
				memcpy(seen[ns++], key, sizeof(key));
				cb(ctx, m->comp, ver, (const char *)s, (size_t)(ve - s));
				found++;
				have[i] = true;
			}
			s = ve > s + ml ? ve : s + ml;
			if (m->bare)
				break;
		}
	}
	return found;
}
