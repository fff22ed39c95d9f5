/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feed_convert.h — `vigil feed convert | diff | merge` (feed_convert.c),
 * dispatched from feed.c.  Each takes the subcommand's argv (argv[0] is the
 * subcommand name) and returns a vigil(1) exit code.
 */
#ifndef VG_CMD_FEED_CONVERT_H
#define VG_CMD_FEED_CONVERT_H

/* convert: write FILE... as --to FORMAT.  0 written, 1 written but some
 * input lines were bad, 2 error. */
int vg_cmd_feed_convert(int argc, char **argv);
/* diff: compare OLD and NEW.  0 no difference, 1 differences, 2 error. */
int vg_cmd_feed_diff(int argc, char **argv);
/* merge: FILE... minus allowlisted and expired indicators, to -o OUT.
 * 0 written, 1 written but some input lines were bad, 2 error. */
int vg_cmd_feed_merge(int argc, char **argv);

#endif
