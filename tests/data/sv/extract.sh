#!/bin/sh
# Regenerates the payload files in this folder from OISF/suricata-verify pcaps
# (MIT, see LICENSE.txt).  Usage: tests/data/sv/extract.sh <suricata-verify/tests dir>
# name  pcap  frame-filter
set -e
SV=$1; D=$(dirname "$0")
x() { tshark -r "$SV/$2" -Y "$3" -T fields -e "$4" | tr -d '\n:' | xxd -r -p > "$D/$1"; }
x dns-fwdptr-q.bin   dns-forward-pointer/input.pcap            frame.number==1 udp.payload
x dns-fwdptr-r.bin   dns-forward-pointer/input.pcap            frame.number==2 udp.payload
x dns-trunc-rname.bin dns-truncated-rname/poc2.pcap            'frame.number==5||frame.number==6' tcp.payload
x dns-corrupt-add.bin dns-corrupt-additionals/input.pcap       frame.number==2 udp.payload
x dns-dig-q.bin      cond-log-dns-dig/input.pcap               frame.number==1 udp.payload
x dns-dig-r.bin      cond-log-dns-dig/input.pcap               frame.number==2 udp.payload
x dns-tcp-q.bin      dns-tcp-www-google-com/dns.pcap           frame.number==4 tcp.payload
x dns-tcp-r.bin      dns-tcp-www-google-com/dns.pcap           frame.number==6 tcp.payload
x dns-unsol-r1.bin   dns-udp-unsolicited-response/dns-response-2x.pcap frame.number==2 udp.payload
x dns-ds04.bin       datasets-04-http-dns/input.pcap           frame.number==1 udp.payload
x http-ds04.bin      datasets-04-http-dns/input.pcap           frame.number==2 tcp.payload
x dns-sub1.bin       datasets-match-subdomain/input.pcap       frame.number==1 udp.payload
x dns-sub2.bin       datasets-match-subdomain/input.pcap       frame.number==2 udp.payload
x tls-frag-seg1.bin  tls-client-hello-frag-01/dump_mtu300.pcap frame.number==4 tcp.payload
x tls-frag-seg2.bin  tls-client-hello-frag-01/dump_mtu300.pcap frame.number==5 tcp.payload
x tls-frag-seg3.bin  tls-client-hello-frag-01/dump_mtu300.pcap frame.number==6 tcp.payload
x tls-frag-sh.bin    tls-client-hello-frag-01/dump_mtu300.pcap frame.number==10 tcp.payload
x tls13-d28-ch.bin   tls13-draft28/tls13_draft28.pcap          frame.number==4 tcp.payload
x tls13-d28-sh.bin   tls13-draft28/tls13_draft28.pcap          frame.number==6 tcp.payload
x tls-7264-ch.bin    bug-7264-tcp-3whs-ack-data-tls-01/input.pcap frame.number==3 tcp.payload
x http-ipv6-req.bin  http-ipv6/input.pcap                      frame.number==5 tcp.payload
x http-ipv6-resp.bin http-ipv6/input.pcap                      frame.number==7 tcp.payload
