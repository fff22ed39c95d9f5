#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""verdicts.py FILE.json [PREFIX] - print "check verdict" for every result object
(any JSON object with "check" and "verdict" keys) in a vigil audit JSON report,
sorted and unique; only checks starting with PREFIX when given."""
import json, sys

def walk(x, out):
    if isinstance(x, dict):
        if isinstance(x.get('check'), str) and isinstance(x.get('verdict'), str):
            out.add('%s %s' % (x['check'], x['verdict']))
        for v in x.values():
            walk(v, out)
    elif isinstance(x, list):
        for v in x:
            walk(v, out)

out = set()
with open(sys.argv[1]) as f:
    walk(json.load(f), out)
pre = sys.argv[2] if len(sys.argv) > 2 else ''
for line in sorted(out):
    if line.startswith(pre):
        print(line)
