#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/audit.sh — `vigil audit device` over 64 fake cameras (127.0.1.1-64, one python
# process: tests/fakes/iotfake.py) against `nmap -sT -p <same TCP ports> --script banner`
# on the same targets, in one run.  Every device has FTP 2121, telnet 2323, HTTP Digest
# 8080, HTTPS 8443 (self-signed 1024-bit), RTSP Digest 8554 and SSDP on 1900/udp; even
# devices keep the default admin/12345, odd ones an unlisted password (so the whole
# credential list is tried).  Prints both wall times, vigil's login attempts and the
# most login attempts any one service saw in one second (the rate limit
# check: vigil paces logins to --rate per service).
#   usage: bench/audit.sh            (B=<build dir>, default build; RATE=10 PARALLEL=128;
#                                     NMAP=0 skips the nmap run)
set -u
B=${B:-build}
VIGIL=${VIGIL:-$B/vigil}
RATE=${RATE:-10}
PARALLEL=${PARALLEL:-128}
N=64
ROOT=$(pwd)
T=$(mktemp -d)
trap 'kill $even $odd 2>/dev/null; wait 2>/dev/null; mkdir -p bench/out; cp "$T/audit.json" bench/out/audit.json 2>/dev/null; rm -rf "$T"' EXIT
openssl req -x509 -newkey rsa:1024 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 30 -subj /CN=benchcam 2>/dev/null
ev=""; od=""
i=1
while [ $i -le $N ]; do
	if [ $((i % 2)) = 0 ]; then ev="$ev --addr 127.0.1.$i"; else od="$od --addr 127.0.1.$i"; fi
	i=$((i + 1))
done
svcs() {
	echo "--svc ftp:2121:pass=$1 --svc telnet:2323:pass=$1 --svc http:8080:auth=digest,pass=$1 \
--svc http:8443:tls=1,tlsmin=1.0,auth=digest,pass=$1 --svc rtsp:8554:auth=digest,pass=$1 --svc udp:1900:ssdp=1,http=8080"
}
# shellcheck disable=SC2046,SC2086
python3 tests/fakes/iotfake.py $ev --ready "$T/ready.even" --log "$T/conn.log" --cert "$T/cert.pem" --key "$T/key.pem" $(svcs 12345) > "$T/fake.even" 2>&1 &
even=$!
# shellcheck disable=SC2046,SC2086
python3 tests/fakes/iotfake.py $od --ready "$T/ready.odd" --log "$T/conn.log" --cert "$T/cert.pem" --key "$T/key.pem" $(svcs Unlisted-9x) > "$T/fake.odd" 2>&1 &
odd=$!
i=0
while [ ! -f "$T/ready.even" ] || [ ! -f "$T/ready.odd" ]; do
	sleep 0.2; i=$((i + 1))
	[ $i -lt 150 ] || { echo "audit bench: fakes did not start"; cat "$T"/fake.*; exit 1; }
done
printf 'owner = vigil bench\nvalid-from = 2026-01-01\nvalid-until = 2099-12-31\ntarget = 127.0.1.0/24\n' > "$T/scope.ini"
targets=""
i=1
while [ $i -le $N ]; do targets="$targets 127.0.1.$i"; i=$((i + 1)); done
PORTS=2121,2323,8080,8443,8554
echo "== audit: $N fake cameras on 127.0.1.1-$N, TCP $PORTS + 1900/udp"
s=$(date +%s.%N)
# shellcheck disable=SC2086
"$VIGIL" audit device --scope "$T/scope.ini" --ports "$PORTS,1900/udp" --rate "$RATE" --timeout 2000 \
	--max-parallel "$PARALLEL" -q --json "$T/audit.json" $targets
rc=$?
e=$(date +%s.%N)
vt=$(echo "$e - $s" | bc)
: > "$T/conn.nmap.mark"
s=$(date +%s.%N)
if [ "${NMAP:-1}" = 1 ]; then
	nmap -n -Pn -sT -p "$PORTS" --script banner -oN "$T/nmap.txt" 127.0.1.1-$N > /dev/null 2>&1
	nrc=$?
else
	: > "$T/nmap.txt"; nrc=skipped
fi
e=$(date +%s.%N)
nt=$(echo "$e - $s" | bc)
python3 - "$T/audit.json" "$T/conn.log" "$T/nmap.txt" "$vt" "$nt" "$rc" "$nrc" "$RATE" <<'PY'
import json, sys, collections
aj, log, nm, vt, nt, rc, nrc, rate = sys.argv[1:]
res = collections.Counter()
def walk(x):
    if isinstance(x, dict):
        if isinstance(x.get('check'), str) and isinstance(x.get('verdict'), str) and 'target' in x:
            res[(x['check'], x['verdict'], x.get('target'), x.get('evidence'))] += 1
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(json.load(open(aj)))
by = collections.Counter((c, v) for (c, v, t, e) in res)
fails = sum(n for (c, v), n in by.items() if v == 'FAIL')
creds = collections.Counter(v for (c, v) in by.elements() if c.startswith('net.cred.'))
per = collections.Counter()
logins = 0
for line in open(log):
    ts, kind, ep = line.split()
    if kind == 'auth':
        logins += 1
        per[(ep, int(float(ts)))] += 1
peak = max(per.values()) if per else 0
peak_ep = max(per, key=per.get)[0] if per else '-'
tcp_conns = sum(1 for l in open(log) if ' tcp ' in l)
ncount = sum(1 for l in open(nm) if '/tcp' in l and 'open' in l)
print('vigil audit device : %6.2f s  (exit %s; %d result rows; %d FAIL; credential verdicts %s)' % (float(vt), rc, len(res), fails, dict(creds)))
print('nmap -sT --script banner: %6.2f s  (exit %s; %d open ports reported)' % (float(nt), nrc, ncount))
print('TCP connections to the fakes (vigil + nmap): %d; login attempts seen: %d; most logins one service saw in one calendar second: %d (%s); --rate %s' % (tcp_conns, logins, peak, peak_ep, rate))
PY
