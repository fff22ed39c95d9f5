#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Crafted captures for the device inventory (vigil devices, watch --devices).

usage: devices_pcap.py SCENARIO OUT.pcap [ROUNDS]
       devices_pcap.py SCENARIO --send IFACE   (send the frames on IFACE: AF_PACKET,
                                                needs CAP_NET_RAW, e.g. inside unshare -rn)
Scenarios (all deterministic: fixed addresses, times from 2026-01-01T00:00:00Z):
  discovery  one capture with every discovery protocol and banner:
             DHCP DISCOVER/REQUEST/ACK (camera 44:19:b6:12:34:56 -> 192.168.1.64),
             a phone with a randomised MAC (da:a1:19:00:00:07, hostname Galaxy-S21),
             mDNS announcements of the camera (_rtsp._tcp, model TXT) and a printer
             (_ipp._tcp, HP LaserJet), SSDP NOTIFY from the router (miniupnpd) and an
             M-SEARCH reply from the camera, WS-Discovery ProbeMatch (Dahua
             192.168.1.108), Hikvision SADP (192.168.1.64), HTTP Server: App-webs/,
             uc-httpd 1.0.0 (XiongMai DVR 192.168.1.70), GoAhead-Webs (192.168.1.108),
             HTTP Basic login to the DVR, RTSP DESCRIBE 200 without auth (camera),
             SSH dropbear_2014.63 (router 192.168.1.1), a telnet login (DVR), DVR-IP
             port 34567 (DVR) and Dahua port 37777 (192.168.1.108)
  renumber   DHCP renumbering: the camera gets 192.168.1.64, talks, then is renumbered
             to 192.168.1.99 and talks again
  learn      ten days of the camera (192.168.1.64, announced by mDNS) talking to cloud.hik-connect.com
             (203.0.113.10, resolved by DNS) on tcp/443 and to 198.51.100.5 udp/123
  violation  one day later: the same allowed destinations, then a new one
             (evil.example.net 192.0.2.66 tcp/8000)
  persist-a  the PC (00:1b:21:00:00:10, 192.168.1.10) resolves and contacts two servers
  persist-b  the printer (3c:52:82:00:00:30, 192.168.1.30) contacts one server
  rich       ROUNDS (default 20) rounds of 500 devices announcing themselves (DHCP
             REQUEST/ACK, mDNS or SSDP or WS-Discovery or SADP, an HTTP banner) with a
             little traffic each: the device-rich benchmark capture
Stdlib only.
"""
import struct
import sys

T0 = 1767225600  # 2026-01-01T00:00:00Z

ROUTER_MAC = "00:1a:2b:3c:4d:01"
CAM_MAC = "44:19:b6:12:34:56"     # Hikvision OUI
DAHUA_MAC = "3c:ef:8c:00:00:08"   # Dahua OUI
DVR_MAC = "00:12:41:00:00:70"
PRINTER_MAC = "3c:52:82:00:00:30"  # HP OUI
PC_MAC = "00:1b:21:00:00:10"
PHONE_MAC = "da:a1:19:00:00:07"   # locally administered: randomised
BCAST = "ff:ff:ff:ff:ff:ff"
MDNS_MAC = "01:00:5e:00:00:fb"
SSDP_MAC = "01:00:5e:7f:ff:fa"


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload, ttl=64):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, ttl, proto, 0, ip4(src),
                    ip4(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def eth(smac, dmac, payload):
    return mac(dmac) + mac(smac) + b"\x08\x00" + payload


def udp(smac, dmac, src, dst, sp, dp, data):
    u = struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data
    c = csum(ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(u)) + u) or 0xFFFF
    u = u[:6] + struct.pack("!H", c) + u[8:]
    return eth(smac, dmac, ipv4(src, dst, 17, u))


def tcp(smac, dmac, src, dst, sp, dp, seq, ack, flags, data=b""):
    h = struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                    65535, 0, 0)
    c = csum(ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(h) + len(data)) + h + data)
    h = h[:16] + struct.pack("!H", c) + h[18:]
    return eth(smac, dmac, ipv4(src, dst, 6, h + data))


class Cap:
    def __init__(self):
        self.pkts = []
        self.t = T0 * 1000000

    def add(self, frame, dt=1000):
        self.t += dt
        self.pkts.append((self.t, frame))

    def at(self, secs):
        """jump to T0 + secs (never backwards)"""
        self.t = max(self.t, (T0 + secs) * 1000000)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            for t, p in self.pkts:
                f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(p), len(p)) + p)

    # -- sessions ---------------------------------------------------------------------------
    def tcp_session(self, cm, sm, cip, sip, sport, dport, client=b"", server=b"", more=()):
        """handshake, then client data, server data, (more exchanges), FIN"""
        cs, ss = 1000, 50000
        self.add(tcp(cm, sm, cip, sip, sport, dport, cs, 0, 0x02))
        self.add(tcp(sm, cm, sip, cip, dport, sport, ss, cs + 1, 0x12))
        cs += 1
        ss += 1
        self.add(tcp(cm, sm, cip, sip, sport, dport, cs, ss, 0x10))
        for c, s in ((client, server),) + tuple(more):
            if c:
                self.add(tcp(cm, sm, cip, sip, sport, dport, cs, ss, 0x18, c))
                cs += len(c)
            if s:
                self.add(tcp(sm, cm, sip, cip, dport, sport, ss, cs, 0x18, s))
                ss += len(s)
        self.add(tcp(cm, sm, cip, sip, sport, dport, cs, ss, 0x11))
        self.add(tcp(sm, cm, sip, cip, dport, sport, ss, cs + 1, 0x11))
        self.add(tcp(cm, sm, cip, sip, sport, dport, cs + 1, ss + 1, 0x10))

    def syn_ack(self, cm, sm, cip, sip, sport, dport):
        """a port answering: SYN, SYN/ACK, ACK, RST"""
        self.add(tcp(cm, sm, cip, sip, sport, dport, 7000, 0, 0x02))
        self.add(tcp(sm, cm, sip, cip, dport, sport, 9000, 7001, 0x12))
        self.add(tcp(cm, sm, cip, sip, sport, dport, 7001, 9001, 0x10))
        self.add(tcp(cm, sm, cip, sip, sport, dport, 7001, 9001, 0x14))


# -- DHCP ---------------------------------------------------------------------------------------
def dhcp(op, xid, chaddr, yiaddr="0.0.0.0", ciaddr="0.0.0.0", opts=b""):
    b = struct.pack("!BBBBIHH4s4s4s4s16s64s128sI", op, 1, 6, 0, xid, 0, 0x8000, ip4(ciaddr),
                    ip4(yiaddr), ip4("0.0.0.0"), ip4("0.0.0.0"), mac(chaddr) + b"\0" * 10,
                    b"", b"", 0x63825363)
    return b + opts + b"\xff"


def opt(code, data):
    if isinstance(data, str):
        data = data.encode()
    return bytes([code, len(data)]) + data


def client_opts(mtype, chaddr, hostname=None, prl=(1, 3, 6, 15, 28, 42), vendor=None,
                req_ip=None):
    o = opt(53, bytes([mtype])) + opt(61, b"\x01" + mac(chaddr))
    if req_ip:
        o += opt(50, ip4(req_ip))
    if hostname:
        o += opt(12, hostname)
    if vendor:
        o += opt(60, vendor)
    o += opt(55, bytes(prl))
    return o


def dhcp_lease(cap, chaddr, ip, xid, hostname=None, vendor=None, prl=(1, 3, 6, 15, 28, 42),
               discover=True, server="192.168.1.1"):
    """DISCOVER (optional), REQUEST, ACK"""
    if discover:
        cap.add(udp(chaddr, BCAST, "0.0.0.0", "255.255.255.255", 68, 67,
                    dhcp(1, xid, chaddr, opts=client_opts(1, chaddr, hostname, prl, vendor))))
    cap.add(udp(chaddr, BCAST, "0.0.0.0", "255.255.255.255", 68, 67,
                dhcp(1, xid, chaddr, opts=client_opts(3, chaddr, hostname, prl, vendor, ip))))
    ack = opt(53, b"\x05") + opt(54, ip4(server)) + opt(51, struct.pack("!I", 86400)) + \
        opt(1, ip4("255.255.255.0")) + opt(3, ip4(server))
    cap.add(udp(ROUTER_MAC, chaddr, server, ip, 67, 68, dhcp(2, xid, chaddr, yiaddr=ip, opts=ack)))


# -- DNS / mDNS ------------------------------------------------------------------------------------
def dname(n):
    out = b""
    for label in n.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rr(name, rtype, rdata, ttl=120, cls=1):
    return dname(name) + struct.pack("!HHIH", rtype, cls, ttl, len(rdata)) + rdata


def dns_response(qid, qname, answers, flags=0x8180, question=True):
    q = dname(qname) + struct.pack("!HH", 1, 1) if question else b""
    return struct.pack("!HHHHHH", qid, flags, 1 if question else 0, len(answers), 0, 0) + q + \
        b"".join(answers)


def dns_lookup(cap, cm, cip, name, addr, qid, resolver="192.168.1.1"):
    qry = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dname(name) + struct.pack("!HH", 1, 1)
    cap.add(udp(cm, ROUTER_MAC, cip, resolver, 30000 + qid % 1000, 53, qry))
    cap.add(udp(ROUTER_MAC, cm, resolver, cip, 53, 30000 + qid % 1000,
                dns_response(qid, name, [rr(name, 1, ip4(addr), ttl=300)])))


def txt(*strings):
    return b"".join(bytes([len(s)]) + s.encode() for s in strings)


def mdns_announce(cap, sm, sip, service, instance, host, txts, port):
    full = instance + "." + service + ".local"
    ans = [rr(service + ".local", 12, dname(full), ttl=4500),
           rr(full, 33, struct.pack("!HHH", 0, 0, port) + dname(host), cls=0x8001),
           rr(full, 16, txt(*txts), cls=0x8001),
           rr(host, 1, ip4(sip), cls=0x8001)]
    cap.add(udp(sm, MDNS_MAC, sip, "224.0.0.251", 5353, 5353,
                dns_response(0, "", ans, flags=0x8400, question=False)))


# -- SSDP / WS-Discovery / SADP --------------------------------------------------------------------
def ssdp_notify(sip, server, uuid, nt="urn:schemas-upnp-org:device:InternetGatewayDevice:1"):
    return ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=120\r\n"
            "LOCATION: http://%s:1900/rootDesc.xml\r\nSERVER: %s\r\nNT: %s\r\nUSN: uuid:%s::%s\r\n"
            "NTS: ssdp:alive\r\n\r\n" % (sip, server, nt, uuid, nt)).encode()


def ssdp_reply(sip, server, uuid, st):
    return ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\n"
            "LOCATION: http://%s:49152/description.xml\r\nSERVER: %s\r\nST: %s\r\n"
            "USN: uuid:%s::%s\r\n\r\n" % (sip, server, st, uuid, st)).encode()


MSEARCH = (b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
           b"MX: 2\r\nST: ssdp:all\r\n\r\n")


def wsd_probematch(sip, uuid, hardware, name):
    return ('<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope '
            'xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
            'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
            'xmlns:dn="http://www.onvif.org/ver10/network/wsdl" '
            'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><SOAP-ENV:Header>'
            '<wsa:MessageID>uuid:%s-1</wsa:MessageID><wsa:RelatesTo>uuid:probe-0001</wsa:RelatesTo>'
            '<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>'
            '</SOAP-ENV:Header><SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>'
            '<wsa:EndpointReference><wsa:Address>urn:uuid:%s</wsa:Address></wsa:EndpointReference>'
            '<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>'
            '<d:Scopes>onvif://www.onvif.org/type/video_encoder '
            'onvif://www.onvif.org/hardware/%s onvif://www.onvif.org/name/%s '
            'onvif://www.onvif.org/Profile/Streaming</d:Scopes>'
            '<d:XAddrs>http://%s/onvif/device_service</d:XAddrs>'
            '<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches>'
            '</SOAP-ENV:Body></SOAP-ENV:Envelope>' % (uuid, uuid, hardware, name, sip)).encode()


WSD_PROBE = (b'<?xml version="1.0" encoding="UTF-8"?><e:Envelope '
             b'xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
             b'xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
             b'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
             b'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header>'
             b'<w:MessageID>uuid:probe-0001</w:MessageID>'
             b'<w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action>'
             b'</e:Header><e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types>'
             b'</d:Probe></e:Body></e:Envelope>')


def sadp(sip, smac, model, serial, firmware):
    return ('<?xml version="1.0" encoding="utf-8"?><ProbeMatch><Uuid>8F2E5D3A-0001</Uuid>'
            '<Types>inquiry</Types><DeviceType>139</DeviceType>'
            '<DeviceDescription>%s</DeviceDescription><DeviceSN>%s</DeviceSN>'
            '<CommandPort>8000</CommandPort><HttpPort>80</HttpPort><MAC>%s</MAC>'
            '<IPv4Address>%s</IPv4Address><IPv4SubnetMask>255.255.255.0</IPv4SubnetMask>'
            '<IPv4Gateway>192.168.1.1</IPv4Gateway><DHCP>true</DHCP>'
            '<SoftwareVersion>%s</SoftwareVersion><DSPVersion>V7.3 build 170110</DSPVersion>'
            '<BootTime>2026-01-01 00:00:00</BootTime><Activated>true</Activated>'
            '</ProbeMatch>' % (model, serial, smac.replace(":", "-"), sip, firmware)).encode()


def http_resp(server, status="200 OK", extra="", body="<html></html>"):
    return ("HTTP/1.1 %s\r\nServer: %s\r\n%sContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s"
            % (status, server, extra, len(body), body)).encode()


def http_get(host, path="/", extra=""):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: Mozilla/5.0\r\n%s\r\n"
            % (path, host, extra)).encode()


# -- scenarios ----------------------------------------------------------------------------------------
def discovery(cap):
    cam, dahua, dvr, prn, pc, phone, rt = ("192.168.1.64", "192.168.1.108", "192.168.1.70",
                                           "192.168.1.30", "192.168.1.10", "192.168.1.77",
                                           "192.168.1.1")
    dhcp_lease(cap, CAM_MAC, cam, 0x1001, hostname="HIKVISION-CAM", vendor="udhcp 1.19.4",
               prl=(1, 3, 6, 12, 15, 28, 42))
    dhcp_lease(cap, PHONE_MAC, phone, 0x1002, hostname="Galaxy-S21", vendor="android-dhcp-13",
               prl=(1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108))
    dhcp_lease(cap, PC_MAC, pc, 0x1003, hostname="office-pc", vendor="MSFT 5.0",
               prl=(1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252))
    cap.at(10)
    mdns_announce(cap, CAM_MAC, cam, "_rtsp._tcp", "HIKVISION DS-2CD2042WD", "cam-lobby.local",
                  ["model=DS-2CD2042WD-I", "vendor=Hikvision"], 554)
    mdns_announce(cap, PRINTER_MAC, prn, "_ipp._tcp", "HP LaserJet Pro M404", "hp-m404.local",
                  ["txtvers=1", "ty=HP LaserJet Pro M404", "product=(HP LaserJet Pro M404)"], 631)
    cap.at(20)
    cap.add(udp(ROUTER_MAC, SSDP_MAC, rt, "239.255.255.250", 1900, 1900,
                ssdp_notify(rt, "Linux/3.10 UPnP/1.0 miniupnpd/2.1", "0a1b2c3d-0001")))
    cap.add(udp(PC_MAC, SSDP_MAC, pc, "239.255.255.250", 50000, 1900, MSEARCH))
    cap.add(udp(CAM_MAC, PC_MAC, cam, pc, 1900, 50000,
                ssdp_reply(cam, "Linux/3.0, UPnP/1.0, DIGIT/1.0", "4f3b2a1c-0064",
                           "urn:schemas-upnp-org:device:Basic:1")))
    cap.at(30)
    cap.add(udp(PC_MAC, "01:00:5e:7f:ff:fa", pc, "239.255.255.250", 50001, 3702, WSD_PROBE))
    cap.add(udp(DAHUA_MAC, PC_MAC, dahua, pc, 3702, 50001,
                wsd_probematch(dahua, "5e1d0c2b-0108", "IPC-HDW1230S", "Dahua")))
    cap.at(40)
    cap.add(udp(CAM_MAC, "01:00:5e:7f:ff:fa", cam, "239.255.255.250", 37020, 37020,
                sadp(cam, CAM_MAC, "DS-2CD2042WD-I", "DS-2CD2042WD-I20160101AAWR123456789",
                     "V5.4.5build 170124")))
    cap.at(50)
    cap.tcp_session(PC_MAC, CAM_MAC, pc, cam, 41001, 80, http_get(cam),
                    http_resp("App-webs/", "401 Unauthorized",
                              'WWW-Authenticate: Digest realm="DS-2CD2042WD"\r\n'))
    cap.tcp_session(PC_MAC, DVR_MAC, pc, dvr, 41002, 80,
                    http_get(dvr, extra="Authorization: Basic YWRtaW46MTIzNDU=\r\n"),
                    http_resp("uc-httpd 1.0.0"))
    cap.tcp_session(PC_MAC, DAHUA_MAC, pc, dahua, 41003, 80, http_get(dahua),
                    http_resp("GoAhead-Webs"))
    cap.at(60)
    cap.tcp_session(PC_MAC, CAM_MAC, pc, cam, 41004, 554,
                    b"OPTIONS rtsp://192.168.1.64:554/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 1\r\n\r\n",
                    b"RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Hikvision RTSP Server 1.0\r\n"
                    b"Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n",
                    more=((b"DESCRIBE rtsp://192.168.1.64:554/Streaming/Channels/101 RTSP/1.0\r\n"
                           b"CSeq: 2\r\nAccept: application/sdp\r\n\r\n",
                           b"RTSP/1.0 200 OK\r\nCSeq: 2\r\nServer: Hikvision RTSP Server 1.0\r\n"
                           b"Content-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\no=- \r\n"),))
    cap.at(70)
    cap.tcp_session(PC_MAC, ROUTER_MAC, pc, rt, 41005, 22, b"SSH-2.0-OpenSSH_9.2p1\r\n",
                    b"SSH-2.0-dropbear_2014.63\r\n")
    cap.tcp_session(PC_MAC, DVR_MAC, pc, dvr, 41006, 23, b"",
                    b"\xff\xfd\x18\xff\xfd\x20(none) login: ",
                    more=((b"admin\r\n", b"Password: "), (b"xmhdipc\r\n", b"\r\n# ")))
    cap.at(80)
    cap.syn_ack(PC_MAC, DVR_MAC, pc, dvr, 41007, 34567)
    cap.syn_ack(PC_MAC, DAHUA_MAC, pc, dahua, 41008, 37777)


def renumber(cap):
    dhcp_lease(cap, CAM_MAC, "192.168.1.64", 0x2001, hostname="HIKVISION-CAM")
    cap.at(5)
    dns_lookup(cap, CAM_MAC, "192.168.1.64", "cloud.hik-connect.com", "203.0.113.10", 1)
    cap.tcp_session(CAM_MAC, ROUTER_MAC, "192.168.1.64", "203.0.113.10", 42001, 443,
                    b"\x16\x03\x01\x00\x05hello", b"\x16\x03\x03\x00\x05world")
    cap.at(3600)
    # renumbered: the lease gives another address to the same MAC
    dhcp_lease(cap, CAM_MAC, "192.168.1.99", 0x2002, hostname="HIKVISION-CAM", discover=False)
    cap.at(3605)
    cap.tcp_session(CAM_MAC, ROUTER_MAC, "192.168.1.99", "203.0.113.10", 42002, 443,
                    b"\x16\x03\x01\x00\x05hello", b"\x16\x03\x03\x00\x05world")
    cap.tcp_session(CAM_MAC, ROUTER_MAC, "192.168.1.99", "198.51.100.5", 42003, 80,
                    http_get("198.51.100.5", "/update"), http_resp("nginx"))


def camera_day(cap, day, qid):
    cap.at(day * 86400 + 60)
    dns_lookup(cap, CAM_MAC, "192.168.1.64", "cloud.hik-connect.com", "203.0.113.10", qid)
    cap.tcp_session(CAM_MAC, ROUTER_MAC, "192.168.1.64", "203.0.113.10", 43000 + day, 443,
                    b"\x16\x03\x01\x00\x05hello", b"\x16\x03\x03\x00\x05world")
    cap.add(udp(CAM_MAC, ROUTER_MAC, "192.168.1.64", "198.51.100.5", 123, 123, b"\x23" + b"\0" * 47))
    cap.add(udp(ROUTER_MAC, CAM_MAC, "198.51.100.5", "192.168.1.64", 123, 123, b"\x24" + b"\0" * 47))


def cam_announce(cap):
    mdns_announce(cap, CAM_MAC, "192.168.1.64", "_rtsp._tcp", "HIKVISION DS-2CD2042WD",
                  "cam-lobby.local", ["model=DS-2CD2042WD-I"], 554)


def learn(cap):
    dhcp_lease(cap, CAM_MAC, "192.168.1.64", 0x3001, hostname="HIKVISION-CAM")
    cam_announce(cap)
    for day in range(10):
        camera_day(cap, day, 100 + day)


def violation(cap):
    dhcp_lease(cap, CAM_MAC, "192.168.1.64", 0x4001, hostname="HIKVISION-CAM")
    cam_announce(cap)
    camera_day(cap, 11, 200)
    dns_lookup(cap, CAM_MAC, "192.168.1.64", "evil.example.net", "192.0.2.66", 201)
    for i in range(2):  # two flows: one alert per (device, destination)
        cap.tcp_session(CAM_MAC, ROUTER_MAC, "192.168.1.64", "192.0.2.66", 44000 + i, 8000,
                        b"\x00\x01hello", b"\x00\x01ok")


def persist_a(cap):
    dhcp_lease(cap, PC_MAC, "192.168.1.10", 0x5001, hostname="office-pc")
    dns_lookup(cap, PC_MAC, "192.168.1.10", "updates.example.org", "203.0.113.20", 300)
    cap.tcp_session(PC_MAC, ROUTER_MAC, "192.168.1.10", "203.0.113.20", 45001, 443,
                    b"\x16\x03\x01\x00\x05hello", b"\x16\x03\x03\x00\x05world")
    cap.tcp_session(PC_MAC, ROUTER_MAC, "192.168.1.10", "198.51.100.7", 45002, 80,
                    http_get("198.51.100.7"), http_resp("nginx"))


def persist_b(cap):
    dhcp_lease(cap, PRINTER_MAC, "192.168.1.30", 0x5002, hostname="hp-m404")
    cap.tcp_session(PRINTER_MAC, ROUTER_MAC, "192.168.1.30", "198.51.100.8", 45003, 443,
                    b"\x16\x03\x01\x00\x05hello", b"\x16\x03\x03\x00\x05world")


def rich(cap, rounds):
    servers = ["App-webs/", "uc-httpd 1.0.0", "GoAhead-Webs", "lighttpd/1.4.35", "Boa/0.94.14rc21"]
    for r in range(rounds):
        for i in range(500):
            m = "02:00:00:00:%02x:%02x" % (i >> 8, i & 255) if i % 50 == 49 else \
                "44:19:b6:00:%02x:%02x" % (i >> 8, i & 255)
            ip = "10.20.%d.%d" % (i // 250, 1 + i % 250)
            if r == 0 or i % 10 == r % 10:
                dhcp_lease(cap, m, ip, 0x10000 + i, hostname="dev-%03d" % i, discover=False,
                           server="10.20.0.254")
            k = i % 4
            if k == 0:
                mdns_announce(cap, m, ip, "_rtsp._tcp", "CAM %03d" % i, "cam-%03d.local" % i,
                              ["model=DS-2CD%04d" % i], 554)
            elif k == 1:
                cap.add(udp(m, SSDP_MAC, ip, "239.255.255.250", 1900, 1900,
                            ssdp_notify(ip, "Linux/3.10 UPnP/1.0 IPC/1.0", "dev-%04d" % i,
                                        "upnp:rootdevice")))
            elif k == 2:
                cap.add(udp(m, PC_MAC, ip, "10.20.9.9", 3702, 50001,
                            wsd_probematch(ip, "dev-%04d" % i, "IPC-%04d" % i, "Generic")))
            else:
                cap.add(udp(m, "01:00:5e:7f:ff:fa", ip, "239.255.255.250", 37020, 37020,
                            sadp(ip, m, "DS-7608NI-%03d" % i, "SN%09d" % i, "V3.4.%d" % (i % 9))))
            cap.tcp_session(PC_MAC, m, "10.20.9.9", ip, 20000 + (r * 500 + i) % 40000, 80,
                            http_get(ip), http_resp(servers[i % 5]))
            cap.add(udp(m, ROUTER_MAC, ip, "198.51.100.%d" % (1 + i % 200), 123, 123,
                        b"\x23" + b"\0" * 47))
        cap.at((r + 1) * 600)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    scen, out = sys.argv[1], sys.argv[2]
    cap = Cap()
    if scen == "discovery":
        discovery(cap)
    elif scen == "renumber":
        renumber(cap)
    elif scen == "learn":
        learn(cap)
    elif scen == "violation":
        violation(cap)
    elif scen == "persist-a":
        persist_a(cap)
    elif scen == "persist-b":
        persist_b(cap)
    elif scen == "rich":
        rich(cap, int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] != "--send" else 20)
    else:
        sys.exit("unknown scenario %r\n%s" % (scen, __doc__))
    if out == "--send":
        import socket
        import time
        sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        sk.bind((sys.argv[3], 0))
        for _, frame in cap.pkts:
            sk.send(frame)
            time.sleep(0.001)
        sk.close()
    else:
        cap.write(out)


if __name__ == "__main__":
    main()
