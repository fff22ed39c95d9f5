// SPDX-License-Identifier: Apache-2.0
/*
 * scan_quarantine.c — `vigil scan quarantine list|restore|delete --dir DIR`:
 * the user's side of the quarantine store (scan/quarantine.c) that
 * `vigil scan --quarantine DIR` fills.  `vigil scan` (src/cmd/scan.c)
 * dispatches here with argv[0] = "quarantine".
 *
 *   list [--json]       one line per entry, oldest first: "ID  TIME  SIZE
 *                       STATE  PATH" (path with control and non-UTF-8
 *                       bytes escaped), or with --json the index entries
 *                       as JSON lines;
 *   restore ID [--force] put the file back (byte-identical, same mode,
 *                       times and, as root, owner); refuses to overwrite an
 *                       existing file unless --force;
 *   delete ID           remove the entry and its copy for good.
 * Opening the store repairs what an interrupted quarantine left; each
 * repair is printed as a warning.  Exit status: 0 ok, 2 error.
 */
#include "cmd/cmd.h"
#include "lib/timefmt.h"
#include "scan/quarantine.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: vigil scan quarantine list [--json] --dir DIR\n"
	"       vigil scan quarantine restore ID [--force] --dir DIR\n"
	"       vigil scan quarantine delete ID --dir DIR\n"
	"\n"
	"Manage the quarantine store that 'vigil scan --quarantine DIR' fills.\n"
	"\n"
	"  --dir DIR   the quarantine directory (required)\n"
	"  --json      list: print the index entries as JSON lines\n"
	"  --force     restore: replace an existing file at the original path\n"
	"  -h, --help  this text\n";

enum { O_DIR = 256, O_JSON, O_FORCE };

static const struct option long_opts[] = {
	{"dir", required_argument, NULL, O_DIR},
	{"json", no_argument, NULL, O_JSON},
	{"force", no_argument, NULL, O_FORCE},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void warn_diag(void *ctx, const char *file, unsigned long line, int sev, const char *msg)
{
	(void)ctx;
	(void)line;
	(void)sev;
	vg_warnx("%s: %s", file ? file : "quarantine", msg);
}

/* print_path: control bytes, backslash and invalid UTF-8 escaped. */
static void print_path(const char *p)
{
	const unsigned char *s = (const unsigned char *)p;
	while (*s) {
		unsigned c = *s;
		size_t l = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		bool ok = l > 0;
		for (size_t k = 1; ok && k < l; k++)
			ok = (s[k] & 0xc0) == 0x80;
		if (!ok) {
			printf("\\x%02x", c);
			s++;
		} else if (l == 1 && (c < 0x20 || c == 0x7f || c == '\\')) {
			if (c == '\n')
				fputs("\\n", stdout);
			else if (c == '\t')
				fputs("\\t", stdout);
			else if (c == '\\')
				fputs("\\\\", stdout);
			else
				printf("\\x%02x", c);
			s++;
		} else {
			fwrite(s, 1, l, stdout);
			s += l;
		}
	}
}

static int list_one(void *ctx, const vg_quar_entry_t *e)
{
	bool json = *(bool *)ctx;
	if (json) {
		puts(e->json);
		return 0;
	}
	char t[40];
	vg_time_iso(e->quarantined_ns / 1000000000, t, sizeof t);
	printf("%s  %s  %10llu  %-6s  ", e->id, t, (unsigned long long)e->size, e->state);
	print_path(e->path);
	putchar('\n');
	return 0;
}

int vg_cmd_scan_quarantine(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? VG_EXIT_ERROR : VG_EXIT_OK;
	}
	const char *sub = argv[1];
	bool is_list = !strcmp(sub, "list"), is_restore = !strcmp(sub, "restore"),
	     is_delete = !strcmp(sub, "delete");
	if (!is_list && !is_restore && !is_delete) {
		vg_err("scan quarantine: unknown subcommand '%s' (list, restore, delete)", sub);
		return VG_EXIT_ERROR;
	}
	const char *dir = NULL;
	bool json = false, force = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, ":h", long_opts, NULL)) != -1) {
		switch (c) {
		case O_DIR: dir = optarg; break;
		case O_JSON: json = true; break;
		case O_FORCE: force = true; break;
		case 'h': fputs(usage_text, stdout); return VG_EXIT_OK;
		default: return vg_cmd_opt_error("scan quarantine", sub, c, argv + 1);
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	if (!dir) {
		vg_err("scan quarantine %s: --dir DIR is required", sub);
		return VG_EXIT_ERROR;
	}
	if ((is_list && npos != 0) || (!is_list && npos != 1) || (json && !is_list) ||
	    (force && !is_restore)) {
		fputs(usage_text, stderr);
		return VG_EXIT_ERROR;
	}
	vg_quar_t *q;
	int r = vg_quar_open_ex(&q, dir, warn_diag, NULL);
	if (r) {
		vg_err("scan quarantine: %s: %s", dir, r == VG_EIO ? strerror(errno) : vg_strerror(r));
		return VG_EXIT_ERROR;
	}
	int rc = VG_EXIT_OK;
	if (is_list) {
		unsigned bad = 0;
		r = vg_quar_foreach(q, list_one, &json, &bad);
		if (bad)
			vg_warnx("scan quarantine list: %u unreadable index entries in %s/index", bad,
				 dir);
		if (r) {
			vg_err("scan quarantine list: %s", vg_strerror(r));
			rc = VG_EXIT_ERROR;
		}
		if (fflush(stdout) != 0) {
			vg_err("scan quarantine list: cannot write output: %s", strerror(errno));
			rc = VG_EXIT_ERROR;
		}
	} else {
		const char *id = pos[0];
		r = is_restore ? vg_quar_restore(q, id, force) : vg_quar_delete(q, id);
		if (r == VG_ENOTFOUND) {
			vg_err("scan quarantine %s: no entry '%s' in %s", sub, id, dir);
			rc = VG_EXIT_ERROR;
		} else if (r == VG_EIO && errno == EEXIST) {
			vg_err("scan quarantine restore: the original path of %s exists; use --force "
			       "to replace it",
			       id);
			rc = VG_EXIT_ERROR;
		} else if (r) {
			vg_err("scan quarantine %s: %s: %s", sub, id,
			       r == VG_EIO ? strerror(errno) : vg_strerror(r));
			rc = VG_EXIT_ERROR;
		}
	}
	vg_quar_free(q);
	return rc;
}
