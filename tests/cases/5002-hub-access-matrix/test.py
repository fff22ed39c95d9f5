# SPDX-License-Identifier: Apache-2.0
import os, sys, urllib.parse
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "hub"))
from hubtest import *

VIEWERS = ["A", "C", "G", "GC", "O", "X", "anon"]
# EXPECTED[scenario][viewer] = visibility per TLP (clear, green, amber, amber+strict, red)
EXPECTED = {
    "none": {  # no recipients: the owner org A is the recipient
        "A": [1, 1, 1, 1, 1], "C": [1, 1, 1, 0, 0], "G": [1, 1, 0, 0, 0],
        "GC": [1, 1, 0, 0, 0], "O": [1, 1, 0, 0, 0], "X": [1, 0, 0, 0, 0],
        "anon": [0, 0, 0, 0, 0],
    },
    "grp": {  # recipient: group grp = {G}
        "A": [1, 1, 1, 1, 1], "C": [1, 1, 0, 0, 0], "G": [1, 1, 1, 1, 1],
        "GC": [1, 1, 1, 0, 0], "O": [1, 1, 0, 0, 0], "X": [1, 0, 0, 0, 0],
        "anon": [0, 0, 0, 0, 0],
    },
}
BASE = "/taxii2/vigil/collections/main/"

for store in stores():
    hub = Hub(store, os.path.join(os.getcwd(), store))
    tok = standard_orgs(hub)
    hub.start()
    objs, want = [], {v: set() for v in VIEWERS}
    values = {}
    n = 0
    for sc in ["none", "grp"]:
        for i, tlp in enumerate(TLPS):
            n += 1
            val = "m-%s-%s.example" % (sc, tlp.replace("+", "-"))
            o = indicator(n, tlp, value=val, recipients=["group:grp"] if sc == "grp" else None)
            objs.append(o)
            values[o["id"]] = val
            for v in VIEWERS:
                if EXPECTED[sc][v][i]:
                    want[v].add(o["id"])
    r = hub.post_objects("main", tok["pubA"], objs)
    check(r.status == 202, "%s: post: %r" % (store, r))
    st = r.json()
    check(st["success_count"] == 10 and st["failure_count"] == 0, "%s: status %r" % (store, st))
    for v in VIEWERS:
        t = tok.get(v)
        if t is None:
            for path in [BASE + "objects/", BASE + "manifest/", BASE + "objects/" + objs[0]["id"] + "/",
                         "/indicators?value=" + values[objs[0]["id"]]]:
                r = hub.get(path, None)
                check(r.status == 401, "%s anon %s: %r" % (store, path, r))
            continue
        r = hub.get(BASE + "objects/", t)
        check(r.status == 200, "%s %s list: %r" % (store, v, r))
        got = {o["id"] for o in r.json().get("objects", [])}
        check(got == want[v], "%s %s list: got %s want %s" % (store, v, sorted(got), sorted(want[v])))
        r = hub.get(BASE + "manifest/", t)
        got = {o["id"] for o in r.json().get("objects", [])}
        check(got == want[v], "%s %s manifest: got %s" % (store, v, sorted(got)))
        # paging one by one lists the same set
        got, nxt, pages = set(), None, 0
        while True:
            q = "?limit=1" + ("&next=" + nxt if nxt else "")
            r = hub.get(BASE + "objects/" + q, t)
            env = r.json()
            got |= {o["id"] for o in env.get("objects", [])}
            pages += 1
            if not env["more"]:
                break
            nxt = env["next"]
            check(pages < 20, "paging does not end")
        check(got == want[v] and pages == max(1, len(want[v])),
              "%s %s paging: %s in %d pages" % (store, v, sorted(got), pages))
        for o in objs:
            r = hub.get(BASE + "objects/" + o["id"] + "/", t)
            exp = 200 if o["id"] in want[v] else 404
            check(r.status == exp, "%s %s get %s: %r" % (store, v, o["id"], r))
            r = hub.req("GET", "/indicators?value=" + urllib.parse.quote(values[o["id"]]), t)
            check(r.status == 200, "%s %s indicators: %r" % (store, v, r))
            ids = [i["id"] for i in r.json()["indicators"]]
            check(ids == ([o["id"]] if o["id"] in want[v] else []),
                  "%s %s /indicators %s: %s" % (store, v, values[o["id"]], ids))
    check(hub.stop() == 0, "%s: hub exit status" % store)
    print("%s: access matrix ok" % store)
