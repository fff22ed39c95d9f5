#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the pcap of the foreign-destination cases (tests/cases/26xx-*).

usage: gen_geo_pcap.py OUT.pcap
Every flow is a TCP handshake (SYN, SYN/ACK, ACK: 3 packets) to port 443:
  camera 192.168.10.101 -> 203.0.113.10  x5 flows  (foreign: US)
  camera 192.168.10.101 -> 14.160.1.1    x2 flows  (home country: VN)
  camera 192.168.10.101 -> 198.51.100.7  x2 flows  (foreign, allowlisted)
  camera fd00:10::102   -> 2001:db8::10  x1 flow   (IPv6, foreign: DE)
  laptop 192.168.20.5   -> 203.0.113.10  x3 flows  (outside the watched net)
  camera 192.168.10.101 -> 192.168.10.1  x1 flow   (LAN peer, never foreign)
Stdlib only; timestamps start at 2026-01-01T00:00:00Z, 1 s per flow.
"""
import ipaddress
import struct
import sys

T0 = 1767225600


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def tcp(src, dst, sp, dp, seq, ack, flags):
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    hdr = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0)
    if s.version == 4:
        pseudo = s.packed + d.packed + struct.pack("!BBH", 0, 6, len(hdr))
    else:
        pseudo = s.packed + d.packed + struct.pack("!IxxxB", len(hdr), 6)
    c = csum(pseudo + hdr)
    hdr = hdr[:16] + struct.pack("!H", c) + hdr[18:]
    if s.version == 4:
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(hdr), 1, 0, 64, 6, 0, s.packed, d.packed)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    else:
        ip = struct.pack("!IHBB16s16s", 6 << 28, len(hdr), 6, 64, s.packed, d.packed)
        eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x86\xdd"
    return eth + ip + hdr


def main(out):
    flows = ([("192.168.10.101", "203.0.113.10")] * 5 + [("192.168.10.101", "14.160.1.1")] * 2 +
             [("192.168.10.101", "198.51.100.7")] * 2 + [("fd00:10::102", "2001:db8::10")] +
             [("192.168.20.5", "203.0.113.10")] * 3 + [("192.168.10.101", "192.168.10.1")])
    pkts = []
    for i, (c, s) in enumerate(flows):
        t = T0 + i
        sp = 40000 + i
        pkts.append((t, 0, tcp(c, s, sp, 443, 1000, 0, 0x02)))
        pkts.append((t, 1000, tcp(s, c, 443, sp, 5000, 1001, 0x12)))
        pkts.append((t, 2000, tcp(c, s, sp, 443, 1001, 5001, 0x10)))
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, us, p in pkts:
            f.write(struct.pack("<IIII", t, us, len(p), len(p)) + p)


if __name__ == "__main__":
    main(sys.argv[1])
