#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/devices.sh — cost of passive device fingerprinting in `vigil watch`.
#
# Runs `vigil watch -r PCAP -o /dev/null` with fingerprinting off, on (--devices) and on
# with the SQLite inventory (--inventory, flushed every second), on two captures:
#   mixed   the mixed benchmark capture of bench/run (bench/out/mixed-$PKTS.pcap; generated
#           with $B/bench/gen_pcap when missing, like bench/run does)
#   rich    500 devices announcing themselves (DHCP, mDNS/SSDP/WS-Discovery/SADP, an HTTP
#           banner, a little traffic each), ROUNDS rounds: tests/gen/devices_pcap.py rich
# and prints them side by side with the overhead in % (target: <= 10% for --devices).
#   usage: bench/devices.sh            (B=build dir, default build)
# Environment: VIGIL_BENCH_PKTS (mixed capture size, default 2000000), VIGIL_BENCH_RUNS
# (hyperfine runs, default 5), VIGIL_BENCH_ROUNDS (rounds of the rich capture, default 40).
# Timing: hyperfine median when installed, else the best of RUNS /usr/bin/time runs.
set -u
B=${B:-build}
OUT=bench/out
PKTS=${VIGIL_BENCH_PKTS:-2000000}
RUNS=${VIGIL_BENCH_RUNS:-5}
ROUNDS=${VIGIL_BENCH_ROUNDS:-40}
VIGIL=$B/vigil
MIXED=$OUT/mixed-$PKTS.pcap
RICH=$OUT/devices-500x$ROUNDS.pcap
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-dev.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

[ -x "$VIGIL" ] || { echo "bench/devices.sh: $VIGIL is missing (run make B=$B)" >&2; exit 1; }
mkdir -p "$OUT"
if [ ! -s "$MIXED" ]; then
	[ -x "$B/bench/gen_pcap" ] || { echo "bench/devices.sh: $B/bench/gen_pcap is missing (make B=$B $B/bench/gen_pcap)" >&2; exit 1; }
	echo "generating $MIXED ($PKTS packets, seed 1)"
	"$B/bench/gen_pcap" mixed "$MIXED.tmp" "$PKTS" 1 && mv "$MIXED.tmp" "$MIXED" || exit 1
fi
if [ ! -s "$RICH" ]; then
	echo "generating $RICH (500 devices, $ROUNDS rounds)"
	python3 tests/gen/devices_pcap.py rich "$RICH.tmp" "$ROUNDS" && mv "$RICH.tmp" "$RICH" || exit 1
fi

# measure CMD: sets T (median seconds)
measure() {
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -i --style none --warmup 1 --runs "$RUNS" --export-json "$TMP/h.json" "$1" \
			>/dev/null 2>&1 &&
			T=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$TMP/h.json") &&
			return 0
	fi
	T=""
	i=0
	while [ $i -lt "$RUNS" ]; do
		/usr/bin/time -f %e -o "$TMP/t" sh -c "$1" >/dev/null 2>&1
		t=$(cat "$TMP/t")
		T=$(awk -v a="${T:-$t}" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
		i=$((i + 1))
	done
}

pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.1f%%", (a - b) * 100 / b; else print "n/a" }'; }

echo ""
echo "== device fingerprinting overhead (vigil watch -r PCAP -o /dev/null; median of $RUNS)"
printf '%-28s %10s %10s %9s %12s %9s\n' capture "off (s)" "--devices" overhead "--inventory" overhead
for p in "$MIXED" "$RICH"; do
	n=$(tcpdump -r "$p" -nn 2>/dev/null | wc -l 2>/dev/null || echo "?")
	base="$VIGIL watch -q -r $p -o /dev/null"
	measure "$base"; t0=$T
	measure "$base --devices"; t1=$T
	rm -f "$TMP/inv.db"*
	measure "rm -f $TMP/inv.db*; $base --inventory $TMP/inv.db"; t2=$T
	printf '%-28s %10s %10s %9s %12s %9s\n' "$(basename "$p") ($n pkts)" "$t0" "$t1" \
		"$(pct "$t1" "$t0")" "$t2" "$(pct "$t2" "$t0")"
done
"$VIGIL" devices -q --from-pcap "$RICH" --format csv 2>/dev/null | tail -n +2 | wc -l |
	awk '{ print "(rich capture: " $1 " devices in the inventory)" }'
