#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# defang.py DIR FILE: count the quarantine copies under DIR (files/ and tmp/)
# whose defanged content ("VGQUAR01" + bytes XOR 0xA5) equals FILE's bytes
# (FILE may be gone: then compare with the bytes of FILE.ref).  Prints
# "files=N tmp=M".  Used by the quarantine end-to-end cases.
import os, sys
d, ref = sys.argv[1], sys.argv[2]
want = open(ref, "rb").read()
out = []
for sub in ("files", "tmp"):
    n = 0
    p = os.path.join(d, sub)
    for f in sorted(os.listdir(p)) if os.path.isdir(p) else []:
        b = open(os.path.join(p, f), "rb").read()
        if b[:8] == b"VGQUAR01" and bytes(x ^ 0xA5 for x in b[8:]) == want:
            n += 1
    out.append("%s=%d" % (sub, n))
print(" ".join(out))
