# SPDX-License-Identifier: Apache-2.0
import os, sys, time, urllib.parse, http.client
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "hub"))
from hubtest import *

BASE = "/taxii2/vigil/collections/main/"
EVIL = ["x' OR '1'='1", "'; DROP TABLE objects; --", "\" OR 1=1 --", "%' OR 1=1 --",
        "\\'; SELECT pg_sleep(5); --", "$1", "?1", "a\u00e9\u4e2d"]

for store in stores():
    hub = Hub(store, os.path.join(os.getcwd(), store))
    tok = standard_orgs(hub)
    # an org named with SQL metacharacters, its token, a group likewise
    hub.admin("org", "add", EVIL[1], "--parent", "A", "--province", EVIL[0], "--community", EVIL[2])
    tok["evil"] = hub.token(EVIL[1], "publisher", "--user", EVIL[0])
    hub.admin("group", "add", EVIL[3])
    hub.admin("group", "member", "add", EVIL[3], EVIL[1])
    orgs = [l for l in hub.admin("org", "list").stdout.decode().splitlines()]
    check(any(EVIL[1] in l for l in orgs) and len(orgs) == 7, "orgs %r" % orgs)
    # expired token (an ISO date in the past), allowlisted tokens
    expired = hub.token("A", "reader", "--expires", "2020-01-01")
    soon = hub.token("A", "reader", "--expires", "1d")
    allowed = hub.token("A", "reader", "--allow", "127.0.0.0/8")
    denied = hub.token("A", "reader", "--allow", "10.0.0.0/8,192.0.2.1")
    revoked = hub.token("A", "reader")
    tl = [json.loads(l) for l in hub.admin("token", "list").stdout.decode().splitlines()]
    hub.admin("token", "revoke", str(tl[-1]["id"]))
    check(hub.admin("token", "revoke", str(tl[-1]["id"]), ok=False).returncode == 2, "double revoke")
    check(hub.admin("token", "create", "--org", "A", "--role", "root", ok=False).returncode == 2, "bad role")
    check(hub.admin("token", "create", "--org", "A", "--role", "reader", "--allow", "10.0.0.0/40",
                    ok=False).returncode == 2, "bad allowlist")
    hub.start("--max-body", "4096")

    for name, t in [("no token", None), ("garbage", "abc"), ("unknown", "vgt_" + "A" * 43),
                    ("expired", expired), ("revoked", revoked), ("not allowed", denied),
                    ("sql", "vgt_' OR 1=1 --"), ("sql2", EVIL[1])]:
        r = hub.get("/taxii2/", t)
        check(r.status == 401 and r.headers.get("WWW-Authenticate") == "Bearer",
              "%s %s: %r" % (store, name, r))
    r = hub.req("GET", "/taxii2/", headers={"Authorization": "Basic YTpi", "Accept": TAXII})
    check(r.status == 401, "basic auth %r" % r)
    for t in [soon, allowed, tok["A"]]:
        check(hub.get("/taxii2/", t).status == 200, "valid token refused")
    # roles: a reader cannot publish; a sensor cannot publish TAXII objects
    sensor = hub.token("G", "sensor")
    check(hub.post_objects("main", tok["A"], [indicator(1, "clear")]).status == 403, "reader posts")
    check(hub.post_objects("main", sensor, [indicator(1, "clear")]).status == 403, "sensor posts")

    # SQL metacharacters in values and query parameters
    objs = [indicator(10 + i, "clear", value="v%d.example" % i) for i in range(3)]
    objs.append(indicator(20, "amber", recipients=["org:" + EVIL[1], "group:" + EVIL[3]]))
    r = hub.post_objects("main", tok["pubA"], objs)
    check(r.status == 202 and r.json()["success_count"] == 4, "post %r" % r)
    r = hub.post_objects("main", tok["evil"], [indicator(30, "red", value="evil-owned.example")])
    check(r.status == 202 and r.json()["success_count"] == 1, "evil org posts %r" % r)
    for e in EVIL:
        q = urllib.parse.quote(e, safe="")
        for path in ["/indicators?value=" + q, BASE + "objects/?match[id]=" + q,
                     BASE + "objects/?match[type]=" + q, BASE + "objects/?match[spec_version]=" + q,
                     BASE + "manifest/?match[id]=" + q, "/taxii2/vigil/collections/" + q + "/",
                     "/taxii2/vigil/status/" + q + "/"]:
            r = hub.get(path, tok["A"]) if "indicators" not in path else hub.req("GET", path, tok["A"])
            check(r.status in (200, 400, 404), "%s: %r" % (path, r))
            if r.status == 200 and "indicators" in path:
                check(r.json()["indicators"] == [], "%s leaked %r" % (path, r))
            if r.status == 200 and "objects/" in path:
                check(r.json() == {"more": False}, "%s leaked %r" % (path, r))
        r = hub.get(BASE + "objects/?added_after=" + urllib.parse.quote(e, safe=""), tok["A"])
        check(r.status == 400, "added_after %r: %r" % (e, r))
        r = hub.get(BASE + "objects/?next=" + urllib.parse.quote(e, safe=""), tok["A"])
        check(r.status == 400, "next %r: %r" % (e, r))
    # everything is still there; the evil org sees its own RED and the AMBER object
    r = hub.get(BASE + "objects/", tok["evil"])
    check(len(r.json()["objects"]) == 5, "evil org sees %r" % r)
    r = hub.get(BASE + "objects/", tok["A"])
    check(len(r.json()["objects"]) == 4, "A sees %r" % r)

    # body limits: Content-Length beyond --max-body, chunked beyond it
    big = {"objects": [indicator(40, "clear", value="x" * 5000 + ".example")]}
    r = hub.req("POST", BASE + "objects/", tok["pubA"], body=big,
                headers={"Accept": TAXII, "Content-Type": TAXII})
    check(r.status == 413, "oversized %r" % r)
    c = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30)
    c.putrequest("POST", BASE + "objects/")
    c.putheader("Authorization", "Bearer " + tok["pubA"])
    c.putheader("Content-Type", TAXII)
    c.putheader("Accept", TAXII)
    c.putheader("Transfer-Encoding", "chunked")
    c.endheaders()
    for _ in range(10):
        chunk = b"x" * 1000
        c.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    c.send(b"0\r\n\r\n")
    resp = c.getresponse()
    check(resp.status == 413, "chunked oversized %d" % resp.status)
    c.close()
    # malformed JSON
    for raw in [b"{", b"\xff\xfe", b"{\"objects\": [1,]}", b"", b"{\"objects\": {}}"]:
        r = hub.req("POST", BASE + "objects/", tok["pubA"], raw=raw,
                    headers={"Accept": TAXII, "Content-Type": TAXII})
        check(r.status == 400, "malformed %r: %r" % (raw, r))
    # paths and methods
    check(hub.get("/nothing", tok["A"]).status == 404, "404")
    check(hub.req("DELETE", "/taxii2/", tok["A"]).status == 405, "405")
    check(hub.req("DELETE", BASE + "objects/", tok["pubA"]).status == 405, "405 objects")
    check(hub.get("/dashboard/../../etc/passwd", None).status == 404, "dotdot")
    # the audit log holds the writes with who and where
    audit = [json.loads(l) for l in hub.admin("audit").stdout.decode().splitlines()]
    acts = [a["action"] for a in audit]
    check("token.create" in acts and "org.add" in acts and "objects.add" in acts and "token.use" in acts
          and "token.revoke" in acts and "group.member.add" in acts, "audit actions %r" % set(acts))
    uses = [a for a in audit if a["action"] == "token.use"]
    check(all(u["peer"] == "127.0.0.1" for u in uses), "audit peers")
    check(any(u["org"] == EVIL[1] and u["user"] == EVIL[0] for u in uses), "audit names the evil org")
    check(hub.stop() == 0, "exit")
    print("%s: auth and limits ok" % store)
