// SPDX-License-Identifier: Apache-2.0
/*
 * test_sign.c — src/intel/sign.c: minisign key and signature formats.
 * Round trips, tampering, wrong keys, prehashed vs legacy signatures,
 * encrypted vs unencrypted secret keys, malformed files (exact return
 * codes) and the trusted-comment parser.  Encrypted keys use small scrypt
 * limits so the tests stay fast; the layout is the same as minisign's.
 * A minisign-made unencrypted key (minisign 0.11 -G -W) pins the format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "intel/sign.h"

#include <string.h>

#define OPS 524288ull   /* scrypt INTERACTIVE limits: fast tests */
#define MEM 16777216ull

static const char msg[] = "1.2.3.4\nevil.example\n";

/* Made by `minisign -G -W` (0.11): checksum all zeros, salt and limits 0. */
static const char ms_key[] =
	"untrusted comment: minisign encrypted secret key\n"
	"RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIajDNpfD"
	"1A01VEcn8ffo8f64+1XYF02TBFe7a2FvLoxUN8j/YI3KMTKonvD7qCRzxT/l7TzhheiSvz4ThowrQ7g0"
	"zdt4gF+GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
static const char ms_pub[] = "untrusted comment: minisign public key DD4C39736C3A821\n"
			     "RWQhqMM2l8PUDTKonvD7qCRzxT/l7TzhheiSvz4ThowrQ7g0zdt4gF+G\n";

static vg_sign_sig_t sig;

static void sign_buf(const vg_sign_seckey_t *sk, bool pre, const char *tc, vg_buf_t *out)
{
	assert_int_equal(vg_sign_sign(sk, msg, strlen(msg), pre, tc, NULL, out), 0);
}

/* Rule: a signature made with a key verifies with its public key, in both
 * forms, and carries the trusted comment and the algorithm id. */
static void test_round_trip(void **st)
{
	vg_sign_pubkey_t pk;
	vg_sign_seckey_t sk;
	assert_int_equal(vg_sign_keygen(&pk, &sk), 0);
	for (int pre = 0; pre < 2; pre++) {
		vg_buf_t b = VG_BUF_INIT;
		sign_buf(&sk, pre, "feed=apt seq=7 time=2026-01-02T03:04:05Z", &b);
		assert_int_equal(vg_sign_sig_parse(b.p, b.len, &sig), 0);
		assert_int_equal(sig.prehashed, pre);
		assert_string_equal(sig.trusted, "feed=apt seq=7 time=2026-01-02T03:04:05Z");
		vg_sign_fail_t why = 99;
		assert_int_equal(vg_sign_verify(&pk, &sig, msg, strlen(msg), &why), 0);
		assert_int_equal(why, VG_SIGN_OK);
		/* the second line starts with the base64 of "ED" / "Ed" */
		const char *l2 = strchr(b.p, '\n') + 1;
		assert_memory_equal(l2, pre ? "RU" : "RW", 2);
		vg_buf_release(&b);
	}
}

/* Rule: one changed byte of the file, or of the trusted comment, fails with
 * VG_ECORRUPT and says which; another key fails on the key id. */
static void test_tamper_and_wrong_key(void **st)
{
	vg_sign_pubkey_t pk, pk2;
	vg_sign_seckey_t sk, sk2;
	assert_int_equal(vg_sign_keygen(&pk, &sk), 0);
	assert_int_equal(vg_sign_keygen(&pk2, &sk2), 0);
	vg_buf_t b = VG_BUF_INIT;
	sign_buf(&sk, true, "feed=apt seq=1 time=2026-01-02T03:04:05Z", &b);
	assert_int_equal(vg_sign_sig_parse(b.p, b.len, &sig), 0);
	char m2[sizeof msg];
	memcpy(m2, msg, sizeof msg);
	m2[0] = '2';
	vg_sign_fail_t why;
	assert_int_equal(vg_sign_verify(&pk, &sig, m2, strlen(m2), &why), VG_ECORRUPT);
	assert_int_equal(why, VG_SIGN_BADSIG);
	assert_int_equal(vg_sign_verify(&pk2, &sig, msg, strlen(msg), &why), VG_ENOTFOUND);
	assert_int_equal(why, VG_SIGN_KEYID);
	/* same key id, other key: the signature fails */
	memcpy(pk2.keyid, pk.keyid, 8);
	assert_int_equal(vg_sign_verify(&pk2, &sig, msg, strlen(msg), &why), VG_ECORRUPT);
	assert_int_equal(why, VG_SIGN_BADSIG);
	/* trusted comment changed: seq=1 -> seq=9 */
	char *p = strstr(b.p, "seq=1");
	p[4] = '9';
	assert_int_equal(vg_sign_sig_parse(b.p, b.len, &sig), 0);
	assert_int_equal(vg_sign_verify(&pk, &sig, msg, strlen(msg), &why), VG_ECORRUPT);
	assert_int_equal(why, VG_SIGN_COMMENT);
	vg_buf_release(&b);
}

/* Rule: secret keys round-trip encrypted (right passphrase) and
 * unencrypted; a wrong passphrase is VG_ECORRUPT, none is VG_EINVAL. */
static void test_seckey(void **st)
{
	vg_sign_pubkey_t pk, pk2;
	vg_sign_seckey_t sk, sk2;
	bool enc;
	assert_int_equal(vg_sign_keygen(&pk, &sk), 0);
	vg_buf_t e = VG_BUF_INIT, u = VG_BUF_INIT;
	assert_int_equal(vg_sign_seckey_write(&sk, "hunter2", OPS, MEM, NULL, &e), 0);
	assert_int_equal(vg_sign_seckey_write(&sk, NULL, 0, 0, NULL, &u), 0);
	assert_int_equal(vg_sign_seckey_encrypted(e.p, e.len, &enc), 0);
	assert_true(enc);
	assert_int_equal(vg_sign_seckey_encrypted(u.p, u.len, &enc), 0);
	assert_false(enc);
	assert_int_equal(vg_sign_seckey_parse(e.p, e.len, "hunter2", &sk2), 0);
	assert_memory_equal(&sk, &sk2, sizeof sk);
	assert_int_equal(vg_sign_seckey_parse(e.p, e.len, "hunter3", &sk2), VG_ECORRUPT);
	assert_int_equal(vg_sign_seckey_parse(e.p, e.len, NULL, &sk2), VG_EINVAL);
	assert_int_equal(vg_sign_seckey_parse(u.p, u.len, NULL, &sk2), 0);
	assert_memory_equal(&sk, &sk2, sizeof sk);
	vg_sign_pubkey_of(&sk2, &pk2);
	assert_memory_equal(&pk, &pk2, sizeof pk);
	/* a flipped byte in an unencrypted key fails the checksum */
	char *l2 = strchr(u.p, '\n') + 1;
	l2[100] = l2[100] == 'A' ? 'B' : 'A';
	assert_int_equal(vg_sign_seckey_parse(u.p, u.len, NULL, &sk2), VG_ECORRUPT);
	vg_buf_release(&e);
	vg_buf_release(&u);
}

/* Rule: minisign's own -W key (zero checksum) loads, matches its public
 * key, and signatures made with it verify; the key id text is minisign's. */
static void test_minisign_key(void **st)
{
	vg_sign_seckey_t sk;
	vg_sign_pubkey_t pk, pk2;
	char id[24];
	assert_int_equal(vg_sign_seckey_parse(ms_key, strlen(ms_key), NULL, &sk), 0);
	assert_int_equal(vg_sign_pubkey_parse(ms_pub, strlen(ms_pub), &pk), 0);
	vg_sign_pubkey_of(&sk, &pk2);
	assert_memory_equal(&pk, &pk2, sizeof pk);
	vg_sign_keyid_hex(pk.keyid, id, sizeof id);
	assert_string_equal(id, "DD4C39736C3A821");
	vg_buf_t b = VG_BUF_INIT;
	vg_sign_pubkey_write(&pk, &b);
	assert_string_equal(b.p, ms_pub);
	vg_buf_release(&b);
}

/* Rule: malformed files give exact codes. */
static void test_malformed(void **st)
{
	vg_sign_pubkey_t pk;
	vg_sign_seckey_t sk;
	assert_int_equal(vg_sign_pubkey_parse("", 0, &pk), VG_EEMPTY);
	assert_int_equal(vg_sign_pubkey_parse("hello\nRWQ\n", 10, &pk), VG_EFORMAT);
	const char *nob64 = "untrusted comment: x\n!!!!\n";
	assert_int_equal(vg_sign_pubkey_parse(nob64, strlen(nob64), &pk), VG_EFORMAT);
	/* right length, algorithm "Xd" */
	const char *alg = "untrusted comment: x\n"
			  "WGQhqMM2l8PUDTKonvD7qCRzxT/l7TzhheiSvz4ThowrQ7g0zdt4gF+G\n";
	assert_int_equal(vg_sign_pubkey_parse(alg, strlen(alg), &pk), VG_ENOTSUP);
	/* one byte short */
	const char *shortk = "untrusted comment: x\nRWQhqMM2l8PUDTKonvD7qCRzxT/l7TzhheiSvz4ThowrQ7g0zdt4gA==\n";
	assert_int_equal(vg_sign_pubkey_parse(shortk, strlen(shortk), &pk), VG_EFORMAT);
	assert_int_equal(vg_sign_pubkey_parse(ms_pub, strlen(ms_pub) - 20, &pk), VG_EFORMAT);
	/* a public key is not a secret key */
	assert_int_equal(vg_sign_seckey_parse(ms_pub, strlen(ms_pub), NULL, &sk), VG_EFORMAT);
	assert_int_equal(vg_sign_seckey_parse("", 0, NULL, &sk), VG_EEMPTY);
	/* signatures */
	vg_sign_seckey_t k;
	assert_int_equal(vg_sign_seckey_parse(ms_key, strlen(ms_key), NULL, &k), 0);
	vg_buf_t b = VG_BUF_INIT;
	assert_int_equal(vg_sign_sign(&k, msg, strlen(msg), true, "feed=a seq=1 time=2026-01-01", NULL, &b), 0);
	assert_int_equal(vg_sign_sig_parse(b.p, b.len, &sig), 0);
	/* no global signature line */
	size_t cut = (size_t)(strstr(b.p, "trusted comment: f") - b.p);
	const char *nl3 = strchr(b.p + cut, '\n');
	assert_int_equal(vg_sign_sig_parse(b.p, (size_t)(nl3 + 1 - b.p), &sig), VG_EFORMAT);
	/* no trusted comment prefix */
	vg_buf_t c = VG_BUF_INIT;
	vg_buf_add(&c, b.p, cut);
	vg_buf_adds(&c, "comment: feed=a\nAAAA\n");
	assert_int_equal(vg_sign_sig_parse(c.p, c.len, &sig), VG_EFORMAT);
	/* no untrusted comment prefix */
	assert_int_equal(vg_sign_sig_parse(b.p + 2, b.len - 2, &sig), VG_EFORMAT);
	assert_int_equal(vg_sign_sig_parse("", 0, &sig), VG_EEMPTY);
	/* unknown signature algorithm "Ex" */
	vg_buf_reset(&c);
	char *l2 = strchr(b.p, '\n') + 1;
	vg_buf_add(&c, b.p, b.len);
	c.p[l2 - b.p + 2] = 'X'; /* "RUR" -> "RUX": alg bytes change */
	int rc = vg_sign_sig_parse(c.p, c.len, &sig);
	assert_true(rc == VG_ENOTSUP);
	/* an overlong trusted comment */
	vg_buf_reset(&c);
	vg_buf_add(&c, b.p, cut);
	vg_buf_adds(&c, "trusted comment: ");
	for (int i = 0; i < 9000; i++)
		vg_buf_addc(&c, 'a');
	vg_buf_adds(&c, "\nAAAA\n");
	assert_int_equal(vg_sign_sig_parse(c.p, c.len, &sig), VG_ERANGE);
	vg_buf_release(&b);
	vg_buf_release(&c);
}

/* Rule: the trusted comment needs feed=, seq=, time= once each. */
static void test_tc(void **st)
{
	vg_sign_tc_t tc;
	const char *why;
	const char *ok = "feed=apt-2 seq=18446744073709551615 time=2026-11-28T00:00:00Z note=x";
	assert_int_equal(vg_sign_tc_parse(ok, strlen(ok), &tc, &why), 0);
	assert_string_equal(tc.feed, "apt-2");
	assert_true(tc.seq == UINT64_MAX);
	assert_true(tc.time == 1795824000);
	static const char *const bad[] = {
		"seq=1 time=2026-11-28T00:00:00Z",
		"feed=a time=2026-11-28T00:00:00Z",
		"feed=a seq=1",
		"feed=a/b seq=1 time=2026-11-28T00:00:00Z",
		"feed=.. seq=1 time=2026-11-28T00:00:00Z",
		"feed=a seq=-1 time=2026-11-28T00:00:00Z",
		"feed=a seq=18446744073709551616 time=2026-11-28T00:00:00Z",
		"feed=a seq=1 time=yesterday",
		"feed=a feed=b seq=1 time=2026-11-28T00:00:00Z",
		"timestamp:1795825938\tfile:f\thashed",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		assert_int_equal(vg_sign_tc_parse(bad[i], strlen(bad[i]), &tc, &why), VG_EFORMAT);
		assert_non_null(why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_tamper_and_wrong_key),
		cmocka_unit_test(test_seckey),       cmocka_unit_test(test_minisign_key),
		cmocka_unit_test(test_malformed),    cmocka_unit_test(test_tc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
