# SPDX-License-Identifier: Apache-2.0
import os, sys, sqlite3
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "hub"))
from hubtest import *

for store in stores():
    hub = Hub(store, os.path.join(os.getcwd(), store))
    r = hub.admin("init", "--org", "authority")
    tok = r.stdout.decode().strip()
    check(len(tok) == 47 and tok.startswith("vgt_") and r.stdout.decode().count("\n") == 1, "init token %r" % tok)
    check(b"shown only now" in r.stderr, "init says the token is shown once")
    r = hub.admin("init", ok=False)
    check(r.returncode == 2 and b"tokens exist already" in r.stderr, "second init %r" % r.stderr)
    hub.admin("org", "add", "south", "--parent", "authority", "--province", "South", "--community", "national",
              "--community", "cameras")
    r = hub.admin("org", "add", "south", ok=False)
    check(r.returncode == 2 and b"already exists" in r.stderr, "duplicate org %r" % r.stderr)
    r = hub.admin("org", "add", "x", "--parent", "nobody", ok=False)
    check(r.returncode == 2 and b"not found" in r.stderr, "unknown parent %r" % r.stderr)
    orgs = [json.loads(l) for l in hub.admin("org", "list").stdout.decode().splitlines()]
    check(orgs[1] == {"id": orgs[1]["id"], "name": "south", "parent": "authority", "province": "South",
                      "communities": ["cameras", "national"]}, "org list %r" % orgs)
    hub.admin("group", "add", "Southern provinces")
    hub.admin("group", "member", "add", "Southern provinces", "south")
    r = hub.admin("group", "member", "remove", "Southern provinces", "authority", ok=False)
    check(r.returncode == 2, "remove a non-member")
    groups = [json.loads(l) for l in hub.admin("group", "list").stdout.decode().splitlines()]
    check(groups[0]["name"] == "Southern provinces" and groups[0]["members"] == ["south"], "groups %r" % groups)
    hub.admin("collection", "add", "national-blocklist", "--title", "National blocklist")
    r = hub.admin("collection", "add", "bad alias", ok=False)
    check(r.returncode == 2, "bad alias")
    cols = [json.loads(l) for l in hub.admin("collection", "list").stdout.decode().splitlines()]
    check(cols[0]["alias"] == "national-blocklist" and len(cols[0]["id"]) == 36, "collections %r" % cols)
    t2 = hub.token("south", "sensor", "--user", "sensor-hcm-01", "--expires", "30d", "--allow", "127.0.0.1")
    toks = [json.loads(l) for l in hub.admin("token", "list").stdout.decode().splitlines()]
    check(len(toks) == 2 and toks[1]["role"] == "sensor" and toks[1]["allow"] == "127.0.0.1"
          and toks[1]["expires"] > 0 and "hash" not in toks[1] and t2 not in json.dumps(toks), "token list %r" % toks)
    r = hub.admin("frobnicate", ok=False)
    check(r.returncode == 2 and b"unknown command" in r.stderr, "unknown command")
    r = subprocess.run([VIGIL, "hub", "admin", "org", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env={k: v for k, v in os.environ.items() if k != "VIGIL_HUB_DB"})
    check(r.returncode == 2 and b"--db" in r.stderr, "no --db")
    audit = [json.loads(l) for l in hub.admin("audit").stdout.decode().splitlines()]
    acts = [a["action"] for a in audit]
    check(acts == ["org.add", "token.create", "org.add", "group.add", "group.member.add", "collection.add",
                   "token.create"], "audit %r" % acts)
    check(all(a["org"] == "local-cli" and a["peer"] == "local" for a in audit), "audit who/where")
    check(audit[2]["detail"] == {"name": "south", "parent": "authority", "province": "South"}, "audit detail")
    check(len(hub.admin("audit", "--after", str(audit[3]["id"]), "--limit", "2").stdout.decode().splitlines()) == 2,
          "audit --after --limit")
    # append-only, even for the owner of the database
    if store == "sqlite":
        db = sqlite3.connect(hub.db[len("sqlite:"):])
        for sql in ["DELETE FROM audit", "UPDATE audit SET action = 'x'"]:
            try:
                db.execute(sql)
                fail("sqlite allowed: " + sql)
            except sqlite3.DatabaseError as e:
                check("append-only" in str(e), "sqlite error %s" % e)
        check(db.execute("SELECT version FROM schema_version").fetchall() == [(1,)], "schema_version")
        db.close()
    else:
        for sql in ["DELETE FROM audit", "UPDATE audit SET action = 'x'", "TRUNCATE audit"]:
            rc, out = hub.pg.psql(sql)
            check(rc != 0 and "append-only" in out, "postgresql allowed %s: %s" % (sql, out))
        rc, out = hub.pg.psql("SELECT version FROM schema_version")
        check(rc == 0 and "1" in out, "schema_version %s" % out)
    # reopening migrates nothing and keeps the data
    check(len(hub.admin("org", "list").stdout.decode().splitlines()) == 2, "reopen")
    print("%s: admin and audit ok" % store)
