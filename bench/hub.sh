#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/hub.sh — the hub's benchmarks, both stores side by side (SQLite, and
# PostgreSQL started here on 127.0.0.1 when its server binaries exist):
#   ingest  sightings/s in batches of 1,000: the store function directly
#           (bench_hub_ingest) and, when /sightings is served, over HTTP with wrk
#   taxii   GET of 100 objects per page from an N-object collection (wrk, p50/p99),
#           at the start and at a cursor in the middle
#   feed    GET /feeds/NAME with If-None-Match (304 path, wrk, p99), when /feeds is served
# usage: B=build bench/hub.sh        environment: VIGIL_BENCH_HUB_N (default 1000000),
#        VIGIL_BENCH_HUB_SECS (wrk seconds per row, default 10), HUB_STORES.
# Everything listens on 127.0.0.1 only and is stopped on exit.
set -u
B=${B:-build}
N=${VIGIL_BENCH_HUB_N:-1000000}
SECS=${VIGIL_BENCH_HUB_SECS:-10}
STORES=${HUB_STORES:-sqlite postgresql}
VIGIL=$B/vigil
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-hubbench.XXXXXX") || exit 1
chmod 755 "$TMP"
HUBPID=
cleanup() {
	[ -n "$HUBPID" ] && kill "$HUBPID" 2>/dev/null && wait "$HUBPID" 2>/dev/null
	[ -e "$TMP/pg" ] && python3 tests/hub/hubtest.py pg-stop "$TMP/pg"
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
say() { printf '%s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
TAXII='application/taxii+json;version=2.1'

# lat LINE: "p50 p99" from wrk --latency output on stdin
lat() { awk '/^ +50%/{p50=$2} /^ +99%/{p99=$2} /Requests\/sec/{rps=$2} END{printf "p50 %s  p99 %s  %s req/s\n", p50, p99, rps}'; }

for store in $STORES; do
	case $store in
	sqlite) URL="sqlite:$TMP/hub.db" ;;
	postgresql)
		URL=$(python3 tests/hub/hubtest.py pg-start "$TMP/pg") || { say "== hub: postgresql: skipped (no server)"; continue; } ;;
	*) continue ;;
	esac
	say "== hub: $store"
	say "-- ingest (store function, 200 batches of 1000): $B/bench/bench_hub_ingest URL 200 1000"
	"$B/bench/bench_hub_ingest" "$URL" 200 1000
	say "-- load $N indicators: $B/bench/bench_hub_load URL $N big"
	TOK=$("$B/bench/bench_hub_load" "$URL" "$N" big) || { say "load failed"; continue; }
	"$VIGIL" hub admin --db "$URL" token create --org bench-reader --role sensor > "$TMP/sensor.tok" 2>/dev/null
	STOK=$(cat "$TMP/sensor.tok")
	rm -f "$TMP/port"
	"$VIGIL" hub serve --listen 127.0.0.1:0 --db "$URL" --threads 4 --port-file "$TMP/port" \
		2>"$TMP/serve.log" &
	HUBPID=$!
	i=0; while [ ! -s "$TMP/port" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
	PORT=$(cat "$TMP/port")
	BASE="http://127.0.0.1:$PORT"
	if ! have wrk; then say "wrk not installed: HTTP rows skipped"; else
		MID=$(printf 'n%x' $((N / 2)))
		say "-- TAXII GET limit=100, first page: wrk -t2 -c4 -d${SECS}s --latency"
		wrk -t2 -c4 -d"${SECS}s" --latency -H "Authorization: Bearer $TOK" -H "Accept: $TAXII" \
			"$BASE/taxii2/vigil/collections/big/objects/?limit=100" | lat
		say "-- TAXII GET limit=100, next=$MID (middle of the collection)"
		wrk -t2 -c4 -d"${SECS}s" --latency -H "Authorization: Bearer $TOK" -H "Accept: $TAXII" \
			"$BASE/taxii2/vigil/collections/big/objects/?limit=100&next=$MID" | lat
		say "-- the same, one connection: wrk -t1 -c1 -d${SECS}s"
		wrk -t1 -c1 -d"${SECS}s" --latency -H "Authorization: Bearer $TOK" -H "Accept: $TAXII" \
			"$BASE/taxii2/vigil/collections/big/objects/?limit=100&next=$MID" | lat
		code=$(curl -s -o "$TMP/feed" -D "$TMP/feed.h" -w '%{http_code}' -H "Authorization: Bearer $STOK" \
			-H "X-Vigil-Sensor: bench" "$BASE/feeds/big")
		if [ "$code" = 200 ]; then
			ETAG=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' "$TMP/feed.h" | tr -d '\r')
			say "-- feed download: $(wc -c < "$TMP/feed") bytes, ETag $ETAG"
			for c in 4 1; do
				say "-- feed 304 path: If-None-Match, wrk -t$((c > 1 ? 2 : 1)) -c$c -d${SECS}s"
				wrk -t$((c > 1 ? 2 : 1)) -c$c -d"${SECS}s" --latency -H "Authorization: Bearer $STOK" \
					-H "If-None-Match: $ETAG" -H "X-Vigil-Sensor: bench" "$BASE/feeds/big" | lat
			done
		else
			say "-- feed: GET /feeds/big answered $code (hub-cli's /feeds handler not in this build): n/a"
		fi
		code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $STOK" \
			-H 'Content-Type: application/json' --data '{"batch_id":"probe","sightings":[]}' "$BASE/sightings")
		if [ "$code" != 404 ] && [ "$code" != 405 ]; then
			cat > "$TMP/post.lua" <<'LUA'
-- a batch id unique per wrk thread: setup gives each thread its own number
-- (LuaJIT's math.random is seeded alike in every thread, which made half the
-- batches duplicates and inflated the figure)
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
local n = 0
local items = {}
for i = 1, 1000 do
  items[i] = string.format('{"indicator":"bad%d.example","type":"domain","first_seen":"2026-11-28T01:02:03Z","last_seen":"2026-11-28T01:05:00Z","count":3,"device_class":"camera","tlp":"amber"}', i)
end
local tail = '","sensor":"bench","sightings":[' .. table.concat(items, ",") .. ']}'
local run = tostring(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"batch_id":"r' .. run .. '-t' .. tostring(tid) .. '-' .. n .. tail)
end
LUA
			say "-- ingest over HTTP: POST /sightings, 1000 per batch, wrk -t2 -c4 -d${SECS}s"
			wrk -t2 -c4 -d"${SECS}s" --latency -s "$TMP/post.lua" -H "Authorization: Bearer $STOK" \
				"$BASE/sightings" | awk '/^ +99%/{p99=$2} /Requests\/sec/{rps=$2} /Non-2xx/{bad=$NF} END{printf "%.0f sightings/s (%s batches/s, p99 %s%s)\n", rps*1000, rps, p99, bad ? ", non-2xx " bad : ""}'
		else
			say "-- ingest over HTTP: /sightings not served by this build (hub-cli): n/a"
		fi
	fi
	kill "$HUBPID"; wait "$HUBPID" 2>/dev/null; HUBPID=
	if [ "$store" = postgresql ]; then python3 tests/hub/hubtest.py pg-stop "$TMP/pg"; fi
done
