/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/creds.h — the default/weak credential list of `vigil audit`
 * (data/credentials.tsv, compiled in; users add files with --creds).
 *
 * Format, one pair a line, tab-separated:
 *   proto  pattern  user  pass  source
 * proto: telnet, ftp, ssh, http, rtsp or any.  pattern: fnmatch(3) glob,
 * matched case-insensitively against the device identity (banners, Server
 * headers, UPnP manufacturer/model); "*" matches every device.  pass
 * "<empty>" is the empty password.  '#' starts a comment line; a
 * "# version: X" comment names the list's version.  Rows keep file order
 * (the order pairs are tried in).  `vigil audit firmware` iterates the
 * same list to crack /etc/shadow hashes (any proto).
 *
 * A vg_creds_t is immutable after loading, so it may be shared by threads.
 */
#ifndef VG_AUDIT_CREDS_H
#define VG_AUDIT_CREDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vg_cred {
	const char *proto;   /* "telnet" ... "any" */
	const char *pattern; /* glob */
	const char *user;
	const char *pass;    /* "" for <empty> */
	const char *source;
	const char *file;    /* where the row comes from ("credentials.tsv", a path) */
	unsigned long line;
} vg_cred_t;

typedef struct vg_creds vg_creds_t;

/* vg_creds_new: an empty list.  0 or VG_ENOMEM. */
int vg_creds_new(vg_creds_t **out);
/* vg_creds_parse: append the rows of text (len bytes, a copy is kept) to
 * c; name is used in error messages ("NAME:LINE: ...").  On a bad line
 * nothing of this text is added; returns VG_EFORMAT with the message in err.
 * 0, VG_EFORMAT or VG_ENOMEM. */
int vg_creds_parse(vg_creds_t *c, const char *name, const char *text, size_t len, char *err,
		   size_t errlen);
/* vg_creds_builtin: a new list with the compiled-in data/credentials.tsv. */
int vg_creds_builtin(vg_creds_t **out, char *err, size_t errlen);
/* vg_creds_add_file: append the rows of the file at path (max 16 MiB). */
int vg_creds_add_file(vg_creds_t *c, const char *path, char *err, size_t errlen);
/* vg_creds_load: vg_creds_new + vg_creds_add_file. */
int vg_creds_load(vg_creds_t **out, const char *path, char *err, size_t errlen);
void vg_creds_free(vg_creds_t *c);

/* Iteration: for (i = 0; i < vg_creds_count(c); i++) vg_creds_get(c, i). */
size_t vg_creds_count(const vg_creds_t *c);
const vg_cred_t *vg_creds_get(const vg_creds_t *c, size_t i);
/* vg_creds_version: the first "# version:" seen, or "unknown". */
const char *vg_creds_version(const vg_creds_t *c);

/* vg_cred_applies: true when the row is for proto (or "any"; proto NULL =
 * every row) and its pattern matches identity (case-insensitive; NULL or ""
 * identity matches only "*" rows). */
bool vg_cred_applies(const vg_cred_t *cr, const char *proto, const char *identity);

#endif
