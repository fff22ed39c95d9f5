// SPDX-License-Identifier: Apache-2.0
/*
 * util.c — message helpers of the command layer: every user-facing error
 * and warning goes through here so they all look alike ("vigil: ...",
 * "file:line: reason"), and the first N per-line diagnostics are shown
 * while all are counted.
 */
#include "cmd/cmd.h"

#include "vigil/common.h"

#include <getopt.h>
#include <stdarg.h>

void vg_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vigil: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void vg_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vigil: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void vg_diag_print(void *ctx, const char *file, unsigned long line, int sev, const char *msg)
{
	vg_diag_counter_t *c = ctx;
	if (sev == VG_SEV_ERROR)
		c->errors++;
	else if (sev == VG_SEV_WARN)
		c->warnings++;
	if (c->max_shown && c->shown >= c->max_shown)
		return;
	c->shown++;
	const char *kind = sev == VG_SEV_ERROR ? "error" : sev == VG_SEV_WARN ? "warning" : "note";
	if (file && line)
		fprintf(stderr, "%s:%lu: %s: %s\n", file, line, kind, msg);
	else if (file)
		fprintf(stderr, "%s: %s: %s\n", file, kind, msg);
	else
		fprintf(stderr, "vigil: %s: %s\n", kind, msg);
}

int vg_cmd_opt_error(const char *cmd, const char *sub, int c, char **argv)
{
	if (c == ':')
		vg_err("%s %s: option '%s' needs a value; see 'vigil %s %s --help'", cmd, sub,
		       argv[optind - 1], cmd, sub);
	else if (optopt && optopt < 256)
		vg_err("%s %s: unknown option '-%c'; see 'vigil %s %s --help'", cmd, sub, optopt, cmd,
		       sub);
	else
		vg_err("%s %s: unknown option '%s'; see 'vigil %s %s --help'", cmd, sub,
		       argv[optind - 1], cmd, sub);
	return VG_EXIT_ERROR;
}
