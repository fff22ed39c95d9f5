#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Tiny HTTP server for the --feed-url cases: serves the files of DIR with a
# strong ETag (sha256 of the contents) and answers If-None-Match with 304.
# Each request is logged as one line "GET /path inm=<If-None-Match or -> <status>"
# to LOG.  The port it listens on is written to PORTFILE once it is ready.
# With CERT=file.pem in the environment (certificate and key), it serves HTTPS.
# usage: httpserve.py DIR LOG PORTFILE [ADDR]
import hashlib, http.server, os, ssl, sys

root, logpath, portfile = sys.argv[1], sys.argv[2], sys.argv[3]
addr = sys.argv[4] if len(sys.argv) > 4 else "127.0.0.1"


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def note(self, status):
        with open(logpath, "a") as f:
            f.write("GET %s inm=%s %d\n" % (self.path, self.headers.get("If-None-Match", "-"), status))

    def do_GET(self):
        name = os.path.basename(self.path.split("?")[0])
        p = os.path.join(root, name)
        if not name or not os.path.isfile(p):
            self.note(404)
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = open(p, "rb").read()
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            self.note(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.note(200)
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


s = http.server.HTTPServer((addr, 0), H)
if os.environ.get("CERT"):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.environ["CERT"])
    s.socket = ctx.wrap_socket(s.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % s.server_address[1])
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
