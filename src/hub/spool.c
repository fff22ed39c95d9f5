// SPDX-License-Identifier: Apache-2.0
/*
 * spool.c — the sensor's bounded on-disk queue of unacknowledged sighting
 * batches (hub/spool.h).
 *
 * Layout: DIR/<seq:016>-<batch_id>.json, DIR/rejected/, and transient
 * DIR/.tmp-<seq> files (removed at open: a crash mid-write leaves at most
 * one, never a half batch under a real name).  The in-memory index is a
 * FIFO of (name, size[, data]) in seq order; the head is the batch being
 * sent.  Durability: data fsync before rename, directory fsync after
 * rename / unlink, so an acknowledged delete or a spooled batch survives a
 * power cut.  Single owner (the sender thread); reports through the log
 * callback, never prints.
 */
#include "hub/spool.h"
#include "vigil/common.h"

#include <jansson.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_MAX_LEN 64  /* 16 + 1 + 36 + 5 = 58 */
#define SEQ_DIGITS 16

typedef struct item {
	char name[NAME_MAX_LEN];
	char id[37];
	uint64_t size;
	char *data;   /* in-memory spool only */
} item_t;

struct vg_hub_spool {
	char *dir;          /* NULL: memory */
	int dfd;
	uint64_t max, bytes;
	item_t *q;
	size_t head, n, cap; /* ring */
	uint64_t next_seq;
	uint64_t dropped, corrupt;
	vg_hub_log_fn log;
	void *log_ctx;
};

__attribute__((format(printf, 3, 4))) static void logf_(const vg_hub_spool_t *s, int lvl,
							 const char *fmt, ...)
{
	if (!s->log)
		return;
	char m[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	s->log(s->log_ctx, lvl, m);
}

static bool id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

/* "0000000000000007-<uuid>.json" -> seq, id */
static bool parse_name(const char *nm, uint64_t *seq, char id[37])
{
	size_t n = strlen(nm);
	if (n != SEQ_DIGITS + 1 + 36 + 5 || nm[SEQ_DIGITS] != '-' || strcmp(nm + n - 5, ".json"))
		return false;
	uint64_t v = 0;
	for (int i = 0; i < SEQ_DIGITS; i++) {
		if (nm[i] < '0' || nm[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(nm[i] - '0');
	}
	memcpy(id, nm + SEQ_DIGITS + 1, 36);
	id[36] = 0;
	if (!id_ok(id))
		return false;
	*seq = v;
	return true;
}

static item_t *at(const vg_hub_spool_t *s, size_t i) { return &s->q[(s->head + i) % s->cap]; }

static int push(vg_hub_spool_t *s, const item_t *it)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		item_t *nq = malloc(nc * sizeof *nq);
		if (!nq)
			return VG_ENOMEM;
		for (size_t i = 0; i < s->n; i++)
			nq[i] = *at(s, i);
		free(s->q);
		s->q = nq;
		s->cap = nc;
		s->head = 0;
	}
	*at(s, s->n) = *it;
	s->n++;
	s->bytes += it->size;
	return 0;
}

static void pop(vg_hub_spool_t *s)
{
	item_t *it = at(s, 0);
	s->bytes -= it->size;
	free(it->data);
	it->data = NULL;
	s->head = (s->head + 1) % s->cap;
	s->n--;
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const item_t *)a)->name, ((const item_t *)b)->name);
}

static char *read_all(int dfd, const char *name, size_t *len)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *p = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (off_t)1 << 30) {
		size_t n = (size_t)st.st_size, got = 0;
		p = malloc(n + 1);
		while (p && got < n) {
			ssize_t k = read(fd, p + got, n - got);
			if (k <= 0) {
				if (k < 0 && errno == EINTR)
					continue;
				free(p);
				p = NULL;
				break;
			}
			got += (size_t)k;
		}
		if (p) {
			p[n] = 0;
			*len = n;
		}
	}
	close(fd);
	return p;
}

/* a batch is a JSON object whose batch_id is the id in its name */
static bool batch_ok(const char *data, size_t len, const char *id, char *why, size_t wn)
{
	json_error_t je;
	json_t *j = json_loadb(data, len, 0, &je);
	if (!j) {
		snprintf(why, wn, "not JSON (line %d: %s)", je.line, je.text);
		return false;
	}
	const char *bid = json_string_value(json_object_get(j, "batch_id"));
	bool ok = json_is_object(j) && bid && !strcmp(bid, id) &&
		  json_is_array(json_object_get(j, "sightings"));
	if (!ok)
		snprintf(why, wn, "not a sightings batch with batch_id %s", id);
	json_decref(j);
	return ok;
}

static void set_aside(vg_hub_spool_t *s, const char *name, const char *why)
{
	char dst[NAME_MAX_LEN + 16];
	snprintf(dst, sizeof dst, "rejected/%s", name);
	if (renameat(s->dfd, name, s->dfd, dst) != 0)
		unlinkat(s->dfd, name, 0);
	fsync(s->dfd);
	s->corrupt++;
	logf_(s, VG_HUB_LOG_WARN, "hub spool: %s/%s skipped: %s (moved to %s/rejected/)", s->dir,
	      name, why, s->dir);
}

static int scan_dir(vg_hub_spool_t *s)
{
	DIR *d = fdopendir(dup(s->dfd));
	if (!d)
		return VG_EIO;
	item_t *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *nm = de->d_name;
		if (!strncmp(nm, ".tmp-", 5)) {
			unlinkat(s->dfd, nm, 0);
			continue;
		}
		if (nm[0] == '.' || !strcmp(nm, "rejected"))
			continue;
		item_t it;
		memset(&it, 0, sizeof it);
		uint64_t seq;
		if (strlen(nm) >= NAME_MAX_LEN || !parse_name(nm, &seq, it.id)) {
			logf_(s, VG_HUB_LOG_WARN, "hub spool: %s/%s ignored: not a spool file name", s->dir,
			      nm);
			continue;
		}
		memcpy(it.name, nm, strlen(nm) + 1); /* < NAME_MAX_LEN, checked above */
		if (seq >= s->next_seq)
			s->next_seq = seq + 1;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			item_t *nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				rc = VG_ENOMEM;
				break;
			}
			v = nv;
		}
		v[n++] = it;
	}
	closedir(d);
	if (!rc && n)
		qsort(v, n, sizeof *v, cmp_item);
	for (size_t i = 0; !rc && i < n; i++) {
		size_t len = 0;
		char why[256];
		char *data = read_all(s->dfd, v[i].name, &len);
		if (!data) {
			set_aside(s, v[i].name, "cannot be read");
			continue;
		}
		bool ok = batch_ok(data, len, v[i].id, why, sizeof why);
		free(data);
		if (!ok) {
			set_aside(s, v[i].name, why);
			continue;
		}
		v[i].size = len;
		rc = push(s, &v[i]);
	}
	free(v);
	return rc;
}

int vg_hub_spool_open(vg_hub_spool_t **out, const char *dir, uint64_t max_bytes,
		      vg_hub_log_fn log, void *log_ctx)
{
	*out = NULL;
	vg_hub_spool_t *s = calloc(1, sizeof *s);
	if (!s)
		return VG_ENOMEM;
	s->dfd = -1;
	s->max = max_bytes ? max_bytes : (uint64_t)64 << 20;
	s->log = log;
	s->log_ctx = log_ctx;
	s->next_seq = 1;
	if (!dir) {
		*out = s;
		return 0;
	}
	if (!(s->dir = strdup(dir))) {
		free(s);
		return VG_ENOMEM;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		goto io;
	if ((s->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto io;
	if (mkdirat(s->dfd, "rejected", 0700) != 0 && errno != EEXIST)
		goto io;
	int rc = scan_dir(s);
	if (rc) {
		vg_hub_spool_close(s);
		return rc;
	}
	*out = s;
	return 0;
io:;
	int e = errno;
	logf_(s, VG_HUB_LOG_ERR, "hub spool: cannot use directory '%s': %s", dir, strerror(e));
	vg_hub_spool_close(s);
	errno = e;
	return VG_EIO;
}

void vg_hub_spool_close(vg_hub_spool_t *s)
{
	if (!s)
		return;
	while (s->n)
		pop(s);
	free(s->q);
	if (s->dfd >= 0)
		close(s->dfd);
	free(s->dir);
	free(s);
}

static int write_file(vg_hub_spool_t *s, const char *name, const char *json, size_t len)
{
	char tmp[40];
	snprintf(tmp, sizeof tmp, ".tmp-%016llu", (unsigned long long)s->next_seq);
	int fd = openat(s->dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		goto fail;
	size_t off = 0;
	while (off < len) {
		ssize_t k = write(fd, json + off, len - off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			goto fail_unlink;
		}
		off += (size_t)k;
	}
	if (fsync(fd) != 0) {
		close(fd);
		goto fail_unlink;
	}
	close(fd);
	if (renameat(s->dfd, tmp, s->dfd, name) != 0)
		goto fail_unlink;
	fsync(s->dfd);
	return 0;
fail_unlink:;
	int e = errno;
	unlinkat(s->dfd, tmp, 0);
	errno = e;
fail:
	logf_(s, VG_HUB_LOG_ERR, "hub spool: cannot write %s/%s: %s", s->dir, name, strerror(errno));
	return VG_EIO;
}

static void drop_oldest(vg_hub_spool_t *s)
{
	item_t *it = at(s, 0);
	if (s->dir) {
		unlinkat(s->dfd, it->name, 0);
		fsync(s->dfd);
	}
	s->dropped++;
	logf_(s, VG_HUB_LOG_WARN,
	      "hub spool: full (%llu bytes): oldest unacknowledged batch %s dropped (%llu so far)",
	      (unsigned long long)s->max, it->id, (unsigned long long)s->dropped);
	pop(s);
}

int vg_hub_spool_put(vg_hub_spool_t *s, const char *batch_id, const char *json, size_t len)
{
	if (!id_ok(batch_id))
		return VG_EINVAL;
	if (len > s->max) {
		logf_(s, VG_HUB_LOG_WARN, "hub spool: batch %s of %zu bytes exceeds the spool bound (%llu): dropped",
		      batch_id, len, (unsigned long long)s->max);
		s->dropped++;
		return VG_ELIMIT;
	}
	while (s->n && s->bytes + len > s->max)
		drop_oldest(s);
	item_t it;
	memset(&it, 0, sizeof it);
	snprintf(it.name, sizeof it.name, "%016llu-%s.json", (unsigned long long)s->next_seq, batch_id);
	memcpy(it.id, batch_id, 37);
	it.size = len;
	if (s->dir) {
		int rc = write_file(s, it.name, json, len);
		if (rc)
			return rc;
	} else {
		if (!(it.data = malloc(len + 1)))
			return VG_ENOMEM;
		memcpy(it.data, json, len);
		it.data[len] = 0;
	}
	s->next_seq++;
	int rc = push(s, &it);
	if (rc) {
		free(it.data);
		if (s->dir)
			unlinkat(s->dfd, it.name, 0);
	}
	return rc;
}

int vg_hub_spool_peek(vg_hub_spool_t *s, char **json, size_t *len, const char **batch_id)
{
	while (s->n) {
		item_t *it = at(s, 0);
		if (!s->dir) {
			if (!(*json = malloc(it->size + 1)))
				return VG_ENOMEM;
			memcpy(*json, it->data, it->size + 1);
			*len = it->size;
			*batch_id = it->id;
			return 0;
		}
		char why[256];
		size_t n = 0;
		char *d = read_all(s->dfd, it->name, &n);
		if (d && batch_ok(d, n, it->id, why, sizeof why)) {
			*json = d;
			*len = n;
			*batch_id = it->id;
			return 0;
		}
		free(d);
		if (!d)
			snprintf(why, sizeof why, "cannot be read: %s", strerror(errno));
		set_aside(s, it->name, why);
		pop(s);
	}
	return VG_ENOTFOUND;
}

int vg_hub_spool_ack(vg_hub_spool_t *s)
{
	if (!s->n)
		return VG_ENOTFOUND;
	if (s->dir) {
		if (unlinkat(s->dfd, at(s, 0)->name, 0) != 0 && errno != ENOENT) {
			logf_(s, VG_HUB_LOG_ERR, "hub spool: cannot delete %s/%s: %s", s->dir,
			      at(s, 0)->name, strerror(errno));
			pop(s);
			return VG_EIO;
		}
		fsync(s->dfd);
	}
	pop(s);
	return 0;
}

int vg_hub_spool_reject(vg_hub_spool_t *s, const char *reason)
{
	if (!s->n)
		return VG_ENOTFOUND;
	item_t *it = at(s, 0);
	if (s->dir) {
		char dst[NAME_MAX_LEN + 16];
		snprintf(dst, sizeof dst, "rejected/%s", it->name);
		if (renameat(s->dfd, it->name, s->dfd, dst) != 0)
			logf_(s, VG_HUB_LOG_ERR, "hub spool: cannot move %s/%s to rejected/: %s", s->dir,
			      it->name, strerror(errno));
		fsync(s->dfd);
		logf_(s, VG_HUB_LOG_ERR, "hub: batch %s rejected: %s (kept as %s/rejected/%s)", it->id,
		      reason, s->dir, it->name);
	} else {
		logf_(s, VG_HUB_LOG_ERR, "hub: batch %s rejected: %s (dropped)", it->id, reason);
	}
	pop(s);
	return 0;
}

size_t vg_hub_spool_count(const vg_hub_spool_t *s) { return s->n; }
uint64_t vg_hub_spool_bytes(const vg_hub_spool_t *s) { return s->bytes; }
uint64_t vg_hub_spool_dropped(const vg_hub_spool_t *s) { return s->dropped; }
uint64_t vg_hub_spool_corrupt(const vg_hub_spool_t *s) { return s->corrupt; }

const char *vg_hub_spool_name(const vg_hub_spool_t *s, size_t i)
{
	return i < s->n ? at(s, i)->name : NULL;
}
