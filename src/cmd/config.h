/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h — `--config FILE`: a command's options read from an INI file
 * (vigil.conf(5)) and turned into command-line arguments.
 */
#ifndef VG_CMD_CONFIG_H
#define VG_CMD_CONFIG_H

#include <getopt.h>
#include <stddef.h>

/* An argument vector built by vg_cmd_config_expand; owns its strings. */
typedef struct vg_cmd_argv {
	int argc;
	char **argv;  /* argv[argc] == NULL */
	char **own;   /* strings allocated for entries read from files */
	size_t n_own;
} vg_cmd_argv_t;

/* vg_cmd_config_expand: find every `--config FILE` / `--config=FILE` /
 * `-c FILE` in argv (argv[0] is the command name; scanning follows
 * getopt_long's rules for `opts`, whose short options are the entries
 * whose val is a character, and stops at "--"), read section `section` of
 * each FILE, and build in *out: argv[0], then the file's entries as
 * `--key value` (required_argument), `--key` (no_argument with a true
 * boolean; nothing for a false one) or `--key=value` (optional_argument), in
 * file order, then argv[1..] unchanged.  So the command line wins for
 * single-valued options and adds to repeatable ones.  Keys must be long
 * option names of `opts` (not "config" or "help"); other sections must be
 * those of other vigil commands (feed, block, hunt) and are ignored.
 * Without --config, *out is a copy of argv.  Returns 0, or -1 after printing
 * "FILE:LINE: reason" (or "vigil: cannot read ...") through vg_err; *out is
 * then released.  Release with vg_cmd_argv_release. */
int vg_cmd_config_expand(vg_cmd_argv_t *out, const char *section, const struct option *opts,
			 int argc, char **argv);

/* vg_cmd_argv_release: free what vg_cmd_config_expand allocated (NULL ok). */
void vg_cmd_argv_release(vg_cmd_argv_t *a);

/* vg_cmd_config_bool: parse yes/no/true/false/on/off/1/0 (any case) into
 * *v; returns 0, or -1 for anything else. */
int vg_cmd_config_bool(const char *s, int *v);

#endif
