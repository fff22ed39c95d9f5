// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_minisign.c — libFuzzer target: the minisign file parsers of
 * src/intel/sign.c on arbitrary bytes: public key file and base64 string,
 * secret key file (unencrypted path only: scrypt with attacker-chosen
 * limits would only measure scrypt), signature file, and the trusted
 * comment parser; a parsed signature is also verified against a fixed key.
 * Checks that hostile key/signature files are rejected cleanly (no crash,
 * no out-of-bounds read, no leak).  Seeds: any .pub/.key/.minisig file.
 */
#include "intel/sign.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static vg_sign_sig_t sig;
	const char *t = (const char *)data;
	vg_sign_pubkey_t pk;
	vg_sign_seckey_t sk;
	vg_sign_tc_t tc;
	const char *why;
	bool enc;
	vg_sign_init();
	vg_sign_pubkey_parse(t, size, &pk);
	vg_sign_pubkey_parse_b64(t, size, &pk);
	if (vg_sign_seckey_encrypted(t, size, &enc) == 0 && !enc)
		vg_sign_seckey_parse(t, size, NULL, &sk);
	vg_sign_tc_parse(t, size, &tc, &why);
	if (vg_sign_sig_parse(t, size, &sig) == 0) {
		memset(&pk, 0x11, sizeof pk);
		memcpy(pk.keyid, sig.keyid, sizeof pk.keyid);
		vg_sign_verify(&pk, &sig, data, size, NULL);
		vg_sign_tc_parse(sig.trusted, sig.trusted_len, &tc, &why);
	}
	return 0;
}
