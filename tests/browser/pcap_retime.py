#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pcap_retime.py IN OUT [SECONDS_AGO] — copy a classic pcap file (either
byte order, micro- or nanosecond magic) with every timestamp shifted so its
first packet is SECONDS_AGO (default 3600) before now, keeping the gaps.
The hub's /stats counts sightings of the last N days, so the end-to-end
cases feed vigil watch a capture that happened "just now"."""
import struct
import sys
import time


def main():
    src, dst = sys.argv[1], sys.argv[2]
    ago = int(sys.argv[3]) if len(sys.argv) > 3 else 3600
    data = open(src, 'rb').read()
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        sys.exit('%s: not a classic pcap file' % src)
    out = bytearray(data[:24])
    off, shift = 24, None
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(e + 'IIII', data[off:off + 16])
        if shift is None:
            shift = int(time.time()) - ago - sec
        out += struct.pack(e + 'IIII', sec + shift, frac, incl, orig)
        out += data[off + 16:off + 16 + incl]
        off += 16 + incl
    open(dst, 'wb').write(out)


if __name__ == '__main__':
    main()
