// SPDX-License-Identifier: Apache-2.0
/*
 * source.c — libpcap packet sources: merged capture files and live capture.
 *
 * The first stage of the pipeline: frames go from here to vg_decode().
 * Files: every file keeps one pending packet (libpcap's buffer for that
 * handle); vg_src_next() first advances the file whose packet it delivered
 * last time, then delivers the earliest pending packet (ties: lowest file
 * index).  Pointers into other handles' buffers stay valid because each
 * handle has its own buffer and is only advanced after its packet was used.
 * A file that hits a read error is closed and the error is reported once
 * (VG_ECORRUPT) before any further packet.
 *
 * Live: non-blocking pcap handle + poll() on its selectable fd, so that a
 * silent interface returns VG_EAGAIN after timeout_ms.  vg_src_break() is
 * async-signal-safe (a sig_atomic_t flag plus pcap_breakloop, and poll is
 * interrupted by the signal).  Allocation only at open; none per packet.
 */
#include "net/source.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

struct sfile {
	pcap_t *pc;
	char *path;
	struct pcap_pkthdr *h;
	const u_char *d;
	uint64_t ts;
	int linktype;
	int done;        /* no pending packet any more */
	int err_pending; /* read error not yet reported */
	char err[PCAP_ERRBUF_SIZE + 64];
};

struct vg_src {
	int live;
	struct sfile *f;
	int n;
	int last; /* file whose packet was delivered last, -1 none */
	pcap_t *lpc;
	char *ifname;
	int fd;
	int timeout_ms;
	int linktype;
	volatile sig_atomic_t stop;
	uint64_t cnt;
	vg_src_stats_t st;
	char err[PCAP_ERRBUF_SIZE + 600];
};

static void set_err(char *err, size_t errlen, const char *what, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", what, msg);
}

static uint64_t ts_of(const struct pcap_pkthdr *h)
{
	if (h->ts.tv_sec < 0)
		return 0;
	return (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
}

static int apply_bpf(pcap_t *pc, const char *bpf, const char *what, char *err, size_t errlen)
{
	struct bpf_program prog;
	if (!bpf || !*bpf)
		return 0;
	if (pcap_compile(pc, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		char m[PCAP_ERRBUF_SIZE + 64];
		snprintf(m, sizeof m, "bad filter: %s", pcap_geterr(pc));
		set_err(err, errlen, what, m);
		return VG_EFORMAT;
	}
	int rc = pcap_setfilter(pc, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		set_err(err, errlen, what, pcap_geterr(pc));
		return VG_EFORMAT;
	}
	return 0;
}

/* Advance file i to its next packet (or to done / err_pending). */
static void fetch(struct sfile *f)
{
	if (f->done)
		return;
	int rc = pcap_next_ex(f->pc, &f->h, &f->d);
	if (rc == 1) {
		f->ts = ts_of(f->h);
		return;
	}
	if (rc == PCAP_ERROR) {
		snprintf(f->err, sizeof f->err, "%s", pcap_geterr(f->pc));
		f->err_pending = 1;
	}
	f->done = 1;
	pcap_close(f->pc);
	f->pc = NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append path (or a directory's regular files) to the list *v of *n. */
static int expand(char ***v, uint8_t **fd, int *n, int *cap, const char *path, char *err,
		  size_t errlen)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		set_err(err, errlen, path, strerror(errno));
		return VG_EIO;
	}
	int first = *n;
	DIR *dir = NULL;
	if (S_ISDIR(sb.st_mode)) {
		dir = opendir(path);
		if (!dir) {
			set_err(err, errlen, path, strerror(errno));
			return VG_EIO;
		}
	}
	for (;;) {
		char *full;
		if (dir) {
			struct dirent *de = readdir(dir);
			if (!de)
				break;
			if (de->d_name[0] == '.')
				continue;
			size_t l = strlen(path) + strlen(de->d_name) + 2;
			full = malloc(l);
			if (!full)
				goto nomem;
			snprintf(full, l, "%s/%s", path, de->d_name);
			struct stat fs;
			if (stat(full, &fs) != 0 || !S_ISREG(fs.st_mode)) {
				free(full);
				continue;
			}
		} else {
			full = strdup(path);
			if (!full)
				goto nomem;
		}
		if (*n == *cap) {
			int nc = *cap ? *cap * 2 : 16;
			char **nv = realloc(*v, (size_t)nc * sizeof *nv);
			if (nv)
				*v = nv;
			uint8_t *nf = nv ? realloc(*fd, (size_t)nc) : NULL;
			if (!nf) {
				free(full);
				goto nomem;
			}
			*fd = nf;
			*cap = nc;
		}
		(*fd)[*n] = dir != NULL;
		(*v)[(*n)++] = full;
		if (!dir)
			break;
	}
	if (dir) {
		closedir(dir);
		if (*n > first) /* all of [first, n) have fd = 1: only v needs sorting */
			qsort(*v + first, (size_t)(*n - first), sizeof **v, cmp_str);
	}
	return 0;
nomem:
	if (dir)
		closedir(dir);
	set_err(err, errlen, path, "out of memory");
	return VG_ENOMEM;
}

int vg_src_open_files(vg_src_t **out, char **paths, int n, const char *bpf, char *err,
		      size_t errlen)
{
	*out = NULL;
	if (err && errlen)
		err[0] = 0;
	char **list = NULL;
	uint8_t *fromdir = NULL;
	int cnt = 0, cap = 0, rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = expand(&list, &fromdir, &cnt, &cap, paths[i], err, errlen);
	if (rc == 0 && cnt == 0) {
		set_err(err, errlen, n > 0 ? paths[0] : "input", "no capture files");
		rc = VG_EEMPTY;
	}
	vg_src_t *s = NULL;
	if (rc == 0) {
		s = calloc(1, sizeof *s);
		if (s)
			s->f = calloc((size_t)cnt, sizeof *s->f);
		if (!s || !s->f) {
			set_err(err, errlen, "source", "out of memory");
			rc = VG_ENOMEM;
		}
	}
	if (rc != 0) {
		for (int i = 0; i < cnt; i++)
			free(list[i]);
		free(list);
		free(fromdir);
		if (s)
			free(s->f);
		free(s);
		return rc;
	}
	s->n = cnt;
	s->last = -1;
	s->fd = -1;
	for (int i = 0; i < cnt; i++)
		s->f[i].path = list[i];
	free(list);
	for (int i = 0; i < cnt; i++) {
		struct sfile *f = &s->f[i];
		char eb[PCAP_ERRBUF_SIZE] = "";
		int readable = access(f->path, R_OK) == 0;
		if (!readable) {
			snprintf(eb, sizeof eb, "%s", strerror(errno));
		} else {
			f->pc = pcap_open_offline_with_tstamp_precision(
			    f->path, PCAP_TSTAMP_PRECISION_MICRO, eb);
		}
		if (!f->pc && fromdir[i]) {
			/* a stray file in a directory: report it, read the others */
			snprintf(f->err, sizeof f->err, "not readable as a capture file: %s", eb);
			f->err_pending = 1;
			f->done = 1;
			continue;
		}
		if (!f->pc) {
			set_err(err, errlen, f->path, eb);
			free(fromdir);
			vg_src_close(s);
			return readable ? VG_EFORMAT : VG_EIO;
		}
		f->linktype = pcap_datalink(f->pc);
		rc = apply_bpf(f->pc, bpf, f->path, err, errlen);
		if (rc) {
			free(fromdir);
			vg_src_close(s);
			return rc;
		}
		s->st.files++;
	}
	free(fromdir);
	for (int i = 0; i < cnt; i++)
		fetch(&s->f[i]);
	*out = s;
	return 0;
}

int vg_src_open_live(vg_src_t **out, const char *ifname, const vg_live_opts_t *opts, char *err,
		     size_t errlen)
{
	vg_live_opts_t o = {0};
	char eb[PCAP_ERRBUF_SIZE] = "";
	*out = NULL;
	if (err && errlen)
		err[0] = 0;
	if (opts)
		o = *opts;
	if (o.snaplen <= 0)
		o.snaplen = 262144;
	if (o.buffer_size <= 0)
		o.buffer_size = 16 << 20;
	if (o.timeout_ms <= 0)
		o.timeout_ms = 500;
	vg_src_t *s = calloc(1, sizeof *s);
	if (!s || !(s->ifname = strdup(ifname))) {
		free(s);
		set_err(err, errlen, ifname, "out of memory");
		return VG_ENOMEM;
	}
	s->live = 1;
	s->last = -1;
	s->fd = -1;
	s->timeout_ms = o.timeout_ms;
	s->lpc = pcap_create(ifname, eb);
	if (!s->lpc) {
		set_err(err, errlen, ifname, eb);
		vg_src_close(s);
		return VG_EIO;
	}
	pcap_set_snaplen(s->lpc, o.snaplen);
	pcap_set_promisc(s->lpc, o.promisc ? 1 : 0);
	pcap_set_buffer_size(s->lpc, o.buffer_size);
	pcap_set_immediate_mode(s->lpc, o.immediate ? 1 : 0);
	pcap_set_timeout(s->lpc, o.timeout_ms);
	pcap_set_tstamp_precision(s->lpc, PCAP_TSTAMP_PRECISION_MICRO);
	int rc = pcap_activate(s->lpc);
	if (rc < 0) {
		const char *m = pcap_geterr(s->lpc);
		set_err(err, errlen, ifname, (m && *m) ? m : pcap_statustostr(rc));
		vg_src_close(s);
		return VG_EIO;
	}
	s->linktype = pcap_datalink(s->lpc);
	rc = apply_bpf(s->lpc, o.bpf, ifname, err, errlen);
	if (rc) {
		vg_src_close(s);
		return rc;
	}
	s->fd = pcap_get_selectable_fd(s->lpc);
	if (s->fd >= 0 && pcap_setnonblock(s->lpc, 1, eb) != 0)
		s->fd = -1; /* fall back to the blocking read timeout */
	*out = s;
	return 0;
}

static void fill(vg_src_t *s, vg_raw_pkt_t *p, const struct pcap_pkthdr *h, const u_char *d,
		 int linktype, int idx, const char *name)
{
	p->data = d;
	p->caplen = h->caplen;
	p->len = h->len;
	p->ts_us = ts_of(h);
	p->linktype = linktype;
	p->file_idx = idx;
	p->file = name;
	p->pcap_cnt = ++s->cnt;
	s->st.pkts++;
}

static int live_next(vg_src_t *s, vg_raw_pkt_t *p)
{
	for (int polled = 0;; polled++) {
		struct pcap_pkthdr *h;
		const u_char *d;
		if (s->stop)
			return 0;
		int rc = pcap_next_ex(s->lpc, &h, &d);
		if (rc == 1) {
			fill(s, p, h, d, s->linktype, 0, s->ifname);
			return 1;
		}
		if (rc == PCAP_ERROR_BREAK)
			return 0;
		if (rc < 0) {
			snprintf(s->err, sizeof s->err, "%s: %s", s->ifname, pcap_geterr(s->lpc));
			return VG_EIO;
		}
		if (s->fd < 0 || polled > 0)
			return VG_EAGAIN;
		struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
		int pr = poll(&pfd, 1, s->timeout_ms);
		if (pr == 0)
			return VG_EAGAIN;
		if (pr < 0) {
			if (errno == EINTR)
				return s->stop ? 0 : VG_EAGAIN;
			snprintf(s->err, sizeof s->err, "%s: poll: %s", s->ifname, strerror(errno));
			return VG_EIO;
		}
	}
}

int vg_src_next(vg_src_t *s, vg_raw_pkt_t *p)
{
	s->err[0] = 0;
	if (s->stop)
		return 0;
	if (s->live)
		return live_next(s, p);
	if (s->last >= 0) {
		fetch(&s->f[s->last]);
		s->last = -1;
	}
	int best = -1;
	for (int i = 0; i < s->n; i++) {
		struct sfile *f = &s->f[i];
		if (f->err_pending) {
			f->err_pending = 0;
			s->st.file_errors++;
			snprintf(s->err, sizeof s->err, "%s: %s", f->path, f->err);
			return VG_ECORRUPT;
		}
		if (!f->done && (best < 0 || f->ts < s->f[best].ts))
			best = i;
	}
	if (best < 0)
		return 0;
	struct sfile *f = &s->f[best];
	fill(s, p, f->h, f->d, f->linktype, best, f->path);
	s->last = best;
	return 1;
}

const char *vg_src_error(const vg_src_t *s) { return s->err; }

void vg_src_break(vg_src_t *s)
{
	s->stop = 1;
	if (s->lpc)
		pcap_breakloop(s->lpc);
}

int vg_src_get_stats(vg_src_t *s, vg_src_stats_t *st)
{
	*st = s->st;
	if (!s->live)
		return 0;
	struct pcap_stat ps;
	if (pcap_stats(s->lpc, &ps) != 0)
		return VG_EIO;
	st->kernel_recv = ps.ps_recv;
	st->kernel_drop = ps.ps_drop;
	st->if_drop = ps.ps_ifdrop;
	return 0;
}

int vg_src_is_live(const vg_src_t *s) { return s->live; }

void vg_src_close(vg_src_t *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++) {
		if (s->f[i].pc)
			pcap_close(s->f[i].pc);
		free(s->f[i].path);
	}
	free(s->f);
	if (s->lpc)
		pcap_close(s->lpc);
	free(s->ifname);
	free(s);
}
