# SPDX-License-Identifier: Apache-2.0
import os, sys, urllib.parse
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "hub"))
from hubtest import *

BASE = "/taxii2/vigil/collections/main/"
CID = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"

for store in stores():
    hub = Hub(store, os.path.join(os.getcwd(), store))
    tok = standard_orgs(hub)
    hub.start()
    t, pub = tok["A"], tok["pubA"]

    # discovery, API root, collections (spec 4.1, 4.2, 5.1, 5.2)
    r = hub.get("/taxii2/", t)
    check(r.status == 200 and r.headers["Content-Type"] == TAXII, "discovery %r" % r)
    d = r.json()
    check(d["default"] == "/taxii2/vigil/" and d["api_roots"] == ["/taxii2/vigil/"], "discovery %r" % d)
    r = hub.get("/taxii2/vigil/", t)
    check(r.status == 200 and r.json()["versions"] == [TAXII], "api root %r" % r)
    check(r.json()["max_content_length"] > 0, "max_content_length")
    r = hub.get("/taxii2/vigil/collections/", t)
    cs = r.json()["collections"]
    check(len(cs) == 1 and cs[0]["id"] == CID and cs[0]["can_read"] is True and cs[0]["can_write"] is False,
          "collections %r" % cs)
    check(cs[0]["media_types"] == ["application/stix+json;version=2.1"], "media_types")
    r = hub.get("/taxii2/vigil/collections/%s/" % CID, pub)
    check(r.status == 200 and r.json()["can_write"] is True, "collection by id %r" % r)
    r = hub.get("/taxii2/vigil/collections/nope/", t)
    check(r.status == 404 and r.json()["http_status"] == "404", "unknown collection %r" % r)

    # media types: 406 / 415
    for acc in ["application/json", "text/html", "application/taxii+json;version=2.0",
                "application/stix+json;version=2.1"]:
        r = hub.req("GET", BASE + "objects/", t, headers={"Accept": acc})
        check(r.status == 406, "Accept %s: %r" % (acc, r))
    for acc in ["application/taxii+json", "application/taxii+json; version=2.1", "*/*",
                "text/html, application/taxii+json;version=2.1;q=0.9"]:
        r = hub.req("GET", BASE + "objects/", t, headers={"Accept": acc})
        check(r.status == 200, "Accept %s: %r" % (acc, r))
    for ct in ["application/json", "application/stix+json;version=2.1",
               "application/taxii+json;version=2.0", None]:
        h = {"Accept": TAXII}
        if ct:
            h["Content-Type"] = ct
        r = hub.req("POST", BASE + "objects/", pub, body={"objects": [indicator(1, "clear")]}, headers=h)
        check(r.status == 415, "Content-Type %s: %r" % (ct, r))
    # a reader may not write
    r = hub.post_objects("main", t, [indicator(1, "clear")])
    check(r.status == 403, "reader POST %r" % r)

    # 12 objects in 3 POSTs, to get distinct date_added groups
    objs = [indicator(i, "clear") for i in range(1, 13)]
    firsts, lasts = [], []
    for k in range(3):
        r = hub.post_objects("main", pub, objs[4 * k:4 * k + 4])
        check(r.status == 202, "post %r" % r)
        st = r.json()
        check(st["status"] == "complete" and st["total_count"] == 4 and st["success_count"] == 4,
              "status %r" % st)
        r2 = hub.get("/taxii2/vigil/status/%s/" % st["id"], pub)
        check(r2.status == 200 and r2.json() == st, "status resource %r" % r2)
        r2 = hub.get("/taxii2/vigil/status/%s/" % st["id"], tok["X"])
        check(r2.status == 404, "status of another org %r" % r2)
    # the same objects again: success, nothing new
    r = hub.post_objects("main", pub, objs[:2])
    check(r.json()["success_count"] == 2, "re-post %r" % r)

    r = hub.get(BASE + "objects/", t)
    env = r.json()
    check(env["more"] is False and "next" not in env and len(env["objects"]) == 12, "list all %r" % r)
    check([o["id"] for o in env["objects"]] == [o["id"] for o in objs], "order by date_added")
    first, last = r.headers["X-TAXII-Date-Added-First"], r.headers["X-TAXII-Date-Added-Last"]
    check(first < last and first.endswith("Z") and len(first) == 27, "date headers %s %s" % (first, last))

    # manifest dates
    man = hub.get(BASE + "manifest/", t).json()["objects"]
    dates = [m["date_added"] for m in man]
    check(dates == sorted(dates) and len(set(dates)) == 12, "manifest dates strictly increase")
    check(all(m["media_type"] == "application/stix+json;version=2.1" and m["version"] ==
              "2026-01-01T00:00:00.000Z" for m in man), "manifest fields")

    # pagination with next (limit 5: 5 + 5 + 2)
    seen, nxt, pages = [], None, []
    while True:
        r = hub.get(BASE + "objects/?limit=5" + ("&next=" + nxt if nxt else ""), t)
        env = r.json()
        pages.append(len(env["objects"]))
        seen += [o["id"] for o in env["objects"]]
        check(r.headers["X-TAXII-Date-Added-First"] == dates[len(seen) - len(env["objects"])],
              "page first header")
        check(r.headers["X-TAXII-Date-Added-Last"] == dates[len(seen) - 1], "page last header")
        if not env["more"]:
            check("next" not in env, "no next on the last page")
            break
        nxt = env["next"]
    check(pages == [5, 5, 2] and seen == [o["id"] for o in objs], "pages %r" % pages)
    r = hub.get(BASE + "objects/?next=garbage", t)
    check(r.status == 400, "bad next %r" % r)
    for bad in ["0", "-1", "x"]:
        r = hub.get(BASE + "objects/?limit=" + bad, t)
        check(r.status == 400, "bad limit %s %r" % (bad, r))
    r = hub.get(BASE + "objects/?limit=100000", t)
    check(r.status == 200 and len(r.json()["objects"]) == 12, "limit capped")

    # added_after is exclusive: after date k gives objects k+1..
    for k in [0, 3, 4, 11]:
        r = hub.get(BASE + "objects/?added_after=" + urllib.parse.quote(dates[k]), t)
        ids = [o["id"] for o in r.json().get("objects", [])]
        check(ids == [o["id"] for o in objs[k + 1:]], "added_after %d: %d objects" % (k, len(ids)))
    r = hub.get(BASE + "objects/?added_after=" + urllib.parse.quote(dates[11]), t)
    check(r.status == 200 and r.json() == {"more": False} and "X-TAXII-Date-Added-First" not in r.headers,
          "nothing after the last %r" % r)
    r = hub.get(BASE + "objects/?added_after=2026-13-99", t)
    check(r.status == 400, "bad added_after %r" % r)
    r = hub.get(BASE + "objects/?added_after=" + urllib.parse.quote(dates[3]) + "&limit=2", t)
    env = r.json()
    check([o["id"] for o in env["objects"]] == [objs[4]["id"], objs[5]["id"]] and env["more"], "added_after+limit")
    r = hub.get(BASE + "objects/?added_after=" + urllib.parse.quote(dates[3]) + "&limit=2&next=" + env["next"], t)
    check([o["id"] for o in r.json()["objects"]] == [objs[6]["id"], objs[7]["id"]], "added_after+next")

    # versions: a newer version of object 1
    v2 = indicator(1, "clear", modified="2026-02-01T00:00:00.000Z")
    r = hub.post_objects("main", pub, [v2])
    check(r.json()["success_count"] == 1, "v2 %r" % r)
    r = hub.get(BASE + "objects/" + objs[0]["id"] + "/", t)
    check([o["modified"] for o in r.json()["objects"]] == ["2026-02-01T00:00:00.000Z"], "latest version by default")
    r = hub.get(BASE + "objects/" + objs[0]["id"] + "/?match[version]=all", t)
    check(len(r.json()["objects"]) == 2, "all versions")
    r = hub.get(BASE + "objects/" + objs[0]["id"] + "/?match[version]=first", t)
    check([o["modified"] for o in r.json()["objects"]] == ["2026-01-01T00:00:00.000Z"], "first version")
    r = hub.get(BASE + "objects/" + objs[0]["id"] + "/?match[version]=2026-01-01T00:00:00.000Z", t)
    check(len(r.json()["objects"]) == 1, "version by timestamp")
    r = hub.get(BASE + "objects/" + objs[0]["id"] + "/versions/", t)
    check(r.json()["versions"] == ["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"], "versions %r" % r)
    r = hub.get(BASE + "objects/indicator--00000000-0000-4000-8000-00000000ffff/", t)
    check(r.status == 404, "unknown object")

    # match filters
    r = hub.get(BASE + "objects/?match[id]=%s,%s" % (objs[2]["id"], objs[5]["id"]), t)
    check([o["id"] for o in r.json()["objects"]] == [objs[2]["id"], objs[5]["id"]], "match[id]")
    r = hub.get(BASE + "objects/?match[type]=malware", t)
    check(r.json() == {"more": False}, "match[type]=malware")
    r = hub.get(BASE + "objects/?match[type]=indicator,malware", t)
    check(len(r.json()["objects"]) == 12, "match[type]=indicator")
    r = hub.get(BASE + "objects/?match[spec_version]=2.0", t)
    check(r.json() == {"more": False}, "match[spec_version]=2.0")
    r = hub.get(BASE + "objects/?match[spec_version]=2.1&match[version]=all", t)
    check(len(r.json()["objects"]) == 13, "all versions in the list")
    r = hub.get(BASE + "objects/?match[version]=bogus", t)
    check(r.status == 400, "bad match[version]")

    # validation: rejects listed per object
    bad = [
        {"type": "indicator"},
        dict(indicator(100, "clear"), id="indicator--nope"),
        dict(indicator(101, "clear"), spec_version="2.0"),
        {k: v for k, v in indicator(102, "clear").items() if k != "pattern"},
        {k: v for k, v in indicator(103, "clear").items() if k != "valid_from"},
        indicator(104, "clear", pattern="[domain-name:value = 'unterminated]"),
        indicator(105, "clear", pattern="[ipv4-addr:value = '999.1.1.1']"),
        dict(indicator(106, "clear"), created="yesterday"),
        indicator(107, "clear", recipients=["org:nobody"]),
        "not an object",
        indicator(108, "green", value="good.example"),
        indicator(109, "clear", pattern="[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e'] OR [ipv4-addr:value = '198.51.100.7']"),
    ]
    r = hub.post_objects("main", pub, bad)
    st = r.json()
    check(r.status == 202 and st["total_count"] == 12 and st["success_count"] == 2 and st["failure_count"] == 10,
          "rejects %r" % st)
    msgs = [f["message"] for f in st["failures"]]
    for want in ["id: want", "id: want indicator--<uuid>", "spec_version", "pattern: missing",
                 "valid_from", "pattern:", "pattern:", "created", "x_vigil_recipients[0]", "not a JSON object"]:
        check(any(m.startswith(want) for m in msgs), "reject message %r in %r" % (want, msgs))
    check({s["id"] for s in st["successes"]} == {bad[10]["id"], bad[11]["id"]}, "successes %r" % st["successes"])
    # the OR pattern's values are searchable
    r = hub.req("GET", "/indicators?value=198.51.100.7", t)
    check([i["id"] for i in r.json()["indicators"]] == [bad[11]["id"]], "search by ip %r" % r)
    # malformed JSON, wrong envelope
    r = hub.req("POST", BASE + "objects/", pub, raw=b"{\"objects\": [", headers={"Accept": TAXII, "Content-Type": TAXII})
    check(r.status == 400 and "malformed JSON" in r.json()["error"], "malformed %r" % r)
    r = hub.req("POST", BASE + "objects/", pub, raw=b"[1,2]", headers={"Accept": TAXII, "Content-Type": TAXII})
    check(r.status == 400, "no envelope %r" % r)
    # bundles are taken too
    r = hub.req("POST", BASE + "objects/", pub, body={"type": "bundle", "id": "bundle--2a25c3c8-5d88-4ae9-862a-cc3396442317",
                                                      "objects": [indicator(200, "clear")]},
                headers={"Accept": TAXII, "Content-Type": TAXII})
    check(r.status == 202 and r.json()["success_count"] == 1, "bundle %r" % r)
    check(hub.stop() == 0, "exit status")
    print("%s: taxii conformance ok" % store)
