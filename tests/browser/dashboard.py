#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Drive the hub dashboard in headless Chromium (Debian's `chromium`) and
check what it rendered.  Python 3 stdlib only; no pip, no npm.

The page is opened as URL/dashboard/index.html#token=T&q=VALUE&days=N:
the app takes the token from the fragment into sessionStorage (as a user's
login would), loads GET /stats and, with q, searches GET /indicators.
`chromium --headless --dump-dom --virtual-time-budget` runs the page until
its fetches settle and prints the DOM, which is parsed here:

  --bars N        the chart is an <svg id="chart-svg"> with exactly N
                  <rect class="bar"> (one per day of the period)
  --total N       the bars' data-count values sum to N
  --nonzero N     exactly N bars have a count above 0
  --text S        S appears in the page's text (repeatable)
  --forbid S      S appears NOWHERE in the DOM (text, attributes; repeatable):
                  e.g. the name of another org's TLP:RED object
  --results N     the indicator search listed N rows

Exit 0 when every check holds, 1 with one line per failed check, 77 when
chromium is missing (the caller skips).
"""
import argparse
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bars = []
        self.svg_ids = []
        self.text = []
        self.attrs_text = []
        self.body = {}
        self.result_rows = 0
        self._in_results = 0
        self._in_tbody = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            self.attrs_text.append('%s=%s' % (k, v or ''))
        if tag in ('script', 'style'):
            self._skip += 1
        if tag == 'svg':
            self.svg_ids.append(a.get('id', ''))
        if tag == 'rect' and 'bar' in (a.get('class') or '').split():
            self.bars.append(a)
        if tag == 'body':
            self.body = a
        if tag == 'table' and a.get('id') == 'results':
            self._in_results = 1
        if self._in_results and tag == 'tbody':
            self._in_tbody = True
        if self._in_results and self._in_tbody and tag == 'tr':
            self.result_rows += 1
        if self._in_results and self._in_tbody and tag == 'td' and \
                'empty' in (a.get('class') or '').split():
            self.result_rows -= 1

    def handle_endtag(self, tag):
        if tag in ('script', 'style') and self._skip:
            self._skip -= 1
        if tag == 'table' and self._in_results:
            self._in_results = 0
            self._in_tbody = False

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def run_chromium(chromium, url, budget_ms):
    prof = tempfile.mkdtemp(prefix='vigil-chromium-')
    try:
        cmd = [chromium, '--headless', '--disable-gpu', '--no-sandbox', '--no-first-run',
               '--disable-dev-shm-usage', '--disable-extensions', '--disable-sync',
               '--disable-background-networking', '--user-data-dir=' + prof,
               '--virtual-time-budget=%d' % budget_ms, '--dump-dom', url]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    finally:
        shutil.rmtree(prof, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--hub', required=True, help='base URL, e.g. http://127.0.0.1:8443')
    ap.add_argument('--token', required=True)
    ap.add_argument('--q', default='')
    ap.add_argument('--days', default='30')
    ap.add_argument('--bars', type=int)
    ap.add_argument('--total', type=int)
    ap.add_argument('--nonzero', type=int)
    ap.add_argument('--results', type=int)
    ap.add_argument('--text', action='append', default=[])
    ap.add_argument('--forbid', action='append', default=[])
    ap.add_argument('--dump', help='write the DOM here')
    args = ap.parse_args()

    chromium = os.environ.get('CHROMIUM') or shutil.which('chromium') or \
        shutil.which('chromium-browser')
    if not chromium:
        print('chromium not installed (Debian package chromium)')
        return 77
    frag = {'token': args.token, 'days': args.days}
    if args.q:
        frag['q'] = args.q
    url = args.hub.rstrip('/') + '/dashboard/index.html#' + urllib.parse.urlencode(frag)
    dom_text = ''
    for budget in (10000, 30000):
        rc, dom_text, err = run_chromium(chromium, url, budget)
        if rc != 0:
            print('chromium failed (rc %d): %s' % (rc, err.strip()[-500:]))
            return 1
        if 'data-ready="1"' in dom_text:
            break
    if args.dump:
        with open(args.dump, 'w') as f:
            f.write(dom_text)
    d = Dom()
    d.feed(dom_text)
    bad = []
    if d.body.get('data-ready') != '1':
        bad.append('page not ready (body data-loaded=%r): login or API failed'
                   % d.body.get('data-loaded'))
    if args.bars is not None:
        if 'chart-svg' not in d.svg_ids:
            bad.append('no <svg id="chart-svg">')
        if len(d.bars) != args.bars:
            bad.append('chart: %d bars, want %d' % (len(d.bars), args.bars))
    counts = [int(b.get('data-count', '0') or 0) for b in d.bars]
    if args.total is not None and sum(counts) != args.total:
        bad.append('chart: total %d, want %d' % (sum(counts), args.total))
    if args.nonzero is not None and sum(1 for c in counts if c) != args.nonzero:
        bad.append('chart: %d non-empty bars, want %d' % (sum(1 for c in counts if c), args.nonzero))
    text = ' '.join(d.text)
    for s in args.text:
        if s not in text:
            bad.append('text not shown: %r' % s)
    for s in args.forbid:
        if s in dom_text or s in text or any(s in a for a in d.attrs_text):
            bad.append('forbidden string in the DOM: %r' % s)
    if args.results is not None and d.result_rows != args.results:
        bad.append('search: %d rows, want %d' % (d.result_rows, args.results))
    for b in bad:
        print(b)
    if not bad:
        print('dashboard ok: %d bars, total %d, %d search rows' % (len(d.bars), sum(counts),
                                                                  d.result_rows))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
