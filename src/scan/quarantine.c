// SPDX-License-Identifier: Apache-2.0
/*
 * quarantine.c — the quarantine store (layout and entry format in
 * quarantine.h).  `vigil scan --quarantine DIR` moves each hit here; the
 * `vigil scan quarantine` subcommand lists, restores and deletes entries.
 *
 * Crash safety is by ordering (vg_quar_put): 1 copy the content, defanged,
 * to tmp/ID; 2 fsync it; 3 write and fsync index/ID.json with state
 * "copied"; 4 rename tmp/ID to files/ID; 5 fsync files/ and tmp/; 6 unlink
 * the original; 7 rewrite the entry as "done".  Until step 6 the original
 * is intact; from step 4 on the copy is in files/ (durable after 5), so a
 * kill anywhere leaves the original, the copy, or both.  vg_quar_open
 * finishes or rolls back what a kill left, without ever deleting a user's
 * file.  VIGIL_QUAR_CRASH_AT=N makes step N end in _exit(99) (tests).
 *
 * Defanging: header "VGQUAR01" + content XOR 0xA5, mode 0400; restore
 * undoes it and checks the SHA-256 recorded at copy time.
 * Index entries are JSON (jansson), one file each, replaced atomically.
 * Thread-safety: one mutex around put/restore/delete; list reads only.
 */
#include "scan/quarantine.h"

#include "lib/timefmt.h"

#include <jansson.h>
#include <openssl/evp.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "VGQUAR01"
#define MAGIC_LEN 8
#define XOR_KEY 0xA5
#define CHUNK (256 * 1024)

struct vg_quar {
	char *dir;
	int dfd, files_fd, index_fd, tmp_fd;
	int crash_at;
	pthread_mutex_t mu;
};

static void crash_point(const vg_quar_t *q, int step)
{
	if (q->crash_at == step)
		_exit(99);
}

static int err_io(void)
{
	return errno == ENOMEM ? VG_ENOMEM : VG_EIO;
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static bool valid_id(const char *id)
{
	if (!id || strlen(id) != 32)
		return false;
	for (int i = 0; i < 32; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return true;
}

/* ---- JSON helpers ------------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return VG_EIO;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* write_entry: index/ID.json replaced atomically and durably. */
static int write_entry(vg_quar_t *q, const char *id, json_t *e)
{
	char tmp[64], fin[64];
	snprintf(tmp, sizeof tmp, ".%s.tmp", id);
	snprintf(fin, sizeof fin, "%s.json", id);
	char *s = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		return VG_ENOMEM;
	int fd = openat(q->index_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int r = fd < 0 ? VG_EIO : 0;
	if (!r)
		r = write_all(fd, s, strlen(s));
	if (!r)
		r = write_all(fd, "\n", 1);
	if (!r && fsync(fd) != 0)
		r = VG_EIO;
	if (fd >= 0)
		close(fd);
	free(s);
	if (!r && renameat(q->index_fd, tmp, q->index_fd, fin) != 0)
		r = VG_EIO;
	if (!r && fsync(q->index_fd) != 0)
		r = VG_EIO;
	if (r) {
		int e2 = errno;
		unlinkat(q->index_fd, tmp, 0);
		errno = e2;
	}
	return r;
}

static json_t *read_entry(vg_quar_t *q, const char *id)
{
	char fin[64];
	snprintf(fin, sizeof fin, "%s.json", id);
	int fd = openat(q->index_fd, fin, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	json_error_t je;
	json_t *e = json_loadfd(fd, 0, &je);
	close(fd);
	if (e && !json_is_object(e)) {
		json_decref(e);
		return NULL;
	}
	return e;
}

static int64_t jint(json_t *e, const char *k)
{
	return json_integer_value(json_object_get(e, k));
}

static const char *jstr(json_t *e, const char *k)
{
	const char *s = json_string_value(json_object_get(e, k));
	return s ? s : "";
}

static int hexv(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* entry_path: the exact original path (malloc'd), from path_hex if present. */
static char *entry_path(json_t *e)
{
	const char *h = json_string_value(json_object_get(e, "path_hex"));
	if (!h)
		return strdup(jstr(e, "path"));
	size_t n = strlen(h) / 2;
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int a = hexv(h[2 * i]), b = hexv(h[2 * i + 1]);
		p[i] = (char)(a < 0 || b < 0 ? '?' : a * 16 + b);
	}
	p[n] = 0;
	return p;
}

/* utf8_lossy: s with invalid UTF-8 sequences replaced by U+FFFD (malloc'd);
 * *bad set when anything was replaced. */
static char *utf8_lossy(const char *s, bool *bad)
{
	size_t n = strlen(s);
	char *o = malloc(n * 3 + 1), *w = o;
	if (!o)
		return NULL;
	*bad = false;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t l = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		bool ok = l > 0 && i + l <= n;
		for (size_t k = 1; ok && k < l; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				ok = false;
		if (ok && l > 1) {
			/* no overlongs, surrogates or > U+10FFFF */
			unsigned cp = l == 2 ? c & 0x1f : l == 3 ? c & 0x0f : c & 0x07;
			for (size_t k = 1; k < l; k++)
				cp = (cp << 6) | (p[i + k] & 0x3f);
			if ((l == 2 && cp < 0x80) || (l == 3 && cp < 0x800) ||
			    (l == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
			    (cp >= 0xd800 && cp <= 0xdfff))
				ok = false;
		}
		if (!ok) {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			i++;
			*bad = true;
			continue;
		}
		memcpy(w, p + i, l);
		w += l;
		i += l;
	}
	*w = 0;
	return o;
}

/* ---- open and repair --------------------------------------------------------- */

static int mkdir_at(int dfd, const char *name)
{
	if (mkdirat(dfd, name, 0700) != 0 && errno != EEXIST)
		return -1;
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
}

static bool exists_at(int dfd, const char *name)
{
	struct stat st;
	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void rdiag(vg_diag_fn diag, void *ctx, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void rdiag(vg_diag_fn diag, void *ctx, const char *file, const char *fmt, ...)
{
	if (!diag)
		return;
	char m[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	diag(ctx, file, 0, VG_SEV_WARN, m);
}

/* repair one entry in state "copied" (see vg_quar_open_ex). */
static void repair(vg_quar_t *q, const char *id, json_t *e, vg_diag_fn diag, void *ctx)
{
	char ipath[600];
	snprintf(ipath, sizeof ipath, "%s/index/%s.json", q->dir, id);
	char *orig = entry_path(e);
	if (!orig)
		return;
	struct stat st;
	bool orig_there = lstat(orig, &st) == 0;
	char fin[64];
	snprintf(fin, sizeof fin, "%s.json", id);
	if (exists_at(q->files_fd, id)) {
		json_object_set_new(e, "state", json_string("done"));
		if (orig_there)
			json_object_set_new(e, "original_present", json_true());
		if (write_entry(q, id, e) == 0)
			{
			if (orig_there)
				rdiag(diag, ctx, ipath,
				      "interrupted quarantine completed; original %s left in place", orig);
			else
				rdiag(diag, ctx, ipath, "interrupted quarantine completed (%s)", orig);
		}
	} else if (exists_at(q->tmp_fd, id)) {
		if (orig_there) {
			unlinkat(q->tmp_fd, id, 0);
			unlinkat(q->index_fd, fin, 0);
			fsync(q->index_fd);
			rdiag(diag, ctx, ipath, "interrupted quarantine rolled back; original %s kept",
			      orig);
		} else if (renameat(q->tmp_fd, id, q->files_fd, id) == 0) {
			fsync(q->files_fd);
			json_object_set_new(e, "state", json_string("done"));
			write_entry(q, id, e);
			rdiag(diag, ctx, ipath, "interrupted quarantine completed (%s)", orig);
		}
	} else if (orig_there) {
		unlinkat(q->index_fd, fin, 0);
		fsync(q->index_fd);
		rdiag(diag, ctx, ipath, "entry without a copy removed; original %s kept", orig);
	} else {
		rdiag(diag, ctx, ipath, "entry without a copy and no original (%s)", orig);
	}
	free(orig);
}

static int scan_dir_names(int dfd, char ***out, size_t *n_out)
{
	int fd = dup(dfd);
	if (fd < 0)
		return VG_EIO;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return VG_EIO;
	}
	rewinddir(d);
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int r = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.'))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				r = VG_ENOMEM;
				break;
			}
			v = nv;
		}
		if (!(v[n] = strdup(de->d_name))) {
			r = VG_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	*out = v;
	*n_out = n;
	return r;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int vg_quar_open_ex(vg_quar_t **out, const char *dir, vg_diag_fn diag, void *ctx)
{
	if (!out || !dir)
		return VG_EINVAL;
	*out = NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return VG_EIO;
	vg_quar_t *q = calloc(1, sizeof *q);
	if (!q || !(q->dir = strdup(dir))) {
		free(q);
		return VG_ENOMEM;
	}
	q->dfd = q->files_fd = q->index_fd = q->tmp_fd = -1;
	pthread_mutex_init(&q->mu, NULL);
	const char *ca = getenv("VIGIL_QUAR_CRASH_AT");
	if (ca && ca[0] >= '1' && ca[0] <= '9' && !ca[1])
		q->crash_at = ca[0] - '0';
	q->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (q->dfd < 0)
		goto fail;
	struct stat st;
	if (fstat(q->dfd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 077))
		fchmod(q->dfd, 0700);
	if ((q->files_fd = mkdir_at(q->dfd, "files")) < 0 ||
	    (q->index_fd = mkdir_at(q->dfd, "index")) < 0 || (q->tmp_fd = mkdir_at(q->dfd, "tmp")) < 0)
		goto fail;
	fsync(q->dfd);

	/* repair: entries in state "copied", then stray tmp copies */
	char **v;
	size_t n;
	int r = scan_dir_names(q->index_fd, &v, &n);
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t l = strlen(v[i]);
		if (v[i][0] == '.' && l > 4 && !strcmp(v[i] + l - 4, ".tmp")) {
			unlinkat(q->index_fd, v[i], 0); /* a half-written rewrite */
			continue;
		}
		if (l != 37 || strcmp(v[i] + 32, ".json"))
			continue;
		v[i][32] = 0;
		json_t *e = read_entry(q, v[i]);
		if (e && !strcmp(jstr(e, "state"), "copied"))
			repair(q, v[i], e, diag, ctx);
		json_decref(e);
	}
	free_names(v, n);
	if (r)
		goto fail_r;
	r = scan_dir_names(q->tmp_fd, &v, &n);
	for (size_t i = 0; r == 0 && i < n; i++) {
		char fin[300];
		snprintf(fin, sizeof fin, "%s.json", v[i]);
		if (!exists_at(q->index_fd, fin)) {
			char tp[600];
			snprintf(tp, sizeof tp, "%s/tmp/%s", dir, v[i]);
			unlinkat(q->tmp_fd, v[i], 0);
			rdiag(diag, ctx, tp, "unrecorded partial copy %s removed (original untouched)",
			      v[i]);
		}
	}
	free_names(v, n);
	if (r)
		goto fail_r;
	*out = q;
	return 0;
fail:
	r = err_io();
fail_r:;
	int e = errno;
	vg_quar_free(q);
	errno = e;
	return r;
}

int vg_quar_open(vg_quar_t **out, const char *dir)
{
	return vg_quar_open_ex(out, dir, NULL, NULL);
}

void vg_quar_free(vg_quar_t *q)
{
	if (!q)
		return;
	int fds[] = {q->dfd, q->files_fd, q->index_fd, q->tmp_fd};
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	pthread_mutex_destroy(&q->mu);
	free(q->dir);
	free(q);
}

/* ---- put --------------------------------------------------------------------- */

static void hex(const uint8_t *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = 0;
}

/* copy_defanged: content of in (from offset 0) to out as MAGIC + XOR;
 * *size and sha256 (hex) of the original content. */
static int copy_defanged(int in, int out, uint64_t *size, char sha_hex[65])
{
	uint8_t *buf = malloc(CHUNK);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int r = buf && md ? 0 : VG_ENOMEM;
	if (!r && EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		r = VG_ENOMEM;
	if (!r)
		r = write_all(out, MAGIC, MAGIC_LEN);
	off_t off = 0;
	while (!r) {
		ssize_t k = pread(in, buf, CHUNK, off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			r = VG_EIO;
			break;
		}
		if (k == 0)
			break;
		EVP_DigestUpdate(md, buf, (size_t)k);
		for (ssize_t i = 0; i < k; i++)
			buf[i] ^= XOR_KEY;
		r = write_all(out, buf, (size_t)k);
		off += k;
	}
	if (!r) {
		uint8_t d[32];
		unsigned dl = 0;
		EVP_DigestFinal_ex(md, d, &dl);
		hex(d, 32, sha_hex);
		*size = (uint64_t)off;
	}
	EVP_MD_CTX_free(md);
	free(buf);
	return r;
}

static int put_locked(vg_quar_t *q, const char *path, int fd, const struct stat *st_in,
		      json_t *info, char id[33])
{
	int own = -1;
	if (fd < 0) {
		fd = own = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return err_io();
	}
	struct stat st;
	int r = 0;
	if (st_in)
		st = *st_in;
	else if (fstat(fd, &st) != 0)
		r = VG_EIO;
	if (!r && !S_ISREG(st.st_mode))
		r = VG_EINVAL;
	uint8_t rnd[16];
	if (!r && getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		r = VG_EIO;
	int out = -1;
	uint64_t size = 0;
	char sha[65];
	if (!r) {
		hex(rnd, 16, id);
		out = openat(q->tmp_fd, id, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
		if (out < 0)
			r = VG_EIO;
	}
	if (!r)
		r = copy_defanged(fd, out, &size, sha);
	crash_point(q, 1);
	if (!r && fsync(out) != 0)
		r = VG_EIO;
	if (out >= 0)
		close(out);
	if (own >= 0)
		close(own);
	if (r) {
		int e = errno;
		if (out >= 0)
			unlinkat(q->tmp_fd, id, 0);
		errno = e;
		return r;
	}
	crash_point(q, 2);

	/* the index entry */
	/* the index records an absolute path, so restore works from any cwd */
	char *abs = NULL;
	if (path[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		size_t al = (cwd ? strlen(cwd) : 0) + strlen(path) + 2;
		abs = cwd ? malloc(al) : NULL;
		if (abs)
			snprintf(abs, al, "%s/%s", cwd, path);
		free(cwd);
	}
	const char *rec = abs ? abs : path;
	json_t *e = json_object();
	bool badutf = false;
	char *lossy = utf8_lossy(rec, &badutf);
	if (!e || !lossy) {
		json_decref(e);
		free(lossy);
		free(abs);
		unlinkat(q->tmp_fd, id, 0);
		return VG_ENOMEM;
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char iso[64];
	vg_time_iso(now.tv_sec, iso, sizeof iso);
	json_object_set_new(e, "id", json_string(id));
	json_object_set_new(e, "state", json_string("copied"));
	json_object_set_new(e, "path", json_string(lossy));
	free(lossy);
	if (badutf) {
		size_t pl = strlen(rec);
		char *ph = malloc(pl * 2 + 1);
		if (ph) {
			hex((const uint8_t *)rec, pl, ph);
			json_object_set_new(e, "path_hex", json_string(ph));
			free(ph);
		}
	}
	free(abs);
	json_object_set_new(e, "mode", json_integer(st.st_mode & 07777));
	json_object_set_new(e, "uid", json_integer(st.st_uid));
	json_object_set_new(e, "gid", json_integer(st.st_gid));
	json_object_set_new(e, "size", json_integer((json_int_t)size));
	json_object_set_new(e, "dev", json_integer((json_int_t)st.st_dev));
	json_object_set_new(e, "ino", json_integer((json_int_t)st.st_ino));
	json_object_set_new(e, "atime_ns", json_integer(ts_ns(&st.st_atim)));
	json_object_set_new(e, "mtime_ns", json_integer(ts_ns(&st.st_mtim)));
	json_object_set_new(e, "quarantined", json_string(iso));
	json_object_set_new(e, "quarantined_ns", json_integer(ts_ns(&now)));
	json_object_set_new(e, "sha256", json_string(sha));
	json_object_set_new(e, "defang", json_string("xor-a5-v1"));
	json_object_set(e, "info", info);
	r = write_entry(q, id, e);
	if (r) {
		int er = errno;
		unlinkat(q->tmp_fd, id, 0);
		json_decref(e);
		errno = er;
		return r;
	}
	crash_point(q, 3);
	if (renameat(q->tmp_fd, id, q->files_fd, id) != 0) {
		/* stays "copied" with the copy in tmp/: open rolls it back */
		json_decref(e);
		return VG_EIO;
	}
	crash_point(q, 4);
	if (fsync(q->files_fd) != 0 || fsync(q->tmp_fd) != 0) {
		json_decref(e);
		return VG_EIO;
	}
	crash_point(q, 5);
	/* unlink only the file we copied (same inode) */
	struct stat now_st;
	bool same = lstat(path, &now_st) == 0 && now_st.st_dev == st.st_dev &&
		    now_st.st_ino == st.st_ino;
	int ur = same ? unlink(path) : -1;
	int ue = errno;
	crash_point(q, 6);
	if (ur != 0)
		json_object_set_new(e, "original_present", json_true());
	json_object_set_new(e, "state", json_string("done"));
	r = write_entry(q, id, e);
	json_decref(e);
	crash_point(q, 7);
	if (!r && ur != 0 && same) {
		errno = ue;
		r = VG_EIO; /* copied, but the original could not be removed */
	}
	return r;
}

int vg_quar_put(vg_quar_t *q, const char *path, int fd, const struct stat *st,
		const char *info_json, char id_out[33])
{
	if (!q || !path || !id_out)
		return VG_EINVAL;
	id_out[0] = 0;
	json_error_t je;
	json_t *info = json_loads(info_json ? info_json : "{}", 0, &je);
	if (!info || !json_is_object(info)) {
		json_decref(info);
		return VG_EINVAL;
	}
	pthread_mutex_lock(&q->mu);
	int r = put_locked(q, path, fd, st, info, id_out);
	pthread_mutex_unlock(&q->mu);
	json_decref(info);
	return r;
}

/* ---- list ---------------------------------------------------------------------- */

typedef struct ent {
	json_t *e;
	int64_t t;
} ent_t;

static int cmp_ent(const void *a, const void *b)
{
	const ent_t *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(jstr(x->e, "id"), jstr(y->e, "id"));
}

int vg_quar_foreach(vg_quar_t *q, int (*fn)(void *ctx, const vg_quar_entry_t *e), void *ctx,
		    unsigned *bad)
{
	if (bad)
		*bad = 0;
	char **v;
	size_t n;
	int r = scan_dir_names(q->index_fd, &v, &n);
	ent_t *es = calloc(n ? n : 1, sizeof *es);
	size_t ne = 0;
	if (!es)
		r = VG_ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t l = strlen(v[i]);
		if (l != 37 || strcmp(v[i] + 32, ".json"))
			continue;
		v[i][32] = 0;
		json_t *e = valid_id(v[i]) ? read_entry(q, v[i]) : NULL;
		if (!e) {
			if (bad)
				(*bad)++;
			continue;
		}
		es[ne].e = e;
		es[ne++].t = jint(e, "quarantined_ns");
	}
	free_names(v, n);
	if (ne)
		qsort(es, ne, sizeof *es, cmp_ent);
	for (size_t i = 0; r == 0 && i < ne; i++) {
		char *js = json_dumps(es[i].e, JSON_COMPACT | JSON_SORT_KEYS);
		char *p = entry_path(es[i].e);
		if (!js || !p) {
			r = VG_ENOMEM;
		} else {
			vg_quar_entry_t qe = {.id = jstr(es[i].e, "id"),
					      .state = jstr(es[i].e, "state"),
					      .path = p,
					      .json = js,
					      .size = (uint64_t)jint(es[i].e, "size"),
					      .quarantined_ns = es[i].t,
					      .mode = (unsigned)jint(es[i].e, "mode")};
			r = fn(ctx, &qe);
		}
		free(js);
		free(p);
	}
	for (size_t i = 0; i < ne; i++)
		json_decref(es[i].e);
	free(es);
	return r;
}

/* ---- restore and delete ---------------------------------------------------- */

static int remove_entry(vg_quar_t *q, const char *id)
{
	char fin[64];
	snprintf(fin, sizeof fin, "%s.json", id);
	if (unlinkat(q->files_fd, id, 0) != 0 && errno != ENOENT)
		return VG_EIO;
	fsync(q->files_fd);
	if (unlinkat(q->index_fd, fin, 0) != 0 && errno != ENOENT)
		return VG_EIO;
	fsync(q->index_fd);
	return 0;
}

/* decode files/ID into out (from offset 0); checks magic, size, sha256. */
static int decode_copy(vg_quar_t *q, const char *id, int out, json_t *e)
{
	int in = openat(q->files_fd, id, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return errno == ENOENT ? VG_ECORRUPT : VG_EIO;
	uint8_t *buf = malloc(CHUNK);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int r = buf && md ? 0 : VG_ENOMEM;
	if (!r && EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		r = VG_ENOMEM;
	char m[MAGIC_LEN];
	if (!r && (read(in, m, MAGIC_LEN) != MAGIC_LEN || memcmp(m, MAGIC, MAGIC_LEN)))
		r = VG_ECORRUPT;
	uint64_t total = 0;
	while (!r) {
		ssize_t k = read(in, buf, CHUNK);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			r = VG_EIO;
			break;
		}
		if (k == 0)
			break;
		for (ssize_t i = 0; i < k; i++)
			buf[i] ^= XOR_KEY;
		EVP_DigestUpdate(md, buf, (size_t)k);
		r = write_all(out, buf, (size_t)k);
		total += (uint64_t)k;
	}
	if (!r) {
		uint8_t d[32];
		unsigned dl;
		char hx[65];
		EVP_DigestFinal_ex(md, d, &dl);
		hex(d, 32, hx);
		if (total != (uint64_t)jint(e, "size") || strcmp(hx, jstr(e, "sha256")))
			r = VG_ECORRUPT;
	}
	EVP_MD_CTX_free(md);
	free(buf);
	close(in);
	return r;
}

static int restore_locked(vg_quar_t *q, const char *id, bool force)
{
	json_t *e = read_entry(q, id);
	if (!e)
		return VG_ENOTFOUND;
	char *dst = entry_path(e);
	if (!dst) {
		json_decref(e);
		return VG_ENOMEM;
	}
	int r = 0;
	struct stat st;
	if (!force && lstat(dst, &st) == 0) {
		errno = EEXIST;
		r = VG_EIO;
	}
	/* temporary file beside the destination */
	char *slash = strrchr(dst, '/');
	size_t dl = slash ? (size_t)(slash - dst) : 0;
	size_t tl = dl + 64;
	char *tmp = malloc(tl);
	char *dirp = malloc(dl + 2);
	if (!tmp || !dirp)
		r = r ? r : VG_ENOMEM;
	int fd = -1;
	if (!r) {
		if (slash) {
			memcpy(dirp, dst, dl);
			dirp[dl] = 0;
			snprintf(tmp, tl, "%s/.vigil-restore-%.16s", dirp, id);
			if (!dl)
				strcpy(dirp, "/");
		} else {
			strcpy(dirp, ".");
			snprintf(tmp, tl, ".vigil-restore-%.16s", id);
		}
		unlink(tmp);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			r = VG_EIO;
	}
	if (!r)
		r = decode_copy(q, id, fd, e);
	if (!r) {
		if (geteuid() == 0)
			(void)!fchown(fd, (uid_t)jint(e, "uid"), (gid_t)jint(e, "gid"));
		if (fchmod(fd, (mode_t)jint(e, "mode")) != 0 || fsync(fd) != 0)
			r = VG_EIO;
	}
	if (!r) {
		int64_t a = jint(e, "atime_ns"), m = jint(e, "mtime_ns");
		struct timespec ts[2] = {{a / 1000000000, a % 1000000000},
					 {m / 1000000000, m % 1000000000}};
		if (futimens(fd, ts) != 0)
			r = VG_EIO;
	}
	if (fd >= 0)
		close(fd);
	if (!r) {
		if (force)
			r = rename(tmp, dst) == 0 ? 0 : VG_EIO;
		else if (link(tmp, dst) != 0)
			r = VG_EIO; /* EEXIST if it appeared meanwhile */
		else
			unlink(tmp);
	}
	if (r && fd >= 0) {
		int er = errno;
		unlink(tmp);
		errno = er;
	}
	if (!r) {
		int dfd = open(dirp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		r = remove_entry(q, id);
	}
	free(tmp);
	free(dirp);
	free(dst);
	json_decref(e);
	return r;
}

int vg_quar_restore(vg_quar_t *q, const char *id, bool force)
{
	if (!q || !valid_id(id))
		return VG_ENOTFOUND;
	pthread_mutex_lock(&q->mu);
	int r = restore_locked(q, id, force);
	pthread_mutex_unlock(&q->mu);
	return r;
}

int vg_quar_delete(vg_quar_t *q, const char *id)
{
	if (!q || !valid_id(id))
		return VG_ENOTFOUND;
	char fin[64];
	snprintf(fin, sizeof fin, "%s.json", id);
	pthread_mutex_lock(&q->mu);
	int r = exists_at(q->index_fd, fin) ? remove_entry(q, id) : VG_ENOTFOUND;
	pthread_mutex_unlock(&q->mu);
	return r;
}
