// SPDX-License-Identifier: Apache-2.0
/*
 * report.c — the output side of `vigil scan`.
 *
 * JSON lines are built with the streaming writer (lib/json.h), which escapes
 * control bytes and invalid UTF-8 (a file name holding a newline or Latin-1
 * bytes still gives one valid JSON line).  Workers build a hit line in their
 * own buffer and the caller writes it under its output lock.
 * The HTML report keeps one small row per (match, file) in memory: hits are
 * few, and the page groups them by feed or rule, so it is written at the end.
 * Every text placed in HTML goes through html_esc (& < > " ' and invalid
 * UTF-8 as U+FFFD), and the page has no external resources.
 */
#include "scan/report.h"

#include "lib/timefmt.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void vg_report_match_ind(vg_jw_t *w, const vg_store_t *s, const vg_match_t *m, int n)
{
	char txt[80];
	vg_match_format(&m[0], txt, sizeof txt);
	vg_jw_obj(w);
	vg_jw_kstr(w, "type", "indicator");
	vg_jw_kstr(w, "indicator", txt);
	vg_jw_kstr(w, "indicator_type", vg_ind_type_name(m[0].type));
	vg_jw_key(w, "sources");
	vg_jw_arr(w);
	for (int i = 0; i < n; i++) {
		vg_meta_t me;
		if (vg_store_meta(s, m[i].meta, &me))
			continue;
		vg_jw_obj(w);
		vg_jw_kstr(w, "source", me.source);
		vg_jw_kstr(w, "category", me.category);
		vg_jw_kstr(w, "description", me.description);
		vg_jw_kstr(w, "reference", me.reference);
		if (me.confidence >= 0)
			vg_jw_kint(w, "confidence", me.confidence);
		vg_jw_kstr(w, "tlp", vg_tlp_name(me.tlp));
		vg_jw_end(w);
	}
	vg_jw_end(w);
	vg_jw_end(w);
}

void vg_report_match_yara(vg_jw_t *w, const vg_yara_hit_t *h, uint64_t partial)
{
	vg_jw_obj(w);
	vg_jw_kstr(w, "type", "yara");
	vg_jw_kstr(w, "rule", h->rule ? h->rule : "");
	vg_jw_kstr(w, "namespace", h->ns ? h->ns : "");
	vg_jw_key(w, "tags");
	vg_jw_arr(w);
	for (int i = 0; i < h->ntags && i < 16; i++)
		vg_jw_str(w, h->tags[i] ? h->tags[i] : "");
	vg_jw_end(w);
	vg_jw_key(w, "meta");
	vg_jw_obj(w);
	for (int i = 0; i < h->nmeta && i < 16; i++)
		vg_jw_kstr(w, h->meta_key[i] ? h->meta_key[i] : "",
			   h->meta_val[i] ? h->meta_val[i] : "");
	vg_jw_end(w);
	if (partial)
		vg_jw_kuint(w, "scanned_prefix_bytes", partial);
	vg_jw_end(w);
}

static void iso_time(int64_t sec, char out[40])
{
	struct tm tm;
	time_t t = (time_t)sec;
	if (!gmtime_r(&t, &tm)) {
		strcpy(out, "1970-01-01T00:00:00Z");
		return;
	}
	strftime(out, 40, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void vg_report_hit(vg_buf_t *b, const char *path, const struct stat *st, const vg_digests_t *d,
		   const char *matches, size_t mlen, const char *qid, const char *qerr)
{
	vg_jw_t w;
	vg_jw_init(&w, b);
	char t[40], hex[65], mode[16];
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "event_type", "scan_hit");
	vg_jw_kstr(&w, "path", path);
	vg_jw_kuint(&w, "size", (uint64_t)st->st_size);
	iso_time((int64_t)st->st_mtime, t);
	vg_jw_kstr(&w, "mtime", t);
	vg_jw_key(&w, "owner");
	vg_jw_obj(&w);
	vg_jw_kuint(&w, "uid", st->st_uid);
	struct passwd pw, *res = NULL;
	char pwbuf[1024];
	if (!getpwuid_r(st->st_uid, &pw, pwbuf, sizeof pwbuf, &res) && res)
		vg_jw_kstr(&w, "name", pw.pw_name);
	vg_jw_kuint(&w, "gid", st->st_gid);
	vg_jw_end(&w);
	snprintf(mode, sizeof mode, "%04o", (unsigned)(st->st_mode & 07777));
	vg_jw_kstr(&w, "mode", mode);
	if (d->has_md5) {
		vg_hex(d->md5, 16, hex);
		vg_jw_kstr(&w, "md5", hex);
	}
	if (d->has_sha1) {
		vg_hex(d->sha1, 20, hex);
		vg_jw_kstr(&w, "sha1", hex);
	}
	vg_hex(d->sha256, 32, hex);
	vg_jw_kstr(&w, "sha256", hex);
	vg_jw_key(&w, "matches");
	vg_jw_raw(&w, matches, mlen);
	vg_jw_kstr(&w, "action", qid ? "quarantined" : "reported");
	if (qid)
		vg_jw_kstr(&w, "quarantine_id", qid);
	if (qerr)
		vg_jw_kstr(&w, "quarantine_error", qerr);
	vg_jw_end(&w);
	vg_buf_addc(b, '\n');
}

void vg_report_skip(vg_buf_t *b, const char *path, const char *reason, int err, uint64_t size)
{
	vg_jw_t w;
	vg_jw_init(&w, b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "event_type", "scan_skip");
	vg_jw_kstr(&w, "path", path);
	vg_jw_kstr(&w, "reason", reason);
	if (size)
		vg_jw_kuint(&w, "size", size);
	if (err)
		vg_jw_kstr(&w, "error", strerror(err));
	vg_jw_end(&w);
	vg_buf_addc(b, '\n');
}

void vg_report_summary(vg_buf_t *b, const vg_scan_summary_t *s)
{
	vg_jw_t w;
	vg_jw_init(&w, b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "event_type", "scan_summary");
	vg_jw_kuint(&w, "files", s->files);
	vg_jw_kuint(&w, "bytes", s->bytes);
	vg_jw_kuint(&w, "hits", s->hits);
	vg_jw_key(&w, "skipped");
	vg_jw_obj(&w);
	for (int i = 0; i < VG_WSKIP__COUNT; i++)
		vg_jw_kuint(&w, vg_walk_skip_name((vg_walk_skip_t)i), s->skipped[i]);
	vg_jw_end(&w);
	vg_jw_kuint(&w, "errors", s->errors);
	vg_jw_kuint(&w, "yara_timeouts", s->yara_timeouts);
	vg_jw_kuint(&w, "yara_partial", s->yara_partial);
	vg_jw_key(&w, "duration_s");
	vg_jw_dbl(&w, (double)(int64_t)(s->duration_s * 1000.0 + 0.5) / 1000.0);
	double mbps = s->duration_s > 0 ? (double)s->bytes / 1e6 / s->duration_s : 0.0;
	vg_jw_key(&w, "mb_per_s");
	vg_jw_dbl(&w, (double)(int64_t)(mbps * 10.0 + 0.5) / 10.0);
	vg_jw_end(&w);
	vg_buf_addc(b, '\n');
}

/* ---- HTML ------------------------------------------------------------------ */

typedef struct hrow {
	char *group, *path, *detail;
	uint64_t size;
	char sha[65];
} hrow_t;

struct vg_html {
	hrow_t *r;
	size_t n, cap;
};

vg_html_t *vg_html_new(void)
{
	return calloc(1, sizeof(vg_html_t));
}

void vg_html_free(vg_html_t *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->r[i].group);
		free(h->r[i].path);
		free(h->r[i].detail);
	}
	free(h->r);
	free(h);
}

int vg_html_add(vg_html_t *h, const char *group, const char *path, uint64_t size,
		const char *sha256hex, const char *detail)
{
	if (h->n == h->cap) {
		size_t nc = h->cap ? h->cap * 2 : 16;
		hrow_t *p = realloc(h->r, nc * sizeof *p);
		if (!p)
			return VG_ENOMEM;
		h->r = p;
		h->cap = nc;
	}
	hrow_t *r = &h->r[h->n];
	r->group = strdup(group);
	r->path = strdup(path);
	r->detail = strdup(detail ? detail : "");
	r->size = size;
	snprintf(r->sha, sizeof r->sha, "%s", sha256hex);
	if (!r->group || !r->path || !r->detail) {
		free(r->group);
		free(r->path);
		free(r->detail);
		return VG_ENOMEM;
	}
	h->n++;
	return 0;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t l = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2 : (c & 0xF0) == 0xE0 ? 3
		: (c & 0xF8) == 0xF0 && c <= 0xF4 ? 4 : 0;
	if (!l || l > n)
		return 0;
	for (size_t i = 1; i < l; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return l;
}

static void html_esc(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		switch (c) {
		case '&': fputs("&amp;", f); i++; continue;
		case '<': fputs("&lt;", f); i++; continue;
		case '>': fputs("&gt;", f); i++; continue;
		case '"': fputs("&quot;", f); i++; continue;
		case '\'': fputs("&#39;", f); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\x%02x", c);
			i++;
			continue;
		}
		size_t l = utf8_len(p + i, n - i);
		if (!l) {
			fprintf(f, "\\x%02x", c);
			i++;
			continue;
		}
		fwrite(p + i, 1, l, f);
		i += l;
	}
}

static int row_cmp(const void *a, const void *b)
{
	const hrow_t *x = a, *y = b;
	int c = strcmp(x->group, y->group);
	return c ? c : strcmp(x->path, y->path);
}

int vg_html_write(vg_html_t *h, FILE *f, const vg_scan_summary_t *s, const char *roots)
{
	qsort(h->r, h->n, sizeof *h->r, row_cmp);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>vigil scan report</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:2em;color:#222}"
	      "table{border-collapse:collapse;margin-bottom:1.5em}"
	      "td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}"
	      "th{background:#eee}.hit{color:#a00}code{font-size:90%;word-break:break-all}\n"
	      "</style></head><body>\n<h1>vigil scan report</h1>\n<p>Scanned: ", f);
	html_esc(f, roots);
	fputs("</p>\n<h2>Summary</h2>\n<table>\n", f);
	fprintf(f, "<tr><th>Files scanned</th><td>%llu</td></tr>\n", (unsigned long long)s->files);
	fprintf(f, "<tr><th>Bytes scanned</th><td>%llu</td></tr>\n", (unsigned long long)s->bytes);
	fprintf(f, "<tr><th>Files with hits</th><td class=\"hit\">%llu</td></tr>\n",
		(unsigned long long)s->hits);
	for (int i = 0; i < VG_WSKIP__COUNT; i++)
		fprintf(f, "<tr><th>Skipped: %s</th><td>%llu</td></tr>\n",
			vg_walk_skip_name((vg_walk_skip_t)i), (unsigned long long)s->skipped[i]);
	fprintf(f, "<tr><th>Errors</th><td>%llu</td></tr>\n", (unsigned long long)s->errors);
	fprintf(f, "<tr><th>YARA timeouts</th><td>%llu</td></tr>\n",
		(unsigned long long)s->yara_timeouts);
	fprintf(f, "<tr><th>YARA on a prefix only</th><td>%llu</td></tr>\n",
		(unsigned long long)s->yara_partial);
	fprintf(f, "<tr><th>Duration</th><td>%.3f s</td></tr>\n</table>\n", s->duration_s);
	fputs("<h2>Hits</h2>\n", f);
	if (!h->n)
		fputs("<p>No hits.</p>\n", f);
	for (size_t i = 0; i < h->n;) {
		size_t j = i;
		while (j < h->n && !strcmp(h->r[j].group, h->r[i].group))
			j++;
		fputs("<h3>", f);
		html_esc(f, h->r[i].group);
		fprintf(f, " (%zu)</h3>\n<table>\n<tr><th>Path</th><th>Size</th><th>SHA-256</th>"
			"<th>Detail</th></tr>\n", j - i);
		for (size_t k = i; k < j; k++) {
			fputs("<tr><td><code>", f);
			html_esc(f, h->r[k].path);
			fprintf(f, "</code></td><td>%llu</td><td><code>%s</code></td><td>",
				(unsigned long long)h->r[k].size, h->r[k].sha);
			html_esc(f, h->r[k].detail);
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
		i = j;
	}
	fputs("</body></html>\n", f);
	return ferror(f) ? VG_EIO : 0;
}
