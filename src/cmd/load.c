// SPDX-License-Identifier: Apache-2.0
/*
 * load.c — the command layer's "load these indicator files" step, shared
 * by `vigil feed` (check/lookup/compile) and `vigil watch`.
 *
 * Each file's first bytes decide whether it is a compiled snapshot
 * (vg_store_is_compiled) or a text feed.  Text feeds, of any mix of
 * formats, go through one builder (so one value listed by two feeds keeps
 * both metadata records) and are built once at the end.  A compiled file is
 * opened as is; combining it with other files would need a merge that the
 * store does not offer, so that is refused with a clear message.
 * Diagnostics: per-line ones go through vg_diag_print (first N shown, all
 * counted); file-level failures are always printed as "FILE: error: ...".
 * With --pubkey (o->pubkey) every file is first read into memory and its
 * FILE.minisig checked (vg_cmd_verify_buf, the same path as `vigil feed
 * verify`); only the verified bytes are then parsed, so a file swapped
 * between check and use is never loaded.
 * Not thread-safe (prints); owns nothing after returning except *out.
 */
#include "cmd/load.h"
#include "cmd/cmd.h"
#include "cmd/feed_sign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *vg_cmd_load_errmsg(int rc, int err, bool compiled, bool strict)
{
	static __thread char buf[256];
	switch (rc) {
	case VG_EIO:
		snprintf(buf, sizeof buf, "cannot read: %s", strerror(err ? err : EIO));
		if (buf[13] >= 'A' && buf[13] <= 'Z')
			buf[13] = (char)(buf[13] + 32);
		return buf;
	case VG_EEMPTY: return "file is empty";
	case VG_EBINARY: return "not a text feed (binary data) nor a compiled store";
	case VG_ENOMEM: return "out of memory";
	case VG_ECORRUPT:
		return "compiled store is truncated or corrupt (compile it again)";
	case VG_EVERSION:
		return "compiled store has an unsupported version (compile it again with this vigil)";
	case VG_EFORMAT:
		if (compiled)
			return "not a vigil compiled store";
		return strict ? "stopped at the first bad line (--strict)"
			      : "no indicator format recognised";
	case VG_ENOTSUP:
		return "mixing compiled stores with other files is not supported";
	case VG_CMD_EUNSIGNED:
		return "signature check failed (--pubkey)";
	default: return vg_strerror(rc);
	}
}

static void file_error(const char *path, const char *msg)
{
	vg_diag_counter_t c = {0}; /* "PATH: error: MSG", to the log target */
	vg_diag_print(&c, path, 0, VG_SEV_ERROR, msg);
}

/* sniff: true when the file starts like a compiled store; false also when it
 * cannot be read (the loader then reports why). */
static bool sniff(const char *path)
{
	char head[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t r = read(fd, head, sizeof head);
	close(fd);
	return r > 0 && vg_store_is_compiled(head, (size_t)r);
}

static void report_from_store(const vg_store_t *s, vg_load_report_t *rep)
{
	vg_store_stats_t st;
	vg_store_stats(s, &st);
	memset(rep, 0, sizeof *rep);
	rep->format = VG_FMT_COMPILED;
	for (int t = 0; t < VG_IND__COUNT; t++)
		rep->added[t] = st.count[t];
}

static int load_compiled(const char *path, const struct vg_cmd_load_opts *o, vg_store_t **out)
{
	errno = 0;
	int rc = vg_store_open(path, !o->no_verify, out);
	int e = errno;
	if (o->errnums)
		o->errnums[0] = rc == VG_EIO ? e : 0;
	if (rc) {
		file_error(path, vg_cmd_load_errmsg(rc, e, true, false));
		if (o->status)
			o->status[0] = rc;
		return VG_EXIT_ERROR;
	}
	if (o->reports)
		report_from_store(*out, &o->reports[0]);
	if (o->status)
		o->status[0] = 0;
	return VG_EXIT_OK;
}

static int load_all(char **files, int n, const struct vg_cmd_load_opts *o, char **bufs,
		    size_t *lens, vg_store_t **out)
{
	*out = NULL;
	int ncompiled = 0;
	const char *first_compiled = NULL;
	for (int i = 0; i < n; i++) {
		if (o->status)
			o->status[i] = 0;
		if (o->errnums)
			o->errnums[i] = 0;
		if (o->reports)
			memset(&o->reports[i], 0, sizeof o->reports[i]);
		if (bufs && !bufs[i])
			continue; /* not verified: not loaded */
		if (o->format == VG_FMT_COMPILED ||
		    (bufs ? vg_store_is_compiled(bufs[i], lens[i] < 16 ? lens[i] : 16)
			  : sniff(files[i]))) {
			if (!first_compiled)
				first_compiled = files[i];
			ncompiled++;
		}
	}
	if (ncompiled && n > 1) {
		for (int i = 0; o->status && i < n; i++)
			o->status[i] = VG_ENOTSUP;
		if (ncompiled == n)
			vg_err("several compiled stores given ('%s', ...): combining them is not "
			       "supported; compile all feeds into one store instead",
			       first_compiled);
		else
			vg_err("'%s' is a compiled store: mixing compiled stores and text feeds is not "
			       "supported; compile all feeds into one store instead",
			       first_compiled);
		return VG_EXIT_ERROR;
	}
	if (ncompiled && bufs) {
		for (int i = 0; i < n; i++) {
			if (!bufs[i])
				continue;
			int rc = vg_store_open_mem(bufs[i], lens[i], out);
			if (rc) {
				file_error(files[i], vg_cmd_load_errmsg(rc, 0, true, false));
				if (o->status)
					o->status[i] = rc;
				return VG_EXIT_ERROR;
			}
			if (o->reports)
				report_from_store(*out, &o->reports[i]);
			return VG_EXIT_OK;
		}
	}
	if (ncompiled)
		return load_compiled(files[0], o, out);

	vg_builder_opts_t bo = {.allow_reserved = o->allow_reserved};
	vg_builder_t *b = vg_builder_new(&bo);
	if (!b) {
		vg_err("out of memory");
		return VG_EXIT_ERROR;
	}
	vg_diag_counter_t dc = {.max_shown = o->max_shown ? o->max_shown : 20};
	vg_load_opts_t lo = {.format = o->format,
			     .strict = o->strict,
			     .categories = o->categories,
			     .diag = vg_diag_print,
			     .diag_ctx = &dc};
	int status = VG_EXIT_OK;
	for (int i = 0; i < n; i++) {
		vg_load_report_t rep;
		if (bufs && !bufs[i]) {
			status = VG_EXIT_ERROR;
			continue;
		}
		errno = 0;
		int rc = bufs ? vg_feed_load_mem(b, files[i], bufs[i], lens[i], &lo, &rep)
			      : vg_feed_load(b, files[i], &lo, &rep);
		int e = errno;
		if (o->reports)
			o->reports[i] = rep;
		if (o->status)
			o->status[i] = rc;
		if (o->errnums)
			o->errnums[i] = rc == VG_EIO ? e : 0;
		if (rc == VG_ENOMEM) {
			vg_err("out of memory loading '%s'", files[i]);
			vg_builder_free(b);
			return VG_EXIT_ERROR;
		}
		if (rc) {
			file_error(files[i], vg_cmd_load_errmsg(rc, e, false, o->strict));
			status = VG_EXIT_ERROR;
		} else if (rep.errors && status == VG_EXIT_OK) {
			status = VG_EXIT_FOUND;
		}
	}
	unsigned long total = dc.errors + dc.warnings;
	if (total > dc.shown)
		vg_err("%lu more diagnostics not shown (%lu errors, %lu warnings in all)",
		       total - dc.shown, dc.errors, dc.warnings);
	if (o->diag_errors)
		*o->diag_errors = dc.errors;
	if (o->diag_warnings)
		*o->diag_warnings = dc.warnings;
	int rc = vg_builder_build(b, out);
	vg_builder_free(b);
	if (rc) {
		vg_err("cannot build the indicator store: %s", vg_strerror(rc));
		*out = NULL;
		return VG_EXIT_ERROR;
	}
	return status;
}

int vg_cmd_load_store(char **files, int n, const struct vg_cmd_load_opts *o, vg_store_t **out)
{
	static const struct vg_cmd_load_opts defo;
	if (!o)
		o = &defo;
	*out = NULL;
	if (!o->pubkey)
		return load_all(files, n, o, NULL, NULL, out);

	vg_sign_pubkey_t pk;
	if (vg_cmd_pubkey_load(o->pubkey, &pk)) {
		for (int i = 0; o->status && i < n; i++)
			o->status[i] = VG_CMD_EUNSIGNED;
		return VG_EXIT_ERROR;
	}
	char **bufs = calloc(n > 0 ? (size_t)n : 1, sizeof *bufs);
	size_t *lens = calloc(n > 0 ? (size_t)n : 1, sizeof *lens);
	if (!bufs || !lens) {
		free(bufs);
		free(lens);
		vg_err("out of memory");
		return VG_EXIT_ERROR;
	}
	bool bad = false;
	for (int i = 0; i < n; i++) {
		errno = 0;
		int rc = vg_cmd_read_file(files[i], (size_t)1 << 34, &bufs[i], &lens[i]);
		if (rc) {
			file_error(files[i], vg_cmd_load_errmsg(rc, errno, false, false));
			bad = true;
			continue;
		}
		vg_sign_tc_t tc;
		if (vg_cmd_verify_buf(files[i], NULL, bufs[i], lens[i], &pk, &tc)) {
			free(bufs[i]);
			bufs[i] = NULL;
			bad = true;
		}
	}
	int rc = load_all(files, n, o, bufs, lens, out);
	for (int i = 0; i < n; i++) {
		if (!bufs[i] && o->status)
			o->status[i] = VG_CMD_EUNSIGNED;
		free(bufs[i]);
	}
	free(bufs);
	free(lens);
	return bad ? VG_EXIT_ERROR : rc;
}

int vg_cmd_load_format(const char *cmd, const char *arg, struct vg_cmd_load_opts *o)
{
	int f = vg_feed_fmt_parse(arg);
	if (f < 0) {
		vg_err("%s: unknown feed format '%s'", cmd, arg);
		return -1;
	}
	o->format = (vg_feed_fmt_t)f;
	return 0;
}
