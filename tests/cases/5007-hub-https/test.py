# SPDX-License-Identifier: Apache-2.0
import os, sys, subprocess, time
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "hub"))
from hubtest import *

os.environ["HUB_STORES"] = "sqlite"  # TLS does not depend on the store
work = os.getcwd()
crt, key = os.path.join(work, "hub.crt"), os.path.join(work, "hub.key")
r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
check(r.returncode == 0, "openssl: %s" % r.stdout)
hub = Hub("sqlite", os.path.join(work, "sqlite"))
tok = hub.admin("init").stdout.decode().strip()
hub.start("--cert", crt, "--key", key)
hub.scheme, hub.cafile = "https", crt
r = hub.get("/taxii2/", tok)
check(r.status == 200 and r.json()["api_roots"] == ["/taxii2/vigil/"], "https %r" % r)
hub.scheme = "http"
try:
    r = hub.get("/taxii2/", tok)
    fail("plain HTTP to the TLS port answered %r" % r)
except Exception:
    pass
check(hub.stop() == 0, "exit")
log = open(os.path.join(work, "sqlite", "serve.log")).read()
check("listening on 127.0.0.1:0 (port" in log and "https" in log and "warning" not in log, "log %r" % log)
for extra, want in [(["--cert", crt], "--cert and --key go together"),
                    (["--cert", crt, "--key", os.path.join(work, "missing.key")], "cannot read --cert/--key")]:
    r = subprocess.run([VIGIL, "hub", "serve", "--listen", "127.0.0.1:0", "--db", hub.db] + extra,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    check(r.returncode == 2 and want in r.stderr.decode(), "%s: %r" % (extra, r.stderr))
for extra, want in [(["--listen", "localhost:80"], "--listen"), (["--listen", "127.0.0.1:99999"], "--listen"),
                    (["--listen", "127.0.0.1:0", "--threads", "0"], "--threads"),
                    (["--listen", "127.0.0.1:0", "--max-body", "x"], "--max-body")]:
    r = subprocess.run([VIGIL, "hub", "serve", "--db", hub.db] + extra,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    check(r.returncode == 2 and want in r.stderr.decode(), "%s: %r" % (extra, r.stderr))
r = subprocess.run([VIGIL, "hub", "serve", "--listen", "127.0.0.1:0", "--db", "mysql://x"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
check(r.returncode == 2 and "unknown database url" in r.stderr.decode(), "bad url %r" % r.stderr)
# a body that trickles in for longer than --timeout gets 408
import http.client
hub.start("--timeout", "1")
c = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30)
c.putrequest("POST", "/taxii2/vigil/collections/x/objects/")
c.putheader("Authorization", "Bearer " + tok)
c.putheader("Content-Type", TAXII)
c.putheader("Content-Length", "40")
c.endheaders()
for _ in range(8):
    c.send(b"xxxxx")
    time.sleep(0.3)
resp = c.getresponse()
check(resp.status == 408, "slow upload: %d" % resp.status)
c.close()
check(hub.stop() == 0, "exit")
print("https ok")
