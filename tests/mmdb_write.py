#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Test-only writer of tiny MaxMind DB (MMDB v2) country databases.

usage: mmdb_write.py OUT NET=CC [NET=CC]... [--corrupt]
  NET is a CIDR (IPv4 or IPv6); CC a country code stored as country.iso_code,
  or "reg:CC" to store only registered_country.iso_code.
  --corrupt writes a database whose metadata claims a search tree far larger
  than the file (libmaxminddb refuses to open it).
Follows the MaxMind DB file format spec: IPv6 tree (IPv4 under ::/96),
24-bit records, a 16-byte separator, then the data section, then the
metadata marker and map.  Nested networks are not supported (tests do not
need them).  Stdlib only.
"""
import ipaddress
import struct
import sys


def ctrl(t, size):
    """Control byte(s) for type t and payload size."""
    ext = b""
    if t > 7:
        first_t, ext = 0, bytes([t - 7])
    else:
        first_t = t
    if size < 29:
        return bytes([(first_t << 5) | size]) + ext
    if size < 285:
        return bytes([(first_t << 5) | 29]) + ext + bytes([size - 29])
    if size < 65821:
        return bytes([(first_t << 5) | 30]) + ext + struct.pack(">H", size - 285)
    return bytes([(first_t << 5) | 31]) + ext + struct.pack(">I", size - 65821)[1:]


def enc(v, kind=None):
    if isinstance(v, str):
        b = v.encode()
        return ctrl(2, len(b)) + b
    if isinstance(v, dict):
        out = ctrl(7, len(v))
        for k, x in v.items():
            out += enc(k) + (enc(x[1], x[0]) if isinstance(x, tuple) else enc(x))
        return out
    if isinstance(v, list):
        return ctrl(11, len(v)) + b"".join(enc(x) for x in v)
    if isinstance(v, int):
        kind = kind or "u32"
        t = {"u16": 5, "u32": 6, "u64": 9}[kind]
        b = v.to_bytes(8, "big").lstrip(b"\0")
        return ctrl(t, len(b)) + b
    raise TypeError(v)


def build(nets, corrupt=False):
    data = b""
    offsets = {}
    root = [None, None]
    for net, cc in nets:
        key = cc
        if key not in offsets:
            offsets[key] = len(data)
            if cc.startswith("reg:"):
                rec = {"registered_country": {"iso_code": cc[4:]}}
            else:
                rec = {"country": {"iso_code": cc}, "registered_country": {"iso_code": cc}}
            data += enc(rec)
        n = ipaddress.ip_network(net, strict=True)
        if n.version == 4:
            bits, plen = int(n.network_address), 96 + n.prefixlen
        else:
            bits, plen = int(n.network_address), n.prefixlen
        node = root
        for i in range(plen):
            b = (bits >> (127 - i)) & 1
            if i == plen - 1:
                node[b] = ("data", offsets[key])
            else:
                if node[b] is None:
                    node[b] = ("node", [None, None])
                node = node[b][1]
    # number nodes depth first
    order = []

    def walk(nd):
        order.append(nd)
        for c in nd:
            if c and c[0] == "node":
                walk(c[1])
    walk(root)
    ids = {id(nd): i for i, nd in enumerate(order)}
    count = len(order)
    tree = b""
    for nd in order:
        recs = []
        for c in nd:
            if c is None:
                recs.append(count)
            elif c[0] == "node":
                recs.append(ids[id(c[1])])
            else:
                recs.append(count + 16 + c[1])
        tree += recs[0].to_bytes(3, "big") + recs[1].to_bytes(3, "big")
    meta = {
        "node_count": ("u32", count * 1000 if corrupt else count),
        "record_size": ("u16", 24),
        "ip_version": ("u16", 6),
        "database_type": "Vigil-Test-Country",
        "languages": ["en"],
        "binary_format_major_version": ("u16", 2),
        "binary_format_minor_version": ("u16", 0),
        "build_epoch": ("u64", 1700000000),
        "description": {"en": "vigil test database"},
    }
    return tree + b"\0" * 16 + data + b"\xab\xcd\xefMaxMind.com" + enc(meta)


def main(argv):
    corrupt = "--corrupt" in argv
    args = [a for a in argv[1:] if a != "--corrupt"]
    out = args[0]
    nets = [tuple(a.split("=", 1)) for a in args[1:]]
    with open(out, "wb") as f:
        f.write(build(nets, corrupt))


if __name__ == "__main__":
    main(sys.argv)
