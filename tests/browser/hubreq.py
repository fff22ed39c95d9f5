#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""hubreq.py — one HTTP request to a test hub (Python stdlib only), for the
end-to-end cases: prints "STATUS" on the first line, then the body
(JSON bodies re-serialised with sorted keys when --json is given; --jq PATH
prints just one dotted value of a JSON reply, e.g. top_indicators.0.sightings).

  hubreq.py [-X METHOD] [-t TOKEN] [-d FILE|-|@STRING] [-c CONTENT_TYPE]
            [-H 'Name: value']... [--json] [--jq PATH] [--show-headers] URL
"""
import argparse
import http.client
import json
import sys
import urllib.parse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('url')
    ap.add_argument('-X', dest='method')
    ap.add_argument('-t', dest='token')
    ap.add_argument('-d', dest='data')
    ap.add_argument('-c', dest='ctype', default='application/json')
    ap.add_argument('-H', dest='headers', action='append', default=[])
    ap.add_argument('--json', action='store_true')
    ap.add_argument('--jq')
    ap.add_argument('--show-headers', action='store_true')
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.url)
    body = None
    if a.data is not None:
        if a.data == '-':
            body = sys.stdin.buffer.read()
        elif a.data.startswith('@'):
            body = a.data[1:].encode()
        else:
            with open(a.data, 'rb') as f:
                body = f.read()
    method = a.method or ('POST' if body is not None else 'GET')
    hdrs = {}
    if a.token:
        hdrs['Authorization'] = 'Bearer ' + a.token
    if body is not None:
        hdrs['Content-Type'] = a.ctype
    for h in a.headers:
        k, v = h.split(':', 1)
        hdrs[k.strip()] = v.strip()
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    path = u.path + ('?' + u.query if u.query else '')
    c.request(method, path, body=body, headers=hdrs)
    r = c.getresponse()
    data = r.read()
    if a.jq is not None:
        v = json.loads(data)
        for k in a.jq.split('.') if a.jq else []:
            v = v[int(k)] if isinstance(v, list) else v[k]
        print(json.dumps(v) if not isinstance(v, str) else v)
        return 0
    print(r.status)
    if a.show_headers:
        for k, v in r.getheaders():
            if k.lower() in ('etag', 'content-type'):
                print('%s: %s' % (k, v))
    if a.json and data:
        print(json.dumps(json.loads(data), sort_keys=True))
    elif data:
        sys.stdout.write(data.decode('utf-8', 'replace'))
        if not data.endswith(b'\n'):
            print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
