# SPDX-License-Identifier: Apache-2.0
"""hubtest.py — what the hub's end-to-end cases (tests/cases/50xx-54xx) share.

Starts the stores and the hub on 127.0.0.1 with free ports, always stops
them (atexit), and talks HTTP with urllib (stdlib only).

Stores: every case runs its checks once per store named in HUB_STORES
(default "sqlite postgresql").  PostgreSQL is started by the test itself:
initdb into a temporary directory, pg_ctl on a unix socket directory and a
free 127.0.0.1 port, trust authentication.  As root the server runs as the
"postgres" user (runuser), since PostgreSQL refuses to run as root.  When no
PostgreSQL server binaries exist, the PostgreSQL half is skipped with the
reason printed (never silently).
"""
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

VIGIL = os.environ.get("VIGIL", "build/vigil")
ROOT = os.environ.get("ROOT", os.getcwd())
PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
TAXII = "application/taxii+json;version=2.1"

TLP_IDS = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLPS = ["clear", "green", "amber", "amber+strict", "red"]

_cleanup = []


def _run_cleanup():
    for fn in reversed(_cleanup):
        try:
            fn()
        except Exception as e:  # keep stopping the rest
            print("cleanup: %s" % e, file=sys.stderr)


atexit.register(_run_cleanup)
for _s in (signal.SIGTERM, signal.SIGINT):
    signal.signal(_s, lambda *a: sys.exit(3))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


class PG:
    """A throwaway PostgreSQL server."""

    def __init__(self):
        self.dir = None
        self.url = None

    @staticmethod
    def unavailable():
        if not os.path.exists(os.path.join(PGBIN, "pg_ctl")):
            return "no PostgreSQL server binaries in %s" % PGBIN
        if os.geteuid() == 0 and not shutil.which("runuser"):
            return "running as root without runuser"
        return None

    def _as_pg(self, argv):
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="vigil-pg-")
        os.chmod(self.dir, 0o755)
        data = os.path.join(self.dir, "data")
        sock = os.path.join(self.dir, "sock")
        os.mkdir(sock)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(sock, "postgres")
        user = "postgres" if os.geteuid() == 0 else None
        r = subprocess.run(self._as_pg([os.path.join(PGBIN, "initdb"), "-D", data, "-A", "trust",
                                        "-N", "-U", user or os.environ.get("USER", "vigil"),
                                        "--no-instructions"]),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode:
            fail("initdb: " + r.stdout.decode(errors="replace")[-2000:])
        self.user = user or os.environ.get("USER", "vigil")
        self.port = free_port()
        _cleanup.append(self.stop)
        opts = "-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" % (
            sock, self.port)
        r = subprocess.run(self._as_pg([os.path.join(PGBIN, "pg_ctl"), "-D", data, "-l",
                                        os.path.join(self.dir, "log"), "-o", opts, "-w",
                                        "start"]),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode:
            log = open(os.path.join(self.dir, "log")).read() if os.path.exists(
                os.path.join(self.dir, "log")) else ""
            fail("pg_ctl start: " + r.stdout.decode(errors="replace") + log[-2000:])
        self.data = data
        self.url = "postgresql://%s@127.0.0.1:%d/postgres" % (self.user, self.port)
        return self.url

    def psql(self, sql):
        """Run sql as the database owner; returns (rc, output)."""
        r = subprocess.run([os.path.join(PGBIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                            "-d", self.url, "-c", sql],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return r.returncode, r.stdout.decode(errors="replace")

    def stop(self):
        if self.dir and os.path.exists(os.path.join(self.dir, "data", "postmaster.pid")):
            subprocess.run(self._as_pg([os.path.join(PGBIN, "pg_ctl"), "-D",
                                        os.path.join(self.dir, "data"), "-m", "immediate",
                                        "-w", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode())

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Hub:
    """One hub over one store."""

    def __init__(self, store, workdir):
        self.store = store
        self.work = workdir
        os.makedirs(workdir, exist_ok=True)
        self.pg = None
        if store == "postgresql":
            self.pg = PG()
            self.db = self.pg.start()
        else:
            self.db = "sqlite:" + os.path.join(workdir, "hub.db")
        self.proc = None
        self.port = None
        self.scheme = "http"
        self.cafile = None

    def admin(self, *args, ok=True):
        r = subprocess.run([VIGIL, "hub", "admin", "--db", self.db] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if ok and r.returncode != 0:
            fail("admin %s: rc %d: %s" % (args, r.returncode, r.stderr.decode()))
        return r

    def token(self, org, role, *extra):
        return self.admin("token", "create", "--org", org, "--role", role,
                          *extra).stdout.decode().strip()

    def start(self, *extra):
        pf = os.path.join(self.work, "port")
        if os.path.exists(pf):
            os.unlink(pf)
        self.log = open(os.path.join(self.work, "serve.log"), "ab")
        self.proc = subprocess.Popen([VIGIL, "hub", "serve", "--listen", "127.0.0.1:0",
                                      "--db", self.db, "--port-file", pf, "--threads", "4"]
                                     + list(extra), stdout=self.log, stderr=self.log)
        _cleanup.append(self._kill)
        for _ in range(300):
            if os.path.exists(pf):
                self.port = int(open(pf).read())
                return self
            if self.proc.poll() is not None:
                fail("hub exited at start: " + open(os.path.join(self.work, "serve.log")).read())
            time.sleep(0.02)
        fail("hub did not start")

    def _kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=30)
        self.proc = None
        return rc

    def req(self, method, path, token=None, body=None, headers=None, raw=None):
        url = "%s://127.0.0.1:%d%s" % (self.scheme, self.port, path)
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        r = urllib.request.Request(url, data=data, method=method, headers=h)
        ctx = None
        if self.scheme == "https":
            import ssl
            ctx = ssl.create_default_context(cafile=self.cafile)
        try:
            with urllib.request.urlopen(r, timeout=60, context=ctx) as f:
                return Resp(f.status, f.headers, f.read())
        except urllib.error.HTTPError as e:
            return Resp(e.code, e.headers, e.read())

    def get(self, path, token, **kw):
        h = {"Accept": TAXII}
        h.update(kw.pop("headers", {}))
        return self.req("GET", path, token, headers=h, **kw)

    def post_objects(self, coll, token, objects, headers=None):
        h = {"Accept": TAXII, "Content-Type": TAXII}
        h.update(headers or {})
        return self.req("POST", "/taxii2/vigil/collections/%s/objects/" % coll, token,
                        body={"objects": objects}, headers=h)


def stores():
    want = os.environ.get("HUB_STORES", "sqlite postgresql").split()
    out = []
    for s in want:
        if s == "postgresql":
            why = PG.unavailable()
            if why:
                print("postgresql: skipped: %s" % why, file=sys.stderr)
                continue
        out.append(s)
    return out


def indicator(n, tlp, value="evil%d.example", recipients=None, modified=None, pattern=None):
    """A STIX 2.1 indicator with a fixed id derived from n."""
    oid = "indicator--%08x-0000-4000-8000-%012x" % (n, n)
    o = {
        "type": "indicator", "spec_version": "2.1", "id": oid,
        "created": "2026-01-01T00:00:00.000Z",
        "modified": modified or "2026-01-01T00:00:00.000Z",
        "name": "test %d" % n,
        "pattern": pattern or ("[domain-name:value = '%s']" % (value % n if "%" in value else value)),
        "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
        "object_marking_refs": [TLP_IDS[tlp]],
    }
    if recipients:
        o["x_vigil_recipients"] = recipients
    return o


def standard_orgs(hub):
    """Orgs A (owner), C (child of A), G (in group grp), GC (child of G),
    O (same community), X (other community); a reader token for each, a
    publisher token for A, collection "main"."""
    hub.admin("org", "add", "A", "--province", "P1", "--community", "national")
    hub.admin("org", "add", "C", "--parent", "A", "--province", "P1", "--community", "national")
    hub.admin("org", "add", "G", "--province", "P2", "--community", "national")
    hub.admin("org", "add", "GC", "--parent", "G", "--province", "P2", "--community", "national")
    hub.admin("org", "add", "O", "--province", "P3", "--community", "national")
    hub.admin("org", "add", "X", "--province", "P4", "--community", "elsewhere")
    hub.admin("group", "add", "grp")
    hub.admin("group", "member", "add", "grp", "G")
    hub.admin("collection", "add", "main", "--title", "Main",
              "--id", "91a7b528-80eb-42ed-a74d-c6fbd5a26116")
    tok = {o: hub.token(o, "reader") for o in ["A", "C", "G", "GC", "O", "X"]}
    tok["pubA"] = hub.token("A", "publisher")
    return tok


def _main(argv):
    """`python3 hubtest.py pg-start DIR` starts a PostgreSQL server in DIR
    (must not exist) and prints its URL; `pg-stop DIR` stops it and removes
    DIR.  For bench/hub.sh."""
    if len(argv) == 3 and argv[1] == "pg-start":
        why = PG.unavailable()
        if why:
            print("unavailable: " + why, file=sys.stderr)
            return 3
        pg = PG()
        url = pg.start()
        _cleanup.remove(pg.stop)  # keeps running after we exit
        os.symlink(pg.dir, argv[2])
        print(url)
        return 0
    if len(argv) == 3 and argv[1] == "pg-stop":
        pg = PG()
        pg.dir = os.path.realpath(argv[2])
        pg.stop()
        os.unlink(argv[2])
        return 0
    print("usage: hubtest.py pg-start|pg-stop DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
