// SPDX-License-Identifier: Apache-2.0
/*
 * fw_extract.c — turns the input of `vigil audit firmware` into a tree:
 * a directory is used as is; an image is searched for a squashfs
 * superblock ("hsqs"/"sqsh" with a plausible version and block size) and
 * extracted with unsquashfs -d TMP [-o OFFSET], else with `binwalk -e`
 * when it is installed; anything else is UNSUPPORTED, or ENCRYPTED when
 * the first MiB has near-maximal entropy — explicit states the driver
 * reports as fw.extract INCONCLUSIVE, never a silent pass.
 *
 * Extractors run with fork/execvp (no shell), stdin /dev/null, output to a
 * log file in our temporary directory, RLIMIT_FSIZE (max_out_file), their
 * own process group, and a wall-clock timeout after which the group is
 * killed.  The extracted tree is then made readable and writable for us
 * (files u+r, directories u+rwx) so the walk can read it and fw_close can
 * delete it; the user's own directories are never modified.
 * Also here: the confined resolver (symlinks never lead out of the root)
 * and the bounded walk (symlinks not followed, depth and count limits).
 */
#include "audit/fw_int.h"

#include <vigil/common.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double fw_entropy(const uint8_t *p, size_t n)
{
	if (!n)
		return 0;
	size_t c[256] = {0};
	for (size_t i = 0; i < n; i++)
		c[p[i]]++;
	double h = 0;
	for (int i = 0; i < 256; i++)
		if (c[i]) {
			double q = (double)c[i] / (double)n;
			h -= q * log2(q);
		}
	return h;
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

long long fw_squashfs_find(const uint8_t *p, size_t n)
{
	for (size_t off = 0; off + 96 <= n;) {
		const uint8_t *a = memmem(p + off, n - off, "hsqs", 4);
		const uint8_t *b = memmem(p + off, n - off, "sqsh", 4);
		const uint8_t *h = a && (!b || a < b) ? a : b;
		if (!h || (size_t)(h - p) + 96 > n)
			return -1;
		off = (size_t)(h - p);
		if (h == a) {
			uint32_t bs = le32(h + 12);
			unsigned major = h[28] | h[29] << 8;
			if (major == 4 && bs >= 4096 && bs <= (1u << 20) && !(bs & (bs - 1)))
				return (long long)off;
		} else {
			unsigned major = h[28] << 8 | h[29];
			if (major >= 1 && major <= 4)
				return (long long)off;
		}
		off++;
	}
	return -1;
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char buf[PATH_MAX];
	for (const char *s = path; *s;) {
		const char *c = strchr(s, ':');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		if (n && (size_t)snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, s, prog) < sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		if (!c)
			break;
		s = c + 1;
	}
	return false;
}

/* Run argv; returns the exit status, -1 on timeout or signal, -2 when it
 * could not start. */
static int run(char *const argv[], const vg_fw_opts_t *o, const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -2;
	if (pid == 0) {
		setpgid(0, 0);
		struct rlimit rl = {(rlim_t)o->max_out_file, (rlim_t)o->max_out_file};
		setrlimit(RLIMIT_FSIZE, &rl);
		struct rlimit core = {0, 0};
		setrlimit(RLIMIT_CORE, &core);
		int in = open("/dev/null", O_RDONLY);
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in >= 0)
			dup2(in, 0);
		if (out >= 0) {
			dup2(out, 1);
			dup2(out, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	struct timespec t0, now, nap = {0, 20 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			return WIFEXITED(st) ? (WEXITSTATUS(st) == 127 ? -2 : WEXITSTATUS(st)) : -1;
		if (w < 0 && errno != EINTR)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= o->timeout) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
}

static int fix_mode(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	if (type == FTW_D || type == FTW_DNR)
		chmod(p, (st->st_mode & 07777) | S_IRWXU);
	else if (type == FTW_F)
		chmod(p, (st->st_mode & 07777) | S_IRUSR);
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st, (void)f;
	if (type == FTW_DP || type == FTW_D || type == FTW_DNR)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

void fw_close(fw_input_t *in, const vg_fw_opts_t *o)
{
	if (!in->tmp[0] || o->keep)
		return;
	nftw(in->tmp, fix_mode, 32, FTW_PHYS);
	nftw(in->tmp, rm_one, 32, FTW_PHYS | FTW_DEPTH);
	in->tmp[0] = 0;
}

/* The shallowest directory under dir (depth <= 4) holding an "etc" or
 * "bin" directory: binwalk's squashfs-root, cpio-root, ... */
static bool find_rootfs(const char *dir, int depth, char *out, size_t outlen)
{
	char p[PATH_MAX];
	struct stat st;
	if ((size_t)snprintf(p, sizeof(p), "%s/etc", dir) < sizeof(p) && !lstat(p, &st) &&
	    S_ISDIR(st.st_mode)) {
		snprintf(out, outlen, "%s", dir);
		return true;
	}
	if (depth >= 4)
		return false;
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	bool ok = false;
	while (!ok && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) >= sizeof(p) ||
		    lstat(p, &st) || !S_ISDIR(st.st_mode))
			continue;
		ok = find_rootfs(p, depth + 1, out, outlen);
	}
	closedir(d);
	return ok;
}

int fw_open(const char *path, const vg_fw_opts_t *o, fw_input_t *in, char *err, size_t errlen)
{
	memset(in, 0, sizeof(*in));
	struct stat st;
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return VG_EIO;
	}
	if (S_ISDIR(st.st_mode)) {
		in->state = FW_DIR;
		snprintf(in->root, sizeof(in->root), "%s", path);
		snprintf(in->how, sizeof(in->how), "root file system directory");
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file or directory", path);
		return VG_EINVAL;
	}
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return VG_EIO;
	}
	size_t n = (size_t)st.st_size;
	const uint8_t *p = n ? mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (n && p == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return VG_EIO;
	}
	long long sq = fw_squashfs_find(p, n);
	double h = fw_entropy(p, n < (1u << 20) ? n : (1u << 20));
	if (n)
		munmap((void *)p, n);
	const char *td = o->tmpdir ? o->tmpdir : getenv("TMPDIR");
	if (!td || !*td)
		td = "/tmp";
	bool bw = sq < 0 && in_path("binwalk");
	if (sq < 0 && !bw) {
		if (n >= 4096 && h >= 7.9) {
			in->state = FW_ENCRYPTED;
			snprintf(in->how, sizeof(in->how),
				 "encrypted/unsupported: no known file-system magic and entropy "
				 "%.3f bits/byte (encrypted or compressed image)", h);
		} else {
			in->state = FW_UNSUPPORTED;
			snprintf(in->how, sizeof(in->how),
				 "encrypted/unsupported: no squashfs superblock found and binwalk "
				 "is not installed (entropy %.3f bits/byte)", h);
		}
		return 0;
	}
	if ((size_t)snprintf(in->tmp, sizeof(in->tmp), "%s/vigil-fw-XXXXXX", td) >= sizeof(in->tmp) ||
	    !mkdtemp(in->tmp)) {
		snprintf(err, errlen, "cannot create a temporary directory in %s: %s", td,
			 strerror(errno));
		in->tmp[0] = 0;
		return VG_EIO;
	}
	char log[PATH_MAX + 8], out[PATH_MAX], offs[32];
	snprintf(log, sizeof(log), "%s/log", in->tmp);
	int rc;
	if (sq >= 0) {
		if ((size_t)snprintf(out, sizeof(out), "%s/root", in->tmp) >= sizeof(out))
			out[0] = 0;
		snprintf(offs, sizeof(offs), "%lld", sq);
		char *argv[12];
		int k = 0;
		argv[k++] = "unsquashfs";
		argv[k++] = "-no-progress";
		argv[k++] = "-no-xattrs";
		argv[k++] = "-ignore-errors";
		if (sq > 0) {
			argv[k++] = "-o";
			argv[k++] = offs;
		}
		argv[k++] = "-d";
		argv[k++] = out;
		argv[k++] = (char *)path;
		argv[k] = NULL;
		rc = run(argv, o, log);
		struct stat rs;
		if ((rc == 0 || rc == 2) && !lstat(out, &rs) && S_ISDIR(rs.st_mode)) {
			in->state = FW_EXTRACTED;
			memcpy(in->root, out, strnlen(out, sizeof(in->root) - 1));
			snprintf(in->how, sizeof(in->how), "squashfs at offset %lld extracted with unsquashfs%s",
				 sq, rc == 2 ? " (some entries not created, e.g. device nodes)" : "");
		} else {
			in->state = FW_FAILED;
			snprintf(in->how, sizeof(in->how), "unsquashfs failed on the squashfs at offset %lld (%s)",
				 sq, rc == -1 ? "timeout or killed" : rc == -2 ? "unsquashfs not installed" : "error exit");
		}
	} else {
		if ((size_t)snprintf(out, sizeof(out), "%s/bw", in->tmp) >= sizeof(out))
			out[0] = 0;
		char *argv[] = {"binwalk", "-q", "-e", "-C", out, (char *)path, NULL};
		rc = run(argv, o, log);
		if (rc == 0 && find_rootfs(out, 0, in->root, sizeof(in->root))) {
			in->state = FW_EXTRACTED;
			snprintf(in->how, sizeof(in->how), "extracted with binwalk -e");
		} else {
			in->state = FW_FAILED;
			snprintf(in->how, sizeof(in->how),
				 "encrypted/unsupported: binwalk found no root file system (entropy %.3f bits/byte)", h);
		}
	}
	if (in->state == FW_EXTRACTED)
		nftw(in->root, fix_mode, 32, FTW_PHYS);
	return 0;
}

int fw_resolve(const char *root, const char *rel, char *out, size_t outlen)
{
	char cur[PATH_MAX] = "", rest[PATH_MAX], tmp[PATH_MAX * 2], link[PATH_MAX];
	if ((size_t)snprintf(rest, sizeof(rest), "%s", rel) >= sizeof(rest))
		return VG_ELIMIT;
	int hops = 0;
	char *r = rest;
	while (*r) {
		while (*r == '/')
			r++;
		if (!*r)
			break;
		char *sl = strchr(r, '/');
		size_t cl = sl ? (size_t)(sl - r) : strlen(r);
		char comp[NAME_MAX + 1];
		if (cl > NAME_MAX)
			return VG_ENOTFOUND;
		memcpy(comp, r, cl);
		comp[cl] = 0;
		r += cl;
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *ls = strrchr(cur, '/');
			if (ls)
				*ls = 0;
			else
				cur[0] = 0;
			continue;
		}
		char cand[PATH_MAX];
		if ((size_t)snprintf(cand, sizeof(cand), "%s%s%s", cur, *cur ? "/" : "", comp) >=
		    sizeof(cand))
			return VG_ELIMIT;
		struct stat st;
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%s", root, cand) >= sizeof(tmp) ||
		    lstat(tmp, &st))
			return VG_ENOTFOUND;
		if (S_ISLNK(st.st_mode)) {
			if (++hops > 40)
				return VG_ELIMIT;
			ssize_t ll = readlink(tmp, link, sizeof(link) - 1);
			if (ll <= 0)
				return VG_ENOTFOUND;
			link[ll] = 0;
			if (link[0] == '/')
				cur[0] = 0;
			if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%s", link, r) >= sizeof(rest))
				return VG_ELIMIT;
			memcpy(rest, tmp, strlen(tmp) + 1);
			r = rest;
			continue;
		}
		memcpy(cur, cand, strlen(cand) + 1);
	}
	if ((size_t)snprintf(out, outlen, "%s/%s", root, cur) >= outlen)
		return VG_ELIMIT;
	return 0;
}

void fw_files_release(fw_files_t *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->f[i].rel);
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}

static int walk(const char *root, const char *rel, unsigned depth, const vg_fw_opts_t *o,
		fw_files_t *fs)
{
	char p[PATH_MAX];
	if ((size_t)snprintf(p, sizeof(p), "%s%s%s", root, *rel ? "/" : "", rel) >= sizeof(p))
		return 0;
	DIR *d = opendir(p);
	if (!d) {
		fs->unreadable++;
		return 0;
	}
	struct dirent *e;
	int r = 0;
	while (!r && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char sub[PATH_MAX], full[PATH_MAX];
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name) >=
			    sizeof(sub) ||
		    (size_t)snprintf(full, sizeof(full), "%s/%s", root, sub) >= sizeof(full))
			continue;
		struct stat st;
		if (lstat(full, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth + 1 < o->max_depth && strcmp(sub, "proc") && strcmp(sub, "sys") &&
			    strcmp(sub, "dev"))
				r = walk(root, sub, depth + 1, o, fs);
		} else if (S_ISREG(st.st_mode)) {
			if (fs->n >= o->max_files) {
				fs->truncated = true;
				break;
			}
			if (fs->n == fs->cap) {
				size_t nc = fs->cap ? fs->cap * 2 : 256;
				fw_file_t *nf = realloc(fs->f, nc * sizeof(*nf));
				if (!nf) {
					r = VG_ENOMEM;
					break;
				}
				fs->f = nf;
				fs->cap = nc;
			}
			if (!(fs->f[fs->n].rel = strdup(sub))) {
				r = VG_ENOMEM;
				break;
			}
			fs->f[fs->n++].size = (uint64_t)st.st_size;
		}
	}
	closedir(d);
	return r;
}

static int cmp_rel(const void *a, const void *b)
{
	return strcmp(((const fw_file_t *)a)->rel, ((const fw_file_t *)b)->rel);
}

int fw_walk(const char *root, const vg_fw_opts_t *o, fw_files_t *out)
{
	memset(out, 0, sizeof(*out));
	int r = walk(root, "", 0, o, out);
	if (!r && out->n)
		qsort(out->f, out->n, sizeof(*out->f), cmp_rel);
	return r;
}
