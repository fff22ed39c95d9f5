#!/usr/bin/env python3
# Development tool (needs PyYAML; not run by `make check`): translates each suricata-verify
# test.yaml here into tests/cases/11xx-sv-<name>/{cmd,checks.json,feed.txt,expect.rc} and
# prints the dropped checks (with reasons) that README.md lists.  Re-run after editing the
# per-case table CASES below:  python3 tests/data/suricata-verify/translate.py
import ipaddress, json, os, re, sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))

# Fields vigil does not produce, by design (WATCH.md contract), with the reason.
DROP_FIELD = [
    (r"^(dns\.)?tx_id$", "Suricata transaction counter; vigil has no transactions"),
    (r"^tcp\.", "Suricata TCP flag/state summary object; vigil's flow event has no tcp{} object"),
    (r"^http\.(length|status|http_content_type|http_refer)$", "response/body/Referer field; vigil logs the request line, Host and User-Agent only"),
    (r"^packet_info\.", "Suricata packet_info object (linktype name) not in vigil's alert"),
    (r"^icmp_(type|code)$", "ICMP type/code top-level fields not in vigil's flow event"),
]
DROP_EVENT = {
    "stats": "Suricata-specific stats counters (decoder/app_layer.error names differ)",
    "anomaly": "vigil produces no anomaly events",
    "fileinfo": "vigil does no file extraction (no fileinfo events)",
}

def norm(v):
    """IPv6 in Suricata's expanded form -> inet_ntop compressed form (vigil's contract)."""
    if isinstance(v, str) and v.count(":") >= 2:
        try:
            return str(ipaddress.IPv6Address(v))
        except ValueError:
            pass
    return v

# name -> (number, pcap, feed lines, extra opts, rc, alert rewrite, extra checks, notes)
# alert rewrite: function(match) -> (new match or None, reason)
def al_drop(reason):
    return lambda m: (None, reason)

CASES = {
 "bug-7264-tcp-3whs-ack-data-tls-01": dict(n=1101, pcap="input.pcap", feed=["githubusercontent.com"], rc=1,
    alert={188: lambda m: ({**m, "vigil.matched_on": "tls.sni", "vigil.indicator": "githubusercontent.com", "tls.sni": "raw.githubusercontent.com"},
                           "sid 188 (tls.sni endswith .githubusercontent.com) -> feed githubusercontent.com, alert with vigil.matched_on tls.sni"),
           6001: al_drop("sid 6001 is a drop rule for IPS mode; vigil has no rules/IPS, nothing to translate")}),
 "community-id-ipv6": dict(n=1102, pcap="input.pcap", feed=["unrelated.example"], rc=0, opts=["--cid-seed", "7"]),
 "cond-log-dns-dig": dict(n=1103, pcap="input.pcap", feed=["suricata-ids.org"], rc=1, log="tls,http,flow",
    custom_drop={0: "the Suricata `config ... logging disable` rule has no vigil equivalent; translated as: with dns not in --log, no dns events are written (alerts still are)"},
    extra=[{"count": 0, "match": {"event_type": "dns"}},
           {"count": 1, "match": {"event_type": "alert", "vigil.matched_on": "dns.query", "vigil.indicator": "suricata-ids.org", "dns.queries[0].rrname": "www.suricata-ids.org"}}]),
 "datasets-04-http-dns": dict(n=1104, pcap="input.pcap", feed=["example.com"], rc=1,
    alert={1: lambda m: ({**m, "vigil.matched_on": "dns.query", "vigil.indicator": "example.com", "dns.queries[0].rrname": "example.com"},
                         "sid 1 (dns.query dataset:set) -> feed example.com, alert with vigil.matched_on dns.query"),
           0: al_drop("sid 0 does not exist in either tool; vacuous")},
    custom_drop={0: "total alert count 1: Suricata's `dataset:set` fires only when the name is first inserted, so the HTTP Host example.com (sid 2) does not alert; vigil alerts every (flow, indicator), so the HTTP flow alerts too (pinned as 2 alerts instead)"},
    extra=[{"count": 2, "match": {"event_type": "alert"}},
           {"count": 1, "match": {"event_type": "alert", "vigil.matched_on": "http.host", "http.hostname": "example.com"}}]),
 "datasets-match-subdomain": dict(n=1105, pcap="input.pcap", feed=["evil.com"], rc=1,
    alert={1: lambda m: ({**m, "vigil.matched_on": "dns.query", "vigil.indicator": "evil.com"},
                         "sid 1 (dataset match subdomain of .evil.com) -> feed evil.com, alert with vigil.matched_on dns.query"),
           2: al_drop("sid 2 is the same dataset loaded from ndjson; vigil has one feed, sid 1's check covers it")},
    custom_drop={0: "total alert count 4 = 2 rules x 2 packets; with one feed vigil alerts 2 (pinned, plus which names)"},
    extra=[{"count": 2, "match": {"event_type": "alert"}},
           {"count": 1, "match": {"event_type": "alert", "dns.queries[0].rrname": "mail.evil.com"}},
           {"count": 1, "match": {"event_type": "alert", "dns.queries[0].rrname": "sub.mail.evil.com"}},
           {"count": 0, "match": {"event_type": "alert", "dns.queries[0].rrname": "example.com"}}]),
 "decode-sll2-02": dict(n=1106, pcap="input.pcap", feed=["http://192.168.1.21/testing"], opts=["--allow-reserved"], rc=1,
    alert={1: lambda m: ({**m, "vigil.matched_on": "http.url", "http.url": "/testing"},
                         "sid 1 (http.uri content /testing) -> feed http://192.168.1.21/testing, alert with vigil.matched_on http.url")}),
 "decode-teredo-01": dict(n=1107, pcap="input.pcap", feed=["unrelated.example"], rc=0,
    alert={3: al_drop("sid 3 (flow.age > 20 flowbits) has no indicator equivalent: vigil alerts only on indicators")},
    alerted_by_rule="set by Suricata rule sid 3 (flow.age > 20), which has no vigil equivalent; no vigil alert, so vigil's flow.alerted is false"),
 "dns-corrupt-additionals": dict(n=1108, pcap="input.pcap", feed=["sip.voice.google.com"], rc=1,
    alert={2240008: lambda m: ({**m, "vigil.matched_on": "dns.query", "vigil.indicator": "sip.voice.google.com"},
                               "sid 2240008 (app-layer-event dns.malformed_data on the corrupt additionals) -> feed sip.voice.google.com: vigil has no anomaly rules, so the alert is the dns.query one on the same flow; rrtype SRV kept")}),
 "dns-forward-pointer": dict(n=1109, pcap="input.pcap", feed=["codemonkey.net"], rc=1,
    alert={1: lambda m: ({**m, "vigil.matched_on": "dns.query", "vigil.indicator": "codemonkey.net"},
                         "sid 1 (dns.queries.rrname content codemonkey.net) -> feed codemonkey.net, vigil.matched_on dns.query")}),
 "dns-tcp-www-google-com": dict(n=1110, pcap="dns.pcap", feed=["www.google.com"], rc=1),
 "dns-truncated-rname": dict(n=1111, pcap="poc2.pcap", feed=["unrelated.example"], opts=["--dns-any-port"], rc=0,
    alert={224008: al_drop("sid 224008 is Suricata's app-layer-event dns.name_too_long; vigil has no anomaly events/rules")}),
 "dns-udp-eve-dig": dict(n=1112, pcap="../cond-log-dns-dig/input.pcap", feed=["unrelated.example"], rc=0),
 "dns-udp-unsolicited-response": dict(n=1113, pcap="dns-response-2x.pcap", feed=["unrelated.example"], rc=0),
 "http-ipv6": dict(n=1114, pcap="input.pcap", feed=["unrelated.example"], rc=0),
 "tls-client-hello-frag-01": dict(n=1115, pcap="dump_mtu300.pcap", feed=["www.google.com"], rc=1,
    alert={1: lambda m: ({**m, "vigil.matched_on": "tls.sni", "vigil.indicator": "www.google.com", "tls.sni": "www.google.com"},
                         "sid 1 (tls.sni content google) -> feed www.google.com, vigil.matched_on tls.sni")}),
 "tls-fin-close-data-01": dict(n=1116, pcap="debug-s13.pcap", feed=["googlevideo.com"], rc=1,
    extra=[{"count": 1, "match": {"event_type": "alert", "vigil.matched_on": "tls.sni", "vigil.indicator": "googlevideo.com"}}]),
 "tls13-draft28": dict(n=1117, pcap="tls13_draft28.pcap", feed=["unrelated.example"], rc=0),
}

def translate(name, c):
    y = yaml.safe_load(open(os.path.join(HERE, name, "test.yaml")))
    checks, dropped = [], []
    for i, ch in enumerate(y.get("checks", [])):
        if "filter" not in ch:
            dropped.append(f"check {i} ({', '.join(ch)}): {DROP_EVENT.get('stats')}")
            continue
        f = ch["filter"]
        req = f.get("requires", {}) or {}
        if "lt-version" in req:
            continue  # Suricata < 8 (dns v2) variant of a check that is kept in its v3 form
        m = f.get("match", {})
        et = m.get("event_type")
        if i in c.get("custom_drop", {}):
            dropped.append(f"check {i} ({et}, count {f.get('count')}): {c['custom_drop'][i]}")
            continue
        if et in DROP_EVENT:
            dropped.append(f"check {i} ({et}, count {f.get('count')}): {DROP_EVENT[et]}")
            continue
        nm = {}
        for k, v in m.items():
            if k == "alert.signature_id":
                continue
            why = next((r for p, r in DROP_FIELD if re.search(p, k)), None)
            if why:
                dropped.append(f"check {i} field {k}: {why}")
                continue
            if et == "http" and k == "pcap_cnt":
                dropped.append(f"check {i} field pcap_cnt ({v}): Suricata logs an HTTP transaction when its response completes; vigil logs the http event on the request packet (WATCH.md: request fields only), so the packet number differs by design")
                continue
            if k == "app_proto" and v in ("failed", "dhcp"):
                dropped.append(f"check {i} field app_proto {v}: vigil has no DHCP parser and omits app_proto when no parser claimed the flow (WATCH.md: app_proto \"failed\"/absent)")
                continue
            if k == "flow.alerted" and v is True and c.get("alerted_by_rule"):
                dropped.append(f"check {i} field flow.alerted true: {c['alerted_by_rule']}")
                continue
            nv = norm(v)
            if nv != v:
                dropped.append(f"check {i} field {k}: value {v} -> {nv} (IPv6 printed compressed, inet_ntop)")
            nm[k] = nv
        if et == "alert":
            sid = m.get("alert.signature_id")
            fn = c.get("alert", {}).get(sid)
            if fn is None and sid is not None:
                raise SystemExit(f"{name}: no alert rewrite for sid {sid}")
            if fn:
                nm2, why = fn(nm)
                dropped.append(f"check {i} alert.signature_id {sid}: {why}")
                if nm2 is None:
                    continue
                nm = nm2
        out = {"match": nm}
        if "count" in f:
            out = {"count": f["count"], "match": nm}
        checks.append(out)
    checks += c.get("extra", [])
    return checks, dropped

def main():
    report = []
    for name, c in sorted(CASES.items(), key=lambda kv: kv[1]["n"]):
        checks, dropped = translate(name, c)
        d = os.path.join(ROOT, "tests", "cases", f"{c['n']}-sv-{name}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "checks.json"), "w") as f:
            json.dump(checks, f, indent=1)
            f.write("\n")
        with open(os.path.join(d, "feed.txt"), "w") as f:
            f.write("\n".join(c["feed"]) + "\n")
        with open(os.path.join(d, "expect.rc"), "w") as f:
            f.write(f"{c['rc']}\n")
        opts = " ".join(c.get("opts", []))
        opts = (" " + opts) if opts else ""
        pcap = f"$ROOT/tests/data/suricata-verify/{name}/{c['pcap']}"
        with open(os.path.join(d, "cmd"), "w") as f:
            f.write(f"# suricata-verify {name}: checks of its test.yaml translated by\n"
                    f"# tests/data/suricata-verify/translate.py (dropped checks: tests/data/suricata-verify/README.md)\n")
            f.write(f'"$VIGIL" watch -r "{pcap}" --feed "$CASE/feed.txt"{opts} --log {c.get("log", "dns,tls,http,flow")} -o eve.json -q\n')
        report.append((c["n"], name, dropped))
    for n, name, dropped in report:
        print(f"### {n}-sv-{name}")
        for x in dropped:
            print(f"- {x}")
        if not dropped:
            print("- (none)")
        print()

main()
