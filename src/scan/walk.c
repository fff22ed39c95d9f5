// SPDX-License-Identifier: Apache-2.0
/*
 * walk.c — iterative tree walk for `vigil scan` (walker thread side of the
 * walker -> bounded queue -> hash workers pipeline).
 *
 * Each directory is read completely (names only, into one packed block),
 * closed, and pushed as a frame; so no directory descriptor stays open and
 * deep trees cost no file descriptors, only their names.  The stack is an
 * explicit array; depth is bounded by max_depth (counted as "depth") and by
 * PATH_MAX.  With follow, each frame keeps the directory's (dev, ino) and a
 * directory already on the stack is a loop (counted, not entered); ELOOP from
 * stat (a -> b -> a links) is counted as a loop too.  Without follow, links
 * are counted as "symlink" and never stat'ed through.  Special files are
 * counted and never opened.  Nothing here aborts the walk except a callback
 * or out of memory.  Single-threaded; no global state.
 */
#include "scan/walk.h"

#include "vigil/common.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

const char *vg_walk_skip_name(vg_walk_skip_t r)
{
	static const char *const n[VG_WSKIP__COUNT] = {"too_large", "special", "excluded",
		"symlink", "loop", "vanished", "unreadable", "depth"};
	return (unsigned)r < VG_WSKIP__COUNT ? n[r] : "?";
}

typedef struct frame {
	char *names;  /* packed NUL-terminated names */
	size_t len, pos;
	size_t plen;  /* length of the directory path */
	dev_t dev;
	ino_t ino;
} frame_t;

typedef struct walker {
	const vg_walk_opts_t *o;
	vg_walk_file_fn file;
	vg_walk_skip_fn skipfn;
	void *ctx;
	uint64_t *counts;
	frame_t *st;
	int nst, cap;
	char path[PATH_MAX];
	dev_t root_dev;
	int max_depth;
} walker_t;

static void skip(walker_t *w, vg_walk_skip_t why, int err)
{
	w->counts[why]++;
	if (w->skipfn)
		w->skipfn(w->ctx, w->path, why, err);
}

static bool excluded(const walker_t *w, const char *path)
{
	if (!w->o->no_default_excludes &&
	    (!strcmp(path, "/proc") || !strcmp(path, "/sys") || !strcmp(path, "/dev")))
		return true;
	const char *base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	for (int i = 0; i < w->o->nexcludes; i++) {
		const char *g = w->o->excludes[i];
		if (!fnmatch(g, path, 0))
			return true;
		if (!strchr(g, '/') && !fnmatch(g, base, 0))
			return true;
	}
	return false;
}

/* Read the directory at w->path into a new frame.  0, or VG_ENOMEM. */
static int push_dir(walker_t *w, const struct stat *st)
{
	size_t plen = strlen(w->path);
	if (w->nst >= w->max_depth) {
		skip(w, VG_WSKIP_DEPTH, 0);
		return 0;
	}
	if (w->o->follow)
		for (int i = 0; i < w->nst; i++)
			if (w->st[i].dev == st->st_dev && w->st[i].ino == st->st_ino) {
				skip(w, VG_WSKIP_LOOP, ELOOP);
				return 0;
			}
	DIR *d = opendir(w->path);
	if (!d) {
		int e = errno;
		skip(w, e == ENOENT ? VG_WSKIP_VANISHED
			: e == ENAMETOOLONG ? VG_WSKIP_DEPTH : VG_WSKIP_UNREADABLE, e);
		return 0;
	}
	char *names = NULL;
	size_t len = 0, cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		size_t n = strlen(de->d_name) + 1;
		if (len + n > cap) {
			size_t nc = cap ? cap * 2 : 4096;
			while (nc < len + n)
				nc *= 2;
			char *p = realloc(names, nc);
			if (!p) {
				rc = VG_ENOMEM;
				break;
			}
			names = p;
			cap = nc;
		}
		memcpy(names + len, de->d_name, n);
		len += n;
	}
	closedir(d);
	if (rc) {
		free(names);
		return rc;
	}
	if (w->nst == w->cap) {
		int nc = w->cap ? w->cap * 2 : 32;
		frame_t *p = realloc(w->st, (size_t)nc * sizeof *p);
		if (!p) {
			free(names);
			return VG_ENOMEM;
		}
		w->st = p;
		w->cap = nc;
	}
	w->st[w->nst++] = (frame_t){names, len, 0, plen, st->st_dev, st->st_ino};
	return 0;
}

/* Handle the entry named by w->path (root or child).  0 or an error/stop. */
static int visit(walker_t *w, bool is_root)
{
	struct stat st;
	if (!is_root && excluded(w, w->path)) {
		skip(w, VG_WSKIP_EXCLUDED, 0);
		return 0;
	}
	if (lstat(w->path, &st)) {
		int e = errno;
		skip(w, e == ENOENT ? VG_WSKIP_VANISHED
			: e == ENAMETOOLONG ? VG_WSKIP_DEPTH : VG_WSKIP_UNREADABLE, e);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		if (!is_root && !w->o->follow) {
			skip(w, VG_WSKIP_SYMLINK, 0);
			return 0;
		}
		if (stat(w->path, &st)) {
			int e = errno;
			skip(w, e == ELOOP ? VG_WSKIP_LOOP
				: e == ENOENT ? VG_WSKIP_VANISHED : VG_WSKIP_UNREADABLE, e);
			return 0;
		}
	}
	if (is_root)
		w->root_dev = st.st_dev;
	if (S_ISDIR(st.st_mode)) {
		if (!is_root && w->o->one_fs && st.st_dev != w->root_dev) {
			skip(w, VG_WSKIP_EXCLUDED, 0);
			return 0;
		}
		return push_dir(w, &st);
	}
	if (!S_ISREG(st.st_mode)) {
		skip(w, VG_WSKIP_SPECIAL, 0);
		return 0;
	}
	if (w->o->max_filesize && (uint64_t)st.st_size > w->o->max_filesize) {
		skip(w, VG_WSKIP_TOO_LARGE, 0);
		return 0;
	}
	return w->file(w->ctx, w->path, &st);
}

int vg_walk(const char *const *roots, int n, const vg_walk_opts_t *o, vg_walk_file_fn file,
	    vg_walk_skip_fn skipfn, void *ctx, uint64_t counts[VG_WSKIP__COUNT])
{
	walker_t w = {.o = o, .file = file, .skipfn = skipfn, .ctx = ctx, .counts = counts,
		      .max_depth = o->max_depth > 0 ? o->max_depth : 256};
	int rc = 0;
	for (int r = 0; r < n && !rc; r++) {
		size_t rl = strlen(roots[r]);
		if (rl >= sizeof w.path) {
			counts[VG_WSKIP_DEPTH]++;
			if (skipfn)
				skipfn(ctx, roots[r], VG_WSKIP_DEPTH, ENAMETOOLONG);
			continue;
		}
		memcpy(w.path, roots[r], rl + 1);
		while (rl > 1 && w.path[rl - 1] == '/')
			w.path[--rl] = '\0';
		rc = visit(&w, true);
		while (!rc && w.nst > 0) {
			frame_t *f = &w.st[w.nst - 1];
			if (f->pos >= f->len) {
				free(f->names);
				w.nst--;
				continue;
			}
			const char *name = f->names + f->pos;
			size_t nl = strlen(name);
			f->pos += nl + 1;
			size_t plen = f->plen;
			bool slash = plen > 0 && w.path[plen - 1] == '/';
			size_t need = plen + (slash ? 0 : 1) + nl;
			if (need >= sizeof w.path) {
				w.path[plen] = '\0';
				counts[VG_WSKIP_DEPTH]++;
				if (skipfn)
					skipfn(ctx, w.path, VG_WSKIP_DEPTH, ENAMETOOLONG);
				continue;
			}
			size_t at = plen;
			if (!slash)
				w.path[at++] = '/';
			memcpy(w.path + at, name, nl + 1);
			rc = visit(&w, false);
		}
		while (w.nst > 0)
			free(w.st[--w.nst].names);
	}
	free(w.st);
	return rc;
}
