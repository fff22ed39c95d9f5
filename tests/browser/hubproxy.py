#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""hubproxy.py — an HTTP proxy in front of a test hub that loses the hub's
reply to the first POST /sightings (Python stdlib only), for the cases that
pin "a retry is counted once".

  hubproxy.py --hub-port P --port-file FILE [--kill-pid-file F] [--log FILE]

Listens on 127.0.0.1 (kernel-picked port, written to FILE).  Every request
is forwarded to 127.0.0.1:P and the reply relayed, except the first POST
/sightings: it is forwarded, the hub's complete reply is read (so the hub
has committed the batch), then -- with --kill-pid-file -- the hub is killed
with SIGKILL, and the client's connection is closed without any reply.
"""
import argparse
import http.client
import http.server
import os
import signal
import sys
import threading

state = {'dropped': False}
lock = threading.Lock()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--hub-port', type=int, required=True)
    ap.add_argument('--port-file', required=True)
    ap.add_argument('--kill-pid-file')
    ap.add_argument('--log')
    a = ap.parse_args()
    logf = open(a.log, 'a') if a.log else None

    def log(msg):
        if logf:
            logf.write(msg + '\n')
            logf.flush()

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def forward(self):
            n = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(n) if n else None
            hdrs = {k: v for k, v in self.headers.items()
                    if k.lower() not in ('host', 'connection', 'content-length')}
            try:
                c = http.client.HTTPConnection('127.0.0.1', a.hub_port, timeout=30)
                c.request(self.command, self.path, body=body, headers=hdrs)
                r = c.getresponse()
                data = r.read()
            except OSError as e:
                log('%s %s -> hub unreachable: %s' % (self.command, self.path, e))
                self.close_connection = True
                return
            drop = False
            with lock:
                if self.command == 'POST' and self.path == '/sightings' and not state['dropped']:
                    state['dropped'] = drop = True
            if drop:
                log('POST /sightings -> hub %d; reply dropped' % r.status)
                if a.kill_pid_file:
                    pid = int(open(a.kill_pid_file).read().strip())
                    os.kill(pid, signal.SIGKILL)
                    log('hub %d killed (SIGKILL)' % pid)
                self.close_connection = True
                return
            log('%s %s -> %d' % (self.command, self.path, r.status))
            self.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in ('connection', 'transfer-encoding', 'content-length'):
                    self.send_header(k, v)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = forward

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
    tmp = a.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d\n' % srv.server_address[1])
    os.rename(tmp, a.port_file)
    signal.signal(signal.SIGTERM, lambda *x: sys.exit(0))
    srv.serve_forever()


if __name__ == '__main__':
    main()
