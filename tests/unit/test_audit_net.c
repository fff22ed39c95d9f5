// SPDX-License-Identifier: Apache-2.0
/*
 * test_audit_net.c — the parsers of `vigil audit device` (audit/net_proto.c,
 * audit/scope.c, audit/creds.c, port lists):
 * telnet negotiation refuses every option except the server echoing and
 * suppressing go-ahead, skips sub-negotiation and survives a command split
 * across reads; prompts are classified with failure/lockout text winning;
 * HTTP/RTSP response heads parse status, Server, CSeq, Content-Length and
 * every WWW-Authenticate (incomplete = EAGAIN, garbage/obs-fold = EFORMAT);
 * challenges parse quoted and token values; Digest matches RFC 7616 3.9.1
 * (MD5 and SHA-256); Basic is base64(user:pass); XML fields ignore
 * namespace prefixes and decode entities; the SSH KEXINIT parser reads the
 * name-lists and flags weak algorithms; banners classify; the scope file
 * is strict (unknown keys, missing keys, bad CIDRs) and a bare valid-until
 * date lasts to the end of the day; the credential list parses <empty>,
 * rejects bad rows naming file:line, matches vendor globs case-insensitively
 * and holds Mirai's 61 telnet pairs; --ports parses lists and ranges; every
 * network check id has a row in the compiled-in map.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "audit/creds.h"
#include "audit/map.h"
#include "audit/net.h"
#include "audit/net_proto.h"
#include "audit/scope.h"
#include "vigil/common.h"

#include <stdio.h>
#include <string.h>

static void test_telnet_filter(void **st)
{
	(void)st;
	/* IAC DO TTYPE(24), IAC WILL ECHO(1), IAC WILL 5, IAC SB 24 1 IAC SE, "lo", IAC IAC, "gin: " */
	const uint8_t in[] = {255, 253, 24, 255, 251, 1, 255, 251, 5, 255, 250, 24, 1, 255, 240,
			      'l', 'o', 255, 255, 'g', 'i', 'n', ':', ' '};
	vg_telnet_t t = {0};
	uint8_t out[64], rep[64];
	size_t on, rn;
	vg_telnet_filter(&t, in, sizeof(in), out, sizeof(out), &on, rep, sizeof(rep), &rn);
	const uint8_t want_out[] = {'l', 'o', 255, 'g', 'i', 'n', ':', ' '};
	const uint8_t want_rep[] = {255, 252, 24, 255, 253, 1, 255, 254, 5};
	assert_int_equal(on, sizeof(want_out));
	assert_memory_equal(out, want_out, on);
	assert_int_equal(rn, sizeof(want_rep));
	assert_memory_equal(rep, want_rep, rn);
	/* a command split across two reads: IAC | WILL SGA(3) */
	vg_telnet_t t2 = {0};
	const uint8_t a[] = {'x', 255}, b[] = {251, 3, 'y'};
	vg_telnet_filter(&t2, a, sizeof(a), out, sizeof(out), &on, rep, sizeof(rep), &rn);
	assert_int_equal(on, 1);
	assert_int_equal(rn, 0);
	vg_telnet_filter(&t2, b, sizeof(b), out, sizeof(out), &on, rep, sizeof(rep), &rn);
	assert_int_equal(on, 1);
	assert_int_equal(out[0], 'y');
	assert_int_equal(rn, 3);
	assert_int_equal(rep[1], 253);
	/* output caps are respected */
	vg_telnet_t t3 = {0};
	vg_telnet_filter(&t3, in, sizeof(in), out, 2, &on, rep, 3, &rn);
	assert_int_equal(on, 2);
	assert_int_equal(rn, 3);
}

static int cls(const char *s) { return vg_prompt_classify((const uint8_t *)s, strlen(s)); }

static void test_prompt(void **st)
{
	(void)st;
	assert_int_equal(cls("\r\nFakeCam login: "), VG_PR_LOGIN);
	assert_int_equal(cls("Username:"), VG_PR_LOGIN);
	assert_int_equal(cls("admin\r\nPassword: "), VG_PR_PASSWORD);
	assert_int_equal(cls("\r\nBusyBox v1.19.4 built-in shell (ash)\r\n# "), VG_PR_SHELL);
	assert_int_equal(cls("~ $"), VG_PR_SHELL);
	assert_int_equal(cls("\r\nLogin incorrect\r\nlogin: "), VG_PR_FAILED);
	assert_int_equal(cls("Account locked: too many login failures"), VG_PR_LOCKED);
	assert_int_equal(cls("Welcome"), VG_PR_NONE);
	assert_int_equal(cls(""), VG_PR_NONE);
}

static void test_resp(void **st)
{
	(void)st;
	const char *h = "HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\n"
			"WWW-Authenticate: Digest realm=\"cam\", nonce=\"abc\", qop=\"auth\"\r\n"
			"www-authenticate: Basic realm=\"cam\"\r\nContent-Length: 3\r\n\r\nxyz";
	vg_resp_t r;
	assert_int_equal(vg_resp_parse((const uint8_t *)h, strlen(h), &r), 0);
	assert_false(r.rtsp);
	assert_int_equal(r.status, 401);
	assert_int_equal(r.content_length, 3);
	assert_int_equal(r.head_len, strlen(h) - 3);
	assert_int_equal(r.nauth, 2);
	assert_int_equal(r.server.n, 9);
	assert_memory_equal(r.server.p, "App-webs/", 9);
	assert_memory_equal(r.auth[1].p, "Basic realm=\"cam\"", r.auth[1].n);
	const char *rt = "RTSP/1.0 200 OK\nCSeq: 7\nContent-Length: 0\n\n";
	assert_int_equal(vg_resp_parse((const uint8_t *)rt, strlen(rt), &r), 0);
	assert_true(r.rtsp);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.cseq.p, "7", 1);
	assert_int_equal(vg_resp_parse((const uint8_t *)h, 20, &r), VG_EAGAIN);
	assert_int_equal(vg_resp_parse((const uint8_t *)"HTT", 3, &r), VG_EAGAIN);
	assert_int_equal(vg_resp_parse((const uint8_t *)"SSH-2.0-x\r\n\r\n", 13, &r), VG_EFORMAT);
	const char *fold = "HTTP/1.1 200 OK\r\nServer: a\r\n b\r\n\r\n";
	assert_int_equal(vg_resp_parse((const uint8_t *)fold, strlen(fold), &r), VG_EFORMAT);
	const char *badlen = "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n";
	assert_int_equal(vg_resp_parse((const uint8_t *)badlen, strlen(badlen), &r), VG_EFORMAT);
	const char *nostatus = "HTTP/1.1 2x0 OK\r\n\r\n";
	assert_int_equal(vg_resp_parse((const uint8_t *)nostatus, strlen(nostatus), &r), VG_EFORMAT);
}

static void test_www_auth(void **st)
{
	(void)st;
	vg_www_auth_t a;
	const char *d = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
			"algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
			"opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", stale=TRUE";
	assert_int_equal(vg_www_auth_parse(d, strlen(d), &a), 0);
	assert_int_equal(a.scheme, VG_AUTH_DIGEST);
	assert_int_equal(a.algorithm, VG_DIG_SHA256);
	assert_true(a.qop_auth);
	assert_true(a.qop_other);
	assert_true(a.stale);
	assert_string_equal(a.realm, "http-auth@example.org");
	assert_string_equal(a.nonce, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
	assert_string_equal(a.opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
	const char *b = "Basic realm=\"a \\\"q\\\" b\"";
	assert_int_equal(vg_www_auth_parse(b, strlen(b), &a), 0);
	assert_int_equal(a.scheme, VG_AUTH_BASIC);
	assert_string_equal(a.realm, "a \"q\" b");
	assert_int_equal(vg_www_auth_parse("Digest realm=\"x\"", 16, &a), VG_EFORMAT); /* no nonce */
	assert_int_equal(vg_www_auth_parse("Digest nonce=\"x", 15, &a), VG_EFORMAT);   /* unterminated */
	assert_int_equal(vg_www_auth_parse("", 0, &a), VG_EFORMAT);
	const char *m = "Digest realm=r, nonce=n, algorithm=MD5-sess";
	assert_int_equal(vg_www_auth_parse(m, strlen(m), &a), 0);
	assert_int_equal(a.algorithm, VG_DIG_MD5_SESS);
	assert_false(a.qop_auth);
	assert_string_equal(a.nonce, "n");
}

/* RFC 7616 section 3.9.1: Mufasa / "Circle of Life", GET /dir/index.html */
static void test_digest_rfc7616(void **st)
{
	(void)st;
	char out[65];
	const char *nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
	const char *cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
	assert_int_equal(vg_digest_response(VG_DIG_MD5, "Mufasa", "http-auth@example.org",
					    "Circle of Life", "GET", "/dir/index.html", nonce,
					    "00000001", cnonce, true, out, sizeof(out)), 0);
	assert_string_equal(out, "8ca523f5e9506fed4657c9700eebdbec");
	assert_int_equal(vg_digest_response(VG_DIG_SHA256, "Mufasa", "http-auth@example.org",
					    "Circle of Life", "GET", "/dir/index.html", nonce,
					    "00000001", cnonce, true, out, sizeof(out)), 0);
	assert_string_equal(out, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
	assert_int_equal(vg_digest_response(VG_DIG_UNKNOWN, "a", "b", "c", "GET", "/", "n", "1", "c",
					    true, out, sizeof(out)), VG_EINVAL);
	/* the header carries the response, qop, nc and opaque */
	vg_www_auth_t a;
	const char *d = "Digest realm=\"http-auth@example.org\", qop=\"auth\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"OP\"";
	assert_int_equal(vg_www_auth_parse(d, strlen(d), &a), 0);
	char h[1024];
	assert_int_equal(vg_auth_header(&a, "Mufasa", "Circle of Life", "GET", "/dir/index.html", cnonce, h, sizeof(h)), 0);
	assert_non_null(strstr(h, "response=\"8ca523f5e9506fed4657c9700eebdbec\""));
	assert_non_null(strstr(h, "qop=auth, nc=00000001"));
	assert_non_null(strstr(h, "opaque=\"OP\""));
	assert_int_equal(vg_auth_header(&a, "bad\"user", "x", "GET", "/", cnonce, h, sizeof(h)), VG_EINVAL);
	assert_int_equal(vg_auth_header(&a, "Mufasa", "x", "GET", "/", cnonce, h, 40), VG_ERANGE);
	vg_www_auth_t basic = {.scheme = VG_AUTH_BASIC};
	assert_int_equal(vg_auth_header(&basic, "admin", "12345", "GET", "/", "", h, sizeof(h)), 0);
	assert_string_equal(h, "Basic YWRtaW46MTIzNDU=");
}

static void test_xml(void **st)
{
	(void)st;
	const char *x = "<?xml version=\"1.0\"?><root><device><modelName> DS-2CD &amp; co </modelName>"
			"<tds:SerialNumber>SN&lt;1&gt;</tds:SerialNumber><empty/><modelNumber></modelNumber>"
			"</device></root>";
	char v[64];
	assert_int_equal(vg_xml_field(x, strlen(x), "modelName", v, sizeof(v)), 1);
	assert_string_equal(v, "DS-2CD & co");
	assert_int_equal(vg_xml_field(x, strlen(x), "SerialNumber", v, sizeof(v)), 1);
	assert_string_equal(v, "SN<1>");
	assert_int_equal(vg_xml_field(x, strlen(x), "empty", v, sizeof(v)), 0);
	assert_int_equal(vg_xml_field(x, strlen(x), "modelNumber", v, sizeof(v)), 0);
	assert_int_equal(vg_xml_field(x, strlen(x), "model", v, sizeof(v)), 0);
	assert_int_equal(vg_xml_field(x, 30, "modelName", v, sizeof(v)), 0); /* cut before the text ends */
	char small[4];
	assert_int_equal(vg_xml_field(x, strlen(x), "modelName", small, sizeof(small)), 1);
	assert_string_equal(small, "DS-");
}

static size_t put_list(uint8_t *p, const char *s)
{
	size_t l = strlen(s);
	p[0] = (uint8_t)(l >> 24);
	p[1] = (uint8_t)(l >> 16);
	p[2] = (uint8_t)(l >> 8);
	p[3] = (uint8_t)l;
	memcpy(p + 4, s, l);
	return 4 + l;
}

static void test_ssh_kexinit(void **st)
{
	(void)st;
	uint8_t pk[2048];
	size_t n = 5;
	pk[n++] = 20;
	memset(pk + n, 0xab, 16);
	n += 16;
	const char *lists[10] = {"curve25519-sha256,diffie-hellman-group1-sha1", "ssh-ed25519,ssh-dss",
				 "aes128-ctr,3des-cbc", "aes128-ctr", "hmac-sha2-256,hmac-md5", "hmac-sha2-256",
				 "none", "none", "", ""};
	for (int i = 0; i < 10; i++)
		n += put_list(pk + n, lists[i]);
	pk[n++] = 0; /* first_kex_packet_follows */
	memset(pk + n, 0, 4);
	n += 4;
	size_t pad = 4;
	memset(pk + n, 0, pad);
	n += pad;
	uint32_t plen = (uint32_t)(n - 4);
	pk[0] = (uint8_t)(plen >> 24);
	pk[1] = (uint8_t)(plen >> 16);
	pk[2] = (uint8_t)(plen >> 8);
	pk[3] = (uint8_t)plen;
	pk[4] = (uint8_t)pad;
	vg_ssh_algs_t a;
	size_t used;
	assert_int_equal(vg_ssh_kexinit_parse(pk, n, &a, &used), 0);
	assert_int_equal(used, n);
	assert_string_equal(a.kex, lists[0]);
	assert_string_equal(a.hostkey, lists[1]);
	assert_string_equal(a.enc, lists[2]);
	assert_string_equal(a.mac, lists[4]);
	assert_int_equal(vg_ssh_kexinit_parse(pk, n - 1, &a, &used), VG_EAGAIN);
	pk[5] = 21; /* not KEXINIT */
	assert_int_equal(vg_ssh_kexinit_parse(pk, n, &a, &used), VG_EFORMAT);
	char w[256] = "";
	assert_int_equal(vg_ssh_weak(lists[0], 'k', w, sizeof(w)) + vg_ssh_weak(lists[1], 'h', w, sizeof(w)) +
			 vg_ssh_weak(lists[2], 'e', w, sizeof(w)) + vg_ssh_weak(lists[4], 'm', w, sizeof(w)), 4);
	assert_string_equal(w, "diffie-hellman-group1-sha1,ssh-dss,3des-cbc,hmac-md5");
	char w2[256] = "";
	assert_int_equal(vg_ssh_weak("curve25519-sha256,sntrup761x25519-sha512@openssh.com", 'k', w2, sizeof(w2)), 0);
}

static void test_banner(void **st)
{
	(void)st;
	assert_int_equal(vg_banner_classify((const uint8_t *)"SSH-2.0-dropbear_2014.63\r\n", 26), VG_SVC_SSH);
	assert_int_equal(vg_banner_classify((const uint8_t *)"220 (vsFTPd 2.3.4)\r\n", 20), VG_SVC_FTP);
	assert_int_equal(vg_banner_classify((const uint8_t *)"220-Welcome\r\n", 13), VG_SVC_FTP);
	assert_int_equal(vg_banner_classify((const uint8_t *)"\xff\xfd\x18", 3), VG_SVC_TELNET);
	assert_int_equal(vg_banner_classify((const uint8_t *)"\r\n(none) login: ", 16), VG_SVC_TELNET);
	assert_int_equal(vg_banner_classify((const uint8_t *)"RTSP/1.0 200 OK", 15), VG_SVC_RTSP);
	assert_int_equal(vg_banner_classify((const uint8_t *)"HTTP/1.0 400", 12), VG_SVC_HTTP);
	assert_int_equal(vg_banner_classify((const uint8_t *)"\x00\x01\x02", 3), VG_SVC_UNKNOWN);
	char p[16];
	assert_int_equal(vg_printable((const uint8_t *)"a\r\n\x01\xfe  b   ", 11, p, sizeof(p)), 6);
	assert_string_equal(p, "a .. b");
	assert_string_equal(vg_svc_name(VG_SVC_RTSP), "rtsp");
	assert_string_equal(vg_svc_name(99), "unknown");
}

static const char scope_ok[] = "# lab\nowner = Lab A\ncontact = x@y\nvalid-from = 2026-01-01\n"
			       "valid-until = 2026-06-30\ntarget = 192.0.2.0/24\ntarget=10.1.2.3\n";

static void test_scope(void **st)
{
	(void)st;
	vg_scope_t *s;
	char err[256], why[256];
	assert_int_equal(vg_scope_parse(&s, "s.ini", scope_ok, strlen(scope_ok), err, sizeof(err)), 0);
	assert_string_equal(vg_scope_owner(s), "Lab A");
	assert_string_equal(vg_scope_contact(s), "x@y");
	assert_int_equal(vg_scope_count(s), 2);
	int64_t jan2 = 1767312000; /* 2026-01-02T00:00:00Z */
	assert_int_equal(vg_scope_check(s, 0xC0000205, jan2, why, sizeof(why)), 0);
	assert_int_equal(vg_scope_check(s, 0x0A010203, jan2, why, sizeof(why)), 0);
	assert_int_equal(vg_scope_check(s, 0x0A010204, jan2, why, sizeof(why)), VG_ENOTFOUND);
	assert_string_equal(why, "10.1.2.4 is not a target of the scope (owner: Lab A)");
	assert_int_equal(vg_scope_check(s, 0xC0000205, 1767225599, why, sizeof(why)), VG_ERANGE);
	/* valid-until as a bare date lasts to 23:59:59 of that day */
	assert_int_equal(vg_scope_until(s), 1782863999);
	assert_int_equal(vg_scope_check(s, 0xC0000205, 1782863999, why, sizeof(why)), 0);
	assert_int_equal(vg_scope_check(s, 0xC0000205, 1782864000, why, sizeof(why)), VG_ERANGE);
	vg_scope_free(s);
	const char *bad[][2] = {
		{"owner = a\nvalid-from = 2026-01-01\nvalid-until = 2026-01-02\n", "s: missing required key 'target'"},
		{"owner = a\nvalid-from = 2026-01-01\nvalid-until = 2026-01-02\ntarget = 10.0.0.1/8\n",
		 "s:4: target: not an IPv4 address or CIDR (host bits must be zero): 10.0.0.1/8"},
		{"owner = a\ntargets = 10.0.0.1\n", "s:2: unknown key 'targets' (owner, contact, valid-from, valid-until, target)"},
		{"owner = a\nvalid-from = tomorrow\n", "s:2: valid-from: not an ISO 8601 date or date-time: tomorrow"},
		{"owner = a\nowner = b\n", "s:2: owner given twice"},
		{"owner\n", "s:1: expected key = value"},
		{"owner = a\nvalid-from = 2026-02-01\nvalid-until = 2026-01-02\ntarget = 10.0.0.1\n",
		 "s: valid-until is before valid-from"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		s = (vg_scope_t *)1;
		assert_int_equal(vg_scope_parse(&s, "s", bad[i][0], strlen(bad[i][0]), err, sizeof(err)), VG_EFORMAT);
		assert_null(s);
		assert_string_equal(err, bad[i][1]);
	}
	uint32_t net;
	int plen;
	assert_int_equal(vg_cidr4_parse("127.0.1.0/26", 12, &net, &plen), 0);
	assert_int_equal(net, 0x7F000100);
	assert_int_equal(plen, 26);
	assert_int_equal(vg_cidr4_parse("1.2.3", 5, &net, &plen), VG_EINVAL);
	assert_int_equal(vg_cidr4_parse("1.2.3.256", 9, &net, &plen), VG_EINVAL);
	assert_int_equal(vg_cidr4_parse("1.2.3.4/", 8, &net, &plen), VG_EINVAL);
	assert_int_equal(vg_cidr4_parse("01.2.3.4 ", 9, &net, &plen), VG_EINVAL);
}

static void test_creds(void **st)
{
	(void)st;
	vg_creds_t *c;
	char err[256];
	assert_int_equal(vg_creds_new(&c), 0);
	const char *t = "# version: 7\ntelnet\t*\troot\t<empty>\tMirai\nhttp\t*Hikvision*\tadmin\t12345\tmanual\r\n";
	assert_int_equal(vg_creds_parse(c, "c.tsv", t, strlen(t), err, sizeof(err)), 0);
	assert_int_equal(vg_creds_count(c), 2);
	assert_string_equal(vg_creds_version(c), "7");
	const vg_cred_t *r = vg_creds_get(c, 0);
	assert_string_equal(r->pass, "");
	assert_string_equal(r->file, "c.tsv");
	assert_int_equal(r->line, 2);
	r = vg_creds_get(c, 1);
	assert_string_equal(r->source, "manual");
	assert_true(vg_cred_applies(r, "http", "Server App | HIKVISION DS-2CD"));
	assert_false(vg_cred_applies(r, "rtsp", "Hikvision"));
	assert_false(vg_cred_applies(r, "http", "Dahua"));
	assert_false(vg_cred_applies(r, "http", NULL));
	assert_true(vg_cred_applies(vg_creds_get(c, 0), NULL, NULL));
	assert_null(vg_creds_get(c, 2));
	const char *bad1 = "telnet\t*\troot\n";
	assert_int_equal(vg_creds_parse(c, "b.tsv", bad1, strlen(bad1), err, sizeof(err)), VG_EFORMAT);
	assert_string_equal(err, "b.tsv:1: expected 5 tab-separated fields (proto pattern user pass source), got 3");
	const char *bad2 = "# x\nsmtp\t*\ta\tb\tc\n";
	assert_int_equal(vg_creds_parse(c, "b.tsv", bad2, strlen(bad2), err, sizeof(err)), VG_EFORMAT);
	assert_string_equal(err, "b.tsv:2: field proto: unknown protocol 'smtp' (telnet, ftp, ssh, http, rtsp, any)");
	const char *bad3 = "ftp\t*\ta\t\tc\n";
	assert_int_equal(vg_creds_parse(c, "b.tsv", bad3, strlen(bad3), err, sizeof(err)), VG_EFORMAT);
	assert_int_equal(vg_creds_count(c), 2); /* all or nothing */
	vg_creds_free(c);
	/* the built-in list: Mirai's 61 telnet pairs, each with a source */
	assert_int_equal(vg_creds_builtin(&c, err, sizeof(err)), 0);
	size_t mirai = 0;
	for (size_t i = 0; i < vg_creds_count(c); i++) {
		r = vg_creds_get(c, i);
		assert_true(r->source[0] != 0);
		if (!strcmp(r->proto, "telnet") && strstr(r->source, "Mirai scanner.c (add_auth_entry"))
			mirai++;
	}
	assert_int_equal(mirai, 61);
	assert_string_not_equal(vg_creds_version(c), "unknown");
	vg_creds_free(c);
}

static void test_ports(void **st)
{
	(void)st;
	vg_netopt_t o;
	char err[128];
	vg_netopt_default(&o);
	assert_int_equal(o.ntcp, 12);
	assert_int_equal(o.nudp, 3);
	assert_int_equal(o.tcp[3], 2323);
	assert_int_equal(o.udp[2], 37020);
	assert_int_equal(vg_netopt_ports(&o, "23,8000-8002,1900/udp,80/tcp", err, sizeof(err)), 0);
	assert_int_equal(o.ntcp, 5);
	assert_int_equal(o.tcp[3], 8002);
	assert_int_equal(o.tcp[4], 80);
	assert_int_equal(o.nudp, 1);
	assert_int_equal(o.udp[0], 1900);
	assert_int_equal(vg_netopt_ports(&o, "0", err, sizeof(err)), VG_EINVAL);
	assert_int_equal(vg_netopt_ports(&o, "90-80", err, sizeof(err)), VG_EINVAL);
	assert_int_equal(vg_netopt_ports(&o, "1-100", err, sizeof(err)), VG_EINVAL);
	assert_string_equal(err, "--ports: at most 64 TCP and 16 UDP ports");
	assert_int_equal(vg_netopt_ports(&o, "http", err, sizeof(err)), VG_EINVAL);
	assert_string_equal(err, "--ports: bad port or range 'http'");
}

static void test_check_ids_mapped(void **st)
{
	(void)st;
	vg_amap_t *m;
	char err[256];
	assert_int_equal(vg_amap_builtin(&m, err, sizeof(err)), 0);
	int n = 0;
	for (const char *const *id = vg_net_check_ids(); *id; id++, n++) {
		const vg_amap_check_t *c = vg_amap_check(m, *id);
		if (!c || c->nprov == 0)
			fail_msg("check id %s has no provision in data/audit-map-net.tsv", *id);
	}
	assert_int_equal(n, 25);
	vg_amap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_telnet_filter),  cmocka_unit_test(test_prompt),
		cmocka_unit_test(test_resp),           cmocka_unit_test(test_www_auth),
		cmocka_unit_test(test_digest_rfc7616), cmocka_unit_test(test_xml),
		cmocka_unit_test(test_ssh_kexinit),    cmocka_unit_test(test_banner),
		cmocka_unit_test(test_scope),          cmocka_unit_test(test_creds),
		cmocka_unit_test(test_ports),          cmocka_unit_test(test_check_ids_mapped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
