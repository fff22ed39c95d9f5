# SPDX-License-Identifier: Apache-2.0
# Tiny authoritative DNS server for the 1950-live-netns case (python3 stdlib only).
# Usage: python3 dns_server.py BIND_ADDR ANSWER_IPV4
# Answers every A query with one A record ANSWER_IPV4 (TTL 60) and any other qtype with an
# empty NOERROR response. Writes "ready" to stdout once bound.
import socket
import struct
import sys

bind, answer = sys.argv[1], socket.inet_aton(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((bind, 53))
print("ready", flush=True)
while True:
    q, peer = s.recvfrom(4096)
    if len(q) < 12:
        continue
    qid, flags, qd = struct.unpack("!HHH", q[:6])
    if qd != 1 or flags & 0x8000:
        continue
    i = 12
    while i < len(q) and q[i]:
        i += 1 + q[i]
    qend = i + 5
    if qend > len(q):
        continue
    qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
    question = q[12:qend]
    an = b""
    if qtype == 1:
        an = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + answer
    hdr = struct.pack("!HHHHHH", qid, 0x8180 | (flags & 0x0100), 1, 1 if an else 0, 0, 0)
    s.sendto(hdr + question + an, peer)
