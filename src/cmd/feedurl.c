// SPDX-License-Identifier: Apache-2.0
/*
 * feedurl.c — verified, self-updating indicator feeds for `vigil watch`
 * (--feed-url, --feed-interval, --feed-max-bytes, --state, --max-age).
 *
 * A poller thread fetches each URL every interval with libcurl, sending the
 * ETag (If-None-Match) and Last-Modified (If-Modified-Since) of the version
 * in force, so an unchanged feed costs a 304.  A 200 is followed by a fetch
 * of URL.minisig; the bytes are verified with the pinned key, the trusted
 * comment's seq must be greater than the last accepted one (in memory, and
 * with --state on disk, as `vigil feed verify --state`), and a new store is
 * built from every --feed file and every URL's accepted bytes, on this
 * thread.  The main loop picks it up in vg_feedurl_poll and swaps it in
 * between packets; the old store is freed there.  Any failure keeps the
 * version in force and prints one line naming the URL and the reason.
 * Threads: the poller owns the curl handle, the per-URL state and the file
 * re-reads; `mu` guards only the hand-over (pending store, feed ages, the
 * stop/reload flags).  vg_watch_t is touched only by the main thread.
 */
#include "cmd/feedurl.h"
#include "cmd/cmd.h"
#include "cmd/feed_sign.h"
#include "lib/buf.h"
#include "lib/timefmt.h"

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIG_MAX (64u << 10)
#define REASON_MAX 512

typedef struct usrc {
	const char *url;
	char *etag, *lastmod;  /* validators of the version in force */
	char *data;            /* accepted bytes (owned), NULL when none */
	size_t len;
	vg_sign_tc_t tc;       /* of the version in force */
} usrc_t;

typedef struct fage {
	char name[VG_SIGN_FEEDNAME_MAX + 256];
	uint64_t seq;
	int64_t time;
	bool have;
} fage_t;

struct vg_feedurl {
	vg_feedurl_cfg_t cfg;
	vg_sign_pubkey_t pk;
	bool have_pk;
	usrc_t *u;
	CURL *curl;
	pthread_t th;
	bool th_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, reload;     /* under mu */
	vg_store_t *pending;   /* under mu: built, not yet swapped in */
	fage_t *ages;          /* under mu: n_files + n_urls entries */
	int64_t next_stale;    /* main thread */
};

int vg_feedurl_parse_duration(const char *s, int64_t *out)
{
	char *end;
	if (!s || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	unsigned long long mul = 1;
	switch (*end) {
	case 0: break;
	case 's': mul = 1; end++; break;
	case 'm': mul = 60; end++; break;
	case 'h': mul = 3600; end++; break;
	case 'd': mul = 86400; end++; break;
	case 'w': mul = 7 * 86400; end++; break;
	default: return -1;
	}
	if (*end || v == 0 || v > (unsigned long long)INT64_MAX / mul / 2)
		return -1;
	*out = (int64_t)(v * mul);
	return 0;
}

/* info: one "vigil: watch: ..." progress line on stderr (not a warning). */
static void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void info(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "vigil: watch: %s\n", line);
}

/* ---- verification --------------------------------------------------------------------- */

/* verify_mem: sig text over data with pk; 0 and *tc, or -1 with reason. */
static int verify_mem(const vg_sign_pubkey_t *pk, const char *data, size_t len, const char *sigt,
		      size_t siglen, vg_sign_tc_t *tc, char *reason, size_t rn)
{
	vg_sign_sig_t *sig = malloc(sizeof *sig);
	if (!sig) {
		snprintf(reason, rn, "out of memory");
		return -1;
	}
	int rc = vg_sign_sig_parse(sigt, siglen, sig);
	if (rc) {
		snprintf(reason, rn, "%s",
			 rc == VG_ENOTSUP ? "signature uses an unsupported algorithm"
					  : "signature is not a minisign signature");
		goto out;
	}
	vg_sign_fail_t why = VG_SIGN_OK;
	rc = vg_sign_verify(pk, sig, data, len, &why);
	if (rc) {
		char a[24], b[24];
		vg_sign_keyid_hex(sig->keyid, a, sizeof a);
		vg_sign_keyid_hex(pk->keyid, b, sizeof b);
		if (why == VG_SIGN_KEYID)
			snprintf(reason, rn, "signed with another key (key id %s, expected %s)", a, b);
		else if (why == VG_SIGN_COMMENT)
			snprintf(reason, rn, "the trusted comment was modified (its signature is invalid)");
		else
			snprintf(reason, rn, "signature does not verify");
		goto out;
	}
	const char *w = NULL;
	rc = vg_sign_tc_parse(sig->trusted, sig->trusted_len, tc, &w);
	if (rc)
		snprintf(reason, rn, "bad trusted comment: %s", w ? w : "malformed");
out:
	free(sig);
	return rc ? -1 : 0;
}

/* state_path: DIR/<feed>.seq into b (feed names are safe file names). */
static void state_path(const vg_feedurl_t *fu, const char *feed, vg_buf_t *b)
{
	vg_buf_addf(b, "%s/%s.seq", fu->cfg.state_dir, feed);
}

/* state_get: last accepted seq of feed on disk.  0 (and *have) or -1 with reason. */
static int state_get(const vg_feedurl_t *fu, const char *feed, bool *have, uint64_t *seq,
		     char *reason, size_t rn)
{
	*have = false;
	if (!fu->cfg.state_dir)
		return 0;
	vg_buf_t p = VG_BUF_INIT;
	state_path(fu, feed, &p);
	char *text = NULL;
	size_t len = 0;
	errno = 0;
	int rc = p.oom ? VG_ENOMEM : vg_cmd_read_file(p.p, 64, &text, &len);
	int e = errno;
	if (rc == VG_EIO && e == ENOENT) {
		vg_buf_release(&p);
		return 0;
	}
	if (rc) {
		snprintf(reason, rn, "cannot read the state file %s: %s", p.p ? p.p : "",
			 rc == VG_EIO ? strerror(e) : vg_strerror(rc));
		vg_buf_release(&p);
		return -1;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	char tmp[160];
	vg_sign_tc_t t;
	snprintf(tmp, sizeof tmp, "feed=x seq=%.*s time=2000-01-01T00:00:00Z", (int)(len < 40 ? len : 40),
		 text);
	free(text);
	if (!len || vg_sign_tc_parse(tmp, strlen(tmp), &t, NULL)) {
		snprintf(reason, rn, "state file %s is corrupt (a decimal sequence number is expected)",
			 p.p);
		vg_buf_release(&p);
		return -1;
	}
	vg_buf_release(&p);
	*have = true;
	*seq = t.seq;
	return 0;
}

/* state_put: record seq for feed (write a temporary file, then rename). */
static int state_put(const vg_feedurl_t *fu, const char *feed, uint64_t seq, char *reason,
		     size_t rn)
{
	if (!fu->cfg.state_dir)
		return 0;
	vg_buf_t p = VG_BUF_INIT, t = VG_BUF_INIT;
	state_path(fu, feed, &p);
	vg_buf_addf(&t, "%s.tmp", p.p ? p.p : "");
	int ret = -1;
	if (p.oom || t.oom) {
		snprintf(reason, rn, "out of memory");
		goto out;
	}
	FILE *f = fopen(t.p, "w");
	if (!f) {
		snprintf(reason, rn, "cannot write the state file %s: %s", t.p, strerror(errno));
		goto out;
	}
	fprintf(f, "%" PRIu64 "\n", seq);
	bool bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	if (fclose(f) != 0 || bad || rename(t.p, p.p) != 0) {
		snprintf(reason, rn, "cannot write the state file %s: %s", p.p, strerror(errno));
		unlink(t.p);
		goto out;
	}
	ret = 0;
out:
	vg_buf_release(&p);
	vg_buf_release(&t);
	return ret;
}

/* ---- building a store ----------------------------------------------------------------- */

/* build: a store from every file (re-read, verified with the key when set)
 * and every URL's accepted bytes; ages[] (n_files + n_urls) filled.  On
 * failure returns -1 with the reason (file errors are also printed). */
static int build(vg_feedurl_t *fu, vg_store_t **out, fage_t *ages, char *reason, size_t rn)
{
	const vg_feedurl_cfg_t *c = &fu->cfg;
	const struct vg_cmd_load_opts *lo0 = c->load;
	int n = c->n_files + c->n_urls;
	char **bufs = calloc((size_t)n + 1, sizeof *bufs);
	size_t *lens = calloc((size_t)n + 1, sizeof *lens);
	const char **names = calloc((size_t)n + 1, sizeof *names);
	bool *owned = calloc((size_t)n + 1, sizeof *owned);
	vg_builder_t *b = NULL;
	int ret = -1;
	*out = NULL;
	if (!bufs || !lens || !names || !owned) {
		snprintf(reason, rn, "out of memory");
		goto out;
	}
	memset(ages, 0, sizeof *ages * (size_t)n);
	for (int i = 0; i < c->n_files; i++) {
		const char *path = c->files[i];
		names[i] = path;
		errno = 0;
		int rc = vg_cmd_read_file(path, (size_t)1 << 34, &bufs[i], &lens[i]);
		if (rc) {
			snprintf(reason, rn, "%s: %s", path, vg_cmd_load_errmsg(rc, errno, false, false));
			goto file_fail;
		}
		owned[i] = true;
		snprintf(ages[i].name, sizeof ages[i].name, "%s", path);
		if (fu->have_pk) {
			vg_buf_t sp = VG_BUF_INIT;
			vg_buf_addf(&sp, "%s.minisig", path);
			char *st = NULL;
			size_t sl = 0;
			errno = 0;
			rc = sp.oom ? VG_ENOMEM : vg_cmd_read_file(sp.p, SIG_MAX, &st, &sl);
			char why[256];
			if (rc) {
				snprintf(reason, rn, "%s: not signed: %s: %s", path, sp.p ? sp.p : "",
					 rc == VG_EIO ? strerror(errno) : vg_strerror(rc));
				vg_buf_release(&sp);
				goto file_fail;
			}
			vg_buf_release(&sp);
			vg_sign_tc_t tc;
			rc = verify_mem(&fu->pk, bufs[i], lens[i], st, sl, &tc, why, sizeof why);
			free(st);
			if (rc) {
				snprintf(reason, rn, "%s: %s", path, why);
				goto file_fail;
			}
			snprintf(ages[i].name, sizeof ages[i].name, "%s", tc.feed);
			ages[i].seq = tc.seq;
			ages[i].time = tc.time;
		} else {
			struct stat sb;
			if (stat(path, &sb) == 0)
				ages[i].time = (int64_t)sb.st_mtime;
		}
		ages[i].have = true;
	}
	for (int k = 0; k < c->n_urls; k++) {
		int i = c->n_files + k;
		const usrc_t *u = &fu->u[k];
		names[i] = u->url;
		bufs[i] = u->data;
		lens[i] = u->len;
		if (u->data) {
			snprintf(ages[i].name, sizeof ages[i].name, "%s", u->tc.feed);
			ages[i].seq = u->tc.seq;
			ages[i].time = u->tc.time;
			ages[i].have = true;
		}
	}
	int ncomp = 0, nsrc = 0, comp = -1;
	for (int i = 0; i < n; i++) {
		if (!bufs[i])
			continue;
		nsrc++;
		if (lo0->format == VG_FMT_COMPILED ||
		    vg_store_is_compiled(bufs[i], lens[i] < 16 ? lens[i] : 16)) {
			ncomp++;
			comp = i;
		}
	}
	if (ncomp && nsrc > 1) {
		snprintf(reason, rn, "%s is a compiled store: combining it with other feeds is not "
				     "supported",
			 names[comp]);
		goto out;
	}
	if (ncomp) {
		int rc = vg_store_open_mem(bufs[comp], lens[comp], out);
		if (rc) {
			snprintf(reason, rn, "%s: %s", names[comp], vg_cmd_load_errmsg(rc, 0, true, false));
			goto out;
		}
		ret = 0;
		goto out;
	}
	vg_builder_opts_t bo = {.allow_reserved = lo0->allow_reserved};
	b = vg_builder_new(&bo);
	if (!b) {
		snprintf(reason, rn, "out of memory");
		goto out;
	}
	vg_diag_counter_t dc = {.max_shown = lo0->max_shown ? lo0->max_shown : 20};
	vg_load_opts_t lo = {.format = lo0->format,
			     .strict = lo0->strict,
			     .categories = lo0->categories,
			     .diag = vg_diag_print,
			     .diag_ctx = &dc};
	for (int i = 0; i < n; i++) {
		if (!bufs[i])
			continue;
		vg_load_report_t rep;
		int rc = vg_feed_load_mem(b, names[i], bufs[i], lens[i], &lo, &rep);
		if (rc) {
			snprintf(reason, rn, "%s: %s", names[i],
				 vg_cmd_load_errmsg(rc, 0, false, lo0->strict));
			if (i < c->n_files)
				goto file_fail;
			goto out;
		}
	}
	unsigned long total = dc.errors + dc.warnings;
	if (total > dc.shown)
		vg_err("%lu more diagnostics not shown (%lu errors, %lu warnings in all)",
		       total - dc.shown, dc.errors, dc.warnings);
	int rc = vg_builder_build(b, out);
	if (rc) {
		snprintf(reason, rn, "cannot build the indicator store: %s", vg_strerror(rc));
		*out = NULL;
		goto out;
	}
	ret = 0;
	goto out;
file_fail:
	ret = -2; /* a --feed file failed */
out:
	vg_builder_free(b);
	for (int i = 0; bufs && i < n; i++)
		if (owned && owned[i])
			free(bufs[i]);
	free(bufs);
	free(lens);
	free(names);
	free(owned);
	return ret;
}

/* ---- fetching ------------------------------------------------------------------------- */

typedef struct fetch {
	vg_buf_t body;
	uint64_t max;
	bool too_big;
	char *etag, *lastmod;
} fetch_t;

static size_t on_body(char *p, size_t sz, size_t nm, void *ctx)
{
	fetch_t *f = ctx;
	size_t n = sz * nm;
	if (f->body.len + n > f->max) {
		f->too_big = true;
		return 0;
	}
	vg_buf_add(&f->body, p, n);
	return f->body.oom ? 0 : n;
}

static char *header_value(const char *p, size_t n, const char *name)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp(p, name, k) != 0)
		return NULL;
	p += k;
	n -= k;
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' '))
		n--;
	if (!n || n > 1024)
		return NULL;
	return strndup(p, n);
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ctx)
{
	fetch_t *f = ctx;
	size_t n = sz * nm;
	char *v;
	if (n >= 5 && !strncmp(p, "HTTP/", 5)) { /* a new response (redirect): reset */
		free(f->etag);
		free(f->lastmod);
		f->etag = f->lastmod = NULL;
	} else if ((v = header_value(p, n, "ETag:"))) {
		free(f->etag);
		f->etag = v;
	} else if ((v = header_value(p, n, "Last-Modified:"))) {
		free(f->lastmod);
		f->lastmod = v;
	}
	return n;
}

/* on_progress: abort a transfer in flight when the poller is told to stop
 * (stop is written under mu; a relaxed atomic read suffices here). */
static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	vg_feedurl_t *fu = ctx;
	return __atomic_load_n(&fu->stop, __ATOMIC_RELAXED) ? 1 : 0;
}

static void fetch_release(fetch_t *f)
{
	vg_buf_release(&f->body);
	free(f->etag);
	free(f->lastmod);
	memset(f, 0, sizeof *f);
}

/* fetch: GET url (conditional on u's validators when u is not NULL).
 * Returns the HTTP status (200, 304, ...), or -1 with reason. */
static long fetch(vg_feedurl_t *fu, const char *url, const usrc_t *u, uint64_t max, fetch_t *f,
		  char *reason, size_t rn)
{
	CURL *c = fu->curl;
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	memset(f, 0, sizeof *f);
	f->max = max;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil-watch");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, fu);
	vg_buf_t h = VG_BUF_INIT;
	if (fu->cfg.token) { /* a vigil hub applies the caller's access to /feeds */
		vg_buf_addf(&h, "Authorization: Bearer %s", fu->cfg.token);
		if (!h.oom)
			hdr = curl_slist_append(hdr, h.p);
		vg_buf_reset(&h);
	}
	if (fu->cfg.sensor) { /* and records which sensor pulled which version */
		vg_buf_addf(&h, "X-Vigil-Sensor: %s", fu->cfg.sensor);
		if (!h.oom)
			hdr = curl_slist_append(hdr, h.p);
		vg_buf_reset(&h);
	}
	if (u && u->data) {
		if (u->etag) {
			vg_buf_addf(&h, "If-None-Match: %s", u->etag);
			if (!h.oom)
				hdr = curl_slist_append(hdr, h.p);
			vg_buf_reset(&h);
		}
		if (u->lastmod) {
			vg_buf_addf(&h, "If-Modified-Since: %s", u->lastmod);
			if (!h.oom)
				hdr = curl_slist_append(hdr, h.p);
		}
	}
	vg_buf_release(&h);
	if (hdr)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(hdr);
	long code = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	if (f->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(reason, rn, "%s is larger than %" PRIu64 " bytes (--feed-max-bytes)", url, max);
		return -1;
	}
	if (f->body.oom) {
		snprintf(reason, rn, "out of memory");
		return -1;
	}
	if (rc != CURLE_OK) {
		snprintf(reason, rn, "cannot fetch %s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return -1;
	}
	return code;
}

/* ---- polling one URL ------------------------------------------------------------------ */

static void log_fail(const usrc_t *u, const char *reason)
{
	if (u->data) {
		char tb[40];
		vg_time_iso(u->tc.time, tb, sizeof tb);
		vg_err("watch: feed %s: %s; keeping the indicators of seq %" PRIu64 " from %s", u->url,
		       reason, u->tc.seq, tb);
	} else {
		vg_err("watch: feed %s: %s; nothing loaded from it yet", u->url, reason);
	}
}

static void set_validators(usrc_t *u, fetch_t *f)
{
	free(u->etag);
	free(u->lastmod);
	u->etag = f->etag;
	u->lastmod = f->lastmod;
	f->etag = f->lastmod = NULL;
}

/* poll_one: 1 when u now holds a new verified version (previous saved in
 * *prev for a rollback when the build fails), 0 unchanged, -1 failed (logged). */
static int poll_one(vg_feedurl_t *fu, usrc_t *u, usrc_t *prev)
{
	char reason[REASON_MAX];
	fetch_t f, s;
	memset(&s, 0, sizeof s);
	long code = fetch(fu, u->url, u, fu->cfg.max_bytes, &f, reason, sizeof reason);
	if (code < 0)
		goto fail;
	if (code == 304 && u->data) {
		fetch_release(&f);
		return 0;
	}
	if (code != 200) {
		snprintf(reason, sizeof reason, "HTTP status %ld", code);
		goto fail;
	}
	vg_buf_t su = VG_BUF_INIT;
	vg_buf_addf(&su, "%s.minisig", u->url);
	if (su.oom) {
		snprintf(reason, sizeof reason, "out of memory");
		goto fail;
	}
	long sc = fetch(fu, su.p, NULL, SIG_MAX, &s, reason, sizeof reason);
	if (sc != 200) {
		if (sc > 0)
			snprintf(reason, sizeof reason, "not signed: %s: HTTP status %ld", su.p, sc);
		vg_buf_release(&su);
		goto fail;
	}
	vg_buf_release(&su);
	if (!f.body.len) {
		snprintf(reason, sizeof reason, "the feed is empty");
		goto fail;
	}
	vg_sign_tc_t tc;
	if (verify_mem(&fu->pk, f.body.p ? f.body.p : "", f.body.len, s.body.p ? s.body.p : "",
		       s.body.len, &tc, reason, sizeof reason))
		goto fail;
	bool disk = false;
	uint64_t dseq = 0;
	if (state_get(fu, tc.feed, &disk, &dseq, reason, sizeof reason))
		goto fail;
	if (u->data && tc.seq == u->tc.seq && f.body.len == u->len &&
	    !memcmp(f.body.p, u->data, u->len)) {
		set_validators(u, &f); /* same version, new validators */
		fetch_release(&f);
		fetch_release(&s);
		return 0;
	}
	uint64_t last = 0;
	bool have_last = false;
	if (u->data) {
		last = u->tc.seq;
		have_last = true;
	}
	if (disk && (!have_last || dseq > last)) {
		last = dseq;
		have_last = true;
	}
	/* the version accepted before a restart (same seq, on disk only) may
	 * be loaded again; anything else must be newer */
	bool ok = !have_last || tc.seq > last || (!u->data && disk && tc.seq == dseq);
	if (!ok) {
		snprintf(reason, sizeof reason,
			 "replayed or rolled back: seq %" PRIu64 " is not greater than %" PRIu64
			 ", the last accepted for feed '%s'",
			 tc.seq, last, tc.feed);
		goto fail;
	}
	if (!(disk && tc.seq == dseq) && state_put(fu, tc.feed, tc.seq, reason, sizeof reason))
		goto fail;
	*prev = *u;
	u->etag = u->lastmod = NULL;
	set_validators(u, &f);
	u->len = f.body.len;
	u->data = f.body.p; /* taken over from the buffer */
	f.body.p = NULL;
	f.body.len = f.body.cap = 0;
	u->tc = tc;
	fetch_release(&f);
	fetch_release(&s);
	if (!u->data) {
		*u = *prev;
		memset(prev, 0, sizeof *prev);
		log_fail(u, "out of memory");
		return -1;
	}
	return 1;
fail:
	fetch_release(&f);
	fetch_release(&s);
	log_fail(u, reason);
	return -1;
}

static void usrc_release(usrc_t *u)
{
	free(u->etag);
	free(u->lastmod);
	free(u->data);
	u->etag = u->lastmod = u->data = NULL;
}

/* poll_all: poll every URL, then rebuild when something changed (or when
 * force).  Returns a new store, or NULL (nothing new, or failure logged). */
static vg_store_t *poll_all(vg_feedurl_t *fu, bool force, fage_t *ages)
{
	int n = fu->cfg.n_urls;
	usrc_t *prev = calloc((size_t)n + 1, sizeof *prev);
	bool *changed = calloc((size_t)n + 1, sizeof *changed);
	vg_store_t *ns = NULL;
	if (!prev || !changed) {
		vg_err("watch: feeds: out of memory");
		goto out;
	}
	bool any = force;
	for (int i = 0; i < n; i++) {
		changed[i] = poll_one(fu, &fu->u[i], &prev[i]) == 1;
		any |= changed[i];
	}
	if (!any)
		goto out;
	char reason[REASON_MAX];
	int rc = build(fu, &ns, ages, reason, sizeof reason);
	if (rc == 0) {
		for (int i = 0; i < n; i++) {
			if (!changed[i])
				continue;
			char tb[40];
			vg_time_iso(fu->u[i].tc.time, tb, sizeof tb);
			info("feed %s: seq %" PRIu64 " from %s verified (feed %s, %zu bytes); "
			     "new indicators in force",
				 fu->u[i].url, fu->u[i].tc.seq, tb, fu->u[i].tc.feed, fu->u[i].len);
			usrc_release(&prev[i]);
		}
		if (force && !n)
			info("feeds reloaded");
		goto out;
	}
	/* roll back: a URL whose new version does not build, or a file that
	 * fails, keeps what is in force */
	for (int i = 0; i < n; i++) {
		if (!changed[i])
			continue;
		usrc_t *u = &fu->u[i];
		usrc_t bad = *u;
		*u = prev[i];
		if (rc == -1)
			log_fail(u, reason);
		usrc_release(&bad);
	}
	bool logged = false;
	for (int i = 0; i < n; i++)
		logged |= changed[i];
	if (rc == -2 || !logged)
		vg_err("watch: feeds: %s; reload failed, the previous indicators stay in force", reason);
out:
	free(prev);
	free(changed);
	return ns;
}

static void *poller(void *arg)
{
	vg_feedurl_t *fu = arg;
	int n = fu->cfg.n_files + fu->cfg.n_urls;
	fage_t *ages = calloc((size_t)n + 1, sizeof *ages);
	if (!ages)
		return NULL;
	pthread_mutex_lock(&fu->mu);
	while (!fu->stop) {
		struct timespec dl;
		clock_gettime(CLOCK_MONOTONIC, &dl);
		dl.tv_sec += fu->cfg.interval_s;
		while (!fu->stop && !fu->reload) {
			if (pthread_cond_timedwait(&fu->cv, &fu->mu, &dl) == ETIMEDOUT)
				break;
		}
		if (fu->stop)
			break;
		bool force = fu->reload;
		fu->reload = false;
		pthread_mutex_unlock(&fu->mu);
		vg_store_t *ns = poll_all(fu, force, ages);
		pthread_mutex_lock(&fu->mu);
		if (ns) {
			vg_store_free(fu->pending);
			fu->pending = ns;
			memcpy(fu->ages, ages, sizeof *ages * (size_t)n);
		}
	}
	pthread_mutex_unlock(&fu->mu);
	free(ages);
	return NULL;
}

/* ---- public --------------------------------------------------------------------------- */

int vg_feedurl_start(vg_feedurl_t **out, const vg_feedurl_cfg_t *cfg, vg_store_t **store)
{
	*out = NULL;
	*store = NULL;
	if (cfg->n_urls && (!cfg->load || !cfg->load->pubkey)) {
		vg_err("watch: --feed-url needs --pubkey: a downloaded feed is used only when its "
		       "signature verifies");
		return VG_EINVAL;
	}
	vg_feedurl_t *fu = calloc(1, sizeof *fu);
	int n = cfg->n_files + cfg->n_urls;
	if (!fu)
		goto oom;
	fu->cfg = *cfg;
	if (!fu->cfg.interval_s)
		fu->cfg.interval_s = VG_FEEDURL_INTERVAL_DEFAULT;
	if (!fu->cfg.max_bytes)
		fu->cfg.max_bytes = VG_FEEDURL_MAX_BYTES_DEFAULT;
	fu->u = calloc((size_t)cfg->n_urls + 1, sizeof *fu->u);
	fu->ages = calloc((size_t)n + 1, sizeof *fu->ages);
	if (!fu->u || !fu->ages)
		goto oom;
	pthread_mutex_init(&fu->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&fu->cv, &ca);
	pthread_condattr_destroy(&ca);
	for (int i = 0; i < cfg->n_urls; i++)
		fu->u[i].url = cfg->urls[i];
	if (cfg->load && cfg->load->pubkey) {
		if (vg_cmd_pubkey_load(cfg->load->pubkey, &fu->pk)) {
			vg_feedurl_free(fu);
			return VG_EINVAL;
		}
		fu->have_pk = true;
	}
	if (cfg->state_dir && mkdir(cfg->state_dir, 0700) != 0 && errno != EEXIST) {
		vg_err("watch: cannot create the state directory '%s': %s", cfg->state_dir,
		       strerror(errno));
		vg_feedurl_free(fu);
		return VG_EIO;
	}
	if (cfg->n_urls) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || !(fu->curl = curl_easy_init())) {
			vg_err("watch: cannot initialise libcurl");
			vg_feedurl_free(fu);
			return VG_ENOMEM;
		}
		usrc_t prev;
		for (int i = 0; i < cfg->n_urls; i++) {
			memset(&prev, 0, sizeof prev);
			poll_one(fu, &fu->u[i], &prev); /* first version: nothing to roll back */
			usrc_release(&prev);
		}
	}
	char reason[REASON_MAX];
	int rc = build(fu, store, fu->ages, reason, sizeof reason);
	if (rc == -1 && cfg->n_urls) {
		/* a downloaded feed does not parse: start without the URLs */
		for (int i = 0; i < cfg->n_urls; i++) {
			if (fu->u[i].data)
				log_fail(&fu->u[i], reason);
			usrc_release(&fu->u[i]);
		}
		rc = build(fu, store, fu->ages, reason, sizeof reason);
	}
	if (rc) {
		vg_err("watch: %s", reason);
		vg_feedurl_free(fu);
		return VG_EIO;
	}
	for (int i = 0; i < cfg->n_urls; i++) {
		if (!fu->u[i].data)
			continue;
		char tb[40];
		vg_time_iso(fu->u[i].tc.time, tb, sizeof tb);
		info("feed %s: seq %" PRIu64 " from %s verified (feed %s, %zu bytes)",
			 fu->u[i].url, fu->u[i].tc.seq, tb, fu->u[i].tc.feed, fu->u[i].len);
	}
	if (cfg->n_urls) {
		if (pthread_create(&fu->th, NULL, poller, fu) != 0) {
			vg_err("watch: cannot start the feed poller thread");
			vg_store_free(*store);
			*store = NULL;
			vg_feedurl_free(fu);
			return VG_ENOMEM;
		}
		fu->th_started = true;
	}
	*out = fu;
	return 0;
oom:
	vg_err("watch: out of memory");
	if (fu) {
		free(fu->u);
		free(fu->ages);
		free(fu);
	}
	return VG_ENOMEM;
}

void vg_feedurl_poll(vg_feedurl_t *fu, vg_watch_t *w, vg_store_t **cur, int64_t now)
{
	if (!fu)
		return;
	bool stale_due = fu->cfg.max_age_s && now >= fu->next_stale;
	if (!fu->th_started && !stale_due)
		return;
	pthread_mutex_lock(&fu->mu);
	vg_store_t *ns = fu->pending;
	fu->pending = NULL;
	pthread_mutex_unlock(&fu->mu);
	if (ns) {
		vg_store_t *old = (vg_store_t *)vg_watch_set_store(w, ns);
		vg_store_free(old);
		*cur = ns;
	}
	if (!stale_due)
		return;
	fu->next_stale = now + fu->cfg.interval_s;
	int n = fu->cfg.n_files + fu->cfg.n_urls;
	pthread_mutex_lock(&fu->mu);
	for (int i = 0; i < n; i++) {
		fage_t a = fu->ages[i];
		if (!a.have || now - a.time <= fu->cfg.max_age_s)
			continue;
		pthread_mutex_unlock(&fu->mu);
		vg_watch_emit_feed_alert(w, (uint64_t)now * 1000000u, a.name, a.seq, a.time,
					 fu->cfg.max_age_s);
		char tb[40];
		vg_time_iso(a.time, tb, sizeof tb);
		vg_err("watch: feed %s is stale: its newest verified version is from %s "
		       "(--max-age %" PRId64 " s)",
		       a.name, tb, fu->cfg.max_age_s);
		pthread_mutex_lock(&fu->mu);
	}
	pthread_mutex_unlock(&fu->mu);
}

void vg_feedurl_reload(vg_feedurl_t *fu)
{
	if (!fu)
		return;
	if (!fu->th_started) {
		/* files only (--max-age): rebuild here */
		fage_t *ages = calloc((size_t)fu->cfg.n_files + 1, sizeof *ages);
		vg_store_t *ns = ages ? poll_all(fu, true, ages) : NULL;
		if (ns) {
			pthread_mutex_lock(&fu->mu);
			vg_store_free(fu->pending);
			fu->pending = ns;
			memcpy(fu->ages, ages, sizeof *ages * (size_t)fu->cfg.n_files);
			pthread_mutex_unlock(&fu->mu);
		}
		free(ages);
		return;
	}
	pthread_mutex_lock(&fu->mu);
	fu->reload = true;
	pthread_cond_signal(&fu->cv);
	pthread_mutex_unlock(&fu->mu);
}

void vg_feedurl_free(vg_feedurl_t *fu)
{
	if (!fu)
		return;
	if (fu->th_started) {
		pthread_mutex_lock(&fu->mu);
		__atomic_store_n(&fu->stop, true, __ATOMIC_RELAXED);
		pthread_cond_signal(&fu->cv);
		pthread_mutex_unlock(&fu->mu);
		pthread_join(fu->th, NULL);
	}
	if (fu->curl) {
		curl_easy_cleanup(fu->curl);
		curl_global_cleanup();
	}
	for (int i = 0; fu->u && i < fu->cfg.n_urls; i++)
		usrc_release(&fu->u[i]);
	vg_store_free(fu->pending);
	pthread_mutex_destroy(&fu->mu);
	pthread_cond_destroy(&fu->cv);
	free(fu->u);
	free(fu->ages);
	free(fu);
}
