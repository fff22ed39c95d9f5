# SPDX-License-Identifier: Apache-2.0
# hubtest.sh — fixtures for the hub end-to-end cases (tests/cases/55xx-59xx)
# and the dashboard test; sourced by a case's cmd (POSIX sh, run with -e in
# $OUT).  Everything listens on 127.0.0.1 on a port the kernel picks
# (--listen 127.0.0.1:0 --port-file) and is stopped by the EXIT trap.
#
#   . "$ROOT/tests/browser/hubtest.sh"
#   hub_fixture          # db, feed key, orgs, tokens, collection "apt" + indicators
#   hub_start            # serve; sets HUB (base URL) and HUB_PID
#   hubreq "$HUB/stats" -t "$T_READER"  ...
#   hub_stop | hub_kill9
#   HUB_PORT=$port hub_start   # again on the same port (after a stop)
#
# Orgs: authority (root, publishes), province-hcm (child of authority,
# province HCM), province-hn (child of authority, province HN), vendor-x
# (another org of the community).  Tokens in $T_ADMIN $T_PUB (authority,
# publisher) $T_SENSOR_HCM $T_SENSOR_HN (sensor) $T_READER_HCM $T_READER_X
# (reader).  Indicators (collection apt): help.checkonl.org (GREEN),
# 139.59.30.109 (GREEN), secret-red.example (RED, owned by vendor-x:
# only vendor-x sees it).
HUBREQ="python3 $ROOT/tests/browser/hubreq.py"
HUB_PID=
DB="sqlite:$OUT/hub.db"

hubreq() { $HUBREQ "$@"; }

hub_admin() { "$VIGIL" hub admin --db "$DB" "$@"; }

hub_token() { # org role -> prints the token
	hub_admin token create --org "$1" --role "$2" --user "$1-$2" | tail -n 1
}

tlp_ref() {
	case "$1" in
	clear) echo marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487 ;;
	green) echo marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb ;;
	amber) echo marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421 ;;
	red) echo marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1 ;;
	esac
}

# stix_indicator ID NAME PATTERN TLP -> one indicator object (JSON)
stix_indicator() {
	printf '{"type":"indicator","spec_version":"2.1","id":"indicator--%s","created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z","name":"%s","pattern":"%s","pattern_type":"stix","valid_from":"2026-11-01T00:00:00Z","object_marking_refs":["%s"]}' \
		"$1" "$2" "$3" "$(tlp_ref "$4")"
}

# hub_publish TOKEN FILE: POST a TAXII envelope to collection apt
hub_publish() {
	hubreq -t "$1" -c 'application/taxii+json;version=2.1' \
		-H 'Accept: application/taxii+json;version=2.1' -d "$2" \
		"$HUB/taxii2/vigil/collections/$COLL/objects/" > publish.out
	head -n 1 publish.out | grep -q '^20[02]$' || { echo "publish failed:"; cat publish.out; return 1; }
}

hub_fixture() {
	"$VIGIL" feed keygen -p "$OUT/feed.pub" -s "$OUT/feed.key" -W > /dev/null
	T_ADMIN=$(hub_admin init --org authority | tail -n 1)
	hub_admin org add province-hcm --parent authority --province HCM > /dev/null
	hub_admin org add province-hn --parent authority --province HN > /dev/null
	hub_admin org add vendor-x > /dev/null
	hub_admin collection add apt --title "APT feed" > /dev/null
	COLL=$(hub_admin collection list | python3 -c 'import json,sys
for l in sys.stdin:
    j=json.loads(l)
    if j["alias"]=="apt": print(j["id"])')
	T_PUB=$(hub_token authority publisher)
	T_PUB_X=$(hub_token vendor-x publisher)
	T_SENSOR_HCM=$(hub_token province-hcm sensor)
	T_SENSOR_HN=$(hub_token province-hn sensor)
	T_READER_HCM=$(hub_token province-hcm reader)
	T_READER_X=$(hub_token vendor-x reader)
}

# the indicators: called after hub_start
hub_indicators() {
	{
		printf '{"objects":['
		stix_indicator 0b5b5e1a-6c5e-4c1e-9b0a-000000000001 "APT32 C2 help.checkonl.org" \
			"[domain-name:value = 'help.checkonl.org']" green
		printf ','
		stix_indicator 0b5b5e1a-6c5e-4c1e-9b0a-000000000002 "APT32 C2 139.59.30.109" \
			"[ipv4-addr:value = '139.59.30.109']" green
		printf ']}'
	} > apt.json
	hub_publish "$T_PUB" apt.json
	{
		printf '{"objects":['
		stix_indicator 0b5b5e1a-6c5e-4c1e-9b0a-0000000000ff "RED-SECRET vendor-x internal" \
			"[domain-name:value = 'secret-red.example']" red
		printf ']}'
	} > red.json
	hub_publish "$T_PUB_X" red.json
}

hub_start() {
	rm -f "$OUT/hub.port"
	"$VIGIL" hub serve --listen "127.0.0.1:${HUB_PORT:-0}" --db "$DB" --port-file "$OUT/hub.port" \
		--www "$ROOT/share/www" --feed-key "$OUT/feed.key" --threads 2 "$@" \
		2>> "$OUT/hub.log" &
	HUB_PID=$!
	i=0
	while [ ! -s "$OUT/hub.port" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$HUB_PID" 2>/dev/null; then
			echo "hub did not start:"; cat "$OUT/hub.log"; return 1
		fi
		sleep 0.05
	done
	HUB="http://127.0.0.1:$(cat "$OUT/hub.port")"
}

hub_stop() {
	[ -n "$HUB_PID" ] || return 0
	kill -TERM "$HUB_PID" 2>/dev/null || true
	wait "$HUB_PID" 2>/dev/null || true
	HUB_PID=
}

hub_kill9() {
	[ -n "$HUB_PID" ] || return 0
	kill -KILL "$HUB_PID" 2>/dev/null || true
	wait "$HUB_PID" 2>/dev/null || true
	HUB_PID=
}

trap 'hub_stop' EXIT
