// SPDX-License-Identifier: Apache-2.0
/*
 * report_html.c — `vigil audit --html FILE`: one self-contained page a
 * person reads (no scripts, no external resources): header facts, a pass /
 * fail chart of the provisions as inline SVG (one stacked bar plus a
 * legend), the per-provision table with every scheme label and the results
 * that decided it, and the flat list of check results.
 * Every string that comes from the subject (evidence, targets, info values,
 * even map titles, which users can override) goes through esc(), which
 * escapes & < > " ' so evidence can never become markup.
 */
#include "audit/audit_int.h"

#include "lib/buf.h"
#include "lib/timefmt.h"

#include <vigil/common.h>

#include <stdio.h>
#include <string.h>

static void esc(vg_buf_t *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': vg_buf_adds(b, "&amp;"); break;
		case '<': vg_buf_adds(b, "&lt;"); break;
		case '>': vg_buf_adds(b, "&gt;"); break;
		case '"': vg_buf_adds(b, "&quot;"); break;
		case '\'': vg_buf_adds(b, "&#39;"); break;
		default: vg_buf_addc(b, *s);
		}
	}
}

static const char *const cls[] = {"nt", "pass", "inc", "fail"};
static const char *const fill[] = {"#bbbbbb", "#2e7d32", "#f9a825", "#c62828"};

static const char css[] =
	"body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
	"h1{font-size:1.4em}table{border-collapse:collapse;width:100%;margin:1em 0}"
	"th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;"
	"font-size:.9em}th{background:#f0f0f0}.fail{background:#fdecea}"
	".inc{background:#fff8e1}.pass{background:#edf7ed}.nt{color:#777}"
	"ul{margin:0;padding-left:1.2em}code{font-size:.95em}"
	"dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}dt{font-weight:bold}";

static void chart(vg_buf_t *b, const size_t c[4], size_t total)
{
	const int W = 600;
	vg_buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"64\" "
		       "role=\"img\" aria-label=\"provision verdicts\">", W + 2);
	double x = 1;
	for (int v = VG_V_FAIL; v >= VG_V_NOT_TESTED; v--) {
		double w = total ? (double)W * (double)c[v] / (double)total : 0;
		if (w > 0)
			vg_buf_addf(b, "<rect x=\"%.1f\" y=\"1\" width=\"%.1f\" height=\"28\" "
				       "fill=\"%s\"><title>%s: %zu</title></rect>",
				    x, w, fill[v], vg_verdict_name(v), c[v]);
		x += w;
	}
	int lx = 1;
	for (int v = VG_V_FAIL; v >= VG_V_NOT_TESTED; v--) {
		vg_buf_addf(b, "<rect x=\"%d\" y=\"42\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			       "<text x=\"%d\" y=\"53\" font-size=\"12\">%s %zu</text>",
			    lx, fill[v], lx + 16, vg_verdict_name(v), c[v]);
		lx += 150;
	}
	vg_buf_adds(b, "</svg>\n");
}

static void res_li(vg_buf_t *b, const vg_ares_t *r)
{
	vg_buf_addf(b, "<li class=\"%s\"><b>%s</b> <code>", cls[r->verdict],
		    vg_verdict_name(r->verdict));
	esc(b, r->check);
	vg_buf_adds(b, "</code> ");
	if (*r->target) {
		esc(b, r->target);
		vg_buf_adds(b, ": ");
	}
	esc(b, r->evidence);
	vg_buf_adds(b, "</li>");
}

int audit_write_html(const vg_audit_t *a, const vg_aprov_t *pv, const char *path)
{
	vg_buf_t b = VG_BUF_INIT;
	size_t np = vg_amap_nprov(a->map), pc[4] = {0};
	for (size_t i = 0; i < np; i++)
		pc[pv[i].verdict]++;
	char ts[40];
	vg_buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			"<title>vigil audit: ");
	esc(&b, a->subject);
	vg_buf_addf(&b, "</title><style>%s</style></head><body>\n<h1>vigil audit %s: ", css,
		    a->kind);
	esc(&b, a->subject);
	vg_buf_adds(&b, "</h1>\n<dl>");
	vg_time_iso(a->start, ts, sizeof(ts));
	vg_buf_addf(&b, "<dt>tool</dt><dd>vigil %s</dd><dt>start</dt><dd>%s</dd>", VG_VERSION, ts);
	vg_time_iso(a->end, ts, sizeof(ts));
	vg_buf_addf(&b, "<dt>end</dt><dd>%s</dd>", ts);
	for (size_t i = 0; i < a->ni; i++) {
		vg_buf_adds(&b, "<dt>");
		esc(&b, a->ik[i]);
		vg_buf_adds(&b, "</dt><dd>");
		esc(&b, a->iv[i]);
		vg_buf_adds(&b, "</dd>");
	}
	vg_buf_adds(&b, "<dt>maps</dt><dd>");
	for (size_t i = 0; i < vg_amap_nfiles(a->map); i++) {
		const char *n, *v;
		vg_amap_file(a->map, i, &n, &v);
		vg_buf_adds(&b, i ? ", " : "");
		esc(&b, n);
		vg_buf_adds(&b, " ");
		esc(&b, v);
	}
	vg_buf_adds(&b, "</dd></dl>\n<h2>Provisions (ETSI EN 303 645)</h2>\n");
	chart(&b, pc, np);
	vg_buf_adds(&b, "<table><tr><th>Provision</th><th>Req.</th><th>Title</th>"
			"<th>Verdict</th><th>QCVN 135:2024</th><th>Decision 724</th>"
			"<th>OWASP IoT 2018</th><th>NISTIR 8259A</th><th>Evidence</th></tr>\n");
	for (size_t i = 0; i < np; i++) {
		const vg_prov_t *p = pv[i].p;
		vg_buf_addf(&b, "<tr class=\"%s\"><td>", cls[pv[i].verdict]);
		esc(&b, p->id);
		vg_buf_adds(&b, "</td><td>");
		esc(&b, p->req);
		vg_buf_adds(&b, "</td><td>");
		esc(&b, p->title);
		vg_buf_addf(&b, "</td><td><b>%s</b></td><td>", vg_verdict_name(pv[i].verdict));
		esc(&b, p->qcvn);
		vg_buf_adds(&b, "</td><td>");
		esc(&b, p->d724);
		vg_buf_adds(&b, "</td><td>");
		esc(&b, p->owasp);
		vg_buf_adds(&b, "</td><td>");
		esc(&b, p->nist);
		vg_buf_adds(&b, "</td><td>");
		if (pv[i].nres) {
			vg_buf_adds(&b, "<ul>");
			for (size_t j = 0; j < pv[i].nres; j++)
				res_li(&b, &a->r[pv[i].res[j]]);
			vg_buf_adds(&b, "</ul>");
		}
		vg_buf_adds(&b, "</td></tr>\n");
	}
	vg_buf_adds(&b, "</table>\n<h2>Check results</h2>\n<ul>");
	for (size_t i = 0; i < a->n; i++)
		res_li(&b, &a->r[i]);
	vg_buf_adds(&b, "</ul>\n</body></html>\n");
	int r = VG_ENOMEM;
	if (!b.oom) {
		FILE *f = fopen(path, "w");
		r = VG_EIO;
		if (f) {
			size_t n = fwrite(b.p, 1, b.len, f);
			r = fclose(f) || n != b.len ? VG_EIO : 0;
		}
	}
	vg_buf_release(&b);
	return r;
}
