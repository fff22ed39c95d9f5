/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feed_sign.h — `vigil feed keygen | sign | verify` and the signed-feed
 * check the loader (load.c, --pubkey) shares with them.
 */
#ifndef VG_CMD_FEED_SIGN_H
#define VG_CMD_FEED_SIGN_H

#include "intel/sign.h"

#include <stddef.h>

/* Subcommands of `vigil feed`; argv[0] is the subcommand name. */
int cmd_feed_keygen(int argc, char **argv);
int cmd_feed_sign(int argc, char **argv);
int cmd_feed_verify(int argc, char **argv);

/* vg_cmd_read_file: read a whole file (at most max bytes) into a malloc'd
 * buffer with a NUL after the data.  0, or VG_EIO (errno kept), VG_ELIMIT,
 * VG_ENOMEM. */
int vg_cmd_read_file(const char *path, size_t max, char **data, size_t *len);

/* vg_cmd_pubkey_load: KEY is a public key file, or (when no such file
 * exists) the base64 key itself.  Prints "KEY: error: ..." on failure and
 * returns a VG_E* code; 0 on success. */
int vg_cmd_pubkey_load(const char *key, vg_sign_pubkey_t *pk);

/*
 * vg_cmd_verify_buf — check the signature file sigpath (NULL: path +
 * ".minisig") over data[0..len), the contents of path, with pk, and parse
 * its trusted comment into *tc.  Prints one "PATH: error: ..." line on
 * failure and returns a VG_E* code; 0 when the file is authentic.
 */
int vg_cmd_verify_buf(const char *path, const char *sigpath, const char *data, size_t len,
		      const vg_sign_pubkey_t *pk, vg_sign_tc_t *tc);

#endif
