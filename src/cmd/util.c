// SPDX-License-Identifier: Apache-2.0
/*
 * util.c — message helpers of the command layer: every user-facing error
 * and warning goes through here so they all look alike ("vigil: ...",
 * "file:line: reason"), and the first N per-line diagnostics are shown
 * while all are counted.
 *
 * Log target: stderr (default) or syslog(3) (ident "vigil", LOG_PID,
 * LOG_DAEMON; errors at LOG_ERR, warnings at LOG_WARNING, notes at
 * LOG_INFO), chosen once by the command (`--log-target`).  Only these
 * diagnostics move; data (EVE output, listings) never goes to syslog.
 * Process-global; set it before any thread is started.
 */
#include "cmd/cmd.h"

#include "vigil/common.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static bool g_syslog;

int vg_log_set_target(const char *name)
{
	if (!strcmp(name, "stderr")) {
		if (g_syslog)
			closelog();
		g_syslog = false;
		return 0;
	}
	if (!strcmp(name, "syslog")) {
		if (!g_syslog)
			openlog("vigil", LOG_PID, LOG_DAEMON);
		g_syslog = true;
		return 0;
	}
	return -1;
}

bool vg_log_is_syslog(void)
{
	return g_syslog;
}

/* one diagnostic: to syslog at `prio`, or to stderr as prefix + message */
__attribute__((format(printf, 3, 0))) static void vlog(int prio, const char *prefix,
							const char *fmt, va_list ap)
{
	if (g_syslog) {
		vsyslog(prio, fmt, ap);
		return;
	}
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void vg_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_ERR, "vigil: ", fmt, ap);
	va_end(ap);
}

void vg_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_WARNING, "vigil: warning: ", fmt, ap);
	va_end(ap);
}

void vg_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_INFO, "vigil: ", fmt, ap);
	va_end(ap);
}

void vg_err_at(const char *file, unsigned long line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (g_syslog)
		syslog(LOG_ERR, "%s:%lu: %s", file, line, msg);
	else
		fprintf(stderr, "%s:%lu: %s\n", file, line, msg);
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
	if (g_syslog) {
		int prio = sev == VG_SEV_ERROR ? LOG_ERR : sev == VG_SEV_WARN ? LOG_WARNING : LOG_INFO;
		if (file && line)
			syslog(prio, "%s:%lu: %s: %s", file, line, kind, msg);
		else if (file)
			syslog(prio, "%s: %s: %s", file, kind, msg);
		else
			syslog(prio, "%s: %s", kind, msg);
		return;
	}
	if (file && line)
		fprintf(stderr, "%s:%lu: %s: %s\n", file, line, kind, msg);
	else if (file)
		fprintf(stderr, "%s: %s: %s\n", file, kind, msg);
	else
		fprintf(stderr, "vigil: %s: %s\n", kind, msg);
}

int vg_cmd_opt_error(const char *cmd, const char *sub, int c, char **argv)
{
	/* "vigil feed check" or "vigil scan": the place to point the user at */
	char where[64];
	snprintf(where, sizeof where, "%s%s%s", cmd, sub ? " " : "", sub ? sub : "");
	if (c == ':')
		vg_err("%s: option '%s' needs a value; see 'vigil %s --help'", where, argv[optind - 1],
		       where);
	else if (optopt && optopt < 256)
		vg_err("%s: unknown option '-%c'; see 'vigil %s --help'", where, optopt, where);
	else
		vg_err("%s: unknown option '%s'; see 'vigil %s --help'", where, argv[optind - 1],
		       where);
	return VG_EXIT_ERROR;
}

int vg_cmd_parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	uint64_t mul = 1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': mul = 1ull << 10; end++; break;
	case 'm': case 'M': mul = 1ull << 20; end++; break;
	case 'g': case 'G': mul = 1ull << 30; end++; break;
	default: return -1;
	}
	if (*end || (v && mul > UINT64_MAX / v))
		return -1;
	*out = v * mul;
	return 0;
}
