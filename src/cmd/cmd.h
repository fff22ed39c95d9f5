/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd.h — the subcommand entry signature (git builtins) and helpers the
 * command layer shares.  Only src/cmd/ prints to the user and picks exit codes.
 */
#ifndef VG_CMD_H
#define VG_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes shared by every subcommand (documented in vigil(1)). */
enum {
	VG_EXIT_OK = 0,      /* success; for lookups/scans: nothing found */
	VG_EXIT_FOUND = 1,   /* a match / alert / detection was found */
	VG_EXIT_ERROR = 2,   /* an error: bad usage, unreadable or invalid input */
};

typedef int (*vg_cmd_fn)(int argc, char **argv);

int cmd_audit(int argc, char **argv);
int cmd_block(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_hub(int argc, char **argv);
int cmd_feed(int argc, char **argv);
int cmd_hunt(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_watch(int argc, char **argv);

/* vg_err: print "vigil: <msg>" to stderr. */
void vg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* vg_warn_out: print "vigil: warning: <msg>" to stderr. */
void vg_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* vg_info: print "vigil: <msg>" to stderr (LOG_INFO with syslog). */
void vg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* vg_err_at: print "FILE:LINE: <msg>" to stderr (LOG_ERR with syslog). */
void vg_err_at(const char *file, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* vg_log_set_target: send vg_err, vg_warnx, vg_info, vg_err_at and
 * vg_diag_print to "stderr" (default) or "syslog" (openlog("vigil",
 * LOG_PID, LOG_DAEMON)).  Returns 0, or -1 for an unknown name. */
int vg_log_set_target(const char *name);
/* vg_log_is_syslog: true when diagnostics go to syslog. */
bool vg_log_is_syslog(void);
/* vg_cmd_opt_error: report getopt_long's ':' (missing value) or '?'
 * (unknown option) for "vigil CMD SUB" (sub may be NULL) and return
 * VG_EXIT_ERROR.  c is getopt's return value; the option string must start
 * with ':'. */
int vg_cmd_opt_error(const char *cmd, const char *sub, int c, char **argv);

/* vg_cmd_parse_size: a byte count with an optional K, M or G suffix (binary
 * units): 0, or -1 for anything else (sign, junk, overflow). */
int vg_cmd_parse_size(const char *s, uint64_t *out);

/* A vg_diag_fn printing "file:line: msg" and counting; ctx is a vg_diag_counter. */
typedef struct vg_diag_counter {
	unsigned long shown, errors, warnings, max_shown;
	const char *prog;
} vg_diag_counter_t;
void vg_diag_print(void *ctx, const char *file, unsigned long line, int sev, const char *msg);

#endif
