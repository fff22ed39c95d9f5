// SPDX-License-Identifier: Apache-2.0
/*
 * creds.c — the credential list (audit/creds.h): a parser for the
 * tab-separated data/credentials.tsv format and its iteration.
 *
 * Each parsed text is copied into one owned block whose tabs and newlines
 * are replaced by NULs, so every vg_cred_t field points into a block (no
 * per-field allocation).  The rows array grows by doubling.  A text is
 * added all or nothing: rows are only published after the whole text
 * parsed.  Immutable after loading; no locking needed for readers.
 */
#include "audit/creds.h"
#include "lib/data.h"
#include "lib/file.h"

#include <vigil/common.h>

#include <fnmatch.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vg_creds {
	vg_cred_t *rows;
	size_t n, cap;
	char **blocks;
	size_t nblocks;
	char version[64];
};

static const char *const protos[] = {"telnet", "ftp", "ssh", "http", "rtsp", "any"};

int vg_creds_new(vg_creds_t **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : VG_ENOMEM;
}

void vg_creds_free(vg_creds_t *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nblocks; i++)
		free(c->blocks[i]);
	free(c->blocks);
	free(c->rows);
	free(c);
}

size_t vg_creds_count(const vg_creds_t *c) { return c ? c->n : 0; }

const vg_cred_t *vg_creds_get(const vg_creds_t *c, size_t i)
{
	return c && i < c->n ? &c->rows[i] : NULL;
}

const char *vg_creds_version(const vg_creds_t *c)
{
	return c && c->version[0] ? c->version : "unknown";
}

static bool known_proto(const char *p)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(p, protos[i]))
			return true;
	return false;
}

/* Split s (NUL-terminated line) at tabs into at most max fields. */
static int split_tabs(char *s, char **f, int max)
{
	int n = 0;
	f[n++] = s;
	for (char *p = s; *p; p++) {
		if (*p == '\t') {
			*p = 0;
			if (n == max)
				return max + 1;
			f[n++] = p + 1;
		}
	}
	return n;
}

int vg_creds_parse(vg_creds_t *c, const char *name, const char *text, size_t len, char *err,
		   size_t errlen)
{
	if (!c || (!text && len))
		return VG_EINVAL;
	char *blk = malloc(len + 1);
	if (!blk)
		return VG_ENOMEM;
	if (len)
		memcpy(blk, text, len);
	blk[len] = 0;
	size_t n0 = c->n;
	char ver[64] = "";
	unsigned long lineno = 0;
	char *p = blk, *end = blk + len;
	int rc = 0;
	while (p < end) {
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
		if (le > line && le[-1] == '\r')
			le[-1] = 0;
		if (!line[0])
			continue;
		if (line[0] == '#') {
			const char *v = line + 1;
			while (*v == ' ')
				v++;
			if (!strncmp(v, "version:", 8) && !ver[0]) {
				v += 8;
				while (*v == ' ')
					v++;
				snprintf(ver, sizeof(ver), "%s", v);
			}
			continue;
		}
		char *f[5];
		int nf = split_tabs(line, f, 5);
		if (nf != 5) {
			snprintf(err, errlen, "%s:%lu: expected 5 tab-separated fields (proto pattern user pass source), got %d%s",
				 name, lineno, nf > 5 ? 6 : nf, nf > 5 ? " or more" : "");
			rc = VG_EFORMAT;
			break;
		}
		if (!known_proto(f[0])) {
			snprintf(err, errlen, "%s:%lu: field proto: unknown protocol '%.32s' (telnet, ftp, ssh, http, rtsp, any)",
				 name, lineno, f[0]);
			rc = VG_EFORMAT;
			break;
		}
		if (!f[1][0] || !f[2][0]) {
			snprintf(err, errlen, "%s:%lu: field %s: empty (use \"*\" for any device)", name,
				 lineno, !f[1][0] ? "pattern" : "user");
			rc = VG_EFORMAT;
			break;
		}
		if (!f[3][0]) {
			snprintf(err, errlen, "%s:%lu: field pass: empty (write <empty> for the empty password)",
				 name, lineno);
			rc = VG_EFORMAT;
			break;
		}
		if (c->n == c->cap) {
			size_t nc = c->cap ? c->cap * 2 : 128;
			vg_cred_t *r = realloc(c->rows, nc * sizeof(*r));
			if (!r) {
				rc = VG_ENOMEM;
				break;
			}
			c->rows = r;
			c->cap = nc;
		}
		vg_cred_t *cr = &c->rows[c->n++];
		cr->proto = f[0];
		cr->pattern = f[1];
		cr->user = f[2];
		cr->pass = strcmp(f[3], "<empty>") ? f[3] : "";
		cr->source = f[4];
		cr->file = NULL;
		cr->line = lineno;
	}
	if (rc == 0) {
		char **nb = realloc(c->blocks, (c->nblocks + 1) * sizeof(*nb));
		if (!nb)
			rc = VG_ENOMEM;
		else {
			c->blocks = nb;
			c->blocks[c->nblocks++] = blk;
		}
	}
	if (rc) {
		c->n = n0;
		free(blk);
		return rc;
	}
	/* the file name lives in the block list too, so rows can name it */
	size_t nl = strlen(name) + 1;
	char *nm = malloc(nl);
	char **nb = nm ? realloc(c->blocks, (c->nblocks + 1) * sizeof(*nb)) : NULL;
	if (!nb) {
		free(nm);
		c->n = n0; /* block stays owned; rows dropped */
		return VG_ENOMEM;
	}
	memcpy(nm, name, nl);
	c->blocks = nb;
	c->blocks[c->nblocks++] = nm;
	for (size_t i = n0; i < c->n; i++)
		c->rows[i].file = nm;
	if (!c->version[0] && ver[0])
		snprintf(c->version, sizeof(c->version), "%s", ver);
	return 0;
}

int vg_creds_builtin(vg_creds_t **out, char *err, size_t errlen)
{
	size_t len;
	const char *d = vg_data_get("credentials.tsv", &len);
	if (!d) {
		snprintf(err, errlen, "credentials.tsv is not compiled in");
		return VG_ENOTFOUND;
	}
	int rc = vg_creds_new(out);
	if (rc)
		return rc;
	rc = vg_creds_parse(*out, "credentials.tsv", d, len, err, errlen);
	if (rc) {
		vg_creds_free(*out);
		*out = NULL;
	}
	return rc;
}

int vg_creds_add_file(vg_creds_t *c, const char *path, char *err, size_t errlen)
{
	char *data;
	size_t len;
	int rc = vg_file_read(path, 16u << 20, &data, &len);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, rc == VG_EIO ? strerror(errno) : vg_strerror(rc));
		return rc;
	}
	rc = vg_creds_parse(c, path, data, len, err, errlen);
	free(data);
	return rc;
}

int vg_creds_load(vg_creds_t **out, const char *path, char *err, size_t errlen)
{
	int rc = vg_creds_new(out);
	if (rc)
		return rc;
	rc = vg_creds_add_file(*out, path, err, errlen);
	if (rc) {
		vg_creds_free(*out);
		*out = NULL;
	}
	return rc;
}

bool vg_cred_applies(const vg_cred_t *cr, const char *proto, const char *identity)
{
	if (proto && strcmp(cr->proto, "any") && strcmp(cr->proto, proto))
		return false;
	if (!strcmp(cr->pattern, "*"))
		return true;
	if (!identity || !identity[0])
		return false;
	return fnmatch(cr->pattern, identity, FNM_CASEFOLD) == 0;
}
