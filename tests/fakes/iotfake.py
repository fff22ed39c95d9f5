#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""iotfake.py - deterministic fake IoT camera services for vigil audit tests.

One process serves every service given with --svc on every address given
with --addr (all on 127.0.0.0/8).  Python 3 stdlib only.

  iotfake.py --addr 127.0.0.1 --ready FILE --svc KIND:PORT[:k=v,k=v...] ...

Option values are %-decoded ("server=uc-httpd%201.0.0").
PORT 0 picks a free port (single address only); the chosen ports are
written to --ready FILE as "KIND=PORT" lines (in --svc order) once every
listener is up.  Kinds and options:
  telnet  user, pass (default admin/12345), shell=1 (shell without login),
          lockout=N (lock after N failures in 30 s, for locksecs, default 300)
  ftp     user, pass, lockout, locksecs
  http    auth=basic|digest|digest-sha256|both|none|any, user, pass, realm,
          server (Server header), snapshot=open|auth, config=open|auth,
          onvif=open|auth|none, lockout, locksecs, tls=1 (needs --cert/--key),
          tlsmin=1.0|1.2
  rtsp    auth=digest|basic|none|any, user, pass, server, lockout, locksecs
  udp     ssdp=1, wsd=1, sadp=1 (answer each discovery protocol), http=PORT
          (the port of the UPnP description, /desc.xml)
"any" accepts every password (the negative-control case).
"""
import argparse, urllib.parse, base64, hashlib, os, socket, socketserver, ssl, sys, threading, time, warnings
warnings.simplefilter('ignore', DeprecationWarning)

IAC, DONT, DO, WONT, WILL = 255, 254, 253, 252, 251

class Lock:
    """Decision 724 style lockout: N failures within 30 s lock for locksecs."""
    def __init__(self, n, secs):
        self.n, self.secs, self.fails, self.until = n, secs, [], 0.0
        self.mu = threading.Lock()
    def locked(self):
        with self.mu:
            return self.n > 0 and time.time() < self.until
    def fail(self):
        with self.mu:
            if self.n <= 0:
                return
            now = time.time()
            self.fails = [t for t in self.fails if now - t < 30] + [now]
            if len(self.fails) >= self.n:
                self.until = now + self.secs
                self.fails = []

def opts_of(s):
    d = {}
    for kv in filter(None, s.split(',')):
        k, _, v = kv.partition('=')
        d[k] = urllib.parse.unquote(v)
    return d

def read_line(sock, buf, strip_iac=False, limit=4096):
    """Read one line (bytes) from sock; buf is a bytearray carried between calls."""
    while b'\n' not in buf and b'\r' not in buf and b'\0' not in buf:
        d = sock.recv(1024)
        if not d:
            return None
        if strip_iac:
            out, i = bytearray(), 0
            while i < len(d):
                if d[i] == IAC and i + 2 < len(d) + 1:
                    i += 3 if i + 1 < len(d) and d[i + 1] in (DO, DONT, WILL, WONT) else 2
                    continue
                out.append(d[i]); i += 1
            d = bytes(out)
        buf.extend(d)
        if len(buf) > limit:
            return None
    for i, c in enumerate(buf):
        if c in (10, 13, 0):
            line = bytes(buf[:i])
            j = i + 1
            while j < len(buf) and buf[j] in (10, 13, 0):
                j += 1
            del buf[:j]
            return line.decode('latin-1')
    return None

def telnet_handler(o, lock):
    user, pw = o.get('user', 'admin'), o.get('pass', '12345')
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            s = self.request
            s.settimeout(10)
            try:
                if lock.locked():
                    s.sendall(b'\r\nAccount locked: too many login failures\r\n'); return
                s.sendall(bytes([IAC, WILL, 1, IAC, WILL, 3]) + b'\r\nFakeCam login: ' if o.get('shell') != '1'
                          else bytes([IAC, WILL, 1]) + b'\r\nBusyBox v1.19.4 built-in shell (ash)\r\n# ')
                if o.get('shell') == '1':
                    time.sleep(0.2); return
                if lock.locked():
                    s.sendall(b'\r\nAccount locked: too many login failures\r\n'); return
                buf = bytearray()
                u = read_line(s, buf, True)
                if u is None: return
                s.sendall(b'\r\nPassword: ')
                p = read_line(s, buf, True)
                if p is None: return
                if lock.locked():
                    s.sendall(b'\r\nAccount locked: too many login failures\r\n'); return
                if u == user and (p == pw or o.get('any') == '1'):
                    s.sendall(b'\r\n\r\nBusyBox v1.19.4 built-in shell (ash)\r\n# ')
                    read_line(s, buf, True)
                    return
                lock.fail()
                s.sendall(b'\r\nLogin incorrect\r\n')
            except OSError:
                pass
    return H

def ftp_handler(o, lock):
    user, pw = o.get('user', 'admin'), o.get('pass', '12345')
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            s = self.request
            s.settimeout(10)
            try:
                if lock.locked():
                    s.sendall(b'421 Too many login failures, locked\r\n'); return
                s.sendall(b'220 FakeCam FTP server ready\r\n')
                buf, u = bytearray(), None
                while True:
                    line = read_line(s, buf)
                    if line is None: return
                    cmd, _, arg = line.partition(' ')
                    cmd = cmd.upper()
                    if cmd == 'USER':
                        u = arg; s.sendall(b'331 Password required\r\n')
                    elif cmd == 'PASS':
                        if lock.locked():
                            s.sendall(b'421 Too many login failures, locked\r\n'); return
                        if u == user and (arg == pw or o.get('any') == '1'):
                            s.sendall(b'230 Login successful\r\n')
                        else:
                            lock.fail(); s.sendall(b'530 Login incorrect\r\n')
                    elif cmd == 'QUIT':
                        s.sendall(b'221 Bye\r\n'); return
                    else:
                        s.sendall(b'530 Please login\r\n')
            except OSError:
                pass
    return H

def parse_auth_params(v):
    out, i = {}, 0
    while i < len(v):
        while i < len(v) and v[i] in ' ,': i += 1
        j = v.find('=', i)
        if j < 0: break
        k = v[i:j].strip(); i = j + 1
        if i < len(v) and v[i] == '"':
            e = v.find('"', i + 1)
            if e < 0: break
            out[k] = v[i + 1:e]; i = e + 1
        else:
            e = v.find(',', i)
            e = len(v) if e < 0 else e
            out[k] = v[i:e].strip(); i = e
    return out

class Web:
    """HTTP and RTSP request handling shared by the two kinds."""
    def __init__(self, o, lock, rtsp, addr_port):
        self.o, self.lock, self.rtsp = o, lock, rtsp
        self.user, self.pw = o.get('user', 'admin'), o.get('pass', '12345')
        self.auth = o.get('auth', 'digest')
        self.realm = o.get('realm', 'FakeCam')
        self.nonce = hashlib.md5(('nonce-%s' % (addr_port,)).encode()).hexdigest()
    def challenge(self):
        a = self.auth
        hs = []
        if a in ('digest', 'both'):
            hs.append('Digest realm="%s", nonce="%s", qop="auth", algorithm=MD5' % (self.realm, self.nonce))
        if a == 'digest-sha256':
            hs.append('Digest realm="%s", nonce="%s", qop="auth", algorithm=SHA-256' % (self.realm, self.nonce))
        if a in ('basic', 'both', 'any'):
            hs.append('Basic realm="%s"' % self.realm)
        return hs
    def check(self, method, hdrs):
        """'ok', 'fail' or 'none' (no Authorization header)."""
        v = hdrs.get('authorization')
        if v is None:
            return 'none'
        if self.auth == 'any':
            return 'ok'
        scheme, _, rest = v.partition(' ')
        if scheme.lower() == 'basic' and self.auth in ('basic', 'both'):
            try:
                u, _, p = base64.b64decode(rest.strip()).decode('latin-1').partition(':')
            except Exception:
                return 'fail'
            return 'ok' if (u, p) == (self.user, self.pw) else 'fail'
        if scheme.lower() == 'digest' and self.auth in ('digest', 'both', 'digest-sha256'):
            p = parse_auth_params(rest)
            h = hashlib.sha256 if self.auth == 'digest-sha256' else hashlib.md5
            H = lambda s: h(s.encode('latin-1')).hexdigest()
            if p.get('nonce') != self.nonce or p.get('username') != self.user:
                return 'fail'
            ha1 = H('%s:%s:%s' % (self.user, self.realm, self.pw))
            ha2 = H('%s:%s' % (method, p.get('uri', '')))
            if p.get('qop') == 'auth':
                exp = H('%s:%s:%s:%s:auth:%s' % (ha1, self.nonce, p.get('nc', ''), p.get('cnonce', ''), ha2))
            else:
                exp = H('%s:%s:%s' % (ha1, self.nonce, ha2))
            return 'ok' if p.get('response') == exp else 'fail'
        return 'fail'

def web_handler(o, lock, rtsp, tlsctx):
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            s = self.request
            s.settimeout(10)
            if tlsctx is not None:
                try:
                    s = tlsctx.wrap_socket(s, server_side=True)
                except (ssl.SSLError, OSError):
                    return
            w = Web(o, lock, rtsp, self.server.server_address)
            try:
                self.serve(s, w)
            except (OSError, ssl.SSLError):
                pass
        def serve(self, s, w):
            data = b''
            while b'\r\n\r\n' not in data:
                d = s.recv(4096)
                if not d: return
                data += d
                if len(data) > 65536: return
            head, _, body = data.partition(b'\r\n\r\n')
            lines = head.decode('latin-1').split('\r\n')
            parts = lines[0].split(' ')
            if len(parts) != 3:
                return
            method, uri, ver = parts
            hdrs = {}
            for l in lines[1:]:
                k, _, v = l.partition(':')
                hdrs[k.strip().lower()] = v.strip()
            n = int(hdrs.get('content-length', '0') or 0)
            while len(body) < n:
                d = s.recv(4096)
                if not d: break
                body += d
            proto = 'RTSP/1.0' if w.rtsp else 'HTTP/1.1'
            cseq = hdrs.get('cseq', '1')
            server = o.get('server', 'FakeCam-RTSP/1.0' if w.rtsp else 'App-webs/')
            def send(code, reason, ctype=None, payload=b'', extra=()):
                h = ['%s %d %s' % (proto, code, reason), 'Server: ' + server]
                if w.rtsp: h.append('CSeq: ' + cseq)
                h.extend(extra)
                if ctype: h.append('Content-Type: ' + ctype)
                h.append('Content-Length: %d' % len(payload))
                if not w.rtsp: h.append('Connection: close')
                s.sendall(('\r\n'.join(h) + '\r\n\r\n').encode('latin-1') + payload)
            if w.rtsp != ver.startswith('RTSP/'):
                send(400, 'Bad Request'); return
            def gate(what):
                """True when the request may proceed; else the answer was sent."""
                if o.get(what, 'auth') == 'open' or w.auth == 'none':
                    return True
                if w.lock.locked():
                    send(423, 'Locked', 'text/plain', b'account locked: too many failures'); return False
                r = w.check(method, hdrs)
                if r == 'ok':
                    return True
                if r == 'fail':
                    w.lock.fail()
                send(401, 'Unauthorized', 'text/html', b'<html>401</html>',
                     ['WWW-Authenticate: ' + c for c in w.challenge()])
                return False
            if w.rtsp:
                if method == 'OPTIONS':
                    send(200, 'OK', extra=['Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN']); return
                if method == 'DESCRIBE':
                    if not gate('stream'): return
                    sdp = b'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=FakeCam\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n'
                    send(200, 'OK', 'application/sdp', sdp); return
                send(405, 'Method Not Allowed'); return
            path = uri.split('?')[0]
            if path == '/desc.xml':
                send(200, 'OK', 'text/xml', (
                    '<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>'
                    '<deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>'
                    '<friendlyName>FakeCam</friendlyName><manufacturer>Hikvision</manufacturer>'
                    '<modelName>DS-2CD2042WD-I</modelName><modelNumber>DS-2CD2042WD-I</modelNumber>'
                    '<serialNumber>DS-2CD2042WD-I20160101AAWR123456789</serialNumber>'
                    '<UDN>uuid:fake-cam-0001</UDN></device></root>').encode()); return
            if path == '/onvif/device_service':
                mode = o.get('onvif', 'auth')
                if mode == 'none':
                    send(404, 'Not Found'); return
                if mode == 'open':
                    send(200, 'OK', 'application/soap+xml', (
                        '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
                        'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Body><tds:GetDeviceInformationResponse>'
                        '<tds:Manufacturer>Hikvision</tds:Manufacturer><tds:Model>DS-2CD2042WD-I</tds:Model>'
                        '<tds:FirmwareVersion>V5.4.0 build 160530</tds:FirmwareVersion>'
                        '<tds:SerialNumber>DS-2CD2042WD-I20160101AAWR123456789</tds:SerialNumber>'
                        '<tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse></s:Body></s:Envelope>').encode())
                    return
                send(400, 'Bad Request', 'application/soap+xml', b'<s:Envelope><s:Body><s:Fault><s:Code><s:Subcode>'
                     b'<s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code></s:Fault></s:Body></s:Envelope>')
                return
            if path == '/ISAPI/Streaming/channels/101/picture':
                if not gate('snapshot'): return
                send(200, 'OK', 'image/jpeg', b'\xff\xd8\xff\xe0' + b'\0' * 60 + b'\xff\xd9'); return
            if path == '/ISAPI/System/deviceInfo':
                if not gate('config'): return
                send(200, 'OK', 'application/xml', b'<?xml version="1.0"?><DeviceInfo><deviceName>FakeCam</deviceName>'
                     b'<serialNumber>DS-2CD2042WD-I20160101AAWR123456789</serialNumber></DeviceInfo>'); return
            if path == '/':
                if not gate('root'): return
                send(200, 'OK', 'text/html', b'<html><body>FakeCam</body></html>'); return
            send(404, 'Not Found', 'text/html', b'<html>404</html>')
    return H

def udp_handler(o, ports):
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            data, s = self.request
            me = self.server.server_address
            if data.startswith(b'M-SEARCH') and o.get('ssdp') == '1':
                r = ('HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\n'
                     'LOCATION: http://%s:%s/desc.xml\r\nSERVER: Linux/3.10 UPnP/1.0 FakeCam/1.0\r\n'
                     'ST: upnp:rootdevice\r\nUSN: uuid:fake-cam-0001::upnp:rootdevice\r\n\r\n' % (me[0], o.get('http') or ports.get('http', 80)))
                s.sendto(r.encode(), self.client_address)
            elif b'discovery/Probe' in data and o.get('wsd') == '1':
                r = ('<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
                     'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Body><d:ProbeMatches><d:ProbeMatch>'
                     '<d:Types>dn:NetworkVideoTransmitter</d:Types><d:XAddrs>http://%s:%s/onvif/device_service</d:XAddrs>'
                     '</d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>' % (me[0], o.get('http') or ports.get('http', 80)))
                s.sendto(r.encode(), self.client_address)
            elif b'<Types>inquiry</Types>' in data and o.get('sadp') == '1':
                r = ('<?xml version="1.0" encoding="utf-8"?><ProbeMatch><Types>inquiry</Types>'
                     '<DeviceType>DS-2CD2042WD-I</DeviceType><DeviceSN>DS-2CD2042WD-I20160101AAWR123456789</DeviceSN>'
                     '<SoftwareVersion>V5.4.0build 160530</SoftwareVersion><MAC>c0-56-e3-00-00-01</MAC></ProbeMatch>')
                s.sendto(r.encode(), self.client_address)
    return H

LOG = None
LOG_MU = threading.Lock()

def log(what):
    if LOG:
        with LOG_MU, open(LOG, 'a') as f:
            f.write(what + '\n')

class TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 128
    def verify_request(self, request, client_address):
        log('tcp %s:%d' % self.server_address)
        return True

class UDPServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
    allow_reuse_address = True
    daemon_threads = True
    def verify_request(self, request, client_address):
        log('udp %s:%d' % self.server_address)
        return True

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--addr', action='append', required=True)
    ap.add_argument('--svc', action='append', required=True)
    ap.add_argument('--ready')
    ap.add_argument('--cert')
    ap.add_argument('--key')
    ap.add_argument('--log', help='append one line per connection/datagram')
    a = ap.parse_args()
    global LOG
    LOG = a.log
    for ad in a.addr:
        if not ad.startswith('127.'):
            sys.exit('iotfake: loopback addresses only (127.0.0.0/8)')
    servers, ready, ports = [], [], {}
    for spec in a.svc:
        kind, port, *rest = spec.split(':', 2)
        o = opts_of(rest[0] if rest else '')
        port = int(port)
        chosen = None
        for ad in a.addr:
            lock = Lock(int(o.get('lockout', '0')), float(o.get('locksecs', '300')))
            if kind == 'udp':
                srv = UDPServer((ad, port if chosen is None else chosen), udp_handler(o, ports))
            else:
                tlsctx = None
                if o.get('tls') == '1':
                    tlsctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                    tlsctx.set_ciphers('DEFAULT:@SECLEVEL=0')
                    if o.get('tlsmin', '1.2') == '1.0':
                        tlsctx.minimum_version = ssl.TLSVersion.TLSv1
                    else:
                        tlsctx.minimum_version = ssl.TLSVersion.TLSv1_2
                    tlsctx.load_cert_chain(a.cert, a.key)
                h = {'telnet': lambda: telnet_handler(o, lock), 'ftp': lambda: ftp_handler(o, lock),
                     'http': lambda: web_handler(o, lock, False, tlsctx),
                     'rtsp': lambda: web_handler(o, lock, True, tlsctx)}[kind]()
                srv = TCPServer((ad, port if chosen is None else chosen), h)
            chosen = srv.server_address[1]
            servers.append(srv)
            threading.Thread(target=srv.serve_forever, daemon=True).start()
        ready.append('%s=%d' % (kind, chosen))
        ports.setdefault(kind, chosen)
    if a.ready:
        with open(a.ready + '.tmp', 'w') as f:
            f.write('\n'.join(ready) + '\n')
        os.rename(a.ready + '.tmp', a.ready)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass

if __name__ == '__main__':
    main()
